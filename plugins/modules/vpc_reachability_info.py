#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: vpc_reachability_info
short_description: Which service can open a TCP connection to which other one, compared with the intended paths
version_added: 1.0.0
description:
  - Reads the security groups, subnets, network ACLs and route tables of the services in O(endpoints) and computes
    every TCP path from one service to another (directly, or through the network load balancer that fronts the
    target), then compares them with O(intended). Read-only; nothing is changed.
  - "A connection from a client in subnet A to a server in subnet B on port P is possible when, in IPv4 or in IPv6
    (when both subnets have an IPv6 block): the client's security groups allow egress to the server (a rule that
    references one of the server's groups, or a CIDR or prefix-list entry that contains B) on P; the server's groups
    allow ingress from the client the same way; the network ACL of A allows P out and the return traffic
    (1024-65535) in, the ACL of B allows P in and the return traffic out (ACLs are stateless, read in rule-number
    order, the first matching rule decides and the default rule denies; they do not apply within one subnet); and the
    route tables connect A and B both ways (the C(local) route in one VPC; between VPCs the most specific route must
    lead to a VPC peering connection or a transit gateway)."
  - "Through a load balancer (O(endpoints[].load_balancer)) there are two connections: client -> load balancer on
    the listener port, then load balancer -> target on the target port. The target sees the load balancer's address
    (targets of type C(ip) without client IP preservation, as for Fargate services), so its security group must
    allow the load balancer's group or a CIDR containing the load balancer's subnets."
  - Every combination of the client's, the load balancer's and the target's subnets is evaluated. A path is
    reachable when at least one combination works; it is C(partial) when some do not (tasks in some subnets cannot
    connect). An intended path that is only partial is reported in RV(missing) with the reason.
  - "Reads: one paginated C(DescribeSubnets), C(DescribeSecurityGroups), C(DescribeNetworkAcls) (by subnet
    association) and C(DescribeRouteTables) (by VPC), plus one C(GetManagedPrefixListEntries) per managed prefix list
    a rule or route refers to. A prefix list that cannot be read is taken to match nothing, with a warning."
  - The input is checked before any call (names unique, intended paths naming known services and ports they listen
    on, ports from 1 to 65535); security group and subnet ids that AWS does not know fail with the fields that hold
    them.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  endpoints:
    description:
      - The services, each of which can be a client (source) and a server (target).
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name of the service, unique among O(endpoints). O(intended) refers to it.
        type: str
        required: true
      security_group_ids:
        description: The security groups of the service's network interfaces (for ECS, the awsvpc configuration).
        type: list
        elements: str
        required: true
      subnet_ids:
        description: The subnets the service's network interfaces may be in.
        type: list
        elements: str
        required: true
      ports:
        description:
          - The TCP ports the service listens on. Empty for a service that is only a client.
        type: list
        elements: int
        default: []
      load_balancer:
        description:
          - The network load balancer that fronts the service. Clients reach the service through it on its
            listener ports, and also directly on O(endpoints[].ports) when the security groups allow that.
        type: dict
        suboptions:
          name:
            description: Name of the load balancer, used in RV(paths[].via) and O(intended[].via).
            type: str
            required: true
          security_group_ids:
            description:
              - The security groups of the load balancer. Empty for a load balancer without security groups, which
                filters nothing; its targets must then allow its subnets' CIDRs.
            type: list
            elements: str
            default: []
          subnet_ids:
            description: The subnets the load balancer has nodes in.
            type: list
            elements: str
            required: true
          listener_ports:
            description: The TCP ports the load balancer listens on (the production and any test listener).
            type: list
            elements: int
            required: true
          target_port:
            description: The port the listeners forward to. Not set, the first of O(endpoints[].ports).
            type: int
  intended:
    description:
      - The paths that must exist, and the only ones that may. A reachable path that is not listed is reported in
        RV(extra); a listed one that is not reachable (or only from some subnets) in RV(missing).
    type: list
    elements: dict
    default: []
    suboptions:
      source:
        description: Name of the client endpoint.
        type: str
        required: true
      target:
        description: Name of the server endpoint.
        type: str
        required: true
      port:
        description:
          - The port the client dials - the listener port when the path goes through the target's load balancer.
        type: int
        required: true
      via:
        description:
          - V(direct), or the name of the target's load balancer, to allow only that way; a path the other way (for
            example straight to the tasks, bypassing the load balancer) is then reported in RV(extra). Not set, any
            way is intended.
        type: str
  include_matrix:
    description: Return RV(matrix) (source -> target -> ports).
    type: bool
    default: true
notes:
  - Supports check mode; the module never changes anything and always reports C(changed=false).
  - "Not evaluated: whether a peering connection or transit gateway named by a route really joins the two VPCs (and
    the transit gateway's own route tables); the appliance behind a route more specific than C(local) (taken to
    forward, with a warning); client IP preservation on a load balancer; a CIDR or ACL rule that covers only part of
    a subnet (it does not match: the tasks' addresses are not known); UDP and ICMP."
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# The base layer (terraform/) outputs services (per service: security_group_id, port, nlb), nlbs (per NLB:
# security_group_id, test_port) and private_subnet_ids; the services and their NLBs run in the private subnets.
# The intended chain is the allowed_from of each service in terraform/variables.tf (the Terraform outputs do not
# carry it): api-gateway -> inventory-app and billing-app through their NLBs, inventory-app -> inventory-db 5432,
# billing-app -> billing-db 5432, api-gateway and billing-app -> rabbitmq 5672.
- name: Read the base layer's outputs
  ansible.builtin.set_fact:
    base: "{{ lookup('ansible.builtin.pipe', 'terraform -chdir=terraform output -json') | from_json }}"
    reach_allowed_from:
      inventory-app: [api-gateway]
      inventory-db: [inventory-app]
      billing-app: [api-gateway]
      billing-db: [billing-app]
      rabbitmq: [api-gateway, billing-app]

- name: One endpoint per service, with its NLB (listener on the service port, as nlb_port is not set; plus the
    blue/green test listener when there is one)
  ansible.builtin.set_fact:
    reach_endpoints: >-
      {{ reach_endpoints | default([]) + [{
           'name': item.key,
           'security_group_ids': [item.value.security_group_id],
           'subnet_ids': base.private_subnet_ids.value,
           'ports': [item.value.port],
         } | combine({} if item.value.nlb is none else {'load_balancer': {
           'name': item.value.nlb,
           'security_group_ids': [base.nlbs.value[item.value.nlb].security_group_id],
           'subnet_ids': base.private_subnet_ids.value,
           'listener_ports': [item.value.port] + ([base.nlbs.value[item.value.nlb].test_port]
                             if base.nlbs.value[item.value.nlb].test_port else []),
         }})] }}
  loop: "{{ base.services.value | dict2items }}"
  loop_control:
    label: "{{ item.key }}"

# Through an NLB, via names it: a client that bypasses the NLB and reaches the tasks directly is then reported extra.
- name: The intended paths - each client in allowed_from, on every listener port of the target's NLB (else its port)
  ansible.builtin.set_fact:
    reach_intended: >-
      {{ reach_intended | default([]) + (__ports | map('community.general.dict_kv', 'port')
         | map('combine', {'source': item.1, 'target': item.0.key}, __via) | list) }}
  vars:
    __target: "{{ reach_endpoints | selectattr('name', '==', item.0.key) | first }}"
    __ports: "{{ __target.load_balancer.listener_ports if 'load_balancer' in __target else __target.ports }}"
    __via: "{{ {'via': __target.load_balancer.name} if 'load_balancer' in __target else {} }}"
  loop: "{{ reach_allowed_from | dict2items | subelements('value') }}"
  loop_control:
    label: "{{ item.1 }} -> {{ item.0.key }}"

- name: Check the deployed network against the chain
  securecloud.monitor.vpc_reachability_info:
    endpoints: "{{ reach_endpoints }}"
    intended: "{{ reach_intended }}"
  register: reach

- name: No path outside the chain, none of the chain missing
  ansible.builtin.assert:
    that: reach.compliant
    fail_msg: "extra: {{ reach.extra | to_json }} missing: {{ reach.missing | map(attribute='reason') | list }}"
"""

RETURN = r"""
paths:
  description:
    - Every reachable path from one endpoint to another, sorted by source, target, then direct before through the
      load balancer.
  returned: always
  type: list
  elements: dict
  contains:
    source:
      description: Name of the client endpoint.
      type: str
      sample: billing-app
    target:
      description: Name of the server endpoint.
      type: str
      sample: billing-db
    port:
      description: The port the client dials (the listener port through a load balancer).
      type: int
      sample: 5432
    target_port:
      description: The port the target receives the connection on.
      type: int
      sample: 5432
    via:
      description: V(direct), or the name of the load balancer the path goes through.
      type: str
      sample: direct
    partial:
      description: True when the path works from some subnets only (see RV(paths[].blocked_by)).
      type: bool
      sample: false
    allowed_by:
      description:
        - The security group rules that let the connections through (group, direction, peer, protocol and ports).
      type: list
      elements: str
      sample: ["sg-0a1 egress 0.0.0.0/0 all traffic", "sg-0db ingress sg-0a1 tcp 5432"]
    blocked_by:
      description: For a partial path, what stops it from the other subnets.
      type: list
      elements: str
      returned: when RV(paths[].partial) is true
extra:
  description: The reachable paths that O(intended) does not list (source, target, port, via, allowed_by).
  returned: always
  type: list
  elements: dict
  sample: [{"source": "api-gateway", "target": "billing-db", "port": 5432, "via": "direct",
            "allowed_by": ["sg-0a1 egress 0.0.0.0/0 all traffic", "sg-0db ingress 0.0.0.0/0 tcp 5432"]}]
missing:
  description: The intended paths that are not reachable, or only from some subnets (C(partial) true).
  returned: always
  type: list
  elements: dict
  contains:
    source:
      description: Name of the client endpoint.
      type: str
    target:
      description: Name of the server endpoint.
      type: str
    port:
      description: The port the client dials.
      type: int
    via:
      description: The way the path was intended (O(intended[].via)), null for any.
      type: str
    partial:
      description: True when the path works from some subnets but not all.
      type: bool
    reason:
      description: The pieces that block the path, joined with C(; ).
      type: str
      sample: >-
        sg-0db (billing-db) has no ingress from sg-0a1, 10.0.1.0/24 (billing-app) on 5432
    reasons:
      description: The same pieces as a list.
      type: list
      elements: str
      sample: ["acl-0123 (subnet-0b, billing-db) denies ingress from 10.0.1.0/24 on the request, tcp 5432: rule 90"]
matrix:
  description: Source -> target -> sorted list of the ports the source can dial.
  returned: when O(include_matrix=true)
  type: dict
  sample: {"api-gateway": {"billing-app": [80], "rabbitmq": [5672]}, "billing-app": {"billing-db": [5432]}}
compliant:
  description: True when there is no RV(extra) and no RV(missing) path.
  returned: always
  type: bool
  sample: true
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import fail_on_input_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.reachability import (  # noqa: E402
    Network,
    evaluate,
    referenced_ids,
    referenced_prefix_lists,
    unknown_ids_message,
    validate,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff  # noqa: E402

# The reads live here rather than in module_utils/reachability.py, which stays free of AWS calls. amazon.aws's
# ec2.describe_subnets / describe_security_groups turn a NotFound into an empty list, which would hide which id is
# wrong, so these wrappers raise instead.
NOT_FOUND = {
    "security group": ("InvalidGroup.NotFound", "InvalidGroupId.Malformed", "InvalidGroupId.NotFound"),
    "subnet": ("InvalidSubnetID.NotFound", "InvalidSubnetID.Malformed", "InvalidSubnetId.Malformed"),
}


class AnsibleReachabilityError(AnsibleAWSError):
    pass


class ReachabilityErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleReachabilityError


def ec2_client(module):
    return module.client("ec2")


def _paginate(client, operation, result_key, **params):
    return client.get_paginator(operation).paginate(**params).build_full_result().get(result_key, [])


@ReachabilityErrorHandler.common_error_handler("describe subnets")
@jittered_backoff()
def describe_subnets(client, subnet_ids):
    return _paginate(client, "describe_subnets", "Subnets", SubnetIds=subnet_ids)


@ReachabilityErrorHandler.common_error_handler("describe security groups")
@jittered_backoff()
def describe_security_groups(client, group_ids):
    return _paginate(client, "describe_security_groups", "SecurityGroups", GroupIds=group_ids)


@ReachabilityErrorHandler.common_error_handler("describe network ACLs")
@jittered_backoff()
def describe_network_acls(client, subnet_ids):
    filters = [{"Name": "association.subnet-id", "Values": subnet_ids}]
    return _paginate(client, "describe_network_acls", "NetworkAcls", Filters=filters)


@ReachabilityErrorHandler.common_error_handler("describe route tables")
@jittered_backoff()
def describe_route_tables(client, vpc_ids):
    # By VPC rather than by subnet association: subnets without one use the VPC's main table.
    filters = [{"Name": "vpc-id", "Values": vpc_ids}]
    return _paginate(client, "describe_route_tables", "RouteTables", Filters=filters)


@ReachabilityErrorHandler.common_error_handler("get managed prefix list entries")
@jittered_backoff()
def get_prefix_list_entries(client, prefix_list_id):
    entries = _paginate(client, "get_managed_prefix_list_entries", "Entries", PrefixListId=prefix_list_id)
    return [entry["Cidr"] for entry in entries if entry.get("Cidr")]


def _error_code(error):
    exception = getattr(error, "exception", None)
    response = getattr(exception, "response", None) or {}
    return (response.get("Error") or {}).get("Code")


class ReachabilityReader:
    def __init__(self, module, client):
        self.module = module
        self.client = client

    def read_ids(self, kind, call, ids, fields):
        """Every item of ``ids``; fails naming the fields of the ids AWS does not know."""
        try:
            return call(self.client, ids)
        except AnsibleReachabilityError as e:
            if _error_code(e) not in NOT_FOUND[kind]:
                raise
        # Which ids: AWS names the unknown ones in the message, but not in a form worth parsing (and moto names
        # them all), so ask for each one. Only on this failure path.
        unknown = []
        for item in ids:
            try:
                call(self.client, [item])
            except AnsibleReachabilityError as e:
                if _error_code(e) not in NOT_FOUND[kind]:
                    raise
                unknown.append(item)
        self.module.fail_json(msg=unknown_ids_message(kind, unknown or ids, fields), unknown_ids=sorted(unknown))

    def read(self, endpoints):
        sg_fields, subnet_fields = referenced_ids(endpoints)
        subnets = self.read_ids("subnet", describe_subnets, sorted(subnet_fields), subnet_fields)
        groups = self.read_ids("security group", describe_security_groups, sorted(sg_fields), sg_fields)
        acls = describe_network_acls(self.client, sorted(subnet_fields))
        vpc_ids = sorted(set(s["VpcId"] for s in subnets if s.get("VpcId")))
        tables = describe_route_tables(self.client, vpc_ids) if vpc_ids else []
        prefix_lists = {}
        for prefix_list_id in referenced_prefix_lists(groups, tables):
            try:
                prefix_lists[prefix_list_id] = get_prefix_list_entries(self.client, prefix_list_id)
            except AnsibleReachabilityError:
                prefix_lists[prefix_list_id] = None  # Network warns and treats it as matching nothing
        return Network(groups, subnets, acls, tables, prefix_lists)


def main():
    load_balancer_spec = dict(
        name=dict(type="str", required=True),
        security_group_ids=dict(type="list", elements="str", default=[]),
        subnet_ids=dict(type="list", elements="str", required=True),
        listener_ports=dict(type="list", elements="int", required=True),
        target_port=dict(type="int"),
    )
    endpoint_spec = dict(
        name=dict(type="str", required=True),
        security_group_ids=dict(type="list", elements="str", required=True),
        subnet_ids=dict(type="list", elements="str", required=True),
        ports=dict(type="list", elements="int", default=[]),
        load_balancer=dict(type="dict", options=load_balancer_spec),
    )
    intended_spec = dict(
        source=dict(type="str", required=True),
        target=dict(type="str", required=True),
        port=dict(type="int", required=True),
        via=dict(type="str"),
    )
    argument_spec = dict(
        endpoints=dict(type="list", elements="dict", options=endpoint_spec, required=True),
        intended=dict(type="list", elements="dict", options=intended_spec, default=[]),
        include_matrix=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    endpoints = module.params["endpoints"]
    intended = module.params["intended"] or []

    errors = validate(endpoints, intended)
    fail_on_input_errors(module, errors)

    try:
        network = ReachabilityReader(module, ec2_client(module)).read(endpoints)
    except AnsibleReachabilityError as e:
        module.fail_json_aws_error(e)
    result = evaluate(endpoints, intended, network, module.params["include_matrix"])
    for warning in result.pop("warnings"):
        module.warn(warning)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
