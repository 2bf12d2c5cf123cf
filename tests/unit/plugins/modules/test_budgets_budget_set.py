"""plugins/module_utils/budgets.py and plugins/modules/budgets_budget_set.py: canonical comparison with AWS's defaults,
the plan of a budget's notifications and subscribers (checked against AWS's rules), input checks that make no call,
and the module's calls against botocore Stubbers."""

from __future__ import annotations

import random

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils import budgets as bg
from ansible_collections.securecloud.monitor.plugins.modules import budgets_budget_set as module

from tests.unit.aws_stub import AwsStub, stubbed_client
from tests.unit.set_convention import assert_no_deprecation, fresh_deprecations

ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"
OTHER_TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:finops"
SNS = ("SNS", TOPIC)
AWS_COST_TYPES = {
    "IncludeCredit": True,
    "IncludeDiscount": True,
    "IncludeOtherSubscription": True,
    "IncludeRecurring": True,
    "IncludeRefund": True,
    "IncludeSubscription": True,
    "IncludeSupport": True,
    "IncludeTax": True,
    "IncludeUpfront": True,
    "UseAmortized": False,
    "UseBlended": False,
}


def alert(kind="ACTUAL", threshold=80.0, *subscribers, **extra):
    return {
        "notification_type": kind,
        "comparison_operator": "GREATER_THAN",
        "threshold": float(threshold),
        "threshold_type": "PERCENTAGE",
        "subscribers": [{"type": t, "address": a} for t, a in (subscribers or [SNS])],
    } | extra


def declared(**extra):
    """A budget as the module's options look after Ansible filled in the defaults."""
    return {
        "name": "t-monthly",
        "budget_type": "COST",
        "limit_amount": "500",
        "limit_unit": "USD",
        "time_unit": "MONTHLY",
        "cost_filters": {},
        "cost_types": None,
        "notifications": [alert()],
    } | extra


def as_aws_returns(budget):
    """An API Budget as AWS describes it: cost types and period filled in, the amount with a decimal."""
    returned = dict(budget, BudgetLimit=dict(budget["BudgetLimit"], Amount=str(float(budget["BudgetLimit"]["Amount"]))))
    if budget["BudgetType"] == "COST":
        returned.setdefault("CostTypes", AWS_COST_TYPES)
    return returned | {"TimePeriod": {"Start": 1700000000, "End": 3706473600}}


def key(kind="ACTUAL", threshold=80.0, operator="GREATER_THAN", threshold_type="PERCENTAGE"):
    return (kind, operator, float(threshold), threshold_type)


# ---------------------------------------------------------------- canonical comparison


@pytest.mark.parametrize(("a", "b"), [("500", "500.0"), ("500", "5E+2"), ("0.10", "0.1"), (500, "500.00")])
def test_amounts_compare_as_numbers(a, b):
    assert bg.amount(a) == bg.amount(b)
    current = as_aws_returns(bg.api_budget(declared(limit_amount=a)))
    assert not bg.budget_differs(current, bg.api_budget(declared(limit_amount=b), current))


def test_what_aws_adds_is_not_a_difference():
    current = as_aws_returns(bg.api_budget(declared())) | {"CalculatedSpend": {}, "LastUpdatedTime": 1}
    assert not bg.budget_differs(current, bg.api_budget(declared(), current))
    assert bg.budget_differs(current, bg.api_budget(declared(time_unit="ANNUALLY"), current))
    assert bg.budget_differs(current, bg.api_budget(declared(limit_unit="EUR"), current))
    assert bg.budget_differs(current, bg.api_budget(declared(budget_type="USAGE"), current))
    assert bg.budget_differs(current, bg.api_budget(declared(cost_filters={"Service": ["Amazon EC2"]}), current))


def test_cost_filter_values_are_a_set():
    filters = {"Service": ["b", "a"]}
    current = as_aws_returns(bg.api_budget(declared(cost_filters=filters)))
    assert not bg.budget_differs(current, bg.api_budget(declared(cost_filters={"Service": ["a", "b"]}), current))


@pytest.mark.parametrize(
    ("current_cost_types", "declared_cost_types", "differs"),
    [
        (AWS_COST_TYPES, None, False),  # not declared: left as it is
        ({"IncludeTax": False}, None, False),
        (AWS_COST_TYPES, {"include_tax": True}, False),  # every other one takes AWS's default
        (AWS_COST_TYPES, dict.fromkeys(bg.COST_TYPES), False),  # Ansible's None for each suboption left out
        (None, {"use_blended": False}, False),  # AWS's defaults when it returns none
        (AWS_COST_TYPES, {"include_tax": False}, True),
        ({"IncludeTax": False}, {"include_credit": True}, True),  # IncludeTax goes back to AWS's default
        (AWS_COST_TYPES, {"use_amortized": True}, True),
    ],
)
def test_cost_types_compare_with_aws_defaults(current_cost_types, declared_cost_types, differs):
    current = as_aws_returns(bg.api_budget(declared()))
    if current_cost_types is None:
        del current["CostTypes"]
    else:
        current["CostTypes"] = current_cost_types
    desired = bg.api_budget(declared(cost_types=declared_cost_types), current)
    assert bg.budget_differs(current, desired) is differs


def test_cost_types_of_other_budget_types_are_ignored():
    usage = declared(budget_type="USAGE", limit_unit="GB")
    current = as_aws_returns(bg.api_budget(usage)) | {"CostTypes": {"IncludeTax": False}}
    assert "CostTypes" not in bg.api_budget(usage, current)
    assert not bg.budget_differs(current, bg.api_budget(usage, current))
    assert "cost_types" not in bg.budget_view(current, {})


def test_an_update_keeps_period_and_undeclared_cost_types_and_sends_declared_ones_whole():
    current = as_aws_returns(bg.api_budget(declared())) | {"CostTypes": {"IncludeTax": False}}
    update = bg.api_budget(declared(limit_amount="600"), current)
    assert update["CostTypes"] == {"IncludeTax": False}
    assert update["TimePeriod"] == {"Start": 1700000000, "End": 3706473600}
    update = bg.api_budget(declared(cost_types={"include_support": False}), current)
    assert update["CostTypes"] == AWS_COST_TYPES | {"IncludeSupport": False}
    assert "CostTypes" not in bg.api_budget(declared())  # a new budget takes AWS's defaults


def test_a_new_time_unit_lets_aws_start_the_period_again():
    current = as_aws_returns(bg.api_budget(declared()))
    update = bg.api_budget(declared(time_unit="QUARTERLY"), current)
    assert "TimePeriod" not in update and update["TimeUnit"] == "QUARTERLY"


def test_the_view_has_the_options_shape_with_defaults():
    budget = {"BudgetName": "t-a", "BudgetType": "COST", "BudgetLimit": {"Amount": "750.00", "Unit": "USD"}}
    view = bg.budget_view(budget | {"TimeUnit": "MONTHLY"}, {key(): [("EMAIL", "b@x.io"), SNS]})
    assert view["limit_amount"] == "750"
    assert view["cost_types"]["include_tax"] is True and view["cost_types"]["use_blended"] is False
    assert view["notifications"] == [alert("ACTUAL", 80, ("EMAIL", "b@x.io"), SNS)]


def test_notification_keys_ignore_state_and_default_the_threshold_type():
    returned = {
        "NotificationType": "ACTUAL",
        "ComparisonOperator": "GREATER_THAN",
        "Threshold": 80,
        "NotificationState": "ALARM",
    }
    assert bg.notification_key(returned) == key() == bg.declared_key(alert())
    assert "NotificationState" not in bg.api_notification(key())


# ---------------------------------------------------------------- the plan of notifications and subscribers


def test_nothing_to_do():
    current = {key(): [SNS], key("FORECASTED", 100): [("EMAIL", "a@x.io"), SNS]}
    assert bg.notification_steps(current, dict(current)) == []


def test_a_new_threshold_updates_the_notification_in_place():
    steps = bg.notification_steps({key(threshold=80): [SNS]}, {key(threshold=90): [SNS]})
    assert steps == [("update_notification", key(threshold=80), key(threshold=90))]


def test_a_new_threshold_and_subscribers():
    steps = bg.notification_steps({key(threshold=80): [SNS]}, {key(threshold=90): [("EMAIL", "a@x.io"), SNS]})
    assert steps == [
        ("update_notification", key(threshold=80), key(threshold=90)),
        ("create_subscriber", key(threshold=90), ("EMAIL", "a@x.io")),
    ]


def test_another_topic_replaces_the_subscriber():
    steps = bg.notification_steps({key(): [SNS]}, {key(): [("SNS", OTHER_TOPIC)]})
    assert steps == [("update_subscriber", key(), SNS, ("SNS", OTHER_TOPIC))]


def test_subscribers_are_added_before_old_ones_are_removed():
    steps = bg.notification_steps({key(): [SNS]}, {key(): [("EMAIL", "a@x.io")]})
    assert steps == [("create_subscriber", key(), ("EMAIL", "a@x.io")), ("delete_subscriber", key(), SNS)]


def test_notifications_of_another_type_are_deleted_first_and_created_last():
    current = {key("ACTUAL", 80): [SNS], key("ACTUAL", 100): [SNS]}
    desired = {key("ACTUAL", 100): [SNS], key("FORECASTED", 100): [SNS]}
    assert bg.notification_steps(current, desired) == [
        ("delete_notification", key("ACTUAL", 80)),
        ("create_notification", key("FORECASTED", 100), [SNS]),
    ]


class AwsNotifications:
    """AWS's rules for one budget's notifications, to check a plan against: at most 10 notifications, each with
    1 to 11 subscribers (1 SNS, 10 emails), no duplicates, the last subscriber's deletion deletes the
    notification."""

    def __init__(self, notifications):
        self.state = {k: set(v) for k, v in notifications.items()}

    def check(self):
        assert len(self.state) <= bg.MAX_NOTIFICATIONS
        for subscribers in self.state.values():
            kinds = [t for t, _ in subscribers]
            assert kinds.count("SNS") <= 1 and kinds.count("EMAIL") <= 10

    def apply(self, operation, k, *args):
        if operation == "create_notification":
            assert k not in self.state and args[0]
            self.state[k] = set(args[0])
        elif operation == "delete_notification":
            del self.state[k]
        elif operation == "update_notification":
            assert args[0] not in self.state
            self.state[args[0]] = self.state.pop(k)
        elif operation == "create_subscriber":
            assert args[0] not in self.state[k]
            self.state[k].add(args[0])
        elif operation == "update_subscriber":
            assert args[0] in self.state[k] and args[1] not in self.state[k]
            self.state[k] = self.state[k] - {args[0]} | {args[1]}
        elif operation == "delete_subscriber":
            self.state[k].remove(args[0])
            if not self.state[k]:
                del self.state[k]
        self.check()


def random_notifications(rng):
    emails = [("EMAIL", f"{i}@x.io") for i in range(12)]
    topics = [("SNS", TOPIC), ("SNS", OTHER_TOPIC)]
    keys = [key(kind, t) for kind in ("ACTUAL", "FORECASTED") for t in (50, 80, 100, 120, 150, 200)]
    result = {}
    for k in rng.sample(keys, rng.randint(0, bg.MAX_NOTIFICATIONS)):
        subscribers = rng.sample(emails, rng.randint(0, 10)) + rng.sample(topics, rng.randint(0, 1))
        result[k] = sorted(subscribers or [rng.choice(topics)])
    return result


@pytest.mark.parametrize("seed", range(200))
def test_every_plan_reaches_the_declared_set_within_aws_rules(seed):
    rng = random.Random(seed)
    current, desired = random_notifications(rng), random_notifications(rng)
    aws = AwsNotifications(current)
    for step in bg.notification_steps(current, desired):
        aws.apply(*step)
    assert aws.state == {k: set(v) for k, v in desired.items()}


# ---------------------------------------------------------------- input checks


BAD_INPUT = [
    ({"budgets": [declared(name="prod-monthly")]}, "budgets[0].name 'prod-monthly' must start with the prefix 't-'"),
    ({"budgets": [declared(name="t-a:b")]}, "budgets[0].name 't-a:b' must have 1 to 100 characters and no ':'"),
    ({"budgets": [declared(name="t-a\\b")]}, "budgets[0].name"),
    ({"budgets": [declared(name="t-" + "x" * 99)]}, "budgets[0].name"),
    ({"budgets": [declared(), declared()]}, "budgets[1].name 't-monthly' repeats budgets[0].name"),
    ({"budgets": [declared(limit_amount="-5")]}, "budgets[0].limit_amount '-5' must be a positive number"),
    ({"budgets": [declared(limit_amount="0")]}, "budgets[0].limit_amount '0'"),
    ({"budgets": [declared(limit_amount="lots")]}, "budgets[0].limit_amount 'lots'"),
    ({"budgets": [declared(limit_amount="Infinity")]}, "budgets[0].limit_amount 'Infinity'"),
    ({"budgets": [declared(limit_amount=True)]}, "budgets[0].limit_amount 'True'"),
    ({"budgets": [declared(budget_type="USAGE", cost_types={"include_tax": True})]}, "budgets[0].cost_types is set"),
    ({"budgets": [declared(cost_filters={"Service": "Amazon EC2"})]}, "budgets[0].cost_filters.Service must be"),
    ({"budgets": [declared(notifications=[alert(threshold=0)])]}, "budgets[0].notifications[0].threshold is 0.0"),
    ({"budgets": [declared(notifications=[alert(threshold=-1)])]}, "budgets[0].notifications[0].threshold"),
    (
        {"budgets": [declared(notifications=[alert(threshold=1_000_001)])]},
        "budgets[0].notifications[0].threshold is 1000001.0: with threshold_type PERCENTAGE",
    ),
    (
        {"budgets": [declared(notifications=[alert(threshold=2e13, threshold_type="ABSOLUTE_VALUE")])]},
        "budgets[0].notifications[0].threshold",
    ),
    (
        {"budgets": [declared(notifications=[alert("ACTUAL", 80, ("SNS", "alerts"))])]},
        "budgets[0].notifications[0].subscribers[0].address 'alerts' is not an SNS topic ARN",
    ),
    (
        {"budgets": [declared(notifications=[alert("ACTUAL", 80, ("EMAIL", "finops"))])]},
        "budgets[0].notifications[0].subscribers[0].address 'finops' is not an email address",
    ),
    (
        {"budgets": [declared(notifications=[alert("ACTUAL", 80, SNS, ("SNS", OTHER_TOPIC))])]},
        "budgets[0].notifications[0].subscribers has 2 SNS and 0 EMAIL subscribers",
    ),
    (
        {"budgets": [declared(notifications=[alert("ACTUAL", 80, *[("EMAIL", f"{i}@x.io") for i in range(11)])])]},
        "budgets[0].notifications[0].subscribers has 0 SNS and 11 EMAIL subscribers",
    ),
    (
        {"budgets": [declared(notifications=[alert("ACTUAL", 80, SNS, SNS)])]},
        "budgets[0].notifications[0].subscribers[1] repeats an earlier subscriber",
    ),
    (
        {"budgets": [declared(notifications=[alert(subscribers=[])])]},
        "budgets[0].notifications[0].subscribers is empty",
    ),
    (
        {"budgets": [declared(notifications=[alert("ACTUAL", t) for t in range(10, 130, 10)])]},
        "budgets[0].notifications has 12: AWS allows 10 per budget",
    ),
    (
        {"budgets": [declared(notifications=[alert(), alert()])]},
        "budgets[0].notifications[1] repeats notifications[0]",
    ),
    ({"prefix": "", "budgets": []}, "prefix is empty"),
]


@pytest.mark.parametrize(("arguments", "message"), BAD_INPUT, ids=[case[1][:60] for case in BAD_INPUT])
def test_bad_input_is_refused_before_any_call(monkeypatch, capsys, arguments, message):
    def no_call(*_args, **_kwargs):
        raise AssertionError("no AWS call (not even STS) before the input is checked")

    monkeypatch.setattr(bg, "budgets_client", no_call)
    monkeypatch.setattr(module, "get_aws_account_info", no_call)
    result = run(monkeypatch, capsys, {"prefix": "t-", **arguments}, stub=None)
    assert result["failed"] is True
    assert message in result["msg"], result["msg"]


def test_a_bad_account_id_is_refused(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"prefix": "t-", "account_id": "12345"}, stub=None)
    assert "account_id '12345' must be the 12-digit account ID" in result["msg"]


def test_percentages_over_100_are_allowed_as_on_aws():
    assert bg.budgets_errors("t-", [declared(notifications=[alert(threshold=150), alert(threshold=1_000_000)])]) == []


# ---------------------------------------------------------------- the module against a Stubber


def run(monkeypatch, capsys, args, stub, check_mode=False, diff=False):
    """Run module.main() with the Budgets client stubbed by ``stub(stubber)``; every call must be stubbed."""
    client, stubber = stubbed_client("budgets")
    aws_stub = AwsStub(monkeypatch, capsys)
    if stub:
        stub(stubber)
        aws_stub.factories(bg, budgets_client=client)
    full = {"account_id": ACCOUNT, "region": "eu-west-1"}
    return aws_stub.run(module, full | args, stubber, check_mode=check_mode, diff=diff)


def reads(stubber, budgets):
    """DescribeBudgets, then per budget its notifications and per notification its subscribers.

    ``budgets``: [(API Budget, {notification key: [(type, address)]})]; notifications come back with a state."""
    stubber.add_response("describe_budgets", {"Budgets": [b for b, _ in budgets]}, {"AccountId": ACCOUNT})
    for budget, notifications in budgets:
        if not budget["BudgetName"].startswith("t-"):
            continue
        returned = [bg.api_notification(k) | {"NotificationState": "OK"} for k in notifications]
        stubber.add_response(
            "describe_notifications_for_budget",
            {"Notifications": returned},
            {"AccountId": ACCOUNT, "BudgetName": budget["BudgetName"]},
        )
        for k, subscribers in notifications.items():
            stubber.add_response(
                "describe_subscribers_for_notification",
                {"Subscribers": [bg.api_subscriber(s) for s in subscribers]},
                {"AccountId": ACCOUNT, "BudgetName": budget["BudgetName"], "Notification": bg.api_notification(k)},
            )


def existing(budget=None, notifications=None):
    return (as_aws_returns(bg.api_budget(budget or declared())), notifications or {key(): [SNS]})


def test_a_rerun_makes_read_calls_only(monkeypatch, capsys):
    other = {"BudgetName": "prod-x", "BudgetType": "COST", "BudgetLimit": {"Amount": "1", "Unit": "USD"}}
    args = {"prefix": "t-", "budgets": [{"name": "t-monthly", "limit_amount": 500.0, "notifications": [alert()]}]}
    result = run(monkeypatch, capsys, args, lambda s: reads(s, [existing(), (other | {"TimeUnit": "DAILY"}, {})]))
    assert result["changed"] is False
    assert result["changes"] == {"created": [], "updated": [], "deleted": []}
    assert [b["name"] for b in result["budgets"]] == ["t-monthly"]
    assert result["budgets"][0]["cost_types"] == bg.cost_types(AWS_COST_TYPES)


def test_create_with_aws_default_cost_types(monkeypatch, capsys):
    wanted = declared(notifications=[alert("FORECASTED", 100, SNS, ("EMAIL", "a@x.io")), alert()])

    def stub(stubber):
        reads(stubber, [])
        notifications = [
            {
                "Notification": bg.api_notification(key()),
                "Subscribers": [{"SubscriptionType": "SNS", "Address": TOPIC}],
            },
            {
                "Notification": bg.api_notification(key("FORECASTED", 100)),
                "Subscribers": [
                    {"SubscriptionType": "EMAIL", "Address": "a@x.io"},
                    {"SubscriptionType": "SNS", "Address": TOPIC},
                ],
            },
        ]
        budget = {
            "BudgetName": "t-monthly",
            "BudgetType": "COST",
            "BudgetLimit": {"Amount": "500", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "CostFilters": {},
        }
        params = {"AccountId": ACCOUNT, "Budget": budget, "NotificationsWithSubscribers": notifications}
        stubber.add_response("create_budget", {}, params)

    result = run(monkeypatch, capsys, {"prefix": "t-", "budgets": [wanted]}, stub, diff=True)
    assert result["changed"] is True and result["changes"]["created"] == ["t-monthly"]
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["t-monthly"]["cost_types"]["include_tax"] is True


def test_check_mode_reads_only_and_predicts_the_changes(monkeypatch, capsys):
    args = {"prefix": "t-", "budgets": [declared(name="t-new"), declared(limit_amount="600")]}
    result = run(monkeypatch, capsys, args, lambda s: reads(s, [existing()]), check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["changes"] == {"created": ["t-new"], "updated": ["t-monthly"], "deleted": []}
    assert result["diff"]["after"]["t-monthly"]["limit_amount"] == "600"


def test_update_of_a_threshold_and_subscribers_calls_only_what_differs(monkeypatch, capsys):
    wanted = declared(notifications=[alert("ACTUAL", 90, SNS, ("EMAIL", "a@x.io"))])

    def stub(stubber):
        reads(stubber, [existing()])
        base = {"AccountId": ACCOUNT, "BudgetName": "t-monthly"}
        old, new = bg.api_notification(key(threshold=80)), bg.api_notification(key(threshold=90))
        stubber.add_response("update_notification", {}, base | {"OldNotification": old, "NewNotification": new})
        subscriber = {"SubscriptionType": "EMAIL", "Address": "a@x.io"}
        stubber.add_response("create_subscriber", {}, base | {"Notification": new, "Subscriber": subscriber})

    result = run(monkeypatch, capsys, {"prefix": "t-", "budgets": [wanted]}, stub, diff=True)
    assert result["changes"] == {"created": [], "updated": ["t-monthly"], "deleted": []}
    before, after = result["diff"]["before"]["t-monthly"], result["diff"]["after"]["t-monthly"]
    assert before["notifications"][0]["threshold"] == 80.0 and after["notifications"][0]["threshold"] == 90.0
    assert len(after["notifications"][0]["subscribers"]) == 2
    assert before["limit_amount"] == after["limit_amount"] == "500"


def test_update_of_cost_types_keeps_the_period(monkeypatch, capsys):
    wanted = declared(cost_types={"include_tax": False})

    def stub(stubber):
        budget, notifications = existing()
        reads(stubber, [(budget, notifications)])
        new = bg.api_budget(wanted, budget)
        assert new["TimePeriod"] == budget["TimePeriod"] and new["CostTypes"]["IncludeTax"] is False
        stubber.add_response("update_budget", {}, {"AccountId": ACCOUNT, "NewBudget": new})

    result = run(monkeypatch, capsys, {"prefix": "t-", "budgets": [wanted]}, stub)
    assert result["changes"]["updated"] == ["t-monthly"]
    assert result["budgets"][0]["cost_types"]["include_tax"] is False


def test_purge_and_absent(monkeypatch, capsys):
    def stub(stubber):
        reads(stubber, [existing(), existing(declared(name="t-old"))])
        stubber.add_response("delete_budget", {}, {"AccountId": ACCOUNT, "BudgetName": "t-old"})

    result = run(monkeypatch, capsys, {"prefix": "t-", "budgets": [declared()]}, stub)
    assert result["changes"] == {"created": [], "updated": [], "deleted": ["t-old"]}

    def keep(stubber):
        reads(stubber, [existing(), existing(declared(name="t-old"))])

    result = run(monkeypatch, capsys, {"prefix": "t-", "purge": False, "budgets": [declared()]}, keep)
    assert result["changed"] is False and [b["name"] for b in result["budgets"]] == ["t-monthly", "t-old"]

    def absent(stubber):
        reads(stubber, [existing()])
        stubber.add_response("delete_budget", {}, {"AccountId": ACCOUNT, "BudgetName": "t-monthly"})

    result = run(monkeypatch, capsys, {"prefix": "t-", "state": "absent"}, absent)
    assert result["changes"]["deleted"] == ["t-monthly"] and result["budgets"] == []


def test_set_convention_purge_by_default_state_absent_whatever_purge_never_outside_the_prefix(monkeypatch, capsys):
    fresh_deprecations(monkeypatch)
    outside = existing(declared(name="ops-monthly"))  # listed by DescribeBudgets, never read further nor deleted

    def stub(stubber):
        reads(stubber, [existing(), existing(declared(name="t-old")), outside])
        stubber.add_response("delete_budget", {}, {"AccountId": ACCOUNT, "BudgetName": "t-old"})

    result = run(monkeypatch, capsys, {"prefix": "t-", "budgets": [declared()]}, stub)
    assert result["changes"]["deleted"] == ["t-old"]
    assert [b["name"] for b in result["budgets"]] == ["t-monthly"]
    assert_no_deprecation(result)

    def absent(stubber):
        reads(stubber, [existing(), existing(declared(name="t-old")), outside])
        stubber.add_response("delete_budget", {}, {"AccountId": ACCOUNT, "BudgetName": "t-monthly"})
        stubber.add_response("delete_budget", {}, {"AccountId": ACCOUNT, "BudgetName": "t-old"})

    fresh_deprecations(monkeypatch)
    args = {"prefix": "t-", "state": "absent", "purge": False, "budgets": [declared()]}
    result = run(monkeypatch, capsys, args, absent)
    assert result["changes"]["deleted"] == ["t-monthly", "t-old"] and result["budgets"] == []
    assert_no_deprecation(result)


def test_the_account_defaults_to_the_caller(monkeypatch, aws_stub):
    monkeypatch.setattr(module, "get_aws_account_info", lambda _module: ("210987654321", "aws"))
    client, stubber = stubbed_client("budgets")
    stubber.add_response("describe_budgets", {"Budgets": []}, {"AccountId": "210987654321"})
    aws_stub.factories(bg, budgets_client=client)
    assert aws_stub.run(module, {"prefix": "t-", "region": "eu-west-1"}, stubber)["changed"] is False


def test_the_client_is_in_us_east_1_whatever_the_region():
    class FakeModule:
        def client(self, service, region=None):
            return (service, region)

    assert bg.budgets_client(FakeModule()) == ("budgets", "us-east-1")
