"""plugins/module_utils/cloudwatch.py: normalisation, composite dependencies, dashboard layout and paths.

Also holds :func:`run_module`, which the CloudWatch module tests share: it runs a module's ``main()`` with real
argument parsing against a botocore ``Stubber`` for CloudWatch (every request is validated against the service
model, and any call that is not stubbed fails the run).
"""

import json

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils import cloudwatch as cw

from tests.unit.aws_stub import AwsStub, stubbed_client

REGION = "us-east-1"
ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:oncall"


def client_and_stub(service="cloudwatch"):
    return stubbed_client(service, REGION)


def run_module(
    monkeypatch, capsys, module, args, stubber_setup=None, check_mode=False, diff=False, aws=True, factory=""
):
    """Run ``module.main()`` with ``args`` and return its result. ``factory`` is the module's client factory to
    replace (``cloudwatch_client`` / ``dashboard_client``); with ``aws=False`` even creating a client fails."""
    client, stubber = client_and_stub()
    if stubber_setup:
        stubber_setup(stubber)
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.factories(module, aws, **{factory: client})
    return aws_stub.run(module, {"region": REGION} | args, stubber, check_mode=check_mode, diff=diff)


# ---------------------------------------------------------------- alarm normalisation

SINGLE = {
    "name": "web-5xx",
    "namespace": "AWS/ApplicationELB",
    "metric_name": "HTTPCode_Target_5XX_Count",
    "dimensions": {"TargetGroup": "tg/1", "LoadBalancer": "app/web/1"},
    "statistic": "Sum",
    "period": 60,
    "evaluation_periods": 5,
    "comparison_operator": "GreaterThanThreshold",
    "threshold": 10,
    "alarm_actions": [TOPIC],
}

# What DescribeAlarms returns for SINGLE: defaults filled in, dimensions in another order, state fields.
DESCRIBED = {
    "AlarmName": "web-5xx",
    "AlarmArn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:web-5xx",
    "AlarmDescription": "",
    "ActionsEnabled": True,
    "OKActions": [],
    "AlarmActions": [TOPIC],
    "InsufficientDataActions": [],
    "StateValue": "OK",
    "MetricName": "HTTPCode_Target_5XX_Count",
    "Namespace": "AWS/ApplicationELB",
    "Statistic": "Sum",
    "Dimensions": [{"Name": "LoadBalancer", "Value": "app/web/1"}, {"Name": "TargetGroup", "Value": "tg/1"}],
    "Period": 60,
    "EvaluationPeriods": 5,
    "DatapointsToAlarm": 5,
    "Threshold": 10.0,
    "ComparisonOperator": "GreaterThanThreshold",
    "TreatMissingData": "missing",
    "Metrics": [],
}


def test_single_metric_alarm_matches_what_aws_describes():
    kind, declared = cw.declared_alarm(dict(SINGLE, treat_missing_data=None, actions_enabled=None))
    assert kind == "metric"
    assert cw.normalise_alarm(DESCRIBED, "metric") == declared


@pytest.mark.parametrize(
    ("change", "different"),
    [
        ({"threshold": 11}, True),
        ({"threshold": 10.0}, False),
        ({"datapoints_to_alarm": 5}, False),
        ({"datapoints_to_alarm": 3}, True),
        ({"treat_missing_data": "missing"}, False),
        ({"treat_missing_data": "notBreaching"}, True),
        ({"actions_enabled": True}, False),
        ({"actions_enabled": False}, True),
        ({"alarm_actions": [TOPIC, TOPIC]}, False),
        ({"ok_actions": [TOPIC]}, True),
        ({"dimensions": {"LoadBalancer": "app/web/1", "TargetGroup": "tg/1"}}, False),
        ({"dimensions": {"LoadBalancer": "app/web/2", "TargetGroup": "tg/1"}}, True),
        ({"description": ""}, False),
        ({"unit": None}, False),
        ({"unit": "Count"}, True),
    ],
)
def test_defaults_are_equal_and_real_changes_differ(change, different):
    declared = cw.declared_alarm(dict(SINGLE, **change))[1]
    assert (cw.normalise_alarm(DESCRIBED, "metric") != declared) is different


MATH = {
    "name": "web-rate",
    "period": 300,
    "evaluation_periods": 3,
    "comparison_operator": "GreaterThanThreshold",
    "threshold": 5,
    "metrics": [
        {
            "id": "e",
            "metric_stat": {
                "namespace": "AWS/ApplicationELB",
                "metric_name": "5xx",
                "stat": "Sum",
                "dimensions": {"LoadBalancer": "app/web/1"},
            },
            "return_data": False,
        },
        {"id": "rate", "expression": "100 * e", "label": "Error rate"},
    ],
}
MATH_DESCRIBED = {
    "AlarmName": "web-rate",
    "ActionsEnabled": True,
    "EvaluationPeriods": 3,
    "DatapointsToAlarm": 3,
    "Threshold": 5.0,
    "ComparisonOperator": "GreaterThanThreshold",
    "TreatMissingData": "missing",
    "Dimensions": [],
    "Metrics": [
        {
            "Id": "e",
            "MetricStat": {
                "Metric": {
                    "Namespace": "AWS/ApplicationELB",
                    "MetricName": "5xx",
                    "Dimensions": [{"Name": "LoadBalancer", "Value": "app/web/1"}],
                },
                "Period": 300,
                "Stat": "Sum",
            },
            "ReturnData": False,
        },
        {"Id": "rate", "Expression": "100 * e", "Label": "Error rate", "ReturnData": True},
    ],
}


def test_metric_math_alarm_compares_by_query_with_period_inside_metric_stat():
    declared = cw.declared_alarm(MATH)[1]
    assert "Period" not in declared  # the alarm-level period is the default of each metric_stat
    assert declared["Metrics"][0]["MetricStat"]["Period"] == 300
    assert cw.normalise_alarm(MATH_DESCRIBED, "metric") == declared


def test_metric_math_return_data_left_out_means_true():
    described = json.loads(json.dumps(MATH_DESCRIBED))
    del described["Metrics"][1]["ReturnData"]
    assert cw.normalise_alarm(described, "metric") == cw.declared_alarm(MATH)[1]


def test_metric_math_expression_change_differs():
    changed = json.loads(json.dumps(MATH))
    changed["metrics"][1]["expression"] = "1000 * e"
    assert cw.normalise_alarm(MATH_DESCRIBED, "metric") != cw.declared_alarm(changed)[1]


def test_anomaly_band_alarm_ignores_a_reported_threshold():
    alarm = {
        "name": "web-anomaly",
        "metrics": [
            {"id": "m1", "metric_stat": {"namespace": "N", "metric_name": "M", "period": 300, "stat": "Sum"}},
            {"id": "ad1", "expression": "ANOMALY_DETECTION_BAND(m1, 2)"},
        ],
        "threshold_metric_id": "ad1",
        "comparison_operator": "LessThanLowerOrGreaterThanUpperThreshold",
        "evaluation_periods": 3,
    }
    declared = cw.declared_alarm(alarm)[1]
    described = dict(cw.put_request(declared), Threshold=0.0)
    assert cw.normalise_alarm(described, "metric") == declared


def test_option_shape_round_trip_of_a_metric_alarm():
    shape = cw.option_shape("metric", cw.normalise_alarm(DESCRIBED, "metric"), arn="arn:x", tags={"a": "b"})
    assert shape["dimensions"] == {"LoadBalancer": "app/web/1", "TargetGroup": "tg/1"}
    assert shape["datapoints_to_alarm"] == 5 and shape["treat_missing_data"] == "missing"
    assert shape["arn"] == "arn:x" and shape["tags"] == {"a": "b"}
    assert "description" not in shape


# ---------------------------------------------------------------- composite rules


def test_rule_references_by_name_quoted_unquoted_and_arn():
    rule = (
        "ALARM(\"web-5xx\") OR (ALARM(web-latency) AND NOT OK('web-ok')) OR "
        f'INSUFFICIENT_DATA("arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:web 5xx") OR ALARM("web-5xx")'
    )
    assert cw.rule_references(rule) == ["web-5xx", "web-latency", "web-ok", "web 5xx"]


def test_rule_whitespace_is_not_a_change_but_names_are():
    assert cw.normalise_rule('ALARM( "a" )  OR\n  ( ALARM("b") AND NOT OK("c") )') == cw.normalise_rule(
        'ALARM("a") OR (ALARM("b") AND NOT OK("c"))'
    )
    assert cw.normalise_rule('ALARM("a b")') != cw.normalise_rule('ALARM("a  b")')
    assert cw.normalise_rule("TRUE") == "TRUE"


def test_composite_children_include_the_actions_suppressor():
    composite = {"AlarmRule": 'ALARM("a") OR ALARM("b")', "ActionsSuppressor": "arn:aws:cloudwatch:r:1:alarm:s"}
    assert cw.composite_children(composite) == ["a", "b", "s"]


def test_children_first_and_cycles():
    graph = {"top": ["mid", "leaf-metric"], "mid": ["low"], "low": [], "other": ["low"]}
    order = cw.children_first(graph)
    assert order.index("low") < order.index("mid") < order.index("top")
    assert order.index("low") < order.index("other")
    assert cw.find_cycle(graph) is None
    assert cw.find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert cw.find_cycle({"a": ["a"]}) == ["a", "a"]


def test_deletion_batches_go_parents_first_then_metric_alarms():
    composites = {
        "top": {"AlarmRule": 'ALARM("mid") OR ALARM("m1")'},
        "mid": {"AlarmRule": 'ALARM("m2")'},
        "solo": {"AlarmRule": 'ALARM("m1")'},
    }
    # one composite per DeleteAlarms call (an AWS limit), parents first, then the metric alarms together
    assert cw.deletion_batches(composites, ["m2", "m1"]) == [["solo"], ["top"], ["mid"], ["m1", "m2"]]
    assert cw.deletion_batches({}, []) == []


# ---------------------------------------------------------------- dashboards


def test_flow_layout_fills_rows_of_24_columns():
    widgets = [
        {"type": "text", "width": 24, "height": 2, "properties": {"markdown": "x"}},
        {"type": "metric", "width": 12, "properties": {}},
        {"type": "metric", "width": 12, "height": 4, "properties": {}},
        {"type": "metric", "properties": {}},
    ]
    placed = cw.flow_layout(widgets)
    assert [(w["x"], w["y"], w["width"], w["height"]) for w in placed] == [
        (0, 0, 24, 2),
        (0, 2, 12, 6),
        (12, 2, 12, 4),
        (0, 8, 6, 6),
    ]


def test_flow_layout_places_free_widgets_below_positioned_ones():
    widgets = [{"type": "text", "x": 6, "y": 0, "width": 6, "height": 3}, {"type": "text"}]
    placed = cw.flow_layout(widgets)
    assert (placed[0]["x"], placed[0]["y"]) == (6, 0)
    assert (placed[1]["x"], placed[1]["y"]) == (0, 3)


def test_dashboard_defaults_are_not_changes():
    declared = cw.fill_body_defaults(
        {"widgets": [{"type": "metric", "x": 0, "y": 0, "properties": {"metrics": [["N", "M"]]}}]}, REGION
    )
    stored = {
        "widgets": [
            {
                "y": 0,
                "x": 0,
                "type": "metric",
                "height": 6,
                "width": 6,
                "properties": {"view": "timeSeries", "stacked": False, "region": REGION, "metrics": [["N", "M"]]},
            }
        ]
    }
    assert cw.normalise_dashboard_body(stored, REGION) == cw.normalise_dashboard_body(declared, REGION)
    stored["widgets"][0]["properties"]["stacked"] = True
    assert cw.normalise_dashboard_body(stored, REGION) != cw.normalise_dashboard_body(declared, REGION)


@pytest.mark.parametrize(
    ("data_path", "expected"),
    [
        ("/widgets/2/properties/metrics/0", "widgets[2].properties.metrics[0]"),
        ("/widgets/0", "widgets[0]"),
        ("/start", "start"),
        ("", "body"),
        (None, "body"),
    ],
)
def test_widget_path(data_path, expected):
    assert cw.widget_path(data_path) == expected


def test_validate_widgets_names_the_field():
    errors = cw.validate_widgets(
        [
            {"type": "metric", "properties": {}},
            {"type": "graph", "properties": {}},
            {"type": "text", "properties": {}},
            {"type": "alarm", "x": 20, "y": 0, "width": 6, "properties": {"alarms": ["a"]}},
            {"type": "log", "x": 0, "properties": {"query": "q"}},
            {"type": "custom"},
        ]
    )
    text = "\n".join(errors)
    assert "widgets[0].properties.metrics is required" in text
    assert "widgets[1].type 'graph' is not a widget type" in text
    assert "widgets[2].properties.markdown is required for a text widget" in text
    assert "widgets[3].x 20 with width 6 does not fit" in text
    assert "widgets[4]: give both x and y" in text
    assert "widgets[5].properties is missing" in text


@pytest.mark.parametrize(
    ("size", "errors"),
    # Dashboard body structure: width 1-24 grid units, height 1-1000.
    [({"width": 24, "height": 1000}, 0), ({"width": 1, "height": 25}, 0), ({"height": 1001}, 1), ({"width": 25}, 1)],
)
def test_widget_sizes_are_those_aws_takes(size, errors):
    found = cw.validate_widgets([{"type": "text", "properties": {"markdown": "x"}} | size])
    assert len(found) == errors, found


@pytest.mark.parametrize(
    "rule",
    [
        'ALARM("web-5xx")',
        "ALARM(web-5xx)",
        "ALARM('web-5xx') OR OK('web-latency')",
        'NOT ALARM("a") AND (ALARM("b") OR INSUFFICIENT_DATA("c"))',
        "TRUE",
        'FALSE OR ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:a")',
        'AT_LEAST(2, ALARM, ("a", "b", "c"))',
        'AT_LEAST(50%, NOT_OK, (a, b)) AND ALARM("c")',
    ],
)
def test_composite_rules_aws_takes_have_no_syntax_error(rule):
    assert cw.rule_syntax_error(rule) is None


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("", "the rule is empty"),
        ('ALARM("a") OR', "the rule ends where"),
        ('ALARM("a") XOR ALARM("b")', "found 'XOR'"),
        ('(ALARM("a")', "the rule ends where ')' was expected"),
        ('ALARM("a"))', "found ')'"),
        ("ALARM()", "expected an alarm name, found ')'"),
        ('alarm("a")', "found 'alarm'"),
        ('AT_LEAST(0, ALARM, ("a"))', "AT_LEAST needs a count or a percentage first"),
        ('AT_LEAST(1, BROKEN, ("a"))', "AT_LEAST needs a state"),
        ('ALARM("a") ' + "OR TRUE " * 1300, "AWS takes at most 10240"),
    ],
)
def test_composite_rules_aws_refuses_say_why(rule, fragment):
    assert fragment in cw.rule_syntax_error(rule)


def test_references_include_at_least_lists():
    rule = 'AT_LEAST(1, ALARM, ("a", b)) OR ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:c")'
    assert cw.rule_references(rule) == ["a", "b", "c"]
