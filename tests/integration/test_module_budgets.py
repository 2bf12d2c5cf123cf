"""budgets_budget_set against a local cloud of this file's own, through ansible-playbook.

Check mode (no mutating call), create, an identical re-run (changed false, no mutating call), an update with its
diff, purge of an undeclared budget (another prefix left alone), absent. The tests run in order and share the cloud.
"""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/budgets/budgets.yml"
ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:t-alerts"


def notification(kind="ACTUAL", threshold=80, *subscribers):
    return {
        "notification_type": kind,
        "threshold": threshold,
        "subscribers": list(subscribers) or [{"type": "SNS", "address": TOPIC}],
    }


def budgets(limit="500", forecast_email=None):
    forecast = [{"type": "SNS", "address": TOPIC}] + (
        [{"type": "EMAIL", "address": forecast_email}] if forecast_email else []
    )
    return [
        {
            "name": "t-monthly",
            "limit_amount": limit,
            "notifications": [notification("ACTUAL", 80), notification("FORECASTED", 100, *forecast)],
        },
        {"name": "t-ecs", "limit_amount": "100", "cost_filters": {"Service": ["Amazon Elastic Container Service"]}},
    ]


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


def names(cloud):
    return sorted(
        b["BudgetName"] for b in cloud.client("budgets").describe_budgets(AccountId=ACCOUNT).get("Budgets", [])
    )


def test_check_mode_creates_nothing(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"bg_test_budgets": budgets()}, "--check")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    assert result["changes"]["created"] == ["t-monthly", "t-ecs"]
    assert names(module_cloud) == []


def test_create(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"bg_test_budgets": budgets()})
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["budgets:CreateBudget", "budgets:CreateBudget"]
    client = module_cloud.client("budgets")
    budget = client.describe_budget(AccountId=ACCOUNT, BudgetName="t-monthly")["Budget"]
    assert (budget["BudgetLimit"]["Amount"], budget["TimeUnit"], budget["BudgetType"]) == ("500", "MONTHLY", "COST")
    notifications = client.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName="t-monthly")["Notifications"]
    assert sorted((n["NotificationType"], n["Threshold"]) for n in notifications) == [
        ("ACTUAL", 80.0),
        ("FORECASTED", 100.0),
    ]
    ecs = client.describe_budget(AccountId=ACCOUNT, BudgetName="t-ecs")["Budget"]
    assert ecs["CostFilters"] == {"Service": ["Amazon Elastic Container Service"]}


def test_rerun_changes_nothing(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"bg_test_budgets": budgets()})
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_update_with_diff(module_cloud, tmp_path):
    extra = {"bg_test_budgets": budgets(limit="750.00", forecast_email="finops@example.com")}
    played, result, calls = run(module_cloud, tmp_path, extra, "--diff")
    ok(played)
    assert result["changes"] == {"created": [], "updated": ["t-monthly"], "deleted": []}
    # The subscribers of the forecast alert changed: that notification is made again.
    assert mutating(calls) == ["budgets:UpdateBudget", "budgets:DeleteNotification", "budgets:CreateNotification"]
    before, after = result["diff"]["before"]["t-monthly"], result["diff"]["after"]["t-monthly"]
    assert (before["limit_amount"], after["limit_amount"]) == ("500", "750")
    assert len(after["notifications"][1]["subscribers"]) == 2 and len(before["notifications"][1]["subscribers"]) == 1
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_purge_deletes_undeclared_budgets_of_the_prefix_only(module_cloud, tmp_path):
    module_cloud.client("budgets").create_budget(
        AccountId=ACCOUNT,
        Budget={
            "BudgetName": "other-keep",
            "BudgetLimit": {"Amount": "1", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
    )
    extra = {"bg_test_budgets": budgets(limit="750.00", forecast_email="finops@example.com")[:1]}
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert result["changes"]["deleted"] == ["t-ecs"]
    assert mutating(calls) == ["budgets:DeleteBudget"]
    assert names(module_cloud) == ["other-keep", "t-monthly"]


def test_absent(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"bg_test_state": "absent"})
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["budgets:DeleteBudget"])
    assert names(module_cloud) == ["other-keep"]
    played, result, calls = run(module_cloud, tmp_path, {"bg_test_state": "absent"})
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
