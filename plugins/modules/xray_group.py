#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: xray_group
short_description: Manage the set of AWS X-Ray groups in a scope and the X-Ray encryption configuration
version_added: 1.0.0
description:
  - Makes the AWS X-Ray groups whose names start with O(prefix) match O(groups). Groups are a set, like the
    sampling rules of M(securecloud.monitor.xray_sampling_rule).
  - A declared group is matched to an existing one by name. It is created when missing and updated when its filter
    expression or Insights settings differ; with O(purge=true) (the default) the groups in the scope that are not
    declared are deleted, and with O(state=absent) every group in the scope is. The built-in C(Default) group is never
    in the scope, so it is never changed or deleted.
  - With O(encryption) it also sets how X-Ray encrypts trace data at rest in the region (an AWS-owned key, or a KMS
    key of the account). Not set, the encryption configuration is left alone. It is not part of the set, so
    O(encryption) applies whatever O(state) is.
  - Every field is checked before any call to AWS (name length and characters, duplicate names, empty filter
    expressions, notifications without Insights, the form of the KMS key); the error names the field and the fix.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  groups:
    description:
      - The groups that must exist in the scope.
      - An empty list with O(purge=true) deletes every group in the scope.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - Name of the group, 1 to 32 letters, digits, V(_) or V(-). Must start with O(prefix). V(Default) is
            reserved by X-Ray.
        type: str
        required: true
      filter_expression:
        description:
          - The X-Ray filter expression that selects the traces of the group, for example
            V(service("api") { fault } OR responsetime > 5). It cannot be empty.
        type: str
        required: true
      insights_enabled:
        description: Turn on X-Ray Insights (anomaly detection and insight events) for the group.
        type: bool
        default: false
      notifications_enabled:
        description:
          - Send Insights notifications to Amazon EventBridge. Requires O(groups[].insights_enabled=true).
        type: bool
        default: false
      tags:
        description:
          - Tags of the group. Not set leaves its tags alone; see O(purge_tags).
        type: dict
  encryption:
    description:
      - How X-Ray encrypts traces and related data at rest in the region. Not set leaves it alone.
      - A change takes a few minutes to apply; meanwhile X-Ray reports the status V(UPDATING).
    type: dict
    suboptions:
      type:
        description:
          - V(NONE) for the default encryption with an AWS-owned key, V(KMS) for a KMS key of the account
            (O(encryption.key_id)).
        type: str
        choices: [NONE, KMS]
        required: true
      key_id:
        description:
          - The symmetric KMS key when O(encryption.type=KMS), as a key ARN
            (V(arn:aws:kms:REGION:ACCOUNT:key/ID)), a key ID, an alias (V(alias/NAME)) or an alias ARN. The key must be
            in the region of the task; a key of another account is given by its ARN.
          - V(alias/aws/xray) is the AWS managed key of X-Ray (you audit its use, AWS manages it); a customer managed
            key lets you manage access and rotation.
          - X-Ray reports the key ARN. A key ARN is compared as it is; a key ID is compared with the key ARN's ID; an
            alias is resolved to its key ARN with C(kms:DescribeKey) on every run, so a re-pointed alias is followed.
          - Must not be set when O(encryption.type=NONE).
        type: str
  prefix:
    aliases: [scope_name_prefix]
  purge_tags:
    description:
      - Remove tags of a declared group that are not in its O(groups[].tags). Has no effect on a group whose
        O(groups[].tags) is not set. Tags starting with V(aws:) are never removed.
    type: bool
    default: true
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made; new groups are returned
    with RV(groups[].arn) set to null.
  - A re-run with the same input makes read calls only and reports no change.
  - Groups and the encryption configuration are regional; the task manages those of O(region).
  - O(prefix='') makes every group of the region (except C(Default)) the scope.
  - Leaving O(prefix) out is deprecated (it will be required in 2.0.0). Until then such a task manages every group of
    the region, O(purge) defaults to V(false) for it, and O(purge=true) and O(state=absent) are refused.
  - C(scope_name_prefix) is the deprecated name of O(prefix) (until 2.0.0). A task that gives it and not O(purge)
    keeps O(purge=false), the option's old default; when renaming it, add O(purge=false) to keep what the task does.
extends_documentation_fragment:
  - securecloud.monitor.set_module
  - securecloud.monitor.set_module.owner_tag
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Groups for the API's faults and slow requests, stale app- groups removed, traces encrypted with a CMK
  securecloud.monitor.xray_group:
    prefix: app-
    groups:
      - name: app-api-faults
        filter_expression: 'service("api") { fault }'
        insights_enabled: true
        notifications_enabled: true
        tags:
          Team: api
      - name: app-slow
        filter_expression: responsetime > 5
    encryption:
      type: KMS
      key_id: alias/xray-traces

- name: Back to the default encryption, groups left alone
  securecloud.monitor.xray_group:
    prefix: ""
    purge: false
    encryption:
      type: NONE

- name: Delete every group whose name starts with app-
  securecloud.monitor.xray_group:
    prefix: app-
    state: absent
"""

RETURN = r"""
groups:
  description:
    - The groups in the scope after the task (in check mode, as they would be), sorted by name, in the shape of
      O(groups) plus their ARNs.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the group.
      type: str
      sample: app-api-faults
    arn:
      description: ARN of the group; null for a group that check mode would create.
      type: str
      sample: arn:aws:xray:eu-west-1:123456789012:group/app-api-faults/AVHHTB3EXAMPLE4VSLNUYBL2XEV5UIOHDOY
    filter_expression:
      description: The filter expression of the group.
      type: str
      sample: service("api") { fault }
    insights_enabled:
      description: Whether X-Ray Insights is on for the group.
      type: bool
      sample: true
    notifications_enabled:
      description: Whether Insights notifications go to Amazon EventBridge.
      type: bool
      sample: true
    tags:
      description: Tags of the group.
      type: dict
      sample: {"Team": "api"}
encryption:
  description: The X-Ray encryption configuration after the task.
  returned: when O(encryption) is set
  type: dict
  contains:
    type:
      description: V(NONE) or V(KMS).
      type: str
      sample: KMS
    key_id:
      description: ARN of the KMS key; null when the type is V(NONE).
      type: str
      sample: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    status:
      description: V(ACTIVE), or V(UPDATING) while a change applies; null for a change check mode would make.
      type: str
      sample: UPDATING
kept_foreign:
  description:
    - The names of the groups in the scope, not declared, that O(purge) or O(state=absent) left in place because they
      do not carry O(owner_tag), sorted. They are in RV(groups) too.
  returned: when O(owner_tag) is set
  type: list
  elements: str
  sample: [prod-eu-faults]
diff:
  description:
    - Before and after state of the groups in the scope (without ARNs) and of the encryption (without status), with
      C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a write failed partway (retries exhausted, a permission missing); the task then fails. The names of
      the groups (V(encryption) for the encryption configuration) all of whose writes were made, in the order the plan
      made them. See the notes.
  returned: when a write fails
  type: list
  elements: str
  sample: [web-errors]
not_written:
  description:
    - Set only when a write failed partway. The names of the groups (V(encryption) for the encryption configuration)
      with a write not made, the one whose write failed first; a rerun of the task writes what is missing.
  returned: when a write fails
  type: list
  elements: str
  sample: [web-slow, encryption]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import (  # noqa: E402
    KMS_KEY_FORMS,
    is_kms_key_arn,
    is_kms_key_reference,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    plan_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import (  # noqa: E402
    fail_on_input_errors,
    run_module,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import (  # noqa: E402
    PlannedSetManager,
    declared_items,
    deletes_undeclared,
    owner_tag_errors,
    set_argument_spec,
    settle,
    split_owned,
    unscoped_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.xray import (  # noqa: E402
    DEFAULT_NAME,
    AnsibleXRayError,
    KmsKeyError,
    create_group,
    create_group_request,
    delete_group,
    describe_kms_key,
    encryption_from_api,
    encryption_request,
    get_encryption_config,
    get_groups,
    group_from_api,
    insights_to_api,
    key_arn_matches,
    kms_client,
    kms_key_problem,
    list_tags,
    put_encryption_config,
    tag_changes,
    tag_resource,
    untag_resource,
    update_group,
    validate_name,
    validate_tags,
    xray_client,
)

# The scope of a task without prefix (deprecated).
UNSCOPED = "every X-Ray group in the account and region"
MANAGED = ("filter_expression", "insights_enabled", "notifications_enabled")


def _key_region(key_id):
    """The region of a key or alias ARN, else None."""
    if key_id and key_id.startswith("arn:"):
        return key_id.split(":")[3]
    return None


def validate_encryption(encryption, region):
    if not encryption:
        return []
    errors = []
    key_id = encryption.get("key_id")
    if encryption["type"] == "NONE":
        if key_id:
            errors.append(
                f"encryption.key_id is set ('{key_id}') but encryption.type is NONE, which uses an AWS-owned key: "
                "remove key_id, or set type to KMS."
            )
        return errors
    if not key_id:
        return [f"encryption.type is KMS but encryption.key_id is not set: give the key as {KMS_KEY_FORMS}."]
    if not is_kms_key_reference(key_id):
        errors.append(f"encryption.key_id '{key_id}' is not a KMS key: use {KMS_KEY_FORMS}.")
    key_region = _key_region(key_id)
    if key_region and region and key_region != region:
        errors.append(
            f"encryption.key_id '{key_id}' is in {key_region} but the task manages X-Ray in {region}: X-Ray "
            f"encrypts with a key of its own region. Give a key of {region}, or run the task in {key_region}."
        )
    return errors


def validate(params, region=None):
    """Every problem with the task's input, as messages that name the field and the fix (no AWS call)."""
    errors = unscoped_errors(params, UNSCOPED) + owner_tag_errors(params, "groups")
    prefix = params.get("prefix")
    names = {}
    for index, group in enumerate(params.get("groups") or []):
        field = f"groups[{index}]"
        name = group["name"]
        errors.extend(validate_name(f"{field}.name", name, prefix, "group"))
        if name in names:
            errors.append(f"{field}.name '{name}' is also groups[{names[name]}].name: names must be unique.")
        names.setdefault(name, index)
        if not (group.get("filter_expression") or "").strip():
            errors.append(
                f"{field}.filter_expression is empty: a group needs an expression that selects its traces, for "
                "example 'service(\"api\") { fault }' or 'responsetime > 5'."
            )
        if group.get("notifications_enabled") and not group.get("insights_enabled"):
            errors.append(
                f"{field}.notifications_enabled is true but {field}.insights_enabled is false: notifications are "
                "Insights events. Set insights_enabled to true, or notifications_enabled to false."
            )
        errors.extend(validate_tags(f"{field}.tags", group.get("tags")))
    errors.extend(validate_encryption(params.get("encryption"), region))
    return errors


# Where the members of CreateGroup and PutEncryptionConfig come from (see module_utils/model_validation.py).
MODEL_RENAMES = (
    Rename("GroupName", "name"),
    Rename("InsightsConfiguration.InsightsEnabled", "insights_enabled"),
    Rename("InsightsConfiguration.NotificationsEnabled", "notifications_enabled"),
    Rename("Type", "encryption.type"),
    Rename("KeyId", "encryption.key_id"),
)


def model_errors(service_model, params):
    """CreateGroup of every declared group and PutEncryptionConfig checked against the X-Ray model, so that the whole
    set is refused before its first write (run once validate passes); [] when AWS would take them all. An update
    (UpdateGroup) sends a subset of CreateGroup's members, so CreateGroup covers it."""
    requests = [
        (
            "CreateGroup",
            create_group_request(group["name"], group["filter_expression"], insights_to_api(group), group.get("tags")),
            f"groups[{index}]",
        )
        for index, group in enumerate(params.get("groups") or [])
    ]
    encryption = params.get("encryption")
    if encryption:
        requests.append(("PutEncryptionConfig", encryption_request(encryption["type"], encryption.get("key_id"))))
    return plan_errors(service_model, requests, MODEL_RENAMES)


class XRayGroupManager(PlannedSetManager):
    def in_scope(self, name):
        return name != DEFAULT_NAME and super().in_scope(name)

    # ---------------------------------------------------------------- groups

    def plan_group(self, declared, current):
        after = {
            "name": declared["name"],
            "arn": current["arn"] if current else None,
            "filter_expression": declared["filter_expression"],
            "insights_enabled": bool(declared.get("insights_enabled")),
            "notifications_enabled": bool(declared.get("notifications_enabled")),
        }
        current_tags = current["tags"] if current else {}
        after["tags"], to_set, to_unset = tag_changes(current_tags, declared.get("tags"), self.params["purge_tags"])
        if current is None:

            def create():
                created = create_group(
                    self.client, after["name"], after["filter_expression"], insights_to_api(after), after["tags"]
                )
                after["arn"] = created.get("GroupARN")

            self.plan_action(after["name"], create)
            return after
        if any(current[key] != after[key] for key in MANAGED):
            self.plan(after["name"], update_group, current["arn"], after["filter_expression"], insights_to_api(after))
        if to_unset:
            self.plan(after["name"], untag_resource, current["arn"], to_unset)
        if to_set:
            self.plan(after["name"], tag_resource, current["arn"], to_set)
        return after

    # ---------------------------------------------------------------- encryption

    def declared_key_arn(self, declared_key, current_key):
        """The ARN of the declared key: as given, the current key's when the ID matches, else asked of KMS."""
        if is_kms_key_arn(declared_key):
            return declared_key
        if key_arn_matches(current_key, declared_key):
            return current_key
        try:
            metadata = describe_kms_key(kms_client(self.module), declared_key)
        except KmsKeyError as e:
            self.module.fail_json(msg=str(e))
        problem = kms_key_problem(metadata, declared_key)
        if problem:
            self.module.fail_json(msg=problem)
        return metadata["Arn"]

    def plan_encryption(self):
        """(before, after) of the encryption configuration; (None, None) when the task leaves it alone."""
        declared = self.params.get("encryption")
        if not declared:
            return None, None
        before = encryption_from_api(get_encryption_config(self.client))
        after = {"type": declared["type"], "key_id": None, "status": before["status"]}
        if declared["type"] == "KMS":
            after["key_id"] = self.declared_key_arn(declared["key_id"], before["key_id"])
        if (after["type"], after["key_id"]) != (before["type"], before["key_id"]):
            after["status"] = None

            def put():
                answer = encryption_from_api(put_encryption_config(self.client, after["type"], after["key_id"]))
                after["status"] = answer["status"]
                after["key_id"] = answer["key_id"] or after["key_id"]

            self.plan_action("encryption", put)
        return before, after

    # ---------------------------------------------------------------- main

    def process(self):
        current = {}
        for group in get_groups(self.client):
            shape = group_from_api(group)
            if self.in_scope(shape["name"]):
                # One ListTagsForResource per group in the scope: GetGroups returns no tags.
                shape["tags"] = list_tags(self.client, shape["arn"]) if shape["arn"] else {}
                current[shape["name"]] = shape

        declared_list = declared_items(self.params, "groups")
        declared_names = set(group["name"] for group in declared_list)
        after_list = []
        # With owner_tag, the undeclared groups without it are kept (their tags are already read: no extra call).
        undeclared = sorted(set(current) - declared_names)
        kept_foreign = []
        if deletes_undeclared(self.params):
            owned, kept_foreign = split_owned(self.params, [(n, n) for n in undeclared], lambda n: current[n]["tags"])
            for name in owned:
                self.plan(name, delete_group, current[name]["arn"])
            after_list.extend(current[name] for name in kept_foreign)
        else:
            after_list.extend(current[name] for name in undeclared)
        for declared in declared_list:
            after_list.append(self.plan_group(declared, current.get(declared["name"])))
        encryption_before, encryption_after = self.plan_encryption()

        self.apply_plan()

        before_list = sorted(current.values(), key=lambda g: g["name"])
        after_list = sorted(after_list, key=lambda g: g["name"])
        result = {"changed": self.changed, "groups": after_list}
        if self.params.get("owner_tag"):
            result["kept_foreign"] = kept_foreign
        if encryption_after is not None:
            result["encryption"] = encryption_after
        result.update(
            diff_payload(
                self.module,
                {"groups": [_without(g, "arn") for g in before_list], "encryption": _without(encryption_before)},
                {"groups": [_without(g, "arn") for g in after_list], "encryption": _without(encryption_after)},
            )
        )
        return result


def _without(item, *keys):
    if item is None:
        return None
    keys = keys or ("status",)
    return dict((k, v) for k, v in item.items() if k not in keys)


def main():
    group_spec = dict(
        name=dict(type="str", required=True),
        filter_expression=dict(type="str", required=True),
        insights_enabled=dict(type="bool", default=False),
        notifications_enabled=dict(type="bool", default=False),
        tags=dict(type="dict"),
    )
    encryption_spec = dict(
        type=dict(type="str", choices=["NONE", "KMS"], required=True),
        key_id=dict(type="str", no_log=False),
    )
    argument_spec = dict(
        groups=dict(type="list", elements="dict", options=group_spec, default=[]),
        encryption=dict(type="dict", options=encryption_spec),
        **set_argument_spec(old_prefix="scope_name_prefix", prefix_required=False, owner_tag=True),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    settle(module, old_prefix="scope_name_prefix", old_purge_default=False, unscoped=UNSCOPED)

    errors = validate(module.params, module.region)

    def process():
        client = xray_client(module)
        fail_on_input_errors(module, model_errors(client.meta.service_model, module.params))
        return XRayGroupManager(module, client).process()

    run_module(module, errors, process, AnsibleXRayError)


if __name__ == "__main__":
    main()
