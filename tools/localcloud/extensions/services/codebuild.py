"""CodeBuild project actions moto 5.2.5 lacks or gets wrong.

moto has no ``UpdateProject``, and its ``CreateProject`` differs from AWS: it requires a source location for
``CODEPIPELINE`` and ``NO_SOURCE`` sources (AWS refuses one there), knows four compute types, drops
``encryptionKey`` (always ``alias/aws/s3``), ``concurrentBuildLimit`` and ``badgeEnabled``, stores timeouts of 0
when none are given (AWS: 60 and 480), fills no defaults (privileged mode, image pull credentials, variable types,
logs, artifact packaging), accepts any service role of the account, and rejects project names starting with a digit.

Here ``CreateProject`` and ``UpdateProject`` validate as AWS does (``InvalidInputException`` for semantic errors,
``ValidationException`` for the model's constraints, ``ResourceAlreadyExistsException`` /
``ResourceNotFoundException``), fill AWS's defaults, and keep the project in moto's own table
(``backend.codebuild_projects[name].project_metadata``), so moto's ``ListProjects``, ``StartBuild``,
``ListBuildsForProject`` and ``BatchGetBuilds`` keep working on it. ``BatchGetProjects`` is served here too (AWS's
``projectsNotFound``; names or ARNs), and ``DeleteProject`` (AWS's name rules; deleting a missing project succeeds).

The service role must be a role of moto's IAM in the caller's account that trusts ``codebuild.amazonaws.com``;
otherwise ``InvalidInputException`` "CodeBuild is not authorized to perform: sts:AssumeRole on ARN", as AWS answers.
A VPC configuration must name a VPC, subnets and security groups of moto's EC2 in that VPC.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any

from ..registry import AwsError, ExtensionRequest, action, validation_error
from ..trust import trusts_service

PROJECT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_]{1,149}")
NO_LOCATION_SOURCES = ("CODEPIPELINE", "NO_SOURCE")
REPORTING_SOURCES = ("BITBUCKET", "GITHUB", "GITHUB_ENTERPRISE", "GITLAB", "GITLAB_SELF_MANAGED")
BADGE_SOURCES = ("BITBUCKET", "CODECOMMIT", "GITHUB", "GITHUB_ENTERPRISE")
LAMBDA_ENVIRONMENTS = ("LINUX_LAMBDA_CONTAINER", "ARM_LAMBDA_CONTAINER")


# -- helpers ----------------------------------------------------------------------------------------
def _invalid(message: str) -> AwsError:
    return AwsError("InvalidInputException", message, status=400)


def _enum(shape: str) -> tuple[str, ...]:
    from moto.core.utils import get_service_model

    return tuple(get_service_model("codebuild").shape_for(shape).enum)


def _constraint(path: str, value: Any, constraint: str) -> AwsError:
    return validation_error(
        f"1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: {constraint}"
    )


def _check_enum(path: str, value: Any, shape: str) -> None:
    allowed = _enum(shape)
    if value not in allowed:
        raise _constraint(path, value, f"Member must satisfy enum value set: [{', '.join(allowed)}]")


def _check_range(path: str, value: Any, low: int, high: int) -> None:
    if value is not None and not low <= value <= high:
        bound = f"greater than or equal to {low}" if value < low else f"less than or equal to {high}"
        raise _constraint(path, value, f"Member must have value {bound}")


def _backend(req: ExtensionRequest) -> Any:
    return req.moto_backend("codebuild")


def _arn(req: ExtensionRequest, name: str) -> str:
    return f"arn:{req.partition}:codebuild:{req.region}:{req.account_id}:project/{name}"


def _check_name(name: Any, path: str = "name") -> str:
    if not isinstance(name, str) or not PROJECT_NAME.fullmatch(name):
        raise _constraint(
            path, name, "Member must satisfy regular expression pattern: [A-Za-z0-9][A-Za-z0-9\\-_]{1,149}"
        )
    return name


def _trusts_codebuild(policy_document: str) -> bool:
    return trusts_service(policy_document, "codebuild.amazonaws.com")


# -- validation and defaults, member by member ------------------------------------------------------
def _service_role(req: ExtensionRequest, role: Any) -> str:
    if not isinstance(role, str) or not role:
        raise _constraint("serviceRole", role, "Member must have length greater than or equal to 1")
    iam = req.moto_backend("iam", req.partition)
    if role.startswith("arn:"):
        match = re.fullmatch(r"arn:[\w-]+:iam::(\d{12}):role/.+", role)
        if not match:
            raise _invalid(f"Invalid service role: {role} is not a role ARN")
        if match.group(1) != req.account_id:
            raise _invalid("Invalid service role: Service role account ID does not match caller's account")
        found = next((r for r in iam.get_roles() if r.arn == role), None)
        arn = role
    else:
        found = next((r for r in iam.get_roles() if r.name == role), None)
        arn = found.arn if found else f"arn:{req.partition}:iam::{req.account_id}:role/{role}"
    if found is None or not _trusts_codebuild(found.assume_role_policy_document):
        raise _invalid(f"CodeBuild is not authorized to perform: sts:AssumeRole on {arn}")
    return arn


def _source(source: Any) -> dict[str, Any]:
    if not isinstance(source, dict) or not source.get("type"):
        raise _constraint("source.type", None, "Member must not be null")
    kind = source["type"]
    _check_enum("source.type", kind, "SourceType")
    location = source.get("location")
    if kind in NO_LOCATION_SOURCES and location:
        raise _invalid(f"Invalid source: location must be empty for source type {kind}")
    if kind not in NO_LOCATION_SOURCES and not location:
        raise _invalid("Project source location is required")
    if kind == "NO_SOURCE" and not source.get("buildspec"):
        raise _invalid("Invalid source: buildspec must be specified for source type NO_SOURCE")
    if source.get("reportBuildStatus") is not None and kind not in REPORTING_SOURCES:
        raise _invalid(f"Source type {kind} does not support ReportBuildStatus")
    depth = source.get("gitCloneDepth")
    if depth is not None and depth < 0:
        raise _constraint("source.gitCloneDepth", depth, "Member must have value greater than or equal to 0")
    result = copy.deepcopy(source)
    result.setdefault("insecureSsl", False)
    return result


def _artifacts(artifacts: Any, project: str) -> dict[str, Any]:
    if not isinstance(artifacts, dict) or not artifacts.get("type"):
        raise _constraint("artifacts.type", None, "Member must not be null")
    kind = artifacts["type"]
    _check_enum("artifacts.type", kind, "ArtifactsType")
    result = copy.deepcopy(artifacts)
    if kind == "NO_ARTIFACTS":
        for member in ("location", "encryptionDisabled"):
            if artifacts.get(member) is not None:
                raise _invalid(f"Invalid artifacts: artifact type NO_ARTIFACTS should have null {member}")
        return result
    if kind == "S3":
        if not artifacts.get("location"):
            raise _invalid("Invalid artifacts: artifact location is required for artifact type S3")
        result.setdefault("namespaceType", "NONE")
        if artifacts.get("namespaceType") is not None:
            _check_enum("artifacts.namespaceType", artifacts["namespaceType"], "ArtifactNamespace")
    result.setdefault("name", project)
    result.setdefault("packaging", "NONE")
    _check_enum("artifacts.packaging", result["packaging"], "ArtifactPackaging")
    result.setdefault("encryptionDisabled", False)
    return result


def _environment(environment: Any) -> dict[str, Any]:
    if not isinstance(environment, dict):
        raise _constraint("environment", None, "Member must not be null")
    for member in ("type", "image", "computeType"):
        if not environment.get(member):
            raise _constraint(f"environment.{member}", None, "Member must not be null")
    kind, compute = environment["type"], environment["computeType"]
    _check_enum("environment.type", kind, "EnvironmentType")
    _check_enum("environment.computeType", compute, "ComputeType")
    if compute.startswith("BUILD_LAMBDA_") != (kind in LAMBDA_ENVIRONMENTS):
        raise _invalid(f"Invalid compute type {compute} for environment type {kind}")
    if environment.get("privilegedMode") and kind in LAMBDA_ENVIRONMENTS:
        raise _invalid(f"Privileged mode is not supported for environment type {kind}")
    result = copy.deepcopy(environment)
    result.setdefault("imagePullCredentialsType", "CODEBUILD")
    _check_enum("environment.imagePullCredentialsType", result["imagePullCredentialsType"], "ImagePullCredentialsType")
    result.setdefault("privilegedMode", False)
    variables = []
    for index, variable in enumerate(environment.get("environmentVariables") or []):
        if not variable.get("name"):
            raise _constraint(
                f"environment.environmentVariables.{index + 1}.member.name", None, "Member must not be null"
            )
        if variable.get("value") is None:
            raise _constraint(
                f"environment.environmentVariables.{index + 1}.member.value", None, "Member must not be null"
            )
        kind_of_value = variable.get("type") or "PLAINTEXT"
        _check_enum(
            f"environment.environmentVariables.{index + 1}.member.type", kind_of_value, "EnvironmentVariableType"
        )
        variables.append({"name": variable["name"], "value": variable["value"], "type": kind_of_value})
    result["environmentVariables"] = variables
    return result


def _logs(logs: Any) -> dict[str, Any]:
    logs = copy.deepcopy(logs or {})
    cloud_watch = logs.get("cloudWatchLogs") or {"status": "ENABLED"}
    s3 = logs.get("s3Logs") or {"status": "DISABLED"}
    for path, config in (("logsConfig.cloudWatchLogs.status", cloud_watch), ("logsConfig.s3Logs.status", s3)):
        if not config.get("status"):
            raise _constraint(path, None, "Member must not be null")
        _check_enum(path, config["status"], "LogsConfigStatusType")
    if s3["status"] == "ENABLED" and not s3.get("location"):
        raise _invalid("Invalid logs config: S3 logs location is required when S3 logs status is ENABLED")
    s3.setdefault("encryptionDisabled", False)
    return {"cloudWatchLogs": cloud_watch, "s3Logs": s3}


def _vpc(req: ExtensionRequest, vpc: Any) -> dict[str, Any] | None:
    if not vpc or not any(vpc.get(k) for k in ("vpcId", "subnets", "securityGroupIds")):
        return None
    missing = [k for k in ("vpcId", "subnets", "securityGroupIds") if not vpc.get(k)]
    if missing:
        raise _invalid(
            f"Invalid vpc config: {', '.join(missing)} must be specified with vpcId, subnets and securityGroupIds"
        )
    if len(vpc["subnets"]) > 16:
        raise _constraint("vpcConfig.subnets", vpc["subnets"], "Member must have length less than or equal to 16")
    if len(vpc["securityGroupIds"]) > 5:
        raise _constraint(
            "vpcConfig.securityGroupIds", vpc["securityGroupIds"], "Member must have length less than or equal to 5"
        )
    ec2 = req.moto_backend("ec2")
    if vpc["vpcId"] not in ec2.vpcs:
        raise _invalid(f"Invalid vpc config: vpc {vpc['vpcId']} does not exist")
    for subnet_id in vpc["subnets"]:
        subnet = next((s for zone in ec2.subnets.values() for s in zone.values() if s.id == subnet_id), None)
        if subnet is None or subnet.vpc_id != vpc["vpcId"]:
            raise _invalid(f"Invalid vpc config: subnet {subnet_id} does not exist in vpc {vpc['vpcId']}")
    for group_id in vpc["securityGroupIds"]:
        group = ec2.get_security_group_from_id(group_id)
        if group is None or group.vpc_id != vpc["vpcId"]:
            raise _invalid(f"Invalid vpc config: security group {group_id} does not exist in vpc {vpc['vpcId']}")
    return {"vpcId": vpc["vpcId"], "subnets": list(vpc["subnets"]), "securityGroupIds": list(vpc["securityGroupIds"])}


def _tags(tags: Any) -> list[dict[str, str]]:
    tags = list(tags or [])
    if len(tags) > 50:
        raise _constraint("tags", "[...]", "Member must have length less than or equal to 50")
    for index, tag in enumerate(tags):
        key = tag.get("key") or ""
        if not 1 <= len(key) <= 127:
            raise _constraint(f"tags.{index + 1}.member.key", key, "Member must have length between 1 and 127")
        if key.startswith("aws:"):
            raise _invalid(f"Invalid tag key {key}: the prefix aws: is reserved")
        if len(tag.get("value") or "") > 255:
            raise _constraint(f"tags.{index + 1}.member.value", tag["value"], "Member must have length less than 255")
    return [{"key": t["key"], "value": t.get("value") or ""} for t in tags]


def _badge(req: ExtensionRequest, name: str, enabled: bool, source_type: str) -> dict[str, Any]:
    if not enabled:
        return {"badgeEnabled": False}
    if source_type not in BADGE_SOURCES:
        raise _invalid(f"Build badges are not supported for source type {source_type}")
    return {
        "badgeEnabled": True,
        "badgeRequestUrl": (
            f"https://codebuild.{req.region}.amazonaws.com/badges?uuid={req.request_id}&branch=main#{name}"
        ),
    }


def _apply(req: ExtensionRequest, project: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """``project`` with the members of a CreateProject/UpdateProject call applied, validated and defaulted."""
    name = project["name"]
    project = copy.deepcopy(project)
    if "description" in params:
        if len(params["description"] or "") > 255:
            raise _constraint("description", params["description"], "Member must have length less than or equal to 255")
        if params["description"]:
            project["description"] = params["description"]
        else:
            project.pop("description", None)  # "" removes it
    if "source" in params:
        project["source"] = _source(params["source"])
    if "artifacts" in params:
        project["artifacts"] = _artifacts(params["artifacts"], name)
    if "environment" in params:
        project["environment"] = _environment(params["environment"])
    if "serviceRole" in params:
        project["serviceRole"] = _service_role(req, params["serviceRole"])
    if "timeoutInMinutes" in params:
        _check_range("timeoutInMinutes", params["timeoutInMinutes"], 5, 2160)
        project["timeoutInMinutes"] = params["timeoutInMinutes"]
    if "queuedTimeoutInMinutes" in params:
        _check_range("queuedTimeoutInMinutes", params["queuedTimeoutInMinutes"], 5, 480)
        project["queuedTimeoutInMinutes"] = params["queuedTimeoutInMinutes"]
    if "encryptionKey" in params:
        if not params["encryptionKey"]:
            raise _constraint("encryptionKey", "", "Member must have length greater than or equal to 1")
        project["encryptionKey"] = params["encryptionKey"]
    if "logsConfig" in params:
        project["logsConfig"] = _logs(params["logsConfig"])
    if "vpcConfig" in params:
        vpc = _vpc(req, params["vpcConfig"])
        if vpc:
            project["vpcConfig"] = vpc
        else:
            project.pop("vpcConfig", None)  # {} removes it
    if "concurrentBuildLimit" in params:
        limit = params["concurrentBuildLimit"]
        if limit == -1 and project.get("created") is not None:
            project.pop("concurrentBuildLimit", None)  # -1 removes the limit (UpdateProject)
        elif limit is None or limit < 1:
            raise _invalid(f"Invalid concurrent build limit: {limit}. The limit must be a positive integer.")
        else:
            project["concurrentBuildLimit"] = limit
    if "tags" in params:
        project["tags"] = _tags(params["tags"])
    for member in ("cache", "secondarySources", "secondaryArtifacts", "secondarySourceVersions"):
        if member in params:
            project[member] = copy.deepcopy(params[member])
    for member in ("sourceVersion", "fileSystemLocations", "buildBatchConfig", "autoRetryLimit"):
        if member in params:
            project[member] = copy.deepcopy(params[member])
    if "badgeEnabled" in params or "source" in params:
        enabled = params.get("badgeEnabled", (project.get("badge") or {}).get("badgeEnabled", False))
        project["badge"] = _badge(req, name, bool(enabled), project["source"]["type"])
    return project


def _store(req: ExtensionRequest, project: dict[str, Any]) -> None:
    """Keep the project in moto's table, where moto's other CodeBuild actions find it."""
    from moto.codebuild.models import CodeBuild

    backend = _backend(req)
    stored = backend.codebuild_projects.get(project["name"])
    if stored is None:
        stored = CodeBuild(
            req.account_id,
            req.region,
            project_name=project["name"],
            description=project.get("description"),
            project_source=project["source"],
            artifacts=project["artifacts"],
            environment=project["environment"],
            serviceRole=project["serviceRole"],
        )
        backend.codebuild_projects[project["name"]] = stored
        backend.build_history.setdefault(project["name"], [])
    stored.project_metadata = project
    stored.service_role = project["serviceRole"]
    stored.tags = project["tags"]


# -- actions ----------------------------------------------------------------------------------------
@action("codebuild", "CreateProject")
def create_project(req: ExtensionRequest) -> dict[str, Any]:
    for member in ("name", "source", "artifacts", "environment", "serviceRole"):
        if not req.params.get(member):
            raise _constraint(member, None, "Member must not be null")
    name = _check_name(req.params["name"])
    if name in _backend(req).codebuild_projects:
        raise AwsError("ResourceAlreadyExistsException", f"Project already exists: {_arn(req, name)}")
    now = datetime.now(UTC)
    base = {
        "name": name,
        "arn": _arn(req, name),
        "secondarySources": [],
        "secondarySourceVersions": [],
        "secondaryArtifacts": [],
        "cache": {"type": "NO_CACHE"},
        "timeoutInMinutes": 60,
        "queuedTimeoutInMinutes": 480,
        "encryptionKey": f"arn:{req.partition}:kms:{req.region}:{req.account_id}:alias/aws/s3",
        "tags": [],
        "badge": {"badgeEnabled": False},
        "logsConfig": _logs(None),
        "projectVisibility": "PRIVATE",
    }
    params = dict(req.params)
    project = _apply(req, base, params)
    project["created"] = project["lastModified"] = now
    _store(req, project)
    return {"project": project}


@action("codebuild", "UpdateProject")
def update_project(req: ExtensionRequest) -> dict[str, Any]:
    req.require("name")
    name = req.params["name"]
    if name.startswith("arn:"):
        name = name.rsplit("/", 1)[-1]
    stored = _backend(req).codebuild_projects.get(name)
    if stored is None:
        raise AwsError("ResourceNotFoundException", f"Project cannot be found: {_arn(req, name)}")
    params = dict((key, value) for key, value in req.params.items() if key != "name")
    project = _apply(req, stored.project_metadata, params)
    project["lastModified"] = datetime.now(UTC)
    _store(req, project)
    return {"project": project}


@action("codebuild", "BatchGetProjects")
def batch_get_projects(req: ExtensionRequest) -> dict[str, Any]:
    names = req.params.get("names") or []
    if not 1 <= len(names) <= 100:
        raise _constraint("names", names, "Member must have length between 1 and 100")
    projects = _backend(req).codebuild_projects
    found, missing = [], []
    for name in names:
        key = name.rsplit("/", 1)[-1] if name.startswith("arn:") else name
        stored = projects.get(key)
        if stored is not None and (not name.startswith("arn:") or stored.arn == name):
            found.append(stored.project_metadata)
        else:
            missing.append(name)
    answer: dict[str, Any] = {"projects": found}
    if missing:  # the model's minimum length is 1: AWS leaves the member out
        answer["projectsNotFound"] = missing
    return answer


@action("codebuild", "DeleteProject")
def delete_project(req: ExtensionRequest) -> dict[str, Any]:
    req.require("name")
    name = req.params["name"]
    if name.startswith("arn:"):
        name = name.rsplit("/", 1)[-1]
    _backend(req).delete_project(name)  # AWS answers success for a project that does not exist
    return {}
