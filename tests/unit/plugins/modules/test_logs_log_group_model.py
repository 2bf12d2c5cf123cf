"""logs_log_group: CreateLogGroup of the options checked against the CloudWatch Logs model before any call (issue 20).
Bounds and patterns are read from botocore's model."""

from __future__ import annotations

import botocore.session
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.securecloud.monitor.plugins.modules.logs_log_group import build_argument_spec, model_errors

LOGS = botocore.session.get_session().get_service_model("logs")
TAGS = LOGS.operation_model("CreateLogGroup").input_shape.members["tags"]


def params(**overrides):
    result = ArgumentSpecValidator(build_argument_spec()).validate({"name": "aws-waf-logs-edge"} | overrides)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def test_valid_options_have_no_errors():
    assert model_errors(LOGS, params(retention=30, tags={"securecloud:environment": "prod"})) == []
    assert model_errors(LOGS, params(state="absent", tags={"bad!": "x"})) == []


def test_a_tag_value_longer_than_the_model_allows_names_the_tag():
    limit = TAGS.value.metadata["max"]
    (error,) = model_errors(LOGS, params(tags={"owner": "o" * (limit + 1)}))
    assert error.startswith("tags.owner ") and f"give at most {limit} characters" in error


def test_a_tag_key_outside_the_models_pattern_is_refused():
    (error,) = model_errors(LOGS, params(tags={"team!": "sre"}))
    assert error.startswith("tags.team! 'team!' is not in the form AWS accepts")
    assert TAGS.key.metadata["pattern"] in error
