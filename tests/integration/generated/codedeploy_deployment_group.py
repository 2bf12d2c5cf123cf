"""Generated valid inputs of codedeploy_deployment_group (ECS blue/green).

Limits used (AWS CodeDeploy API reference, CreateApplication and CreateDeploymentGroup, and quotas):
applicationName and deploymentGroupName 1-100 characters of letters, digits and ``+=,.@_-``; an ECS service in one
deployment group only; two target groups and one production listener (a test listener at most), ECS blue/green with
terminationWaitTimeInMinutes 0-2880 and, with STOP_DEPLOYMENT, waitTimeInMinutes 1-2880; at most 10 alarms;
DEPLOYMENT_STOP_ON_ALARM rollback only with alarms; the predefined ECS deployment configurations and a custom one
(CreateDeploymentConfig, TimeBasedLinear); tags (keys 1-128, values 0-256, at most 50)."""

from __future__ import annotations

import string

from tests.integration.generated.base import Generator
from tests.integration.generated.edges import edge_tags
from tests.integration.generated.values import maybe, tags, text
from tests.integration.test_module_codedeploy import build_ecs_blue_green
from tests.localcloud.conftest import put_metric_alarm

NAME_CHARS = string.ascii_letters + string.digits + "+=,.@_-"
CONFIGS = [
    "CodeDeployDefault.ECSAllAtOnce",
    "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
    "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
    "CodeDeployDefault.ECSCanary10Percent5Minutes",
    "CodeDeployDefault.ECSCanary10Percent15Minutes",
]
SERVICES = ["inventory-app", "billing-app"]


def name(rng, prefix, longest):
    if longest:
        return (prefix + "x" * 100)[:100]
    return prefix + text(rng, 1, 40, NAME_CHARS)


def groups_of(client, application):
    """The deployment groups of the application; none when it is gone (deleted with its last group)."""
    try:
        return client.list_deployment_groups(applicationName=application)["deploymentGroups"]
    except client.exceptions.ApplicationDoesNotExistException:
        return []


class CodedeployDeploymentGroup(Generator):
    module = "securecloud.monitor.codedeploy_deployment_group"

    def prepare(self, cloud):
        run = f"g{self.rng.randint(0, 10**5)}"
        env = build_ecs_blue_green(cloud, prefix=run)
        alarms = [*env.alarms, *(f"{run}-alarm-{index}" for index in range(8))]
        for alarm in alarms[2:]:
            put_metric_alarm(cloud.client("cloudwatch"), alarm)
        config = f"{run}-linear-25"
        cloud.client("codedeploy").create_deployment_config(
            deploymentConfigName=config,
            computePlatform="ECS",
            trafficRoutingConfig={
                "type": "TimeBasedLinear",
                "timeBasedLinear": {"linearPercentage": 25, "linearInterval": 2},
            },
        )
        return {
            "run": run,
            "role": env.role_arn,
            "cluster": env.cluster,
            "target_groups": env.target_group_arns[:2],
            "listeners": env.listener_arns,
            "alarms": alarms,
            "configs": [*CONFIGS, config],
        }

    def group(self, application, group_name, service):
        rng, context = self.rng, self.context
        target_groups = rng.sample(context["target_groups"], 2)
        group = {
            "application_name": application,
            "name": group_name,
            "service_role": rng.choice([context["role"], context["role"].rsplit("/", 1)[1]]),
            "ecs_service": {"cluster_name": context["cluster"], "service_name": service},
            "target_groups": [rng.choice([arn, arn.split("/")[1]]) for arn in target_groups],
            "prod_listener_arns": context["listeners"][:1],
        }
        maybe(rng, group, "test_listener_arns", context["listeners"][1:2])
        maybe(rng, group, "deployment_config_name", rng.choice(context["configs"]))
        maybe(rng, group, "termination_wait_minutes", rng.choice([0, 5, 60, 2880]))
        if rng.random() < 0.4:
            group["deployment_ready_action"] = "STOP_DEPLOYMENT"
            # Required then (the module's documentation).
            group["deployment_ready_wait_minutes"] = rng.choice([1, 30, 2880])
        else:
            maybe(rng, group, "deployment_ready_action", "CONTINUE_DEPLOYMENT")
        alarms = rng.sample(context["alarms"], rng.choice([0, 1, 3, 10]))
        if alarms or rng.random() < 0.3:
            group["alarms"] = {"names": alarms}
            maybe(rng, group["alarms"], "ignore_poll_alarm_failure", rng.random() < 0.5)
        events = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST"] + (["DEPLOYMENT_STOP_ON_ALARM"] if alarms else [])
        rollback = {}
        maybe(rng, rollback, "enabled", rng.random() < 0.7)
        maybe(rng, rollback, "events", rng.sample(events, rng.randint(1, len(events))))
        maybe(rng, group, "auto_rollback", rollback)
        maybe(rng, group, "tags", rng.choice([tags(rng), edge_tags(rng)]))
        maybe(rng, group, "purge_tags", rng.random() < 0.5)
        return group

    def arguments(self, round_index):
        if round_index == 0:
            run = self.context["run"]
            first_application = name(self.rng, f"{run}-app-", self.rng.random() < 0.3)
            second_application = self.rng.choice([first_application, name(self.rng, f"{run}-app2-", False)])
            return [
                self.group(first_application, name(self.rng, f"{run}-grp-", self.rng.random() < 0.3), SERVICES[0]),
                self.group(second_application, name(self.rng, f"{run}-grp2-", False), SERVICES[1]),
            ]
        first, second = self.previous
        removed = {"application_name": second["application_name"], "name": second["name"], "state": "absent"}
        maybe(self.rng, removed, "delete_application", True)
        return [self.group(first["application_name"], first["name"], SERVICES[0]), removed]

    def check(self, round_index, declared, results, cloud):
        client = cloud.client("codedeploy")
        for arguments in declared:
            if arguments.get("state") == "absent":
                assert arguments["name"] not in groups_of(client, arguments["application_name"]), arguments
                continue
            group = client.get_deployment_group(
                applicationName=arguments["application_name"], deploymentGroupName=arguments["name"]
            )["deploymentGroupInfo"]
            expected = arguments.get("deployment_config_name", "CodeDeployDefault.ECSAllAtOnce")
            assert group["deploymentConfigName"] == expected, group
            alarms = arguments.get("alarms", {}).get("names", [])
            assert sorted(a["name"] for a in group["alarmConfiguration"].get("alarms", [])) == sorted(alarms), group
