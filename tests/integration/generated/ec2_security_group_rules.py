"""Generated valid inputs of ec2_security_group_rules.

Limits used (Amazon VPC User Guide, "Amazon VPC quotas" and "Security group rules"; EC2 API reference): at most 60
inbound and 60 outbound IPv4 rules per security group (and as many IPv6 ones), each rule one protocol (tcp, udp,
icmp by type and code, or -1 for all), a port range within 0-65535 and one peer (an IPv4 or IPv6 CIDR block or a
security group); security group IDs sg- and rule IDs sgr- followed by 17 hexadecimal digits
(DescribeSecurityGroupRules). A listed rule ID a group does not have is valid input: the module reports it missing.

Round 0 keeps some rules of some groups (all, some or none); round 1 first adds rules by hand (the drift the module
exists to remove), then keeps some of what is left, some of the new rules, and lists a rule that is gone.
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from tests.integration.generated.base import Generator

HEX = "0123456789abcdef"


def missing_rule_id(rng):
    return "sgr-" + "".join(rng.choice(HEX) for _n in range(17))


def permission(rng, groups):
    """One IpPermission of one rule: a protocol, its ports and one peer."""
    protocol = rng.choice(["tcp", "udp", "icmp", "-1"])
    made = {"IpProtocol": protocol}
    if protocol in ("tcp", "udp"):
        low = rng.choice([0, 22, 443, rng.randint(0, 65535)])
        made |= {"FromPort": low, "ToPort": rng.choice([low, 65535, rng.randint(low, 65535)])}
    elif protocol == "icmp":
        made |= {"FromPort": rng.choice([-1, 0, 3, 8]), "ToPort": -1}
    roll = rng.random()
    if roll < 0.5:
        made["IpRanges"] = [{"CidrIp": f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.0/24"}]
    elif roll < 0.75:
        made["Ipv6Ranges"] = [{"CidrIpv6": rng.choice(["::/0", f"2001:db8:{rng.randint(0, 65535):x}::/48"])}]
    else:
        made["UserIdGroupPairs"] = [{"GroupId": rng.choice(groups)}]
    return made


def add_rules(ec2, rng, group, groups, count):
    """Up to ``count`` new rules, inbound or outbound: their IDs (one EC2 already has, or one over the group's quota,
    is not made)."""
    made = []
    for _n in range(count):
        authorize = ec2.authorize_security_group_egress if rng.random() < 0.3 else ec2.authorize_security_group_ingress
        try:
            answer = authorize(GroupId=group, IpPermissions=[permission(rng, groups)])
        except ClientError as error:
            # moto 5.2.5 counts IPv4 and IPv6 rules together against the 60 (AWS counts them apart): a group full
            # of IPv4 rules refuses an IPv6 one there.
            if error.response["Error"]["Code"] not in (
                "InvalidPermission.Duplicate",
                "RulesPerSecurityGroupLimitExceeded",
            ):
                raise
            continue
        made += [rule["SecurityGroupRuleId"] for rule in answer["SecurityGroupRules"]]
    return made


def rule_ids(ec2, groups):
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": groups}])["SecurityGroupRules"]
    found = {group: [] for group in groups}
    for rule in rules:
        found[rule["GroupId"]].append(rule["SecurityGroupRuleId"])
    return found


class SecurityGroupRulesGenerator(Generator):
    module = "securecloud.monitor.ec2_security_group_rules"
    predicted = ("revoked", "missing")

    def prepare(self, cloud):
        ec2 = cloud.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
        groups = [
            ec2.create_security_group(GroupName=f"generated-{index}", Description="generated", VpcId=vpc)["GroupId"]
            for index in range(3)
        ]
        # The most inbound IPv4 rules a group takes: 60, in one call (one rule per CIDR block).
        widest = [{"CidrIp": f"10.{index}.0.0/16"} for index in range(60)]
        ec2.authorize_security_group_ingress(
            GroupId=groups[0], IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": widest}]
        )
        add_rules(ec2, self.rng, groups[1], groups, 6)
        return {"ec2": ec2, "groups": groups}

    def keep(self, found, extra=()):
        """Of each group (a random choice of them, split among 1-2 tasks): all, some or none of its rules, and
        sometimes a rule ID it does not have."""
        groups = self.rng.sample(list(found), self.rng.randint(1, len(found)))
        tasks = [{}, {}][: self.rng.randint(1, 2)]
        for index, group in enumerate(groups):
            rules = found[group]
            listed = self.rng.choice([rules, [], self.rng.sample(rules, self.rng.randint(0, len(rules)))])
            listed = sorted(set(listed) | {rule for rule in extra if rule in rules and self.rng.random() < 0.5})
            if self.rng.random() < 0.3:
                listed.append(missing_rule_id(self.rng))
            tasks[index % len(tasks)][group] = listed
        return [{"security_groups": task} for task in tasks if task]

    def arguments(self, round_index):
        ec2, groups = self.context["ec2"], self.context["groups"]
        new = []
        if round_index == 1:
            for group in self.rng.sample(groups, 2):
                new += add_rules(ec2, self.rng, group, groups, self.rng.randint(1, 3))
        return self.keep(rule_ids(ec2, groups), new)

    def check(self, round_index, declared, results, cloud):
        found = rule_ids(cloud.client("ec2"), self.context["groups"])
        for arguments, (_check, real, _again) in zip(declared, results, strict=True):
            for group, listed in arguments["security_groups"].items():
                missing = real["missing"].get(group, [])
                assert sorted(found[group]) == sorted(set(listed) - set(missing)), (group, found[group], listed)
