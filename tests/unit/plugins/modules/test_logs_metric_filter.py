"""plugins/modules/logs_metric_filter.py: input checks, exact-name lookup, the view a re-run compares (botocore
Stubber, which checks each request against the CloudWatch Logs model)."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.securecloud.monitor.plugins.module_utils import logs
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical
from ansible_collections.securecloud.monitor.plugins.modules.logs_metric_filter import (
    build_argument_spec,
    declared_view,
    input_errors,
    to_aws,
)

from tests.unit.aws_stub import stubbed_client

GROUP = "/aws/cloudtrail/dev"
NAME = "dev-cis-root-account-usage"
PATTERN = '{ $.userIdentity.type = "Root" }'
AWS_TRANSFORMATION = {"metricName": "RootAccountUsage", "metricNamespace": "CIS", "metricValue": "1"}


def params(**overrides):
    raw = {
        "log_group_name": GROUP,
        "name": NAME,
        "filter_pattern": PATTERN,
        "metric_transformation": {"metric_name": "RootAccountUsage", "metric_namespace": "CIS", "metric_value": "1"},
    } | overrides
    result = ArgumentSpecValidator(build_argument_spec()).validate(raw)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "a:b"}, "name: 'a:b' must be 1-512 characters"),
        ({"filter_pattern": None}, "filter_pattern: required with state=present"),
        (
            {
                "metric_transformation": {
                    "metric_name": "m",
                    "metric_namespace": "n",
                    "metric_value": "1",
                    "default_value": 0,
                    "dimensions": {"a": "$.a"},
                }
            },
            "metric_transformation: give default_value or dimensions, not both",
        ),
    ],
)
def test_bad_input_names_the_option(overrides, message):
    assert any(message in error for error in input_errors(params(**overrides)))


def test_absent_needs_only_the_names():
    assert input_errors(params(state="absent", filter_pattern=None, metric_transformation=None)) == []


def test_the_filter_as_aws_returns_it_is_what_was_declared():
    found = {"filterName": NAME, "filterPattern": PATTERN, "metricTransformations": [AWS_TRANSFORMATION]}
    assert canonical(logs.metric_filter_view(found)) == declared_view(params())


def test_a_changed_pattern_differs():
    found = {"filterName": NAME, "filterPattern": "{ $.x = 1 }", "metricTransformations": [AWS_TRANSFORMATION]}
    assert canonical(logs.metric_filter_view(found)) != declared_view(params())


def test_lookup_is_by_exact_name_not_prefix():
    client, stubber = stubbed_client("logs")
    longer = {"filterName": f"{NAME}-2", "filterPattern": "", "metricTransformations": [AWS_TRANSFORMATION]}
    with stubber:
        stubber.add_response(
            "describe_metric_filters", {"metricFilters": [longer]}, {"logGroupName": GROUP, "filterNamePrefix": NAME}
        )
        assert logs.describe_metric_filter(client, GROUP, NAME) is None
        stubber.add_response("put_metric_filter", {}, to_aws(params(), declared_view(params())))
        logs.put_metric_filter(client, **to_aws(params(), declared_view(params())))
