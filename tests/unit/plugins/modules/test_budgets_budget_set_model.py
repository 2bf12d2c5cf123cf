"""budgets_budget_set: every declared budget's CreateBudget request checked against the Budgets model before the
set's first write (issue 20). Bounds are read from botocore's model."""

from __future__ import annotations

import botocore.session
from ansible_collections.securecloud.monitor.plugins.modules.budgets_budget_set import model_errors

from tests.unit.plugins.modules.test_budgets_budget_set import alert, declared

BUDGETS = botocore.session.get_session().get_service_model("budgets")
ACCOUNT = "123456789012"
NAME = BUDGETS.shape_for("BudgetName").metadata
THRESHOLD = BUDGETS.shape_for("Notification").members["Threshold"].metadata


def budget_set(*budgets):
    return {"state": "present", "prefix": "t-", "budgets": list(budgets)}


def test_valid_budgets_and_absent_have_no_errors():
    assert model_errors(BUDGETS, ACCOUNT, budget_set(declared(), declared(name="t-other"))) == []
    assert model_errors(BUDGETS, ACCOUNT, {"state": "absent", "prefix": "t-", "budgets": []}) == []


def test_a_name_longer_than_the_model_allows_names_the_budget_of_the_set():
    long_name = "t-" + "n" * NAME["max"]
    (error,) = model_errors(BUDGETS, ACCOUNT, budget_set(declared(), declared(name=long_name)))
    assert error.startswith(f"budgets[1].name '{long_name[:60]}")
    assert f"give {NAME['min']} to {NAME['max']} characters" in error


def test_a_threshold_above_the_model_names_the_notification():
    too_high = THRESHOLD["max"] * 10
    budget = declared(notifications=[alert(), alert(threshold=too_high)])
    (error,) = model_errors(BUDGETS, ACCOUNT, budget_set(budget))
    assert error.startswith("budgets[0].notifications[1].threshold ")
    assert f"from {THRESHOLD['min']} to {THRESHOLD['max']}" in error
