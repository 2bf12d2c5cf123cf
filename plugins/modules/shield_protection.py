#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: shield_protection
short_description: Manage the set of AWS Shield Advanced protections in a scope
version_added: 1.0.0
description:
  - Makes the AWS Shield Advanced protections whose names start with O(prefix) match O(protections), one protection
    per resource.
  - For each declared protection it creates the protection, associates and disassociates Route 53 health checks
    (health-based detection), enables, updates or disables application-layer (L7) automatic response, and sets
    tags. With O(purge=true) (the default) it deletes protections in the scope that are not declared; with
    O(state=absent) it deletes every protection in the scope.
  - Shield allows one protection per resource, so a declared protection is matched to an existing one by
    O(protections[].resource_arn). Shield cannot rename a protection, so when the existing protection of a resource
    has another name, it is deleted and created again with the declared name (the resource is unprotected for the
    seconds in between, and its protection ID changes). With O(owner_tag), only a protection that carries the owner
    tag is renamed so; for one that does not, the task fails and names it.
  - Shield's protections are global to the account, whatever the region, so the names of another owner can start with
    O(prefix) (the protections C(prod-eu-...) of an environment C(prod-eu) are in the scope C(prod-) of an environment
    C(prod)). Give O(owner_tag) so that O(purge) and O(state=absent) delete only the protections tagged as this
    task's.
  - Every resource ARN is checked before any call to AWS. Only the types Shield Advanced can protect are accepted
    (Application Load Balancer, Classic Load Balancer, CloudFront distribution, Route 53 hosted zone, Global
    Accelerator accelerator, Elastic IP allocation); for other types the error says what to protect instead.
  - Shield is a global service whose API is served only in us-east-1; this module always calls us-east-1 whatever
    O(region) is. O(endpoint_url) is honoured (for a local emulator or a VPC endpoint).
  - Needs an active Shield Advanced subscription (see M(securecloud.monitor.shield_settings)).
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  protections:
    description:
      - The protections that must exist in the scope.
      - An empty list with O(purge=true) deletes every protection in the scope.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - Name of the protection (letters, digits, spaces, V(_), V(.), V(-); at most 128 characters).
          - Must start with O(prefix).
        type: str
        required: true
      resource_arn:
        description:
          - ARN of the resource to protect, for example
            V(arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188),
            V(arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE),
            V(arn:aws:route53:::hostedzone/Z123EXAMPLE),
            V(arn:aws:globalaccelerator::123456789012:accelerator/1234abcd-abcd-1234-abcd-1234abcdefgh) or
            V(arn:aws:ec2:eu-west-1:123456789012:eip-allocation/eipalloc-0123456789abcdef0).
          - A Network Load Balancer is protected through its Elastic IP allocations; an API Gateway API through AWS
            WAF or a CloudFront distribution in front of it.
        type: str
        required: true
      health_check_arns:
        description:
          - Route 53 health check ARNs (V(arn:aws:route53:::healthcheck/ID)) associated with the protection for
            health-based detection. Shield takes one health check per protection; combine several into a Route 53
            calculated health check.
          - Not set leaves the associated health checks alone; V([]) removes them all.
        type: list
        elements: str
      application_layer_automatic_response:
        description:
          - Application-layer (L7) automatic DDoS mitigation through the AWS WAF web ACL of the resource.
          - V(block) or V(count) need a CloudFront distribution or an Application Load Balancer with a web ACL
            associated; other resource types accept only V(disabled).
        type: str
        choices: [block, count, disabled]
        default: disabled
      tags:
        description:
          - Tags of the protection. Not set leaves its tags alone; see O(purge_tags).
        type: dict
  prefix:
    aliases: [scope_name_prefix]
  purge_tags:
    description:
      - Remove tags of a declared protection that are not in its O(protections[].tags). Has no effect on a protection
        whose O(protections[].tags) is not set.
    type: bool
    default: true
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made; new protections are
    returned with RV(protections[].id) and RV(protections[].protection_arn) set to null.
  - A re-run with the same input makes read calls only and reports no change.
  - O(prefix='') makes every protection in the account the scope, including protections made by other tools or
    AWS Firewall Manager.
  - Leaving O(prefix) out is deprecated (it will be required in 2.0.0). Until then such a task manages every
    protection in the account, O(purge) defaults to V(false) for it, and O(purge=true) and O(state=absent) are
    refused.
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
- name: Protect the public entry points of the web stack and remove stale web-* protections
  securecloud.monitor.shield_protection:
    prefix: web-
    protections:
      - name: web-alb
        resource_arn: "{{ alb_arn }}"
        application_layer_automatic_response: count
        health_check_arns:
          - "arn:aws:route53:::healthcheck/{{ alb_health_check_id }}"
        tags:
          Environment: prod
      - name: web-nlb-eip-a
        resource_arn: "arn:aws:ec2:eu-west-1:123456789012:eip-allocation/eipalloc-0123456789abcdef0"
      - name: web-zone
        resource_arn: "arn:aws:route53:::hostedzone/Z123EXAMPLE"

- name: Add one protection and leave every other protection of the account alone
  securecloud.monitor.shield_protection:
    prefix: ""
    purge: false
    protections:
      - name: api-distribution
        resource_arn: "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"
        application_layer_automatic_response: block

- name: Delete every protection whose name starts with web-
  securecloud.monitor.shield_protection:
    prefix: web-
    state: absent

- name: Protect environment prod's distribution; purge only prod's own protections, not prod-eu-* ones
  securecloud.monitor.shield_protection:
    prefix: prod-
    owner_tag:
      key: "securecloud:environment"
      value: prod
    protections:
      - name: prod-distribution-E2EXAMPLE
        resource_arn: "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"
        tags:
          "securecloud:environment": prod
"""

RETURN = r"""
protections:
  description:
    - The protections in the scope after the task (in check mode, as they would be), sorted by name, in the shape
      of O(protections) plus their IDs and ARNs.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the protection.
      type: str
      sample: web-alb
    resource_arn:
      description: ARN of the protected resource.
      type: str
      sample: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188
    resource_type:
      description: The Shield resource type of the protected resource.
      type: str
      sample: APPLICATION_LOAD_BALANCER
    health_check_arns:
      description: Route 53 health checks associated with the protection, sorted.
      type: list
      elements: str
      sample: ["arn:aws:route53:::healthcheck/abcd1234-ab12-cd34-ef56-abcdef123456"]
    application_layer_automatic_response:
      description: V(block), V(count) or V(disabled).
      type: str
      sample: count
    tags:
      description: Tags of the protection.
      type: dict
      sample: {"Environment": "prod"}
    id:
      description: ID of the protection; null for a protection that check mode would create.
      type: str
      sample: a1b2c3d4-5678-90ab-cdef-EXAMPLE11111
    protection_arn:
      description: ARN of the protection; null for a protection that check mode would create.
      type: str
      sample: arn:aws:shield::123456789012:protection/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111
kept_foreign:
  description:
    - The names of the protections in the scope, not declared, that O(purge) or O(state=absent) left in place because
      they do not carry O(owner_tag), sorted. They are in RV(protections) too.
  returned: when O(owner_tag) is set
  type: list
  elements: str
  sample: [prod-eu-eipalloc-0123456789abcdef0, prod-manual]
diff:
  description: Before and after state of the protections in the scope (without IDs), with C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a write failed partway (retries exhausted, a permission missing); the task then fails. The names of
      the protections all of whose writes were made, in the order the plan made them. See the notes.
  returned: when a write fails
  type: list
  elements: str
  sample: [web-alb]
not_written:
  description:
    - Set only when a write failed partway. The names of the protections with a write not made, the one whose write
      failed first; a rerun of the task writes what is missing.
  returned: when a write fails
  type: list
  elements: str
  sample: [web-cdn, web-eip]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import re  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    plan_errors,
    tag_list_errors,
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
    owner_tag_text,
    set_argument_spec,
    settle,
    split_owned,
    unscoped_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.shield import (  # noqa: E402
    AnsibleShieldError,
    alar_from_api,
    arn_partition,
    associate_health_check,
    create_protection,
    delete_protection,
    describe_protection,
    disable_application_layer_automatic_response,
    disassociate_health_check,
    enable_application_layer_automatic_response,
    health_check_arn,
    health_check_id,
    list_protections,
    list_tags,
    shield_client,
    tag_changes,
    tag_resource,
    untag_resource,
    update_application_layer_automatic_response,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.shield_resources import (  # noqa: E402
    ALAR_TYPES,
    classify_resource_arn,
)

# The scope of a task without prefix (deprecated).
UNSCOPED = "every Shield protection in the account"
_NAME = re.compile(r"^[ a-zA-Z0-9_.\-]{1,128}$")


def validate(params):
    """Every problem with the task's input, as messages that name the field and the fix (no AWS call)."""
    errors = unscoped_errors(params, UNSCOPED) + owner_tag_errors(params, "protections")
    prefix = params.get("prefix")
    names, arns = {}, {}
    for index, protection in enumerate(params.get("protections") or []):
        field = f"protections[{index}]"
        name, arn = protection["name"], protection["resource_arn"]
        if not _NAME.match(name):
            errors.append(
                f"{field}.name '{name}' is not a valid protection name: use 1 to 128 letters, digits, spaces, "
                "'_', '.' or '-'."
            )
        if prefix and not name.startswith(prefix):
            errors.append(
                f"{field}.name '{name}' does not start with prefix '{prefix}': every declared protection "
                "must be in the task's scope. Rename it or change prefix."
            )
        if name in names:
            errors.append(f"{field}.name '{name}' is also protections[{names[name]}].name: names must be unique.")
        names.setdefault(name, index)
        if arn in arns:
            errors.append(
                f"{field}.resource_arn '{arn}' is also protections[{arns[arn]}].resource_arn: Shield allows one "
                "protection per resource; declare each resource once."
            )
        arns.setdefault(arn, index)
        kind, description, advice = classify_resource_arn(arn)
        if kind is None:
            errors.append(
                f"{field}.resource_arn '{arn}' is a {description}, which Shield Advanced cannot protect: {advice}."
            )
        alar = protection.get("application_layer_automatic_response") or "disabled"
        if kind is not None and alar != "disabled" and kind not in ALAR_TYPES:
            errors.append(
                f"{field}.application_layer_automatic_response is '{alar}', but the resource is a {description}: "
                "application-layer automatic response exists only for CloudFront distributions and Application "
                "Load Balancers. Set it to 'disabled' (or remove it)."
            )
        checks = protection.get("health_check_arns") or []
        if len(checks) > 1:
            errors.append(
                f"{field}.health_check_arns lists {len(checks)} health checks: Shield associates one health check "
                "with a protection. Combine them into a Route 53 calculated health check and give its ARN."
            )
        seen_checks = set()
        for check_index, check in enumerate(protection.get("health_check_arns") or []):
            check_id = health_check_id(check)
            if check_id is None:
                errors.append(
                    f"{field}.health_check_arns[{check_index}] '{check}' is not a Route 53 health check ARN: use "
                    "arn:aws:route53:::healthcheck/HEALTH_CHECK_ID."
                )
            elif check_id in seen_checks:
                errors.append(f"{field}.health_check_arns[{check_index}] '{check}' is listed twice.")
            seen_checks.add(check_id)
    return errors


# The ID Shield gives a protection is unknown before CreateProtection; AssociateHealthCheck is checked with a
# placeholder of the model's length so that only the declared health check ARN is judged.
_UNKNOWN_PROTECTION_ID = "0" * 36
MODEL_RENAMES = (Rename("HealthCheckArn", ""),)


def model_errors(service_model, params):
    """CreateProtection, AssociateHealthCheck and the tags of every declared protection checked against the Shield
    model (name and ARN lengths and forms, a health check ID of 36 characters, tag lengths), each named by its
    protections[N]; [] when AWS would take them all. Run once validate passes."""
    requests, errors = [], []
    for index, protection in enumerate(params.get("protections") or []):
        field = f"protections[{index}]"
        create = {"Name": protection["name"], "ResourceArn": protection["resource_arn"]}
        requests.append(("CreateProtection", create, field))
        for check_index, check in enumerate(protection.get("health_check_arns") or []):
            associate = {"ProtectionId": _UNKNOWN_PROTECTION_ID, "HealthCheckArn": check}
            requests.append(("AssociateHealthCheck", associate, f"{field}.health_check_arns[{check_index}]"))
        errors += tag_list_errors(service_model, "CreateProtection", "Tags", protection.get("tags"), f"{field}.tags")
    return plan_errors(service_model, requests, MODEL_RENAMES) + errors


class ShieldProtectionManager(PlannedSetManager):
    # ---------------------------------------------------------------- reading

    @staticmethod
    def current_shape(protection, tags):
        partition = arn_partition(protection["ResourceArn"])
        return {
            "name": protection["Name"],
            "resource_arn": protection["ResourceArn"],
            "resource_type": classify_resource_arn(protection["ResourceArn"])[0],
            "health_check_arns": sorted(health_check_arn(partition, i) for i in protection.get("HealthCheckIds") or []),
            "application_layer_automatic_response": alar_from_api(protection),
            "tags": tags,
            "id": protection["Id"],
            "protection_arn": protection.get("ProtectionArn"),
        }

    # ---------------------------------------------------------------- planning

    def plan_delete(self, current):
        if current["application_layer_automatic_response"] != "disabled":
            self.plan(current["name"], disable_application_layer_automatic_response, current["resource_arn"])
        self.plan(current["name"], delete_protection, current["id"])

    def plan_create(self, declared, after):
        def create():
            after["id"] = create_protection(self.client, declared["name"], declared["resource_arn"], after["tags"])
            described = describe_protection(self.client, protection_id=after["id"]) or {}
            after["protection_arn"] = described.get("ProtectionArn")
            for check in after["health_check_arns"]:
                associate_health_check(self.client, after["id"], check)
            if after["application_layer_automatic_response"] != "disabled":
                enable_application_layer_automatic_response(
                    self.client, declared["resource_arn"], after["application_layer_automatic_response"]
                )

        self.plan_action(declared["name"], create)

    def plan_update(self, current, declared, after):
        protection_id, arn, name = current["id"], current["resource_arn"], current["name"]
        if declared.get("health_check_arns") is not None:
            have = dict((health_check_id(a), a) for a in current["health_check_arns"])
            want = dict((health_check_id(a), a) for a in declared["health_check_arns"])
            for check_id in sorted(set(have) - set(want)):
                self.plan(name, disassociate_health_check, protection_id, have[check_id])
            for check_id in sorted(set(want) - set(have)):
                self.plan(name, associate_health_check, protection_id, want[check_id])
        old, new = current["application_layer_automatic_response"], after["application_layer_automatic_response"]
        if old != new:
            if new == "disabled":
                self.plan(name, disable_application_layer_automatic_response, arn)
            elif old == "disabled":
                self.plan(name, enable_application_layer_automatic_response, arn, new)
            else:
                self.plan(name, update_application_layer_automatic_response, arn, new)
        _after, to_set, to_unset = tag_changes(current["tags"], declared.get("tags"), self.params["purge_tags"])
        if to_unset:
            self.plan(name, untag_resource, current["protection_arn"], to_unset)
        if to_set:
            self.plan(name, tag_resource, current["protection_arn"], to_set)

    def after_shape(self, declared, current):
        """The declared protection as it will be; unset options keep the current values."""
        after = {
            "name": declared["name"],
            "resource_arn": declared["resource_arn"],
            "resource_type": classify_resource_arn(declared["resource_arn"])[0],
            "application_layer_automatic_response": declared.get("application_layer_automatic_response") or "disabled",
            "id": None,
            "protection_arn": None,
        }
        current_checks = current["health_check_arns"] if current else []
        declared_checks = declared.get("health_check_arns")
        after["health_check_arns"] = sorted(declared_checks) if declared_checks is not None else current_checks
        current_tags = current["tags"] if current else {}
        after["tags"] = tag_changes(current_tags, declared.get("tags"), self.params["purge_tags"])[0]
        return after

    # ---------------------------------------------------------------- main

    def process(self):
        declared_list = declared_items(self.params, "protections")
        everything = list_protections(self.client)
        by_arn = dict((p["ResourceArn"], p) for p in everything)
        scope = [p for p in everything if self.in_scope(p["Name"])]
        declared_arns = set(d["resource_arn"] for d in declared_list)

        # A declared resource protected under a name outside the scope belongs to someone else.
        for index, declared in enumerate(declared_list):
            existing = by_arn.get(declared["resource_arn"])
            if existing and not self.in_scope(existing["Name"]):
                self.module.fail_json(
                    msg=(
                        f"protections[{index}].resource_arn '{declared['resource_arn']}' is already protected by "
                        f"'{existing['Name']}' (ID {existing['Id']}), which is outside prefix "
                        f"'{self.params.get('prefix')}'. Delete that protection, or widen the scope."
                    )
                )

        # One ListTagsForResource per protection in the scope: Shield returns no tags with the protections.
        current = {}
        for protection in scope:
            tags = list_tags(self.client, protection["ProtectionArn"])
            current[protection["ResourceArn"]] = self.current_shape(protection, tags)

        # A declared resource protected in the scope under another name by a protection the task does not own (see
        # owner_tag): renaming it would delete another owner's protection.
        for index, declared in enumerate(declared_list):
            existing = current.get(declared["resource_arn"])
            if existing and existing["name"] != declared["name"] and not self.owns(existing["tags"]):
                self.module.fail_json(
                    msg=(
                        f"protections[{index}].resource_arn '{declared['resource_arn']}' is already protected by "
                        f"'{existing['name']}' (ID {existing['id']}), which does not carry the owner tag "
                        f"{owner_tag_text(self.params)}: it belongs to another owner (another environment, or a "
                        "protection made by hand), and Shield allows one protection per resource. Remove the "
                        "resource from this task, or delete that protection first."
                    )
                )

        after_list = []
        # Purged protections go first; a renamed protection is deleted and then created again. With owner_tag, the
        # undeclared protections without it are kept (their tags are already read: no extra call).
        purge = deletes_undeclared(self.params)
        undeclared = [(p["name"], p) for arn, p in sorted(current.items()) if arn not in declared_arns]
        owned, kept_foreign = split_owned(self.params, undeclared, lambda p: p["tags"]) if purge else ([], [])
        for protection in owned:
            self.plan_delete(protection)
        for declared in declared_list:
            existing = current.get(declared["resource_arn"])
            if existing and existing["name"] != declared["name"]:
                self.plan_delete(existing)
                # The new protection takes over the health checks and tags of the old one unless declared.
                after = self.after_shape(declared, existing)
                self.plan_create(declared, after)
            elif existing:
                after = self.after_shape(declared, existing)
                after["id"], after["protection_arn"] = existing["id"], existing["protection_arn"]
                self.plan_update(existing, declared, after)
            else:
                after = self.after_shape(declared, None)
                self.plan_create(declared, after)
            after_list.append(after)
        deleted = set(id(p) for p in owned)
        after_list.extend(p for _name, p in undeclared if id(p) not in deleted)

        self.apply_plan()

        before_list = sorted(current.values(), key=lambda p: (p["name"], p["resource_arn"]))
        after_list = sorted(after_list, key=lambda p: (p["name"], p["resource_arn"]))
        result = {"changed": self.changed, "protections": after_list}
        if self.params.get("owner_tag"):
            result["kept_foreign"] = kept_foreign
        result.update(
            diff_payload(
                self.module,
                {"protections": [self._diff_shape(p) for p in before_list]},
                {"protections": [self._diff_shape(p) for p in after_list]},
            )
        )
        return result

    @staticmethod
    def _diff_shape(protection):
        return dict((k, v) for k, v in protection.items() if k not in ("id", "protection_arn"))


def main():
    protection_spec = dict(
        name=dict(type="str", required=True),
        resource_arn=dict(type="str", required=True),
        health_check_arns=dict(type="list", elements="str"),
        application_layer_automatic_response=dict(
            type="str", choices=["block", "count", "disabled"], default="disabled"
        ),
        tags=dict(type="dict"),
    )
    argument_spec = dict(
        protections=dict(type="list", elements="dict", options=protection_spec, default=[]),
        **set_argument_spec(old_prefix="scope_name_prefix", prefix_required=False, owner_tag=True),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    settle(module, old_prefix="scope_name_prefix", old_purge_default=False, unscoped=UNSCOPED)

    fail_on_input_errors(module, validate(module.params))
    client = shield_client(module)
    run_module(
        module,
        model_errors(client.meta.service_model, module.params),
        lambda: ShieldProtectionManager(module, client).process(),
        AnsibleShieldError,
    )


if __name__ == "__main__":
    main()
