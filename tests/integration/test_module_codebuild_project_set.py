"""codebuild_project_set against a local cloud of this file's own, through ansible-playbook: bad input refused
before any call, check mode that calls nothing mutating, create, an identical re-run with only ListProjects and one
BatchGetProjects, a project changed out of band and an undeclared one seen by a check with their diff and then
repaired, purge=false leaving the undeclared alone, a project outside the prefix never touched, absent."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, refused_before_any_call, run_target
from tests.integration.test_module_codebuild import SERVICE_BUILDSPEC, trust

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/codebuild_project_set/project_set.yml"
PREFIX = "cbsint-"
OUTSIDE = "cbsintx-own-build"  # starts with the same letters, not with the prefix
NAMES = [f"{PREFIX}api-build", f"{PREFIX}web-build", f"{PREFIX}infra-plan"]


@pytest.fixture(scope="module")
def role_arn(module_cloud):
    iam = module_cloud.client("iam")
    return iam.create_role(RoleName="cbsint-codebuild", AssumeRolePolicyDocument=trust("codebuild.amazonaws.com"))[
        "Role"
    ]["Arn"]


def project(name, role, image="aws/codebuild/amazonlinux2-x86_64-standard:5.0"):
    return {
        "name": name,
        "description": f"Builds {name}",
        "source": {"type": "CODEPIPELINE", "buildspec": SERVICE_BUILDSPEC},
        "artifacts": {"type": "CODEPIPELINE"},
        "environment": {
            "image": image,
            "compute_type": "BUILD_GENERAL1_SMALL",
            "privileged_mode": True,
            "environment_variables": [{"name": "CONTAINER_NAME", "value": name}],
        },
        "service_role": role,
        "logs_config": {"cloud_watch_logs": {"group_name": "/aws/codebuild/cbsint", "stream_name": name}},
        "tags": {"securecloud:environment": "cbsint"},
    }


@pytest.fixture(scope="module")
def outside(module_cloud, role_arn):
    module_cloud.client("codebuild").create_project(
        name=OUTSIDE,
        source={"type": "NO_SOURCE", "buildspec": "version: 0.2\nphases: {}\n"},
        artifacts={"type": "NO_ARTIFACTS"},
        environment={"type": "LINUX_CONTAINER", "image": "x", "computeType": "BUILD_GENERAL1_SMALL"},
        serviceRole=role_arn,
    )
    return OUTSIDE


def run(cloud, work_dir, projects, *flags, **extra):
    variables = {"cbs_test_prefix": PREFIX, "cbs_test_projects": projects}
    return run_target(cloud, work_dir, TARGET, variables | {f"cbs_test_{k}": v for k, v in extra.items()}, *flags)


def names(cloud):
    return sorted(n for n in cloud.client("codebuild").list_projects()["projects"] if n.startswith("cbsint"))


def operations(calls):
    return sorted(f"{c.service}:{c.operation}" for c in calls)


def test_bad_input_fails_before_any_call(module_cloud, tmp_path, role_arn, outside):
    bad = project(NAMES[0], role_arn)
    bad["environment"] = dict(bad["environment"], compute_type="BUILD_HUGE")
    played, result, calls = run(module_cloud, tmp_path, [project(NAMES[1], role_arn), bad])
    refused_before_any_call(played, result, calls, "invalid compute type: projects[1].environment.compute_type")
    played, result, calls = run(module_cloud, tmp_path, [project("elsewhere-build", role_arn)])
    refused_before_any_call(played, result, calls, "projects[0].name 'elsewhere-build' does not start with prefix")


def test_lifecycle(module_cloud, tmp_path, role_arn, outside):
    every = [project(name, role_arn) for name in NAMES]
    played, result, calls = run(module_cloud, tmp_path, every, "--check")
    ok(played)
    assert (result["changed"], result["created"], mutating(calls)) == (True, sorted(NAMES), [])
    assert names(module_cloud) == [OUTSIDE]

    played, result, calls = run(module_cloud, tmp_path, every)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codebuild:CreateProject"] * len(NAMES))
    assert names(module_cloud) == sorted([*NAMES, OUTSIDE])
    assert all(p["arn"] for p in result["projects"])
    assert operations(calls).count("iam:GetRole") == 1  # one lookup for the role the three projects share

    played, result, calls = run(module_cloud, tmp_path, every, "--check", "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
    assert operations(calls) == ["codebuild:BatchGetProjects", "codebuild:ListProjects"]

    # Out of band: the api build's image changed. Declared without the infra plan: a check reports the update and
    # the purge with their diff and changes nothing.
    codebuild = module_cloud.client("codebuild")
    current = codebuild.batch_get_projects(names=[NAMES[0]])["projects"][0]
    codebuild.update_project(name=NAMES[0], environment=dict(current["environment"], image="drifted:1"))
    fewer = every[:2]
    played, result, calls = run(module_cloud, tmp_path, fewer, "--check", "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    assert (result["created"], result["updated"], result["deleted"]) == ([], [NAMES[0]], [NAMES[2]])
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before[NAMES[0]]["environment"]["image"] == "drifted:1"
    assert after[NAMES[0]]["environment"]["image"] == every[0]["environment"]["image"]
    assert NAMES[2] in before and NAMES[2] not in after
    assert operations(calls) == ["codebuild:BatchGetProjects", "codebuild:ListProjects"]

    # purge=false (as the delivery role calls it): the update only, the undeclared project stays.
    played, result, calls = run(module_cloud, tmp_path, fewer, purge=False)
    ok(played)
    assert (result["changed"], result["deleted"], mutating(calls)) == (True, [], ["codebuild:UpdateProject"])
    assert (
        codebuild.batch_get_projects(names=[NAMES[0]])["projects"][0]["environment"]["image"]
        == (every[0]["environment"]["image"])
    )
    assert names(module_cloud) == sorted([*NAMES, OUTSIDE])

    played, result, calls = run(module_cloud, tmp_path, fewer)
    ok(played)
    assert (result["changed"], result["deleted"], mutating(calls)) == (True, [NAMES[2]], ["codebuild:DeleteProject"])
    assert names(module_cloud) == sorted([*NAMES[:2], OUTSIDE])

    played, result, calls = run(module_cloud, tmp_path, [], state="absent")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codebuild:DeleteProject"] * 2)
    assert names(module_cloud) == [OUTSIDE]
