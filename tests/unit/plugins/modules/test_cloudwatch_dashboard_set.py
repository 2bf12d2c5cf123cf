"""plugins/modules/cloudwatch_dashboard_set.py against a botocore Stubber: one ListDashboards for the scope and one
GetDashboard per declared dashboard that exists, bodies compared as cloudwatch_dashboard compares them, creates,
updates and purges in the scope only, check mode and diff exact, errors naming the dashboard before any call."""

import json

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import cloudwatch_dashboard_set as module

from tests.unit.plugins.module_utils.test_cloudwatch import ACCOUNT, REGION
from tests.unit.plugins.module_utils.test_cloudwatch import run_module as _run
from tests.unit.set_convention import assert_no_deprecation, fresh_deprecations

PREFIX = "dev-mon-"
OVERVIEW, SERVICE, OLD = f"{PREFIX}overview", f"{PREFIX}api", f"{PREFIX}old"
TEXT = {"type": "text", "width": 24, "height": 2, "properties": {"markdown": "# dev"}}
METRIC = {"type": "metric", "width": 12, "properties": {"metrics": [["AWS/ECS", "CPUUtilization"]]}}
# What the module sends for [TEXT, METRIC]: laid out, sizes and the task's region filled in.
SENT = {
    "widgets": [
        {"type": "text", "x": 0, "y": 0, "width": 24, "height": 2, "properties": {"markdown": "# dev"}},
        {
            "type": "metric",
            "x": 0,
            "y": 2,
            "width": 12,
            "height": 6,
            "properties": {"metrics": [["AWS/ECS", "CPUUtilization"]], "region": REGION},
        },
    ]
}
SENT_TEXT = {"widgets": [SENT["widgets"][0]]}


def arn(name):
    return f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/{name}"


def run(monkeypatch, capsys, args, setup=None, **kwargs):
    fresh_deprecations(monkeypatch)
    return _run(monkeypatch, capsys, module, {"prefix": PREFIX} | args, setup, factory="cloudwatch_client", **kwargs)


def listing(stubber, *names):
    entries = [{"DashboardName": n, "DashboardArn": arn(n), "Size": 10} for n in names]
    stubber.add_response("list_dashboards", {"DashboardEntries": entries}, {"DashboardNamePrefix": PREFIX})


def get(stubber, name, body):
    stubber.add_response(
        "get_dashboard",
        {"DashboardName": name, "DashboardArn": arn(name), "DashboardBody": json.dumps(body)},
        {"DashboardName": name},
    )


def put(stubber, name, body, messages=()):
    stubber.add_response(
        "put_dashboard",
        {"DashboardValidationMessages": list(messages)},
        {"DashboardName": name, "DashboardBody": json.dumps(body, sort_keys=True)},
    )


def delete(stubber, *names):
    stubber.add_response("delete_dashboards", {}, {"DashboardNames": list(names)})


DECLARED = {"dashboards": [{"name": OVERVIEW, "widgets": [TEXT, METRIC]}, {"name": SERVICE, "widgets": [TEXT]}]}


def test_a_new_set_is_created_and_its_arns_read_once_more(monkeypatch, capsys):
    def setup(stubber):
        listing(stubber)
        put(stubber, SERVICE, SENT_TEXT)
        put(stubber, OVERVIEW, SENT)
        listing(stubber, SERVICE, OVERVIEW)

    result = run(monkeypatch, capsys, DECLARED, setup)
    assert result["changed"] is True
    assert (result["created"], result["updated"], result["deleted"]) == (sorted([OVERVIEW, SERVICE]), [], [])
    assert [(d["name"], d["arn"]) for d in result["dashboards"]] == [(n, arn(n)) for n in sorted([OVERVIEW, SERVICE])]
    assert_no_deprecation(result)


def test_a_rerun_reads_the_list_and_each_body_and_writes_nothing(monkeypatch, capsys):
    def setup(stubber):
        listing(stubber, SERVICE, OVERVIEW)
        get(stubber, OVERVIEW, SENT)
        get(stubber, SERVICE, SENT_TEXT)

    result = run(monkeypatch, capsys, DECLARED, setup)
    assert result["changed"] is False
    assert result["created"] == result["updated"] == result["deleted"] == []


def test_a_body_the_console_saved_with_its_defaults_is_unchanged(monkeypatch, capsys):
    console = json.loads(json.dumps(SENT))
    console["widgets"][1]["properties"].update(view="timeSeries", stacked=False)

    def setup(stubber):
        listing(stubber, SERVICE, OVERVIEW)
        get(stubber, OVERVIEW, console)
        get(stubber, SERVICE, SENT_TEXT)

    assert run(monkeypatch, capsys, DECLARED, setup)["changed"] is False


def test_a_changed_body_is_put_and_undeclared_dashboards_of_the_scope_deleted_in_one_call(monkeypatch, capsys):
    def setup(stubber):
        listing(stubber, OLD, SERVICE, OVERVIEW, f"{PREFIX}older")
        get(stubber, OVERVIEW, SENT_TEXT)
        get(stubber, SERVICE, SENT_TEXT)
        put(stubber, OVERVIEW, SENT)
        delete(stubber, OLD, f"{PREFIX}older")

    result = run(monkeypatch, capsys, DECLARED, setup)
    assert (result["created"], result["updated"], result["deleted"]) == ([], [OVERVIEW], [OLD, f"{PREFIX}older"])
    assert [d["name"] for d in result["dashboards"]] == sorted([OVERVIEW, SERVICE])


def test_purge_false_keeps_undeclared_dashboards_without_reading_them(monkeypatch, capsys):
    def setup(stubber):
        listing(stubber, OLD, SERVICE, OVERVIEW)
        get(stubber, OVERVIEW, SENT)
        get(stubber, SERVICE, SENT_TEXT)

    result = run(monkeypatch, capsys, DECLARED | {"purge": False}, setup)
    assert result["changed"] is False
    kept = [d for d in result["dashboards"] if d["name"] == OLD]
    assert kept == [{"name": OLD, "arn": arn(OLD), "body": None}]


def test_an_empty_set_deletes_the_scope(monkeypatch, capsys):
    def setup(stubber):
        listing(stubber, OLD, OVERVIEW)
        delete(stubber, OLD, OVERVIEW)

    result = run(monkeypatch, capsys, {"dashboards": []}, setup)
    assert result["changed"] is True and result["deleted"] == [OLD, OVERVIEW] and result["dashboards"] == []


def test_state_absent_deletes_the_scope_whatever_is_declared(monkeypatch, capsys):
    def setup(stubber):
        listing(stubber, OVERVIEW)
        delete(stubber, OVERVIEW)

    result = run(monkeypatch, capsys, DECLARED | {"state": "absent"}, setup)
    assert result["changed"] is True and result["deleted"] == [OVERVIEW]


def test_check_mode_plans_without_a_write(monkeypatch, capsys):
    def setup(stubber):
        listing(stubber, OLD, OVERVIEW)
        get(stubber, OVERVIEW, SENT_TEXT)

    result = run(monkeypatch, capsys, DECLARED, setup, check_mode=True)
    assert result["changed"] is True
    assert (result["created"], result["updated"], result["deleted"]) == ([SERVICE], [OVERVIEW], [OLD])
    service = next(d for d in result["dashboards"] if d["name"] == SERVICE)
    assert service == {"name": SERVICE, "arn": None, "body": SENT_TEXT}


def test_diff_shows_each_body_that_changes_and_what_a_deleted_one_held(monkeypatch, capsys):
    held = {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 6, "properties": {"markdown": "x"}}]}

    def setup(stubber):
        listing(stubber, OLD, SERVICE, OVERVIEW)
        get(stubber, OVERVIEW, SENT_TEXT)
        get(stubber, SERVICE, SENT_TEXT)
        get(stubber, OLD, held)

    result = run(monkeypatch, capsys, DECLARED, setup, check_mode=True, diff=True)
    assert result["diff"]["before"] == {OVERVIEW: SENT_TEXT, OLD: held}
    assert result["diff"]["after"] == {OVERVIEW: SENT}


def test_validation_messages_name_the_dashboard_and_the_widget(monkeypatch, capsys):
    message = {"DataPath": "/widgets/1/properties/metrics", "Message": "Should NOT have more than 2 items"}

    def setup(stubber):
        listing(stubber)
        put(stubber, SERVICE, SENT_TEXT)
        put(stubber, OVERVIEW, SENT, [message])

    result = run(monkeypatch, capsys, DECLARED, setup)
    assert result["failed"] is True and result["changed"] is True
    assert result["validation_messages"] == [
        "dashboards[0].widgets[1].properties.metrics: Should NOT have more than 2 items"
    ]


@pytest.mark.parametrize(
    ("dashboards", "message"),
    [
        ([{"name": "other-overview", "widgets": [TEXT]}], "dashboards[0].name 'other-overview' does not start with"),
        ([{"name": f"{PREFIX}bad name", "widgets": [TEXT]}], "dashboards[0].name 'dev-mon-bad name' is not a valid"),
        ([{"name": OVERVIEW}], "give exactly one of dashboards[0].widgets (structured) and dashboards[0].body"),
        ([{"name": OVERVIEW, "body": "{not json"}], "dashboards[0].body is not valid JSON"),
        (
            [{"name": OVERVIEW, "widgets": [TEXT]}, {"name": OVERVIEW, "widgets": [TEXT]}],
            "dashboards[1].name 'dev-mon-overview' is declared twice (also dashboards[0])",
        ),
        (
            [{"name": OVERVIEW, "widgets": [{"type": "log", "properties": {"region": REGION}}]}],
            "dashboards[0].widgets[0].properties.query is required for a log widget",
        ),
    ],
)
def test_bad_input_fails_before_any_call_naming_the_dashboard(monkeypatch, capsys, dashboards, message):
    result = run(monkeypatch, capsys, {"dashboards": dashboards}, aws=False)
    assert result["failed"] is True
    assert any(message in error for error in result["errors"]), result["errors"]


def test_an_empty_prefix_is_refused(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"prefix": "", "dashboards": []}, aws=False)
    assert any("prefix must not be empty" in error for error in result["errors"]), result["errors"]
