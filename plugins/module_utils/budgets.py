# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Budgets: API wrappers, the conversions between the option and API shapes of budgets_budget_set, and the
checks of declared budgets.

Every call is wrapped with ``AWSRetry.jittered_backoff()`` and turned into :class:`AnsibleBudgetsError` by
:class:`BudgetsErrorHandler`. Budgets is a global service whose API lives in us-east-1.
"""

import re
from decimal import Decimal, InvalidOperation

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

BUDGETS_REGION = "us-east-1"
MAX_NOTIFICATIONS = 5  # per budget
MAX_EMAIL_SUBSCRIBERS = 10  # per notification
MAX_SNS_SUBSCRIBERS = 1  # per notification
SNS_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_RETRY = AWSRetry.jittered_backoff()


class AnsibleBudgetsError(AnsibleAWSError):
    pass


class BudgetsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleBudgetsError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFoundException")


def budgets_client(module):
    """A Budgets client in us-east-1 (the only Budgets API region), honouring endpoint_url and credentials."""
    return module.client("budgets", region=BUDGETS_REGION)


# ---------------------------------------------------------------- API wrappers


@BudgetsErrorHandler.list_error_handler("describe budgets", [])
@_RETRY
def describe_budgets(client, account_id):
    paginator = client.get_paginator("describe_budgets")
    return paginator.paginate(AccountId=account_id).build_full_result().get("Budgets", [])


@BudgetsErrorHandler.list_error_handler("describe budget notifications", [])
@_RETRY
def describe_notifications(client, account_id, name):
    paginator = client.get_paginator("describe_notifications_for_budget")
    result = paginator.paginate(AccountId=account_id, BudgetName=name).build_full_result()
    return result.get("Notifications", [])


@BudgetsErrorHandler.list_error_handler("describe notification subscribers", [])
@_RETRY
def describe_subscribers(client, account_id, name, notification):
    paginator = client.get_paginator("describe_subscribers_for_notification")
    result = paginator.paginate(AccountId=account_id, BudgetName=name, Notification=notification)
    return result.build_full_result().get("Subscribers", [])


@BudgetsErrorHandler.common_error_handler("create budget")
@_RETRY
def create_budget(client, account_id, budget, notifications):
    client.create_budget(AccountId=account_id, Budget=budget, NotificationsWithSubscribers=notifications)


@BudgetsErrorHandler.common_error_handler("update budget")
@_RETRY
def update_budget(client, account_id, budget):
    client.update_budget(AccountId=account_id, NewBudget=budget)


@BudgetsErrorHandler.deletion_error_handler("delete budget")
@_RETRY
def delete_budget(client, account_id, name):
    client.delete_budget(AccountId=account_id, BudgetName=name)


@BudgetsErrorHandler.common_error_handler("create budget notification")
@_RETRY
def create_notification(client, account_id, name, notification, subscribers):
    client.create_notification(
        AccountId=account_id, BudgetName=name, Notification=notification, Subscribers=subscribers
    )


@BudgetsErrorHandler.deletion_error_handler("delete budget notification")
@_RETRY
def delete_notification(client, account_id, name, notification):
    client.delete_notification(AccountId=account_id, BudgetName=name, Notification=notification)


# ---------------------------------------------------------------- shapes


def amount(value):
    """The canonical text of an amount ("100", "100.0" and "1E+2" are the same limit)."""
    normal = Decimal(str(value)).normalize()
    return format(normal, "f")


def api_notification(declared):
    return {
        "NotificationType": declared["notification_type"],
        "ComparisonOperator": declared["comparison_operator"],
        "Threshold": float(declared["threshold"]),
        "ThresholdType": declared["threshold_type"],
    }


def api_subscribers(declared):
    return [{"SubscriptionType": s["type"], "Address": s["address"]} for s in declared.get("subscribers") or []]


def api_budget(declared, current=None):
    """The Budget of a create or update; an update keeps what the module does not manage (cost types, period)."""
    budget = {
        "BudgetName": declared["name"],
        "BudgetType": declared["budget_type"],
        "BudgetLimit": {"Amount": amount(declared["limit_amount"]), "Unit": declared["limit_unit"]},
        "TimeUnit": declared["time_unit"],
        "CostFilters": {key: list(values) for key, values in (declared.get("cost_filters") or {}).items()},
    }
    for kept in ("CostTypes", "TimePeriod"):
        if current and kept in current:
            budget[kept] = current[kept]
    return budget


def notification_key(notification):
    return (
        notification["NotificationType"],
        notification["ComparisonOperator"],
        float(notification["Threshold"]),
        notification.get("ThresholdType") or "PERCENTAGE",
    )


def subscriber_set(subscribers):
    return sorted((s["SubscriptionType"], s["Address"]) for s in subscribers)


def budget_view(budget, notifications):
    """A budget and its {notification key: subscribers} in the shape of the module's options."""
    limit = budget.get("BudgetLimit") or {}
    return {
        "name": budget["BudgetName"],
        "budget_type": budget.get("BudgetType"),
        "limit_amount": amount(limit.get("Amount", "0")),
        "limit_unit": limit.get("Unit"),
        "time_unit": budget.get("TimeUnit"),
        "cost_filters": {key: sorted(values) for key, values in (budget.get("CostFilters") or {}).items()},
        "notifications": [
            {
                "notification_type": key[0],
                "comparison_operator": key[1],
                "threshold": key[2],
                "threshold_type": key[3],
                "subscribers": [{"type": kind, "address": address} for kind, address in subscribers],
            }
            for key, subscribers in sorted(notifications.items())
        ],
    }


def budget_differs(current, desired):
    """Whether the managed fields of two Budget structures differ."""

    def managed(budget):
        limit = budget.get("BudgetLimit") or {}
        filters = {key: sorted(values) for key, values in (budget.get("CostFilters") or {}).items()}
        kind, unit = budget.get("BudgetType"), limit.get("Unit")
        return (kind, amount(limit.get("Amount", "0")), unit, budget.get("TimeUnit"), filters)

    return managed(current) != managed(desired)


# ---------------------------------------------------------------- checks


def _notification_errors(field, notification):
    errors = []
    if notification["threshold"] <= 0:
        errors.append(f"{field}.threshold is {notification['threshold']}: give a threshold above 0.")
    subscribers = notification.get("subscribers") or []
    if not subscribers:
        errors.append(f"{field}.subscribers is empty: a notification needs 1 SNS topic and/or up to 10 emails.")
    for index, subscriber in enumerate(subscribers):
        where, address = f"{field}.subscribers[{index}]", subscriber["address"]
        if subscriber["type"] == "SNS" and not SNS_TOPIC_ARN.match(address):
            errors.append(f"{where}.address '{address}' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME).")
        if subscriber["type"] == "EMAIL" and not EMAIL.match(address):
            errors.append(f"{where}.address '{address}' is not an email address.")
    kinds = [s["type"] for s in subscribers]
    if kinds.count("SNS") > MAX_SNS_SUBSCRIBERS or kinds.count("EMAIL") > MAX_EMAIL_SUBSCRIBERS:
        errors.append(
            f"{field}.subscribers has {kinds.count('SNS')} SNS and {kinds.count('EMAIL')} EMAIL subscribers: "
            f"AWS allows at most {MAX_SNS_SUBSCRIBERS} SNS topic and {MAX_EMAIL_SUBSCRIBERS} emails per notification."
        )
    return errors


def _budget_errors(index, budget, prefix):
    field = f"budgets[{index}]"
    errors = []
    name = budget["name"]
    if not name.startswith(prefix) or name == prefix:
        errors.append(f"{field}.name '{name}' must start with the prefix '{prefix}' (the scope this task owns).")
    if ":" in name or "\\" in name or len(name) > 100:
        errors.append(f"{field}.name '{name}' must have at most 100 characters and no ':' or '\\'.")
    try:
        if Decimal(str(budget["limit_amount"])) <= 0:
            raise InvalidOperation
    except InvalidOperation:
        errors.append(f"{field}.limit_amount '{budget['limit_amount']}' must be a positive number, such as 500.")
    notifications = budget.get("notifications") or []
    if len(notifications) > MAX_NOTIFICATIONS:
        errors.append(f"{field}.notifications has {len(notifications)}: AWS allows {MAX_NOTIFICATIONS} per budget.")
    keys = []
    for position, notification in enumerate(notifications):
        where = f"{field}.notifications[{position}]"
        errors.extend(_notification_errors(where, notification))
        key = notification_key(api_notification(notification))
        if key in keys:
            errors.append(f"{where} repeats an earlier notification (same type, operator, threshold and type).")
        keys.append(key)
    return errors


def budgets_errors(prefix, budgets):
    """Every problem with the declared budgets, as messages naming the field and the fix (no AWS call)."""
    errors = [] if prefix else ["prefix is empty: give the name prefix of the budgets this task owns."]
    names = [b["name"] for b in budgets]
    for duplicate in sorted({n for n in names if names.count(n) > 1}):
        errors.append(f"budgets: the name '{duplicate}' is declared twice.")
    for index, budget in enumerate(budgets):
        errors.extend(_budget_errors(index, budget, prefix or ""))
    return errors
