"""The shield role's desired state (plugins/filter/shield_protections.py), without a cloud."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.securecloud.monitor.plugins.filter.shield_protections import resource_type, shield_protections

DIST = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"
ZONE = "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"
CHECK = "arn:aws:route53:::healthcheck/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab"
OTHER_CHECK = "arn:aws:route53:::healthcheck/11111111-aaaa-bbbb-cccc-0123456789ab"
ALB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/0123456789abcdef"
CLB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/classic-web"
NLB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/web/0123456789abcdef"
EIPS = [f"arn:aws:ec2:eu-west-1:123456789012:eip-allocation/eipalloc-0123456789abcdef{i}" for i in range(2)]
ACCELERATOR = "arn:aws:globalaccelerator::123456789012:accelerator/1234abcd-abcd-1234-abcd-1234abcdefgh"
BASE = {"shield_protectable_arns": [DIST, ZONE], "shield_health_check_arns": {DIST: [CHECK], ZONE: [CHECK]}}
VARS = {"shield_environment": "dev"}


def by_arn(state):
    return {p["resource_arn"]: p for p in state["protections"]}


def test_the_edge_is_protected_with_its_health_checks_and_l7_count_on_the_distribution():
    state = shield_protections(VARS, BASE)
    protections = by_arn(state)
    assert list(protections) == [DIST, ZONE]
    assert protections[DIST]["name"] == "dev-distribution-E2QWRUHAPOMQZL"
    assert protections[ZONE]["name"] == "dev-hostedzone-Z0123456789ABCDEFGHIJ"
    assert protections[DIST]["health_check_arns"] == [CHECK] and protections[ZONE]["health_check_arns"] == [CHECK]
    assert protections[DIST]["application_layer_automatic_response"] == "count"
    assert protections[ZONE]["application_layer_automatic_response"] == "disabled"
    assert protections[DIST]["tags"] == {"securecloud:environment": "dev"}


def test_block_by_variable_and_per_resource_overrides():
    assert (
        by_arn(shield_protections(VARS | {"shield_application_layer_automatic_response": "block"}, BASE))[DIST][
            "application_layer_automatic_response"
        ]
        == "block"
    )
    variables = VARS | {
        "shield_extra_resource_arns": [ALB],
        "shield_application_layer_automatic_responses": {ALB: "count", DIST: "disabled"},
    }
    protections = by_arn(shield_protections(variables, BASE))
    assert protections[ALB]["application_layer_automatic_response"] == "count"
    assert protections[DIST]["application_layer_automatic_response"] == "disabled"


def test_the_role_variable_replaces_the_base_layers_health_check_of_a_resource():
    protections = by_arn(shield_protections(VARS | {"shield_health_check_arns": {ZONE: [OTHER_CHECK]}}, BASE))
    assert protections[ZONE]["health_check_arns"] == [OTHER_CHECK] and protections[DIST]["health_check_arns"] == [CHECK]


def test_groups_the_environment_and_types_with_two_or_more():
    state = shield_protections(VARS | {"shield_extra_resource_arns": EIPS}, BASE)
    groups = {g["protection_group_id"]: g for g in state["groups"]}
    assert groups["dev-protected"]["state"] == "present" and groups["dev-protected"]["members"] == [DIST, ZONE, *EIPS]
    assert (groups["dev-eip"]["state"], groups["dev-eip"]["aggregation"], groups["dev-eip"]["members"]) == (
        "present",
        "SUM",
        EIPS,
    )
    assert groups["dev-cloudfront"]["state"] == "absent" and groups["dev-route53"]["state"] == "absent"
    assert "dev-alb" not in groups  # no such resource: not even read
    assert state["topology"]["protection_groups"] == ["dev-protected", "dev-eip"]


def test_switches_remove_the_groups():
    variables = VARS | {
        "shield_extra_resource_arns": EIPS,
        "shield_protection_groups_by_type": False,
        "shield_protection_group_enabled": False,
    }
    assert {g["state"] for g in shield_protections(variables, BASE)["groups"]} == {"absent"}


def test_a_teardown_removes_every_group_type():
    groups = shield_protections(VARS | {"shield_state": "absent"}, {})["groups"]
    assert {g["state"] for g in groups} == {"absent"} and len(groups) == 7


def test_nothing_protectable_means_no_protection_and_no_group():
    state = shield_protections(VARS, {})
    assert state["protections"] == [] and [g["state"] for g in state["groups"]] == ["absent"]
    assert state["topology"]["protection_group"] == ""


def test_base_resources_can_be_left_out():
    state = shield_protections(VARS | {"shield_protect_base_resources": False, "shield_extra_resource_arns": [ALB]}, {})
    assert state["resource_arns"] == [ALB]


@pytest.mark.parametrize(
    ("arn", "kind"),
    [
        (DIST, "CLOUDFRONT_DISTRIBUTION"),
        (ZONE, "ROUTE_53_HOSTED_ZONE"),
        (ALB, "APPLICATION_LOAD_BALANCER"),
        (CLB, "CLASSIC_LOAD_BALANCER"),
        (EIPS[0], "ELASTIC_IP_ALLOCATION"),
        (ACCELERATOR, "GLOBAL_ACCELERATOR"),
        (NLB, None),
        ("arn:aws:apigateway:eu-west-1::/restapis/abc/stages/v1", None),
        ("not an arn", None),
    ],
)
def test_resource_types(arn, kind):
    assert resource_type(arn) == kind


@pytest.mark.parametrize(
    ("variables", "base", "message"),
    [
        (
            {"shield_health_check_arns": {ALB: [CHECK]}},
            BASE,
            f"shield_health_check_arns has health checks for {ALB}, which is not protected",
        ),
        (
            {"shield_health_check_arns": {ZONE: ["arn:aws:route53:::hostedzone/Z1"]}},
            BASE,
            f"shield_health_check_arns['{ZONE}'][0] 'arn:aws:route53:::hostedzone/Z1' is not a Route 53 health check",
        ),
        (
            {"shield_health_check_arns": {ZONE: ["arn:aws:route53:us-east-1:123456789012:healthcheck/abc"]}},
            BASE,
            "is not a Route 53 health check ARN",
        ),
        (
            {"shield_health_check_arns": {ZONE: [CHECK, OTHER_CHECK]}},
            BASE,
            f"shield_health_check_arns['{ZONE}'] lists 2 health checks",
        ),
        ({"shield_health_check_arns": {ZONE: CHECK}}, BASE, "must be a list of Route 53 health check ARNs"),
        (
            {"shield_application_layer_automatic_responses": {ZONE: "count"}},
            BASE,
            f"shield_application_layer_automatic_responses['{ZONE}'] is 'count', but {ZONE} is a ROUTE_53_HOSTED_ZONE",
        ),
        (
            {"shield_application_layer_automatic_responses": {DIST: "mitigate"}},
            BASE,
            f"shield_application_layer_automatic_responses['{DIST}'] 'mitigate' is not an action",
        ),
        (
            {"shield_application_layer_automatic_responses": {ALB: "block"}},
            BASE,
            f"{ALB} is not protected; add it to shield_extra_resource_arns",
        ),
        (
            {"shield_application_layer_automatic_response": "on"},
            BASE,
            "shield_application_layer_automatic_response 'on'",
        ),
        (
            {"shield_extra_resource_arns": [ZONE]},
            BASE,
            f"shield_extra_resource_arns repeats a resource (or one of base.shield_protectable_arns): {ZONE}",
        ),
        (
            {"shield_protection_group_type_aggregation": {"NLB": "SUM"}},
            BASE,
            "shield_protection_group_type_aggregation['NLB']",
        ),
        (
            {},
            {"shield_protectable_arns": [DIST], "shield_health_check_arns": {ZONE: [CHECK]}},
            f"base.shield_health_check_arns has health checks for {ZONE}",
        ),
    ],
)
def test_bad_input_names_the_variable_and_the_fix(variables, base, message):
    with pytest.raises(AnsibleFilterError) as err:
        shield_protections(VARS | variables, base)
    assert message in str(err.value)


def test_no_environment_is_named():
    with pytest.raises(AnsibleFilterError, match="shield_environment"):
        shield_protections({}, BASE)
