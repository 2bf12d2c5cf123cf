"""cloudwatch_dashboard: what AWS refuses that PutDashboard's model does not say (it bounds neither the name nor the
body), refused before any call (issue 20): more widgets than a dashboard holds (CloudWatch service quotas: 500), an
alarm widget naming an alarm rather than giving its ARN (dashboard body structure, alarm widget)."""

from __future__ import annotations

from ansible_collections.securecloud.monitor.plugins.modules import cloudwatch_dashboard

from tests.unit.aws_stub import stubbed_client

ALARM = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:dev-api-down"
QUOTA = 500  # CloudWatch service quotas, Dashboards: "Up to 500 widgets per dashboard"


def text(markdown="# dev"):
    return {"type": "text", "width": 24, "height": 1, "properties": {"markdown": markdown}}


def params(widgets, body=None):
    return {"name": "dev-overview", "state": "present", "widgets": widgets, "body": body, "prefix": None, "keep": []}


def test_a_dashboard_at_the_quota_and_alarm_arns_have_no_errors():
    assert cloudwatch_dashboard.validate(params([text()] * QUOTA)) == []
    alarm = {"type": "alarm", "width": 24, "height": 3, "properties": {"alarms": [ALARM]}}
    assert cloudwatch_dashboard.validate(params([alarm])) == []


def test_more_widgets_than_a_dashboard_holds_are_refused_with_the_fix():
    (error,) = cloudwatch_dashboard.validate(params([text()] * (QUOTA + 1)))
    assert error.startswith(f"widgets has {QUOTA + 1} widgets: a dashboard holds at most {QUOTA}")
    (error,) = cloudwatch_dashboard.validate(params(None, body={"widgets": [text()] * (QUOTA + 1)}))
    assert error.startswith(f"body.widgets has {QUOTA + 1} widgets")


def test_an_alarm_named_rather_than_by_arn_names_the_widget_and_the_form():
    alarm = {"type": "alarm", "width": 24, "height": 3, "properties": {"alarms": [ALARM, "dev-api-down"]}}
    (error,) = cloudwatch_dashboard.validate(params([text(), alarm]))
    assert error == (
        "widgets[1].properties.alarms[1] 'dev-api-down' is not an alarm ARN: give "
        "arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME."
    )


def test_main_refuses_before_any_call(aws_stub, monkeypatch):
    client, stubber = stubbed_client("cloudwatch")  # nothing stubbed: any call fails the module
    monkeypatch.setattr(cloudwatch_dashboard, "dashboard_client", lambda _module: client)
    alarm = {"type": "alarm", "properties": {"alarms": ["dev-api-down"]}}
    result = aws_stub.run(cloudwatch_dashboard, {"name": "dev-overview", "widgets": [alarm]}, stubber)
    assert result["failed"] and "widgets[0].properties.alarms[0] 'dev-api-down'" in result["msg"], result
