# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which resources Shield Advanced can protect, told from their ARNs. No AWS call and no boto3 import here: the
controller's filter plugins use it (plugins/filter/monitoring_edge.py), and each ansible-playbook worker that
templates any of the collection's filters loads every filter plugin file, so an import of boto3 here cost every
such task about a third of a CPU second."""

import re

from ansible_collections.securecloud.monitor.plugins.module_utils.arns import arn_parts

PROTECTABLE_TYPES = (
    "APPLICATION_LOAD_BALANCER",
    "CLASSIC_LOAD_BALANCER",
    "CLOUDFRONT_DISTRIBUTION",
    "ROUTE_53_HOSTED_ZONE",
    "GLOBAL_ACCELERATOR",
    "ELASTIC_IP_ALLOCATION",
)

# Application-layer (L7) automatic mitigation exists only where AWS WAF sits in front of the resource.
ALAR_TYPES = ("APPLICATION_LOAD_BALANCER", "CLOUDFRONT_DISTRIBUTION")

_PROTECTABLE_HELP = (
    "Shield Advanced protects Application and Classic Load Balancers, CloudFront distributions, Route 53 hosted "
    "zones, Global Accelerator accelerators and Elastic IP allocations (arn:aws:ec2:REGION:ACCOUNT:"
    "eip-allocation/eipalloc-...)"
)

# (service, regex on the resource part, protectable type or None, description, advice when rejected)
_RULES = (
    (
        "elasticloadbalancing",
        r"^loadbalancer/app/[^/]+/[^/]+$",
        "APPLICATION_LOAD_BALANCER",
        "Application Load Balancer",
        "",
    ),
    (
        "elasticloadbalancing",
        r"^loadbalancer/net/[^/]+/[^/]+$",
        None,
        "Network Load Balancer",
        "Shield Advanced protects a Network Load Balancer through its Elastic IPs: give the NLB an Elastic IP per "
        "subnet and protect each arn:aws:ec2:REGION:ACCOUNT:eip-allocation/eipalloc-... instead",
    ),
    (
        "elasticloadbalancing",
        r"^loadbalancer/gwy/[^/]+/[^/]+$",
        None,
        "Gateway Load Balancer",
        "protect the internet-facing resource in front of it (an Elastic IP, an ALB or a CloudFront distribution)",
    ),
    (
        "elasticloadbalancing",
        r"^targetgroup/",
        None,
        "ELB target group",
        "protect the load balancer itself (an ALB or classic ELB ARN)",
    ),
    ("elasticloadbalancing", r"^loadbalancer/[^/]+$", "CLASSIC_LOAD_BALANCER", "Classic Load Balancer", ""),
    ("cloudfront", r"^distribution/[A-Za-z0-9]+$", "CLOUDFRONT_DISTRIBUTION", "CloudFront distribution", ""),
    ("route53", r"^hostedzone/[A-Za-z0-9]+$", "ROUTE_53_HOSTED_ZONE", "Route 53 hosted zone", ""),
    (
        "route53",
        r"^healthcheck/",
        None,
        "Route 53 health check",
        "a health check is not protected, it is attached to a protection: list it under health_check_arns",
    ),
    ("globalaccelerator", r"^accelerator/[A-Za-z0-9-]+$", "GLOBAL_ACCELERATOR", "Global Accelerator accelerator", ""),
    ("ec2", r"^eip-allocation/eipalloc-[0-9a-f]+$", "ELASTIC_IP_ALLOCATION", "Elastic IP allocation", ""),
    (
        "ec2",
        r"^instance/",
        None,
        "EC2 instance",
        "associate an Elastic IP with the instance and protect arn:aws:ec2:REGION:ACCOUNT:eip-allocation/eipalloc-...",
    ),
    (
        "ec2",
        r"^elastic-ip/",
        None,
        "Elastic IP (elastic-ip/ form)",
        "Shield names Elastic IPs by allocation: use arn:aws:ec2:REGION:ACCOUNT:eip-allocation/eipalloc-...",
    ),
    (
        "apigateway",
        r".*",
        None,
        "API Gateway API",
        "Shield Advanced cannot protect API Gateway directly: attach an AWS WAF web ACL to the stage (regional API), "
        "or put a CloudFront distribution in front of it and protect the distribution",
    ),
    (
        "execute-api",
        r".*",
        None,
        "API Gateway API",
        "Shield Advanced cannot protect API Gateway directly: attach an AWS WAF web ACL to the stage (regional API), "
        "or put a CloudFront distribution in front of it and protect the distribution",
    ),
)


def classify_resource_arn(arn):
    """(protectable type or None, description, advice) for a resource ARN.

    The type is one of :data:`PROTECTABLE_TYPES` (the names Shield's ``ResourceType`` uses) when Shield Advanced
    can protect the resource; otherwise None, with what to do instead in ``advice``.
    """
    parts = arn_parts(arn)
    if not parts or not parts["resource"]:
        return (
            None,
            "not an ARN",
            "give the full resource ARN (arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE). " + (_PROTECTABLE_HELP),
        )
    service, resource = parts["service"], parts["resource"]
    for rule_service, pattern, kind, description, advice in _RULES:
        if service == rule_service and re.match(pattern, resource):
            return kind, description, advice
    return None, f"{service} resource '{resource.split('/')[0]}'", _PROTECTABLE_HELP
