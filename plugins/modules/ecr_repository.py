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
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import ecr  # noqa: E402

# The comparison and the calls are shared with ecr_repository_set (module_utils/ecr.py).
from ansible_collections.securecloud.monitor.plugins.module_utils.ecr import (  # noqa: E402
    converge,
    declared_view,
    encryption_errors,
    input_errors,
    read,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import plan_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import exit_with_diff, fail_on_input_errors  # noqa: E402


def model_errors(service_model, params):
    """CreateRepository and the policy writes of the declared repository checked against the ECR model (name
    pattern and length, policy text lengths, tags) before any call; [] when AWS would take them. Run once
    input_errors passes."""
    if params["state"] == "absent":
        return []
    return plan_errors(service_model, ecr.declared_requests(params), ecr.MODEL_RENAMES)


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
