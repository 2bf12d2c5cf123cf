"""cloudwatch_dashboard_set against a local cloud of this file's own, through ansible-playbook: bad input refused
before any call, check mode that calls nothing mutating, create, an identical re-run with only reads, a body changed
out of band and an undeclared dashboard seen by a check with their diff and then repaired, a dashboard outside the
prefix never touched, absent."""

from __future__ import annotations

import json

import pytest

from tests.integration.module_runs import mutating, ok, refused_before_any_call, run_target
from tools.harness.cloud import REGION

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/cloudwatch_dashboard_set/dashboard_set.yml"
# Not "test": the local credentials are "test" and Ansible masks that string in every result.
PREFIX = "dsint-mon-"
OUTSIDE = "dsint-other"
NAMES = [f"{PREFIX}overview", f"{PREFIX}api", f"{PREFIX}db"]


def widgets(title):
    return [
        {"type": "text", "width": 24, "height": 2, "properties": {"markdown": f"# {title}"}},
        {"type": "metric", "width": 12, "properties": {"metrics": [["AWS/ECS", "CPUUtilization"]], "title": title}},
    ]


def run(cloud, work_dir, dashboards, *flags, **extra):
    variables = {"ds_test_prefix": PREFIX, "ds_test_dashboards": dashboards}
    return run_target(cloud, work_dir, TARGET, variables | {f"ds_test_{k}": v for k, v in extra.items()}, *flags)


def names(cloud):
    entries = cloud.client("cloudwatch").list_dashboards(DashboardNamePrefix="dsint-")["DashboardEntries"]
    return sorted(d["DashboardName"] for d in entries)


def body(cloud, name):
    return json.loads(cloud.client("cloudwatch").get_dashboard(DashboardName=name)["DashboardBody"])


def operations(calls):
    return sorted(f"{c.service}:{c.operation}" for c in calls)


@pytest.fixture(scope="module")
def outside(module_cloud):
    text = json.dumps(
        {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 6, "properties": {"markdown": "x"}}]}
    )
    module_cloud.client("cloudwatch").put_dashboard(DashboardName=OUTSIDE, DashboardBody=text)
    return OUTSIDE


def test_bad_input_fails_before_any_call(module_cloud, tmp_path, outside):
    bad = [{"name": NAMES[0], "widgets": widgets("a")}, {"name": "elsewhere", "widgets": widgets("b")}]
    played, result, calls = run(module_cloud, tmp_path, bad)
    refused_before_any_call(played, result, calls, "dashboards[1].name 'elsewhere' does not start with prefix")


def test_lifecycle(module_cloud, tmp_path, outside):
    every = [{"name": name, "widgets": widgets(name)} for name in NAMES]
    played, result, calls = run(module_cloud, tmp_path, every, "--check")
    ok(played)
    assert (result["changed"], mutating(calls), names(module_cloud)) == (True, [], [OUTSIDE])

    played, result, calls = run(module_cloud, tmp_path, every)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["cloudwatch:PutDashboard"] * len(NAMES))
    assert names(module_cloud) == sorted([*NAMES, OUTSIDE])
    assert all(d["arn"] for d in result["dashboards"])
    metric = body(module_cloud, NAMES[0])["widgets"][1]
    assert (metric["x"], metric["y"], metric["height"], metric["properties"]["region"]) == (0, 2, 6, REGION)

    played, result, calls = run(module_cloud, tmp_path, every)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
    assert operations(calls) == sorted(["cloudwatch:ListDashboards"] + ["cloudwatch:GetDashboard"] * len(NAMES))

    # Out of band: the overview's title changed. Declared without the db dashboard: a check reports the update and
    # the purge with their diff and changes nothing.
    changed = body(module_cloud, NAMES[0])
    changed["widgets"][0]["properties"]["markdown"] = "# edited"
    module_cloud.client("cloudwatch").put_dashboard(DashboardName=NAMES[0], DashboardBody=json.dumps(changed))
    fewer = every[:2]
    played, result, calls = run(module_cloud, tmp_path, fewer, "--check", "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    assert (result["updated"], result["deleted"]) == ([NAMES[0]], [NAMES[2]])
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before[NAMES[0]]["widgets"][0]["properties"]["markdown"] == "# edited"
    assert after[NAMES[0]]["widgets"][0]["properties"]["markdown"] == f"# {NAMES[0]}"
    assert NAMES[2] in before and NAMES[2] not in after

    played, result, calls = run(module_cloud, tmp_path, fewer)
    ok(played)
    assert (result["changed"], sorted(mutating(calls))) == (
        True,
        ["cloudwatch:DeleteDashboards", "cloudwatch:PutDashboard"],
    )
    assert names(module_cloud) == sorted([*NAMES[:2], OUTSIDE])

    played, result, calls = run(module_cloud, tmp_path, [], state="absent")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["cloudwatch:DeleteDashboards"])
    assert names(module_cloud) == [OUTSIDE]
