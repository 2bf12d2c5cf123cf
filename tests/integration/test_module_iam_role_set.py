"""iam_role_set against a local cloud of this file's own, through ansible-playbook.

Check mode (no mutating call), create, an identical re-run (changed false, no mutating call, policies written in
another key order), drift made out of band (an inline policy added, a managed policy detached, the trust policy
changed) repaired with exactly the calls it needs and shown in the diff, purge of an undeclared role with its
attachments (a role of another prefix left alone), absent. The tests run in order and share the cloud.
"""

from __future__ import annotations

import json

import pytest

from tests.integration.module_runs import mutating, ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/iam_role_set/iam_role_set.yml"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
BUILD_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "Logs", "Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": "*"}],
}


def trust(service):
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }


def roles():
    return [
        {
            "name": "t-codebuild",
            "description": "builds",
            "assume_role_policy": trust("codebuild.amazonaws.com"),
            "managed_policies": [READ_ONLY],
            "inline_policy": {"name": "delivery", "document": BUILD_POLICY},
            "tags": {"env": "t"},
        },
        {
            "name": "t-codedeploy",
            "assume_role_policy": trust("codedeploy.amazonaws.com"),
            "inline_policy": {"name": "delivery", "document": BUILD_POLICY},
        },
    ]


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


def names(cloud):
    return sorted(r["RoleName"] for r in cloud.client("iam").list_roles()["Roles"])


def role_state(cloud, name):
    client = cloud.client("iam")
    role = client.get_role(RoleName=name)["Role"]
    inline = {
        p: client.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
        for p in client.list_role_policies(RoleName=name)["PolicyNames"]
    }
    attached = sorted(p["PolicyArn"] for p in client.list_attached_role_policies(RoleName=name)["AttachedPolicies"])
    tags = {t["Key"]: t["Value"] for t in client.list_role_tags(RoleName=name)["Tags"]}
    return role["AssumeRolePolicyDocument"], role.get("Description", ""), attached, inline, tags


def rerun_changes_nothing(cloud, work_dir, extra):
    played, result, calls = run(cloud, work_dir, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_check_mode_creates_nothing(module_cloud, tmp_path):
    module_cloud.client("iam").create_role(
        RoleName="other-role", AssumeRolePolicyDocument=json.dumps(trust("ec2.amazonaws.com"))
    )
    played, result, calls = run(module_cloud, tmp_path, {"ir_test_roles": roles()}, "--check", "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    assert result["changes"] == {"created": ["t-codebuild", "t-codedeploy"], "updated": [], "deleted": []}
    assert result["diff"]["before"] == {} and sorted(result["diff"]["after"]) == ["t-codebuild", "t-codedeploy"]
    assert names(module_cloud) == ["other-role"]


def test_create(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"ir_test_roles": roles()})
    ok(played)
    assert result["changes"] == {"created": ["t-codebuild", "t-codedeploy"], "updated": [], "deleted": []}
    assert mutating(calls) == [
        "iam:CreateRole",
        "iam:AttachRolePolicy",
        "iam:PutRolePolicy",
        "iam:CreateRole",
        "iam:PutRolePolicy",
    ]
    assert role_state(module_cloud, "t-codebuild") == (
        trust("codebuild.amazonaws.com"),
        "builds",
        [READ_ONLY],
        {"delivery": BUILD_POLICY},
        {"env": "t"},
    )


def test_rerun_changes_nothing_whatever_the_key_order(module_cloud, tmp_path):
    rerun_changes_nothing(module_cloud, tmp_path, {"ir_test_roles": roles()})
    reordered = json.loads(json.dumps(roles(), sort_keys=True))
    for role in reordered:
        role["assume_role_policy"] = dict(reversed(list(role["assume_role_policy"].items())))
    rerun_changes_nothing(module_cloud, tmp_path, {"ir_test_roles": reordered})


def test_drift_is_repaired_with_the_calls_it_needs_and_shown_in_the_diff(module_cloud, tmp_path):
    client = module_cloud.client("iam")
    client.put_role_policy(RoleName="t-codebuild", PolicyName="debug", PolicyDocument=json.dumps(BUILD_POLICY))
    client.detach_role_policy(RoleName="t-codebuild", PolicyArn=READ_ONLY)
    client.update_assume_role_policy(RoleName="t-codedeploy", PolicyDocument=json.dumps(trust("ec2.amazonaws.com")))
    played, result, calls = run(module_cloud, tmp_path, {"ir_test_roles": roles()}, "--diff")
    ok(played)
    assert result["changes"] == {"created": [], "updated": ["t-codebuild", "t-codedeploy"], "deleted": []}
    assert mutating(calls) == ["iam:AttachRolePolicy", "iam:DeleteRolePolicy", "iam:UpdateAssumeRolePolicy"]
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert sorted(before["t-codebuild"]["inline_policies"]) == ["debug", "delivery"]
    assert sorted(after["t-codebuild"]["inline_policies"]) == ["delivery"]
    assert "managed_policies" not in before["t-codebuild"] and after["t-codebuild"]["managed_policies"] == [READ_ONLY]
    assert before["t-codedeploy"]["assume_role_policy"] == trust("ec2.amazonaws.com")
    assert role_state(module_cloud, "t-codedeploy")[0] == trust("codedeploy.amazonaws.com")
    rerun_changes_nothing(module_cloud, tmp_path, {"ir_test_roles": roles()})


def test_purge_deletes_an_undeclared_role_with_its_policies(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"ir_test_roles": roles()[:1]})
    ok(played)
    assert result["changes"]["deleted"] == ["t-codedeploy"]
    assert mutating(calls) == ["iam:DeleteRolePolicy", "iam:DeleteRole"]
    assert names(module_cloud) == ["other-role", "t-codebuild"]


def test_absent_empties_the_scope(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"ir_test_state": "absent", "ir_test_purge": False})
    ok(played)
    assert result["changes"]["deleted"] == ["t-codebuild"]
    assert mutating(calls) == ["iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRole"]
    assert names(module_cloud) == ["other-role"]
    rerun_changes_nothing(module_cloud, tmp_path, {"ir_test_state": "absent"})
