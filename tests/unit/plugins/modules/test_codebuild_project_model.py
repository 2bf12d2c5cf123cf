"""codebuild_project: CreateProject of the declared project checked against the CodeBuild model before any call
(issue 20), each problem in the option path (the API's members snake_cased are the options'), variable values never
quoted. Bounds and patterns are read from botocore's model."""

from __future__ import annotations

import botocore.session
import pytest
from ansible_collections.securecloud.monitor.plugins.modules import codebuild_project as module

from tests.unit.argument_specs import params_validator
from tests.unit.aws_stub import stubbed_client

CODEBUILD = botocore.session.get_session().get_service_model("codebuild")
CREATE = CODEBUILD.operation_model("CreateProject").input_shape
NAME = CREATE.members["name"].metadata
DESCRIPTION_MAX = CREATE.members["description"].metadata["max"]
TIMEOUT = CREATE.members["timeoutInMinutes"].metadata
QUEUED = CREATE.members["queuedTimeoutInMinutes"].metadata
ROLE = "arn:aws:iam::123456789012:role/dev-codebuild"


def declared(**overrides):
    return {
        "name": "dev-api-build",
        "source": {"type": "CODEPIPELINE", "buildspec": "version: 0.2\nphases: {build: {commands: [make]}}\n"},
        "artifacts": {"type": "CODEPIPELINE"},
        "environment": {
            "image": "aws/codebuild/standard:7.0",
            "compute_type": "BUILD_GENERAL1_SMALL",
            "environment_variables": [{"name": "TOKEN", "value": "s3cr3t-value"}],
        },
        "service_role": ROLE,
        "region": "eu-west-1",
    } | overrides


@pytest.fixture(scope="module")
def validated():
    """``validated(args)``: ``args`` (without the connection's region) as ``main()`` turns them into params."""
    validate = params_validator(module)
    return lambda args: validate({key: value for key, value in args.items() if key != "region"})


def test_valid_options_have_no_errors(validated):
    assert module.model_errors(CODEBUILD, validated(declared())) == []
    assert module.model_errors(CODEBUILD, validated(declared(state="absent", name="-"))) == []


@pytest.mark.parametrize("name", ["-dev-api", "dev api", "d"])
def test_a_name_outside_the_models_pattern_or_length_names_the_option(validated, name):
    errors = module.model_errors(CODEBUILD, validated(declared(name=name)))
    assert errors and all(error.startswith(f"name {name!r} ") for error in errors)
    assert NAME["pattern"] in " ".join(errors) or f"give {NAME['min']} to {NAME['max']} characters" in errors[0]


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("description", "d" * (DESCRIPTION_MAX + 1), f"to {DESCRIPTION_MAX} characters"),
        ("timeout_in_minutes", TIMEOUT["max"] + 1, f"from {TIMEOUT['min']} to {TIMEOUT['max']}"),
        ("queued_timeout_in_minutes", QUEUED["min"] - 1, f"from {QUEUED['min']} to {QUEUED['max']}"),
    ],
)
def test_a_value_out_of_the_models_bounds_names_the_option(validated, option, value, said):
    (error,) = module.model_errors(CODEBUILD, validated(declared(**{option: value})))
    assert error.startswith(f"{option} ") and said in error


def test_a_variable_type_aws_lacks_names_the_variable_and_its_value_is_never_quoted(validated):
    variables = [{"name": "TOKEN", "value": "x" * 300, "type": "NOT_A_TYPE"}]
    environment = declared()["environment"] | {"environment_variables": variables}
    (error,) = module.model_errors(CODEBUILD, validated(declared(environment=environment)))
    assert error.startswith("environment.environment_variables[0].type is not a value AWS accepts")
    assert "PLAINTEXT" in error and "xxxx" not in error


def refused(aws_stub, args):
    """The module's message for ``args``, run against a CodeBuild client with nothing stubbed (any call fails)."""
    client, stubber = stubbed_client("codebuild", "eu-west-1")
    iam, iam_stubber = stubbed_client("iam", "eu-west-1")
    aws_stub.factories(module, codebuild_client=client, iam_client=iam)
    result = aws_stub.run(module, args, stubber, iam_stubber)
    assert result.get("failed"), result
    return result["msg"]


def test_main_runs_the_model_check_before_any_call(aws_stub, monkeypatch):
    monkeypatch.setattr(module, "validate", lambda *_args: [])  # leave the model check to refuse it
    assert refused(aws_stub, declared(name="-dev-api")).startswith("name '-dev-api' is not in the form AWS accepts")
