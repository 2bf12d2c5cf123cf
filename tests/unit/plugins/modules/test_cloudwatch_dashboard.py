"""plugins/modules/cloudwatch_dashboard.py against a botocore Stubber: validation before any call, canonical
body comparison, layout, validation messages naming the widget, prefix/keep (the set module convention), check mode
and diff."""

import json

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import cloudwatch_dashboard as module

from tests.unit.plugins.module_utils.test_cloudwatch import ACCOUNT, REGION
from tests.unit.plugins.module_utils.test_cloudwatch import run_module as _run
from tests.unit.set_convention import assert_deprecated, assert_no_deprecation, fresh_deprecations

NAME = "web-overview"
DASHBOARD_ARN = f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/{NAME}"
WIDGETS = [
    {"type": "text", "width": 24, "height": 2, "properties": {"markdown": "# Web"}},
    {"type": "metric", "width": 12, "properties": {"metrics": [["AWS/EC2", "CPUUtilization"]]}},
]
# What the module sends for WIDGETS: laid out, sizes and region filled in.
SENT = {
    "widgets": [
        {"type": "text", "x": 0, "y": 0, "width": 24, "height": 2, "properties": {"markdown": "# Web"}},
        {
            "type": "metric",
            "x": 0,
            "y": 2,
            "width": 12,
            "height": 6,
            "properties": {"metrics": [["AWS/EC2", "CPUUtilization"]], "region": REGION},
        },
    ]
}


def run(monkeypatch, capsys, args, setup=None, **kwargs):
    return _run(monkeypatch, capsys, module, args, setup, factory="dashboard_client", **kwargs)


def get(stubber, body, name=NAME):
    stubber.add_response(
        "get_dashboard",
        {"DashboardName": name, "DashboardArn": DASHBOARD_ARN, "DashboardBody": json.dumps(body)},
        {"DashboardName": name},
    )


def missing(stubber, name=NAME):
    stubber.add_client_error("get_dashboard", "ResourceNotFound", "Dashboard does not exist", 404)


def put(stubber, body=SENT, messages=()):
    stubber.add_response(
        "put_dashboard",
        {"DashboardValidationMessages": list(messages)},
        {"DashboardName": NAME, "DashboardBody": json.dumps(body, sort_keys=True)},
    )


BAD_INPUT = [
    ({"name": NAME}, ["give exactly one of widgets (structured) and body"]),
    ({"name": "bad name!", "widgets": WIDGETS}, ["name 'bad name!' is not a valid dashboard name"]),
    ({"name": NAME, "body": "{not json"}, ["body is not valid JSON"]),
    ({"name": NAME, "body": "[1, 2]"}, ["body must be a JSON object"]),
    (
        {"name": NAME, "body": {"widgets": [{"type": "metric", "properties": {}}]}},
        ["body.widgets[0].properties.metrics is required"],
    ),
    (
        {"name": NAME, "widgets": [WIDGETS[0], {"type": "log", "properties": {"region": REGION}}]},
        ["widgets[1].properties.query is required for a log widget"],
    ),
    (
        {"name": NAME, "widgets": [{"type": "text", "x": 20, "y": 0, "width": 8, "properties": {"markdown": "x"}}]},
        ["widgets[0].x 20 with width 8 does not fit the 24-column grid"],
    ),
    ({"state": "absent"}, ["state=absent needs name, prefix, or both"]),
    ({"name": NAME, "widgets": WIDGETS, "keep": ["x"]}, ["keep only applies with prefix"]),
]


@pytest.mark.parametrize(("args", "expected"), BAD_INPUT)
def test_bad_input_fails_before_any_call(monkeypatch, capsys, args, expected):
    result = run(monkeypatch, capsys, args, aws=False)
    assert result["failed"], result
    for text in expected:
        assert text in result["msg"], result["msg"]


def test_create_lays_out_and_returns_the_dashboard(monkeypatch, capsys):
    def setup(stubber):
        missing(stubber)
        put(stubber)
        get(stubber, SENT)

    result = run(monkeypatch, capsys, {"name": NAME, "widgets": WIDGETS}, setup, diff=True)
    assert result["changed"] is True
    assert result["dashboard"] == {"name": NAME, "arn": DASHBOARD_ARN, "body": SENT}
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["dashboard"]["body"] == SENT


def test_unchanged_dashboard_with_aws_defaults_and_other_key_order_is_not_changed(monkeypatch, capsys):
    stored = json.loads(json.dumps(SENT))
    stored["widgets"][1]["properties"].update(view="timeSeries", stacked=False)
    stored["widgets"][0] = dict(reversed(list(stored["widgets"][0].items())))

    result = run(monkeypatch, capsys, {"name": NAME, "widgets": WIDGETS}, lambda s: get(s, stored))
    assert result["changed"] is False
    assert result["dashboard"]["arn"] == DASHBOARD_ARN


def test_changed_widget_is_put_with_a_diff(monkeypatch, capsys):
    stored = json.loads(json.dumps(SENT))
    stored["widgets"][0]["properties"]["markdown"] = "# Old"

    def setup(stubber):
        get(stubber, stored)
        put(stubber)

    result = run(monkeypatch, capsys, {"name": NAME, "widgets": WIDGETS}, setup, diff=True)
    assert result["changed"] is True
    before = result["diff"]["before"]["dashboard"]["body"]["widgets"][0]["properties"]["markdown"]
    after = result["diff"]["after"]["dashboard"]["body"]["widgets"][0]["properties"]["markdown"]
    assert (before, after) == ("# Old", "# Web")


def test_check_mode_does_not_put(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"name": NAME, "widgets": WIDGETS}, missing, check_mode=True)
    assert result["changed"] is True
    assert result["dashboard"]["arn"] is None


def test_raw_body_string_is_compared_as_json(monkeypatch, capsys):
    body = {"widgets": [{"type": "text", "x": 0, "y": 0, "properties": {"markdown": "hi"}}]}
    stored = {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 6, "properties": {"markdown": "hi"}}]}
    result = run(monkeypatch, capsys, {"name": NAME, "body": json.dumps(body)}, lambda s: get(s, stored))
    assert result["changed"] is False


def test_validation_messages_of_a_refused_body_name_the_widget(monkeypatch, capsys):
    def setup(stubber):
        missing(stubber)
        stubber.add_client_error(
            "put_dashboard",
            "InvalidParameterInput",
            "The field DashboardBody must be a valid JSON object",
            400,
            response_meta={},
            modeled_fields={
                "message": "invalid",
                "dashboardValidationMessages": [
                    {"DataPath": "/widgets/1/properties/metrics/0", "Message": "Should NOT have more than 2 items"}
                ],
            },
        )

    result = run(monkeypatch, capsys, {"name": NAME, "widgets": WIDGETS}, setup)
    assert result["failed"]
    assert "CloudWatch refused the dashboard body" in result["msg"]
    assert "widgets[1].properties.metrics[0]: Should NOT have more than 2 items" in result["msg"]
    assert result["changed"] is False


def test_warnings_of_a_saved_body_fail_naming_the_widget(monkeypatch, capsys):
    def setup(stubber):
        missing(stubber)
        put(stubber, messages=[{"DataPath": "/widgets/0", "Message": "unknown property"}])

    result = run(monkeypatch, capsys, {"name": NAME, "widgets": WIDGETS}, setup)
    assert result["failed"] and result["changed"] is True
    assert "widgets[0]: unknown property" in result["msg"]


def test_prefix_purges_the_others_but_not_keep(monkeypatch, capsys):
    def setup(stubber):
        get(stubber, SENT)
        stubber.add_response(
            "list_dashboards",
            {
                "DashboardEntries": [
                    {"DashboardName": NAME},
                    {"DashboardName": "web-kept"},
                    {"DashboardName": "web-old"},
                    {"DashboardName": "web-older"},
                ]
            },
            {"DashboardNamePrefix": "web-"},
        )
        stubber.add_response("delete_dashboards", {}, {"DashboardNames": ["web-old", "web-older"]})

    args = {"name": NAME, "widgets": WIDGETS, "prefix": "web-", "keep": ["web-kept"]}
    result = run(monkeypatch, capsys, args, setup, diff=True)
    assert result["changed"] is True
    assert result["deleted"] == ["web-old", "web-older"]
    assert result["diff"]["before"]["other_dashboards"] == ["web-old", "web-older"]


def test_absent_deletes_the_dashboard(monkeypatch, capsys):
    def setup(stubber):
        get(stubber, SENT)
        stubber.add_response("delete_dashboards", {}, {"DashboardNames": [NAME]})

    result = run(monkeypatch, capsys, {"name": NAME, "state": "absent"}, setup)
    assert (result["changed"], result["deleted"], result["dashboard"]) == (True, [NAME], None)


def test_absent_when_missing_changes_nothing(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"name": NAME, "state": "absent"}, missing)
    assert result["changed"] is False and result["deleted"] == []


# ---------------------------------------------------------------- the set module convention (doc fragment set_module)


def get_sent(stubber):
    get(stubber, SENT)


def scope_listing(stubber, prefix="web-"):
    """ListDashboards with the prefix: CloudWatch answers only names in the scope (other-dashboard never appears)."""
    stubber.add_response(
        "list_dashboards",
        {"DashboardEntries": [{"DashboardName": n} for n in (NAME, "web-kept", "web-old")]},
        {"DashboardNamePrefix": prefix},
    )


@pytest.mark.parametrize("option", ["prefix", "purge_prefix"])
def test_prefix_and_the_old_purge_prefix_purge_the_same(monkeypatch, capsys, option):
    fresh_deprecations(monkeypatch)

    def setup(stubber):
        get(stubber, SENT)
        scope_listing(stubber)
        stubber.add_response("delete_dashboards", {}, {"DashboardNames": ["web-old"]})

    args = {"name": NAME, "widgets": WIDGETS, option: "web-", "keep": ["web-kept"]}
    result = run(monkeypatch, capsys, args, setup)
    assert (result["changed"], result["deleted"]) == (True, ["web-old"])
    if option == "prefix":
        assert_no_deprecation(result)
    else:
        assert_deprecated(result, "purge_prefix is deprecated: use prefix, which means the same")


def test_prefix_with_purge_false_deletes_nothing_and_lists_nothing(monkeypatch, capsys):
    fresh_deprecations(monkeypatch)
    result = run(monkeypatch, capsys, {"name": NAME, "widgets": WIDGETS, "prefix": "web-", "purge": False}, get_sent)
    assert (result["changed"], result["deleted"]) == (False, [])
    assert_no_deprecation(result)


@pytest.mark.parametrize("check_mode", [True, False])
def test_state_absent_with_prefix_deletes_the_scope_but_keep_whatever_purge(monkeypatch, capsys, check_mode):
    fresh_deprecations(monkeypatch)

    def setup(stubber):
        scope_listing(stubber)
        if not check_mode:
            stubber.add_response("delete_dashboards", {}, {"DashboardNames": ["web-old", NAME]})

    args = {"state": "absent", "prefix": "web-", "purge": False, "keep": ["web-kept"]}
    result = run(monkeypatch, capsys, args, setup, check_mode=check_mode)
    assert (result["changed"], result["deleted"]) == (True, ["web-old", NAME])
    assert_no_deprecation(result)


def test_name_outside_prefix_is_refused_but_not_with_the_old_name(monkeypatch, capsys):
    fresh_deprecations(monkeypatch)
    args = {"name": "ops-overview", "widgets": WIDGETS, "prefix": "web-"}
    result = run(monkeypatch, capsys, args, aws=False)
    assert result["failed"] and "name 'ops-overview' does not start with prefix 'web-'" in result["msg"]

    fresh_deprecations(monkeypatch)

    def setup(stubber):
        get(stubber, SENT, name="ops-overview")
        scope_listing(stubber)
        stubber.add_response("delete_dashboards", {}, {"DashboardNames": ["web-kept", "web-old", NAME]})

    old = {"name": "ops-overview", "widgets": WIDGETS, "purge_prefix": "web-"}
    result = run(monkeypatch, capsys, old, setup)
    assert result["deleted"] == ["web-kept", "web-old", NAME]
    assert_deprecated(result, "purge_prefix")
