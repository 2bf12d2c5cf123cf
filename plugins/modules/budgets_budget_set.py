#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: budgets_budget_set
short_description: Manage every AWS Budgets budget with a name prefix, with its alert notifications, in one call
version_added: 1.0.0
description:
  - Makes the cost and usage budgets of an account whose names start with O(prefix) match O(budgets) (type, limit,
    time unit, cost filters, cost types) with, per budget, the whole set of notifications (actual or forecasted
    spend over a threshold) and, per notification, the whole set of subscribers (an SNS topic, emails).
  - Budgets with the prefix that O(budgets) does not declare are deleted when O(purge=true); notifications of a
    declared budget that are not declared are removed, and so are subscribers of a notification.
  - Changes are made in place, so alert state and history are kept. A declared notification that does not exist
    takes the place of an undeclared one of the same O(budgets[].notifications[].notification_type)
    (C(UpdateNotification)); subscribers are added, replaced (C(UpdateSubscriber)) and removed one by one, new ones
    before old ones are removed, so a notification never loses its last subscriber nor goes over AWS's limits on the
    way.
  - Both sides are compared canonically - amounts as numbers (V(500), V(500.0) and V(5E+2) are the same limit),
    cost filter values and subscribers as sets, cost types with the AWS defaults filled in, a threshold type left
    out as V(PERCENTAGE) - so a re-run reports no change and makes no mutating call.
  - The budget's time period (from the start of the current period) is left as AWS sets it and kept on updates;
    when O(budgets[].time_unit) changes it is left out of the update, as a start that fits one time unit (the 1st
    of a month) may not fit another (the 1st of a quarter).
  - Every input is checked before any AWS call (AWS's limits included); the error names the field, for example
    C(budgets[0].notifications[1].subscribers[0].address), and the fix. The request of every declared budget is then
    checked against the Budgets service model, before the set's first write.
  - Budgets is a global service; the module calls its API in us-east-1 whatever the task's O(region), and keeps
    O(endpoint_url).
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  prefix:
    required: true
  account_id:
    description: The 12-digit ID of the account whose budgets these are; default the caller's (from STS).
    type: str
  budgets:
    description: The budgets in the scope.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the budget, starting with O(prefix); 1 to 100 characters, no V(:), V(\\) or V(/action/).
        type: str
        required: true
      budget_type:
        description: What the budget tracks. A change of type updates the budget in place.
        type: str
        choices: [COST, USAGE, RI_UTILIZATION, RI_COVERAGE, SAVINGS_PLANS_UTILIZATION, SAVINGS_PLANS_COVERAGE]
        default: COST
      limit_amount:
        description: The limit, a positive number (V(500), V(1200.50)), given as a number or a string.
        type: raw
        required: true
      limit_unit:
        description: Unit of the limit (V(USD) for cost budgets, for example V(GB) or V(Hrs) for usage budgets).
        type: str
        default: USD
      time_unit:
        description: Period the limit applies to; spend starts from 0 at the start of each.
        type: str
        choices: [DAILY, MONTHLY, QUARTERLY, ANNUALLY]
        default: MONTHLY
      cost_filters:
        description:
          - Cost filters, each a dimension with a list of values, for example C(Service) with
            V(["Amazon Elastic Compute Cloud - Compute"]) or C(TagKeyValue) with V(["user:env$prod"]). None counts
            everything. Values are compared as sets.
        type: dict
        default: {}
      cost_types:
        description:
          - The kinds of cost a V(COST) budget counts (only V(COST) budgets have them). A member left out takes the
            AWS default, given with each.
          - Not given, the budget keeps the cost types it has (AWS's defaults on a new budget); V({}) sets every
            one to its AWS default.
        type: dict
        suboptions:
          include_tax:
            description: Count taxes (AWS default V(true)).
            type: bool
          include_subscription:
            description: Count subscriptions (AWS default V(true)).
            type: bool
          use_blended:
            description: Use blended rates (AWS default V(false)).
            type: bool
          include_refund:
            description: Count refunds (AWS default V(true)).
            type: bool
          include_credit:
            description: Count credits (AWS default V(true)).
            type: bool
          include_upfront:
            description: Count upfront reservation fees (AWS default V(true)).
            type: bool
          include_recurring:
            description: Count recurring fees such as monthly reservation fees (AWS default V(true)).
            type: bool
          include_other_subscription:
            description: Count non-reservation subscription costs (AWS default V(true)).
            type: bool
          include_support:
            description: Count support fees (AWS default V(true)).
            type: bool
          include_discount:
            description: Count discounts (AWS default V(true)).
            type: bool
          use_amortized:
            description: Use amortized costs (AWS default V(false)).
            type: bool
      notifications:
        description:
          - The alerts of the budget, the whole set (AWS allows 10 per budget). A notification is identified by its
            type, comparison operator, threshold and threshold type; two alike are an error.
        type: list
        elements: dict
        default: []
        suboptions:
          notification_type:
            description: V(ACTUAL) spend or V(FORECASTED) spend.
            type: str
            choices: [ACTUAL, FORECASTED]
            required: true
          comparison_operator:
            description: How spend compares with the threshold.
            type: str
            choices: [GREATER_THAN, LESS_THAN, EQUAL_TO]
            default: GREATER_THAN
          threshold:
            description:
              - The threshold, above 0. With V(PERCENTAGE) a percentage of the limit, which may be over 100 (AWS
                allows up to 1000000); with V(ABSOLUTE_VALUE) an amount in the limit's unit (up to
                15000000000000).
            type: float
            required: true
          threshold_type:
            description: Whether O(budgets[].notifications[].threshold) is a percentage of the limit or an amount.
            type: str
            choices: [PERCENTAGE, ABSOLUTE_VALUE]
            default: PERCENTAGE
          subscribers:
            description: Who is told, the whole set; at least one, and at most 1 SNS topic and 10 emails (AWS limits).
            type: list
            elements: dict
            required: true
            suboptions:
              type:
                description: V(SNS) (O(budgets[].notifications[].subscribers[].address) is a topic ARN) or V(EMAIL).
                type: str
                choices: [SNS, EMAIL]
                required: true
              address:
                description: Topic ARN or email address.
                type: str
                required: true
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made, and the result says
    exactly what a real run would change.
  - O(prefix) is required and must not be empty. With O(state=absent), O(budgets) is ignored but still checked.
  - An SNS topic subscriber must let C(budgets.amazonaws.com) publish (topic policy, and the key policy when the
    topic is encrypted).
  - A run reads the budgets (one paginated C(DescribeBudgets)), then per budget in the scope its notifications and
    per notification its subscribers; a re-run with the same input makes no other call.
  - Planned (per-period) limits, auto-adjusting limits, C(FilterExpression)/C(Metrics) and budget actions are not
    managed; declaring a budget replaces a planned limit with O(budgets[].limit_amount).
  - Only the payer (management) account of an organization, or a standalone account, can manage budgets.
extends_documentation_fragment:
  - securecloud.monitor.set_module
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: A monthly cost budget with alerts at 80 % actual and 100 % forecasted spend
  securecloud.monitor.budgets_budget_set:
    prefix: prod-
    budgets:
      - name: prod-monthly
        limit_amount: "1500"
        notifications:
          - notification_type: ACTUAL
            threshold: 80
            subscribers:
              - {type: SNS, address: "arn:aws:sns:eu-west-1:123456789012:prod-alerts"}
          - notification_type: FORECASTED
            threshold: 100
            subscribers:
              - {type: SNS, address: "arn:aws:sns:eu-west-1:123456789012:prod-alerts"}
              - {type: EMAIL, address: finops@example.com}

- name: A quarterly budget for EC2 compute without taxes, alerting at 1000 USD spent
  securecloud.monitor.budgets_budget_set:
    prefix: prod-
    purge: false
    budgets:
      - name: prod-ec2-quarterly
        time_unit: QUARTERLY
        limit_amount: 3000
        cost_filters:
          Service: ["Amazon Elastic Compute Cloud - Compute"]
        cost_types:
          include_tax: false
        notifications:
          - notification_type: ACTUAL
            threshold: 1000
            threshold_type: ABSOLUTE_VALUE
            subscribers:
              - {type: EMAIL, address: finops@example.com}

- name: Delete every budget of the environment
  securecloud.monitor.budgets_budget_set:
    prefix: prod-
    state: absent
"""

RETURN = r"""
budgets:
  description:
    - The budgets in the scope after the task (in check mode, as they would be), sorted by name, in the shape of
      O(budgets) with the AWS defaults filled in; notifications sorted by type, operator and threshold,
      subscribers by type and address.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the budget.
      type: str
      sample: prod-monthly
    budget_type:
      description: What the budget tracks.
      type: str
      sample: COST
    limit_amount:
      description: The limit, as a canonical number (V(750) for V(750.00)).
      type: str
      sample: "1500"
    limit_unit:
      description: Unit of the limit.
      type: str
      sample: USD
    time_unit:
      description: Period of the limit.
      type: str
      sample: MONTHLY
    cost_filters:
      description: Cost filters, values sorted.
      type: dict
      sample: {"Service": ["Amazon Elastic Compute Cloud - Compute"]}
    cost_types:
      description: Cost types of a COST budget, every one of O(budgets[].cost_types) (absent on other types).
      type: dict
      sample: {"include_tax": true, "use_blended": false}
    notifications:
      description: The notifications with their subscribers, as in O(budgets[].notifications).
      type: list
      elements: dict
      sample: [{"notification_type": "ACTUAL", "comparison_operator": "GREATER_THAN", "threshold": 80.0,
                "threshold_type": "PERCENTAGE",
                "subscribers": [{"type": "SNS", "address": "arn:aws:sns:eu-west-1:123456789012:prod-alerts"}]}]
changes:
  description: Names of the budgets created, updated (budget or notifications or subscribers) and deleted.
  returned: always
  type: dict
  contains:
    created:
      description: Budgets created (or that check mode would create).
      type: list
      elements: str
      sample: [prod-monthly]
    updated:
      description: Budgets whose settings, notifications or subscribers changed.
      type: list
      elements: str
      sample: []
    deleted:
      description: Budgets deleted.
      type: list
      elements: str
      sample: []
diff:
  description: Before and after, budgets by name in the shape of RV(budgets), with C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a write failed partway (retries exhausted, a permission missing); the task then fails. The names of
      the budgets all of whose writes were made, in the order the plan made them. See the notes.
  returned: when a write fails
  type: list
  elements: str
  sample: [team-monthly]
not_written:
  description:
    - Set only when a write failed partway. The names of the budgets with a write not made, the one whose write failed
      first; a rerun of the task writes what is missing.
  returned: when a write fails
  type: list
  elements: str
  sample: [team-daily, team-ri]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import functools  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import budgets as bg  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    plan_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import fail_on_input_errors, run_module  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import (  # noqa: E402
    WritePlan,
    set_argument_spec,
    settle,
)


class BudgetSetManager:
    def __init__(self, module, client, account_id):
        self.module = module
        self.params = module.params
        self.client = client
        self.account_id = account_id
        self.changes = {"created": [], "updated": [], "deleted": []}
        self.writes = WritePlan()

    def read(self):
        """{name: (API Budget, {notification key: subscriber set})} of the budgets in the scope."""
        current = {}
        for budget in bg.describe_budgets(self.client, self.account_id):
            name = budget["BudgetName"]
            if not name.startswith(self.params["prefix"]):
                continue
            notifications = {}
            for notification in bg.describe_notifications(self.client, self.account_id, name):
                key = bg.notification_key(notification)
                subscribers = bg.describe_subscribers(self.client, self.account_id, name, bg.api_notification(key))
                notifications[key] = bg.subscriber_set(subscribers)
            current[name] = (budget, notifications)
        return current

    def process(self):
        current = self.read()
        present = self.params["state"] == "present"
        wanted = {b["name"]: b for b in self.params["budgets"]} if present else {}
        before = {name: bg.budget_view(*pair) for name, pair in current.items()}
        after = dict(before)
        for name, declared in wanted.items():
            after[name] = self.converge(declared, current.get(name))
        if self.params["purge"] or not present:
            for name in sorted(set(current) - set(wanted)):
                self.changes["deleted"].append(name)
                del after[name]
                self.writes.add(name, functools.partial(bg.delete_budget, self.client, self.account_id, name))
        self.writes.apply(self.module)
        return {
            "changed": any(self.changes.values()),
            "budgets": [after[name] for name in sorted(after)],
            "changes": self.changes,
            **diff_payload(self.module, before, after),
        }

    def converge(self, declared, existing):
        """Create or update one budget; its view as it is (or would be) after the task."""
        name = declared["name"]
        desired = {bg.declared_key(n): bg.declared_subscribers(n) for n in declared["notifications"]}
        if existing is None:
            budget = bg.api_budget(declared)
            self.changes["created"].append(name)
            notifications = [
                {"Notification": bg.api_notification(key), "Subscribers": [bg.api_subscriber(p) for p in pairs]}
                for key, pairs in sorted(desired.items())
            ]
            self.writes.add(
                name, functools.partial(bg.create_budget, self.client, self.account_id, budget, notifications)
            )
            return bg.budget_view(budget, desired)
        current, notifications = existing
        budget = bg.api_budget(declared, current)
        update = bg.budget_differs(current, budget)
        steps = bg.notification_steps(notifications, desired)
        if update or steps:
            self.changes["updated"].append(name)
        if update:
            self.writes.add(name, functools.partial(bg.update_budget, self.client, self.account_id, budget))
        for step in steps:
            self.writes.add(name, functools.partial(self.call, name, *step))
        return bg.budget_view(budget if update else current, desired)

    def call(self, name, operation, key, *args):
        notification = bg.api_notification(key)
        client, account = self.client, self.account_id
        if operation == "delete_notification":
            bg.delete_notification(client, account, name, notification)
        elif operation == "update_notification":
            bg.update_notification(client, account, name, notification, bg.api_notification(args[0]))
        elif operation == "create_notification":
            subscribers = [bg.api_subscriber(pair) for pair in args[0]]
            bg.create_notification(client, account, name, notification, subscribers)
        elif operation == "create_subscriber":
            bg.create_subscriber(client, account, name, notification, bg.api_subscriber(args[0]))
        elif operation == "update_subscriber":
            old, new = (bg.api_subscriber(pair) for pair in args)
            bg.update_subscriber(client, account, name, notification, old, new)
        elif operation == "delete_subscriber":
            bg.delete_subscriber(client, account, name, notification, bg.api_subscriber(args[0]))
        else:  # pragma: no cover - notification_steps names only the calls above
            raise ValueError(operation)


# Where the members of CreateBudget come from among a budget's options (see module_utils/model_validation.py).
MODEL_RENAMES = (
    Rename("Budget.BudgetName", "name"),
    Rename("Budget.BudgetLimit.Amount", "limit_amount"),
    Rename("Budget.BudgetLimit.Unit", "limit_unit"),
    Rename("Budget.CostFilters", "cost_filters", raw=True),
    Rename("Budget", ""),
    Rename("NotificationsWithSubscribers[*].Notification", "notifications[*]"),
    Rename("NotificationsWithSubscribers[*].Subscribers[*].SubscriptionType", "notifications[*].subscribers[*].type"),
    Rename("NotificationsWithSubscribers[*].Subscribers", "notifications[*].subscribers"),
)


def model_errors(service_model, account_id, params):
    """The CreateBudget request of every declared budget checked against the Budgets model, notifications and
    subscribers in declared order, so that the whole set is refused before its first write; [] when AWS would take
    them all."""
    if params["state"] == "absent":
        return []
    requests = []
    for index, declared in enumerate(params["budgets"]):
        notifications = [
            {
                "Notification": bg.api_notification(bg.declared_key(notification)),
                "Subscribers": [bg.api_subscriber((s["type"], s["address"])) for s in notification["subscribers"]],
            }
            for notification in declared["notifications"]
        ]
        request = dict(AccountId=account_id, Budget=bg.api_budget(declared), NotificationsWithSubscribers=notifications)
        requests.append(("CreateBudget", request, f"budgets[{index}]"))
    return plan_errors(service_model, requests, MODEL_RENAMES)


def main():
    subscriber = dict(
        type=dict(type="str", choices=["SNS", "EMAIL"], required=True), address=dict(type="str", required=True)
    )
    notification = dict(
        notification_type=dict(type="str", choices=["ACTUAL", "FORECASTED"], required=True),
        comparison_operator=dict(type="str", choices=["GREATER_THAN", "LESS_THAN", "EQUAL_TO"], default="GREATER_THAN"),
        threshold=dict(type="float", required=True),
        threshold_type=dict(type="str", choices=["PERCENTAGE", "ABSOLUTE_VALUE"], default="PERCENTAGE"),
        subscribers=dict(type="list", elements="dict", required=True, options=subscriber),
    )
    budget = dict(
        name=dict(type="str", required=True),
        budget_type=dict(
            type="str",
            choices=[
                "COST",
                "USAGE",
                "RI_UTILIZATION",
                "RI_COVERAGE",
                "SAVINGS_PLANS_UTILIZATION",
                "SAVINGS_PLANS_COVERAGE",
            ],
            default="COST",
        ),
        limit_amount=dict(type="raw", required=True),
        limit_unit=dict(type="str", default="USD"),
        time_unit=dict(type="str", choices=["DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY"], default="MONTHLY"),
        cost_filters=dict(type="dict", default={}),
        cost_types=dict(type="dict", options={option: dict(type="bool") for option in bg.COST_TYPES}),
        notifications=dict(type="list", elements="dict", default=[], options=notification),
    )
    argument_spec = dict(
        **set_argument_spec(),
        account_id=dict(type="str"),
        budgets=dict(type="list", elements="dict", default=[], options=budget),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    settle(module)

    errors = bg.budgets_errors(module.params["prefix"], module.params["budgets"])
    account_id = module.params.get("account_id")
    if account_id is not None and not (account_id.isdigit() and len(account_id) == 12):
        errors.append(f"account_id '{account_id}' must be the 12-digit account ID (or leave it out for the caller's).")

    def process():
        known_account = account_id or get_aws_account_info(module)[0]
        client = bg.budgets_client(module)
        fail_on_input_errors(module, model_errors(client.meta.service_model, known_account, module.params))
        return BudgetSetManager(module, client, known_account).process()

    run_module(module, errors, process, bg.AnsibleBudgetsError)


if __name__ == "__main__":
    main()
