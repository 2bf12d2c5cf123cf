#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: codepipeline_pipeline
short_description: Manage an AWS CodePipeline pipeline declared whole, updated only when it differs
version_added: 1.0.0
description:
  - Creates, updates or deletes one CodePipeline pipeline (type V1 or V2, execution mode, artifact store with its KMS
    key, stages and actions, variables and Git triggers (V2), tags).
  - The declared pipeline is compared with C(GetPipeline) in a canonical form (AWS defaults such as C(runOrder) 1,
    empty artifact lists, configuration values as strings, the V1 type and C(SUPERSEDED) mode when AWS leaves them
    out) and C(UpdatePipeline) is called only when something differs. A re-run with the same input makes read
    calls only, reports no change and leaves the pipeline version alone (the stock
    M(community.aws.codepipeline) updates, and bumps the version, on every run).
  - Every input is checked before any AWS call (at least two stages, Source actions in the first stage only, unique
    stage and action names, each input artifact produced by an earlier action, unique output artifacts, a provider
    AWS offers for the action's category, triggers and variables on V2 pipelines only, triggers naming a
    C(CodeStarSourceConnection) source action). The error names the field and the fix.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  name:
    description: Name of the pipeline (1-100 letters, digits, V(.), V(@), V(_) or V(-)).
    type: str
    required: true
  state:
    description: V(present) creates or updates the pipeline, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  role_arn:
    description:
      - The service role CodePipeline assumes, as an ARN or a role name in the caller's account.
      - Required with O(state=present).
    type: str
  pipeline_type:
    description: V(V2) has variables, triggers and the execution modes; V(V1) is the original type.
    type: str
    choices: [V1, V2]
    default: V2
  execution_mode:
    description: How executions that start while one runs are handled (V(QUEUED) and V(PARALLEL) need V(V2)).
    type: str
    choices: [QUEUED, SUPERSEDED, PARALLEL]
    default: SUPERSEDED
  artifact_store:
    description: Where the artifacts between actions are kept. Required with O(state=present).
    type: dict
    suboptions:
      type:
        description: Kind of store; only V(S3) exists.
        type: str
        choices: [S3]
        default: S3
      location:
        description: Name of the S3 bucket (versioning enabled).
        type: str
        required: true
      encryption_key:
        description: KMS key that encrypts the artifacts; not set, the AWS managed key C(aws/s3) does.
        type: dict
        suboptions:
          id:
            description: Key ARN, key ID or alias ARN.
            type: str
            required: true
          type:
            description: Kind of key; only V(KMS) exists.
            type: str
            choices: [KMS]
            default: KMS
  stages:
    description: The stages in order. Required with O(state=present); the whole list is the pipeline.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the stage, unique in the pipeline.
        type: str
        required: true
      actions:
        description: The actions of the stage; at least one.
        type: list
        elements: dict
        required: true
        suboptions:
          name:
            description: Name of the action, unique in the stage.
            type: str
            required: true
          category:
            description: Category of the action.
            type: str
            required: true
            choices: [Source, Build, Test, Deploy, Approval, Invoke, Compute]
          owner:
            description:
              - V(AWS) for AWS providers, V(ThirdParty) or V(Custom) for others (their providers are not checked).
              - C(GitHub) (version 1) and C(AlexaSkillsKit) are V(ThirdParty) providers.
            type: str
            choices: [AWS, ThirdParty, Custom]
            default: AWS
          provider:
            description:
              - Provider of the action, for example V(CodeStarSourceConnection), V(CodeBuild), V(Manual) or
                V(CodeDeployToECS); with O(stages[].actions[].owner=AWS) it must be one AWS offers for the category.
            type: str
            required: true
          version:
            description: Version of the action type.
            type: str
            default: "1"
          run_order:
            description: Order of the action in its stage; actions with the same number run in parallel.
            type: int
            default: 1
          configuration:
            description:
              - The provider's configuration (for example C(ConnectionArn), C(FullRepositoryId), C(BranchName)).
              - Values are sent and compared as strings; YAML booleans become V(true)/V(false), dicts and lists
                become JSON text. JSON text is compared by content, not spacing.
              - A value AWS masks when it returns the pipeline (C(OAuthToken) of a GitHub version 1 action) cannot be
                compared, so changing only it does not update the pipeline; it is shown as C(****).
            type: dict
            default: {}
          input_artifacts:
            description:
              - Names of the artifacts the action reads; each must be produced by an earlier action.
              - The number is checked for AWS providers whose artifact counts AWS documents (a C(Manual) approval
                takes none, a C(CodeStarSourceConnection) source exactly one output, C(CodeDeployToECS) 1 to 3
                inputs, ...).
            type: list
            elements: str
            default: []
          output_artifacts:
            description: Names of the artifacts the action produces; unique in the pipeline.
            type: list
            elements: str
            default: []
          namespace:
            description: Variable namespace of the action's output variables.
            type: str
          role_arn:
            description: Role the action assumes instead of the pipeline's.
            type: str
          region:
            description: Region of a cross-region action.
            type: str
          timeout_in_minutes:
            description: Timeout of the action (some providers only).
            type: int
      on_failure:
        description:
          - What happens when the stage fails (V2 only), for example V(ROLLBACK) to the last successful execution.
          - Left out, the stage has no failure conditions (a pipeline with some has them removed).
        type: dict
        suboptions:
          result:
            description: The result of a failure.
            type: str
            choices: [ROLLBACK, FAIL, RETRY, SKIP]
          retry_configuration:
            description: Which actions a V(RETRY) result retries.
            type: dict
            suboptions:
              retry_mode:
                description: Retry the failed actions only, or every action of the stage.
                type: str
                choices: [FAILED_ACTIONS, ALL_ACTIONS]
          conditions:
            description: The condition (AWS takes one), a result and the rules that decide it.
            type: list
            elements: dict
            suboptions:
              result:
                description: What happens when the rules fail.
                type: str
                choices: [ROLLBACK, FAIL, RETRY, SKIP]
              rules:
                description: One to five rules.
                type: list
                elements: dict
                required: true
                suboptions:
                  name:
                    description: Name of the rule.
                    type: str
                    required: true
                  provider:
                    description: Rule provider, for example V(CloudWatchAlarm), V(DeploymentWindow), V(LambdaInvoke).
                    type: str
                    required: true
                  version:
                    description: Version of the rule type.
                    type: str
                    default: "1"
                  configuration:
                    description: The rule's configuration; values are sent as strings, as for actions.
                    type: dict
                    default: {}
                  commands:
                    description: Shell commands of a C(Commands) rule.
                    type: list
                    elements: str
                  input_artifacts:
                    description: Artifacts the rule reads.
                    type: list
                    elements: str
                  role_arn:
                    description: Role the rule assumes.
                    type: str
                  region:
                    description: Region of the rule.
                    type: str
                  timeout_in_minutes:
                    description: Timeout of the rule.
                    type: int
      on_success:
        description: A condition checked when the stage succeeds (V2 only).
        type: dict
        suboptions:
          conditions:
            description: The condition (AWS takes one), a result and the rules that decide it.
            type: list
            elements: dict
            required: true
            suboptions:
              result:
                description: What happens when the rules fail.
                type: str
                choices: [ROLLBACK, FAIL, RETRY, SKIP]
              rules:
                description: One to five rules.
                type: list
                elements: dict
                required: true
                suboptions:
                  name:
                    description: Name of the rule.
                    type: str
                    required: true
                  provider:
                    description: Rule provider, for example V(CloudWatchAlarm), V(DeploymentWindow), V(LambdaInvoke).
                    type: str
                    required: true
                  version:
                    description: Version of the rule type.
                    type: str
                    default: "1"
                  configuration:
                    description: The rule's configuration; values are sent as strings, as for actions.
                    type: dict
                    default: {}
                  commands:
                    description: Shell commands of a C(Commands) rule.
                    type: list
                    elements: str
                  input_artifacts:
                    description: Artifacts the rule reads.
                    type: list
                    elements: str
                  role_arn:
                    description: Role the rule assumes.
                    type: str
                  region:
                    description: Region of the rule.
                    type: str
                  timeout_in_minutes:
                    description: Timeout of the rule.
                    type: int
      before_entry:
        description: A condition checked before the stage runs (V2 only).
        type: dict
        suboptions:
          conditions:
            description: The condition (AWS takes one), a result and the rules that decide it.
            type: list
            elements: dict
            required: true
            suboptions:
              result:
                description: What happens when the rules fail.
                type: str
                choices: [ROLLBACK, FAIL, RETRY, SKIP]
              rules:
                description: One to five rules.
                type: list
                elements: dict
                required: true
                suboptions:
                  name:
                    description: Name of the rule.
                    type: str
                    required: true
                  provider:
                    description: Rule provider, for example V(CloudWatchAlarm), V(DeploymentWindow), V(LambdaInvoke).
                    type: str
                    required: true
                  version:
                    description: Version of the rule type.
                    type: str
                    default: "1"
                  configuration:
                    description: The rule's configuration; values are sent as strings, as for actions.
                    type: dict
                    default: {}
                  commands:
                    description: Shell commands of a C(Commands) rule.
                    type: list
                    elements: str
                  input_artifacts:
                    description: Artifacts the rule reads.
                    type: list
                    elements: str
                  role_arn:
                    description: Role the rule assumes.
                    type: str
                  region:
                    description: Region of the rule.
                    type: str
                  timeout_in_minutes:
                    description: Timeout of the rule.
                    type: int
  variables:
    description: Pipeline-level variables (V2 only).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the variable.
        type: str
        required: true
      default_value:
        description: Value when an execution does not set one.
        type: str
      description:
        description: What the variable is for.
        type: str
  triggers:
    description:
      - Git triggers that start the pipeline (V2 only); without triggers the source action detects changes.
    type: list
    elements: dict
    default: []
    suboptions:
      provider_type:
        description: Only V(CodeStarSourceConnection) exists.
        type: str
        choices: [CodeStarSourceConnection]
        default: CodeStarSourceConnection
      git_configuration:
        description: Which source action and which Git events start the pipeline.
        type: dict
        required: true
        suboptions:
          source_action_name:
            description: Name of a V(CodeStarSourceConnection) action of the first stage.
            type: str
            required: true
          push:
            description:
              - Push filters (at most 3). In one filter, V(tags) cannot be combined with V(branches) or V(file_paths).
            type: list
            elements: dict
            default: []
            suboptions:
              branches:
                description: Branches whose pushes start the pipeline.
                type: dict
                suboptions:
                  includes:
                    description: Glob patterns that start the pipeline.
                    type: list
                    elements: str
                  excludes:
                    description: Glob patterns that do not.
                    type: list
                    elements: str
              file_paths:
                description: Changed files that start the pipeline.
                type: dict
                suboptions:
                  includes:
                    description: Glob patterns that start the pipeline.
                    type: list
                    elements: str
                  excludes:
                    description: Glob patterns that do not.
                    type: list
                    elements: str
              tags:
                description: Git tags that start the pipeline.
                type: dict
                suboptions:
                  includes:
                    description: Glob patterns that start the pipeline.
                    type: list
                    elements: str
                  excludes:
                    description: Glob patterns that do not.
                    type: list
                    elements: str
          pull_request:
            description: Pull request filters (at most 3).
            type: list
            elements: dict
            default: []
            suboptions:
              events:
                description: Pull request events that start the pipeline.
                type: list
                elements: str
                choices: [OPEN, UPDATED, CLOSED]
              branches:
                description: Target branches of the pull requests.
                type: dict
                suboptions:
                  includes:
                    description: Glob patterns that start the pipeline.
                    type: list
                    elements: str
                  excludes:
                    description: Glob patterns that do not.
                    type: list
                    elements: str
              file_paths:
                description: Changed files that start the pipeline.
                type: dict
                suboptions:
                  includes:
                    description: Glob patterns that start the pipeline.
                    type: list
                    elements: str
                  excludes:
                    description: Glob patterns that do not.
                    type: list
                    elements: str
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made; the returned version is
    the one a real run would leave.
  - A re-run with the same input makes two read calls (C(GetPipeline), C(ListTagsForResource)), and
    C(sts:GetCallerIdentity) when O(role_arn) is a role name.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Build and deploy a service on every push to main
  securecloud.monitor.codepipeline_pipeline:
    name: prod-inventory-app
    role_arn: prod-codepipeline
    pipeline_type: V2
    execution_mode: QUEUED
    artifact_store:
      location: prod-delivery-artifacts-123456789012
      encryption_key: {id: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
    stages:
      - name: Source
        actions:
          - name: GitHub
            category: Source
            provider: CodeStarSourceConnection
            configuration:
              ConnectionArn: "{{ github_connection_arn }}"
              FullRepositoryId: acme/inventory-app
              BranchName: main
              DetectChanges: false
            output_artifacts: [SourceOutput]
      - name: Build
        actions:
          - name: Image
            category: Build
            provider: CodeBuild
            configuration: {ProjectName: prod-inventory-app-build}
            input_artifacts: [SourceOutput]
            output_artifacts: [BuildOutput]
      - name: Approve
        actions:
          - name: Review
            category: Approval
            provider: Manual
      - name: Deploy
        on_failure: {result: ROLLBACK}
        actions:
          - name: BlueGreen
            category: Deploy
            provider: CodeDeployToECS
            configuration:
              ApplicationName: prod-inventory-app
              DeploymentGroupName: prod-inventory-app
              TaskDefinitionTemplateArtifact: BuildOutput
              AppSpecTemplateArtifact: BuildOutput
            input_artifacts: [BuildOutput]
    triggers:
      - git_configuration:
          source_action_name: GitHub
          push:
            - branches: {includes: [main]}
            - tags: {includes: ["v*"]}
          pull_request:
            - events: [OPEN, UPDATED]
              branches: {includes: [main]}
    tags:
      Environment: prod

- name: Delete the pipeline
  securecloud.monitor.codepipeline_pipeline:
    name: prod-inventory-app
    state: absent
"""

RETURN = r"""
pipeline:
  description:
    - The pipeline after the task (in check mode, as it would be), as C(GetPipeline) shapes it in snake_case (the
      actions' C(configuration) keys are kept as AWS spells them). Empty after O(state=absent).
  returned: always
  type: dict
  sample: {"name": "prod-inventory-app", "pipeline_type": "V2", "execution_mode": "QUEUED", "version": 3,
           "stages": [{"name": "Source", "actions": [{"name": "GitHub", "run_order": 1}]}]}
version:
  description: Version of the pipeline after the task; unchanged by a run that changes nothing.
  returned: when O(state=present)
  type: int
  sample: 3
arn:
  description: ARN of the pipeline.
  returned: when the pipeline exists after the task (not for a pipeline a check-mode run would create)
  type: str
  sample: arn:aws:codepipeline:eu-west-1:123456789012:prod-inventory-app
tags:
  description: Tags of the pipeline after the task.
  returned: when O(state=present)
  type: dict
  sample: {"Environment": "prod"}
diff:
  description: Before and after state of the pipeline (canonical form, with tags), with C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import codepipeline as cp  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import plan_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import run_model_checked  # noqa: E402


def validate(params):
    if params["state"] == "absent":
        return []
    return cp.declared_errors(params)


def model_errors(service_model, params):
    """CreatePipeline of the declared pipeline checked against the CodePipeline model (name patterns and lengths of
    the pipeline, stages, actions, artifacts and variables, ranges, enums, the role ARN's form) before any call;
    [] when AWS would take it. Run once validate passes. UpdatePipeline sends the same pipeline."""
    if params["state"] == "absent":
        return []
    return plan_errors(service_model, [("CreatePipeline", cp.model_request(params))], cp.MODEL_RENAMES)


class PipelineManager:
    def __init__(self, module, client):
        self.module = module
        self.params = module.params
        self.client = client
        self.name = self.params["name"]

    def process(self):
        current = cp.get_pipeline(self.client, self.name) or {}
        if self.params["state"] == "absent":
            return self.ensure_absent(current)
        return self.ensure_present(current)

    def ensure_present(self, current):
        desired = cp.api_pipeline(self.params, cp.role_arn_of(self.params["role_arn"], self.account_info))
        arn = (current.get("metadata") or {}).get("pipelineArn")
        current_tags = cp.get_tags(self.client, arn) if arn else {}
        plan = cp.plan_pipeline(current, desired, current_tags, self.params.get("tags"), self.params["purge_tags"])
        version = plan.version
        if not self.module.check_mode:
            if plan.create:
                version = cp.create_pipeline(self.client, desired, plan.tags)["pipeline"].get("version", 1)
                arn = cp.pipeline_arn(self.client, desired["roleArn"], self.name)
            if plan.update:
                version = cp.update_pipeline(self.client, dict(desired, version=current["pipeline"]["version"]))
                version = version["version"]
            if plan.to_set:
                cp.tag_pipeline(self.client, arn, plan.to_set)
            if plan.to_unset:
                cp.untag_pipeline(self.client, arn, plan.to_unset)
        pipeline = dict(cp.pipeline_view(plan), version=version)
        result = {"changed": cp.changes(plan), "pipeline": pipeline, "version": version, "tags": plan.tags}
        if arn:
            result["arn"] = arn
        result.update(diff_payload(self.module, plan.before, plan.after))
        return result

    def account_info(self):
        return get_aws_account_info(self.module)

    def ensure_absent(self, current):
        before = current.get("pipeline") or {}
        if before and not self.module.check_mode:
            cp.delete_pipeline(self.client, self.name)
        result = {"changed": bool(before), "pipeline": {}}
        result.update(diff_payload(self.module, cp.canonical_pipeline(before), {}))
        return result


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        **cp.pipeline_options(),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    errors = validate(module.params)

    run_model_checked(
        module,
        errors,
        lambda: module.client("codepipeline"),
        lambda service_model: model_errors(service_model, module.params),
        lambda client: PipelineManager(module, client).process(),
        cp.AnsibleCodePipelineError,
    )


if __name__ == "__main__":
    main()
