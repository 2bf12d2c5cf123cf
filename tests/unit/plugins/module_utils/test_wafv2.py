"""plugins/module_utils/wafv2.py: normalisation, comparison and conversion between option and AWS shapes."""

from __future__ import annotations

import copy

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils import wafv2
from ansible_collections.securecloud.monitor.plugins.modules.wafv2_web_acl import desired_web_acl, web_acl_differs

from tests.unit.wafv2_data import (
    ALB_ARN,
    ARN,
    AWS_LOGGING,
    AWS_RULES,
    LOG_ARN,
    NLB_ARN,
    STAGE_ARN,
    aws_acl,
    declared,
)


def test_declared_rules_equal_the_rules_aws_returns_with_its_defaults():
    params = declared()
    desired = desired_web_acl(aws_acl(), params)
    assert not wafv2.rules_differ(AWS_RULES, desired["Rules"])
    assert not web_acl_differs(aws_acl(), desired)


@pytest.mark.parametrize("index", range(len(AWS_RULES)))
def test_each_rule_round_trips_through_the_option_shape(index):
    """AWS rule -> options -> AWS rule is the same rule (what the module returns can be fed back)."""
    options = wafv2.rule_from_aws(AWS_RULES[index])
    assert wafv2.comparable(wafv2.normalise_rule(wafv2.rule_to_aws(options))) == wafv2.comparable(
        wafv2.normalise_rule(AWS_RULES[index])
    )


def test_typed_statements_come_back_typed_and_others_raw():
    by_name = {rule["Name"]: wafv2.rule_from_aws(rule) for rule in AWS_RULES}
    assert by_name["rate-limit"]["rate_based"] == {
        "limit": 2000,
        "aggregate_key_type": "IP",
        "evaluation_window_sec": 300,
    }
    assert by_name["aws-common"]["managed_rule_group"]["excluded_rules"] == [
        "NoUserAgent_HEADER",
        "SizeRestrictions_BODY",
    ]
    assert by_name["aws-common"]["override_action"] == "none"
    assert by_name["geo"]["geo_match"] == {"country_codes": ["KP", "RU"]}
    statement = by_name["block-admin"]["statement"]["ByteMatchStatement"]
    assert statement["SearchString"] == "/admin"  # bytes from boto3, text in the result
    assert statement["FieldToMatch"] == {"UriPath": {}}  # empty members that carry meaning are kept
    assert by_name["block-admin"]["custom_response"] == {"response_code": 403, "custom_response_body_key": "denied"}
    assert by_name["bad-agent"]["rule_labels"] == ["bot:bad"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda r: r[0]["Statement"]["RateBasedStatement"].update(Limit=1000), "rate limit"),
        (lambda r: r[0]["Statement"]["RateBasedStatement"].update(EvaluationWindowSec=60), "window"),
        (lambda r: r[0].update(Action={"Count": {}}), "action"),
        (lambda r: r[0]["VisibilityConfig"].update(SampledRequestsEnabled=False), "rule visibility"),
        (lambda r: r[1]["Statement"]["ManagedRuleGroupStatement"]["ExcludedRules"].pop(), "excluded rules"),
        (lambda r: r[1].update(OverrideAction={"Count": {}}), "override action"),
        (lambda r: r[2]["Action"]["Block"]["CustomResponse"].update(ResponseCode=404), "custom response"),
        (lambda r: r[2]["Statement"]["ByteMatchStatement"].update(FieldToMatch={"QueryString": {}}), "field"),
        (lambda r: r[3]["Statement"]["SqliMatchStatement"].update(SensitivityLevel="HIGH"), "sensitivity"),
        (lambda r: r[4]["Statement"]["GeoMatchStatement"]["CountryCodes"].append("CN"), "countries"),
        (lambda r: r.pop(), "rule removed"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_real_differences_are_seen(change, path):
    current = copy.deepcopy(AWS_RULES)
    change(current)
    desired = desired_web_acl(aws_acl(), declared())["Rules"]
    assert wafv2.rules_differ(current, desired), path


def test_block_and_allow_differ_although_both_bodies_are_empty():
    assert wafv2.comparable({"Action": {"Block": {}}}) != wafv2.comparable({"Action": {"Allow": {}}})


def test_acl_visibility_only_change_is_seen_and_rules_are_not():
    params = declared(visibility={"sampled_requests_enabled": False})
    desired = desired_web_acl(aws_acl(), params)
    assert not wafv2.rules_differ(AWS_RULES, desired["Rules"])
    assert web_acl_differs(aws_acl(), desired)
    assert desired["VisibilityConfig"] == {
        "SampledRequestsEnabled": False,
        "CloudWatchMetricsEnabled": True,
        "MetricName": "edge-api",
    }


def test_custom_response_body_change_is_seen():
    bodies = {"denied": {"content_type": "APPLICATION_JSON", "content": '{"error": "no"}'}}
    assert web_acl_differs(aws_acl(), desired_web_acl(aws_acl(), declared(custom_response_bodies=bodies)))


def test_options_not_set_keep_current_values():
    current = aws_acl(
        Description="kept",
        CaptchaConfig={"ImmunityTimeProperty": {"ImmunityTime": 600}},
        TokenDomains=["example.com"],
        AssociationConfig={"RequestBody": {"API_GATEWAY": {"DefaultSizeInspectionLimit": "KB_32"}}},
    )
    params = declared(custom_response_bodies=None, rules=None)
    desired = desired_web_acl(current, params)
    assert desired["Description"] == "kept"
    assert desired["CaptchaConfig"] == {"ImmunityTimeProperty": {"ImmunityTime": 600}}
    assert desired["TokenDomains"] == ["example.com"]
    assert desired["AssociationConfig"] == current["AssociationConfig"]  # no option, sent back unchanged
    assert desired["CustomResponseBodies"] == current["CustomResponseBodies"]
    assert not web_acl_differs(current, desired)


def test_token_domains_compare_as_a_set():
    current = aws_acl(TokenDomains=["b.example", "a.example"])
    assert not web_acl_differs(current, desired_web_acl(current, declared(token_domains=["a.example", "b.example"])))


def test_rate_based_forwarded_ip_defaults():
    rule = {
        "name": "r",
        "priority": 1,
        "action": "block",
        "rate_based": {"limit": 100, "aggregate_key_type": "FORWARDED_IP"},
    }
    body = wafv2.rule_to_aws(rule)["Statement"]["RateBasedStatement"]
    assert body["ForwardedIPConfig"] == {"HeaderName": "X-Forwarded-For", "FallbackBehavior": "MATCH"}
    assert body["EvaluationWindowSec"] == 300


def test_default_metric_name_replaces_invalid_characters():
    assert wafv2.default_metric_name("my rule!") == "my_rule_"
    assert wafv2.visibility_to_aws(None, "acl")["MetricName"] == "acl"


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        (STAGE_ARN, "API_GATEWAY"),
        (ALB_ARN, "APPLICATION_LOAD_BALANCER"),
        ("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc", "COGNITO_USER_POOL"),
        ("arn:aws:appsync:us-east-1:123456789012:apis/abcdef", "APPSYNC"),
        ("arn:aws:apprunner:us-east-1:123456789012:service/web/0123", "APP_RUNNER_SERVICE"),
        ("arn:aws:ec2:us-east-1:123456789012:verified-access-instance/vai-0123", "VERIFIED_ACCESS_INSTANCE"),
        (NLB_ARN, None),
    ],
)
def test_resource_types(arn, expected):
    assert wafv2.resource_type(arn) == expected


def test_nlb_problem_says_what_to_do_instead():
    problem = wafv2.association_problem(NLB_ARN)
    assert "Network Load Balancer" in problem and "Application Load Balancer" in problem and "API Gateway" in problem
    assert wafv2.association_problem(STAGE_ARN) is None


def test_association_type_record_round_trips():
    record = wafv2.encode_association_types([STAGE_ARN, ALB_ARN, STAGE_ARN])
    assert record == "API_GATEWAY APPLICATION_LOAD_BALANCER"
    assert wafv2.decode_association_types({wafv2.ASSOCIATION_TYPES_TAG: record}) == [
        "API_GATEWAY",
        "APPLICATION_LOAD_BALANCER",
    ]
    assert wafv2.decode_association_types({wafv2.ASSOCIATION_TYPES_TAG: wafv2.encode_association_types([])}) == []
    assert wafv2.decode_association_types({}) is None


def test_logging_compares_header_case_and_order_and_arn_suffix():
    declared_config = {
        "ResourceArn": ARN,
        "LogDestinationConfigs": [wafv2.log_destination_arn("aws-waf-logs-edge-api", ARN)],
        "RedactedFields": [wafv2.redacted_field_to_aws("Authorization"), wafv2.redacted_field_to_aws("cookie")],
    }
    assert declared_config["LogDestinationConfigs"] == [LOG_ARN]
    assert wafv2.normalise_logging(declared_config) == wafv2.normalise_logging(AWS_LOGGING)
    assert wafv2.log_destination_arn(LOG_ARN + ":*", ARN) == LOG_ARN
    changed = dict(AWS_LOGGING, RedactedFields=[{"UriPath": {}}])
    assert wafv2.normalise_logging(changed) != wafv2.normalise_logging(AWS_LOGGING)


def test_logging_in_option_shape():
    view = wafv2.logging_from_aws(
        dict(
            AWS_LOGGING,
            LoggingFilter={
                "DefaultBehavior": "DROP",
                "Filters": [
                    {
                        "Behavior": "KEEP",
                        "Requirement": "MEETS_ANY",
                        "Conditions": [{"ActionCondition": {"Action": "BLOCK"}}],
                    }
                ],
            },
        )
    )
    assert view["enabled"] is True
    assert view["destination"] == LOG_ARN
    assert view["redacted_fields"] == [{"single_header": "authorization"}, {"single_header": "cookie"}]
    assert view["filter"]["filters"][0]["conditions"] == [{"action_condition": "BLOCK"}]
    assert wafv2.logging_from_aws(None) == {"enabled": False}


def test_log_destination_name_of_arns():
    assert wafv2.log_destination_name(LOG_ARN) == "aws-waf-logs-edge-api"
    assert wafv2.log_destination_name("arn:aws:s3:::aws-waf-logs-bucket") == "aws-waf-logs-bucket"
    assert (
        wafv2.log_destination_name("arn:aws:firehose:us-east-1:123456789012:deliverystream/aws-waf-logs-x")
        == "aws-waf-logs-x"
    )


def test_web_acl_view_hides_the_association_record_tag():
    view = wafv2.web_acl_from_aws(
        aws_acl(), "REGIONAL", {"a": "b", wafv2.ASSOCIATION_TYPES_TAG: "API_GATEWAY"}, [STAGE_ARN], AWS_LOGGING
    )
    assert view["tags"] == {"a": "b"}
    assert view["associations"] == [STAGE_ARN]
    assert view["default_action"] == "allow"
    assert view["custom_response_bodies"]["denied"]["content_type"] == "APPLICATION_JSON"
    assert view["logging"]["destination"] == LOG_ARN


class _Client:
    """Answers list_web_acls page by page (for the NextMarker loop)."""

    def __init__(self, pages):
        self.pages = list(pages)
        self.calls = []

    def list_web_acls(self, **params):
        self.calls.append(params)
        return self.pages.pop(0)


def test_list_web_acls_follows_next_marker_and_stops_on_an_empty_page():
    client = _Client(
        [
            {"WebACLs": [{"Name": "a"}], "NextMarker": "m1"},
            {"WebACLs": [{"Name": "b"}], "NextMarker": "m2"},
            {"WebACLs": [], "NextMarker": "m3"},
        ]
    )
    assert [acl["Name"] for acl in wafv2.list_web_acls(client, "REGIONAL")] == ["a", "b"]
    assert client.calls[1] == {"Scope": "REGIONAL", "Limit": 100, "NextMarker": "m1"}


def test_find_web_acl_stops_paging_once_found():
    client = _Client([{"WebACLs": [{"Name": "a"}], "NextMarker": "m1"}, {"WebACLs": [{"Name": "b"}]}])
    assert wafv2.find_web_acl(client, "a", "REGIONAL") == {"Name": "a"}
    assert len(client.calls) == 1


def test_mask_header_values_masks_what_a_header_must_equal_and_nothing_else():
    from ansible_collections.securecloud.monitor.plugins.modules.wafv2_web_acl import origin_verify_rule

    secrets = ["a" * 32, "b" * 32]
    rule = origin_verify_rule(
        {"name": "origin-verify", "priority": 0, "action": "block", "header_name": "X-Origin-Verify", "values": secrets}
    )
    uri = {
        "name": "admin",
        "statement": {
            "ByteMatchStatement": {
                "SearchString": "/admin",
                "FieldToMatch": {"UriPath": {}},
                "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
                "PositionalConstraint": "STARTS_WITH",
            }
        },
    }
    before = copy.deepcopy([rule, uri])

    masked = wafv2.mask_header_values([rule, uri])

    statements = masked[0]["statement"]["NotStatement"]["Statement"]["OrStatement"]["Statements"]
    assert [s["ByteMatchStatement"]["SearchString"] for s in statements] == [wafv2.MASKED] * 2
    assert statements[0]["ByteMatchStatement"]["FieldToMatch"] == {"SingleHeader": {"Name": "x-origin-verify"}}
    assert masked[1] == uri  # a URI path is no secret
    assert [rule, uri] == before  # the input is left as it was
    assert not any(s in repr(masked) for s in secrets)
