"""codepipeline_pipeline against a local cloud of this file's own, through ansible-playbook.

Check mode (no mutating call), create, an identical re-run (changed false, no mutating call, version unchanged),
an update (changed, version + 1, the right diff), a tag-only change (version unchanged), V2 stage conditions and
trigger filters (check mode, update, re-run), absent. The emulator's
request recorder counts the calls; boto3 reads the real state. The tests run in order and share the cloud.
"""

from __future__ import annotations

import pytest

from tests.integration import codepipelines as declared
from tests.integration.module_runs import mutating, ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/codepipeline/pipeline.yml"
NAME = "inventory-app"


@pytest.fixture(scope="module")
def role(module_cloud):
    return declared.make_role_and_bucket(module_cloud)


def pipeline_vars(role, branch="main", **extra):
    return {
        "cp_test_name": NAME,
        "cp_test_role": declared.ROLE,
        "cp_test_artifact_store": {"location": declared.BUCKET},
        "cp_test_stages": declared.stages(branch),
        "cp_test_triggers": declared.triggers(branch),
        "cp_test_variables": [{"name": "Release", "default_value": "none"}],
        "cp_test_tags": {"team": "platform"},
    } | extra


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


def version(cloud):
    return cloud.client("codepipeline").get_pipeline(name=NAME)["pipeline"]["version"]


def test_check_mode_creates_nothing(module_cloud, tmp_path, role):
    played, result, calls = run(module_cloud, tmp_path, pipeline_vars(role), "--check")
    ok(played)
    assert (result["changed"], mutating(calls), result["version"]) == (True, [], 1)
    assert module_cloud.client("codepipeline").list_pipelines()["pipelines"] == []


def test_create(module_cloud, tmp_path, role):
    played, result, calls = run(module_cloud, tmp_path, pipeline_vars(role))
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codepipeline:CreatePipeline"])
    pipeline = module_cloud.client("codepipeline").get_pipeline(name=NAME)["pipeline"]
    assert pipeline["roleArn"] == role
    assert (pipeline["pipelineType"], pipeline["executionMode"], pipeline["version"]) == ("V2", "QUEUED", 1)
    assert [s["name"] for s in pipeline["stages"]] == ["Source", "Build", "Approve", "Deploy"]
    assert pipeline["triggers"][0]["gitConfiguration"]["push"][0]["branches"] == {"includes": ["main"]}
    arn = result["arn"]
    tags = module_cloud.client("codepipeline").list_tags_for_resource(resourceArn=arn)["tags"]
    assert tags == [{"key": "team", "value": "platform"}]


def test_rerun_changes_nothing_and_keeps_the_version(module_cloud, tmp_path, role):
    played, result, calls = run(module_cloud, tmp_path, pipeline_vars(role))
    ok(played)
    assert (result["changed"], mutating(calls), result["version"]) == (False, [], 1)
    # role_arn is given as a role name here, so the account is read once.
    assert [c.operation for c in calls] == ["GetPipeline", "GetCallerIdentity", "ListTagsForResource"]
    assert version(module_cloud) == 1


def test_update_with_diff_bumps_the_version_once(module_cloud, tmp_path, role):
    played, result, calls = run(module_cloud, tmp_path, pipeline_vars(role, branch="release"), "--diff")
    ok(played)
    assert (result["changed"], mutating(calls), result["version"]) == (True, ["codepipeline:UpdatePipeline"], 2)
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before["stages"][0]["actions"][0]["configuration"]["BranchName"] == "main"
    assert after["stages"][0]["actions"][0]["configuration"]["BranchName"] == "release"
    assert before["stages"][1:] == after["stages"][1:]
    assert version(module_cloud) == 2
    played, result, calls = run(module_cloud, tmp_path, pipeline_vars(role, branch="release"))
    ok(played)
    assert (result["changed"], mutating(calls), version(module_cloud)) == (False, [], 2)


def test_tag_change_leaves_the_pipeline_version(module_cloud, tmp_path, role):
    extra = pipeline_vars(role, branch="release", cp_test_tags={"owner": "sre"})
    played, result, calls = run(module_cloud, tmp_path, extra, "--diff")
    ok(played)
    assert result["changed"] is True
    assert sorted(mutating(calls)) == ["codepipeline:TagResource", "codepipeline:UntagResource"]
    diff = result["diff"]
    assert (diff["before"]["tags"], diff["after"]["tags"]) == ({"team": "platform"}, {"owner": "sre"})
    assert version(module_cloud) == 2


def v2_features(role):
    """The same pipeline with stage conditions, a YAML boolean in a configuration, and more trigger filters."""
    stages = declared.stages("release")
    stages[0]["actions"][0]["configuration"]["DetectChanges"] = False
    stages[3]["on_failure"] = {"result": "ROLLBACK"}
    stages[1]["on_failure"] = {"result": "RETRY", "retry_configuration": {"retry_mode": "FAILED_ACTIONS"}}
    triggers = declared.triggers("release")
    git = triggers[0]["git_configuration"]
    git["push"].append({"tags": {"includes": ["v*"]}})
    git["pull_request"] = [{"events": ["OPEN", "UPDATED"], "branches": {"includes": ["release"]}}]
    return pipeline_vars(role, cp_test_stages=stages, cp_test_triggers=triggers, cp_test_tags={"owner": "sre"})


def test_stage_conditions_and_trigger_filters_update_once(module_cloud, tmp_path, role):
    extra = v2_features(role)
    played, result, calls = run(module_cloud, tmp_path, extra, "--check", "--diff")
    ok(played)
    assert (result["changed"], mutating(calls), result["version"], version(module_cloud)) == (True, [], 3, 2)
    assert result["diff"]["after"]["stages"][3]["onFailure"] == {"result": "ROLLBACK"}
    assert "onFailure" not in result["diff"]["before"]["stages"][3]

    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls), result["version"]) == (True, ["codepipeline:UpdatePipeline"], 3)
    pipeline = module_cloud.client("codepipeline").get_pipeline(name=NAME)["pipeline"]
    assert pipeline["stages"][3]["onFailure"] == {"result": "ROLLBACK"}
    assert pipeline["stages"][1]["onFailure"]["retryConfiguration"] == {"retryMode": "FAILED_ACTIONS"}
    assert pipeline["stages"][0]["actions"][0]["configuration"]["DetectChanges"] == "false"
    git = pipeline["triggers"][0]["gitConfiguration"]
    assert git["push"] == [{"branches": {"includes": ["release"]}}, {"tags": {"includes": ["v*"]}}]
    assert git["pullRequest"] == [{"events": ["OPEN", "UPDATED"], "branches": {"includes": ["release"]}}]
    assert result["pipeline"]["stages"][3]["on_failure"] == {"result": "ROLLBACK"}

    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls), version(module_cloud)) == (False, [], 3)


def test_absent(module_cloud, tmp_path, role):
    absent = {"cp_test_name": NAME, "cp_test_state": "absent"}
    played, result, calls = run(module_cloud, tmp_path, absent, "--check")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    played, result, calls = run(module_cloud, tmp_path, absent)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codepipeline:DeletePipeline"])
    assert module_cloud.client("codepipeline").list_pipelines()["pipelines"] == []
    played, result, calls = run(module_cloud, tmp_path, absent)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
