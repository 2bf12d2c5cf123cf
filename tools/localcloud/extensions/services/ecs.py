"""ECS behaviour of the CODE_DEPLOY (blue/green) deployment controller that moto 5.2.5 lacks.

moto stores the controller and otherwise treats such a service like any other. AWS does not:

- CreateService with ``CODE_DEPLOY`` needs exactly one load balancer entry, a target group of an
  Application or Network Load Balancer (CodeDeploy takes the second group from the deployment group), and
  creates the service's first task set, PRIMARY, with the service's task definition, network configuration and
  load balancer (moto: no load balancer needed, no task set).
- Every service's target groups must be attached to a load balancer ("does not have an associated load
  balancer"); moto does not look.
- UpdateService of a ``CODE_DEPLOY`` service refuses the task definition, network configuration, load balancers
  and platform version: "Use AWS CodeDeploy to trigger a new deployment" (moto changes them).

Everything else goes to moto's backend exactly as moto's own handler sends it.
"""

from __future__ import annotations

from typing import Any

from moto.core.utils import camelcase_to_underscores

from ..registry import AwsError, ExtensionRequest, action

CODE_DEPLOY = "CODE_DEPLOY"

# UpdateService members a CODE_DEPLOY service takes only through a CodeDeploy deployment, with the words AWS uses.
_CODE_DEPLOY_OWNED = {
    "taskDefinition": "task definition",
    "networkConfiguration": "network parameters",
    "loadBalancers": "load balancers",
    "platformVersion": "platform version",
}


def _invalid(message: str) -> AwsError:
    return AwsError("InvalidParameterException", message, status=400)


def _controller(params: dict[str, Any]) -> str:
    return (params.get("deploymentController") or {}).get("type") or "ECS"


def _check_target_groups(req: ExtensionRequest, load_balancers: list[dict[str, Any]]) -> None:
    """Each target group exists and is attached to a load balancer, as ECS checks at CreateService."""
    groups = req.moto_backend("elbv2").target_groups
    for entry in load_balancers:
        arn = entry.get("targetGroupArn")
        if not arn:
            continue
        group = groups.get(arn)
        if group is None:
            raise _invalid(f"Unable to find target group with targetGroupArn {arn}.")
        if not group.load_balancer_arns:
            raise _invalid(f"The target group with targetGroupArn {arn} does not have an associated load balancer.")


def _check_code_deploy_create(req: ExtensionRequest, load_balancers: list[dict[str, Any]]) -> None:
    if not load_balancers:
        raise _invalid(
            "A service using the CODE_DEPLOY deployment controller needs a load balancer: specify one target group "
            "of an Application Load Balancer or Network Load Balancer in loadBalancers."
        )
    if len(load_balancers) > 1:
        raise _invalid(
            "Multiple target groups are not supported for services using the CODE_DEPLOY deployment controller; "
            "specify one in loadBalancers (the deployment group holds the second)."
        )
    if load_balancers[0].get("loadBalancerName") or not load_balancers[0].get("targetGroupArn"):
        raise _invalid(
            "Services using the CODE_DEPLOY deployment controller need an Application Load Balancer or Network "
            "Load Balancer target group (targetGroupArn), not a Classic Load Balancer."
        )


def _primary_task_set(req: ExtensionRequest, backend: Any, service: Any, params: dict[str, Any]) -> None:
    """The task set AWS starts a CODE_DEPLOY service with: PRIMARY, steady, 100 % of the desired count."""
    task_set = backend.create_task_set(
        service.name,
        service.cluster_name,
        service.task_definition,
        network_configuration=params.get("networkConfiguration"),
        load_balancers=params.get("loadBalancers"),
        service_registries=params.get("serviceRegistries"),
        launch_type=service.launch_type,
        capacity_provider_strategy=params.get("capacityProviderStrategy"),
        platform_version=params.get("platformVersion"),
    )
    task_set.status = "PRIMARY"
    task_set.started_by = "CodeDeploy"


@action("ecs", "CreateService")
def create_service(req: ExtensionRequest) -> dict[str, Any]:
    params = req.params
    load_balancers = params.get("loadBalancers") or []
    if _controller(params) == CODE_DEPLOY:
        _check_code_deploy_create(req, load_balancers)
    _check_target_groups(req, load_balancers)
    backend = req.moto_backend("ecs")
    # The same arguments moto's own handler (moto/ecs/responses.py) passes.
    service = backend.create_service(
        params.get("cluster", "default"),
        params.get("serviceName"),
        params.get("desiredCount"),
        params.get("taskDefinition"),
        params.get("loadBalancers"),
        params.get("schedulingStrategy"),
        params.get("tags"),
        params.get("deploymentController"),
        params.get("launchType"),
        network_configuration=params.get("networkConfiguration"),
        service_registries=params.get("serviceRegistries"),
        platform_version=params.get("platformVersion"),
        propagate_tags=params.get("propagateTags") or "NONE",
        role_arn=params.get("role"),
    )
    if _controller(params) == CODE_DEPLOY and service.task_definition:
        _primary_task_set(req, backend, service, params)
    return {"service": service}


@action("ecs", "UpdateService")
def update_service(req: ExtensionRequest) -> dict[str, Any]:
    params = req.params
    req.require("service")
    backend = req.moto_backend("ecs")
    # ServiceNotFoundException / ClusterNotFoundException as moto (and AWS) answer them.
    current = backend._get_service(params.get("cluster", "default"), params["service"].split("/")[-1])
    if (current.deployment_controller or {}).get("type") == CODE_DEPLOY:
        for member, words in _CODE_DEPLOY_OWNED.items():
            if params.get(member) is not None:
                raise _invalid(
                    f"Unable to update {words} on services with a CODE_DEPLOY deployment controller. "
                    "Use AWS CodeDeploy to trigger a new deployment."
                )
    elif params.get("loadBalancers"):
        _check_target_groups(req, params["loadBalancers"])
    service = backend.update_service({camelcase_to_underscores(k): v for k, v in params.items()})
    return {"service": service}


# The cluster settings AWS has, and the values each takes.
_CLUSTER_SETTINGS = {"containerInsights": ("enabled", "disabled", "enhanced")}


@action("ecs", "UpdateClusterSettings")
def update_cluster_settings(req: ExtensionRequest) -> dict[str, Any]:
    """Each given setting replaces the cluster's setting of that name, the others are kept (moto: HTTP 500)."""
    req.require("cluster", "settings")
    backend = req.moto_backend("ecs")
    cluster = backend._get_cluster(req.params["cluster"])  # ClusterNotFoundException as AWS answers it
    for setting in req.params["settings"]:
        allowed = _CLUSTER_SETTINGS.get(setting.get("name"))
        if allowed is None:
            raise _invalid(f"Invalid setting name {setting.get('name')!r}; the cluster setting is containerInsights.")
        if setting.get("value") not in allowed:
            raise _invalid(
                f"Invalid value {setting.get('value')!r} for {setting['name']}; valid values are {', '.join(allowed)}."
            )
    settings = {s["name"]: s["value"] for s in cluster.settings or []}
    settings.update((s["name"], s["value"]) for s in req.params["settings"])
    cluster.settings = [{"name": name, "value": value} for name, value in settings.items()]
    return {"cluster": cluster}
