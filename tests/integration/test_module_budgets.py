"""budgets_budget_set against a local cloud of this file's own, through ansible-playbook.

Check mode (no mutating call), create, an identical re-run (changed false, no mutating call), an update of a limit,
a threshold and a subscriber with its diff (each made in place), a topic swapped and cost types set, purge of an
undeclared budget (another prefix left alone), absent. The tests run in order and share the cloud.
"""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/budgets/budgets.yml"
ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:t-alerts"
OTHER_TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:t-finops"


def notification(kind="ACTUAL", threshold=80, *subscribers):
    return {
        "notification_type": kind,
        "threshold": threshold,
        "subscribers": list(subscribers) or [{"type": "SNS", "address": TOPIC}],
    }


def budgets(limit="500", actual=80, forecast_email=None, topic=TOPIC, cost_types=None):
    forecast = [{"type": "SNS", "address": topic}] + (
        [{"type": "EMAIL", "address": forecast_email}] if forecast_email else []
    )
    monthly = {
        "name": "t-monthly",
        "limit_amount": limit,
        "notifications": [
            notification("ACTUAL", actual, {"type": "SNS", "address": topic}),
            notification("FORECASTED", 100, *forecast),
        ],
    }
    if cost_types is not None:
        monthly["cost_types"] = cost_types
    return [
        monthly,
        {"name": "t-ecs", "limit_amount": 100, "cost_filters": {"Service": ["Amazon Elastic Container Service"]}},
    ]


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


def names(cloud):
    return sorted(
        b["BudgetName"] for b in cloud.client("budgets").describe_budgets(AccountId=ACCOUNT).get("Budgets", [])
    )


def alerts(cloud, name="t-monthly"):
    """{(type, threshold): sorted subscriber addresses} as the cloud has them."""
    client = cloud.client("budgets")
    found = {}
    for n in client.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName=name)["Notifications"]:
        subscribers = client.describe_subscribers_for_notification(AccountId=ACCOUNT, BudgetName=name, Notification=n)[
            "Subscribers"
        ]
        found[(n["NotificationType"], n["Threshold"])] = sorted(s["Address"] for s in subscribers)
    return found


def rerun_changes_nothing(cloud, work_dir, extra):
    played, result, calls = run(cloud, work_dir, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_check_mode_creates_nothing(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"bg_test_budgets": budgets()}, "--check", "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    assert result["changes"] == {"created": ["t-monthly", "t-ecs"], "updated": [], "deleted": []}
    assert result["diff"]["before"] == {} and sorted(result["diff"]["after"]) == ["t-ecs", "t-monthly"]
    assert names(module_cloud) == []


def test_create(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"bg_test_budgets": budgets()})
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["budgets:CreateBudget", "budgets:CreateBudget"]  # notifications come with them
    client = module_cloud.client("budgets")
    budget = client.describe_budget(AccountId=ACCOUNT, BudgetName="t-monthly")["Budget"]
    assert (budget["BudgetLimit"]["Amount"], budget["TimeUnit"], budget["BudgetType"]) == ("500", "MONTHLY", "COST")
    assert alerts(module_cloud) == {("ACTUAL", 80.0): [TOPIC], ("FORECASTED", 100.0): [TOPIC]}
    ecs = client.describe_budget(AccountId=ACCOUNT, BudgetName="t-ecs")["Budget"]
    assert ecs["CostFilters"] == {"Service": ["Amazon Elastic Container Service"]}
    monthly = next(b for b in result["budgets"] if b["name"] == "t-monthly")
    assert monthly["cost_types"]["include_tax"] is True  # AWS's defaults, as the cloud applied them


def test_rerun_changes_nothing(module_cloud, tmp_path):
    rerun_changes_nothing(module_cloud, tmp_path, {"bg_test_budgets": budgets()})
    # Amounts are compared as numbers, and cost types given with AWS's defaults are no change either.
    same = budgets(limit="500.00", cost_types={"include_tax": True, "use_blended": False})
    rerun_changes_nothing(module_cloud, tmp_path, {"bg_test_budgets": same})


def test_update_limit_threshold_and_subscriber_in_place_with_diff(module_cloud, tmp_path):
    extra = {"bg_test_budgets": budgets(limit="750.00", actual=85, forecast_email="finops@example.com")}
    played, result, calls = run(module_cloud, tmp_path, extra, "--diff")
    ok(played)
    assert result["changes"] == {"created": [], "updated": ["t-monthly"], "deleted": []}
    assert mutating(calls) == ["budgets:UpdateBudget", "budgets:UpdateNotification", "budgets:CreateSubscriber"]
    before, after = result["diff"]["before"]["t-monthly"], result["diff"]["after"]["t-monthly"]
    assert (before["limit_amount"], after["limit_amount"]) == ("500", "750")
    assert [n["threshold"] for n in before["notifications"]] == [80.0, 100.0]
    assert [n["threshold"] for n in after["notifications"]] == [85.0, 100.0]
    assert len(before["notifications"][1]["subscribers"]) == 1 and len(after["notifications"][1]["subscribers"]) == 2
    assert result["diff"]["before"]["t-ecs"] == result["diff"]["after"]["t-ecs"]
    assert alerts(module_cloud) == {
        ("ACTUAL", 85.0): [TOPIC],
        ("FORECASTED", 100.0): sorted(["finops@example.com", TOPIC]),
    }
    rerun_changes_nothing(module_cloud, tmp_path, extra)


def test_swap_the_topic_drop_an_email_and_set_cost_types(module_cloud, tmp_path):
    extra = {"bg_test_budgets": budgets(limit="750", actual=85, topic=OTHER_TOPIC, cost_types={"include_tax": False})}
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert result["changes"]["updated"] == ["t-monthly"]
    assert mutating(calls) == [
        "budgets:UpdateBudget",
        "budgets:UpdateSubscriber",
        "budgets:UpdateSubscriber",
        "budgets:DeleteSubscriber",
    ]
    assert alerts(module_cloud) == {("ACTUAL", 85.0): [OTHER_TOPIC], ("FORECASTED", 100.0): [OTHER_TOPIC]}
    budget = module_cloud.client("budgets").describe_budget(AccountId=ACCOUNT, BudgetName="t-monthly")["Budget"]
    assert budget["CostTypes"]["IncludeTax"] is False and budget["CostTypes"]["IncludeSupport"] is True
    rerun_changes_nothing(module_cloud, tmp_path, extra)


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
    declared = budgets(limit="750", actual=85, topic=OTHER_TOPIC, cost_types={"include_tax": False})[:1]
    played, result, calls = run(module_cloud, tmp_path, {"bg_test_budgets": declared})
    ok(played)
    assert result["changes"] == {"created": [], "updated": [], "deleted": ["t-ecs"]}
    assert mutating(calls) == ["budgets:DeleteBudget"]
    assert names(module_cloud) == ["other-keep", "t-monthly"]
    assert [b["name"] for b in result["budgets"]] == ["t-monthly"]


def test_absent(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"bg_test_state": "absent"}, "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["budgets:DeleteBudget"])
    assert result["diff"]["after"] == {} and list(result["diff"]["before"]) == ["t-monthly"]
    assert names(module_cloud) == ["other-keep"]
    played, result, calls = run(module_cloud, tmp_path, {"bg_test_state": "absent"})
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
