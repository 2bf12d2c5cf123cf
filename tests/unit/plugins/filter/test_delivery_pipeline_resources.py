"""plugins/filter/delivery_pipeline_resources.py: the delivery_pipeline role's services and IAM roles from the base
layer's outputs and the role's settings, with no cloud: one repository, project, deployment group and pipeline per
blue/green service, role names within IAM's 64 characters, and each role allowed what it touches only."""

from __future__ import annotations

import random

import pytest
import yaml
from ansible.errors import AnsibleFilterError
from ansible_collections.securecloud.monitor.plugins.filter import delivery_pipeline_resources as delivery

from tools.harness.playbook import REPO

ACCOUNT = "123456789012"
REGION = "eu-west-1"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k1"
CONNECTION = f"arn:aws:codestar-connections:{REGION}:{ACCOUNT}:connection/c1"
VARS = yaml.safe_load((REPO / "roles/delivery_pipeline/vars/main.yml").read_text(encoding="utf-8"))
APPLY_SERVICES = VARS["__delivery_pipeline_apply_services"]
SERVICE_BUILDSPEC = "version: 0.2\n"
# IAM role names: 1-64 characters; the role's check allows environments of up to 20 characters.
IAM_ROLE_NAME_MAX = 64
ENVIRONMENT_MAX = 20
# The only actions AWS does not scope to a resource that a role is allowed on "*".
UNSCOPED_ACTIONS = {
    "ecr:GetAuthorizationToken",
    "ecs:RegisterTaskDefinition",
    "ecs:DescribeTaskDefinition",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeRules",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth",
}


def settings(prefix="dev", **overrides):
    return {
        "prefix": prefix,
        "partition": "aws",
        "region": REGION,
        "account": ACCOUNT,
        "github_owner": "acme",
        "branch": "main",
        "services_enabled": True,
        "services": {},
        "infrastructure_enabled": True,
        "application": f"{prefix}-services",
        "bucket": f"{prefix}-delivery-artifacts-{ACCOUNT}",
        "bucket_arn": f"arn:aws:s3:::{prefix}-delivery-artifacts-{ACCOUNT}",
        "log_group": f"/aws/codebuild/{prefix}",
        "log_group_arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/codebuild/{prefix}",
        "registry": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com",
        "key_arn": KEY,
        "connection_arn": CONNECTION,
        "role_names": {
            "pipeline": f"{prefix}-codepipeline",
            "build": f"{prefix}-codebuild-services",
            "validate": f"{prefix}-codebuild-infra-validate",
            "plan": f"{prefix}-codebuild-infra-plan",
            "apply": f"{prefix}-codebuild-infra-apply",
            "deploy": f"{prefix}-codedeploy",
        },
        "infra_projects": {
            stage: {"name": f"{prefix}-infra-{stage}", "buildspec": f"buildspecs/infra-{stage}.yml"}
            for stage in ("validate", "plan", "apply")
        },
        "apply_services": APPLY_SERVICES,
        "build_image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
        "build_compute_type": "BUILD_GENERAL1_SMALL",
        "build_timeout_minutes": "60",
        "service_buildspec": SERVICE_BUILDSPEC,
        "infrastructure_repository": "acme/securecloud.monitor",
        "infrastructure_branch": "main",
        "infrastructure_inventory": "inventories/aws",
        "infrastructure_limit": prefix,
        "deployment_config": "CodeDeployDefault.ECSCanary10Percent5Minutes",
        "termination_wait_minutes": "5",
        "rollback_on_alarm": True,
        "alarm_prefix": f"{prefix}-mon-",
        "state": {},
    } | overrides


def service(name, blue_green=True, test_listener=True):
    listener = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener/net/{name}/1"
    return {
        "service_name": f"{name}-svc",
        "task_definition_family": f"dev-{name}",
        "task_role_arn": f"arn:aws:iam::{ACCOUNT}:role/{name}-task",
        "execution_role_arn": f"arn:aws:iam::{ACCOUNT}:role/execution",
        "blue_green": {
            "target_group_names": [f"{name}-blue", f"{name}-green"],
            "prod_listener_arn": f"{listener}/prod",
            "test_listener_arn": f"{listener}/test" if test_listener else "",
        }
        if blue_green
        else None,
    }


def base(*names, rolling=("worker",)):
    services = {name: service(name) for name in names} | {name: service(name, False) for name in rolling}
    return {"account_id": ACCOUNT, "ecs_cluster_name": "dev", "services": services}


def desired(base_=None, prefix="dev", **overrides):
    return delivery.delivery_pipeline_resources(base_ or base("api", "web"), settings(prefix, **overrides))


def roles_by_name(state):
    return {role["name"]: role for role in state["roles"]}


def statements(role):
    return {statement["Sid"]: statement for statement in role["inline_policy"]["document"]["Statement"]}


def as_list(value):
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("seed", range(5))
def test_one_repository_project_deployment_group_and_pipeline_per_blue_green_service(seed):
    rng = random.Random(seed)
    names = sorted({f"svc{rng.randint(0, 99)}" for _index in range(rng.randint(1, 8))})
    units = desired(base(*names))["units"]
    assert [unit["name"] for unit in units] == names
    for key in ("ecr_repository", "project", "pipeline", "deployment_group"):
        assert len({unit[key] for unit in units}) == len(names), key
    assert all(unit["pipeline"] == unit["deployment_group"] == f"dev-{unit['name']}" for unit in units)
    assert all(unit["project"] == f"dev-{unit['name']}-build" for unit in units)


def test_a_unit_points_at_its_service_in_the_base_layer():
    (unit,) = desired(base("api"))["units"]
    assert (unit["cluster"], unit["service"], unit["container"], unit["task_family"]) == (
        "dev",
        "api-svc",
        "api",
        "dev-api",
    )
    assert unit["target_groups"] == ["api-blue", "api-green"]
    assert unit["ecr_repository"] == "dev/api"


def test_services_without_blue_green_have_no_pipeline():
    assert [unit["name"] for unit in desired(base("api", rolling=("worker", "db")))["units"]] == ["api"]


def test_per_service_settings_replace_the_defaults_of_their_service_only():
    per_service = {"api": {"repository": "other/api-repo", "branch": "release", "buildspec": "ci/build.yml"}}
    units = {unit["name"]: unit for unit in desired(services=per_service, branch="trunk")["units"]}
    assert (units["api"]["repository"], units["api"]["branch"], units["api"]["buildspec"]) == (
        "other/api-repo",
        "release",
        "ci/build.yml",
    )
    assert (units["web"]["repository"], units["web"]["branch"], units["web"]["buildspec"]) == ("acme/web", "trunk", "")


@pytest.mark.parametrize("off", ["api", "web"])
def test_a_service_switched_off_loses_exactly_its_unit(off):
    units = desired(services={off: {"enabled": False}})["units"]
    assert [unit["name"] for unit in units] == sorted({"api", "web"} - {off})


@pytest.mark.parametrize("enabled", [False, "false"])
def test_services_switched_off_leave_no_service_roles(enabled):
    state = desired(services_enabled=enabled)
    assert state["units"] == []
    assert set(roles_by_name(state)) == {
        "dev-codepipeline",
        "dev-codebuild-infra-validate",
        "dev-codebuild-infra-plan",
        "dev-codebuild-infra-apply",
    }
    assert "DeployThroughCodeDeploy" not in statements(roles_by_name(state)["dev-codepipeline"])


def test_the_infrastructure_switched_off_removes_exactly_its_three_roles_and_projects():
    every, fewer = roles_by_name(desired()), roles_by_name(desired(infrastructure_enabled=False))
    assert set(every) - set(fewer) == {f"dev-codebuild-infra-{stage}" for stage in ("validate", "plan", "apply")}
    builds = statements(fewer["dev-codepipeline"])["RunBuilds"]["Resource"]
    assert builds == [f"arn:aws:codebuild:{REGION}:{ACCOUNT}:project/dev-{name}-build" for name in ("api", "web")]


@pytest.mark.parametrize("prefix", ["a", "dev", "x" * ENVIRONMENT_MAX])
def test_role_names_fit_iam(prefix):
    for role in desired(prefix=prefix)["roles"]:
        assert 1 <= len(role["name"]) <= IAM_ROLE_NAME_MAX and role["name"].startswith(f"{prefix}-")


def test_a_wildcard_resource_only_for_actions_aws_does_not_scope():
    for role in desired()["roles"]:
        for statement in role["inline_policy"]["document"]["Statement"]:
            if statement["Resource"] == "*":
                assert set(as_list(statement["Action"])) <= UNSCOPED_ACTIONS, (role["name"], statement["Sid"])


def test_every_scoped_resource_is_in_this_account_or_partition_wide_for_s3():
    for role in desired()["roles"]:
        for statement in role["inline_policy"]["document"]["Statement"]:
            for resource in as_list(statement["Resource"]):
                if resource == "*":
                    continue
                parts = resource.split(":")
                assert parts[:2] == ["arn", "aws"], resource
                assert parts[4] in (ACCOUNT, "") and (parts[4] == ACCOUNT or parts[2] == "s3"), resource


def test_every_statement_allows_and_has_a_unique_sid():
    for role in desired()["roles"]:
        sids = [statement["Sid"] for statement in role["inline_policy"]["document"]["Statement"]]
        assert len(set(sids)) == len(sids) and all(
            s["Effect"] == "Allow" for s in role["inline_policy"]["document"]["Statement"]
        )


def test_the_validate_build_has_no_aws_access_beyond_its_logs_artifacts_and_key():
    validate = roles_by_name(desired())["dev-codebuild-infra-validate"]
    assert set(statements(validate)) == {
        "WriteBuildLogs",
        "ReadWriteArtifacts",
        "LocateArtifactBucket",
        "UseDeliveryKey",
    }
    assert validate["managed_policies"] == []


# Which AWS service assumes each role (the service that runs with it).
ASSUMED_BY = {
    "dev-codepipeline": "codepipeline.amazonaws.com",
    "dev-codebuild-services": "codebuild.amazonaws.com",
    "dev-codebuild-infra-validate": "codebuild.amazonaws.com",
    "dev-codebuild-infra-plan": "codebuild.amazonaws.com",
    "dev-codebuild-infra-apply": "codebuild.amazonaws.com",
    "dev-codedeploy": "codedeploy.amazonaws.com",
}


def test_each_role_is_assumed_by_its_service_for_this_account_only_and_carries_the_tags():
    roles = roles_by_name(desired(tags={"team": "delivery"}))
    assert set(roles) == set(ASSUMED_BY)
    for name, role in roles.items():
        (trust,) = role["assume_role_policy"]["Statement"]
        assert (trust["Effect"], trust["Action"], trust["Principal"]) == (
            "Allow",
            "sts:AssumeRole",
            {"Service": ASSUMED_BY[name]},
        )
        assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
        assert role["inline_policy"]["name"] == "delivery" and role["tags"] == {"team": "delivery"}


def test_plan_and_apply_read_everything_but_only_apply_writes():
    roles = roles_by_name(desired())
    read_only = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    assert roles["dev-codebuild-infra-plan"]["managed_policies"] == read_only
    assert roles["dev-codebuild-infra-apply"]["managed_policies"] == read_only
    assert not [
        s
        for s in roles["dev-codebuild-infra-plan"]["inline_policy"]["document"]["Statement"]
        if s["Sid"].startswith("Manage")
    ]


def test_apply_manages_each_stack_service_in_this_region_global_ones_without():
    apply = roles_by_name(desired())["dev-codebuild-infra-apply"]["inline_policy"]["document"]["Statement"]
    manage = {s["Action"]: s["Resource"] for s in apply if isinstance(s["Action"], str)}
    for name in APPLY_SERVICES:
        region = "" if name in ("budgets", "shield") else REGION
        assert manage[f"{name}:*"] == f"arn:aws:{name}:{region}:{ACCOUNT}:*"
    assert manage["iam:*"] == [f"arn:aws:iam::{ACCOUNT}:role/dev-*", f"arn:aws:iam::{ACCOUNT}:policy/dev-*"]
    assert manage["s3:*"] == ["arn:aws:s3:::dev-*", "arn:aws:s3:::dev-*/*"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [({}, False), ({"bucket": "tfstate", "key": "dev/base.tfstate"}, True)],
)
def test_the_terraform_state_is_reachable_only_with_an_s3_backend(state, expected):
    roles = roles_by_name(desired(state=state))
    for name in ("dev-codebuild-infra-plan", "dev-codebuild-infra-apply"):
        found = statements(roles[name])
        assert ("TerraformState" in found) is expected
        if expected:
            assert found["TerraformState"]["Resource"] == [
                "arn:aws:s3:::tfstate/dev/base.tfstate",
                "arn:aws:s3:::tfstate/dev/base.tfstate.tflock",
            ]
            assert found["TerraformStateBucket"]["Resource"] == "arn:aws:s3:::tfstate"


def test_task_roles_are_passed_to_ecs_tasks_only_and_once_each():
    roles = roles_by_name(desired())
    for name in ("dev-codepipeline", "dev-codedeploy"):
        passing = statements(roles[name])["PassTaskRolesToEcs"]
        assert passing["Resource"] == sorted(
            {f"arn:aws:iam::{ACCOUNT}:role/{n}" for n in ("api-task", "web-task", "execution")}
        )
        assert passing["Condition"] == {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}


def test_codedeploy_swaps_the_services_listeners_only():
    services = base("api") | {"services": {"api": service("api"), "web": service("web", test_listener=False)}}
    deploy = statements(roles_by_name(desired(services))["dev-codedeploy"])
    listener = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener/net"
    assert deploy["SwapListeners"]["Resource"] == [
        f"{listener}/api/1/prod",
        f"{listener}/api/1/test",
        f"{listener}/web/1/prod",
    ]
    assert deploy["ManageTaskSets"]["Resource"] == [
        f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/dev/api-svc",
        f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/dev/web-svc",
        f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-set/dev/*",
    ]


def test_the_pipeline_uses_the_connection_and_the_key():
    roles = roles_by_name(desired())
    assert statements(roles["dev-codepipeline"])["UseGitHubConnection"]["Resource"] == CONNECTION
    assert statements(roles["dev-codebuild-services"])["UseDeliveryKey"]["Resource"] == KEY
    assert statements(roles["dev-codedeploy"])["DecryptRevisions"]["Resource"] == KEY


def test_the_service_build_pushes_to_the_environment_repositories_only():
    push = statements(roles_by_name(desired())["dev-codebuild-services"])["PushServiceImages"]
    assert push["Resource"] == f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/dev/*"


def test_one_project_per_service_then_one_per_infrastructure_stage():
    projects = desired()["projects"]
    assert [p["name"] for p in projects] == [
        "dev-api-build",
        "dev-web-build",
        "dev-infra-validate",
        "dev-infra-plan",
        "dev-infra-apply",
    ]
    roles = [p["service_role"] for p in projects]
    assert roles == [f"arn:aws:iam::{ACCOUNT}:role/dev-codebuild-{n}" for n in ("services", "services")] + [
        f"arn:aws:iam::{ACCOUNT}:role/dev-codebuild-infra-{stage}" for stage in ("validate", "plan", "apply")
    ]
    assert all(p["encryption_key"] == KEY and p["timeout_in_minutes"] == 60 for p in projects)


def test_only_service_builds_run_docker_and_push_to_their_repository():
    projects = {p["name"]: p for p in desired()["projects"]}
    api = projects["dev-api-build"]["environment"]
    assert api["privileged_mode"] is True and not projects["dev-infra-apply"]["environment"]["privileged_mode"]
    variables = {v["name"]: v["value"] for v in api["environment_variables"]}
    assert variables == {
        "REPOSITORY_URI": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/dev/api",
        "CONTAINER_NAME": "api",
        "TASK_FAMILY": "dev-api",
    }


def test_a_service_builds_with_its_own_buildspec_or_the_roles():
    projects = desired(services={"api": {"buildspec": "ci/build.yml"}})["projects"]
    assert [p["source"]["buildspec"] for p in projects[:2]] == ["ci/build.yml", SERVICE_BUILDSPEC]


@pytest.mark.parametrize("seed", range(3))
def test_one_pipeline_per_service_plus_the_infrastructure(seed):
    names = sorted({f"svc{n}" for n in random.Random(seed).sample(range(50), 4)})
    found = desired(base(*names), infrastructure_branch="prod")["pipelines"]
    assert [p["name"] for p in found] == [f"dev-{n}" for n in names] + ["dev-infrastructure"]
    for pipeline, name in zip(found, names, strict=False):
        stages = {stage["name"]: stage["actions"][0] for stage in pipeline["stages"]}
        assert stages["Build"]["configuration"]["ProjectName"] == f"dev-{name}-build"
        assert stages["Deploy"]["configuration"]["DeploymentGroupName"] == f"dev-{name}"
        assert stages["Source"]["configuration"]["FullRepositoryId"] == f"acme/{name}"
    assert found[-1]["triggers"][0]["git_configuration"]["push"] == [{"branches": {"includes": ["prod"]}}]


def test_the_infrastructure_pipeline_waits_for_approval_before_apply():
    (pipeline,) = desired(base(), infrastructure_enabled=True)["pipelines"]
    assert [stage["name"] for stage in pipeline["stages"]] == ["Source", "Validate", "Plan", "Approve", "Apply"]
    assert pipeline["stages"][3]["actions"][0]["provider"] == "Manual"


def test_every_pipeline_runs_as_the_pipeline_role_with_the_encrypted_bucket():
    for pipeline in desired()["pipelines"]:
        assert pipeline["role_arn"] == f"arn:aws:iam::{ACCOUNT}:role/dev-codepipeline"
        assert pipeline["artifact_store"]["encryption_key"] == {"id": KEY, "type": "KMS"}
        source = pipeline["stages"][0]["actions"][0]["configuration"]
        assert source["ConnectionArn"] == CONNECTION and source["DetectChanges"] == "false"


# CodeDeploy watches at most 10 alarms per deployment group.
CODEDEPLOY_ALARMS_MAX = 10


def alarm_reads(counts, extra=()):
    """The metric alarms of the role's one cloudwatch_metric_alarm_info call (prefix dev-mon-), newest first."""
    names = [f"dev-mon-{name}-{i:02d}" for name, n in counts.items() for i in range(n, 0, -1)]
    return {"alarms": [{"alarm_name": name} for name in names + list(extra)]}


def groups(observed=None, services=("api", "web"), **overrides):
    state = delivery.delivery_pipeline_resources(base(*services), settings(**overrides), observed)
    return {group["name"]: group for group in state["deployment_groups"]}


def test_one_deployment_group_per_service_on_its_target_groups_and_listeners():
    found = groups()
    assert list(found) == ["dev-api", "dev-web"]
    api = found["dev-api"]
    assert api["ecs_service"] == {"cluster_name": "dev", "service_name": "api-svc"}
    assert api["target_groups"] == ["api-blue", "api-green"]
    assert api["service_role"] == f"arn:aws:iam::{ACCOUNT}:role/dev-codedeploy"
    assert api["termination_wait_minutes"] == 5 and "application_name" not in api  # the set module's, once


@pytest.mark.parametrize("count", [1, CODEDEPLOY_ALARMS_MAX, CODEDEPLOY_ALARMS_MAX + 5])
def test_a_deployment_rolls_back_on_at_most_ten_of_its_service_alarms(count):
    found = groups(alarm_reads({"api": count, "web": 0}))
    names = found["dev-api"]["alarms"]["names"]
    assert names == sorted(f"dev-mon-api-{i:02d}" for i in range(1, count + 1))[:CODEDEPLOY_ALARMS_MAX]
    assert found["dev-api"]["auto_rollback"]["events"] == ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
    assert found["dev-web"]["alarms"]["names"] == []
    assert found["dev-web"]["auto_rollback"] == {"enabled": True, "events": ["DEPLOYMENT_FAILURE"]}


@pytest.mark.parametrize("delivered", [("api", "api-admin", "apix"), ("api",)])
def test_a_service_named_like_the_start_of_another_keeps_to_its_own_alarms(delivered):
    """One read of every alarm, grouped: api gets dev-mon-api-*, but not api-admin's dev-mon-api-admin-* (the longer
    service name owns it, even when api-admin is not delivered) nor apix's, nor an alarm without the dash."""
    observed = alarm_reads({"api": 2, "api-admin": 3, "apix": 1}, extra=["dev-mon-api", "dev-mon-apiary-x"])
    state = delivery.delivery_pipeline_resources(
        base(*delivered, rolling=("api-admin", "apix")) if len(delivered) == 1 else base(*delivered),
        settings(),
        observed,
    )
    found = {group["name"]: group["alarms"]["names"] for group in state["deployment_groups"]}
    assert found["dev-api"] == ["dev-mon-api-01", "dev-mon-api-02"]
    if len(delivered) > 1:
        assert found["dev-api-admin"] == ["dev-mon-api-admin-01", "dev-mon-api-admin-02", "dev-mon-api-admin-03"]
        assert found["dev-apix"] == ["dev-mon-apix-01"]


def test_alarm_grouping_takes_the_first_ten_by_name_of_each_service():
    names = [f"dev-mon-api-{i:02d}" for i in range(15, 0, -1)] + ["dev-mon-web-b", "dev-mon-web-a", "other-x"]
    found = delivery.alarms_by_service(names, "dev-mon-", ["api", "web", "db"])
    assert found == {"api": sorted(names[:15]), "web": ["dev-mon-web-a", "dev-mon-web-b"], "db": []}
    assert (
        groups({"alarms": [{"alarm_name": n} for n in names]})["dev-api"]["alarms"]["names"] == sorted(names[:15])[:10]
    )


@pytest.mark.parametrize("rollback", [False, "no"])
def test_rollback_on_alarm_switched_off_ignores_the_alarms(rollback):
    found = groups(alarm_reads({"api": 3}), rollback_on_alarm=rollback)
    assert all(g["alarms"]["names"] == [] for g in found.values())


def test_a_service_without_a_test_listener_has_none():
    services = {"services": {"api": service("api", test_listener=False)}} | {"ecs_cluster_name": "dev"}
    (group,) = delivery.delivery_pipeline_resources(services, settings())["deployment_groups"]
    assert group["test_listener_arns"] == [] and len(group["prod_listener_arns"]) == 1


@pytest.mark.parametrize("bad", [None, "dev", settings(prefix=""), settings(bucket_arn="")])
def test_bad_settings_name_what_is_wrong(bad):
    with pytest.raises(AnsibleFilterError, match="delivery_pipeline_resources: settings"):
        delivery.delivery_pipeline_resources(base("api"), bad)
