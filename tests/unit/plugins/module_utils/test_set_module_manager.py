"""plugins/module_utils/set_module.py: the scope and the plan-then-apply manager of the set modules."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import PlannedSetManager, in_scope


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
    planned.plan(lambda client, *args: calls.append((client, *args)), "delete", "a")
    planned.plan_action(lambda: calls.append("create b"))
    assert calls == [] and planned.changed is True
    planned.apply_plan()
    assert calls == [("client", "delete", "a"), "create b"]


def test_check_mode_plans_the_change_but_makes_no_call():
    calls = []
    planned = manager(check_mode=True)
    planned.plan(calls.append)
    planned.apply_plan()
    assert planned.changed is True and calls == []


def test_manager_scope_follows_the_task_prefix():
    planned = manager(check_mode=False)
    assert planned.in_scope("p-a") and not planned.in_scope("q-a")
