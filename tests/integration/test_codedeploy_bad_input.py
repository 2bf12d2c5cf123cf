"""Bad input to securecloud.monitor.codedeploy_deployment_group fails with a message that names the option, and no
mutating call reaches the emulator (checked with its request recorder). Input errors fail before any call at all;
problems only AWS can see (a missing custom deployment configuration, an application of another compute platform)
fail after the reads, before any change; an ECS service CodeDeploy refuses leaves nothing behind."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import assert_refused, run_module
from tests.integration.test_module_codedeploy import build_ecs_blue_green
from tools.harness import recorder

pytestmark = pytest.mark.slow

MODULE = "securecloud.monitor.codedeploy_deployment_group"
ACCOUNT = "123456789012"
LISTENER = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:listener/net/bad/50dc6c495c0c9188/f2f7dc8efc522ab2"
TARGET_GROUP = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/bad-blue/73e2d6bc24d8a067"


def group(**overrides):
    """Well-formed input: the input checks need nothing in the cloud."""
    arguments = {
        "application_name": "bad-input",
        "name": "bad-input",
        "service_role": f"arn:aws:iam::{ACCOUNT}:role/bad-input-codedeploy",
        "ecs_service": {"cluster_name": "main", "service_name": "inventory-app"},
        "target_groups": ["bad-blue", "bad-green"],
        "prod_listener_arns": [LISTENER],
    }
    arguments.update(overrides)
    return arguments


CASES = [
    ("one target group", group(target_groups=["bad-blue"]), ["target_groups has 1 entries", "exactly 2"]),
    (
        "the same target group twice (ARN and name)",
        group(target_groups=[TARGET_GROUP, "bad-blue"]),
        ["target_groups[0] and target_groups[1] are both 'bad-blue'"],
    ),
    (
        "production listener that is a target group ARN",
        group(prod_listener_arns=[TARGET_GROUP]),
        ["prod_listener_arns[0]", "is not a load balancer listener ARN"],
    ),
    (
        "rollback on alarm without alarms",
        group(auto_rollback={"events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]}),
        ["auto_rollback.events has DEPLOYMENT_STOP_ON_ALARM but alarms.names is empty"],
    ),
    (
        "eleven alarms",
        group(alarms={"names": [f"alarm-{i}" for i in range(11)]}),
        ["alarms.names has 11 alarms", "at most 10"],
    ),
    (
        "termination wait of three days",
        group(termination_wait_minutes=4320),
        ["termination_wait_minutes is 4320", "between 0 and 2880"],
    ),
    (
        "a CodeDeployDefault configuration that is not for ECS",
        group(deployment_config_name="CodeDeployDefault.OneAtATime"),
        ["deployment_config_name 'CodeDeployDefault.OneAtATime' is not a predefined ECS deployment configuration"],
    ),
    (
        "STOP_DEPLOYMENT without a wait",
        group(deployment_ready_action="STOP_DEPLOYMENT"),
        ["deployment_ready_wait_minutes is not set", "between 1 and 2880"],
    ),
]


@pytest.mark.parametrize(("case", "arguments", "fields"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_names_the_option_and_calls_nothing(module_cloud, tmp_path, case, arguments, fields):
    calls = assert_refused(module_cloud, tmp_path, MODULE, arguments, fields)
    assert calls == [], [c.operation for c in calls]
    assert module_cloud.client("codedeploy").list_applications()["applications"] == []


@pytest.fixture(scope="module")
def env(module_cloud):
    return build_ecs_blue_green(module_cloud, prefix="bad")


def real_group(env, **overrides):
    arguments = group(
        service_role=env.role_arn,
        ecs_service={"cluster_name": env.cluster, "service_name": "inventory-app"},
        target_groups=env.target_group_arns[:2],
        prod_listener_arns=env.listener_arns[:1],
    )
    arguments.update(overrides)
    return arguments


def test_a_missing_custom_deployment_config_fails_before_any_change(module_cloud, tmp_path, env):
    recorder.start(module_cloud.endpoint)
    returncode, result = run_module(module_cloud, tmp_path, MODULE, real_group(env, deployment_config_name="nope"))
    calls = recorder.stop(module_cloud.endpoint)
    assert (
        returncode != 0
        and "deployment_config_name: the deployment configuration 'nope' does not exist" in (result["msg"])
    )
    assert [c.operation for c in calls if c.mutating] == []
    assert "GetDeploymentConfig" in [c.operation for c in calls]


def test_an_application_of_another_platform_fails_before_any_change(module_cloud, tmp_path, env):
    module_cloud.client("codedeploy").create_application(applicationName="bad-server", computePlatform="Server")
    recorder.start(module_cloud.endpoint)
    returncode, result = run_module(module_cloud, tmp_path, MODULE, real_group(env, application_name="bad-server"))
    calls = recorder.stop(module_cloud.endpoint)
    assert returncode != 0 and "application 'bad-server' has compute platform Server" in result["msg"]
    assert [c.operation for c in calls if c.mutating] == []
    module_cloud.client("codedeploy").delete_application(applicationName="bad-server")


def test_a_service_without_the_code_deploy_controller_leaves_nothing_behind(module_cloud, tmp_path, env):
    arguments = real_group(env, ecs_service={"cluster_name": env.cluster, "service_name": "rolling-app"})
    recorder.start(module_cloud.endpoint)
    returncode, result = run_module(module_cloud, tmp_path, MODULE, arguments)
    calls = recorder.stop(module_cloud.endpoint)
    assert returncode != 0 and "InvalidECSServiceException" in str(result), result
    assert "CODE_DEPLOY deployment controller" in result["msg"]
    assert [c.operation for c in calls if c.mutating] == [
        "CreateApplication",
        "CreateDeploymentGroup",
        "DeleteApplication",  # the application this run made is removed again
    ]
    assert module_cloud.client("codedeploy").list_applications()["applications"] == []
