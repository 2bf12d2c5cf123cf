"""The waf role's desired state (plugins/filter/waf_web_acls.py, waf_origin_values.py), without a cloud."""

from __future__ import annotations

import json

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.securecloud.monitor.plugins.filter.waf_origin_values import waf_origin_values
from ansible_collections.securecloud.monitor.plugins.filter.waf_web_acls import waf_web_acls

STAGE = "arn:aws:apigateway:eu-west-1::/restapis/abc123/stages/v1"
DIST_ARN = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"
SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-origin-AbCdEf"
KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
NO_EDGE = {"vpc_id": "vpc-1", "public_http_entry_points": [STAGE], "kms_key_arn": KEY}
EDGE = {
    "vpc_id": "vpc-1",
    "kms_key_arn": KEY,
    "public_http_entry_points": [STAGE, DIST_ARN],
    "public_http_entry_points_by_scope": {"REGIONAL": [STAGE], "CLOUDFRONT": [DIST_ARN]},
    "cloudfront": {
        "distribution_id": "E2QWRUHAPOMQZL",
        "distribution_arn": DIST_ARN,
        "origin_secret_arn": SECRET,
        "origin_header_name": "x-origin-verify",
    },
}
VARS = {"waf_environment": "dev", "waf_log_kms_key_arn": KEY}


def names(acl):
    return [rule["name"] for rule in acl["rules"]]


def test_without_a_distribution_it_is_the_one_regional_acl_of_before():
    state = waf_web_acls(VARS, NO_EDGE)
    assert state["cloudfront"] is None and state["regional"]["origin_verify"] is None
    assert state["regional"]["name"] == "dev-edge" and state["regional"]["associations"] == [STAGE]
    assert names(state["regional"]) == [
        "rate-limit-per-ip",
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesAnonymousIpList",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesSQLiRuleSet",
    ]
    assert state["regional"]["rules"][0]["rate_based"]["aggregate_key_type"] == "IP"
    assert [g["name"] for g in state["log_groups"]] == ["aws-waf-logs-dev"]


def test_with_a_distribution_there_is_a_cloudfront_acl_in_us_east_1():
    cloudfront = waf_web_acls(VARS, EDGE)["cloudfront"]
    assert (cloudfront["name"], cloudfront["scope"], cloudfront["region"]) == (
        "dev-edge-cloudfront",
        "CLOUDFRONT",
        "us-east-1",
    )
    assert cloudfront["distribution_ids"] == ["E2QWRUHAPOMQZL"]
    assert "associations" not in cloudfront
    assert len(cloudfront["rules"]) >= 6 and cloudfront["rules"][0]["rate_based"]["aggregate_key_type"] == "IP"
    assert cloudfront["logging"]["destination"] == "aws-waf-logs-dev-cloudfront"


def test_the_regional_acl_gets_the_origin_verify_rule_without_any_value():
    regional = waf_web_acls(VARS, EDGE)["regional"]
    assert regional["origin_verify"] == {
        "name": "origin-verify",
        "priority": 3,
        "header_name": "x-origin-verify",
        "action": "block",
    }
    assert regional["origin_secret_arn"] == SECRET
    assert regional["associations"] == [STAGE]  # never the distribution


def test_behind_cloudfront_the_regional_rate_limit_counts_the_forwarded_client():
    rate = waf_web_acls(VARS, EDGE)["regional"]["rules"][0]["rate_based"]
    assert rate["aggregate_key_type"] == "FORWARDED_IP"
    assert rate["forwarded_ip_config"] == {"header_name": "X-Forwarded-For", "fallback_behavior": "MATCH"}
    own = waf_web_acls(VARS | {"waf_rate_limit_forwarded_ip_header": "True-Client-IP"}, EDGE)["regional"]
    assert own["rules"][0]["rate_based"]["forwarded_ip_config"]["header_name"] == "True-Client-IP"


def test_ip_lists_and_geo_go_to_the_edge_when_there_is_one():
    variables = VARS | {
        "waf_ip_allow_list": ["192.0.2.0/24"],
        "waf_ip_block_list": ["198.51.100.7/32"],
        "waf_geo_block_countries": ["KP"],
    }
    arns = {"CLOUDFRONT/allow": "arn:a", "CLOUDFRONT/block": "arn:b", "REGIONAL/allow": "arn:c"}
    state = waf_web_acls(variables, EDGE, ip_set_arns=arns)
    assert names(state["cloudfront"])[:3] == ["ip-allow-list", "ip-block-list", "geo-block"]
    assert not {"ip-allow-list", "ip-block-list", "geo-block"} & set(names(state["regional"]))
    wanted = {(s["scope"], s["key"]): (s["state"], s["region"], s["name"]) for s in state["ip_sets"]}
    assert wanted[("CLOUDFRONT", "allow")] == ("present", "us-east-1", "dev-edge-allow")
    assert wanted[("REGIONAL", "allow")] == ("absent", None, "dev-allow")


def test_ip_lists_stay_regional_without_an_edge_and_wait_for_their_set():
    variables = VARS | {"waf_ip_allow_list": ["192.0.2.0/24"], "waf_ip_block_list": ["198.51.100.7/32"]}
    state = waf_web_acls(variables, NO_EDGE, ip_set_arns={"REGIONAL/allow": "arn:c"})
    assert names(state["regional"])[:2] == ["ip-allow-list", "rate-limit-per-ip"]  # no block set yet (check mode)
    assert {(s["scope"], s["key"]) for s in state["ip_sets"] if s["state"] == "present"} == {
        ("REGIONAL", "allow"),
        ("REGIONAL", "block"),
    }


def test_switches_remove_exactly_their_rules():
    for switch, rule in [
        ("waf_rate_limit_enabled", "rate-limit-per-ip"),
        ("waf_common_rule_set_enabled", "AWSManagedRulesCommonRuleSet"),
        ("waf_known_bad_inputs_enabled", "AWSManagedRulesKnownBadInputsRuleSet"),
        ("waf_ip_reputation_enabled", "AWSManagedRulesAmazonIpReputationList"),
        ("waf_anonymous_ip_enabled", "AWSManagedRulesAnonymousIpList"),
        ("waf_sqli_enabled", "AWSManagedRulesSQLiRuleSet"),
    ]:
        on, off = waf_web_acls(VARS, EDGE), waf_web_acls(VARS | {switch: False}, EDGE)
        for scope in ("regional", "cloudfront"):
            assert set(names(on[scope])) - set(names(off[scope])) == {rule}, (switch, scope)


def test_cloudfront_and_origin_verify_can_be_switched_off():
    state = waf_web_acls(VARS | {"waf_cloudfront_enabled": False}, EDGE)
    assert state["cloudfront"] is None and state["regional"]["origin_verify"] is None
    assert waf_web_acls(VARS | {"waf_origin_verify_enabled": False}, EDGE)["regional"]["origin_verify"] is None
    assert (
        waf_web_acls(VARS | {"waf_origin_verify_action": "count"}, EDGE)["regional"]["origin_verify"]["action"]
        == "count"
    )


def test_managed_group_settings_are_applied_on_both_acls():
    settings = {"AWSManagedRulesCommonRuleSet": {"override_action": "count", "version": "Version_1.12"}}
    state = waf_web_acls(VARS | {"waf_managed_rule_group_settings": settings}, EDGE)
    for scope in ("regional", "cloudfront"):
        rule = next(r for r in state[scope]["rules"] if r["name"] == "AWSManagedRulesCommonRuleSet")
        assert rule["override_action"] == "count" and rule["managed_rule_group"]["version"] == "Version_1.12"
        assert "override_action" not in rule["managed_rule_group"]


def test_extra_rules_go_where_they_are_declared():
    extra = [{"name": "mine", "priority": 100, "action": "block", "geo_match": {"country_codes": ["RU"]}}]
    state = waf_web_acls(
        VARS | {"waf_extra_rules": extra, "waf_cloudfront_extra_rules": [extra[0] | {"name": "edge-mine"}]}, EDGE
    )
    assert names(state["regional"])[-1] == "mine" and names(state["cloudfront"])[-1] == "edge-mine"


def test_priorities_are_unique_and_sorted_on_every_acl():
    variables = VARS | {"waf_ip_allow_list": ["192.0.2.0/24"], "waf_geo_block_countries": ["KP"]}
    for base in (NO_EDGE, EDGE):
        state = waf_web_acls(variables, base, ip_set_arns={"REGIONAL/allow": "a", "CLOUDFRONT/allow": "b"})
        for acl in filter(None, (state["regional"], state["cloudfront"])):
            priorities = [int(r["priority"]) for r in acl["rules"]] + (
                [acl["origin_verify"]["priority"]] if acl.get("origin_verify") else []
            )
            assert len(set(priorities)) == len(priorities)


def test_the_edge_log_group_takes_the_key_only_when_it_is_in_us_east_1():
    assert waf_web_acls(VARS, EDGE)["log_groups"][1] | {"tags": None} == {
        "name": "aws-waf-logs-dev-cloudfront",
        "region": "us-east-1",
        "kms_key_id": "",
        "retention": 365,
        "tags": None,
    }
    key = KEY.replace("eu-west-1", "us-east-1")
    assert waf_web_acls(VARS | {"waf_log_kms_key_arn": key}, EDGE)["log_groups"][1]["kms_key_id"] == key
    assert waf_web_acls(VARS | {"waf_logging_enabled": False}, EDGE)["log_groups"] == []


def test_the_distribution_id_comes_from_base_cloudfront_without_by_scope():
    base = {k: v for k, v in EDGE.items() if k != "public_http_entry_points_by_scope"}
    assert waf_web_acls(VARS, base)["cloudfront"]["distribution_ids"] == ["E2QWRUHAPOMQZL"]


def test_a_bad_distribution_arn_names_the_base_output():
    base = EDGE | {"public_http_entry_points_by_scope": {"REGIONAL": [STAGE], "CLOUDFRONT": [STAGE]}}
    with pytest.raises(AnsibleFilterError, match=r"base.public_http_entry_points_by_scope.CLOUDFRONT holds"):
        waf_web_acls(VARS, base)


def test_no_environment_is_named():
    with pytest.raises(AnsibleFilterError, match="waf_environment"):
        waf_web_acls({}, EDGE)


def test_topology_draws_both_acls():
    topology = waf_web_acls(VARS, EDGE)["topology"]
    assert topology["rules"][0] == "origin-verify header" and topology["protects"] == [STAGE]
    assert topology["cloudfront"]["web_acl_name"] == "dev-edge-cloudfront"
    assert topology["cloudfront"]["rules"][0] == "rate limit 2000 per 300 s"
    assert waf_web_acls(VARS, NO_EDGE)["topology"]["cloudfront"] is None


def test_origin_values_are_previous_current_next_without_repeats():
    secret = {"header_name": "x-origin-verify", "previous": "p" * 32, "current": "c" * 32, "next": "n" * 32}
    assert waf_origin_values(json.dumps(secret)) == ["p" * 32, "c" * 32, "n" * 32]
    assert waf_origin_values(secret | {"previous": "c" * 32, "next": ""}) == ["c" * 32]


@pytest.mark.parametrize("text", ["not json", json.dumps({"previous": "p" * 32})])
def test_a_bad_secret_names_the_secret_never_a_value(text):
    with pytest.raises(AnsibleFilterError) as err:
        waf_origin_values(text)
    assert "base.cloudfront.origin_secret_arn" in str(err.value) and "p" * 32 not in str(err.value)
