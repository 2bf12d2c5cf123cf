"""plugins/filter/audit_trail_cis_alarms.py: the audit_trail role's CIS metric filters and alarms from the role's
controls (roles/audit_trail/vars/main.yml) and settings, with no cloud: the 15 CIS AWS Foundations monitoring
controls each with its filter and alarm, names and metrics unique, the namespace and actions the settings give,
and what disabling a control or the whole set removes."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError
from ansible_collections.securecloud.monitor.plugins.filter import audit_trail_cis_alarms as cis

from tools.harness.playbook import REPO

CONTROLS = yaml.safe_load((REPO / "roles/audit_trail/vars/main.yml").read_text(encoding="utf-8"))[
    "__audit_trail_cis_controls"
]
TOPIC = "arn:aws:sns:eu-west-1:123456789012:dev-alerts"
TEMPLATE = "https://example.org/runbooks/{runbook}.md"
# The benchmark's section 4 (v1.4 to v3.0; section 3 before), named as the role names them since 1.0.0.
NAMES = {
    "CIS-4.1": "unauthorized-api-calls",
    "CIS-4.2": "console-signin-without-mfa",
    "CIS-4.3": "root-account-usage",
    "CIS-4.4": "iam-policy-changes",
    "CIS-4.5": "cloudtrail-config-changes",
    "CIS-4.6": "console-authentication-failures",
    "CIS-4.7": "cmk-disabled-or-scheduled-deletion",
    "CIS-4.8": "s3-bucket-policy-changes",
    "CIS-4.9": "aws-config-changes",
    "CIS-4.10": "security-group-changes",
    "CIS-4.11": "nacl-changes",
    "CIS-4.12": "network-gateway-changes",
    "CIS-4.13": "route-table-changes",
    "CIS-4.14": "vpc-changes",
    "CIS-4.15": "organizations-changes",
}
# CloudWatch alarm names: 1-255 characters; metric filter names: 1-512.
ALARM_NAME_MAX = 255


def settings(**overrides):
    return {
        "environment": "dev",
        "enabled": True,
        "disabled": [],
        "overrides": {},
        "alarm_prefix": "dev-cis-",
        "trail_name": "dev-audit",
        "metric_namespace": "CISBenchmark/dev",
        "threshold": 1,
        "period": 300,
        "evaluation_periods": 1,
        "runbook_url_template": TEMPLATE,
        "alarm_actions": [TOPIC],
        "tags": {"owner": "sec"},
    } | overrides


def desired(**overrides):
    return cis.audit_trail_cis_alarms(CONTROLS, settings(**overrides))


def test_the_fifteen_controls_each_have_a_filter_and_an_alarm_named_as_before():
    state = desired()
    expected = [f"dev-cis-{name}" for name in NAMES.values()]
    assert [f["name"] for f in state["metric_filters"]] == expected
    assert [a["name"] for a in state["alarms"]] == expected


def test_filters_are_in_the_options_of_logs_metric_filter_set():
    # The role passes them as they are: any other key would fail the module's argument spec.
    for metric_filter in desired()["metric_filters"]:
        assert set(metric_filter) == {"name", "filter_pattern", "metric_transformation"}


def test_each_alarm_watches_the_metric_of_its_filter_in_the_namespace():
    state = desired(metric_namespace="Custom/NS")
    for metric_filter, alarm in zip(state["metric_filters"], state["alarms"], strict=True):
        transformation = metric_filter["metric_transformation"]
        assert transformation == {
            "metric_name": alarm["metric_name"],
            "metric_namespace": "Custom/NS",
            "metric_value": "1",
        }
        assert alarm["namespace"] == "Custom/NS"


def test_metric_names_and_filter_names_are_unique():
    state = desired()
    metrics = [f["metric_transformation"]["metric_name"] for f in state["metric_filters"]]
    names = [f["name"] for f in state["metric_filters"]]
    assert len(set(metrics)) == len(metrics) == 15 and len(set(names)) == 15


def test_no_name_starts_with_another():
    # amazon.aws.cloudwatchlogs_log_group_metric_filter finds a filter by prefix (vars/main.yml says why).
    names = [control["name"] for control in CONTROLS]
    assert not [(a, b) for a in names for b in names if a != b and b.startswith(a)]


def test_every_filter_uses_the_benchmark_pattern_of_its_control():
    patterns = {f"dev-cis-{control['name']}": control["pattern"] for control in CONTROLS}
    for metric_filter in desired()["metric_filters"]:
        assert metric_filter["filter_pattern"] == patterns[metric_filter["name"]]
        assert metric_filter["filter_pattern"].startswith("{") and metric_filter["filter_pattern"].endswith("}")


@pytest.mark.parametrize("actions", [[TOPIC], [TOPIC, TOPIC.replace("alerts", "pager")], []])
def test_the_actions_of_every_alarm_are_the_alert_topics(actions):
    assert all(alarm["alarm_actions"] == actions for alarm in desired(alarm_actions=actions)["alarms"])


def test_an_alarm_goes_off_on_the_first_matching_event_and_not_on_missing_data():
    for alarm in desired()["alarms"]:
        assert (alarm["statistic"], alarm["comparison_operator"]) == ("Sum", "GreaterThanOrEqualToThreshold")
        assert (alarm["threshold"], alarm["period"], alarm["evaluation_periods"]) == (1.0, 300, 1)
        assert alarm["treat_missing_data"] == "notBreaching"
        assert 1 <= len(alarm["name"]) <= ALARM_NAME_MAX


@pytest.mark.parametrize("control_id", list(NAMES))
def test_disabling_a_control_removes_exactly_its_filter_and_alarm(control_id):
    every, fewer = desired(), desired(disabled=[control_id])
    gone = f"dev-cis-{NAMES[control_id]}"
    assert {a["name"] for a in every["alarms"]} - {a["name"] for a in fewer["alarms"]} == {gone}
    assert {f["name"] for f in every["metric_filters"]} - {f["name"] for f in fewer["metric_filters"]} == {gone}
    # Undeclared in the scope of the set task (prefix dev-cis-), so its purge deletes the filter.
    assert gone.startswith(settings()["alarm_prefix"])


@pytest.mark.parametrize("enabled", [False, "false", "no"])
def test_the_set_switched_off_declares_no_filter_or_alarm(enabled):
    state = desired(enabled=enabled)
    assert state["alarms"] == [] and state["metric_filters"] == []


def test_an_override_changes_only_its_control():
    overrides = {"CIS-4.3": {"threshold": "0.5", "evaluation_periods": "3"}, "CIS-4.1": {"period": 900}}
    alarms = {a["name"]: a for a in desired(overrides=overrides, period="600")["alarms"]}
    assert (
        alarms["dev-cis-root-account-usage"]["threshold"],
        alarms["dev-cis-root-account-usage"]["evaluation_periods"],
    ) == (0.5, 3)
    assert alarms["dev-cis-unauthorized-api-calls"]["period"] == 900
    untouched = [
        a for name, a in alarms.items() if name not in ("dev-cis-root-account-usage", "dev-cis-unauthorized-api-calls")
    ]
    assert all((a["threshold"], a["period"], a["evaluation_periods"]) == (1.0, 600, 1) for a in untouched)


def test_descriptions_name_the_control_the_trail_and_the_runbook():
    hub = {control["id"]: control["security_hub"] for control in CONTROLS}
    for control_id, alarm in zip(NAMES, desired()["alarms"], strict=True):
        prefix = f"{control_id} / {hub[control_id]}: " if hub[control_id] else f"{control_id}: "
        assert alarm["description"].startswith(prefix)
        assert "(trail dev-audit)." in alarm["description"]
        assert alarm["description"].endswith(f" Runbook: https://example.org/runbooks/cis-{NAMES[control_id]}.md")


def test_every_runbook_page_exists():
    for name in NAMES.values():
        assert (REPO / "docs" / "runbooks" / f"cis-{name}.md").is_file(), name


def test_alarms_are_tagged_with_the_environment():
    assert all(a["tags"] == {"owner": "sec", "securecloud:environment": "dev"} for a in desired()["alarms"])


@pytest.mark.parametrize(
    "bad", [None, [], settings(alarm_prefix=""), settings(runbook_url_template=None), settings(period="often")]
)
def test_bad_settings_name_what_is_wrong(bad):
    with pytest.raises(AnsibleFilterError, match="audit_trail_cis_alarms: settings"):
        cis.audit_trail_cis_alarms(CONTROLS, bad)
