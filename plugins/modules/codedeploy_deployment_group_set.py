#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: codedeploy_deployment_group_set
short_description: Manage every ECS blue/green deployment group of a CodeDeploy application with a name prefix
version_added: 1.1.0
description:
  - Makes the deployment groups of the CodeDeploy application O(application_name) whose names start with O(prefix)
    match O(deployment_groups), each as M(securecloud.monitor.codedeploy_deployment_group) makes one group, in one
    task.
  - The application is created, with compute platform C(ECS), when it does not exist and a group is declared. An
    existing application of another compute platform (C(Server), C(Lambda)) is an error.
  - Each declared group is compared with the group AWS holds exactly as the single module compares them (AWS's
    defaults filled in; target groups, listeners, alarms and rollback events as sets). C(UpdateDeploymentGroup) is
    called only for a group that differs, with every setting; a re-run with the same input changes nothing.
  - Deployment groups in the scope that O(deployment_groups) does not declare are deleted when O(purge=true). They
    are deleted before any group is created, because an ECS service can belong to one deployment group only (a
    group renamed for the same service).
  - Every option of every group is checked before any AWS call, and the error names the option, for example
    C(deployment_groups[2].target_groups), and the fix. The requests of the declared groups are then checked against
    the CodeDeploy service model, before the set's first write.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  application_name:
    description:
      - Name of the CodeDeploy application, 1 to 100 letters, digits or C(+=,.@_-). Created with compute platform
        C(ECS) when missing. The scope is the deployment groups of this application only.
    type: str
    required: true
  prefix:
    required: true
  delete_application:
    description:
      - With O(state=absent), also delete the application once the task has deleted its deployment groups, when no
        group outside the scope uses it (there is none with O(prefix=''); otherwise the application is kept and the
        task warns). Deleting an application deletes its deployment history.
    type: bool
    default: false
  deployment_groups:
    description:
      - The deployment groups in the scope, each with the options of
        M(securecloud.monitor.codedeploy_deployment_group) (less O(application_name), O(state) and
        O(delete_application), which are the task's). The order does not matter.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the deployment group, starting with O(prefix); 1 to 100 letters, digits or C(+=,.@_-).
        type: str
        required: true
        aliases: [deployment_group_name]
      service_role:
        description:
          - The IAM role CodeDeploy acts as, its ARN or its name, as
            O(securecloud.monitor.codedeploy_deployment_group#module:service_role).
        type: str
        required: true
      deployment_config_name:
        description:
          - How traffic shifts, as O(securecloud.monitor.codedeploy_deployment_group#module:deployment_config_name).
        type: str
        default: CodeDeployDefault.ECSAllAtOnce
      ecs_service:
        description: The ECS service the group deploys; it must use the C(CODE_DEPLOY) deployment controller.
        type: dict
        required: true
        suboptions:
          cluster_name:
            description: Name of the ECS cluster of the service, or the cluster's ARN.
            type: str
            required: true
          service_name:
            description: Name of the ECS service, or the service's ARN.
            type: str
            required: true
      target_groups:
        description: The two target groups (blue, then green), by name or ARN; compared as a set.
        type: list
        elements: str
        required: true
      prod_listener_arns:
        description: The ARN of the listener that serves production traffic. Exactly one.
        type: list
        elements: str
        required: true
      test_listener_arns:
        description: The ARN of a listener for test traffic, at most one. Not set, no test traffic route.
        type: list
        elements: str
      termination_wait_minutes:
        description: Minutes the blue task set is kept after a successful deployment, 0 to 2880.
        type: int
        default: 5
      deployment_ready_action:
        description:
          - As O(securecloud.monitor.codedeploy_deployment_group#module:deployment_ready_action).
        type: str
        choices: [CONTINUE_DEPLOYMENT, STOP_DEPLOYMENT]
        default: CONTINUE_DEPLOYMENT
      deployment_ready_wait_minutes:
        description: With V(STOP_DEPLOYMENT), the minutes to wait for C(ContinueDeployment), 1 to 2880.
        type: int
      auto_rollback:
        description: Automatic rollback, as O(securecloud.monitor.codedeploy_deployment_group#module:auto_rollback).
        type: dict
        suboptions:
          enabled:
            description: Roll back automatically on the events.
            type: bool
            default: true
          events:
            description:
              - The events that trigger a rollback. Not set, V(DEPLOYMENT_FAILURE), plus V(DEPLOYMENT_STOP_ON_ALARM)
                when there are alarms.
            type: list
            elements: str
            choices: [DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM, DEPLOYMENT_STOP_ON_REQUEST]
      alarms:
        description: CloudWatch alarms that stop the deployment; not set or empty, no alarm configuration.
        type: dict
        suboptions:
          names:
            description: Names of the CloudWatch alarms, at most 10, each once. Compared as a set.
            type: list
            elements: str
            default: []
          ignore_poll_alarm_failure:
            description: Go on when CodeDeploy cannot read the alarms' state. Ignored without alarms.
            type: bool
            default: false
      tags:
        description: Tags of the deployment group. Not set leaves the tags of an existing group alone.
        type: dict
  purge_tags:
    description:
      - Remove tags of a declared group that are not in its O(deployment_groups[].tags). No effect on a group whose
        O(deployment_groups[].tags) is not set. Tags starting with V(aws:) are never removed.
    type: bool
    default: true
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made, and the result says
    exactly what a real run would change; a group check mode would create has C(deployment_group_id) null.
  - O(prefix) is required and may be V(''), every deployment group of the application.
  - A run reads the application (C(GetApplication)), its groups (C(ListDeploymentGroups), every page), the declared
    groups that exist with one C(BatchGetDeploymentGroups) (up to 100 groups a call), the account of the credentials
    (C(sts:GetCallerIdentity), for the groups' ARNs) and each existing declared group's tags
    (C(ListTagsForResource)); with C(--diff) also the groups it deletes and their tags. A re-run with the same input
    makes no other call.
  - A group in the scope that the task neither declares nor deletes (O(purge=false)) is not read; it is returned with
    its name only.
  - In the result's C(written) and C(not_written), creating the application counts as a write of the first group
    created, and deleting it as a write named O(application_name).
extends_documentation_fragment:
  - securecloud.monitor.set_module
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Every deployment group of the prod-services application; a group not listed is deleted
  securecloud.monitor.codedeploy_deployment_group_set:
    application_name: prod-services
    prefix: ""
    deployment_groups:
      - name: prod-inventory-app
        service_role: arn:aws:iam::123456789012:role/prod-codedeploy
        deployment_config_name: CodeDeployDefault.ECSCanary10Percent5Minutes
        ecs_service: {cluster_name: prod, service_name: inventory-app}
        target_groups: [prod-inventory-blue, prod-inventory-green]
        prod_listener_arns:
          - arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/inv/50dc6c495c0c9188/f2f7dc8efc522ab2
        alarms:
          names: [prod-mon-inventory-app-5xx]
        tags: {Environment: prod}

- name: Delete every group of the application, then the application
  securecloud.monitor.codedeploy_deployment_group_set:
    application_name: prod-services
    prefix: ""
    state: absent
    delete_application: true
"""

RETURN = r"""
application_name:
  description: Name of the CodeDeploy application.
  returned: always
  type: str
  sample: prod-services
deployment_groups:
  description:
    - The deployment groups in the scope after the task (in check mode, as they would be), sorted by name, each in
      the shape of
      RV(securecloud.monitor.codedeploy_deployment_group#module:deployment_group).
    - A group the task neither declares nor deletes has C(deployment_group_name) only.
  returned: always
  type: list
  elements: dict
  sample:
    - deployment_group_name: prod-inventory-app
      deployment_group_id: 01f8ef66-1006-4ba1-8199-02b96d24b149
      compute_platform: ECS
      deployment_config_name: CodeDeployDefault.ECSCanary10Percent5Minutes
      tags: {Environment: prod}
created:
  description: Names of the deployment groups created (or that check mode would create).
  returned: always
  type: list
  elements: str
  sample: [prod-inventory-app]
updated:
  description: Names of the deployment groups whose settings or tags differed and were changed.
  returned: always
  type: list
  elements: str
  sample: []
deleted:
  description: Names of the deployment groups deleted.
  returned: always
  type: list
  elements: str
  sample: []
application_deleted:
  description: Whether the task deleted the application (O(state=absent) with O(delete_application=true)).
  returned: always
  type: bool
  sample: false
diff:
  description:
    - The groups created, changed or deleted, by name, before and after (without their IDs), with C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a write failed partway (retries exhausted, a permission missing); the task then fails. The names of
      the groups all of whose writes were made, in the order the plan made them. See the notes.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod-api-gateway]
not_written:
  description:
    - Set only when a write failed partway. The names of the groups with a write not made, the one whose write failed
      first; a rerun of the task writes what is missing.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod-inventory-app]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import codedeploy as cd  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import plan_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import run_model_checked  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import (  # noqa: E402
    PlannedSetManager,
    declared_items,
    declared_name_errors_by_item,
    deletes_undeclared,
    set_argument_spec,
    settle,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_changes  # noqa: E402


def group_params(params, item):
    """One declared group as the options of codedeploy_deployment_group (what module_utils/codedeploy.py reads)."""
    return dict(item, application_name=params["application_name"], state="present")


def validate(params):
    """Every problem with the task's input, each naming its option and the fix (no AWS call)."""
    errors = cd.application_name_errors(params["application_name"])
    items = params["deployment_groups"] or []
    name_errors = declared_name_errors_by_item(params, "deployment_groups", "group", items)
    services = {}
    for index, item in enumerate(items):
        at = f"deployment_groups[{index}]"
        errors += [f"{at}.{error}" for error in cd.group_errors(group_params(params, item))]
        errors += name_errors.get(index, [])
        name = item["name"]
        ecs = item.get("ecs_service") or {}
        service = (cd.cluster_name(ecs.get("cluster_name") or ""), cd.service_name(ecs.get("service_name") or ""))
        if service in services and services[service][1] != name:
            errors.append(
                f"{at}.ecs_service is also the service of deployment_groups[{services[service][0]}]: an ECS service "
                "belongs to one deployment group only. Declare one group for it."
            )
        services.setdefault(service, (index, name))
    return errors


def model_errors(service_model, params):
    """CreateApplication and the CreateDeploymentGroup request of every declared group checked against the CodeDeploy
    model, before the first write; [] when AWS would take them all. UpdateDeploymentGroup sends the same members."""
    if params["state"] == "absent":
        return []
    requests = [("CreateApplication", cd.create_application_request(params["application_name"]))]
    for index, item in enumerate(params["deployment_groups"]):
        members = cd.desired_members(group_params(params, item), item["service_role"])
        requests.append(
            ("CreateDeploymentGroup", cd.create_group_request(members, item.get("tags")), f"deployment_groups[{index}]")
        )
    return list(dict.fromkeys(plan_errors(service_model, requests, cd.MODEL_RENAMES)))


class DeploymentGroupSetManager(PlannedSetManager):
    def __init__(self, module, client):
        super().__init__(module, client)
        self.app_name = self.params["application_name"]
        self._account = None
        self.created, self.updated, self.deleted = [], [], []
        self.group_ids = {}
        self.configs = {}  # deployment configuration name: GetDeploymentConfig's answer, read once per task

    def account(self):
        """(account ID, partition) of the credentials, asked once (sts:GetCallerIdentity)."""
        if self._account is None:
            self._account = get_aws_account_info(self.module)
        return self._account

    def arn(self, name):
        account, partition = self.account()
        return cd.group_arn(partition, self.module.region, account, self.app_name, name)

    def problem(self, message, fatal):
        """A problem an earlier task of the same play may fix fails a real run, and only warns in check mode."""
        if fatal or not self.module.check_mode:
            self.module.fail_json(msg=message)
        self.module.warn(f"{message} (check mode: a real run fails unless an earlier task fixes this)")

    def read(self, declared):
        """(application or None, every group name of the application, {name: group} of the groups read): the
        declared groups that exist and, with --diff, those the task deletes, in one BatchGetDeploymentGroups."""
        application = cd.get_application(self.client, self.app_name)
        if application is None:
            return None, [], {}
        names = cd.list_deployment_groups(self.client, self.app_name)
        wanted = [name for name in names if name in declared]
        if self.module._diff and deletes_undeclared(self.params):
            wanted += [name for name in names if self.in_scope(name) and name not in declared]
        found = cd.batch_get_deployment_groups(self.client, self.app_name, wanted) if wanted else []
        return application, names, {group["deploymentGroupName"]: group for group in found}

    def process(self):
        declared = {item["name"]: item for item in declared_items(self.params, "deployment_groups")}
        application, names, current = self.read(declared)
        platform_error = cd.application_platform_error(application, self.app_name)
        if platform_error and declared:
            self.module.fail_json(msg=platform_error)
        in_scope = sorted(name for name in names if self.in_scope(name))
        before, after = {}, {name: None for name in in_scope}
        if deletes_undeclared(self.params):
            # Deleted first: an ECS service belongs to one deployment group only, so a group renamed for the same
            # service can only be created once the old one is gone.
            for name in (name for name in in_scope if name not in declared):
                self.deleted.append(name)
                self.plan(name, cd.delete_deployment_group, self.app_name, name)
                del after[name]
                if name in current:
                    before[name] = cd.group_shape(current[name], None, cd.list_tags(self.client, self.arn(name)))
        if application is None and declared:
            self.plan(sorted(declared)[0], cd.create_application, self.app_name)
        index_of = {item["name"]: index for index, item in enumerate(self.params["deployment_groups"])}
        for name in sorted(declared):
            at = f"deployment_groups[{index_of[name]}]."
            before_group, after[name] = self.plan_group(declared[name], current.get(name), at)
            if before_group is not None:
                before[name] = before_group
        application_deleted = self.plan_application(application, names)
        self.apply_plan()
        for name, group_id in self.group_ids.items():
            after[name]["deployment_group_id"] = group_id
        return {
            "changed": self.changed,
            "application_name": self.app_name,
            "deployment_groups": [after[name] or {"deployment_group_name": name} for name in sorted(after)],
            "created": sorted(self.created),
            "updated": sorted(self.updated),
            "deleted": sorted(self.deleted),
            "application_deleted": application_deleted,
            **self.diff(before, after),
        }

    def plan_group(self, item, current, at):
        """Plan the calls that make one group as declared: (its shape before, or None when unchanged; after)."""
        name = item["name"]
        params = group_params(self.params, item)
        problem = cd.deployment_config_problem(
            self.client, params["deployment_config_name"], current, at=at, lookup=self.deployment_config
        )
        if problem:
            self.problem(*problem)
        desired = cd.desired_members(params, cd.service_role_arn(item["service_role"], current, self.account))
        current_tags = cd.list_tags(self.client, self.arn(name)) if current else {}
        tags, to_set, to_unset = tag_changes(current_tags, item.get("tags"), self.params["purge_tags"])
        if current is None:
            self.created.append(name)
            self.plan_action(name, lambda: self.create(name, desired, tags))
            return {}, cd.group_shape(desired, None, tags)
        group_id = current.get("deploymentGroupId")
        update = cd.differs(current, desired)
        if update:
            self.plan(name, cd.update_deployment_group, desired)
        if to_unset:
            self.plan(name, cd.untag_resource, self.arn(name), to_unset)
        if to_set:
            self.plan(name, cd.tag_resource, self.arn(name), to_set)
        after = cd.group_shape(desired if update else current, group_id, tags)
        if not (update or to_set or to_unset):
            return None, after
        self.updated.append(name)
        return cd.group_shape(current, group_id, current_tags), after

    def deployment_config(self, client, name):
        """The groups of a task share their configuration: each one is read once."""
        if name not in self.configs:
            self.configs[name] = cd.get_deployment_config(client, name)
        return self.configs[name]

    def create(self, name, desired, tags):
        self.group_ids[name] = cd.create_deployment_group(self.client, desired, tags)

    def plan_application(self, application, names):
        """With state=absent and delete_application, plan deleting the application when no group outside the scope
        uses it; whether it is deleted."""
        if application is None or self.params["state"] != "absent" or not self.params["delete_application"]:
            return False
        others = sorted(name for name in names if not self.in_scope(name))
        if others:
            self.module.warn(
                f"delete_application: the application '{self.app_name}' is kept, the deployment groups "
                f"{', '.join(others)} outside the scope still use it."
            )
            return False
        self.plan(self.app_name, cd.delete_application, self.app_name)
        return True

    def diff(self, before, after):
        changed = set(self.created) | set(self.updated) | set(self.deleted)
        return diff_payload(
            self.module,
            {name: cd.diff_shape(shape) for name, shape in before.items() if name in changed and shape},
            {name: cd.diff_shape(after[name]) for name in sorted(changed) if after.get(name)},
        )


def main():
    group = dict(
        name=dict(type="str", required=True, aliases=["deployment_group_name"]),
        **cd.group_argument_spec(required=True),
        tags=dict(type="dict"),
    )
    argument_spec = dict(
        application_name=dict(type="str", required=True),
        **set_argument_spec(),
        delete_application=dict(type="bool", default=False),
        deployment_groups=dict(type="list", elements="dict", default=[], options=group),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    settle(module)
    run_model_checked(
        module,
        validate(module.params),
        lambda: cd.codedeploy_client(module),
        lambda service_model: model_errors(service_model, module.params),
        lambda client: DeploymentGroupSetManager(module, client).process(),
        cd.AnsibleCodeDeployError,
    )


if __name__ == "__main__":
    main()
