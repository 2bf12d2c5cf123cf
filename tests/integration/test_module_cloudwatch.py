"""cloudwatch_alarm_set and cloudwatch_dashboard against a local cloud of this file's own, through
ansible-playbook.

For each module: check mode (changes nothing, no mutating call), create, an identical re-run (changed false, no
mutating call), an update (changed, with the right diff), purge, absent. The emulator's request recorder counts
the calls; boto3 reads the real state. The tests run in order and share the cloud. Composite alarms need
PutCompositeAlarm in the local cloud; those tests are skipped where it is missing.
"""

from __future__ import annotations

import copy
import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.integration.module_runs import mutating, ok, run_target
from tools.harness.cloud import ACCOUNT_ID, REGION

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/cloudwatch"
# Not "test": the local credentials are "test" and Ansible masks that string in every result.
PREFIX = "cwint-"
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:cwint-oncall"
LB = "app/web/50dc6c495c0c9188"

ALARMS = [
    {
        "name": "cwint-5xx",
        "description": "5xx from the targets",
        "namespace": "AWS/ApplicationELB",
        "metric_name": "HTTPCode_Target_5XX_Count",
        "dimensions": {"LoadBalancer": LB, "TargetGroup": "targetgroup/web/1"},
        "statistic": "Sum",
        "period": 60,
        "evaluation_periods": 5,
        "datapoints_to_alarm": 3,
        "comparison_operator": "GreaterThanThreshold",
        "threshold": 10,
        "treat_missing_data": "notBreaching",
        "alarm_actions": [TOPIC],
        "tags": {"team": "web"},
    },
    {
        "name": "cwint-latency-p99",
        "namespace": "AWS/ApplicationELB",
        "metric_name": "TargetResponseTime",
        "dimensions": {"LoadBalancer": LB},
        "extended_statistic": "p99",
        "evaluate_low_sample_count_percentile": "ignore",
        "period": 300,
        "evaluation_periods": 2,
        "comparison_operator": "GreaterThanThreshold",
        "threshold": 1.5,
    },
    {
        "name": "cwint-error-rate",
        "period": 300,
        "evaluation_periods": 3,
        "comparison_operator": "GreaterThanThreshold",
        "threshold": 5,
        "metrics": [
            {
                "id": "errors",
                "metric_stat": {
                    "namespace": "AWS/ApplicationELB",
                    "metric_name": "HTTPCode_Target_5XX_Count",
                    "dimensions": {"LoadBalancer": LB},
                    "stat": "Sum",
                },
                "return_data": False,
            },
            {
                "id": "requests",
                "metric_stat": {
                    "namespace": "AWS/ApplicationELB",
                    "metric_name": "RequestCount",
                    "dimensions": {"LoadBalancer": LB},
                    "stat": "Sum",
                },
                "return_data": False,
            },
            {"id": "rate", "expression": "100 * errors / requests", "label": "Error rate"},
        ],
    },
]
COMPOSITES = [
    {"name": "cwint-degraded", "rule": 'ALARM("cwint-5xx") OR ALARM("cwint-latency-p99")'},
    {
        "name": "cwint-page",
        "rule": 'ALARM("cwint-degraded") AND ALARM("cwint-error-rate")',
        "alarm_actions": [TOPIC],
    },
]


def run(cloud, work_dir, playbook, extra, *flags):
    return run_target(cloud, work_dir, f"{TARGET}/{playbook}", extra, *flags)


def alarm_set(alarms, **extra):
    return {"cw_test_prefix": PREFIX, "cw_test_alarms": alarms, **extra}


def names(cloud):
    answer = cloud.client("cloudwatch").describe_alarms(
        AlarmNamePrefix=PREFIX, AlarmTypes=["MetricAlarm", "CompositeAlarm"]
    )
    return sorted(a["AlarmName"] for a in answer["MetricAlarms"] + answer.get("CompositeAlarms", []))


# ---------------------------------------------------------------- cloudwatch_alarm_set


def test_alarms_check_mode_creates_nothing(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", alarm_set(ALARMS), "--check")
    ok(played)
    assert result["changed"] is True
    assert result["created"] == sorted(a["name"] for a in ALARMS)
    assert mutating(calls) == []
    assert names(module_cloud) == []


def test_alarms_create(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", alarm_set(ALARMS))
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["cloudwatch:PutMetricAlarm"] * 3
    assert names(module_cloud) == sorted(a["name"] for a in ALARMS)
    arn = next(a["arn"] for a in result["alarms"] if a["name"] == "cwint-5xx")
    tags = module_cloud.client("cloudwatch").list_tags_for_resource(ResourceARN=arn)["Tags"]
    assert tags == [{"Key": "team", "Value": "web"}]


def test_alarms_rerun_changes_nothing_with_one_describe_and_one_tag_read(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", alarm_set(ALARMS))
    ok(played)
    assert result["changed"] is False, result
    assert mutating(calls) == []
    assert sorted(f"{c.operation}" for c in calls) == ["DescribeAlarms", "ListTagsForResource"]


def test_alarms_rerun_with_on_change_tags_is_one_call(module_cloud, tmp_path):
    played, result, calls = run(
        module_cloud, tmp_path, "alarm_set.yml", alarm_set(ALARMS, cw_test_compare_tags="on_change")
    )
    ok(played)
    assert result["changed"] is False
    assert [c.operation for c in calls] == ["DescribeAlarms"]


def test_alarms_rerun_with_tagging_api_reads_every_tag_in_one_call(module_cloud, tmp_path):
    played, result, calls = run(
        module_cloud, tmp_path, "alarm_set.yml", alarm_set(ALARMS, cw_test_compare_tags="tagging_api")
    )
    ok(played)
    assert result["changed"] is False, result
    assert sorted(c.operation for c in calls) == ["DescribeAlarms", "GetResources"]


def test_alarms_update_shows_the_right_diff(module_cloud, tmp_path):
    alarms = copy.deepcopy(ALARMS)
    alarms[0]["threshold"] = 20
    alarms[0]["tags"] = {"team": "platform"}
    alarms[2]["metrics"][2]["expression"] = "1000 * errors / requests"
    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", alarm_set(alarms), "--diff")
    ok(played)
    assert result["changed"] is True
    assert result["updated"] == ["cwint-5xx", "cwint-error-rate"]
    diff = result["diff"]
    assert set(diff["before"]) == set(diff["after"]) == {"cwint-5xx", "cwint-error-rate"}
    assert (diff["before"]["cwint-5xx"]["threshold"], diff["after"]["cwint-5xx"]["threshold"]) == (10.0, 20.0)
    assert diff["after"]["cwint-5xx"]["tags"] == {"team": "platform"}
    assert diff["after"]["cwint-error-rate"]["metrics"][2]["expression"] == "1000 * errors / requests"
    assert sorted(mutating(calls)) == ["cloudwatch:PutMetricAlarm"] * 2 + ["cloudwatch:TagResource"]
    alarm = module_cloud.client("cloudwatch").describe_alarms(AlarmNames=["cwint-5xx"])["MetricAlarms"][0]
    assert alarm["Threshold"] == 20.0


def test_alarms_drift_out_of_band_is_reported_and_put_back(module_cloud, tmp_path):
    cloudwatch = module_cloud.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName="cwint-latency-p99",
        Namespace="AWS/ApplicationELB",
        MetricName="TargetResponseTime",
        Dimensions=[{"Name": "LoadBalancer", "Value": LB}],
        ExtendedStatistic="p99",
        Period=300,
        EvaluationPeriods=2,
        ComparisonOperator="GreaterThanThreshold",
        Threshold=9.0,
    )
    alarms = copy.deepcopy(ALARMS)
    alarms[0]["threshold"], alarms[0]["tags"] = 20, {"team": "platform"}
    alarms[2]["metrics"][2]["expression"] = "1000 * errors / requests"
    played, result, _calls = run(module_cloud, tmp_path, "alarm_set.yml", alarm_set(alarms))
    ok(played)
    assert result["updated"] == ["cwint-latency-p99"]


def test_alarms_purge_deletes_the_undeclared(module_cloud, tmp_path):
    alarms = copy.deepcopy(ALARMS[:2])
    alarms[0]["threshold"], alarms[0]["tags"] = 20, {"team": "platform"}
    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", alarm_set(alarms))
    ok(played)
    assert result["deleted"] == ["cwint-error-rate"]
    assert mutating(calls) == ["cloudwatch:DeleteAlarms"]
    assert names(module_cloud) == ["cwint-5xx", "cwint-latency-p99"]


@pytest.fixture(scope="module")
def composites_supported(module_cloud):
    # No retries: an emulator without PutCompositeAlarm answers 500, which the SDK would retry ten times.
    cloudwatch = boto3.client(
        "cloudwatch",
        endpoint_url=module_cloud.endpoint,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"mode": "standard", "max_attempts": 1}),
    )
    try:
        cloudwatch.put_composite_alarm(AlarmName="probe-composite", AlarmRule="FALSE")
        found = cloudwatch.describe_alarms(AlarmNames=["probe-composite"], AlarmTypes=["CompositeAlarm"])
        cloudwatch.delete_alarms(AlarmNames=["probe-composite"])
    except ClientError as e:
        pytest.skip(f"the local cloud has no composite alarms yet ({e})")
    if not found.get("CompositeAlarms"):
        pytest.skip("the local cloud does not describe composite alarms yet")


def test_composites_created_children_first_and_idempotent(module_cloud, tmp_path, composites_supported):
    declared = alarm_set(ALARMS + list(reversed(COMPOSITES)))
    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", declared)
    ok(played)
    assert result["created"] == ["cwint-degraded", "cwint-error-rate", "cwint-page"]
    puts = [c.operation for c in calls if c.mutating]
    assert puts.index("PutCompositeAlarm") > puts.index("PutMetricAlarm")
    composite_order = [c for c in puts if c == "PutCompositeAlarm"]
    assert len(composite_order) == 2
    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", declared)
    ok(played)
    assert result["changed"] is False, result
    assert mutating(calls) == []


def test_composites_purged_parents_first(module_cloud, tmp_path, composites_supported):
    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", alarm_set(ALARMS))
    ok(played)
    assert result["deleted"] == ["cwint-degraded", "cwint-page"]
    assert mutating(calls) == ["cloudwatch:DeleteAlarms"] * 2


OWNER = {"key": "securecloud:environment", "value": "cwint"}


def put_alarm(cloud, name, tags):
    cloud.client("cloudwatch").put_metric_alarm(
        AlarmName=name,
        Namespace="N",
        MetricName="M",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        ComparisonOperator="GreaterThanThreshold",
        Threshold=1,
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )


def test_alarms_absent_deletes_the_scope(module_cloud, tmp_path):
    put_alarm(module_cloud, "other-alarm", {})
    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", alarm_set([], cw_test_state="absent"))
    ok(played)
    assert result["changed"] is True and result["deleted"]
    assert names(module_cloud) == []
    assert module_cloud.client("cloudwatch").describe_alarms(AlarmNames=["other-alarm"])["MetricAlarms"]
    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", alarm_set([], cw_test_state="absent"))
    ok(played)
    assert result["changed"] is False and mutating(calls) == []


def test_alarms_owner_tag_leaves_other_owners_alarms_in_the_scope(module_cloud, tmp_path):
    """Environment cwint's scope cwint- also holds environment cwint-eu's alarms (alarms are regional: two environments
    in one region) and one made by hand: with owner_tag, purge and state=absent delete only cwint's."""
    put_alarm(module_cloud, "cwint-old", {"securecloud:environment": "cwint"})
    put_alarm(module_cloud, "cwint-eu-5xx", {"securecloud:environment": "cwint-eu"})
    put_alarm(module_cloud, "cwint-by-hand", {})
    declared = [dict(ALARMS[0], tags={"securecloud:environment": "cwint"})]
    extra = alarm_set(declared, cw_test_owner_tag=OWNER)

    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", extra)
    ok(played)
    assert (result["created"], result["deleted"]) == ([ALARMS[0]["name"]], ["cwint-old"]), result
    assert result["kept_foreign"] == ["cwint-by-hand", "cwint-eu-5xx"]
    assert sorted(mutating(calls)) == ["cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm"]
    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])

    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", dict(extra, cw_test_state="absent"))
    ok(played)
    assert (result["deleted"], result["kept_foreign"]) == ([ALARMS[0]["name"]], ["cwint-by-hand", "cwint-eu-5xx"])
    assert names(module_cloud) == ["cwint-by-hand", "cwint-eu-5xx"]
    module_cloud.client("cloudwatch").delete_alarms(AlarmNames=["cwint-by-hand", "cwint-eu-5xx"])


def test_alarms_bad_input_fails_before_any_call(module_cloud, tmp_path):
    bad = [dict(ALARMS[0], name="other-5xx"), dict(ALARMS[1], period=90)]
    played, result, calls = run(module_cloud, tmp_path, "alarm_set.yml", alarm_set(bad))
    assert played.returncode != 0
    assert "alarms[0].name 'other-5xx' does not start with prefix 'cwint-'" in result["msg"]
    assert "alarms[1].period is 90" in result["msg"]
    assert calls == []


# ---------------------------------------------------------------- cloudwatch_dashboard

DASHBOARD = "cwint-overview"
WIDGETS = [
    {"type": "text", "width": 24, "height": 2, "properties": {"markdown": "# Web"}},
    {
        "type": "metric",
        "width": 12,
        "properties": {
            "title": "5xx",
            "metrics": [["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", LB]],
        },
    },
    {
        "type": "metric",
        "width": 12,
        "properties": {"title": "p99", "metrics": [["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", LB]]},
    },
    {"type": "alarm", "properties": {"alarms": [f"arn:aws:cloudwatch:{REGION}:{ACCOUNT_ID}:alarm:cwint-5xx"]}},
]


def dashboard(widgets=WIDGETS, **extra):
    return {"cw_test_name": DASHBOARD, "cw_test_widgets": widgets, **extra}


def stored_body(cloud, name=DASHBOARD):
    return json.loads(cloud.client("cloudwatch").get_dashboard(DashboardName=name)["DashboardBody"])


def test_dashboard_check_mode_creates_nothing(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, "dashboard.yml", dashboard(), "--check")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == []
    assert module_cloud.client("cloudwatch").list_dashboards(DashboardNamePrefix="cwint-")["DashboardEntries"] == []


def test_dashboard_create_lays_out_the_widgets(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, "dashboard.yml", dashboard())
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["cloudwatch:PutDashboard"]
    body = stored_body(module_cloud)
    assert [(w["x"], w["y"], w["width"], w["height"]) for w in body["widgets"]] == [
        (0, 0, 24, 2),
        (0, 2, 12, 6),
        (12, 2, 12, 6),
        (0, 8, 6, 6),
    ]
    assert body["widgets"][1]["properties"]["region"] == REGION
    assert result["dashboard"]["body"] == body
    assert result["dashboard"]["arn"]


def test_dashboard_rerun_changes_nothing(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, "dashboard.yml", dashboard())
    ok(played)
    assert result["changed"] is False
    assert mutating(calls) == []


def test_dashboard_with_defaults_written_by_the_console_is_unchanged(module_cloud, tmp_path):
    body = stored_body(module_cloud)
    for widget in body["widgets"][1:3]:
        widget["properties"].update(view="timeSeries", stacked=False)
    module_cloud.client("cloudwatch").put_dashboard(DashboardName=DASHBOARD, DashboardBody=json.dumps(body, indent=2))
    played, result, calls = run(module_cloud, tmp_path, "dashboard.yml", dashboard())
    ok(played)
    assert result["changed"] is False
    assert mutating(calls) == []


def test_dashboard_update_shows_the_right_diff(module_cloud, tmp_path):
    widgets = copy.deepcopy(WIDGETS)
    widgets[0]["properties"]["markdown"] = "# Web service"
    played, result, calls = run(module_cloud, tmp_path, "dashboard.yml", dashboard(widgets), "--diff")
    ok(played)
    assert result["changed"] is True
    before = result["diff"]["before"]["dashboard"]["body"]["widgets"][0]["properties"]["markdown"]
    after = result["diff"]["after"]["dashboard"]["body"]["widgets"][0]["properties"]["markdown"]
    assert (before, after) == ("# Web", "# Web service")
    assert mutating(calls) == ["cloudwatch:PutDashboard"]


def test_dashboard_prefix_purges_all_but_name_and_keep(module_cloud, tmp_path):
    cloudwatch = module_cloud.client("cloudwatch")
    text = json.dumps(
        {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 6, "properties": {"markdown": "x"}}]}
    )
    for name in ("cwint-old", "cwint-kept", "other-dashboard"):
        cloudwatch.put_dashboard(DashboardName=name, DashboardBody=text)
    widgets = copy.deepcopy(WIDGETS)
    widgets[0]["properties"]["markdown"] = "# Web service"
    extra = dashboard(widgets, cw_test_prefix="cwint-", cw_test_keep=["cwint-kept"])
    played, result, calls = run(module_cloud, tmp_path, "dashboard.yml", extra)
    ok(played)
    assert result["deleted"] == ["cwint-old"]
    assert mutating(calls) == ["cloudwatch:DeleteDashboards"]
    left = sorted(d["DashboardName"] for d in cloudwatch.list_dashboards()["DashboardEntries"])
    assert left == ["cwint-kept", DASHBOARD, "other-dashboard"]


def test_dashboard_absent(module_cloud, tmp_path):
    extra = {"cw_test_state": "absent", "cw_test_prefix": "cwint-"}
    played, result, calls = run(module_cloud, tmp_path, "dashboard.yml", extra)
    ok(played)
    assert result["deleted"] == ["cwint-kept", DASHBOARD]
    assert mutating(calls) == ["cloudwatch:DeleteDashboards"]
    played, result, calls = run(module_cloud, tmp_path, "dashboard.yml", extra)
    ok(played)
    assert result["changed"] is False and mutating(calls) == []


def test_dashboard_bad_widget_fails_before_any_call(module_cloud, tmp_path):
    widgets = [*WIDGETS[:1], {"type": "metric", "properties": {"title": "empty"}}]
    played, result, calls = run(module_cloud, tmp_path, "dashboard.yml", dashboard(widgets))
    assert played.returncode != 0
    assert "widgets[1].properties.metrics is required" in result["msg"]
    assert calls == []
