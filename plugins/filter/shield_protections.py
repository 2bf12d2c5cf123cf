# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: shield_protections
short_description: The shield role's protections, health checks, L7 response and groups from its variables and C(base)
version_added: 1.0.0
description:
  - Computes, with no AWS call, the Shield Advanced protections of an environment in the shape
    M(securecloud.monitor.shield_protection) takes, and its protection groups in the shape of
    M(securecloud.monitor.shield_protection_group), so the deployment, the C(topology) entry point and the compliance
    run share it.
  - Protected - every resource of C(base.shield_protectable_arns) (with C(_input.shield_protect_base_resources)) and
    of C(_input.shield_extra_resource_arns).
  - Health checks (Route 53, for health-based detection) - C(base.shield_health_check_arns) merged with
    C(_input.shield_health_check_arns); for a resource in both, the role variable's list replaces the base layer's.
  - Automatic application-layer response - C(_input.shield_application_layer_automatic_response) on every CloudFront
    distribution, and per resource in C(_input.shield_application_layer_automatic_responses) (which wins).
  - Groups - one over the environment (C(_input.shield_protection_group_enabled)), and one per resource type that has
    at least two protected resources (C(_input.shield_protection_groups_by_type)), aggregated as
    C(_input.shield_protection_group_type_aggregation) says; the group of a type with one protected resource is
    listed with C(state=absent) (a group of one aggregates nothing).
  - Bad input raises an error naming the variable and the fix - a health check for a resource that is not protected,
    a health check ARN that is not a Route 53 health check ARN (checked with amazon.aws C(module_utils.arn)), more
    than one health check for a resource, an L7 response for a resource that is not protected or whose type has none,
    an unknown L7 action, a resource listed twice.
options:
  _input:
    description: The role's variables by name (C(shield_*)); those not given take the role's defaults.
    type: dict
    required: true
  base:
    description: The base layer's outputs (fact C(base)); V({}) when there is none.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Compute the protections and groups
  ansible.builtin.set_fact:
    __shield_desired: "{{ __shield_inputs | securecloud.monitor.shield_protections(base) }}"
"""

RETURN = r"""
_value:
  description: The desired state.
  type: dict
  contains:
    resource_arns:
      description: The resources to protect, base layer's first.
      type: list
      elements: str
    protections:
      description:
        - Each C(name), C(resource_arn), C(health_check_arns), C(application_layer_automatic_response), C(tags).
      type: list
      elements: dict
    groups:
      description:
        - Each C(protection_group_id), C(state), C(aggregation), C(pattern) (V(ARBITRARY)), C(members), C(tags).
      type: list
      elements: dict
    topology:
      description: What the architecture diagrams draw (C(shield_topology)).
      type: dict
"""

import re  # noqa: E402

from ansible.errors import AnsibleFilterError  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn  # noqa: E402

ACTIONS = ("block", "count", "disabled")
ALAR_TYPES = ("CLOUDFRONT_DISTRIBUTION", "APPLICATION_LOAD_BALANCER")
# Group ID suffix per resource type (a group ID is at most 36 letters, digits and -).
TYPE_GROUPS = {
    "CLOUDFRONT_DISTRIBUTION": "cloudfront",
    "ROUTE_53_HOSTED_ZONE": "route53",
    "APPLICATION_LOAD_BALANCER": "alb",
    "CLASSIC_LOAD_BALANCER": "clb",
    "ELASTIC_IP_ALLOCATION": "eip",
    "GLOBAL_ACCELERATOR": "accelerator",
}
DEFAULTS = {
    "shield_protect_base_resources": True,
    "shield_extra_resource_arns": [],
    "shield_health_check_arns": {},
    "shield_application_layer_automatic_response": "count",
    "shield_application_layer_automatic_responses": {},
    "shield_protection_group_enabled": True,
    "shield_protection_group_aggregation": "SUM",
    "shield_protection_groups_by_type": True,
    # MAX where members do not share traffic (distributions, zones, accelerators), SUM where they share the
    # load (Elastic IPs), MEAN for load balancers of uneven traffic.
    "shield_protection_group_type_aggregation": {
        "CLOUDFRONT_DISTRIBUTION": "MAX",
        "ROUTE_53_HOSTED_ZONE": "MAX",
        "GLOBAL_ACCELERATOR": "MAX",
        "ELASTIC_IP_ALLOCATION": "SUM",
        "APPLICATION_LOAD_BALANCER": "MEAN",
        "CLASSIC_LOAD_BALANCER": "MEAN",
    },
    "shield_tags": {},
    "shield_state": "present",
}


def resource_type(arn):
    """Shield's resource type of an ARN, or None when Shield cannot protect it."""
    parsed = parse_aws_arn(arn or "")
    if not parsed:
        return None
    service, kind, resource = parsed["service"], parsed.get("resource_type"), parsed["resource"]
    if service == "cloudfront" and kind == "distribution":
        return "CLOUDFRONT_DISTRIBUTION"
    if service == "route53" and kind == "hostedzone":
        return "ROUTE_53_HOSTED_ZONE"
    if service == "ec2" and kind == "eip-allocation":
        return "ELASTIC_IP_ALLOCATION"
    if service == "globalaccelerator" and kind == "accelerator":
        return "GLOBAL_ACCELERATOR"
    if service == "elasticloadbalancing" and kind == "loadbalancer":
        if resource.startswith("loadbalancer/app/"):
            return "APPLICATION_LOAD_BALANCER"
        if resource.count("/") == 1:
            return "CLASSIC_LOAD_BALANCER"
    return None


def is_health_check_arn(arn):
    parsed = parse_aws_arn(arn or "") if isinstance(arn, str) else None
    return bool(
        parsed
        and parsed["service"] == "route53"
        and parsed.get("resource_type") == "healthcheck"
        and not parsed["region"]
        and not parsed["account_id"]
        and re.match(r"^[A-Za-z0-9-]+$", parsed.get("resource_id") or "")
    )


def _settings(role_vars):
    settings = dict(DEFAULTS)
    settings.update(dict((k, v) for k, v in (role_vars or {}).items() if v is not None))
    if not settings.get("shield_environment"):
        raise AnsibleFilterError("shield_protections: shield_environment is not set; give the environment's name.")
    return settings


def _bool(value):
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return bool(value)


def protection_name(prefix, arn):
    # e.g. dev-hostedzone-Z123 for arn:aws:route53:::hostedzone/Z123
    return (prefix + re.sub(r"[^A-Za-z0-9_.-]", "-", arn.split(":")[-1]))[:128]


def _health_checks(settings, base, protected):
    merged = dict(base.get("shield_health_check_arns") or {})
    merged.update(settings["shield_health_check_arns"] or {})
    errors = []
    for arn, checks in sorted(merged.items()):
        source = (
            "shield_health_check_arns"
            if arn in (settings["shield_health_check_arns"] or {})
            else "base.shield_health_check_arns"
        )
        if arn not in protected:
            errors.append(
                f"{source} has health checks for {arn}, which is not protected: add it to shield_extra_resource_arns "
                "(or keep shield_protect_base_resources true), or remove the entry."
            )
        if not isinstance(checks, list):
            errors.append(f"{source}[{arn!r}] must be a list of Route 53 health check ARNs.")
            continue
        for index, check in enumerate(checks):
            if not is_health_check_arn(check):
                errors.append(
                    f"{source}[{arn!r}][{index}] {check!r} is not a Route 53 health check ARN: use "
                    "arn:aws:route53:::healthcheck/HEALTH_CHECK_ID."
                )
        if len(set(checks)) > 1:
            errors.append(
                f"{source}[{arn!r}] lists {len(set(checks))} health checks: Shield associates one with a protection; "
                "combine them into a Route 53 calculated health check and give its ARN."
            )
    return merged, errors


def _responses(settings, protected, types):
    default = settings["shield_application_layer_automatic_response"]
    errors = []
    if default not in ACTIONS:
        errors.append(
            f"shield_application_layer_automatic_response {default!r} is not an action: use one of "
            f"{', '.join(ACTIONS)}."
        )
    responses = dict((arn, default) for arn in protected if types[arn] == "CLOUDFRONT_DISTRIBUTION")
    for arn, action in sorted((settings["shield_application_layer_automatic_responses"] or {}).items()):
        field = f"shield_application_layer_automatic_responses[{arn!r}]"
        if action not in ACTIONS:
            errors.append(f"{field} {action!r} is not an action: use one of {', '.join(ACTIONS)}.")
        if arn not in protected:
            errors.append(f"{field}: {arn} is not protected; add it to shield_extra_resource_arns or remove the entry.")
        elif types[arn] not in ALAR_TYPES and action != "disabled":
            errors.append(
                f"{field} is {action!r}, but {arn} is a {types[arn] or 'resource Shield cannot protect'}: automatic "
                "application-layer response exists only for CloudFront distributions and Application Load "
                "Balancers; remove the entry."
            )
        responses[arn] = action
    return responses, errors


def shield_protections(role_vars, base):
    settings = _settings(role_vars)
    base = base or {}
    env = settings["shield_environment"]
    prefix = f"{env}-"
    tags = dict(settings["shield_tags"] or {}, **{"securecloud:environment": env})
    resource_arns = (
        list(base.get("shield_protectable_arns") or []) if _bool(settings["shield_protect_base_resources"]) else []
    )
    resource_arns += list(settings["shield_extra_resource_arns"] or [])
    errors = []
    repeated = sorted(set(arn for arn in resource_arns if resource_arns.count(arn) > 1))
    if repeated:
        errors.append(
            "shield_extra_resource_arns repeats a resource (or one of base.shield_protectable_arns): "
            f"{', '.join(repeated)}."
        )
    types = dict((arn, resource_type(arn)) for arn in resource_arns)
    checks, check_errors = _health_checks(settings, base, set(resource_arns))
    responses, response_errors = _responses(settings, set(resource_arns), types)
    errors += check_errors + response_errors
    for key, value in (settings["shield_protection_group_type_aggregation"] or {}).items():
        if key not in TYPE_GROUPS or value not in ("SUM", "MEAN", "MAX"):
            errors.append(
                f"shield_protection_group_type_aggregation[{key!r}] = {value!r}: give a resource type of "
                f"{', '.join(TYPE_GROUPS)} and one of SUM, MEAN, MAX."
            )
    if errors:
        raise AnsibleFilterError(" ".join(errors))

    protections = [
        {
            "name": protection_name(prefix, arn),
            "resource_arn": arn,
            "health_check_arns": sorted(set(checks.get(arn) or [])),
            "application_layer_automatic_response": responses.get(arn, "disabled"),
            "tags": tags,
        }
        for arn in dict.fromkeys(resource_arns)
    ]
    present = settings["shield_state"] == "present"
    groups = [
        {
            "protection_group_id": f"{env}-protected",
            "state": "present"
            if present and _bool(settings["shield_protection_group_enabled"]) and resource_arns
            else "absent",
            "aggregation": settings["shield_protection_group_aggregation"],
            "pattern": "ARBITRARY",
            "members": list(dict.fromkeys(resource_arns)),
            "tags": tags,
        }
    ]
    aggregation = dict(DEFAULTS["shield_protection_group_type_aggregation"])
    aggregation.update(settings["shield_protection_group_type_aggregation"] or {})
    for rtype, suffix in TYPE_GROUPS.items():
        members = [arn for arn in dict.fromkeys(resource_arns) if types[arn] == rtype]
        if not members and present:
            continue  # one read fewer per type the environment does not have (a teardown looks at every type)
        wanted = present and _bool(settings["shield_protection_groups_by_type"]) and len(members) >= 2
        groups.append(
            {
                "protection_group_id": f"{env}-{suffix}"[:36],
                "state": "present" if wanted else "absent",
                "aggregation": aggregation[rtype],
                "pattern": "ARBITRARY",
                "members": members,
                "tags": tags,
            }
        )
    return {
        "resource_arns": list(dict.fromkeys(resource_arns)),
        "protections": protections,
        "groups": groups,
        "topology": {
            "enabled": present,
            "protects": list(dict.fromkeys(resource_arns)),
            "protection_group": groups[0]["protection_group_id"] if groups[0]["state"] == "present" else "",
            "protection_groups": [g["protection_group_id"] for g in groups if g["state"] == "present"],
            "health_checks": dict((p["resource_arn"], p["health_check_arns"]) for p in protections),
            "application_layer_automatic_response": dict(
                (p["resource_arn"], p["application_layer_automatic_response"])
                for p in protections
                if p["application_layer_automatic_response"] != "disabled"
            ),
        },
    }


class FilterModule:
    def filters(self):
        return {"shield_protections": shield_protections}
