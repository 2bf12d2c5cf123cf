"""Bad input to codepipeline_pipeline fails with a message that names the field and the fix, before any call
reaches the emulator (checked with its request recorder: no call at all, read or mutating)."""

from __future__ import annotations

import copy

import pytest

from tests.integration import codepipelines as declared
from tests.integration.module_runs import run_module
from tools.harness import recorder

PIPELINE = "securecloud.monitor.codepipeline_pipeline"
ROLE = "arn:aws:iam::123456789012:role/securecloud-codepipeline"


def pipeline(*edits, **extra):
    """The declared four-stage V2 pipeline, with ``extra`` options and ``edits`` applied."""
    arguments = copy.deepcopy(
        {
            "name": "bad",
            "role_arn": ROLE,
            "artifact_store": {"location": declared.BUCKET},
            "stages": declared.stages(),
            "triggers": declared.triggers(),
        }
        | extra
    )
    for edit in edits:
        edit(arguments)
    return arguments


def action(arguments, stage, index=0):
    return arguments["stages"][stage]["actions"][index]


def git(arguments):
    return arguments["triggers"][0]["git_configuration"]


# (case, arguments, the field and problem the message names, the fix it gives)
CASES = [
    (
        "fewer than 2 stages",
        pipeline(lambda a: a.update(stages=a["stages"][:1])),
        "stages has 1 stage(s)",
        "at least 2",
    ),
    (
        "stage with no actions",
        pipeline(lambda a: a["stages"][2].update(actions=[])),
        "stages[2].actions is empty",
        "at least one action",
    ),
    (
        "duplicate stage names",
        pipeline(lambda a: a["stages"][2].update(name="Build")),
        "stages: the name 'Build' is used twice",
        "must be unique",
    ),
    (
        "duplicate action names in a stage",
        pipeline(lambda a: a["stages"][2]["actions"].append(dict(action(a, 2)))),
        "stages[2].actions[1].name 'Review' is used twice",
        "must be unique",
    ),
    (
        "input artifact no earlier action produces",
        pipeline(lambda a: action(a, 3).update(input_artifacts=["Tested"])),
        "stages[3].actions[0].input_artifacts: no earlier action produces 'Tested'",
        "must list it in output_artifacts",
    ),
    (
        "input artifact of the same run order in the stage",
        pipeline(
            lambda a: a["stages"][1]["actions"].append(
                declared.action(
                    "Scan", "Test", "CodeBuild", configuration={"ProjectName": "scan"}, input_artifacts=["BuildOutput"]
                )
            )
        ),
        "stages[1].actions[1].input_artifacts: no earlier action produces 'BuildOutput'",
        "lower run_order",
    ),
    (
        "duplicate output artifact names",
        pipeline(lambda a: action(a, 1).update(output_artifacts=["S"])),
        "stages[1].actions[0].output_artifacts: 'S' is produced twice",
        "unique",
    ),
    (
        "unknown provider for the category",
        pipeline(lambda a: action(a, 1).update(provider="Travis")),
        "stages[1].actions[0].provider 'Travis' is not an AWS Build provider",
        "use one of CodeBuild",
    ),
    (
        "provider of another category",
        pipeline(lambda a: action(a, 2).update(provider="CodeBuild")),
        "stages[2].actions[0].provider 'CodeBuild' is not an AWS Approval provider",
        "use one of Manual",
    ),
    (
        "GitHub version 1 declared with owner AWS",
        pipeline(lambda a: action(a, 0).update(provider="GitHub")),
        "stages[0].actions[0].provider 'GitHub' is a ThirdParty provider",
        "set owner: ThirdParty",
    ),
    (
        "triggers on a V1 pipeline",
        pipeline(pipeline_type="V1", execution_mode="SUPERSEDED"),
        "triggers need a V2 pipeline",
        "set pipeline_type: V2",
    ),
    (
        "variables on a V1 pipeline",
        pipeline(pipeline_type="V1", triggers=[], variables=[{"name": "Release", "default_value": "none"}]),
        "variables need a V2 pipeline",
        "set pipeline_type: V2",
    ),
    (
        "stage rollback on a V1 pipeline",
        pipeline(lambda a: a["stages"][3].update(on_failure={"result": "ROLLBACK"}), pipeline_type="V1", triggers=[]),
        "stages[3].on_failure needs a V2 pipeline",
        "set pipeline_type: V2",
    ),
    (
        "queued execution on a V1 pipeline",
        pipeline(pipeline_type="V1", execution_mode="QUEUED", triggers=[]),
        "execution_mode QUEUED needs a V2 pipeline",
        "set pipeline_type: V2",
    ),
    (
        "trigger on an action that is not a connection source",
        pipeline(lambda a: git(a).update(source_action_name="Image")),
        "triggers[0].git_configuration.source_action_name 'Image' is not a CodeStarSourceConnection source action",
        "GitHub",
    ),
    (
        "two triggers on one source action",
        pipeline(lambda a: a["triggers"].append(copy.deepcopy(a["triggers"][0]))),
        "triggers[1].git_configuration.source_action_name 'GitHub' already has a trigger",
        "put the filters in that one",
    ),
    (
        "tags and branches in one push filter",
        pipeline(lambda a: git(a)["push"][0].update(tags={"includes": ["v*"]})),
        "triggers[0].git_configuration.push[0]: tags cannot be combined with branches",
        "separate push filters",
    ),
    (
        "build action in the first stage",
        pipeline(lambda a: a["stages"][0]["actions"].append(dict(action(a, 1), name="Lint", input_artifacts=[]))),
        "stages[0].actions[1] is a Build action in the first stage",
        "Source actions only",
    ),
    (
        "source action outside the first stage",
        pipeline(
            lambda a: a["stages"][2]["actions"].append(
                declared.action("Zip", "Source", "S3", output_artifacts=["Zip"], run_order=2)
            )
        ),
        "stages[2].actions[1] is a Source action outside the first stage",
        "source actions go in stage 0",
    ),
    (
        "manual approval with an input artifact",
        pipeline(lambda a: action(a, 2).update(input_artifacts=["S"])),
        "stages[2].actions[0].input_artifacts: Manual Approval actions take no input artifact(s)",
        "1 declared",
    ),
    (
        "empty configuration value",
        pipeline(lambda a: action(a, 1)["configuration"].update(ProjectName="")),
        "stages[1].actions[0].configuration.ProjectName is empty",
        "give it a value",
    ),
    ("pipeline name with a space", pipeline(name="my pipeline"), "name 'my pipeline'", "letters, digits"),
]


@pytest.mark.parametrize(("case", "arguments", "field", "fix"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_names_the_field_and_calls_nothing(module_cloud, tmp_path, case, arguments, field, fix):
    recorder.start(module_cloud.endpoint)
    returncode, result = run_module(module_cloud, tmp_path, PIPELINE, arguments)
    calls = recorder.stop(module_cloud.endpoint)

    assert returncode != 0 and result.get("failed"), result
    assert field in result["msg"], result["msg"]
    assert fix in result["msg"], result["msg"]
    assert [f"{c.service}:{c.operation}" for c in calls] == []


def test_every_problem_is_reported_at_once(module_cloud, tmp_path):
    arguments = pipeline(
        lambda a: a["stages"][2].update(actions=[]),
        lambda a: action(a, 1).update(provider="Travis"),
        lambda a: git(a).update(source_action_name="Image"),
    )
    returncode, result = run_module(module_cloud, tmp_path, PIPELINE, arguments)
    assert returncode != 0
    assert [e.split(" ")[0] for e in result["errors"]] == [
        "stages[1].actions[0].provider",
        "stages[2].actions",
        "triggers[0].git_configuration.source_action_name",
    ]
