"""eventbridge_rule against a local cloud of this file's own: bad input, check mode, create, an identical re-run with
no mutating call, a target change with its diff, a rule deleted out of band seen by a check, absent."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, refused_before_any_call, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/eventbridge_rule/rule.yml"
PATTERN = {"source": ["aws.inspector2"], "detail-type": ["Inspector2 Finding"], "detail": {"severity": ["HIGH"]}}
TEMPLATE = '"Inspector <severity> finding: <title>"'


def declared(topic_arn, template=TEMPLATE):
    transformer = {"input_paths_map": {"severity": "$.detail.severity", "title": "$.detail.title"}}
    return {
        "eb_test_pattern": PATTERN,
        "eb_test_targets": [
            {"id": "alert-topic", "arn": topic_arn, "input_transformer": transformer | {"input_template": template}}
        ],
    }


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


def rules(cloud):
    return [rule["Name"] for rule in cloud.client("events").list_rules()["Rules"]]


@pytest.fixture(scope="module")
def topic(module_cloud):
    return module_cloud.client("sns").create_topic(Name="dev-alerts")["TopicArn"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"eb_test_name": "dev findings"}, "name: 'dev findings' must be 1-64"),
        ({}, "event_pattern or schedule_expression: give at least one"),
        (
            {"eb_test_pattern": {"source": ["x"]}, "eb_test_targets": [{"id": "t", "arn": "dev-alerts"}]},
            "targets[0].arn",
        ),
        ({"eb_test_schedule": "rate(5 minute)"}, "schedule_expression: write rate(5 minutes)"),
        ({"eb_test_schedule": "cron(0 12 * * * *)"}, "schedule_expression: one of day-of-month"),
    ],
    ids=["name", "no pattern", "target arn", "rate unit", "cron days"],
)
def test_bad_input_fails_before_any_call(module_cloud, tmp_path, extra, message):
    played, result, calls = run(module_cloud, tmp_path, extra)
    refused_before_any_call(played, result, calls, message)


def test_lifecycle(module_cloud, tmp_path, topic):
    played, result, calls = run(module_cloud, tmp_path, declared(topic), "--check")
    ok(played)
    assert (result["changed"], mutating(calls), rules(module_cloud)) == (True, [], [])

    played, result, calls = run(module_cloud, tmp_path, declared(topic))
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["events:PutRule", "events:PutTargets"])
    [target] = module_cloud.client("events").list_targets_by_rule(Rule="dev-findings")["Targets"]
    assert target["InputTransformer"]["InputTemplate"] == TEMPLATE and target["Arn"] == topic

    played, result, calls = run(module_cloud, tmp_path, declared(topic))
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
    assert sorted(f"{c.service}:{c.operation}" for c in calls) == ["events:DescribeRule", "events:ListTargetsByRule"]

    played, result, calls = run(module_cloud, tmp_path, declared(topic, '"<title>"'), "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["events:PutTargets"])
    before, after = (result["diff"][side]["targets"][0]["input_transformer"] for side in ("before", "after"))
    assert (before["input_template"], after["input_template"]) == (TEMPLATE, '"<title>"')

    events = module_cloud.client("events")
    events.remove_targets(Rule="dev-findings", Ids=["alert-topic"])
    events.delete_rule(Name="dev-findings")
    played, result, calls = run(module_cloud, tmp_path, declared(topic), "--check")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])

    run(module_cloud, tmp_path, declared(topic))
    played, result, calls = run(module_cloud, tmp_path, {"eb_test_state": "absent"})
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["events:RemoveTargets", "events:DeleteRule"])
    assert rules(module_cloud) == []
    played, result, calls = run(module_cloud, tmp_path, {"eb_test_state": "absent"})
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_a_rule_with_no_targets_is_created_and_its_stale_targets_removed(module_cloud, tmp_path, topic):
    name = {"eb_test_name": "dev-no-targets"}
    played, result, calls = run(module_cloud, tmp_path, name | {"eb_test_pattern": PATTERN})
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["events:PutRule"])
    assert module_cloud.client("events").list_targets_by_rule(Rule="dev-no-targets")["Targets"] == []

    played, result, calls = run(module_cloud, tmp_path, name | {"eb_test_pattern": PATTERN})
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])

    run(module_cloud, tmp_path, name | declared(topic))
    played, result, calls = run(module_cloud, tmp_path, name | {"eb_test_pattern": PATTERN}, "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["events:RemoveTargets"])
    assert [t["id"] for t in result["diff"]["before"]["targets"]] == ["alert-topic"]
    # The diff leaves empty members out; the returned rule keeps its empty target list.
    assert ("targets" in result["diff"]["after"], result["rule"]["targets"]) == (False, [])
    assert module_cloud.client("events").list_targets_by_rule(Rule="dev-no-targets")["Targets"] == []
