"""codedeploy_deployment_group: CreateApplication and CreateDeploymentGroup of the options checked against the
CodeDeploy model before any call (issue 20), each problem in the option path. Bounds and patterns are read from
botocore's model."""

from __future__ import annotations

import botocore.session
import pytest
from ansible_collections.securecloud.monitor.plugins.modules import codedeploy_deployment_group as module

from tests.unit.argument_specs import params_validator
from tests.unit.aws_stub import stubbed_client
from tests.unit.plugins.modules.test_codedeploy_deployment_group import args

CODEDEPLOY = botocore.session.get_session().get_service_model("codedeploy")
GROUP_NAME = CODEDEPLOY.operation_model("CreateDeploymentGroup").input_shape.members["deploymentGroupName"].metadata


@pytest.fixture(scope="module")
def validated():
    return params_validator(module)


def test_valid_options_have_no_errors(validated):
    assert module.model_errors(CODEDEPLOY, validated(args(tags={"team": "sre"}))) == []
    assert module.model_errors(CODEDEPLOY, validated(args(state="absent", name="bad name"))) == []


def test_a_group_name_outside_the_models_pattern_names_the_option(validated):
    (error,) = module.model_errors(CODEDEPLOY, validated(args(name="inventory app")))
    assert error.startswith("name 'inventory app' is not in the form AWS accepts")
    assert GROUP_NAME["pattern"] in error


def test_an_application_name_too_long_is_said_once(validated):
    long_name = "a" * (GROUP_NAME["max"] + 1)
    (error,) = module.model_errors(CODEDEPLOY, validated(args(application_name=long_name)))
    assert error.startswith("application_name ") and f"give 1 to {GROUP_NAME['max']} characters" in error


def test_every_problem_of_the_plan_is_reported_at_once(validated):
    bad = args(name="inventory app", deployment_config_name="Custom Config")
    errors = module.model_errors(CODEDEPLOY, validated(bad))
    assert [error.split(" ")[0] for error in errors] == ["name", "deployment_config_name"], errors


def test_main_runs_the_model_check_before_any_call(aws_stub, monkeypatch):
    monkeypatch.setattr(module, "validate", lambda _params: [])  # leave the model check to refuse it
    client, stubber = stubbed_client("codedeploy", "eu-west-1")  # nothing stubbed: any call fails the module
    aws_stub.factories(module, codedeploy_client=client)
    result = aws_stub.run(module, args(name="inventory app", region="eu-west-1"), stubber)
    assert result["failed"] and result["msg"].startswith("name 'inventory app' is not in the form"), result
