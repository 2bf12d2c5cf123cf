# Copyright: (c) 2026, securecloud.monitor contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the base_infra role: the checks of the edge's input that argument_specs cannot express."""

from __future__ import annotations

import re
from typing import Any

DOCUMENTATION = r"""
name: base_infra_edge_errors
short_description: The errors in the base_infra role's edge variables (CloudFront, Route 53, origin secret).
version_added: 1.0.0
description:
  - Takes a dict of the role's variables (C(base_infra_edge_*), C(base_infra_domain_name),
    C(base_infra_route53_zone_id), C(base_infra_services)) and returns a list of messages, each naming the variable
    and the fix; empty when the input is valid. The role fails on a non-empty list before Terraform runs.
options:
  _input:
    description: The role's variables.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Check the edge variables
  ansible.builtin.assert:
    that: __errors | length == 0
    fail_msg: "{{ __errors | join(' ') }}"
  vars:
    __errors: "{{ {'base_infra_edge_origin_secret_length': 8} | securecloud.monitor.base_infra_edge_errors }}"
"""

RETURN = r"""
_value:
  description: One message per invalid variable (empty when all are valid).
  type: list
  elements: str
"""

PRICE_CLASSES = ("PriceClass_100", "PriceClass_200", "PriceClass_All")
GEO_TYPES = ("none", "whitelist", "blacklist")
SECRET_LENGTH = (16, 200)  # WAF byte-match search strings are at most 200 bytes
LOG_RETENTION = (1, 3653)
DOMAIN = re.compile(r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
ZONE_ID = re.compile(r"Z[A-Z0-9]{1,31}")

# ISO 3166-1 alpha-2: the officially assigned codes (CloudFront's geo restriction takes these).
ISO_3166_ALPHA_2 = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO
    FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE
    JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO
    MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
    PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM
    TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
    """.split()  # noqa: SIM905 - the table reads as ISO publishes it
)


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _geo_errors(geo: Any) -> list[str]:
    name = "base_infra_edge_geo_restriction"
    if not isinstance(geo, dict):
        return [f"{name} must be a dict {{type, locations}} (got {geo!r})."]
    unknown = sorted(set(geo) - {"type", "locations"})
    if unknown:
        return [f"{name} takes only the keys type and locations (got {', '.join(unknown)})."]
    kind = geo.get("type", "none")
    locations = geo.get("locations") or []
    errors = []
    if kind not in GEO_TYPES:
        errors.append(f"{name}.type must be one of {', '.join(GEO_TYPES)} (got {kind!r}).")
    if not isinstance(locations, list):
        return [*errors, f"{name}.locations must be a list of country codes (got {locations!r})."]
    bad = [loc for loc in locations if not isinstance(loc, str) or loc not in ISO_3166_ALPHA_2]
    if bad:
        errors.append(
            f"{name}.locations must be ISO 3166-1 alpha-2 country codes in capitals, such as DE or US "
            f"(not {', '.join(map(repr, bad))})."
        )
    if kind == "none" and locations:
        errors.append(f"{name}: type none takes no locations; set type to whitelist or blacklist, or empty locations.")
    if kind in ("whitelist", "blacklist") and not locations:
        errors.append(f"{name}: type {kind} needs at least one location (ISO 3166-1 alpha-2), or set type to none.")
    return errors


def _health_check_errors(checks: Any) -> list[str]:
    name = "base_infra_edge_health_checks"
    if not isinstance(checks, dict):
        return [f"{name} must be a dict (got {checks!r})."]
    unknown = sorted(set(checks) - {"enabled", "api_5xx_rate", "edge_5xx_rate_percent"})
    if unknown:
        return [f"{name} takes only enabled, api_5xx_rate and edge_5xx_rate_percent (got {', '.join(unknown)})."]
    errors = []
    rate = _number(checks.get("api_5xx_rate", 0.05))
    if rate is None or not 0 < rate < 1:
        errors.append(
            f"{name}.api_5xx_rate is a share of the stage's answers, between 0 and 1 exclusive "
            f"(got {checks.get('api_5xx_rate')!r}; 0.05 is 5 %)."
        )
    percent = _number(checks.get("edge_5xx_rate_percent", 5))
    if percent is None or not 0 < percent < 100:
        errors.append(
            f"{name}.edge_5xx_rate_percent is CloudFront's 5xxErrorRate in percent, between 0 and 100 exclusive "
            f"(got {checks.get('edge_5xx_rate_percent')!r})."
        )
    return errors


def base_infra_edge_errors(role_vars: dict[str, Any]) -> list[str]:
    """Every invalid edge variable of the base_infra role, as messages naming the variable and the fix."""
    errors: list[str] = []
    enabled = bool(role_vars.get("base_infra_edge_cloudfront_enabled", True))

    price_class = role_vars.get("base_infra_edge_price_class", "PriceClass_100")
    if price_class not in PRICE_CLASSES:
        errors.append(f"base_infra_edge_price_class must be one of {', '.join(PRICE_CLASSES)} (got {price_class!r}).")

    length = _whole(role_vars.get("base_infra_edge_origin_secret_length", 32))
    if length is None or not SECRET_LENGTH[0] <= length <= SECRET_LENGTH[1]:
        errors.append(
            f"base_infra_edge_origin_secret_length must be a whole number between {SECRET_LENGTH[0]} and "
            f"{SECRET_LENGTH[1]} (got {role_vars.get('base_infra_edge_origin_secret_length')!r}): the regional web "
            f"ACL matches the header with byte-match strings of at most 200 bytes, and shorter values are guessable."
        )

    generation = _whole(role_vars.get("base_infra_edge_origin_secret_generation", 1))
    if generation is None or generation < 1:
        errors.append(
            "base_infra_edge_origin_secret_generation must be a whole number, 1 or more "
            f"(got {role_vars.get('base_infra_edge_origin_secret_generation')!r}); bump it by one to rotate."
        )

    retention = _whole(role_vars.get("base_infra_edge_log_retention_days", 365))
    if retention is None or not LOG_RETENTION[0] <= retention <= LOG_RETENTION[1]:
        errors.append(
            f"base_infra_edge_log_retention_days must be a whole number of days between {LOG_RETENTION[0]} and "
            f"{LOG_RETENTION[1]} (got {role_vars.get('base_infra_edge_log_retention_days')!r})."
        )

    errors += _geo_errors(role_vars.get("base_infra_edge_geo_restriction", {}))
    errors += _health_check_errors(role_vars.get("base_infra_edge_health_checks", {}))

    domain = role_vars.get("base_infra_domain_name") or ""
    zone_id = role_vars.get("base_infra_route53_zone_id") or ""
    create_zone = bool(role_vars.get("base_infra_edge_route53_zone_create", True))
    if domain and not DOMAIN.fullmatch(domain):
        errors.append(f"base_infra_domain_name must be a lowercase DNS name such as api.example.com (got {domain!r}).")
    if zone_id and not ZONE_ID.fullmatch(zone_id):
        errors.append(
            f"base_infra_route53_zone_id must be a hosted zone ID such as Z0123456789ABCDEFGHIJ, without /hostedzone/ "
            f"(got {zone_id!r})."
        )
    if zone_id and not domain:
        errors.append(
            "base_infra_route53_zone_id is set without base_infra_domain_name: "
            "set the domain the zone holds, or drop the zone id."
        )
    if enabled and domain and not zone_id and not create_zone:
        errors.append(
            f"base_infra_domain_name {domain!r} has no Route 53 zone: set base_infra_route53_zone_id to its existing "
            "public hosted zone, or base_infra_edge_route53_zone_create: true to create one (the certificate's DNS "
            "validation and the alias to CloudFront go there)."
        )

    services = role_vars.get("base_infra_services") or {}
    if (
        enabled
        and isinstance(services, dict)
        and services
        and not any(isinstance(s, dict) and s.get("edge") for s in services.values())
    ):
        errors.append(
            "base_infra_edge_cloudfront_enabled is true but no service of base_infra_services has edge: true, so there "
            "is no API stage for CloudFront to front: mark the public service with edge: true (it needs an nlb), or "
            "set base_infra_edge_cloudfront_enabled: false."
        )
    return errors


class FilterModule:
    def filters(self) -> dict[str, Any]:
        return {"base_infra_edge_errors": base_infra_edge_errors}
