"""plugins/modules/eventbridge_rule.py: input checks, the option-shaped views that make a re-run a no-op, and the calls
converge makes (botocore Stubber, which checks each request against the EventBridge service model)."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.securecloud.monitor.plugins.modules.eventbridge_rule import (
    build_argument_spec,
    converge,
    declared_view,
    input_errors,
    rule_view,
)

from tests.unit.aws_stub import stubbed_client

TOPIC = "arn:aws:sns:us-east-1:123456789012:dev-alerts"
PATTERN = {"source": ["aws.inspector2"], "detail": {"severity": ["HIGH", "CRITICAL"]}}
TRANSFORMER = {"input_paths_map": {"title": "$.detail.title"}, "input_template": '"Finding: <title>"'}


def params(**overrides):
    raw = {
        "name": "dev-inspector-findings",
        "event_pattern": PATTERN,
        "targets": [{"id": "alert-topic", "arn": TOPIC, "input_transformer": TRANSFORMER}],
    } | overrides
    result = ArgumentSpecValidator(build_argument_spec()).validate(raw)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def aws_rule(**overrides):
    return {
        "Name": "dev-inspector-findings",
        "Arn": "arn:aws:events:us-east-1:123456789012:rule/dev-inspector-findings",
        "EventPattern": json.dumps({"detail": {"severity": ["HIGH", "CRITICAL"]}, "source": ["aws.inspector2"]}),
        "State": "ENABLED",
        "Description": "",
    } | overrides


def aws_target(**overrides):
    return {
        "Id": "alert-topic",
        "Arn": TOPIC,
        "InputTransformer": {"InputPathsMap": {"title": "$.detail.title"}, "InputTemplate": '"Finding: <title>"'},
    } | overrides


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "bad name"}, "name: 'bad name' must be 1-64"),
        ({"event_pattern": None}, "event_pattern or schedule_expression: give at least one"),
        ({"event_pattern": "{not json"}, "event_pattern: not valid JSON"),
        ({"event_pattern": "[1]"}, "event_pattern: give a JSON object"),
        ({"targets": [{"id": "a b", "arn": TOPIC}]}, "targets[0].id: 'a b' must be 1-64"),
        ({"targets": [{"id": "a", "arn": "dev-alerts"}]}, "targets[0].arn: 'dev-alerts' is not an ARN"),
        ({"targets": [{"id": "a", "arn": TOPIC}, {"id": "a", "arn": TOPIC}]}, "targets[].id: a given more than once"),
        (
            {"targets": [{"id": "a", "arn": TOPIC, "input": "{}", "input_path": "$.detail"}]},
            "targets[0]: give one of input, input_path and input_transformer, not input and input_path",
        ),
        ({"targets": [{"id": str(i), "arn": TOPIC} for i in range(6)]}, "targets: 6 given; a rule has at most 5"),
    ],
)
def test_bad_input_names_the_field(overrides, message):
    errors = input_errors(params(**overrides))
    assert any(message in error for error in errors), errors


def test_absent_needs_only_a_valid_name():
    assert input_errors(params(state="absent", event_pattern=None, targets=[])) == []


def test_the_rule_as_aws_stores_it_is_what_was_declared():
    current = rule_view(aws_rule(), [aws_target()])
    assert declared_view(params(), current) == current


def test_a_changed_template_or_pattern_differs():
    current = rule_view(aws_rule(), [aws_target()])
    changed_template = params(
        targets=[{"id": "alert-topic", "arn": TOPIC, "input_transformer": TRANSFORMER | {"input_template": "x"}}]
    )
    assert declared_view(changed_template, current) != current
    assert declared_view(params(event_pattern={"source": ["aws.inspector2"]}), current) != current


def test_purge_targets_false_keeps_undeclared_targets():
    current = rule_view(aws_rule(), [aws_target(), aws_target(Id="other")])
    assert [t["id"] for t in declared_view(params(purge_targets=False), current)["targets"]] == ["alert-topic", "other"]
    assert [t["id"] for t in declared_view(params(), current)["targets"]] == ["alert-topic"]


def _stubbed():
    return stubbed_client("events")


def expect_put_rule(stubber):
    """PutRule of the rule declared by params(), as the first call converge makes."""
    stubber.add_response(
        "put_rule",
        {"RuleArn": "arn:aws:events:us-east-1:123456789012:rule/dev-inspector-findings"},
        {
            "Name": "dev-inspector-findings",
            "EventBusName": "default",
            "Description": "",
            "State": "ENABLED",
            "EventPattern": json.dumps(PATTERN, sort_keys=True),
        },
    )


def test_converge_creates_the_rule_then_its_target():
    client, stubber = _stubbed()
    desired = declared_view(params(), None)
    expect_put_rule(stubber)
    stubber.add_response(
        "put_targets",
        {"FailedEntryCount": 0, "FailedEntries": []},
        {"Rule": "dev-inspector-findings", "EventBusName": "default", "Targets": [aws_target()]},
    )
    with stubber:
        arn = converge(client, params(), None, desired)
        stubber.assert_no_pending_responses()
    assert arn.endswith(":rule/dev-inspector-findings")


def test_converge_removes_undeclared_targets_and_leaves_the_rule_alone():
    client, stubber = _stubbed()
    current = rule_view(aws_rule(), [aws_target(), aws_target(Id="stray")])
    stubber.add_response(
        "remove_targets",
        {"FailedEntryCount": 0, "FailedEntries": []},
        {"Rule": "dev-inspector-findings", "EventBusName": "default", "Ids": ["stray"]},
    )
    with stubber:
        converge(client, params(), current, declared_view(params(), current))
        stubber.assert_no_pending_responses()


def without_targets(**overrides):
    """The task's options with ``targets`` left out (the module's default, an empty list)."""
    raw = {"name": "dev-inspector-findings", "event_pattern": PATTERN} | overrides
    return ArgumentSpecValidator(build_argument_spec()).validate(raw).validated_parameters


@pytest.mark.parametrize("declared", [{}, {"targets": []}], ids=["targets left out", "targets empty"])
def test_converge_creates_a_rule_declared_with_no_targets_with_put_rule_alone(declared):
    client, stubber = _stubbed()
    expect_put_rule(stubber)
    task = without_targets(**declared)
    desired = declared_view(task, None)
    assert desired["targets"] == []
    with stubber:
        assert converge(client, task, None, desired).endswith(":rule/dev-inspector-findings")
        stubber.assert_no_pending_responses()


def test_no_targets_declared_removes_every_target_unless_purge_targets_is_false():
    current = rule_view(aws_rule(), [aws_target(), aws_target(Id="stray")])
    client, stubber = _stubbed()
    stubber.add_response(
        "remove_targets",
        {"FailedEntryCount": 0, "FailedEntries": []},
        {"Rule": "dev-inspector-findings", "EventBusName": "default", "Ids": ["alert-topic", "stray"]},
    )
    with stubber:
        converge(client, without_targets(), current, declared_view(without_targets(), current))
        stubber.assert_no_pending_responses()
    kept = without_targets(purge_targets=False)
    assert declared_view(kept, current) == current  # nothing to do: a re-run is no change


def test_a_failed_target_entry_is_an_error():
    client, stubber = _stubbed()
    current = rule_view(aws_rule(), [])
    failed = {"TargetId": "alert-topic", "ErrorCode": "ValidationException", "ErrorMessage": "bad arn"}
    stubber.add_response("put_targets", {"FailedEntryCount": 1, "FailedEntries": [failed]})
    with stubber, pytest.raises(Exception, match="alert-topic: ValidationException bad arn"):
        converge(client, params(), current, declared_view(params(), current))


def test_plain_text_templates_are_sent_as_json_strings():
    plain = params(targets=[{"id": "t", "arn": TOPIC, "input_transformer": {"input_template": "<title> is open"}}])
    [target] = declared_view(plain, None)["targets"]
    assert target["input_transformer"]["input_template"] == '"<title> is open"'
    as_stored = rule_view(aws_rule(), [aws_target(Id="t", InputTransformer={"InputTemplate": '"<title> is open"'})])
    assert declared_view(plain, as_stored) == as_stored
    shaped = params(targets=[{"id": "t", "arn": TOPIC, "input_transformer": {"input_template": '{"t": <title>}'}}])
    assert declared_view(shaped, None)["targets"][0]["input_transformer"]["input_template"] == '{"t": <title>}'


def test_a_schedule_aws_refuses_is_an_input_error():
    errors = input_errors(params(event_pattern=None, schedule_expression="rate(5 minute)"))
    assert errors == ["schedule_expression: write rate(5 minutes), not rate(5 minute) (AWS wants the singular for 1)."]
