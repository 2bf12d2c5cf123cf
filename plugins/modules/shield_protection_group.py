#!/usr/bin/python

# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: shield_protection_group
short_description: Manage one AWS Shield Advanced protection group
version_added: 1.0.0
description:
  - Creates, updates or deletes one AWS Shield Advanced protection group. Shield detects and mitigates DDoS events
    for the protected resources of a group together, aggregating their traffic as O(aggregation) says.
  - The members of a group are protected resources (see M(securecloud.monitor.shield_protection)); a group does not
    protect anything by itself.
  - Shield is a global service whose API is served only in us-east-1; this module always calls us-east-1 whatever
    O(region) is. O(endpoint_url) is honoured (for a local emulator or a VPC endpoint).
  - Needs an active Shield Advanced subscription (see M(securecloud.monitor.shield_settings)).
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  protection_group_id:
    description:
      - Name of the protection group (1 to 36 letters, digits or V(-)). It cannot be changed.
    type: str
    required: true
  state:
    description:
      - Whether the group must exist.
    type: str
    choices: [present, absent]
    default: present
  aggregation:
    description:
      - How Shield combines the traffic of the members to detect events.
      - V(SUM) for resources that share traffic equally (for example EC2 instances behind Elastic IPs); V(MEAN)
        for resources whose traffic is uneven; V(MAX) for resources behind one another (for example a CloudFront
        distribution and its origin).
      - Required with O(state=present).
    type: str
    choices: [SUM, MEAN, MAX]
  pattern:
    description:
      - Which protected resources are members. V(ALL) is every protected resource of the account;
        V(BY_RESOURCE_TYPE) every protected resource of O(resource_type); V(ARBITRARY) the resources in O(members).
      - Required with O(state=present).
    type: str
    choices: [ALL, BY_RESOURCE_TYPE, ARBITRARY]
  resource_type:
    description:
      - The resource type of the members. Required with O(pattern=BY_RESOURCE_TYPE), not allowed otherwise.
    type: str
    choices:
      - CLOUDFRONT_DISTRIBUTION
      - ROUTE_53_HOSTED_ZONE
      - ELASTIC_IP_ALLOCATION
      - CLASSIC_LOAD_BALANCER
      - APPLICATION_LOAD_BALANCER
      - GLOBAL_ACCELERATOR
  members:
    description:
      - ARNs of the protected resources in the group, compared as a set (order and duplicates do not matter).
      - Required with O(pattern=ARBITRARY) (V([]) for an empty group), not allowed otherwise.
    type: list
    elements: str
notes:
  - Supports check mode and diff mode. A re-run with the same input makes read calls only and reports no change.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Group every protected Elastic IP of the account
  securecloud.monitor.shield_protection_group:
    protection_group_id: all-eips
    aggregation: SUM
    pattern: BY_RESOURCE_TYPE
    resource_type: ELASTIC_IP_ALLOCATION

- name: Group the CloudFront distribution with the ALB behind it
  securecloud.monitor.shield_protection_group:
    protection_group_id: web
    aggregation: MAX
    pattern: ARBITRARY
    members:
      - "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"
      - "{{ alb_arn }}"
    tags:
      Environment: prod

- name: Delete a group
  securecloud.monitor.shield_protection_group:
    protection_group_id: web
    state: absent
"""

RETURN = r"""
protection_group:
  description:
    - The group after the task (in check mode, as it would be), in the shape of the options; empty when
      O(state=absent).
  returned: always
  type: dict
  contains:
    protection_group_id:
      description: Name of the group.
      type: str
      sample: web
    aggregation:
      description: V(SUM), V(MEAN) or V(MAX).
      type: str
      sample: MAX
    pattern:
      description: V(ALL), V(BY_RESOURCE_TYPE) or V(ARBITRARY).
      type: str
      sample: ARBITRARY
    resource_type:
      description: The resource type of the members, for O(pattern=BY_RESOURCE_TYPE).
      type: str
      sample: ELASTIC_IP_ALLOCATION
    members:
      description: ARNs of the member resources, sorted (for V(ALL) and V(BY_RESOURCE_TYPE), as Shield reports them).
      type: list
      elements: str
    tags:
      description: Tags of the group.
      type: dict
      sample: {"Environment": "prod"}
    protection_group_arn:
      description: ARN of the group; null for a group that check mode would create.
      type: str
      sample: arn:aws:shield::123456789012:protection-group/web
    arn:
      description: Same as RV(protection_group.protection_group_arn).
      type: str
      sample: arn:aws:shield::123456789012:protection-group/web
diff:
  description: Before and after state of the group (without its ARN), with C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import re  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload, differs  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    plan_errors,
    tag_list_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import (  # noqa: E402
    fail_on_input_errors,
    run_module,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.shield import (  # noqa: E402
    AnsibleShieldError,
    create_protection_group,
    delete_protection_group,
    describe_protection_group,
    list_tags,
    shield_client,
    tag_changes,
    tag_resource,
    untag_resource,
    update_protection_group,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.shield_resources import (  # noqa: E402
    classify_resource_arn,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_list  # noqa: E402

_GROUP_ID = re.compile(r"^[a-zA-Z0-9-]{1,36}$")


def validate(params):
    """Every problem with the task's input, as messages that name the field and the fix (no AWS call)."""
    errors = []
    group_id = params["protection_group_id"]
    if not _GROUP_ID.match(group_id):
        errors.append(
            f"protection_group_id '{group_id}' is not valid: use 1 to 36 letters, digits or '-' (no spaces or '_')."
        )
    if params["state"] == "absent":
        return errors
    pattern, resource_type, members = params.get("pattern"), params.get("resource_type"), params.get("members")
    if pattern == "BY_RESOURCE_TYPE" and not resource_type:
        errors.append("resource_type is required with pattern=BY_RESOURCE_TYPE: set the type of the members.")
    if pattern != "BY_RESOURCE_TYPE" and resource_type:
        errors.append(f"resource_type is only for pattern=BY_RESOURCE_TYPE (pattern is {pattern}): remove it.")
    if pattern == "ARBITRARY" and members is None:
        errors.append("members is required with pattern=ARBITRARY: list the member resource ARNs ([] for none).")
    if pattern != "ARBITRARY" and members is not None:
        errors.append(
            f"members is only for pattern=ARBITRARY (pattern is {pattern}): remove members or set pattern: ARBITRARY."
        )
    for index, arn in enumerate(members or []):
        kind, description, advice = classify_resource_arn(arn)
        if kind is None:
            errors.append(
                f"members[{index}] '{arn}' is a {description}, which Shield Advanced cannot protect and so cannot "
                f"be in a protection group: {advice}."
            )
    return errors


def model_errors(service_model, params):
    """CreateProtectionGroup (UpdateProtectionGroup takes the same members) and the tags of the declared group
    checked against the Shield model: the group ID's length and pattern, the member ARNs' form, at most 10,000
    members, tag lengths; [] when AWS would take it. Run once validate passes."""
    if params["state"] == "absent":
        return []
    declared = {
        "protection_group_id": params["protection_group_id"],
        "aggregation": params["aggregation"],
        "pattern": params["pattern"],
        "resource_type": params.get("resource_type"),
        "members": params.get("members") or [],
    }
    request = ShieldProtectionGroupManager.request(declared)
    errors = plan_errors(service_model, [("CreateProtectionGroup", request)])
    return errors + tag_list_errors(service_model, "CreateProtectionGroup", "Tags", params.get("tags"))


class ShieldProtectionGroupManager:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params

    @staticmethod
    def shape(group, tags):
        if not group:
            return {}
        arn = group.get("ProtectionGroupArn")
        return {
            "protection_group_id": group["ProtectionGroupId"],
            "aggregation": group["Aggregation"],
            "pattern": group["Pattern"],
            "resource_type": group.get("ResourceType"),
            "members": sorted(set(group.get("Members") or [])),
            "tags": tags,
            "protection_group_arn": arn,
            "arn": arn,
        }

    def declared(self, current):
        after = {
            "protection_group_id": self.params["protection_group_id"],
            "aggregation": self.params["aggregation"],
            "pattern": self.params["pattern"],
            "resource_type": self.params.get("resource_type"),
        }
        if after["pattern"] == "ARBITRARY":
            after["members"] = sorted(set(self.params["members"]))
        elif current and (current["pattern"], current["resource_type"]) == (after["pattern"], after["resource_type"]):
            # For ALL and BY_RESOURCE_TYPE, Shield works the members out itself.
            after["members"] = current["members"]
        else:
            after["members"] = []
        return after

    @staticmethod
    def _compared(group):
        compared = dict((k, group.get(k)) for k in ("aggregation", "pattern", "resource_type"))
        if group.get("pattern") == "ARBITRARY":
            compared["members"] = group.get("members")
        return compared

    @staticmethod
    def request(declared):
        params = {
            "ProtectionGroupId": declared["protection_group_id"],
            "Aggregation": declared["aggregation"],
            "Pattern": declared["pattern"],
        }
        if declared["pattern"] == "BY_RESOURCE_TYPE":
            params["ResourceType"] = declared["resource_type"]
        if declared["pattern"] == "ARBITRARY":
            params["Members"] = declared["members"]
        return params

    def read(self):
        group = describe_protection_group(self.client, self.params["protection_group_id"])
        if not group:
            return {}
        return self.shape(group, list_tags(self.client, group["ProtectionGroupArn"]))

    def ensure_absent(self, current):
        if current and not self.module.check_mode:
            delete_protection_group(self.client, current["protection_group_id"])
        return bool(current), {}

    def ensure_present(self, current):
        check_mode = self.module.check_mode
        after = self.declared(current)
        if not current:
            after.update(protection_group_arn=None, arn=None)
            after["tags"] = tag_changes({}, self.params.get("tags"), True)[0]
            if check_mode:
                return True, after
            params = self.request(after)
            tags = tag_list(after["tags"])
            if tags:
                params["Tags"] = tags
            create_protection_group(self.client, **params)
            return True, self.read()

        after.update(protection_group_arn=current["protection_group_arn"], arn=current["arn"])
        update = differs(self._compared(current), self._compared(after))
        tags = tag_changes(current["tags"], self.params.get("tags"), self.params["purge_tags"])
        after["tags"], to_set, to_unset = tags
        changed = update or bool(to_set) or bool(to_unset)
        if check_mode or not changed:
            return changed, after
        if update:
            update_protection_group(self.client, **self.request(after))
        if to_unset:
            untag_resource(self.client, current["protection_group_arn"], to_unset)
        if to_set:
            tag_resource(self.client, current["protection_group_arn"], to_set)
        return True, self.read()

    def process(self):
        current = self.read()
        if self.params["state"] == "absent":
            changed, after = self.ensure_absent(current)
        else:
            changed, after = self.ensure_present(current)
        result = {"changed": changed, "protection_group": after}
        strip = ("protection_group_arn", "arn")
        result.update(
            diff_payload(
                self.module,
                dict((k, v) for k, v in current.items() if k not in strip),
                dict((k, v) for k, v in after.items() if k not in strip),
            )
        )
        return result


def main():
    argument_spec = dict(
        protection_group_id=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        aggregation=dict(type="str", choices=["SUM", "MEAN", "MAX"]),
        pattern=dict(type="str", choices=["ALL", "BY_RESOURCE_TYPE", "ARBITRARY"]),
        resource_type=dict(
            type="str",
            choices=[
                "CLOUDFRONT_DISTRIBUTION",
                "ROUTE_53_HOSTED_ZONE",
                "ELASTIC_IP_ALLOCATION",
                "CLASSIC_LOAD_BALANCER",
                "APPLICATION_LOAD_BALANCER",
                "GLOBAL_ACCELERATOR",
            ],
        ),
        members=dict(type="list", elements="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[("state", "present", ("aggregation", "pattern"))],
    )

    fail_on_input_errors(module, validate(module.params))
    client = shield_client(module)
    run_module(
        module,
        model_errors(client.meta.service_model, module.params),
        lambda: ShieldProtectionGroupManager(module, client).process(),
        AnsibleShieldError,
    )


if __name__ == "__main__":
    main()
