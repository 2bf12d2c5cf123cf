# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS CodeDeploy: API wrappers for applications, deployment groups, deployment configurations and tags; the
checks of the codedeploy_deployment_group options; the conversions between the options, the API's shapes and the
canonical (comparable) shape.

Every call is wrapped with ``retry.jittered_backoff()`` and turned into :class:`AnsibleCodeDeployError` by
:class:`CodeDeployErrorHandler` (the amazon.aws ``module_utils/ec2.py`` pattern). List calls read every page.
"""

import copy
import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import resource_id_match, role_name
from ansible_collections.securecloud.monitor.plugins.module_utils.codebuild import ROLE_NAME
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import Rename
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_dict, tag_list

_RETRY = jittered_backoff()

COMPUTE_PLATFORM = "ECS"
BUILTIN_PREFIX = "CodeDeployDefault."
# The predefined configurations of the ECS compute platform (CodeDeploy user guide, "Deployment configurations on an
# Amazon ECS compute platform").
ECS_CONFIGS = (
    "CodeDeployDefault.ECSAllAtOnce",
    "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
    "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
    "CodeDeployDefault.ECSCanary10Percent5Minutes",
    "CodeDeployDefault.ECSCanary10Percent15Minutes",
)
DEFAULT_CONFIG = ECS_CONFIGS[0]
ROLLBACK_EVENTS = ("DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST")
STOP_ON_ALARM = "DEPLOYMENT_STOP_ON_ALARM"
MAX_ALARMS = 10  # API reference, AlarmConfiguration.alarms: "A maximum of 10 alarms can be added"
MAX_WAIT_MINUTES = 2880  # BlueInstanceTerminationOption: "The maximum setting is 2880 minutes (2 days)"
# Blue/green with traffic control is the only deployment style CodeDeploy has for ECS; CodeDeploy deletes the blue task
# set after the wait (TERMINATE), there is no KEEP_ALIVE for task sets.
DEPLOYMENT_STYLE = {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}
BLUE_ACTION = "TERMINATE"

NAME = re.compile(r"^[A-Za-z0-9+=,.@_-]{1,100}$")  # applications, deployment groups, deployment configurations
ECS_NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
TARGET_GROUP_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")


def cluster_arn(value):
    return resource_id_match(value, "ecs", "cluster", "(?P<name>[A-Za-z0-9_-]{1,255})")


def service_arn(value):
    return resource_id_match(
        value, "ecs", "service", "(?:(?P<cluster>[A-Za-z0-9_-]{1,255})/)?(?P<name>[A-Za-z0-9_-]{1,255})"
    )


def target_group_arn(value):
    return resource_id_match(value, "elasticloadbalancing", "targetgroup", "(?P<name>[A-Za-z0-9-]{1,32})/[0-9a-f]+")


def listener_arn(value):
    return resource_id_match(
        value, "elasticloadbalancing", "listener", "(?:app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]+/[0-9a-f]+"
    )


LISTENER_FORM = "arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/net/LB_NAME/LB_ID/LISTENER_ID"


class AnsibleCodeDeployError(AnsibleAWSError):
    pass


class CodeDeployErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCodeDeployError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ApplicationDoesNotExistException", "DeploymentGroupDoesNotExistException"])


class _ConfigErrorHandler(CodeDeployErrorHandler):
    """Only GetDeploymentConfig's not-found means "missing" (GetDeploymentGroup can answer it too, for a group whose
    configuration was deleted: that group exists)."""

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("DeploymentConfigDoesNotExistException")


def codedeploy_client(module):
    return module.client("codedeploy")


def group_arn(partition, region, account, application, group):
    """CodeDeploy answers no ARN for a deployment group; tags are addressed by this one."""
    return f"arn:{partition}:codedeploy:{region}:{account}:deploymentgroup:{application}/{group}"


# ---------------------------------------------------------------- API calls


@CodeDeployErrorHandler.list_error_handler("get CodeDeploy application", None)
@_RETRY
def get_application(client, name):
    """The application (GetApplication's ``application``) or None."""
    return client.get_application(applicationName=name)["application"]


@CodeDeployErrorHandler.common_error_handler("create CodeDeploy application")
@_RETRY
def create_application(client, name):
    return client.create_application(**create_application_request(name))["applicationId"]


def create_application_request(name):
    return {"applicationName": name, "computePlatform": COMPUTE_PLATFORM}


@CodeDeployErrorHandler.deletion_error_handler("delete CodeDeploy application")
@_RETRY
def delete_application(client, name):
    client.delete_application(applicationName=name)
    return True


@CodeDeployErrorHandler.list_error_handler("get CodeDeploy deployment group", None)
@_RETRY
def get_deployment_group(client, application, name):
    """The deployment group (GetDeploymentGroup's ``deploymentGroupInfo``) or None (no group, or no application)."""
    return client.get_deployment_group(applicationName=application, deploymentGroupName=name)["deploymentGroupInfo"]


@CodeDeployErrorHandler.list_error_handler("list CodeDeploy deployment groups", [])
@_RETRY
def list_deployment_groups(client, application):
    paginator = client.get_paginator("list_deployment_groups")
    return paginator.paginate(applicationName=application).build_full_result().get("deploymentGroups", [])


BATCH_GET_MAX = 100  # BatchGetDeploymentGroups: "The maximum number of names you can specify is 100"


@CodeDeployErrorHandler.list_error_handler("get CodeDeploy deployment groups", [])
@_RETRY
def batch_get_deployment_groups(client, application, names):
    """The deployment groups of ``application`` called ``names`` that exist (BatchGetDeploymentGroups, 100 names a
    call: one call for up to 100), in the shape of GetDeploymentGroup's ``deploymentGroupInfo``."""
    found = []
    names = list(names)
    for start in range(0, len(names), BATCH_GET_MAX):
        answer = client.batch_get_deployment_groups(
            applicationName=application, deploymentGroupNames=names[start : start + BATCH_GET_MAX]
        )
        found.extend(answer.get("deploymentGroupsInfo") or [])
    return found


@CodeDeployErrorHandler.common_error_handler("create CodeDeploy deployment group")
@_RETRY
def create_deployment_group(client, members, tags):
    return client.create_deployment_group(**create_group_request(members, tags))["deploymentGroupId"]


def create_group_request(members, tags):
    """The CreateDeploymentGroup request (also what codedeploy_deployment_group checks against the model)."""
    params = dict(members)
    if tags:
        params["tags"] = tag_list(tags)
    return params


@CodeDeployErrorHandler.common_error_handler("update CodeDeploy deployment group")
@_RETRY
def update_deployment_group(client, members):
    params = dict(members)
    params["currentDeploymentGroupName"] = params.pop("deploymentGroupName")
    client.update_deployment_group(**params)
    return True


@CodeDeployErrorHandler.deletion_error_handler("delete CodeDeploy deployment group")
@_RETRY
def delete_deployment_group(client, application, name):
    client.delete_deployment_group(applicationName=application, deploymentGroupName=name)
    return True


@_ConfigErrorHandler.list_error_handler("get CodeDeploy deployment configuration", None)
@_RETRY
def get_deployment_config(client, name):
    return client.get_deployment_config(deploymentConfigName=name)["deploymentConfigInfo"]


@CodeDeployErrorHandler.list_error_handler("list tags of CodeDeploy resource", {})
@_RETRY
def list_tags(client, arn):
    tags, params = {}, {"ResourceArn": arn}
    while True:
        page = client.list_tags_for_resource(**params)
        tags.update(tag_dict(page.get("Tags")))
        if not page.get("NextToken"):
            return tags
        params["NextToken"] = page["NextToken"]


@CodeDeployErrorHandler.common_error_handler("tag CodeDeploy resource")
@_RETRY
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=tag_list(tags))
    return True


@CodeDeployErrorHandler.common_error_handler("untag CodeDeploy resource")
@_RETRY
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceArn=arn, TagKeys=sorted(keys))
    return True


# ---------------------------------------------------------------- names given as ARNs


def target_group_name(value):
    """A target group name, or the name inside a target group ARN (Terraform's aws_lb_target_group.arn)."""
    match = target_group_arn(value)
    return match.group("name") if match else value


def cluster_name(value):
    match = cluster_arn(value)
    return match.group("name") if match else value


def service_name(value):
    match = service_arn(value)
    return match.group("name") if match else value


def resolved_rollback_events(params):
    """auto_rollback.events, or its default: DEPLOYMENT_FAILURE, plus DEPLOYMENT_STOP_ON_ALARM when there are alarms."""
    rollback = params.get("auto_rollback") or {}
    if rollback.get("events") is not None:
        return list(dict.fromkeys(rollback["events"]))
    alarms = (params.get("alarms") or {}).get("names") or []
    return ["DEPLOYMENT_FAILURE"] + ([STOP_ON_ALARM] if alarms else [])


# ---------------------------------------------------------------- validation (no AWS call)


def _name_problem(field, value, what):
    if NAME.match(value or ""):
        return []
    return [
        f"{field} '{value}' is not a valid {what} name: use 1 to 100 letters, digits or the characters +=,.@_- "
        f"(it has {len(value or '')} characters)."
    ]


def _validate_ecs_service(ecs):
    errors = []
    cluster = ecs.get("cluster_name") or ""
    service = ecs.get("service_name") or ""
    if not (ECS_NAME.match(cluster) or cluster_arn(cluster)):
        errors.append(
            f"ecs_service.cluster_name '{cluster}' is neither an ECS cluster name (1 to 255 letters, digits, - or _) "
            "nor a cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME)."
        )
    match = service_arn(service)
    if not (ECS_NAME.match(service) or match):
        errors.append(
            f"ecs_service.service_name '{service}' is neither an ECS service name (1 to 255 letters, digits, - or _) "
            "nor a service ARN (arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME)."
        )
    elif match and match.group("cluster") and match.group("cluster") != cluster_name(cluster):
        errors.append(
            f"ecs_service.service_name '{service}' is a service of cluster '{match.group('cluster')}', but "
            f"ecs_service.cluster_name is '{cluster_name(cluster)}': give the service's own cluster."
        )
    return errors


def _validate_target_groups(groups):
    errors = []
    if len(groups) != 2:
        return [
            f"target_groups has {len(groups)} entries ({', '.join(groups) or 'none'}): an ECS blue/green deployment "
            "needs exactly 2 target groups, the blue one (serving production now) and the green one (for the "
            "replacement task set). Give their names or ARNs."
        ]
    names = []
    for index, group in enumerate(groups):
        field = f"target_groups[{index}]"
        if group.startswith("arn:") and not target_group_arn(group):
            errors.append(
                f"{field} '{group}' is not a target group ARN "
                "(arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID): give that ARN or the name."
            )
        elif not group.startswith("arn:") and not TARGET_GROUP_NAME.match(group):
            errors.append(
                f"{field} '{group}' is not a target group name: 1 to 32 letters, digits or hyphens, not starting or "
                "ending with a hyphen."
            )
        names.append(target_group_name(group))
    if not errors and names[0] == names[1]:
        errors.append(
            f"target_groups[0] and target_groups[1] are both '{names[0]}': blue and green must be two different "
            "target groups, CodeDeploy shifts traffic from one to the other."
        )
    return errors


def _validate_listeners(field, arns, low, high):
    errors = []
    if not low <= len(arns) <= high:
        wanted = "exactly one listener ARN" if low == high == 1 else f"at most {high} listener ARN"
        errors.append(f"{field} has {len(arns)} entries: CodeDeploy takes {wanted} for an ECS deployment group.")
    for index, arn in enumerate(arns):
        if not listener_arn(arn):
            errors.append(
                f"{field}[{index}] '{arn}' is not a load balancer listener ARN: give the ARN of the listener "
                f"({LISTENER_FORM}, Terraform's aws_lb_listener.arn), not the load balancer or target group."
            )
    return errors


def _validate_config_name(name):
    if name.startswith(BUILTIN_PREFIX):
        if name in ECS_CONFIGS:
            return []
        return [
            f"deployment_config_name '{name}' is not a predefined ECS deployment configuration: use one of "
            f"{', '.join(ECS_CONFIGS)}, or the name of a custom configuration with compute platform ECS."
        ]
    return _name_problem("deployment_config_name", name, "deployment configuration")


def _validate_alarms(params):
    errors = []
    alarms = params.get("alarms") or {}
    names = alarms.get("names") or []
    if len(names) > MAX_ALARMS:
        errors.append(
            f"alarms.names has {len(names)} alarms: CodeDeploy allows at most {MAX_ALARMS} per deployment group "
            "(AlarmsLimitExceededException). Combine them into a composite alarm, or keep the most important ones."
        )
    seen = {}
    for index, name in enumerate(names):
        if not name or len(name) > 255:
            errors.append(f"alarms.names[{index}] must be a CloudWatch alarm name of 1 to 255 characters.")
        elif name in seen:
            errors.append(f"alarms.names[{index}] '{name}' is also alarms.names[{seen[name]}]: list each alarm once.")
        seen.setdefault(name, index)
    rollback = params.get("auto_rollback") or {}
    if rollback.get("enabled", True) and STOP_ON_ALARM in resolved_rollback_events(params) and not names:
        errors.append(
            "auto_rollback.events has DEPLOYMENT_STOP_ON_ALARM but alarms.names is empty: CodeDeploy rolls back on an "
            "alarm only when the deployment group has alarms. Add the CloudWatch alarms to alarms.names, or remove "
            "DEPLOYMENT_STOP_ON_ALARM from auto_rollback.events."
        )
    if rollback.get("enabled", True) and rollback.get("events") == []:
        errors.append(
            "auto_rollback.events is empty but auto_rollback.enabled is true: list the events that roll back "
            f"({', '.join(ROLLBACK_EVENTS)}), or set enabled to false."
        )
    return errors


def validate(params):
    """Every problem with the task's input, as messages naming the option and the fix (no AWS call)."""
    return application_name_errors(params.get("application_name")) + group_errors(params)


def application_name_errors(name):
    return _name_problem("application_name", name, "CodeDeploy application")


def group_errors(params):
    """Every problem with the options of one deployment group (all but ``application_name``), each naming the option
    and the fix; only the name with ``state=absent``. codedeploy_deployment_group_set checks each of its groups with
    it."""
    errors = _name_problem("name", params.get("name"), "deployment group")
    if params.get("state") == "absent":
        return errors
    role = params.get("service_role") or ""
    if not (role_name(role) or ROLE_NAME.match(role)):
        errors.append(
            f"service_role '{role}' is neither an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME) nor a role name "
            "(letters, digits and +=,.@_-, up to 64 characters). The role must trust codedeploy.amazonaws.com."
        )
    errors.extend(_validate_config_name(params.get("deployment_config_name") or DEFAULT_CONFIG))
    errors.extend(_validate_ecs_service(params.get("ecs_service") or {}))
    errors.extend(_validate_target_groups(params.get("target_groups") or []))
    prod = params.get("prod_listener_arns") or []
    test = params.get("test_listener_arns") or []
    errors.extend(_validate_listeners("prod_listener_arns", prod, 1, 1))
    errors.extend(_validate_listeners("test_listener_arns", test, 0, 1))
    if set(prod) & set(test):
        errors.append(
            "test_listener_arns repeats the production listener: the test traffic route needs a listener of its own "
            "(another port), or leave test_listener_arns out."
        )
    wait = params.get("termination_wait_minutes")
    if wait is not None and not 0 <= wait <= MAX_WAIT_MINUTES:
        errors.append(
            f"termination_wait_minutes is {wait}: CodeDeploy keeps the blue task set between 0 and "
            f"{MAX_WAIT_MINUTES} minutes (2 days) after a successful deployment."
        )
    action = params.get("deployment_ready_action") or "CONTINUE_DEPLOYMENT"
    ready_wait = params.get("deployment_ready_wait_minutes")
    if action == "STOP_DEPLOYMENT":
        if ready_wait is None or not 1 <= ready_wait <= MAX_WAIT_MINUTES:
            said = "not set" if ready_wait is None else ready_wait
            errors.append(
                f"deployment_ready_wait_minutes is {said}: with deployment_ready_action STOP_DEPLOYMENT it is "
                "how long CodeDeploy waits for a manual ContinueDeployment before stopping the deployment; set it "
                f"between 1 and {MAX_WAIT_MINUTES}."
            )
    elif ready_wait is not None:
        errors.append(
            "deployment_ready_wait_minutes is set but deployment_ready_action is CONTINUE_DEPLOYMENT, which shifts "
            "traffic at once: remove deployment_ready_wait_minutes, or set deployment_ready_action to STOP_DEPLOYMENT."
        )
    errors.extend(_validate_alarms(params))
    for key, value in (params.get("tags") or {}).items():
        if not 1 <= len(key) <= 128 or key.startswith("aws:"):
            errors.append(f"tags key '{key}' must have 1 to 128 characters and not start with 'aws:'.")
        elif value is not None and len(str(value)) > 256:
            errors.append(f"tags.{key} must be at most 256 characters.")
    return errors


# ---------------------------------------------------------------- shapes


def desired_members(params, role_arn):
    """The members of CreateDeploymentGroup (and UpdateDeploymentGroup) the task declares: the whole configuration,
    with the ECS requirements (blue/green with traffic control, blue task set deleted after the wait) set here."""
    ecs = params["ecs_service"]
    pair = {
        "targetGroups": [{"name": target_group_name(group)} for group in params["target_groups"]],
        "prodTrafficRoute": {"listenerArns": list(params["prod_listener_arns"])},
    }
    if params.get("test_listener_arns"):
        pair["testTrafficRoute"] = {"listenerArns": list(params["test_listener_arns"])}
    action = params.get("deployment_ready_action") or "CONTINUE_DEPLOYMENT"
    ready = {"actionOnTimeout": action}
    if action == "STOP_DEPLOYMENT":
        ready["waitTimeInMinutes"] = params["deployment_ready_wait_minutes"]
    alarms = params.get("alarms") or {}
    names = list(alarms.get("names") or [])
    rollback = params.get("auto_rollback") or {}
    enabled = rollback.get("enabled", True)
    return {
        "applicationName": params["application_name"],
        "deploymentGroupName": params["name"],
        "deploymentConfigName": params.get("deployment_config_name") or DEFAULT_CONFIG,
        "serviceRoleArn": role_arn,
        "deploymentStyle": dict(DEPLOYMENT_STYLE),
        "ecsServices": [
            {"serviceName": service_name(ecs["service_name"]), "clusterName": cluster_name(ecs["cluster_name"])}
        ],
        "loadBalancerInfo": {"targetGroupPairInfoList": [pair]},
        "blueGreenDeploymentConfiguration": {
            "terminateBlueInstancesOnDeploymentSuccess": {
                "action": BLUE_ACTION,
                "terminationWaitTimeInMinutes": params.get("termination_wait_minutes", 5),
            },
            "deploymentReadyOption": ready,
        },
        "autoRollbackConfiguration": (
            {"enabled": True, "events": resolved_rollback_events(params)} if enabled else {"enabled": False}
        ),
        "alarmConfiguration": {
            "enabled": bool(names),
            "ignorePollAlarmFailure": bool(names and alarms.get("ignore_poll_alarm_failure")),
            "alarms": [{"name": name} for name in names],
        },
    }


def managed_members(info):
    """The members of a GetDeploymentGroup answer this module manages, normalized: AWS's defaults filled in and the
    values that do not apply dropped (the wait of CONTINUE_DEPLOYMENT, the events of a disabled rollback, the poll
    setting of an empty alarm list), so that a group and a declaration compare equal when they act the same."""
    members = {
        key: copy.deepcopy(info.get(key))
        for key in (
            "applicationName",
            "deploymentGroupName",
            "deploymentConfigName",
            "serviceRoleArn",
            "deploymentStyle",
            "ecsServices",
            "loadBalancerInfo",
            "blueGreenDeploymentConfiguration",
            "autoRollbackConfiguration",
            "alarmConfiguration",
        )
    }
    members["deploymentStyle"] = members["deploymentStyle"] or {}
    members["ecsServices"] = members["ecsServices"] or []
    pairs = (members["loadBalancerInfo"] or {}).get("targetGroupPairInfoList") or []
    members["loadBalancerInfo"] = {"targetGroupPairInfoList": pairs}
    for pair in pairs:
        if not (pair.get("testTrafficRoute") or {}).get("listenerArns"):
            pair.pop("testTrafficRoute", None)
    blue_green = members["blueGreenDeploymentConfiguration"] or {}
    terminate = dict(blue_green.get("terminateBlueInstancesOnDeploymentSuccess") or {})
    terminate.setdefault("action", BLUE_ACTION)
    terminate.setdefault("terminationWaitTimeInMinutes", 0)
    ready = dict(blue_green.get("deploymentReadyOption") or {})
    ready.setdefault("actionOnTimeout", "CONTINUE_DEPLOYMENT")
    if ready["actionOnTimeout"] == "CONTINUE_DEPLOYMENT":
        ready.pop("waitTimeInMinutes", None)
    members["blueGreenDeploymentConfiguration"] = {
        "terminateBlueInstancesOnDeploymentSuccess": terminate,
        "deploymentReadyOption": ready,
    }
    rollback = members["autoRollbackConfiguration"] or {}
    members["autoRollbackConfiguration"] = (
        {"enabled": True, "events": list(rollback.get("events") or [])}
        if rollback.get("enabled")
        else {"enabled": False}
    )
    alarms = members["alarmConfiguration"] or {}
    names = [alarm.get("name") for alarm in alarms.get("alarms") or []]
    members["alarmConfiguration"] = {
        "enabled": bool(names and alarms.get("enabled")),
        "ignorePollAlarmFailure": bool(names and alarms.get("ignorePollAlarmFailure")),
        "alarms": [{"name": name} for name in names],
    }
    return members


def comparable(members):
    """``members`` with the lists AWS treats as sets sorted (target groups, listeners, services, events, alarms)."""
    result = managed_members(members)
    result["ecsServices"] = sorted(result["ecsServices"], key=lambda s: (s.get("clusterName"), s.get("serviceName")))
    for pair in result["loadBalancerInfo"]["targetGroupPairInfoList"]:
        pair["targetGroups"] = sorted(pair.get("targetGroups") or [], key=lambda g: g.get("name") or "")
        for route in ("prodTrafficRoute", "testTrafficRoute"):
            if pair.get(route):
                pair[route] = {"listenerArns": sorted(pair[route].get("listenerArns") or [])}
    rollback = result["autoRollbackConfiguration"]
    if rollback.get("events"):
        rollback["events"] = sorted(rollback["events"])
    result["alarmConfiguration"]["alarms"] = sorted(result["alarmConfiguration"]["alarms"], key=lambda a: a["name"])
    return canonical(result)


def differs(current, desired):
    """True when the group must be updated (``current`` from GetDeploymentGroup, ``desired`` from the options)."""
    return comparable(current) != comparable(desired)


def group_shape(members, deployment_group_id, tags):
    """The deployment group as the module returns it: the managed members (normalized) in snake_case, plus the
    compute platform, the ID and the tags."""
    shape = camel_dict_to_snake_dict(managed_members(members))
    shape.update(compute_platform=COMPUTE_PLATFORM, deployment_group_id=deployment_group_id, tags=dict(tags))
    return shape


def diff_shape(shape):
    """What --diff shows: the returned shape without the ID (not configuration)."""
    return dict((key, value) for key, value in (shape or {}).items() if key != "deployment_group_id")


# ---------------------------------------------------------------- inputs that need AWS (both modules)


def service_role_arn(declared, current, account):
    """The ARN of the service role ``declared`` (an ARN or a role name). A name becomes the ARN of that role without
    a path in the account of ``account()`` ((account ID, partition), asked only when needed), unless the group
    ``current`` (GetDeploymentGroup's answer or None) already has a role of that name, path included: then a no-op
    run makes no sts call."""
    if role_name(declared):
        return declared
    current_role = (current or {}).get("serviceRoleArn") or ""
    if role_name(current_role) and current_role.endswith(f"/{declared}"):
        return current_role
    account_id, partition = account()
    return f"arn:{partition}:iam::{account_id}:role/{declared}"


def deployment_config_problem(client, name, current, at="", lookup=get_deployment_config):
    """(message, fatal) when the deployment configuration ``name`` cannot serve an ECS group, else None. Looked up
    (``lookup``, GetDeploymentConfig) only when it is not predefined and not already the group's. A missing
    configuration is not fatal (an earlier task of the same play may create it: a real run fails, check mode warns);
    one of another compute platform is."""
    if name in ECS_CONFIGS or (current and current.get("deploymentConfigName") == name):
        return None
    config = lookup(client, name)
    if config is None:
        return (
            f"{at}deployment_config_name: the deployment configuration '{name}' does not exist. Create it (compute "
            f"platform ECS) first, or use one of {', '.join(ECS_CONFIGS)}.",
            False,
        )
    if config.get("computePlatform") != COMPUTE_PLATFORM:
        return (
            f"{at}deployment_config_name '{name}' is a deployment configuration for the "
            f"{config.get('computePlatform')} compute platform: an ECS deployment group needs one for ECS.",
            True,
        )
    return None


def application_platform_error(application, name):
    """The error when the existing ``application`` (GetApplication's answer) is not an ECS application, else None."""
    if not application or application.get("computePlatform") == COMPUTE_PLATFORM:
        return None
    return (
        f"application_name: the application '{name}' has compute platform {application.get('computePlatform')}, "
        "and an ECS deployment group needs an ECS application. Use another application name (the module creates "
        "it), or delete that application."
    )


# Where the members of CreateDeploymentGroup come from among a group's options (see module_utils/model_validation.py).
_PAIR = "loadBalancerInfo.targetGroupPairInfoList[0]"
_BLUE_GREEN = "blueGreenDeploymentConfiguration"
MODEL_RENAMES = (
    Rename("deploymentGroupName", "name"),
    Rename("serviceRoleArn", "service_role"),
    Rename("ecsServices[0].serviceName", "ecs_service.service_name"),
    Rename("ecsServices[0].clusterName", "ecs_service.cluster_name"),
    Rename(f"{_PAIR}.targetGroups[*].name", "target_groups[*]"),
    Rename(f"{_PAIR}.prodTrafficRoute.listenerArns", "prod_listener_arns"),
    Rename(f"{_PAIR}.testTrafficRoute.listenerArns", "test_listener_arns"),
    Rename(
        f"{_BLUE_GREEN}.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes",
        "termination_wait_minutes",
    ),
    Rename(f"{_BLUE_GREEN}.deploymentReadyOption.actionOnTimeout", "deployment_ready_action"),
    Rename(f"{_BLUE_GREEN}.deploymentReadyOption.waitTimeInMinutes", "deployment_ready_wait_minutes"),
    Rename("autoRollbackConfiguration.events", "auto_rollback.events"),
    Rename("alarmConfiguration.alarms[*].name", "alarms.names[*]"),
)


def group_argument_spec(required):
    """The argument_spec of a deployment group's settings (all options but its name, application, state and tags),
    shared by codedeploy_deployment_group (``required=False``: required with state=present only) and each item of
    codedeploy_deployment_group_set (``required=True``)."""
    return dict(
        service_role=dict(type="str", required=required),
        deployment_config_name=dict(type="str", default=DEFAULT_CONFIG),
        ecs_service=dict(
            type="dict",
            required=required,
            options=dict(cluster_name=dict(type="str", required=True), service_name=dict(type="str", required=True)),
        ),
        target_groups=dict(type="list", elements="str", required=required),
        prod_listener_arns=dict(type="list", elements="str", required=required),
        test_listener_arns=dict(type="list", elements="str"),
        termination_wait_minutes=dict(type="int", default=5),
        deployment_ready_action=dict(
            type="str", choices=["CONTINUE_DEPLOYMENT", "STOP_DEPLOYMENT"], default="CONTINUE_DEPLOYMENT"
        ),
        deployment_ready_wait_minutes=dict(type="int"),
        auto_rollback=dict(
            type="dict",
            apply_defaults=True,
            options=dict(
                enabled=dict(type="bool", default=True),
                events=dict(type="list", elements="str", choices=list(ROLLBACK_EVENTS)),
            ),
        ),
        alarms=dict(
            type="dict",
            apply_defaults=True,
            options=dict(
                names=dict(type="list", elements="str", default=[]),
                ignore_poll_alarm_failure=dict(type="bool", default=False),
            ),
        ),
    )
