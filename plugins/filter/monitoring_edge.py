# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The monitoring role's edge: alarms and dashboard of CloudFront, the CLOUDFRONT web ACL and the Shield Advanced
protections, computed from declared inputs only (the base layer's outputs, the role's settings, and what the role
read from the cloud: the web ACLs by name, the environment's protections). No AWS call here; see
plugins/filter/monitoring_edge_alarms.yml and monitoring_edge_dashboard.yml for the documentation.

Where the metrics are: CloudFront, CLOUDFRONT-scope WAF and the Shield metrics of CloudFront distributions, Route 53
hosted zones and protection groups are in us-east-1 whatever the environment's region; Shield metrics of other
resources (Elastic IPs, load balancers) in the resource's region
(https://docs.aws.amazon.com/waf/latest/developerguide/shield-metrics.html). An alarm can only watch metrics of its
own region and notify an SNS topic of its own region, so the alarms come grouped by region, each group with the
topic ARN of that region.
"""

import re

from ansible.errors import AnsibleFilterError
from ansible_collections.securecloud.monitor.plugins.module_utils.monitoring import (
    ALARM_NAME_MAX,
    notifications,
    runbook_suffix,
    too_long_names,
    topic_arn,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.shield_resources import classify_resource_arn
from ansible_collections.securecloud.monitor.plugins.plugin_utils.filter_settings import checked_settings

EDGE_REGION = "us-east-1"

# Shield Advanced metrics (AWS/DDoSProtection, dimension ResourceArn) per protected resource type: DDoSDetected for
# all; requests per second for application-layer (L7) resources, the ones WAF sits in front of; bits and packets
# per second for infrastructure-layer (L3/L4) events.
VOLUME_METRICS = {
    "CLOUDFRONT_DISTRIBUTION": ("requests", "bits", "packets"),
    "APPLICATION_LOAD_BALANCER": ("requests", "bits", "packets"),
    "CLASSIC_LOAD_BALANCER": ("bits", "packets"),
    "ROUTE_53_HOSTED_ZONE": ("bits", "packets"),
    "GLOBAL_ACCELERATOR": ("bits", "packets"),
    "ELASTIC_IP_ALLOCATION": ("bits", "packets"),
}
VOLUME_METRIC_NAMES = {
    "requests": "DDoSAttackRequestsPerSecond",
    "bits": "DDoSAttackBitsPerSecond",
    "packets": "DDoSAttackPacketsPerSecond",
}
GLOBAL_TYPES = ("CLOUDFRONT_DISTRIBUTION", "ROUTE_53_HOSTED_ZONE")
# The docs/runbooks/ pages the alarms link to (tests/unit/test_runbooks.py checks each exists and is listed).
RUNBOOK_PAGES = (
    "cloudfront-5xx-rate",
    "cloudfront-origin-latency",
    "ddos-detected",
    *(f"ddos-attack-{volume}" for volume in VOLUME_METRIC_NAMES),
)

_REQUIRED_SETTINGS = (
    "environment",
    "region",
    "account_id",
    "alarm_prefix",
    "dashboard_name",
    "topic_name",
    "runbook_url_template",
)
_NUMBERS = (
    "period",
    "evaluation_periods",
    "cloudfront_5xx_rate_threshold",
    "cloudfront_origin_latency_p99_ms",
    "ddos_requests_per_second_threshold",
    "ddos_bits_per_second_threshold",
    "ddos_packets_per_second_threshold",
)
_ARN_REGION = re.compile(r"^arn:[^:]+:[^:]+:(?P<region>[^:]*):")


def _settings(settings):
    return checked_settings("monitoring edge", settings, _REQUIRED_SETTINGS, _NUMBERS)


def metric_region(arn, environment_region):
    """The region where Shield reports the metrics of a protected resource."""
    kind = classify_resource_arn(arn)[0]
    if kind in GLOBAL_TYPES:
        return EDGE_REGION
    match = _ARN_REGION.match(arn or "")
    return (match.group("region") if match else "") or EDGE_REGION


def resource_label(arn):
    """distribution-E1ABC, hostedzone-Z123, eip-allocation-eipalloc-1: the resource part of the ARN, name-safe."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", str(arn).rsplit(":", maxsplit=1)[-1])


def _observed(observed):
    observed = observed or {}
    return {
        "edge_web_acl": observed.get("edge_web_acl") or "",
        "protected_arns": sorted({a for a in observed.get("protected_arns") or [] if a}),
    }


def _cloudfront_alarms(base, settings):
    cloudfront = base.get("cloudfront") or {}
    distribution = cloudfront.get("distribution_id")
    if not distribution:
        return []
    prefix = settings["alarm_prefix"]
    dimensions = {"DistributionId": distribution, "Region": "Global"}
    common = notifications(settings, EDGE_REGION) | {
        "namespace": "AWS/CloudFront",
        "dimensions": dimensions,
        "period": int(settings["period"]),
        "evaluation_periods": int(settings["evaluation_periods"]),
        "comparison_operator": "GreaterThanThreshold",
        "treat_missing_data": "notBreaching",
    }
    rate = float(settings["cloudfront_5xx_rate_threshold"])
    latency = float(settings["cloudfront_origin_latency_p99_ms"])
    return [
        common
        | {
            "name": f"{prefix}cloudfront-5xx-rate",
            "metric_name": "5xxErrorRate",
            "statistic": "Average",
            "threshold": rate,
            "description": f"CloudFront {distribution}: share of requests answered 5xx above {rate:g}%."
            + runbook_suffix(settings, "cloudfront-5xx-rate"),
        },
        common
        | {
            "name": f"{prefix}cloudfront-origin-latency",
            "metric_name": "OriginLatency",
            "extended_statistic": "p99",
            "threshold": latency,
            "description": f"CloudFront {distribution}: p99 origin latency above {latency:g} ms."
            + runbook_suffix(settings, "cloudfront-origin-latency"),
        },
    ]


def _ddos_alarms(arn, settings):
    kind = classify_resource_arn(arn)[0]
    if kind is None:
        return []
    region = metric_region(arn, settings["region"])
    name = f"{settings['alarm_prefix']}ddos-{resource_label(arn)}"
    common = notifications(settings, region) | {
        "namespace": "AWS/DDoSProtection",
        "dimensions": {"ResourceArn": arn},
        "period": 60,
        "evaluation_periods": 1,
        "treat_missing_data": "notBreaching",
    }
    alarms = [
        common
        | {
            "name": name,
            "metric_name": "DDoSDetected",
            "statistic": "Maximum",
            "comparison_operator": "GreaterThanOrEqualToThreshold",
            "threshold": 1.0,
            "description": f"Shield Advanced detected a DDoS event on {arn}."
            + runbook_suffix(settings, "ddos-detected"),
        }
    ]
    for volume in VOLUME_METRICS[kind]:
        threshold = float(settings[f"ddos_{volume}_per_second_threshold"])
        alarms.append(
            common
            | {
                "name": f"{name}-{volume}",
                "metric_name": VOLUME_METRIC_NAMES[volume],
                "statistic": "Maximum",
                "comparison_operator": "GreaterThanThreshold",
                "threshold": threshold,
                "description": f"Shield Advanced measures a DDoS attack on {arn} above {threshold:g} {volume} per "
                "second." + runbook_suffix(settings, f"ddos-attack-{volume}"),
            }
        )
    return alarms


def monitoring_edge_alarms(base, settings, observed=None):
    """The edge's alarm sets, one per region: ``[{region, prefix, topic_arn, alarms}]``.

    Always a set for us-east-1 and one for the environment's region (empty sets remove what is left there), plus
    one per other region a protected resource reports in.
    """
    if not isinstance(base, dict):
        raise AnsibleFilterError("monitoring_edge_alarms: base must be the base layer's outputs (the fact base).")
    settings = _settings(settings)
    observed = _observed(observed)
    alarms = []
    if settings.get("alarms_enabled", True):
        alarms += _cloudfront_alarms(base, settings)
        for arn in observed["protected_arns"]:
            alarms += _ddos_alarms(arn, settings)
    regions = [EDGE_REGION] + ([settings["region"]] if settings["region"] != EDGE_REGION else [])
    by_region = {region: [] for region in regions}
    for alarm in alarms:
        region = alarm["alarm_actions"][0].split(":")[3]
        by_region.setdefault(region, []).append(alarm)
    for alarm in alarms:
        alarm["tags"] = dict(alarm["tags"])  # one dict per alarm, not one shared by the alarms of a resource
    if long_names := too_long_names(alarms):
        raise AnsibleFilterError(
            f"monitoring_edge_alarms: alarm name {long_names[0]!r} is longer than {ALARM_NAME_MAX} characters: "
            "shorten monitoring_environment."
        )
    return [
        {
            "region": region,
            "prefix": settings["alarm_prefix"],
            "topic_arn": topic_arn(settings, region),
            "alarms": sorted(by_region[region], key=lambda a: a["name"]),
        }
        for region in by_region
    ]


def _metric_widget(title, region, stat, metrics, width=12, period=300):
    return {
        "type": "metric",
        "width": width,
        "properties": {"title": title, "region": region, "stat": stat, "period": period, "metrics": metrics},
    }


def monitoring_edge_dashboard(base, settings, observed=None):
    """The edge dashboard ``{name, widgets}`` (CloudFront, the CLOUDFRONT web ACL, Shield), or None when the
    environment has no edge to show. Every widget names its region: us-east-1 for CloudFront, CLOUDFRONT WAF and
    global resources' Shield metrics, the resource's region for the others."""
    if not isinstance(base, dict):
        raise AnsibleFilterError("monitoring_edge_dashboard: base must be the base layer's outputs (the fact base).")
    settings = _settings(settings)
    observed = _observed(observed)
    distribution = (base.get("cloudfront") or {}).get("distribution_id")
    acl = observed["edge_web_acl"]
    protected = observed["protected_arns"]
    if not (distribution or acl or protected):
        return None
    widgets = [
        {
            "type": "text",
            "width": 24,
            "height": 1,
            "properties": {"markdown": f"# {settings['environment']} edge (CloudFront, WAF, Shield; us-east-1)"},
        }
    ]
    if distribution:
        dims = ["DistributionId", distribution, "Region", "Global"]
        widgets += [
            _metric_widget("CloudFront requests", EDGE_REGION, "Sum", [["AWS/CloudFront", "Requests", *dims]], 8),
            _metric_widget(
                "CloudFront error rates (%)",
                EDGE_REGION,
                "Average",
                [["AWS/CloudFront", m, *dims] for m in ("4xxErrorRate", "5xxErrorRate", "TotalErrorRate")],
                8,
            ),
            _metric_widget(
                "CloudFront origin latency p99 (ms)",
                EDGE_REGION,
                "p99",
                [["AWS/CloudFront", "OriginLatency", *dims]],
                8,
            ),
        ]
    if acl:
        # CLOUDFRONT-scope web ACL metrics have no Region dimension.
        dims = ["WebACL", acl, "Rule", "ALL"]
        widgets.append(
            _metric_widget(
                f"Edge WAF {acl}: allowed vs blocked",
                EDGE_REGION,
                "Sum",
                [["AWS/WAFV2", "AllowedRequests", *dims], ["AWS/WAFV2", "BlockedRequests", *dims]],
            )
        )
    by_region = {}
    for arn in protected:
        if classify_resource_arn(arn)[0] is not None:
            by_region.setdefault(metric_region(arn, settings["region"]), []).append(arn)
    for region in sorted(by_region, key=lambda r: (r != EDGE_REGION, r)):
        arns = by_region[region]
        widgets.append(
            _metric_widget(
                f"Shield DDoSDetected ({region})",
                region,
                "Maximum",
                [["AWS/DDoSProtection", "DDoSDetected", "ResourceArn", arn] for arn in arns],
                period=60,
            )
        )
        volume = [
            ["AWS/DDoSProtection", VOLUME_METRIC_NAMES[v], "ResourceArn", arn]
            for arn in arns
            for v in VOLUME_METRICS[classify_resource_arn(arn)[0]]
        ]
        widgets.append(_metric_widget(f"Shield attack volume ({region})", region, "Maximum", volume, period=60))
    return {"name": settings["dashboard_name"], "widgets": widgets}


class FilterModule:
    def filters(self):
        return {
            "monitoring_edge_alarms": monitoring_edge_alarms,
            "monitoring_edge_dashboard": monitoring_edge_dashboard,
        }
