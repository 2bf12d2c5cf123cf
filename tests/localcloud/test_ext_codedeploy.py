"""CodeDeploy extensions (tools/localcloud/extensions/services/codedeploy.py) on a real server, real boto3.

Each test builds what an ECS blue/green deployment group points at (an IAM role CodeDeploy may assume, an ECS cluster
and a service with the CODE_DEPLOY controller, two target groups, a load balancer with two listeners) with moto's own
actions, then drives CodeDeploy through the extension.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import Cloud

ACCOUNT = "123456789012"
NO_VALIDATION = Config(retries={"mode": "standard", "total_max_attempts": 1}, parameter_validation=False)
ONE_TRY = Config(retries={"mode": "standard", "total_max_attempts": 1})
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


@dataclass
class Ecs:
    role_arn: str
    cluster: str
    services: list[str]
    target_groups: list[str]
    listeners: list[str]


def _build(cloud: Cloud, services: tuple[str, ...] = ("inventory-app", "billing-app")) -> Ecs:
    iam, ec2, elb, ecs = (cloud.client(s, config=ONE_TRY) for s in ("iam", "ec2", "elbv2", "ecs"))
    role_arn = iam.create_role(RoleName="codedeploy-ecs", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in ((1, "a"), (2, "b"))
    ]
    sg = ec2.create_security_group(GroupName="svc", Description="svc", VpcId=vpc)["GroupId"]
    lb = elb.create_load_balancer(Name="inventory", Subnets=subnets, Type="network", Scheme="internal")
    lb_arn = lb["LoadBalancers"][0]["LoadBalancerArn"]
    tgs = [
        elb.create_target_group(Name=name, Protocol="TCP", Port=8080, VpcId=vpc, TargetType="ip")["TargetGroups"][0]
        for name in ("inv-blue", "inv-green", "inv-spare")
    ]
    listeners = [
        elb.create_listener(
            LoadBalancerArn=lb_arn,
            Protocol="TCP",
            Port=port,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": tgs[i]["TargetGroupArn"]}],
        )["Listeners"][0]["ListenerArn"]
        for i, port in ((0, 80), (1, 8080), (2, 9090))
    ]
    ecs.create_cluster(clusterName="main")
    task = ecs.register_task_definition(
        family="app",
        containerDefinitions=[
            {"name": "app", "image": "nginx", "memory": 128, "portMappings": [{"containerPort": 8080}]}
        ],
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
    )["taskDefinition"]["taskDefinitionArn"]
    for name in services:
        ecs.create_service(
            cluster="main",
            serviceName=name,
            taskDefinition=task,
            desiredCount=1,
            launchType="FARGATE",
            deploymentController={"type": "CODE_DEPLOY"},
            loadBalancers=[{"targetGroupArn": tgs[0]["TargetGroupArn"], "containerName": "app", "containerPort": 8080}],
            # moto 5.2.5 answers 500 (KeyError) when securityGroups is left out
            networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [sg]}},
        )
    ecs.create_service(cluster="main", serviceName="rolling", taskDefinition=task, desiredCount=1)
    return Ecs(role_arn, "main", list(services), [tg["TargetGroupName"] for tg in tgs], listeners)


@pytest.fixture
def env(cloud: Cloud) -> Ecs:
    return _build(cloud)


@pytest.fixture
def cd(cloud: Cloud) -> Any:
    return cloud.client("codedeploy", config=NO_VALIDATION)


def _group(env: Ecs, **overrides: Any) -> dict[str, Any]:
    group = {
        "applicationName": "inventory",
        "deploymentGroupName": "inventory-app",
        "serviceRoleArn": env.role_arn,
        "deploymentStyle": {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
        "ecsServices": [{"clusterName": env.cluster, "serviceName": env.services[0]}],
        "loadBalancerInfo": {
            "targetGroupPairInfoList": [
                {
                    "targetGroups": [{"name": env.target_groups[0]}, {"name": env.target_groups[1]}],
                    "prodTrafficRoute": {"listenerArns": [env.listeners[0]]},
                    "testTrafficRoute": {"listenerArns": [env.listeners[1]]},
                }
            ]
        },
        "blueGreenDeploymentConfiguration": {
            "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 5},
            "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT"},
        },
        "autoRollbackConfiguration": {"enabled": True, "events": ["DEPLOYMENT_FAILURE"]},
    }
    group.update(overrides)
    return group


def _app(cd: Any, name: str = "inventory", platform: str = "ECS") -> None:
    cd.create_application(applicationName=name, computePlatform=platform)


# -- deployment configurations ---------------------------------------------------------------------
def test_builtin_deployment_configs(cd: Any) -> None:
    info = cd.get_deployment_config(deploymentConfigName="CodeDeployDefault.ECSCanary10Percent5Minutes")[
        "deploymentConfigInfo"
    ]
    assert info["computePlatform"] == "ECS"
    assert info["trafficRoutingConfig"] == {
        "type": "TimeBasedCanary",
        "timeBasedCanary": {"canaryPercentage": 10, "canaryInterval": 5},
    }
    names = cd.get_paginator("list_deployment_configs").paginate().build_full_result()["deploymentConfigsList"]
    ecs = sorted(n for n in names if n.startswith("CodeDeployDefault.ECS"))
    assert ecs == [
        "CodeDeployDefault.ECSAllAtOnce",
        "CodeDeployDefault.ECSCanary10Percent15Minutes",
        "CodeDeployDefault.ECSCanary10Percent5Minutes",
        "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
        "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
    ]
    assert "CodeDeployDefault.OneAtATime" in names and "CodeDeployDefault.LambdaAllAtOnce" in names
    with pytest.raises(ClientError) as err:
        cd.get_deployment_config(deploymentConfigName="CodeDeployDefault.ECSNope")
    assert _code(err) == "DeploymentConfigDoesNotExistException"
    with pytest.raises(ClientError) as err:
        cd.delete_deployment_config(deploymentConfigName="CodeDeployDefault.ECSAllAtOnce")
    assert _code(err) == "InvalidOperationException"


def test_custom_deployment_config_lifecycle(cd: Any) -> None:
    routing = {"type": "TimeBasedLinear", "timeBasedLinear": {"linearPercentage": 25, "linearInterval": 2}}
    cd.create_deployment_config(deploymentConfigName="ecs-quarter", computePlatform="ECS", trafficRoutingConfig=routing)
    info = cd.get_deployment_config(deploymentConfigName="ecs-quarter")["deploymentConfigInfo"]
    assert (info["computePlatform"], info["trafficRoutingConfig"]) == ("ECS", routing)
    for kwargs, code in (
        (
            dict(deploymentConfigName="ecs-quarter", computePlatform="ECS", trafficRoutingConfig=routing),
            "AlreadyExists",
        ),
        (
            dict(deploymentConfigName="CodeDeployDefault.Mine", computePlatform="ECS", trafficRoutingConfig=routing),
            "Name",
        ),
        (dict(deploymentConfigName="ecs-none", computePlatform="ECS"), "InvalidTrafficRoutingConfigurationException"),
        (dict(deploymentConfigName="srv"), "InvalidMinimumHealthyHostValueException"),
    ):
        with pytest.raises(ClientError) as err:
            cd.create_deployment_config(**kwargs)
        assert code in _code(err)
    cd.delete_deployment_config(deploymentConfigName="ecs-quarter")
    with pytest.raises(ClientError) as err:
        cd.get_deployment_config(deploymentConfigName="ecs-quarter")
    assert _code(err) == "DeploymentConfigDoesNotExistException"


# -- applications ------------------------------------------------------------------------------------
def test_application_defaults_and_delete(cd: Any, env: Ecs) -> None:
    cd.create_application(applicationName="legacy")
    assert cd.get_application(applicationName="legacy")["application"]["computePlatform"] == "Server"
    with pytest.raises(ClientError) as err:
        cd.create_application(applicationName="legacy", computePlatform="ECS")
    assert _code(err) == "ApplicationAlreadyExistsException"
    with pytest.raises(ClientError) as err:
        cd.create_application(applicationName="bad/name", computePlatform="ECS")
    assert _code(err) == "InvalidApplicationNameException"
    with pytest.raises(ClientError) as err:
        cd.list_deployment_groups(applicationName="nope")
    assert _code(err) == "ApplicationDoesNotExistException"

    _app(cd)
    cd.create_deployment_group(**_group(env), tags=[{"Key": "team", "Value": "inv"}])
    group_arn = f"arn:aws:codedeploy:us-east-1:{ACCOUNT}:deploymentgroup:inventory/inventory-app"
    assert cd.list_tags_for_resource(ResourceArn=group_arn)["Tags"] == [{"Key": "team", "Value": "inv"}]
    cd.delete_application(applicationName="inventory")
    with pytest.raises(ClientError) as err:
        cd.get_application(applicationName="inventory")
    assert _code(err) == "ApplicationDoesNotExistException"
    assert cd.list_tags_for_resource(ResourceArn=group_arn)["Tags"] == []
    cd.delete_application(applicationName="inventory")  # gone already: no error, as AWS
    # the ECS service is free again for a new group
    _app(cd)
    cd.create_deployment_group(**_group(env))


# -- deployment groups ------------------------------------------------------------------------------
def test_ecs_group_round_trip_keeps_every_field(cd: Any, env: Ecs) -> None:
    _app(cd)
    alarms = {"enabled": True, "ignorePollAlarmFailure": True, "alarms": [{"name": "inv-5xx"}, {"name": "inv-p99"}]}
    created = cd.create_deployment_group(**_group(env, alarmConfiguration=alarms))
    info = cd.get_deployment_group(applicationName="inventory", deploymentGroupName="inventory-app")[
        "deploymentGroupInfo"
    ]
    assert info["deploymentGroupId"] == created["deploymentGroupId"]
    assert info["computePlatform"] == "ECS"
    assert info["deploymentConfigName"] == "CodeDeployDefault.ECSAllAtOnce"  # the ECS default, not OneAtATime
    assert info["alarmConfiguration"] == alarms  # moto answers {}
    assert info["autoRollbackConfiguration"] == {"enabled": True, "events": ["DEPLOYMENT_FAILURE"]}
    assert info["deploymentStyle"] == {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}
    assert info["ecsServices"] == [{"clusterName": "main", "serviceName": "inventory-app"}]
    assert info["loadBalancerInfo"] == _group(env)["loadBalancerInfo"]
    assert info["blueGreenDeploymentConfiguration"] == {
        "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 5},
        "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT", "waitTimeInMinutes": 0},
    }
    assert info["serviceRoleArn"] == env.role_arn
    batch = cd.batch_get_deployment_groups(applicationName="inventory", deploymentGroupNames=["inventory-app", "x"])
    assert [g["deploymentGroupName"] for g in batch["deploymentGroupsInfo"]] == ["inventory-app"]
    assert "x" in batch["errorMessage"]
    with pytest.raises(ClientError) as err:
        cd.create_deployment_group(**_group(env))
    assert _code(err) == "DeploymentGroupAlreadyExistsException"


def test_update_changes_only_what_is_sent_and_renames(cd: Any, env: Ecs) -> None:
    _app(cd)
    cd.create_deployment_group(**_group(env), tags=[{"Key": "team", "Value": "inv"}])
    cd.update_deployment_group(
        applicationName="inventory",
        currentDeploymentGroupName="inventory-app",
        deploymentConfigName="CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
        alarmConfiguration={"enabled": True, "alarms": [{"name": "inv-5xx"}]},
        blueGreenDeploymentConfiguration={
            "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 30},
            "deploymentReadyOption": {"actionOnTimeout": "STOP_DEPLOYMENT", "waitTimeInMinutes": 60},
        },
    )
    info = cd.get_deployment_group(applicationName="inventory", deploymentGroupName="inventory-app")[
        "deploymentGroupInfo"
    ]
    assert info["deploymentConfigName"] == "CodeDeployDefault.ECSLinear10PercentEvery1Minutes"
    assert info["alarmConfiguration"] == {
        "enabled": True,
        "ignorePollAlarmFailure": False,
        "alarms": [{"name": "inv-5xx"}],
    }
    assert info["blueGreenDeploymentConfiguration"]["deploymentReadyOption"] == {
        "actionOnTimeout": "STOP_DEPLOYMENT",
        "waitTimeInMinutes": 60,
    }
    assert info["loadBalancerInfo"] == _group(env)["loadBalancerInfo"]  # not sent: unchanged
    cd.update_deployment_group(
        applicationName="inventory", currentDeploymentGroupName="inventory-app", newDeploymentGroupName="inv-bg"
    )
    names = cd.list_deployment_groups(applicationName="inventory")["deploymentGroups"]
    assert names == ["inv-bg"]
    arn = f"arn:aws:codedeploy:us-east-1:{ACCOUNT}:deploymentgroup:inventory/inv-bg"
    assert cd.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "inv"}]
    with pytest.raises(ClientError) as err:
        cd.update_deployment_group(applicationName="inventory", currentDeploymentGroupName="inventory-app")
    assert _code(err) == "DeploymentGroupDoesNotExistException"
    with pytest.raises(ClientError) as err:
        cd.update_deployment_group(applicationName="nope", currentDeploymentGroupName="inv-bg")
    assert _code(err) == "ApplicationDoesNotExistException"


def test_delete_group_is_idempotent(cd: Any, env: Ecs) -> None:
    _app(cd)
    cd.create_deployment_group(**_group(env))
    assert (
        cd.delete_deployment_group(applicationName="inventory", deploymentGroupName="inventory-app")[
            "hooksNotCleanedUp"
        ]
        == []
    )
    with pytest.raises(ClientError) as err:
        cd.get_deployment_group(applicationName="inventory", deploymentGroupName="inventory-app")
    assert _code(err) == "DeploymentGroupDoesNotExistException"
    cd.delete_deployment_group(applicationName="inventory", deploymentGroupName="inventory-app")


def _listener_pair(env: Ecs, groups: list[str], prod: list[str], test: list[str] | None = None) -> dict[str, Any]:
    pair: dict[str, Any] = {
        "targetGroups": [{"name": name} for name in groups],
        "prodTrafficRoute": {"listenerArns": prod},
    }
    if test is not None:
        pair["testTrafficRoute"] = {"listenerArns": test}
    return {"targetGroupPairInfoList": [pair]}


def _bad_groups(env: Ecs) -> list[tuple[dict[str, Any], str]]:
    blue, green, _spare = env.target_groups
    prod, test, _other = env.listeners
    return [
        ({"serviceRoleArn": "codedeploy-ecs"}, "InvalidRoleException"),
        ({"serviceRoleArn": f"arn:aws:iam::{ACCOUNT}:role/missing"}, "InvalidRoleException"),
        ({"deploymentConfigName": "CodeDeployDefault.OneAtATime"}, "InvalidDeploymentConfigNameException"),
        ({"deploymentConfigName": "nope"}, "DeploymentConfigDoesNotExistException"),
        ({"deploymentStyle": {"deploymentType": "IN_PLACE"}}, "InvalidDeploymentStyleException"),
        ({"ecsServices": []}, "InvalidECSServiceException"),
        ({"ecsServices": [{"clusterName": "main", "serviceName": "missing"}]}, "InvalidECSServiceException"),
        ({"ecsServices": [{"clusterName": "main", "serviceName": "rolling"}]}, "InvalidECSServiceException"),
        ({"loadBalancerInfo": _listener_pair(env, [blue], [prod])}, "InvalidTargetGroupPairException"),
        ({"loadBalancerInfo": _listener_pair(env, [blue, blue], [prod])}, "InvalidTargetGroupPairException"),
        ({"loadBalancerInfo": _listener_pair(env, [blue, "ghost"], [prod])}, "InvalidTargetGroupPairException"),
        ({"loadBalancerInfo": _listener_pair(env, [blue, green], [])}, "InvalidTargetGroupPairException"),
        ({"loadBalancerInfo": _listener_pair(env, [blue, green], [prod, test])}, "InvalidTargetGroupPairException"),
        ({"loadBalancerInfo": _listener_pair(env, [blue, green], [prod], [prod])}, "InvalidTargetGroupPairException"),
        (
            {"loadBalancerInfo": _listener_pair(env, [blue, green], [prod.replace(prod[-4:], "0000")])},
            "InvalidTargetGroupPairException",
        ),
        ({"loadBalancerInfo": {"elbInfoList": [{"name": "classic"}]}}, "InvalidLoadBalancerInfoException"),
        (
            {"alarmConfiguration": {"enabled": True, "alarms": [{"name": f"a{i}"} for i in range(11)]}},
            "AlarmsLimitExceededException",
        ),
        ({"alarmConfiguration": {"enabled": True, "alarms": []}}, "InvalidAlarmConfigException"),
        ({"alarmConfiguration": {"alarms": [{"name": "a"}, {"name": "a"}]}}, "InvalidAlarmConfigException"),
        ({"autoRollbackConfiguration": {"enabled": True, "events": ["NOPE"]}}, "InvalidAutoRollbackConfigException"),
        ({"autoRollbackConfiguration": {"enabled": True, "events": []}}, "InvalidAutoRollbackConfigException"),
        (
            {
                "blueGreenDeploymentConfiguration": {
                    "terminateBlueInstancesOnDeploymentSuccess": {"terminationWaitTimeInMinutes": 2881}
                }
            },
            "InvalidBlueGreenDeploymentConfigurationException",
        ),
        (
            {
                "blueGreenDeploymentConfiguration": {
                    "greenFleetProvisioningOption": {"action": "COPY_AUTO_SCALING_GROUP"}
                }
            },
            "InvalidBlueGreenDeploymentConfigurationException",
        ),
        ({"autoScalingGroups": ["asg"]}, "InvalidInputException"),
        ({"tags": [{"Key": "aws:x", "Value": "1"}]}, "InvalidTagsToAddException"),
        ({"deploymentGroupName": "bad/name"}, "InvalidDeploymentGroupNameException"),
        ({"applicationName": "nope"}, "ApplicationDoesNotExistException"),
        ({"serviceRoleArn": None}, "RoleRequiredException"),
    ]


def test_create_rejects_what_aws_rejects(cd: Any, env: Ecs) -> None:
    _app(cd)
    for overrides, code in _bad_groups(env):
        group = {k: v for k, v in _group(env, **overrides).items() if v is not None}
        with pytest.raises(ClientError) as err:
            cd.create_deployment_group(**group)
        assert _code(err) == code, (overrides, err.value.response["Error"])
    assert cd.list_deployment_groups(applicationName="inventory")["deploymentGroups"] == []


def test_update_validates_the_merged_group(cd: Any, env: Ecs) -> None:
    _app(cd)
    cd.create_deployment_group(**_group(env))
    names = {"applicationName": "inventory", "currentDeploymentGroupName": "inventory-app"}
    with pytest.raises(ClientError) as err:
        cd.update_deployment_group(
            **names, loadBalancerInfo=_listener_pair(env, env.target_groups[:1], env.listeners[:1])
        )
    assert _code(err) == "InvalidTargetGroupPairException"
    with pytest.raises(ClientError) as err:
        cd.update_deployment_group(**names, deploymentConfigName="CodeDeployDefault.LambdaAllAtOnce")
    assert _code(err) == "InvalidDeploymentConfigNameException"
    info = cd.get_deployment_group(applicationName="inventory", deploymentGroupName="inventory-app")
    assert info["deploymentGroupInfo"]["loadBalancerInfo"] == _group(env)["loadBalancerInfo"]  # nothing stored


def test_one_ecs_service_per_deployment_group(cd: Any, env: Ecs) -> None:
    _app(cd)
    _app(cd, "other")
    cd.create_deployment_group(**_group(env))
    with pytest.raises(ClientError) as err:
        cd.create_deployment_group(**_group(env, applicationName="other", deploymentGroupName="copy"))
    assert _code(err) == "ECSServiceMappingLimitExceededException"
    cd.create_deployment_group(
        **_group(
            env,
            applicationName="other",
            deploymentGroupName="billing",
            ecsServices=[{"clusterName": "main", "serviceName": "billing-app"}],
        )
    )


def test_ecs_settings_on_a_server_application(cd: Any, env: Ecs) -> None:
    _app(cd, "legacy", "Server")
    with pytest.raises(ClientError) as err:
        cd.create_deployment_group(**_group(env, applicationName="legacy"))
    assert _code(err) == "InvalidECSServiceException"  # the Server default (OneAtATime) passes, ecsServices do not
    with pytest.raises(ClientError) as err:
        cd.create_deployment_group(
            **_group(env, applicationName="legacy", deploymentConfigName="CodeDeployDefault.ECSAllAtOnce")
        )
    assert _code(err) == "InvalidDeploymentConfigNameException"


def test_tags_need_an_existing_codedeploy_resource(cd: Any, env: Ecs) -> None:
    _app(cd)
    cd.create_deployment_group(**_group(env))
    arn = f"arn:aws:codedeploy:us-east-1:{ACCOUNT}:deploymentgroup:inventory/inventory-app"
    cd.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    cd.untag_resource(ResourceArn=arn, TagKeys=["a"])
    assert cd.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    for target, code in (
        (arn.replace("inventory-app", "ghost"), "DeploymentGroupDoesNotExistException"),
        (f"arn:aws:codedeploy:us-east-1:{ACCOUNT}:application:ghost", "ApplicationDoesNotExistException"),
        (f"arn:aws:codedeploy:us-east-1:{ACCOUNT}:deployment:abc", "ArnNotSupportedException"),
        ("not-an-arn", "InvalidArnException"),
    ):
        with pytest.raises(ClientError) as err:
            cd.tag_resource(ResourceArn=target, Tags=[{"Key": "a", "Value": "1"}])
        assert _code(err) == code
    with pytest.raises(ClientError) as err:
        cd.tag_resource(ResourceArn=arn, Tags=[])
    assert _code(err) == "TagRequiredException"


def test_moto_deployments_still_work_on_groups_made_here(cd: Any, env: Ecs) -> None:
    _app(cd)
    cd.create_deployment_group(**_group(env))
    revision = {
        "revisionType": "AppSpecContent",
        "appSpecContent": {"content": "version: 0.0\nResources: []\n"},
    }
    deployment = cd.create_deployment(
        applicationName="inventory", deploymentGroupName="inventory-app", revision=revision
    )
    info = cd.get_deployment(deploymentId=deployment["deploymentId"])["deploymentInfo"]
    assert info["deploymentConfigName"] == "CodeDeployDefault.ECSAllAtOnce"
