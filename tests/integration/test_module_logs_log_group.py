"""logs_log_group against a local cloud of this file's own: bad input, check mode that calls nothing mutating (the
stock module sets the retention even then), create, an identical re-run with only the two reads, out-of-band changes
of retention, key and tags seen by a check and repaired with their diff, absent."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, refused_before_any_call, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/logs_log_group/log_group.yml"
NAME = "dev-waf-logs"


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


def group(cloud):
    found = cloud.client("logs").describe_log_groups(logGroupNamePrefix=NAME)["logGroups"]
    return next((g for g in found if g["logGroupName"] == NAME), None)


@pytest.fixture(scope="module")
def key(module_cloud):
    return module_cloud.client("kms").create_key(Description="logs")["KeyMetadata"]["Arn"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"lg_test_retention": 366}, "retention: 366 is not a retention CloudWatch Logs accepts"),
        ({"lg_test_key": "alias/logs"}, "kms_key_id: 'alias/logs' is not a KMS key ARN"),
    ],
    ids=["retention", "key alias"],
)
def test_bad_input_fails_before_any_call(module_cloud, tmp_path, extra, message):
    played, result, calls = run(module_cloud, tmp_path, extra)
    refused_before_any_call(played, result, calls, message)


def test_lifecycle(module_cloud, tmp_path, key):
    declared = {"lg_test_retention": 365, "lg_test_key": key, "lg_test_tags": {"env": "dev"}}
    played, result, calls = run(module_cloud, tmp_path, declared, "--check")
    ok(played)
    assert (result["changed"], mutating(calls), group(module_cloud)) == (True, [], None)

    played, result, calls = run(module_cloud, tmp_path, declared)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["logs:CreateLogGroup", "logs:PutRetentionPolicy"])
    assert (group(module_cloud)["retentionInDays"], group(module_cloud)["kmsKeyId"]) == (365, key)

    played, result, calls = run(module_cloud, tmp_path, declared)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
    assert sorted(f"{c.service}:{c.operation}" for c in calls) == ["logs:DescribeLogGroups", "logs:ListTagsForResource"]

    # Out of band: shorter retention, no key, another tag. A check reports all three and changes nothing.
    logs = module_cloud.client("logs")
    logs.put_retention_policy(logGroupName=NAME, retentionInDays=7)
    logs.disassociate_kms_key(logGroupName=NAME)
    logs.tag_resource(resourceArn=group(module_cloud)["logGroupArn"], tags={"owner": "someone"})
    played, result, calls = run(module_cloud, tmp_path, declared, "--check", "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert (before["retention"], after["retention"]) == (7, 365)
    assert (before["kms_key_id"], after["kms_key_id"]) == ("", key)
    assert (before["tags"], after["tags"]) == ({"env": "dev", "owner": "someone"}, {"env": "dev"})
    assert group(module_cloud)["retentionInDays"] == 7

    played, result, calls = run(module_cloud, tmp_path, declared)
    ok(played)
    assert (result["changed"], sorted(mutating(calls))) == (
        True,
        ["logs:AssociateKmsKey", "logs:PutRetentionPolicy", "logs:UntagResource"],
    )
    assert (group(module_cloud)["retentionInDays"], group(module_cloud)["kmsKeyId"]) == (365, key)

    # Options not given are left alone.
    played, result, calls = run(module_cloud, tmp_path, {})
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])

    played, result, calls = run(module_cloud, tmp_path, {"lg_test_state": "absent"}, "--check")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    played, result, calls = run(module_cloud, tmp_path, {"lg_test_state": "absent"})
    ok(played)
    assert (result["changed"], mutating(calls), group(module_cloud)) == (True, ["logs:DeleteLogGroup"], None)
    played, result, calls = run(module_cloud, tmp_path, {"lg_test_state": "absent"})
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_a_group_whose_name_holds_a_hash_is_tagged_by_name(module_cloud, tmp_path):
    # CreateLogGroup takes '#' in a name; ListTagsForResource's resourceArn pattern [\w+=/:,.@-]* refuses it.
    name = "dev/app#1"
    declared = {"lg_test_name": name, "lg_test_tags": {"env": "dev"}}
    played, result, _calls = run(module_cloud, tmp_path, declared)
    ok(played)
    assert result["changed"] is True
    logs = module_cloud.client("logs")
    logs.tag_log_group(logGroupName=name, tags={"owner": "someone"})
    played, result, calls = run(module_cloud, tmp_path, declared)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["logs:UntagLogGroup"])
    assert logs.list_tags_log_group(logGroupName=name)["tags"] == {"env": "dev"}
    played, result, calls = run(module_cloud, tmp_path, declared | {"lg_test_tags": {"env": "prod"}})
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["logs:TagLogGroup"])
    played, result, calls = run(module_cloud, tmp_path, declared | {"lg_test_tags": {"env": "prod"}})
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
