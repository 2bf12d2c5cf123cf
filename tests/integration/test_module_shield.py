"""The Shield Advanced modules against a local cloud of this file's own, through ansible-playbook.

For each module: check mode (changes nothing, no mutating call), create, an identical re-run (changed false,
no mutating call), an update (changed, with the right diff), purge, absent. The emulator's request recorder
counts the calls; boto3 reads the real state. The tests run in order and share the cloud.
"""

from __future__ import annotations

import json

import pytest

from tests.integration.module_runs import mutating, ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/shield"
PHONE = "+15555550100"
CONTACT = {"email_address": "secops@example.com", "phone_number": PHONE, "contact_notes": "Security operations"}
DRT_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "drt.shield.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def run(cloud, work_dir, playbook, extra, *flags):
    return run_target(cloud, work_dir, f"{TARGET}/{playbook}", extra, *flags)


@pytest.fixture(scope="module")
def resources(module_cloud):
    """Protectable and supporting resources: Elastic IPs, a hosted zone, health checks, the SRT role, buckets."""
    ec2 = module_cloud.client("ec2")
    route53 = module_cloud.client("route53")
    eips = [
        f"arn:aws:ec2:us-east-1:123456789012:eip-allocation/{ec2.allocate_address(Domain='vpc')['AllocationId']}"
        for _ in range(3)
    ]
    zone_id = route53.create_hosted_zone(Name="shield-test.example.com", CallerReference="shield-test")["HostedZone"]
    checks = [
        route53.create_health_check(
            CallerReference=f"shield-{index}",
            HealthCheckConfig={"Type": "HTTPS", "FullyQualifiedDomainName": "www.example.com", "Port": 443},
        )["HealthCheck"]["Id"]
        for index in range(2)
    ]
    iam = module_cloud.client("iam")
    role = iam.create_role(RoleName="shield-srt", AssumeRolePolicyDocument=json.dumps(DRT_TRUST))["Role"]["Arn"]
    s3 = module_cloud.client("s3")
    for bucket in ("shield-logs-a", "shield-logs-b"):
        s3.create_bucket(Bucket=bucket)
    return {
        "eips": eips,
        "zone": f"arn:aws:route53:::{zone_id['Id'].lstrip('/')}",
        "health_checks": [f"arn:aws:route53:::healthcheck/{check}" for check in checks],
        "role": role,
    }


# ---------------------------------------------------------------- shield_settings (subscribes the account)


def test_settings_refuse_to_subscribe_without_the_commitment(module_cloud, tmp_path):
    for flags in ((), ("--check",)):
        played, result, calls = run(module_cloud, tmp_path, "settings.yml", {}, *flags)
        assert played.returncode != 0
        assert "USD 3,000 a month" in result["msg"] and "accept_subscription_commitment" in result["msg"]
        assert mutating(calls) == []
    assert module_cloud.client("shield").get_subscription_state()["SubscriptionState"] == "INACTIVE"


# auto_renew is left out: the local cloud has no UpdateSubscription (the unit tests cover it).
SETTINGS = {
    "shield_test_accept_subscription_commitment": True,
    "shield_test_drt_log_buckets": ["shield-logs-a", "shield-logs-b"],
    "shield_test_emergency_contacts": [CONTACT],
    "shield_test_proactive_engagement": True,
}


def test_settings_check_mode_subscribes_nothing(module_cloud, tmp_path, resources):
    extra = dict(SETTINGS, shield_test_drt_role_arn=resources["role"])
    played, result, calls = run(module_cloud, tmp_path, "settings.yml", extra, "--check")
    ok(played)
    assert result["changed"] is True
    assert result["subscription_state"] == "ACTIVE"
    assert mutating(calls) == []
    assert module_cloud.client("shield").get_subscription_state()["SubscriptionState"] == "INACTIVE"


def test_settings_subscribe_and_configure(module_cloud, tmp_path, resources):
    extra = dict(SETTINGS, shield_test_drt_role_arn=resources["role"])
    played, result, calls = run(module_cloud, tmp_path, "settings.yml", extra)
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == [
        "shield:CreateSubscription",
        "shield:AssociateDRTRole",
        "shield:AssociateDRTLogBucket",
        "shield:AssociateDRTLogBucket",
        "shield:AssociateProactiveEngagementDetails",
    ]
    shield = module_cloud.client("shield")
    subscription = shield.describe_subscription()["Subscription"]
    assert subscription["ProactiveEngagementStatus"] == "ENABLED"
    drt = shield.describe_drt_access()
    assert (drt["RoleArn"], sorted(drt["LogBucketList"])) == (resources["role"], ["shield-logs-a", "shield-logs-b"])
    assert shield.describe_emergency_contact_settings()["EmergencyContactList"] == [
        {"EmailAddress": CONTACT["email_address"], "PhoneNumber": PHONE, "ContactNotes": CONTACT["contact_notes"]}
    ]
    assert result["drt_access"]["role_arn"] == resources["role"]
    assert result["emergency_contacts"] == [CONTACT]


def test_settings_rerun_changes_nothing(module_cloud, tmp_path, resources):
    extra = dict(SETTINGS, shield_test_drt_role_arn=resources["role"])
    played, result, calls = run(module_cloud, tmp_path, "settings.yml", extra)
    ok(played)
    assert result["changed"] is False
    assert mutating(calls) == []


def test_settings_update_shows_a_diff_without_phone_numbers(module_cloud, tmp_path, resources):
    second = {"email_address": "oncall@example.com", "phone_number": "+15555550199"}
    extra = dict(
        SETTINGS,
        shield_test_drt_role_arn=resources["role"],
        shield_test_drt_log_buckets=["shield-logs-a"],
        shield_test_emergency_contacts=[CONTACT, second],
    )
    played, result, calls = run(module_cloud, tmp_path, "settings.yml", extra, "--diff")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["shield:DisassociateDRTLogBucket", "shield:UpdateEmergencyContactSettings"]
    diff = result["diff"]
    assert diff["before"]["drt_log_buckets"] == ["shield-logs-a", "shield-logs-b"]
    assert diff["after"]["drt_log_buckets"] == ["shield-logs-a"]
    assert [c["email_address"] for c in diff["after"]["emergency_contacts"]] == [
        "oncall@example.com",
        "secops@example.com",
    ]
    assert PHONE not in json.dumps(diff) and "+15555550199" not in json.dumps(diff)


def test_settings_remove_srt_access_and_proactive_engagement(module_cloud, tmp_path):
    extra = {
        "shield_test_drt_role_arn": "",
        "shield_test_drt_log_buckets": [],
        "shield_test_proactive_engagement": False,
    }
    played, result, calls = run(module_cloud, tmp_path, "settings.yml", extra)
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == [
        "shield:DisassociateDRTLogBucket",
        "shield:DisassociateDRTRole",
        "shield:DisableProactiveEngagement",
    ]
    assert result["drt_access"] == {"role_arn": None, "log_bucket_list": []}
    assert result["proactive_engagement_status"] == "DISABLED"
    played, result, calls = run(module_cloud, tmp_path, "settings.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


# ---------------------------------------------------------------- shield_protection


def declared(resources, checks=None, tags=None):
    """web-eip-0 (with the first ``checks`` health checks, when given) and web-zone."""
    eip = {"name": "web-eip-0", "resource_arn": resources["eips"][0]}
    if checks is not None:
        eip["health_check_arns"] = resources["health_checks"][:checks]
    if tags is not None:
        eip["tags"] = tags
    zone = {"name": "web-zone", "resource_arn": resources["zone"]}
    return [eip, zone]


def protections_by_name(cloud):
    found = cloud.client("shield").list_protections()["Protections"]
    return dict((p["Name"], p) for p in found)


def test_protection_rejects_a_network_load_balancer_before_any_call(module_cloud, tmp_path):
    nlb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/edge/50dc6c495c0c9188"
    extra = {"shield_test_protections": [{"name": "web-nlb", "resource_arn": nlb}]}
    played, result, calls = run(module_cloud, tmp_path, "protection.yml", extra)
    assert played.returncode != 0
    assert "protections[0].resource_arn" in result["msg"] and "Network Load Balancer" in result["msg"]
    assert calls == []


def test_protection_check_mode_creates_nothing(module_cloud, tmp_path, resources):
    # A protection outside the scope, made by someone else: never touched.
    module_cloud.client("shield").create_protection(Name="other-eip", ResourceArn=resources["eips"][2])
    extra = {
        "shield_test_protections": declared(resources, 1, {"team": "web"}),
        "shield_test_prefix": "web-",
    }
    played, result, calls = run(module_cloud, tmp_path, "protection.yml", extra, "--check")
    ok(played)
    assert result["changed"] is True
    assert [p["id"] for p in result["protections"]] == [None, None]
    assert mutating(calls) == []
    assert set(protections_by_name(module_cloud)) == {"other-eip"}


def test_protection_create(module_cloud, tmp_path, resources):
    extra = {
        "shield_test_protections": declared(resources, 1, {"team": "web"}),
        "shield_test_prefix": "web-",
    }
    played, result, calls = run(module_cloud, tmp_path, "protection.yml", extra)
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["shield:CreateProtection", "shield:AssociateHealthCheck", "shield:CreateProtection"]
    found = protections_by_name(module_cloud)
    assert set(found) == {"other-eip", "web-eip-0", "web-zone"}
    assert found["web-eip-0"]["HealthCheckIds"] == [resources["health_checks"][0].rsplit("/", 1)[1]]
    eip = next(p for p in result["protections"] if p["name"] == "web-eip-0")
    assert eip["id"] == found["web-eip-0"]["Id"] and eip["tags"] == {"team": "web"}
    assert eip["protection_arn"] == found["web-eip-0"]["ProtectionArn"]


def test_protection_rerun_changes_nothing_even_from_another_region(module_cloud, tmp_path, resources):
    extra = {
        "shield_test_protections": declared(resources, 1, {"team": "web"}),
        "shield_test_prefix": "web-",
        "securecloud_aws_region": "eu-west-1",  # Shield is global: the module calls us-east-1 anyway
    }
    played, result, calls = run(module_cloud, tmp_path, "protection.yml", extra)
    ok(played)
    assert result["changed"] is False
    assert mutating(calls) == []


def test_protection_update_with_diff(module_cloud, tmp_path, resources):
    eip, zone = declared(resources, 0, {"team": "edge"})
    eip["health_check_arns"] = [resources["health_checks"][1]]
    extra = {"shield_test_protections": [eip, zone], "shield_test_prefix": "web-"}
    played, result, calls = run(module_cloud, tmp_path, "protection.yml", extra, "--diff")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == [
        "shield:DisassociateHealthCheck",
        "shield:AssociateHealthCheck",
        "shield:TagResource",
    ]
    before = result["diff"]["before"]["protections"][0]
    after = result["diff"]["after"]["protections"][0]
    assert before["name"] == after["name"] == "web-eip-0"
    assert (before["health_check_arns"], after["health_check_arns"]) == (
        [resources["health_checks"][0]],
        [resources["health_checks"][1]],
    )
    assert (before["tags"], after["tags"]) == ({"team": "web"}, {"team": "edge"})
    assert result["diff"]["before"]["protections"][1] == result["diff"]["after"]["protections"][1]


def test_protection_purge_stays_in_scope(module_cloud, tmp_path, resources):
    eip, _zone = declared(resources)
    extra = {"shield_test_protections": [eip], "shield_test_prefix": "web-", "shield_test_purge": True}
    played, result, calls = run(module_cloud, tmp_path, "protection.yml", extra)
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["shield:DeleteProtection"]
    assert set(protections_by_name(module_cloud)) == {"other-eip", "web-eip-0"}
    assert [p["name"] for p in result["protections"]] == ["web-eip-0"]


def test_protection_absent_removes_the_scope_only(module_cloud, tmp_path):
    extra = {"shield_test_protections": [], "shield_test_prefix": "web-", "shield_test_purge": True}
    played, result, calls = run(module_cloud, tmp_path, "protection.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["shield:DeleteProtection"])
    assert set(protections_by_name(module_cloud)) == {"other-eip"}
    played, result, calls = run(module_cloud, tmp_path, "protection.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


# ---------------------------------------------------------------- shield_protection_group


def group_vars(resources, members, aggregation="SUM", tags=None):
    extra = {
        "shield_test_group_id": "web-eips",
        "shield_test_aggregation": aggregation,
        "shield_test_pattern": "ARBITRARY",
        "shield_test_members": members,
    }
    if tags is not None:
        extra["shield_test_tags"] = tags
    return extra


def test_group_check_create_rerun_update_absent(module_cloud, tmp_path, resources):
    shield = module_cloud.client("shield")
    eips = resources["eips"]
    for index, eip in enumerate(eips[:2]):
        shield.create_protection(Name=f"grp-eip-{index}", ResourceArn=eip)
    extra = group_vars(resources, [eips[1], eips[0]], tags={"team": "web"})

    played, result, calls = run(module_cloud, tmp_path, "protection_group.yml", extra, "--check")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    assert shield.list_protection_groups()["ProtectionGroups"] == []

    played, result, calls = run(module_cloud, tmp_path, "protection_group.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["shield:CreateProtectionGroup"])
    group = result["protection_group"]
    assert group["members"] == sorted(eips[:2]) and group["tags"] == {"team": "web"}
    assert (
        group["arn"]
        == shield.describe_protection_group(ProtectionGroupId="web-eips")["ProtectionGroup"]["ProtectionGroupArn"]
    )

    played, result, calls = run(module_cloud, tmp_path, "protection_group.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])

    extra = group_vars(resources, [eips[0]], aggregation="MAX", tags={"team": "web"})
    played, result, calls = run(module_cloud, tmp_path, "protection_group.yml", extra, "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["shield:UpdateProtectionGroup"])
    assert result["diff"]["before"]["aggregation"] == "SUM" and result["diff"]["after"]["aggregation"] == "MAX"
    assert result["diff"]["after"]["members"] == [eips[0]]
    described = shield.describe_protection_group(ProtectionGroupId="web-eips")["ProtectionGroup"]
    assert (described["Aggregation"], described["Members"]) == ("MAX", [eips[0]])

    absent = {"shield_test_group_id": "web-eips", "shield_test_state": "absent"}
    played, result, calls = run(module_cloud, tmp_path, "protection_group.yml", absent)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["shield:DeleteProtectionGroup"])
    played, result, calls = run(module_cloud, tmp_path, "protection_group.yml", absent)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
