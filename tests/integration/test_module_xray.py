"""The X-Ray modules against a local cloud of this file's own, through ansible-playbook.

For each module: bad input (fails before any call), check mode (changes nothing, no mutating call), create, an
identical re-run (changed false, no mutating call), an update (changed, with the right diff), purge within the scope,
absent. The emulator's request recorder counts the calls; boto3 reads the real state. The tests run in order and
share the cloud.
"""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/xray"


def run(cloud, work_dir, playbook, extra, *flags):
    return run_target(cloud, work_dir, f"{TARGET}/{playbook}", extra, *flags)


# ---------------------------------------------------------------- xray_sampling_rule


def rule(name, priority, fixed_rate, reservoir_size, **options):
    return dict(options, name=name, priority=priority, fixed_rate=fixed_rate, reservoir_size=reservoir_size)


RULES = [
    rule("app-health", 10, 0.0, 0, url_path="/health*"),
    rule(
        "app-pay",
        20,
        0.5,
        5,
        service_name="payments",
        http_method="POST",
        attributes={"tier": "gold"},
        tags={"Team": "pay"},
    ),
]
RULE_VARS = {
    "xray_test_rules": RULES,
    "xray_test_prefix": "app-",
    "xray_test_default_rule": {"fixed_rate": 0.1},
}


def rules_by_name(cloud):
    records = cloud.client("xray").get_sampling_rules()["SamplingRuleRecords"]
    return dict((r["SamplingRule"]["RuleName"], r["SamplingRule"]) for r in records)


def test_sampling_rule_bad_input_makes_no_call(module_cloud, tmp_path):
    extra = {"xray_test_rules": [rule("app-a", 1, 1.5, 0), rule("app-b", 1, 0.1, 0)]}
    played, result, calls = run(module_cloud, tmp_path, "sampling_rule.yml", extra)
    assert played.returncode != 0
    assert "rules[0].fixed_rate is 1.5" in result["msg"] and "rules[1].priority 1 is also rules[0]" in result["msg"]
    assert calls == []


def test_sampling_rule_check_mode_creates_nothing(module_cloud, tmp_path):
    # A rule outside the scope, made by someone else: never touched.
    other = dict(
        RuleName="other-rule",
        Priority=500,
        FixedRate=0.2,
        ReservoirSize=1,
        ServiceName="*",
        ServiceType="*",
        Host="*",
        HTTPMethod="*",
        URLPath="*",
        ResourceARN="*",
        Version=1,
    )
    module_cloud.client("xray").create_sampling_rule(SamplingRule=other)
    before = rules_by_name(module_cloud)
    played, result, calls = run(module_cloud, tmp_path, "sampling_rule.yml", RULE_VARS, "--check")
    ok(played)
    assert result["changed"] is True
    assert [(r["name"], r["arn"]) for r in result["rules"]] == [("app-health", None), ("app-pay", None)]
    assert result["default_rule"]["fixed_rate"] == 0.1
    assert mutating(calls) == []
    assert rules_by_name(module_cloud) == before
    assert set(before) == {"Default", "other-rule"}


def test_sampling_rule_create(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, "sampling_rule.yml", RULE_VARS)
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["xray:CreateSamplingRule", "xray:CreateSamplingRule", "xray:UpdateSamplingRule"]
    found = rules_by_name(module_cloud)
    assert set(found) == {"Default", "other-rule", "app-health", "app-pay"}
    pay = found["app-pay"]
    assert (pay["Priority"], pay["FixedRate"], pay["ReservoirSize"], pay["Version"]) == (20, 0.5, 5, 1)
    assert (pay["ServiceName"], pay["HTTPMethod"], pay["Host"], pay["Attributes"]) == (
        "payments",
        "POST",
        "*",
        {"tier": "gold"},
    )
    assert found["app-health"]["URLPath"] == "/health*"
    assert found["Default"]["FixedRate"] == 0.1
    returned = dict((r["name"], r) for r in result["rules"])
    assert returned["app-pay"]["arn"] == pay["RuleARN"] and returned["app-pay"]["tags"] == {"Team": "pay"}
    tags = module_cloud.client("xray").list_tags_for_resource(ResourceARN=pay["RuleARN"])["Tags"]
    assert tags == [{"Key": "Team", "Value": "pay"}]


def test_sampling_rule_rerun_changes_nothing(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, "sampling_rule.yml", RULE_VARS)
    ok(played)
    assert result["changed"] is False
    assert mutating(calls) == []


def test_sampling_rule_update_with_diff(module_cloud, tmp_path):
    health, pay = (dict(r) for r in RULES)
    pay.update(fixed_rate=0.25, attributes={}, tags={"Team": "payments"})
    extra = dict(RULE_VARS, xray_test_rules=[health, pay])
    played, result, calls = run(module_cloud, tmp_path, "sampling_rule.yml", extra, "--diff")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["xray:UpdateSamplingRule", "xray:TagResource"]
    before = dict((r["name"], r) for r in result["diff"]["before"]["rules"])
    after = dict((r["name"], r) for r in result["diff"]["after"]["rules"])
    assert before["app-health"] == after["app-health"]
    assert (before["app-pay"]["fixed_rate"], after["app-pay"]["fixed_rate"]) == (0.5, 0.25)
    assert before["app-pay"]["attributes"] == {"tier": "gold"} and "attributes" not in after["app-pay"]
    assert (before["app-pay"]["tags"], after["app-pay"]["tags"]) == ({"Team": "pay"}, {"Team": "payments"})
    found = rules_by_name(module_cloud)["app-pay"]
    assert found["FixedRate"] == 0.25 and not found.get("Attributes")
    played, result, calls = run(module_cloud, tmp_path, "sampling_rule.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_sampling_rule_purge_stays_in_scope(module_cloud, tmp_path):
    extra = dict(RULE_VARS, xray_test_rules=[RULES[0]], xray_test_purge=True)
    played, result, calls = run(module_cloud, tmp_path, "sampling_rule.yml", extra)
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["xray:DeleteSamplingRule"]
    assert set(rules_by_name(module_cloud)) == {"Default", "other-rule", "app-health"}
    assert [r["name"] for r in result["rules"]] == ["app-health"]


def test_sampling_rule_absent_removes_the_scope_only(module_cloud, tmp_path):
    extra = {"xray_test_rules": [], "xray_test_prefix": "app-", "xray_test_purge": True}
    played, result, calls = run(module_cloud, tmp_path, "sampling_rule.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["xray:DeleteSamplingRule"])
    assert set(rules_by_name(module_cloud)) == {"Default", "other-rule"}
    played, result, calls = run(module_cloud, tmp_path, "sampling_rule.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
    assert result["rules"] == [] and result["default_rule"]["fixed_rate"] == 0.1


def test_sampling_rule_purge_of_all_custom_rules_keeps_default(module_cloud, tmp_path):
    extra = {"xray_test_rules": [], "xray_test_prefix": "", "xray_test_purge": True}
    played, result, calls = run(module_cloud, tmp_path, "sampling_rule.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["xray:DeleteSamplingRule"])
    assert set(rules_by_name(module_cloud)) == {"Default"}


# ---------------------------------------------------------------- xray_group


def group(name, expression, **options):
    return dict(options, name=name, filter_expression=expression)


GROUPS = [
    group(
        "app-faults",
        'service("api") { fault }',
        insights_enabled=True,
        notifications_enabled=True,
        tags={"Team": "api"},
    ),
    group("app-slow", "responsetime > 5"),
]


@pytest.fixture(scope="module")
def kms_key(module_cloud):
    kms = module_cloud.client("kms")
    keys = [kms.create_key(Description=f"xray test {index}")["KeyMetadata"]["Arn"] for index in range(2)]
    kms.create_alias(AliasName="alias/xray-traces", TargetKeyId=keys[0])
    return {"arns": keys, "alias": "alias/xray-traces"}


def group_vars(kms_key, groups=GROUPS, key=None, **extra):
    result = {
        "xray_test_groups": groups,
        "xray_test_prefix": "app-",
        "xray_test_encryption": {"type": "KMS", "key_id": key or kms_key["alias"]},
    }
    result.update(extra)
    return result


def groups_by_name(cloud):
    return dict((g["GroupName"], g) for g in cloud.client("xray").get_groups()["Groups"])


def test_group_bad_input_makes_no_call(module_cloud, tmp_path):
    extra = {
        "xray_test_groups": [group("app-a", ""), group("app-b", "fault = true", notifications_enabled=True)],
        "xray_test_encryption": {"type": "KMS", "key_id": "xray-traces"},
    }
    played, result, calls = run(module_cloud, tmp_path, "group.yml", extra)
    assert played.returncode != 0
    for part in (
        "groups[0].filter_expression is empty",
        "groups[1].notifications_enabled is true",
        "encryption.key_id 'xray-traces' is not a KMS key",
    ):
        assert part in result["msg"]
    assert calls == []


def test_group_check_mode_creates_nothing(module_cloud, tmp_path, kms_key):
    module_cloud.client("xray").create_group(GroupName="other-group", FilterExpression="error = true")
    before = groups_by_name(module_cloud)
    encryption = module_cloud.client("xray").get_encryption_config()["EncryptionConfig"]
    played, result, calls = run(module_cloud, tmp_path, "group.yml", group_vars(kms_key), "--check")
    ok(played)
    assert result["changed"] is True
    assert [(g["name"], g["arn"]) for g in result["groups"]] == [("app-faults", None), ("app-slow", None)]
    assert result["encryption"]["key_id"] == kms_key["arns"][0]
    assert mutating(calls) == []
    assert groups_by_name(module_cloud) == before
    assert module_cloud.client("xray").get_encryption_config()["EncryptionConfig"] == encryption


def test_group_create_and_encrypt(module_cloud, tmp_path, kms_key):
    played, result, calls = run(module_cloud, tmp_path, "group.yml", group_vars(kms_key))
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["xray:CreateGroup", "xray:CreateGroup", "xray:PutEncryptionConfig"]
    found = groups_by_name(module_cloud)
    assert {"app-faults", "app-slow", "other-group"} <= set(found)
    faults = found["app-faults"]
    assert faults["FilterExpression"] == 'service("api") { fault }'
    assert faults["InsightsConfiguration"] == {"InsightsEnabled": True, "NotificationsEnabled": True}
    assert result["groups"][0]["arn"] == faults["GroupARN"] and result["groups"][0]["tags"] == {"Team": "api"}
    config = module_cloud.client("xray").get_encryption_config()["EncryptionConfig"]
    assert (config["Type"], config["KeyId"]) == ("KMS", kms_key["arns"][0])


@pytest.mark.parametrize("key_form", ["alias", "arn", "id"])
def test_group_rerun_changes_nothing_whatever_the_key_form(module_cloud, tmp_path, kms_key, key_form):
    arn = kms_key["arns"][0]
    key = {"alias": kms_key["alias"], "arn": arn, "id": arn.rsplit("/", 1)[1]}[key_form]
    played, result, calls = run(module_cloud, tmp_path, "group.yml", group_vars(kms_key, key=key))
    ok(played)
    assert result["changed"] is False
    assert mutating(calls) == []
    assert result["encryption"]["key_id"] == arn


def test_group_update_with_diff(module_cloud, tmp_path, kms_key):
    faults, slow = (dict(g) for g in GROUPS)
    faults.update(notifications_enabled=False, tags={})
    slow["filter_expression"] = "responsetime > 3"
    extra = group_vars(kms_key, [faults, slow], key=kms_key["arns"][1])
    played, result, calls = run(module_cloud, tmp_path, "group.yml", extra, "--diff")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == [
        "xray:UpdateGroup",
        "xray:UntagResource",
        "xray:UpdateGroup",
        "xray:PutEncryptionConfig",
    ]
    before = dict((g["name"], g) for g in result["diff"]["before"]["groups"])
    after = dict((g["name"], g) for g in result["diff"]["after"]["groups"])
    assert (before["app-faults"]["notifications_enabled"], after["app-faults"]["notifications_enabled"]) == (
        True,
        False,
    )
    assert before["app-faults"]["tags"] == {"Team": "api"} and "tags" not in after["app-faults"]
    assert after["app-slow"]["filter_expression"] == "responsetime > 3"
    assert result["diff"]["before"]["encryption"] == {"type": "KMS", "key_id": kms_key["arns"][0]}
    assert result["diff"]["after"]["encryption"] == {"type": "KMS", "key_id": kms_key["arns"][1]}
    found = groups_by_name(module_cloud)
    assert found["app-slow"]["FilterExpression"] == "responsetime > 3"
    played, result, calls = run(module_cloud, tmp_path, "group.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_group_purge_stays_in_scope_and_default_encryption(module_cloud, tmp_path, kms_key):
    extra = group_vars(kms_key, [GROUPS[1]], xray_test_purge=True)
    extra["xray_test_encryption"] = {"type": "NONE"}
    played, result, calls = run(module_cloud, tmp_path, "group.yml", extra)
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["xray:DeleteGroup", "xray:UpdateGroup", "xray:PutEncryptionConfig"]
    found = groups_by_name(module_cloud)
    assert "app-faults" not in found and {"app-slow", "other-group"} <= set(found)
    assert result["encryption"]["type"] == "NONE" and result["encryption"]["key_id"] is None
    assert module_cloud.client("xray").get_encryption_config()["EncryptionConfig"]["Type"] == "NONE"


def test_group_absent_removes_the_scope_only(module_cloud, tmp_path):
    extra = {"xray_test_groups": [], "xray_test_prefix": "app-", "xray_test_purge": True}
    played, result, calls = run(module_cloud, tmp_path, "group.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["xray:DeleteGroup"])
    found = groups_by_name(module_cloud)
    assert not any(name.startswith("app-") for name in found) and "other-group" in found
    assert "encryption" not in result  # not set: left alone and not read
    played, result, calls = run(module_cloud, tmp_path, "group.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


# ---------------------------------------------------------------- owner_tag: other owners' names in the scope

PROD = {"securecloud:environment": "prod"}
OWNER = {"key": "securecloud:environment", "value": "prod"}
# A rule made by hand: every request matches (wildcards), 10 % sampled.
WILDCARDS = ("ResourceARN", "ServiceName", "ServiceType", "Host", "HTTPMethod", "URLPath")
RULE_DEFAULTS = dict(dict.fromkeys(WILDCARDS, "*"), FixedRate=0.1, ReservoirSize=1, Version=1)


def test_owner_tag_leaves_other_owners_groups_and_rules_in_the_scope(module_cloud, tmp_path):
    """Environment prod's scope prod- also holds environment prod-eu's groups and rules (same account and region) and
    one made by hand: with owner_tag, purge and state=absent delete only prod's. Without it they would go too."""
    xray = module_cloud.client("xray")
    for name, tags in (("prod-old", PROD), ("prod-eu-a", {"securecloud:environment": "prod-eu"}), ("prod-x", {})):
        tag_list = [{"Key": k, "Value": v} for k, v in tags.items()]
        xray.create_group(GroupName=name, FilterExpression="fault = true", Tags=tag_list)
        made = dict(RULE_DEFAULTS, RuleName=name, Priority=9000 + len(name))
        xray.create_sampling_rule(SamplingRule=made, Tags=tag_list)
    runs = {
        "group.yml": {"xray_test_groups": [{"name": "prod-a", "filter_expression": "fault = true", "tags": PROD}]},
        "sampling_rule.yml": {"xray_test_rules": [rule("prod-a", 8000, 0.1, 1, tags=PROD)]},
    }
    for playbook, declared in runs.items():
        extra = dict(declared, xray_test_prefix="prod-", xray_test_purge=True, xray_test_owner_tag=OWNER)
        played, result, calls = run(module_cloud, tmp_path, playbook, extra)
        ok(played)
        assert result["kept_foreign"] == ["prod-eu-a", "prod-x"]
        assert [c for c in mutating(calls) if c.startswith("xray:Delete")] == [
            "xray:DeleteGroup" if playbook == "group.yml" else "xray:DeleteSamplingRule"
        ]
        played, result, calls = run(module_cloud, tmp_path, playbook, extra)
        ok(played)
        assert (result["changed"], mutating(calls)) == (False, [])
        played, result, calls = run(module_cloud, tmp_path, playbook, dict(extra, xray_test_state="absent"))
        ok(played)
        assert len(mutating(calls)) == 1 and result["kept_foreign"] == ["prod-eu-a", "prod-x"]
    assert {"prod-eu-a", "prod-x"} <= set(groups_by_name(module_cloud)) and "prod-a" not in groups_by_name(module_cloud)
    rules = rules_by_name(module_cloud)
    assert {"prod-eu-a", "prod-x"} <= set(rules) and not {"prod-a", "prod-old"} & set(rules)
