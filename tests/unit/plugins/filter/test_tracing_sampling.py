"""plugins/filter/tracing_sampling.py: the tracing role's X-Ray sampling rules and groups from the base layer's
services and the role's settings, with no cloud: names within X-Ray's 32 characters and stable, priorities unique,
fixed rates within 0..1, Insights notifications only with Insights, and what switching a service off removes."""

from __future__ import annotations

import hashlib
import random
import string

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.securecloud.monitor.plugins.filter import tracing_sampling as tracing

# X-Ray: rule and group names 1-32 characters, rule priorities 1-9999, fixed rate 0-1.
XRAY_NAME_MAX = 32


def settings(**overrides):
    return {
        "environment": "dev",
        "fixed_rate": 0.05,
        "reservoir_size": 1,
        "priority_start": 1000,
        "insights_enabled": True,
        "insights_notifications_enabled": False,
        "faults_group_name": "dev-faults",
        "faults_filter_expression": "fault = true OR error = true",
        "service_overrides": {},
        "tags": {"team": "ops"},
    } | overrides


def base(*names, untraced=("database",)):
    services = {name: {"service_name": name, "tracing": True} for name in names}
    services.update({name: {"service_name": name, "tracing": False} for name in untraced})
    return {"services": services}


def random_services(seed, count):
    rng = random.Random(seed)
    alphabet = string.ascii_lowercase + string.digits + "-"
    return sorted({"".join(rng.choice(alphabet) for _char in range(rng.randint(1, 60))) for _name in range(count)})


def desired(base_=None, **overrides):
    return tracing.tracing_sampling(base_ if base_ is not None else base("api", "web"), settings(**overrides))


@pytest.mark.parametrize("seed", range(8))
def test_priorities_are_unique_and_follow_the_start(seed):
    names = random_services(seed, 12)
    rules = desired(base(*names), priority_start=42)["rules"]
    priorities = [rule["priority"] for rule in rules]
    assert priorities == list(range(42, 42 + len(names)))


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("environment", ["a", "dev", "production-eu-west-1x"])
def test_names_fit_xray_and_stay_distinct(seed, environment):
    names = random_services(seed, 15)
    state = desired(base(*names), environment=environment, faults_group_name=f"{environment}-faults")
    rule_names = [rule["name"] for rule in state["rules"]]
    assert all(1 <= len(name) <= XRAY_NAME_MAX for name in rule_names)
    assert all(name.startswith(f"{environment}-") for name in rule_names)
    assert len(set(rule_names)) == len(names)


def test_a_short_name_is_the_environment_and_the_service():
    assert [rule["name"] for rule in desired()["rules"]] == ["dev-api", "dev-web"]


def test_a_long_name_is_cut_and_ends_in_the_hash_of_the_service():
    service = "reporting-worker-service-with-a-long-name"
    (rule,) = desired(base(service), environment="molecule")["rules"]
    digest = hashlib.sha1(service.encode()).hexdigest()[:6]
    assert len(rule["name"]) == XRAY_NAME_MAX
    assert rule["name"] == f"molecule-{service[: XRAY_NAME_MAX - len('molecule-') - 7]}-{digest}"


def test_names_are_the_same_from_run_to_run():
    names = random_services(99, 10)
    assert desired(base(*names)) == desired(base(*names))


def test_rule_and_group_of_a_service_share_the_name():
    state = desired(base(*random_services(3, 6)))
    assert [r["name"] for r in state["rules"]] == [g["name"] for g in state["groups"][:-1]]


@pytest.mark.parametrize("rate", [0, 0.05, "0.5", 1, "1.0"])
def test_fixed_rates_are_numbers_within_zero_and_one(rate):
    overrides = {"api": {"fixed_rate": rate}}
    rules = desired(fixed_rate="0.25", service_overrides=overrides)["rules"]
    assert all(isinstance(rule["fixed_rate"], float) and 0 <= rule["fixed_rate"] <= 1 for rule in rules)
    assert [rule["fixed_rate"] for rule in rules] == [float(rate), 0.25]


def test_overrides_change_only_their_service():
    overrides = {"api": {"reservoir_size": "5", "insights_enabled": False}}
    state = desired(service_overrides=overrides, reservoir_size=2)
    assert [rule["reservoir_size"] for rule in state["rules"]] == [5, 2]
    assert [group["insights_enabled"] for group in state["groups"]] == [False, True, True]


@pytest.mark.parametrize("off", ["api", "web"])
def test_a_service_switched_off_removes_exactly_its_rule_and_group(off):
    every = desired()
    fewer = desired(service_overrides={off: {"enabled": False}})
    removed = {rule["name"] for rule in every["rules"]} - {rule["name"] for rule in fewer["rules"]}
    assert removed == {f"dev-{off}"}
    assert {g["name"] for g in every["groups"]} - {g["name"] for g in fewer["groups"]} == {f"dev-{off}"}
    assert fewer["services"] == sorted({"api", "web"} - {off})


def test_services_without_tracing_get_nothing():
    services = {"on": {"tracing": True}, "off": {"tracing": False}, "unknown": {}}
    state = desired({"services": services})
    assert state["services"] == ["on"] and [rule["service_name"] for rule in state["rules"]] == ["on"]


def test_no_base_layer_leaves_only_the_faults_group():
    state = desired({})
    assert state["rules"] == [] and [group["name"] for group in state["groups"]] == ["dev-faults"]


def test_the_group_selects_the_service_name_the_app_reports():
    services = {"app": {"service_name": "app-ecs", "tracing": True}}
    (rule,) = desired({"services": services})["rules"]
    assert rule["service_name"] == "app-ecs" and rule["name"] == "dev-app"
    assert desired({"services": services})["groups"][0]["filter_expression"] == 'service("app-ecs")'


@pytest.mark.parametrize(
    ("insights", "notifications", "expected"),
    [(True, True, True), (True, False, False), (False, True, False), ("no", "yes", False), ("yes", "yes", True)],
)
def test_notifications_need_insights(insights, notifications, expected):
    groups = desired(insights_enabled=insights, insights_notifications_enabled=notifications)["groups"]
    assert all(group["notifications_enabled"] is expected for group in groups)


def test_the_faults_group_comes_last_with_its_expression():
    faults = desired(faults_group_name="dev-errors", faults_filter_expression="error = true")["groups"][-1]
    assert (faults["name"], faults["filter_expression"]) == ("dev-errors", "error = true")


def test_every_rule_and_group_is_tagged_with_the_environment():
    state = desired()
    for item in state["rules"] + state["groups"]:
        assert item["tags"] == {"team": "ops", "securecloud:environment": "dev"}


@pytest.mark.parametrize("bad", [None, "dev", {"environment": ""}, {"environment": "dev"}])
def test_bad_settings_name_what_is_wrong(bad):
    with pytest.raises(AnsibleFilterError, match="tracing_sampling: settings"):
        tracing.tracing_sampling(base("api"), bad)
