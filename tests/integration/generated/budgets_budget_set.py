"""Generated valid inputs of budgets_budget_set (a set module: round 1 keeps, changes, drops and adds budgets).

Limits used (AWS Budgets API reference and quotas): BudgetName 1-100 characters without ``:``, ``\\`` or ``/action/``;
Spend.Amount a positive decimal (``([0-9]*\\.)?[0-9]+``); BudgetLimit "the only valid value for RI or Savings Plans
utilization or coverage budgets" is 100 (PERCENTAGE); CostTypes only for COST budgets; TimeUnit DAILY, MONTHLY,
QUARTERLY or ANNUALLY; at most 10 notifications per budget, each unique by type, operator, threshold and threshold
type, with 1 SNS subscriber and at most 10 email subscribers; NotificationThreshold above 0, up to 1000000 for a
PERCENTAGE and 15000000000000 for an ABSOLUTE_VALUE; cost filters by dimension (Service, Region, UsageTypeGroup,
TagKeyValue)."""

from __future__ import annotations

import string

from tests.integration.generated.base import Generator
from tests.integration.generated.set_members import kept_or_remade, new_member_name
from tests.integration.generated.values import maybe, text

NAME_CHARS = string.ascii_letters + string.digits + " _-.()[]+=@#&!$%"
COST_TYPES = [
    "include_tax",
    "include_subscription",
    "use_blended",
    "include_refund",
    "include_credit",
    "include_upfront",
    "include_recurring",
    "include_other_subscription",
    "include_support",
    "include_discount",
    "use_amortized",
]
FILTERS = {
    "Service": ["Amazon Elastic Compute Cloud - Compute", "Amazon Simple Storage Service", "AWS Lambda"],
    "Region": ["us-east-1", "eu-west-1", "ap-southeast-2"],
    "TagKeyValue": ["user:env$prod", "user:team$platform", "user:env$"],
}
RESERVATIONS = ["RI_UTILIZATION", "RI_COVERAGE", "SAVINGS_PLANS_UTILIZATION", "SAVINGS_PLANS_COVERAGE"]


def limit_amount(rng):
    amount = rng.choice([rng.randint(1, 10_000), round(rng.uniform(0.01, 1_000_000), 2), 0.01, 99_999_999])
    return str(amount) if rng.random() < 0.4 else amount


def notification(rng, kind, operator, threshold_type, topic):
    top = 1_000_000 if threshold_type == "PERCENTAGE" else 15_000_000_000_000
    threshold = rng.choice([rng.randint(1, 200), round(rng.uniform(0.1, 120), 1), top])
    subscribers = [
        {
            "type": "EMAIL",
            "address": f"{text(rng, 1, 20, string.ascii_lowercase + string.digits + '.+_')}-{i}@example.com",
        }
        for i in range(rng.choice([0, 1, 2, 10]))
    ]
    if not subscribers or rng.random() < 0.5:
        subscribers.append({"type": "SNS", "address": topic})
    item = {"notification_type": kind, "threshold": threshold, "subscribers": subscribers}
    if operator != "GREATER_THAN" or rng.random() < 0.5:
        item["comparison_operator"] = operator
    if threshold_type != "PERCENTAGE" or rng.random() < 0.5:
        item["threshold_type"] = threshold_type
    return item


def notifications(rng, topic):
    keys = [
        (kind, operator, threshold_type)
        for kind in ("ACTUAL", "FORECASTED")
        for operator in ("GREATER_THAN", "LESS_THAN", "EQUAL_TO")
        for threshold_type in ("PERCENTAGE", "ABSOLUTE_VALUE")
    ]
    # Distinct (type, operator, threshold type) keep the notifications unique whatever their thresholds.
    chosen = rng.sample(keys, rng.choice([0, 1, 3, 10]))
    return [notification(rng, *key, topic) for key in chosen]


class BudgetsBudgetSet(Generator):
    module = "securecloud.monitor.budgets_budget_set"
    predicted = ("changes",)

    def prepare(self, cloud):
        topic = cloud.client("sns").create_topic(Name=f"gen-budgets-{self.rng.randint(0, 10**5)}")["TopicArn"]
        return {"prefix": f"gen-budget-{self.rng.randint(0, 10**5)}-", "topic": topic}

    def budget(self, name, budget_type=None):
        budget_type = budget_type or self.rng.choice(["COST"] * 4 + ["USAGE"] * 2 + RESERVATIONS)
        budget = {"name": name}
        if budget_type != "COST" or self.rng.random() < 0.5:
            budget["budget_type"] = budget_type
        if budget_type in RESERVATIONS:
            budget |= {"limit_amount": 100, "limit_unit": "PERCENTAGE", "time_unit": self.rng.choice(["MONTHLY"])}
            budget["cost_filters"] = {"Service": ["Amazon Elastic Compute Cloud - Compute"]}
        else:
            budget["limit_amount"] = limit_amount(self.rng)
            if budget_type == "USAGE":
                budget["limit_unit"] = self.rng.choice(["GB", "Hrs"])
            maybe(self.rng, budget, "time_unit", self.rng.choice(["DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY"]))
            filters = self.rng.sample(sorted(FILTERS), self.rng.randint(0, len(FILTERS)))
            maybe(
                self.rng,
                budget,
                "cost_filters",
                {k: self.rng.sample(FILTERS[k], self.rng.randint(1, 3)) for k in filters},
            )
        if budget_type == "COST":
            chosen = self.rng.sample(COST_TYPES, self.rng.randint(0, len(COST_TYPES)))
            maybe(self.rng, budget, "cost_types", {key: self.rng.random() < 0.5 for key in chosen})
        maybe(self.rng, budget, "notifications", notifications(self.rng, self.context["topic"]))
        return budget

    def new_name(self):
        return new_member_name(self.rng, self.context, 100, NAME_CHARS)

    def remade(self, budget):
        """Declared anew: a cost budget may become a usage budget and back (updated in place); reservation types
        stay what they are."""
        kind = budget.get("budget_type", "COST")
        return self.budget(budget["name"], kind if kind in RESERVATIONS else self.rng.choice(["COST", "USAGE"]))

    def arguments(self, round_index):
        if round_index == 0:
            budgets = [self.budget(self.new_name()) for _count in range(self.rng.randint(1, 4))]
        else:
            budgets = kept_or_remade(self.rng, self.previous[0]["budgets"], self.remade)
            budgets += [self.budget(self.new_name()) for _count in range(2)]
        return [{"prefix": self.context["prefix"], "budgets": budgets}]

    def check(self, round_index, declared, results, cloud):
        client = cloud.client("budgets")
        account = cloud.client("sts").get_caller_identity()["Account"]
        found = {
            budget["BudgetName"]: budget
            for page in client.get_paginator("describe_budgets").paginate(AccountId=account)
            for budget in page.get("Budgets", [])
            if budget["BudgetName"].startswith(self.context["prefix"])
        }
        assert sorted(found) == sorted(b["name"] for b in declared[0]["budgets"]), sorted(found)
        for budget in declared[0]["budgets"]:
            assert found[budget["name"]]["TimeUnit"] == budget.get("time_unit", "MONTHLY"), found[budget["name"]]
            assert float(found[budget["name"]]["BudgetLimit"]["Amount"]) == float(budget["limit_amount"])
