"""AWS Budgets UpdateBudget and DescribeSubscribersForNotification, on moto's own budgets."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
NOTIFICATION = {
    "NotificationType": "ACTUAL",
    "ComparisonOperator": "GREATER_THAN",
    "Threshold": 80.0,
    "ThresholdType": "PERCENTAGE",
}


@pytest.fixture
def budgets(cloud):
    client = cloud.client("budgets")
    name = "ext-monthly"
    client.create_budget(
        AccountId=ACCOUNT,
        Budget={
            "BudgetName": name,
            "BudgetLimit": {"Amount": "100", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
        NotificationsWithSubscribers=[
            {"Notification": NOTIFICATION, "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "a@example.com"}]}
        ],
    )
    yield client
    client.delete_budget(AccountId=ACCOUNT, BudgetName=name)


def test_update_budget_changes_the_limit_and_keeps_the_period(budgets):
    before = budgets.describe_budget(AccountId=ACCOUNT, BudgetName="ext-monthly")["Budget"]
    budgets.update_budget(
        AccountId=ACCOUNT,
        NewBudget={
            "BudgetName": "ext-monthly",
            "BudgetLimit": {"Amount": "250", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
    )
    after = budgets.describe_budget(AccountId=ACCOUNT, BudgetName="ext-monthly")["Budget"]
    assert after["BudgetLimit"] == {"Amount": "250", "Unit": "USD"}
    assert after["TimePeriod"] == before["TimePeriod"]


def test_update_budget_refuses_another_type_and_unknown_names(budgets):
    new = {"BudgetName": "ext-monthly", "BudgetLimit": {"Amount": "1", "Unit": "USD"}, "TimeUnit": "MONTHLY"}
    with pytest.raises(ClientError) as err:
        budgets.update_budget(AccountId=ACCOUNT, NewBudget=dict(new, BudgetType="USAGE"))
    assert err.value.response["Error"]["Code"] == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        budgets.update_budget(AccountId=ACCOUNT, NewBudget=dict(new, BudgetName="ext-none", BudgetType="COST"))
    assert err.value.response["Error"]["Code"] == "NotFoundException"


def test_subscribers_of_a_notification(budgets):
    got = budgets.describe_subscribers_for_notification(
        AccountId=ACCOUNT, BudgetName="ext-monthly", Notification=NOTIFICATION
    )
    assert got["Subscribers"] == [{"SubscriptionType": "EMAIL", "Address": "a@example.com"}]
    with pytest.raises(ClientError) as err:
        budgets.describe_subscribers_for_notification(
            AccountId=ACCOUNT, BudgetName="ext-monthly", Notification=dict(NOTIFICATION, Threshold=90.0)
        )
    assert err.value.response["Error"]["Code"] == "NotFoundException"
