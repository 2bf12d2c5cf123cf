"""eventbridge_rule: PutRule and PutTargets of the options checked against the EventBridge model before any call
(issue 20). Bounds are read from botocore's model; options are validated by the module's argument spec first."""

from __future__ import annotations

import botocore.session
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.securecloud.monitor.plugins.modules.eventbridge_rule import build_argument_spec, model_errors

EVENTS = botocore.session.get_session().get_service_model("events")
TOPIC = "arn:aws:sns:us-east-1:123456789012:dev-alerts"
DESCRIPTION_MAX = EVENTS.shape_for("RuleDescription").metadata["max"]
ROLE_ARN_MAX = EVENTS.shape_for("RoleArn").metadata["max"]


def params(**overrides):
    raw = {"name": "dev-tick", "schedule_expression": "rate(5 minutes)", "targets": [{"id": "t", "arn": TOPIC}]}
    result = ArgumentSpecValidator(build_argument_spec()).validate(raw | overrides)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def test_valid_options_and_a_rule_without_targets_have_no_errors():
    assert model_errors(EVENTS, params()) == []
    assert model_errors(EVENTS, params(targets=[])) == []
    assert model_errors(EVENTS, params(state="absent", description="x" * (DESCRIPTION_MAX + 1))) == []


def test_a_description_longer_than_the_model_allows_names_the_option():
    (error,) = model_errors(EVENTS, params(description="x" * (DESCRIPTION_MAX + 1)))
    assert error.startswith("description ") and f"give at most {DESCRIPTION_MAX} characters" in error


def test_a_target_problem_names_the_declared_target():
    targets = [{"id": "a", "arn": TOPIC}, {"id": "b", "arn": TOPIC, "role_arn": "r" * (ROLE_ARN_MAX + 1)}]
    (error,) = model_errors(EVENTS, params(targets=targets))
    assert error.startswith("targets[1].role_arn ")
