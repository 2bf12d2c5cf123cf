"""module_utils/budgets: canonical comparison and checks; budgets_budget_set's calls on a no-op (Stubber)."""

from __future__ import annotations

import json

import botocore.session
import pytest
from ansible.module_utils.testing import patch_module_args
from ansible_collections.securecloud.monitor.plugins.module_utils import budgets as bg
from ansible_collections.securecloud.monitor.plugins.modules import budgets_budget_set as module
from botocore.stub import Stubber

ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"


def declared(**extra):
    return {
        "name": "t-monthly",
        "budget_type": "COST",
        "limit_amount": "500",
        "limit_unit": "USD",
        "time_unit": "MONTHLY",
        "cost_filters": {},
        "notifications": [
            {
                "notification_type": "ACTUAL",
                "comparison_operator": "GREATER_THAN",
                "threshold": 80.0,
                "threshold_type": "PERCENTAGE",
                "subscribers": [{"type": "SNS", "address": TOPIC}],
            }
        ],
    } | extra


@pytest.mark.parametrize(("a", "b"), [("500", "500.0"), ("500", "5E+2"), ("0.10", "0.1")])
def test_amounts_compare_as_numbers(a, b):
    assert bg.amount(a) == bg.amount(b)
    current = bg.api_budget(declared(limit_amount=a))
    assert not bg.budget_differs(current, bg.api_budget(declared(limit_amount=b)))


def test_what_aws_adds_is_not_a_difference():
    current = bg.api_budget(declared()) | {"CostTypes": {"IncludeTax": True}, "CalculatedSpend": {}, "TimePeriod": {}}
    assert not bg.budget_differs(current, bg.api_budget(declared()))
    assert bg.budget_differs(current, bg.api_budget(declared(time_unit="ANNUALLY")))
    assert bg.budget_differs(current, bg.api_budget(declared(cost_filters={"Service": ["Amazon EC2"]})))


def test_an_update_keeps_cost_types_and_period():
    current = {"CostTypes": {"IncludeTax": False}, "TimePeriod": {"Start": 1}}
    update = bg.api_budget(declared(limit_amount="600"), current)
    assert update["CostTypes"] == {"IncludeTax": False} and update["TimePeriod"] == {"Start": 1}


def test_valid_budgets_have_no_errors_and_bad_ones_name_the_field():
    assert bg.budgets_errors("t-", [declared()]) == []
    errors = bg.budgets_errors("t-", [declared(name="t-a:b"), declared(name="t-a:b", limit_amount="x")])
    assert any("budgets: the name 't-a:b' is declared twice" in e for e in errors)
    assert any("budgets[1].limit_amount 'x'" in e for e in errors)
    assert any("budgets[0].name 't-a:b' must have" in e for e in errors)


def test_a_rerun_makes_read_calls_only(monkeypatch, capsys):
    client = botocore.session.get_session().create_client(
        "budgets", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )
    stubber = Stubber(client)
    budget = bg.api_budget(declared())
    notification = bg.api_notification(declared()["notifications"][0])
    stubber.add_response("describe_budgets", {"Budgets": [budget]}, {"AccountId": ACCOUNT})
    stubber.add_response(
        "describe_notifications_for_budget",
        {"Notifications": [notification]},
        {"AccountId": ACCOUNT, "BudgetName": "t-monthly"},
    )
    stubber.add_response(
        "describe_subscribers_for_notification",
        {"Subscribers": [{"SubscriptionType": "SNS", "Address": TOPIC}]},
        {"AccountId": ACCOUNT, "BudgetName": "t-monthly", "Notification": notification},
    )
    monkeypatch.setattr(bg, "budgets_client", lambda _module: client)
    args = {"prefix": "t-", "account_id": ACCOUNT, "budgets": [declared()], "region": "eu-west-1"}
    with stubber, patch_module_args(args), pytest.raises(SystemExit):
        module.main()
    stubber.assert_no_pending_responses()
    result = json.loads(capsys.readouterr().out)
    assert result["changed"] is False
    assert result["changes"] == {"created": [], "updated": [], "deleted": []}
