"""cloudwatch_alarm_set: every declared alarm's Put*Alarm request checked against the CloudWatch model before the
set's first write (issue 20: a bad alarm late in the set must not leave the earlier ones written). Enums and bounds
are read from botocore's model."""

from __future__ import annotations

import copy

import botocore.session
from ansible_collections.securecloud.monitor.plugins.modules.cloudwatch_alarm_set import model_errors

from tests.unit.plugins.module_utils.test_cloudwatch import MATH, SINGLE

CLOUDWATCH = botocore.session.get_session().get_service_model("cloudwatch")
METRIC_NAME = CLOUDWATCH.shape_for("MetricName").metadata
METRIC_NAME_MAX = METRIC_NAME["max"]


def alarm_set(*alarms):
    return {"state": "present", "prefix": "web-", "alarms": [copy.deepcopy(a) for a in alarms]}


def test_valid_metric_math_and_composite_alarms_have_no_errors():
    composite = {"name": "web-down", "rule": 'ALARM("web-5xx")', "actions_suppressor": None}
    assert model_errors(CLOUDWATCH, alarm_set(SINGLE, MATH, composite)) == []


def test_absent_is_not_checked():
    assert model_errors(CLOUDWATCH, {"state": "absent", "prefix": "web-", "alarms": []}) == []


def test_a_unit_outside_the_model_names_the_alarm_of_the_set_it_belongs_to():
    units = CLOUDWATCH.shape_for("StandardUnit").enum
    assert "Percentage" not in units
    (error,) = model_errors(CLOUDWATCH, alarm_set(SINGLE, dict(SINGLE, name="web-cpu", unit="Percentage")))
    assert error.startswith("alarms[1].unit 'Percentage' is not a value AWS accepts")


def test_a_metric_name_inside_metric_math_is_named_by_its_option():
    math = copy.deepcopy(MATH)
    math["metrics"][0]["metric_stat"]["metric_name"] = "m" * (METRIC_NAME_MAX + 1)
    (error,) = model_errors(CLOUDWATCH, alarm_set(math))
    assert error.startswith("alarms[0].metrics[0].metric_stat.metric_name ")
    assert f"give {METRIC_NAME['min']} to {METRIC_NAME_MAX} characters" in error
