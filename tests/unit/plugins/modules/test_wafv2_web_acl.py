"""plugins/modules/wafv2_web_acl.py against a botocore Stubber (which checks every request against the
WAFv2 service model): idempotence, updates, purge, lock-token retry, capacity, input validation."""

from __future__ import annotations

import copy

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils.wafv2 import ASSOCIATION_TYPES_TAG, AnsibleWAFv2Error
from ansible_collections.securecloud.monitor.plugins.modules.wafv2_web_acl import WebACLManager, validate
from botocore.stub import ANY

from tests.unit.wafv2_data import (
    ACL_ID,
    ALB_ARN,
    ARN,
    AWS_RULES,
    LOG_ARN,
    NAME,
    NLB_ARN,
    STAGE_ARN,
    Failed,
    FakeModule,
    aws_acl,
    declared,
    stub_read,
    stubbed_client,
)


def run(params, stubber, client, **module_args):
    with stubber:
        result = WebACLManager(FakeModule(params, **module_args), client).process()
        stubber.assert_no_pending_responses()
    return result


def update_expected(**overrides):
    """UpdateWebACL parameters; Rules checked by the caller."""
    expected = {
        "Name": NAME,
        "Scope": "REGIONAL",
        "Id": ACL_ID,
        "LockToken": "token-1",
        "DefaultAction": {"Allow": {}},
        "Rules": ANY,
        "VisibilityConfig": ANY,
        "CustomResponseBodies": ANY,
    }
    expected.update(overrides)
    return expected


# --- no change ----------------------------------------------------------------------------------


def test_same_declaration_again_is_a_no_op_in_five_reads():
    client, stubber = stubbed_client()
    stub_read(stubber)  # ListWebACLs, GetWebACL, ListTagsForResource, GetLoggingConfiguration, ListResources
    result = run(declared(), stubber, client, diff=True)
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]
    assert result["web_acl"]["associations"] == [STAGE_ARN]
    assert result["web_acl"]["tags"] == {"environment": "prod"}
    assert result["web_acl"]["logging"]["destination"] == LOG_ARN


def test_without_logging_and_associations_three_reads():
    client, stubber = stubbed_client()
    stub_read(stubber, logging=False, association_types=())
    result = run(declared(logging=None, associations=None), stubber, client)
    assert result["changed"] is False
    assert "associations" not in result["web_acl"]
    assert "logging" not in result["web_acl"]


# --- updates ------------------------------------------------------------------------------------


def _rule_visibility_changed():
    params = declared()
    params["rules"][0]["visibility"] = {
        "cloudwatch_metrics_enabled": True,
        "sampled_requests_enabled": False,
        "metric_name": "rate-limit",
    }
    return params


def test_rule_visibility_only_change_updates_after_capacity_check():
    client, stubber = stubbed_client()
    stub_read(stubber)
    stubber.add_response("check_capacity", {"Capacity": 731}, {"Scope": "REGIONAL", "Rules": ANY})
    stubber.add_response("update_web_acl", {"NextLockToken": "token-2"}, update_expected())
    stubber.add_response("get_web_acl", {"WebACL": aws_acl(), "LockToken": "token-2"})
    result = run(_rule_visibility_changed(), stubber, client, diff=True)
    assert result["changed"] is True
    before = result["diff"]["before"]["rules"][0]["visibility"]
    after = result["diff"]["after"]["rules"][0]["visibility"]
    assert before["sampled_requests_enabled"] is True
    assert after["sampled_requests_enabled"] is False


def test_check_mode_decides_changed_and_calls_nothing_that_changes():
    client, stubber = stubbed_client()
    stub_read(stubber)
    stubber.add_response("check_capacity", {"Capacity": 731})
    result = run(_rule_visibility_changed(), stubber, client, check_mode=True)
    assert result["changed"] is True


def test_acl_visibility_change_skips_capacity_check():
    client, stubber = stubbed_client()
    stub_read(stubber)
    stubber.add_response(
        "update_web_acl",
        {"NextLockToken": "token-2"},
        update_expected(
            VisibilityConfig={"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": True, "MetricName": NAME}
        ),
    )
    stubber.add_response("get_web_acl", {"WebACL": aws_acl(), "LockToken": "token-2"})
    result = run(declared(visibility={"sampled_requests_enabled": False}), stubber, client)
    assert result["changed"] is True


def test_custom_response_body_change_updates_it():
    bodies = {"denied": {"content_type": "TEXT_PLAIN", "content": "no"}}
    client, stubber = stubbed_client()
    stub_read(stubber)
    stubber.add_response(
        "update_web_acl",
        {"NextLockToken": "token-2"},
        update_expected(CustomResponseBodies={"denied": {"ContentType": "TEXT_PLAIN", "Content": "no"}}),
    )
    stubber.add_response("get_web_acl", {"WebACL": aws_acl(), "LockToken": "token-2"})
    result = run(declared(custom_response_bodies=bodies), stubber, client, diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["custom_response_bodies"]["denied"]["content"] == "no"


# --- purge_rules --------------------------------------------------------------------------------

EXTRA_RULE = {
    "Name": "legacy",
    "Priority": 9,
    "Statement": {"GeoMatchStatement": {"CountryCodes": ["CN"]}},
    "Action": {"Block": {}},
    "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "legacy"},
}


def _sent_rules(stubber_calls):
    return [rule["Name"] for rule in stubber_calls]


def test_purge_rules_removes_an_undeclared_rule():
    client, stubber = stubbed_client()
    stub_read(stubber, acl=aws_acl(Rules=[*copy.deepcopy(AWS_RULES), EXTRA_RULE]))
    sent = {}

    def capture(**kwargs):
        sent.update(kwargs)

    client.meta.events.register("provide-client-params.wafv2.UpdateWebACL", lambda params, **_: capture(**params))
    stubber.add_response("check_capacity", {"Capacity": 731})
    stubber.add_response("update_web_acl", {"NextLockToken": "token-2"}, update_expected())
    stubber.add_response("get_web_acl", {"WebACL": aws_acl(), "LockToken": "token-2"})
    result = run(declared(), stubber, client)
    assert result["changed"] is True
    assert "legacy" not in _sent_rules(sent["Rules"])
    assert len(sent["Rules"]) == len(AWS_RULES)


def test_purge_rules_false_keeps_an_undeclared_rule_and_reports_no_change():
    client, stubber = stubbed_client()
    stub_read(stubber, acl=aws_acl(Rules=[*copy.deepcopy(AWS_RULES), EXTRA_RULE]))
    result = run(declared(purge_rules=False), stubber, client)
    assert result["changed"] is False
    assert "legacy" in [rule["name"] for rule in result["web_acl"]["rules"]]


def test_purge_rules_false_still_updates_a_declared_rule_and_keeps_the_other():
    params = declared(purge_rules=False)
    params["rules"][0]["rate_based"]["limit"] = 500
    client, stubber = stubbed_client()
    stub_read(stubber, acl=aws_acl(Rules=[*copy.deepcopy(AWS_RULES), EXTRA_RULE]))
    sent = {}
    client.meta.events.register("provide-client-params.wafv2.UpdateWebACL", lambda params, **_: sent.update(params))
    stubber.add_response("check_capacity", {"Capacity": 731})
    stubber.add_response("update_web_acl", {"NextLockToken": "token-2"}, update_expected())
    stubber.add_response("get_web_acl", {"WebACL": aws_acl(), "LockToken": "token-2"})
    run(params, stubber, client)
    rules = {rule["Name"]: rule for rule in sent["Rules"]}
    assert "legacy" in rules
    assert rules["rate-limit"]["Statement"]["RateBasedStatement"]["Limit"] == 500


def test_purge_rules_false_priority_clash_with_a_kept_rule_names_the_field():
    params = declared(purge_rules=False)
    params["rules"][0]["priority"] = 9
    client, stubber = stubbed_client()
    stub_read(stubber, acl=aws_acl(Rules=[*copy.deepcopy(AWS_RULES), EXTRA_RULE]))
    with pytest.raises(Failed) as failure:
        run(params, stubber, client)
    assert "rules[0].priority 9" in str(failure.value) and "legacy" in str(failure.value)


# --- optimistic lock ----------------------------------------------------------------------------


def test_update_retries_with_a_fresh_lock_token():
    client, stubber = stubbed_client()
    stub_read(stubber)
    stubber.add_client_error("update_web_acl", service_error_code="WAFOptimisticLockException", http_status_code=400)
    stubber.add_response("get_web_acl", {"WebACL": aws_acl(), "LockToken": "token-9"})
    stubber.add_response(
        "update_web_acl",
        {"NextLockToken": "token-10"},
        update_expected(
            LockToken="token-9",
            VisibilityConfig={"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": True, "MetricName": NAME},
        ),
    )
    stubber.add_response("get_web_acl", {"WebACL": aws_acl(), "LockToken": "token-10"})
    result = run(declared(visibility={"sampled_requests_enabled": False}), stubber, client)
    assert result["changed"] is True


# --- capacity and managed rule groups -----------------------------------------------------------


@pytest.mark.parametrize("check_mode", [False, True])
def test_capacity_over_the_limit_fails_with_the_numbers(check_mode):
    client, stubber = stubbed_client()
    stub_read(stubber)
    stubber.add_response("check_capacity", {"Capacity": 1800})
    with pytest.raises(Failed) as failure:
        run(_rule_visibility_changed(), stubber, client, check_mode=check_mode)
    message = str(failure.value)
    assert "1800" in message and "1500" in message and "capacity_limit" in message


def test_unknown_managed_rule_group_names_the_rule():
    params = declared()
    params["rules"][1]["managed_rule_group"]["name"] = "AWSManagedRulesNoSuchRuleSet"
    client, stubber = stubbed_client()
    stub_read(stubber)
    stubber.add_client_error("check_capacity", service_error_code="WAFNonexistentItemException", http_status_code=400)
    stubber.add_client_error(
        "describe_managed_rule_group",
        service_error_code="WAFNonexistentItemException",
        http_status_code=400,
        expected_params={"Scope": "REGIONAL", "VendorName": "AWS", "Name": "AWSManagedRulesNoSuchRuleSet"},
    )
    with pytest.raises(Failed) as failure:
        run(params, stubber, client)
    assert "rules[1].managed_rule_group.name" in str(failure.value)


# --- create, associations, logging, tags, absent ------------------------------------------------


def test_create_then_logging_and_association():
    client, stubber = stubbed_client()
    stubber.add_response("list_web_acls", {"WebACLs": []})
    stubber.add_response("check_capacity", {"Capacity": 731})
    stubber.add_response(
        "create_web_acl",
        {"Summary": {"Name": NAME, "Id": ACL_ID, "ARN": ARN, "LockToken": "token-1"}},
        {
            "Name": NAME,
            "Scope": "REGIONAL",
            "DefaultAction": {"Allow": {}},
            "Rules": ANY,
            "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": NAME},
            "CustomResponseBodies": ANY,
            "Tags": [
                {"Key": "environment", "Value": "prod"},
                {"Key": ASSOCIATION_TYPES_TAG, "Value": "API_GATEWAY"},
            ],
        },
    )
    stubber.add_response(
        "put_logging_configuration",
        {"LoggingConfiguration": {"ResourceArn": ARN, "LogDestinationConfigs": [LOG_ARN]}},
        {
            "LoggingConfiguration": {
                "ResourceArn": ARN,
                "LogDestinationConfigs": [LOG_ARN],
                "RedactedFields": [{"SingleHeader": {"Name": "authorization"}}, {"SingleHeader": {"Name": "cookie"}}],
            }
        },
    )
    stubber.add_response("associate_web_acl", {}, {"WebACLArn": ARN, "ResourceArn": STAGE_ARN})
    stubber.add_response("get_web_acl", {"WebACL": aws_acl(), "LockToken": "token-2"})
    result = run(declared(), stubber, client, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == {}
    assert result["web_acl"]["arn"] == ARN


def test_create_in_check_mode_only_reads():
    client, stubber = stubbed_client()
    stubber.add_response("list_web_acls", {"WebACLs": []})
    stubber.add_response("check_capacity", {"Capacity": 731})
    result = run(declared(), stubber, client, check_mode=True)
    assert result["changed"] is True


def test_association_replaced_and_record_tag_updated():
    client, stubber = stubbed_client()
    stub_read(stubber, association_types=("API_GATEWAY", "APPLICATION_LOAD_BALANCER"))
    stubber.add_response(
        "tag_resource", {}, {"ResourceARN": ARN, "Tags": [{"Key": ASSOCIATION_TYPES_TAG, "Value": ANY}]}
    )
    stubber.add_response("disassociate_web_acl", {}, {"ResourceArn": STAGE_ARN})
    stubber.add_response("associate_web_acl", {}, {"WebACLArn": ARN, "ResourceArn": ALB_ARN})
    result = run(declared(associations=[ALB_ARN]), stubber, client)
    assert result["changed"] is True
    assert result["web_acl"]["associations"] == [ALB_ARN]


def test_acl_without_record_lists_the_baseline_types():
    client, stubber = stubbed_client()
    stub_read(
        stubber,
        tags=[{"Key": "environment", "Value": "prod"}],
        association_types=("API_GATEWAY", "APPLICATION_LOAD_BALANCER"),
    )
    stubber.add_response(
        "tag_resource", {}, {"ResourceARN": ARN, "Tags": [{"Key": ASSOCIATION_TYPES_TAG, "Value": "API_GATEWAY"}]}
    )
    result = run(declared(), stubber, client)
    assert result["changed"] is True  # the record is written once


def test_logging_disabled_deletes_it():
    client, stubber = stubbed_client()
    stub_read(stubber)
    stubber.add_response("delete_logging_configuration", {}, {"ResourceArn": ARN})
    result = run(declared(logging={"enabled": False}), stubber, client)
    assert result["changed"] is True
    assert result["web_acl"]["logging"] == {"enabled": False}


def test_tags_purged_but_the_record_tag_kept():
    client, stubber = stubbed_client()
    stub_read(stubber)
    stubber.add_response("untag_resource", {}, {"ResourceARN": ARN, "TagKeys": ["environment"]})
    result = run(declared(tags={}), stubber, client)
    assert result["changed"] is True
    assert result["web_acl"]["tags"] == {}


def test_absent_disassociates_then_deletes_with_lock_retry():
    client, stubber = stubbed_client()
    stubber.add_response("list_web_acls", {"WebACLs": [{"Name": NAME, "Id": ACL_ID, "ARN": ARN}]})
    stubber.add_response("get_web_acl", {"WebACL": aws_acl(), "LockToken": "token-1"})
    stubber.add_response("list_tags_for_resource", {"TagInfoForResource": {"ResourceARN": ARN}})
    stubber.add_response("list_resources_for_web_acl", {"ResourceArns": [STAGE_ARN]})
    stubber.add_response("list_resources_for_web_acl", {"ResourceArns": []})
    stubber.add_response("disassociate_web_acl", {}, {"ResourceArn": STAGE_ARN})
    stubber.add_client_error("delete_web_acl", service_error_code="WAFOptimisticLockException", http_status_code=400)
    stubber.add_response("get_web_acl", {"WebACL": aws_acl(), "LockToken": "token-2"})
    stubber.add_response(
        "delete_web_acl", {}, {"Name": NAME, "Scope": "REGIONAL", "Id": ACL_ID, "LockToken": "token-2"}
    )
    result = run(declared(state="absent"), stubber, client)
    assert result["changed"] is True


def test_absent_when_missing_is_a_no_op():
    client, stubber = stubbed_client()
    stubber.add_response("list_web_acls", {"WebACLs": []})
    assert run(declared(state="absent"), stubber, client)["changed"] is False


# --- input validation (no AWS call) -------------------------------------------------------------


def _with_rule(index, **changes):
    params = declared()
    params["rules"][index].update(changes)
    return params


def _rate_limit(limit):
    params = declared()
    params["rules"][0]["rate_based"]["limit"] = limit
    return params


CASES = [
    (_with_rule(1, name="rate-limit"), "rules[1].name 'rate-limit' is already used by rules[0]"),
    (_with_rule(1, priority=0), "rules[1].priority 0 is already used by rules[0]"),
    (_rate_limit(5), "rules[0].rate_based.limit is 5; AWS needs at least 10"),
    (_with_rule(0, visibility={"metric_name": "has space"}), "rules[0].visibility.metric_name"),
    (_with_rule(0, geo_match={"country_codes": ["DE"]}), "rules[0] must have exactly one statement key"),
    (_with_rule(4, geo_match=None), "rules[4] must have exactly one statement key"),
    (_with_rule(1, action="block"), "rules[1].action cannot be used with a rule group"),
    (_with_rule(0, override_action="count"), "rules[0].override_action is only for"),
    (_with_rule(0, action=None), "rules[0].action is required"),
    (_with_rule(4, custom_response={"response_code": 403}), "rules[4].custom_response needs rules[4].action block"),
    (
        _with_rule(2, custom_response={"response_code": 403, "custom_response_body_key": "x"}),
        "custom_response_body_key",
    ),
    (declared(associations=[NLB_ARN]), "associations[0]"),
    (declared(logging={"destination": "waf-logs"}), "logging.destination"),
    (declared(logging={"enabled": True}), "logging.destination is required"),
    (declared(name="bad name"), "name 'bad name' is not valid"),
    (declared(visibility={"metric_name": "All"}), "visibility.metric_name 'All' is reserved"),
    (declared(captcha_immunity_time=10), "captcha_immunity_time is 10"),
    (declared(description="baseline (prod)"), "description 'baseline (prod)' is not accepted"),
]


@pytest.mark.parametrize(("params", "field"), CASES, ids=[field for _, field in CASES])
def test_bad_input_names_the_field(params, field):
    errors = validate(params, "us-east-1")
    assert any(field in error for error in errors), errors


def test_nlb_message_says_what_to_do():
    (error,) = validate(declared(associations=[NLB_ARN]), "us-east-1")
    assert "Network Load Balancer" in error and "API Gateway" in error and "Application Load Balancer" in error


def test_cloudfront_outside_us_east_1_names_scope():
    errors = validate(declared(scope="CLOUDFRONT", associations=None), "eu-west-1")
    assert any(error.startswith("scope CLOUDFRONT") and "us-east-1" in error for error in errors), errors
    assert validate(declared(scope="CLOUDFRONT", associations=None), "us-east-1") == []


def test_cloudfront_with_associations_is_refused():
    errors = validate(declared(scope="CLOUDFRONT"), "us-east-1")
    assert any(error.startswith("associations cannot be used with scope CLOUDFRONT") for error in errors)


def test_valid_declaration_has_no_errors():
    assert validate(declared(), "us-east-1") == []


def test_create_without_tags_still_records_the_association_types():
    client, stubber = stubbed_client()
    stubber.add_response("list_web_acls", {"WebACLs": []})
    stubber.add_response(
        "create_web_acl",
        {"Summary": {"Name": NAME, "Id": ACL_ID, "ARN": ARN, "LockToken": "token-1"}},
        {
            "Name": NAME,
            "Scope": "REGIONAL",
            "DefaultAction": {"Allow": {}},
            "Rules": [],
            "VisibilityConfig": ANY,
            "Tags": [{"Key": ASSOCIATION_TYPES_TAG, "Value": "APPLICATION_LOAD_BALANCER"}],
        },
    )
    stubber.add_response("associate_web_acl", {}, {"WebACLArn": ARN, "ResourceArn": ALB_ARN})
    stubber.add_response("get_web_acl", {"WebACL": aws_acl(Rules=[]), "LockToken": "token-2"})
    params = declared(rules=None, tags=None, logging=None, custom_response_bodies=None, associations=[ALB_ARN])
    assert run(params, stubber, client)["changed"] is True


def test_no_purge_of_associations_keeps_recorded_types_and_other_resources():
    client, stubber = stubbed_client()
    stub_read(stubber, association_types=("APPLICATION_LOAD_BALANCER",))
    stubber.add_response(
        "tag_resource",
        {},
        {
            "ResourceARN": ARN,
            "Tags": [{"Key": ASSOCIATION_TYPES_TAG, "Value": "API_GATEWAY APPLICATION_LOAD_BALANCER"}],
        },
    )
    stubber.add_response("associate_web_acl", {}, {"WebACLArn": ARN, "ResourceArn": ALB_ARN})
    result = run(declared(associations=[ALB_ARN], purge_associations=False), stubber, client)
    assert result["changed"] is True
    assert result["web_acl"]["associations"] == [ALB_ARN]


def test_lock_conflicts_that_never_end_fail_after_five_attempts():
    client, stubber = stubbed_client()
    stub_read(stubber)
    for attempt in range(5):
        stubber.add_client_error("update_web_acl", service_error_code="WAFOptimisticLockException")
        if attempt < 4:
            stubber.add_response("get_web_acl", {"WebACL": aws_acl(), "LockToken": f"token-{attempt + 2}"})
    with pytest.raises(AnsibleWAFv2Error):
        run(declared(visibility={"sampled_requests_enabled": False}), stubber, client)
