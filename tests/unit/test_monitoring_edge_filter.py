"""plugins/filter/monitoring_edge.py: the edge alarms and dashboard of the monitoring role, from declared inputs
only (base, settings, what the role read), with no cloud: regions (us-east-1 for CloudFront and global resources'
Shield metrics, the resource's region otherwise), metrics per resource type, names within AWS limits, runbooks, and
what a disabled or absent feature removes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.securecloud.monitor.plugins.filter import monitoring_edge as edge

from tools.harness.playbook import ansible_doc

ACCOUNT = "123456789012"
DIST = f"arn:aws:cloudfront::{ACCOUNT}:distribution/E1ABCDEF"
ZONE = "arn:aws:route53:::hostedzone/Z0123456789"
EIP = f"arn:aws:ec2:eu-west-1:{ACCOUNT}:eip-allocation/eipalloc-0123456789abcdef0"
ALB = f"arn:aws:elasticloadbalancing:eu-west-1:{ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188"
CLB = f"arn:aws:elasticloadbalancing:eu-central-1:{ACCOUNT}:loadbalancer/legacy"
BASE = {"environment": "dev", "cloudfront": {"distribution_id": "E1ABCDEF", "distribution_arn": DIST}}
TEMPLATE = "https://example.org/runbooks/{runbook}.md"


def settings(**overrides):
    return {
        "environment": "dev",
        "region": "eu-west-1",
        "account_id": ACCOUNT,
        "alarm_prefix": "dev-edge-mon-",
        "dashboard_name": "dev-mon-edge",
        "topic_name": "dev-alerts",
        "runbook_url_template": TEMPLATE,
        "period": 300,
        "evaluation_periods": 3,
        "cloudfront_5xx_rate_threshold": 5,
        "cloudfront_origin_latency_p99_ms": 3000,
        "ddos_requests_per_second_threshold": 1000,
        "ddos_bits_per_second_threshold": 1e9,
        "ddos_packets_per_second_threshold": 100000,
        "alarms_enabled": True,
        "tags": {"team": "sec"},
    } | overrides


def observed(*arns, acl="dev-edge-cloudfront"):
    return {"protected_arns": list(arns), "edge_web_acl": acl}


def alarm_sets(base=BASE, observed_=None, **overrides):
    return edge.monitoring_edge_alarms(base, settings(**overrides), observed_ or observed(DIST, ZONE))


def by_name(sets):
    return {a["name"]: (s["region"], a) for s in sets for a in s["alarms"]}


# ---------------------------------------------------------------- alarms: what and where


def test_the_edge_of_an_environment_in_another_region_alarms_in_us_east_1():
    sets = alarm_sets()
    assert [s["region"] for s in sets] == ["us-east-1", "eu-west-1"]
    assert sets[1]["alarms"] == []  # nothing regional: the set is there so purge sweeps the region
    assert sorted(by_name(sets)) == [
        "dev-edge-mon-cloudfront-5xx-rate",
        "dev-edge-mon-cloudfront-origin-latency",
        "dev-edge-mon-ddos-distribution-E1ABCDEF",
        "dev-edge-mon-ddos-distribution-E1ABCDEF-bits",
        "dev-edge-mon-ddos-distribution-E1ABCDEF-packets",
        "dev-edge-mon-ddos-distribution-E1ABCDEF-requests",
        "dev-edge-mon-ddos-hostedzone-Z0123456789",
        "dev-edge-mon-ddos-hostedzone-Z0123456789-bits",
        "dev-edge-mon-ddos-hostedzone-Z0123456789-packets",
    ]
    assert {region for region, _ in by_name(sets).values()} == {"us-east-1"}


def test_every_alarm_notifies_the_topic_of_its_own_region():
    sets = alarm_sets(observed_=observed(DIST, EIP, CLB))
    for alarm_set in sets:
        topic = f"arn:aws:sns:{alarm_set['region']}:{ACCOUNT}:dev-alerts"
        assert alarm_set["topic_arn"] == topic
        for alarm in alarm_set["alarms"]:
            assert alarm["alarm_actions"] == [topic] and alarm["ok_actions"] == [topic]


def test_regional_resources_alarm_in_their_own_region():
    sets = alarm_sets(observed_=observed(EIP, CLB))
    names = by_name(sets)
    assert names[f"dev-edge-mon-ddos-{edge.resource_label(EIP)}"][0] == "eu-west-1"
    assert names["dev-edge-mon-ddos-loadbalancer-legacy"][0] == "eu-central-1"
    assert [s["region"] for s in sets] == ["us-east-1", "eu-west-1", "eu-central-1"]


def test_in_us_east_1_there_is_one_set():
    sets = alarm_sets(region="us-east-1")
    assert [s["region"] for s in sets] == ["us-east-1"]


@pytest.mark.parametrize(
    "arn, volumes",
    [
        (DIST, ["bits", "packets", "requests"]),
        (ALB, ["bits", "packets", "requests"]),
        (ZONE, ["bits", "packets"]),
        (EIP, ["bits", "packets"]),
        (CLB, ["bits", "packets"]),
        (f"arn:aws:globalaccelerator::{ACCOUNT}:accelerator/1234abcd-abcd-1234-abcd-1234abcdefgh", ["bits", "packets"]),
    ],
)
def test_attack_volume_metrics_follow_the_resource_type(arn, volumes):
    alarms = [a for s in alarm_sets(BASE | {"cloudfront": None}, observed(arn)) for a in s["alarms"]]
    metrics = sorted(a["metric_name"] for a in alarms)
    expected = sorted(["DDoSDetected"] + [edge.VOLUME_METRIC_NAMES[v] for v in volumes])
    assert metrics == expected
    for alarm in alarms:
        assert alarm["namespace"] == "AWS/DDoSProtection" and alarm["dimensions"] == {"ResourceArn": arn}


def test_ddos_detected_fires_on_any_detection_and_volume_on_its_threshold():
    names = by_name(alarm_sets())
    detected = names["dev-edge-mon-ddos-distribution-E1ABCDEF"][1]
    assert (detected["comparison_operator"], detected["threshold"], detected["statistic"]) == (
        "GreaterThanOrEqualToThreshold",
        1.0,
        "Maximum",
    )
    assert detected["treat_missing_data"] == "notBreaching" and detected["period"] == 60
    requests = names["dev-edge-mon-ddos-distribution-E1ABCDEF-requests"][1]
    assert requests["threshold"] == 1000.0 and requests["comparison_operator"] == "GreaterThanThreshold"
    assert names["dev-edge-mon-ddos-hostedzone-Z0123456789-bits"][1]["threshold"] == 1e9


def test_cloudfront_alarms_read_the_distribution_in_the_global_region_dimension():
    names = by_name(alarm_sets())
    rate = names["dev-edge-mon-cloudfront-5xx-rate"][1]
    assert rate["namespace"] == "AWS/CloudFront" and rate["metric_name"] == "5xxErrorRate"
    assert rate["dimensions"] == {"DistributionId": "E1ABCDEF", "Region": "Global"}
    assert rate["threshold"] == 5.0 and rate["statistic"] == "Average"
    latency = names["dev-edge-mon-cloudfront-origin-latency"][1]
    assert latency["metric_name"] == "OriginLatency" and latency["extended_statistic"] == "p99"
    assert "statistic" not in latency and latency["threshold"] == 3000.0
    assert rate["period"] == 300 and rate["evaluation_periods"] == 3


def test_every_description_ends_with_its_runbook_and_the_page_exists():
    runbooks = Path(__file__).resolve().parents[2] / "docs" / "runbooks"
    sets = alarm_sets(observed_=observed(DIST, ZONE, EIP))
    for alarm_set in sets:
        for alarm in alarm_set["alarms"]:
            match = re.search(r" Runbook: https://example\.org/runbooks/([a-z0-9-]+)\.md$", alarm["description"])
            assert match, alarm["name"]
            assert match.group(1) in edge.RUNBOOK_PAGES, f"{match.group(1)} is not in RUNBOOK_PAGES"
            assert (runbooks / f"{match.group(1)}.md").is_file(), f"no runbook page {match.group(1)}"


def test_tags_are_copied_not_shared():
    sets = alarm_sets()
    alarms = [a for s in sets for a in s["alarms"]]
    alarms[0]["tags"]["x"] = "y"
    assert "x" not in alarms[1]["tags"]


# ---------------------------------------------------------------- alarms: what removes what


def test_no_distribution_removes_exactly_the_cloudfront_alarms():
    with_cf = set(by_name(alarm_sets()))
    without = set(by_name(alarm_sets(BASE | {"cloudfront": None})))
    assert with_cf - without == {"dev-edge-mon-cloudfront-5xx-rate", "dev-edge-mon-cloudfront-origin-latency"}


def test_an_unprotected_resource_gets_no_ddos_alarm():
    names = by_name(alarm_sets(observed_=observed(DIST)))
    assert not [n for n in names if "hostedzone" in n]


def test_alarms_disabled_gives_empty_sets_in_every_region_swept():
    sets = alarm_sets(alarms_enabled=False)
    assert [(s["region"], s["alarms"]) for s in sets] == [("us-east-1", []), ("eu-west-1", [])]


def test_an_arn_shield_cannot_protect_is_ignored():
    stage = "arn:aws:apigateway:eu-west-1::/restapis/abc/stages/v1"
    assert by_name(alarm_sets(BASE | {"cloudfront": None}, observed(stage))) == {}


def test_duplicate_protections_give_one_set_of_alarms():
    assert len(by_name(alarm_sets(observed_=observed(ZONE, ZONE)))) == len(
        by_name(alarm_sets(observed_=observed(ZONE)))
    )


# ---------------------------------------------------------------- alarms: limits and bad input


def test_names_stay_within_the_cloudwatch_limit_and_a_too_long_one_fails_naming_the_fix():
    for name in by_name(alarm_sets()):
        assert len(name) <= edge.ALARM_NAME_MAX
    with pytest.raises(AnsibleFilterError, match="longer than 255 characters: shorten monitoring_environment"):
        alarm_sets(alarm_prefix="x" * 250)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"account_id": ""}, "settings lack account_id"),
        ({"runbook_url_template": None}, "settings lack runbook_url_template"),
        ({"cloudfront_5xx_rate_threshold": "five"}, "settings.cloudfront_5xx_rate_threshold must be a number"),
        ({"ddos_bits_per_second_threshold": None}, "settings.ddos_bits_per_second_threshold must be a number"),
    ],
)
def test_bad_settings_fail_naming_the_key(overrides, message):
    with pytest.raises(AnsibleFilterError, match=re.escape(message)):
        alarm_sets(**overrides)


def test_base_must_be_a_dict():
    with pytest.raises(AnsibleFilterError, match="base must be the base layer's outputs"):
        edge.monitoring_edge_alarms(None, settings())
    with pytest.raises(AnsibleFilterError, match="base must be the base layer's outputs"):
        edge.monitoring_edge_dashboard([], settings())


# ---------------------------------------------------------------- dashboard


def dashboard(base=BASE, observed_=None, **overrides):
    return edge.monitoring_edge_dashboard(base, settings(**overrides), observed_ or observed(DIST, ZONE, EIP))


def test_dashboard_widgets_all_name_their_region_and_cloudfront_waf_is_us_east_1():
    board = dashboard()
    assert board["name"] == "dev-mon-edge"
    metric_widgets = [w for w in board["widgets"] if w["type"] == "metric"]
    assert all(w["properties"]["region"] for w in metric_widgets)
    titles = {w["properties"]["title"]: w["properties"]["region"] for w in metric_widgets}
    assert titles == {
        "CloudFront requests": "us-east-1",
        "CloudFront error rates (%)": "us-east-1",
        "CloudFront origin latency p99 (ms)": "us-east-1",
        "Edge WAF dev-edge-cloudfront: allowed vs blocked": "us-east-1",
        "Shield DDoSDetected (us-east-1)": "us-east-1",
        "Shield attack volume (us-east-1)": "us-east-1",
        "Shield DDoSDetected (eu-west-1)": "eu-west-1",
        "Shield attack volume (eu-west-1)": "eu-west-1",
    }


def test_dashboard_metrics_name_the_right_dimensions():
    widgets = {w["properties"]["title"]: w["properties"] for w in dashboard()["widgets"] if w["type"] == "metric"}
    waf = widgets["Edge WAF dev-edge-cloudfront: allowed vs blocked"]["metrics"]
    # CLOUDFRONT-scope web ACL metrics carry no Region dimension.
    assert waf == [
        ["AWS/WAFV2", "AllowedRequests", "WebACL", "dev-edge-cloudfront", "Rule", "ALL"],
        ["AWS/WAFV2", "BlockedRequests", "WebACL", "dev-edge-cloudfront", "Rule", "ALL"],
    ]
    errors = widgets["CloudFront error rates (%)"]["metrics"]
    assert [m[1] for m in errors] == ["4xxErrorRate", "5xxErrorRate", "TotalErrorRate"]
    assert all(m[2:] == ["DistributionId", "E1ABCDEF", "Region", "Global"] for m in errors)
    global_ddos = widgets["Shield DDoSDetected (us-east-1)"]["metrics"]
    assert global_ddos == [["AWS/DDoSProtection", "DDoSDetected", "ResourceArn", a] for a in sorted([DIST, ZONE])]
    volume = widgets["Shield attack volume (eu-west-1)"]["metrics"]
    assert [m[1] for m in volume] == ["DDoSAttackBitsPerSecond", "DDoSAttackPacketsPerSecond"]


def test_dashboard_without_any_edge_is_none_and_parts_drop_out():
    assert dashboard(BASE | {"cloudfront": None}, observed(acl="")) is None
    only_acl = dashboard(BASE | {"cloudfront": None}, observed())
    titles = [w["properties"].get("title") for w in only_acl["widgets"] if w["type"] == "metric"]
    assert titles == ["Edge WAF dev-edge-cloudfront: allowed vs blocked"]


def test_dashboard_does_not_depend_on_alarms_being_enabled():
    assert dashboard(alarms_enabled=False) == dashboard()


@pytest.mark.parametrize("name", ["monitoring_edge_alarms", "monitoring_edge_dashboard"])
def test_ansible_doc_renders_the_filter(name):
    entry, warnings = ansible_doc(name, "filter")
    assert entry and "WARNING" not in warnings, warnings
    assert entry["doc"]["description"] and set(entry["doc"]["options"]) == {"_input", "settings", "observed"}
    assert entry["examples"].strip() and entry["return"]
