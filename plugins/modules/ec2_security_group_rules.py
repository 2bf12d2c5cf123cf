#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ec2_security_group_rules
short_description: Keep only the listed rules in security groups; revoke every other one
version_added: 1.0.0
description:
  - For each security group in O(security_groups), revokes every inbound and outbound rule whose security group rule
    ID is not listed for that group. Rules are not created or changed; whoever manages the listed rules (Terraform,
    for the base layer) does that.
  - This is how a rule added outside Terraform is found and removed. Terraform manages each rule of the base layer as
    its own resource (C(aws_vpc_security_group_ingress_rule) and C(aws_vpc_security_group_egress_rule)), so it does
    not see a rule that someone adds by hand to one of its groups. The role P(securecloud.monitor.base_infra#role)
    passes the rule IDs from the Terraform state (output C(security_group_rule_ids)) to this module after each
    apply. In a check run, such as the compliance run, the rules that would be revoked are reported as drift.
  - A listed rule ID that the group does not have is reported in RV(missing) and is not an error. Terraform
    re-creates such a rule on its next apply, under a new ID.
  - "API calls: one paginated C(DescribeSecurityGroupRules) for all the groups, then one C(RevokeSecurityGroupIngress)
    or C(RevokeSecurityGroupEgress) per group and direction that has rules to revoke."
  - The input is checked before any call. Group IDs must look like V(sg-0123456789abcdef0) and rule IDs like
    V(sgr-0123456789abcdef0).
  - Every group's rules are read and every revocation is planned before the first one is made. When a revocation
    fails all the same (throttling retries exhausted, a permission missing), the task stops there and fails; its
    message and its result keys RV(written) and RV(not_written) name the rules revoked and those not revoked. Fix the
    cause and run the task again; it reads the groups again and revokes only what is left.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  security_groups:
    description:
      - The rule IDs to keep, by security group ID. Every other rule of these groups is revoked.
      - An empty list revokes every rule of the group.
      - Groups that are not listed are left alone.
    type: dict
    required: true
notes:
  - Supports check mode and diff mode. The diff lists each group's rules before and after, one line per rule.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Revoke every rule of the base layer's security groups that Terraform does not manage
  securecloud.monitor.ec2_security_group_rules:
    security_groups: "{{ base.security_group_rule_ids }}"

- name: Keep two rules of one group
  securecloud.monitor.ec2_security_group_rules:
    security_groups:
      sg-0123456789abcdef0:
        - sgr-0123456789abcdef0
        - sgr-0fedcba9876543210
"""

RETURN = r"""
revoked:
  description: The rules that were revoked, or that would be revoked in check mode.
  returned: always
  type: list
  elements: dict
  contains:
    security_group_rule_id:
      description: ID of the rule.
      type: str
      sample: sgr-0123456789abcdef0
    group_id:
      description: ID of the group the rule belonged to.
      type: str
      sample: sg-0123456789abcdef0
    direction:
      description: V(ingress) or V(egress).
      type: str
      sample: ingress
    rule:
      description: The rule in one line, as the diff shows it.
      type: str
      sample: sgr-0123456789abcdef0 ingress tcp 5432 from 0.0.0.0/0
missing:
  description: Listed rule IDs that their group does not have, by group ID.
  returned: always
  type: dict
  sample: {"sg-0123456789abcdef0": ["sgr-0123456789abcdef0"]}
diff:
  description: Each group's rules before and after, one line per rule, with C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a revocation failed partway (retries exhausted, a permission missing); the task then fails. The
      IDs of the rules revoked before the failure, in the order they were revoked.
  returned: when a write fails
  type: list
  elements: str
  sample: [sgr-0123456789abcdef0]
not_written:
  description:
    - Set only when a revocation failed partway. The IDs of the rules not revoked, those of the call that failed
      first; a rerun of the task revokes them.
  returned: when a write fails
  type: list
  elements: str
  sample: [sgr-0fedcba9876543210]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import functools  # noqa: E402
import re  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import (  # noqa: E402
    AnsibleEC2Error,
    EC2SecurityGroupsErrorHandler,
    revoke_security_group_egress,
    revoke_security_group_ingress,
)
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import managed_sets  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import exit_with_diff, fail_on_input_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import WritePlan  # noqa: E402

GROUP_ID = re.compile(r"^sg-[0-9a-f]{8,17}$")
RULE_ID = re.compile(r"^sgr-[0-9a-f]{8,17}$")


def input_errors(security_groups):
    """One message per malformed group ID, rule list or rule ID, each naming its field."""
    return managed_sets.input_errors(
        "security_groups",
        security_groups,
        (GROUP_ID.match, "security group ID", "sg-0123456789abcdef0"),
        (RULE_ID.match, "security group rule ID", "sgr-0123456789abcdef0"),
        "revokes every rule",
    )


@EC2SecurityGroupsErrorHandler.list_error_handler("describe security group rules", [])
@jittered_backoff()
def describe_security_group_rules(client, group_ids):
    paginator = client.get_paginator("describe_security_group_rules")
    filters = [{"Name": "group-id", "Values": sorted(group_ids)}]
    return paginator.paginate(Filters=filters).build_full_result()["SecurityGroupRules"]


def _ports(rule):
    low, high = rule.get("FromPort", -1), rule.get("ToPort", -1)
    if low in (None, -1):
        return "all ports"
    return str(low) if low == high else f"{low}-{high}"


def _peer(rule):
    referenced = (rule.get("ReferencedGroupInfo") or {}).get("GroupId")
    return referenced or rule.get("CidrIpv4") or rule.get("CidrIpv6") or rule.get("PrefixListId") or "?"


def describe_rule(rule):
    """The rule in one line: id, direction, protocol, ports, and the peer it allows."""
    direction = "egress" if rule.get("IsEgress") else "ingress"
    protocol = "all" if rule.get("IpProtocol") == "-1" else rule.get("IpProtocol")
    preposition = "to" if rule.get("IsEgress") else "from"
    return f"{rule['SecurityGroupRuleId']} {direction} {protocol} {_ports(rule)} {preposition} {_peer(rule)}"


def _member(rule):
    return dict(set_id=rule["GroupId"], member_id=rule["SecurityGroupRuleId"], line=describe_rule(rule), rule=rule)


def plan(security_groups, rules):
    """(rules to revoke, listed rule IDs missing per group) for the rules read from AWS."""
    revoke, missing = managed_sets.plan(security_groups, [_member(rule) for rule in rules])
    return [member["rule"] for member in revoke], missing


def planned_revocations(client, rules):
    """One call per group and direction, each a write of the rules it revokes (named by their IDs)."""
    batches = {}
    for rule in rules:
        batches.setdefault((rule["GroupId"], bool(rule.get("IsEgress"))), []).append(rule["SecurityGroupRuleId"])
    writes = WritePlan()
    for (group_id, egress), rule_ids in sorted(batches.items()):
        revoke = revoke_security_group_egress if egress else revoke_security_group_ingress
        rule_ids = sorted(rule_ids)
        writes.add(rule_ids, functools.partial(revoke, client, GroupId=group_id, SecurityGroupRuleIds=rule_ids))
    return writes


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(security_groups=dict(type="dict", required=True)),
        supports_check_mode=True,
    )
    security_groups = module.params["security_groups"]
    errors = input_errors(security_groups)
    fail_on_input_errors(module, errors)
    revoked, missing, before, after = [], {}, {}, {}
    if security_groups:
        client = module.client("ec2")
        try:
            rules = describe_security_group_rules(client, list(security_groups))
            revoked, missing = plan(security_groups, rules)
            planned_revocations(client, revoked).apply(module)
        except AnsibleEC2Error as e:
            module.fail_json_aws_error(e)
        members = [_member(rule) for rule in rules]
        before, after = managed_sets.diff_sides(security_groups, members, [_member(rule) for rule in revoked])
    result = dict(
        changed=bool(revoked),
        revoked=[
            dict(
                security_group_rule_id=rule["SecurityGroupRuleId"],
                group_id=rule["GroupId"],
                direction="egress" if rule.get("IsEgress") else "ingress",
                rule=describe_rule(rule),
            )
            for rule in revoked
        ],
        missing=missing,
    )
    exit_with_diff(module, result, before, after)


if __name__ == "__main__":
    main()
