"""Generated valid inputs of posture_controls_info for three controls whose rules are AWS facts that the test can
work out on its own: SCM.SG.1 (a security group of the VPC accepts inbound traffic from 0.0.0.0/0 or ::/0, unless
declared the public edge), SCM.ENC.1 (a log group of base.log_group_names has no KMS key) and SCM.IAM.1 (a role
named <environment>-* has an inline or attached customer managed policy allowing action * on resource *). The
resources are made at random with boto3, the public edge groups and waivers (fnmatch patterns, CIS-style reasons)
drawn at random per round; every resource's status must be what those rules give.

Limits used: security group rules (EC2 AuthorizeSecurityGroupIngress: tcp ports 0-65535, IPv4/IPv6 CIDR blocks), log
group names (CreateLogGroup: 1-512 of [.-_/#A-Za-z0-9]), role and policy names (IAM: 1-64 and 1-128 of
[\\w+=,.@-])."""

from __future__ import annotations

import json
import string
from fnmatch import fnmatchcase

from tests.integration.generated.base import Generator
from tests.integration.generated.values import text

ACCOUNT = "123456789012"
CONTROLS = ["SCM.SG.1", "SCM.ENC.1", "SCM.IAM.1"]
ROLE_CHARS = string.ascii_letters + string.digits + "+=,.@_-"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def policy(action, resource):
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}
    )


class PostureControlsGenerator(Generator):
    module = "securecloud.monitor.posture_controls_info"

    def security_groups(self, ec2, vpc):
        groups = {}
        for index in range(4):
            group = ec2.create_security_group(GroupName=f"gpc-{index}", Description="generated", VpcId=vpc)["GroupId"]
            roll, port = self.rng.random(), self.rng.randint(0, 65535)
            permission = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
            if roll < 0.35:
                permission["IpRanges"] = [{"CidrIp": "0.0.0.0/0"}]
            elif roll < 0.55:
                permission["Ipv6Ranges"] = [{"CidrIpv6": "::/0"}]
            elif roll < 0.8:
                permission["IpRanges"] = [{"CidrIp": f"10.{self.rng.randint(0, 255)}.0.0/16"}]
            if len(permission) > 3:
                ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[permission])
            groups[group] = roll < 0.55
        return groups

    def log_groups(self, cloud):
        logs, key = cloud.client("logs"), cloud.client("kms").create_key()["KeyMetadata"]["Arn"]
        groups = {}
        for index in range(3):
            name = f"/gpc/{index}/" + text(self.rng, 1, 60, string.ascii_letters + string.digits + "._-/#")
            encrypted = self.rng.random() < 0.5
            logs.create_log_group(logGroupName=name, **({"kmsKeyId": key} if encrypted else {}))
            groups[name] = not encrypted
        return groups

    def roles(self, cloud, env):
        iam = cloud.client("iam")
        roles = {}
        for index in range(3):
            name = f"{env}-{index}" + text(self.rng, 0, 20, ROLE_CHARS)
            arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
            star = self.rng.random() < 0.5
            document = policy("*", "*") if star else policy(["logs:PutLogEvents", "s3:GetObject"], "*")
            if self.rng.random() < 0.5:
                iam.put_role_policy(
                    RoleName=name, PolicyName=text(self.rng, 1, 128, ROLE_CHARS), PolicyDocument=document
                )
            else:
                managed = iam.create_policy(PolicyName=f"{name}-p", PolicyDocument=document)["Policy"]["Arn"]
                iam.attach_role_policy(RoleName=name, PolicyArn=managed)
            roles[arn] = star
        return roles

    def prepare(self, cloud) -> dict:
        env = "gpc" + "".join(self.rng.choice(string.ascii_lowercase) for _count in range(6))
        ec2 = cloud.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.182.0.0/16")["Vpc"]["VpcId"]
        return {
            "env": env,
            "vpc": vpc,
            "groups": self.security_groups(ec2, vpc),
            "log_groups": self.log_groups(cloud),
            "roles": self.roles(cloud, env),
        }

    def arguments(self, round_index: int) -> list[dict]:
        groups = sorted(self.context["groups"])
        edge = self.rng.sample(groups, self.rng.randint(0, 2))
        waivers = []
        if self.rng.random() < 0.6:
            waivers.append({"id": "SCM.SG.1", "resource": self.rng.choice(groups), "reason": "SEC-1 until 2027-01-31"})
        if self.rng.random() < 0.6:
            waivers.append({"id": "SCM.IAM.1", "resource": f"*:role/{self.context['env']}-1*", "reason": "break-glass"})
        if self.rng.random() < 0.3:
            waivers.append({"id": "SCM.ENC.1", "resource": "/gpc/0/*", "reason": "legacy"})
        base = {"vpc_id": self.context["vpc"], "log_group_names": sorted(self.context["log_groups"])}
        return [
            {
                "environment": self.context["env"],
                "base": base,
                "controls": self.rng.sample(CONTROLS, len(CONTROLS)),
                "public_edge_security_group_ids": edge,
                "waivers": waivers,
                "shield_in_use": False,
            }
        ]

    def expected(self, arguments) -> dict:
        """(control, resource): status, by the rules of the module docstring."""
        waivers = arguments["waivers"]
        edge = set(arguments["public_edge_security_group_ids"])
        found = {}
        for control, failing in (
            ("SCM.SG.1", {g: open_ and g not in edge for g, open_ in self.context["groups"].items()}),
            ("SCM.ENC.1", self.context["log_groups"]),
            ("SCM.IAM.1", self.context["roles"]),
        ):
            for resource, fails in failing.items():
                found[(control, resource)] = waived_or(control, resource, waivers) if fails else "passed"
        return found

    def check(self, round_index, declared, results, cloud):
        for arguments, (_check, real, _again) in zip(declared, results, strict=True):
            expected = self.expected(arguments)
            found = {
                (c["id"], c["resource"]): c["status"] for c in real["controls"] if (c["id"], c["resource"]) in expected
            }
            assert found == expected, sorted(set(found.items()) ^ set(expected.items()))


def waived_or(control, resource, waivers) -> str:
    for waiver in waivers:
        if waiver["id"] == control and fnmatchcase(resource, waiver.get("resource") or "*"):
            return "waived"
    return "failed"
