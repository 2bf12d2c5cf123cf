"""Generated valid inputs of ec2_vpc_managed_members.

Limits used (Amazon VPC User Guide, "Network ACL rules", "Amazon VPC quotas", "Route tables"; EC2 API reference):
network ACL entries numbered 1 to 32766 (32767 is AWS's default deny), at most 20 inbound and 20 outbound entries
per ACL, each with a protocol number (6, 17, 1, -1), a port range for tcp and udp, an IPv4 or IPv6 CIDR block and
allow or deny; at most 50 routes per route table, each with one destination (an IPv4 or IPv6 CIDR block or a
prefix list) written as AWS writes it (the network address, lowercase IPv6); network ACL IDs acl- and route table
IDs rtb- followed by 17 hexadecimal digits. A listed entry or route that is not there is valid input: the module
reports it missing.

Round 0 keeps some entries and routes (all, some or none); round 1 first adds some by hand (the drift the module
exists to remove), then keeps some of what is left and some of the new ones.
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from tests.integration.generated.base import Generator

MOST_ENTRIES = 20  # per ACL and direction
NOT_THERE = ["ingress:32766", "egress:1", "203.0.113.0/24", "2001:db8:ffff::/48", "pl-0123456789abcdef0"]


def add_entries(ec2, rng, acl, directions, taken):
    """One new entry per egress flag of ``directions``, numbered within AWS's range (1 and 32766 first) and not in
    ``taken`` (the member IDs the ACL has): their member IDs."""
    made = []
    for egress in directions:
        side = "egress" if egress else "ingress"
        free = [n for n in (1, 32766) if f"{side}:{n}" not in taken + made]
        number = free[0] if free and rng.random() < 0.5 else rng.randint(2, 32765)
        if f"{side}:{number}" in taken + made:
            continue
        entry = {"Protocol": rng.choice(["6", "17", "1", "-1"]), "RuleAction": rng.choice(["allow", "deny"])}
        if entry["Protocol"] in ("6", "17"):
            low = rng.randint(0, 65535)
            entry["PortRange"] = {"From": low, "To": rng.randint(low, 65535)}
        if entry["Protocol"] == "1":
            entry["IcmpTypeCode"] = {"Type": -1, "Code": -1}
        if rng.random() < 0.7:
            entry["CidrBlock"] = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.0/24"
        else:
            entry["Ipv6CidrBlock"] = rng.choice(["::/0", f"2001:db8:{rng.randint(0, 65535):x}::/48"])
        ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=number, Egress=egress, **entry)
        made.append(f"{side}:{number}")
    return made


def room(rng, taken, most):
    """Egress flags of up to ``most`` new entries that keep each direction within AWS's 20."""
    flags = []
    for egress, side in ((False, "ingress"), (True, "egress")):
        used = sum(member.startswith(side) for member in taken)
        flags += [egress] * rng.randint(0, min(most, MOST_ENTRIES - used))
    return flags


def destination(rng):
    roll = rng.random()
    if roll < 0.7:
        return "DestinationCidrBlock", f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.0/24"
    if roll < 0.85:
        return "DestinationIpv6CidrBlock", rng.choice(["::/0", f"2001:db8:{rng.randint(0, 65535):x}::/48"])
    return "DestinationCidrBlock", "0.0.0.0/0"


def add_routes(ec2, rng, table, gateway, count):
    made = []
    for _n in range(count):
        key, value = destination(rng)
        try:
            ec2.create_route(RouteTableId=table, GatewayId=gateway, **{key: value})
        except ClientError as error:
            if error.response["Error"]["Code"] != "RouteAlreadyExists":
                raise
            continue
        made.append(value)
    return made


def members(ec2, acls, tables):
    """{ACL or table ID: its entries (but the default deny) or routes (but the local one)}."""
    found = {}
    for acl in ec2.describe_network_acls(NetworkAclIds=acls)["NetworkAcls"]:
        found[acl["NetworkAclId"]] = [
            f"{'egress' if e['Egress'] else 'ingress'}:{e['RuleNumber']}"
            for e in acl["Entries"]
            if e["RuleNumber"] != 32767
        ]
    for table in ec2.describe_route_tables(RouteTableIds=tables)["RouteTables"]:
        found[table["RouteTableId"]] = [
            r.get("DestinationCidrBlock") or r.get("DestinationIpv6CidrBlock") or r.get("DestinationPrefixListId")
            for r in table["Routes"]
            if r.get("GatewayId") != "local"
        ]
    return found


class VpcManagedMembersGenerator(Generator):
    module = "securecloud.monitor.ec2_vpc_managed_members"
    predicted = ("missing",)

    def prepare(self, cloud):
        ec2 = cloud.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
        gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
        acls = [ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"] for _n in range(2)]
        tables = [ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"] for _n in range(2)]
        # The most entries an ACL takes: 20 inbound (and some outbound) in one, a few in the other.
        add_entries(ec2, self.rng, acls[0], [False] * MOST_ENTRIES + [True] * self.rng.randint(0, 5), [])
        add_entries(ec2, self.rng, acls[1], room(self.rng, [], 2), [])
        add_routes(ec2, self.rng, tables[0], gateway, 12)
        entries = [{"Cidr": "198.51.100.0/24"}]
        prefixes = ec2.create_managed_prefix_list(
            PrefixListName="generated", MaxEntries=5, AddressFamily="IPv4", Entries=entries
        )
        ec2.create_route(
            RouteTableId=tables[1], DestinationPrefixListId=prefixes["PrefixList"]["PrefixListId"], GatewayId=gateway
        )
        return {"ec2": ec2, "acls": acls, "tables": tables, "gateway": gateway}

    def drift(self, found):
        ec2, context = self.context["ec2"], self.context
        new = []
        for acl in self.rng.sample(context["acls"], self.rng.randint(0, 2)):
            new += add_entries(ec2, self.rng, acl, room(self.rng, found[acl], 2), found[acl])
        for table in self.rng.sample(context["tables"], self.rng.randint(0, 2)):
            new += add_routes(ec2, self.rng, table, context["gateway"], self.rng.randint(1, 3))
        return new

    def keep(self, found, new):
        """Of some ACLs and tables: all, some or none of their members (and some new ones), sometimes one that is not
        there; one or two tasks."""
        tasks = [{"network_acls": {}, "route_tables": {}} for _n in range(self.rng.randint(1, 2))]
        for index, set_id in enumerate(self.rng.sample(list(found), self.rng.randint(1, len(found)))):
            present = found[set_id]
            listed = self.rng.choice([present, [], self.rng.sample(present, self.rng.randint(0, len(present)))])
            listed = sorted(set(listed) | {m for m in new if m in present and self.rng.random() < 0.5})
            if self.rng.random() < 0.3:
                listed.append(self.rng.choice(NOT_THERE[:2] if set_id.startswith("acl-") else NOT_THERE[2:]))
            option = "network_acls" if set_id.startswith("acl-") else "route_tables"
            tasks[index % len(tasks)][option][set_id] = listed
        for task in tasks:
            for option in ("network_acls", "route_tables"):
                if not task[option] and self.rng.random() < 0.5:
                    del task[option]  # left out: its default, {}
        return tasks

    def arguments(self, round_index):
        ec2, acls, tables = self.context["ec2"], self.context["acls"], self.context["tables"]
        new = self.drift(members(ec2, acls, tables)) if round_index == 1 else []
        return self.keep(members(ec2, acls, tables), new)

    def check(self, round_index, declared, results, cloud):
        found = members(cloud.client("ec2"), self.context["acls"], self.context["tables"])
        for arguments, (_check, real, _again) in zip(declared, results, strict=True):
            for option in ("network_acls", "route_tables"):
                for set_id, listed in arguments.get(option, {}).items():
                    missing = real["missing"].get(set_id, [])
                    assert sorted(found[set_id]) == sorted(set(listed) - set(missing)), (set_id, found[set_id])
