"""Bad input to budgets_budget_set fails with a message that names the field (and AWS's rule), and no mutating call
reaches the emulator (checked with its request recorder). More budget cases are in test_observability_bad_input.py."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import run_module
from tools.harness import recorder

pytestmark = pytest.mark.slow

BUDGETS = "securecloud.monitor.budgets_budget_set"
ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"


def alert(threshold=80, *subscribers, **extra):
    return {
        "notification_type": "ACTUAL",
        "threshold": threshold,
        "subscribers": list(subscribers) or [{"type": "SNS", "address": TOPIC}],
    } | extra


def budget(**extra):
    return {"name": "t-monthly", "limit_amount": "100", "notifications": [alert()]} | extra


def emails(count):
    return [{"type": "EMAIL", "address": f"ops{i}@example.com"} for i in range(count)]


CASES = [
    (
        "email subscriber that is not an address",
        {"budgets": [budget(notifications=[alert(80, {"type": "EMAIL", "address": "finops-team"})])]},
        "budgets[0].notifications[0].subscribers[0].address 'finops-team' is not an email address",
    ),
    (
        "two SNS topics on one notification",
        {
            "budgets": [
                budget(
                    notifications=[
                        alert(80, {"type": "SNS", "address": TOPIC}, {"type": "SNS", "address": TOPIC + "2"})
                    ]
                )
            ]
        },
        "budgets[0].notifications[0].subscribers has 2 SNS and 0 EMAIL subscribers: AWS allows at most 1 SNS topic",
    ),
    (
        "eleven email subscribers",
        {"budgets": [budget(notifications=[alert(80, *emails(11))])]},
        "budgets[0].notifications[0].subscribers has 0 SNS and 11 EMAIL subscribers",
    ),
    (
        "eleven notifications",
        {"budgets": [budget(notifications=[alert(t) for t in range(10, 120, 10)])]},
        "budgets[0].notifications has 11: AWS allows 10 per budget",
    ),
    (
        "percentage threshold over AWS's maximum",
        {"budgets": [budget(notifications=[alert(2_000_000)])]},
        "budgets[0].notifications[0].threshold is 2000000.0: with threshold_type PERCENTAGE",
    ),
    (
        "budget name with a colon",
        {"budgets": [budget(name="t-cost:monthly")]},
        "budgets[0].name 't-cost:monthly' must have 1 to 100 characters and no ':'",
    ),
    (
        "two budgets with one name",
        {"budgets": [budget(), budget(limit_amount="200")]},
        "budgets[1].name 't-monthly' repeats budgets[0].name",
    ),
    (
        "limit that is not a number",
        {"budgets": [budget(limit_amount="a lot")]},
        "budgets[0].limit_amount 'a lot' must be a positive number",
    ),
    (
        "cost types on a usage budget",
        {"budgets": [budget(budget_type="USAGE", limit_unit="GB", cost_types={"include_tax": False})]},
        "budgets[0].cost_types is set on a USAGE budget",
    ),
    (
        "unknown cost type",
        {"budgets": [budget(cost_types={"include_taxes": False})]},
        "include_taxes",
    ),
    ("account ID that is not 12 digits", {"account_id": "1234"}, "account_id '1234' must be the 12-digit account ID"),
]


@pytest.mark.parametrize(("case", "arguments", "message"), CASES, ids=[case[0] for case in CASES])
def test_bad_budget_input_names_the_field_and_changes_nothing(module_cloud, tmp_path, case, arguments, message):
    recorder.start(module_cloud.endpoint)
    returncode, result = run_module(module_cloud, tmp_path, BUDGETS, {"prefix": "t-", **arguments})
    calls = recorder.stop(module_cloud.endpoint)

    assert returncode != 0 and result.get("failed"), result
    assert message in result["msg"], result["msg"]
    assert [c.operation for c in calls if c.mutating] == []
    assert module_cloud.client("budgets").describe_budgets(AccountId=ACCOUNT).get("Budgets", []) == []
