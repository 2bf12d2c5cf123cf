#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: budgets_budget_set
short_description: Manage every AWS Budgets budget with a name prefix, with its alert notifications, in one call
version_added: 1.0.0
description:
  - Makes the budgets of an account whose names start with O(prefix) match a declared list (limit, time unit, type,
    cost filters) with, per budget, the whole set of notifications (actual or forecasted spend over a threshold) and
    their subscribers (an SNS topic, emails).
  - Budgets with the prefix that are not declared are deleted when O(purge=true); notifications of a declared budget
    that are not declared are deleted. A notification whose subscribers change is deleted and created again (its
    alert state starts over).
  - Cost types and the time period are left as AWS set them (all cost types included; from the start of the current
    period), and kept on updates.
  - Every input is checked before any AWS call; the error names the field and the fix.
  - Budgets is a global service; the module calls its API in us-east-1 whatever the task's region.
author:
  - securecloud.monitor contributors
options:
  prefix:
    description: Name prefix of the budgets this task owns; every declared name must start with it.
    type: str
    required: true
  state:
    description: V(present) makes the budgets match O(budgets); V(absent) deletes every budget with the prefix.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description: Delete the budgets with the prefix that O(budgets) does not declare.
    type: bool
    default: true
  account_id:
    description: Account whose budgets these are; default the caller's.
    type: str
  budgets:
    description: The budgets.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the budget (at most 100 characters, no V(:) or V(\\)), starting with O(prefix).
        type: str
        required: true
      budget_type:
        description: What the budget tracks.
        type: str
        choices: [COST, USAGE, RI_UTILIZATION, RI_COVERAGE, SAVINGS_PLANS_UTILIZATION, SAVINGS_PLANS_COVERAGE]
        default: COST
      limit_amount:
        description: The limit, a positive number (V(500), V(1200.50)).
        type: str
        required: true
      limit_unit:
        description: Unit of the limit (V(USD) for cost budgets).
        type: str
        default: USD
      time_unit:
        description: Period the limit applies to.
        type: str
        choices: [DAILY, MONTHLY, QUARTERLY, ANNUALLY]
        default: MONTHLY
      cost_filters:
        description:
          - Cost filters by dimension, for example V(Service) with a list of service names; none counts everything.
        type: dict
        default: {}
      notifications:
        description: The alerts of the budget (at most 5); the whole set.
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
            description: The threshold, above 0 (a percentage of the limit with V(PERCENTAGE)).
            type: float
            required: true
          threshold_type:
            description: Whether O(budgets[].notifications[].threshold) is a percentage of the limit or an amount.
            type: str
            choices: [PERCENTAGE, ABSOLUTE_VALUE]
            default: PERCENTAGE
          subscribers:
            description: Who is told; at most one SNS topic and ten emails.
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
  - Supports check mode and diff mode. In check mode no call that changes anything is made.
  - An SNS topic subscriber must let C(budgets.amazonaws.com) publish (topic policy, and the key policy when the
    topic is encrypted).
  - A re-run with the same input reads the budgets, their notifications and subscribers, and changes nothing.
extends_documentation_fragment:
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

- name: Delete every budget of the environment
  securecloud.monitor.budgets_budget_set:
    prefix: prod-
    state: absent
"""

RETURN = r"""
budgets:
  description: The budgets with the prefix after the task (in check mode, as they would be), in the options' shape.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "prod-monthly", "budget_type": "COST", "limit_amount": "1500", "limit_unit": "USD",
            "time_unit": "MONTHLY", "cost_filters": {}, "notifications": [{"notification_type": "ACTUAL",
            "comparison_operator": "GREATER_THAN", "threshold": 80.0, "threshold_type": "PERCENTAGE",
            "subscribers": [{"type": "SNS", "address": "arn:aws:sns:eu-west-1:123456789012:prod-alerts"}]}]}]
changes:
  description: Names of the budgets created, updated (limit, filters or notifications) and deleted.
  returned: always
  type: dict
  sample: {"created": ["prod-monthly"], "updated": [], "deleted": []}
diff:
  description: Before and after (budgets by name), with C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import budgets as bg  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402


class BudgetSetManager:
    def __init__(self, module, client, account_id):
        self.module = module
        self.params = module.params
        self.client = client
        self.account_id = account_id
        self.changes = {"created": [], "updated": [], "deleted": []}

    def read(self):
        """{name: (Budget, {notification key: (Notification, subscriber set)})} of the budgets with the prefix."""
        current = {}
        for budget in bg.describe_budgets(self.client, self.account_id):
            name = budget["BudgetName"]
            if not name.startswith(self.params["prefix"]):
                continue
            notifications = {}
            for notification in bg.describe_notifications(self.client, self.account_id, name):
                subscribers = bg.describe_subscribers(self.client, self.account_id, name, notification)
                notifications[bg.notification_key(notification)] = (notification, bg.subscriber_set(subscribers))
            current[name] = (budget, notifications)
        return current

    def process(self):
        current = self.read()
        declared = self.params["budgets"] if self.params["state"] == "present" else []
        wanted = {b["name"]: b for b in declared}
        for name, budget in wanted.items():
            self.converge(budget, current.get(name))
        if self.params["purge"] or self.params["state"] == "absent":
            for name in sorted(set(current) - set(wanted)):
                self.changes["deleted"].append(name)
                if not self.module.check_mode:
                    bg.delete_budget(self.client, self.account_id, name)
        before = {name: self.view(*pair) for name, pair in current.items()}
        after = {name: view for name, view in before.items() if name not in self.changes["deleted"]}
        for name, budget in wanted.items():
            after[name] = self.declared_view(budget)
        return {
            "changed": any(self.changes.values()),
            "budgets": [after[name] for name in sorted(after)],
            "changes": self.changes,
            **diff_payload(self.module, before, after),
        }

    @staticmethod
    def view(budget, notifications):
        return bg.budget_view(budget, {key: subs for key, (_n, subs) in notifications.items()})

    @staticmethod
    def declared_view(budget):
        notifications = {
            bg.notification_key(bg.api_notification(n)): bg.subscriber_set(bg.api_subscribers(n))
            for n in budget["notifications"]
        }
        return bg.budget_view(bg.api_budget(budget), notifications)

    def converge(self, declared, existing):
        name = declared["name"]
        desired_notifications = {
            bg.notification_key(bg.api_notification(n)): (bg.api_notification(n), bg.api_subscribers(n))
            for n in declared["notifications"]
        }
        if existing is None:
            self.changes["created"].append(name)
            if not self.module.check_mode:
                with_subscribers = [{"Notification": n, "Subscribers": s} for n, s in desired_notifications.values()]
                bg.create_budget(self.client, self.account_id, bg.api_budget(declared), with_subscribers)
            return
        budget, notifications = existing
        steps = []
        if bg.budget_differs(budget, bg.api_budget(declared)):
            steps.append(lambda: bg.update_budget(self.client, self.account_id, bg.api_budget(declared, budget)))
        for key, (notification, subscribers) in notifications.items():
            wanted = desired_notifications.get(key)
            if wanted is None or bg.subscriber_set(wanted[1]) != subscribers:
                steps.append(lambda n=notification: bg.delete_notification(self.client, self.account_id, name, n))
        for key, (notification, subscribers) in desired_notifications.items():
            if key not in notifications or notifications[key][1] != bg.subscriber_set(subscribers):
                steps.append(
                    lambda n=notification, s=subscribers: bg.create_notification(
                        self.client, self.account_id, name, n, s
                    )
                )
        if steps:
            self.changes["updated"].append(name)
            if not self.module.check_mode:
                for step in steps:
                    step()


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
        limit_amount=dict(type="str", required=True),
        limit_unit=dict(type="str", default="USD"),
        time_unit=dict(type="str", choices=["DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY"], default="MONTHLY"),
        cost_filters=dict(type="dict", default={}),
        notifications=dict(type="list", elements="dict", default=[], options=notification),
    )
    argument_spec = dict(
        prefix=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        purge=dict(type="bool", default=True),
        account_id=dict(type="str"),
        budgets=dict(type="list", elements="dict", default=[], options=budget),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    errors = bg.budgets_errors(module.params["prefix"], module.params["budgets"])
    account_id = module.params.get("account_id")
    if account_id is not None and not (account_id.isdigit() and len(account_id) == 12):
        errors.append(f"account_id '{account_id}' must be the 12-digit account ID.")
    if errors:
        module.fail_json(msg=" ".join(errors), errors=errors)

    try:
        account_id = account_id or get_aws_account_info(module)[0]
        result = BudgetSetManager(module, bg.budgets_client(module), account_id).process()
    except bg.AnsibleBudgetsError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
