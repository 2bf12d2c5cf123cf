"""Bad edge input to the waf and shield roles (issue 18) fails naming the variable (or the base layer's output)
and the fix, and no mutating call reaches the emulator (its request recorder). Each case runs the role in a
playbook, as site.yml does, against a base layer that exists only as the fact `base`."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import run_target

ACCOUNT = "123456789012"
STAGE = "arn:aws:apigateway:us-east-1::/restapis/abc123/stages/v1"
DIST = f"arn:aws:cloudfront::{ACCOUNT}:distribution/E2QWRUHAPOMQZL"
ZONE = "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"
CHECK = "arn:aws:route53:::healthcheck/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab"
ALB = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/web/0123456789abcdef"
SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:dev-origin-verify-AbCdEf"
BASE = {
    "vpc_id": "vpc-test",
    "public_http_entry_points": [STAGE, DIST],
    "public_http_entry_points_by_scope": {"REGIONAL": [STAGE], "CLOUDFRONT": [DIST]},
    "cloudfront": {
        "distribution_id": "E2QWRUHAPOMQZL",
        "origin_secret_arn": SECRET,
        "origin_header_name": "x-origin-verify",
    },
    "shield_protectable_arns": [DIST, ZONE],
    "shield_health_check_arns": {DIST: [CHECK], ZONE: [CHECK]},
}

CASES = [
    # waf
    (
        "edge log group without the aws-waf-logs- prefix",
        "waf",
        {"waf_cloudfront_log_group_name": "edge-logs"},
        {},
        "waf_cloudfront_log_group_name must start with aws-waf-logs-",
    ),
    (
        "edge rule inside the baseline's priorities",
        "waf",
        {
            "waf_cloudfront_extra_rules": [
                {"name": "mine", "priority": 5, "action": "block", "geo_match": {"country_codes": ["RU"]}}
            ]
        },
        {},
        "waf_cloudfront_extra_rules: every rule needs a priority of 100 or more",
    ),
    (
        "edge web ACL named like the regional one",
        "waf",
        {"waf_cloudfront_web_acl_name": "dev-edge"},
        {},
        "waf_cloudfront_web_acl_name and waf_cloudfront_log_group_name must differ",
    ),
    ("unknown origin-verify action", "waf", {"waf_origin_verify_action": "allow"}, {}, "waf_origin_verify_action"),
    (
        "origin secret that is not a Secrets Manager ARN",
        "waf",
        {},
        {"cloudfront": BASE["cloudfront"] | {"origin_secret_arn": "dev-origin-verify"}},
        "base.cloudfront.origin_secret_arn 'dev-origin-verify' is not a Secrets Manager secret ARN",
    ),
    (
        "CLOUDFRONT entry point that is not a distribution",
        "waf",
        {},
        {"public_http_entry_points_by_scope": {"REGIONAL": [STAGE], "CLOUDFRONT": [STAGE]}},
        "base.public_http_entry_points_by_scope.CLOUDFRONT holds",
    ),
    # shield
    (
        "health check for a resource that is not protected",
        "shield",
        {"shield_health_check_arns": {ALB: [CHECK]}},
        {},
        f"shield_health_check_arns has health checks for {ALB}, which is not protected",
    ),
    (
        "health check ARN that is not a Route 53 health check",
        "shield",
        {"shield_health_check_arns": {ZONE: [ZONE]}},
        {},
        f"shield_health_check_arns['{ZONE}'][0]",
    ),
    (
        "two health checks for one resource",
        "shield",
        {"shield_health_check_arns": {ZONE: [CHECK, CHECK.replace("0f1e", "1f1e")]}},
        {},
        "lists 2 health checks",
    ),
    (
        "L7 response on a hosted zone",
        "shield",
        {"shield_application_layer_automatic_responses": {ZONE: "block"}},
        {},
        "automatic application-layer response exists only for CloudFront distributions and Application Load Balancers",
    ),
    (
        "unknown L7 action on a resource",
        "shield",
        {"shield_application_layer_automatic_responses": {DIST: "drop"}},
        {},
        f"shield_application_layer_automatic_responses['{DIST}'] 'drop' is not an action",
    ),
    (
        "unknown L7 action",
        "shield",
        {"shield_application_layer_automatic_response": "drop"},
        {},
        "shield_application_layer_automatic_response",
    ),
]


def failure_messages(played):
    """The message of every failed task, and of every failed item of a loop."""
    for _, _, result in played.task_results():
        if result.get("failed"):
            yield result.get("msg", "")
            yield from (item.get("msg", "") for item in result.get("results", []) if item.get("failed"))


@pytest.mark.parametrize(("case", "role", "variables", "base", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_edge_input_fails_naming_the_variable_and_changes_nothing(
    module_cloud, work_dir, case, role, variables, base, message
):
    extra = {"edge_bad_input_role": role, "edge_bad_input_base": BASE | base, **variables}
    played, _, calls = run_target(module_cloud, work_dir, "tests/integration/targets/roles/edge_bad_input.yml", extra)
    assert played.returncode != 0
    failures = " ".join(failure_messages(played))
    assert message in failures, failures
    assert [f"{c.service}:{c.operation}" for c in calls if c.mutating] == []
