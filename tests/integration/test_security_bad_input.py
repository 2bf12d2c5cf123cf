"""Bad input to the security layer's modules fails with a message that names the field, and no
mutating call reaches the emulator (checked with its request recorder). Each case runs the module
ad hoc (`ansible -m`), exactly as a playbook task would call it."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import run_module
from tools.harness import recorder

ACCOUNT = "123456789012"
NLB = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/net/edge/50dc6c495c0c9188"
ALB = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188"
STAGE = "arn:aws:apigateway:us-east-1::/restapis/abc123/stages/v1"
ZONE = "arn:aws:route53:::hostedzone/Z123EXAMPLE"
EIP = f"arn:aws:ec2:us-east-1:{ACCOUNT}:eip-allocation/eipalloc-0123456789abcdef0"


def rate(name="rate", priority=0, limit=2000, **extra):
    return {"name": name, "priority": priority, "action": "block", "rate_based": {"limit": limit}, **extra}


def managed(group, priority=1, **extra):
    return {
        "name": group,
        "priority": priority,
        "override_action": "none",
        "managed_rule_group": {"name": group},
        **extra,
    }


def acl(**options):
    return {"name": "bad-input", "scope": "REGIONAL", **options}


WAF = "securecloud.monitor.wafv2_web_acl"
PROTECTION = "securecloud.monitor.shield_protection"
# A set module's scope: every resource of the kind, nothing purged (what a task without prefix did before prefix).
SCOPE = {"prefix": "", "purge": False}
GROUP = "securecloud.monitor.shield_protection_group"
SETTINGS = "securecloud.monitor.shield_settings"

CASES = [
    ("duplicate priorities", WAF, acl(rules=[rate(), rate("other", 0)]), "priority"),
    ("duplicate rule names", WAF, acl(rules=[rate(), rate(priority=1)]), "rules[1].name"),
    ("rate limit below the AWS minimum", WAF, acl(rules=[rate(limit=5)]), "rules[0].rate_based.limit"),
    (
        "unknown managed rule group",
        WAF,
        acl(rules=[managed("AWSManagedRulesNoSuchRuleSet")]),
        "rules[0].managed_rule_group.name",
    ),
    (
        "metric name with invalid characters",
        WAF,
        acl(rules=[rate(visibility={"metric_name": "rate limit!"})]),
        "rules[0].visibility.metric_name",
    ),
    ("CLOUDFRONT scope outside us-east-1", WAF, acl(scope="CLOUDFRONT", region="eu-west-1", rules=[]), "scope"),
    ("association with an NLB", WAF, acl(rules=[rate()], associations=[NLB]), "associations[0]"),
    (
        "log group without the aws-waf-logs- prefix",
        WAF,
        acl(rules=[rate()], logging={"enabled": True, "destination": "waf-logs"}),
        "logging.destination",
    ),
    (
        "two statements in one rule",
        WAF,
        acl(rules=[rate(geo_match={"country_codes": ["KP"]})]),
        "rules[0]",
    ),
    (
        "action on a managed rule group",
        WAF,
        acl(rules=[{**managed("AWSManagedRulesCommonRuleSet", 0), "action": "block"}]),
        "rules[0]",
    ),
    (
        "custom response body that is not declared",
        WAF,
        acl(rules=[rate(custom_response={"response_code": 429, "custom_response_body_key": "nope"})]),
        "custom_response_body_key",
    ),
    (
        "rule set above the capacity limit",
        WAF,
        acl(rules=[managed("AWSManagedRulesCommonRuleSet", 0)], capacity_limit=100),
        "capacity_limit",
    ),
    (
        "Shield on an NLB",
        PROTECTION,
        {**SCOPE, "protections": [{"name": "p", "resource_arn": NLB}]},
        "protections[0].resource_arn",
    ),
    (
        "Shield on an API Gateway stage",
        PROTECTION,
        {**SCOPE, "protections": [{"name": "p", "resource_arn": STAGE}]},
        "protections[0].resource_arn",
    ),
    (
        "the same resource twice",
        PROTECTION,
        {**SCOPE, "protections": [{"name": "a", "resource_arn": EIP}, {"name": "b", "resource_arn": EIP}]},
        "protections[1].resource_arn",
    ),
    ("purge without a scope", PROTECTION, {"protections": [], "purge": True}, "purge=true needs prefix"),
    (
        "L7 automatic response on a hosted zone",
        PROTECTION,
        {
            **SCOPE,
            "protections": [{"name": "z", "resource_arn": ZONE, "application_layer_automatic_response": "block"}],
        },
        "protections[0].application_layer_automatic_response",
    ),
    (
        "ARBITRARY group without members",
        GROUP,
        {"protection_group_id": "g", "aggregation": "SUM", "pattern": "ARBITRARY"},
        "members",
    ),
    (
        "BY_RESOURCE_TYPE group without a resource type",
        GROUP,
        {"protection_group_id": "g", "aggregation": "SUM", "pattern": "BY_RESOURCE_TYPE"},
        "resource_type",
    ),
    (
        "protection group id with invalid characters",
        GROUP,
        {"protection_group_id": "my group!", "aggregation": "SUM", "pattern": "ALL"},
        "protection_group_id",
    ),
    (
        "proactive engagement without a phone number",
        SETTINGS,
        {
            "accept_subscription_commitment": True,
            "emergency_contacts": [{"email_address": "soc@example.com"}],
            "proactive_engagement": True,
        },
        "phone_number",
    ),
    ("no subscription and no commitment", SETTINGS, {}, "accept_subscription_commitment"),
]


@pytest.mark.parametrize(("case", "module", "arguments", "field"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_names_the_field_and_changes_nothing(module_cloud, tmp_path, case, module, arguments, field):
    recorder.start(module_cloud.endpoint)
    returncode, result = run_module(module_cloud, tmp_path, module, arguments)
    calls = recorder.stop(module_cloud.endpoint)

    assert returncode != 0 and result.get("failed"), result
    assert field in result["msg"], result["msg"]
    assert [c for c in calls if c.mutating] == [], [c.operation for c in calls]
