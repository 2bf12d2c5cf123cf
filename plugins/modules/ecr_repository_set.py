#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ecr_repository_set
short_description: Manage the set of ECR repositories whose names share a prefix
version_added: 1.1.0
description:
  - Makes the Amazon ECR repositories whose names start with O(prefix) match O(repositories) in one task, where a
    loop over M(securecloud.monitor.ecr_repository) would start one module process per repository. Each repository
    takes the options of M(securecloud.monitor.ecr_repository) and is compared as that module compares it (the same
    code), so a setting changed out of band is reported in check mode as C(updated), with its diff.
  - The scope is read with one paginated C(DescribeRepositories); then, per declared repository that exists, its
    lifecycle policy, repository policy and tags (C(GetLifecyclePolicy), C(GetRepositoryPolicy),
    C(ListTagsForResource); ECR has no call that reads them for several repositories at once).
  - Deleting a repository deletes the images it holds, and images are data. Before any write, each repository to
    delete is checked with one C(ListImages); unless O(force=true), the task fails, naming the repositories that hold
    images and the option, and changes nothing.
  - Every input problem is reported before any call to AWS, naming the field (for example
    C(repositories[2].kms_key)) and the fix; each C(CreateRepository) and policy request is then checked against the
    ECR service model, and the encryption of each existing repository against the declared one (ECR cannot change
    it), before the first write.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  prefix:
    required: true
  repositories:
    description:
      - The repositories that must exist in the scope. The order does not matter.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the repository; must start with O(prefix).
        type: str
        required: true
      image_tag_mutability:
        description: Whether a tag can be moved to another image. Not given, left as it is (V(MUTABLE) for a new one).
        type: str
        choices: [MUTABLE, IMMUTABLE]
      scan_on_push:
        description: Scan each image when it is pushed. Not given, left as it is (off for a new one).
        type: bool
      encryption_type:
        description:
          - V(AES256) or V(KMS); set when the repository is created and never changed by ECR. V(KMS) needs
            O(repositories[].kms_key).
        type: str
        choices: [AES256, KMS]
      kms_key:
        description: ARN, key ID or alias of the KMS key, with O(repositories[].encryption_type=KMS).
        type: str
      lifecycle_policy:
        description: The lifecycle policy (a dict or JSON). V({}) removes it; not given, it is left as it is.
        type: json
      repository_policy:
        description: The repository policy (a dict or JSON). V({}) removes it; not given, it is left as it is.
        type: json
      tags:
        description: Tags of the repository. Not given, the tags of an existing repository are left alone.
        type: dict
  purge_tags:
    description:
      - Remove the tags of a declared repository that are not in its O(repositories[].tags). No effect on a repository
        whose O(repositories[].tags) is not given.
    type: bool
    default: true
  force:
    description:
      - Delete the repositories the task deletes (undeclared ones with O(purge=true), all of the scope with
        O(state=absent)) with the images they hold. Without it, a repository to delete that holds an image fails the
        task before any write.
    type: bool
    default: false
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made, and the result says
    exactly what a real run would change (a deletion that O(force) would be needed for fails in check mode too).
  - O(prefix) is required and must not be empty; a scope that ends with V(/), such as V(prod/), holds one
    environment's repositories only.
  - "API calls: C(DescribeRepositories) (paginated) and, per declared repository that exists, C(GetLifecyclePolicy),
    C(GetRepositoryPolicy) and C(ListTagsForResource) on every run; C(ListImages) per repository to delete without
    O(force); C(CreateRepository), C(PutImageTagMutability), C(PutImageScanningConfiguration),
    C(PutLifecyclePolicy) or C(DeleteLifecyclePolicy), C(SetRepositoryPolicy) or C(DeleteRepositoryPolicy),
    C(TagResource), C(UntagResource) and C(DeleteRepository) only for what differs."
extends_documentation_fragment:
  - securecloud.monitor.set_module
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The repositories of the prod services, each scanned on push with immutable tags; others under prod/ stay
  securecloud.monitor.ecr_repository_set:
    prefix: prod/
    purge: false
    repositories:
      - name: prod/billing-app
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
      - name: prod/inventory-app
        image_tag_mutability: IMMUTABLE
        scan_on_push: true

- name: Delete every repository under prod/, with its images
  securecloud.monitor.ecr_repository_set:
    prefix: prod/
    state: absent
    force: true
"""

RETURN = r"""
repositories:
  description:
    - The repositories in the scope after the task (in check mode, as they would be), sorted by name, in the shape of
      the C(repository) that M(securecloud.monitor.ecr_repository) returns.
    - The policies and tags of a repository the task neither declares nor deletes (O(purge=false)) are not read, so
      they are null.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the repository.
      type: str
      sample: prod/billing-app
    arn:
      description: ARN of the repository (empty in check mode before it exists).
      type: str
    uri:
      description: URI images are pushed to (empty in check mode before it exists).
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
      description: The lifecycle policy; null for none.
      type: dict
    repository_policy:
      description: The repository policy; null for none.
      type: dict
    tags:
      description: The tags.
      type: dict
created:
  description: Names of the repositories created (or that check mode would create).
  returned: always
  type: list
  elements: str
  sample: [prod/billing-app]
updated:
  description: Names of the repositories whose settings, policies or tags differed and were (or would be) put back.
  returned: always
  type: list
  elements: str
  sample: []
deleted:
  description: Names of the repositories deleted.
  returned: always
  type: list
  elements: str
  sample: []
diff:
  description:
    - The repositories created, updated or deleted, by name, before and after, with C(--diff). The policies and tags
      of a deleted repository are not read.
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a write failed partway (retries exhausted, a permission missing); the task then fails. The names of
      the repositories all of whose writes were made, in the order the plan made them. See the notes.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod/billing-app]
not_written:
  description:
    - Set only when a write failed partway. The names of the repositories with a write not made, the one whose write
      failed first; a rerun of the task writes what is missing.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod/inventory-app]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import ecr  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import plan_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import (  # noqa: E402
    fail_on_input_errors,
    run_model_checked,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import (  # noqa: E402
    PlannedSetManager,
    declared_items,
    declared_name_errors_by_item,
    deletes_undeclared,
    set_argument_spec,
    set_result,
    settle,
)


def validate(params):
    """Every problem with the task's input, each naming its option and the fix (no AWS call)."""
    errors = []
    if not params["prefix"]:
        errors.append("prefix must not be empty: set it to the prefix of the repository names this task owns.")
    name_errors = declared_name_errors_by_item(params, "repositories", "repository")
    for index, item in enumerate(declared_items(params, "repositories")):
        field = f"repositories[{index}]"
        errors += ecr.input_errors(item, at=field)
        if item.get("encryption_type") == "KMS" and not item.get("kms_key"):
            errors.append(f"{field}.kms_key: give the KMS key with encryption_type=KMS.")
        errors += name_errors.get(index, [])
    return errors


def item_params(params, item):
    """A declared repository's options as ecr_repository takes them (the task's purge_tags with them)."""
    return dict(item, purge_tags=params["purge_tags"])


def model_errors(service_model, params):
    """The CreateRepository and policy requests of every declared repository checked against the ECR model, so that
    the whole set is refused before its first write (run once validate passes); [] when AWS would take them all."""
    requests = []
    for index, item in enumerate(declared_items(params, "repositories")):
        requests += ecr.declared_requests(item_params(params, item), at=f"repositories[{index}]")
    return plan_errors(service_model, requests, ecr.MODEL_RENAMES)


class RepositorySetManager(PlannedSetManager):
    def read(self):
        """{name: view} of the repositories in the scope; only the declared ones have their policies and tags
        read."""
        declared = set(item["name"] for item in declared_items(self.params, "repositories"))
        found = {}
        for repository in ecr.describe_repositories(self.client, self.params["prefix"]):
            name = repository["repositoryName"]
            if name in declared:
                found[name] = ecr.read_repository(self.client, repository)
            else:
                found[name] = dict(ecr.repository_view(repository, None, None, []), tags=None)
        return found

    def process(self):
        current = self.read()
        declared = dict(
            (item["name"], item_params(self.params, item)) for item in declared_items(self.params, "repositories")
        )
        errors = []
        for index, (name, item) in enumerate(declared.items()):
            errors += ecr.encryption_errors(item, current.get(name), at=f"repositories[{index}]")
        deleted = sorted(name for name in current if name not in declared and deletes_undeclared(self.params))
        errors += self.image_errors(deleted)
        fail_on_input_errors(self.module, errors)

        after = dict((name, view) for name, view in current.items() if name not in deleted)
        for name, item in declared.items():
            after[name] = ecr.declared_view(item, current.get(name))
            for write in ecr.planned_writes(self.client, item, current.get(name), after[name]):
                self.plan_action(name, write)
        for name in deleted:
            self.plan(name, ecr.delete_repository, name, self.params["force"])
        created = sorted(name for name in declared if name not in current)
        updated = sorted(name for name in declared if name in current and current[name] != after[name])
        self.apply_plan()
        return set_result(self.module, self.changed, "repositories", current, after, created, updated, deleted)

    def image_errors(self, deleted):
        """Deleting a repository deletes its images: refused without force, naming the repositories."""
        if self.params["force"]:
            return []
        holding = [name for name in deleted if ecr.holds_images(self.client, name)]
        if not holding:
            return []
        how = "state=absent" if self.params["state"] == "absent" else "purge (they are not declared)"
        return [
            f"repositories {', '.join(holding)} hold images, and {how} would delete them with their images: set "
            "force: true to delete them with their images, or declare them (or set purge: false) to keep them."
        ]


def ecr_client(module):
    return module.client("ecr")


def main():
    repository_spec = dict(
        name=dict(type="str", required=True),
        image_tag_mutability=dict(type="str", choices=["MUTABLE", "IMMUTABLE"]),
        scan_on_push=dict(type="bool"),
        encryption_type=dict(type="str", choices=["AES256", "KMS"]),
        kms_key=dict(type="str", no_log=False),
        lifecycle_policy=dict(type="json"),
        repository_policy=dict(type="json"),
        tags=dict(type="dict"),
    )
    argument_spec = dict(
        **set_argument_spec(),
        repositories=dict(type="list", elements="dict", options=repository_spec, default=[]),
        purge_tags=dict(type="bool", default=True),
        force=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    settle(module)
    run_model_checked(
        module,
        validate(module.params),
        lambda: ecr_client(module),
        lambda service_model: model_errors(service_model, module.params),
        lambda client: RepositorySetManager(module, client).process(),
        ecr.AnsibleECRError,
    )


if __name__ == "__main__":
    main()
