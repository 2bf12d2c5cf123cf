# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which service can open a TCP connection to which other service and port, from the security groups, network ACLs
and route tables of a VPC (or of peered VPCs), compared with the intended paths.

Pure functions on the dicts EC2's Describe* calls return (``SecurityGroups``, ``Subnets``, ``NetworkAcls``,
``RouteTables``) plus the entries of the managed prefix lists the rules refer to: no AWS call here, so that every
rule of the evaluation is unit-tested on hand-built data. ``vpc_reachability_info`` reads the data and calls
:func:`evaluate`.

The model, per connection attempt from a client in subnet A to a server in subnet B on TCP port P, for IPv4 and (when
both subnets have an IPv6 block) IPv6; a connection is possible when every piece allows it in one address family:

- security groups are stateful: the client's groups need an egress rule, the server's an ingress rule, that match the
  peer (a reference to one of its groups, or a CIDR or prefix-list entry that contains the peer's subnet) and P;
- network ACLs are stateless and only apply between different subnets: A's ACL must let P out and the return traffic
  (1024-65535, the range AWS recommends because NLBs and most clients use all of it) in, B's ACL P in and the return
  traffic out. Rules are read in rule-number order, the first that matches decides, and nothing matched is denied;
- routes: within one VPC the ``local`` route; between VPCs the longest route to the peer subnet must lead to a peering
  connection or a transit gateway, in both directions.

Through a network load balancer there are two such connections: client -> NLB (listener port) and NLB -> target
(target port); the target sees the NLB's address (targets of type ``ip``, client IP preservation off, as for Fargate).
"""

import ipaddress

EPHEMERAL = (1024, 65535)
DEFAULT_DENY_RULE = 32767  # the NACL rule AWS shows as "*"
FAMILIES = ("ipv4", "ipv6")
TCP_PROTOCOLS = ("tcp", "6")
ALL_PROTOCOLS = ("-1", "all")
DIRECT = "direct"


# ---------------------------------------------------------------- input checks


def _valid_port(value):
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535


def _port_errors(field, ports):
    errors = []
    for index, port in enumerate(ports or []):
        if not _valid_port(port):
            errors.append(f"{field}[{index}] is {port}: a TCP port is a number from 1 to 65535.")
    return errors


def validate(endpoints, intended):
    """Every problem of the input, as messages that name the field and the fix. No AWS call."""
    errors = []
    names = {}
    lb_names = {}
    for index, endpoint in enumerate(endpoints or []):
        field = f"endpoints[{index}]"
        name = endpoint.get("name")
        if not name:
            errors.append(f"{field}.name is empty: give the service a name.")
        elif name in names:
            errors.append(
                f"{field}.name '{name}' is also endpoints[{names[name]}].name: endpoint names must be unique."
            )
        else:
            names[name] = index
        for key in ("security_group_ids", "subnet_ids"):
            if not endpoint.get(key):
                errors.append(
                    f"{field}.{key} is empty: list the {key.replace('_ids', '').replace('_', ' ')}s of the service's "
                    "network interfaces (for an ECS service, its awsvpc network configuration)."
                )
        errors.extend(_port_errors(f"{field}.ports", endpoint.get("ports")))
        lb = endpoint.get("load_balancer")
        if lb:
            lb_field = f"{field}.load_balancer"
            lb_name = lb.get("name")
            if not lb_name:
                errors.append(f"{lb_field}.name is empty: give the load balancer's name.")
            elif lb_name in lb_names:
                errors.append(
                    f"{lb_field}.name '{lb_name}' is also {lb_names[lb_name]}.name: a load balancer fronts one "
                    "endpoint; give each its own name."
                )
            else:
                lb_names[lb_name] = lb_field
            if not lb.get("subnet_ids"):
                errors.append(f"{lb_field}.subnet_ids is empty: list the subnets the load balancer is in.")
            if not lb.get("listener_ports"):
                errors.append(f"{lb_field}.listener_ports is empty: list the TCP ports the load balancer listens on.")
            errors.extend(_port_errors(f"{lb_field}.listener_ports", lb.get("listener_ports")))
            target_port = lb.get("target_port")
            if target_port is not None and not _valid_port(target_port):
                errors.append(f"{lb_field}.target_port is {target_port}: a TCP port is a number from 1 to 65535.")
            if target_port is None and not endpoint.get("ports"):
                errors.append(
                    f"{lb_field}.target_port is not set and {field}.ports is empty: the listeners forward to the "
                    "endpoint's first port; set ports, or target_port."
                )
    by_name = dict((e.get("name"), e) for e in endpoints or [] if e.get("name"))
    known = ", ".join(sorted(by_name)) or "(none)"
    for index, path in enumerate(intended or []):
        field = f"intended[{index}]"
        for key in ("source", "target"):
            if path.get(key) not in by_name:
                errors.append(
                    f"{field}.{key} '{path.get(key)}' is not the name of an endpoint: use one of {known}, or add the "
                    "service to endpoints."
                )
        port = path.get("port")
        if not _valid_port(port):
            errors.append(f"{field}.port is {port}: a TCP port is a number from 1 to 65535.")
        if path.get("source") is not None and path.get("source") == path.get("target"):
            errors.append(
                f"{field}: source and target are both '{path.get('source')}'; traffic of a service to itself is not "
                "evaluated. Remove the entry."
            )
        target = by_name.get(path.get("target"))
        if target is None or not _valid_port(port):
            continue
        lb = target.get("load_balancer") or {}
        listener_ports = lb.get("listener_ports") or []
        via = path.get("via")
        if via not in (None, DIRECT) and via != lb.get("name"):
            choices = DIRECT + (f" or {lb['name']}" if lb.get("name") else "")
            errors.append(f"{field}.via '{via}' is neither {choices}: set one of these, or leave via unset.")
        elif port not in (target.get("ports") or []) and port not in listener_ports:
            errors.append(
                f"{field}.port {port} is not a port {target['name']} listens on (ports {target.get('ports') or []}"
                + (f", load balancer {lb.get('name')} listener ports {listener_ports}" if lb else "")
                + "): give the port the client dials (the listener port through a load balancer), or add it to the "
                "endpoint."
            )
        elif via == DIRECT and port not in (target.get("ports") or []):
            errors.append(
                f"{field}: via is direct but {port} is not one of {target['name']}'s ports "
                f"{target.get('ports') or []}: use the target port, or via {lb.get('name')}."
            )
        elif via and via != DIRECT and port not in listener_ports:
            errors.append(
                f"{field}: via is {via} but {port} is not one of its listener ports {listener_ports}: use a listener "
                "port, or via direct."
            )
    return errors


# ---------------------------------------------------------------- the network, indexed


def _net(cidr):
    try:
        return ipaddress.ip_network(cidr, strict=False)
    except (TypeError, ValueError):
        return None


def _contains(outer, inner):
    """True when CIDR ``outer`` contains the whole of CIDR ``inner`` (same family)."""
    a, b = _net(outer), _net(inner)
    return a is not None and b is not None and a.version == b.version and b.subnet_of(a)


def _family(cidr):
    net = _net(cidr)
    return None if net is None else ("ipv4" if net.version == 4 else "ipv6")


class Network:
    """The EC2 data a reachability evaluation reads, indexed by id."""

    def __init__(self, security_groups, subnets, network_acls, route_tables, prefix_lists=None):
        self.security_groups = dict((g["GroupId"], g) for g in security_groups or [])
        self.subnets = dict((s["SubnetId"], s) for s in subnets or [])
        # None for a prefix list that could not be read: its rules then match nothing (see warnings).
        self.prefix_lists = dict(prefix_lists or {})
        self.network_acls = dict((a["NetworkAclId"], a) for a in network_acls or [])
        self.nacl_of_subnet = {}
        for acl in network_acls or []:
            for association in acl.get("Associations") or []:
                if association.get("SubnetId"):
                    self.nacl_of_subnet[association["SubnetId"]] = acl
        self.route_table_of_subnet = {}
        self.main_route_table = {}
        for table in route_tables or []:
            for association in table.get("Associations") or []:
                if association.get("Main"):
                    self.main_route_table[table.get("VpcId")] = table
                elif association.get("SubnetId"):
                    self.route_table_of_subnet[association["SubnetId"]] = table
        self.warnings = []

    def warn(self, message):
        if message not in self.warnings:
            self.warnings.append(message)

    def cidr(self, subnet_id, family):
        subnet = self.subnets.get(subnet_id) or {}
        if family == "ipv4":
            return subnet.get("CidrBlock")
        for association in subnet.get("Ipv6CidrBlockAssociationSet") or []:
            state = (association.get("Ipv6CidrBlockState") or {}).get("State", "associated")
            if state == "associated" and association.get("Ipv6CidrBlock"):
                return association["Ipv6CidrBlock"]
        return None

    def vpc(self, subnet_id):
        return (self.subnets.get(subnet_id) or {}).get("VpcId")

    def nacl(self, subnet_id):
        acl = self.nacl_of_subnet.get(subnet_id)
        if acl is None:
            # Every subnet is associated with one ACL; fall back to the VPC's default one if the association was missed.
            vpc = self.vpc(subnet_id)
            acl = next((a for a in self.network_acls.values() if a.get("VpcId") == vpc and a.get("IsDefault")), None)
        return acl

    def route_table(self, subnet_id):
        return self.route_table_of_subnet.get(subnet_id) or self.main_route_table.get(self.vpc(subnet_id))

    def prefix_list_cidrs(self, prefix_list_id):
        entries = self.prefix_lists.get(prefix_list_id)
        if entries is None:
            self.warn(
                f"prefix list {prefix_list_id} could not be read: rules that refer to it are taken to match nothing."
            )
            return []
        return entries


# ---------------------------------------------------------------- security groups


def _covers_port(protocol, from_port, to_port, port):
    protocol = str(protocol).lower()
    if protocol in ALL_PROTOCOLS:
        return True
    if protocol not in TCP_PROTOCOLS:
        return False
    if from_port is None or to_port is None or from_port == -1:
        return True
    return from_port <= port <= to_port


def _port_text(permission):
    protocol = str(permission.get("IpProtocol")).lower()
    if protocol in ALL_PROTOCOLS:
        return "all traffic"
    low, high = permission.get("FromPort"), permission.get("ToPort")
    if low is None or low == -1:
        return f"{protocol} all ports"
    return f"{protocol} {low}" if low == high else f"{protocol} {low}-{high}"


def _permission_peer(network, permission, peer_sg_ids, peer_cidr, family):
    """What in the rule matches the peer (a group id, a CIDR, a prefix list), else None."""
    for pair in permission.get("UserIdGroupPairs") or []:
        if pair.get("GroupId") in peer_sg_ids:
            return pair["GroupId"]
    if peer_cidr is None:
        return None
    if family == "ipv4":
        for item in permission.get("IpRanges") or []:
            if _contains(item.get("CidrIp"), peer_cidr):
                return item["CidrIp"]
    else:
        for item in permission.get("Ipv6Ranges") or []:
            if _contains(item.get("CidrIpv6"), peer_cidr):
                return item["CidrIpv6"]
    for item in permission.get("PrefixListIds") or []:
        prefix_list_id = item.get("PrefixListId")
        for cidr in network.prefix_list_cidrs(prefix_list_id):
            if _contains(cidr, peer_cidr):
                return f"{prefix_list_id} ({cidr})"
    return None


def sg_allows(network, sg_ids, direction, peer_sg_ids, peer_cidr, port, family):
    """The description of the first rule of ``sg_ids`` that lets TCP ``port`` go to (egress) or come from (ingress)
    the peer, else None."""
    key = "IpPermissionsEgress" if direction == "egress" else "IpPermissions"
    for sg_id in sg_ids:
        group = network.security_groups.get(sg_id)
        if group is None:
            continue
        for permission in group.get(key) or []:
            if not _covers_port(
                permission.get("IpProtocol"), permission.get("FromPort"), permission.get("ToPort"), port
            ):
                continue
            peer = _permission_peer(network, permission, peer_sg_ids, peer_cidr, family)
            if peer:
                return f"{sg_id} {direction} {peer} {_port_text(permission)}"
    return None


# ---------------------------------------------------------------- network ACLs


def _acl_cidr(entry, family):
    return entry.get("CidrBlock") if family == "ipv4" else entry.get("Ipv6CidrBlock")


def _acl_ports(entry):
    """(from, to) of an entry that applies to TCP, else None."""
    protocol = str(entry.get("Protocol")).lower()
    if protocol in ALL_PROTOCOLS:
        return (0, 65535)
    if protocol not in TCP_PROTOCOLS:
        return None
    port_range = entry.get("PortRange") or {}
    if port_range.get("From") is None or port_range.get("To") is None:
        return (0, 65535)
    return (port_range["From"], port_range["To"])


def _subtract(intervals, low, high):
    """``intervals`` minus [low, high]."""
    result = []
    for a, b in intervals:
        if high < a or low > b:
            result.append((a, b))
            continue
        if a < low:
            result.append((a, low - 1))
        if b > high:
            result.append((high + 1, b))
    return result


def _intersect(intervals, low, high):
    return [(max(a, low), min(b, high)) for a, b in intervals if not (high < a or low > b)]


def _ranges_text(intervals):
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in intervals)


def nacl_verdict(acl, egress, peer_cidr, family, low, high):
    """None when the ACL lets every TCP port of [low, high] to (egress) or from (ingress) ``peer_cidr``, else what
    stops it: ``(rule number or None, the blocked ports)``. First match by rule number wins; nothing matched is
    denied. An entry matches when its CIDR contains the whole peer subnet."""
    remaining = [(low, high)]
    entries = [e for e in acl.get("Entries") or [] if bool(e.get("Egress")) == egress]
    for entry in sorted(entries, key=lambda e: e.get("RuleNumber", DEFAULT_DENY_RULE)):
        cidr = _acl_cidr(entry, family)
        if not cidr or not _contains(cidr, peer_cidr):
            continue
        ports = _acl_ports(entry)
        if ports is None:
            continue
        hit = _intersect(remaining, *ports)
        if not hit:
            continue
        if str(entry.get("RuleAction")).lower() == "deny":
            return entry.get("RuleNumber"), hit
        remaining = _subtract(remaining, *ports)
        if not remaining:
            return None
    return None, remaining


def _nacl_problem(acl, label, egress, peer_cidr, family, low, high, port_label):
    verdict = nacl_verdict(acl, egress, peer_cidr, family, low, high)
    if verdict is None:
        return None
    number, ports = verdict
    direction = f"egress to {peer_cidr}" if egress else f"ingress from {peer_cidr}"
    what = f"{port_label} tcp {_ranges_text(ports)}"
    if number is None or number == DEFAULT_DENY_RULE:
        return (
            f"{acl['NetworkAclId']} ({label}) has no rule that allows {direction} on {what}: the default rule * "
            "denies it"
        )
    return f"{acl['NetworkAclId']} ({label}) denies {direction} on {what}: rule {number}"


# ---------------------------------------------------------------- routes


def _route_destinations(network, route, family):
    if family == "ipv4" and route.get("DestinationCidrBlock"):
        return [route["DestinationCidrBlock"]]
    if family == "ipv6" and route.get("DestinationIpv6CidrBlock"):
        return [route["DestinationIpv6CidrBlock"]]
    if route.get("DestinationPrefixListId"):
        return [c for c in network.prefix_list_cidrs(route["DestinationPrefixListId"]) if _family(c) == family]
    return []


def _route_target(route):
    for key in (
        "GatewayId",
        "VpcPeeringConnectionId",
        "TransitGatewayId",
        "NatGatewayId",
        "NetworkInterfaceId",
        "InstanceId",
        "LocalGatewayId",
        "CarrierGatewayId",
        "EgressOnlyInternetGatewayId",
        "CoreNetworkArn",
    ):
        if route.get(key):
            return key, route[key]
    return None, None


def route_problem(network, from_subnet, to_subnet, family, label):
    """None when the route table of ``from_subnet`` sends traffic for ``to_subnet`` where it can arrive, else why not.
    The most specific route containing the whole destination subnet wins."""
    destination = network.cidr(to_subnet, family)
    same_vpc = network.vpc(from_subnet) == network.vpc(to_subnet)
    table = network.route_table(from_subnet)
    if table is None:
        if same_vpc:
            return None  # every route table has the VPC's local route
        return f"{from_subnet} ({label}) has no route table: nothing routes to {destination} ({network.vpc(to_subnet)})"
    best = None
    for route in table.get("Routes") or []:
        for cidr in _route_destinations(network, route, family):
            if _contains(cidr, destination) and (best is None or _net(cidr).prefixlen > best[0]):
                best = (_net(cidr).prefixlen, cidr, route)
    table_label = f"{table['RouteTableId']} ({from_subnet}, {label})"
    where = f"{destination} ({to_subnet} in {network.vpc(to_subnet)})"
    if best is None:
        if same_vpc:
            return None  # the local route cannot be deleted; a table read without it is incomplete, not a block
        return (
            f"{table_label} has no route to {where}: add a route to a VPC peering connection or a transit gateway "
            "that connects the two VPCs"
        )
    _prefix, cidr, route = best
    kind, target = _route_target(route)
    if route.get("State") == "blackhole":
        return f"{table_label} routes {cidr} to {target}, which is a blackhole (deleted or detached)"
    if kind == "GatewayId" and target == "local":
        if same_vpc:
            return None
        return f"{table_label} routes {cidr} locally, which does not reach {where}"
    if not same_vpc:
        if kind in ("VpcPeeringConnectionId", "TransitGatewayId"):
            return None
        return (
            f"{table_label} routes {cidr} to {target}, which does not lead to {where}: route it to a VPC peering "
            "connection or a transit gateway"
        )
    network.warn(
        f"{table_label} sends traffic for {where} through {target} (more specific than the local route); the "
        "appliance behind it is not evaluated and is taken to forward the traffic."
    )
    return None


# ---------------------------------------------------------------- one connection


def _party(name, sg_ids, subnet_id, label=None, filters=True):
    return {"name": name, "label": label or name, "sg_ids": list(sg_ids or []), "subnet": subnet_id, "filters": filters}


def _sg_label(network, party):
    return ", ".join(party["sg_ids"]) + f" ({party['label']})"


def _connection_family(network, client, server, port, family):
    """(problems, allowed_by) of one TCP connection in one address family."""
    client_cidr = network.cidr(client["subnet"], family)
    server_cidr = network.cidr(server["subnet"], family)
    problems = []
    allowed_by = []
    if client["filters"]:
        rule = sg_allows(network, client["sg_ids"], "egress", server["sg_ids"], server_cidr, port, family)
        if rule:
            allowed_by.append(rule)
        else:
            problems.append(
                f"{_sg_label(network, client)} has no egress to {', '.join(server['sg_ids'] + [server_cidr])} "
                f"({server['label']}) on {port}"
            )
    if server["filters"]:
        rule = sg_allows(network, server["sg_ids"], "ingress", client["sg_ids"], client_cidr, port, family)
        if rule:
            allowed_by.append(rule)
        else:
            problems.append(
                f"{_sg_label(network, server)} has no ingress from "
                f"{', '.join(client['sg_ids'] + [client_cidr])} ({client['label']}) on {port}"
            )
    for source, destination in ((client, server), (server, client)):
        problem = route_problem(network, source["subnet"], destination["subnet"], family, source["label"])
        if problem:
            problems.append(problem)
    if client["subnet"] != server["subnet"]:
        client_acl = network.nacl(client["subnet"])
        server_acl = network.nacl(server["subnet"])
        checks = (
            (client_acl, client, True, server_cidr, (port, port), "the request,"),
            (server_acl, server, False, client_cidr, (port, port), "the request,"),
            (server_acl, server, True, client_cidr, EPHEMERAL, "the return traffic,"),
            (client_acl, client, False, server_cidr, EPHEMERAL, "the return traffic,"),
        )
        for acl, party, egress, peer_cidr, (low, high), what in checks:
            if acl is None:
                continue  # no ACL read for the subnet: not evaluated (the module always reads them)
            label = f"{party['subnet']}, {party['label']}"
            problem = _nacl_problem(acl, label, egress, peer_cidr, family, low, high, what)
            if problem:
                problems.append(problem)
    return problems, allowed_by


def connection(network, client, server, port):
    """(True, allowed_by) when a TCP connection from ``client`` to ``server`` on ``port`` is possible in IPv4 or IPv6,
    else (False, problems) - those of IPv4 first."""
    all_problems = []
    for family in FAMILIES:
        if network.cidr(client["subnet"], family) is None or network.cidr(server["subnet"], family) is None:
            continue
        problems, allowed_by = _connection_family(network, client, server, port, family)
        if not problems:
            return True, allowed_by
        all_problems.extend(p for p in problems if p not in all_problems)
    if not all_problems:
        all_problems.append(
            f"{client['subnet']} ({client['label']}) and {server['subnet']} ({server['label']}) share no address "
            "family (or a subnet was not found)"
        )
    return False, all_problems


# ---------------------------------------------------------------- paths


def _candidates(network, source, target):
    """Every way ``source`` may reach ``target``: (via, dialled port, target port, list of attempts); an attempt is a
    list of (client party, server party, port) connections that must all be possible."""
    result = []
    for port in sorted(set(target.get("ports") or [])):
        attempts = []
        for client_subnet in source["subnet_ids"]:
            for server_subnet in target["subnet_ids"]:
                client = _party(source["name"], source["security_group_ids"], client_subnet)
                server = _party(target["name"], target["security_group_ids"], server_subnet)
                attempts.append([(client, server, port)])
        result.append((DIRECT, port, port, attempts))
    lb = target.get("load_balancer")
    if lb:
        target_port = lb.get("target_port") or (target.get("ports") or [None])[0]
        lb_sgs = lb.get("security_group_ids") or []
        for listener in sorted(set(lb.get("listener_ports") or [])):
            attempts = []
            for client_subnet in source["subnet_ids"]:
                for lb_subnet in lb["subnet_ids"]:
                    for server_subnet in target["subnet_ids"]:
                        client = _party(source["name"], source["security_group_ids"], client_subnet)
                        # An NLB without security groups filters nothing (and cannot be referenced by a rule).
                        node = _party(lb["name"], lb_sgs, lb_subnet, f"load balancer {lb['name']}", bool(lb_sgs))
                        server = _party(target["name"], target["security_group_ids"], server_subnet)
                        attempts.append([(client, node, listener), (node, server, target_port)])
            result.append((lb["name"], listener, target_port, attempts))
    return result


def _evaluate_candidate(network, attempts, cache):
    """(working attempts' allowed_by, problems of the failing attempts) over every subnet combination."""
    allowed = []
    problems = []
    failed = 0
    for attempt in attempts:
        attempt_ok = True
        attempt_allowed = []
        for client, server, port in attempt:
            key = (client["name"], client["subnet"], server["name"], server["subnet"], port)
            if key not in cache:
                cache[key] = connection(network, client, server, port)
            ok, detail = cache[key]
            if ok:
                attempt_allowed.extend(detail)
            else:
                attempt_ok = False
                problems.extend(p for p in detail if p not in problems)
        if attempt_ok:
            allowed.extend(a for a in attempt_allowed if a not in allowed)
        else:
            failed += 1
    return allowed, problems, failed


def _intended_keys(intended):
    keys = {}
    for path in intended or []:
        keys.setdefault((path["source"], path["target"], path["port"]), set()).add(path.get("via"))
    return keys


def _is_intended(keys, source, target, port, via):
    vias = keys.get((source, target, port))
    return vias is not None and (None in vias or via in vias)


def evaluate(endpoints, intended, network, include_matrix=True):
    """The reachability report: paths, extra, missing, matrix (when asked), compliant, warnings."""
    cache = {}
    paths = []
    blocked = {}  # (source, target, port, via) -> problems, for the intended paths that are not reachable
    for source in endpoints:
        for target in endpoints:
            if source["name"] == target["name"]:
                continue
            for via, port, target_port, attempts in _candidates(network, source, target):
                allowed, problems, failed = _evaluate_candidate(network, attempts, cache)
                if allowed:
                    path = {
                        "source": source["name"],
                        "target": target["name"],
                        "port": port,
                        "target_port": target_port,
                        "via": via,
                        "partial": failed > 0,
                        "allowed_by": allowed,
                    }
                    if failed:
                        path["blocked_by"] = problems
                    paths.append(path)
                if problems:
                    blocked[(source["name"], target["name"], port, via)] = (problems, bool(allowed))
    paths.sort(key=lambda p: (p["source"], p["target"], p["via"] != DIRECT, p["via"], p["port"]))
    keys = _intended_keys(intended)
    extra = [
        dict((k, p[k]) for k in ("source", "target", "port", "via", "allowed_by"))
        for p in paths
        if not _is_intended(keys, p["source"], p["target"], p["port"], p["via"])
    ]
    missing = []
    for (source, target, port), vias in sorted(keys.items()):
        candidates = [p for p in paths if (p["source"], p["target"], p["port"]) == (source, target, port)]
        if None not in vias:
            candidates = [p for p in candidates if p["via"] in vias]
        complete = [p for p in candidates if not p["partial"]]
        if complete:
            continue
        problems = []
        for (b_source, b_target, b_port, b_via), (found, _reachable) in blocked.items():
            if (b_source, b_target, b_port) == (source, target, port) and (None in vias or b_via in vias):
                problems.extend(p for p in found if p not in problems)
        via_list = sorted(v for v in vias if v is not None)
        missing.append(
            {
                "source": source,
                "target": target,
                "port": port,
                "via": via_list[0] if len(via_list) == 1 and None not in vias else None,
                "partial": bool(candidates),
                "reason": "; ".join(problems) or "no path",
                "reasons": problems,
            }
        )
    result = {
        "paths": paths,
        "extra": extra,
        "missing": missing,
        "compliant": not extra and not missing,
        "warnings": list(network.warnings),
    }
    if include_matrix:
        matrix = {}
        for path in paths:
            ports = matrix.setdefault(path["source"], {}).setdefault(path["target"], [])
            if path["port"] not in ports:
                ports.append(path["port"])
        for targets in matrix.values():
            for ports in targets.values():
                ports.sort()
        result["matrix"] = matrix
    return result


# ---------------------------------------------------------------- what to read


def referenced_ids(endpoints):
    """(security group ids, subnet ids) of the endpoints and their load balancers, each with the fields naming it."""
    sg_ids = {}
    subnet_ids = {}
    for index, endpoint in enumerate(endpoints or []):
        field = f"endpoints[{index}]"
        for sg_id in endpoint.get("security_group_ids") or []:
            sg_ids.setdefault(sg_id, []).append(f"{field}.security_group_ids")
        for subnet_id in endpoint.get("subnet_ids") or []:
            subnet_ids.setdefault(subnet_id, []).append(f"{field}.subnet_ids")
        lb = endpoint.get("load_balancer") or {}
        for sg_id in lb.get("security_group_ids") or []:
            sg_ids.setdefault(sg_id, []).append(f"{field}.load_balancer.security_group_ids")
        for subnet_id in lb.get("subnet_ids") or []:
            subnet_ids.setdefault(subnet_id, []).append(f"{field}.load_balancer.subnet_ids")
    return sg_ids, subnet_ids


def referenced_prefix_lists(security_groups, route_tables):
    """Ids of the managed prefix lists the security group rules and routes refer to, sorted."""
    found = set()
    for group in security_groups or []:
        for key in ("IpPermissions", "IpPermissionsEgress"):
            for permission in group.get(key) or []:
                for item in permission.get("PrefixListIds") or []:
                    if item.get("PrefixListId"):
                        found.add(item["PrefixListId"])
    for table in route_tables or []:
        for route in table.get("Routes") or []:
            if route.get("DestinationPrefixListId"):
                found.add(route["DestinationPrefixListId"])
    return sorted(found)


def unknown_ids_message(kind, unknown, fields):
    """The failure message for ids AWS does not know, naming the fields that hold them."""
    parts = [f"{', '.join(sorted(set(fields[i])))} '{i}'" for i in sorted(unknown)]
    return (
        f"{'; '.join(parts)}: no such {kind} in this account and region. Fix the id (from the base layer's outputs), "
        "or run the task in the region and account of the stack."
    )
