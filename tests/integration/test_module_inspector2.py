"""securecloud.monitor.inspector2_account against a local cloud of this file's own, through ansible-playbook.

Bad input (fails before any call), check mode on a fresh account (changes nothing, no mutating call), enable, an
identical re-run while Inspector is still enabling (changed false, no mutating call), a change of the scan types with
the right diff and waiting, absent. The emulator's request recorder counts the calls; boto3 reads the real state.
The tests run in order and share the cloud.
"""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/inspector2/account.yml"
ACCOUNT = "123456789012"


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


def scan_types(cloud):
    """{scan type key: status} of the caller's account, read with boto3."""
    [account] = cloud.client("inspector2").batch_get_account_status(accountIds=[ACCOUNT])["accounts"]
    return {key: state["status"] for key, state in account["resourceState"].items()}


def test_bad_input_makes_no_call(module_cloud, tmp_path):
    extra = {"inspector2_test_resource_types": ["ECR"], "inspector2_test_account_ids": ["12345678901", ACCOUNT]}
    played, result, calls = run(module_cloud, tmp_path, extra)
    assert played.returncode != 0
    assert "account_ids[0] '12345678901' is not an AWS account ID" in result["msg"]
    assert calls == []
    played, result, calls = run(module_cloud, tmp_path, {"inspector2_test_resource_types": ["ECR", "LAMBDACODE"]})
    assert played.returncode != 0
    assert "resource_types must be one or more of" in result["msg"] and "LAMBDACODE" in result["msg"]
    assert calls == []


def test_check_mode_on_a_fresh_account_changes_nothing(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"inspector2_test_resource_types": ["ECR", "EC2"]}, "--check")
    ok(played)
    assert result["changed"] is True
    assert result["accounts"][0]["enabled_resource_types"] == ["EC2", "ECR"]
    assert result["accounts"][0]["resource_status"]["ecr"] == "ENABLING"
    assert mutating(calls) == []
    assert set(scan_types(module_cloud).values()) == {"DISABLED"}


def test_enable(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"inspector2_test_resource_types": ["ECR", "EC2"]})
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["inspector2:Enable"]
    found = scan_types(module_cloud)
    assert found["ecr"] in ("ENABLING", "ENABLED") and found["ec2"] in ("ENABLING", "ENABLED")
    assert found["lambda"] == found["lambdaCode"] == "DISABLED"
    assert result["accounts"][0]["account_id"] == ACCOUNT
    assert result["accounts"][0]["enabled_resource_types"] == ["EC2", "ECR"]


def test_rerun_changes_nothing_and_makes_no_mutating_call(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"inspector2_test_resource_types": ["EC2", "ECR"]})
    ok(played)
    assert result["changed"] is False
    assert mutating(calls) == []
    assert sorted(f"{c.service}:{c.operation}" for c in calls) == [
        "inspector2:BatchGetAccountStatus",
        "sts:GetCallerIdentity",
    ]


def test_change_the_types_with_diff_and_wait(module_cloud, tmp_path):
    extra = {"inspector2_test_resource_types": ["ECR", "LAMBDA"], "inspector2_test_wait": True}
    played, result, calls = run(module_cloud, tmp_path, extra, "--diff")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["inspector2:Enable", "inspector2:Disable"]
    assert result["diff"] == {
        "before": {ACCOUNT: {"enabled_resource_types": ["EC2", "ECR"]}},
        "after": {ACCOUNT: {"enabled_resource_types": ["ECR", "LAMBDA"]}},
    }
    # Waited: nothing is still switching, in the result or in the emulator.
    assert result["accounts"][0]["resource_status"] == {
        "ec2": "DISABLED",
        "ecr": "ENABLED",
        "lambda": "ENABLED",
        "lambda_code": "DISABLED",
        "code_repository": "DISABLED",
    }
    assert scan_types(module_cloud) == {
        "ec2": "DISABLED",
        "ecr": "ENABLED",
        "lambda": "ENABLED",
        "lambdaCode": "DISABLED",
        "codeRepository": "DISABLED",
    }


def test_without_purge_other_types_stay(module_cloud, tmp_path):
    extra = {"inspector2_test_resource_types": ["LAMBDA_CODE"], "inspector2_test_purge": False}
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["inspector2:Enable"]
    assert result["accounts"][0]["enabled_resource_types"] == ["ECR", "LAMBDA", "LAMBDA_CODE"]


def test_absent_disables_everything(module_cloud, tmp_path):
    module_cloud.client("inspector2").enable(resourceTypes=["CODE_REPOSITORY"])  # outside the managed types
    played, result, calls = run(module_cloud, tmp_path, {"inspector2_test_state": "absent"}, "--diff")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["inspector2:Disable"]
    assert result["diff"]["after"] == {}
    assert result["accounts"][0]["enabled_resource_types"] == []
    assert set(scan_types(module_cloud).values()) <= {"DISABLING", "DISABLED"}
    played, result, calls = run(module_cloud, tmp_path, {"inspector2_test_state": "absent"})
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
