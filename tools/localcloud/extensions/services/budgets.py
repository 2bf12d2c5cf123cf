"""AWS Budgets actions moto 5.2.5 lacks or serves without AWS's checks, on moto's own budgets.

moto keeps budgets per account in its Budgets backend (``budgets_backends[account][partition].budgets``, a
``Budget`` with its list of ``Notification`` objects, each with its subscribers); every handler here works on
those objects, so moto's ``DescribeBudget(s)`` and ``DeleteBudget`` see the same state.

- Served here because moto has none: ``UpdateBudget``, ``UpdateNotification``, ``DescribeSubscribersForNotification``,
  ``CreateSubscriber``, ``UpdateSubscriber``, ``DeleteSubscriber``.
- Served here because moto has no checks: ``CreateBudget`` (name, limit, at most 10 notifications each with 1 SNS
  topic and up to 10 emails), ``CreateNotification`` (``DuplicateRecordException`` for an existing notification,
  ``CreationLimitExceededException`` past 10), ``DeleteNotification`` (``NotFoundException`` for an unknown
  notification; moto silently did nothing) and ``DescribeNotificationsForBudget`` (``NotFoundException`` for an
  unknown budget, where moto answered 500; pages of ``MaxResults``).

A notification is identified, as on AWS, by its type, comparison operator, threshold and threshold type
(``PERCENTAGE`` when left out); ``NotificationState`` in a request is ignored. Deleting the last subscriber of a
notification deletes the notification (AWS documents that). Budgets is a global service: moto's backend lives in
the partition's scope.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from moto.core.utils import unix_time

from ..registry import AwsError, ExtensionRequest, action

MAX_NOTIFICATIONS = 10  # per budget (NotificationWithSubscribersList max 10; "up to ten notifications")
MAX_SNS = 1  # per notification
MAX_EMAIL = 10  # per notification
MAX_THRESHOLD = 15_000_000_000_000  # the model's range of NotificationThreshold
MAX_PERCENTAGE = 1_000_000  # "The maximum limit for your threshold is 1,000,000%"
PAGE = 100  # MaxResults default and maximum
SNS_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# What UpdateBudget keeps of the stored budget when the new one leaves it out.
_KEPT = ("TimePeriod", "CalculatedSpend")


# -- errors -----------------------------------------------------------------------------------------
def _invalid(message: str) -> AwsError:
    return AwsError("InvalidParameterException", message, status=400)


def _not_found(message: str) -> AwsError:
    return AwsError("NotFoundException", message, status=400)


def _duplicate(message: str) -> AwsError:
    return AwsError("DuplicateRecordException", message, status=400)


def _limit(message: str) -> AwsError:
    return AwsError("CreationLimitExceededException", message, status=400)


# -- state ------------------------------------------------------------------------------------------
def _budgets(req: ExtensionRequest) -> dict[str, Any]:
    req.require("AccountId")
    return req.moto_backend("budgets", req.partition).budgets[req.params["AccountId"]]


def _budget(req: ExtensionRequest, verb: str) -> Any:
    req.require("BudgetName")
    name = req.params["BudgetName"]
    found = _budgets(req).get(name)
    if found is None:
        raise _not_found(f"Unable to {verb}: {name} - the budget doesn't exist.")
    return found


def _key(notification: dict[str, Any]) -> tuple:
    return (
        notification.get("NotificationType"),
        notification.get("ComparisonOperator"),
        float(notification.get("Threshold", 0)),
        notification.get("ThresholdType") or "PERCENTAGE",
    )


def _stored(notification: dict[str, Any], state: str = "OK") -> dict[str, Any]:
    """A notification as AWS returns it: every member set, the threshold a double."""
    kind, operator, threshold, threshold_type = _key(notification)
    return {
        "NotificationType": kind,
        "ComparisonOperator": operator,
        "Threshold": threshold,
        "ThresholdType": threshold_type,
        "NotificationState": state,
    }


def _find(budget: Any, notification: dict[str, Any], verb: str) -> Any:
    for found in budget.notifications:
        if _key(found.details) == _key(notification):
            return found
    raise _not_found(f"Unable to {verb}: {budget.budget['BudgetName']} - the notification doesn't exist.")


def _subscriber(subscriber: dict[str, Any]) -> dict[str, Any]:
    return {"SubscriptionType": subscriber.get("SubscriptionType"), "Address": subscriber.get("Address")}


def _page(req: ExtensionRequest, items: list[Any], key: str) -> dict[str, Any]:
    size = req.params.get("MaxResults") or PAGE
    if not 1 <= size <= PAGE:
        raise _invalid(f"MaxResults must be between 1 and {PAGE}.")
    token = req.params.get("NextToken") or "0"
    if not token.isdigit() or int(token) > len(items):
        raise AwsError("InvalidNextTokenException", "The NextToken is not valid.", status=400)
    start = int(token)
    result: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        result["NextToken"] = str(start + size)
    return result


# -- checks -----------------------------------------------------------------------------------------
def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        raise _invalid("BudgetName must have 1 to 100 characters.")
    if ":" in name or "\\" in name or "/action/" in name:
        raise _invalid(f"Invalid budget name {name}: ':', '\\' and '/action/' are not allowed in a budget name.")


def _check_notification(notification: dict[str, Any]) -> None:
    kind, operator, threshold, threshold_type = _key(notification)
    if kind not in ("ACTUAL", "FORECASTED"):
        raise _invalid(f"Invalid NotificationType {kind}.")
    if operator not in ("GREATER_THAN", "LESS_THAN", "EQUAL_TO"):
        raise _invalid(f"Invalid ComparisonOperator {operator}.")
    if threshold_type not in ("PERCENTAGE", "ABSOLUTE_VALUE"):
        raise _invalid(f"Invalid ThresholdType {threshold_type}.")
    top = MAX_PERCENTAGE if threshold_type == "PERCENTAGE" else MAX_THRESHOLD
    if not 0 <= threshold <= top:
        raise _invalid(f"Threshold {threshold} is out of range: a {threshold_type} threshold is between 0 and {top}.")


def _check_address(subscriber: dict[str, Any]) -> None:
    kind, address = subscriber.get("SubscriptionType"), subscriber.get("Address") or ""
    if kind == "SNS" and not SNS_TOPIC_ARN.match(address):
        raise _invalid(f"Invalid SNS topic ARN: {address}")
    if kind == "EMAIL" and not EMAIL.match(address):
        raise _invalid(f"Invalid email address: {address}")
    if kind not in ("SNS", "EMAIL"):
        raise _invalid(f"Invalid SubscriptionType {kind}.")


def _check_counts(subscribers: list[dict[str, Any]], error: Any = _limit) -> None:
    kinds = [s.get("SubscriptionType") for s in subscribers]
    if kinds.count("SNS") > MAX_SNS or kinds.count("EMAIL") > MAX_EMAIL:
        raise error(
            f"A notification can have {MAX_SNS} SNS subscriber and up to {MAX_EMAIL} email subscribers; "
            f"got {kinds.count('SNS')} SNS and {kinds.count('EMAIL')} email subscribers."
        )


def _check_subscribers(subscribers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not subscribers:
        raise _invalid("A notification needs at least one subscriber.")
    cleaned = [_subscriber(s) for s in subscribers]
    for subscriber in cleaned:
        _check_address(subscriber)
    if len({(s["SubscriptionType"], s["Address"]) for s in cleaned}) != len(cleaned):
        raise _duplicate("A notification cannot have the same subscriber twice.")
    _check_counts(cleaned, _invalid)
    return cleaned


def _checked_budget(budget: dict[str, Any]) -> dict[str, Any]:
    """A Budget checked as AWS does, in moto's form (times as epoch seconds; the parsed request has datetimes)."""
    period = budget.get("TimePeriod")
    if period:
        budget["TimePeriod"] = {k: unix_time(v) if isinstance(v, datetime) else v for k, v in period.items()}
    elif "TimePeriod" in budget:
        del budget["TimePeriod"]
    if "PlannedBudgetLimits" in budget and "BudgetLimit" in budget:
        raise _invalid("A budget has a BudgetLimit or PlannedBudgetLimits, not both.")
    if "BudgetLimit" not in budget and "PlannedBudgetLimits" not in budget:
        raise _invalid("Unable to create/update budget - please provide one of BudgetLimit or PlannedBudgetLimits.")
    if budget.get("BudgetType") != "COST":
        budget.pop("CostTypes", None)  # only cost budgets have cost types
    budget.pop("LastUpdatedTime", None)
    return budget


# -- budgets ----------------------------------------------------------------------------------------
@action("budgets", "CreateBudget")
def create_budget(req: ExtensionRequest) -> dict[str, Any]:
    req.require("AccountId", "Budget")
    budget = _checked_budget(dict(req.params["Budget"]))
    _check_name(budget.get("BudgetName"))
    notifications = req.params.get("NotificationsWithSubscribers") or []
    if len(notifications) > MAX_NOTIFICATIONS:
        raise _limit(f"A budget can have up to {MAX_NOTIFICATIONS} notifications; got {len(notifications)}.")
    stored, keys = [], set()
    for entry in notifications:
        _check_notification(entry["Notification"])
        if _key(entry["Notification"]) in keys:
            raise _duplicate("Error creating notification: the same notification is given twice.")
        keys.add(_key(entry["Notification"]))
        subscribers = _check_subscribers(entry.get("Subscribers") or [])
        stored.append({"Notification": _stored(entry["Notification"]), "Subscribers": subscribers})
    backend = req.moto_backend("budgets", req.partition)
    backend.create_budget(account_id=req.params["AccountId"], budget=budget, notifications=stored)
    return {}


@action("budgets", "UpdateBudget")
def update_budget(req: ExtensionRequest) -> dict[str, Any]:
    """Every part of a budget may change except its name (AWS: "except for the budgetName and calculatedSpend")."""
    req.require("NewBudget")
    new = dict(req.params["NewBudget"])
    name = new.get("BudgetName")
    stored = _budgets(req).get(name)
    if stored is None:
        raise _not_found(f"Unable to update budget: {name} - the budget doesn't exist.")
    for key in _KEPT:
        if key not in new and key in stored.budget:
            new[key] = stored.budget[key]
    stored.budget = _checked_budget(new)
    stored.budget["LastUpdatedTime"] = unix_time()
    return {}


# -- notifications ----------------------------------------------------------------------------------
@action("budgets", "DescribeNotificationsForBudget")
def describe_notifications_for_budget(req: ExtensionRequest) -> dict[str, Any]:
    budget = _budget(req, "get notifications")
    return _page(req, [dict(n.details) for n in budget.notifications], "Notifications")


@action("budgets", "CreateNotification")
def create_notification(req: ExtensionRequest) -> dict[str, Any]:
    req.require("Notification", "Subscribers")
    budget = _budget(req, "create notification")
    notification = req.params["Notification"]
    _check_notification(notification)
    if any(_key(n.details) == _key(notification) for n in budget.notifications):
        raise _duplicate(
            f"Error creating notification: {budget.budget['BudgetName']} - the notification already exists."
        )
    if len(budget.notifications) >= MAX_NOTIFICATIONS:
        raise _limit(f"A budget can have up to {MAX_NOTIFICATIONS} notifications.")
    budget.add_notification(_stored(notification), _check_subscribers(req.params["Subscribers"]))
    return {}


@action("budgets", "UpdateNotification")
def update_notification(req: ExtensionRequest) -> dict[str, Any]:
    req.require("OldNotification", "NewNotification")
    budget = _budget(req, "update notification")
    found = _find(budget, req.params["OldNotification"], "update notification")
    new = req.params["NewNotification"]
    _check_notification(new)
    if any(n is not found and _key(n.details) == _key(new) for n in budget.notifications):
        raise _duplicate(
            f"Unable to update notification: {budget.budget['BudgetName']} - the notification already exists."
        )
    found.details = _stored(new, found.details.get("NotificationState") or "OK")
    return {}


@action("budgets", "DeleteNotification")
def delete_notification(req: ExtensionRequest) -> dict[str, Any]:
    req.require("Notification")
    budget = _budget(req, "delete notification")
    found = _find(budget, req.params["Notification"], "delete notification")
    budget.notifications = [n for n in budget.notifications if n is not found]
    return {}


# -- subscribers ------------------------------------------------------------------------------------
@action("budgets", "DescribeSubscribersForNotification")
def describe_subscribers_for_notification(req: ExtensionRequest) -> dict[str, Any]:
    req.require("Notification")
    budget = _budget(req, "get subscribers")
    found = _find(budget, req.params["Notification"], "get subscribers")
    return _page(req, [dict(s) for s in found.subscribers], "Subscribers")


@action("budgets", "CreateSubscriber")
def create_subscriber(req: ExtensionRequest) -> dict[str, Any]:
    req.require("Notification", "Subscriber")
    budget = _budget(req, "create subscriber")
    found = _find(budget, req.params["Notification"], "create subscriber")
    subscriber = _subscriber(req.params["Subscriber"])
    _check_address(subscriber)
    if subscriber in found.subscribers:
        raise _duplicate(f"Error creating subscriber: {subscriber['Address']} - the subscriber already exists.")
    _check_counts([*found.subscribers, subscriber])
    found.subscribers = [*found.subscribers, subscriber]
    return {}


@action("budgets", "UpdateSubscriber")
def update_subscriber(req: ExtensionRequest) -> dict[str, Any]:
    req.require("Notification", "OldSubscriber", "NewSubscriber")
    budget = _budget(req, "update subscriber")
    found = _find(budget, req.params["Notification"], "update subscriber")
    old, new = _subscriber(req.params["OldSubscriber"]), _subscriber(req.params["NewSubscriber"])
    if old not in found.subscribers:
        raise _not_found(f"Unable to update subscriber: {old['Address']} - the subscriber doesn't exist.")
    _check_address(new)
    if new != old and new in found.subscribers:
        raise _duplicate(f"Unable to update subscriber: {new['Address']} - the subscriber already exists.")
    updated = [new if s == old else s for s in found.subscribers]
    _check_counts(updated, _invalid)
    found.subscribers = updated
    return {}


@action("budgets", "DeleteSubscriber")
def delete_subscriber(req: ExtensionRequest) -> dict[str, Any]:
    req.require("Notification", "Subscriber")
    budget = _budget(req, "delete subscriber")
    found = _find(budget, req.params["Notification"], "delete subscriber")
    subscriber = _subscriber(req.params["Subscriber"])
    if subscriber not in found.subscribers:
        raise _not_found(f"Unable to delete subscriber: {subscriber['Address']} - the subscriber doesn't exist.")
    found.subscribers = [s for s in found.subscribers if s != subscriber]
    if not found.subscribers:  # AWS: "Deleting the last subscriber to a notification also deletes the notification."
        budget.notifications = [n for n in budget.notifications if n is not found]
    return {}
