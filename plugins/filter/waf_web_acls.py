# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: waf_web_acls
short_description: The waf role's desired state - its web ACLs, IP sets and log groups - from its variables and C(base)
version_added: 1.0.0
description:
  - Computes, with no AWS call, what the C(securecloud.monitor.waf) role deploys in an environment, in the shape the
    modules take, so the deployment, the C(topology) entry point (diagrams) and the compliance run share it.
  - C(regional) is the web ACL V(<env>-edge) on the regional entry points
    (C(base.public_http_entry_points_by_scope.REGIONAL), or C(base.public_http_entry_points) from a base layer
    without CloudFront).
  - C(cloudfront) is the CLOUDFRONT-scope web ACL V(<env>-edge-cloudfront), always in us-east-1, set on the
    distributions of C(base.public_http_entry_points_by_scope.CLOUDFRONT) (or C(base.cloudfront.distribution_id)),
    or V(null) when the base layer has no distribution or C(_input.waf_cloudfront_enabled) is false.
  - With a distribution in front, the viewer's address is only seen at the edge, so the IP lists and geo blocking
    go on the CLOUDFRONT web ACL, the regional rate limit counts the client address CloudFront forwards
    (C(X-Forwarded-For)) unless C(_input.waf_rate_limit_forwarded_ip_header) says otherwise, and the regional
    web ACL gets the origin-verify rule (its accepted values are read from Secrets Manager at run time, never here).
  - Without a distribution the result is what the role deployed before (one regional web ACL).
options:
  _input:
    description:
      - The role's variables by name (C(waf_*)); the role passes
        C(dict(q('ansible.builtin.varnames', '^waf_') | zip(q('ansible.builtin.vars', *names)))).
      - Every variable of the role's C(meta/argument_specs.yml) may be given; those not given take the role's defaults.
    type: dict
    required: true
  base:
    description: The base layer's outputs (fact C(base)); V({}) when there is none.
    type: dict
    required: true
  ip_set_arns:
    description:
      - ARNs of the IP sets that exist, by C(SCOPE/key) (for example C(REGIONAL/allow), C(CLOUDFRONT/block)), or
        the registered result of a C(community.aws.wafv2_ip_set) loop over C(ip_sets) (items with C(scope) and
        C(key)). A rule whose IP set does not exist yet (check mode on a fresh account) is left out.
    type: raw
    default: {}
"""

EXAMPLES = r"""
- name: Compute the web ACLs
  ansible.builtin.set_fact:
    __waf_desired: "{{ __waf_inputs | securecloud.monitor.waf_web_acls(base, ip_set_arns=__waf_ip_set_arns) }}"
"""

RETURN = r"""
_value:
  description: The desired state.
  type: dict
  contains:
    regional:
      description:
        - The regional web ACL in the options of M(securecloud.monitor.wafv2_web_acl) (C(name), C(scope),
          C(description), C(default_action), C(rules), C(visibility), C(capacity_limit), C(associations), C(logging),
          C(tags)), plus C(origin_verify) (C(name), C(priority), C(header_name), C(action), no values) or null, and
          C(origin_secret_arn) (the Secrets Manager secret holding the accepted values) or null.
      type: dict
    cloudfront:
      description:
        - The CLOUDFRONT web ACL in the same shape, plus C(region) (always us-east-1) and C(distribution_ids);
          null when there is none.
      type: dict
    ip_sets:
      description:
        - Every IP set the role may own, each C(key) (allow or block), C(scope), C(region), C(name), C(addresses),
          C(state) (V(present) when a web ACL uses it, else V(absent)).
      type: list
      elements: dict
    distribution_ids:
      description: The CloudFront distributions of the base layer, whether or not the role sets a web ACL on them.
      type: list
      elements: str
    log_groups:
      description: The log groups, each C(name), C(region), C(retention), C(kms_key_id).
      type: list
      elements: dict
    topology:
      description: What the architecture diagrams draw (C(waf_topology)).
      type: dict
"""

from ansible.errors import AnsibleFilterError  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn, validate_aws_arn  # noqa: E402

CLOUDFRONT_REGION = "us-east-1"
PRIORITIES = {"ip-allow-list": 0, "ip-block-list": 1, "geo-block": 2, "origin-verify": 3, "rate-limit-per-ip": 10}
MANAGED_GROUPS = (
    ("AWSManagedRulesAmazonIpReputationList", "waf_ip_reputation_enabled", 20),
    ("AWSManagedRulesAnonymousIpList", "waf_anonymous_ip_enabled", 30),
    ("AWSManagedRulesKnownBadInputsRuleSet", "waf_known_bad_inputs_enabled", 40),
    ("AWSManagedRulesCommonRuleSet", "waf_common_rule_set_enabled", 50),
    ("AWSManagedRulesSQLiRuleSet", "waf_sqli_enabled", 60),
)
# CloudFront appends the viewer's address to X-Forwarded-For; the first entry is the client's.
CLOUDFRONT_CLIENT_IP_HEADER = "X-Forwarded-For"
DEFAULTS = {
    "waf_state": "present",
    "waf_default_action": "allow",
    "waf_capacity_limit": 1500,
    "waf_rate_limit_enabled": True,
    "waf_rate_limit": 2000,
    "waf_rate_limit_window_sec": 300,
    "waf_rate_limit_action": "block",
    "waf_rate_limit_forwarded_ip_header": "",
    "waf_common_rule_set_enabled": True,
    "waf_known_bad_inputs_enabled": True,
    "waf_ip_reputation_enabled": True,
    "waf_anonymous_ip_enabled": True,
    "waf_sqli_enabled": True,
    "waf_managed_rule_group_settings": {},
    "waf_ip_allow_list": [],
    "waf_ip_block_list": [],
    "waf_geo_block_countries": [],
    "waf_extra_rules": [],
    "waf_logging_enabled": True,
    "waf_log_retention_days": 365,
    "waf_log_kms_key_arn": "",
    "waf_log_redacted_headers": ["authorization", "cookie"],
    "waf_log_blocked_only": False,
    "waf_associate_entry_points": True,
    "waf_extra_associations": [],
    "waf_tags": {},
    "waf_cloudfront_enabled": True,
    "waf_cloudfront_extra_rules": [],
    "waf_origin_verify_enabled": True,
    "waf_origin_verify_action": "block",
}


def _bool(value):
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return bool(value)


def _settings(role_vars):
    settings = dict(DEFAULTS)
    settings.update(dict((k, v) for k, v in (role_vars or {}).items() if v is not None))
    env = settings.get("waf_environment")
    if not env:
        raise AnsibleFilterError("waf_web_acls: waf_environment is not set; give the environment's name.")
    settings.setdefault("waf_web_acl_name", f"{env}-edge")
    settings.setdefault("waf_cloudfront_web_acl_name", f"{env}-edge-cloudfront")
    settings.setdefault("waf_log_group_name", f"aws-waf-logs-{env}")
    settings.setdefault("waf_cloudfront_log_group_name", f"aws-waf-logs-{env}-cloudfront")
    return settings


def ip_set_name(env, scope, key):
    return f"{env}-{key}" if scope == "REGIONAL" else f"{env}-edge-{key}"


def _ip_rules(settings, scope, ip_set_arns):
    rules = []
    for key, action in (("allow", "allow"), ("block", "block")):
        arn = ip_set_arns.get(f"{scope}/{key}")
        if settings[f"waf_ip_{key}_list"] and arn:
            name = f"ip-{key}-list"
            rules.append({"name": name, "priority": PRIORITIES[name], "action": action, "ip_set": {"arn": arn}})
    return rules


def _geo_rule(settings):
    countries = list(settings["waf_geo_block_countries"] or [])
    if not countries:
        return []
    return [
        {
            "name": "geo-block",
            "priority": PRIORITIES["geo-block"],
            "action": "block",
            "geo_match": {"country_codes": countries},
        }
    ]


def _rate_rule(settings, forwarded_header):
    if not _bool(settings["waf_rate_limit_enabled"]):
        return []
    statement = {
        "limit": int(settings["waf_rate_limit"]),
        "evaluation_window_sec": int(settings["waf_rate_limit_window_sec"]),
    }
    if forwarded_header:
        statement.update(
            aggregate_key_type="FORWARDED_IP",
            forwarded_ip_config={"header_name": forwarded_header, "fallback_behavior": "MATCH"},
        )
    else:
        statement["aggregate_key_type"] = "IP"
    name = "rate-limit-per-ip"
    return [
        {
            "name": name,
            "priority": PRIORITIES[name],
            "action": settings["waf_rate_limit_action"],
            "rate_based": statement,
        }
    ]


def _managed_rules(settings):
    rules = []
    group_settings = settings["waf_managed_rule_group_settings"] or {}
    for name, switch, priority in MANAGED_GROUPS:
        if not _bool(settings[switch]):
            continue
        own = dict(group_settings.get(name) or {})
        override_action = own.pop("override_action", "none")
        rules.append(
            {
                "name": name,
                "priority": priority,
                "override_action": override_action,
                "managed_rule_group": dict({"vendor_name": "AWS", "name": name}, **own),
            }
        )
    return rules


def _logging(settings, log_group_name):
    logging = {
        "enabled": _bool(settings["waf_logging_enabled"]),
        "destination": log_group_name,
        "redacted_fields": [{"single_header": header} for header in settings["waf_log_redacted_headers"] or []],
    }
    if _bool(settings["waf_log_blocked_only"]):
        logging["filter"] = {
            "default_behavior": "DROP",
            "filters": [
                {"behavior": "KEEP", "requirement": "MEETS_ANY", "conditions": [{"action_condition": "BLOCK"}]}
            ],
        }
    return logging


def _tags(settings):
    return dict(settings["waf_tags"] or {}, **{"securecloud:environment": settings["waf_environment"]})


def _acl(settings, name, scope, rules, log_group_name):
    return {
        "name": name,
        "scope": scope,
        "description": f"DDoS baseline of {settings['waf_environment']}, managed by securecloud.monitor.waf",
        "default_action": settings["waf_default_action"],
        "rules": sorted(rules, key=lambda rule: int(rule["priority"])),
        "visibility": {"cloudwatch_metrics_enabled": True, "sampled_requests_enabled": True, "metric_name": name},
        "capacity_limit": int(settings["waf_capacity_limit"]),
        "logging": _logging(settings, log_group_name),
        "tags": _tags(settings),
    }


def _distribution_ids(base):
    arns = ((base.get("public_http_entry_points_by_scope") or {}).get("CLOUDFRONT")) or []
    ids = []
    for arn in arns:
        parsed = parse_aws_arn(arn)
        if not parsed or parsed["service"] != "cloudfront" or parsed.get("resource_type") != "distribution":
            raise AnsibleFilterError(
                f"base.public_http_entry_points_by_scope.CLOUDFRONT holds {arn!r}, which is not a CloudFront "
                "distribution ARN (arn:aws:cloudfront::ACCOUNT:distribution/ID); fix the base layer's output."
            )
        ids.append(parsed["resource_id"])
    cloudfront = base.get("cloudfront") or {}
    if not ids and cloudfront.get("distribution_id"):
        ids.append(cloudfront["distribution_id"])
    return ids


def _regional_entry_points(base):
    by_scope = base.get("public_http_entry_points_by_scope")
    if by_scope is not None:
        return list(by_scope.get("REGIONAL") or [])
    return list(base.get("public_http_entry_points") or [])


def _key_region(arn):
    parsed = parse_aws_arn(arn or "")
    return parsed["region"] if parsed else None


# The diagrams draw the IP list rules whether or not their sets exist yet.
PLANNED = dict((f"{scope}/{key}", "planned") for scope in ("REGIONAL", "CLOUDFRONT") for key in ("allow", "block"))


def _arns_of(ip_sets):
    """``{"SCOPE/key": arn}`` from a mapping of that shape, or from the registered loop of the role's IP set task."""
    if isinstance(ip_sets, dict) and "results" in ip_sets:
        return dict(
            (f"{result['item']['scope']}/{result['item']['key']}", result["arn"])
            for result in ip_sets["results"]
            if result.get("arn") and isinstance(result.get("item"), dict)
        )
    return dict(ip_sets or {})


def waf_web_acls(role_vars, base, ip_set_arns=None):
    state = _desired(role_vars, base, _arns_of(ip_set_arns))
    state["topology"] = _desired(role_vars, base, PLANNED)["topology"]
    return state


def _desired(role_vars, base, ip_set_arns):
    settings = _settings(role_vars)
    base = base or {}
    ip_set_arns = ip_set_arns or {}
    env = settings["waf_environment"]
    distributions = _distribution_ids(base) if _bool(settings["waf_cloudfront_enabled"]) else []
    edge = bool(distributions)
    cloudfront_info = base.get("cloudfront") or {}

    # The regional web ACL: the viewer's address is only known at the edge when a distribution is in front.
    forwarded = settings["waf_rate_limit_forwarded_ip_header"] or (CLOUDFRONT_CLIENT_IP_HEADER if edge else "")
    regional_rules = (
        _rate_rule(settings, forwarded) + _managed_rules(settings) + list(settings["waf_extra_rules"] or [])
    )
    if not edge:
        regional_rules = _ip_rules(settings, "REGIONAL", ip_set_arns) + _geo_rule(settings) + regional_rules
    regional = _acl(settings, settings["waf_web_acl_name"], "REGIONAL", regional_rules, settings["waf_log_group_name"])
    regional["associations"] = (
        _regional_entry_points(base) if _bool(settings["waf_associate_entry_points"]) else []
    ) + list(settings["waf_extra_associations"] or [])
    origin_secret_arn = cloudfront_info.get("origin_secret_arn") if edge else None
    if origin_secret_arn and not validate_aws_arn(origin_secret_arn, service="secretsmanager", resource_type="secret"):
        raise AnsibleFilterError(
            f"base.cloudfront.origin_secret_arn {origin_secret_arn!r} is not a Secrets Manager secret ARN "
            "(arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME); fix the base layer's output, or set "
            "waf_origin_verify_enabled false."
        )
    regional["origin_secret_arn"] = origin_secret_arn if _bool(settings["waf_origin_verify_enabled"]) else None
    regional["origin_verify"] = None
    if regional["origin_secret_arn"]:
        regional["origin_verify"] = {
            "name": "origin-verify",
            "priority": PRIORITIES["origin-verify"],
            "header_name": cloudfront_info.get("origin_header_name") or "x-origin-verify",
            "action": settings["waf_origin_verify_action"],
        }

    cloudfront = None
    if edge:
        edge_rules = (
            _ip_rules(settings, "CLOUDFRONT", ip_set_arns)
            + _geo_rule(settings)
            + _rate_rule(settings, "")
            + _managed_rules(settings)
            + list(settings["waf_cloudfront_extra_rules"] or [])
        )
        cloudfront = _acl(
            settings,
            settings["waf_cloudfront_web_acl_name"],
            "CLOUDFRONT",
            edge_rules,
            settings["waf_cloudfront_log_group_name"],
        )
        cloudfront.update(region=CLOUDFRONT_REGION, distribution_ids=distributions)

    present = settings["waf_state"] == "present"
    ip_sets = []
    for scope, region in (("REGIONAL", None), ("CLOUDFRONT", CLOUDFRONT_REGION)):
        used = (scope == "CLOUDFRONT") == edge
        for key in ("allow", "block"):
            addresses = list(settings[f"waf_ip_{key}_list"] or [])
            wanted = present and used and bool(addresses)
            ip_sets.append(
                {
                    "key": key,
                    "scope": scope,
                    "region": region,
                    "name": ip_set_name(env, scope, key),
                    "addresses": addresses,
                    "state": "present" if wanted else "absent",
                    "description": f"{key.capitalize()} list of {env}",
                }
            )

    kms = settings["waf_log_kms_key_arn"] or ""
    log_groups = [{"name": settings["waf_log_group_name"], "region": None, "kms_key_id": kms}]
    if edge:
        # A log group takes a key of its own region only.
        edge_kms = kms if _key_region(kms) == CLOUDFRONT_REGION else ""
        log_groups.append(
            {"name": settings["waf_cloudfront_log_group_name"], "region": CLOUDFRONT_REGION, "kms_key_id": edge_kms}
        )
    for group in log_groups:
        group.update(retention=int(settings["waf_log_retention_days"]), tags=_tags(settings))

    return {
        "regional": regional,
        "cloudfront": cloudfront,
        "ip_sets": ip_sets,
        "log_groups": log_groups if _bool(settings["waf_logging_enabled"]) else [],
        "distribution_ids": _distribution_ids(base),
        "topology": _topology(settings, regional, cloudfront) if ip_set_arns is PLANNED else None,
    }


def _labels(acl, settings):
    labels = []
    for rule in acl["rules"]:
        if rule["name"] == "rate-limit-per-ip":
            labels.append(f"rate limit {settings['waf_rate_limit']} per {settings['waf_rate_limit_window_sec']} s")
        else:
            labels.append(
                {"ip-allow-list": "allow list", "ip-block-list": "block list", "geo-block": "geo block"}.get(
                    rule["name"], rule["name"]
                )
            )
    if acl.get("origin_verify"):
        labels.insert(0, "origin-verify header")
    return labels


def _topology(settings, regional, cloudfront):
    logging = _bool(settings["waf_logging_enabled"])
    topology = {
        "enabled": settings["waf_state"] == "present",
        "web_acl_name": regional["name"],
        "rules": _labels(regional, settings),
        "protects": regional["associations"],
        "log_group_name": regional["logging"]["destination"] if logging else "",
        "cloudfront": None,
    }
    if cloudfront:
        topology["cloudfront"] = {
            "web_acl_name": cloudfront["name"],
            "region": cloudfront["region"],
            "rules": _labels(cloudfront, settings),
            "protects": cloudfront["distribution_ids"],
            "log_group_name": cloudfront["logging"]["destination"] if logging else "",
        }
    return topology


class FilterModule:
    def filters(self):
        return {"waf_web_acls": waf_web_acls}
