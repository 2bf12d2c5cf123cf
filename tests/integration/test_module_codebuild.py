"""securecloud.monitor.codebuild_project against a local cloud of this file's own, through ansible-playbook.

The two kinds of project the delivery_pipeline role makes: a service image build (inline buildspec, privileged
Docker, the ECR repository URI as a variable) and an infrastructure stage (buildspec path in the repository, a role
given by name, a VPC). Bad input (no call at all), check mode (no mutating call), create, an identical re-run (one
BatchGetProjects, nothing else), an update with the right diff, a role CodeBuild cannot assume (fails before any
change), absent. The emulator's request recorder counts the calls; boto3 reads the real state. The tests run in
order and share the cloud.
"""

from __future__ import annotations

import json

import pytest

from tests.integration.module_runs import mutating, ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/codebuild/project.yml"
ACCOUNT = "123456789012"
REGISTRY = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com"
SERVICE = "dev-inventory-app-build"
PLAN = "dev-infra-plan"


def trust(service):
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": service},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
                }
            ],
        }
    )


@pytest.fixture(scope="module")
def roles(module_cloud):
    iam = module_cloud.client("iam")
    made = {}
    for name, service in (
        ("dev-codebuild-services", "codebuild.amazonaws.com"),
        ("dev-codebuild-infra-plan", "codebuild.amazonaws.com"),
        ("dev-ecs-task", "ecs-tasks.amazonaws.com"),
    ):
        made[name] = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust(service))["Role"]["Arn"]
    return made


@pytest.fixture(scope="module")
def network(module_cloud):
    ec2 = module_cloud.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.42.{i}.0/24")["Subnet"]["SubnetId"] for i in (1, 2)]
    group = ec2.create_security_group(GroupName="builds", Description="builds", VpcId=vpc)["GroupId"]
    return {"vpc_id": vpc, "subnets": subnets, "security_group_ids": [group]}


# An image build's buildspec, inline as the delivery role passes its own.
SERVICE_BUILDSPEC = """version: 0.2
phases:
  pre_build:
    commands:
      - aws ecr get-login-password | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"
  build:
    commands:
      - docker build --tag "$REPOSITORY_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION" .
  post_build:
    commands:
      - docker push "$REPOSITORY_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION"
artifacts:
  files:
    - imageDetail.json"""


def service_vars(roles, **overrides):
    """The per-service image build, as roles/delivery_pipeline/tasks/projects.yml declares it."""
    extra = {
        "cb_test_name": SERVICE,
        "cb_test_description": "Tests, builds and pushes the inventory-app image of dev",
        "cb_test_source": {
            "type": "CODEPIPELINE",
            "buildspec": SERVICE_BUILDSPEC,
        },
        "cb_test_artifacts": {"type": "CODEPIPELINE"},
        "cb_test_environment": {
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
            "compute_type": "BUILD_GENERAL1_SMALL",
            "privileged_mode": True,
            "environment_variables": [
                {"name": "REPOSITORY_URI", "value": f"{REGISTRY}/dev/inventory-app"},
                {"name": "CONTAINER_NAME", "value": "inventory-app"},
                {"name": "TASK_FAMILY", "value": "dev-inventory-app"},
            ],
        },
        "cb_test_service_role": roles["dev-codebuild-services"],
        "cb_test_timeout_in_minutes": 60,
        "cb_test_logs_config": {
            "cloud_watch_logs": {"group_name": "/aws/codebuild/dev", "stream_name": "inventory-app"}
        },
        "cb_test_tags": {"securecloud:environment": "dev"},
        "cb_test_purge_tags": True,
    }
    extra.update(overrides)
    return extra


def plan_vars(network, **overrides):
    extra = {
        "cb_test_name": PLAN,
        "cb_test_source": {"type": "CODEPIPELINE", "buildspec": "buildspecs/infra-plan.yml"},
        "cb_test_artifacts": {"type": "CODEPIPELINE"},
        "cb_test_environment": {
            "image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
            "compute_type": "BUILD_GENERAL1_MEDIUM",
            "environment_variables": [
                {"name": "INVENTORY", "value": "inventories/aws"},
                {"name": "LIMIT", "value": "dev"},
            ],
        },
        "cb_test_service_role": "dev-codebuild-infra-plan",
        "cb_test_timeout_in_minutes": 120,
        "cb_test_vpc_config": network,
        "cb_test_concurrent_build_limit": 1,
    }
    extra.update(overrides)
    return extra


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


def project(cloud, name=SERVICE):
    found = cloud.client("codebuild").batch_get_projects(names=[name])["projects"]
    return found[0] if found else None


# ---------------------------------------------------------------- the service image build


def test_bad_input_makes_no_call(module_cloud, tmp_path, roles):
    environment = dict(service_vars(roles)["cb_test_environment"], compute_type="BUILD_GENERAL1_HUGE")
    played, result, calls = run(module_cloud, tmp_path, service_vars(roles, cb_test_environment=environment))
    assert played.returncode != 0
    assert "invalid compute type" in result["msg"] and "environment.compute_type 'BUILD_GENERAL1_HUGE'" in result["msg"]
    assert calls == []


def test_check_mode_creates_nothing(module_cloud, tmp_path, roles):
    played, result, calls = run(module_cloud, tmp_path, service_vars(roles), "--check", "--diff")
    ok(played)
    assert result["changed"] is True
    assert result["project"]["arn"] is None and result["project"]["service_role"] == roles["dev-codebuild-services"]
    assert result["diff"]["before"] == {} and result["diff"]["after"]["environment"]["privileged_mode"] is True
    assert mutating(calls) == []
    assert module_cloud.client("codebuild").list_projects()["projects"] == []


def test_create(module_cloud, tmp_path, roles):
    played, result, calls = run(module_cloud, tmp_path, service_vars(roles))
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["codebuild:CreateProject"]
    found = project(module_cloud)
    assert result["project"]["arn"] == found["arn"]
    assert found["environment"]["privilegedMode"] is True
    assert found["environment"]["environmentVariables"][0]["type"] == "PLAINTEXT"
    assert {v["name"]: v["value"] for v in found["environment"]["environmentVariables"]}["REPOSITORY_URI"] == (
        f"{REGISTRY}/dev/inventory-app"
    )
    assert found["source"]["buildspec"] == SERVICE_BUILDSPEC
    assert found["logsConfig"]["cloudWatchLogs"] == {
        "status": "ENABLED",
        "groupName": "/aws/codebuild/dev",
        "streamName": "inventory-app",
    }
    assert found["tags"] == [{"key": "securecloud:environment", "value": "dev"}]
    assert result["project"]["tags"] == {"securecloud:environment": "dev"}


def test_rerun_changes_nothing_with_one_read(module_cloud, tmp_path, roles):
    played, result, calls = run(module_cloud, tmp_path, service_vars(roles), "--diff")
    ok(played)
    assert result["changed"] is False
    assert [f"{c.service}:{c.operation}" for c in calls] == ["codebuild:BatchGetProjects"]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_check_mode_predicts_an_update_and_changes_nothing(module_cloud, tmp_path, roles):
    before = project(module_cloud)
    played, result, calls = run(module_cloud, tmp_path, service_vars(roles, cb_test_timeout_in_minutes=30), "--check")
    ok(played)
    assert result["changed"] is True and result["project"]["timeout_in_minutes"] == 30
    assert mutating(calls) == []
    assert project(module_cloud) == before


def test_update_compute_type_and_variable_with_diff(module_cloud, tmp_path, roles):
    environment = service_vars(roles)["cb_test_environment"]
    environment = dict(environment, compute_type="BUILD_GENERAL1_MEDIUM")
    environment["environment_variables"] = [
        {"name": "REPOSITORY_URI", "value": f"{REGISTRY}/dev/inventory-app-v2"},
        {"name": "CONTAINER_NAME", "value": "inventory-app"},
        {"name": "TASK_FAMILY", "value": "dev-inventory-app"},
    ]
    extra = service_vars(roles, cb_test_environment=environment)
    played, result, calls = run(module_cloud, tmp_path, extra, "--diff")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["codebuild:UpdateProject"]
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert (before["environment"]["compute_type"], after["environment"]["compute_type"]) == (
        "BUILD_GENERAL1_SMALL",
        "BUILD_GENERAL1_MEDIUM",
    )
    by_name = lambda side: {v["name"]: v["value"] for v in side["environment"]["environment_variables"]}  # noqa: E731
    assert by_name(before)["REPOSITORY_URI"].endswith("/inventory-app")
    assert by_name(after)["REPOSITORY_URI"].endswith("/inventory-app-v2")
    assert {k: v for k, v in before.items() if k != "environment"} == {
        k: v for k, v in after.items() if k != "environment"
    }
    found = project(module_cloud)
    assert found["environment"]["computeType"] == "BUILD_GENERAL1_MEDIUM"
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_tags_merge_without_purge(module_cloud, tmp_path, roles):
    environment = dict(service_vars(roles)["cb_test_environment"], compute_type="BUILD_GENERAL1_MEDIUM")
    environment["environment_variables"] = [
        {"name": "REPOSITORY_URI", "value": f"{REGISTRY}/dev/inventory-app-v2"},
        {"name": "CONTAINER_NAME", "value": "inventory-app"},
        {"name": "TASK_FAMILY", "value": "dev-inventory-app"},
    ]
    extra = service_vars(roles, cb_test_environment=environment, cb_test_tags={"team": "inv"}, cb_test_purge_tags=False)
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codebuild:UpdateProject"])
    assert result["project"]["tags"] == {"securecloud:environment": "dev", "team": "inv"}
    assert sorted(t["key"] for t in project(module_cloud)["tags"]) == ["securecloud:environment", "team"]


def test_role_codebuild_cannot_assume_fails_before_any_change(module_cloud, tmp_path, roles):
    before = project(module_cloud)
    played, result, calls = run(module_cloud, tmp_path, service_vars(roles, cb_test_service_role=roles["dev-ecs-task"]))
    assert played.returncode != 0
    assert "does not trust codebuild.amazonaws.com" in result["msg"]
    assert mutating(calls) == []
    assert project(module_cloud) == before


# ---------------------------------------------------------------- the infrastructure plan stage


def test_infrastructure_project_in_a_vpc(module_cloud, tmp_path, roles, network):
    played, result, calls = run(module_cloud, tmp_path, plan_vars(network))
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codebuild:CreateProject"])
    assert "iam:GetRole" in [f"{c.service}:{c.operation}" for c in calls]  # the role name, resolved and checked
    found = project(module_cloud, PLAN)
    assert found["serviceRole"] == roles["dev-codebuild-infra-plan"]
    assert found["source"]["buildspec"] == "buildspecs/infra-plan.yml"
    assert found["vpcConfig"]["vpcId"] == network["vpc_id"] and found["concurrentBuildLimit"] == 1
    assert result["project"]["vpc_config"]["subnets"] == sorted(network["subnets"])

    played, result, calls = run(module_cloud, tmp_path, plan_vars(network))
    ok(played)
    assert (result["changed"], [f"{c.service}:{c.operation}" for c in calls]) == (False, ["codebuild:BatchGetProjects"])


def test_removed_vpc_and_limit_are_reset(module_cloud, tmp_path, network):
    extra = plan_vars(network)
    for key in ("cb_test_vpc_config", "cb_test_concurrent_build_limit"):
        del extra[key]
    played, result, calls = run(module_cloud, tmp_path, extra, "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codebuild:UpdateProject"])
    assert "vpc_config" in result["diff"]["before"] and "vpc_config" not in result["diff"]["after"]
    found = project(module_cloud, PLAN)
    assert "vpcConfig" not in found and "concurrentBuildLimit" not in found
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


# ---------------------------------------------------------------- absent


@pytest.mark.parametrize("name", [SERVICE, PLAN])
def test_absent(module_cloud, tmp_path, name):
    extra = {"cb_test_name": name, "cb_test_state": "absent"}
    played, result, calls = run(module_cloud, tmp_path, extra, "--check")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codebuild:DeleteProject"])
    assert project(module_cloud, name) is None
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
