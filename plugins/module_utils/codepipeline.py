# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS CodePipeline: API wrappers, the declared pipeline in the API's shape, its canonical form for comparison,
and the checks of a declared pipeline that AWS would refuse (or accept and then fail on).

Every call is wrapped with ``retry.jittered_backoff()`` and turned into :class:`AnsibleCodePipelineError` by
:class:`CodePipelineErrorHandler` (the amazon.aws ``module_utils/ec2.py`` pattern).
"""

import copy
import json
import re
from collections import namedtuple

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import Rename
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_changes, tag_dict, tag_list

_RETRY = jittered_backoff()

# The providers AWS offers per action category with owner AWS.
PROVIDERS = {
    "Source": ("CodeStarSourceConnection", "CodeCommit", "S3", "ECR"),
    "Build": ("CodeBuild", "ECRBuildAndPublish", "Commands"),
    "Test": ("CodeBuild", "DeviceFarm"),
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
        "EC2",
        "Lambda",
        "AppConfig",
        "ServiceCatalog",
        "OpsWorks",
    ),
    "Approval": ("Manual",),
    "Invoke": ("Lambda", "StepFunctions", "CodePipeline", "InspectorScan"),
    "Compute": ("Commands",),
}
# Providers people declare with owner AWS that AWS offers under another owner (GitHub version 1 is ThirdParty).
OTHER_OWNERS = {"GitHub": "ThirdParty", "AlexaSkillsKit": "ThirdParty", "Snyk": "ThirdParty", "Jenkins": "Custom"}
# (min inputs, max inputs, min outputs, max outputs) of AWS-owned action types, from AWS's "Number of input and
# output artifacts for each action type"; providers not listed here are not checked.
ARTIFACT_COUNTS = {
    ("Source", "CodeStarSourceConnection"): (0, 0, 1, 1),
    ("Source", "CodeCommit"): (0, 0, 1, 1),
    ("Source", "S3"): (0, 0, 1, 1),
    ("Source", "ECR"): (0, 0, 1, 1),
    ("Build", "CodeBuild"): (1, 5, 0, 5),
    ("Test", "CodeBuild"): (1, 5, 0, 5),
    ("Approval", "Manual"): (0, 0, 0, 0),
    ("Deploy", "CodeDeployToECS"): (1, 3, 0, 0),
    ("Deploy", "ECS"): (1, 1, 0, 0),
    ("Deploy", "CodeDeploy"): (1, 1, 0, 0),
    ("Deploy", "S3"): (1, 1, 0, 0),
    ("Deploy", "ElasticBeanstalk"): (1, 1, 0, 0),
    ("Deploy", "CloudFormation"): (0, 10, 0, 1),
    ("Invoke", "Lambda"): (0, 5, 0, 5),
}
CONNECTION_SOURCE = "CodeStarSourceConnection"
# Configuration keys whose value GetPipeline masks as "****" (GitHub version 1 source actions).
SECRET_CONFIGURATION = ("OAuthToken",)
MASKED = "****"
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


@CodePipelineErrorHandler.list_error_handler("list pipelines", [])
@_RETRY
def list_pipelines(client):
    """Every pipeline's summary (name, version, type, execution mode): ListPipelines has no name filter."""
    return client.get_paginator("list_pipelines").paginate().build_full_result().get("pipelines", [])


@CodePipelineErrorHandler.list_error_handler("get pipeline", {})
@_RETRY
def get_pipeline(client, name):
    """``{'pipeline': ..., 'metadata': ...}``, or ``{}`` when there is no such pipeline."""
    return client.get_pipeline(name=name)


@CodePipelineErrorHandler.list_error_handler("list tags of pipeline", {})
@_RETRY
def get_tags(client, arn):
    tags = client.get_paginator("list_tags_for_resource").paginate(resourceArn=arn).build_full_result()
    return tag_dict(tags.get("tags"))


@CodePipelineErrorHandler.common_error_handler("create pipeline")
@_RETRY
def create_pipeline(client, pipeline, tags):
    return client.create_pipeline(**create_request(pipeline, tags))


def create_request(pipeline, tags):
    """The CreatePipeline request (also what codepipeline_pipeline checks against the model before any call)."""
    params = {"pipeline": pipeline}
    if tags:
        params["tags"] = tag_list(tags, "key", "value")
    return params


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
    client.tag_resource(resourceArn=arn, tags=tag_list(tags, "key", "value"))


@CodePipelineErrorHandler.common_error_handler("untag pipeline")
@_RETRY
def untag_pipeline(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))


# ---------------------------------------------------------------- declared pipeline -> API shape


def _without_none(value):
    return {key: item for key, item in value.items() if item is not None}


def _names(names):
    return [{"name": name} for name in names or []]


def configuration_value(value):
    """A configuration value as the API takes it, a string: YAML booleans as true/false, dicts and lists as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


def _configuration(declared):
    return {key: configuration_value(value) for key, value in (declared or {}).items()}


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
            "configuration": _configuration(action.get("configuration")),
            "inputArtifacts": _names(action.get("input_artifacts")),
            "outputArtifacts": _names(action.get("output_artifacts")),
            "roleArn": action.get("role_arn"),
            "region": action.get("region"),
            "namespace": action.get("namespace"),
            "timeoutInMinutes": action.get("timeout_in_minutes"),
        }
    )


def _api_rule(rule):
    return _without_none(
        {
            "name": rule["name"],
            "ruleTypeId": {
                "category": "Rule",
                "owner": "AWS",
                "provider": rule["provider"],
                "version": rule.get("version") or "1",
            },
            "configuration": _configuration(rule.get("configuration")) or None,
            "commands": list(rule["commands"]) if rule.get("commands") else None,
            "inputArtifacts": _names(rule.get("input_artifacts")) or None,
            "roleArn": rule.get("role_arn"),
            "region": rule.get("region"),
            "timeoutInMinutes": rule.get("timeout_in_minutes"),
        }
    )


def _api_conditions(conditions):
    return [
        _without_none({"result": c.get("result"), "rules": [_api_rule(r) for r in c.get("rules") or []]})
        for c in conditions or []
    ]


def api_stage(stage):
    result = {"name": stage["name"], "actions": [api_action(a) for a in stage["actions"]]}
    on_failure = stage.get("on_failure")
    if on_failure:
        failure = _without_none({"result": on_failure.get("result")})
        retry = on_failure.get("retry_configuration") or {}
        if retry.get("retry_mode"):
            failure["retryConfiguration"] = {"retryMode": retry["retry_mode"]}
        if on_failure.get("conditions"):
            failure["conditions"] = _api_conditions(on_failure["conditions"])
        result["onFailure"] = failure
    for option, key in (("on_success", "onSuccess"), ("before_entry", "beforeEntry")):
        if (stage.get(option) or {}).get("conditions"):
            result[key] = {"conditions": _api_conditions(stage[option]["conditions"])}
    return result


def _filter(declared):
    return _without_none({"includes": declared.get("includes") or None, "excludes": declared.get("excludes") or None})


def _git_filter(declared, kinds):
    result = {}
    for option, api in kinds:
        if declared.get(option):
            result[api] = _filter(declared[option])
    return result


PUSH_FILTERS = (("branches", "branches"), ("file_paths", "filePaths"), ("tags", "tags"))
PULL_REQUEST_FILTERS = (("branches", "branches"), ("file_paths", "filePaths"))


def api_trigger(trigger):
    git = trigger["git_configuration"]
    configuration = {"sourceActionName": git["source_action_name"]}
    push = [_git_filter(p, PUSH_FILTERS) for p in git.get("push") or []]
    pulls = []
    for pull in git.get("pull_request") or []:
        entry = _git_filter(pull, PULL_REQUEST_FILTERS)
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
        "stages": [api_stage(s) for s in params["stages"]],
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


def _json_text(value):
    """A JSON object or array given as text, re-serialised so that spacing and key order do not count."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.dumps(json.loads(value), sort_keys=True, separators=(",", ":"))
        except ValueError:
            pass
    return value


def _canonical_configuration(configuration):
    return {key: _json_text(configuration_value(value)) for key, value in (configuration or {}).items()}


def _canonical_action(action):
    action = dict(action)
    action.setdefault("runOrder", 1)
    action["configuration"] = _canonical_configuration(action.get("configuration"))
    for key in ("inputArtifacts", "outputArtifacts"):
        action[key] = [{"name": a["name"]} for a in action.get(key) or []]
    return {key: value for key, value in action.items() if value is not None}


def _canonical_rule(rule):
    rule = dict(rule)
    rule["ruleTypeId"] = dict({"owner": "AWS", "version": "1"}, **(rule.get("ruleTypeId") or {}))
    rule["configuration"] = _canonical_configuration(rule.get("configuration"))
    return rule


def _canonical_stage(stage):
    stage = dict(stage, actions=[_canonical_action(a) for a in stage.get("actions") or []])
    for key in ("onFailure", "onSuccess", "beforeEntry"):
        if stage.get(key):
            conditions = [
                dict(c, rules=[_canonical_rule(r) for r in c.get("rules") or []])
                for c in stage[key].get("conditions") or []
            ]
            stage[key] = dict(stage[key], conditions=conditions)
    return stage


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
    result["stages"] = [_canonical_stage(stage) for stage in result.get("stages") or []]
    return canonical(result)


def _actions(pipeline):
    """(stage name, action name) -> the action's configuration, for every action."""
    return {
        (stage["name"], action["name"]): action.setdefault("configuration", {})
        for stage in pipeline.get("stages") or []
        for action in stage.get("actions") or []
    }


def masked_like(current, desired):
    """``desired`` (canonical) with each configuration value that ``current`` shows masked masked too: GetPipeline
    returns secrets (a GitHub OAuthToken) as ``****``, so they cannot be compared, and are not shown."""
    desired = copy.deepcopy(desired)
    shown = _actions(copy.deepcopy(current)) if current else {}
    for key, configuration in _actions(desired).items():
        for name in configuration:
            if shown.get(key, {}).get(name) == MASKED or name in SECRET_CONFIGURATION:
                configuration[name] = MASKED
    return canonical(desired)


def differs(current, desired):
    current = canonical_pipeline(current)
    return current != masked_like(current, canonical_pipeline(desired))


# ---------------------------------------------------------------- checks of the declared pipeline


def _count(low, high):
    if high == 0:
        return "no"
    return f"exactly {low}" if low == high else f"{low} to {high}"


def _provider_errors(where, action):
    category, provider, owner = action["category"], action["provider"], action["owner"]
    if owner != "AWS" or provider in PROVIDERS[category]:
        return []
    if provider in OTHER_OWNERS:
        owner = OTHER_OWNERS[provider]
        return [f"{where}.provider '{provider}' is a {owner} provider, not an AWS one: set owner: {owner}."]
    choices = ", ".join(PROVIDERS[category])
    return [f"{where}.provider '{provider}' is not an AWS {category} provider: use one of {choices}."]


def _artifact_count_errors(where, action):
    counts = ARTIFACT_COUNTS.get((action["category"], action["provider"])) if action["owner"] == "AWS" else None
    if not counts:
        return []
    errors = []
    for kind, low, high in (("input", counts[0], counts[1]), ("output", counts[2], counts[3])):
        declared = len(action.get(f"{kind}_artifacts") or [])
        if not low <= declared <= high:
            errors.append(
                f"{where}.{kind}_artifacts: {action['provider']} {action['category']} actions take {_count(low, high)} "
                f"{kind} artifact(s), {declared} declared."
            )
    return errors


def _configuration_errors(where, configuration):
    return [
        f"{where}.configuration.{key} is empty: give it a value, or remove the key."
        for key, value in (configuration or {}).items()
        if value is None or value == ""
    ]


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
        if not NAME.match(name):
            errors.append(f"{where}.name '{name}' must be 1-100 letters, digits, '.', '@', '_' or '-'.")
        if name in seen:
            errors.append(f"{where}.name '{name}' is used twice in stage '{stage['name']}': names must be unique.")
        seen.add(name)
        category = action["category"]
        errors.extend(_provider_errors(where, action))
        errors.extend(_artifact_count_errors(where, action))
        errors.extend(_configuration_errors(where, action.get("configuration")))
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
    errors.extend(_condition_errors(field, stage))
    return errors, set(produced_here)


def _condition_errors(field, stage):
    errors = []
    for option in ("on_failure", "on_success", "before_entry"):
        if not stage.get(option):
            continue
        conditions = stage[option].get("conditions") or []
        if option != "on_failure" and not conditions:
            errors.append(f"{field}.{option}.conditions is empty: give one condition, or remove {option}.")
        if len(conditions) > 1:
            errors.append(f"{field}.{option}.conditions has {len(conditions)} entries: AWS takes one condition.")
        for number, condition in enumerate(conditions):
            rules = condition.get("rules") or []
            if not 1 <= len(rules) <= 5:
                errors.append(f"{field}.{option}.conditions[{number}].rules: give 1 to 5 rules ({len(rules)} given).")
    return errors


def _v2_errors(params):
    """What only a V2 pipeline has, and the triggers' own rules."""
    errors = []
    if params["pipeline_type"] == "V1":
        for option in ("triggers", "variables"):
            if params.get(option):
                errors.append(f"{option} need a V2 pipeline: set pipeline_type: V2, or remove {option}.")
        if params["execution_mode"] != "SUPERSEDED":
            errors.append(f"execution_mode {params['execution_mode']} needs a V2 pipeline: set pipeline_type: V2.")
        for index, stage in enumerate(params.get("stages") or []):
            for option in ("on_failure", "on_success", "before_entry"):
                if stage.get(option):
                    errors.append(
                        f"stages[{index}].{option} needs a V2 pipeline: set pipeline_type: V2, or remove {option}."
                    )
        return errors
    names = {}
    for index, variable in enumerate(params.get("variables") or []):
        name = variable["name"]
        if not re.match(r"^[A-Za-z0-9@_-]{1,128}$", name):
            errors.append(f"variables[{index}].name '{name}' must be 1-128 letters, digits, '@', '_' or '-'.")
        if name in names:
            errors.append(f"variables[{index}].name '{name}' is declared twice (variables[{names[name]}]).")
        names.setdefault(name, index)
        if variable.get("default_value") == "":
            errors.append(f"variables[{index}].default_value is empty: give a value, or leave default_value out.")
    errors.extend(_trigger_errors(params))
    return errors


def _trigger_errors(params):
    errors = []
    first_stage = (params.get("stages") or [{}])[0]
    sources = {a["name"] for a in first_stage.get("actions") or [] if a["provider"] == CONNECTION_SOURCE}
    triggered = {}
    for index, trigger in enumerate(params.get("triggers") or []):
        field = f"triggers[{index}].git_configuration"
        git = trigger["git_configuration"]
        name = git["source_action_name"]
        if name not in sources:
            errors.append(
                f"{field}.source_action_name '{name}' is not a {CONNECTION_SOURCE} "
                f"source action of the first stage ({', '.join(sorted(sources)) or 'there is none'})."
            )
        elif name in triggered:
            errors.append(
                f"{field}.source_action_name '{name}' already has a trigger (triggers[{triggered[name]}]): one "
                "trigger per source action; put the filters in that one."
            )
        triggered.setdefault(name, index)
        for option in ("push", "pull_request"):
            if len(git.get(option) or []) > 3:
                errors.append(f"{field}.{option} has {len(git[option])} filters: AWS takes at most 3.")
        for number, push in enumerate(git.get("push") or []):
            if not any(push.get(kind) for kind, _pattern in PUSH_FILTERS):
                errors.append(f"{field}.push[{number}] is empty: give branches, file_paths or tags.")
            elif push.get("tags") and (push.get("branches") or push.get("file_paths")):
                errors.append(
                    f"{field}.push[{number}]: tags cannot be combined with branches or file_paths in one push "
                    "filter; declare them as separate push filters."
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
    errors.extend(_v2_errors(params))
    if not params["artifact_store"].get("location"):
        errors.append("artifact_store.location is required: the S3 bucket that holds the artifacts.")
    return errors


# ---------------------------------------------------------------- what codepipeline_pipeline and _set share


def pipeline_options():
    """The ``argument_spec`` entries of one declared pipeline besides its name, state and tags: the options of
    codepipeline_pipeline, and of each item of codepipeline_pipeline_set's ``pipelines``."""
    action = dict(
        name=dict(type="str", required=True),
        category=dict(type="str", required=True, choices=list(PROVIDERS)),
        owner=dict(type="str", choices=["AWS", "ThirdParty", "Custom"], default="AWS"),
        provider=dict(type="str", required=True),
        version=dict(type="str", default="1"),
        run_order=dict(type="int", default=1),
        configuration=dict(type="dict", default={}),
        input_artifacts=dict(type="list", elements="str", default=[]),
        output_artifacts=dict(type="list", elements="str", default=[]),
        namespace=dict(type="str"),
        role_arn=dict(type="str"),
        region=dict(type="str"),
        timeout_in_minutes=dict(type="int"),
    )
    rule = dict(
        name=dict(type="str", required=True),
        provider=dict(type="str", required=True),
        version=dict(type="str", default="1"),
        configuration=dict(type="dict", default={}),
        commands=dict(type="list", elements="str"),
        input_artifacts=dict(type="list", elements="str"),
        role_arn=dict(type="str"),
        region=dict(type="str"),
        timeout_in_minutes=dict(type="int"),
    )
    results = ["ROLLBACK", "FAIL", "RETRY", "SKIP"]
    condition = dict(
        result=dict(type="str", choices=results),
        rules=dict(type="list", elements="dict", required=True, options=rule),
    )
    stage = dict(
        name=dict(type="str", required=True),
        actions=dict(type="list", elements="dict", required=True, options=action),
        on_failure=dict(
            type="dict",
            options=dict(
                result=dict(type="str", choices=results),
                retry_configuration=dict(
                    type="dict", options=dict(retry_mode=dict(type="str", choices=["FAILED_ACTIONS", "ALL_ACTIONS"]))
                ),
                conditions=dict(type="list", elements="dict", options=condition),
            ),
        ),
        on_success=dict(
            type="dict", options=dict(conditions=dict(type="list", elements="dict", required=True, options=condition))
        ),
        before_entry=dict(
            type="dict", options=dict(conditions=dict(type="list", elements="dict", required=True, options=condition))
        ),
    )
    patterns = dict(includes=dict(type="list", elements="str"), excludes=dict(type="list", elements="str"))
    push = dict(
        branches=dict(type="dict", options=patterns),
        file_paths=dict(type="dict", options=patterns),
        tags=dict(type="dict", options=patterns),
    )
    pull_request = dict(
        events=dict(type="list", elements="str", choices=["OPEN", "UPDATED", "CLOSED"]),
        branches=dict(type="dict", options=patterns),
        file_paths=dict(type="dict", options=patterns),
    )
    return dict(
        role_arn=dict(type="str"),
        pipeline_type=dict(type="str", choices=["V1", "V2"], default="V2"),
        execution_mode=dict(type="str", choices=["QUEUED", "SUPERSEDED", "PARALLEL"], default="SUPERSEDED"),
        artifact_store=dict(
            type="dict",
            options=dict(
                type=dict(type="str", choices=["S3"], default="S3"),
                location=dict(type="str", required=True),
                encryption_key=dict(
                    type="dict",
                    no_log=False,
                    options=dict(
                        id=dict(type="str", required=True), type=dict(type="str", choices=["KMS"], default="KMS")
                    ),
                ),
            ),
        ),
        stages=dict(type="list", elements="dict", options=stage),
        variables=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(
                name=dict(type="str", required=True), default_value=dict(type="str"), description=dict(type="str")
            ),
        ),
        triggers=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(
                provider_type=dict(
                    type="str", choices=["CodeStarSourceConnection"], default="CodeStarSourceConnection"
                ),
                git_configuration=dict(
                    type="dict",
                    required=True,
                    options=dict(
                        source_action_name=dict(type="str", required=True),
                        push=dict(type="list", elements="dict", default=[], options=push),
                        pull_request=dict(type="list", elements="dict", default=[], options=pull_request),
                    ),
                ),
            ),
        ),
    )


def declared_errors(params, at=""):
    """Every problem with one declared pipeline with state present (``at``: where it stands among the options, such
    as ``pipelines[2].``), the required options first."""
    missing = [f"{at}{option}" for option in ("role_arn", "artifact_store", "stages") if not params.get(option)]
    if missing:
        return [f"{', '.join(missing)} required with state present: declare the whole pipeline."]
    return [f"{at}{error}" for error in pipeline_errors(params)]


_ACTION = "pipeline.stages[*].actions[*]"
_RULES = "conditions[*].rules[*].ruleTypeId"
# Where the members of CreatePipeline come from among the options (see module_utils/model_validation.py); the rest
# of ``pipeline`` is the options' own names, snake_cased.
MODEL_RENAMES = (
    Rename("pipeline", ""),
    Rename(f"{_ACTION}.actionTypeId", "stages[*].actions[*]"),
    Rename(f"{_ACTION}.inputArtifacts[*].name", "stages[*].actions[*].input_artifacts[*]"),
    Rename(f"{_ACTION}.outputArtifacts[*].name", "stages[*].actions[*].output_artifacts[*]"),
    *(
        Rename(f"pipeline.stages[*].{api}.{_RULES}", f"stages[*].{option}.conditions[*].rules[*]")
        for api, option in (("onFailure", "on_failure"), ("onSuccess", "on_success"), ("beforeEntry", "before_entry"))
    ),
)
# A role given by name stands for a role of the task's account, which only a call would tell: the model check uses
# this account in its place (the model's pattern asks only for 12 digits there).
_ANY_ACCOUNT = "000000000000"


def model_request(params):
    """The CreatePipeline request of a declared pipeline as the model check sees it (before any call, so a role given
    by name is put in a stand-in account). UpdatePipeline sends the same pipeline."""
    role = params["role_arn"]
    role_arn = role if role.startswith("arn:") else f"arn:aws:iam::{_ANY_ACCOUNT}:role/{role}"
    return create_request(api_pipeline(params, role_arn), params.get("tags"))


def role_arn_of(role, account_info):
    """The ARN of the service role given as an ARN or a name; ``account_info()`` gives (account, partition), called
    only for a name."""
    if role.startswith("arn:"):
        return role
    account, partition = account_info()
    return f"arn:{partition}:iam::{account}:role/{role}"


def pipeline_arn(client, role_arn, name):
    """The ARN of a pipeline just created, without another read: the service role is in the pipeline's account
    (CreatePipeline returns no ARN)."""
    partition, account = role_arn.split(":")[1], role_arn.split(":")[4]
    return f"arn:{partition}:codepipeline:{client.meta.region_name}:{account}:{name}"


def snake(pipeline):
    """A pipeline in snake_case for the result (the actions' ``configuration`` keys kept as AWS spells them)."""
    return camel_dict_to_snake_dict(pipeline, ignore_list=["configuration"]) if pipeline else {}


# What making one pipeline as declared takes: create it, update it (a pipeline that differs), the tags after and
# those to set and unset on an existing pipeline, the version after, and the before and after of its diff.
PipelinePlan = namedtuple("PipelinePlan", "create update tags to_set to_unset version before after")


def plan_pipeline(current, desired, current_tags, declared_tags, purge_tags):
    """The :data:`PipelinePlan` of ``desired`` (:func:`api_pipeline`) against ``current`` (GetPipeline's answer,
    ``{}`` when there is none) and its tags: what both modules compare, the same way. A new pipeline gets its tags
    with CreatePipeline, so it has none to set or unset."""
    before = current.get("pipeline") or {}
    tags, to_set, to_unset = tag_changes(current_tags, declared_tags, purge_tags)
    create = not before
    update = not create and differs(before, desired)
    if create:
        to_set, to_unset = {}, []
    version = 1 if create else before["version"] + (1 if update else 0)
    shown = masked_like(canonical_pipeline(before), canonical_pipeline(desired))
    return PipelinePlan(
        create=create,
        update=update,
        tags=tags,
        to_set=to_set,
        to_unset=to_unset,
        version=version,
        before=dict(canonical_pipeline(before), tags=current_tags) if before else {},
        after=dict(shown, tags=tags),
    )


def changes(plan):
    """Whether a plan changes anything."""
    return plan.create or plan.update or bool(plan.to_set or plan.to_unset)


def pipeline_view(plan):
    """The pipeline after the plan, as both modules return it (canonical, secrets masked, the version after)."""
    shown = {key: value for key, value in plan.after.items() if key != "tags"}
    return snake(dict(shown, version=plan.version))
