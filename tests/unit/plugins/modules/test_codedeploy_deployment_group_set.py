"""plugins/modules/codedeploy_deployment_group_set.py against a botocore Stubber: input checks naming
deployment_groups[i] before any call, the reads (one ListDeploymentGroups, one BatchGetDeploymentGroups), the same
comparison as codedeploy_deployment_group, check mode, diff, purge and scope, state=absent with the application, and
a write that fails partway."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import codedeploy_deployment_group_set as module

from tests.unit.plugins.modules import test_codedeploy_deployment_group as single
from tests.unit.plugins.modules.test_codedeploy_deployment_group import (
    ACCOUNT,
    PROD,
    REGION,
    ROLE,
    TEST,
    application,
    aws_group,
    members,
)

APP = "inventory"


def item(name, service=None, **overrides):
    result = {
        "name": name,
        "service_role": ROLE,
        "ecs_service": {"cluster_name": "main", "service_name": service or name},
        "target_groups": [f"{name}-blue", f"{name}-green"],
        "prod_listener_arns": [PROD],
    }
    result.update(overrides)
    return result


def args(groups, **overrides):
    result = {"application_name": APP, "prefix": "dev-", "deployment_groups": groups}
    result.update(overrides)
    return result


def request(name, service=None, **overrides):
    """The CreateDeploymentGroup (and UpdateDeploymentGroup) members of ``item(name)``."""
    return members(
        deploymentGroupName=name,
        ecsServices=[{"serviceName": service or name, "clusterName": "main"}],
        loadBalancerInfo={
            "targetGroupPairInfoList": [
                {
                    "targetGroups": [{"name": f"{name}-blue"}, {"name": f"{name}-green"}],
                    "prodTrafficRoute": {"listenerArns": [PROD]},
                }
            ]
        },
        **overrides,
    )


def current(name, **overrides):
    """BatchGetDeploymentGroups' entry for the group ``item(name)`` makes, as AWS fills it in."""
    info = aws_group(**{key: value for key, value in request(name).items() if key != "applicationName"})
    info.update(deploymentGroupId=f"id-{name}", **overrides)
    return info


def arn(name):
    return f"arn:aws:codedeploy:{REGION}:{ACCOUNT}:deploymentgroup:{APP}/{name}"


def run_module(monkeypatch, capsys, arguments, setup=None, **flags):
    """Run ``main()`` as the single module's tests do (its stubbed client and account lookup)."""
    return single.run_module(monkeypatch, capsys, arguments, setup, tested=module, **flags)


def app_missing(stubber):
    stubber.add_client_error(
        "get_application",
        "ApplicationDoesNotExistException",
        http_status_code=400,
        expected_params={"applicationName": APP},
    )


def listed(stubber, names, batch=(), found=(), platform="ECS"):
    """GetApplication, ListDeploymentGroups (``names``) and, when ``batch`` names groups, one
    BatchGetDeploymentGroups answering ``found``."""
    stubber.add_response("get_application", application(platform), {"applicationName": APP})
    stubber.add_response(
        "list_deployment_groups", {"applicationName": APP, "deploymentGroups": list(names)}, {"applicationName": APP}
    )
    if batch:
        stubber.add_response(
            "batch_get_deployment_groups",
            {"deploymentGroupsInfo": list(found)},
            {"applicationName": APP, "deploymentGroupNames": list(batch)},
        )


def tags(stubber, name, values=None):
    tag_list = [{"Key": k, "Value": v} for k, v in sorted((values or {}).items())]
    stubber.add_response("list_tags_for_resource", {"Tags": tag_list}, {"ResourceArn": arn(name)})


# ---------------------------------------------------------------- input checks (no AWS call at all)

BAD_INPUT = [
    ([item("dev-a", target_groups=["x"])], {}, ["deployment_groups[0].target_groups has 1 entries"]),
    ([item("dev-a"), item("dev-b", prod_listener_arns=["x"])], {}, ["deployment_groups[1].prod_listener_arns[0]"]),
    ([item("prod-a")], {}, ["deployment_groups[0].name 'prod-a' does not start with prefix 'dev-'"]),
    ([item("dev-a"), item("dev-a", service="b")], {}, ["deployment_groups[1].name 'dev-a' is declared twice"]),
    ([item("dev-a", service="s"), item("dev-b", service="s")], {}, ["deployment_groups[1].ecs_service is also"]),
    ([item("dev-a")], {"application_name": "in/v"}, ["application_name 'in/v' is not a valid"]),
    (
        [item("dev-a", alarms={"names": [f"a{i}" for i in range(11)]})],
        {},
        ["deployment_groups[0].alarms.names has 11 alarms"],
    ),
    ([item("dev-a", tags={"aws:x": "y"})], {}, ["deployment_groups[0].tags key 'aws:x'"]),
]


@pytest.mark.parametrize(("groups", "overrides", "expected"), BAD_INPUT)
def test_bad_input_fails_before_any_aws_call_naming_the_group(monkeypatch, capsys, groups, overrides, expected):
    result = run_module(monkeypatch, capsys, args(groups, **overrides), aws=False)
    assert result["failed"] is True
    for part in expected:
        assert part in result["msg"], result["msg"]


def test_every_problem_of_every_group_is_reported_at_once(monkeypatch, capsys):
    groups = [item("dev-a", target_groups=["x"]), item("dev-b", termination_wait_minutes=9000), item("other")]
    result = run_module(monkeypatch, capsys, args(groups), aws=False)
    assert [e.split(" ")[0] for e in result["errors"]] == [
        "deployment_groups[0].target_groups",
        "deployment_groups[1].termination_wait_minutes",
        "deployment_groups[2].name",
    ]


# ---------------------------------------------------------------- create


def test_check_mode_predicts_the_creates_with_one_read(monkeypatch, capsys):
    result = run_module(
        monkeypatch, capsys, args([item("dev-b"), item("dev-a")]), app_missing, check_mode=True, diff=True
    )
    assert (result["changed"], result["created"], result["updated"], result["deleted"]) == (
        True,
        ["dev-a", "dev-b"],
        [],
        [],
    )
    assert [g["deployment_group_name"] for g in result["deployment_groups"]] == ["dev-a", "dev-b"]
    assert all(g["deployment_group_id"] is None for g in result["deployment_groups"])
    assert result["diff"]["before"] == {} and sorted(result["diff"]["after"]) == ["dev-a", "dev-b"]
    assert result["_account_calls"] == 0


def test_create_makes_the_application_then_each_group(monkeypatch, capsys):
    def setup(stubber):
        app_missing(stubber)
        stubber.add_response(
            "create_application", {"applicationId": "6a1bd4b0"}, {"applicationName": APP, "computePlatform": "ECS"}
        )
        stubber.add_response("create_deployment_group", {"deploymentGroupId": "id-a"}, request("dev-a"))
        stubber.add_response(
            "create_deployment_group",
            {"deploymentGroupId": "id-b"},
            dict(request("dev-b"), tags=[{"Key": "team", "Value": "b"}]),
        )

    result = run_module(monkeypatch, capsys, args([item("dev-b", tags={"team": "b"}), item("dev-a")]), setup)
    assert result["changed"] is True and result["created"] == ["dev-a", "dev-b"]
    assert [g["deployment_group_id"] for g in result["deployment_groups"]] == ["id-a", "id-b"]
    assert result["deployment_groups"][1]["tags"] == {"team": "b"}


def test_an_application_of_another_platform_fails_before_any_change(monkeypatch, capsys):
    def setup(stubber):
        listed(stubber, [], platform="Server")

    result = run_module(monkeypatch, capsys, args([item("dev-a")]), setup)
    assert result["failed"] is True and "has compute platform Server" in result["msg"]


# ---------------------------------------------------------------- idempotence and drift


def no_op(stubber):
    listed(stubber, ["dev-a", "dev-b", "other"], ["dev-a", "dev-b"], [current("dev-a"), current("dev-b")])
    tags(stubber, "dev-a", {"team": "a"})
    tags(stubber, "dev-b")


def test_a_set_that_matches_makes_reads_only(monkeypatch, capsys):
    declared = args([item("dev-b"), item("dev-a", tags={"team": "a"})])
    result = run_module(monkeypatch, capsys, declared, no_op, diff=True)
    assert (result["changed"], result["created"], result["updated"], result["deleted"]) == (False, [], [], [])
    assert result["diff"] == {"before": {}, "after": {}}
    assert [g["deployment_group_id"] for g in result["deployment_groups"]] == ["id-dev-a", "id-dev-b"]
    assert result["_account_calls"] == 1  # the groups' ARNs, for their tags


@pytest.mark.parametrize("check_mode", [True, False])
def test_a_drifted_group_is_updated_with_a_diff_naming_what_differs(monkeypatch, capsys, check_mode):
    drifted = current("dev-a", deploymentConfigName="CodeDeployDefault.ECSLinear10PercentEvery1Minutes")

    def setup(stubber):
        listed(stubber, ["dev-a", "dev-b"], ["dev-a", "dev-b"], [drifted, current("dev-b")])
        tags(stubber, "dev-a")
        tags(stubber, "dev-b", {"team": "b", "old": "x"})
        if not check_mode:
            stubber.add_response(
                "update_deployment_group",
                {},
                dict(
                    {k: v for k, v in request("dev-a").items() if k != "deploymentGroupName"},
                    currentDeploymentGroupName="dev-a",
                ),
            )
            stubber.add_response("untag_resource", {}, {"ResourceArn": arn("dev-b"), "TagKeys": ["old"]})

    declared = args([item("dev-a"), item("dev-b", tags={"team": "b"})])
    result = run_module(monkeypatch, capsys, declared, setup, check_mode=check_mode, diff=True)
    assert (result["changed"], result["created"], result["updated"], result["deleted"]) == (
        True,
        [],
        ["dev-a", "dev-b"],
        [],
    )
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before["dev-a"]["deployment_config_name"] == "CodeDeployDefault.ECSLinear10PercentEvery1Minutes"
    assert after["dev-a"]["deployment_config_name"] == "CodeDeployDefault.ECSAllAtOnce"
    assert (before["dev-b"]["tags"], after["dev-b"]["tags"]) == ({"team": "b", "old": "x"}, {"team": "b"})


# ---------------------------------------------------------------- purge, scope and absent


@pytest.mark.parametrize("purge", [True, False])
def test_purge_deletes_the_undeclared_groups_in_the_scope_only(monkeypatch, capsys, purge):
    def setup(stubber):
        listed(stubber, ["dev-a", "dev-old", "prod-a"], ["dev-a"], [current("dev-a")])
        tags(stubber, "dev-a")
        if purge:
            stubber.add_response(
                "delete_deployment_group", {}, {"applicationName": APP, "deploymentGroupName": "dev-old"}
            )

    result = run_module(monkeypatch, capsys, args([item("dev-a")], purge=purge), setup)
    assert result["deleted"] == (["dev-old"] if purge else [])
    assert result["changed"] is purge
    names = [g["deployment_group_name"] for g in result["deployment_groups"]]
    assert names == (["dev-a"] if purge else ["dev-a", "dev-old"])


def test_an_empty_prefix_is_every_group_of_the_application(monkeypatch, capsys):
    def setup(stubber):
        listed(stubber, ["dev-a", "users-own"], ["dev-a"], [current("dev-a")])
        tags(stubber, "dev-a")
        stubber.add_response(
            "delete_deployment_group", {}, {"applicationName": APP, "deploymentGroupName": "users-own"}
        )

    result = run_module(monkeypatch, capsys, args([item("dev-a")], prefix=""), setup)
    assert result["deleted"] == ["users-own"]


def test_diff_of_a_purge_reads_the_deleted_group_in_the_same_batch(monkeypatch, capsys):
    def setup(stubber):
        listed(stubber, ["dev-a", "dev-old"], ["dev-a", "dev-old"], [current("dev-a"), current("dev-old")])
        tags(stubber, "dev-old", {"team": "old"})
        tags(stubber, "dev-a")

    result = run_module(monkeypatch, capsys, args([item("dev-a")]), setup, check_mode=True, diff=True)
    assert result["deleted"] == ["dev-old"]
    assert result["diff"]["before"]["dev-old"]["tags"] == {"team": "old"} and result["diff"]["after"] == {}


def test_absent_deletes_the_scope_then_the_empty_application(monkeypatch, capsys):
    def setup(stubber):
        listed(stubber, ["dev-a", "dev-b"])
        for name in ("dev-a", "dev-b"):
            stubber.add_response("delete_deployment_group", {}, {"applicationName": APP, "deploymentGroupName": name})
        stubber.add_response("delete_application", {}, {"applicationName": APP})

    result = run_module(monkeypatch, capsys, args([], state="absent", delete_application=True), setup)
    assert (result["deleted"], result["application_deleted"], result["deployment_groups"]) == (
        ["dev-a", "dev-b"],
        True,
        [],
    )


def test_absent_keeps_an_application_groups_outside_the_scope_use(monkeypatch, capsys):
    def setup(stubber):
        listed(stubber, ["dev-a", "prod-a"])
        stubber.add_response("delete_deployment_group", {}, {"applicationName": APP, "deploymentGroupName": "dev-a"})

    result = run_module(monkeypatch, capsys, args([], state="absent", delete_application=True), setup)
    assert result["deleted"] == ["dev-a"] and result["application_deleted"] is False
    assert any("prod-a outside the scope still use it" in w for w in result["warnings"])


def test_absent_of_a_missing_application_changes_nothing(monkeypatch, capsys):
    result = run_module(monkeypatch, capsys, args([], state="absent", delete_application=True), app_missing)
    assert (result["changed"], result["deleted"], result["application_deleted"]) == (False, [], False)


# ---------------------------------------------------------------- a write that fails partway


def test_a_failed_write_names_what_was_written_and_what_was_not(monkeypatch, capsys):
    def setup(stubber):
        listed(stubber, ["dev-old"])
        stubber.add_response("delete_deployment_group", {}, {"applicationName": APP, "deploymentGroupName": "dev-old"})
        stubber.add_response("create_deployment_group", {"deploymentGroupId": "id-a"}, request("dev-a"))
        stubber.add_client_error(
            "create_deployment_group",
            "InvalidECSServiceException",
            "Deployment group's ECS service must be configured for a CODE_DEPLOY deployment controller.",
            400,
        )

    groups = [item("dev-a"), item("dev-b"), item("dev-c")]
    result = run_module(monkeypatch, capsys, args(groups), setup)
    assert result["failed"] is True
    assert (result["written"], result["not_written"]) == (["dev-old", "dev-a"], ["dev-b", "dev-c"])
    assert "CODE_DEPLOY deployment controller" in result["msg"] and "Not written: dev-b, dev-c" in result["msg"]


def test_more_than_100_declared_groups_are_read_100_a_call(monkeypatch, capsys):
    names = [f"dev-{i:03d}" for i in range(101)]

    def setup(stubber):
        stubber.add_response("get_application", application(), {"applicationName": APP})
        stubber.add_response("list_deployment_groups", {"deploymentGroups": names}, {"applicationName": APP})
        for batch in (names[:100], names[100:]):
            stubber.add_response(
                "batch_get_deployment_groups",
                {"deploymentGroupsInfo": [current(name) for name in batch]},
                {"applicationName": APP, "deploymentGroupNames": batch},
            )
        for name in names:
            tags(stubber, name)

    result = run_module(monkeypatch, capsys, args([item(name) for name in names]), setup)
    assert result["changed"] is False and len(result["deployment_groups"]) == 101


def test_test_listener_and_alarms_compare_as_the_single_module_does(monkeypatch, capsys):
    """Alarms in another order and AWS's defaults are no change (the shared comparison of module_utils/codedeploy)."""
    alarmed = current(
        "dev-a",
        alarmConfiguration={"enabled": True, "ignorePollAlarmFailure": False, "alarms": [{"name": "b"}, {"name": "a"}]},
        autoRollbackConfiguration={"enabled": True, "events": ["DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_FAILURE"]},
    )
    alarmed["loadBalancerInfo"]["targetGroupPairInfoList"][0]["testTrafficRoute"] = {"listenerArns": [TEST]}

    def setup(stubber):
        listed(stubber, ["dev-a"], ["dev-a"], [alarmed])
        tags(stubber, "dev-a")

    declared = item("dev-a", test_listener_arns=[TEST], alarms={"names": ["a", "b"]})
    result = run_module(monkeypatch, capsys, args([declared]), setup)
    assert result["changed"] is False


def test_a_custom_deployment_configuration_shared_by_the_groups_is_read_once(monkeypatch, capsys):
    config = "Custom.ECSCanary5Percent1Minute"

    def setup(stubber):
        app_missing(stubber)
        stubber.add_response(
            "get_deployment_config",
            {"deploymentConfigInfo": {"deploymentConfigName": config, "computePlatform": "ECS"}},
            {"deploymentConfigName": config},
        )

    groups = [item(name, deployment_config_name=config) for name in ("dev-a", "dev-b", "dev-c")]
    result = run_module(monkeypatch, capsys, args(groups), setup, check_mode=True)
    assert result.get("failed") is not True, result
    assert result["created"] == ["dev-a", "dev-b", "dev-c"]
