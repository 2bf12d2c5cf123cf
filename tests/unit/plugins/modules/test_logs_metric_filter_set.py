"""plugins/modules/logs_metric_filter_set.py: one read for the set, creates, updates and purges in the scope only,
check mode and diff exact, input and model errors before any call (botocore Stubber, which checks each request
against the CloudWatch Logs model)."""

from __future__ import annotations

import botocore.session
import pytest
from ansible_collections.securecloud.monitor.plugins.modules import logs_metric_filter_set as module

from tests.unit.aws_stub import stubbed_client
from tests.unit.set_convention import assert_no_deprecation, fresh_deprecations

GROUP = "/aws/cloudtrail/dev"
PREFIX = "dev-cis-"
ROOT_PATTERN = '{ $.userIdentity.type = "Root" }'
LOGIN_PATTERN = "{ $.eventName = ConsoleLogin }"
LOGS_MODEL = botocore.session.get_session().get_service_model("logs")


def declared(name, pattern, metric):
    return {
        "name": name,
        "filter_pattern": pattern,
        "metric_transformation": {"metric_name": metric, "metric_namespace": "CIS", "metric_value": "1"},
    }


def with_metric(item, **metric):
    return item | {"metric_transformation": item["metric_transformation"] | metric}


def as_aws(name, pattern, metric):
    """A filter as DescribeMetricFilters returns it."""
    return {
        "filterName": name,
        "filterPattern": pattern,
        "metricTransformations": [{"metricName": metric, "metricNamespace": "CIS", "metricValue": "1"}],
        "logGroupName": GROUP,
        "creationTime": 1,
    }


def put(name, pattern, metric):
    return {
        "logGroupName": GROUP,
        "filterName": name,
        "filterPattern": pattern,
        "metricTransformations": [{"metricName": metric, "metricNamespace": "CIS", "metricValue": "1"}],
    }


ROOT = (f"{PREFIX}root", ROOT_PATTERN, "Root")
LOGIN = (f"{PREFIX}login", LOGIN_PATTERN, "Login")
OLD = (f"{PREFIX}old", "{ $.x = 1 }", "Old")


def run(monkeypatch, aws_stub, args, existing=None, writes=(), check_mode=False, diff=False, aws=True):
    """The module's result over a log group holding ``existing`` (as AWS returns them), expecting ``writes``:
    (operation, request) in order."""
    fresh_deprecations(monkeypatch)
    client, stubber = stubbed_client("logs")
    aws_stub.factories(module, aws=aws, logs_client=client)
    if existing is not None:
        stubber.add_response(
            "describe_metric_filters",
            {"metricFilters": existing},
            {"logGroupName": GROUP, "filterNamePrefix": PREFIX},
        )
    for operation, request in writes:
        stubber.add_response(operation, {}, request)
    full = {"log_group_name": GROUP, "prefix": PREFIX} | args
    return aws_stub.run(module, full, stubber, check_mode=check_mode, diff=diff)


def test_a_new_set_is_created_with_one_read_and_one_put_per_filter(monkeypatch, aws_stub):
    writes = [("put_metric_filter", put(*LOGIN)), ("put_metric_filter", put(*ROOT))]
    result = run(monkeypatch, aws_stub, {"metric_filters": [declared(*ROOT), declared(*LOGIN)]}, [], writes)
    assert result["changed"] is True
    assert result["created"] == sorted([ROOT[0], LOGIN[0]]) and result["updated"] == result["deleted"] == []
    assert [f["name"] for f in result["metric_filters"]] == sorted([ROOT[0], LOGIN[0]])
    assert_no_deprecation(result)


def test_a_rerun_makes_only_the_read(monkeypatch, aws_stub):
    existing = [as_aws(*ROOT), as_aws(*LOGIN)]
    result = run(monkeypatch, aws_stub, {"metric_filters": [declared(*ROOT), declared(*LOGIN)]}, existing)
    assert result["changed"] is False
    assert result["created"] == result["updated"] == result["deleted"] == []


def test_a_changed_pattern_is_put_again_and_undeclared_filters_of_the_scope_are_deleted(monkeypatch, aws_stub):
    drifted = as_aws(ROOT[0], "{ $.x = 2 }", ROOT[2])
    writes = [
        ("put_metric_filter", put(*ROOT)),
        ("delete_metric_filter", {"logGroupName": GROUP, "filterName": OLD[0]}),
    ]
    result = run(monkeypatch, aws_stub, {"metric_filters": [declared(*ROOT)]}, [drifted, as_aws(*OLD)], writes)
    assert (result["created"], result["updated"], result["deleted"]) == ([], [ROOT[0]], [OLD[0]])
    assert [f["name"] for f in result["metric_filters"]] == [ROOT[0]]


def test_a_filter_outside_the_prefix_is_never_touched(monkeypatch, aws_stub):
    # DescribeMetricFilters is asked for the prefix; a filter AWS still returned outside it is left alone.
    outside = as_aws("other-filter", "{ $.y = 1 }", "Other")
    result = run(monkeypatch, aws_stub, {"metric_filters": [declared(*ROOT)]}, [as_aws(*ROOT), outside])
    assert result["changed"] is False and result["deleted"] == []
    assert [f["name"] for f in result["metric_filters"]] == [ROOT[0]]


def test_purge_false_keeps_undeclared_filters(monkeypatch, aws_stub):
    args = {"metric_filters": [declared(*ROOT)], "purge": False}
    result = run(monkeypatch, aws_stub, args, [as_aws(*ROOT), as_aws(*OLD)])
    assert result["changed"] is False
    assert [f["name"] for f in result["metric_filters"]] == sorted([ROOT[0], OLD[0]])


def test_state_absent_deletes_the_whole_scope(monkeypatch, aws_stub):
    writes = [
        ("delete_metric_filter", {"logGroupName": GROUP, "filterName": name}) for name in sorted([ROOT[0], OLD[0]])
    ]
    result = run(monkeypatch, aws_stub, {"state": "absent"}, [as_aws(*ROOT), as_aws(*OLD)], writes)
    assert result["changed"] is True and result["deleted"] == sorted([ROOT[0], OLD[0]])
    assert result["metric_filters"] == []


def test_state_absent_on_a_missing_log_group_changes_nothing(monkeypatch, aws_stub):
    fresh_deprecations(monkeypatch)
    client, stubber = stubbed_client("logs")
    aws_stub.factories(module, logs_client=client)
    stubber.add_client_error(
        "describe_metric_filters", "ResourceNotFoundException", "The specified log group does not exist."
    )
    result = aws_stub.run(module, {"log_group_name": GROUP, "prefix": PREFIX, "state": "absent"}, stubber)
    assert result["changed"] is False and result["deleted"] == []


def test_check_mode_plans_the_same_changes_without_a_write(monkeypatch, aws_stub):
    drifted = as_aws(ROOT[0], "{ $.x = 2 }", ROOT[2])
    args = {"metric_filters": [declared(*ROOT), declared(*LOGIN)]}
    result = run(monkeypatch, aws_stub, args, [drifted, as_aws(*OLD)], check_mode=True)
    assert result["changed"] is True
    assert (result["created"], result["updated"], result["deleted"]) == ([LOGIN[0]], [ROOT[0]], [OLD[0]])


def test_diff_shows_before_and_after_of_each_filter_that_changes(monkeypatch, aws_stub):
    drifted = as_aws(ROOT[0], "{ $.x = 2 }", ROOT[2])
    args = {"metric_filters": [declared(*ROOT), declared(*LOGIN)]}
    result = run(monkeypatch, aws_stub, args, [drifted, as_aws(*OLD)], check_mode=True, diff=True)
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert sorted(before) == sorted([ROOT[0], OLD[0]])
    assert sorted(after) == sorted([ROOT[0], LOGIN[0]])
    assert before[ROOT[0]]["filter_pattern"] == "{ $.x = 2 }" and after[ROOT[0]]["filter_pattern"] == ROOT_PATTERN
    assert before[OLD[0]]["metric_transformation"]["metric_name"] == "Old"


def test_no_diff_entry_for_an_unchanged_filter(monkeypatch, aws_stub):
    result = run(monkeypatch, aws_stub, {"metric_filters": [declared(*ROOT)]}, [as_aws(*ROOT)], diff=True)
    assert result["diff"] == {"before": {}, "after": {}}


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            declared("other-root", ROOT_PATTERN, "Root"),
            "metric_filters[1].name 'other-root' does not start with prefix",
        ),
        (declared(f"{PREFIX}a:b", ROOT_PATTERN, "Root"), "metric_filters[1].name: 'dev-cis-a:b' must be 1-512"),
        (declared(*ROOT), "metric_filters[1].name 'dev-cis-root' is declared twice (also metric_filters[0])"),
        (
            with_metric(declared(*LOGIN), default_value=0, dimensions={"a": "$.a"}),
            "metric_filters[1].metric_transformation: give default_value or dimensions, not both",
        ),
    ],
)
def test_bad_input_fails_before_any_call_naming_the_filter(monkeypatch, aws_stub, item, message):
    args = {"metric_filters": [declared(*ROOT), item]}
    result = run(monkeypatch, aws_stub, args, aws=False)
    assert result["failed"] is True
    assert any(message in error for error in result["errors"]), result["errors"]


def test_a_unit_outside_the_model_fails_before_the_read_naming_the_filter(monkeypatch, aws_stub):
    assert "Percentage" not in LOGS_MODEL.shape_for("MetricTransformation").members["unit"].enum
    bad = with_metric(declared(*LOGIN), unit="Percentage")
    result = run(monkeypatch, aws_stub, {"metric_filters": [declared(*ROOT), bad]})
    assert result["failed"] is True
    (error,) = result["errors"]
    assert error.startswith("metric_filters[1].metric_transformation.unit 'Percentage' is not a value AWS accepts")


def test_a_metric_name_the_model_refuses_is_named_by_its_option_path():
    params = {
        "log_group_name": GROUP,
        "prefix": PREFIX,
        "state": "present",
        "purge": True,
        "metric_filters": [declared(f"{PREFIX}root", ROOT_PATTERN, "root:usage")],
    }
    params["metric_filters"][0]["metric_transformation"].update(default_value=None, unit=None, dimensions=None)
    (error,) = module.model_errors(LOGS_MODEL, params)
    pattern = LOGS_MODEL.shape_for("MetricTransformation").members["metricName"].metadata["pattern"]
    assert error.startswith("metric_filters[0].metric_transformation.metric_name 'root:usage' is not in the form")
    assert pattern in error
