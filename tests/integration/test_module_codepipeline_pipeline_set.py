"""codepipeline_pipeline_set against a local cloud of this file's own, through ansible-playbook: bad input refused
before any call, check mode that calls nothing mutating, create with tags, an identical re-run with only reads (one
ListPipelines, one GetPipeline and one ListTagsForResource per declared pipeline) and no version bump, a branch changed
out of band and an undeclared pipeline of the scope seen by a check with their diff, purge false leaving the
undeclared alone while the drift is repaired with one UpdatePipeline, a pipeline outside the prefix never touched,
absent. The tests run in order and share the cloud."""

from __future__ import annotations

import pytest

from tests.integration import codepipelines as declared
from tests.integration.module_runs import mutating, ok, refused_before_any_call, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/codepipeline_pipeline_set/pipeline_set.yml"
# Not "test": the local credentials are "test" and Ansible masks that string in every result.
PREFIX = "psint-"
NAMES = [f"{PREFIX}billing", f"{PREFIX}infrastructure", f"{PREFIX}inventory"]
# Outside the scope: a prefix that only shares "psint" (the prod / prod-eu case is prefix "prod-" vs "prod-eu-").
OUTSIDE = "psintx-app"
# Inside the scope but not declared by the set's task (another environment's, or a user's own).
UNDECLARED = f"{PREFIX}users-own"


@pytest.fixture(scope="module")
def role(module_cloud):
    return declared.make_role_and_bucket(module_cloud)


def pipeline(name, role, branch="main", **extra):
    return {
        "name": name,
        "role_arn": role,
        "artifact_store": {"location": declared.BUCKET},
        "stages": declared.stages(branch),
        "triggers": declared.triggers(branch),
        "tags": {"team": "platform"},
    } | extra


def run(cloud, work_dir, pipelines, *flags, prefix=PREFIX, **extra):
    variables = {"ps_test_prefix": prefix, "ps_test_pipelines": pipelines}
    return run_target(cloud, work_dir, TARGET, variables | {f"ps_test_{k}": v for k, v in extra.items()}, *flags)


def names(cloud):
    return sorted(p["name"] for p in cloud.client("codepipeline").list_pipelines()["pipelines"])


def versions(cloud):
    return {p["name"]: p["version"] for p in cloud.client("codepipeline").list_pipelines()["pipelines"]}


def operations(calls):
    return sorted(f"{c.service}:{c.operation}" for c in calls)


def branch(cloud, name):
    found = cloud.client("codepipeline").get_pipeline(name=name)["pipeline"]
    return found["stages"][0]["actions"][0]["configuration"]["BranchName"]


@pytest.fixture(scope="module")
def others(module_cloud, role, tmp_path_factory):
    """A pipeline outside the scope and one inside it that the set's task does not declare, each made by a task of
    its own scope."""
    for name, prefix in ((OUTSIDE, "psintx-"), (UNDECLARED, f"{PREFIX}users-")):
        played, _result, _calls = run(
            module_cloud, tmp_path_factory.mktemp("others"), [pipeline(name, role)], prefix=prefix
        )
        ok(played)
    return [OUTSIDE, UNDECLARED]


def test_bad_input_fails_before_any_call(module_cloud, tmp_path, role):
    bad = [pipeline(NAMES[0], role), pipeline("elsewhere", role)]
    played, result, calls = run(module_cloud, tmp_path, bad)
    refused_before_any_call(played, result, calls, "pipelines[1].name 'elsewhere' does not start with prefix")


def test_lifecycle(module_cloud, tmp_path, role, others):
    every = [pipeline(name, role) for name in NAMES]
    played, result, calls = run(module_cloud, tmp_path, every, "--check", purge=False)
    ok(played)
    assert (result["changed"], mutating(calls), result["created"]) == (True, [], NAMES)
    assert names(module_cloud) == sorted(others)

    played, result, calls = run(module_cloud, tmp_path, every, purge=False)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codepipeline:CreatePipeline"] * len(NAMES))
    assert names(module_cloud) == sorted([*NAMES, *others])
    client = module_cloud.client("codepipeline")
    for found in result["pipelines"]:
        if found["name"] in NAMES:
            assert client.list_tags_for_resource(resourceArn=found["arn"])["tags"] == [
                {"key": "team", "value": "platform"}
            ]
    before = versions(module_cloud)

    played, result, calls = run(module_cloud, tmp_path, every, purge=False)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
    assert operations(calls) == sorted(
        ["codepipeline:ListPipelines"] + ["codepipeline:GetPipeline", "codepipeline:ListTagsForResource"] * len(NAMES)
    )
    assert versions(module_cloud) == before

    # Out of band: the infrastructure pipeline's branch changed. A check (a compliance run) reports it updated with
    # a diff that names the branch; with purge true it would also delete the undeclared pipeline of the scope.
    drifted = client.get_pipeline(name=NAMES[1])["pipeline"]
    drifted["stages"][0]["actions"][0]["configuration"]["BranchName"] = "hotfix"
    client.update_pipeline(pipeline=drifted)
    played, result, calls = run(module_cloud, tmp_path, every, "--check", "--diff", purge=False)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    assert (result["created"], result["updated"], result["deleted"]) == ([], [NAMES[1]], [])
    diff_before, diff_after = result["diff"]["before"], result["diff"]["after"]
    assert diff_before[NAMES[1]]["stages"][0]["actions"][0]["configuration"]["BranchName"] == "hotfix"
    assert diff_after[NAMES[1]]["stages"][0]["actions"][0]["configuration"]["BranchName"] == "main"
    assert played.total("changed") == 1

    played, result, calls = run(module_cloud, tmp_path, every, "--check", "--diff")
    ok(played)
    assert (result["updated"], result["deleted"], mutating(calls)) == ([NAMES[1]], [UNDECLARED], [])
    assert UNDECLARED in result["diff"]["before"] and UNDECLARED not in result["diff"]["after"]

    played, result, calls = run(module_cloud, tmp_path, every, purge=False)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codepipeline:UpdatePipeline"])
    assert branch(module_cloud, NAMES[1]) == "main"
    assert versions(module_cloud)[NAMES[1]] == before[NAMES[1]] + 2
    assert names(module_cloud) == sorted([*NAMES, *others])

    # purge (true when not set) deletes the undeclared pipeline of the scope, never the one outside it.
    played, result, calls = run(module_cloud, tmp_path, every)
    ok(played)
    assert (result["deleted"], mutating(calls)) == ([UNDECLARED], ["codepipeline:DeletePipeline"])
    assert names(module_cloud) == sorted([*NAMES, OUTSIDE])

    played, result, calls = run(module_cloud, tmp_path, [], state="absent")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codepipeline:DeletePipeline"] * len(NAMES))
    assert names(module_cloud) == [OUTSIDE]
