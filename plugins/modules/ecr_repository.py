#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ecr_repository
short_description: An ECR repository and its settings, lifecycle policy and repository policy, with check mode and diff
version_added: 1.0.0
description:
  - Creates, updates or deletes an Amazon ECR repository, its tag mutability, scan on push, encryption, lifecycle
    policy, repository policy and tags.
  - Unlike M(community.aws.ecs_ecr), which reports a change it would make in check mode as C(skipped) and has no diff,
    a pending change is C(changed) with its diff, so a compliance run sees a setting changed out of band.
  - ECR cannot change the encryption of an existing repository; a repository encrypted otherwise than declared fails
    the task, naming the option, before any call.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  name:
    description: Name of the repository.
    type: str
    required: true
  state:
    description: V(present) creates or updates the repository; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  image_tag_mutability:
    description: Whether a tag can be moved to another image. Not given, left as it is (V(MUTABLE) for a new one).
    type: str
    choices: [MUTABLE, IMMUTABLE]
  scan_on_push:
    description: Scan each image when it is pushed. Not given, left as it is (off for a new one).
    type: bool
  encryption_type:
    description: V(AES256) or V(KMS); set when the repository is created and never changed by ECR.
    type: str
    choices: [AES256, KMS]
  kms_key:
    description: ARN of the KMS key, with O(encryption_type=KMS).
    type: str
  lifecycle_policy:
    description: The lifecycle policy (a dict or JSON). V({}) removes it; not given, it is left as it is.
    type: json
  repository_policy:
    description: The repository policy (a dict or JSON). V({}) removes it; not given, it is left as it is.
    type: json
  force_absent:
    description: With O(state=absent), delete the repository with its images.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports check mode and diff mode.
  - "API calls: C(DescribeRepositories), C(GetLifecyclePolicy), C(GetRepositoryPolicy) and C(ListTagsForResource) on
    every run; C(CreateRepository), C(PutImageTagMutability), C(PutImageScanningConfiguration),
    C(PutLifecyclePolicy) or C(DeleteLifecyclePolicy), C(SetRepositoryPolicy) or C(DeleteRepositoryPolicy),
    C(TagResource), C(UntagResource) only for what differs; C(DeleteRepository) for O(state=absent)."
"""

EXAMPLES = r"""
- name: A repository with immutable tags, scanned on push, encrypted with a key, keeping 30 images
  securecloud.monitor.ecr_repository:
    name: prod/billing-app
    image_tag_mutability: IMMUTABLE
    scan_on_push: true
    encryption_type: KMS
    kms_key: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    lifecycle_policy:
      rules:
        - rulePriority: 1
          description: Keep the last 30 images
          selection: {tagStatus: any, countType: imageCountMoreThan, countNumber: 30}
          action: {type: expire}

- name: Delete the repository and its images
  securecloud.monitor.ecr_repository:
    name: prod/billing-app
    state: absent
    force_absent: true
"""

RETURN = r"""
repository:
  description: The repository after the task, in the shape of the options; empty when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the repository.
      type: str
    arn:
      description: ARN of the repository (empty in check mode before it exists).
      type: str
    uri:
      description: URI images are pushed to.
      type: str
    image_tag_mutability:
      description: V(MUTABLE) or V(IMMUTABLE).
      type: str
    scan_on_push:
      description: Whether images are scanned on push.
      type: bool
    encryption_type:
      description: V(AES256) or V(KMS).
      type: str
    kms_key:
      description: ARN of the KMS key, with V(KMS).
      type: str
    lifecycle_policy:
      description: The lifecycle policy.
      type: dict
    repository_policy:
      description: The repository policy.
      type: dict
    tags:
      description: The tags.
      type: dict
diff:
  description: The repository before and after, with C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import json  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import ecr  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import (  # noqa: E402
    KMS_KEY_FORMS,
    is_kms_key_reference,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    plan_errors,
    snake_case,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import exit_with_diff, fail_on_input_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_changes  # noqa: E402


def _parsed(value):
    return json.loads(value) if isinstance(value, str) else value


def input_errors(params):
    """What is wrong with the options alone, before any call."""
    errors = []
    for option in ("lifecycle_policy", "repository_policy"):
        try:
            parsed = _parsed(params.get(option))
        except ValueError as e:
            errors.append(f"{option}: not valid JSON ({e}); give a dict or a JSON string.")
            continue
        if parsed is not None and not isinstance(parsed, dict):
            errors.append(f"{option}: give a JSON object (a dict), not {type(parsed).__name__}.")
    if params.get("kms_key") and params.get("encryption_type") != "KMS":
        errors.append("kms_key: give it with encryption_type=KMS.")
    elif params.get("kms_key") and not is_kms_key_reference(params["kms_key"]):
        # ECR's CreateRepository takes "the alias, key ID, or full ARN of the KMS key" (ECR API reference,
        # EncryptionConfiguration.kmsKey); the model only bounds its length.
        errors.append(f"kms_key {params['kms_key']!r} is not a KMS key: give {KMS_KEY_FORMS}.")
    return errors


def encryption_errors(params, current):
    """ECR keeps the encryption a repository was created with: a different declaration cannot be converged."""
    errors = []
    if current and params.get("encryption_type"):
        declared = (params["encryption_type"], params.get("kms_key") or current["kms_key"] or "")
        if params["encryption_type"] == "AES256":
            declared = ("AES256", "")
        if declared != (current["encryption_type"], current["kms_key"]):
            errors.append(
                f"encryption_type/kms_key: repository {params['name']} is encrypted with {current['encryption_type']}"
                f" {current['kms_key']}; ECR cannot change the encryption of a repository. Delete and re-create it"
                " (its images with it), or declare the encryption it has."
            )
    return errors


def declared_view(params, current):
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
            view[option] = _parsed(params[option]) or None
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
        ecr.call(client, f"delete_{option}", repositoryName=name)
    else:
        ecr.call(client, snake_case(POLICY_WRITES[option][0]), **policy_request(name, option, policy))


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


def model_errors(service_model, params):
    """CreateRepository and the policy writes of the declared repository checked against the ECR model (name
    pattern and length, policy text lengths, tags) before any call; [] when AWS would take them. Run once
    input_errors passes. The updates (PutImageTagMutability, PutImageScanningConfiguration, TagResource) send the
    same members as CreateRepository."""
    if params["state"] == "absent":
        return []
    desired = declared_view(params, None)
    requests = [("CreateRepository", create_request(desired))]
    requests += [
        (POLICY_WRITES[option][0], policy_request(desired["name"], option, desired[option]))
        for option in POLICY_WRITES
        if desired[option] is not None
    ]
    return plan_errors(service_model, requests, MODEL_RENAMES)


def converge(client, params, current, desired):
    """The calls that take the repository from current (None: absent) to desired; returns its ARN and URI."""
    name = desired["name"]
    if current is None:
        created = ecr.call(client, "create_repository", **create_request(desired))["repository"]
        current = dict(desired, lifecycle_policy=None, repository_policy=None, tags=desired["tags"])
        current.update(arn=created["repositoryArn"], uri=created.get("repositoryUri", ""))
    else:
        if current["image_tag_mutability"] != desired["image_tag_mutability"]:
            ecr.call(
                client,
                "put_image_tag_mutability",
                repositoryName=name,
                imageTagMutability=desired["image_tag_mutability"],
            )
        if current["scan_on_push"] != desired["scan_on_push"]:
            ecr.call(
                client,
                "put_image_scanning_configuration",
                repositoryName=name,
                imageScanningConfiguration=dict(scanOnPush=desired["scan_on_push"]),
            )
        _after, to_set, to_unset = tag_changes(current["tags"], params.get("tags"), params["purge_tags"])
        if to_set:
            ecr.call(
                client,
                "tag_resource",
                resourceArn=current["arn"],
                tags=[dict(Key=k, Value=v) for k, v in sorted(to_set.items())],
            )
        if to_unset:
            ecr.call(client, "untag_resource", resourceArn=current["arn"], tagKeys=to_unset)
    for option in POLICY_WRITES:
        if current[option] != desired[option]:
            _policy_call(client, option, name, desired[option])
    return current["arn"], current["uri"]


def read(client, name):
    repository = ecr.describe_repository(client, name)
    if repository is None:
        return None
    return ecr.repository_view(
        repository,
        ecr.get_lifecycle_policy(client, name),
        ecr.get_repository_policy(client, name),
        ecr.list_tags(client, repository["repositoryArn"]),
    )


def main():
    module = AnsibleAWSModule(
        argument_spec=build_argument_spec(),
        required_if=[("encryption_type", "KMS", ["kms_key"])],
        supports_check_mode=True,
    )
    params = module.params
    errors = input_errors(params)
    fail_on_input_errors(module, errors)
    client = module.client("ecr")
    fail_on_input_errors(module, model_errors(client.meta.service_model, params))
    try:
        current = read(client, params["name"])
        errors = encryption_errors(params, current if params["state"] == "present" else None)
        fail_on_input_errors(module, errors)
        desired = declared_view(params, current) if params["state"] == "present" else None
        changed = current != desired
        if changed and not module.check_mode:
            if desired is None:
                ecr.delete_repository(client, params["name"], params["force_absent"])
            else:
                desired["arn"], desired["uri"] = converge(client, params, current, desired)
    except ecr.AnsibleECRError as e:
        module.fail_json_aws_error(e)
    exit_with_diff(module, dict(changed=changed, repository=desired or {}), current, desired)


def build_argument_spec():
    return dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        image_tag_mutability=dict(type="str", choices=["MUTABLE", "IMMUTABLE"]),
        scan_on_push=dict(type="bool"),
        encryption_type=dict(type="str", choices=["AES256", "KMS"]),
        kms_key=dict(type="str", no_log=False),
        lifecycle_policy=dict(type="json"),
        repository_policy=dict(type="json"),
        force_absent=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )


if __name__ == "__main__":
    main()
