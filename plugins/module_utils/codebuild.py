# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS CodeBuild: API wrappers for build projects and their service role, the checks of the codebuild_project
module's input, and the conversions between the API's project and the module's option shape.

The option shape (``project_from_api`` / ``project_from_options``) is canonical: every setting the module manages is
present with the value AWS applies when it is not set (timeouts 60/480, CloudWatch logs ENABLED and S3 logs DISABLED,
privileged mode off, ``CODEBUILD`` image pull credentials, ``PLAINTEXT`` variables, the AWS managed key
``alias/aws/s3``, ...), so that a project read back from ``BatchGetProjects`` and a declared one compare equal when
nothing would change.

Every call is wrapped with ``retry.jittered_backoff()`` and turned into :class:`AnsibleCodeBuildError` by
:class:`CodeBuildErrorHandler` (the amazon.aws ``module_utils/ec2.py`` pattern).
"""

import copy
import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.securecloud.monitor.plugins.module_utils import botocore_model
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import (
    KMS_ALIAS_NAME,
    arn_parts,
    is_arn,
    is_kms_alias_arn,
    is_kms_key_arn,
    role_name,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import differs
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import request_errors
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_changes, tag_list

# ---------------------------------------------------------------- constants

DEFAULT_TIMEOUT = 60  # minutes, AWS's default for timeoutInMinutes
DEFAULT_QUEUED_TIMEOUT = 480  # minutes, AWS's default (and maximum) for queuedTimeoutInMinutes
TIMEOUT_RANGE = (5, 2160)
QUEUED_TIMEOUT_RANGE = (5, 480)
DEFAULT_KMS_KEY = "alias/aws/s3"  # the AWS managed key CodeBuild uses when no encryptionKey is given

# Source types that are git repositories (git_clone_depth applies) and that can report build status and show badges.
GIT_SOURCES = ("BITBUCKET", "CODECOMMIT", "GITHUB", "GITHUB_ENTERPRISE", "GITLAB", "GITLAB_SELF_MANAGED")
REPORTING_SOURCES = ("BITBUCKET", "GITHUB", "GITHUB_ENTERPRISE", "GITLAB", "GITLAB_SELF_MANAGED")
BADGE_SOURCES = ("BITBUCKET", "CODECOMMIT", "GITHUB", "GITHUB_ENTERPRISE")
# Source types without a location: CodePipeline hands the source over, NO_SOURCE has none.
NO_LOCATION_SOURCES = ("CODEPIPELINE", "NO_SOURCE")
# Environment types and compute types that only run on a reserved-capacity fleet (not managed by this module).
FLEET_ENVIRONMENTS = ("LINUX_EC2", "ARM_EC2", "WINDOWS_EC2", "MAC_ARM")
FLEET_COMPUTE = ("ATTRIBUTE_BASED_COMPUTE", "CUSTOM_INSTANCE_TYPE")
LAMBDA_ENVIRONMENTS = ("LINUX_LAMBDA_CONTAINER", "ARM_LAMBDA_CONTAINER")

PROJECT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$")
ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
VPC_ID = re.compile(r"^vpc-[0-9a-f]{8,17}$")
SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8,17}$")
SECURITY_GROUP_ID = re.compile(r"^sg-[0-9a-f]{8,17}$")
ENV_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
S3_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
# Names of PLAINTEXT variables whose values are redacted from the diff and the returned project (and warned about).
SECRET_LOOKING = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL", re.IGNORECASE)
REDACTED = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"

# CreateProject/UpdateProject answer InvalidInputException "CodeBuild is not authorized to perform: sts:AssumeRole"
# (or "Not authorized to perform DescribeSecurityGroups") while a new role or its policy is still propagating in IAM.
ROLE_NOT_READY = "CodeBuildRoleNotReady"


class AnsibleCodeBuildError(AnsibleAWSError):
    pass


class CodeBuildErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCodeBuildError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ResourceNotFoundException", "NoSuchEntity"])


class _CodeBuildRetry(AWSRetry):
    """AWSRetry that also retries the role-propagation form of InvalidInputException (as the Terraform provider)."""

    @staticmethod
    def status_code_from_exception(error):
        code = AWSRetry.status_code_from_exception(error)
        message = error.response.get("Error", {}).get("Message", "") or ""
        if code == "InvalidInputException" and "ot authorized to perform" in message:
            return ROLE_NOT_READY
        return code


_RETRY = jittered_backoff()
# Jittered waits of up to 3, 6, 12, 24, 48 s: IAM usually propagates a new role in about 10 s.
_WRITE_RETRY = jittered_backoff(retries=6, catch_extra_error_codes=[ROLE_NOT_READY], retry_class=_CodeBuildRetry)


def codebuild_client(module):
    return module.client("codebuild")


def iam_client(module):
    return module.client("iam")


def api_enum(shape):
    """The values botocore's CodeBuild model allows for the enum ``shape`` (e.g. ``ComputeType``); no AWS call."""
    return botocore_model.api_enum("codebuild", shape)


# ---------------------------------------------------------------- API calls


@CodeBuildErrorHandler.common_error_handler("get CodeBuild project")
@_RETRY
def get_project(client, name):
    """The project (BatchGetProjects' shape) or None."""
    projects = client.batch_get_projects(names=[name]).get("projects") or []
    return next((p for p in projects if p.get("name") == name), None)


BATCH_GET_LIMIT = 100  # names per BatchGetProjects call


@CodeBuildErrorHandler.common_error_handler("list CodeBuild projects")
@_RETRY
def list_project_names(client):
    """The names of every project of the account and region (ListProjects, every page)."""
    return client.get_paginator("list_projects").paginate().build_full_result().get("projects") or []


@CodeBuildErrorHandler.common_error_handler("get CodeBuild projects")
@_RETRY
def _batch_get_projects(client, names):
    return client.batch_get_projects(names=names).get("projects") or []


def get_projects(client, names):
    """{name: project (BatchGetProjects' shape)} of the projects ``names`` that exist: one BatchGetProjects per 100
    names, none for no name."""
    names = list(names)
    found = {}
    for start in range(0, len(names), BATCH_GET_LIMIT):
        wanted = set(names[start : start + BATCH_GET_LIMIT])
        found.update(
            (p["name"], p)
            for p in _batch_get_projects(client, names[start : start + BATCH_GET_LIMIT])
            if p.get("name") in wanted
        )
    return found


@CodeBuildErrorHandler.common_error_handler("create CodeBuild project")
@_WRITE_RETRY
def create_project(client, params):
    return client.create_project(**params)["project"]


@CodeBuildErrorHandler.common_error_handler("update CodeBuild project")
@_WRITE_RETRY
def update_project(client, params):
    return client.update_project(**params)["project"]


@CodeBuildErrorHandler.deletion_error_handler("delete CodeBuild project")
@_RETRY
def delete_project(client, name):
    client.delete_project(name=name)
    return True


class RoleLookupDenied(Exception):
    """iam:GetRole was denied: the role cannot be checked."""


def get_role(client, name):
    """The IAM role ``name`` (GetRole's Role, trust policy decoded) or None; :class:`RoleLookupDenied` if denied."""
    try:
        return _get_role(client, name)
    except AnsibleCodeBuildError as e:
        code = ""
        if e.exception is not None and hasattr(e.exception, "response"):
            code = e.exception.response.get("Error", {}).get("Code", "")
        if code in ("AccessDenied", "AccessDeniedException"):
            raise RoleLookupDenied(str(e)) from e
        raise


@CodeBuildErrorHandler.list_error_handler("get IAM role", None)
@_RETRY
def _get_role(client, name):
    return client.get_role(RoleName=name)["Role"]


def trusts_codebuild(document):
    """True when the trust policy lets codebuild.amazonaws.com assume the role (conditions are not evaluated)."""
    if isinstance(document, str):
        import json
        from urllib.parse import unquote

        try:
            document = json.loads(document)
        except ValueError:
            document = json.loads(unquote(document))
    statements = (document or {}).get("Statement") or []
    for statement in statements if isinstance(statements, list) else [statements]:
        actions = statement.get("Action") or []
        actions = [actions] if isinstance(actions, str) else actions
        principal = statement.get("Principal") or {}
        services = principal.get("Service", []) if isinstance(principal, dict) else []
        services = [services] if isinstance(services, str) else services
        if (
            statement.get("Effect") == "Allow"
            and any(action in ("sts:AssumeRole", "sts:*", "*") for action in actions)
            and any(service.startswith("codebuild.amazonaws.com") for service in services)
        ):
            return True
    return False


# ---------------------------------------------------------------- buildspecs


def buildspec_is_inline(buildspec):
    """An inline buildspec is YAML text (several lines, or one starting like YAML); anything else is a path in the
    source or an S3 ARN."""
    text = buildspec.strip()
    return "\n" in text or text.startswith(("version:", "{", "---"))


def buildspec_problem(field, buildspec, source_type):
    """Why ``buildspec`` cannot be used, or None."""
    if buildspec is None or buildspec == "":
        if source_type == "NO_SOURCE":
            return (
                f"{field} is not set but source.type is NO_SOURCE: a project without source needs an inline buildspec "
                "(the YAML text, for example from lookup('file', 'buildspec.yml'))."
            )
        return None
    if buildspec_is_inline(buildspec):
        import yaml

        try:
            document = yaml.safe_load(buildspec)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            return f"{field} is not valid YAML{where}: {getattr(e, 'problem', None) or e}. Fix the inline buildspec."
        if not isinstance(document, dict) or "version" not in document:
            return (
                f"{field} is inline YAML without a top-level 'version' (0.2): CodeBuild rejects such a buildspec. "
                "Start it with 'version: 0.2'."
            )
        if str(document["version"]) not in ("0.1", "0.2"):
            return f"{field} has version {document['version']}: CodeBuild knows buildspec versions 0.1 and 0.2."
        return None
    if buildspec.startswith("arn:"):
        if not is_arn(buildspec, "s3", resource_id=".+", regional=False, in_account=False):
            return f"{field} '{buildspec}' is not an S3 object ARN (arn:aws:s3:::BUCKET/KEY)."
        return None
    if source_type == "NO_SOURCE":
        return (
            f"{field} '{buildspec}' is a path but source.type is NO_SOURCE, so there is no source to find it in: give "
            "the buildspec inline (its YAML text)."
        )
    parts = buildspec.replace("\\", "/").split("/")
    if buildspec.startswith(("/", "~", "\\")) or re.match(r"^[A-Za-z]:", buildspec) or ".." in parts:
        return (
            f"{field} '{buildspec}': buildspec path outside the repo. A buildspec path is relative to the root of the "
            "source (for example buildspecs/plan.yml), without a leading '/' or '..' segments; or give the YAML "
            "text inline."
        )
    return None


# ---------------------------------------------------------------- validation


def _enum_problem(field, value, shape):
    allowed = api_enum(shape)
    if value not in allowed:
        return f"{field} '{value}' is not valid: use one of {', '.join(allowed)}."
    return None


def _range_problem(field, value, low, high, default):
    if value is not None and not low <= value <= high:
        return f"{field} {value} is out of range: CodeBuild allows {low} to {high} minutes (default {default})."
    return None


def kms_region(key):
    return arn_parts(key)["region"] if is_kms_key_arn(key) or is_kms_alias_arn(key) else None


def validate_source(source):
    errors = []
    kind = source["type"]
    problem = _enum_problem("source.type", kind, "SourceType")
    if problem:
        return [problem]
    location = source.get("location")
    if kind in NO_LOCATION_SOURCES and location:
        errors.append(
            f"source.location is set but source.type is {kind}, which has no location "
            + ("(CodePipeline hands the source to the build): remove it." if kind == "CODEPIPELINE" else ": remove it.")
        )
    if kind not in NO_LOCATION_SOURCES and not location:
        errors.append(
            f"source.location is required for source.type {kind}: give the repository URL"
            + (" (or BUCKET/KEY of the zip file)." if kind == "S3" else ".")
        )
    problem = buildspec_problem("source.buildspec", source.get("buildspec"), kind)
    if problem:
        errors.append(problem)
    depth = source.get("git_clone_depth")
    if depth is not None:
        if kind not in GIT_SOURCES:
            errors.append(
                f"source.git_clone_depth is set but source.type {kind} is not a git repository: remove it "
                f"(it applies to {', '.join(GIT_SOURCES)})."
            )
        elif depth < 0:
            errors.append(
                f"source.git_clone_depth {depth} is negative: use 0 for a full clone or a depth of 1 or more."
            )
    if source.get("report_build_status") and kind not in REPORTING_SOURCES:
        errors.append(
            f"source.report_build_status is true but source.type {kind} cannot report build status: it applies to "
            f"{', '.join(REPORTING_SOURCES)}. Remove it."
        )
    return errors


def validate_artifacts(artifacts):
    kind = artifacts["type"]
    problem = _enum_problem("artifacts.type", kind, "ArtifactsType")
    if problem:
        return [problem]
    errors = []
    if kind == "S3":
        location = artifacts.get("location")
        if not location:
            errors.append("artifacts.location is required for artifacts.type S3: give the name of the bucket.")
        elif not S3_BUCKET.match(location):
            errors.append(
                f"artifacts.location '{location}' is not a bucket name: give the bucket's name only (no s3:// or "
                "ARN); put a prefix in artifacts.path."
            )
    else:
        extra = [key for key in ("location", "name", "path", "namespace_type", "packaging") if artifacts.get(key)]
        if extra:
            errors.append(
                f"artifacts.{', artifacts.'.join(extra)} set but artifacts.type is {kind}: only S3 artifacts have "
                "them. Remove them."
            )
    if kind == "NO_ARTIFACTS" and artifacts.get("encryption_disabled"):
        errors.append("artifacts.encryption_disabled is true but artifacts.type is NO_ARTIFACTS: remove it.")
    return errors


def validate_environment(environment):
    errors = []
    kind = environment.get("type") or "LINUX_CONTAINER"
    compute = environment["compute_type"]
    problem = _enum_problem("environment.type", kind, "EnvironmentType")
    if problem:
        errors.append(problem)
    elif kind in FLEET_ENVIRONMENTS:
        errors.append(
            f"environment.type {kind} runs on a reserved-capacity fleet, which this module does not manage: use "
            "LINUX_CONTAINER, ARM_CONTAINER, WINDOWS_SERVER_2022_CONTAINER or a Lambda container type."
        )
    problem = _enum_problem("environment.compute_type", compute, "ComputeType")
    if problem:
        errors.append(f"invalid compute type: {problem}")
    elif compute in FLEET_COMPUTE:
        errors.append(
            f"environment.compute_type {compute} needs a compute configuration or a fleet, which this module does not "
            "manage: use a BUILD_GENERAL1_* or BUILD_LAMBDA_* compute type."
        )
    elif not problem and (compute.startswith("BUILD_LAMBDA_") != (kind in LAMBDA_ENVIRONMENTS)):
        errors.append(
            f"environment.compute_type {compute} does not fit environment.type {kind}: BUILD_LAMBDA_* compute types "
            "go with LINUX_LAMBDA_CONTAINER or ARM_LAMBDA_CONTAINER, and those with BUILD_LAMBDA_* only."
        )
    if environment.get("privileged_mode") and kind in LAMBDA_ENVIRONMENTS:
        errors.append(
            "environment.privileged_mode is true but Lambda compute cannot run Docker: use a container environment "
            "type (LINUX_CONTAINER) to build images."
        )
    if not (environment.get("image") or "").strip():
        errors.append("environment.image is empty: give the build image, e.g. aws/codebuild/standard:7.0.")
    pull = environment.get("image_pull_credentials_type")
    if pull is not None:
        problem = _enum_problem("environment.image_pull_credentials_type", pull, "ImagePullCredentialsType")
        if problem:
            errors.append(problem)
    names = {}
    for index, variable in enumerate(environment.get("environment_variables") or []):
        field = f"environment.environment_variables[{index}]"
        name = variable.get("name") or ""
        if not ENV_VAR_NAME.match(name):
            errors.append(
                f"{field}.name '{name}' is not a valid variable name: use letters, digits and '_', not starting "
                "with a digit."
            )
        elif name.upper().startswith("CODEBUILD_"):
            errors.append(f"{field}.name '{name}' starts with CODEBUILD_, which CodeBuild reserves: rename it.")
        if name in names:
            errors.append(f"{field}.name '{name}' is also environment.environment_variables[{names[name]}].name.")
        names.setdefault(name, index)
        kind_of_value = variable.get("type") or "PLAINTEXT"
        if kind_of_value not in api_enum("EnvironmentVariableType"):
            errors.append(
                f"{field}.type '{kind_of_value}' is not a known environment variable type: use one of "
                f"{', '.join(api_enum('EnvironmentVariableType'))}."
            )
        if variable.get("value") is None:
            errors.append(f"{field}.value is not set: give the value (or the parameter/secret name).")
        elif kind_of_value != "PLAINTEXT" and not variable["value"].strip():
            errors.append(f"{field}.value is empty: a {kind_of_value} variable names the parameter or secret to read.")
    return errors


def validate_service_role(role):
    if role_name(role) or ROLE_NAME.match(role):
        return []
    return [
        f"service_role '{role}' is neither an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME) nor a role name "
        "(letters, digits and +=,.@_-, up to 64 characters)."
    ]


def validate_vpc_config(vpc):
    if not vpc:
        return []
    given = dict((key, vpc.get(key)) for key in ("vpc_id", "subnets", "security_group_ids"))
    missing = [key for key, value in given.items() if not value]
    if missing:
        return [
            f"vpc_config is partial: vpc_config.{', vpc_config.'.join(missing)} not set. A build runs in a VPC only "
            "with all three of vpc_id, subnets and security_group_ids: set them all, or remove vpc_config."
        ]
    errors = []
    if not VPC_ID.match(given["vpc_id"]):
        errors.append(f"vpc_config.vpc_id '{given['vpc_id']}' is not a VPC ID (vpc-...).")
    bad = [s for s in given["subnets"] if not SUBNET_ID.match(s)]
    if bad:
        errors.append(f"vpc_config.subnets has values that are not subnet IDs (subnet-...): {', '.join(bad)}.")
    if len(given["subnets"]) > 16:
        errors.append(f"vpc_config.subnets has {len(given['subnets'])} subnets: CodeBuild takes at most 16.")
    bad = [s for s in given["security_group_ids"] if not SECURITY_GROUP_ID.match(s)]
    if bad:
        errors.append(
            f"vpc_config.security_group_ids has values that are not security group IDs (sg-...): {', '.join(bad)}."
        )
    if len(given["security_group_ids"]) > 5:
        errors.append(
            f"vpc_config.security_group_ids has {len(given['security_group_ids'])} groups: CodeBuild takes at most 5."
        )
    return errors


def validate_logs_config(logs):
    if not logs:
        return []
    errors = []
    s3 = logs.get("s3_logs") or {}
    if s3.get("status") == "ENABLED" and not s3.get("location"):
        errors.append(
            "logs_config.s3_logs.status is ENABLED but logs_config.s3_logs.location is not set: give BUCKET/PREFIX."
        )
    location = s3.get("location")
    if location and location.startswith("s3://"):
        errors.append(
            f"logs_config.s3_logs.location '{location}' starts with s3://: give BUCKET/PREFIX or "
            "arn:aws:s3:::BUCKET/PREFIX."
        )
    return errors


def validate_encryption_key(key, region):
    if not key:
        return []
    if not (is_kms_key_arn(key) or is_kms_alias_arn(key) or KMS_ALIAS_NAME.match(key)):
        return [
            f"encryption_key '{key}' is not a KMS key ARN or alias: CodeBuild takes a key ARN "
            "(arn:aws:kms:REGION:ACCOUNT:key/ID), an alias ARN or alias/NAME (a bare key ID is not accepted)."
        ]
    key_region = kms_region(key)
    if key_region and region and key_region != region:
        return [
            f"encryption_key '{key}' is in {key_region} but the project is in {region}: CodeBuild encrypts with a key "
            f"of its own region. Give a key of {region}."
        ]
    return []


def validate_tags(tags):
    errors = []
    for key, value in (tags or {}).items():
        if not 1 <= len(key) <= 127:
            errors.append(f"tags key '{key}' must have 1 to 127 characters.")
        elif key.startswith("aws:"):
            errors.append(f"tags key '{key}' starts with 'aws:', which is reserved to AWS: rename the tag.")
        if value is None or len(str(value)) > 255:
            errors.append(f"tags.{key} must be a string of at most 255 characters.")
    if len(tags or {}) > 50:
        errors.append(f"tags has {len(tags)} tags: CodeBuild allows at most 50 per project.")
    return errors


def validate(params, region=None):
    """Every problem with the module's input, as messages naming the field and the fix (no AWS call)."""
    errors = []
    name = params["name"]
    if not PROJECT_NAME.match(name or ""):
        errors.append(
            f"name '{name}' is not a valid CodeBuild project name: 2 to 150 letters, digits, '-' or '_', starting "
            "with a letter or a digit."
        )
    if params.get("state", "present") != "present":
        return errors
    if len(params.get("description") or "") > 255:
        errors.append(f"description has {len(params['description'])} characters: CodeBuild allows 255.")
    errors.extend(validate_source(params["source"]))
    errors.extend(validate_artifacts(params["artifacts"]))
    errors.extend(validate_environment(params["environment"]))
    errors.extend(validate_service_role(params["service_role"]))
    errors.extend(
        problem
        for problem in (
            _range_problem("timeout_in_minutes", params.get("timeout_in_minutes"), *TIMEOUT_RANGE, DEFAULT_TIMEOUT),
            _range_problem(
                "queued_timeout_in_minutes",
                params.get("queued_timeout_in_minutes"),
                *QUEUED_TIMEOUT_RANGE,
                DEFAULT_QUEUED_TIMEOUT,
            ),
        )
        if problem
    )
    errors.extend(validate_encryption_key(params.get("encryption_key"), region))
    errors.extend(validate_vpc_config(params.get("vpc_config")))
    errors.extend(validate_logs_config(params.get("logs_config")))
    limit = params.get("concurrent_build_limit")
    if limit is not None and limit < 1:
        errors.append(
            f"concurrent_build_limit {limit} must be 1 or more: leave it unset for no limit of the project's own."
        )
    if params.get("badge_enabled") and params["source"]["type"] not in BADGE_SOURCES:
        errors.append(
            f"badge_enabled is true but source.type is {params['source']['type']}: build badges are available for "
            f"{', '.join(BADGE_SOURCES)} sources only. Set badge_enabled to false."
        )
    errors.extend(validate_tags(params.get("tags")))
    return errors


def secret_looking_variables(environment):
    """Names of PLAINTEXT variables whose names look like they hold a secret."""
    return [
        v["name"]
        for v in (environment or {}).get("environment_variables") or []
        if (v.get("type") or "PLAINTEXT") == "PLAINTEXT" and SECRET_LOOKING.search(v.get("name") or "")
    ]


# ---------------------------------------------------------------- the option shape


def _normalize_source(source):
    kind = source.get("type")
    return {
        "type": kind,
        "location": (source.get("location") or None) if kind not in NO_LOCATION_SOURCES else None,
        "buildspec": source.get("buildspec") or None,
        "git_clone_depth": int(source.get("git_clone_depth") or 0) if kind in GIT_SOURCES else None,
        "report_build_status": bool(source.get("report_build_status")) if kind in REPORTING_SOURCES else None,
        "insecure_ssl": bool(source.get("insecure_ssl")),
    }


def _normalize_artifacts(artifacts, project_name):
    kind = artifacts.get("type")
    if kind == "S3":
        return {
            "type": kind,
            "location": artifacts.get("location") or None,
            "name": artifacts.get("name") or project_name,
            "path": artifacts.get("path") or None,
            "namespace_type": artifacts.get("namespace_type") or "NONE",
            "packaging": artifacts.get("packaging") or "NONE",
            "encryption_disabled": bool(artifacts.get("encryption_disabled")),
        }
    if kind == "CODEPIPELINE":
        return {"type": kind, "encryption_disabled": bool(artifacts.get("encryption_disabled"))}
    return {"type": kind}


def _normalize_environment(environment):
    variables = [
        {"name": v.get("name"), "value": v.get("value") or "", "type": v.get("type") or "PLAINTEXT"}
        for v in environment.get("environment_variables") or []
    ]
    return {
        "type": environment.get("type") or "LINUX_CONTAINER",
        "image": environment.get("image"),
        "compute_type": environment.get("compute_type"),
        "privileged_mode": bool(environment.get("privileged_mode")),
        "image_pull_credentials_type": environment.get("image_pull_credentials_type") or "CODEBUILD",
        "environment_variables": sorted(variables, key=lambda v: v["name"] or ""),
    }


def _normalize_logs(logs):
    logs = logs or {}
    cloud_watch = logs.get("cloud_watch_logs") or {}
    s3 = logs.get("s3_logs") or {}
    return {
        "cloud_watch_logs": {
            "status": cloud_watch.get("status") or "ENABLED",
            "group_name": cloud_watch.get("group_name") or None,
            "stream_name": cloud_watch.get("stream_name") or None,
        },
        "s3_logs": {
            "status": s3.get("status") or "DISABLED",
            "location": s3.get("location") or None,
            "encryption_disabled": bool(s3.get("encryption_disabled")),
        },
    }


def _normalize_vpc(vpc):
    if not vpc or not vpc.get("vpc_id"):
        return None
    return {
        "vpc_id": vpc["vpc_id"],
        "subnets": sorted(vpc.get("subnets") or []),
        "security_group_ids": sorted(vpc.get("security_group_ids") or []),
    }


def is_default_kms_key(key):
    return not key or key == DEFAULT_KMS_KEY or key.endswith(f":{DEFAULT_KMS_KEY}")


def kms_key_matches(current, declared):
    """True when the key CodeBuild reports (``current``) is the one declared (same string, or ARN of that alias/key)."""
    if is_default_kms_key(current) and is_default_kms_key(declared):
        return True
    if not current or not declared:
        return False
    return current == declared or current.endswith(f":{declared}") or declared.endswith(f":{current}")


def project_from_api(project):
    """A BatchGetProjects/CreateProject project in the option shape, with AWS's defaults applied, plus ``arn``."""
    source = project.get("source") or {}
    artifacts = project.get("artifacts") or {}
    environment = project.get("environment") or {}
    logs = project.get("logsConfig") or {}
    vpc = project.get("vpcConfig") or {}
    name = project.get("name")
    limit = project.get("concurrentBuildLimit")
    return {
        "name": name,
        "arn": project.get("arn"),
        "description": project.get("description") or None,
        "source": _normalize_source(
            {
                "type": source.get("type"),
                "location": source.get("location"),
                "buildspec": source.get("buildspec"),
                "git_clone_depth": source.get("gitCloneDepth"),
                "report_build_status": source.get("reportBuildStatus"),
                "insecure_ssl": source.get("insecureSsl"),
            }
        ),
        "artifacts": _normalize_artifacts(
            {
                "type": artifacts.get("type"),
                "location": artifacts.get("location"),
                "name": artifacts.get("name"),
                "path": artifacts.get("path"),
                "namespace_type": artifacts.get("namespaceType"),
                "packaging": artifacts.get("packaging"),
                "encryption_disabled": artifacts.get("encryptionDisabled"),
            },
            name,
        ),
        "environment": _normalize_environment(
            {
                "type": environment.get("type"),
                "image": environment.get("image"),
                "compute_type": environment.get("computeType"),
                "privileged_mode": environment.get("privilegedMode"),
                "image_pull_credentials_type": environment.get("imagePullCredentialsType"),
                "environment_variables": environment.get("environmentVariables"),
            }
        ),
        "service_role": project.get("serviceRole"),
        "timeout_in_minutes": project.get("timeoutInMinutes") or DEFAULT_TIMEOUT,
        "queued_timeout_in_minutes": project.get("queuedTimeoutInMinutes") or DEFAULT_QUEUED_TIMEOUT,
        "encryption_key": None if is_default_kms_key(project.get("encryptionKey")) else project.get("encryptionKey"),
        "vpc_config": _normalize_vpc(
            {
                "vpc_id": vpc.get("vpcId"),
                "subnets": vpc.get("subnets"),
                "security_group_ids": vpc.get("securityGroupIds"),
            }
        ),
        "logs_config": _normalize_logs(
            {
                "cloud_watch_logs": {
                    "status": (logs.get("cloudWatchLogs") or {}).get("status"),
                    "group_name": (logs.get("cloudWatchLogs") or {}).get("groupName"),
                    "stream_name": (logs.get("cloudWatchLogs") or {}).get("streamName"),
                },
                "s3_logs": {
                    "status": (logs.get("s3Logs") or {}).get("status"),
                    "location": (logs.get("s3Logs") or {}).get("location"),
                    "encryption_disabled": (logs.get("s3Logs") or {}).get("encryptionDisabled"),
                },
            }
        ),
        "concurrent_build_limit": limit if limit not in (None, -1, 0) else None,
        "badge_enabled": bool((project.get("badge") or {}).get("badgeEnabled")),
        "tags": dict((t.get("key"), t.get("value") or "") for t in project.get("tags") or []),
    }


def project_from_options(params, service_role, tags, arn=None):
    """The declared project in the option shape (AWS's defaults for what is not set), plus ``arn``."""
    name = params["name"]
    return {
        "name": name,
        "arn": arn,
        "description": params.get("description") or None,
        "source": _normalize_source(params["source"]),
        "artifacts": _normalize_artifacts(params["artifacts"], name),
        "environment": _normalize_environment(params["environment"]),
        "service_role": service_role,
        "timeout_in_minutes": params.get("timeout_in_minutes") or DEFAULT_TIMEOUT,
        "queued_timeout_in_minutes": params.get("queued_timeout_in_minutes") or DEFAULT_QUEUED_TIMEOUT,
        "encryption_key": None if is_default_kms_key(params.get("encryption_key")) else params["encryption_key"],
        "vpc_config": _normalize_vpc(params.get("vpc_config")),
        "logs_config": _normalize_logs(params.get("logs_config")),
        "concurrent_build_limit": params.get("concurrent_build_limit"),
        "badge_enabled": bool(params.get("badge_enabled")),
        "tags": dict(tags),
    }


def settings(shape):
    """What is compared to decide on UpdateProject: the shape without its ARN and tags."""
    return dict((key, value) for key, value in shape.items() if key not in ("arn", "tags"))


def redact_secrets(shape):
    """A copy of ``shape`` with the values of secret-looking PLAINTEXT variables replaced."""
    if not shape:
        return shape
    shape = copy.deepcopy(shape)
    secret = set(secret_looking_variables(shape.get("environment")))
    for variable in (shape.get("environment") or {}).get("environment_variables") or []:
        if variable["name"] in secret:
            variable["value"] = REDACTED
    return shape


# ---------------------------------------------------------------- the API request


def _keep(current, keys):
    return dict((key, current[key]) for key in keys if current.get(key) is not None)


def project_to_api(shape, current=None):
    """CreateProject (``current`` None) or UpdateProject arguments for a project in the option shape.

    An update sends every managed setting, so that the result is exact: a setting removed from the task goes back to
    AWS's default (``description`` "", ``vpcConfig`` {}, ``concurrentBuildLimit`` -1, ``encryptionKey``
    alias/aws/s3, sent only when the project has such a setting). Sub-settings the module does not manage (source
    auth and submodules, registry credentials, artifact identifiers, S3 log bucket owner access) are copied from
    ``current`` so that they stay as they are.
    """
    current = current or {}
    updating = bool(current)
    src = shape["source"]
    source = {"type": src["type"], "insecureSsl": src["insecure_ssl"]}
    if src["location"]:
        source["location"] = src["location"]
    if src["buildspec"] or updating:
        source["buildspec"] = src["buildspec"] or ""
    if src["git_clone_depth"] is not None:
        source["gitCloneDepth"] = src["git_clone_depth"]
    if src["report_build_status"] is not None:
        source["reportBuildStatus"] = src["report_build_status"]
    if (current.get("source") or {}).get("type") == src["type"]:
        source.update(
            _keep(current["source"], ("auth", "gitSubmodulesConfig", "buildStatusConfig", "sourceIdentifier"))
        )

    art = shape["artifacts"]
    artifacts = {"type": art["type"]}
    if art["type"] == "S3":
        artifacts.update(
            location=art["location"],
            name=art["name"],
            namespaceType=art["namespace_type"],
            packaging=art["packaging"],
            encryptionDisabled=art["encryption_disabled"],
        )
        if art["path"]:
            artifacts["path"] = art["path"]
    elif art["type"] == "CODEPIPELINE":
        artifacts["encryptionDisabled"] = art["encryption_disabled"]
    if (current.get("artifacts") or {}).get("type") == art["type"]:
        artifacts.update(
            _keep(current["artifacts"], ("overrideArtifactName", "artifactIdentifier", "bucketOwnerAccess"))
        )

    env = shape["environment"]
    environment = {
        "type": env["type"],
        "image": env["image"],
        "computeType": env["compute_type"],
        "privilegedMode": env["privileged_mode"],
        "imagePullCredentialsType": env["image_pull_credentials_type"],
        "environmentVariables": [
            {"name": v["name"], "value": v["value"], "type": v["type"]} for v in env["environment_variables"]
        ],
    }
    environment.update(_keep(current.get("environment") or {}, ("certificate", "registryCredential")))

    logs = shape["logs_config"]
    cloud_watch = {"status": logs["cloud_watch_logs"]["status"]}
    for option, api in (("group_name", "groupName"), ("stream_name", "streamName")):
        if logs["cloud_watch_logs"][option]:
            cloud_watch[api] = logs["cloud_watch_logs"][option]
    s3_logs = {"status": logs["s3_logs"]["status"], "encryptionDisabled": logs["s3_logs"]["encryption_disabled"]}
    if logs["s3_logs"]["location"]:
        s3_logs["location"] = logs["s3_logs"]["location"]
    s3_logs.update(_keep((current.get("logsConfig") or {}).get("s3Logs") or {}, ("bucketOwnerAccess",)))

    api = {
        "name": shape["name"],
        "source": source,
        "artifacts": artifacts,
        "environment": environment,
        "serviceRole": shape["service_role"],
        "timeoutInMinutes": shape["timeout_in_minutes"],
        "queuedTimeoutInMinutes": shape["queued_timeout_in_minutes"],
        "logsConfig": {"cloudWatchLogs": cloud_watch, "s3Logs": s3_logs},
        "badgeEnabled": shape["badge_enabled"],
        # UpdateProject's tags replace the project's tags: always the whole list.
        "tags": tag_list(shape["tags"], "key", "value"),
    }
    # Settings removed from the task are reset only when the project has them (the API's ways to unset them).
    if shape["description"] or current.get("description"):
        api["description"] = shape["description"] or ""
    if shape["encryption_key"] or not is_default_kms_key(current.get("encryptionKey")):
        api["encryptionKey"] = shape["encryption_key"] or DEFAULT_KMS_KEY
    vpc = shape["vpc_config"]
    if vpc:
        api["vpcConfig"] = {
            "vpcId": vpc["vpc_id"],
            "subnets": vpc["subnets"],
            "securityGroupIds": vpc["security_group_ids"],
        }
    elif (current.get("vpcConfig") or {}).get("vpcId"):
        api["vpcConfig"] = {}
    if shape["concurrent_build_limit"]:
        api["concurrentBuildLimit"] = shape["concurrent_build_limit"]
    elif current.get("concurrentBuildLimit") not in (None, -1, 0):
        api["concurrentBuildLimit"] = -1
    return api


# ---------------------------------------------------------------- shared by codebuild_project and its set module


def project_options():
    """The ``argument_spec`` of one project (everything but ``state``, ``tags`` and ``purge_tags``): the options of
    codebuild_project and the suboptions of each of codebuild_project_set's ``projects``."""
    source = dict(
        type=dict(type="str", required=True),
        location=dict(type="str"),
        buildspec=dict(type="str"),
        git_clone_depth=dict(type="int"),
        report_build_status=dict(type="bool", default=False),
        insecure_ssl=dict(type="bool", default=False),
    )
    artifacts = dict(
        type=dict(type="str", required=True),
        location=dict(type="str"),
        name=dict(type="str"),
        path=dict(type="str"),
        namespace_type=dict(type="str", choices=["NONE", "BUILD_ID"]),
        packaging=dict(type="str", choices=["NONE", "ZIP"]),
        encryption_disabled=dict(type="bool", default=False),
    )
    variable = dict(
        name=dict(type="str", required=True),
        value=dict(type="str", required=True, no_log=False),
        type=dict(type="str", default="PLAINTEXT"),
    )
    environment = dict(
        type=dict(type="str", default="LINUX_CONTAINER"),
        image=dict(type="str", required=True),
        compute_type=dict(type="str", required=True),
        privileged_mode=dict(type="bool", default=False),
        image_pull_credentials_type=dict(type="str", default="CODEBUILD"),
        environment_variables=dict(type="list", elements="dict", options=variable, default=[], no_log=False),
    )
    vpc = dict(
        vpc_id=dict(type="str"),
        subnets=dict(type="list", elements="str"),
        security_group_ids=dict(type="list", elements="str"),
    )
    logs = dict(
        cloud_watch_logs=dict(
            type="dict",
            options=dict(
                status=dict(type="str", choices=["ENABLED", "DISABLED"], default="ENABLED"),
                group_name=dict(type="str"),
                stream_name=dict(type="str"),
            ),
        ),
        s3_logs=dict(
            type="dict",
            options=dict(
                status=dict(type="str", choices=["ENABLED", "DISABLED"], default="DISABLED"),
                location=dict(type="str"),
                encryption_disabled=dict(type="bool", default=False),
            ),
        ),
    )
    return dict(
        name=dict(type="str", required=True),
        description=dict(type="str"),
        source=dict(type="dict", options=source),
        artifacts=dict(type="dict", options=artifacts),
        environment=dict(type="dict", options=environment),
        service_role=dict(type="str"),
        timeout_in_minutes=dict(type="int", default=60),
        queued_timeout_in_minutes=dict(type="int", default=480),
        encryption_key=dict(type="str", no_log=False),
        vpc_config=dict(type="dict", options=vpc),
        logs_config=dict(type="dict", options=logs),
        concurrent_build_limit=dict(type="int"),
        badge_enabled=dict(type="bool", default=False),
    )


# Options named at the start of a message of validate(), or before a '.'/'[' anywhere in it.
_OPTION_AT_START = re.compile(
    r"^(?=(?:name|description|source|artifacts|environment|service_role|timeout_in_minutes|queued_timeout_in_minutes"
    r"|encryption_key|vpc_config|logs_config|concurrent_build_limit|badge_enabled|tags)\b)"
)
_OPTION_PATH = re.compile(r"(?<![\w./-])(?=(?:source|artifacts|environment|vpc_config|logs_config|tags)[.\[]\w)")


def at_item(at, messages):
    """``messages`` of :func:`validate` for one item of a list option, each option path made whole with ``at``
    (``projects[2].``): ``environment.image is empty`` becomes ``projects[2].environment.image is empty``."""
    return [_OPTION_PATH.sub(at, _OPTION_AT_START.sub(at, message)) for message in messages]


def create_request_errors(service_model, params, at=""):
    """CreateProject of the declared project checked against the CodeBuild model (name pattern, ranges of the
    timeouts, lengths, enums, tags); [] when AWS would take it. Run once validate passes. UpdateProject sends the same
    members. The API's member names, snake_cased, are the options' own (``environment.compute_type``), so no renames;
    environment variable values are not quoted."""
    request = project_to_api(project_from_options(params, params["service_role"], params.get("tags") or {}))
    return request_errors(
        service_model, "CreateProject", request, secret_paths=("environment.environmentVariables",), at=at
    )


def secrets_warning(names, at=""):
    return (
        f"{at}environment.environment_variables {', '.join(names)} look like secrets but are PLAINTEXT: "
        "anyone who can read the project sees them. Store them in Parameter Store or Secrets Manager and use "
        "type PARAMETER_STORE or SECRETS_MANAGER. Their values are left out of the diff and the result."
    )


def desired_project(params, role_arn, current, purge_tags):
    """The declared project in the option shape, its tags merged with ``current``'s as ``purge_tags`` says and its KMS
    key written as CodeBuild reports it when it is the same key."""
    tags, _to_set, _to_unset = tag_changes(current["tags"] if current else {}, params.get("tags"), purge_tags)
    desired = project_from_options(params, role_arn, tags, arn=current["arn"] if current else None)
    if current and kms_key_matches(current["encryption_key"], desired["encryption_key"]):
        desired["encryption_key"] = current["encryption_key"]  # the same key, as CodeBuild reports it
    return desired


MAX_TAGS = 50  # tags per project (CodeBuild API reference, CreateProject)


def tag_count_error(desired, at=""):
    """The tags kept with purge_tags=false plus the declared ones may be more than CodeBuild takes: the message that
    fails the task before its first write, or None."""
    count = len(desired["tags"])
    if count <= MAX_TAGS:
        return None
    return (
        f"{at}tags: the project would have {count} tags, the declared ones and those it has that purge_tags=false "
        f"keeps; CodeBuild allows {MAX_TAGS}. Set purge_tags to true, or declare fewer tags."
    )


def project_differs(current, desired):
    """Whether UpdateProject is needed: a managed setting or the tags differ."""
    return differs(settings(current), settings(desired)) or current["tags"] != desired["tags"]


def for_diff(shape):
    """A project in the option shape as the diff shows it: without its ARN, secrets redacted; {} for none."""
    if not shape:
        return {}
    return redact_secrets(dict((key, value) for key, value in shape.items() if key != "arn"))


class ServiceRoles:
    """The ARNs of declared service roles, checked in IAM (exists, the ARN given, trusts codebuild.amazonaws.com)
    unless the project already has the role; each role is looked up once per task. ``iam`` makes the IAM client
    (called on the first lookup only). ``at`` names the item (``projects[2].``) in the messages."""

    def __init__(self, module, iam):
        self.module = module
        self._iam = iam
        self._client = None
        self._looked_up = {}

    def _problem(self, message):
        """A role problem fails a real run; in check mode an earlier task may still fix it, so it only warns."""
        if self.module.check_mode:
            self.module.warn(f"{message} (check mode: a real run fails unless an earlier task fixes this)")
        else:
            self.module.fail_json(msg=message)

    def _role(self, name):
        if name not in self._looked_up:
            if self._client is None:
                self._client = self._iam()
            try:
                self._looked_up[name] = get_role(self._client, name)
            except RoleLookupDenied as denied:
                self._looked_up[name] = denied
        found = self._looked_up[name]
        if isinstance(found, RoleLookupDenied):
            raise found
        return found

    def arn(self, declared, current_role, at=""):
        """The ARN of the ``declared`` role; ``current_role`` is the project's role now (None for a new project)."""
        arn_name = role_name(declared)
        if current_role and (current_role == declared or (not arn_name and current_role.endswith(f"/{declared}"))):
            return current_role  # CodeBuild accepted this role already: no IAM call on a no-op run
        name = arn_name or declared
        try:
            role = self._role(name)
        except RoleLookupDenied:
            if arn_name:
                self.module.warn(
                    f"{at}service_role {declared} could not be checked (iam:GetRole was denied): it is used as given."
                )
                return declared
            self.module.fail_json(
                msg=f"{at}service_role '{declared}' is a role name, and iam:GetRole was denied so it cannot be turned "
                "into an ARN: give the role's ARN (arn:aws:iam::ACCOUNT:role/NAME), or allow iam:GetRole on it."
            )
        if role is None:
            self._problem(
                f"{at}service_role: the IAM role '{name}' does not exist in this account. Create it first (trusting "
                "codebuild.amazonaws.com), or fix service_role."
            )
            return declared
        if arn_name and role["Arn"] != declared:
            self.module.fail_json(
                msg=f"{at}service_role '{declared}' is not the ARN of the role '{name}', which is {role['Arn']} (a "
                f"role in another account, or with a path, cannot be named so): use {role['Arn']}."
            )
        if not trusts_codebuild(role.get("AssumeRolePolicyDocument")):
            self._problem(
                f"{at}service_role: the role {role['Arn']} does not trust codebuild.amazonaws.com, so CodeBuild cannot "
                "assume it: add a statement allowing sts:AssumeRole to the service principal codebuild.amazonaws.com "
                "to its trust policy."
            )
        return role["Arn"]
