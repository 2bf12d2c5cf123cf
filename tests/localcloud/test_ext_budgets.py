"""AWS Budgets extensions (tools/localcloud/extensions/services/budgets.py) on a real server, real boto3:
budgets, notifications and subscribers on moto's own budgets, with AWS's checks and errors."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import Cloud

ACCOUNT = "123456789012"
NAME = "ext-monthly"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"
NO_VALIDATION = Config(retries={"mode": "standard", "total_max_attempts": 1}, parameter_validation=False)
NOTIFICATION = {
    "NotificationType": "ACTUAL",
    "ComparisonOperator": "GREATER_THAN",
    "Threshold": 80.0,
    "ThresholdType": "PERCENTAGE",
}
EMAIL_A = {"SubscriptionType": "EMAIL", "Address": "a@example.com"}
SNS = {"SubscriptionType": "SNS", "Address": TOPIC}


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


def _budget(name: str = NAME, **extra: Any) -> dict[str, Any]:
    return {
        "BudgetName": name,
        "BudgetLimit": {"Amount": "100", "Unit": "USD"},
        "TimeUnit": "MONTHLY",
        "BudgetType": "COST",
    } | extra


def _alert(threshold: float, *subscribers: dict[str, str], kind: str = "ACTUAL") -> dict[str, Any]:
    notification = dict(NOTIFICATION, Threshold=float(threshold), NotificationType=kind)
    return {"Notification": notification, "Subscribers": list(subscribers) or [EMAIL_A]}


@pytest.fixture
def budgets(cloud: Cloud) -> Any:
    client = cloud.client("budgets", config=NO_VALIDATION)
    client.create_budget(AccountId=ACCOUNT, Budget=_budget(), NotificationsWithSubscribers=[_alert(80)])
    return client


def _subscribers(client: Any, notification: dict[str, Any] = NOTIFICATION) -> list[dict[str, str]]:
    got = client.describe_subscribers_for_notification(AccountId=ACCOUNT, BudgetName=NAME, Notification=notification)
    return got["Subscribers"]


def _thresholds(client: Any) -> list[float]:
    got = client.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName=NAME)["Notifications"]
    return sorted(n["Threshold"] for n in got)


# -- budgets ----------------------------------------------------------------------------------------
def test_create_budget_stores_in_moto_with_aws_defaults(budgets: Any) -> None:
    budget = budgets.describe_budget(AccountId=ACCOUNT, BudgetName=NAME)["Budget"]
    assert budget["CostTypes"]["IncludeTax"] is True and budget["CostTypes"]["UseBlended"] is False
    assert "Start" in budget["TimePeriod"]
    notifications = budgets.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName=NAME)["Notifications"]
    assert notifications == [dict(NOTIFICATION, NotificationState="OK")]
    with pytest.raises(ClientError) as err:
        budgets.create_budget(AccountId=ACCOUNT, Budget=_budget())
    assert _code(err) == "DuplicateRecordException"


@pytest.mark.parametrize(
    ("budget", "alerts", "code"),
    [
        (_budget("ext:bad"), [], "InvalidParameterException"),
        (_budget("ext\\bad"), [], "InvalidParameterException"),
        (_budget("x" * 101), [], "InvalidParameterException"),
        ({k: v for k, v in _budget("ext-nolimit").items() if k != "BudgetLimit"}, [], "InvalidParameterException"),
        (_budget("ext-many"), [_alert(t) for t in range(10, 120, 10)], "CreationLimitExceededException"),
        (_budget("ext-two-sns"), [_alert(80, SNS, dict(SNS, Address=TOPIC + "2"))], "InvalidParameterException"),
        (_budget("ext-emails"), [_alert(80, *[dict(EMAIL_A, Address=f"{i}@x.io") for i in range(11)])], "Invalid"),
        (_budget("ext-bad-sns"), [_alert(80, dict(SNS, Address="alerts"))], "InvalidParameterException"),
        (_budget("ext-bad-mail"), [_alert(80, dict(EMAIL_A, Address="finops"))], "InvalidParameterException"),
        (_budget("ext-pct"), [_alert(1_000_001)], "InvalidParameterException"),
        (_budget("ext-twice"), [_alert(80), _alert(80)], "DuplicateRecordException"),
        (_budget("ext-no-subscribers"), [{"Notification": NOTIFICATION, "Subscribers": []}], "Invalid"),
    ],
    ids=[
        "colon",
        "backslash",
        "101 characters",
        "no limit",
        "11 notifications",
        "2 SNS topics",
        "11 emails",
        "SNS not an ARN",
        "email not an address",
        "percentage over 1000000",
        "same notification twice",
        "no subscriber",
    ],
)
def test_create_budget_refuses_what_aws_refuses(cloud: Cloud, budget: dict, alerts: list, code: str) -> None:
    client = cloud.client("budgets", config=NO_VALIDATION)
    with pytest.raises(ClientError) as err:
        client.create_budget(AccountId=ACCOUNT, Budget=budget, NotificationsWithSubscribers=alerts)
    assert _code(err).startswith(code)
    assert client.describe_budgets(AccountId=ACCOUNT).get("Budgets", []) == []


def test_update_budget_changes_the_limit_and_keeps_the_period(budgets: Any) -> None:
    before = budgets.describe_budget(AccountId=ACCOUNT, BudgetName=NAME)["Budget"]
    budgets.update_budget(AccountId=ACCOUNT, NewBudget=_budget(BudgetLimit={"Amount": "250", "Unit": "USD"}))
    after = budgets.describe_budget(AccountId=ACCOUNT, BudgetName=NAME)["Budget"]
    assert after["BudgetLimit"] == {"Amount": "250", "Unit": "USD"}
    assert after["TimePeriod"] == before["TimePeriod"]
    assert _thresholds(budgets) == [80.0]  # notifications are not touched


def test_update_budget_sets_cost_types_and_may_change_the_type(budgets: Any) -> None:
    budgets.update_budget(AccountId=ACCOUNT, NewBudget=_budget(CostTypes={"IncludeTax": False}))
    assert budgets.describe_budget(AccountId=ACCOUNT, BudgetName=NAME)["Budget"]["CostTypes"] == {"IncludeTax": False}
    # AWS: "You can change every part of a budget except for the budgetName and the calculatedSpend."
    new = _budget(BudgetType="USAGE", BudgetLimit={"Amount": "10", "Unit": "GB"}, CostTypes={"IncludeTax": True})
    budgets.update_budget(AccountId=ACCOUNT, NewBudget=new)
    after = budgets.describe_budget(AccountId=ACCOUNT, BudgetName=NAME)["Budget"]
    assert after["BudgetType"] == "USAGE" and "CostTypes" not in after


def test_update_budget_refuses_unknown_names_and_two_limits(budgets: Any) -> None:
    with pytest.raises(ClientError) as err:
        budgets.update_budget(AccountId=ACCOUNT, NewBudget=_budget("ext-none"))
    assert _code(err) == "NotFoundException"
    planned = {"1700000000": {"Amount": "1", "Unit": "USD"}}
    with pytest.raises(ClientError) as err:
        budgets.update_budget(AccountId=ACCOUNT, NewBudget=_budget(PlannedBudgetLimits=planned))
    assert _code(err) == "InvalidParameterException"


# -- notifications ----------------------------------------------------------------------------------
def test_notifications_of_an_unknown_budget(budgets: Any) -> None:
    with pytest.raises(ClientError) as err:
        budgets.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName="ext-none")
    assert _code(err) == "NotFoundException"


def test_notifications_come_in_pages(budgets: Any) -> None:
    for threshold in (90, 100, 110):
        budgets.create_notification(AccountId=ACCOUNT, BudgetName=NAME, **_alert(threshold))
    first = budgets.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName=NAME, MaxResults=2)
    assert len(first["Notifications"]) == 2 and first["NextToken"]
    pages = budgets.get_paginator("describe_notifications_for_budget").paginate(
        AccountId=ACCOUNT, BudgetName=NAME, PaginationConfig={"PageSize": 1}
    )
    assert sorted(n["Threshold"] for page in pages for n in page["Notifications"]) == [80.0, 90.0, 100.0, 110.0]


def test_create_notification_refuses_duplicates_and_an_eleventh(budgets: Any) -> None:
    with pytest.raises(ClientError) as err:
        budgets.create_notification(AccountId=ACCOUNT, BudgetName=NAME, **_alert(80))
    assert _code(err) == "DuplicateRecordException"
    for threshold in range(90, 180, 10):
        budgets.create_notification(AccountId=ACCOUNT, BudgetName=NAME, **_alert(threshold))
    assert len(_thresholds(budgets)) == 10
    with pytest.raises(ClientError) as err:
        budgets.create_notification(AccountId=ACCOUNT, BudgetName=NAME, **_alert(500))
    assert _code(err) == "CreationLimitExceededException"
    with pytest.raises(ClientError) as err:
        budgets.create_notification(AccountId=ACCOUNT, BudgetName="ext-none", **_alert(500))
    assert _code(err) == "NotFoundException"


def test_update_notification_keeps_its_subscribers(budgets: Any) -> None:
    new = dict(NOTIFICATION, Threshold=95.0)
    budgets.update_notification(AccountId=ACCOUNT, BudgetName=NAME, OldNotification=NOTIFICATION, NewNotification=new)
    assert _thresholds(budgets) == [95.0]
    assert _subscribers(budgets, new) == [EMAIL_A]
    with pytest.raises(ClientError) as err:  # the old one is gone
        budgets.update_notification(
            AccountId=ACCOUNT, BudgetName=NAME, OldNotification=NOTIFICATION, NewNotification=new
        )
    assert _code(err) == "NotFoundException"


def test_update_notification_onto_another_one_is_a_duplicate(budgets: Any) -> None:
    budgets.create_notification(AccountId=ACCOUNT, BudgetName=NAME, **_alert(100))
    with pytest.raises(ClientError) as err:
        budgets.update_notification(
            AccountId=ACCOUNT,
            BudgetName=NAME,
            OldNotification=NOTIFICATION,
            NewNotification=dict(NOTIFICATION, Threshold=100.0),
        )
    assert _code(err) == "DuplicateRecordException"
    with pytest.raises(ClientError) as err:
        budgets.update_notification(
            AccountId=ACCOUNT,
            BudgetName=NAME,
            OldNotification=NOTIFICATION,
            NewNotification=dict(NOTIFICATION, Threshold=2_000_000.0),
        )
    assert _code(err) == "InvalidParameterException"


def test_delete_notification(budgets: Any) -> None:
    with pytest.raises(ClientError) as err:
        budgets.delete_notification(AccountId=ACCOUNT, BudgetName=NAME, Notification=dict(NOTIFICATION, Threshold=1.0))
    assert _code(err) == "NotFoundException"
    # The threshold type defaults to PERCENTAGE, and the state in a request does not matter.
    plain = {k: v for k, v in NOTIFICATION.items() if k != "ThresholdType"} | {"NotificationState": "ALARM"}
    budgets.delete_notification(AccountId=ACCOUNT, BudgetName=NAME, Notification=plain)
    assert _thresholds(budgets) == []


# -- subscribers ------------------------------------------------------------------------------------
def test_subscribers_of_a_notification(budgets: Any) -> None:
    assert _subscribers(budgets) == [EMAIL_A]
    with pytest.raises(ClientError) as err:
        _subscribers(budgets, dict(NOTIFICATION, Threshold=90.0))
    assert _code(err) == "NotFoundException"


def test_create_subscriber_with_aws_limits(budgets: Any) -> None:
    budgets.create_subscriber(AccountId=ACCOUNT, BudgetName=NAME, Notification=NOTIFICATION, Subscriber=SNS)
    assert _subscribers(budgets) == [EMAIL_A, SNS]
    cases = [
        (SNS, "DuplicateRecordException"),
        (dict(SNS, Address=TOPIC + "2"), "CreationLimitExceededException"),
        (dict(EMAIL_A, Address="not-an-address"), "InvalidParameterException"),
    ]
    for subscriber, code in cases:
        with pytest.raises(ClientError) as err:
            budgets.create_subscriber(
                AccountId=ACCOUNT, BudgetName=NAME, Notification=NOTIFICATION, Subscriber=subscriber
            )
        assert _code(err) == code, subscriber
    for index in range(9):
        subscriber = dict(EMAIL_A, Address=f"{index}@example.com")
        budgets.create_subscriber(AccountId=ACCOUNT, BudgetName=NAME, Notification=NOTIFICATION, Subscriber=subscriber)
    with pytest.raises(ClientError) as err:
        eleventh = dict(EMAIL_A, Address="z@example.com")
        budgets.create_subscriber(AccountId=ACCOUNT, BudgetName=NAME, Notification=NOTIFICATION, Subscriber=eleventh)
    assert _code(err) == "CreationLimitExceededException"


def test_update_subscriber(budgets: Any) -> None:
    new = dict(EMAIL_A, Address="b@example.com")
    budgets.update_subscriber(
        AccountId=ACCOUNT, BudgetName=NAME, Notification=NOTIFICATION, OldSubscriber=EMAIL_A, NewSubscriber=new
    )
    assert _subscribers(budgets) == [new]
    with pytest.raises(ClientError) as err:
        budgets.update_subscriber(
            AccountId=ACCOUNT, BudgetName=NAME, Notification=NOTIFICATION, OldSubscriber=EMAIL_A, NewSubscriber=new
        )
    assert _code(err) == "NotFoundException"
    budgets.create_subscriber(AccountId=ACCOUNT, BudgetName=NAME, Notification=NOTIFICATION, Subscriber=EMAIL_A)
    with pytest.raises(ClientError) as err:
        budgets.update_subscriber(
            AccountId=ACCOUNT, BudgetName=NAME, Notification=NOTIFICATION, OldSubscriber=EMAIL_A, NewSubscriber=new
        )
    assert _code(err) == "DuplicateRecordException"


def test_deleting_the_last_subscriber_deletes_the_notification(budgets: Any) -> None:
    budgets.create_subscriber(AccountId=ACCOUNT, BudgetName=NAME, Notification=NOTIFICATION, Subscriber=SNS)
    budgets.delete_subscriber(AccountId=ACCOUNT, BudgetName=NAME, Notification=NOTIFICATION, Subscriber=EMAIL_A)
    assert _subscribers(budgets) == [SNS]
    with pytest.raises(ClientError) as err:
        budgets.delete_subscriber(AccountId=ACCOUNT, BudgetName=NAME, Notification=NOTIFICATION, Subscriber=EMAIL_A)
    assert _code(err) == "NotFoundException"
    budgets.delete_subscriber(AccountId=ACCOUNT, BudgetName=NAME, Notification=NOTIFICATION, Subscriber=SNS)
    assert _thresholds(budgets) == []


def test_moto_still_serves_delete_budget(budgets: Any) -> None:
    budgets.delete_budget(AccountId=ACCOUNT, BudgetName=NAME)
    assert budgets.describe_budgets(AccountId=ACCOUNT).get("Budgets", []) == []
    with pytest.raises(ClientError) as err:
        budgets.delete_budget(AccountId=ACCOUNT, BudgetName=NAME)
    assert _code(err) == "NotFoundException"
