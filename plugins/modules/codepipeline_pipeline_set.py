#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: codepipeline_pipeline_set
short_description: Manage the set of CodePipeline pipelines whose names share a prefix
version_added: 1.1.0
description:
  - Makes the CodePipeline pipelines whose names start with O(prefix) match O(pipelines) in one task, where a loop
    over M(securecloud.monitor.codepipeline_pipeline) would start one module process per pipeline.
  - The scope is read with one paginated C(ListPipelines) (the API has no name filter, so the prefix is applied to
    the listed names); each declared pipeline that exists is read with one C(GetPipeline) and one
    C(ListTagsForResource) (the API has no call that returns several pipelines). With C(--diff), each pipeline to
    delete is read too, to show what it held.
  - Each pipeline is compared as M(securecloud.monitor.codepipeline_pipeline) compares it (the same canonical form,
    AWS defaults made explicit, configuration values as strings, masked secrets not compared), so a re-run reports
    no change, makes no mutating call and leaves every pipeline's version alone; a pipeline that differs is reported
    in RV(updated) and its diff names what differs.
  - Every input problem is reported before any call to AWS, naming the field (for example
    C(pipelines[1].stages[2].actions[0].input_artifacts)) and the fix; the C(CreatePipeline) request of every
    declared pipeline is then checked against the CodePipeline service model before the first write.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  prefix:
    required: true
  pipelines:
    description:
      - The pipelines that must exist in the scope, each with the options of
        M(securecloud.monitor.codepipeline_pipeline). The order does not matter.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - Name of the pipeline (1-100 letters, digits, V(.), V(@), V(_) or V(-)); must start with O(prefix).
        type: str
        required: true
      role_arn:
        description:
          - The service role CodePipeline assumes, as an ARN or a role name in the caller's account.
        type: str
        required: true
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
        description: Where the artifacts between actions are kept.
        type: dict
        required: true
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
        description: The stages in order; the whole list is the pipeline.
        type: list
        elements: dict
        required: true
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
                    V(CodeDeployToECS); with O(pipelines[].stages[].actions[].owner=AWS) it must be one AWS offers
                    for the category.
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
                  - A value AWS masks when it returns the pipeline (C(OAuthToken) of a GitHub version 1 action)
                    cannot be compared, so changing only it does not update the pipeline; it is shown as C(****).
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
                        description:
                          - Rule provider, for example V(CloudWatchAlarm), V(DeploymentWindow) or V(LambdaInvoke).
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
                        description:
                          - Rule provider, for example V(CloudWatchAlarm), V(DeploymentWindow) or V(LambdaInvoke).
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
                        description:
                          - Rule provider, for example V(CloudWatchAlarm), V(DeploymentWindow) or V(LambdaInvoke).
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
                  - Push filters (at most 3). In one filter, V(tags) cannot be combined with V(branches) or
                    V(file_paths).
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
      tags:
        description:
          - Tags of the pipeline. Not set, the pipeline's tags are left alone; see O(purge_tags).
        type: dict
        aliases: [resource_tags]
  purge_tags:
    description:
      - With V(true), the tags of a declared pipeline that its O(pipelines[].tags) does not list are removed (tags
        whose key starts with C(aws:) are kept). A pipeline without O(pipelines[].tags) keeps its tags whatever this
        is.
    type: bool
    default: true
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made; the returned versions
    are those a real run would leave.
  - O(prefix) may be V('') to make every pipeline of the account and region the scope on purpose; with O(purge)
    (true when not set) the task then deletes every pipeline it does not declare. A role that shares a prefix with
    pipelines it does not own (an environment C(prod) next to C(prod-eu)) sets O(purge=false).
  - A role given by name in O(pipelines[].role_arn) costs one C(sts:GetCallerIdentity) per task, whatever the number
    of pipelines.
extends_documentation_fragment:
  - securecloud.monitor.set_module
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The pipelines of prod; pipelines named prod-* that are not listed are left alone
  securecloud.monitor.codepipeline_pipeline_set:
    prefix: prod-
    purge: false
    pipelines:
      - name: prod-inventory-app
        role_arn: prod-codepipeline
        execution_mode: QUEUED
        artifact_store:
          location: prod-delivery-artifacts-123456789012
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
                output_artifacts: [SourceOutput]
          - name: Build
            actions:
              - name: Image
                category: Build
                provider: CodeBuild
                configuration: {ProjectName: prod-inventory-app-build}
                input_artifacts: [SourceOutput]
        tags:
          Environment: prod

- name: Delete every pipeline whose name starts with sandbox-
  securecloud.monitor.codepipeline_pipeline_set:
    prefix: sandbox-
    state: absent
"""

RETURN = r"""
pipelines:
  description:
    - The pipelines in the scope after the task (in check mode, as they would be), sorted by name.
    - A declared pipeline as M(securecloud.monitor.codepipeline_pipeline) returns it (canonical form, snake_case,
      the actions' C(configuration) keys as AWS spells them), with its C(arn) and C(tags).
    - A pipeline the task neither declares nor deletes (O(purge=false)) is not read, so it has its C(name) and
      C(version) only.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "prod-inventory-app", "pipeline_type": "V2", "version": 3, "tags": {"Environment": "prod"},
            "arn": "arn:aws:codepipeline:eu-west-1:123456789012:prod-inventory-app"}]
created:
  description: Names of the pipelines created.
  returned: always
  type: list
  elements: str
  sample: [prod-inventory-app]
updated:
  description: Names of the pipelines that differed from their declaration (the pipeline, its tags or both).
  returned: always
  type: list
  elements: str
deleted:
  description: Names of the pipelines deleted.
  returned: always
  type: list
  elements: str
diff:
  description:
    - The pipelines created, updated or deleted, by name, before and after (canonical form, with their tags), with
      C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a write failed partway (retries exhausted, a permission missing); the task then fails. The names of
      the pipelines all of whose writes were made, in the order the plan made them. See the notes.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod-inventory-app]
not_written:
  description:
    - Set only when a write failed partway. The names of the pipelines with a write not made, the one whose write
      failed first; a rerun of the task writes what is missing.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod-billing-app]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import codepipeline as cp  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import plan_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import run_model_checked  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import (  # noqa: E402
    PlannedSetManager,
    declared_items,
    declared_name_errors,
    deletes_undeclared,
    set_argument_spec,
    settle,
)


def validate(params):
    """Every problem with the task's input, each naming its option and the fix (no AWS call)."""
    errors = declared_name_errors(params, "pipelines", "pipeline")
    for index, item in enumerate(declared_items(params, "pipelines")):
        errors += cp.declared_errors(item, at=f"pipelines[{index}].")
    return errors


def model_errors(service_model, params):
    """The CreatePipeline request of every declared pipeline checked against the CodePipeline model, so that the whole
    set is refused before its first write; [] when AWS would take them all. UpdatePipeline sends the same pipeline."""
    requests = [
        ("CreatePipeline", cp.model_request(item), f"pipelines[{index}]")
        for index, item in enumerate(declared_items(params, "pipelines"))
    ]
    return plan_errors(service_model, requests, cp.MODEL_RENAMES)


class PipelineSetManager(PlannedSetManager):
    def __init__(self, module, client):
        super().__init__(module, client)
        self.account = None

    def account_info(self):
        """(account, partition), read once per task and only for a role given by name."""
        if self.account is None:
            self.account = get_aws_account_info(self.module)
        return self.account

    def process(self):
        listed = {p["name"]: p for p in cp.list_pipelines(self.client) if self.in_scope(p["name"])}
        declared = {item["name"]: item for item in declared_items(self.params, "pipelines")}
        after = {
            name: {"name": name, "version": p.get("version")} for name, p in listed.items() if name not in declared
        }
        created, updated, deleted = [], [], []
        before_diff, after_diff = {}, {}
        for name in sorted(declared):
            current = cp.get_pipeline(self.client, name) if name in listed else {}
            plan, arn = self.plan_pipeline(declared[name], current or {})
            if plan.create:
                created.append(name)
            elif cp.changes(plan):
                updated.append(name)
            if cp.changes(plan):
                before_diff[name], after_diff[name] = plan.before, plan.after
            after[name] = dict(cp.pipeline_view(plan), arn=arn, tags=plan.tags)
        if deletes_undeclared(self.params):
            for name in sorted(set(listed) - set(declared)):
                deleted.append(name)
                self.plan(name, cp.delete_pipeline, name)
                del after[name]
                if self.module._diff:
                    # Only --diff shows what a deleted pipeline held.
                    before_diff[name] = cp.canonical_pipeline(
                        (cp.get_pipeline(self.client, name) or {}).get("pipeline")
                    )
        self.apply_plan()
        return {
            "changed": self.changed,
            "pipelines": [after[name] for name in sorted(after)],
            "created": created,
            "updated": updated,
            "deleted": deleted,
            **diff_payload(self.module, before_diff, after_diff),
        }

    def plan_pipeline(self, item, current):
        """Plan the writes that make one declared pipeline as declared; (its PipelinePlan, its ARN after the task,
        None for a pipeline check mode would create)."""
        name = item["name"]
        desired = cp.api_pipeline(item, cp.role_arn_of(item["role_arn"], self.account_info))
        arn = (current.get("metadata") or {}).get("pipelineArn")
        current_tags = cp.get_tags(self.client, arn) if arn else {}
        plan = cp.plan_pipeline(current, desired, current_tags, item.get("tags"), self.params["purge_tags"])
        if plan.create:
            self.plan(name, cp.create_pipeline, desired, plan.tags)
            arn = None if self.module.check_mode else cp.pipeline_arn(self.client, desired["roleArn"], name)
        if plan.update:
            self.plan(name, cp.update_pipeline, dict(desired, version=current["pipeline"]["version"]))
        if plan.to_set:
            self.plan(name, cp.tag_pipeline, arn, plan.to_set)
        if plan.to_unset:
            self.plan(name, cp.untag_pipeline, arn, plan.to_unset)
        return plan, arn


def main():
    pipeline = dict(
        name=dict(type="str", required=True),
        **cp.pipeline_options(),
        tags=dict(type="dict", aliases=["resource_tags"]),
    )
    for option in ("role_arn", "artifact_store", "stages"):
        # Each item declares a whole pipeline (the single module needs them only with state present).
        pipeline[option] = dict(pipeline[option], required=True)
    argument_spec = dict(
        **set_argument_spec(),
        pipelines=dict(type="list", elements="dict", default=[], options=pipeline),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    settle(module)

    run_model_checked(
        module,
        validate(module.params),
        lambda: module.client("codepipeline"),
        lambda service_model: model_errors(service_model, module.params),
        lambda client: PipelineSetManager(module, client).process(),
        cp.AnsibleCodePipelineError,
    )


if __name__ == "__main__":
    main()
