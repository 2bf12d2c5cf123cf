# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon ECR repositories: API wrappers (retries, error handling; the amazon.aws ``module_utils/ec2.py`` pattern),
the option-shaped view of a repository, and what ecr_repository and ecr_repository_set share to compare a declared
repository with it and to plan the calls that converge it (input checks, declared view, requests)."""

import functools
import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import KMS_KEY_FORMS, is_kms_key_reference
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import Rename, snake_case
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_changes, tag_dict

_RETRY = jittered_backoff()
_MISSING = [
    "RepositoryNotFoundException",
    "LifecyclePolicyNotFoundException",
    "RepositoryPolicyNotFoundException",
]


class AnsibleECRError(AnsibleAWSError):
    pass


class ECRErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleECRError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(_MISSING)


@ECRErrorHandler.list_error_handler("describe repository", None)
@_RETRY
def describe_repository(client, name):
    return client.describe_repositories(repositoryNames=[name])["repositories"][0]


@ECRErrorHandler.list_error_handler("describe repositories", [])
@_RETRY
def describe_repositories(client, prefix=""):
    """Every repository of the registry whose name starts with ``prefix``, in one pagination (ECR has no name filter
    but exact names)."""
    found = []
    for page in client.get_paginator("describe_repositories").paginate():
        found.extend(r for r in page.get("repositories", []) if r["repositoryName"].startswith(prefix))
    return found


@ECRErrorHandler.list_error_handler("list images", False)
@_RETRY
def holds_images(client, name):
    """Whether the repository holds at least one image (one ListImages of one item)."""
    return bool(client.list_images(repositoryName=name, maxResults=1).get("imageIds"))


@ECRErrorHandler.list_error_handler("get lifecycle policy", None)
@_RETRY
def get_lifecycle_policy(client, name):
    return json.loads(client.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"])


@ECRErrorHandler.list_error_handler("get repository policy", None)
@_RETRY
def get_repository_policy(client, name):
    return json.loads(client.get_repository_policy(repositoryName=name)["policyText"])


@ECRErrorHandler.list_error_handler("list tags of repository", [])
@_RETRY
def list_tags(client, arn):
    return client.list_tags_for_resource(resourceArn=arn).get("tags", [])


@ECRErrorHandler.common_error_handler("update repository")
@_RETRY
def call(client, operation, **request):
    """One mutating call, by its boto3 name (create_repository, put_image_tag_mutability, ...)."""
    return getattr(client, operation)(**request)


@ECRErrorHandler.deletion_error_handler("delete repository")
@_RETRY
def delete_repository(client, name, force):
    client.delete_repository(repositoryName=name, force=force)


def repository_view(repository, lifecycle_policy, repository_policy, tags):
    """A repository as ECR describes it, in the options' shape."""
    encryption = repository.get("encryptionConfiguration") or {"encryptionType": "AES256"}
    return dict(
        name=repository["repositoryName"],
        arn=repository["repositoryArn"],
        uri=repository.get("repositoryUri", ""),
        image_tag_mutability=repository.get("imageTagMutability", "MUTABLE"),
        scan_on_push=bool((repository.get("imageScanningConfiguration") or {}).get("scanOnPush")),
        encryption_type=encryption["encryptionType"],
        kms_key=encryption.get("kmsKey", ""),
        lifecycle_policy=lifecycle_policy,
        repository_policy=repository_policy,
        tags=tag_dict(tags),
    )


def read_repository(client, repository):
    """The view of a described repository, with its lifecycle policy, repository policy and tags read."""
    name = repository["repositoryName"]
    return repository_view(
        repository,
        get_lifecycle_policy(client, name),
        get_repository_policy(client, name),
        list_tags(client, repository["repositoryArn"]),
    )


def read(client, name):
    """The view of the repository called ``name``; None when it does not exist."""
    repository = describe_repository(client, name)
    return None if repository is None else read_repository(client, repository)


# ---------------------------------------------------------------- a declared repository (the options of
# ecr_repository, one item of ecr_repository_set's repositories) compared with its view, and the calls that converge it


def parsed(value):
    return json.loads(value) if isinstance(value, str) else value


def _field(at, option):
    return f"{at}.{option}" if at else option


def input_errors(params, at=""):
    """What is wrong with a declared repository's options alone, before any call; ``at`` is the option the repository
    was declared in, when it is one item of a set (``repositories[2]``)."""
    errors = []
    for option in ("lifecycle_policy", "repository_policy"):
        try:
            value = parsed(params.get(option))
        except ValueError as e:
            errors.append(f"{_field(at, option)}: not valid JSON ({e}); give a dict or a JSON string.")
            continue
        if value is not None and not isinstance(value, dict):
            errors.append(f"{_field(at, option)}: give a JSON object (a dict), not {type(value).__name__}.")
    if params.get("kms_key") and params.get("encryption_type") != "KMS":
        errors.append(f"{_field(at, 'kms_key')}: give it with encryption_type=KMS.")
    elif params.get("kms_key") and not is_kms_key_reference(params["kms_key"]):
        # ECR's CreateRepository takes "the alias, key ID, or full ARN of the KMS key" (ECR API reference,
        # EncryptionConfiguration.kmsKey); the model only bounds its length.
        errors.append(f"{_field(at, 'kms_key')} {params['kms_key']!r} is not a KMS key: give {KMS_KEY_FORMS}.")
    return errors


def encryption_errors(params, current, at=""):
    """ECR keeps the encryption a repository was created with: a different declaration cannot be converged."""
    errors = []
    if current and params.get("encryption_type"):
        declared = (params["encryption_type"], params.get("kms_key") or current["kms_key"] or "")
        if params["encryption_type"] == "AES256":
            declared = ("AES256", "")
        if declared != (current["encryption_type"], current["kms_key"]):
            errors.append(
                f"{_field(at, 'encryption_type/kms_key')}: repository {params['name']} is encrypted with"
                f" {current['encryption_type']} {current['kms_key']}; ECR cannot change the encryption of a repository."
                " Delete and re-create it (its images with it), or declare the encryption it has."
            )
    return errors


def declared_view(params, current):
    """The repository as the task leaves it: ``current`` (None: absent) with the options the task sets; ``params``
    holds the repository's options and ``purge_tags``."""
    base = current or dict(
        name=params["name"],
        arn="",
        uri="",
        image_tag_mutability="MUTABLE",
        scan_on_push=False,
        encryption_type=params.get("encryption_type") or "AES256",
        kms_key=params.get("kms_key") or "",
        lifecycle_policy=None,
        repository_policy=None,
        tags={},
    )
    view = dict(base)
    for option in ("image_tag_mutability", "scan_on_push"):
        if params.get(option) is not None:
            view[option] = params[option]
    for option in ("lifecycle_policy", "repository_policy"):
        if params.get(option) is not None:
            view[option] = parsed(params[option]) or None
    view["tags"], _set, _unset = tag_changes(base["tags"], params.get("tags"), params["purge_tags"])
    return view


# The write of each policy option: (operation, the member its JSON text goes in).
POLICY_WRITES = {
    "lifecycle_policy": ("PutLifecyclePolicy", "lifecyclePolicyText"),
    "repository_policy": ("SetRepositoryPolicy", "policyText"),
}


def policy_request(name, option, policy):
    return {"repositoryName": name, POLICY_WRITES[option][1]: json.dumps(policy, sort_keys=True)}


def _policy_call(client, option, name, policy):
    if policy is None:
        call(client, f"delete_{option}", repositoryName=name)
    else:
        call(client, snake_case(POLICY_WRITES[option][0]), **policy_request(name, option, policy))


def create_request(desired):
    request = dict(
        repositoryName=desired["name"],
        imageTagMutability=desired["image_tag_mutability"],
        imageScanningConfiguration=dict(scanOnPush=desired["scan_on_push"]),
        encryptionConfiguration=dict(encryptionType=desired["encryption_type"]),
    )
    if desired["kms_key"]:
        request["encryptionConfiguration"]["kmsKey"] = desired["kms_key"]
    if desired["tags"]:
        request["tags"] = [dict(Key=k, Value=v) for k, v in sorted(desired["tags"].items())]
    return request


# Where the members of the requests come from among the options (see module_utils/model_validation.py).
MODEL_RENAMES = (
    Rename("repositoryName", "name"),
    Rename("imageScanningConfiguration.scanOnPush", "scan_on_push"),
    Rename("encryptionConfiguration.encryptionType", "encryption_type"),
    Rename("encryptionConfiguration.kmsKey", "kms_key"),
    Rename("lifecyclePolicyText", "lifecycle_policy"),
    Rename("policyText", "repository_policy"),
)


def declared_requests(params, at=""):
    """CreateRepository and the policy writes of a declared repository, as (operation, request, at) for
    model_validation.plan_errors. The updates (PutImageTagMutability, PutImageScanningConfiguration, TagResource)
    send the same members as CreateRepository."""
    desired = declared_view(params, None)
    requests = [("CreateRepository", create_request(desired), at)]
    requests += [
        (POLICY_WRITES[option][0], policy_request(desired["name"], option, desired[option]), at)
        for option in POLICY_WRITES
        if desired[option] is not None
    ]
    return requests


def planned_writes(client, params, current, desired):
    """The calls, in order, each a callable that takes no argument, that take the repository from ``current`` (None:
    absent) to ``desired``; [] when they are the same. The creation fills in ``desired``'s arn and uri."""
    name = desired["name"]
    writes = []
    if current is None:

        def create():
            created = call(client, "create_repository", **create_request(desired))["repository"]
            desired.update(arn=created["repositoryArn"], uri=created.get("repositoryUri", ""))

        writes.append(create)
        current = dict(desired, lifecycle_policy=None, repository_policy=None)
    else:
        if current["image_tag_mutability"] != desired["image_tag_mutability"]:
            writes.append(
                functools.partial(
                    call,
                    client,
                    "put_image_tag_mutability",
                    repositoryName=name,
                    imageTagMutability=desired["image_tag_mutability"],
                )
            )
        if current["scan_on_push"] != desired["scan_on_push"]:
            writes.append(
                functools.partial(
                    call,
                    client,
                    "put_image_scanning_configuration",
                    repositoryName=name,
                    imageScanningConfiguration=dict(scanOnPush=desired["scan_on_push"]),
                )
            )
        _after, to_set, to_unset = tag_changes(current["tags"], params.get("tags"), params["purge_tags"])
        if to_set:
            tags = [dict(Key=k, Value=v) for k, v in sorted(to_set.items())]
            writes.append(functools.partial(call, client, "tag_resource", resourceArn=current["arn"], tags=tags))
        if to_unset:
            writes.append(
                functools.partial(call, client, "untag_resource", resourceArn=current["arn"], tagKeys=to_unset)
            )
    for option in POLICY_WRITES:
        if current[option] != desired[option]:
            writes.append(functools.partial(_policy_call, client, option, name, desired[option]))
    return writes


def converge(client, params, current, desired):
    """Make the calls that take the repository from current (None: absent) to desired; returns its ARN and URI."""
    for write in planned_writes(client, params, current, desired):
        write()
    return desired["arn"], desired["uri"]
