"""plugins/modules/codedeploy_deployment_group.py against a botocore Stubber: input checks before any call, the
canonical comparison (defaults, set-like lists), check mode, diff, tags, absent and the application's lifecycle."""

from __future__ import annotations

import copy
import json

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils import codedeploy
from ansible_collections.securecloud.monitor.plugins.modules import codedeploy_deployment_group as module

from tests.unit.aws_stub import AwsStub, stubbed_client

ACCOUNT = "123456789012"
REGION = "eu-west-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/codedeploy-ecs"
LB = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/net/inv/50dc6c495c0c9188"
PROD = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener/net/inv/50dc6c495c0c9188/f2f7dc8efc522ab2"
TEST = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener/net/inv/50dc6c495c0c9188/0467ef3c8400ae65"
BLUE_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/inv-blue/73e2d6bc24d8a067"
GROUP_ARN = f"arn:aws:codedeploy:{REGION}:{ACCOUNT}:deploymentgroup:inventory/inventory-app"
GROUP_ID = "01f8ef66-1006-4ba1-8199-02b96d24b149"
NAMES = {"applicationName": "inventory", "deploymentGroupName": "inventory-app"}


def args(**overrides):
    result = {
        "application_name": "inventory",
        "name": "inventory-app",
        "service_role": ROLE,
        "ecs_service": {"cluster_name": "main", "service_name": "inventory-app"},
        "target_groups": ["inv-blue", "inv-green"],
        "prod_listener_arns": [PROD],
    }
    result.update(overrides)
    return result


def members(**overrides):
    """The CreateDeploymentGroup request for ``args()`` (the module's defaults)."""
    result = {
        **NAMES,
        "deploymentConfigName": "CodeDeployDefault.ECSAllAtOnce",
        "serviceRoleArn": ROLE,
        "deploymentStyle": {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
        "ecsServices": [{"serviceName": "inventory-app", "clusterName": "main"}],
        "loadBalancerInfo": {
            "targetGroupPairInfoList": [
                {
                    "targetGroups": [{"name": "inv-blue"}, {"name": "inv-green"}],
                    "prodTrafficRoute": {"listenerArns": [PROD]},
                }
            ]
        },
        "blueGreenDeploymentConfiguration": {
            "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 5},
            "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT"},
        },
        "autoRollbackConfiguration": {"enabled": True, "events": ["DEPLOYMENT_FAILURE"]},
        "alarmConfiguration": {"enabled": False, "ignorePollAlarmFailure": False, "alarms": []},
    }
    result.update(overrides)
    return result


def aws_group(**overrides):
    """GetDeploymentGroup's answer for the group ``members()`` creates, as AWS fills it in."""
    info = copy.deepcopy(members())
    info.update(
        deploymentGroupId=GROUP_ID,
        computePlatform="ECS",
        ec2TagFilters=[],
        onPremisesInstanceTagFilters=[],
        autoScalingGroups=[],
        triggerConfigurations=[],
        outdatedInstancesStrategy="UPDATE",
        terminationHookEnabled=False,
    )
    info["blueGreenDeploymentConfiguration"]["deploymentReadyOption"]["waitTimeInMinutes"] = 0
    info.update(overrides)
    return info


def application(platform="ECS"):
    return {"application": {"applicationId": "6a1bd4b0", "applicationName": "inventory", "computePlatform": platform}}


def stubbed():
    return stubbed_client("codedeploy", REGION)


def run_module(monkeypatch, capsys, arguments, setup=None, check_mode=False, diff=False, aws=True, tested=module):
    """Run ``main()`` of ``tested`` (this module, or codedeploy_deployment_group_set) with real argument parsing;
    every CodeDeploy call must be stubbed, in order."""
    client, stubber = stubbed()
    if setup:
        setup(stubber)
    account_calls = []

    def account_info(_module):
        account_calls.append(1)
        return ACCOUNT, "aws"

    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.factories(getattr(tested, "cd", tested), aws, codedeploy_client=client)
    monkeypatch.setattr(tested, "get_aws_account_info", account_info)
    result = aws_stub.run(tested, dict(arguments, region=REGION), stubber, check_mode=check_mode, diff=diff)
    # ansible-core 2.19 reports warnings as structures: compare their text
    result["warnings"] = [json.dumps(warning) for warning in result.get("warnings", [])]
    result["_account_calls"] = len(account_calls)
    return result


def app_missing(stubber):
    stubber.add_client_error(
        "get_application",
        "ApplicationDoesNotExistException",
        http_status_code=400,
        expected_params={"applicationName": "inventory"},
    )


def app_exists(stubber, platform="ECS"):
    stubber.add_response("get_application", application(platform), {"applicationName": "inventory"})


def group_missing(stubber):
    stubber.add_client_error("get_deployment_group", "DeploymentGroupDoesNotExistException", 400, expected_params=NAMES)


def group_exists(stubber, info=None, tags=None):
    stubber.add_response("get_deployment_group", {"deploymentGroupInfo": info or aws_group()}, NAMES)
    tag_list = [{"Key": k, "Value": v} for k, v in sorted((tags or {}).items())]
    stubber.add_response("list_tags_for_resource", {"Tags": tag_list}, {"ResourceArn": GROUP_ARN})


# ---------------------------------------------------------------- input checks (no AWS call at all)

BAD_INPUT = [
    ({"target_groups": ["inv-blue"]}, ["target_groups has 1 entries", "exactly 2 target groups"]),
    ({"target_groups": ["a", "b", "c"]}, ["target_groups has 3 entries"]),
    ({"target_groups": ["inv-blue", "inv-blue"]}, ["target_groups[0] and target_groups[1] are both 'inv-blue'"]),
    ({"target_groups": [BLUE_ARN, "inv-blue"]}, ["are both 'inv-blue'"]),
    ({"target_groups": ["inv-blue", "-bad-"]}, ["target_groups[1] '-bad-' is not a target group name"]),
    ({"target_groups": ["inv-blue", LB]}, ["target_groups[1]", "is not a target group ARN"]),
    ({"prod_listener_arns": [LB]}, ["prod_listener_arns[0]", "is not a load balancer listener ARN", "aws_lb_listener"]),
    ({"prod_listener_arns": [BLUE_ARN]}, ["prod_listener_arns[0]", "not the load balancer or target group"]),
    ({"prod_listener_arns": [PROD, TEST]}, ["prod_listener_arns has 2 entries", "exactly one listener ARN"]),
    ({"prod_listener_arns": []}, ["prod_listener_arns has 0 entries"]),
    ({"test_listener_arns": [PROD]}, ["test_listener_arns repeats the production listener"]),
    ({"test_listener_arns": ["listener-1"]}, ["test_listener_arns[0] 'listener-1' is not a load balancer listener"]),
    (
        {"auto_rollback": {"events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]}},
        ["auto_rollback.events has DEPLOYMENT_STOP_ON_ALARM but alarms.names is empty"],
    ),
    ({"auto_rollback": {"events": []}}, ["auto_rollback.events is empty but auto_rollback.enabled is true"]),
    ({"alarms": {"names": [f"alarm-{i}" for i in range(11)]}}, ["alarms.names has 11 alarms", "at most 10"]),
    ({"alarms": {"names": ["a", "b", "a"]}}, ["alarms.names[2] 'a' is also alarms.names[0]"]),
    ({"termination_wait_minutes": 2881}, ["termination_wait_minutes is 2881", "between 0 and 2880"]),
    ({"termination_wait_minutes": -1}, ["termination_wait_minutes is -1"]),
    (
        {"deployment_config_name": "CodeDeployDefault.OneAtATime"},
        ["deployment_config_name 'CodeDeployDefault.OneAtATime' is not a predefined ECS", "ECSCanary10Percent5Minutes"],
    ),
    ({"deployment_config_name": "CodeDeployDefault.ECSAllAtOnceX"}, ["is not a predefined ECS deployment"]),
    ({"deployment_config_name": "my config"}, ["deployment_config_name 'my config' is not a valid"]),
    ({"deployment_ready_action": "STOP_DEPLOYMENT"}, ["deployment_ready_wait_minutes is not set", "STOP_DEPLOYMENT"]),
    (
        {"deployment_ready_action": "STOP_DEPLOYMENT", "deployment_ready_wait_minutes": 0},
        ["deployment_ready_wait_minutes is 0", "between 1 and 2880"],
    ),
    ({"deployment_ready_wait_minutes": 10}, ["deployment_ready_wait_minutes is set but deployment_ready_action is"]),
    ({"service_role": "arn:aws:iam::123:role/x"}, ["service_role 'arn:aws:iam::123:role/x' is neither"]),
    (
        {"ecs_service": {"cluster_name": "main", "service_name": f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/other/inv"}},
        ["is a service of cluster 'other', but ecs_service.cluster_name is 'main'"],
    ),
    (
        {"ecs_service": {"cluster_name": "main cluster", "service_name": "x"}},
        ["ecs_service.cluster_name 'main cluster'"],
    ),
    ({"application_name": "inv/app"}, ["application_name 'inv/app' is not a valid CodeDeploy application name"]),
    ({"name": ""}, ["name '' is not a valid deployment group name"]),
    ({"tags": {"aws:owner": "x"}}, ["tags key 'aws:owner'"]),
]


@pytest.mark.parametrize(("overrides", "expected"), BAD_INPUT)
def test_bad_input_fails_before_any_aws_call(monkeypatch, capsys, overrides, expected):
    result = run_module(monkeypatch, capsys, args(**overrides), aws=False)
    assert result["failed"] is True
    for part in expected:
        assert part in result["msg"], result["msg"]


def test_every_problem_is_reported_at_once(monkeypatch, capsys):
    bad = args(target_groups=["a"], prod_listener_arns=["x"], termination_wait_minutes=9000)
    result = run_module(monkeypatch, capsys, bad, aws=False)
    assert len(result["errors"]) == 3
    assert [e.split(" ")[0] for e in result["errors"]] == [
        "target_groups",
        "prod_listener_arns[0]",
        "termination_wait_minutes",
    ]


def test_absent_needs_only_the_names(monkeypatch, capsys):
    def setup(stubber):
        app_missing(stubber)

    result = run_module(
        monkeypatch, capsys, {"application_name": "inventory", "name": "inventory-app", "state": "absent"}, setup
    )
    assert (result["changed"], result["deployment_group"], result["deployment_group_id"]) == (False, {}, None)


# ---------------------------------------------------------------- create


def test_check_mode_predicts_the_create_and_calls_nothing_that_changes(monkeypatch, capsys):
    result = run_module(monkeypatch, capsys, args(), app_missing, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["deployment_group_id"] is None and result["application_name"] == "inventory"
    group = result["deployment_group"]
    assert group["deployment_group_id"] is None and group["compute_platform"] == "ECS"
    assert group["deployment_style"] == {"deployment_type": "BLUE_GREEN", "deployment_option": "WITH_TRAFFIC_CONTROL"}
    assert group["ecs_services"] == [{"cluster_name": "main", "service_name": "inventory-app"}]
    assert group["blue_green_deployment_configuration"] == {
        "terminate_blue_instances_on_deployment_success": {
            "action": "TERMINATE",
            "termination_wait_time_in_minutes": 5,
        },
        "deployment_ready_option": {"action_on_timeout": "CONTINUE_DEPLOYMENT"},
    }
    assert group["auto_rollback_configuration"] == {"enabled": True, "events": ["DEPLOYMENT_FAILURE"]}
    assert group["alarm_configuration"] == {"enabled": False, "ignore_poll_alarm_failure": False, "alarms": []}
    assert result["diff"]["before"] == {} and "deployment_group_id" not in result["diff"]["after"]
    assert result["_account_calls"] == 0  # a role ARN needs no account lookup


def test_create_makes_the_application_and_the_group(monkeypatch, capsys):
    def setup(stubber):
        app_missing(stubber)
        stubber.add_response(
            "create_application",
            {"applicationId": "6a1bd4b0"},
            {"applicationName": "inventory", "computePlatform": "ECS"},
        )
        stubber.add_response(
            "create_deployment_group",
            {"deploymentGroupId": GROUP_ID},
            dict(members(), tags=[{"Key": "team", "Value": "inventory"}]),
        )

    result = run_module(monkeypatch, capsys, args(tags={"team": "inventory"}), setup)
    assert result["changed"] is True
    assert result["deployment_group_id"] == GROUP_ID == result["deployment_group"]["deployment_group_id"]
    assert result["deployment_group"]["tags"] == {"team": "inventory"}


def test_create_with_everything_set_sends_the_full_ecs_configuration(monkeypatch, capsys):
    full = args(
        service_role="codedeploy-ecs",
        deployment_config_name="CodeDeployDefault.ECSCanary10Percent5Minutes",
        ecs_service={
            "cluster_name": f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/main",
            "service_name": f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/main/inventory-app",
        },
        target_groups=[BLUE_ARN, "inv-green"],
        test_listener_arns=[TEST],
        termination_wait_minutes=60,
        deployment_ready_action="STOP_DEPLOYMENT",
        deployment_ready_wait_minutes=30,
        alarms={"names": ["inv-5xx", "inv-p99"], "ignore_poll_alarm_failure": True},
    )
    expected = members(
        deploymentConfigName="CodeDeployDefault.ECSCanary10Percent5Minutes",
        loadBalancerInfo={
            "targetGroupPairInfoList": [
                {
                    "targetGroups": [{"name": "inv-blue"}, {"name": "inv-green"}],
                    "prodTrafficRoute": {"listenerArns": [PROD]},
                    "testTrafficRoute": {"listenerArns": [TEST]},
                }
            ]
        },
        blueGreenDeploymentConfiguration={
            "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 60},
            "deploymentReadyOption": {"actionOnTimeout": "STOP_DEPLOYMENT", "waitTimeInMinutes": 30},
        },
        autoRollbackConfiguration={"enabled": True, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]},
        alarmConfiguration={
            "enabled": True,
            "ignorePollAlarmFailure": True,
            "alarms": [{"name": "inv-5xx"}, {"name": "inv-p99"}],
        },
    )

    def setup(stubber):
        app_exists(stubber)
        group_missing(stubber)
        stubber.add_response("create_deployment_group", {"deploymentGroupId": GROUP_ID}, expected)

    result = run_module(monkeypatch, capsys, full, setup)
    assert result["changed"] is True
    assert result["_account_calls"] == 1  # the role name became arn:aws:iam::ACCOUNT:role/codedeploy-ecs


def test_an_application_of_another_platform_fails_before_any_change(monkeypatch, capsys):
    def setup(stubber):
        app_exists(stubber, "Server")
        group_missing(stubber)

    result = run_module(monkeypatch, capsys, args(), setup)
    assert result["failed"] is True
    assert "application 'inventory' has compute platform Server" in result["msg"]


def test_a_failed_create_removes_the_application_it_made(monkeypatch, capsys):
    def setup(stubber):
        app_missing(stubber)
        stubber.add_response("create_application", {"applicationId": "6a1bd4b0"})
        stubber.add_client_error(
            "create_deployment_group",
            "InvalidECSServiceException",
            "Deployment group's ECS service must be configured for a CODE_DEPLOY deployment controller.",
            400,
        )
        stubber.add_response("delete_application", {}, {"applicationName": "inventory"})

    result = run_module(monkeypatch, capsys, args(), setup)
    assert result["failed"] is True
    assert "CODE_DEPLOY deployment controller" in result["msg"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_missing_custom_deployment_config(monkeypatch, capsys, check_mode):
    def setup(stubber):
        app_exists(stubber)
        group_missing(stubber)
        stubber.add_client_error(
            "get_deployment_config",
            "DeploymentConfigDoesNotExistException",
            http_status_code=400,
            expected_params={"deploymentConfigName": "ecs-quarter"},
        )

    result = run_module(monkeypatch, capsys, args(deployment_config_name="ecs-quarter"), setup, check_mode=check_mode)
    if check_mode:
        assert result["changed"] is True
        assert any("'ecs-quarter' does not exist" in w for w in result["warnings"])
    else:
        assert result["failed"] is True and "'ecs-quarter' does not exist" in result["msg"]


def test_a_custom_deployment_config_of_another_platform(monkeypatch, capsys):
    def setup(stubber):
        app_exists(stubber)
        group_missing(stubber)
        stubber.add_response(
            "get_deployment_config",
            {"deploymentConfigInfo": {"deploymentConfigName": "half", "computePlatform": "Server"}},
        )

    result = run_module(monkeypatch, capsys, args(deployment_config_name="half"), setup)
    assert result["failed"] is True and "for the Server compute platform" in result["msg"]


# ---------------------------------------------------------------- idempotence and updates


def test_a_group_that_matches_is_left_alone(monkeypatch, capsys):
    """AWS's order of the set-like lists and its defaults (waitTimeInMinutes 0, events of a rule, ...) are no change."""
    declared = args(
        target_groups=["inv-blue", "inv-green"],
        alarms={"names": ["b-alarm", "a-alarm"]},
        auto_rollback={"events": ["DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_FAILURE"]},
        tags={"team": "inventory"},
    )
    current = aws_group(
        loadBalancerInfo={
            "targetGroupPairInfoList": [
                {
                    "targetGroups": [{"name": "inv-green"}, {"name": "inv-blue"}],
                    "prodTrafficRoute": {"listenerArns": [PROD]},
                    "testTrafficRoute": {"listenerArns": []},
                }
            ]
        },
        alarmConfiguration={
            "enabled": True,
            "ignorePollAlarmFailure": False,
            "alarms": [{"name": "a-alarm"}, {"name": "b-alarm"}],
        },
        autoRollbackConfiguration={"enabled": True, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]},
    )

    def setup(stubber):
        app_exists(stubber)
        group_exists(stubber, current, {"team": "inventory"})

    result = run_module(monkeypatch, capsys, declared, setup, diff=True)
    assert result["changed"] is False
    assert result["deployment_group_id"] == GROUP_ID
    pair = result["deployment_group"]["load_balancer_info"]["target_group_pair_info_list"][0]
    assert pair["target_groups"] == [{"name": "inv-green"}, {"name": "inv-blue"}]  # as AWS has them
    assert result["diff"]["before"] == result["diff"]["after"]


def test_disabled_parts_compare_by_what_they_do(monkeypatch, capsys):
    """A disabled rollback keeps its events in AWS, an empty alarm list its poll setting: neither is a change."""
    current = aws_group(
        autoRollbackConfiguration={"enabled": False, "events": ["DEPLOYMENT_FAILURE"]},
        alarmConfiguration={"enabled": False, "ignorePollAlarmFailure": True, "alarms": []},
    )

    def setup(stubber):
        app_exists(stubber)
        group_exists(stubber, current)

    result = run_module(monkeypatch, capsys, args(auto_rollback={"enabled": False}), setup)
    assert result["changed"] is False
    assert result["deployment_group"]["auto_rollback_configuration"] == {"enabled": False}


def test_update_sends_the_whole_group_and_shows_the_diff(monkeypatch, capsys):
    declared = args(
        test_listener_arns=[TEST],
        termination_wait_minutes=30,
        alarms={"names": ["inv-5xx"]},
        deployment_config_name="CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
    )
    expected = members(
        deploymentConfigName="CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
        loadBalancerInfo={
            "targetGroupPairInfoList": [
                {
                    "targetGroups": [{"name": "inv-blue"}, {"name": "inv-green"}],
                    "prodTrafficRoute": {"listenerArns": [PROD]},
                    "testTrafficRoute": {"listenerArns": [TEST]},
                }
            ]
        },
        blueGreenDeploymentConfiguration={
            "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 30},
            "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT"},
        },
        autoRollbackConfiguration={"enabled": True, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]},
        alarmConfiguration={"enabled": True, "ignorePollAlarmFailure": False, "alarms": [{"name": "inv-5xx"}]},
    )
    expected["currentDeploymentGroupName"] = expected.pop("deploymentGroupName")

    def setup(stubber):
        app_exists(stubber)
        group_exists(stubber)
        stubber.add_response("update_deployment_group", {"hooksNotCleanedUp": []}, expected)

    result = run_module(monkeypatch, capsys, declared, setup, diff=True)
    assert result["changed"] is True
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before["deployment_config_name"] == "CodeDeployDefault.ECSAllAtOnce"
    assert after["deployment_config_name"] == "CodeDeployDefault.ECSLinear10PercentEvery1Minutes"
    assert before["alarm_configuration"] == {"enabled": False, "ignore_poll_alarm_failure": False}  # [] dropped
    assert after["alarm_configuration"] == {
        "enabled": True,
        "ignore_poll_alarm_failure": False,
        "alarms": [{"name": "inv-5xx"}],
    }
    assert "test_traffic_route" not in before["load_balancer_info"]["target_group_pair_info_list"][0]
    assert after["load_balancer_info"]["target_group_pair_info_list"][0]["test_traffic_route"] == {
        "listener_arns": [TEST]
    }
    blue = "terminate_blue_instances_on_deployment_success"
    assert before["blue_green_deployment_configuration"][blue]["termination_wait_time_in_minutes"] == 5
    assert after["blue_green_deployment_configuration"][blue]["termination_wait_time_in_minutes"] == 30
    assert result["deployment_group"]["deployment_group_id"] == GROUP_ID


def test_check_mode_update_predicts_without_calling(monkeypatch, capsys):
    def setup(stubber):
        app_exists(stubber)
        group_exists(stubber)

    result = run_module(monkeypatch, capsys, args(termination_wait_minutes=10), setup, check_mode=True)
    assert result["changed"] is True
    blue = result["deployment_group"]["blue_green_deployment_configuration"]
    assert blue["terminate_blue_instances_on_deployment_success"]["termination_wait_time_in_minutes"] == 10


def test_tags_only_change_tags(monkeypatch, capsys):
    def setup(stubber):
        app_exists(stubber)
        group_exists(stubber, tags={"team": "inv", "old": "1"})
        stubber.add_response("untag_resource", {}, {"ResourceArn": GROUP_ARN, "TagKeys": ["old"]})
        stubber.add_response(
            "tag_resource", {}, {"ResourceArn": GROUP_ARN, "Tags": [{"Key": "team", "Value": "inventory"}]}
        )

    result = run_module(monkeypatch, capsys, args(tags={"team": "inventory"}), setup)
    assert result["changed"] is True and result["deployment_group"]["tags"] == {"team": "inventory"}


def test_tags_not_set_are_left_alone(monkeypatch, capsys):
    def setup(stubber):
        app_exists(stubber)
        group_exists(stubber, tags={"team": "inv"})

    result = run_module(monkeypatch, capsys, args(), setup)
    assert result["changed"] is False and result["deployment_group"]["tags"] == {"team": "inv"}


def test_a_role_name_matching_the_group_role_is_no_change(monkeypatch, capsys):
    current = aws_group(serviceRoleArn=f"arn:aws:iam::{ACCOUNT}:role/service-role/codedeploy-ecs")

    def setup(stubber):
        app_exists(stubber)
        group_exists(stubber, current)

    result = run_module(monkeypatch, capsys, args(service_role="codedeploy-ecs"), setup)
    assert result["changed"] is False
    assert result["deployment_group"]["service_role_arn"].endswith("role/service-role/codedeploy-ecs")


# ---------------------------------------------------------------- absent


ABSENT = {"application_name": "inventory", "name": "inventory-app", "state": "absent"}


def test_absent_deletes_the_group_and_keeps_the_application(monkeypatch, capsys):
    def setup(stubber):
        app_exists(stubber)
        group_exists(stubber)  # the tags are read for the diff
        stubber.add_response("delete_deployment_group", {"hooksNotCleanedUp": []}, NAMES)

    result = run_module(monkeypatch, capsys, ABSENT, setup, diff=True)
    assert result["changed"] is True and result["deployment_group"] == {}
    assert result["diff"]["before"]["deployment_group_name"] == "inventory-app" and result["diff"]["after"] == {}


def test_absent_deletes_the_application_when_no_other_group_uses_it(monkeypatch, capsys):
    def setup(stubber):
        app_exists(stubber)
        stubber.add_response("get_deployment_group", {"deploymentGroupInfo": aws_group()}, NAMES)
        stubber.add_response("delete_deployment_group", {"hooksNotCleanedUp": []}, NAMES)
        stubber.add_response(
            "list_deployment_groups",
            {"applicationName": "inventory", "deploymentGroups": []},
            {"applicationName": "inventory"},
        )
        stubber.add_response("delete_application", {}, {"applicationName": "inventory"})

    result = run_module(monkeypatch, capsys, dict(ABSENT, delete_application=True), setup)
    assert result["changed"] is True


def test_absent_keeps_an_application_other_groups_use(monkeypatch, capsys):
    def setup(stubber):
        app_exists(stubber)
        group_missing(stubber)
        stubber.add_response(
            "list_deployment_groups",
            {"applicationName": "inventory", "deploymentGroups": ["billing-app"]},
            {"applicationName": "inventory"},
        )

    result = run_module(monkeypatch, capsys, dict(ABSENT, delete_application=True), setup)
    assert result["changed"] is False
    assert any("billing-app still use it" in warning for warning in result["warnings"])


def test_absent_in_check_mode_deletes_nothing(monkeypatch, capsys):
    def setup(stubber):
        app_exists(stubber)
        stubber.add_response("get_deployment_group", {"deploymentGroupInfo": aws_group()}, NAMES)
        stubber.add_response("list_deployment_groups", {"deploymentGroups": ["inventory-app"]})

    result = run_module(monkeypatch, capsys, dict(ABSENT, delete_application=True), setup, check_mode=True)
    assert result["changed"] is True


# ---------------------------------------------------------------- module_utils shapes


def test_comparable_ignores_order_and_defaults():
    current = aws_group(
        ecsServices=[{"clusterName": "main", "serviceName": "inventory-app"}],
        autoRollbackConfiguration={"enabled": True, "events": ["DEPLOYMENT_STOP_ON_REQUEST", "DEPLOYMENT_FAILURE"]},
    )
    desired = members(
        autoRollbackConfiguration={"enabled": True, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST"]}
    )
    assert codedeploy.differs(current, desired) is False
    assert codedeploy.differs(current, members()) is True  # one event less


def test_default_rollback_events_follow_the_alarms():
    assert codedeploy.resolved_rollback_events({"auto_rollback": {}, "alarms": {"names": []}}) == ["DEPLOYMENT_FAILURE"]
    assert codedeploy.resolved_rollback_events({"auto_rollback": {}, "alarms": {"names": ["a"]}}) == [
        "DEPLOYMENT_FAILURE",
        "DEPLOYMENT_STOP_ON_ALARM",
    ]
    declared = {"auto_rollback": {"events": ["DEPLOYMENT_STOP_ON_REQUEST"]}, "alarms": {"names": ["a"]}}
    assert codedeploy.resolved_rollback_events(declared) == ["DEPLOYMENT_STOP_ON_REQUEST"]


def test_names_inside_arns():
    assert codedeploy.target_group_name(BLUE_ARN) == "inv-blue"
    assert codedeploy.target_group_name("inv-green") == "inv-green"
    assert codedeploy.cluster_name(f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/main") == "main"
    assert codedeploy.service_name(f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/main/inv") == "inv"
    assert codedeploy.service_name(f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/inv") == "inv"
    assert codedeploy.group_arn("aws", REGION, ACCOUNT, "inventory", "inventory-app") == GROUP_ARN
