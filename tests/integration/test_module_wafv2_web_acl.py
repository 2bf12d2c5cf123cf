"""securecloud.monitor.wafv2_web_acl (and _info) against a local cloud of this file's own, through ansible-playbook.

Check mode (creates nothing, no mutating call), create, an identical re-run (changed false, no mutating call,
at most five calls), an update (changed, with the right diff), purge of an undeclared rule, info, absent. The
emulator's request recorder counts the calls; boto3 reads the real state. The tests run in order and share the
cloud.
"""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, run_target
from tools.harness import recorder

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/wafv2_web_acl"
NAME = "it-web-acl"
LOG_GROUP = "aws-waf-logs-it-web-acl"
NO_OP_CALL_BUDGET = 5  # community.aws does 3 without looking at logging or associations


def run(cloud, work_dir, playbook, extra, *flags):
    return run_target(cloud, work_dir, f"{TARGET}/{playbook}", extra, *flags)


def acl(cloud):
    """(WebACL, associations) as AWS has them, or (None, None)."""
    wafv2 = cloud.client("wafv2")
    for summary in wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"]:
        if summary["Name"] == NAME:
            found = wafv2.get_web_acl(Name=NAME, Scope="REGIONAL", Id=summary["Id"])["WebACL"]
            stages = wafv2.list_resources_for_web_acl(WebACLArn=found["ARN"], ResourceType="API_GATEWAY")
            return found, stages["ResourceArns"]
    return None, None


@pytest.fixture(scope="module")
def stage(module_cloud):
    """An API Gateway REST API stage to associate, and the log group to log to."""
    apigw = module_cloud.client("apigateway")
    api = apigw.create_rest_api(name="wafv2-it")["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    apigw.create_deployment(restApiId=api, stageName="prod")
    module_cloud.client("logs").create_log_group(logGroupName=LOG_GROUP)
    return f"arn:aws:apigateway:us-east-1::/restapis/{api}/stages/prod"


def test_check_mode_creates_nothing(module_cloud, work_dir, stage):
    played, result, calls = run(module_cloud, work_dir, "web_acl.yml", {"wafv2_test_associations": [stage]}, "--check")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == []
    assert acl(module_cloud) == (None, None)


def test_create(module_cloud, work_dir, stage):
    played, result, _ = run(module_cloud, work_dir, "web_acl.yml", {"wafv2_test_associations": [stage]}, "--diff")
    ok(played)
    assert result["changed"] is True
    found, associations = acl(module_cloud)
    assert [rule["Name"] for rule in found["Rules"]] == ["rate-limit", "aws-common", "block-admin", "geo-block"]
    assert associations == [stage]
    assert result["web_acl"]["associations"] == [stage]
    assert result["web_acl"]["logging"]["destination"].endswith(f":log-group:{LOG_GROUP}")
    logging = module_cloud.client("wafv2").get_logging_configuration(ResourceArn=found["ARN"])
    assert logging["LoggingConfiguration"]["LogDestinationConfigs"][0].endswith(LOG_GROUP)


def test_same_input_again_changes_nothing_in_few_calls(module_cloud, work_dir, stage):
    played, result, calls = run(module_cloud, work_dir, "web_acl.yml", {"wafv2_test_associations": [stage]}, "--diff")
    ok(played)
    assert result["changed"] is False, result.get("diff")
    assert mutating(calls) == []
    assert len(calls) <= NO_OP_CALL_BUDGET, recorder.summarise(calls)
    print(f"no-op calls: {len(calls)} {recorder.summarise(calls)['by_operation']}")


def test_update_shows_the_right_diff(module_cloud, work_dir, stage):
    extra = {"wafv2_test_associations": [stage], "wafv2_test_rate_limit": 1000}
    played, result, calls = run(module_cloud, work_dir, "web_acl.yml", extra, "--diff")
    ok(played)
    assert result["changed"] is True
    before = {rule["name"]: rule for rule in result["diff"]["before"]["rules"]}
    after = {rule["name"]: rule for rule in result["diff"]["after"]["rules"]}
    assert before["rate-limit"]["rate_based"]["limit"] == 2000
    assert after["rate-limit"]["rate_based"]["limit"] == 1000
    assert {k: v for k, v in before.items() if k != "rate-limit"} == {
        k: v for k, v in after.items() if k != "rate-limit"
    }
    assert mutating(calls) == ["wafv2:UpdateWebACL"]
    found, _ = acl(module_cloud)
    assert found["Rules"][0]["Statement"]["RateBasedStatement"]["Limit"] == 1000


def test_purge_rules_false_keeps_an_undeclared_rule(module_cloud, work_dir, stage):
    extra = {
        "wafv2_test_associations": [stage],
        "wafv2_test_rate_limit": 1000,
        "wafv2_test_extra_rule": False,
        "wafv2_test_purge_rules": False,
    }
    played, result, calls = run(module_cloud, work_dir, "web_acl.yml", extra)
    ok(played)
    assert result["changed"] is False
    assert mutating(calls) == []


def test_purge_removes_an_undeclared_rule(module_cloud, work_dir, stage):
    extra = {"wafv2_test_associations": [stage], "wafv2_test_rate_limit": 1000, "wafv2_test_extra_rule": False}
    played, result, _ = run(module_cloud, work_dir, "web_acl.yml", extra, "--diff")
    ok(played)
    assert result["changed"] is True
    assert "geo-block" in [rule["name"] for rule in result["diff"]["before"]["rules"]]
    assert "geo-block" not in [rule["name"] for rule in result["diff"]["after"]["rules"]]
    found, _ = acl(module_cloud)
    assert [rule["Name"] for rule in found["Rules"]] == ["rate-limit", "aws-common", "block-admin"]


def test_info_returns_the_module_shape(module_cloud, work_dir, stage):
    played, result, calls = run(module_cloud, work_dir, "info.yml", {})
    ok(played)
    (web_acl,) = result["web_acls"]
    assert web_acl["associations"] == [stage]
    assert web_acl["logging"]["enabled"] is True
    assert web_acl["tags"] == {"environment": "it"}
    rules = {rule["name"]: rule for rule in web_acl["rules"]}
    assert rules["rate-limit"]["rate_based"]["limit"] == 1000
    assert rules["aws-common"]["managed_rule_group"]["excluded_rules"] == [
        "NoUserAgent_HEADER",
        "SizeRestrictions_BODY",
    ]
    assert mutating(calls) == []


def test_bad_input_fails_before_any_call(module_cloud, work_dir):
    nlb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/internal/50dc6c495c0c9188"
    played, result, calls = run(module_cloud, work_dir, "web_acl.yml", {"wafv2_test_associations": [nlb]})
    assert played.returncode != 0
    assert "associations[0]" in result["msg"] and "Network Load Balancer" in result["msg"]
    assert calls == []


def test_absent(module_cloud, work_dir, stage):
    played, result, _ = run(module_cloud, work_dir, "web_acl.yml", {"wafv2_test_state": "absent"}, "--check")
    ok(played)
    assert result["changed"] is True
    assert acl(module_cloud)[0] is not None

    played, result, _ = run(module_cloud, work_dir, "web_acl.yml", {"wafv2_test_state": "absent"})
    ok(played)
    assert result["changed"] is True
    assert acl(module_cloud) == (None, None)

    played, result, calls = run(module_cloud, work_dir, "web_acl.yml", {"wafv2_test_state": "absent"})
    ok(played)
    assert result["changed"] is False
    assert mutating(calls) == []
