"""CodeDeploy actions moto 5.2.5 lacks or gets wrong, with ECS blue/green deployment groups in mind.

moto keeps applications (``backend.applications``), deployment groups (``backend.deployment_groups[app][group]``,
``DeploymentGroup`` objects) and tags (``backend.tagger``, keyed by ARN), and serves Create/Get/BatchGet/List of
applications, Create/Get/List of deployment groups, deployments and the tag actions. What it lacks or gets wrong:

- no ``UpdateDeploymentGroup``, ``DeleteDeploymentGroup``, ``DeleteApplication``, ``BatchGetDeploymentGroups`` and no
  deployment configurations at all (``Get/List/Create/DeleteDeploymentConfig``);
- ``CreateDeploymentGroup`` checks nothing but the application and the name: no role, no deployment configuration, no
  ECS rules (blue/green with traffic control, one existing ECS service with the CODE_DEPLOY controller, one pair of
  existing target groups with one production listener), no alarm or rollback checks; and its default configuration
  is ``CodeDeployDefault.OneAtATime`` whatever the compute platform;
- ``GetDeploymentGroup`` always answers ``alarmConfiguration: {}`` (the alarms sent are lost) and none of AWS's
  defaults (``deploymentReadyOption.waitTimeInMinutes``, ``outdatedInstancesStrategy``, ...);
- ``CreateApplication`` without ``computePlatform`` stores none (AWS: ``Server``); ``ListDeploymentGroups`` answers an
  empty list for an application that does not exist (AWS: ``ApplicationDoesNotExistException``);
- ``TagResource``/``UntagResource`` accept any ARN.

Here those actions are served with AWS's validation and error codes (the service model's error shapes), on moto's own
tables, so moto's ``CreateDeployment``, ``ListDeploymentGroups`` paging aside, and tag actions keep working on the
groups made here. Custom deployment configurations live in ``req.store['configs']``; the built-in
``CodeDeployDefault.*`` ones always exist. As in AWS, ``DeleteDeploymentGroup`` and ``DeleteApplication`` succeed for
names that do not exist (the model has no not-found error for them).

Checks whose exact AWS behaviour is not documented are not invented: ``DEPLOYMENT_STOP_ON_ALARM`` without alarms is
accepted (it then never fires), as is a ``deploymentReadyOption`` wait of any non-negative length.
"""

from __future__ import annotations

import base64
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from ..registry import AwsError, ExtensionRequest, action
from ..trust import trusts_service

NAME = re.compile(r"[A-Za-z0-9+=,.@_-]{1,100}")
ROLE_ARN = re.compile(r"arn:aws(-[\w]+)*:iam::[0-9]{12}:role/.+")
PLATFORMS = ("Server", "Lambda", "ECS")
ROLLBACK_EVENTS = ("DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST")
MAX_ALARMS = 10  # API reference: "A maximum of 10 alarms can be added" (AlarmsLimitExceededException)
MAX_TERMINATION_WAIT = 2880  # BlueInstanceTerminationOption: "The maximum setting is 2880 minutes (2 days)"
MAX_BATCH = 100
PAGE_SIZE = 100
BUILTIN_PREFIX = "CodeDeployDefault."
EPOCH = datetime(2014, 10, 6, tzinfo=UTC)  # creation time AWS reports for the built-in configurations

# The built-in deployment configurations (CodeDeploy user guide, "Working with deployment configurations").
_CANARY, _LINEAR = "TimeBasedCanary", "TimeBasedLinear"
BUILTIN_CONFIGS: dict[str, dict[str, Any]] = {
    "CodeDeployDefault.OneAtATime": {"computePlatform": "Server", "minimumHealthyHosts": ("HOST_COUNT", 1)},
    "CodeDeployDefault.HalfAtATime": {"computePlatform": "Server", "minimumHealthyHosts": ("FLEET_PERCENT", 50)},
    "CodeDeployDefault.AllAtOnce": {"computePlatform": "Server", "minimumHealthyHosts": ("HOST_COUNT", 0)},
    "CodeDeployDefault.LambdaAllAtOnce": {"computePlatform": "Lambda", "routing": ("AllAtOnce",)},
    **{
        f"CodeDeployDefault.LambdaCanary10Percent{m}Minutes": {"computePlatform": "Lambda", "routing": (_CANARY, 10, m)}
        for m in (5, 10, 15, 30)
    },
    **{
        f"CodeDeployDefault.LambdaLinear10PercentEvery{m}Minute{'s' if m > 1 else ''}": {
            "computePlatform": "Lambda",
            "routing": (_LINEAR, 10, m),
        }
        for m in (1, 2, 3, 10)
    },
    "CodeDeployDefault.ECSAllAtOnce": {"computePlatform": "ECS", "routing": ("AllAtOnce",)},
    "CodeDeployDefault.ECSLinear10PercentEvery1Minutes": {"computePlatform": "ECS", "routing": (_LINEAR, 10, 1)},
    "CodeDeployDefault.ECSLinear10PercentEvery3Minutes": {"computePlatform": "ECS", "routing": (_LINEAR, 10, 3)},
    "CodeDeployDefault.ECSCanary10Percent5Minutes": {"computePlatform": "ECS", "routing": (_CANARY, 10, 5)},
    "CodeDeployDefault.ECSCanary10Percent15Minutes": {"computePlatform": "ECS", "routing": (_CANARY, 10, 15)},
}
DEFAULT_CONFIG = {
    "Server": "CodeDeployDefault.OneAtATime",
    "Lambda": "CodeDeployDefault.LambdaAllAtOnce",
    "ECS": "CodeDeployDefault.ECSAllAtOnce",
}

# The members of CreateDeploymentGroup/UpdateDeploymentGroup kept per group, with the moto attribute holding each.
GROUP_MEMBERS = {
    "deploymentConfigName": "deployment_config_name",
    "ec2TagFilters": "ec2_tag_filters",
    "onPremisesInstanceTagFilters": "on_premises_instance_tag_filters",
    "autoScalingGroups": "auto_scaling_groups",
    "serviceRoleArn": "service_role_arn",
    "triggerConfigurations": "trigger_configurations",
    "alarmConfiguration": "alarm_configuration",
    "autoRollbackConfiguration": "auto_rollback_configuration",
    "outdatedInstancesStrategy": "outdated_instances_strategy",
    "deploymentStyle": "deployment_style",
    "blueGreenDeploymentConfiguration": "blue_green_deployment_configuration",
    "loadBalancerInfo": "load_balancer_info",
    "ec2TagSet": "ec2_tag_set",
    "ecsServices": "ecs_services",
    "onPremisesTagSet": "on_premises_tag_set",
    "terminationHookEnabled": "termination_hook_enabled",
}
EC2_ONLY = ("ec2TagFilters", "onPremisesInstanceTagFilters", "autoScalingGroups", "ec2TagSet", "onPremisesTagSet")


# -- helpers ----------------------------------------------------------------------------------------
def _error(code: str, message: str) -> AwsError:
    return AwsError(code, message, status=400)


def _backend(req: ExtensionRequest) -> Any:
    return req.moto_backend("codedeploy")


def _arn(req: ExtensionRequest, resource: str) -> str:
    return f"arn:{req.partition}:codedeploy:{req.region}:{req.account_id}:{resource}"


def _group_arn(req: ExtensionRequest, app: str, group: str) -> str:
    return _arn(req, f"deploymentgroup:{app}/{group}")


def _check_app_name(name: Any) -> str:
    if name in (None, ""):
        raise _error("ApplicationNameRequiredException", "The application name was not specified.")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise _error("InvalidApplicationNameException", f"The application name {name} is not valid.")
    return name


def _check_group_name(name: Any) -> str:
    if name in (None, ""):
        raise _error("DeploymentGroupNameRequiredException", "The deployment group name was not specified.")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise _error("InvalidDeploymentGroupNameException", f"The deployment group name {name} is not valid.")
    return name


def _application(req: ExtensionRequest, name: Any) -> Any:
    name = _check_app_name(name)
    app = _backend(req).applications.get(name)
    if app is None:
        raise _error(
            "ApplicationDoesNotExistException",
            f"The application {name} does not exist with the user or AWS account.",
        )
    return app


def _groups(req: ExtensionRequest, app_name: str) -> dict[str, Any]:
    return _backend(req).deployment_groups.setdefault(app_name, {})


def _group(req: ExtensionRequest, app_name: str, group_name: Any) -> Any:
    group_name = _check_group_name(group_name)
    group = _groups(req, app_name).get(group_name)
    if group is None:
        raise _error(
            "DeploymentGroupDoesNotExistException",
            f"The deployment group {group_name} does not exist with the user or AWS account.",
        )
    return group


def _page(req: ExtensionRequest, items: list[Any], token_member: str = "nextToken") -> tuple[list[Any], str | None]:
    start = 0
    token = req.params.get(token_member)
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token.encode()).decode())
        except ValueError:
            raise _error("InvalidNextTokenException", "The next token was specified in an invalid format.") from None
        if not 0 <= start <= len(items):
            raise _error("InvalidNextTokenException", "The next token was specified in an invalid format.")
    page = items[start : start + PAGE_SIZE]
    end = start + len(page)
    return page, (base64.urlsafe_b64encode(str(end).encode()).decode() if end < len(items) else None)


def _tags_in(tags: Any) -> list[dict[str, str]]:
    result = []
    for tag in tags or []:
        key, value = tag.get("Key"), tag.get("Value", "")
        if not key or len(key) > 128 or key.lower().startswith("aws:") or len(value or "") > 256:
            raise _error(
                "InvalidTagsToAddException",
                f"The tag {key!r} is not valid: keys have 1 to 128 characters and cannot start with aws:, values at "
                "most 256.",
            )
        result.append({"Key": key, "Value": value or ""})
    return result


# -- deployment configurations ----------------------------------------------------------------------
def _routing(spec: tuple[Any, ...]) -> dict[str, Any]:
    if spec[0] == _CANARY:
        return {"type": _CANARY, "timeBasedCanary": {"canaryPercentage": spec[1], "canaryInterval": spec[2]}}
    if spec[0] == _LINEAR:
        return {"type": _LINEAR, "timeBasedLinear": {"linearPercentage": spec[1], "linearInterval": spec[2]}}
    return {"type": "AllAtOnce"}


def _builtin(name: str) -> dict[str, Any]:
    spec = BUILTIN_CONFIGS[name]
    info: dict[str, Any] = {
        "deploymentConfigId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"codedeploy:{name}")),
        "deploymentConfigName": name,
        "createTime": EPOCH,
        "computePlatform": spec["computePlatform"],
    }
    if "minimumHealthyHosts" in spec:
        kind, value = spec["minimumHealthyHosts"]
        info["minimumHealthyHosts"] = {"type": kind, "value": value}
    if "routing" in spec:
        info["trafficRoutingConfig"] = _routing(spec["routing"])
    return info


def _configs(req: ExtensionRequest) -> dict[str, dict[str, Any]]:
    return req.store.setdefault("configs", {})


def _check_config_name(name: Any) -> str:
    if name in (None, ""):
        raise _error("DeploymentConfigNameRequiredException", "The deployment configuration name was not specified.")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise _error("InvalidDeploymentConfigNameException", f"The deployment configuration name {name} is not valid.")
    return name


def _config(req: ExtensionRequest, name: Any) -> dict[str, Any]:
    name = _check_config_name(name)
    if name in BUILTIN_CONFIGS:
        return _builtin(name)
    config = _configs(req).get(name)
    if config is None:
        raise _error(
            "DeploymentConfigDoesNotExistException",
            f"The deployment configuration {name} does not exist with the user or AWS account.",
        )
    return config


@action("codedeploy", "GetDeploymentConfig")
def get_deployment_config(req: ExtensionRequest) -> dict[str, Any]:
    return {"deploymentConfigInfo": _config(req, req.params.get("deploymentConfigName"))}


@action("codedeploy", "ListDeploymentConfigs")
def list_deployment_configs(req: ExtensionRequest) -> dict[str, Any]:
    names = sorted([*BUILTIN_CONFIGS, *_configs(req)])
    page, token = _page(req, names)
    return {"deploymentConfigsList": page, **({"nextToken": token} if token else {})}


def _check_traffic_routing(config: Any) -> dict[str, Any]:
    invalid = "InvalidTrafficRoutingConfigurationException"
    if not config:
        raise _error(invalid, "A traffic routing configuration is required for this compute platform.")
    kind = config.get("type")
    if kind == "AllAtOnce":
        return {"type": "AllAtOnce"}
    member, percent, interval = {
        _CANARY: ("timeBasedCanary", "canaryPercentage", "canaryInterval"),
        _LINEAR: ("timeBasedLinear", "linearPercentage", "linearInterval"),
    }.get(kind, (None, None, None))
    if member is None:
        raise _error(invalid, f"The traffic routing type {kind} is not valid.")
    values = config.get(member) or {}
    if not 1 <= int(values.get(percent) or 0) <= 99 or int(values.get(interval) or 0) < 1:
        raise _error(invalid, f"{member} needs {percent} between 1 and 99 and {interval} of at least 1 minute.")
    return {"type": kind, member: {percent: values[percent], interval: values[interval]}}


@action("codedeploy", "CreateDeploymentConfig")
def create_deployment_config(req: ExtensionRequest) -> dict[str, Any]:
    name = _check_config_name(req.params.get("deploymentConfigName"))
    if name.startswith(BUILTIN_PREFIX):
        raise _error(
            "InvalidDeploymentConfigNameException",
            f"The deployment configuration name {name} is not valid: the prefix {BUILTIN_PREFIX} is reserved.",
        )
    configs = _configs(req)
    if name in configs:
        raise _error(
            "DeploymentConfigAlreadyExistsException",
            f"A deployment configuration with the name {name} already exists with the user or AWS account.",
        )
    platform = req.params.get("computePlatform") or "Server"
    if platform not in PLATFORMS:
        raise _error("InvalidComputePlatformException", f"The computePlatform {platform} is not valid.")
    info: dict[str, Any] = {
        "deploymentConfigId": str(uuid.uuid4()),
        "deploymentConfigName": name,
        "createTime": datetime.now(UTC),
        "computePlatform": platform,
    }
    hosts, routing = req.params.get("minimumHealthyHosts"), req.params.get("trafficRoutingConfig")
    if platform == "Server":
        if not hosts or hosts.get("type") not in ("HOST_COUNT", "FLEET_PERCENT") or hosts.get("value") is None:
            raise _error(
                "InvalidMinimumHealthyHostValueException",
                "A Server configuration needs minimumHealthyHosts: a type (HOST_COUNT, FLEET_PERCENT) and a value.",
            )
        if hosts["type"] == "FLEET_PERCENT" and not 0 <= hosts["value"] <= 99:
            raise _error("InvalidMinimumHealthyHostValueException", "FLEET_PERCENT must be between 0 and 99.")
        info["minimumHealthyHosts"] = {"type": hosts["type"], "value": hosts["value"]}
    else:
        if hosts:
            raise _error(
                "InvalidMinimumHealthyHostValueException",
                f"Minimum healthy hosts do not apply to the {platform} compute platform.",
            )
        info["trafficRoutingConfig"] = _check_traffic_routing(routing)
    configs[name] = info
    return {"deploymentConfigId": info["deploymentConfigId"]}


@action("codedeploy", "DeleteDeploymentConfig")
def delete_deployment_config(req: ExtensionRequest) -> None:
    name = _check_config_name(req.params.get("deploymentConfigName"))
    if name in BUILTIN_CONFIGS:
        raise _error("InvalidOperationException", f"The predefined deployment configuration {name} cannot be deleted.")
    for groups in _backend(req).deployment_groups.values():
        if any(str(group.deployment_config_name) == name for group in groups.values()):
            raise _error("DeploymentConfigInUseException", f"The deployment configuration {name} is still in use.")
    _configs(req).pop(name, None)
    return None


# -- applications -----------------------------------------------------------------------------------
@action("codedeploy", "CreateApplication")
def create_application(req: ExtensionRequest) -> dict[str, Any]:
    name = _check_app_name(req.params.get("applicationName"))
    platform = req.params.get("computePlatform") or "Server"
    if platform not in PLATFORMS:
        raise _error("InvalidComputePlatformException", f"The computePlatform {platform} is not valid.")
    tags = _tags_in(req.params.get("tags"))
    return {"applicationId": _backend(req).create_application(name, platform, tags)}  # moto: AlreadyExists


@action("codedeploy", "DeleteApplication")
def delete_application(req: ExtensionRequest) -> None:
    name = _check_app_name(req.params.get("applicationName"))
    backend = _backend(req)
    if name not in backend.applications:
        return None
    for group_name in list(backend.deployment_groups.get(name, {})):
        backend.tagger.delete_all_tags_for_resource(_group_arn(req, name, group_name))
    backend.deployment_groups.pop(name, None)
    for deployment_id in [d for d, dep in backend.deployments.items() if dep.application_name == name]:
        del backend.deployments[deployment_id]
    backend.tagger.delete_all_tags_for_resource(_arn(req, f"application:{name}"))
    del backend.applications[name]
    return None


# -- deployment groups: validation ------------------------------------------------------------------
def _check_role(req: ExtensionRequest, role_arn: Any) -> None:
    if not isinstance(role_arn, str) or not ROLE_ARN.fullmatch(role_arn):
        raise _error("InvalidRoleException", f"The service role ARN {role_arn} is not valid.")
    iam = req.moto_backend("iam", req.partition)
    role = next((r for r in iam.get_roles() if r.arn == role_arn), None)
    if role is None or not trusts_service(role.assume_role_policy_document, "codedeploy.amazonaws.com"):
        raise _error(
            "InvalidRoleException",
            f"AWS CodeDeploy does not have the permissions required to assume the role {role_arn}.",
        )


def _check_alarms(config: Any) -> dict[str, Any]:
    config = dict(config or {})
    alarms = config.get("alarms") or []
    if len(alarms) > MAX_ALARMS:
        raise _error(
            "AlarmsLimitExceededException",
            f"The maximum number of alarms for a deployment group ({MAX_ALARMS}) was exceeded.",
        )
    names = [alarm.get("name") for alarm in alarms]
    if any(not name or len(name) > 255 for name in names) or len(set(names)) != len(names):
        raise _error("InvalidAlarmConfigException", "Alarm names must be 1 to 255 characters long and unique.")
    if config.get("enabled") and not alarms:
        raise _error("InvalidAlarmConfigException", "The alarm configuration is enabled but lists no alarms.")
    return {
        "enabled": bool(config.get("enabled")),
        "ignorePollAlarmFailure": bool(config.get("ignorePollAlarmFailure")),
        "alarms": [{"name": name} for name in names],
    }


def _check_rollback(config: Any) -> dict[str, Any]:
    config = dict(config or {})
    events = list(config.get("events") or [])
    if any(event not in ROLLBACK_EVENTS for event in events):
        raise _error("InvalidAutoRollbackConfigException", f"The rollback events {events} are not valid.")
    if config.get("enabled") and not events:
        raise _error("InvalidAutoRollbackConfigException", "Automatic rollback is enabled but lists no events.")
    return {"enabled": bool(config.get("enabled")), "events": events}


def _check_ecs_service(req: ExtensionRequest, app_name: str, group_name: str, services: Any) -> None:
    invalid = "InvalidECSServiceException"
    if not services or len(services) != 1:
        raise _error(invalid, "An ECS deployment group needs exactly one ECS service (ecsServices).")
    service = services[0]
    cluster_name, service_name = service.get("clusterName"), service.get("serviceName")
    if not cluster_name or not service_name:
        raise _error(invalid, "ecsServices needs clusterName and serviceName.")
    ecs = req.moto_backend("ecs")
    found = ecs.services.get(f"{cluster_name}:{service_name}")
    if found is None or getattr(found, "status", "ACTIVE") != "ACTIVE":
        raise _error(invalid, f"The ECS service {service_name} in cluster {cluster_name} does not exist.")
    if (found.deployment_controller or {}).get("type") != "CODE_DEPLOY":
        raise _error(
            invalid,
            f"Deployment group's ECS service {service_name} must be configured for a CODE_DEPLOY deployment "
            "controller.",
        )
    for other_app, groups in _backend(req).deployment_groups.items():
        for other_name, other in groups.items():
            if (other_app, other_name) == (app_name, group_name):
                continue
            if any(
                (s.get("clusterName"), s.get("serviceName")) == (cluster_name, service_name)
                for s in other.ecs_services or []
            ):
                raise _error(
                    "ECSServiceMappingLimitExceededException",
                    f"The ECS service {service_name} in cluster {cluster_name} is already associated with the "
                    f"deployment group {other_name} of application {other_app}.",
                )


def _listeners(req: ExtensionRequest) -> set[str]:
    elbv2 = req.moto_backend("elbv2")
    return {arn for lb in elbv2.load_balancers.values() for arn in lb.listeners}


def _check_load_balancer(req: ExtensionRequest, info: Any) -> None:
    pair_error = "InvalidTargetGroupPairException"
    info = info or {}
    if info.get("elbInfoList") or info.get("targetGroupInfoList"):
        raise _error(
            "InvalidLoadBalancerInfoException",
            "An ECS deployment group takes a target group pair (targetGroupPairInfoList), not elbInfoList or "
            "targetGroupInfoList.",
        )
    pairs = info.get("targetGroupPairInfoList") or []
    if len(pairs) != 1:
        raise _error(pair_error, "An ECS deployment group needs exactly one target group pair.")
    pair = pairs[0]
    names = [group.get("name") for group in pair.get("targetGroups") or []]
    if len(names) != 2 or len(set(names)) != 2:
        raise _error(pair_error, "A target group pair needs two different target groups.")
    existing = {group.name for group in req.moto_backend("elbv2").target_groups.values()}
    missing = [name for name in names if name not in existing]
    if missing:
        raise _error(pair_error, f"The target group {missing[0]} does not exist.")
    prod = (pair.get("prodTrafficRoute") or {}).get("listenerArns") or []
    test = (pair.get("testTrafficRoute") or {}).get("listenerArns") or []
    if len(prod) != 1:
        raise _error(pair_error, "The production traffic route needs exactly one listener.")
    if len(test) > 1:
        raise _error(pair_error, "The test traffic route takes at most one listener.")
    if set(prod) & set(test):
        raise _error(pair_error, "The test traffic route must use a listener other than the production one.")
    listeners = _listeners(req)
    for arn in [*prod, *test]:
        if arn not in listeners:
            raise _error(pair_error, f"The listener {arn} does not exist.")


def _check_blue_green(config: Any, platform: str) -> dict[str, Any]:
    invalid = "InvalidBlueGreenDeploymentConfigurationException"
    config = dict(config or {})
    if platform == "ECS" and config.get("greenFleetProvisioningOption"):
        raise _error(invalid, "greenFleetProvisioningOption does not apply to the ECS compute platform.")
    terminate = dict(config.get("terminateBlueInstancesOnDeploymentSuccess") or {})
    terminate.setdefault("action", "TERMINATE")
    terminate.setdefault("terminationWaitTimeInMinutes", 0)
    if terminate["action"] not in ("TERMINATE", "KEEP_ALIVE"):
        raise _error(invalid, f"The action {terminate['action']} is not valid.")
    if not 0 <= terminate["terminationWaitTimeInMinutes"] <= MAX_TERMINATION_WAIT:
        raise _error(
            invalid,
            f"terminationWaitTimeInMinutes must be between 0 and {MAX_TERMINATION_WAIT} minutes.",
        )
    ready = dict(config.get("deploymentReadyOption") or {})
    ready.setdefault("actionOnTimeout", "CONTINUE_DEPLOYMENT")
    if ready["actionOnTimeout"] not in ("CONTINUE_DEPLOYMENT", "STOP_DEPLOYMENT"):
        raise _error(invalid, f"The actionOnTimeout {ready['actionOnTimeout']} is not valid.")
    ready.setdefault("waitTimeInMinutes", 0)
    if ready["waitTimeInMinutes"] < 0:
        raise _error(invalid, "waitTimeInMinutes cannot be negative.")
    result = {"terminateBlueInstancesOnDeploymentSuccess": terminate, "deploymentReadyOption": ready}
    if config.get("greenFleetProvisioningOption"):
        result["greenFleetProvisioningOption"] = config["greenFleetProvisioningOption"]
    return result


def _checked(req: ExtensionRequest, app: Any, group_name: str, members: dict[str, Any]) -> dict[str, Any]:
    """The full, validated state of a group from its members (API names); AWS's defaults filled in."""
    platform = app.compute_platform or "Server"
    state = dict(members)
    _check_role(req, state.get("serviceRoleArn"))
    config_name = state.get("deploymentConfigName") or DEFAULT_CONFIG[platform]
    config = _config(req, config_name)
    if config["computePlatform"] != platform:
        raise _error(
            "InvalidDeploymentConfigNameException",
            f"The deployment configuration {config_name} is for the {config['computePlatform']} compute platform, "
            f"not {platform} (application {app.application_name}).",
        )
    state["deploymentConfigName"] = config_name
    state["alarmConfiguration"] = _check_alarms(state.get("alarmConfiguration"))
    state["autoRollbackConfiguration"] = _check_rollback(state.get("autoRollbackConfiguration"))
    state.setdefault("outdatedInstancesStrategy", "UPDATE")
    state["terminationHookEnabled"] = bool(state.get("terminationHookEnabled"))
    if platform == "ECS":
        style = state.get("deploymentStyle") or {}
        if (style.get("deploymentType"), style.get("deploymentOption")) != ("BLUE_GREEN", "WITH_TRAFFIC_CONTROL"):
            raise _error(
                "InvalidDeploymentStyleException",
                "An ECS deployment group needs deploymentStyle BLUE_GREEN with WITH_TRAFFIC_CONTROL.",
            )
        used = [member for member in EC2_ONLY if state.get(member)]
        if used:
            raise _error("InvalidInputException", f"{', '.join(used)} do not apply to the ECS compute platform.")
        _check_ecs_service(req, app.application_name, group_name, state.get("ecsServices"))
        _check_load_balancer(req, state.get("loadBalancerInfo"))
        state["blueGreenDeploymentConfiguration"] = _check_blue_green(
            state.get("blueGreenDeploymentConfiguration"), platform
        )
    elif state.get("ecsServices"):
        raise _error("InvalidECSServiceException", f"ecsServices apply to ECS only, not {platform}.")
    return state


def _render(req: ExtensionRequest, group: Any) -> dict[str, Any]:
    app = group.application
    info: dict[str, Any] = {
        "applicationName": app.application_name,
        "deploymentGroupId": group.deployment_group_id,
        "deploymentGroupName": group.deployment_group_name,
        "computePlatform": app.compute_platform or "Server",
    }
    for member, attribute in GROUP_MEMBERS.items():
        value = getattr(group, attribute, None)
        if value not in (None, {}, []) or member in ("ec2TagFilters", "autoScalingGroups", "triggerConfigurations"):
            info[member] = value if value is not None else []
    info["deploymentConfigName"] = str(group.deployment_config_name)
    return info


def _store(group: Any, state: dict[str, Any]) -> None:
    for member, attribute in GROUP_MEMBERS.items():
        if member in state:
            setattr(group, attribute, state[member])


# -- deployment groups: actions ---------------------------------------------------------------------
@action("codedeploy", "CreateDeploymentGroup")
def create_deployment_group(req: ExtensionRequest) -> dict[str, Any]:
    p = req.params
    app = _application(req, p.get("applicationName"))
    name = _check_group_name(p.get("deploymentGroupName"))
    if name in _groups(req, app.application_name):
        raise _error("DeploymentGroupAlreadyExistsException", f"Deployment group {name} already exists.")
    if not p.get("serviceRoleArn"):
        raise _error("RoleRequiredException", "The service role ARN was not specified.")
    state = _checked(req, app, name, {m: p[m] for m in GROUP_MEMBERS if p.get(m) is not None})
    tags = _tags_in(p.get("tags"))
    backend = _backend(req)
    group_id = backend.create_deployment_group(
        application_name=app.application_name,
        deployment_group_name=name,
        deployment_config_name=state["deploymentConfigName"],
        ec2_tag_filters=None,
        on_premises_instance_tag_filters=None,
        auto_scaling_groups=None,
        service_role_arn=state["serviceRoleArn"],
        tags=tags,
    )
    _store(backend.deployment_groups[app.application_name][name], state)
    return {"deploymentGroupId": group_id}


@action("codedeploy", "GetDeploymentGroup")
def get_deployment_group(req: ExtensionRequest) -> dict[str, Any]:
    app = _application(req, req.params.get("applicationName"))
    group = _group(req, app.application_name, req.params.get("deploymentGroupName"))
    return {"deploymentGroupInfo": _render(req, group)}


@action("codedeploy", "BatchGetDeploymentGroups")
def batch_get_deployment_groups(req: ExtensionRequest) -> dict[str, Any]:
    app = _application(req, req.params.get("applicationName"))
    names = req.params.get("deploymentGroupNames")
    if not names:
        raise _error("DeploymentGroupNameRequiredException", "The deployment group names were not specified.")
    if len(names) > MAX_BATCH:
        raise _error("BatchLimitExceededException", f"The maximum number of names ({MAX_BATCH}) was exceeded.")
    groups = _groups(req, app.application_name)
    found = [_render(req, groups[_check_group_name(n)]) for n in names if n in groups]
    missing = [n for n in names if n not in groups]
    result: dict[str, Any] = {"deploymentGroupsInfo": found}
    if missing:
        result["errorMessage"] = f"Deployment groups not found: {', '.join(missing)}"
    return result


@action("codedeploy", "ListDeploymentGroups")
def list_deployment_groups(req: ExtensionRequest) -> dict[str, Any]:
    app = _application(req, req.params.get("applicationName"))
    page, token = _page(req, list(_groups(req, app.application_name)))
    result: dict[str, Any] = {"applicationName": app.application_name, "deploymentGroups": page}
    if token:
        result["nextToken"] = token
    return result


@action("codedeploy", "UpdateDeploymentGroup")
def update_deployment_group(req: ExtensionRequest) -> dict[str, Any]:
    p = req.params
    app = _application(req, p.get("applicationName"))
    group = _group(req, app.application_name, p.get("currentDeploymentGroupName"))
    current_name = group.deployment_group_name
    new_name = p.get("newDeploymentGroupName")
    groups = _groups(req, app.application_name)
    if new_name is not None:
        _check_group_name(new_name)
        if new_name != current_name and new_name in groups:
            raise _error("DeploymentGroupAlreadyExistsException", f"Deployment group {new_name} already exists.")
    members = {m: v for m, v in _render(req, group).items() if m in GROUP_MEMBERS}
    members.update({m: p[m] for m in GROUP_MEMBERS if p.get(m) is not None})
    state = _checked(req, app, current_name, members)
    _store(group, state)
    if new_name and new_name != current_name:
        backend = _backend(req)
        old_arn, new_arn = (
            _group_arn(req, app.application_name, current_name),
            _group_arn(req, app.application_name, new_name),
        )
        tags = backend.tagger.list_tags_for_resource(old_arn)["Tags"]
        backend.tagger.delete_all_tags_for_resource(old_arn)
        if tags:
            backend.tagger.tag_resource(new_arn, tags)
        group.deployment_group_name = new_name
        groups[new_name] = groups.pop(current_name)
    return {"hooksNotCleanedUp": []}


@action("codedeploy", "DeleteDeploymentGroup")
def delete_deployment_group(req: ExtensionRequest) -> dict[str, Any]:
    app_name = _check_app_name(req.params.get("applicationName"))
    name = _check_group_name(req.params.get("deploymentGroupName"))
    backend = _backend(req)
    if backend.deployment_groups.get(app_name, {}).pop(name, None) is not None:
        backend.tagger.delete_all_tags_for_resource(_group_arn(req, app_name, name))
    return {"hooksNotCleanedUp": []}


# -- tags -------------------------------------------------------------------------------------------
def _tag_target(req: ExtensionRequest) -> str:
    arn = req.params.get("ResourceArn")
    if not arn:
        raise _error("ResourceArnRequiredException", "The ARN of a resource is required.")
    prefix = f"arn:{req.partition}:codedeploy:"
    parts = arn.split(":", 6)
    if not arn.startswith(prefix) or len(parts) < 7:
        raise _error("InvalidArnException", f"The ARN {arn} is not valid.")
    kind, name = parts[5], parts[6]
    if kind == "application":
        _application(req, name)
    elif kind == "deploymentgroup":
        app_name, _, group_name = name.partition("/")
        _application(req, app_name)
        _group(req, app_name, group_name)
    elif kind == "deploymentconfig":
        _config(req, name)
    else:
        raise _error("ArnNotSupportedException", f"The ARN {arn} is not supported for tagging.")
    return arn


@action("codedeploy", "TagResource")
def tag_resource(req: ExtensionRequest) -> None:
    arn = _tag_target(req)
    tags = _tags_in(req.params.get("Tags"))
    if not tags:
        raise _error("TagRequiredException", "A tag was not specified.")
    _backend(req).tagger.tag_resource(arn, tags)
    return None


@action("codedeploy", "UntagResource")
def untag_resource(req: ExtensionRequest) -> None:
    arn = _tag_target(req)
    keys = req.params.get("TagKeys")
    if not keys:
        raise _error("TagRequiredException", "A tag key was not specified.")
    _backend(req).tagger.untag_resource_using_names(arn, keys)
    return None
