# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Budgets: API wrappers, the conversions between the option and API shapes of budgets_budget_set, the plan
that turns one budget's current notifications into the declared ones, and the checks of declared budgets.

Every call is wrapped with ``retry.jittered_backoff()`` and turned into :class:`AnsibleBudgetsError` by
:class:`BudgetsErrorHandler`; describe calls read every page. Budgets is a global service whose API lives in
us-east-1 only, so :func:`budgets_client` pins the region as ``shield.shield_client`` does.

A notification is identified by AWS, and here, by its type, comparison operator, threshold and threshold type
(:func:`notification_key`); its subscribers are a set of ``(type, address)`` pairs.
"""

import math
import re
from decimal import Decimal, InvalidOperation

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import is_arn
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff

BUDGETS_REGION = "us-east-1"
# AWS limits (Budgets API reference: Notification, NotificationWithSubscribers, NotificationThreshold).
MAX_NOTIFICATIONS = 10  # per budget: "A budget can have up to ten notifications."
MAX_EMAIL_SUBSCRIBERS = 10  # per notification
MAX_SNS_SUBSCRIBERS = 1  # per notification
MAX_PERCENTAGE_THRESHOLD = 1_000_000  # "The maximum limit for your threshold is 1,000,000%"
MAX_ABSOLUTE_THRESHOLD = 15_000_000_000_000  # the model's range of NotificationThreshold
MAX_NAME = 100
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Cost types of a COST budget: option name -> (API member, AWS default).
COST_TYPES = {
    "include_tax": ("IncludeTax", True),
    "include_subscription": ("IncludeSubscription", True),
    "use_blended": ("UseBlended", False),
    "include_refund": ("IncludeRefund", True),
    "include_credit": ("IncludeCredit", True),
    "include_upfront": ("IncludeUpfront", True),
    "include_recurring": ("IncludeRecurring", True),
    "include_other_subscription": ("IncludeOtherSubscription", True),
    "include_support": ("IncludeSupport", True),
    "include_discount": ("IncludeDiscount", True),
    "use_amortized": ("UseAmortized", False),
}
_RETRY = jittered_backoff()


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


@BudgetsErrorHandler.common_error_handler("update budget notification")
@_RETRY
def update_notification(client, account_id, name, old, new):
    client.update_notification(AccountId=account_id, BudgetName=name, OldNotification=old, NewNotification=new)


@BudgetsErrorHandler.deletion_error_handler("delete budget notification")
@_RETRY
def delete_notification(client, account_id, name, notification):
    client.delete_notification(AccountId=account_id, BudgetName=name, Notification=notification)


@BudgetsErrorHandler.common_error_handler("create notification subscriber")
@_RETRY
def create_subscriber(client, account_id, name, notification, subscriber):
    client.create_subscriber(AccountId=account_id, BudgetName=name, Notification=notification, Subscriber=subscriber)


@BudgetsErrorHandler.common_error_handler("update notification subscriber")
@_RETRY
def update_subscriber(client, account_id, name, notification, old, new):
    client.update_subscriber(
        AccountId=account_id, BudgetName=name, Notification=notification, OldSubscriber=old, NewSubscriber=new
    )


@BudgetsErrorHandler.deletion_error_handler("delete notification subscriber")
@_RETRY
def delete_subscriber(client, account_id, name, notification, subscriber):
    client.delete_subscriber(AccountId=account_id, BudgetName=name, Notification=notification, Subscriber=subscriber)


# ---------------------------------------------------------------- shapes


def amount(value):
    """The canonical text of an amount ("100", "100.0" and "1E+2" are the same limit)."""
    normal = Decimal(str(value)).normalize()
    return format(normal, "f")


def notification_key(notification):
    """What identifies an API Notification: (type, operator, threshold, threshold type), AWS's default filled in."""
    return (
        notification["NotificationType"],
        notification["ComparisonOperator"],
        float(notification["Threshold"]),
        notification.get("ThresholdType") or "PERCENTAGE",
    )


def declared_key(declared):
    """The notification_key of a declared notification (the module's options)."""
    return (
        declared["notification_type"],
        declared["comparison_operator"],
        float(declared["threshold"]),
        declared["threshold_type"],
    )


def api_notification(key):
    """The Notification of a request: only what identifies it (never the NotificationState AWS returns)."""
    return {"NotificationType": key[0], "ComparisonOperator": key[1], "Threshold": key[2], "ThresholdType": key[3]}


def api_subscriber(pair):
    return {"SubscriptionType": pair[0], "Address": pair[1]}


def subscriber_set(subscribers):
    """API Subscribers as a sorted list of (type, address)."""
    return sorted({(s["SubscriptionType"], s["Address"]) for s in subscribers})


def declared_subscribers(declared):
    return sorted({(s["type"], s["address"]) for s in declared.get("subscribers") or []})


def cost_types(api_cost_types):
    """Cost types as the option takes them, every AWS default filled in."""
    given = api_cost_types or {}
    return {option: given.get(member, default) for option, (member, default) in COST_TYPES.items()}


def api_cost_types(declared_cost_types):
    """The CostTypes of a request from the option: AWS's default for every cost type left out."""
    given = declared_cost_types or {}
    return {
        member: default if given.get(option) is None else given[option]
        for option, (member, default) in COST_TYPES.items()
    }


def api_budget(declared, current=None):
    """The Budget of a create or update call.

    An update keeps what the module does not manage (the time period, while the time unit stays) and, when
    O(cost_types) is not given, the budget's current cost types. A budget that is not a COST budget has no cost
    types.
    """
    budget = {
        "BudgetName": declared["name"],
        "BudgetType": declared["budget_type"],
        "BudgetLimit": {"Amount": amount(declared["limit_amount"]), "Unit": declared["limit_unit"]},
        "TimeUnit": declared["time_unit"],
        "CostFilters": {key: list(values) for key, values in (declared.get("cost_filters") or {}).items()},
    }
    if declared["budget_type"] == "COST":
        if declared.get("cost_types") is not None:
            budget["CostTypes"] = api_cost_types(declared["cost_types"])
        elif current and current.get("CostTypes"):
            budget["CostTypes"] = current["CostTypes"]
    # The period's start follows the time unit (the 1st of the month, of the quarter...): it is kept only while the
    # time unit is, as a start that fits one unit may not fit another.
    if current and current.get("TimePeriod") and current.get("TimeUnit") == declared["time_unit"]:
        budget["TimePeriod"] = current["TimePeriod"]
    return budget


def budget_view(budget, notifications):
    """An API Budget and its {notification key: subscriber set} in the shape of the module's options."""
    limit = budget.get("BudgetLimit") or {}
    view = {
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
    if budget.get("BudgetType") == "COST":
        view["cost_types"] = cost_types(budget.get("CostTypes"))
    return view


def _managed(budget):
    limit = budget.get("BudgetLimit") or {}
    filters = {key: sorted(values) for key, values in (budget.get("CostFilters") or {}).items()}
    kinds = cost_types(budget.get("CostTypes")) if budget.get("BudgetType") == "COST" else None
    return (
        budget.get("BudgetType"),
        amount(limit.get("Amount", "0")),
        limit.get("Unit"),
        budget.get("TimeUnit"),
        filters,
        kinds,
    )


def budget_differs(current, desired):
    """Whether the managed fields of two API Budgets differ (cost types with AWS's defaults filled in)."""
    return _managed(current) != _managed(desired)


# ---------------------------------------------------------------- the plan of one budget's notifications


def _subscriber_steps(key, current, desired):
    """Steps making a notification's subscribers ``current`` into ``desired`` (sets of (type, address)).

    A removed and an added subscriber of the same type become one UpdateSubscriber; then the new ones are created
    and only then the old ones deleted: AWS deletes a notification with its last subscriber, and this order never
    goes over 1 SNS topic or 10 emails either (per type, only additions or only removals are left after pairing).
    """
    steps = []
    added = {kind: sorted(a for t, a in set(desired) - set(current) if t == kind) for kind in ("SNS", "EMAIL")}
    removed = {kind: sorted(a for t, a in set(current) - set(desired) if t == kind) for kind in ("SNS", "EMAIL")}
    for kind in ("SNS", "EMAIL"):
        pairs = min(len(removed[kind]), len(added[kind]))
        steps.extend(("update_subscriber", key, (kind, removed[kind][i]), (kind, added[kind][i])) for i in range(pairs))
    for kind in ("SNS", "EMAIL"):
        steps.extend(("create_subscriber", key, (kind, new)) for new in added[kind][len(removed[kind]) :])
    for kind in ("SNS", "EMAIL"):
        steps.extend(("delete_subscriber", key, (kind, old)) for old in removed[kind][len(added[kind]) :])
    return steps


def notification_steps(current, desired):
    """The calls that make a budget's notifications ``current`` into ``desired``, in order.

    Both are ``{notification key: subscriber set}``. A notification kept as it is needs no call. A declared
    notification that does not exist takes the place of an undeclared one of the same type (UpdateNotification,
    which keeps its subscribers, then the subscriber changes), paired in key order (operator, threshold); the rest
    are deleted (first, to stay within AWS's 10 per budget) and created (last). Steps are tuples naming the API
    call, the notification key, then the call's other arguments.
    """
    steps, updates, creates = [], [], []
    gone = sorted(set(current) - set(desired))
    new = sorted(set(desired) - set(current))
    for kind in sorted({k[0] for k in gone} | {k[0] for k in new}):
        old_keys = [k for k in gone if k[0] == kind]
        new_keys = [k for k in new if k[0] == kind]
        for index in range(min(len(old_keys), len(new_keys))):
            old, replacement = old_keys[index], new_keys[index]
            updates.append(("update_notification", old, replacement))
            updates.extend(_subscriber_steps(replacement, current[old], desired[replacement]))
        steps.extend(("delete_notification", old) for old in old_keys[len(new_keys) :])
        creates.extend(("create_notification", key, desired[key]) for key in new_keys[len(old_keys) :])
    for key in sorted(set(current) & set(desired)):
        updates.extend(_subscriber_steps(key, current[key], desired[key]))
    return steps + updates + creates


# ---------------------------------------------------------------- checks


def _number(value):
    """A finite Decimal, or None (for anything that is not a number or the text of one)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _notification_errors(field, notification):
    errors = []
    threshold, threshold_type = notification["threshold"], notification["threshold_type"]
    top = MAX_PERCENTAGE_THRESHOLD if threshold_type == "PERCENTAGE" else MAX_ABSOLUTE_THRESHOLD
    if not math.isfinite(threshold) or threshold <= 0 or threshold > top:
        what = "a percentage of the limit" if threshold_type == "PERCENTAGE" else "an amount in the limit's unit"
        errors.append(
            f"{field}.threshold is {threshold}: with threshold_type {threshold_type} it is {what}, above 0 and at "
            f"most {top:,} (AWS's limit)."
        )
    subscribers = notification.get("subscribers") or []
    if not subscribers:
        errors.append(f"{field}.subscribers is empty: a notification needs 1 SNS topic and/or up to 10 emails.")
    seen = set()
    for index, subscriber in enumerate(subscribers):
        where, address = f"{field}.subscribers[{index}]", subscriber["address"]
        if subscriber["type"] == "SNS" and not is_arn(address, "sns", resource_id="[A-Za-z0-9_-]{1,256}"):
            errors.append(f"{where}.address '{address}' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME).")
        if subscriber["type"] == "EMAIL" and not EMAIL.match(address):
            errors.append(f"{where}.address '{address}' is not an email address (name@example.com).")
        if (subscriber["type"], address) in seen:
            errors.append(f"{where} repeats an earlier subscriber: give each address once.")
        seen.add((subscriber["type"], address))
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
    if not name.startswith(prefix):
        errors.append(f"{field}.name '{name}' must start with the prefix '{prefix}' (the scope this task owns).")
    if not 1 <= len(name) <= MAX_NAME or ":" in name or "\\" in name or "/action/" in name:
        errors.append(
            f"{field}.name '{name}' must have 1 to {MAX_NAME} characters and no ':', '\\' or '/action/' (AWS rule)."
        )
    limit = _number(budget["limit_amount"])
    if limit is None or limit <= 0:
        errors.append(f"{field}.limit_amount '{budget['limit_amount']}' must be a positive number, such as 500.")
    if not (budget.get("limit_unit") or "").strip():
        errors.append(f"{field}.limit_unit is empty: give the unit of the limit (USD for a cost budget).")
    if budget.get("cost_types") is not None and budget["budget_type"] != "COST":
        errors.append(
            f"{field}.cost_types is set on a {budget['budget_type']} budget: only COST budgets have cost types; "
            "remove it."
        )
    for key, values in (budget.get("cost_filters") or {}).items():
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
            errors.append(f"{field}.cost_filters.{key} must be a non-empty list of names, such as ['Amazon EC2'].")
    notifications = budget.get("notifications") or []
    if len(notifications) > MAX_NOTIFICATIONS:
        errors.append(
            f"{field}.notifications has {len(notifications)}: AWS allows {MAX_NOTIFICATIONS} per budget; "
            "declare fewer alerts."
        )
    keys = []
    for position, notification in enumerate(notifications):
        where = f"{field}.notifications[{position}]"
        errors.extend(_notification_errors(where, notification))
        key = declared_key(notification)
        if key in keys:
            errors.append(
                f"{where} repeats notifications[{keys.index(key)}] (same type, operator, threshold and threshold "
                "type): merge their subscribers."
            )
        keys.append(key)
    return errors


def budgets_errors(prefix, budgets):
    """Every problem with the declared budgets, as messages naming the field and the fix (no AWS call)."""
    errors = [] if prefix else ["prefix is empty: give the name prefix of the budgets this task owns."]
    names = [b["name"] for b in budgets]
    for index, name in enumerate(names):
        if name in names[:index]:
            errors.append(
                f"budgets[{index}].name '{name}' repeats budgets[{names.index(name)}].name: budget names are unique."
            )
    for index, budget in enumerate(budgets):
        errors.extend(_budget_errors(index, budget, prefix or ""))
    return errors
