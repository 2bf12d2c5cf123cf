#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: codebuild_project_set
short_description: Manage the set of CodeBuild projects whose names share a prefix
version_added: 1.1.0
description:
  - Makes the AWS CodeBuild build projects whose names start with O(prefix) match O(projects) in one task, where a
    loop over M(securecloud.monitor.codebuild_project) would start one module process per project.
  - Each project is declared B(whole), with the options of M(securecloud.monitor.codebuild_project), and compared with
    what CodeBuild holds exactly as that module compares it (a canonical form, AWS's defaults applied on both sides);
    a setting removed from the task is reset, settings the module does not manage are left as they are, and a re-run
    with the same input makes no mutating call and reports no change.
  - The scope is read with C(ListProjects) (every page); the declared projects that exist are read with one
    C(BatchGetProjects) per 100 names (with C(--diff), also the projects to delete). Projects are created with
    C(CreateProject), changed with C(UpdateProject) (every managed setting and the whole tag list; CodeBuild keeps tags
    in the project) and deleted with C(DeleteProject).
  - Every input problem is reported before any call to AWS, naming the field (for example
    C(projects[2].environment.image)) and the fix; the C(CreateProject) request of every declared project is then
    checked against botocore's CodeBuild model before the first call that reads a project.
  - 'Service roles are checked as M(securecloud.monitor.codebuild_project) checks them (C(iam:GetRole) when a project
    is created or its role changes; each role once per task, however many projects share it), before the first write.'
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  prefix:
    required: true
  projects:
    description:
      - The projects that must exist in the scope, each with the options of
        M(securecloud.monitor.codebuild_project). The order does not matter.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - Name of the project; 2 to 150 letters, digits, V(-) or V(_), starting with a letter or a digit. It must
            start with O(prefix).
        type: str
        required: true
      description:
        description: What the project is for, at most 255 characters. Not set means no description.
        type: str
      source:
        description:
          - Where the build's source comes from. Required.
        type: dict
        required: true
        suboptions:
          type:
            description:
              - The kind of source, one of the C(SourceType) values of botocore's CodeBuild model, for example
                V(CODEPIPELINE) (the pipeline hands the source to the build), V(GITHUB), V(GITHUB_ENTERPRISE),
                V(BITBUCKET), V(GITLAB), V(CODECOMMIT), V(S3) or V(NO_SOURCE).
            type: str
            required: true
          location:
            description:
              - The repository's clone URL, or V(BUCKET/KEY) of a zip file for V(S3). Required for every type except
                V(CODEPIPELINE) and V(NO_SOURCE), which must not have one.
            type: str
          buildspec:
            description:
              - The build specification, either inline (the YAML text, several lines, which must have a C(version)) or
                the path of a file inside the source, relative to its root (for example V(buildspecs/infra-plan.yml)).
                An absolute path or one with V(..) segments is refused ("buildspec path outside the repo"). An S3 object
                ARN is also accepted.
              - Not set, CodeBuild reads C(buildspec.yml) at the root of the source. Required (inline) for
                V(NO_SOURCE).
            type: str
          git_clone_depth:
            description:
              - Depth of the git clone, for git sources only (V(GITHUB), V(GITHUB_ENTERPRISE), V(BITBUCKET), V(GITLAB),
                V(GITLAB_SELF_MANAGED), V(CODECOMMIT)). Not set or V(0) means a full clone.
            type: int
          report_build_status:
            description:
              - Report the build's start and result to the source provider (commit status). For V(GITHUB),
                V(GITHUB_ENTERPRISE), V(BITBUCKET), V(GITLAB) and V(GITLAB_SELF_MANAGED) sources only.
            type: bool
            default: false
          insecure_ssl:
            description: Ignore TLS warnings when connecting to a GitHub Enterprise source.
            type: bool
            default: false
      artifacts:
        description:
          - What the build outputs. Required.
        type: dict
        required: true
        suboptions:
          type:
            description:
              - V(CODEPIPELINE) (the pipeline takes the output artifacts), V(NO_ARTIFACTS) or V(S3).
            type: str
            required: true
          location:
            description: The bucket's name, for V(S3) only (required then).
            type: str
          name:
            description:
              - Name of the output folder or zip file in the bucket, for V(S3) only. Not set, the project's name.
            type: str
          path:
            description: Prefix of the output in the bucket, for V(S3) only.
            type: str
          namespace_type:
            description: V(BUILD_ID) inserts the build ID in the output's path, for V(S3) only.
            type: str
            choices: [NONE, BUILD_ID]
          packaging:
            description: V(ZIP) to zip the output, V(NONE) (the default) for a folder, for V(S3) only.
            type: str
            choices: [NONE, ZIP]
          encryption_disabled:
            description:
              - Do not encrypt the output artifacts. For V(S3) and V(CODEPIPELINE) only; leave it V(false) unless the
                output must be public.
            type: bool
            default: false
      environment:
        description:
          - The build environment. Required.
        type: dict
        required: true
        suboptions:
          type:
            description:
              - The environment type, one of the C(EnvironmentType) values of botocore's CodeBuild model, for example
                V(LINUX_CONTAINER), V(ARM_CONTAINER), V(LINUX_GPU_CONTAINER), V(WINDOWS_SERVER_2022_CONTAINER),
                V(LINUX_LAMBDA_CONTAINER). Fleet-only types (V(LINUX_EC2), V(ARM_EC2), V(WINDOWS_EC2), V(MAC_ARM)) are
                refused.
            type: str
            default: LINUX_CONTAINER
          image:
            description: The build image, for example V(aws/codebuild/standard:7.0) or an ECR image URI.
            type: str
            required: true
          compute_type:
            description:
              - The compute size, one of the C(ComputeType) values of botocore's CodeBuild model, for example
                V(BUILD_GENERAL1_SMALL), V(BUILD_GENERAL1_MEDIUM), V(BUILD_GENERAL1_LARGE), V(BUILD_GENERAL1_XLARGE),
                V(BUILD_GENERAL1_2XLARGE), or V(BUILD_LAMBDA_1GB) .. V(BUILD_LAMBDA_10GB) with a Lambda environment
                type. Any other value fails with "invalid compute type" naming C(projects[N].environment.compute_type).
            type: str
            required: true
          privileged_mode:
            description: Run the Docker daemon in the build, needed to build Docker images. Not with Lambda compute.
            type: bool
            default: false
          image_pull_credentials_type:
            description:
              - V(CODEBUILD) for CodeBuild's own images (and public ones), V(SERVICE_ROLE) for a private ECR image the
                service role can pull.
            type: str
            default: CODEBUILD
          environment_variables:
            description:
              - The variables of every build, the whole list (a variable not listed is removed). Names must be unique.
              - Values are shown in the diff and returned; use V(PARAMETER_STORE) or V(SECRETS_MANAGER) for secrets
                (the value is then the parameter's or secret's name, which is not secret). The values of V(PLAINTEXT)
                variables whose names look secret (containing PASSWORD, SECRET, TOKEN, API_KEY, ACCESS_KEY,
                PRIVATE_KEY, CREDENTIAL) are replaced by a placeholder in the diff and in RV(projects), and the module
                warns.
            type: list
            elements: dict
            default: []
            suboptions:
              name:
                description: The variable's name (letters, digits, V(_); not starting with V(CODEBUILD_)).
                type: str
                required: true
              value:
                description:
                  - The value for V(PLAINTEXT); the parameter name for V(PARAMETER_STORE); the secret's name or ARN
                    (optionally V(:json-key:version-stage:version-id)) for V(SECRETS_MANAGER).
                type: str
                required: true
              type:
                description: V(PLAINTEXT), V(PARAMETER_STORE) or V(SECRETS_MANAGER).
                type: str
                default: PLAINTEXT
      service_role:
        description:
          - The IAM role the builds run as, its ARN (V(arn:aws:iam::ACCOUNT:role/NAME), with the path if it has one) or
            its name. Required. See the description for what is checked.
        type: str
        required: true
      timeout_in_minutes:
        description: How long a build may run before CodeBuild stops it, 5 to 2160 minutes.
        type: int
        default: 60
      queued_timeout_in_minutes:
        description: How long a build may wait in the queue, 5 to 480 minutes.
        type: int
        default: 480
      encryption_key:
        description:
          - The KMS key that encrypts the build output, as a key ARN, an alias ARN or V(alias/NAME), in the project's
            region. Not set, the AWS managed key C(alias/aws/s3).
        type: str
      vpc_config:
        description:
          - Run builds in a VPC. All of O(projects[].vpc_config.vpc_id), O(projects[].vpc_config.subnets) and
            O(projects[].vpc_config.security_group_ids) are needed. Not set, builds run outside any VPC.
        type: dict
        suboptions:
          vpc_id:
            description: The VPC ID.
            type: str
          subnets:
            description: IDs of private subnets of the VPC (with a NAT route if builds need the internet), at most 16.
            type: list
            elements: str
          security_group_ids:
            description: IDs of security groups of the VPC for the build's network interface, at most 5.
            type: list
            elements: str
      logs_config:
        description:
          - Where the build logs go. Not set, CloudWatch Logs in the default group (C(/aws/codebuild/NAME)) and no S3
            logs; a part not set takes those defaults too.
        type: dict
        suboptions:
          cloud_watch_logs:
            description: Logs in CloudWatch Logs.
            type: dict
            suboptions:
              status:
                description: V(ENABLED) or V(DISABLED).
                type: str
                choices: [ENABLED, DISABLED]
                default: ENABLED
              group_name:
                description: The log group; not set, C(/aws/codebuild/NAME).
                type: str
              stream_name:
                description: Prefix of the log streams; not set, the build ID.
                type: str
          s3_logs:
            description: Logs in S3.
            type: dict
            suboptions:
              status:
                description: V(ENABLED) or V(DISABLED).
                type: str
                choices: [ENABLED, DISABLED]
                default: DISABLED
              location:
                description: V(BUCKET/PREFIX) or V(arn:aws:s3:::BUCKET/PREFIX); required when enabled.
                type: str
              encryption_disabled:
                description: Do not encrypt the S3 logs.
                type: bool
                default: false
      concurrent_build_limit:
        description: Most builds of this project that may run at once (1 or more). Not set, only the account's limit.
        type: int
      badge_enabled:
        description: Publish a build badge. For V(GITHUB), V(GITHUB_ENTERPRISE), V(BITBUCKET) and V(CODECOMMIT) sources.
        type: bool
        default: false
      tags:
        description:
          - Tags of the project, as a dict. Not set, the project's tags are left as they are (with
            O(purge_tags=true) and tags set, tags not listed are removed).
        type: dict
  purge_tags:
    description:
      - Remove the tags of a declared project that its O(projects[].tags) does not list. A project without
        O(projects[].tags) keeps its tags.
    type: bool
    default: true
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made, and RV(projects) are the
    projects as they would be (the RV(projects[].arn) of a project that would be created is null).
  - O(prefix) must not be empty.
  - A re-run with the same input makes one C(ListProjects) and one C(BatchGetProjects) call (plus C(iam:GetRole) only
    if a role changes) and reports no change.
extends_documentation_fragment:
  - securecloud.monitor.set_module
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The build projects of the environment; projects named prod-* that are not listed are left alone
  securecloud.monitor.codebuild_project_set:
    prefix: prod-
    purge: false
    purge_tags: true
    projects:
      - name: prod-inventory-app-build
        description: Tests, builds and pushes the inventory-app image
        source:
          type: CODEPIPELINE
          buildspec: "{{ lookup('ansible.builtin.file', 'service-buildspec.yml') }}"
        artifacts:
          type: CODEPIPELINE
        environment:
          image: aws/codebuild/amazonlinux2-x86_64-standard:5.0
          compute_type: BUILD_GENERAL1_SMALL
          privileged_mode: true
          environment_variables:
            - name: REPOSITORY_URI
              value: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/prod/inventory-app
        service_role: arn:aws:iam::123456789012:role/prod-codebuild-services
        tags:
          Environment: prod
      - name: prod-infra-plan
        source:
          type: CODEPIPELINE
          buildspec: buildspecs/infra-plan.yml
        artifacts:
          type: CODEPIPELINE
        environment:
          image: aws/codebuild/amazonlinux2-x86_64-standard:5.0
          compute_type: BUILD_GENERAL1_MEDIUM
        service_role: prod-codebuild-infra-plan
        timeout_in_minutes: 120

- name: Delete every project whose name starts with prod-old-
  securecloud.monitor.codebuild_project_set:
    prefix: prod-old-
    state: absent
"""

RETURN = r"""
projects:
  description:
    - The projects in the scope after the task (in check mode, as they would be), sorted by name, in the shape of
      M(securecloud.monitor.codebuild_project)'s C(project) return value (every managed setting with the value AWS
      applies, environment variables sorted by name, values of secret-looking PLAINTEXT variables replaced by a
      placeholder).
    - A project the task neither declares nor deletes (O(purge=false)) is not read, so only its C(name) is given.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the project.
      type: str
      sample: prod-inventory-app-build
    arn:
      description: ARN of the project; null for a project check mode would create.
      type: str
      sample: arn:aws:codebuild:eu-west-1:123456789012:project/prod-inventory-app-build
    description:
      description: The description, null when there is none.
      type: str
    source:
      description: The source, with O(projects[].source) suboptions.
      type: dict
    artifacts:
      description: The artifacts, with O(projects[].artifacts) suboptions.
      type: dict
    environment:
      description: The build environment, with O(projects[].environment) suboptions.
      type: dict
    service_role:
      description: ARN of the service role (the name as given when check mode could not resolve a role name).
      type: str
    timeout_in_minutes:
      description: Build timeout in minutes.
      type: int
    queued_timeout_in_minutes:
      description: Queue timeout in minutes.
      type: int
    encryption_key:
      description: The KMS key as CodeBuild reports it; null for the AWS managed key C(alias/aws/s3).
      type: str
    vpc_config:
      description: C(vpc_id), C(subnets), C(security_group_ids) (sorted); null when builds run outside a VPC.
      type: dict
    logs_config:
      description: C(cloud_watch_logs) and C(s3_logs).
      type: dict
    concurrent_build_limit:
      description: The project's concurrent build limit; null when it has none.
      type: int
    badge_enabled:
      description: Whether the build badge is published.
      type: bool
    tags:
      description: Tags of the project, as a dict.
      type: dict
created:
  description: Names of the projects created (or that check mode would create).
  returned: always
  type: list
  elements: str
  sample: [prod-inventory-app-build]
updated:
  description: Names of the projects updated because a managed setting or a tag differed.
  returned: always
  type: list
  elements: str
  sample: []
deleted:
  description: Names of the projects deleted.
  returned: always
  type: list
  elements: str
  sample: []
diff:
  description:
    - The projects created, updated or deleted, by name, before and after, in the shape of RV(projects) without the
      ARN (null and empty members left out), with C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a write failed partway (retries exhausted, a permission missing); the task then fails. The names of
      the projects all of whose writes were made, in the order the plan made them. See the notes.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod-inventory-app-build]
not_written:
  description:
    - Set only when a write failed partway. The names of the projects with a write not made, the one whose write
      failed first; a rerun of the task writes what is missing.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod-infra-plan]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import functools  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import codebuild as cb  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.codebuild import (  # noqa: E402
    codebuild_client,
    iam_client,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import run_model_checked  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import (  # noqa: E402
    PlannedSetManager,
    declared_items,
    declared_name_errors,
    deletes_undeclared,
    set_argument_spec,
    settle,
)


def validate(params, region):
    """Every problem with the task's input, each naming its option path and the fix (no AWS call)."""
    errors = []
    prefix = params["prefix"]
    if not prefix:
        errors.append("prefix must not be empty: set it to the prefix of the project names this task owns.")
    for index, item in enumerate(declared_items(params, "projects")):
        errors += cb.at_item(f"projects[{index}].", cb.validate(item, region))
    errors += declared_name_errors(params, "projects", "project")
    return errors


def model_errors(service_model, params):
    """The CreateProject request of every declared project checked against the CodeBuild model before the first call
    that reads a project; [] when AWS would take them all."""
    errors = []
    for index, item in enumerate(declared_items(params, "projects")):
        errors += cb.create_request_errors(service_model, item, at=f"projects[{index}]")
    return errors


class ProjectSetManager(PlannedSetManager):
    def __init__(self, module, client):
        super().__init__(module, client)
        self.roles = cb.ServiceRoles(module, lambda: iam_client(module))
        self.saved = {}  # name: the project CreateProject/UpdateProject returned, in the option shape

    def read(self, declared):
        """(names in the scope, {name: BatchGetProjects project} of the declared ones that exist and, with --diff, of
        the ones to delete, names to delete)."""
        listed = [name for name in cb.list_project_names(self.client) if self.in_scope(name)]
        deleted = sorted(name for name in listed if name not in declared) if deletes_undeclared(self.params) else []
        wanted = [name for name in declared if name in listed]
        if self.module._diff:
            wanted += deleted  # only --diff shows what a deleted project held
        return listed, cb.get_projects(self.client, wanted), deleted

    def save(self, name, write, *args):
        self.saved[name] = cb.project_from_api(write(self.client, *args))

    def process(self):
        declared = dict((item["name"], item) for item in declared_items(self.params, "projects"))
        listed, found, deleted = self.read(declared)
        for index, item in enumerate(declared.values()):
            secret_looking = cb.secret_looking_variables(item.get("environment"))
            if secret_looking:
                self.module.warn(cb.secrets_warning(secret_looking, at=f"projects[{index}]."))
        changes = {"created": [], "updated": [], "deleted": deleted}
        before, after = {}, dict((name, {"name": name}) for name in listed if name not in deleted)
        errors = []
        for index, (name, item) in enumerate(declared.items()):
            current_api = found.get(name)
            current = cb.project_from_api(current_api) if current_api else None
            role_arn = self.roles.arn(
                item["service_role"], current["service_role"] if current else None, at=f"projects[{index}]."
            )
            desired = cb.desired_project(item, role_arn, current, self.params["purge_tags"])
            errors += filter(None, [cb.tag_count_error(desired, at=f"projects[{index}].")])
            after[name] = desired
            if current is None:
                changes["created"].append(name)
                self.plan_action(
                    name, functools.partial(self.save, name, cb.create_project, cb.project_to_api(desired))
                )
            elif cb.project_differs(current, desired):
                changes["updated"].append(name)
                before[name] = current
                request = cb.project_to_api(desired, current_api)
                self.plan_action(name, functools.partial(self.save, name, cb.update_project, request))
            else:
                after[name] = current
        if errors:
            self.module.fail_json(msg=" ".join(errors), errors=errors)
        for name in deleted:
            self.plan(name, cb.delete_project, name)
            if name in found:
                before[name] = cb.project_from_api(found[name])
        self.apply_plan()
        after.update(self.saved)
        changed_names = set(changes["created"] + changes["updated"])
        result = dict(
            changed=self.changed,
            projects=[cb.redact_secrets(after[name]) for name in sorted(after)],
            **dict((key, sorted(names)) for key, names in changes.items()),
        )
        result.update(
            diff_payload(
                self.module,
                dict((name, cb.for_diff(shape)) for name, shape in before.items()),
                dict((name, cb.for_diff(after[name])) for name in sorted(changed_names)),
            )
        )
        return result


def main():
    item = cb.project_options()
    for option in ("source", "artifacts", "environment", "service_role"):
        item[option] = dict(item[option], required=True)
    item["tags"] = dict(type="dict")
    argument_spec = dict(
        **set_argument_spec(),
        projects=dict(type="list", elements="dict", options=item, default=[]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    settle(module)
    run_model_checked(
        module,
        validate(module.params, module.region),
        lambda: codebuild_client(module),
        lambda service_model: model_errors(service_model, module.params),
        lambda client: ProjectSetManager(module, client).process(),
        cb.AnsibleCodeBuildError,
    )


if __name__ == "__main__":
    main()
