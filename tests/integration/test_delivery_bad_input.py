"""Bad input to the delivery modules fails with a message that names the field, and no mutating call reaches
the emulator (checked with its request recorder)."""

from __future__ import annotations

import copy

import pytest

from tests.integration import codepipelines as declared
from tests.integration.module_runs import run_module
from tools.harness import recorder

PIPELINE = "securecloud.monitor.codepipeline_pipeline"
ROLE = "arn:aws:iam::123456789012:role/securecloud-codepipeline"


def pipeline(edit=None, **extra):
    arguments = {
        "name": "bad",
        "role_arn": ROLE,
        "artifact_store": {"location": declared.BUCKET},
        "stages": declared.stages(),
        "triggers": declared.triggers(),
    } | extra
    arguments = copy.deepcopy(arguments)
    if edit:
        edit(arguments)
    return arguments


def set_path(*path, value):
    def edit(arguments):
        target = arguments
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def duplicate_action(arguments):
    arguments["stages"][2]["actions"].append(dict(arguments["stages"][2]["actions"][0]))


def duplicate_output(arguments):
    arguments["stages"][1]["actions"][0]["output_artifacts"] = ["S"]


CASES = [
    ("stage with no actions", pipeline(set_path("stages", 2, "actions", value=[])), "stages[2].actions is empty"),
    ("duplicate action names", pipeline(duplicate_action), "stages[2].actions[1].name 'Review' is used twice"),
    (
        "input artifact no earlier action produces",
        pipeline(set_path("stages", 3, "actions", 0, "input_artifacts", value=["Tested"])),
        "stages[3].actions[0].input_artifacts: no earlier action produces 'Tested'",
    ),
    ("output artifact produced twice", pipeline(duplicate_output), "stages[1].actions[0].output_artifacts: 'S'"),
    (
        "unknown action provider",
        pipeline(set_path("stages", 1, "actions", 0, "provider", value="Travis")),
        "stages[1].actions[0].provider 'Travis' is not an AWS Build provider",
    ),
    (
        "V2 trigger on a V1 pipeline",
        pipeline(pipeline_type="V1", execution_mode="SUPERSEDED"),
        "triggers need a V2 pipeline",
    ),
    (
        "trigger on a source action that does not exist",
        pipeline(set_path("triggers", 0, "git_configuration", "source_action_name", value="GitLab")),
        "triggers[0].git_configuration.source_action_name 'GitLab'",
    ),
    ("a single stage", pipeline(set_path("stages", value=declared.stages()[:1])), "stages has 1 stage(s)"),
    (
        "duplicate stage names",
        pipeline(set_path("stages", 2, "name", value="Build")),
        "stages: the name 'Build' is used twice",
    ),
    (
        "source action outside the first stage",
        pipeline(set_path("stages", 2, "actions", 0, value=declared.action("Zip", "Source", "S3"))),
        "stages[2].actions[0] is a Source action outside the first stage",
    ),
    (
        "queued execution on a V1 pipeline",
        pipeline(pipeline_type="V1", execution_mode="QUEUED", triggers=[]),
        "execution_mode QUEUED",
    ),
    ("pipeline name with a space", pipeline(name="my pipeline"), "name 'my pipeline'"),
]


@pytest.mark.parametrize(("case", "arguments", "field"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_names_the_field_and_changes_nothing(module_cloud, tmp_path, case, arguments, field):
    recorder.start(module_cloud.endpoint)
    returncode, result = run_module(module_cloud, tmp_path, PIPELINE, arguments)
    calls = recorder.stop(module_cloud.endpoint)

    assert returncode != 0 and result.get("failed"), result
    assert field in result["msg"], result["msg"]
    assert calls == []
