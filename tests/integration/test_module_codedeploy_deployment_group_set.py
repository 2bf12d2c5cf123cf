"""codedeploy_deployment_group_set against a local cloud of this file's own, through ansible-playbook: bad input
refused before any call, check mode that calls nothing mutating, create (the application too), an identical re-run
with reads only (one ListDeploymentGroups, one BatchGetDeploymentGroups), a group changed out of band and an
undeclared one seen by a check with their diff and then repaired, a group outside the prefix never touched, absent
keeping the application while that group uses it, then the whole application with prefix ''."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, refused_before_any_call, run_target
from tests.integration.test_module_codedeploy import add_service, build_ecs_blue_green

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/codedeploy_deployment_group_set/deployment_group_set.yml"
APPLICATION = "cds-services"
PREFIX = "cds-"
OUTSIDE = "users-extra"


@pytest.fixture(scope="module")
def env(module_cloud):
    """The ECS blue/green objects, plus a third CODE_DEPLOY service for the group outside the scope."""
    found = build_ecs_blue_green(module_cloud, prefix="cds")
    add_service(module_cloud, found.cluster, "extra-app")
    return found


def group(env, name, service, **extra):
    return {
        "name": name,
        "service_role": env.role_arn,
        "ecs_service": {"cluster_name": env.cluster, "service_name": service},
        "target_groups": env.target_group_arns[:2],
        "prod_listener_arns": env.listener_arns[:1],
        "tags": {"Service": service},
    } | extra


def run(cloud, work_dir, groups, *flags, **extra):
    variables = {"cds_test_application_name": APPLICATION, "cds_test_prefix": PREFIX}
    variables |= {"cds_test_deployment_groups": groups} | {f"cds_test_{k}": v for k, v in extra.items()}
    return run_target(cloud, work_dir, TARGET, variables, *flags)


def names(cloud):
    client = cloud.client("codedeploy")
    try:
        return sorted(client.list_deployment_groups(applicationName=APPLICATION)["deploymentGroups"])
    except client.exceptions.ApplicationDoesNotExistException:
        return None


def operations(calls):
    return sorted(f"{c.service}:{c.operation}" for c in calls)


def test_bad_input_fails_before_any_call(module_cloud, tmp_path, env):
    bad = [group(env, f"{PREFIX}inventory", "inventory-app"), group(env, f"{PREFIX}again", "inventory-app")]
    played, result, calls = run(module_cloud, tmp_path, bad)
    refused_before_any_call(played, result, calls, "deployment_groups[1].ecs_service is also the service of")


def test_lifecycle(module_cloud, tmp_path, env):
    inventory, billing = f"{PREFIX}inventory", f"{PREFIX}billing"
    both = [group(env, inventory, "inventory-app"), group(env, billing, "billing-app")]
    played, result, calls = run(module_cloud, tmp_path, both, "--check")
    ok(played)
    assert (result["changed"], result["created"], mutating(calls), names(module_cloud)) == (
        True,
        [billing, inventory],
        [],
        None,
    )

    played, result, calls = run(module_cloud, tmp_path, both)
    ok(played)
    assert result["changed"] is True
    assert sorted(mutating(calls)) == ["codedeploy:CreateApplication"] + ["codedeploy:CreateDeploymentGroup"] * 2
    assert names(module_cloud) == [billing, inventory]
    assert all(g["deployment_group_id"] for g in result["deployment_groups"])

    # A group of the application outside the scope: never read, changed or deleted.
    codedeploy = module_cloud.client("codedeploy")
    codedeploy.create_deployment_group(
        applicationName=APPLICATION,
        deploymentGroupName=OUTSIDE,
        serviceRoleArn=env.role_arn,
        deploymentStyle={"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
        ecsServices=[{"serviceName": "extra-app", "clusterName": env.cluster}],
        loadBalancerInfo={
            "targetGroupPairInfoList": [
                {
                    "targetGroups": [{"name": arn.split("/")[1]} for arn in env.target_group_arns[:2]],
                    "prodTrafficRoute": {"listenerArns": env.listener_arns[:1]},
                }
            ]
        },
        blueGreenDeploymentConfiguration={
            "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 5},
            "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT"},
        },
    )

    played, result, calls = run(module_cloud, tmp_path, both)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
    assert operations(calls) == sorted(
        [
            "codedeploy:GetApplication",
            "codedeploy:ListDeploymentGroups",
            "codedeploy:BatchGetDeploymentGroups",
            "codedeploy:ListTagsForResource",
            "codedeploy:ListTagsForResource",
            "sts:GetCallerIdentity",
        ]
    )

    # Out of band: inventory's traffic shifting changed. Declared without billing: a check reports the update and
    # the purge with their diff and changes nothing.
    codedeploy.update_deployment_group(
        applicationName=APPLICATION,
        currentDeploymentGroupName=inventory,
        deploymentConfigName="CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
    )
    fewer = both[:1]
    played, result, calls = run(module_cloud, tmp_path, fewer, "--check", "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    assert (result["updated"], result["deleted"]) == ([inventory], [billing])
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before[inventory]["deployment_config_name"] == "CodeDeployDefault.ECSLinear10PercentEvery1Minutes"
    assert after[inventory]["deployment_config_name"] == "CodeDeployDefault.ECSAllAtOnce"
    assert billing in before and billing not in after

    played, result, calls = run(module_cloud, tmp_path, fewer)
    ok(played)
    assert (result["changed"], mutating(calls)) == (
        True,
        ["codedeploy:DeleteDeploymentGroup", "codedeploy:UpdateDeploymentGroup"],
    )
    assert names(module_cloud) == [inventory, OUTSIDE]

    played, result, calls = run(module_cloud, tmp_path, [], state="absent", delete_application=True)
    ok(played)
    assert (result["changed"], mutating(calls), result["application_deleted"]) == (
        True,
        ["codedeploy:DeleteDeploymentGroup"],
        False,
    )
    assert names(module_cloud) == [OUTSIDE]
    assert any(OUTSIDE in str(warning) for warning in result.get("warnings", []))

    played, result, calls = run(module_cloud, tmp_path, [], state="absent", delete_application=True, prefix="")
    ok(played)
    assert (result["deleted"], result["application_deleted"]) == ([OUTSIDE], True)
    assert mutating(calls) == ["codedeploy:DeleteDeploymentGroup", "codedeploy:DeleteApplication"]
    assert names(module_cloud) is None
