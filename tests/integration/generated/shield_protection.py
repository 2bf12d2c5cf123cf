"""Generated valid inputs of shield_protection, on resources made beforehand.

Limits used (AWS Shield Advanced API reference): CreateProtection Name 1-128 of letters, digits, spaces, _, . and -,
ResourceArn of a CloudFront distribution, Route 53 hosted zone, Elastic IP allocation, Application or Classic Load
Balancer or Global Accelerator, one protection per resource; AssociateHealthCheck one Route 53 health check per
protection; EnableApplicationLayerAutomaticResponse (Block or Count) for CloudFront distributions and Application
Load Balancers with a WAFv2 web ACL associated only; tags keys 1-128, values 0-256, at most 50 per resource."""

from __future__ import annotations

import string

from tests.integration.generated.base import Generator
from tests.integration.generated.cloudfront_distribution_web_acl import VISIBILITY, cloudfront_web_acl, distribution
from tests.integration.generated.set_members import next_set
from tests.integration.generated.values import maybe, text
from tests.integration.generated.xray_group import many_tags, purge_tags

PREFIX = "gsp "
NAME_HIGH = 128
NAME_CHARS = string.ascii_letters + string.digits + " _.-"
ACCOUNT = "123456789012"


def subscribed(cloud) -> None:
    """The account subscribed to Shield Advanced (the generators of the Shield modules share it)."""
    shield = cloud.client("shield")
    if shield.get_subscription_state()["SubscriptionState"] != "ACTIVE":
        shield.create_subscription()


def elastic_ips(cloud, count: int) -> list[str]:
    ec2 = cloud.client("ec2")
    allocations = [ec2.allocate_address(Domain="vpc")["AllocationId"] for _count in range(count)]
    return [f"arn:aws:ec2:us-east-1:{ACCOUNT}:eip-allocation/{allocation}" for allocation in allocations]


def load_balancer(cloud, name: str) -> str:
    """An internet-facing Application Load Balancer in a VPC of its own."""
    ec2, elbv2 = cloud.client("ec2"), cloud.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.97.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.97.{index}.0/24", AvailabilityZone=f"us-east-1{zone}")["Subnet"][
            "SubnetId"
        ]
        for index, zone in enumerate("ab")
    ]
    return elbv2.create_load_balancer(Name=name, Subnets=subnets, Type="application")["LoadBalancers"][0][
        "LoadBalancerArn"
    ]


def load_balancer_with_web_acl(cloud, name: str) -> str:
    """An Application Load Balancer with a REGIONAL web ACL associated."""
    arn = load_balancer(cloud, name)
    wafv2 = cloud.client("wafv2")
    acl = wafv2.create_web_acl(Name=name, Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY)
    wafv2.associate_web_acl(WebACLArn=acl["Summary"]["ARN"], ResourceArn=arn)
    return arn


def health_checks(cloud, count: int) -> list[str]:
    route53 = cloud.client("route53")
    config = {"Type": "HTTPS", "FullyQualifiedDomainName": "www.example.com", "Port": 443}
    made = [
        route53.create_health_check(CallerReference=f"gsp-{index}", HealthCheckConfig=config)["HealthCheck"]["Id"]
        for index in range(count)
    ]
    return [f"arn:aws:route53:::healthcheck/{check}" for check in made]


class ShieldProtectionGenerator(Generator):
    module = "securecloud.monitor.shield_protection"

    def prepare(self, cloud) -> dict:
        subscribed(cloud)
        web_acl = cloudfront_web_acl(cloud, "gsp-edge")
        cdn = distribution(cloud, "generated-shield", web_acl)["ARN"]
        zone = cloud.client("route53").create_hosted_zone(Name="gsp.example.com", CallerReference="gsp")
        return {
            "layer7": [cdn, load_balancer_with_web_acl(cloud, "gsp-alb")],
            "other": [*elastic_ips(cloud, 3), f"arn:aws:route53:::{zone['HostedZone']['Id'].lstrip('/')}"],
            "health_checks": health_checks(cloud, 2),
        }

    def name(self, index):
        stem = f"{PREFIX}{index}"
        if self.rng.random() < 0.3:  # the longest name
            return (stem + text(self.rng, NAME_HIGH, NAME_HIGH, NAME_CHARS)).ljust(NAME_HIGH, ".")[:NAME_HIGH]
        return stem + text(self.rng, 0, 20, NAME_CHARS)

    def protection(self, name, resource):
        protection = {"name": name, "resource_arn": resource}
        if resource in self.context["layer7"]:
            maybe(self.rng, protection, "application_layer_automatic_response", self.rng.choice(["block", "count"]))
        else:
            maybe(self.rng, protection, "application_layer_automatic_response", "disabled", chance=0.2)
        maybe(self.rng, protection, "health_check_arns", self.rng.sample(self.context["health_checks"], 1), 0.3)
        maybe(self.rng, protection, "health_check_arns", [], chance=0.1)
        maybe(self.rng, protection, "tags", many_tags(self.rng))
        return protection

    def renewed(self, name):
        """The protection of that name declared anew on its resource; None for a new one (made on a free resource)."""
        if name is None:
            return None
        resources = {protection["name"]: protection["resource_arn"] for protection in self.previous[0]["protections"]}
        return self.protection(name, resources[name])

    def arguments(self, round_index: int) -> list[dict]:
        resources = self.context["layer7"] + self.context["other"]
        if round_index == 0:
            chosen = self.rng.sample(resources, self.rng.randint(1, 4))
            protections = [self.protection(self.name(index), arn) for index, arn in enumerate(chosen)]
        else:  # a protection changed keeps its name and resource; new ones take resources freed or never used
            protections = [
                found for found in next_set(self.rng, self.previous[0]["protections"], self.renewed) if found
            ]
            free = [arn for arn in resources if arn not in {p["resource_arn"] for p in protections}]
            protections += [
                self.protection(self.name(10 + index), arn)
                for index, arn in enumerate(self.rng.sample(free, self.rng.randint(0, 2)))
            ]
        task = {"prefix": PREFIX, "protections": protections}
        maybe(self.rng, task, "purge", True, chance=0.3)
        previous = self.previous[0]["protections"] if self.previous else []
        maybe(self.rng, task, "purge_tags", purge_tags(self.rng, previous))
        return [task]

    def check(self, round_index, declared, results, cloud) -> None:
        held = {
            protection["Name"]: protection["ResourceArn"]
            for page in cloud.client("shield").get_paginator("list_protections").paginate()
            for protection in page["Protections"]
            if protection["Name"].startswith(PREFIX)
        }
        assert held == {p["name"]: p["resource_arn"] for p in declared[0]["protections"]}, held
