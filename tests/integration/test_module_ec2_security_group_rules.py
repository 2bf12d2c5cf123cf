"""ec2_security_group_rules against a local cloud of this file's own: bad input, check mode with its diff, revoking
the rules that are not listed (one call per group and direction), an identical re-run with no mutating call, and a
listed rule that is gone."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, refused_before_any_call, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/ec2_security_group_rules/rules.yml"
WORLD_5432 = {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


def run(cloud, work_dir, groups, *flags):
    return run_target(cloud, work_dir, TARGET, {"sgr_test_groups": groups}, *flags)


def rule_ids(cloud, group_id):
    rules = cloud.client("ec2").describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])
    return sorted(rule["SecurityGroupRuleId"] for rule in rules["SecurityGroupRules"])


@pytest.fixture
def groups(module_cloud):
    """A database group with its intended rule (5432 from the app group), and two that are not intended: 5432 from
    the world, and the allow-all egress EC2 gives every new group."""
    ec2 = module_cloud.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    app = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    db = ec2.create_security_group(GroupName="db", Description="db", VpcId=vpc)["GroupId"]
    from_app = {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": app}]}
    [intended] = ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[from_app])["SecurityGroupRules"]
    [world] = ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[WORLD_5432])["SecurityGroupRules"]
    yield {"db": db, "app": app, "intended": intended["SecurityGroupRuleId"], "world": world["SecurityGroupRuleId"]}
    for group in (db, app):
        ec2.delete_security_group(GroupId=group)
    ec2.delete_vpc(VpcId=vpc)


@pytest.mark.parametrize(
    ("groups_input", "field"),
    [
        ({"sg-xyz": []}, "security_groups['sg-xyz']: 'sg-xyz' is not a security group ID"),
        ({"sg-0123456789abcdef0": "sgr-0123456789abcdef0"}, "give a list of security group rule IDs"),
        ({"sg-0123456789abcdef0": ["rule-1"]}, "security_groups['sg-0123456789abcdef0'][0]: 'rule-1'"),
    ],
    ids=["group id", "rules not a list", "rule id"],
)
def test_bad_input_fails_before_any_call(module_cloud, tmp_path, groups_input, field):
    played, result, calls = run(module_cloud, tmp_path, groups_input)
    refused_before_any_call(played, result, calls, field)


def test_check_mode_reports_the_rules_it_would_revoke(module_cloud, tmp_path, groups):
    before = rule_ids(module_cloud, groups["db"])
    played, result, calls = run(module_cloud, tmp_path, {groups["db"]: [groups["intended"]]}, "--check", "--diff")
    ok(played)
    assert result["changed"] is True and mutating(calls) == []
    revoked = {rule["security_group_rule_id"]: rule for rule in result["revoked"]}
    assert groups["world"] in revoked and groups["intended"] not in revoked
    assert revoked[groups["world"]]["rule"] == f"{groups['world']} ingress tcp 5432 from 0.0.0.0/0"
    assert [rule["direction"] for rule in revoked.values()].count("egress") == 1  # EC2's default allow-all
    diff_before, diff_after = result["diff"]["before"][groups["db"]], result["diff"]["after"][groups["db"]]
    assert revoked[groups["world"]]["rule"] in diff_before and diff_after == [
        f"{groups['intended']} ingress tcp 5432 from {groups['app']}"
    ]
    assert rule_ids(module_cloud, groups["db"]) == before


def test_revokes_what_is_not_listed_then_changes_nothing(module_cloud, tmp_path, groups):
    wanted = {groups["db"]: [groups["intended"]]}
    played, result, calls = run(module_cloud, tmp_path, wanted)
    ok(played)
    assert result["changed"] is True
    assert sorted(mutating(calls)) == ["ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress"]
    assert rule_ids(module_cloud, groups["db"]) == [groups["intended"]]

    played, result, calls = run(module_cloud, tmp_path, wanted)
    ok(played)
    assert (result["changed"], result["revoked"], mutating(calls)) == (False, [], [])
    assert [f"{c.service}:{c.operation}" for c in calls] == ["ec2:DescribeSecurityGroupRules"]


def test_a_listed_rule_that_is_gone_is_reported_not_an_error(module_cloud, tmp_path, groups):
    gone = "sgr-0123456789abcdef0"
    keep = [groups["intended"], groups["world"], gone]
    egress = [r for r in rule_ids(module_cloud, groups["db"]) if r not in keep]
    played, result, _ = run(module_cloud, tmp_path, {groups["db"]: keep + egress, groups["app"]: []})
    ok(played)
    assert result["missing"] == {groups["db"]: [gone]}
    # The app group's only rule (EC2's default egress) is not listed: it goes, the db group keeps all of its own.
    assert [rule["group_id"] for rule in result["revoked"]] == [groups["app"]]
    assert rule_ids(module_cloud, groups["app"]) == []
