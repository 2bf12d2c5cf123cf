# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS CodePipeline: API wrappers, the declared pipeline in the API's shape, its canonical form for comparison,
and the checks of a declared pipeline that AWS would refuse (or accept and then fail on).

Every call is wrapped with ``AWSRetry.jittered_backoff()`` and turned into :class:`AnsibleCodePipelineError` by
:class:`CodePipelineErrorHandler` (the amazon.aws ``module_utils/ec2.py`` pattern).
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical

_RETRY = AWSRetry.jittered_backoff()

# The providers AWS offers per action category (owner AWS, or ThirdParty/Custom for the rest).
PROVIDERS = {
    "Source": ("CodeStarSourceConnection", "CodeCommit", "S3", "ECR", "GitHub", "Bitbucket"),
    "Build": ("CodeBuild", "ECRBuildAndPublish", "Jenkins", "Commands"),
    "Test": ("CodeBuild", "DeviceFarm", "Jenkins", "InspectorScan"),
    "Deploy": (
        "CodeDeployToECS",
        "ECS",
        "CodeDeploy",
        "S3",
        "CloudFormation",
        "CloudFormationStackSet",
        "CloudFormationStackInstances",
        "ElasticBeanstalk",
        "EKS",
        "AppConfig",
        "ServiceCatalog",
        "AlexaSkillsKit",
        "OpsWorks",
        "EC2",
    ),
    "Approval": ("Manual",),
    "Invoke": ("Lambda", "StepFunctions", "Snyk", "InspectorScan"),
}
CONNECTION_SOURCE = "CodeStarSourceConnection"
NAME = re.compile(r"^[A-Za-z0-9.@_-]{1,100}$")
ARTIFACT_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,100}$")


class AnsibleCodePipelineError(AnsibleAWSError):
    pass


class CodePipelineErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCodePipelineError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["PipelineNotFoundException", "ResourceNotFoundException"])


# ---------------------------------------------------------------- API wrappers


@CodePipelineErrorHandler.list_error_handler("get pipeline", {})
@_RETRY
def get_pipeline(client, name):
    """``{'pipeline': ..., 'metadata': ...}``, or ``{}`` when there is no such pipeline."""
    return client.get_pipeline(name=name)


@CodePipelineErrorHandler.list_error_handler("list tags of pipeline", {})
@_RETRY
def get_tags(client, arn):
    tags = client.get_paginator("list_tags_for_resource").paginate(resourceArn=arn).build_full_result()
    return {tag["key"]: tag["value"] for tag in tags.get("tags", [])}


@CodePipelineErrorHandler.common_error_handler("create pipeline")
@_RETRY
def create_pipeline(client, pipeline, tags):
    params = {"pipeline": pipeline}
    if tags:
        params["tags"] = [{"key": key, "value": value} for key, value in sorted(tags.items())]
    return client.create_pipeline(**params)


@CodePipelineErrorHandler.common_error_handler("update pipeline")
@_RETRY
def update_pipeline(client, pipeline):
    return client.update_pipeline(pipeline=pipeline)["pipeline"]


@CodePipelineErrorHandler.deletion_error_handler("delete pipeline")
@_RETRY
def delete_pipeline(client, name):
    client.delete_pipeline(name=name)
    return True


@CodePipelineErrorHandler.common_error_handler("tag pipeline")
@_RETRY
def tag_pipeline(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=[{"key": key, "value": value} for key, value in sorted(tags.items())])


@CodePipelineErrorHandler.common_error_handler("untag pipeline")
@_RETRY
def untag_pipeline(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))


# ---------------------------------------------------------------- declared pipeline -> API shape


def _without_none(value):
    return {key: item for key, item in value.items() if item is not None}


def _names(names):
    return [{"name": name} for name in names or []]


def api_action(action):
    return _without_none(
        {
            "name": action["name"],
            "actionTypeId": {
                "category": action["category"],
                "owner": action["owner"],
                "provider": action["provider"],
                "version": action["version"],
            },
            "runOrder": action["run_order"],
            "configuration": {key: str(value) for key, value in (action.get("configuration") or {}).items()},
            "inputArtifacts": _names(action.get("input_artifacts")),
            "outputArtifacts": _names(action.get("output_artifacts")),
            "roleArn": action.get("role_arn"),
            "region": action.get("region"),
            "namespace": action.get("namespace"),
            "timeoutInMinutes": action.get("timeout_in_minutes"),
        }
    )


def _filter(declared):
    return _without_none({"includes": declared.get("includes") or None, "excludes": declared.get("excludes") or None})


def _git_filter(declared, kinds):
    result = {}
    for option, api in kinds:
        if declared.get(option):
            result[api] = _filter(declared[option])
    return result


def api_trigger(trigger):
    git = trigger["git_configuration"]
    configuration = {"sourceActionName": git["source_action_name"]}
    push_kinds = (("branches", "branches"), ("file_paths", "filePaths"), ("tags", "tags"))
    push = [_git_filter(p, push_kinds) for p in git.get("push") or []]
    pulls = []
    for pull in git.get("pull_request") or []:
        entry = _git_filter(pull, (("branches", "branches"), ("file_paths", "filePaths")))
        if pull.get("events"):
            entry["events"] = list(pull["events"])
        pulls.append(entry)
    if push:
        configuration["push"] = push
    if pulls:
        configuration["pullRequest"] = pulls
    return {"providerType": trigger["provider_type"], "gitConfiguration": configuration}


def api_pipeline(params, role_arn):
    store = params["artifact_store"]
    artifact_store = {"type": store.get("type") or "S3", "location": store["location"]}
    if store.get("encryption_key"):
        artifact_store["encryptionKey"] = {
            "id": store["encryption_key"]["id"],
            "type": store["encryption_key"].get("type") or "KMS",
        }
    pipeline = {
        "name": params["name"],
        "roleArn": role_arn,
        "artifactStore": artifact_store,
        "stages": [{"name": s["name"], "actions": [api_action(a) for a in s["actions"]]} for s in params["stages"]],
        "pipelineType": params["pipeline_type"],
        "executionMode": params["execution_mode"],
    }
    if params["pipeline_type"] == "V2":
        pipeline["variables"] = [
            _without_none(
                {"name": v["name"], "defaultValue": v.get("default_value"), "description": v.get("description")}
            )
            for v in params.get("variables") or []
        ]
        pipeline["triggers"] = [api_trigger(t) for t in params.get("triggers") or []]
    return pipeline


# ---------------------------------------------------------------- canonical form


def _canonical_action(action):
    action = dict(action)
    action.setdefault("runOrder", 1)
    action["configuration"] = {key: str(value) for key, value in (action.get("configuration") or {}).items()}
    for key in ("inputArtifacts", "outputArtifacts"):
        action[key] = [{"name": a["name"]} for a in action.get(key) or []]
    return {key: value for key, value in action.items() if value is not None}


def canonical_pipeline(pipeline):
    """The pipeline with what AWS adds or leaves out made equal, and the version and metadata dropped."""
    if not pipeline:
        return {}
    result = {key: value for key, value in pipeline.items() if key not in ("version", "metadata")}
    result.setdefault("pipelineType", "V1")
    result.setdefault("executionMode", "SUPERSEDED")
    for key in ("variables", "triggers"):
        if not result.get(key):
            result.pop(key, None)
    result["stages"] = [
        dict(stage, actions=[_canonical_action(a) for a in stage.get("actions") or []])
        for stage in result.get("stages") or []
    ]
    return canonical(result)


def differs(current, desired):
    return canonical_pipeline(current) != canonical_pipeline(desired)


# ---------------------------------------------------------------- checks of the declared pipeline


def _stage_errors(index, stage, produced_before):
    """Errors of one stage; returns (errors, artifacts the stage produces)."""
    field = f"stages[{index}]"
    errors = []
    actions = stage.get("actions") or []
    if not actions:
        errors.append(f"{field}.actions is empty: a stage needs at least one action (stage '{stage['name']}').")
    seen = set()
    produced_here = {}
    for position, action in enumerate(actions):
        where = f"{field}.actions[{position}]"
        name = action["name"]
        if name in seen:
            errors.append(f"{where}.name '{name}' is used twice in stage '{stage['name']}': names must be unique.")
        seen.add(name)
        category, provider = action["category"], action["provider"]
        if action["owner"] == "AWS" and provider not in PROVIDERS[category]:
            errors.append(
                f"{where}.provider '{provider}' is not an AWS {category} provider: use one of "
                f"{', '.join(PROVIDERS[category])}."
            )
        if category == "Source" and index != 0:
            errors.append(f"{where} is a Source action outside the first stage: source actions go in stage 0.")
        if index == 0 and category != "Source":
            errors.append(f"{where} is a {category} action in the first stage, which holds Source actions only.")
        for artifact in action.get("input_artifacts") or []:
            earlier = produced_before | {a for a, order in produced_here.items() if order < action["run_order"]}
            if artifact not in earlier:
                errors.append(
                    f"{where}.input_artifacts: no earlier action produces '{artifact}' (an action of an earlier "
                    "stage, or of this stage with a lower run_order, must list it in output_artifacts)."
                )
        for artifact in action.get("output_artifacts") or []:
            if not ARTIFACT_NAME.match(artifact):
                errors.append(f"{where}.output_artifacts: '{artifact}' must be 1-100 letters, digits, _ or -.")
            if artifact in produced_before or artifact in produced_here:
                errors.append(f"{where}.output_artifacts: '{artifact}' is produced twice; artifact names are unique.")
            produced_here[artifact] = action["run_order"]
    return errors, set(produced_here)


def _trigger_errors(params):
    errors = []
    if params["pipeline_type"] == "V1":
        for option in ("triggers", "variables"):
            if params.get(option):
                errors.append(f"{option} need a V2 pipeline: set pipeline_type: V2, or remove {option}.")
        return errors
    first_stage = (params.get("stages") or [{}])[0]
    sources = {a["name"] for a in first_stage.get("actions") or [] if a["provider"] == CONNECTION_SOURCE}
    for index, trigger in enumerate(params.get("triggers") or []):
        name = trigger["git_configuration"]["source_action_name"]
        if name not in sources:
            errors.append(
                f"triggers[{index}].git_configuration.source_action_name '{name}' is not a {CONNECTION_SOURCE} "
                f"source action of the first stage ({', '.join(sorted(sources)) or 'there is none'})."
            )
    return errors


def pipeline_errors(params):
    """Every problem with a declared pipeline (state present), as messages naming the field and the fix."""
    errors = []
    if not NAME.match(params["name"]):
        errors.append(f"name '{params['name']}' must be 1-100 letters, digits, '.', '@', '_' or '-'.")
    stages = params.get("stages") or []
    if len(stages) < 2:
        errors.append(f"stages has {len(stages)} stage(s): a pipeline needs at least 2 (a Source stage and one more).")
    names = [s["name"] for s in stages]
    for duplicate in sorted({n for n in names if names.count(n) > 1}):
        errors.append(f"stages: the name '{duplicate}' is used twice; stage names must be unique.")
    produced = set()
    for index, stage in enumerate(stages):
        stage_errors, outputs = _stage_errors(index, stage, produced)
        errors.extend(stage_errors)
        produced |= outputs
    errors.extend(_trigger_errors(params))
    if not params["artifact_store"].get("location"):
        errors.append("artifact_store.location is required: the S3 bucket that holds the artifacts.")
    return errors
