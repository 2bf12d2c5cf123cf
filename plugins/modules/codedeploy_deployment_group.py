#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: codedeploy_deployment_group
short_description: Manage an AWS CodeDeploy deployment group for the blue/green deployment of an ECS service
version_added: 1.0.0
description:
  - Makes the CodeDeploy deployment group O(name) of the application O(application_name) deploy the ECS service
    O(ecs_service) blue/green, shifting production traffic of the listener O(prod_listener_arns) between the two
    target groups O(target_groups) with the deployment configuration O(deployment_config_name).
  - The application is created, with compute platform C(ECS), when it does not exist. An existing application of
    another compute platform (C(Server), C(Lambda)) is an error.
  - An ECS deployment group is always C(BLUE_GREEN) with C(WITH_TRAFFIC_CONTROL), and the blue (original) task set is
    deleted O(termination_wait_minutes) after a successful deployment; the module sets both, they are not options.
  - The task declares the whole group. The current group is read with C(GetDeploymentGroup) and compared with the
    declaration after filling in AWS's defaults; target groups, listeners, alarms and rollback events are compared as
    sets. C(UpdateDeploymentGroup) is called only when something differs, with every setting, so that the group ends
    exactly as declared; a re-run with the same input makes no call that changes anything.
  - Every option is checked before any call that changes anything, and the error names the option and the fix
    (target groups not exactly two or the same twice, a production listener that is not a listener ARN, rollback on
    alarm without alarms, more than 10 alarms, a termination wait out of range, a C(CodeDeployDefault.) name that
    is not an ECS configuration).
  - The ECS service must use the C(CODE_DEPLOY) deployment controller, and an ECS service can belong to one
    deployment group only; CodeDeploy checks the service, the target groups and the listeners when the group is
    created or updated.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  application_name:
    description:
      - Name of the CodeDeploy application, 1 to 100 letters, digits or C(+=,.@_-). Created with compute platform
        C(ECS) when missing.
      - With O(state=absent) the application is kept unless O(delete_application=true).
    type: str
    required: true
  name:
    description: Name of the deployment group, 1 to 100 letters, digits or C(+=,.@_-).
    type: str
    required: true
    aliases: [deployment_group_name]
  state:
    description:
      - V(present) creates or updates the deployment group (and creates the application if needed); V(absent)
        deletes the deployment group.
    type: str
    choices: [present, absent]
    default: present
  delete_application:
    description:
      - With O(state=absent), also delete the application once no other deployment group uses it. When other groups
        still use it, it is kept and the task warns.
      - Deleting an application deletes its deployment history.
    type: bool
    default: false
  service_role:
    description:
      - The IAM role CodeDeploy acts as, its ARN (V(arn:aws:iam::ACCOUNT:role/NAME), with the path if the role has
        one) or its name. A name is turned into the ARN of the role of that name, without a path, in the account of
        the task's credentials (C(sts:GetCallerIdentity)), unless the group already has a role of that name.
      - The role must trust C(codedeploy.amazonaws.com) and have the permissions of the AWS managed policy
        C(AWSCodeDeployRoleForECS).
      - Required with O(state=present).
    type: str
  deployment_config_name:
    description:
      - How traffic shifts from the blue to the green task set.
      - One of the predefined ECS configurations V(CodeDeployDefault.ECSAllAtOnce),
        V(CodeDeployDefault.ECSLinear10PercentEvery1Minutes), V(CodeDeployDefault.ECSLinear10PercentEvery3Minutes),
        V(CodeDeployDefault.ECSCanary10Percent5Minutes), V(CodeDeployDefault.ECSCanary10Percent15Minutes); any other
        name starting with V(CodeDeployDefault.) is an error.
      - Or the name of a custom deployment configuration with compute platform C(ECS); it is looked up with
        C(GetDeploymentConfig) when the group is created or the configuration changes.
    type: str
    default: CodeDeployDefault.ECSAllAtOnce
  ecs_service:
    description:
      - The ECS service the group deploys. It must use the C(CODE_DEPLOY) deployment controller. Required with
        O(state=present).
    type: dict
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
    description:
      - The two target groups CodeDeploy shifts traffic between, by name or ARN (an ARN is reduced to the name,
        which is what CodeDeploy takes). Conventionally the blue one (serving production when the group is created)
        first, then the green one; CodeDeploy finds which one is live from the listener, so their order is not
        compared.
      - Exactly two, different. Required with O(state=present).
    type: list
    elements: str
  prod_listener_arns:
    description:
      - The ARN of the listener of the Network (or Application) Load Balancer that serves production traffic.
        Exactly one. Required with O(state=present).
    type: list
    elements: str
  test_listener_arns:
    description:
      - The ARN of a listener for test traffic, which reaches the green task set before production traffic is
        shifted. At most one, not the production listener. Not set, the group has no test traffic route.
    type: list
    elements: str
  termination_wait_minutes:
    description:
      - Minutes CodeDeploy keeps the blue (original) task set after a successful deployment before deleting it, 0 to
        2880 (2 days). A rollback within that time needs no new tasks.
    type: int
    default: 5
  deployment_ready_action:
    description:
      - V(CONTINUE_DEPLOYMENT) shifts traffic to the green task set as soon as it is ready.
      - V(STOP_DEPLOYMENT) waits for a manual C(ContinueDeployment) and stops the deployment after
        O(deployment_ready_wait_minutes).
    type: str
    choices: [CONTINUE_DEPLOYMENT, STOP_DEPLOYMENT]
    default: CONTINUE_DEPLOYMENT
  deployment_ready_wait_minutes:
    description:
      - With O(deployment_ready_action=STOP_DEPLOYMENT), the minutes to wait for C(ContinueDeployment), 1 to 2880;
        required then. Must not be set with V(CONTINUE_DEPLOYMENT).
    type: int
  auto_rollback:
    description: Automatic rollback to the last good task definition.
    type: dict
    suboptions:
      enabled:
        description: Roll back automatically on the events O(auto_rollback.events).
        type: bool
        default: true
      events:
        description:
          - The events that trigger a rollback.
          - Not set, V(DEPLOYMENT_FAILURE), plus V(DEPLOYMENT_STOP_ON_ALARM) when O(alarms.names) lists alarms.
          - V(DEPLOYMENT_STOP_ON_ALARM) needs O(alarms.names); without alarms it is an error.
        type: list
        elements: str
        choices: [DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM, DEPLOYMENT_STOP_ON_REQUEST]
  alarms:
    description:
      - CloudWatch alarms that stop the deployment (and roll it back with V(DEPLOYMENT_STOP_ON_ALARM)) when one of
        them goes to C(ALARM).
      - Not set, or an empty O(alarms.names), means no alarm configuration (an existing one is turned off and
        emptied).
    type: dict
    suboptions:
      names:
        description: Names of the CloudWatch alarms, at most 10, each once. Compared as a set.
        type: list
        elements: str
        default: []
      ignore_poll_alarm_failure:
        description:
          - Go on with the deployment when CodeDeploy cannot read the state of the alarms from CloudWatch (V(false)
            stops it). Ignored when there are no alarms.
        type: bool
        default: false
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made; a group check mode
    would create is returned with RV(deployment_group_id) null.
  - A re-run with the same input makes read calls only (C(GetApplication), C(GetDeploymentGroup),
    C(sts:GetCallerIdentity) for the ARN of the group, C(ListTagsForResource)) and reports no change.
  - If creating the deployment group fails right after the task created the application, the application is deleted
    again, so a failed run leaves nothing behind.
  - O(tags) are the tags of the deployment group (the application is not tagged).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Blue/green deployments of inventory-app, canary 10 % for 5 minutes, rollback on failure or on alarm
  securecloud.monitor.codedeploy_deployment_group:
    application_name: prod-inventory-app
    name: prod-inventory-app
    service_role: arn:aws:iam::123456789012:role/prod-codedeploy-ecs
    deployment_config_name: CodeDeployDefault.ECSCanary10Percent5Minutes
    ecs_service:
      cluster_name: prod
      service_name: inventory-app
    target_groups:
      - prod-inventory-blue
      - prod-inventory-green
    prod_listener_arns:
      - arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/inv/50dc6c495c0c9188/f2f7dc8efc522ab2
    test_listener_arns:
      - arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/inv/50dc6c495c0c9188/0467ef3c8400ae65
    termination_wait_minutes: 30
    alarms:
      names:
        - prod-inventory-app-5xx
        - prod-inventory-app-latency
    tags:
      Environment: prod

- name: The same from the Terraform outputs of the base layer, with a manual go-ahead within an hour
  securecloud.monitor.codedeploy_deployment_group:
    application_name: "{{ base.name_prefix }}-{{ item.name }}"
    name: "{{ base.name_prefix }}-{{ item.name }}"
    service_role: "{{ base.codedeploy_role_arn }}"
    ecs_service:
      cluster_name: "{{ base.ecs_cluster_name }}"
      service_name: "{{ item.name }}"
    target_groups: "{{ [item.blue_target_group_arn, item.green_target_group_arn] }}"
    prod_listener_arns: ["{{ item.prod_listener_arn }}"]
    deployment_ready_action: STOP_DEPLOYMENT
    deployment_ready_wait_minutes: 60
    auto_rollback:
      events: [DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_REQUEST]
  loop: "{{ base.blue_green_services }}"

- name: Remove the deployment group, and the application if nothing else uses it
  securecloud.monitor.codedeploy_deployment_group:
    application_name: prod-inventory-app
    name: prod-inventory-app
    state: absent
    delete_application: true
"""

RETURN = r"""
application_name:
  description: Name of the CodeDeploy application.
  returned: always
  type: str
  sample: prod-inventory-app
deployment_group_id:
  description: ID of the deployment group; null when it is absent, or when check mode would create it.
  returned: always
  type: str
  sample: 01f8ef66-1006-4ba1-8199-02b96d24b149
deployment_group:
  description:
    - The deployment group after the task (in check mode, as it would be), in snake_case, normalized the way it is
      compared (AWS's defaults filled in, values that do not apply left out). V({}) when it is absent.
  returned: always
  type: dict
  contains:
    application_name:
      description: Name of the application.
      type: str
      sample: prod-inventory-app
    deployment_group_name:
      description: Name of the deployment group.
      type: str
      sample: prod-inventory-app
    deployment_group_id:
      description: ID of the deployment group, null for one check mode would create.
      type: str
      sample: 01f8ef66-1006-4ba1-8199-02b96d24b149
    compute_platform:
      description: Always V(ECS).
      type: str
      sample: ECS
    service_role_arn:
      description: ARN of the service role.
      type: str
      sample: arn:aws:iam::123456789012:role/prod-codedeploy-ecs
    deployment_config_name:
      description: The deployment configuration.
      type: str
      sample: CodeDeployDefault.ECSCanary10Percent5Minutes
    deployment_style:
      description: Always V(BLUE_GREEN) with V(WITH_TRAFFIC_CONTROL).
      type: dict
      sample: {"deployment_type": "BLUE_GREEN", "deployment_option": "WITH_TRAFFIC_CONTROL"}
    ecs_services:
      description: The ECS service, as C(cluster_name) and C(service_name).
      type: list
      elements: dict
      sample: [{"cluster_name": "prod", "service_name": "inventory-app"}]
    load_balancer_info:
      description:
        - C(target_group_pair_info_list), one pair with C(target_groups) (two C(name)s), C(prod_traffic_route) and,
          when set, C(test_traffic_route), each with C(listener_arns).
      type: dict
      sample:
        target_group_pair_info_list:
          - target_groups: [{"name": "prod-inventory-blue"}, {"name": "prod-inventory-green"}]
            prod_traffic_route:
              listener_arns:
                - arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/inv/50dc6c495c0c9188/f2f7dc8efc522ab2
    blue_green_deployment_configuration:
      description:
        - C(terminate_blue_instances_on_deployment_success) (C(action) V(TERMINATE),
          C(termination_wait_time_in_minutes)) and C(deployment_ready_option) (C(action_on_timeout), and
          C(wait_time_in_minutes) with V(STOP_DEPLOYMENT)).
      type: dict
      sample:
        terminate_blue_instances_on_deployment_success: {"action": "TERMINATE", "termination_wait_time_in_minutes": 30}
        deployment_ready_option: {"action_on_timeout": "CONTINUE_DEPLOYMENT"}
    auto_rollback_configuration:
      description: C(enabled), and the C(events) when enabled.
      type: dict
      sample: {"enabled": true, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]}
    alarm_configuration:
      description: C(enabled) (true when there are alarms), C(ignore_poll_alarm_failure) and C(alarms) (C(name)s).
      type: dict
      sample: {"enabled": true, "ignore_poll_alarm_failure": false, "alarms": [{"name": "prod-inventory-app-5xx"}]}
    tags:
      description: Tags of the deployment group.
      type: dict
      sample: {"Environment": "prod"}
diff:
  description: The deployment group before and after the task (without its ID), with C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.codedeploy import (  # noqa: E402
    MODEL_RENAMES,
    AnsibleCodeDeployError,
    application_platform_error,
    codedeploy_client,
    create_application,
    create_application_request,
    create_deployment_group,
    create_group_request,
    delete_application,
    delete_deployment_group,
    deployment_config_problem,
    desired_members,
    diff_shape,
    differs,
    get_application,
    get_deployment_group,
    group_argument_spec,
    group_arn,
    group_shape,
    list_deployment_groups,
    list_tags,
    service_role_arn,
    tag_resource,
    untag_resource,
    update_deployment_group,
    validate,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import plan_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import run_model_checked  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_changes  # noqa: E402


class CodeDeployDeploymentGroupManager:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.app_name = self.params["application_name"]
        self.name = self.params["name"]
        self._account = None

    def account(self):
        """(account ID, partition) of the credentials, asked once (sts:GetCallerIdentity)."""
        if self._account is None:
            self._account = get_aws_account_info(self.module)
        return self._account

    def arn(self):
        account, partition = self.account()
        return group_arn(partition, self.module.region, account, self.app_name, self.name)

    def _problem(self, message):
        """A problem an earlier task of the same play may fix fails a real run, and only warns in check mode."""
        if self.module.check_mode:
            self.module.warn(f"{message} (check mode: a real run fails unless an earlier task fixes this)")
        else:
            self.module.fail_json(msg=message)

    # ---------------------------------------------------------------- inputs that need AWS

    def service_role_arn(self, current):
        return service_role_arn(self.params["service_role"], current, self.account)

    def check_deployment_config(self, current):
        problem = deployment_config_problem(self.client, self.params["deployment_config_name"], current)
        if problem is None:
            return
        message, fatal = problem
        if fatal:
            self.module.fail_json(msg=message)
        self._problem(message)

    # ---------------------------------------------------------------- states

    def ensure_present(self, application, current):
        platform_error = application_platform_error(application, self.app_name)
        if platform_error:
            self.module.fail_json(msg=platform_error)
        self.check_deployment_config(current)
        desired = desired_members(self.params, self.service_role_arn(current))
        current_tags = list_tags(self.client, self.arn()) if current else {}
        tags, to_set, to_unset = tag_changes(current_tags, self.params.get("tags"), self.params["purge_tags"])
        group_id = current.get("deploymentGroupId") if current else None
        changed = False
        if current is None:
            changed = True
            if not self.module.check_mode:
                group_id = self.create(application, desired, tags)
        else:
            update = differs(current, desired)
            changed = update or bool(to_set or to_unset)
            if not self.module.check_mode:
                if update:
                    update_deployment_group(self.client, desired)
                if to_unset:
                    untag_resource(self.client, self.arn(), to_unset)
                if to_set:
                    tag_resource(self.client, self.arn(), to_set)
            if not update:
                desired = current  # unchanged: show the group as AWS has it (its order of lists included)
        before = group_shape(current, group_id, current_tags) if current else {}
        after = group_shape(desired, group_id, tags)
        result = {
            "changed": changed,
            "application_name": self.app_name,
            "deployment_group_id": group_id,
            "deployment_group": after,
        }
        result.update(diff_payload(self.module, diff_shape(before), diff_shape(after)))
        return result

    def create(self, application, desired, tags):
        created_application = False
        if application is None:
            create_application(self.client, self.app_name)
            created_application = True
        try:
            return create_deployment_group(self.client, desired, tags)
        except AnsibleCodeDeployError:
            if created_application:  # leave nothing behind: the next run starts from the same place
                delete_application(self.client, self.app_name)
            raise

    def ensure_absent(self, application, current):
        changed = bool(current)
        before = {}
        if current and self.module._diff:
            before = group_shape(current, current.get("deploymentGroupId"), list_tags(self.client, self.arn()))
        if current and not self.module.check_mode:
            delete_deployment_group(self.client, self.app_name, self.name)
        if application and self.params["delete_application"]:
            others = [group for group in list_deployment_groups(self.client, self.app_name) if group != self.name]
            if others:
                self.module.warn(
                    f"delete_application: the application '{self.app_name}' is kept, the deployment groups "
                    f"{', '.join(sorted(others))} still use it."
                )
            else:
                changed = True
                if not self.module.check_mode:
                    delete_application(self.client, self.app_name)
        result = {
            "changed": changed,
            "application_name": self.app_name,
            "deployment_group_id": None,
            "deployment_group": {},
        }
        result.update(diff_payload(self.module, diff_shape(before), {}))
        return result

    def process(self):
        application = get_application(self.client, self.app_name)
        current = get_deployment_group(self.client, self.app_name, self.name) if application else None
        if self.params["state"] == "absent":
            return self.ensure_absent(application, current)
        return self.ensure_present(application, current)


def model_errors(service_model, params):
    """CreateApplication and CreateDeploymentGroup of the declared group checked against the CodeDeploy model (name
    patterns and lengths, enums) before any call; [] when AWS would take them. Run once validate passes.
    UpdateDeploymentGroup sends the same members."""
    if params["state"] == "absent":
        return []
    requests = [
        ("CreateApplication", create_application_request(params["application_name"])),
        (
            "CreateDeploymentGroup",
            create_group_request(desired_members(params, params["service_role"]), params.get("tags")),
        ),
    ]
    errors = plan_errors(service_model, requests, MODEL_RENAMES)
    return list(dict.fromkeys(errors))  # the application name is in both requests: say it once


def main():
    argument_spec = dict(
        application_name=dict(type="str", required=True),
        name=dict(type="str", required=True, aliases=["deployment_group_name"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        delete_application=dict(type="bool", default=False),
        **group_argument_spec(required=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ("service_role", "ecs_service", "target_groups", "prod_listener_arns"))],
        supports_check_mode=True,
    )

    errors = validate(module.params)

    run_model_checked(
        module,
        errors,
        lambda: codedeploy_client(module),
        lambda service_model: model_errors(service_model, module.params),
        lambda client: CodeDeployDeploymentGroupManager(module, client).process(),
        AnsibleCodeDeployError,
    )


if __name__ == "__main__":
    main()
