"""plugins/module_utils/set_module.py: the scope and the plan-then-apply manager of the set modules."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import (
    PlannedSetManager,
    WritePlan,
    in_scope,
)

from tests.unit.failing_module import Failed, FailingModule


@pytest.mark.parametrize(
    "prefix, name, expected",
    [
        ("web-", "web-api", True),
        ("web-", "api-web-", False),
        ("web-", "Web-api", False),
        ("", "anything", True),
        (None, "anything", True),
    ],
)
def test_scope_is_the_name_prefix_or_everything(prefix, name, expected):
    assert in_scope({"prefix": prefix}, name) is expected


def manager(check_mode):
    module = SimpleNamespace(params={"prefix": "p-"}, check_mode=check_mode)
    return PlannedSetManager(module, client="client")


def test_nothing_planned_is_no_change():
    planned = manager(check_mode=False)
    planned.apply_plan()
    assert planned.changed is False


def test_planned_steps_run_in_order_with_the_client_once_the_plan_is_applied():
    calls = []
    planned = manager(check_mode=False)
    planned.plan("a", lambda client, *args: calls.append((client, *args)), "delete", "a")
    planned.plan_action("b", lambda: calls.append("create b"))
    assert calls == [] and planned.changed is True
    planned.apply_plan()
    assert calls == [("client", "delete", "a"), "create b"]


def test_check_mode_plans_the_change_but_makes_no_call():
    calls = []
    planned = manager(check_mode=True)
    planned.plan("a", calls.append)
    planned.apply_plan()
    assert planned.changed is True and calls == []


def test_manager_scope_follows_the_task_prefix():
    planned = manager(check_mode=False)
    assert planned.in_scope("p-a") and not planned.in_scope("q-a")


def denied(name):
    def write():
        raise AnsibleAWSError(message="Failed to put alarm", exception=RuntimeError(f"AccessDenied on {name}"))

    return write


def apply_failing(steps):
    """Apply ``steps`` ((names, action)) and return the failure result the task ends with."""
    calls = []
    writes = WritePlan()
    for names, action in steps:
        writes.add(names, action or (lambda names=names: calls.append(names)))
    with pytest.raises(Failed) as failure:
        writes.apply(FailingModule(check_mode=False))
    return failure.value.result, calls


def test_a_failed_write_names_the_written_and_the_unwritten_resources_and_stops():
    result, calls = apply_failing([("a", None), ("b", denied("b")), ("c", None)])
    assert calls == ["a"]  # nothing after the failed write is attempted
    assert result["written"] == ["a"] and result["not_written"] == ["b", "c"]
    assert "Writing b failed" in result["msg"]
    assert "Written: a. Not written: b, c." in result["msg"]
    assert result["msg"].startswith("Failed to put alarm: ") and result["msg"].endswith("AccessDenied on b")


def test_a_resource_with_a_write_still_to_make_is_not_written_even_if_an_earlier_one_was_made():
    # a: config written, its tags not yet; the tag write of b fails first
    result, _calls = apply_failing([("a", None), ("b", denied("b")), ("a", None)])
    assert result["written"] == [] and result["not_written"] == ["b", "a"]
    assert "Written: none." in result["msg"]


def test_a_batch_write_counts_for_each_of_its_names():
    result, _calls = apply_failing([(["old-1", "old-2"], None), (["old-3", "old-4"], denied("old-3"))])
    assert result["written"] == ["old-1", "old-2"] and result["not_written"] == ["old-3", "old-4"]
    assert "Writing old-3, old-4 failed" in result["msg"]


def test_an_error_other_than_an_aws_one_is_not_reported_as_a_partial_write():
    writes = WritePlan()
    writes.add("a", lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        writes.apply(FailingModule(check_mode=False))


def test_check_mode_applies_nothing():
    writes = WritePlan()
    writes.add("a", denied("a"))
    writes.apply(FailingModule(check_mode=True))


def test_a_planned_set_manager_reports_its_failed_write():
    planned = PlannedSetManager(FailingModule(params={"prefix": "p-"}, check_mode=False), client="client")
    planned.plan("p-a", lambda client: None)
    planned.plan_action("p-b", denied("p-b"))
    with pytest.raises(Failed) as failure:
        planned.apply_plan()
    assert failure.value.result["written"] == ["p-a"] and failure.value.result["not_written"] == ["p-b"]
