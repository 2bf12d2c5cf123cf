#!/usr/bin/python

# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: shield_settings
short_description: Manage the account-level AWS Shield Advanced settings
version_added: 1.0.0
description:
  - Manages the AWS Shield Advanced subscription of the account, the access of the Shield Response Team (SRT,
    called DRT in the API) to the account and to log buckets, the emergency contacts, and proactive engagement.
  - B(A Shield Advanced subscription costs USD 3,000 a month per organization, with a one-year commitment,) plus
    data transfer fees. Without an active subscription the module fails unless O(accept_subscription_commitment=true);
    it never subscribes without it. A subscription cannot be cancelled through the API; O(auto_renew=DISABLED) stops
    it at the end of the commitment.
  - Settings that are not set in the task are left alone.
  - Shield is a global service whose API is served only in us-east-1; this module always calls us-east-1 whatever
    O(region) is. O(endpoint_url) is honoured (for a local emulator or a VPC endpoint).
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  accept_subscription_commitment:
    description:
      - Subscribe the account to Shield Advanced (CreateSubscription) when it has no active subscription, accepting
        the monthly fee of USD 3,000 and the one-year commitment.
      - With V(false) and no active subscription, the module fails and changes nothing (check mode included).
      - Has no effect when the subscription is already active.
    type: bool
    default: false
  auto_renew:
    description:
      - Whether the subscription renews itself at the end of the commitment period. Not set leaves it alone.
    type: str
    choices: [ENABLED, DISABLED]
  drt_role_arn:
    description:
      - ARN of the IAM role the SRT assumes to act on the account during an event. The role must trust
        V(drt.shield.amazonaws.com) and have the managed policy C(AWSShieldDRTAccessPolicy) attached; the caller
        needs C(iam:PassRole) on it.
      - V('') (empty string) removes the SRT's access to the account (DisassociateDRTRole).
      - Not set (null) leaves the role alone.
    type: str
  drt_log_buckets:
    description:
      - Names (not ARNs) of the S3 buckets with flow logs or access logs the SRT may read. Compared as a set.
      - Needs a DRT role, set through O(drt_role_arn) or already associated.
      - Not set leaves the buckets alone.
    type: list
    elements: str
  purge_drt_log_buckets:
    description:
      - Remove the SRT's access to buckets that are not in O(drt_log_buckets). Has no effect when
        O(drt_log_buckets) is not set.
    type: bool
    default: true
  emergency_contacts:
    description:
      - The people the SRT contacts during an event (at most 10), compared without regard to order.
      - V([]) removes every contact (not allowed while proactive engagement is on).
      - Not set leaves the contacts alone.
      - Phone numbers and e-mail addresses are personal data but not secrets, so they are not C(no_log) (that
        would mask every occurrence of the values in the output, the returned contacts included). Phone numbers
        are redacted from the diff, which C(--diff) prints to the console and CI logs by default; e-mail addresses
        stay in it so that a change can be read.
    type: list
    elements: dict
    suboptions:
      email_address:
        description: E-mail address of the contact.
        type: str
        required: true
      phone_number:
        description: Phone number of the contact in E.164 format (V(+) and up to 15 digits, for example V(+4420...)).
        type: str
      contact_notes:
        description: Notes for the SRT (name, role, hours); letters, digits, spaces and V(.-,:/()+@).
        type: str
  proactive_engagement:
    description:
      - Whether the SRT contacts the O(emergency_contacts) proactively when a protected resource's Route 53 health
        check turns unhealthy during an event.
      - V(true) needs at least one emergency contact with a phone number (checked before any call).
      - Not set leaves it alone.
    type: bool
notes:
  - Supports check mode and diff mode. A re-run with the same input makes read calls only and reports no change.
  - In check mode on an account without a subscription (and O(accept_subscription_commitment=true)), the other
    settings are compared with those of a new subscription (none set, auto-renew on).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Check that the account is subscribed and set up the SRT's access and contacts (fails when not subscribed)
  securecloud.monitor.shield_settings:
    drt_role_arn: "arn:aws:iam::123456789012:role/shield-srt-access"
    drt_log_buckets:
      - example-alb-access-logs
    emergency_contacts:
      - email_address: secops@example.com
        phone_number: "+15555550100"
        contact_notes: Security operations, 24/7
    proactive_engagement: true

- name: Subscribe to Shield Advanced (USD 3,000 a month, one-year commitment) without auto-renewal
  securecloud.monitor.shield_settings:
    accept_subscription_commitment: true
    auto_renew: DISABLED

- name: Remove the SRT's access
  securecloud.monitor.shield_settings:
    drt_log_buckets: []
    drt_role_arn: ""
"""

RETURN = r"""
subscription_state:
  description: V(ACTIVE) or V(INACTIVE) (in check mode, as it would be).
  returned: always
  type: str
  sample: ACTIVE
subscription_state_before:
  description:
    - V(ACTIVE) or V(INACTIVE) before the task. In check mode with O(accept_subscription_commitment=true),
      RV(subscription_state) is V(ACTIVE) (as it would be) and this tells whether the account is subscribed now.
  returned: always
  type: str
  sample: INACTIVE
subscription:
  description: The subscription as DescribeSubscription returns it, in snake_case; empty without a subscription.
  returned: always
  type: dict
  contains:
    subscription_arn:
      description: ARN of the subscription.
      type: str
    start_time:
      description: Start of the subscription (ISO 8601).
      type: str
    end_time:
      description: End of the current commitment period (ISO 8601).
      type: str
    time_commitment_in_seconds:
      description: Length of the commitment.
      type: int
    auto_renew:
      description: V(ENABLED) or V(DISABLED).
      type: str
    proactive_engagement_status:
      description: V(ENABLED), V(DISABLED) or V(PENDING); absent until proactive engagement is set up.
      type: str
    limits:
      description: Subscription limits.
      type: list
      elements: dict
    subscription_limits:
      description: Protection and protection group limits.
      type: dict
drt_access:
  description: The SRT's access.
  returned: always
  type: dict
  contains:
    role_arn:
      description: ARN of the DRT role, or null.
      type: str
    log_bucket_list:
      description: Buckets the SRT may read, sorted.
      type: list
      elements: str
emergency_contacts:
  description: The emergency contacts, in the shape of O(emergency_contacts).
  returned: always
  type: list
  elements: dict
proactive_engagement_status:
  description: V(ENABLED), V(DISABLED), V(PENDING), or null when proactive engagement has never been set up.
  returned: always
  type: str
diff:
  description: Before and after settings, phone numbers redacted, with C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import datetime  # noqa: E402
import re  # noqa: E402

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import role_name  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    plan_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import (  # noqa: E402
    fail_on_input_errors,
    run_module,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.s3_bucket import bucket_name_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.shield import (  # noqa: E402
    AnsibleShieldError,
    associate_drt_log_bucket,
    associate_drt_role,
    associate_proactive_engagement_details,
    create_subscription,
    describe_drt_access,
    describe_emergency_contact_settings,
    describe_subscription,
    disable_proactive_engagement,
    disassociate_drt_log_bucket,
    disassociate_drt_role,
    enable_proactive_engagement,
    get_subscription_state,
    shield_client,
    update_emergency_contact_settings,
    update_subscription,
)

SUBSCRIPTION_REFUSAL = (
    "This account has no active AWS Shield Advanced subscription. Subscribing costs USD 3,000 a month (per "
    "organization, plus data transfer fees) with a one-year commitment that cannot be cancelled. This module "
    "subscribes only when told to: set accept_subscription_commitment: true to subscribe (and auto_renew: DISABLED "
    "to stop at the end of the year), or subscribe in the AWS console."
)

_EMAIL = re.compile(r"^\S+@\S+\.\S+$")
_PHONE = re.compile(r"^\+[1-9]\d{1,14}$")
_NOTES = re.compile(r"^[\w\s.\-,:/()+@]{1,1024}$")
SECRET_KEYS = ("phone_number",)
ENABLED_STATES = ("ENABLED", "PENDING")


def contact_shape(contact):
    """A contact in the option shape, without unset fields."""
    return dict(
        (key, contact.get(key)) for key in ("email_address", "phone_number", "contact_notes") if contact.get(key)
    )


def contacts_from_api(contacts):
    return sort_contacts(
        contact_shape(
            {
                "email_address": c.get("EmailAddress"),
                "phone_number": c.get("PhoneNumber"),
                "contact_notes": c.get("ContactNotes"),
            }
        )
        for c in contacts
    )


def contacts_to_api(contacts):
    names = (("email_address", "EmailAddress"), ("phone_number", "PhoneNumber"), ("contact_notes", "ContactNotes"))
    return [dict((api, c[key]) for key, api in names if c.get(key)) for c in contacts]


def sort_contacts(contacts):
    return sorted(
        contacts, key=lambda c: (c.get("email_address", ""), c.get("phone_number", ""), c.get("contact_notes", ""))
    )


def has_phone(contacts):
    return any(c.get("phone_number") for c in contacts or [])


def validate(params):
    """Every problem with the task's input, as messages that name the field and the fix (no AWS call)."""
    errors = []
    role = params.get("drt_role_arn")
    if role and not role_name(role):
        errors.append(
            f"drt_role_arn '{role}' is not an IAM role ARN: use arn:aws:iam::ACCOUNT:role/NAME, or '' to remove "
            "the SRT's access."
        )
    buckets = params.get("drt_log_buckets")
    for index, bucket in enumerate(buckets or []):
        if bucket.startswith("arn:"):
            errors.append(
                f"drt_log_buckets[{index}] '{bucket}' is an ARN: give the bucket name ('{bucket.split(':')[-1]}')."
            )
        else:
            errors.extend(bucket_name_errors(bucket, f"drt_log_buckets[{index}]"))
    if buckets and role == "":
        errors.append(
            "drt_log_buckets needs a DRT role, but drt_role_arn is '' (remove the role): set drt_log_buckets: [] "
            "as well, or give drt_role_arn a role."
        )
    contacts = params.get("emergency_contacts")
    if contacts is not None and len(contacts) > 10:
        errors.append(f"emergency_contacts has {len(contacts)} contacts: Shield accepts at most 10.")
    for index, contact in enumerate(contacts or []):
        field = f"emergency_contacts[{index}]"
        email, phone, notes = contact.get("email_address"), contact.get("phone_number"), contact.get("contact_notes")
        if not _EMAIL.match(email or "") or len(email) > 150:
            errors.append(f"{field}.email_address '{email}' is not an e-mail address (name@domain.tld).")
        if phone is not None and not _PHONE.match(phone):
            # The number itself is left out of the message: it is personal data and messages end up in logs.
            errors.append(
                f"{field}.phone_number is not in E.164 format: write '+', the country code and the number, digits "
                "only (for example +15555550100)."
            )
        if notes is not None and not _NOTES.match(notes):
            errors.append(
                f"{field}.contact_notes may hold 1 to 1024 letters, digits, spaces and the characters .-,:/()+@ only."
            )
    if params.get("proactive_engagement") and contacts is not None and not has_phone(contacts):
        errors.append(
            "proactive_engagement: true needs at least one emergency contact with a phone number: add "
            "phone_number to an entry of emergency_contacts."
        )
    return errors


MODEL_RENAMES = (
    Rename("RoleArn", "drt_role_arn"),
    Rename("LogBucket", ""),
    Rename("EmergencyContactList", "emergency_contacts"),
)


def model_errors(service_model, params):
    """AssociateDRTRole, AssociateDRTLogBucket and UpdateEmergencyContactSettings (the same contact list as
    AssociateProactiveEngagementDetails) of the options checked against the Shield model; [] when AWS would take
    them. Phone numbers are never quoted. Run once validate passes."""
    requests = []
    if params.get("drt_role_arn"):
        requests.append(("AssociateDRTRole", {"RoleArn": params["drt_role_arn"]}))
    for index, bucket in enumerate(params.get("drt_log_buckets") or []):
        requests.append(("AssociateDRTLogBucket", {"LogBucket": bucket}, f"drt_log_buckets[{index}]"))
    contacts = params.get("emergency_contacts")
    if contacts is not None:
        requests.append(("UpdateEmergencyContactSettings", {"EmergencyContactList": contacts_to_api(contacts)}))
    phones = tuple(f"EmergencyContactList[{index}].PhoneNumber" for index in range(len(contacts or [])))
    return plan_errors(service_model, requests, MODEL_RENAMES, secret_paths=phones)


def _json_safe(value):
    if isinstance(value, dict):
        return dict((k, _json_safe(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return value


class ShieldSettingsManager:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params

    def read(self):
        """The account's settings; without a subscription Shield has none of them."""
        state = get_subscription_state(self.client)
        if state != "ACTIVE":
            return {
                "subscription_state": state,
                "subscription": {},
                "drt_access": {"role_arn": None, "log_bucket_list": []},
                "emergency_contacts": [],
                "proactive_engagement_status": None,
            }
        subscription = describe_subscription(self.client) or {}
        drt = describe_drt_access(self.client)
        return {
            "subscription_state": state,
            "subscription": _json_safe(camel_dict_to_snake_dict(subscription)),
            "drt_access": {"role_arn": drt.get("RoleArn"), "log_bucket_list": sorted(drt.get("LogBucketList") or [])},
            "emergency_contacts": contacts_from_api(describe_emergency_contact_settings(self.client)),
            "proactive_engagement_status": subscription.get("ProactiveEngagementStatus"),
        }

    @staticmethod
    def comparable(settings):
        """The settings this module manages, in the shape the diff shows."""
        return {
            "subscription_state": settings["subscription_state"],
            "auto_renew": settings["subscription"].get("auto_renew"),
            "drt_role_arn": settings["drt_access"]["role_arn"],
            "drt_log_buckets": settings["drt_access"]["log_bucket_list"],
            "emergency_contacts": settings["emergency_contacts"],
            "proactive_engagement_status": settings["proactive_engagement_status"],
        }

    def plan(self, current):
        """(after, actions): the settings as they will be, and the calls that make them so, in order."""
        params = self.params
        actions = []
        after = {
            "subscription_state": current["subscription_state"],
            "subscription": dict(current["subscription"]),
            "drt_access": dict(current["drt_access"]),
            "emergency_contacts": list(current["emergency_contacts"]),
            "proactive_engagement_status": current["proactive_engagement_status"],
        }

        if current["subscription_state"] != "ACTIVE":
            if not params["accept_subscription_commitment"]:
                self.module.fail_json(msg=SUBSCRIPTION_REFUSAL, subscription_state=current["subscription_state"])
            actions.append((create_subscription,))
            after["subscription_state"] = "ACTIVE"
            after["subscription"] = {"auto_renew": "ENABLED"}  # what AWS sets on a new subscription

        auto_renew = params.get("auto_renew")
        if auto_renew and after["subscription"].get("auto_renew") != auto_renew:
            actions.append((update_subscription, auto_renew))
            after["subscription"]["auto_renew"] = auto_renew

        # SRT access: a new role first (log buckets need one), buckets, then removing the role last.
        role, have_role = params.get("drt_role_arn"), current["drt_access"]["role_arn"]
        if role and role != have_role:
            actions.append((associate_drt_role, role))
            after["drt_access"]["role_arn"] = role
        buckets = params.get("drt_log_buckets")
        if buckets is not None:
            have, want = set(current["drt_access"]["log_bucket_list"]), set(buckets)
            if want - have and not after["drt_access"]["role_arn"]:
                self.module.fail_json(
                    msg="drt_log_buckets needs a DRT role and the account has none: set drt_role_arn as well."
                )
            removed = sorted(have - want) if params["purge_drt_log_buckets"] else []
            actions.extend((disassociate_drt_log_bucket, bucket) for bucket in removed)
            actions.extend((associate_drt_log_bucket, bucket) for bucket in sorted(want - have))
            after["drt_access"]["log_bucket_list"] = sorted((have - set(removed)) | want)
        if role == "" and have_role:
            actions.append((disassociate_drt_role,))
            after["drt_access"]["role_arn"] = None

        self.plan_contacts(current, after, actions)
        return after, actions

    def plan_contacts(self, current, after, actions):
        params = self.params
        declared = params.get("emergency_contacts")
        want = (
            sort_contacts(contact_shape(c) for c in declared) if declared is not None else current["emergency_contacts"]
        )
        status = current["proactive_engagement_status"]
        enabled_now = status in ENABLED_STATES
        proactive = params.get("proactive_engagement")
        enabled_after = enabled_now if proactive is None else proactive
        if enabled_after and not has_phone(want):
            if proactive is None:
                msg = (
                    "Proactive engagement is on, so emergency_contacts must include at least one contact with "
                    "phone_number (or set proactive_engagement: false)."
                )
            else:
                msg = (
                    "proactive_engagement: true needs at least one emergency contact with a phone number and the "
                    "account's contacts have none: set emergency_contacts with a phone_number."
                )
            self.module.fail_json(msg=msg)
        contacts_change = want != current["emergency_contacts"]

        if proactive and status is None:
            # First set-up: AssociateProactiveEngagementDetails sets the contacts and turns it on in one call.
            actions.append((associate_proactive_engagement_details, contacts_to_api(want)))
            after["emergency_contacts"] = want
            after["proactive_engagement_status"] = "ENABLED"
            return
        # Off before the contacts change (they may lose their phone numbers), on after (they need one).
        if proactive is False and enabled_now:
            actions.append((disable_proactive_engagement,))
            after["proactive_engagement_status"] = "DISABLED"
        if contacts_change:
            actions.append((update_emergency_contact_settings, contacts_to_api(want)))
            after["emergency_contacts"] = want
        if proactive and not enabled_now:
            actions.append((enable_proactive_engagement,))
            after["proactive_engagement_status"] = "ENABLED"

    def process(self):
        current = self.read()
        after, actions = self.plan(current)
        changed = bool(actions)
        if changed and not self.module.check_mode:
            for action in actions:
                action[0](self.client, *action[1:])
            after = self.read()
        result = dict(after, changed=changed, subscription_state_before=current["subscription_state"])
        result.update(
            diff_payload(self.module, self.comparable(current), self.comparable(after), secret_keys=SECRET_KEYS)
        )
        return result


def main():
    contact_spec = dict(
        email_address=dict(type="str", required=True, no_log=False),
        phone_number=dict(type="str", no_log=False),
        contact_notes=dict(type="str"),
    )
    argument_spec = dict(
        accept_subscription_commitment=dict(type="bool", default=False),
        auto_renew=dict(type="str", choices=["ENABLED", "DISABLED"]),
        drt_role_arn=dict(type="str"),
        drt_log_buckets=dict(type="list", elements="str"),
        purge_drt_log_buckets=dict(type="bool", default=True),
        emergency_contacts=dict(type="list", elements="dict", options=contact_spec),
        proactive_engagement=dict(type="bool"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    fail_on_input_errors(module, validate(module.params))
    client = shield_client(module)
    run_module(
        module,
        model_errors(client.meta.service_model, module.params),
        lambda: ShieldSettingsManager(module, client).process(),
        AnsibleShieldError,
    )


if __name__ == "__main__":
    main()
