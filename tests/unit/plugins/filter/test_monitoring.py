"""plugins/filter/monitoring.py: the alarms and dashboards of the monitoring role in the environment's region, from
declared inputs only (base, settings, the regional web ACL read), with no cloud. The expectations come from the
role's variables and AWS's rules: every service, database and file system gets its alarms and dashboard, thresholds
and periods are the variables' (in CloudWatch's units), every alarm notifies the alert topic and links its runbook,
names fit CloudWatch's limit, and a feature that is off or absent removes exactly its alarms and widgets."""

from __future__ import annotations

import random
import re

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.securecloud.monitor.plugins.filter import monitoring

from tools.harness.playbook import REPO

ACCOUNT = "123456789012"
REGION = "eu-west-1"
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:dev-alerts"
TEMPLATE = "https://example.org/runbooks/{runbook}.md"
NLB = {"arn_suffix": "net/dev-app/50dc6c", "target_group_arn_suffix": "targetgroup/dev-app/73e2d6"}
BLUE_GREEN = NLB | {"arn_suffix": "net/dev-web/1a2b", "green_target_group_arn_suffix": "targetgroup/dev-web-g/9f8e"}
BASE = {
    "environment": "dev",
    "account_id": ACCOUNT,
    "ecs_cluster_name": "dev",
    "services": {
        "app": {"service_name": "dev-app", "nlb": "app"},
        "web": {"service_name": "dev-web", "nlb": "web"},
        "worker": {"service_name": "dev-worker", "nlb": None},
    },
    "nlbs": {"app": NLB, "web": BLUE_GREEN},
    "api_gateway": {"rest_api_id": "abc123", "stage_name": "v1"},
    "databases": {"orders": {"identifier": "dev-orders"}},
    "file_systems": {"data": {"id": "fs-0abc", "access_points": {"worker": {"id": "fsap-1"}}}},
}
SERVICE_ALARMS = ("cpu-high", "memory-high", "no-running-tasks", "down")
DATABASE_ALARMS = (
    "cpu-high",
    "free-storage-low",
    "freeable-memory-low",
    "connections-high",
    "read-latency-high",
    "write-latency-high",
)


def settings(**overrides):
    """The role's defaults (roles/monitoring/defaults/main.yml), as vars/main.yml passes them."""
    return {
        "region": REGION,
        "account_id": ACCOUNT,
        "alarm_prefix": "dev-mon-",
        "dashboard_prefix": "dev-mon-",
        "topic_name": "dev-alerts",
        "runbook_url_template": TEMPLATE,
        "period": 300,
        "evaluation_periods": 3,
        "cpu_threshold": 80,
        "memory_threshold": 80,
        "api_5xx_rate_threshold": 5,
        "api_latency_p99_ms": 2000,
        "waf_blocked_threshold": 1000,
        "db_cpu_threshold": 80,
        "db_free_storage_gib": 2,
        "db_freeable_memory_mib": 64,
        "db_connections_threshold": 80,
        "db_latency_ms": 50,
        "efs_throughput_utilization_threshold": 80,
        "alarms_enabled": True,
        "dashboards_enabled": True,
        "tags": {"team": "sec", "securecloud:environment": "dev"},
    } | overrides


OBSERVED = {"web_acl": "dev-edge"}


DEFAULT = object()  # BASE and OBSERVED (not a mutable default: pylint's dangerous-default-value)


def alarms(base=DEFAULT, observed=DEFAULT, **overrides):
    base, observed = BASE if base is DEFAULT else base, OBSERVED if observed is DEFAULT else observed
    return {a["name"]: a for a in monitoring.monitoring_alarms(base, settings(**overrides), observed)}


def dashboards(base=DEFAULT, observed=DEFAULT, **overrides):
    base, observed = BASE if base is DEFAULT else base, OBSERVED if observed is DEFAULT else observed
    return {d["name"]: d["widgets"] for d in monitoring.monitoring_dashboards(base, settings(**overrides), observed)}


def without(base, key):
    return {k: v for k, v in base.items() if k != key}


def random_base(seed):
    """A base layer's outputs: 0-5 services (each behind no NLB, one NLB, or a blue/green one), 0-3 databases,
    with or without an API and a file system that some services keep data on."""
    rng = random.Random(seed)
    services, nlbs = {}, {}
    for i in range(rng.randint(0, 5)):
        name = rng.choice(["api", "web", "worker", "billing", "search", "queue"]) + str(i)
        kind = rng.choice(["none", "nlb", "blue_green"])
        if kind != "none":
            nlbs[name] = {"arn_suffix": f"net/{name}/{i}", "target_group_arn_suffix": f"targetgroup/{name}/{i}"}
            if kind == "blue_green":
                nlbs[name]["green_target_group_arn_suffix"] = f"targetgroup/{name}-g/{i}"
        services[name] = {"service_name": f"env-{name}", "nlb": name if kind != "none" else None}
    base = {
        "environment": "env",
        "account_id": ACCOUNT,
        "ecs_cluster_name": "env",
        "services": services,
        "nlbs": nlbs,
        "api_gateway": {"rest_api_id": rng.choice([None, "r1"]), "stage_name": "v1"},
        "databases": {f"db{i}": {"identifier": f"env-db{i}"} for i in range(rng.randint(0, 3))},
    }
    on_efs = [s for s in services if rng.random() < 0.5]
    if on_efs:
        base["file_systems"] = {"data": {"id": f"fs-{seed}", "access_points": {s: {"id": s} for s in on_efs}}}
    return base


SEEDS = range(12)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_service_database_and_file_system_gets_exactly_its_alarms(seed):
    base = random_base(seed)
    web_acl = "env-edge" if seed % 2 else ""
    expected = set()
    for name, service in base["services"].items():
        expected |= {f"dev-mon-{name}-{alarm}" for alarm in SERVICE_ALARMS}
        nlb = base["nlbs"].get(service["nlb"] or "", {})
        expected |= {f"dev-mon-{name}-unhealthy-hosts"} if nlb else set()
        expected |= {f"dev-mon-{name}-unhealthy-hosts-green"} if nlb.get("green_target_group_arn_suffix") else set()
    if base["api_gateway"]["rest_api_id"]:
        expected |= {"dev-mon-api-5xx-rate", "dev-mon-api-latency-p99"}
    if web_acl:
        expected.add("dev-mon-waf-blocked-spike")
    for name in base["databases"]:
        expected |= {f"dev-mon-data-{name}-{alarm}" for alarm in DATABASE_ALARMS}
    if base.get("file_systems"):
        expected.add("dev-mon-data-efs-throughput-high")
    found = monitoring.monitoring_alarms(base, settings(), {"web_acl": web_acl})
    assert [a["name"] for a in found if a["name"] in expected] == [a["name"] for a in found]
    assert sorted(a["name"] for a in found) == sorted(expected)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_service_and_database_gets_its_dashboard_and_the_overview_comes_first(seed):
    base = random_base(seed)
    found = monitoring.monitoring_dashboards(base, settings(), OBSERVED)
    names = [d["name"] for d in found]
    assert names[0] == "dev-mon-overview"
    assert sorted(names[1:]) == sorted(f"dev-mon-{n}" for n in [*base["services"], *base["databases"]])


@pytest.mark.parametrize("seed", SEEDS)
def test_the_overview_shows_the_down_alarm_of_every_service_as_the_alarms_name_it(seed):
    base = random_base(seed)
    down = {a["name"] for a in monitoring.monitoring_alarms(base, settings(), OBSERVED) if "rule" in a}
    overview = dashboards(base)["dev-mon-overview"]
    shown = next(w for w in overview if w["type"] == "alarm")["properties"]["alarms"]
    assert shown == [f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:dev-mon-{s}-down" for s in base["services"]]
    assert {arn.rsplit(":", 1)[1] for arn in shown} == down


def test_every_alarm_notifies_the_alert_topic_on_alarm_and_ok_with_the_tags():
    for alarm in alarms().values():
        assert alarm["alarm_actions"] == [TOPIC] and alarm["ok_actions"] == [TOPIC], alarm["name"]
        assert alarm["tags"] == settings()["tags"], alarm["name"]


def test_the_topic_is_the_one_named_in_the_region_of_the_environment():
    found = alarms(region="ap-south-1", topic_name="ops", account_id="210987654321")
    assert {t for a in found.values() for t in a["alarm_actions"]} == {"arn:aws:sns:ap-south-1:210987654321:ops"}


def test_tags_are_copied_not_shared():
    found = list(alarms().values())
    found[0]["tags"]["changed"] = "yes"
    assert "changed" not in found[1]["tags"] and "changed" not in settings()["tags"]


def test_every_description_ends_with_its_runbook_and_the_page_exists():
    link = re.compile(r" Runbook: https://example\.org/runbooks/(?P<page>[a-z0-9-]+)\.md$")
    pages = set()
    for alarm in alarms().values():
        match = link.search(alarm["description"])
        assert match, alarm["name"]
        pages.add(match["page"])
    assert pages == set(monitoring.RUNBOOK_PAGES)
    assert all((REPO / "docs" / "runbooks" / f"{page}.md").is_file() for page in pages)


@pytest.mark.parametrize(
    ("name", "page"),
    [
        ("dev-mon-app-cpu-high", "cpu-high"),
        ("dev-mon-app-memory-high", "memory-high"),
        ("dev-mon-app-no-running-tasks", "no-running-tasks"),
        ("dev-mon-app-unhealthy-hosts", "unhealthy-hosts"),
        ("dev-mon-web-unhealthy-hosts-green", "unhealthy-hosts-green"),
        ("dev-mon-app-down", "service-down"),
        ("dev-mon-api-5xx-rate", "api-5xx-rate"),
        ("dev-mon-api-latency-p99", "api-latency-p99"),
        ("dev-mon-waf-blocked-spike", "waf-blocked-spike"),
        ("dev-mon-data-orders-free-storage-low", "data-restore"),
        ("dev-mon-data-efs-throughput-high", "data-restore"),
    ],
)
def test_each_alarm_links_the_runbook_of_its_kind(name, page):
    assert alarms()[name]["description"].endswith(f" Runbook: {TEMPLATE.replace('{runbook}', page)}")


@pytest.mark.parametrize(
    ("name", "setting", "value", "threshold", "quoted"),
    [
        ("dev-mon-app-cpu-high", "cpu_threshold", 75.5, 75.5, "75.5%"),
        ("dev-mon-app-memory-high", "memory_threshold", 90, 90.0, "90%"),
        ("dev-mon-api-5xx-rate", "api_5xx_rate_threshold", 2.5, 2.5, "2.5%"),
        ("dev-mon-api-latency-p99", "api_latency_p99_ms", 1500, 1500.0, "1500 ms"),
        ("dev-mon-waf-blocked-spike", "waf_blocked_threshold", 50, 50.0, "50 requests"),
        ("dev-mon-data-orders-cpu-high", "db_cpu_threshold", 70, 70.0, "70%"),
        ("dev-mon-data-orders-free-storage-low", "db_free_storage_gib", 1.5, 1.5 * 2**30, "1.5 GiB"),
        ("dev-mon-data-orders-freeable-memory-low", "db_freeable_memory_mib", 128, 128.0 * 2**20, "128 MiB"),
        ("dev-mon-data-orders-connections-high", "db_connections_threshold", 200, 200.0, "200 connections"),
        ("dev-mon-data-orders-read-latency-high", "db_latency_ms", 20, 0.02, "20 ms"),
        ("dev-mon-data-orders-write-latency-high", "db_latency_ms", 20, 0.02, "20 ms"),
        ("dev-mon-data-efs-throughput-high", "efs_throughput_utilization_threshold", 65, 65.0, "65%"),
    ],
)
def test_thresholds_come_from_the_variables_in_cloudwatch_units_and_the_description_quotes_them(
    name, setting, value, threshold, quoted
):
    alarm = alarms(**{setting: value})[name]
    assert alarm["threshold"] == pytest.approx(threshold) and isinstance(alarm["threshold"], float)
    assert quoted in alarm["description"]


def test_a_threshold_given_as_a_string_is_quoted_as_written_and_compared_as_a_number():
    alarm = alarms(cpu_threshold="85")["dev-mon-app-cpu-high"]
    assert alarm["threshold"] == 85.0 and "above 85%." in alarm["description"]


def test_periods_come_from_the_variables_except_the_waf_spike_which_fires_in_one():
    found = alarms(period="60", evaluation_periods=5)
    metric_alarms = [a for a in found.values() if "rule" not in a]
    assert {a["period"] for a in metric_alarms} == {60}
    assert {a["name"] for a in metric_alarms if a["evaluation_periods"] != 5} == {"dev-mon-waf-blocked-spike"}
    assert found["dev-mon-waf-blocked-spike"]["evaluation_periods"] == 1
    assert all(isinstance(a["period"], int) and isinstance(a["evaluation_periods"], int) for a in metric_alarms)


def test_service_alarms_watch_the_service_in_its_cluster_and_its_own_target_groups():
    found = alarms()
    assert found["dev-mon-worker-cpu-high"]["dimensions"] == {"ClusterName": "dev", "ServiceName": "dev-worker"}
    assert found["dev-mon-web-unhealthy-hosts"]["dimensions"] == {
        "TargetGroup": BLUE_GREEN["target_group_arn_suffix"],
        "LoadBalancer": BLUE_GREEN["arn_suffix"],
    }
    assert found["dev-mon-web-unhealthy-hosts-green"]["dimensions"]["TargetGroup"] == "targetgroup/dev-web-g/9f8e"


def test_no_running_task_breaches_on_missing_data_and_fires_below_one():
    alarm = alarms()["dev-mon-app-no-running-tasks"]
    assert alarm["namespace"] == "ECS/ContainerInsights" and alarm["statistic"] == "Minimum"
    assert (alarm["comparison_operator"], alarm["threshold"], alarm["treat_missing_data"]) == (
        "LessThanThreshold",
        1.0,
        "breaching",
    )


@pytest.mark.parametrize(
    ("service", "watched"),
    [
        ("worker", ["no-running-tasks"]),
        ("app", ["no-running-tasks", "unhealthy-hosts"]),
        ("web", ["no-running-tasks", "unhealthy-hosts", "unhealthy-hosts-green"]),
    ],
)
def test_the_down_composite_watches_the_service_s_task_and_target_alarms(service, watched):
    found = alarms()
    rule = found[f"dev-mon-{service}-down"]["rule"]
    assert rule == " OR ".join(f'ALARM("dev-mon-{service}-{alarm}")' for alarm in watched)
    assert all(f"dev-mon-{service}-{alarm}" in found for alarm in watched)


def test_the_api_alarms_read_the_rest_api_the_base_layer_names_env_edge():
    found = alarms()
    dims = {"ApiName": "dev-edge", "Stage": "v1"}
    assert found["dev-mon-api-latency-p99"]["dimensions"] == dims
    assert found["dev-mon-api-latency-p99"]["extended_statistic"] == "p99"
    metrics = {m["id"]: m for m in found["dev-mon-api-5xx-rate"]["metrics"]}
    assert metrics["rate"]["expression"] == "100 * errors / requests"
    assert metrics["errors"]["metric_stat"]["dimensions"] == dims and metrics["errors"]["return_data"] is False


def test_the_waf_spike_reads_the_regional_web_acl_read_from_the_cloud():
    assert alarms()["dev-mon-waf-blocked-spike"]["dimensions"] == {
        "WebACL": "dev-edge",
        "Rule": "ALL",
        "Region": REGION,
    }


@pytest.mark.parametrize(
    ("change", "removed"),
    [
        ({"base": without(BASE, "api_gateway")}, {"dev-mon-api-5xx-rate", "dev-mon-api-latency-p99"}),
        (
            {"base": BASE | {"api_gateway": {"rest_api_id": None, "stage_name": "v1"}}},
            {"dev-mon-api-5xx-rate", "dev-mon-api-latency-p99"},
        ),
        ({"observed": {"web_acl": ""}}, {"dev-mon-waf-blocked-spike"}),
        ({"observed": None}, {"dev-mon-waf-blocked-spike"}),
        ({"base": without(BASE, "databases")}, {f"dev-mon-data-orders-{a}" for a in DATABASE_ALARMS}),
        ({"base": without(BASE, "file_systems")}, {"dev-mon-data-efs-throughput-high"}),
        (
            {"base": BASE | {"nlbs": {"app": NLB, "web": NLB}}},
            {"dev-mon-web-unhealthy-hosts-green"},
        ),
    ],
)
def test_a_feature_absent_removes_exactly_its_alarms(change, removed):
    assert set(alarms()) - set(alarms(**change)) == removed
    assert set(alarms(**change)) <= set(alarms())


def test_a_service_that_goes_removes_exactly_its_alarms():
    base = BASE | {"services": without(BASE["services"], "app")}
    assert set(alarms()) - set(alarms(base)) == {f"dev-mon-app-{a}" for a in [*SERVICE_ALARMS, "unhealthy-hosts"]}


@pytest.mark.parametrize("enabled", [False, 0, None])
def test_alarms_disabled_gives_no_alarm(enabled):
    assert monitoring.monitoring_alarms(BASE, settings(alarms_enabled=enabled), OBSERVED) == []


def test_names_stay_within_the_cloudwatch_limit_and_a_too_long_one_fails_naming_the_fix():
    longest = max(len(name) for name in alarms()) - len("dev-mon-")
    long_prefix = "e" * (255 - longest - len("-mon-")) + "-mon-"
    found = monitoring.monitoring_alarms(BASE, settings(alarm_prefix=long_prefix), OBSERVED)
    assert max(len(a["name"]) for a in found) == 255
    with pytest.raises(AnsibleFilterError, match="longer than 255 characters: shorten monitoring_environment"):
        monitoring.monitoring_alarms(BASE, settings(alarm_prefix="e" + long_prefix), OBSERVED)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"topic_name": ""}, "settings lack topic_name"),
        ({"account_id": None, "region": ""}, "settings lack region, account_id"),
        ({"period": "five minutes"}, "settings.period must be a number"),
        ({"db_latency_ms": None}, "settings.db_latency_ms must be a number"),
    ],
)
@pytest.mark.parametrize("plugin", [monitoring.monitoring_alarms, monitoring.monitoring_dashboards])
def test_bad_settings_fail_naming_the_key(plugin, overrides, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin(BASE, settings(**overrides), OBSERVED)


@pytest.mark.parametrize("plugin", [monitoring.monitoring_alarms, monitoring.monitoring_dashboards])
def test_base_must_be_a_dict_and_a_service_s_nlb_must_be_known(plugin):
    with pytest.raises(AnsibleFilterError, match="base must be the base layer's outputs"):
        plugin(None, settings(), OBSERVED)
    with pytest.raises(AnsibleFilterError, match=r"service app names NLB 'app', which base\.nlbs lacks"):
        plugin(BASE | {"nlbs": {}}, settings(), OBSERVED)


# Dashboards


def titles(widgets):
    return [w["properties"].get("title") or w["properties"].get("markdown") for w in widgets]


def test_service_dashboards_show_the_service_its_nlb_and_its_data_on_efs():
    found = dashboards()
    ecs = ["ClusterName", "dev", "ServiceName", "dev-app"]
    app = found["dev-mon-app"]
    assert app[1]["properties"]["metrics"] == [
        ["AWS/ECS", "CPUUtilization", *ecs],
        ["AWS/ECS", "MemoryUtilization", *ecs],
    ]
    assert "NLB healthy hosts" in titles(app) and not any("EFS" in t for t in titles(app))
    worker = titles(found["dev-mon-worker"])
    assert "NLB healthy hosts" not in worker and "### Data on EFS fs-0abc (encrypted, TLS and IAM mounts)" in worker


def test_database_dashboards_read_the_instance():
    widgets = dashboards()["dev-mon-orders"]
    metrics = [m for w in widgets if w["type"] == "metric" for m in w["properties"]["metrics"]]
    assert {m[1] for m in metrics} >= {"CPUUtilization", "FreeStorageSpace", "DatabaseConnections", "ReadLatency"}
    assert all(m[0] == "AWS/RDS" and m[2:] == ["DBInstanceIdentifier", "dev-orders"] for m in metrics)


@pytest.mark.parametrize(
    ("change", "removed"),
    [
        ({"base": without(BASE, "api_gateway")}, {"API 4xx and 5xx", "API latency p99 (ms)"}),
        ({"observed": {"web_acl": ""}}, {"WAF allowed vs blocked"}),
        ({"alarms_enabled": False}, {"Services"}),
    ],
)
def test_a_feature_absent_removes_exactly_its_overview_widgets(change, removed):
    before, after = titles(dashboards()["dev-mon-overview"]), titles(dashboards(**change)["dev-mon-overview"])
    assert set(before) - set(after) == removed and set(after) <= set(before)


def test_a_database_or_file_system_that_goes_removes_exactly_its_dashboard_and_widgets():
    assert set(dashboards()) - set(dashboards(without(BASE, "databases"))) == {"dev-mon-orders"}
    worker = dashboards(without(BASE, "file_systems"))["dev-mon-worker"]
    assert worker == dashboards()["dev-mon-worker"][: len(worker)] and not any("EFS" in t for t in titles(worker))


def test_the_waf_widget_reads_the_regional_web_acl_in_the_environment_s_region():
    widget = next(
        w for w in dashboards()["dev-mon-overview"] if w["properties"].get("title") == "WAF allowed vs blocked"
    )
    assert all(
        m[2:] == ["WebACL", "dev-edge", "Rule", "ALL", "Region", REGION] for m in widget["properties"]["metrics"]
    )


@pytest.mark.parametrize("enabled", [False, None])
def test_dashboards_disabled_gives_none(enabled):
    assert monitoring.monitoring_dashboards(BASE, settings(dashboards_enabled=enabled), OBSERVED) == []


@pytest.mark.parametrize("seed", SEEDS)
def test_widgets_fit_the_grid_and_metric_widgets_have_metrics(seed):
    for widgets in dashboards(random_base(seed)).values():
        for widget in widgets:
            assert 1 <= widget["width"] <= 24
            if widget["type"] == "metric":
                assert widget["properties"]["metrics"] and widget["properties"]["title"]
