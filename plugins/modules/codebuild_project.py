#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: codebuild_project
short_description: Manage an AWS CodeBuild project, declared whole, updated only when it differs
version_added: 1.0.0
description:
  - Creates, updates or deletes one AWS CodeBuild build project.
  - The task declares the project B(whole). Every setting below that the task does not set takes the value AWS gives
    it when it is not set (timeouts 60 and 480 minutes, CloudWatch logs on in the default group, S3 logs off,
    privileged mode off, C(CODEBUILD) image pull credentials, C(PLAINTEXT) variables, the AWS managed key
    C(alias/aws/s3), no VPC, no description, no concurrent build limit, badge off), so a setting removed from the task
    is reset. Settings this module does not manage (cache, secondary sources and artifacts, webhooks, file systems,
    batch builds, source version, source credentials, registry credentials, project visibility) are left as they are.
  - The project is read with C(BatchGetProjects) and compared with the declaration in a canonical form, AWS's defaults
    applied on both sides. C(UpdateProject) is called only when something differs, with every managed setting (and the
    whole tag list), so a re-run with the same input makes no mutating call and reports no change. Compare
    M(community.aws.codebuild_project), which has no check mode and calls C(UpdateProject) on every run.
  - Every option is checked before any call that changes anything, and the error names the field and the fix
    (compute types and other enumerations against botocore's CodeBuild model, buildspec paths, partial VPC settings,
    timeout ranges, variable types, KMS key forms and region).
  - 'Service role: when the project is created or its role changes, the role is looked up with C(iam:GetRole): it must
    exist, have the ARN given (a role with a path needs its full ARN), and trust C(codebuild.amazonaws.com) (its
    trust policy conditions are not evaluated). A role name is turned into the role ARN this way. When the project
    already has the declared role no IAM call is made. In check mode a missing or untrusting role is a warning (an
    earlier task of the same play may create it); if C(iam:GetRole) is denied, an ARN is used as given, with a warning.
    CodeBuild itself refuses a role it cannot assume while IAM propagates a new role; the module retries that answer
    (C(InvalidInputException) "not authorized to perform") for up to about a minute and a half.'
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  name:
    description:
      - Name of the project; 2 to 150 letters, digits, V(-) or V(_), starting with a letter or a digit.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the project; V(absent) deletes it (its builds' history goes with it).
    type: str
    choices: [present, absent]
    default: present
  description:
    description: What the project is for, at most 255 characters. Not set means no description.
    type: str
  source:
    description:
      - Where the build's source comes from. Required with O(state=present).
    type: dict
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
      - What the build outputs. Required with O(state=present).
    type: dict
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
        description: Name of the output folder or zip file in the bucket, for V(S3) only. Not set, the project's name.
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
      - The build environment. Required with O(state=present).
    type: dict
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
            V(BUILD_GENERAL1_2XLARGE), or V(BUILD_LAMBDA_1GB) .. V(BUILD_LAMBDA_10GB) with a Lambda environment type.
            Any other value fails with "invalid compute type" naming C(environment.compute_type).
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
            PRIVATE_KEY, CREDENTIAL) are replaced by a placeholder in the diff and in RV(project), and the module
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
        its name. Required with O(state=present). See the description for what is checked.
    type: str
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
      - Run builds in a VPC. All of O(vpc_config.vpc_id), O(vpc_config.subnets) and O(vpc_config.security_group_ids)
        are needed. Not set, builds run outside any VPC.
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
notes:
  - Supports check mode and diff mode. In check mode nothing is changed and RV(project) is the project as it would
    be (its RV(project.arn) null for a project that would be created).
  - A re-run with the same input makes one C(BatchGetProjects) call (plus C(iam:GetRole) only if the role changes) and
    reports no change.
  - CodeBuild keeps tags in the project itself, so a tag change is made with C(UpdateProject).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Build and push a service image (CodePipeline source, Docker build, ECR repository URI as a variable)
  securecloud.monitor.codebuild_project:
    name: prod-inventory-app-build
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
        - name: DOCKERHUB_TOKEN
          type: SECRETS_MANAGER
          value: prod/dockerhub:token
    service_role: arn:aws:iam::123456789012:role/prod-codebuild-services
    encryption_key: arn:aws:kms:eu-west-1:123456789012:alias/prod-delivery
    logs_config:
      cloud_watch_logs:
        group_name: /aws/codebuild/prod
        stream_name: inventory-app
    tags:
      Environment: prod

- name: Plan the infrastructure with a buildspec from the repository, in the VPC
  securecloud.monitor.codebuild_project:
    name: prod-infra-plan
    source:
      type: CODEPIPELINE
      buildspec: buildspecs/infra-plan.yml
    artifacts:
      type: CODEPIPELINE
    environment:
      image: aws/codebuild/amazonlinux2-x86_64-standard:5.0
      compute_type: BUILD_GENERAL1_MEDIUM
      environment_variables:
        - {name: INVENTORY, value: inventories/prod}
        - {name: LIMIT, value: prod}
    service_role: prod-codebuild-infra-plan
    timeout_in_minutes: 120
    vpc_config:
      vpc_id: vpc-0123456789abcdef0
      subnets: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]
      security_group_ids: [sg-0123456789abcdef0]

- name: Delete a project
  securecloud.monitor.codebuild_project:
    name: prod-old-build
    state: absent
"""

RETURN = r"""
project:
  description:
    - The project after the task (in check mode, as it would be), in the shape of the options, every managed setting
      present with the value AWS applies (AWS's defaults filled in), plus its ARN. Environment variables are sorted
      by name; values of secret-looking PLAINTEXT variables are replaced by a placeholder.
  returned: when O(state=present)
  type: dict
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
      description: The source, with O(source) suboptions (C(git_clone_depth) and C(report_build_status) null for
        sources they do not apply to).
      type: dict
      sample: {"type": "CODEPIPELINE", "location": null, "buildspec": "buildspecs/infra-plan.yml",
               "git_clone_depth": null, "report_build_status": null, "insecure_ssl": false}
    artifacts:
      description: The artifacts; C(type) and C(encryption_disabled) for V(CODEPIPELINE), every O(artifacts)
        suboption for V(S3) (C(name) defaults to the project name, C(namespace_type) and C(packaging) to V(NONE)).
      type: dict
      sample: {"type": "CODEPIPELINE", "encryption_disabled": false}
    environment:
      description: The build environment, with O(environment) suboptions.
      type: dict
      sample: {"type": "LINUX_CONTAINER", "image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
               "compute_type": "BUILD_GENERAL1_SMALL", "privileged_mode": true,
               "image_pull_credentials_type": "CODEBUILD",
               "environment_variables": [{"name": "REPOSITORY_URI", "type": "PLAINTEXT",
                                          "value": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/prod/inventory-app"}]}
    service_role:
      description: ARN of the service role (the name as given when check mode could not resolve a role name).
      type: str
      sample: arn:aws:iam::123456789012:role/prod-codebuild-services
    timeout_in_minutes:
      description: Build timeout in minutes.
      type: int
      sample: 60
    queued_timeout_in_minutes:
      description: Queue timeout in minutes.
      type: int
      sample: 480
    encryption_key:
      description:
        - The KMS key as CodeBuild reports it (the form given, or its ARN when CodeBuild reports that); null for the
          AWS managed key C(alias/aws/s3).
      type: str
    vpc_config:
      description: C(vpc_id), C(subnets), C(security_group_ids) (sorted); null when builds run outside a VPC.
      type: dict
    logs_config:
      description: C(cloud_watch_logs) (C(status), C(group_name), C(stream_name)) and C(s3_logs) (C(status),
        C(location), C(encryption_disabled)).
      type: dict
      sample: {"cloud_watch_logs": {"status": "ENABLED", "group_name": "/aws/codebuild/prod", "stream_name": "api"},
               "s3_logs": {"status": "DISABLED", "location": null, "encryption_disabled": false}}
    concurrent_build_limit:
      description: The project's concurrent build limit; null when it has none.
      type: int
    badge_enabled:
      description: Whether the build badge is published.
      type: bool
    tags:
      description: Tags of the project, as a dict.
      type: dict
      sample: {"Environment": "prod"}
diff:
  description:
    - Before and after, in the shape of RV(project) without its ARN (null and empty members left out); C({}) for a
      project that does not exist. With C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.codebuild import (  # noqa: E402
    AnsibleCodeBuildError,
    ServiceRoles,
    codebuild_client,
    create_project,
    create_request_errors,
    delete_project,
    desired_project,
    for_diff,
    get_project,
    iam_client,
    project_differs,
    project_from_api,
    project_options,
    project_to_api,
    redact_secrets,
    secret_looking_variables,
    secrets_warning,
    tag_count_error,
    update_project,
    validate,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import run_model_checked  # noqa: E402


def model_errors(service_model, params):
    """CreateProject of the declared project checked against the CodeBuild model before any call (see
    codebuild.create_request_errors); nothing to check for a deletion."""
    if params["state"] == "absent":
        return []
    return create_request_errors(service_model, params)


class CodeBuildProjectManager:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.changed = False
        self.roles = ServiceRoles(module, lambda: iam_client(module))

    def ensure_absent(self, current_api):
        before = project_from_api(current_api) if current_api else None
        if current_api:
            self.changed = True
            if not self.module.check_mode:
                delete_project(self.client, self.params["name"])
        result = {"changed": self.changed}
        result.update(diff_payload(self.module, for_diff(before), {}))
        return result

    def ensure_present(self, current_api):
        current = project_from_api(current_api) if current_api else None
        role_arn = self.roles.arn(self.params["service_role"], current["service_role"] if current else None)
        desired = desired_project(self.params, role_arn, current, self.params["purge_tags"])
        too_many = tag_count_error(desired)
        if too_many:
            self.module.fail_json(msg=too_many)
        after = desired
        if current is None:
            self.changed = True
            if not self.module.check_mode:
                after = project_from_api(create_project(self.client, project_to_api(desired)))
        elif project_differs(current, desired):
            self.changed = True
            if not self.module.check_mode:
                after = project_from_api(update_project(self.client, project_to_api(desired, current_api)))
        else:
            after = current
        result = {"changed": self.changed, "project": redact_secrets(after)}
        result.update(diff_payload(self.module, for_diff(current), for_diff(after)))
        return result

    def process(self):
        secret_looking = secret_looking_variables(self.params.get("environment"))
        if secret_looking and self.params["state"] == "present":
            self.module.warn(secrets_warning(secret_looking))
        current_api = get_project(self.client, self.params["name"])
        if self.params["state"] == "absent":
            return self.ensure_absent(current_api)
        return self.ensure_present(current_api)


def main():
    argument_spec = dict(
        **project_options(),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ("source", "artifacts", "environment", "service_role"))],
        supports_check_mode=True,
    )

    errors = validate(module.params, module.region)

    run_model_checked(
        module,
        errors,
        lambda: codebuild_client(module),
        lambda service_model: model_errors(service_model, module.params),
        lambda client: CodeBuildProjectManager(module, client).process(),
        AnsibleCodeBuildError,
    )


if __name__ == "__main__":
    main()
