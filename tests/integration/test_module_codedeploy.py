"""securecloud.monitor.codedeploy_deployment_group against a local cloud of this file's own, through ansible-playbook.

The deployment group points at real objects made with boto3 first (the local cloud's CodeDeploy checks them as AWS
does): an IAM role trusting codedeploy.amazonaws.com, an ECS cluster with two services on the CODE_DEPLOY deployment
controller, three target groups, a Network Load Balancer with three listeners and two CloudWatch alarms.

Check mode (changes nothing), create (the application too), an identical re-run (changed false, no mutating call,
read from the emulator's recorder), an update of the traffic routing and the alarms (changed, the right diff, one
UpdateDeploymentGroup), tags only, a custom deployment configuration, then absent: the application is kept while another
group uses it and deleted with the last one. The tests run in order and share the cloud.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from tests.integration.module_runs import mutating, ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/codedeploy/deployment_group.yml"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


@dataclass
class BlueGreen:
    """What the base layer's Terraform outputs give the delivery role for a service."""

    role_arn: str
    cluster: str
    target_group_arns: list[str]  # blue, green, spare
    listener_arns: list[str]  # prod (80), test (8080), other (9090)
    alarms: list[str]


def build_ecs_blue_green(cloud, prefix: str = "cd") -> BlueGreen:
    """An ECS cluster with services inventory-app and billing-app (CODE_DEPLOY controller) and rolling-app (ECS
    controller), target groups, an NLB with listeners, a CodeDeploy role and two alarms, made with boto3."""
    iam, ec2, elb, ecs, cw = (cloud.client(s) for s in ("iam", "ec2", "elbv2", "ecs", "cloudwatch"))
    role = iam.create_role(RoleName=f"{prefix}-codedeploy-ecs", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]
    vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.42.{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in ((1, "a"), (2, "b"))
    ]
    sg = ec2.create_security_group(GroupName=f"{prefix}-svc", Description="services", VpcId=vpc)["GroupId"]
    lb_arn = elb.create_load_balancer(Name=f"{prefix}-inventory", Subnets=subnets, Type="network", Scheme="internal")[
        "LoadBalancers"
    ][0]["LoadBalancerArn"]
    target_groups = [
        elb.create_target_group(Name=f"{prefix}-inv-{color}", Protocol="TCP", Port=8080, VpcId=vpc, TargetType="ip")[
            "TargetGroups"
        ][0]["TargetGroupArn"]
        for color in ("blue", "green", "spare")
    ]
    listeners = [
        elb.create_listener(
            LoadBalancerArn=lb_arn,
            Protocol="TCP",
            Port=port,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": target_groups[i]}],
        )["Listeners"][0]["ListenerArn"]
        for i, port in ((0, 80), (1, 8080), (2, 9090))
    ]
    ecs.create_cluster(clusterName=f"{prefix}-main")
    task = ecs.register_task_definition(
        family=f"{prefix}-app",
        containerDefinitions=[
            {"name": "app", "image": "nginx", "memory": 128, "portMappings": [{"containerPort": 8080}]}
        ],
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
    )["taskDefinition"]["taskDefinitionArn"]
    for name, controller in (("inventory-app", "CODE_DEPLOY"), ("billing-app", "CODE_DEPLOY"), ("rolling-app", "ECS")):
        ecs.create_service(
            cluster=f"{prefix}-main",
            serviceName=name,
            taskDefinition=task,
            desiredCount=1,
            launchType="FARGATE",
            deploymentController={"type": controller},
            loadBalancers=[{"targetGroupArn": target_groups[0], "containerName": "app", "containerPort": 8080}],
            # moto 5.2.5 answers 500 (KeyError) when securityGroups is left out
            networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [sg]}},
        )
    alarms = [f"{prefix}-inventory-5xx", f"{prefix}-inventory-latency"]
    for name, metric in zip(alarms, ("HTTPCode_Target_5XX_Count", "TargetResponseTime"), strict=True):
        cw.put_metric_alarm(
            AlarmName=name,
            Namespace="AWS/NetworkELB",
            MetricName=metric,
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
        )
    return BlueGreen(role["Arn"], f"{prefix}-main", target_groups, listeners, alarms)


def add_service(cloud, cluster, name):
    """One more service on the CODE_DEPLOY controller in the cluster of build_ecs_blue_green, like inventory-app."""
    ecs = cloud.client("ecs")
    [service] = ecs.describe_services(cluster=cluster, services=["inventory-app"])["services"]
    ecs.create_service(
        cluster=cluster,
        serviceName=name,
        taskDefinition=service["taskDefinition"],
        desiredCount=1,
        launchType="FARGATE",
        deploymentController={"type": "CODE_DEPLOY"},
        loadBalancers=service["loadBalancers"],
        networkConfiguration=service["networkConfiguration"],
    )


@pytest.fixture(scope="module")
def env(module_cloud):
    return build_ecs_blue_green(module_cloud)


def declared(env: BlueGreen, **extra):
    """The task's input as the delivery role gives it: ARNs straight from the Terraform outputs."""
    result = {
        "cd_test_application_name": "cd-inventory",
        "cd_test_name": "inventory-app",
        "cd_test_service_role": env.role_arn,
        "cd_test_ecs_service": {"cluster_name": env.cluster, "service_name": "inventory-app"},
        "cd_test_target_groups": env.target_group_arns[:2],
        "cd_test_prod_listener_arns": env.listener_arns[:1],
        "cd_test_tags": {"Service": "inventory-app"},
    }
    result.update(extra)
    return result


def updated(env: BlueGreen, **extra):
    """The update: a test listener, alarms (rollback on alarm follows), a canary configuration, a longer wait."""
    changes = {
        "cd_test_test_listener_arns": env.listener_arns[1:2],
        "cd_test_alarms": {"names": list(env.alarms), "ignore_poll_alarm_failure": True},
        "cd_test_deployment_config_name": "CodeDeployDefault.ECSCanary10Percent5Minutes",
        "cd_test_termination_wait_minutes": 30,
    }
    changes.update(extra)
    return declared(env, **changes)


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


def group(cloud, app="cd-inventory", name="inventory-app"):
    return cloud.client("codedeploy").get_deployment_group(applicationName=app, deploymentGroupName=name)[
        "deploymentGroupInfo"
    ]


def group_tags(cloud, app="cd-inventory", name="inventory-app"):
    arn = f"arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:{app}/{name}"
    return {t["Key"]: t["Value"] for t in cloud.client("codedeploy").list_tags_for_resource(ResourceArn=arn)["Tags"]}


def test_check_mode_creates_nothing(module_cloud, tmp_path, env):
    played, result, calls = run(module_cloud, tmp_path, declared(env), "--check", "--diff")
    ok(played)
    assert result["changed"] is True
    assert result["deployment_group_id"] is None and result["application_name"] == "cd-inventory"
    assert result["deployment_group"]["ecs_services"] == [{"cluster_name": "cd-main", "service_name": "inventory-app"}]
    assert result["diff"]["before"] == {}
    assert mutating(calls) == []
    assert module_cloud.client("codedeploy").list_applications()["applications"] == []


def test_create_makes_the_application_and_the_group(module_cloud, tmp_path, env):
    played, result, calls = run(module_cloud, tmp_path, declared(env))
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["codedeploy:CreateApplication", "codedeploy:CreateDeploymentGroup"]
    app = module_cloud.client("codedeploy").get_application(applicationName="cd-inventory")["application"]
    assert app["computePlatform"] == "ECS"
    found = group(module_cloud)
    assert result["deployment_group_id"] == found["deploymentGroupId"]
    assert found["deploymentStyle"] == {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}
    assert found["deploymentConfigName"] == "CodeDeployDefault.ECSAllAtOnce"
    assert found["ecsServices"] == [{"serviceName": "inventory-app", "clusterName": "cd-main"}]
    pair = found["loadBalancerInfo"]["targetGroupPairInfoList"][0]
    assert pair["targetGroups"] == [{"name": "cd-inv-blue"}, {"name": "cd-inv-green"}]  # ARNs became names
    assert pair["prodTrafficRoute"] == {"listenerArns": env.listener_arns[:1]} and "testTrafficRoute" not in pair
    blue_green = found["blueGreenDeploymentConfiguration"]
    assert blue_green["terminateBlueInstancesOnDeploymentSuccess"] == {
        "action": "TERMINATE",
        "terminationWaitTimeInMinutes": 5,
    }
    assert blue_green["deploymentReadyOption"]["actionOnTimeout"] == "CONTINUE_DEPLOYMENT"
    assert found["autoRollbackConfiguration"] == {"enabled": True, "events": ["DEPLOYMENT_FAILURE"]}
    assert found["alarmConfiguration"]["alarms"] == [] and found["alarmConfiguration"]["enabled"] is False
    assert group_tags(module_cloud) == {"Service": "inventory-app"}


def test_rerun_changes_nothing(module_cloud, tmp_path, env):
    played, result, calls = run(module_cloud, tmp_path, declared(env))
    ok(played)
    assert result["changed"] is False
    assert mutating(calls) == []
    assert sorted(c.operation for c in calls) == [
        "GetApplication",
        "GetCallerIdentity",
        "GetDeploymentGroup",
        "ListTagsForResource",
    ]


def test_update_traffic_routing_and_alarms_with_diff(module_cloud, tmp_path, env):
    played, result, calls = run(module_cloud, tmp_path, updated(env), "--diff")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["codedeploy:UpdateDeploymentGroup"]
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before["deployment_config_name"] == "CodeDeployDefault.ECSAllAtOnce"
    assert after["deployment_config_name"] == "CodeDeployDefault.ECSCanary10Percent5Minutes"
    before_pair = before["load_balancer_info"]["target_group_pair_info_list"][0]
    after_pair = after["load_balancer_info"]["target_group_pair_info_list"][0]
    assert "test_traffic_route" not in before_pair
    assert after_pair["test_traffic_route"] == {"listener_arns": env.listener_arns[1:2]}
    assert before_pair["target_groups"] == after_pair["target_groups"]
    assert before["alarm_configuration"] == {"enabled": False, "ignore_poll_alarm_failure": False}
    assert after["alarm_configuration"] == {
        "enabled": True,
        "ignore_poll_alarm_failure": True,
        "alarms": [{"name": name} for name in env.alarms],
    }
    assert before["auto_rollback_configuration"]["events"] == ["DEPLOYMENT_FAILURE"]
    assert after["auto_rollback_configuration"]["events"] == ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
    blue = "terminate_blue_instances_on_deployment_success"
    assert before["blue_green_deployment_configuration"][blue]["termination_wait_time_in_minutes"] == 5
    assert after["blue_green_deployment_configuration"][blue]["termination_wait_time_in_minutes"] == 30
    assert before["tags"] == after["tags"] == {"Service": "inventory-app"}

    found = group(module_cloud)
    assert found["alarmConfiguration"] == {
        "enabled": True,
        "ignorePollAlarmFailure": True,
        "alarms": [{"name": name} for name in env.alarms],
    }
    assert found["autoRollbackConfiguration"]["events"] == ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
    assert found["loadBalancerInfo"]["targetGroupPairInfoList"][0]["testTrafficRoute"] == {
        "listenerArns": env.listener_arns[1:2]
    }
    assert found["deploymentGroupId"] == result["deployment_group_id"]


def test_reordered_lists_are_no_change(module_cloud, tmp_path, env):
    extra = updated(env)
    extra["cd_test_target_groups"] = list(reversed(env.target_group_arns[:2]))
    extra["cd_test_alarms"] = {"names": list(reversed(env.alarms)), "ignore_poll_alarm_failure": True}
    extra["cd_test_auto_rollback"] = {"events": ["DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_FAILURE"]}
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_check_mode_update_changes_nothing(module_cloud, tmp_path, env):
    before = group(module_cloud)
    extra = updated(env, cd_test_deployment_ready_action="STOP_DEPLOYMENT", cd_test_deployment_ready_wait_minutes=60)
    played, result, calls = run(module_cloud, tmp_path, extra, "--check")
    ok(played)
    assert result["changed"] is True and mutating(calls) == []
    ready = result["deployment_group"]["blue_green_deployment_configuration"]["deployment_ready_option"]
    assert ready == {"action_on_timeout": "STOP_DEPLOYMENT", "wait_time_in_minutes": 60}
    assert group(module_cloud) == before


def test_tags_only_change_tags(module_cloud, tmp_path, env):
    extra = updated(env, cd_test_tags={"Service": "inventory-app", "Owner": "platform"})
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codedeploy:TagResource"])
    assert group_tags(module_cloud) == {"Service": "inventory-app", "Owner": "platform"}
    extra = updated(env, cd_test_tags={"Owner": "platform"})
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codedeploy:UntagResource"])
    assert group_tags(module_cloud) == {"Owner": "platform"}


def test_custom_deployment_config(module_cloud, tmp_path, env):
    module_cloud.client("codedeploy").create_deployment_config(
        deploymentConfigName="cd-ecs-quarter",
        computePlatform="ECS",
        trafficRoutingConfig={
            "type": "TimeBasedLinear",
            "timeBasedLinear": {"linearPercentage": 25, "linearInterval": 2},
        },
    )
    extra = updated(env, cd_test_tags={"Owner": "platform"}, cd_test_deployment_config_name="cd-ecs-quarter")
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codedeploy:UpdateDeploymentGroup"])
    assert "GetDeploymentConfig" in [c.operation for c in calls]
    assert group(module_cloud)["deploymentConfigName"] == "cd-ecs-quarter"
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
    assert "GetDeploymentConfig" not in [c.operation for c in calls]  # unchanged: not looked up again


def test_a_second_group_in_the_application(module_cloud, tmp_path, env):
    extra = declared(
        env,
        cd_test_name="billing-app",
        cd_test_ecs_service={"cluster_name": env.cluster, "service_name": "billing-app"},
    )
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codedeploy:CreateDeploymentGroup"])  # app exists


def test_absent_keeps_an_application_another_group_uses(module_cloud, tmp_path, env):
    extra = {
        "cd_test_application_name": "cd-inventory",
        "cd_test_name": "inventory-app",
        "cd_test_state": "absent",
        "cd_test_delete_application": True,
    }
    played, result, calls = run(module_cloud, tmp_path, extra, "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codedeploy:DeleteDeploymentGroup"])
    assert result["deployment_group"] == {} and result["diff"]["after"] == {}
    assert result["diff"]["before"]["deployment_group_name"] == "inventory-app"
    assert "billing-app still use it" in json.dumps(result.get("warnings"))
    groups = module_cloud.client("codedeploy").list_deployment_groups(applicationName="cd-inventory")
    assert groups["deploymentGroups"] == ["billing-app"]


def test_absent_deletes_the_application_with_its_last_group(module_cloud, tmp_path, env):
    extra = {
        "cd_test_application_name": "cd-inventory",
        "cd_test_name": "billing-app",
        "cd_test_state": "absent",
        "cd_test_delete_application": True,
    }
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (
        True,
        ["codedeploy:DeleteDeploymentGroup", "codedeploy:DeleteApplication"],
    )
    assert module_cloud.client("codedeploy").list_applications()["applications"] == []
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
