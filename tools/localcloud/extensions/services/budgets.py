"""AWS Budgets actions moto 5.2.5 lacks: UpdateBudget and DescribeSubscribersForNotification.

moto keeps budgets (with their notifications and subscribers) per account in its Budgets backend, which serves
Create/Describe/DeleteBudget and Create/Delete/DescribeNotifications; these two work on the same objects.
Budgets is a global service: moto's backend lives in the partition's scope.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from moto.core.utils import unix_time

from ..registry import AwsError, ExtensionRequest, action

# What UpdateBudget may not change, and what AWS keeps of the stored budget when the new one leaves it out.
_IMMUTABLE = ("BudgetType",)
_KEPT = ("TimePeriod", "CalculatedSpend")


def _budgets(req: ExtensionRequest) -> dict[str, Any]:
    req.require("AccountId")
    return req.moto_backend("budgets", req.partition).budgets[req.params["AccountId"]]


def _not_found(what: str) -> AwsError:
    return AwsError("NotFoundException", what, status=400)


def _notification_key(notification: dict[str, Any]) -> tuple:
    return (
        notification.get("NotificationType"),
        notification.get("ComparisonOperator"),
        float(notification.get("Threshold", 0)),
        notification.get("ThresholdType", "PERCENTAGE"),
    )


@action("budgets", "UpdateBudget")
def update_budget(req: ExtensionRequest) -> dict[str, Any]:
    req.require("NewBudget")
    new = dict(req.params["NewBudget"])
    budgets = _budgets(req)
    name = new.get("BudgetName")
    if name not in budgets:
        raise _not_found(f"Unable to update budget: {name} - the budget doesn't exist.")
    stored = budgets[name]
    for key in _IMMUTABLE:
        if key in new and new[key] != stored.budget.get(key):
            raise AwsError("InvalidParameterException", f"{key} of a budget cannot be changed.", status=400)
    if "BudgetLimit" not in new and "PlannedBudgetLimits" not in new:
        raise AwsError("InvalidParameterException", "A budget needs a BudgetLimit or PlannedBudgetLimits.", status=400)
    for key in (*_IMMUTABLE, *_KEPT):
        if key not in new and key in stored.budget:
            new[key] = stored.budget[key]
    # moto keeps times as epoch seconds; the parsed request has datetimes.
    period = new.get("TimePeriod") or {}
    new["TimePeriod"] = {k: unix_time(v) if isinstance(v, datetime) else v for k, v in period.items()} or None
    if new["TimePeriod"] is None:
        del new["TimePeriod"]
    new["LastUpdatedTime"] = unix_time()
    stored.budget = new
    return {}


@action("budgets", "DescribeSubscribersForNotification")
def describe_subscribers_for_notification(req: ExtensionRequest) -> dict[str, Any]:
    req.require("BudgetName", "Notification")
    budgets = _budgets(req)
    name = req.params["BudgetName"]
    if name not in budgets:
        raise _not_found(f"Unable to get subscribers: {name} - the budget doesn't exist.")
    wanted = req.params["Notification"]
    for notification in budgets[name].notifications:
        if _notification_key(notification.details) == _notification_key(wanted):
            return {"Subscribers": list(notification.subscribers)}
    raise _not_found(f"Unable to get subscribers: {name} - the notification doesn't exist.")
