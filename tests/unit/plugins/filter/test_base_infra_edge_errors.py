"""The base_infra role's edge checks: each bad input gives one message naming the variable and the fix."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.filter.base_infra_edge_errors import (
    FilterModule,
    base_infra_edge_errors,
)

DEFAULTS = {
    "base_infra_edge_cloudfront_enabled": True,
    "base_infra_edge_price_class": "PriceClass_100",
    "base_infra_edge_geo_restriction": {"type": "none", "locations": []},
    "base_infra_edge_route53_zone_create": True,
    "base_infra_edge_origin_secret_generation": 1,
    "base_infra_edge_origin_secret_length": 32,
    "base_infra_edge_log_retention_days": 365,
    "base_infra_edge_health_checks": {},
    "base_infra_domain_name": "",
    "base_infra_route53_zone_id": "",
    "base_infra_services": {},
}

EDGE_SERVICE = {"api": {"image": "nginx:1.27", "port": 80, "nlb": "api", "edge": True}}

BAD = [
    ({"base_infra_edge_origin_secret_length": 8}, "base_infra_edge_origin_secret_length", "between 16 and 200"),
    ({"base_infra_edge_origin_secret_length": 201}, "base_infra_edge_origin_secret_length", "200 bytes"),
    ({"base_infra_edge_origin_secret_length": "long"}, "base_infra_edge_origin_secret_length", "whole number"),
    ({"base_infra_edge_origin_secret_generation": 0}, "base_infra_edge_origin_secret_generation", "1 or more"),
    ({"base_infra_edge_price_class": "PriceClass_300"}, "base_infra_edge_price_class", "PriceClass_All"),
    (
        {"base_infra_edge_geo_restriction": {"type": "whitelist", "locations": ["Germany"]}},
        "base_infra_edge_geo_restriction.locations",
        "ISO 3166-1 alpha-2",
    ),
    (
        {"base_infra_edge_geo_restriction": {"type": "blacklist", "locations": ["XX"]}},
        "base_infra_edge_geo_restriction.locations",
        "'XX'",
    ),
    (
        {"base_infra_edge_geo_restriction": {"type": "allow", "locations": ["DE"]}},
        "base_infra_edge_geo_restriction.type",
        "whitelist",
    ),
    (
        {"base_infra_edge_geo_restriction": {"type": "whitelist", "locations": []}},
        "base_infra_edge_geo_restriction",
        "at least one location",
    ),
    (
        {"base_infra_edge_geo_restriction": {"type": "none", "locations": ["DE"]}},
        "base_infra_edge_geo_restriction",
        "type none takes no locations",
    ),
    (
        {"base_infra_domain_name": "api.example.com", "base_infra_edge_route53_zone_create": False},
        "base_infra_route53_zone_id",
        "base_infra_edge_route53_zone_create: true",
    ),
    (
        {"base_infra_route53_zone_id": "/hostedzone/Z123", "base_infra_domain_name": "a.example.com"},
        "base_infra_route53_zone_id",
        "without /hostedzone/",
    ),
    ({"base_infra_route53_zone_id": "Z123"}, "base_infra_route53_zone_id", "without base_infra_domain_name"),
    ({"base_infra_domain_name": "API.Example.com"}, "base_infra_domain_name", "lowercase"),
    (
        {"base_infra_services": {"api": {"image": "nginx:1.27", "port": 80, "nlb": "api"}}},
        "base_infra_edge_cloudfront_enabled",
        "edge: true",
    ),
    ({"base_infra_edge_log_retention_days": 0}, "base_infra_edge_log_retention_days", "between 1 and 3653"),
    (
        {"base_infra_edge_health_checks": {"api_5xx_rate": 5}},
        "base_infra_edge_health_checks.api_5xx_rate",
        "0.05 is 5 %",
    ),
    (
        {"base_infra_edge_health_checks": {"edge_5xx_rate_percent": 150}},
        "base_infra_edge_health_checks.edge_5xx_rate_percent",
        "between 0 and 100",
    ),
    ({"base_infra_edge_health_checks": {"threshold": 1}}, "base_infra_edge_health_checks", "threshold"),
]


def test_defaults_are_valid():
    assert base_infra_edge_errors(DEFAULTS) == []
    assert base_infra_edge_errors({}) == []


@pytest.mark.parametrize(("overrides", "field", "fix"), BAD, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD)])
def test_bad_input_names_the_variable_and_the_fix(overrides, field, fix):
    errors = base_infra_edge_errors({**DEFAULTS, **overrides})
    assert len(errors) == 1, errors
    assert field in errors[0] and fix in errors[0], errors[0]


@pytest.mark.parametrize(
    "overrides",
    [
        {"base_infra_domain_name": "api.example.com"},  # zone created
        {"base_infra_domain_name": "api.example.com", "base_infra_route53_zone_id": "Z0123456789ABCDEFGHIJ"},
        {
            "base_infra_domain_name": "api.example.com",
            "base_infra_edge_route53_zone_create": False,
            "base_infra_edge_cloudfront_enabled": False,
        },
        {"base_infra_edge_geo_restriction": {"type": "whitelist", "locations": ["DE", "FR"]}},
        {"base_infra_services": EDGE_SERVICE},
        {
            "base_infra_services": {"worker": {"image": "busybox:1", "port": 80}},
            "base_infra_edge_cloudfront_enabled": False,
        },
        {"base_infra_edge_origin_secret_length": "16", "base_infra_edge_origin_secret_generation": 7},
        {"base_infra_edge_health_checks": {"enabled": False, "api_5xx_rate": 0.1, "edge_5xx_rate_percent": 2.5}},
    ],
)
def test_good_input_passes(overrides):
    assert base_infra_edge_errors({**DEFAULTS, **overrides}) == []


def test_every_error_is_reported_at_once():
    errors = base_infra_edge_errors(
        {**DEFAULTS, "base_infra_edge_origin_secret_length": 4, "base_infra_edge_price_class": "x"}
    )
    assert len(errors) == 2


def test_filter_is_registered():
    assert FilterModule().filters()["base_infra_edge_errors"] is base_infra_edge_errors
