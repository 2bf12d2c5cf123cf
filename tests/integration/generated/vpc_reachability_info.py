"""Generated valid inputs of vpc_reachability_info: services in one VPC (one subnet each, one security group each,
1-2 ports), security groups with random TCP or all-traffic ingress rules from another service's group, a subnet's
block, the VPC's block or an address range outside the VPC, and random intended paths (some reachable, some not).

The expected paths come from AWS's rules for one VPC, not from the module: the default network ACL allows everything,
the local route joins the subnets, a new security group allows all egress, so a service reaches another's port
exactly when the target's group has an ingress rule from the client's group, or from a CIDR block holding the
client's subnet, whose protocol is TCP or all traffic and whose port range holds the port (Amazon VPC User Guide,
"Security group rules"; EC2 AuthorizeSecurityGroupIngress)."""

from __future__ import annotations

import ipaddress

from botocore.exceptions import ClientError

from tests.integration.generated.base import Generator

PORTS = [22, 80, 443, 5432, 5672, 8080, 65535]


class ReachabilityGenerator(Generator):
    module = "securecloud.monitor.vpc_reachability_info"

    def rule(self, services, vpc_cidr):
        """One ingress rule: (its IpPermission, (low port, high port, peer group or None, peer CIDR or None))."""
        protocol = self.rng.choice(["tcp", "tcp", "-1"])
        low, high = 0, 65535
        permission = {"IpProtocol": protocol}
        if protocol == "tcp":
            low = self.rng.choice([self.rng.choice(PORTS), self.rng.randint(1, 65535)])
            high = self.rng.choice([low, min(65535, low + self.rng.randint(0, 5000))])
            permission |= {"FromPort": low, "ToPort": high}
        peer = self.rng.choice(services)
        roll = self.rng.random()
        if roll < 0.5:
            permission["UserIdGroupPairs"] = [{"GroupId": peer["group"]}]
            return permission, (low, high, peer["group"], None)
        cidr = peer["cidr"] if roll < 0.75 else self.rng.choice([vpc_cidr, "192.168.7.0/24"])
        permission["IpRanges"] = [{"CidrIp": cidr}]
        return permission, (low, high, None, cidr)

    def prepare(self, cloud) -> dict:
        ec2 = cloud.client("ec2")
        vpc_cidr = "10.181.0.0/16"
        vpc = ec2.create_vpc(CidrBlock=vpc_cidr)["Vpc"]["VpcId"]
        subnets = []
        for index in range(3):
            cidr = f"10.181.{index}.0/24"
            subnets.append((ec2.create_subnet(VpcId=vpc, CidrBlock=cidr)["Subnet"]["SubnetId"], cidr))
        services = []
        for index in range(4):
            subnet, cidr = self.rng.choice(subnets)
            group = ec2.create_security_group(GroupName=f"gvr-{index}", Description="generated", VpcId=vpc)["GroupId"]
            ports = sorted(set(self.rng.sample(PORTS, self.rng.randint(1, 2))))
            services.append({"name": f"svc-{index}", "group": group, "subnet": subnet, "cidr": cidr, "ports": ports})
        for service in services:
            service["rules"] = []
            for _count in range(self.rng.randint(0, 3)):
                permission, rule = self.rule(services, vpc_cidr)
                try:
                    ec2.authorize_security_group_ingress(GroupId=service["group"], IpPermissions=[permission])
                except ClientError as error:  # the same rule drawn twice
                    if error.response["Error"]["Code"] != "InvalidPermission.Duplicate":
                        raise
                service["rules"].append(rule)
        return {"services": services, "reachable": reachable(services)}

    def arguments(self, round_index: int) -> list[dict]:
        services = self.context["services"]
        candidates = sorted(
            (source["name"], target["name"], port)
            for source in services
            for target in services
            for port in target["ports"]
            if source is not target
        )
        reachable_paths = sorted(self.context["reachable"])
        intended = self.rng.sample(reachable_paths, self.rng.randint(0, len(reachable_paths)))
        intended += self.rng.sample(candidates, 2)
        endpoints = [
            {"name": s["name"], "security_group_ids": [s["group"]], "subnet_ids": [s["subnet"]], "ports": s["ports"]}
            for s in services
        ]
        arguments = {
            "endpoints": endpoints,
            "intended": [{"source": s, "target": t, "port": p} for s, t, p in sorted(set(intended))],
        }
        if round_index == 1:
            arguments["include_matrix"] = self.rng.random() < 0.5
        return [arguments]

    def check(self, round_index, declared, results, cloud):
        expected = self.context["reachable"]
        for arguments, (_check, real, _again) in zip(declared, results, strict=True):
            found = {(p["source"], p["target"], p["port"]) for p in real["paths"] if p["source"] != p["target"]}
            assert found == expected, ("paths", sorted(found ^ expected))
            intended = {(i["source"], i["target"], i["port"]) for i in arguments["intended"]}
            missing = {(m["source"], m["target"], m["port"]) for m in real["missing"]}
            extra = {(e["source"], e["target"], e["port"]) for e in real["extra"] if e["source"] != e["target"]}
            assert missing == intended - expected, ("missing", sorted(missing ^ (intended - expected)))
            assert extra == expected - intended, ("extra", sorted(extra ^ (expected - intended)))


def reachable(services) -> set:
    """(source, target, port) of every path AWS would let through, by the rules in the module docstring."""
    found = set()
    for target in services:
        for source in services:
            if source is target:
                continue
            for port in target["ports"]:
                if any(admits(rule, source, port) for rule in target["rules"]):
                    found.add((source["name"], target["name"], port))
    return found


def admits(rule, source, port) -> bool:
    low, high, group, cidr = rule
    if not low <= port <= high:
        return False
    if group is not None:
        return group == source["group"]
    return ipaddress.ip_network(source["cidr"]).subnet_of(ipaddress.ip_network(cidr))
