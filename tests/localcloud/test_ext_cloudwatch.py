"""CloudWatch extensions (tools/localcloud/extensions/services/cloudwatch.py) on a real server, real boto3."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import Cloud, put_metric_alarm

ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"
NO_VALIDATION = Config(retries={"mode": "standard", "total_max_attempts": 1}, parameter_validation=False)


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


def _arn(name: str) -> str:
    return f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:{name}"


@pytest.fixture
def cw(cloud: Cloud) -> Any:
    return cloud.client("cloudwatch", config=NO_VALIDATION)


def _composites(cw: Any, **kwargs: Any) -> list[dict[str, Any]]:
    return cw.describe_alarms(AlarmTypes=["CompositeAlarm"], **kwargs)["CompositeAlarms"]


# -- composite alarms ------------------------------------------------------------------------------
def test_composite_alarm_lifecycle(cw: Any) -> None:
    put_metric_alarm(cw, "cpu")
    put_metric_alarm(cw, "mem")
    cw.put_composite_alarm(
        AlarmName="app",
        AlarmRule='ALARM("cpu") AND (OK(mem) OR NOT INSUFFICIENT_DATA("' + _arn("mem") + '"))',
        AlarmDescription="app health",
        AlarmActions=[TOPIC],
        ActionsSuppressor="mem",
        ActionsSuppressorWaitPeriod=60,
        ActionsSuppressorExtensionPeriod=120,
        Tags=[{"Key": "team", "Value": "web"}],
    )
    # DescribeAlarms without AlarmTypes: metric alarms only, as AWS
    plain = cw.describe_alarms()
    assert [a["AlarmName"] for a in plain["MetricAlarms"]] == ["cpu", "mem"] and plain["CompositeAlarms"] == []
    [app] = _composites(cw)
    assert app["AlarmArn"] == _arn("app") and app["AlarmActions"] == [TOPIC]
    assert app["AlarmRule"].startswith('ALARM("cpu")') and app["AlarmDescription"] == "app health"
    assert app["StateValue"] == "INSUFFICIENT_DATA" and app["ActionsEnabled"] is True
    assert (app["ActionsSuppressor"], app["ActionsSuppressorWaitPeriod"]) == ("mem", 60)
    both = cw.describe_alarms(AlarmTypes=["MetricAlarm", "CompositeAlarm"], AlarmNamePrefix="a")
    assert [a["AlarmName"] for a in both["CompositeAlarms"]] == ["app"] and both["MetricAlarms"] == []
    assert _composites(cw, AlarmNames=["app", "cpu"])[0]["AlarmName"] == "app"
    assert _composites(cw, StateValue="OK") == []

    # tags through moto's tagger, on the composite alarm's ARN
    assert cw.list_tags_for_resource(ResourceARN=_arn("app"))["Tags"] == [{"Key": "team", "Value": "web"}]
    cw.tag_resource(ResourceARN=_arn("app"), Tags=[{"Key": "env", "Value": "dev"}])
    cw.untag_resource(ResourceARN=_arn("app"), TagKeys=["team"])
    assert cw.list_tags_for_resource(ResourceARN=_arn("app"))["Tags"] == [{"Key": "env", "Value": "dev"}]

    # update: new rule and settings, state and tags kept
    cw.set_alarm_state(AlarmName="app", StateValue="ALARM", StateReason="test")
    cw.put_composite_alarm(
        AlarmName="app", AlarmRule="ALARM(cpu)", ActionsEnabled=False, Tags=[{"Key": "x", "Value": "y"}]
    )
    [app] = _composites(cw)
    assert app["AlarmRule"] == "ALARM(cpu)" and app["ActionsEnabled"] is False and app["StateValue"] == "ALARM"
    assert "ActionsSuppressor" not in app and "AlarmDescription" not in app
    assert cw.list_tags_for_resource(ResourceARN=_arn("app"))["Tags"] == [{"Key": "env", "Value": "dev"}]

    # children / parents
    children = cw.describe_alarms(ChildrenOfAlarmName="app")
    assert [a["AlarmName"] for a in children["MetricAlarms"]] == ["cpu"]
    assert [a["AlarmName"] for a in cw.describe_alarms(ParentsOfAlarmName="cpu")["CompositeAlarms"]] == ["app"]
    with pytest.raises(ClientError) as err:
        cw.describe_alarms(ChildrenOfAlarmName="app", StateValue="OK")
    assert _code(err) == "InvalidParameterCombination"

    cw.delete_alarms(AlarmNames=["app"])
    assert _composites(cw) == []
    cw.delete_alarms(AlarmNames=["cpu", "mem", "unknown"])  # unknown names are ignored
    assert cw.describe_alarms()["MetricAlarms"] == []


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("ALARM(cpu", "Unexpected end"),
        ('ALARM("cpu") AND', "Unexpected end"),
        ("()", "Unsupported token ')' at char 1"),
        ("ALARM(cpu) XOR OK(cpu)", "Unsupported token 'XOR' at char 11"),
        ("MAYBE(cpu)", "Unsupported token 'MAYBE' at char 0"),
        ("ALARM(cpu) OK(cpu)", "Unsupported token 'OK' at char 11"),
        ('ALARM("")', "Empty alarm name"),
        ("   ", "Empty expression"),
    ],
)
def test_composite_alarm_rule_syntax(cw: Any, rule: str, message: str) -> None:
    put_metric_alarm(cw, "cpu")
    with pytest.raises(ClientError) as err:
        cw.put_composite_alarm(AlarmName="c", AlarmRule=rule)
    assert _code(err) == "ValidationError"
    assert message in err.value.response["Error"]["Message"]


def test_composite_alarm_rule_forms_and_references(cw: Any) -> None:
    put_metric_alarm(cw, "cpu")
    put_metric_alarm(cw, "my alarm")
    for rule in (
        "TRUE",
        "false",
        'NOT (ALARM("my alarm") OR OK(cpu))',
        'AT_LEAST(1, ALARM, (cpu, "my alarm"))',
        "AT_LEAST(50%, NOT OK, (cpu))",
    ):
        cw.put_composite_alarm(AlarmName="c", AlarmRule=rule)
    with pytest.raises(ClientError) as err:
        cw.put_composite_alarm(AlarmName="d", AlarmRule="ALARM(cpu) OR ALARM(ghost) OR OK(ghost2)")
    assert _code(err) == "ValidationError"
    assert "alarms [ghost, ghost2] in the alarm rule do not exist" in err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:  # an ARN of another region is another alarm
        cw.put_composite_alarm(AlarmName="d", AlarmRule='ALARM("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:cpu")')
    assert _code(err) == "ValidationError"
    many = " OR ".join(f"ALARM(a{i})" for i in range(101))
    with pytest.raises(ClientError) as err:
        cw.put_composite_alarm(AlarmName="d", AlarmRule=many)
    assert _code(err) == "ValidationError" and "at most 100" in err.value.response["Error"]["Message"]
    # a composite alarm may reference another composite alarm (cycles are possible in AWS too)
    cw.put_composite_alarm(AlarmName="parent", AlarmRule="ALARM(c)")
    cw.put_composite_alarm(AlarmName="c", AlarmRule="ALARM(parent)")
    for kwargs in (
        {"AlarmName": "cpu", "AlarmRule": "TRUE"},  # a metric alarm's name
        {"AlarmName": "e", "AlarmRule": "TRUE", "ActionsSuppressor": "ghost"},
        {"AlarmName": "e", "AlarmRule": "TRUE", "ActionsSuppressorWaitPeriod": 10},
        {"AlarmName": "e", "AlarmRule": "TRUE", "AlarmActions": ["not-an-arn"]},
        {"AlarmName": "e", "AlarmRule": "TRUE", "AlarmActions": [TOPIC] * 6},
    ):
        with pytest.raises(ClientError) as err:
            cw.put_composite_alarm(**kwargs)
        assert _code(err) == "ValidationError", kwargs


def test_delete_alarms_refuses_referenced_alarms(cw: Any) -> None:
    for name in ("cpu", "mem", "disk"):
        put_metric_alarm(cw, name)
    cw.put_composite_alarm(AlarmName="c1", AlarmRule="ALARM(cpu) OR ALARM(mem)")
    cw.put_composite_alarm(AlarmName="c2", AlarmRule="ALARM(c1)")
    with pytest.raises(ClientError) as err:
        cw.delete_alarms(AlarmNames=["cpu", "mem", "disk"])
    assert _code(err) == "ValidationError"
    assert err.value.response["Error"]["Message"] == (
        "Cannot delete cpu,mem as there are composite alarm(s) depending on them."
    )
    assert len(cw.describe_alarms()["MetricAlarms"]) == 3  # nothing deleted
    with pytest.raises(ClientError) as err:
        cw.delete_alarms(AlarmNames=["c1", "c2"])  # one composite alarm per call
    assert _code(err) == "ValidationError"
    with pytest.raises(ClientError) as err:
        cw.delete_alarms(AlarmNames=["c1"])
    assert "Cannot delete c1 as there are composite alarm(s) depending on it." in str(err.value)
    cw.delete_alarms(AlarmNames=["c2"])
    cw.delete_alarms(AlarmNames=["c1", "cpu", "mem"])  # the parent goes with its children
    assert [a["AlarmName"] for a in cw.describe_alarms()["MetricAlarms"]] == ["disk"]
    with pytest.raises(ClientError) as err:  # deleted alarms cannot be tagged
        cw.tag_resource(ResourceARN=_arn("c1"), Tags=[{"Key": "a", "Value": "b"}])
    assert _code(err) == "ResourceNotFoundException"


def test_describe_alarms_pages_and_validates(cw: Any) -> None:
    for i in range(5):
        put_metric_alarm(cw, f"m{i}")
    cw.put_composite_alarm(AlarmName="c", AlarmRule="ALARM(m0)")
    first = cw.describe_alarms(MaxRecords=2, AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    assert [a["AlarmName"] for a in first["CompositeAlarms"] + first["MetricAlarms"]] == ["c", "m0"]  # by name
    assert first["NextToken"]
    full = (
        cw.get_paginator("describe_alarms")
        .paginate(AlarmTypes=["MetricAlarm", "CompositeAlarm"], PaginationConfig={"PageSize": 2})
        .build_full_result()
    )
    assert len(full["MetricAlarms"]) == 5 and len(full["CompositeAlarms"]) == 1
    for kwargs, code in (
        ({"NextToken": "bogus!"}, "InvalidNextToken"),
        ({"AlarmTypes": ["LogAlarm"]}, "ValidationError"),
        ({"StateValue": "BROKEN"}, "ValidationError"),
        ({"AlarmNames": ["a"], "AlarmNamePrefix": "a"}, "InvalidParameterCombination"),
        ({"MaxRecords": 101}, "ValidationError"),
    ):
        with pytest.raises(ClientError) as err:
            cw.describe_alarms(**kwargs)
        assert _code(err) == code, kwargs


# -- anomaly detection -----------------------------------------------------------------------------
SINGLE = {
    "Namespace": "AWS/ApplicationELB",
    "MetricName": "TargetResponseTime",
    "Dimensions": [{"Name": "LoadBalancer", "Value": "app/web/123"}],
    "Stat": "Average",
}
METRIC = {k: SINGLE[k] for k in ("Namespace", "MetricName", "Dimensions")}


def test_anomaly_detectors(cw: Any) -> None:
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    cw.put_anomaly_detector(
        SingleMetricAnomalyDetector=SINGLE,
        Configuration={"ExcludedTimeRanges": [{"StartTime": start, "EndTime": end}], "MetricTimezone": "Europe/Paris"},
    )
    cw.put_anomaly_detector(Namespace="AWS/EC2", MetricName="CPUUtilization", Stat="p90")  # legacy form
    cw.put_anomaly_detector(
        MetricMathAnomalyDetector={
            "MetricDataQueries": [
                {
                    "Id": "m1",
                    "MetricStat": {"Metric": {"Namespace": "A", "MetricName": "B"}, "Period": 60, "Stat": "Sum"},
                    "ReturnData": False,
                },
                {"Id": "e1", "Expression": "m1 * 2", "ReturnData": True},
            ]
        }
    )
    detectors = cw.describe_anomaly_detectors()["AnomalyDetectors"]
    assert len(detectors) == 3
    single = cw.describe_anomaly_detectors(Namespace="AWS/ApplicationELB")["AnomalyDetectors"]
    [detector] = single
    assert detector["SingleMetricAnomalyDetector"]["MetricName"] == "TargetResponseTime"
    assert detector["MetricName"] == "TargetResponseTime" and detector["StateValue"] == "PENDING_TRAINING"
    assert detector["Configuration"]["MetricTimezone"] == "Europe/Paris"
    assert detector["Configuration"]["ExcludedTimeRanges"][0]["StartTime"] == start
    assert len(cw.describe_anomaly_detectors(AnomalyDetectorTypes=["METRIC_MATH"])["AnomalyDetectors"]) == 1
    assert (
        cw.describe_anomaly_detectors(Dimensions=[{"Name": "LoadBalancer", "Value": "other"}])["AnomalyDetectors"] == []
    )
    paged = cw.describe_anomaly_detectors(MaxResults=2)
    assert len(paged["AnomalyDetectors"]) == 2 and paged["NextToken"]

    # putting the same metric again updates it
    cw.put_anomaly_detector(SingleMetricAnomalyDetector=SINGLE)
    [again] = cw.describe_anomaly_detectors(Namespace="AWS/ApplicationELB")["AnomalyDetectors"]
    assert (
        again["AnomalyDetectorId"] == detector["AnomalyDetectorId"]
        and again["Configuration"]["ExcludedTimeRanges"] == []
    )

    # an alarm on the band (moto stores Metrics and ThresholdMetricId itself)
    cw.put_metric_alarm(
        AlarmName="latency-band",
        EvaluationPeriods=2,
        ComparisonOperator="GreaterThanUpperThreshold",
        ThresholdMetricId="ad1",
        Metrics=[
            {"Id": "m1", "MetricStat": {"Metric": METRIC, "Period": 300, "Stat": "Average"}, "ReturnData": True},
            {"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "Label": "band", "ReturnData": True},
        ],
    )
    [alarm] = cw.describe_alarms(AlarmNames=["latency-band"])["MetricAlarms"]
    assert alarm["ThresholdMetricId"] == "ad1"
    assert alarm["Metrics"][1]["Expression"] == "ANOMALY_DETECTION_BAND(m1, 2)"

    cw.delete_anomaly_detector(SingleMetricAnomalyDetector=SINGLE)
    cw.delete_anomaly_detector(AnomalyDetectorId=detectors[1]["AnomalyDetectorId"])
    assert len(cw.describe_anomaly_detectors()["AnomalyDetectors"]) == 1
    with pytest.raises(ClientError) as err:
        cw.delete_anomaly_detector(SingleMetricAnomalyDetector=SINGLE)
    assert _code(err) == "ResourceNotFoundException"


def test_anomaly_detector_validation(cw: Any) -> None:
    for kwargs, code in (
        ({}, "InvalidParameterCombination"),
        ({"SingleMetricAnomalyDetector": SINGLE, "Namespace": "X"}, "InvalidParameterCombination"),
        ({"SingleMetricAnomalyDetector": {**SINGLE, "Stat": "Median"}}, "InvalidParameterValue"),
        ({"SingleMetricAnomalyDetector": {k: v for k, v in SINGLE.items() if k != "Stat"}}, "MissingParameter"),
        (
            {"SingleMetricAnomalyDetector": SINGLE, "Configuration": {"MetricTimezone": "Mars/Base"}},
            "InvalidParameterValue",
        ),
        (
            {
                "SingleMetricAnomalyDetector": SINGLE,
                "Configuration": {
                    "ExcludedTimeRanges": [{"StartTime": datetime(2026, 2, 1), "EndTime": datetime(2026, 1, 1)}]
                },
            },
            "InvalidParameterValue",
        ),
        (
            {"MetricMathAnomalyDetector": {"MetricDataQueries": [{"Id": "e", "Expression": "1", "ReturnData": False}]}},
            "InvalidParameterValue",
        ),
    ):
        with pytest.raises(ClientError) as err:
            cw.put_anomaly_detector(**kwargs)
        assert _code(err) == code, kwargs


# -- dashboards ------------------------------------------------------------------------------------
def _body(*widgets: dict[str, Any]) -> str:
    return json.dumps({"widgets": list(widgets)})


METRIC_WIDGET = {
    "type": "metric",
    "x": 0,
    "y": 0,
    "width": 12,
    "height": 6,
    "properties": {"metrics": [["AWS/EC2", "CPUUtilization"]], "region": "us-east-1"},
}


def test_dashboards_valid_bodies(cw: Any) -> None:
    text = {"type": "text", "properties": {"markdown": "# hi"}}
    alarm = {"type": "alarm", "properties": {"alarms": [_arn("a")]}}
    log = {"type": "log", "properties": {"query": "SOURCE 'x' | fields @message"}}
    expression = {"type": "metric", "properties": {"expression": "SEARCH('x', 'Average', 300)"}}
    assert (
        cw.put_dashboard(DashboardName="ops", DashboardBody=_body(METRIC_WIDGET, text, alarm, log, expression))[
            "DashboardValidationMessages"
        ]
        == []
    )
    assert cw.put_dashboard(DashboardName="empty", DashboardBody=_body())["DashboardValidationMessages"] == []
    assert json.loads(cw.get_dashboard(DashboardName="ops")["DashboardBody"])["widgets"][1] == text
    assert {d["DashboardName"] for d in cw.list_dashboards()["DashboardEntries"]} == {"empty", "ops"}
    cw.delete_dashboards(DashboardNames=["ops", "empty"])
    assert cw.list_dashboards()["DashboardEntries"] == []
    with pytest.raises(ClientError) as err:
        cw.get_dashboard(DashboardName="ops")
    assert _code(err) == "ResourceNotFound"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ("not json", ""),
        ("[1, 2]", ""),
        ("{}", ""),
        ('{"widgets": {}}', "/widgets"),
        (_body({"type": "graph", "properties": {}}), "/widgets/0/type"),
        (_body({"properties": {}}), "/widgets/0"),
        (_body(METRIC_WIDGET, {"type": "metric"}), "/widgets/1"),
        (_body({"type": "metric", "properties": {"region": "us-east-1"}}), "/widgets/0/properties"),
        (_body({"type": "text", "properties": {}}), "/widgets/0/properties"),
        (_body({**METRIC_WIDGET, "width": 25}), "/widgets/0/width"),
    ],
)
def test_dashboards_invalid_bodies(cw: Any, body: str, path: str) -> None:
    with pytest.raises(ClientError) as err:
        cw.put_dashboard(DashboardName="bad", DashboardBody=body)
    assert _code(err) == "InvalidParameterInput"
    messages = err.value.response.get("dashboardValidationMessages") or err.value.response.get(
        "DashboardValidationMessages"
    )
    assert messages and messages[0]["DataPath"] == path
    assert cw.list_dashboards()["DashboardEntries"] == []  # nothing stored


def test_dashboard_name_is_validated(cw: Any) -> None:
    with pytest.raises(ClientError) as err:
        cw.put_dashboard(DashboardName="bad name!", DashboardBody=_body())
    assert _code(err) == "InvalidParameterInput"


def test_reset_empties_cloudwatch_state(cloud: Cloud, cw: Any) -> None:
    put_metric_alarm(cw, "cpu")
    cw.put_composite_alarm(AlarmName="c", AlarmRule="ALARM(cpu)")
    cw.put_anomaly_detector(SingleMetricAnomalyDetector=SINGLE)
    cw.put_dashboard(DashboardName="d", DashboardBody=_body())
    assert cloud.post("/_localcloud/reset")[0] == 200
    assert _composites(cw) == [] and cw.describe_alarms()["MetricAlarms"] == []
    assert cw.describe_anomaly_detectors()["AnomalyDetectors"] == []
    assert cw.list_dashboards()["DashboardEntries"] == []


def test_cbor_clients_get_composite_alarms(cloud: Cloud, cw: Any) -> None:
    """The same handlers answer Smithy RPC v2 CBOR (newer SDKs' CloudWatch protocol)."""
    from tools.localcloud import cbor

    put_metric_alarm(cw, "cpu")
    cw.put_composite_alarm(AlarmName="c", AlarmRule="ALARM(cpu)")
    import urllib.request

    request = urllib.request.Request(
        cloud.endpoint + "/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
        data=cbor.encode({"AlarmTypes": ["CompositeAlarm"]}),
        method="POST",
        headers={
            "smithy-protocol": "rpc-v2-cbor",
            "Content-Type": "application/cbor",
            "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/monitoring/aws4_request, "
            "SignedHeaders=host, Signature=x",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as resp:
        decoded = cbor.decode(resp.read())
    assert [a["AlarmName"] for a in decoded["CompositeAlarms"]] == ["c"]


def test_health_lists_cloudwatch_actions(cloud: Cloud) -> None:
    _, health = cloud.get("/_localcloud/health")
    for name in ("PutCompositeAlarm", "DescribeAlarms", "DeleteAlarms", "PutAnomalyDetector", "PutDashboard"):
        assert f"cloudwatch:{name}" in health["extensions"]
