"""codepipeline_pipeline: CreatePipeline of the declared pipeline checked against the CodePipeline model before any
call (issue 20), each problem in the option path (``stages[1].actions[0].name``). Bounds and patterns are read from
botocore's model."""

from __future__ import annotations

import copy

import botocore.session
from ansible_collections.securecloud.monitor.plugins.modules import codepipeline_pipeline as module

from tests.unit.aws_stub import AwsStub, stubbed_client
from tests.unit.plugins.modules.test_codepipeline_pipeline import ARGS, ROLE, params

CODEPIPELINE = botocore.session.get_session().get_service_model("codepipeline")
PIPELINE = CODEPIPELINE.operation_model("CreatePipeline").input_shape.members["pipeline"]
ACTION = PIPELINE.members["stages"].member.members["actions"].member
NAME_PATTERN = PIPELINE.members["name"].metadata["pattern"]
RUN_ORDER = ACTION.members["runOrder"].metadata
LOCATION = PIPELINE.members["artifactStore"].members["location"].metadata


def declared(**extra):
    return params(**({"role_arn": ROLE} | extra))


def with_action(stage, action, **changes):
    stages = copy.deepcopy(declared()["stages"])
    stages[stage]["actions"][action].update(changes)
    return declared(stages=stages)


def test_valid_options_and_a_role_given_by_name_have_no_errors():
    assert module.model_errors(CODEPIPELINE, declared()) == []
    assert module.model_errors(CODEPIPELINE, declared(role_arn="pipeline")) == []
    assert module.model_errors(CODEPIPELINE, declared(state="absent", name="bad name")) == []


def test_a_pipeline_name_outside_the_models_pattern_names_the_option():
    (error,) = module.model_errors(CODEPIPELINE, declared(name="my app"))
    assert error.startswith("name 'my app' is not in the form AWS accepts") and NAME_PATTERN in error


def test_an_action_problem_names_its_stage_and_action():
    (error,) = module.model_errors(CODEPIPELINE, with_action(1, 0, run_order=RUN_ORDER["max"] + 1))
    assert error.startswith(f"stages[1].actions[0].run_order {RUN_ORDER['max'] + 1} is out of range")
    (error,) = module.model_errors(CODEPIPELINE, with_action(0, 0, output_artifacts=["source output"]))
    assert error.startswith("stages[0].actions[0].output_artifacts[0] 'source output' is not in the form")


def test_an_artifact_bucket_name_too_short_names_the_option():
    store = {"type": "S3", "location": "ab", "encryption_key": None}
    (error,) = module.model_errors(CODEPIPELINE, declared(artifact_store=store))
    assert error.startswith("artifact_store.location 'ab' has 2 characters")
    assert f"give {LOCATION['min']} to {LOCATION['max']} characters" in error


def test_main_runs_the_model_check_before_any_call(monkeypatch, capsys):
    monkeypatch.setattr(module, "validate", lambda _params: [])  # leave the model check to refuse it
    client, stubber = stubbed_client("codepipeline")  # nothing stubbed: any call fails the module
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.module_clients(module, client)
    result = aws_stub.run(module, ARGS | {"name": "my app"}, stubber)
    assert result["failed"] and result["msg"].startswith("name 'my app' is not in the form AWS accepts"), result
