"""plugins/modules/cloudwatch_alarm_set.py against a botocore Stubber: validation before any call, one
DescribeAlarms for a no-op, creation order (metric alarms, then composites children-first), deletion order
(parents first), purge, tags, check mode and diff."""

import copy

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import cloudwatch_alarm_set as module

from tests.unit.plugins.module_utils.test_cloudwatch import (
    ACCOUNT,
    DESCRIBED,
    MATH,
    MATH_DESCRIBED,
    REGION,
    SINGLE,
    TOPIC,
    client_and_stub,
)
from tests.unit.plugins.module_utils.test_cloudwatch import run_module as _run
from tests.unit.set_convention import assert_no_deprecation, fresh_deprecations

PREFIX = "web-"
TYPES = ["MetricAlarm", "CompositeAlarm"]


def run(monkeypatch, capsys, args, setup=None, **kwargs):
    return _run(monkeypatch, capsys, module, args, setup, factory="cloudwatch_client", **kwargs)


def arn(name):
    return f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{name}"


def describe(stubber, metric=(), composite=()):
    stubber.add_response(
        "describe_alarms",
        {"MetricAlarms": list(metric), "CompositeAlarms": list(composite)},
        {"AlarmNamePrefix": PREFIX, "AlarmTypes": TYPES, "MaxRecords": 100},
    )


def exists(stubber, *names):
    """The one DescribeAlarms by name that a rule naming alarms outside the set costs."""
    stubber.add_response(
        "describe_alarms",
        {"MetricAlarms": [{"AlarmName": n, "AlarmArn": arn(n)} for n in names], "CompositeAlarms": []},
        {"AlarmNames": list(names), "AlarmTypes": TYPES},
    )


def composite(name, rule, **extra):
    return dict(
        {
            "AlarmName": name,
            "AlarmArn": arn(name),
            "AlarmRule": rule,
            "ActionsEnabled": True,
            "AlarmActions": [],
            "OKActions": [],
            "InsufficientDataActions": [],
            "StateValue": "OK",
        },
        **extra,
    )


def metric(name, **extra):
    return dict(DESCRIBED, AlarmName=name, AlarmArn=arn(name), **extra)


# ---------------------------------------------------------------- validation (no AWS call at all)

BAD_INPUT = [
    ({"alarms": [dict(SINGLE, name="api-5xx")]}, ["alarms[0].name 'api-5xx' does not start with prefix 'web-'"]),
    ({"alarms": [SINGLE, SINGLE]}, ["alarms[1].name 'web-5xx' is also alarms[0].name"]),
    ({"alarms": [dict(SINGLE, threshold=None)]}, ["alarms[0].threshold is required with comparison_operator"]),
    ({"alarms": [dict(SINGLE, period=90)]}, ["alarms[0].period is 90", "multiple of 60"]),
    (
        {"alarms": [dict(SINGLE, extended_statistic="p99")]},
        ["alarms[0]: give exactly one of statistic", "extended_statistic"],
    ),
    (
        {"alarms": [dict(SINGLE, evaluate_low_sample_count_percentile="ignore")]},
        ["alarms[0].evaluate_low_sample_count_percentile applies to a percentile statistic only"],
    ),
    (
        {"alarms": [dict(MATH, name="web-rate", namespace="AWS/ELB", statistic="Sum")]},
        ["alarms[0].metrics cannot be combined with alarms[0].namespace, alarms[0].statistic"],
    ),
    (
        {"alarms": [dict(copy.deepcopy(MATH), metrics=[dict(q, return_data=None) for q in MATH["metrics"]])]},
        ["alarms[0].metrics: 2 entries return data (e, rate)", "return_data: false"],
    ),
    (
        {"alarms": [dict(MATH, metrics=[{"id": "Bad", "expression": "1"}, {"id": "x", "metric_stat": None}])]},
        ["alarms[0].metrics[0].id 'Bad' is not a valid ID", "alarms[0].metrics[1]: give exactly one of expression"],
    ),
    (
        {"alarms": [dict(SINGLE, datapoints_to_alarm=6)]},
        ["alarms[0].datapoints_to_alarm is 6: use 1 to evaluation_periods (5)"],
    ),
    (
        {
            "alarms": [
                dict(
                    MATH,
                    threshold=None,
                    comparison_operator="LessThanLowerOrGreaterThanUpperThreshold",
                    threshold_metric_id="rate",
                )
            ]
        },
        ["alarms[0].threshold_metric_id 'rate' names an entry whose expression is not an anomaly band"],
    ),
    (
        {"alarms": [dict(SINGLE, comparison_operator="GreaterThanUpperThreshold")]},
        ["alarms[0].threshold is not allowed with comparison_operator GreaterThanUpperThreshold"],
    ),
    ({"alarms": [{"name": "web-all", "type": "composite"}]}, ["alarms[0].rule is required for a composite alarm"]),
    (
        {"alarms": [{"name": "web-all", "rule": 'ALARM("web-5xx")', "threshold": 3}, SINGLE]},
        ["alarms[0] is a composite alarm: alarms[0].threshold belong to metric alarms"],
    ),
    (
        {"alarms": [{"name": "web-all", "rule": 'ALARM("web-gone")'}]},
        ["alarms[0].rule refers to 'web-gone'", "purge would delete it"],
    ),
    (
        {
            "alarms": [
                {"name": "web-a", "rule": 'ALARM("web-b") OR ALARM("web-5xx")'},
                {"name": "web-b", "rule": 'ALARM("web-c")'},
                {"name": "web-c", "rule": 'ALARM("web-a")'},
                SINGLE,
            ]
        },
        ["composite alarms refer to each other in a cycle: web-a -> web-b -> web-c -> web-a", "alarms[0], alarms[1]"],
    ),
    ({"prefix": "", "alarms": []}, ["prefix is empty"]),
    (
        {"alarms": [dict(SINGLE, description="x" * 1025)]},
        ["alarms[0].description is 1025 characters long: AWS takes at most 1024"],
    ),
    (
        {"alarms": [{"name": "web-all", "rule": 'ALARM("web-5xx") OR', "type": "composite"}, SINGLE]},
        ["alarms[0].rule: the rule ends where", 'e.g. ALARM("web-5xx") OR'],
    ),
    (
        {"alarms": [{"name": "web-all", "rule": 'ALARM("web-5xx") XOR ALARM("web-5xx")'}, SINGLE]},
        ["alarms[0].rule: expected AND, OR or the end of the rule, found 'XOR'"],
    ),
    (
        {"alarms": [{"name": "web-all", "rule": 'ALARMS("web-5xx")'}, SINGLE]},
        ["alarms[0].rule: expected ALARM(...)", "found 'ALARMS'"],
    ),
    (
        {"alarms": [dict(SINGLE, alarm_actions=["dev-alerts"])]},
        ["alarms[0].alarm_actions[0] 'dev-alerts' is not an ARN: give the topic's"],
    ),
    (
        {"alarms": [dict(SINGLE, ok_actions=[TOPIC, "sns:dev-alerts"])]},
        ["alarms[0].ok_actions[1] 'sns:dev-alerts' is not an ARN"],
    ),
]


@pytest.mark.parametrize(("args", "expected"), BAD_INPUT)
def test_bad_input_fails_before_any_call(monkeypatch, capsys, args, expected):
    args = dict({"prefix": PREFIX}, **args)
    result = run(monkeypatch, capsys, args, aws=False)
    assert result["failed"], result
    for text in expected:
        assert text in result["msg"], result["msg"]


def test_valid_variants_pass_validation():
    base = {"prefix": PREFIX, "state": "present", "purge": True}
    for alarm in (
        dict(SINGLE, period=30),
        dict(SINGLE, statistic=None, extended_statistic="p99", evaluate_low_sample_count_percentile="ignore"),
        MATH,
    ):
        assert module.validate(dict(base, alarms=[_full(alarm)])) == []


def _full(alarm):
    """An alarm with every option present, as Ansible's argument parsing hands it over."""
    keys = [
        "type",
        "description",
        "namespace",
        "metric_name",
        "dimensions",
        "statistic",
        "extended_statistic",
        "period",
        "unit",
        "metrics",
        "comparison_operator",
        "threshold",
        "threshold_metric_id",
        "evaluation_periods",
        "datapoints_to_alarm",
        "evaluate_low_sample_count_percentile",
        "rule",
        "actions_suppressor",
        "alarm_actions",
        "ok_actions",
        "insufficient_data_actions",
        "tags",
    ]
    full = dict.fromkeys(keys)
    full.update(treat_missing_data="missing", actions_enabled=True)
    full.update(alarm)
    return full


# ---------------------------------------------------------------- no-op, create, update


def test_noop_is_one_describe_call_and_no_change(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, [metric("web-5xx"), dict(MATH_DESCRIBED, AlarmArn=arn("web-rate"))])

    result = run(monkeypatch, capsys, {"prefix": PREFIX, "alarms": [SINGLE, MATH]}, setup, diff=True)
    assert result["changed"] is False, result
    assert (result["created"], result["updated"], result["deleted"]) == ([], [], [])
    assert result["diff"] == {"before": {}, "after": {}}
    assert [a["name"] for a in result["alarms"]] == ["web-5xx", "web-rate"]
    assert result["alarms"][0]["arn"] == arn("web-5xx")
    assert result["alarms"][1]["metrics"][0]["metric_stat"]["period"] == 300


def test_update_puts_the_whole_alarm_and_shows_a_diff(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, [metric("web-5xx")])
        expected = {
            "AlarmName": "web-5xx",
            "ActionsEnabled": True,
            "AlarmActions": [TOPIC],
            "MetricName": "HTTPCode_Target_5XX_Count",
            "Namespace": "AWS/ApplicationELB",
            "Statistic": "Sum",
            "Dimensions": [{"Name": "LoadBalancer", "Value": "app/web/1"}, {"Name": "TargetGroup", "Value": "tg/1"}],
            "Period": 60,
            "EvaluationPeriods": 5,
            "DatapointsToAlarm": 5,
            "Threshold": 20.0,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "missing",
        }
        stubber.add_response("put_metric_alarm", {}, expected)

    result = run(monkeypatch, capsys, {"prefix": PREFIX, "alarms": [dict(SINGLE, threshold=20)]}, setup, diff=True)
    assert result["changed"] is True
    assert result["updated"] == ["web-5xx"]
    assert result["diff"]["before"]["web-5xx"]["threshold"] == 10.0
    assert result["diff"]["after"]["web-5xx"]["threshold"] == 20.0


def test_check_mode_plans_without_mutating(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, [metric("web-5xx"), metric("web-old")])

    args = {"prefix": PREFIX, "alarms": [dict(SINGLE, threshold=20), dict(SINGLE, name="web-new")]}
    result = run(monkeypatch, capsys, args, setup, check_mode=True)
    assert result["changed"] is True
    assert (result["created"], result["updated"], result["deleted"]) == (["web-new"], ["web-5xx"], ["web-old"])
    assert {a["name"]: a["arn"] for a in result["alarms"]} == {"web-5xx": arn("web-5xx"), "web-new": None}


def test_create_order_metric_alarms_then_composites_children_first_then_parent_first_deletes(monkeypatch, capsys):
    alarms = [
        {"name": "web-top", "rule": 'ALARM("web-mid") OR ALARM("web-5xx")', "alarm_actions": [TOPIC]},
        {"name": "web-mid", "rule": 'ALARM("web-5xx") AND ALARM("external-alarm")'},
        SINGLE,
    ]

    def setup(stubber):
        describe(
            stubber,
            [metric("web-old-metric")],
            [
                composite("web-old-top", 'ALARM("web-old-mid")'),
                composite("web-old-mid", 'ALARM("web-old-metric")'),
            ],
        )
        exists(stubber, "external-alarm")
        stubber.add_response("put_metric_alarm", {}, None)
        stubber.add_response(
            "put_composite_alarm",
            {},
            {
                "AlarmName": "web-mid",
                "ActionsEnabled": True,
                "AlarmRule": 'ALARM("web-5xx") AND ALARM("external-alarm")',
            },
        )
        stubber.add_response(
            "put_composite_alarm",
            {},
            {
                "AlarmName": "web-top",
                "ActionsEnabled": True,
                "AlarmActions": [TOPIC],
                "AlarmRule": 'ALARM("web-mid") OR ALARM("web-5xx")',
            },
        )
        stubber.add_response("delete_alarms", {}, {"AlarmNames": ["web-old-top"]})
        stubber.add_response("delete_alarms", {}, {"AlarmNames": ["web-old-mid"]})
        stubber.add_response("delete_alarms", {}, {"AlarmNames": ["web-old-metric"]})
        describe(stubber, [metric("web-5xx")], [composite("web-mid", "x"), composite("web-top", "y")])

    result = run(monkeypatch, capsys, {"prefix": PREFIX, "alarms": alarms}, setup)
    assert result["changed"] is True
    assert result["created"] == ["web-5xx", "web-mid", "web-top"]
    assert result["deleted"] == ["web-old-metric", "web-old-mid", "web-old-top"]
    assert {a["name"]: a["arn"] for a in result["alarms"]}["web-top"] == arn("web-top")


def test_purge_false_leaves_undeclared_alarms(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, [metric("web-5xx"), metric("web-other")])

    result = run(monkeypatch, capsys, {"prefix": PREFIX, "purge": False, "alarms": [SINGLE]}, setup)
    assert result["changed"] is False
    assert [a["name"] for a in result["alarms"]] == ["web-5xx", "web-other"]


def test_state_absent_deletes_the_whole_scope_parents_first(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, [metric("web-5xx")], [composite("web-all", 'ALARM("web-5xx")')])
        stubber.add_response("delete_alarms", {}, {"AlarmNames": ["web-all"]})
        stubber.add_response("delete_alarms", {}, {"AlarmNames": ["web-5xx"]})

    result = run(monkeypatch, capsys, {"prefix": PREFIX, "state": "absent"}, setup, diff=True)
    assert result["changed"] is True
    assert result["deleted"] == ["web-5xx", "web-all"]
    assert result["alarms"] == []
    assert set(result["diff"]["before"]) == {"web-5xx", "web-all"} and result["diff"]["after"] == {}


def test_set_convention_purge_by_default_never_outside_the_prefix(monkeypatch, capsys):
    fresh_deprecations(monkeypatch)

    def setup(stubber):
        # api-5xx does not start with the prefix (as if the API answered more than asked): never deleted.
        describe(stubber, [metric("web-5xx"), metric("web-old"), metric("api-5xx")])
        stubber.add_response("delete_alarms", {}, {"AlarmNames": ["web-old"]})

    result = run(monkeypatch, capsys, {"prefix": PREFIX, "alarms": [SINGLE]}, setup)
    assert result["deleted"] == ["web-old"]
    assert [a["name"] for a in result["alarms"]] == ["web-5xx"]
    assert_no_deprecation(result)


def test_set_convention_state_absent_empties_the_scope_whatever_purge_and_alarms(monkeypatch, capsys):
    fresh_deprecations(monkeypatch)

    def setup(stubber):
        describe(stubber, [metric("web-5xx"), metric("web-old")])
        stubber.add_response("delete_alarms", {}, {"AlarmNames": ["web-5xx", "web-old"]})

    args = {"prefix": PREFIX, "state": "absent", "purge": False, "alarms": [SINGLE]}
    result = run(monkeypatch, capsys, args, setup)
    assert result["deleted"] == ["web-5xx", "web-old"] and result["alarms"] == []
    assert_no_deprecation(result)


def test_state_absent_on_an_empty_scope_changes_nothing(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"prefix": PREFIX, "state": "absent"}, lambda s: describe(s))
    assert result["changed"] is False


def test_an_alarm_that_changes_type_is_deleted_then_created(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, [metric("web-5xx"), metric("web-all")])
        stubber.add_response("delete_alarms", {}, {"AlarmNames": ["web-all"]})
        stubber.add_response("put_composite_alarm", {}, None)
        describe(stubber, [metric("web-5xx")], [composite("web-all", 'ALARM("web-5xx")')])

    args = {"prefix": PREFIX, "alarms": [SINGLE, {"name": "web-all", "rule": 'ALARM("web-5xx")'}]}
    result = run(monkeypatch, capsys, args, setup)
    assert result["created"] == ["web-all"]


def test_composite_rule_whitespace_is_not_a_change(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, [metric("web-5xx")], [composite("web-all", 'ALARM("web-5xx")  OR  ALARM("ext")')])
        exists(stubber, "ext")

    args = {"prefix": PREFIX, "alarms": [SINGLE, {"name": "web-all", "rule": 'ALARM( "web-5xx" ) OR ALARM("ext")'}]}
    assert run(monkeypatch, capsys, args, setup)["changed"] is False


def test_actions_suppressor_round_trip(monkeypatch, capsys):
    suppressor = {"alarm": "web-maintenance", "wait_period": 120, "extension_period": 60}
    current = composite(
        "web-all",
        'ALARM("web-5xx")',
        ActionsSuppressor="web-maintenance",
        ActionsSuppressorWaitPeriod=120,
        ActionsSuppressorExtensionPeriod=60,
    )

    def setup(stubber):
        describe(stubber, [metric("web-5xx"), metric("web-maintenance")], [current])

    alarms = [
        SINGLE,
        dict(SINGLE, name="web-maintenance"),
        {"name": "web-all", "rule": 'ALARM("web-5xx")', "actions_suppressor": suppressor},
    ]
    result = run(monkeypatch, capsys, {"prefix": PREFIX, "alarms": alarms}, setup)
    assert result["changed"] is False
    assert next(a for a in result["alarms"] if a["name"] == "web-all")["actions_suppressor"] == suppressor


# ---------------------------------------------------------------- tags


def tags_list(tags):
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def test_tags_go_into_the_create_call(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber)
        request = {"AlarmName": "web-5xx", "Tags": [{"Key": "team", "Value": "web"}]}
        stubber.add_response("put_metric_alarm", {}, dict(module_request(SINGLE), **request))
        describe(stubber, [metric("web-5xx")])

    result = run(monkeypatch, capsys, {"prefix": PREFIX, "alarms": [dict(SINGLE, tags={"team": "web"})]}, setup)
    assert result["created"] == ["web-5xx"]
    assert result["alarms"][0]["tags"] == {"team": "web"}


def module_request(alarm):
    from ansible_collections.securecloud.monitor.plugins.module_utils.cloudwatch import declared_alarm

    return declared_alarm(alarm)[1]


def test_per_alarm_tags_detect_drift_and_purge(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, [metric("web-5xx")])
        stubber.add_response(
            "list_tags_for_resource", {"Tags": tags_list({"team": "ops", "old": "x"})}, {"ResourceARN": arn("web-5xx")}
        )
        stubber.add_response("untag_resource", {}, {"ResourceARN": arn("web-5xx"), "TagKeys": ["old"]})
        stubber.add_response(
            "tag_resource", {}, {"ResourceARN": arn("web-5xx"), "Tags": [{"Key": "team", "Value": "web"}]}
        )

    result = run(monkeypatch, capsys, {"prefix": PREFIX, "alarms": [dict(SINGLE, tags={"team": "web"})]}, setup)
    assert result["updated"] == ["web-5xx"]
    assert result["alarms"][0]["tags"] == {"team": "web"}


def test_on_change_skips_tag_reads_of_unchanged_alarms(monkeypatch, capsys):
    args = {"prefix": PREFIX, "compare_tags": "on_change", "alarms": [dict(SINGLE, tags={"team": "web"})]}
    result = run(monkeypatch, capsys, args, lambda s: describe(s, [metric("web-5xx")]))
    assert result["changed"] is False
    assert result["alarms"][0]["tags"] is None


def test_tagging_api_reads_all_tags_in_one_call(monkeypatch, capsys):
    tagging, tag_stub = client_and_stub("resourcegroupstaggingapi")
    tag_stub.add_response(
        "get_resources",
        {
            "ResourceTagMappingList": [
                {"ResourceARN": arn("web-5xx"), "Tags": tags_list({"team": "web"})},
                {"ResourceARN": arn("other"), "Tags": tags_list({"team": "x"})},
            ]
        },
        {"ResourceTypeFilters": ["cloudwatch:alarm"], "ResourcesPerPage": 100},
    )
    monkeypatch.setattr(module, "tagging_client", lambda _module: tagging)

    def setup(stubber):
        describe(stubber, [metric("web-5xx"), metric("web-b")])

    alarms = [dict(SINGLE, tags={"team": "web"}), dict(SINGLE, name="web-b", tags={})]
    with tag_stub:
        result = run(monkeypatch, capsys, {"prefix": PREFIX, "compare_tags": "tagging_api", "alarms": alarms}, setup)
    tag_stub.assert_no_pending_responses()
    assert result["changed"] is False, result


def test_tagging_api_failure_falls_back_to_per_alarm_reads_with_a_warning(monkeypatch, capsys):
    tagging, tag_stub = client_and_stub("resourcegroupstaggingapi")
    tag_stub.add_client_error("get_resources", "AccessDeniedException", "not allowed")
    monkeypatch.setattr(module, "tagging_client", lambda _module: tagging)

    def setup(stubber):
        describe(stubber, [metric("web-5xx")])
        stubber.add_response("list_tags_for_resource", {"Tags": tags_list({"team": "web"})}, None)

    args = {"prefix": PREFIX, "compare_tags": "tagging_api", "alarms": [dict(SINGLE, tags={"team": "web"})]}
    with tag_stub:
        result = run(monkeypatch, capsys, args, setup)
    assert result["changed"] is False
    assert "reading them alarm by alarm" in str(result["warnings"])


def test_aws_errors_fail_with_the_operation(monkeypatch, capsys):
    def setup(stubber):
        stubber.add_client_error("describe_alarms", "AccessDenied", "no", http_status_code=403)

    result = run(monkeypatch, capsys, {"prefix": PREFIX, "alarms": [SINGLE]}, setup)
    assert result["failed"] and "describe alarms" in result["msg"]


def test_a_rule_naming_an_alarm_that_exists_nowhere_fails_before_any_write(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber)
        stubber.add_response(
            "describe_alarms",
            {"MetricAlarms": [{"AlarmName": "db-cpu", "AlarmArn": arn("db-cpu")}], "CompositeAlarms": []},
            {"AlarmNames": ["db-cpu", "db-gone"], "AlarmTypes": TYPES},
        )

    rule = 'ALARM("web-5xx") OR ALARM("db-cpu") OR ALARM("db-gone")'
    args = {"prefix": PREFIX, "alarms": [SINGLE, {"name": "web-all", "rule": rule}]}
    result = run(monkeypatch, capsys, args, setup)
    assert result["failed"]
    assert "alarms[1].rule refers to 'db-gone', which is neither declared in alarms nor an alarm" in result["msg"]
    assert "db-cpu" not in result["msg"]


def test_references_inside_the_set_need_no_extra_read(monkeypatch, capsys):
    rule = 'AT_LEAST(1, ALARM, ("web-5xx", "web-5xx"))'
    result = run(
        monkeypatch,
        capsys,
        {"prefix": PREFIX, "alarms": [SINGLE, {"name": "web-all", "rule": rule}]},
        lambda stubber: describe(stubber, [metric("web-5xx")], [composite("web-all", rule)]),
    )
    assert result["changed"] is False, result


# ---------------------------------------------------------------- owner_tag (environments whose names start alike)

OWNER = {"key": "securecloud:environment", "value": "web"}
OWNED = {"securecloud:environment": "web"}


def owned(alarm):
    return dict(alarm, tags=dict(OWNED))


def test_owner_tag_must_be_on_every_declared_alarm_before_any_call(monkeypatch, capsys):
    args = {
        "prefix": PREFIX,
        "owner_tag": OWNER,
        "alarms": [owned(SINGLE), dict(MATH, tags={"team": "web"}), dict(SINGLE, name="web-4xx")],
    }
    result = run(monkeypatch, capsys, args, aws=False)
    assert result["failed"], result
    assert "alarms[1].tags lacks the owner tag securecloud:environment: web (owner_tag)" in result["msg"]
    assert "alarms[2].tags does not set the owner tag securecloud:environment: web (owner_tag)" in result["msg"]
    assert "alarms[0]" not in result["msg"]


def test_owner_tag_purge_deletes_only_the_undeclared_alarms_carrying_it(monkeypatch, capsys):
    def setup(stubber):
        # web-eu-5xx belongs to environment web-eu (prefix web-eu-, inside this task's web-); web-by-hand has no tag.
        describe(stubber, [metric("web-5xx"), metric("web-old"), metric("web-eu-5xx"), metric("web-by-hand")])
        # The deletion candidates' tags first, then the declared alarm's (compare_tags per_alarm).
        candidates = (("web-old", OWNED), ("web-eu-5xx", {"securecloud:environment": "web-eu"}), ("web-by-hand", {}))
        for name, tags in (*candidates, ("web-5xx", OWNED)):
            stubber.add_response("list_tags_for_resource", {"Tags": tags_list(tags)}, {"ResourceARN": arn(name)})
        stubber.add_response("delete_alarms", {}, {"AlarmNames": ["web-old"]})

    result = run(monkeypatch, capsys, {"prefix": PREFIX, "owner_tag": OWNER, "alarms": [owned(SINGLE)]}, setup)
    assert (result["changed"], result["deleted"]) == (True, ["web-old"]), result
    assert result["kept_foreign"] == ["web-by-hand", "web-eu-5xx"]
    assert [a["name"] for a in result["alarms"]] == ["web-5xx", "web-by-hand", "web-eu-5xx"]


def test_owner_tag_state_absent_keeps_the_alarms_of_another_owner(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, [metric("web-5xx")], [composite("web-all", 'ALARM("web-5xx")'), composite("web-eu-all", "x")])
        for name, tags in (
            ("web-5xx", OWNED),
            ("web-all", OWNED),
            ("web-eu-all", {"securecloud:environment": "web-eu"}),
        ):
            stubber.add_response("list_tags_for_resource", {"Tags": tags_list(tags)}, {"ResourceARN": arn(name)})
        stubber.add_response("delete_alarms", {}, {"AlarmNames": ["web-all"]})
        stubber.add_response("delete_alarms", {}, {"AlarmNames": ["web-5xx"]})

    result = run(monkeypatch, capsys, {"prefix": PREFIX, "state": "absent", "owner_tag": OWNER}, setup)
    assert result["deleted"] == ["web-5xx", "web-all"], result
    assert result["kept_foreign"] == ["web-eu-all"]
    assert [a["name"] for a in result["alarms"]] == ["web-eu-all"]


def test_owner_tag_reads_no_tags_when_nothing_would_be_deleted(monkeypatch, capsys):
    args = {"prefix": PREFIX, "owner_tag": OWNER, "compare_tags": "on_change", "alarms": [owned(SINGLE)]}
    result = run(monkeypatch, capsys, args, lambda s: describe(s, [metric("web-5xx")]))
    assert (result["changed"], result["kept_foreign"]) == (False, []), result


def test_owner_tag_check_mode_says_what_it_would_keep_and_deletes_nothing(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, [metric("web-5xx"), metric("web-eu-5xx")])
        stubber.add_response("list_tags_for_resource", {"Tags": []}, {"ResourceARN": arn("web-eu-5xx")})
        stubber.add_response("list_tags_for_resource", {"Tags": tags_list(OWNED)}, {"ResourceARN": arn("web-5xx")})

    args = {"prefix": PREFIX, "owner_tag": OWNER, "alarms": [owned(SINGLE)]}
    result = run(monkeypatch, capsys, args, setup, check_mode=True)
    assert (result["changed"], result["deleted"], result["kept_foreign"]) == (False, [], ["web-eu-5xx"]), result
