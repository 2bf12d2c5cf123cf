"""plugins/callback/compliance_drift.py, result by result: every way a module reports a pending change is recorded
(changed; skipped with changed, as community.aws.ecs_ecr did in check mode; a diff without changed), a task's own
changed_when stands, and the recorded diff is reduced to what differs."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from ansible_collections.securecloud.monitor.plugins.callback.compliance_drift import CallbackModule


def result(outcome, changed_when=()):
    task = SimpleNamespace(name="Set the repository", action="x", _role=None, changed_when=list(changed_when))
    task.get_name = lambda: task.name
    return SimpleNamespace(_result=outcome, _task=task, _host=SimpleNamespace(get_name=lambda: "dev"))


@pytest.fixture
def callback(tmp_path):
    module = CallbackModule()
    module._phase, module._path = "check", str(tmp_path / "drift.jsonl")
    return module


def records(callback):
    try:
        with open(callback._path, encoding="utf-8") as stream:
            return [json.loads(line) for line in stream]
    except FileNotFoundError:
        return []


def test_skipped_with_changed_is_drift(callback):
    callback.v2_runner_on_skipped(result({"skipped": True, "changed": True}))
    assert [r["task"] for r in records(callback)] == ["Set the repository"]


def test_a_plain_skip_is_not(callback):
    callback.v2_runner_on_skipped(
        result({"skipped": True, "changed": False, "skip_reason": "Conditional result was False"})
    )
    assert records(callback) == []


def test_a_diff_without_changed_is_drift_unless_changed_when_decides(callback):
    diff = {"before": {"retention": 7}, "after": {"retention": 365}}
    callback.v2_runner_on_ok(result({"changed": False, "diff": diff}, changed_when=["false"]))
    assert records(callback) == []
    callback.v2_runner_on_ok(result({"changed": False, "diff": diff}))
    assert [r["diff"] for r in records(callback)] == [diff]


def test_an_unchanged_diff_is_not_drift_and_a_recorded_one_is_reduced(callback):
    same = json.dumps({"Version": "2012-10-17", "Statement": []})
    callback.v2_runner_on_ok(
        result({"changed": False, "diff": {"before": {"policy": same}, "after": {"policy": same}}})
    )
    assert records(callback) == []
    diff = {"before": {"name": "a", "retention": 7}, "after": {"name": "a", "retention": 365}}
    callback.v2_runner_on_ok(result({"changed": True, "diff": diff}))
    assert records(callback)[0]["diff"] == {"before": {"retention": 7}, "after": {"retention": 365}}
