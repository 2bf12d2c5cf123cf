"""logs_metric_filter: PutMetricFilter of the options checked against the CloudWatch Logs model before any call
(issue 20). Enums and patterns are read from botocore's model."""

from __future__ import annotations

import botocore.session
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.securecloud.monitor.plugins.modules.logs_metric_filter import build_argument_spec, model_errors

LOGS = botocore.session.get_session().get_service_model("logs")
TRANSFORMATION = LOGS.shape_for("MetricTransformation").members


def params(**metric):
    raw = {
        "log_group_name": "/aws/cloudtrail/prod",
        "name": "prod-root",
        "filter_pattern": '{ $.userIdentity.type = "Root" }',
        "metric_transformation": {"metric_name": "Root", "metric_namespace": "CIS", "metric_value": "1"} | metric,
    }
    result = ArgumentSpecValidator(build_argument_spec()).validate(raw)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def test_valid_options_have_no_errors():
    assert model_errors(LOGS, params(unit="Count", dimensions={"user": "$.userIdentity.arn"})) == []


def test_a_unit_outside_the_model_names_the_option():
    assert "Percentage" not in TRANSFORMATION["unit"].enum
    (error,) = model_errors(LOGS, params(unit="Percentage"))
    assert error.startswith("metric_transformation.unit 'Percentage' is not a value AWS accepts")


def test_a_metric_name_with_a_character_the_model_refuses():
    (error,) = model_errors(LOGS, params(metric_name="root:usage"))
    assert error.startswith("metric_transformation.metric_name 'root:usage' is not in the form AWS accepts")
    assert TRANSFORMATION["metricName"].metadata["pattern"] in error
