"""securecloud.monitor.cloudfront_distribution_web_acl against a local cloud of this file's own, through
ansible-playbook: check mode (no mutating call), set, an identical re-run (changed false, one read, no mutating
call), a REGIONAL web ACL refused before any call, removal. Then wafv2_web_acl's origin_verify option: the rule
is in the cloud with the accepted values, which appear nowhere in the run's output (result, --diff, -vvv), and
a re-run (the same values in another order) changes nothing. The tests run in order and share the cloud.
"""

from __future__ import annotations

import json

import pytest

from tests.integration.module_runs import mutating, ok, refused_before_any_call, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/cloudfront_distribution_web_acl"
MASKED = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}
SECRETS = [
    "Prev1ousSecretValue-abcdefghijklmnop",
    "CurrentSecretValue-qrstuvwxyz012345",
    "NextSecretValue-6789ABCDEFGHIJKL",
]


@pytest.fixture(scope="module")
def edge(module_cloud):
    """A distribution, a CLOUDFRONT-scope web ACL and a REGIONAL one."""
    wafv2 = module_cloud.client("wafv2")
    acls = {
        scope: wafv2.create_web_acl(
            Name=f"it-{scope.lower()}", Scope=scope, DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY
        )["Summary"]["ARN"]
        for scope in ("CLOUDFRONT", "REGIONAL")
    }
    origin = {
        "Id": "api",
        "DomainName": "abc.execute-api.us-east-1.amazonaws.com",
        "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
    }
    config = {
        "CallerReference": "it",
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {"TargetOriginId": "api", "ViewerProtocolPolicy": "redirect-to-https", "MinTTL": 0},
        "Comment": "it",
        "Enabled": True,
    }
    distribution = module_cloud.client("cloudfront").create_distribution(DistributionConfig=config)["Distribution"]
    return {"distribution_id": distribution["Id"], **acls}


def web_acl_id(cloud, edge):
    return cloud.client("cloudfront").get_distribution_config(Id=edge["distribution_id"])["DistributionConfig"][
        "WebACLId"
    ]


def run(cloud, work_dir, edge, *flags, **extra):
    variables = {
        "cloudfront_test_distribution_id": edge["distribution_id"],
        "cloudfront_test_web_acl_arn": edge["CLOUDFRONT"],
    } | {f"cloudfront_test_{key}": value for key, value in extra.items()}
    return run_target(cloud, work_dir, f"{TARGET}/set.yml", variables, *flags)


def test_check_mode_reports_the_change_and_writes_nothing(module_cloud, work_dir, edge):
    played, result, calls = run(module_cloud, work_dir, edge, "--check", "--diff")
    ok(played)
    assert result["changed"] is True
    assert result["diff"] == {"before": {"web_acl_id": ""}, "after": {"web_acl_id": edge["CLOUDFRONT"]}}
    assert mutating(calls) == []
    assert web_acl_id(module_cloud, edge) == ""


def test_set(module_cloud, work_dir, edge):
    played, result, calls = run(module_cloud, work_dir, edge)
    ok(played)
    assert (result["changed"], result["web_acl_id"]) == (True, edge["CLOUDFRONT"])
    assert mutating(calls) == ["cloudfront:UpdateDistribution"]
    assert web_acl_id(module_cloud, edge) == edge["CLOUDFRONT"]


def test_again_changes_nothing_with_one_read(module_cloud, work_dir, edge):
    played, result, calls = run(module_cloud, work_dir, edge, "--diff")
    ok(played)
    assert result["changed"] is False
    assert mutating(calls) == []
    assert [f"{c.service}:{c.operation}" for c in calls] == ["cloudfront:GetDistributionConfig"]


def test_a_regional_web_acl_is_refused_before_any_call(module_cloud, work_dir, edge):
    played, result, calls = run(module_cloud, work_dir, edge, web_acl_arn=edge["REGIONAL"])
    refused_before_any_call(played, result, calls, f"web_acl_arn '{edge['REGIONAL']}' is a REGIONAL web ACL")
    assert web_acl_id(module_cloud, edge) == edge["CLOUDFRONT"]


def test_absent_removes_it(module_cloud, work_dir, edge):
    played, result, _ = run(module_cloud, work_dir, edge, state="absent")
    ok(played)
    assert result["changed"] is True
    assert web_acl_id(module_cloud, edge) == ""


def origin_verify(cloud, work_dir, values, *flags):
    return run_target(cloud, work_dir, f"{TARGET}/origin_verify.yml", {"origin_verify_test_values": values}, *flags)


def printed(played):
    return json.dumps(played.output) + played.stderr


def test_origin_verify_rule_is_made_and_its_values_are_never_shown(module_cloud, work_dir):
    played, result, _ = origin_verify(module_cloud, work_dir, SECRETS, "--diff", "-vvv")
    ok(played)
    assert result["changed"] is True
    for secret in SECRETS:
        assert secret not in printed(played)
    # Ansible's own masking of no_log option values, in the result and in the diff
    assert MASKED in json.dumps(result["diff"]["after"]) and MASKED in json.dumps(result["web_acl"])
    wafv2 = module_cloud.client("wafv2")
    summary = next(s for s in wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"] if s["Name"] == "it-origin-verify")
    rules = wafv2.get_web_acl(Name=summary["Name"], Scope="REGIONAL", Id=summary["Id"])["WebACL"]["Rules"]
    rule = next(rule for rule in rules if rule["Name"] == "origin-verify")
    assert (rule["Priority"], rule["Action"]) == (3, {"Block": {}})
    matches = rule["Statement"]["NotStatement"]["Statement"]["OrStatement"]["Statements"]
    assert sorted(m["ByteMatchStatement"]["SearchString"].decode() for m in matches) == sorted(SECRETS)
    assert {m["ByteMatchStatement"]["FieldToMatch"]["SingleHeader"]["Name"] for m in matches} == {"x-origin-verify"}


def test_origin_verify_again_in_another_order_changes_nothing(module_cloud, work_dir):
    played, result, calls = origin_verify(module_cloud, work_dir, list(reversed(SECRETS)), "--diff")
    ok(played)
    assert result["changed"] is False, result.get("diff")
    assert mutating(calls) == []


def test_origin_verify_rotation_changes_the_rule_without_showing_values(module_cloud, work_dir):
    rotated = [*SECRETS[1:], "FollowingSecretValue-MNOPQRSTUVWX1234"]
    played, result, _ = origin_verify(module_cloud, work_dir, rotated, "--diff", "-v")
    ok(played)
    assert result["changed"] is True
    for secret in rotated:
        assert secret not in printed(played)
