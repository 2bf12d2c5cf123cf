#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: inspector2_account
short_description: Enable or disable Amazon Inspector (v2) scan types in AWS accounts
version_added: 1.0.0
description:
  - Makes the Amazon Inspector scan types enabled in one or more accounts (in the region of the task) match
    O(resource_types) - EC2 instances (V(EC2)), container images in Amazon ECR (V(ECR)), Lambda functions and their
    layers (V(LAMBDA)) and Lambda code (V(LAMBDA_CODE)).
  - The scan types are a set. With O(purge=true) (the default) the types not listed are disabled; with
    O(purge=false) they are left as they are. O(state=absent) disables every scan type, which switches Inspector off
    in the account.
  - The task reads the status with one C(BatchGetAccountStatus) call and calls C(Enable) or C(Disable) only for the
    difference. Inspector switches types asynchronously (V(ENABLING) then V(ENABLED), V(DISABLING) then
    V(DISABLED)); a type being enabled counts as enabled and a type being disabled as disabled, so a re-run right
    after a change reports no change. With O(wait=true) the task waits until Inspector is done.
  - Every option is checked before any call to AWS; the error names the option and the fix.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  resource_types:
    description:
      - The scan types that must be enabled. Required with O(state=present), where it cannot be empty; ignored with
        O(state=absent).
      - The Inspector code security scan type (C(CODE_REPOSITORY)) is not managed by this option and is left alone
        by O(purge).
    type: list
    elements: str
    choices: [EC2, ECR, LAMBDA, LAMBDA_CODE]
  purge:
    description:
      - Disable the scan types (of V(EC2), V(ECR), V(LAMBDA), V(LAMBDA_CODE)) that are not in O(resource_types).
    type: bool
    default: true
  account_ids:
    description:
      - The accounts, as 12-digit account IDs. Not set, the account of the task's credentials.
      - Other accounts than the caller's must be members of the caller's Inspector organization, the caller being
        its delegated administrator; Inspector refuses the others and the task fails, naming them.
    type: list
    elements: str
  state:
    description:
      - V(present) enables O(resource_types) (and, with O(purge=true), disables the others).
      - V(absent) disables every scan type, C(CODE_REPOSITORY) included, so that Inspector is off in the accounts.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description:
      - Wait until Inspector has finished enabling and disabling the scan types of the task (none V(ENABLING) or
        V(DISABLING) left), then check that each is V(ENABLED) or V(DISABLED) as asked; a type Inspector could not
        switch fails the task with Inspector's error code.
      - Without it the task returns as soon as Inspector has accepted the change.
    type: bool
    default: false
  wait_timeout:
    description: How many seconds to wait, with O(wait=true).
    type: int
    default: 300
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made; the statuses returned are
    the ones Inspector would report (V(ENABLING) and V(DISABLING), or V(ENABLED) and V(DISABLED) with O(wait=true)).
  - A re-run with the same input makes read calls only (C(sts:GetCallerIdentity) when O(account_ids) is not set, and
    C(inspector2:BatchGetAccountStatus)) and reports no change.
  - Inspector is regional; the task manages the scan types of O(region). The first C(Enable) in an account creates
    the service-linked role C(AWSServiceRoleForAmazonInspector2), so the caller needs
    C(iam:CreateServiceLinkedRole) too. Scanning is billed per scanned resource.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Scan container images and EC2 instances; disable Lambda scanning if someone enabled it
  securecloud.monitor.inspector2_account:
    resource_types: [ECR, EC2]

- name: Add Lambda scanning in two member accounts, leave their other scan types alone, wait until it is on
  securecloud.monitor.inspector2_account:
    account_ids: ["111122223333", "444455556666"]
    resource_types: [LAMBDA, LAMBDA_CODE]
    purge: false
    wait: true
    wait_timeout: 600

- name: Switch Inspector off in the account
  securecloud.monitor.inspector2_account:
    state: absent
"""

RETURN = r"""
accounts:
  description:
    - The Inspector status of each account after the task (in check mode, as it would be), sorted by account ID.
  returned: always
  type: list
  elements: dict
  contains:
    account_id:
      description: The account ID.
      type: str
      sample: "123456789012"
    status:
      description:
        - The status of Inspector in the account, V(ENABLED) while any scan type is on, else V(ENABLING),
          V(DISABLING), V(DISABLED), V(SUSPENDING) or V(SUSPENDED).
      type: str
      sample: ENABLED
    resource_status:
      description:
        - The status of each scan type, V(ENABLING), V(ENABLED), V(DISABLING), V(DISABLED), V(SUSPENDING) or
          V(SUSPENDED), under the keys C(ec2), C(ecr), C(lambda), C(lambda_code) and C(code_repository).
      type: dict
      sample: {"ec2": "ENABLED", "ecr": "ENABLING", "lambda": "DISABLED", "lambda_code": "DISABLED",
               "code_repository": "DISABLED"}
    enabled_resource_types:
      description: The scan types that are enabled or being enabled, sorted.
      type: list
      elements: str
      sample: [EC2, ECR]
failed_accounts:
  description:
    - The accounts Inspector refused, with its error code and message, when the task fails because of them.
  returned: on failure, when Inspector refuses accounts
  type: list
  elements: dict
  contains:
    account_id:
      description: The account ID.
      type: str
      sample: "111122223333"
    error_code:
      description: Inspector's error code.
      type: str
      sample: ACCESS_DENIED
    error_message:
      description: Inspector's error message.
      type: str
      sample: Account 111122223333 is not associated with the administrator account
diff:
  description:
    - Before and after, per account ID, of the enabled scan types (C(enabled_resource_types)), with C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {"before": {}, "after": {"123456789012": {"enabled_resource_types": ["EC2", "ECR"]}}}
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import time  # noqa: E402

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.inspector2 import (  # noqa: E402
    API_KEYS,
    CODE_SCAN_FIX,
    DISABLED,
    RESOURCE_TYPES,
    AnsibleInspector2Error,
    account_from_api,
    account_status,
    account_to_return,
    batch_get_account_status,
    caller_account_id,
    code_scan_alone,
    disable,
    enable,
    enabled_types,
    failed_accounts_message,
    inspector2_client,
    sts_client,
    unsettled,
    validate,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    plan_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import (  # noqa: E402
    fail_on_input_errors,
    run_module,
)

# Seconds between two reads while waiting: 1, 2, 4, 8, then every 10.
WAIT_DELAYS = (1, 2, 4, 8)
WAIT_DELAY_MAX = 10


def _empty_account(account_id):
    return {
        "account_id": account_id,
        "status": DISABLED,
        "resource_status": dict((kind, DISABLED) for kind in API_KEYS),
        "errors": {},
    }


MODEL_RENAMES = (Rename("resourceTypes", "resource_types"), Rename("accountIds[0]", ""))


def model_errors(service_model, params):
    """Enable's scan types and each declared account ID checked against the Inspector2 model; [] when AWS would take
    them. Each account is checked in a request of its own (Disable, whose members are all optional) so that a
    problem names account_ids[N] whatever batch of 100 the module later sends it in. Run once validate passes."""
    requests = []
    if params["state"] == "present":
        requests.append(("Enable", {"resourceTypes": sorted(params["resource_types"])}))
    for index, account_id in enumerate(params.get("account_ids") or []):
        requests.append(("Disable", {"accountIds": [account_id]}, f"account_ids[{index}]"))
    return plan_errors(service_model, requests, MODEL_RENAMES)


class Inspector2AccountManager:
    def __init__(self, module, client, sts):
        self.module = module
        self.client = client
        self.sts = sts
        self.params = module.params
        self.changed = False
        self.present = self.params["state"] == "present"
        # The scan types the task decides about: the managed ones, and every one when Inspector is switched off.
        self.scope = set(RESOURCE_TYPES) if self.present else set(API_KEYS)
        self.declared = set(self.params.get("resource_types") or []) if self.present else set()
        self.purge = self.params["purge"] or not self.present

    def fail(self, msg, accounts=None, failed_accounts=None):
        result = dict(msg=msg, changed=self.changed)
        if failed_accounts:
            result["failed_accounts"] = [camel_dict_to_snake_dict(item) for item in failed_accounts]
        if accounts is not None:
            result["accounts"] = [account_to_return(accounts[key]) for key in sorted(accounts)]
        self.module.fail_json(**result)

    # ---------------------------------------------------------------- reading

    def account_ids(self):
        given = self.params.get("account_ids")
        if given:
            return sorted(set(given))
        return [caller_account_id(self.sts)]

    def read(self, account_ids):
        found, failed = batch_get_account_status(self.client, account_ids)
        if failed:
            self.fail(failed_accounts_message(failed, "read the status"), failed_accounts=failed)
        accounts = dict((account_id, _empty_account(account_id)) for account_id in account_ids)
        for item in found:
            if item.get("accountId") in accounts:
                accounts[item["accountId"]] = account_from_api(item)
        return accounts

    # ---------------------------------------------------------------- planning

    def plan(self, account):
        """(scan types to enable, scan types to disable) of one account."""
        on = set(enabled_types(account))
        to_enable = self.declared - on
        to_disable = (on & self.scope) - self.declared if self.purge else set()
        return to_enable, to_disable

    def predict(self, account, to_enable, to_disable):
        wait = self.params["wait"]
        after = dict(account, resource_status=dict(account["resource_status"]), errors={})
        for kind in to_enable:
            after["resource_status"][kind] = "ENABLED" if wait else "ENABLING"
        for kind in to_disable:
            after["resource_status"][kind] = DISABLED if wait else "DISABLING"
        after["status"] = account_status(after["resource_status"])
        return after

    # ---------------------------------------------------------------- changing

    def switch(self, call, groups, after, what):
        """One call per set of scan types, for every account that needs that set."""
        for kinds, account_ids in sorted(groups.items(), key=lambda item: sorted(item[0])):
            found, failed = call(self.client, account_ids, kinds)
            self.changed = True
            for item in found:
                if item.get("accountId") in after:
                    after[item["accountId"]] = account_from_api(item)
            if failed:
                self.fail(failed_accounts_message(failed, what), after, failed_accounts=failed)

    # ---------------------------------------------------------------- waiting

    def transitional(self, accounts):
        return [
            f"{account_id} {state}"
            for account_id, account in sorted(accounts.items())
            for state in unsettled(account, self.scope)
        ]

    def wait(self, account_ids, accounts):
        deadline = time.monotonic() + self.params["wait_timeout"]
        attempt = 0
        while self.transitional(accounts):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.fail(
                    f"Inspector did not finish within wait_timeout={self.params['wait_timeout']} seconds "
                    f"({', '.join(self.transitional(accounts))}). It goes on in AWS: run the task again later, or "
                    "raise wait_timeout.",
                    accounts,
                )
            delay = WAIT_DELAYS[attempt] if attempt < len(WAIT_DELAYS) else WAIT_DELAY_MAX
            time.sleep(min(delay, remaining))
            attempt += 1
            accounts = self.read(account_ids)
        problems = []
        for account_id, account in sorted(accounts.items()):
            for kind in sorted(self.scope):
                status = account["resource_status"][kind]
                # A type to disable may also be SUSPENDED: anything but ENABLED will do.
                wrong = status != "ENABLED" if kind in self.declared else (self.purge and status == "ENABLED")
                if wrong:
                    error = account["errors"].get(kind)
                    problems.append(f"{account_id} {kind} is {status}" + (f" ({error})" if error else ""))
        if problems:
            self.fail(
                f"Inspector did not switch every scan type as asked: {'; '.join(problems)}. Fix the cause Inspector "
                "reports (for EC2, the instances need the SSM agent), then run the task again.",
                accounts,
            )
        return accounts

    # ---------------------------------------------------------------- main

    def process(self):
        account_ids = self.account_ids()
        before = self.read(account_ids)
        after = {}
        enable_groups, disable_groups = {}, {}
        for account_id, account in before.items():
            to_enable, to_disable = self.plan(account)
            if to_enable:
                enable_groups.setdefault(frozenset(to_enable), []).append(account_id)
            if to_disable:
                disable_groups.setdefault(frozenset(to_disable), []).append(account_id)
            after[account_id] = self.predict(account, to_enable, to_disable)
        alone = ", ".join(key for key in sorted(after) if code_scan_alone(enabled_types(after[key])))
        if alone:
            self.fail(f"resource_types would leave LAMBDA_CODE on without LAMBDA in {alone}: {CODE_SCAN_FIX}")
        self.changed = bool(enable_groups or disable_groups)

        if not self.module.check_mode:
            self.changed = False  # set again by each call that is made
            after = dict(before)
            self.switch(enable, enable_groups, after, "enable the scan types")
            self.switch(disable, disable_groups, after, "disable the scan types")
            if self.params["wait"]:
                after = self.wait(account_ids, after)

        result = {
            "changed": self.changed,
            "accounts": [account_to_return(after[key]) for key in sorted(after)],
        }
        result.update(
            diff_payload(
                self.module,
                dict((key, {"enabled_resource_types": enabled_types(before[key])}) for key in before),
                dict((key, {"enabled_resource_types": enabled_types(after[key])}) for key in after),
            )
        )
        return result


def main():
    argument_spec = dict(
        resource_types=dict(type="list", elements="str", choices=list(RESOURCE_TYPES)),
        purge=dict(type="bool", default=True),
        account_ids=dict(type="list", elements="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=300),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[("state", "present", ["resource_types"])],
    )

    fail_on_input_errors(module, validate(module.params))
    client = inspector2_client(module)
    errors = model_errors(client.meta.service_model, module.params)
    run_module(module, errors, lambda: manager(module, client).process(), AnsibleInspector2Error)


def manager(module, client):
    sts = sts_client(module) if not module.params.get("account_ids") else None
    return Inspector2AccountManager(module, client, sts)


if __name__ == "__main__":
    main()
