#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ec2_vpc_managed_members
short_description: Keep only the listed entries in network ACLs and routes in route tables; delete every other one
version_added: 1.0.0
description:
  - For each network ACL in O(network_acls), deletes every entry that is not listed for that ACL; for each route
    table in O(route_tables), deletes every route whose destination is not listed for that table. Entries and routes
    are not created or changed; whoever manages the listed ones (Terraform, for the base layer) does that.
  - Terraform manages each entry (C(aws_network_acl_rule)) and each route (C(aws_route)) of the base layer as its
    own resource, so it does not see one that someone adds by hand. The role P(securecloud.monitor.base_infra#role)
    passes the declared members from the Terraform state (outputs C(network_acl_entries) and C(route_destinations))
    to this module after each apply. In a check run, such as the compliance run, the members that would be deleted
    are reported as drift, with the diff. The same mechanism as M(securecloud.monitor.ec2_security_group_rules)
    (module_utils C(managed_sets)).
  - What AWS itself keeps in every ACL and table is never deleted, listed or not, namely the default deny entries
    (rule number 32767) and the VPC's C(local) routes.
  - A listed member that is not there is reported in RV(missing) and is not an error (Terraform creates it again).
  - "API calls: one paginated C(DescribeNetworkAcls) and one C(DescribeRouteTables) for the listed IDs (none for an
    empty option), then one C(DeleteNetworkAclEntry) or C(DeleteRoute) per member to delete."
  - Every ACL and table is read and every deletion is planned before the first one is made. When a deletion fails all
    the same (throttling retries exhausted, a permission missing), the task stops there and fails; its message and its
    result keys RV(written) and RV(not_written) name the members deleted and those not deleted. Fix the cause and run
    the task again; it reads the ACLs and tables again and deletes only what is left.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  network_acls:
    description:
      - The entries to keep, by network ACL ID, each as V(ingress:RULE_NUMBER) or V(egress:RULE_NUMBER).
      - ACLs that are not listed are left alone.
    type: dict
    default: {}
  route_tables:
    description:
      - The routes to keep, by route table ID, each by its destination (an IPv4 or IPv6 CIDR block, or a prefix
        list ID).
      - Route tables that are not listed are left alone.
    type: dict
    default: {}
notes:
  - Supports check mode and diff mode. The diff lists each ACL's entries and each table's routes before and after,
    one line each.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Delete every network ACL entry and route of the base layer that Terraform does not manage
  securecloud.monitor.ec2_vpc_managed_members:
    network_acls: "{{ base.network_acl_entries }}"
    route_tables: "{{ base.route_destinations }}"

- name: Keep two entries of one ACL
  securecloud.monitor.ec2_vpc_managed_members:
    network_acls:
      acl-0123456789abcdef0: [ingress:100, egress:100]
"""

RETURN = r"""
deleted:
  description: The entries and routes that were deleted, or that would be deleted in check mode.
  returned: always
  type: list
  elements: dict
  contains:
    set_id:
      description: ID of the network ACL or route table.
      type: str
      sample: acl-0123456789abcdef0
    member_id:
      description: The entry (V(ingress:RULE_NUMBER), V(egress:RULE_NUMBER)) or the route's destination.
      type: str
      sample: ingress:90
    line:
      description: The member in one line, as the diff shows it.
      type: str
      sample: ingress:90 allow tcp 22 0.0.0.0/0
missing:
  description: Listed members that their ACL or table does not have, by ID.
  returned: always
  type: dict
  sample: {"acl-0123456789abcdef0": ["ingress:100"]}
diff:
  description: Each ACL's entries and each table's routes before and after, one line each, with C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a deletion failed partway (retries exhausted, a permission missing); the task then fails. The
      members deleted before the failure, each as its ACL or table ID and its member ID, in the order they were
      deleted.
  returned: when a write fails
  type: list
  elements: str
  sample: [acl-0123456789abcdef0 ingress:90]
not_written:
  description:
    - Set only when a deletion failed partway. The members not deleted, the one whose deletion failed first; a rerun
      of the task deletes them.
  returned: when a write fails
  type: list
  elements: str
  sample: [rtb-0123456789abcdef0 192.0.2.0/24]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import functools  # noqa: E402
import re  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import (  # noqa: E402
    AnsibleEC2Error,
    delete_network_acl_entry,
    delete_route,
    describe_network_acls,
    describe_route_tables,
)
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import managed_sets  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.cidr import cidr_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import exit_with_diff, fail_on_input_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import WritePlan  # noqa: E402

ACL_ID = re.compile(r"^acl-[0-9a-f]{8,17}$")
TABLE_ID = re.compile(r"^rtb-[0-9a-f]{8,17}$")
ENTRY = re.compile(r"^(ingress|egress):([1-9][0-9]{0,4})$")
DESTINATION = re.compile(r"^([0-9.]+/[0-9]+|[0-9a-fA-F:]+/[0-9]+|pl-[0-9a-f]+)$")
DEFAULT_DENY = 32767
# "The rule number ... from 1 to 32766" (32767 is AWS's own default deny entry):
# https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
RULE_NUMBER_MAX = 32766


def input_errors(params):
    return _id_errors(params) + _value_errors(params)


def _value_errors(params):
    """AWS's rules for the members' values, which their ID patterns do not hold: rule numbers up to 32766 (or the
    default deny) and destinations as AWS writes them. A destination written otherwise would never match the route
    it means, which would then be deleted."""
    errors = []
    for acl_id, entries in params["network_acls"].items():
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            found = ENTRY.match(str(entry))
            if found and RULE_NUMBER_MAX < int(found[2]) != DEFAULT_DENY:
                errors.append(
                    f"network_acls[{acl_id!r}][{index}]: rule number {found[2]} is above {RULE_NUMBER_MAX}, the "
                    f"highest AWS takes; list entries as ingress:N or egress:N with N from 1 to {RULE_NUMBER_MAX}."
                )
    for table_id, destinations in params["route_tables"].items():
        for index, destination in enumerate(destinations if isinstance(destinations, list) else []):
            if DESTINATION.match(str(destination)) and not str(destination).startswith("pl-"):
                errors += cidr_errors(destination, f"route_tables[{table_id!r}][{index}]")
    return errors


def _id_errors(params):
    return managed_sets.input_errors(
        "network_acls",
        params["network_acls"],
        (ACL_ID.match, "network ACL ID", "acl-0123456789abcdef0"),
        (ENTRY.match, "network ACL entry", "ingress:100"),
        "deletes every entry but the default deny",
    ) + managed_sets.input_errors(
        "route_tables",
        params["route_tables"],
        (TABLE_ID.match, "route table ID", "rtb-0123456789abcdef0"),
        (DESTINATION.match, "route destination", "0.0.0.0/0"),
        "deletes every route but the local one",
    )


def _ports(entry):
    ports = entry.get("PortRange")
    if not ports:
        return "all ports"
    return str(ports["From"]) if ports["From"] == ports["To"] else f"{ports['From']}-{ports['To']}"


def entry_member(acl_id, entry):
    """A network ACL entry as a member: ``ingress:100`` and its line."""
    direction = "egress" if entry["Egress"] else "ingress"
    member_id = f"{direction}:{entry['RuleNumber']}"
    protocol = "all" if str(entry.get("Protocol")) == "-1" else entry.get("Protocol")
    peer = entry.get("CidrBlock") or entry.get("Ipv6CidrBlock") or "?"
    line = f"{member_id} {entry.get('RuleAction')} {protocol} {_ports(entry)} {peer}"
    return dict(set_id=acl_id, member_id=member_id, line=line, number=entry["RuleNumber"], egress=entry["Egress"])


_DESTINATIONS = ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId")
_TARGETS = (
    "GatewayId",
    "NatGatewayId",
    "TransitGatewayId",
    "VpcPeeringConnectionId",
    "NetworkInterfaceId",
    "InstanceId",
    "EgressOnlyInternetGatewayId",
    "LocalGatewayId",
    "CarrierGatewayId",
    "CoreNetworkArn",
)


def route_member(table_id, route):
    """A route as a member: its destination, and its line (destination and target)."""
    key, destination = next(((k, route[k]) for k in _DESTINATIONS if route.get(k)), ("", "?"))
    target = next((route[t] for t in _TARGETS if route.get(t)), "?")
    return dict(
        set_id=table_id,
        member_id=destination,
        line=f"{destination} via {target}",
        destination={key: destination},
        local=route.get("GatewayId") == "local",
    )


def members(client, params):
    found = []
    if params["network_acls"]:
        for acl in describe_network_acls(client, NetworkAclIds=sorted(params["network_acls"])):
            found += [entry_member(acl["NetworkAclId"], e) for e in acl.get("Entries", [])]
    if params["route_tables"]:
        for table in describe_route_tables(client, RouteTableIds=sorted(params["route_tables"])):
            found += [route_member(table["RouteTableId"], r) for r in table.get("Routes", [])]
    return found


def fixed(member):
    """What AWS keeps in every ACL and table: the default deny entries and the local routes."""
    return member.get("number") == DEFAULT_DENY or member.get("local", False)


def delete(client, member):
    if "number" in member:
        delete_network_acl_entry(client, member["set_id"], member["number"], member["egress"])
    else:
        delete_route(client, member["set_id"], **member["destination"])


def planned_deletions(client, deleted):
    """One call per member, each a write of the member named by its ACL or table ID and its member ID."""
    writes = WritePlan()
    for member in deleted:
        writes.add(f"{member['set_id']} {member['member_id']}", functools.partial(delete, client, member))
    return writes


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(network_acls=dict(type="dict", default={}), route_tables=dict(type="dict", default={})),
        supports_check_mode=True,
    )
    params = module.params
    errors = input_errors(params)
    fail_on_input_errors(module, errors)
    sets = dict(params["network_acls"], **params["route_tables"])
    deleted, missing, before, after = [], {}, {}, {}
    if sets:
        client = module.client("ec2")
        try:
            found = members(client, params)
            deleted, missing = managed_sets.plan(sets, found, fixed)
            planned_deletions(client, deleted).apply(module)
        except AnsibleEC2Error as e:
            module.fail_json_aws_error(e)
        before, after = managed_sets.diff_sides(sets, found, deleted)
    result = dict(
        changed=bool(deleted),
        deleted=[dict(set_id=m["set_id"], member_id=m["member_id"], line=m["line"]) for m in deleted],
        missing=missing,
    )
    exit_with_diff(module, result, before, after)


if __name__ == "__main__":
    main()
