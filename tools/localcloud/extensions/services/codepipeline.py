"""CodePipeline pipeline actions moto 5.2.5 gets wrong.

moto keeps a pipeline as it is given: it keeps ``pipelineType``, ``variables``, ``triggers`` and ``executionMode``
when they are sent, bumps the version on every ``UpdatePipeline`` (and only then) and returns ``metadata``
(``pipelineArn``, ``created``, ``updated``). What it gets wrong:

- a pipeline created without ``pipelineType``/``executionMode`` comes back without them (AWS: ``V1`` and
  ``SUPERSEDED``), and ``ListPipelines`` leaves both out of its summaries;
- it checks nothing but the service role's trust (on create only) and the number of stages: a stage with no
  actions, duplicate names, source actions outside the first stage, input artifacts nothing produces, unknown
  action types, triggers or variables on a V1 pipeline, triggers on a non-connection action are all accepted;
- ``UpdatePipeline`` checks nothing at all, not even the role;
- a second ``CreatePipeline`` with the same name answers ``InvalidStructureException`` (AWS:
  ``PipelineNameInUseException``); invalid tags fail after the pipeline is stored;
- ``GetPipeline`` ignores ``version`` (AWS returns that version, or ``PipelineVersionNotFoundException``).

Here ``CreatePipeline``, ``UpdatePipeline``, ``GetPipeline`` and ``ListPipelines`` validate the declaration as AWS
documents it (pipeline structure requirements, valid action providers, their artifact counts and required
configuration) with the error codes of the service model (``InvalidStructureException`` for the pipeline,
``InvalidStageDeclarationException`` for a stage, ``InvalidActionDeclarationException`` for an action,
``ValidationException`` for the model's constraints), fill AWS's defaults, and keep the pipeline in moto's own table
(``backend.pipelines[name]``), so moto's ``DeletePipeline``, tags and executions keep working on it. Earlier
versions of a pipeline are kept in ``req.store['versions']`` (name -> {version: declaration}).

A CodeStarSourceConnection action needs a connection ARN in ``ConnectionArn``; the connection itself is not looked
up (AWS accepts a pipeline whose connection is still ``PENDING``).
"""

from __future__ import annotations

import base64
import copy
import re
from datetime import UTC, datetime
from typing import Any

from ..registry import AwsError, ExtensionRequest, action, validation_error
from ..trust import trusts_service

NAME = re.compile(r"[A-Za-z0-9.@\-_]{1,100}")
ARTIFACT_NAME = re.compile(r"[a-zA-Z0-9_\-]{1,100}")
CONNECTION_ARN = re.compile(r"arn:aws(-[\w]+)*:(codestar-connections|codeconnections):[\w-]+:\d{12}:connection/.+")
CONNECTION_SOURCE = "CodeStarSourceConnection"

# Owner AWS providers per category (AWS's "Valid action providers in CodePipeline"), with the pipeline types that
# have them.
AWS_PROVIDERS: dict[str, dict[str, tuple[str, ...]]] = {
    "Source": {p: ("V1", "V2") for p in ("S3", "ECR", "CodeCommit", CONNECTION_SOURCE)},
    "Build": {"CodeBuild": ("V1", "V2"), "ECRBuildAndPublish": ("V2",), "Commands": ("V2",)},
    "Test": {"CodeBuild": ("V1", "V2"), "DeviceFarm": ("V1", "V2")},
    "Deploy": {
        **{
            p: ("V1", "V2")
            for p in (
                "S3",
                "CloudFormation",
                "CloudFormationStackSet",
                "CloudFormationStackInstances",
                "CodeDeploy",
                "CodeDeployToECS",
                "ECS",
                "ElasticBeanstalk",
                "AppConfig",
                "OpsWorks",
                "ServiceCatalog",
            )
        },
        **{p: ("V2",) for p in ("EC2", "EKS", "Lambda")},
    },
    "Approval": {"Manual": ("V1", "V2")},
    "Invoke": {
        "Lambda": ("V1", "V2"),
        "StepFunctions": ("V1", "V2"),
        "InspectorScan": ("V2",),
        "CodePipeline": ("V2",),
    },
    "Compute": {"Commands": ("V2",)},
}
# (min in, max in, min out, max out): AWS's "Number of input and output artifacts for each action type".
ARTIFACT_COUNTS = {
    ("Source", "S3"): (0, 0, 1, 1),
    ("Source", "ECR"): (0, 0, 1, 1),
    ("Source", "CodeCommit"): (0, 0, 1, 1),
    ("Source", CONNECTION_SOURCE): (0, 0, 1, 1),
    ("Build", "CodeBuild"): (1, 5, 0, 5),
    ("Test", "CodeBuild"): (1, 5, 0, 5),
    ("Test", "DeviceFarm"): (1, 1, 0, 0),
    ("Deploy", "S3"): (1, 1, 0, 0),
    ("Deploy", "CloudFormation"): (0, 10, 0, 1),
    ("Deploy", "CodeDeploy"): (1, 1, 0, 0),
    ("Deploy", "CodeDeployToECS"): (1, 3, 0, 0),
    ("Deploy", "ECS"): (1, 1, 0, 0),
    ("Deploy", "ElasticBeanstalk"): (1, 1, 0, 0),
    ("Approval", "Manual"): (0, 0, 0, 0),
    ("Invoke", "Lambda"): (0, 5, 0, 5),
}
# Required configuration keys (AWS's action structure reference).
REQUIRED_CONFIGURATION = {
    ("Source", "S3"): ("S3Bucket", "S3ObjectKey"),
    ("Source", "ECR"): ("RepositoryName",),
    ("Source", "CodeCommit"): ("RepositoryName", "BranchName"),
    ("Source", CONNECTION_SOURCE): ("ConnectionArn", "FullRepositoryId", "BranchName"),
    ("Build", "CodeBuild"): ("ProjectName",),
    ("Test", "CodeBuild"): ("ProjectName",),
    ("Deploy", "CodeDeploy"): ("ApplicationName", "DeploymentGroupName"),
    ("Deploy", "CodeDeployToECS"): (
        "ApplicationName",
        "DeploymentGroupName",
        "TaskDefinitionTemplateArtifact",
        "AppSpecTemplateArtifact",
    ),
    ("Deploy", "ECS"): ("ClusterName", "ServiceName"),
    ("Deploy", "S3"): ("BucketName", "Extract"),
    ("Invoke", "Lambda"): ("FunctionName",),
}
PAGE_SIZE = 100


# -- helpers ----------------------------------------------------------------------------------------
def _structure(message: str) -> AwsError:
    return AwsError("InvalidStructureException", message, status=400)


def _stage_error(message: str) -> AwsError:
    return AwsError("InvalidStageDeclarationException", message, status=400)


def _action_error(message: str) -> AwsError:
    return AwsError("InvalidActionDeclarationException", message, status=400)


def _constraint(path: str, value: Any, constraint: str) -> AwsError:
    return validation_error(
        f"1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: {constraint}"
    )


def _backend(req: ExtensionRequest) -> Any:
    return req.moto_backend("codepipeline")


def _versions(req: ExtensionRequest, name: str) -> dict[int, dict[str, Any]]:
    return req.store.setdefault("versions", {}).setdefault(name, {})


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _metadata(stored: Any) -> dict[str, Any]:
    return {"pipelineArn": stored._arn, "created": _aware(stored._created), "updated": _aware(stored._updated)}


# -- validation, part by part -----------------------------------------------------------------------
def _check_name(path: str, name: Any) -> None:
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise _constraint(path, name, "Member must satisfy regular expression pattern: [A-Za-z0-9.@\\-_]+")


def _check_role(req: ExtensionRequest, role_arn: Any) -> None:
    if not isinstance(role_arn, str) or not re.fullmatch(r"arn:aws(-[\w]+)*:iam::[0-9]{12}:role/.*", role_arn):
        raise _constraint(
            "pipeline.roleArn", role_arn, "Member must satisfy regular expression pattern: arn:aws(-[\\w]+)*:iam::"
        )
    iam = req.moto_backend("iam", req.partition)
    role = next((r for r in iam.get_roles() if r.arn == role_arn), None)
    if role is None or not trusts_service(role.assume_role_policy_document, "codepipeline.amazonaws.com"):
        raise _structure(f"CodePipeline is not authorized to perform AssumeRole on role {role_arn}")


def _check_artifact_store(pipeline: dict[str, Any]) -> None:
    single, several = pipeline.get("artifactStore"), pipeline.get("artifactStores")
    if bool(single) == bool(several):
        raise _structure("Pipeline must declare either artifactStore or artifactStores, but not both")
    for store in [single] if single else list(several.values()):
        if store.get("type") != "S3":
            raise _constraint(
                "pipeline.artifactStore.type", store.get("type"), "Member must satisfy enum value set: [S3]"
            )
        location = store.get("location") or ""
        if not re.fullmatch(r"[a-zA-Z0-9\-\.]{3,63}", location):
            raise _constraint(
                "pipeline.artifactStore.location", location, "Member must satisfy regular expression pattern"
            )


def _check_action(req: ExtensionRequest, pipeline_type: str, stage: str, index: int, declared: dict[str, Any]) -> None:
    name = declared.get("name")
    type_id = declared.get("actionTypeId") or {}
    category, owner, provider = type_id.get("category"), type_id.get("owner"), type_id.get("provider")
    version = type_id.get("version")
    if owner == "AWS":
        types = AWS_PROVIDERS.get(category, {}).get(provider)
        if types is None or version != "1":
            raise _action_error(
                f"ActionType (Category: '{category}', Provider: '{provider}', Owner: '{owner}', Version: "
                f"'{version}') in action '{name}' is not available in region '{req.region.upper().replace('-', '_')}'"
            )
        if pipeline_type not in types:
            raise _action_error(f"Action '{name}' with provider '{provider}' can only be used in V2 pipelines")
        counts = ARTIFACT_COUNTS.get((category, provider))
        if counts:
            for kind, low, high in (("input", counts[0], counts[1]), ("output", counts[2], counts[3])):
                declared_count = len(declared.get(f"{kind}Artifacts") or [])
                if declared_count < low:
                    raise _action_error(
                        f"Action {name} declares {declared_count} {kind} artifacts which is less than the minimum "
                        f"count ({low})"
                    )
                if declared_count > high:
                    raise _action_error(
                        f"Action {name} declares {declared_count} {kind} artifacts which is more than the maximum "
                        f"count ({high})"
                    )
        configuration = declared.get("configuration") or {}
        for key in REQUIRED_CONFIGURATION.get((category, provider), ()):
            if not configuration.get(key):
                raise _action_error(
                    f"Action configuration for action '{name}' is missing required configuration '{key}'"
                )
        if provider == CONNECTION_SOURCE and not CONNECTION_ARN.fullmatch(configuration["ConnectionArn"]):
            raise _action_error(
                f"Action configuration for action '{name}' contains an invalid ConnectionArn: "
                f"'{configuration['ConnectionArn']}' is not a connection ARN"
            )
    for key, value in (declared.get("configuration") or {}).items():
        if not isinstance(value, str) or not value:
            raise _constraint(
                f"pipeline.stages.{stage}.actions.{index}.configuration.{key}",
                value,
                "Member must have length greater than or equal to 1",
            )


def _check_stages(req: ExtensionRequest, pipeline: dict[str, Any], pipeline_type: str) -> None:
    stages = pipeline.get("stages") or []
    if len(stages) < 2:
        raise _structure(
            f"Pipeline has only {len(stages)} stage(s). There should be a minimum of 2 stages in a pipeline"
        )
    seen_stages: set[str] = set()
    produced: set[str] = set()
    for position, stage in enumerate(stages):
        stage_name = stage.get("name")
        _check_name(f"pipeline.stages.{position + 1}.member.name", stage_name)
        if stage_name in seen_stages:
            raise _structure(f"Pipeline contains more than one stage named '{stage_name}'; stage names must be unique")
        seen_stages.add(stage_name)
        actions = stage.get("actions") or []
        if not actions:
            raise _stage_error(f"Stage '{stage_name}' must contain at least one action")
        if pipeline_type == "V1" and any(stage.get(k) for k in ("onFailure", "onSuccess", "beforeEntry")):
            raise _structure(f"Stage '{stage_name}' declares conditions, which can only be used in V2 pipelines")
        action_names: set[str] = set()
        produced_here: dict[str, int] = {}
        for index, declared in enumerate(actions):
            name = declared.get("name")
            _check_name(f"pipeline.stages.{position + 1}.member.actions.{index + 1}.member.name", name)
            if name in action_names:
                raise _stage_error(f"Stage '{stage_name}' contains more than one action named '{name}'")
            action_names.add(name)
            category = (declared.get("actionTypeId") or {}).get("category")
            if position == 0 and category != "Source":
                raise _structure(
                    f"Stage '{stage_name}' is the first stage and can only contain source actions; action '{name}' "
                    f"is a {category} action"
                )
            if position > 0 and category == "Source":
                raise _structure(
                    f"Source action '{name}' is in stage '{stage_name}'; only the first stage can contain source "
                    "actions"
                )
            _check_action(req, pipeline_type, stage_name, index + 1, declared)
            run_order = declared.get("runOrder") or 1
            earlier = produced | {a for a, order in produced_here.items() if order < run_order}
            for artifact in declared.get("inputArtifacts") or []:
                if artifact.get("name") not in earlier:
                    raise _structure(
                        f"Input Artifact Bundle {artifact.get('name')} in action '{name}' is not declared as an "
                        "output artifact of any action that runs before it"
                    )
            for artifact in declared.get("outputArtifacts") or []:
                artifact_name = artifact.get("name") or ""
                if not ARTIFACT_NAME.fullmatch(artifact_name):
                    raise _constraint(
                        "outputArtifacts.name", artifact_name, "Member must satisfy pattern [a-zA-Z0-9_\\-]+"
                    )
                if artifact_name in produced or artifact_name in produced_here:
                    raise _structure(
                        f"Output Artifact Bundle name {artifact_name} in action '{name}' is not unique: each output "
                        "artifact of a pipeline must have its own name"
                    )
                produced_here[artifact_name] = run_order
        produced |= set(produced_here)


def _check_v2(pipeline: dict[str, Any], pipeline_type: str) -> None:
    if pipeline_type == "V1":
        if pipeline.get("triggers"):
            raise _structure("Triggers can only be used with V2 pipelines")
        if pipeline.get("variables"):
            raise _structure("Pipeline level variables can only be used with V2 pipelines")
        if pipeline.get("executionMode", "SUPERSEDED") != "SUPERSEDED":
            raise _structure(f"Execution mode {pipeline['executionMode']} can only be used with V2 pipelines")
        return
    names: set[str] = set()
    for variable in pipeline.get("variables") or []:
        if variable.get("name") in names:
            raise _structure(f"Pipeline variable names must be unique: '{variable.get('name')}' is declared twice")
        names.add(variable.get("name"))
    first = (pipeline.get("stages") or [{}])[0]
    connections = {
        a.get("name")
        for a in first.get("actions") or []
        if (a.get("actionTypeId") or {}).get("provider") == CONNECTION_SOURCE
    }
    triggered: set[str] = set()
    for trigger in pipeline.get("triggers") or []:
        source = (trigger.get("gitConfiguration") or {}).get("sourceActionName")
        if source not in connections or source in triggered:
            raise _structure(
                "Triggers for connection must reference a CodeStarSourceConnection action. Note that when you specify "
                "a trigger, you cant specify more than one trigger per source action."
            )
        triggered.add(source)
        for push in trigger["gitConfiguration"].get("push") or []:
            if not push or (push.get("tags") and (push.get("branches") or push.get("filePaths"))):
                raise _structure(
                    "The trigger configuration for the source action is not valid. Make sure to choose valid filter "
                    "combinations."
                )


def _declaration(req: ExtensionRequest, pipeline: Any, current: dict[str, Any] | None) -> dict[str, Any]:
    """The declaration validated, with AWS's defaults filled in (``current``: the stored one, on update)."""
    if not isinstance(pipeline, dict):
        raise _constraint("pipeline", None, "Member must not be null")
    pipeline = copy.deepcopy(pipeline)
    _check_name("pipeline.name", pipeline.get("name"))
    if not pipeline.get("stages"):
        raise _constraint("pipeline.stages", None, "Member must not be null")
    _check_role(req, pipeline.get("roleArn"))
    _check_artifact_store(pipeline)
    pipeline_type = pipeline.get("pipelineType") or (current or {}).get("pipelineType") or "V1"
    _check_v2(pipeline, pipeline_type)
    _check_stages(req, pipeline, pipeline_type)
    pipeline["pipelineType"] = pipeline_type
    pipeline.setdefault("executionMode", "SUPERSEDED")
    for stage in pipeline["stages"]:
        for declared in stage["actions"]:
            declared.setdefault("runOrder", 1)
            declared.setdefault("configuration", {})
            declared.setdefault("inputArtifacts", [])
            declared.setdefault("outputArtifacts", [])
    for key in ("variables", "triggers"):
        if not pipeline.get(key):
            pipeline.pop(key, None)
    return pipeline


def _tags(tags: Any) -> list[dict[str, str]]:
    tags = list(tags or [])
    for tag in tags:
        if str(tag.get("key", "")).startswith("aws:"):
            raise AwsError(
                "InvalidTagsException",
                "Not allowed to modify system tags. System tags start with 'aws:'. "
                "msg=[Caller is an end user and not allowed to mutate system tags]",
            )
    if len(tags) > 50:
        raise AwsError("TooManyTagsException", "Tag limit exceeded")
    return tags


# -- actions ----------------------------------------------------------------------------------------
@action("codepipeline", "CreatePipeline")
def create_pipeline(req: ExtensionRequest) -> dict[str, Any]:
    from moto.codepipeline.models import CodePipeline

    declared = req.params.get("pipeline")
    backend = _backend(req)
    if isinstance(declared, dict) and declared.get("name") in backend.pipelines:
        raise AwsError(
            "PipelineNameInUseException",
            f"A pipeline with the name '{declared['name']}' already exists in account '{req.account_id}'",
        )
    pipeline = _declaration(req, declared, None)
    tags = _tags(req.params.get("tags"))
    stored = CodePipeline(req.account_id, req.region, pipeline)  # sets version 1
    stored.tags = {tag["key"]: tag.get("value", "") for tag in tags}
    backend.pipelines[pipeline["name"]] = stored
    versions = _versions(req, pipeline["name"])
    versions.clear()
    versions[1] = copy.deepcopy(stored.pipeline)
    answer: dict[str, Any] = {"pipeline": stored.pipeline}
    if tags:
        answer["tags"] = sorted(tags, key=lambda t: t["key"])
    return answer


@action("codepipeline", "UpdatePipeline")
def update_pipeline(req: ExtensionRequest) -> dict[str, Any]:
    declared = req.params.get("pipeline")
    name = declared.get("name") if isinstance(declared, dict) else None
    stored = _backend(req).pipelines.get(name)
    if stored is None:  # moto's answer, kept: the model lists no not-found error for UpdatePipeline
        _check_name("pipeline.name", name)
        raise AwsError(
            "ResourceNotFoundException",
            f"The account with id '{req.account_id}' does not include a pipeline with the name '{name}'",
        )
    pipeline = _declaration(req, declared, stored.pipeline)
    pipeline["version"] = stored.pipeline["version"] + 1  # every update is a new version, changed or not
    stored.pipeline = pipeline
    stored._updated = datetime.now(UTC)
    _versions(req, name)[pipeline["version"]] = copy.deepcopy(pipeline)
    return {"pipeline": pipeline}


@action("codepipeline", "GetPipeline")
def get_pipeline(req: ExtensionRequest) -> dict[str, Any]:
    req.require("name")
    name = req.params["name"]
    stored = _backend(req).pipelines.get(name)
    if stored is None:
        raise AwsError(
            "PipelineNotFoundException", f"Account '{req.account_id}' does not have a pipeline with name '{name}'"
        )
    version = req.params.get("version")
    if version is None or version == stored.pipeline["version"]:
        pipeline = stored.pipeline
    else:
        pipeline = _versions(req, name).get(version)
        if pipeline is None:
            raise AwsError("PipelineVersionNotFoundException", f"Pipeline '{name}' does not have a version '{version}'")
    answer = copy.deepcopy(pipeline)
    answer.setdefault("pipelineType", "V1")  # pipelines stored by moto itself (state files of older runs)
    answer.setdefault("executionMode", "SUPERSEDED")
    return {"pipeline": answer, "metadata": _metadata(stored)}


@action("codepipeline", "ListPipelines")
def list_pipelines(req: ExtensionRequest) -> dict[str, Any]:
    limit = req.params.get("maxResults") or PAGE_SIZE
    if not 1 <= limit <= 1000:
        raise _constraint("maxResults", limit, "Member must have value between 1 and 1000")
    stored = sorted(_backend(req).pipelines.values(), key=lambda p: p.pipeline["name"])
    start = 0
    token = req.params.get("nextToken")
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token.encode()).decode())
        except ValueError:
            start = -1
        if not 0 <= start <= len(stored):
            raise AwsError("InvalidNextTokenException", "The next token is not valid")
    page = stored[start : start + limit]
    answer: dict[str, Any] = {
        "pipelines": [
            {
                "name": p.pipeline["name"],
                "version": p.pipeline["version"],
                "pipelineType": p.pipeline.get("pipelineType", "V1"),
                "executionMode": p.pipeline.get("executionMode", "SUPERSEDED"),
                "created": _aware(p._created),
                "updated": _aware(p._updated),
            }
            for p in page
        ]
    }
    if start + len(page) < len(stored):
        answer["nextToken"] = base64.urlsafe_b64encode(str(start + len(page)).encode()).decode()
    return answer
