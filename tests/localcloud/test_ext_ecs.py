"""ECS extensions (tools/localcloud/extensions/services/ecs.py) on a real server, real boto3: the CODE_DEPLOY
(blue/green) deployment controller as AWS enforces it, and moto's own behaviour kept for everything else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import NO_RETRIES, Cloud


def _error(err: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return err.value.response["Error"]["Code"], err.value.response["Error"]["Message"]


@dataclass
class Env:
    ecs: Any
    subnets: list[str]
    security_group: str
    blue: str  # attached to the NLB by the production listener
    green: str  # attached by the test listener
    loose: str  # attached to no load balancer
    task: str
    task_2: str

    def network(self, subnets: list[str] | None = None) -> dict[str, Any]:
        return {"awsvpcConfiguration": {"subnets": subnets or self.subnets, "securityGroups": [self.security_group]}}

    def balancer(self, group: str) -> list[dict[str, Any]]:
        return [{"targetGroupArn": group, "containerName": "app", "containerPort": 8080}]

    def create(self, name: str, controller: str = "CODE_DEPLOY", **overrides: Any) -> dict[str, Any]:
        spec: dict[str, Any] = {
            "cluster": "main",
            "serviceName": name,
            "taskDefinition": self.task,
            "desiredCount": 2,
            "launchType": "FARGATE",
            "deploymentController": {"type": controller},
            "loadBalancers": self.balancer(self.blue),
            "networkConfiguration": self.network(),
        }
        spec.update(overrides)
        return self.ecs.create_service(**{k: v for k, v in spec.items() if v is not None})["service"]


@pytest.fixture
def env(cloud: Cloud) -> Env:
    ec2, elb, ecs = (cloud.client(s, config=NO_RETRIES) for s in ("ec2", "elbv2", "ecs"))
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"us-east-1{zone}")["Subnet"][
            "SubnetId"
        ]
        for i, zone in enumerate("ab")
    ]
    sg = ec2.create_security_group(GroupName="svc", Description="svc", VpcId=vpc)["GroupId"]
    nlb = elb.create_load_balancer(Name="inventory", Subnets=subnets, Type="network", Scheme="internal")
    nlb_arn = nlb["LoadBalancers"][0]["LoadBalancerArn"]
    groups = [
        elb.create_target_group(Name=name, Protocol="TCP", Port=8080, VpcId=vpc, TargetType="ip")["TargetGroups"][0][
            "TargetGroupArn"
        ]
        for name in ("inv-blue", "inv-green", "inv-loose")
    ]
    for group, port in ((groups[0], 80), (groups[1], 10080)):
        action = [{"Type": "forward", "TargetGroupArn": group}]
        elb.create_listener(LoadBalancerArn=nlb_arn, Protocol="TCP", Port=port, DefaultActions=action)
    ecs.create_cluster(clusterName="main")
    tasks = [
        ecs.register_task_definition(
            family="app",
            containerDefinitions=[{"name": "app", "image": image, "portMappings": [{"containerPort": 8080}]}],
            requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc",
            cpu="256",
            memory="512",
        )["taskDefinition"]["taskDefinitionArn"]
        for image in ("nginx:1", "nginx:2")
    ]
    return Env(ecs, subnets, sg, groups[0], groups[1], groups[2], tasks[0], tasks[1])


def test_code_deploy_service_keeps_its_controller_and_starts_with_a_primary_task_set(env: Env) -> None:
    created = env.create("inventory-app")

    [service] = env.ecs.describe_services(cluster="main", services=["inventory-app"])["services"]
    assert created["deploymentController"] == service["deploymentController"] == {"type": "CODE_DEPLOY"}
    assert service["status"] == "ACTIVE" and service["taskDefinition"] == env.task
    assert service["loadBalancers"] == env.balancer(env.blue)
    [task_set] = service["taskSets"]
    assert task_set["status"] == "PRIMARY" and task_set["taskDefinition"] == env.task
    assert task_set["loadBalancers"] == env.balancer(env.blue)
    assert task_set["scale"] == {"value": 100.0, "unit": "PERCENT"}
    assert task_set["taskSetArn"].startswith("arn:aws:ecs:us-east-1:123456789012:task-set/main/inventory-app/")
    listed = env.ecs.describe_task_sets(cluster="main", service="inventory-app")["taskSets"]
    assert [t["taskSetArn"] for t in listed] == [task_set["taskSetArn"]]


def test_rolling_service_is_moto_s_own(env: Env) -> None:
    created = env.create("inventory-db", controller="ECS", loadBalancers=None)
    assert created["deploymentController"] == {"type": "ECS"}
    assert created["taskSets"] == [] and created["deployments"][0]["status"] == "PRIMARY"
    updated = env.ecs.update_service(
        cluster="main", service="inventory-db", taskDefinition=env.task_2, networkConfiguration=env.network()
    )["service"]
    assert updated["taskDefinition"] == env.task_2


@pytest.mark.parametrize(
    ("overrides", "wanted"),
    [
        ({"loadBalancers": None}, "needs a load balancer"),
        ({"loadBalancers": []}, "needs a load balancer"),
        ("two groups", "Multiple target groups are not supported"),
        ({"loadBalancers": [{"loadBalancerName": "old", "containerName": "app", "containerPort": 8080}]}, "Classic"),
    ],
)
def test_code_deploy_service_needs_exactly_one_target_group(env: Env, overrides: Any, wanted: str) -> None:
    if overrides == "two groups":
        overrides = {"loadBalancers": env.balancer(env.blue) + env.balancer(env.green)}
    with pytest.raises(ClientError) as err:
        env.create("inventory-app", **overrides)
    code, message = _error(err)
    assert code == "InvalidParameterException" and wanted in message
    assert env.ecs.describe_services(cluster="main", services=["inventory-app"])["services"] == []


@pytest.mark.parametrize("controller", ["CODE_DEPLOY", "ECS"])
def test_target_group_must_be_attached_to_a_load_balancer(env: Env, controller: str) -> None:
    with pytest.raises(ClientError) as err:
        env.create("inventory-app", controller=controller, loadBalancers=env.balancer(env.loose))
    assert _error(err) == (
        "InvalidParameterException",
        f"The target group with targetGroupArn {env.loose} does not have an associated load balancer.",
    )
    missing = env.loose.replace("inv-loose", "inv-gone")
    with pytest.raises(ClientError) as err:
        env.create("inventory-app", controller=controller, loadBalancers=env.balancer(missing))
    assert _error(err)[0] == "InvalidParameterException"


@pytest.mark.parametrize(
    ("member", "words"),
    [
        ("taskDefinition", "task definition"),
        ("networkConfiguration", "network parameters"),
        ("loadBalancers", "load balancers"),
        ("platformVersion", "platform version"),
    ],
)
def test_code_deploy_service_refuses_what_a_deployment_changes(env: Env, member: str, words: str) -> None:
    env.create("inventory-app")
    value = {
        "taskDefinition": env.task_2,
        "networkConfiguration": env.network(env.subnets[:1]),
        "loadBalancers": env.balancer(env.green),
        "platformVersion": "1.4.0",
    }[member]
    with pytest.raises(ClientError) as err:
        env.ecs.update_service(cluster="main", service="inventory-app", **{member: value})
    assert _error(err) == (
        "InvalidParameterException",
        f"Unable to update {words} on services with a CODE_DEPLOY deployment controller. "
        "Use AWS CodeDeploy to trigger a new deployment.",
    )
    [service] = env.ecs.describe_services(cluster="main", services=["inventory-app"])["services"]
    assert service["taskDefinition"] == env.task and service["loadBalancers"] == env.balancer(env.blue)
    assert service["networkConfiguration"] == env.network()


def test_code_deploy_service_takes_what_the_api_allows_then_deletes(env: Env) -> None:
    """What Terraform sends for a blue/green service: desired count and deployment settings, then (destroy) scale
    to zero and delete."""
    arn = env.create("inventory-app")["serviceArn"]
    updated = env.ecs.update_service(
        cluster="main",
        service=arn,
        desiredCount=3,
        healthCheckGracePeriodSeconds=30,
        deploymentConfiguration={"maximumPercent": 200, "minimumHealthyPercent": 100},
        propagateTags="SERVICE",
        forceNewDeployment=False,
    )["service"]
    assert updated["desiredCount"] == 3 and updated["deploymentController"] == {"type": "CODE_DEPLOY"}
    env.ecs.update_service(cluster="main", service=arn, desiredCount=0)
    deleted = env.ecs.delete_service(cluster="main", service=arn)["service"]
    assert deleted["status"] == "INACTIVE"


def test_unknown_service_or_cluster(env: Env) -> None:
    with pytest.raises(ClientError) as err:
        env.ecs.update_service(cluster="main", service="nothing", desiredCount=1)
    assert _error(err)[0] == "ServiceNotFoundException"
    with pytest.raises(ClientError) as err:
        env.ecs.update_service(cluster="elsewhere", service="nothing", desiredCount=1)
    assert _error(err)[0] == "ClusterNotFoundException"


def test_reset_forgets_the_services(cloud: Cloud, env: Env) -> None:
    env.create("inventory-app")
    status, _ = cloud.post("/_localcloud/reset")
    assert status == 200
    with pytest.raises(ClientError) as err:
        env.ecs.describe_services(cluster="main", services=["inventory-app"])
    assert _error(err)[0] == "ClusterNotFoundException"


def test_update_cluster_settings_replaces_the_named_setting(cloud: Cloud):
    ecs = cloud.client("ecs", config=NO_RETRIES)
    ecs.create_cluster(clusterName="c", settings=[{"name": "containerInsights", "value": "enabled"}])
    cluster = ecs.update_cluster_settings(cluster="c", settings=[{"name": "containerInsights", "value": "disabled"}])
    assert cluster["cluster"]["settings"] == [{"name": "containerInsights", "value": "disabled"}]
    [described] = ecs.describe_clusters(clusters=["c"], include=["SETTINGS"])["clusters"]
    assert described["settings"] == [{"name": "containerInsights", "value": "disabled"}]


def test_update_cluster_settings_refuses_bad_values_and_missing_clusters(cloud: Cloud):
    ecs = cloud.client("ecs", config=NO_RETRIES)
    ecs.create_cluster(clusterName="c")
    with pytest.raises(ClientError) as err:
        ecs.update_cluster_settings(cluster="c", settings=[{"name": "containerInsights", "value": "on"}])
    assert _error(err)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        ecs.update_cluster_settings(cluster="nope", settings=[{"name": "containerInsights", "value": "enabled"}])
    assert _error(err)[0] == "ClusterNotFoundException"
