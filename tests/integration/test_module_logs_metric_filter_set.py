"""logs_metric_filter_set against a local cloud of this file's own, through ansible-playbook: bad input refused before
any call, check mode that calls nothing mutating, create, an identical re-run with the one read, a changed pattern
and an undeclared filter seen by a check with their diff and then repaired, a filter outside the prefix never
touched, absent."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, refused_before_any_call, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/logs_metric_filter_set/metric_filter_set.yml"
GROUP = "/aws/cloudtrail/mfint"
# Not "test": the local credentials are "test" and Ansible masks that string in every result.
PREFIX = "mfint-cis-"
OUTSIDE = "mfint-other"
PATTERNS = {
    "root-account-usage": '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }',
    "console-authentication-failures": '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    "vpc-changes": "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) }",
}


def declared(name):
    return {
        "name": PREFIX + name,
        "filter_pattern": PATTERNS[name],
        "metric_transformation": {"metric_name": name, "metric_namespace": "CISBenchmark/mfint", "metric_value": "1"},
    }


def run(cloud, work_dir, filters, *flags, **extra):
    variables = {"mf_test_group": GROUP, "mf_test_prefix": PREFIX, "mf_test_filters": filters}
    return run_target(cloud, work_dir, TARGET, variables | {f"mf_test_{k}": v for k, v in extra.items()}, *flags)


def filters(cloud):
    found = cloud.client("logs").describe_metric_filters(logGroupName=GROUP)["metricFilters"]
    return {f["filterName"]: f["filterPattern"] for f in found}


@pytest.fixture(scope="module")
def group(module_cloud):
    logs = module_cloud.client("logs")
    logs.create_log_group(logGroupName=GROUP)
    logs.put_metric_filter(
        logGroupName=GROUP,
        filterName=OUTSIDE,
        filterPattern="{ $.x = 1 }",
        metricTransformations=[{"metricName": "x", "metricNamespace": "Other", "metricValue": "1"}],
    )
    return GROUP


def test_bad_input_fails_before_any_call(module_cloud, tmp_path, group):
    bad = declared("vpc-changes")
    bad["metric_transformation"] = bad["metric_transformation"] | {"unit": "Percentage"}
    played, result, calls = run(module_cloud, tmp_path, [declared("root-account-usage"), bad])
    refused_before_any_call(
        played, result, calls, "metric_filters[1].metric_transformation.unit 'Percentage' is not a value AWS accepts"
    )


def test_lifecycle(module_cloud, tmp_path, group):
    names = list(PATTERNS)
    every = [declared(name) for name in names]
    played, result, calls = run(module_cloud, tmp_path, every, "--check")
    ok(played)
    assert (result["changed"], mutating(calls), filters(module_cloud)) == (True, [], {OUTSIDE: "{ $.x = 1 }"})

    played, result, calls = run(module_cloud, tmp_path, every)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["logs:PutMetricFilter"] * len(names))
    assert filters(module_cloud) == {PREFIX + n: p for n, p in PATTERNS.items()} | {OUTSIDE: "{ $.x = 1 }"}

    played, result, calls = run(module_cloud, tmp_path, every)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
    assert [f"{c.service}:{c.operation}" for c in calls] == ["logs:DescribeMetricFilters"]

    # Out of band: one pattern changed. Declared without vpc-changes (a control disabled): a check reports the
    # update and the purge with their diff and changes nothing.
    module_cloud.client("logs").put_metric_filter(
        logGroupName=GROUP,
        filterName=PREFIX + "root-account-usage",
        filterPattern="{ $.y = 2 }",
        metricTransformations=[
            {"metricName": "root-account-usage", "metricNamespace": "CISBenchmark/mfint", "metricValue": "1"}
        ],
    )
    fewer = every[:2]
    played, result, calls = run(module_cloud, tmp_path, fewer, "--check", "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    assert (result["updated"], result["deleted"]) == ([PREFIX + "root-account-usage"], [PREFIX + "vpc-changes"])
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before[PREFIX + "root-account-usage"]["filter_pattern"] == "{ $.y = 2 }"
    assert after[PREFIX + "root-account-usage"]["filter_pattern"] == PATTERNS["root-account-usage"]
    assert PREFIX + "vpc-changes" in before and PREFIX + "vpc-changes" not in after
    assert filters(module_cloud)[PREFIX + "root-account-usage"] == "{ $.y = 2 }"

    played, result, calls = run(module_cloud, tmp_path, fewer)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["logs:PutMetricFilter", "logs:DeleteMetricFilter"])
    assert filters(module_cloud) == {PREFIX + n: PATTERNS[n] for n in names[:2]} | {OUTSIDE: "{ $.x = 1 }"}

    played, result, calls = run(module_cloud, tmp_path, [], state="absent")
    ok(played)
    assert (result["changed"], sorted(mutating(calls))) == (True, ["logs:DeleteMetricFilter"] * 2)
    assert filters(module_cloud) == {OUTSIDE: "{ $.x = 1 }"}
