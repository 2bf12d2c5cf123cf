#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: eventbridge_rule
short_description: An EventBridge rule and its targets, declared whole, with check mode and diff
version_added: 1.0.0
description:
  - Creates, updates or deletes an Amazon EventBridge rule (event pattern or schedule) and its targets.
  - The rule and each target are compared as AWS stores them (event patterns and inputs as JSON, targets by ID), so a
    re-run with the same input makes two read calls (C(DescribeRule), C(ListTargetsByRule)) and no change.
  - Unlike M(amazon.aws.cloudwatchevent_rule), it supports check mode and diff mode, so a compliance run sees a rule
    or a target that was changed or deleted out of band.
  - The input is checked before any call (names, target IDs, JSON, one kind of input per target, schedule
    expressions), then the rule and its targets as they would be sent are checked against the EventBridge service
    model (lengths, patterns, enums), each problem named by its option path.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  name:
    description: Name of the rule (1-64 characters, letters, digits, C(.), C(-), C(_)).
    type: str
    required: true
  event_bus_name:
    description: The event bus of the rule.
    type: str
    default: default
  state:
    description: V(present) creates or updates the rule and its targets; V(absent) removes its targets and deletes it.
    type: str
    choices: [present, absent]
    default: present
  description:
    description: Description of the rule.
    type: str
    default: ""
  event_pattern:
    description:
      - The event pattern, as a dict or a JSON string. With O(state=present), O(event_pattern) or
        O(schedule_expression) (or both) is required.
    type: json
  schedule_expression:
    description:
      - A schedule, such as V(rate(5 minutes)) or V(cron(0 3 * * ? *)).
      - Checked before any call against AWS's grammar, which the service model does not carry; V(rate(5 minute))
        (the singular with a value above 1) or a V(cron) with both day fields set fail naming this option.
    type: str
  rule_state:
    description: Whether the rule matches events.
    type: str
    choices: [ENABLED, DISABLED]
    default: ENABLED
  targets:
    description:
      - The targets of the rule, matched by O(targets[].id).
    type: list
    elements: dict
    default: []
    suboptions:
      id:
        description: ID of the target, unique in the rule (1-64 characters, letters, digits, C(.), C(-), C(_)).
        type: str
        required: true
      arn:
        description: ARN of the target (an SNS topic, an SQS queue, a Lambda function, ...).
        type: str
        required: true
      role_arn:
        description: The IAM role EventBridge uses to reach the target, where the target type needs one.
        type: str
      input:
        description: A constant JSON input sent instead of the event.
        type: json
      input_path:
        description: A JSONPath of the part of the event to send.
        type: str
      input_transformer:
        description: Values taken from the event and the template they fill.
        type: dict
        suboptions:
          input_paths_map:
            description: Names and the JSONPaths of the values they take from the event.
            type: dict
            default: {}
          input_template:
            description:
              - The template, with C(<name>) placeholders.
              - AWS takes a JSON object or array (which may hold placeholders) or a JSON string. Plain text that
                does not start with C({), C([) or C(") is sent as a JSON string, so V(<title> is open) becomes
                C("<title> is open"), which is the text the target receives.
            type: str
            required: true
  purge_targets:
    description: Remove the targets of the rule that O(targets) does not list.
    type: bool
    default: true
notes:
  - Supports check mode and diff mode.
  - "API calls: C(DescribeRule) and C(ListTargetsByRule) on every run; C(PutRule) when the rule differs,
    C(PutTargets) for new or changed targets, C(RemoveTargets) for the purged ones; C(DeleteRule) for
    O(state=absent)."
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Send high-severity Amazon Inspector findings to the alert topic
  securecloud.monitor.eventbridge_rule:
    name: prod-inspector-findings
    description: Amazon Inspector findings to prod-alerts
    event_pattern:
      source: [aws.inspector2]
      detail-type: [Inspector2 Finding]
      detail:
        severity: [HIGH, CRITICAL]
    targets:
      - id: alert-topic
        arn: arn:aws:sns:eu-west-1:123456789012:prod-alerts
        input_transformer:
          input_paths_map:
            title: $.detail.title
          input_template: '"Inspector finding: <title>"'

- name: Delete the rule and its targets
  securecloud.monitor.eventbridge_rule:
    name: prod-inspector-findings
    state: absent
"""

RETURN = r"""
rule:
  description: The rule after the task, in the shape of the options; empty when it is absent.
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the rule.
      type: str
      sample: arn:aws:events:eu-west-1:123456789012:rule/prod-inspector-findings
    name:
      description: Name of the rule.
      type: str
    description:
      description: Description of the rule.
      type: str
    event_pattern:
      description: The event pattern.
      type: dict
    schedule_expression:
      description: The schedule, when there is one.
      type: str
    rule_state:
      description: V(ENABLED) or V(DISABLED).
      type: str
    targets:
      description: The targets, by ID order.
      type: list
      elements: dict
diff:
  description: The rule and its targets before and after, with C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import json  # noqa: E402
import re  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    plan_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import exit_with_diff, fail_on_input_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.schedule import (  # noqa: E402
    schedule_expression_errors,
)

NAME = re.compile(r"^[.\-_A-Za-z0-9]{1,64}$")
MAX_TARGETS = 5
_RETRY = jittered_backoff()


class AnsibleEventBridgeError(AnsibleAWSError):
    pass


class EventBridgeErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEventBridgeError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


@EventBridgeErrorHandler.list_error_handler("describe rule", None)
@_RETRY
def describe_rule(client, name, bus):
    return client.describe_rule(Name=name, EventBusName=bus)


@EventBridgeErrorHandler.list_error_handler("list targets of rule", [])
@_RETRY
def list_targets(client, name, bus):
    paginator = client.get_paginator("list_targets_by_rule")
    return paginator.paginate(Rule=name, EventBusName=bus).build_full_result()["Targets"]


@EventBridgeErrorHandler.common_error_handler("put rule")
@_RETRY
def put_rule(client, **request):
    return client.put_rule(**request)["RuleArn"]


def _failed_entries(response, action):
    if response.get("FailedEntryCount"):
        entries = [
            f"{e.get('TargetId')}: {e.get('ErrorCode')} {e.get('ErrorMessage')}" for e in response["FailedEntries"]
        ]
        raise AnsibleEventBridgeError(message=f"Failed to {action} targets: " + "; ".join(entries))


@EventBridgeErrorHandler.common_error_handler("put targets")
@_RETRY
def put_targets(client, name, bus, targets):
    _failed_entries(client.put_targets(Rule=name, EventBusName=bus, Targets=targets), "put")


@EventBridgeErrorHandler.deletion_error_handler("remove targets")
@_RETRY
def remove_targets(client, name, bus, ids):
    _failed_entries(client.remove_targets(Rule=name, EventBusName=bus, Ids=ids), "remove")


@EventBridgeErrorHandler.deletion_error_handler("delete rule")
@_RETRY
def delete_rule(client, name, bus):
    client.delete_rule(Name=name, EventBusName=bus)


# Input checks ----------------------------------------------------------------------------------


def _json_errors(field, value, want_object):
    if value is None:
        return []
    try:
        parsed = _parsed(value)
    except ValueError as e:
        return [f"{field}: not valid JSON ({e}); give a dict or a JSON string."]
    if want_object and not isinstance(parsed, dict):
        return [f"{field}: give a JSON object (a dict), not {type(parsed).__name__}."]
    return []


def _target_errors(index, target):
    field = f"targets[{index}]"
    errors = (
        []
        if NAME.match(target["id"])
        else [f"{field}.id: {target['id']!r} must be 1-64 letters, digits, '.', '-' or '_'."]
    )
    given = [key for key in ("input", "input_path", "input_transformer") if target.get(key) is not None]
    if len(given) > 1:
        errors.append(f"{field}: give one of input, input_path and input_transformer, not {' and '.join(given)}.")
    errors += _json_errors(f"{field}.input", target.get("input"), want_object=False)
    if not target["arn"].startswith("arn:"):
        errors.append(f"{field}.arn: {target['arn']!r} is not an ARN.")
    return errors


def input_errors(params):
    errors = (
        []
        if NAME.match(params["name"])
        else [f"name: {params['name']!r} must be 1-64 letters, digits, '.', '-' or '_'."]
    )
    if params["state"] == "absent":
        return errors
    if params.get("event_pattern") is None and not params.get("schedule_expression"):
        errors.append("event_pattern or schedule_expression: give at least one for state=present.")
    errors += _json_errors("event_pattern", params.get("event_pattern"), want_object=True)
    errors += schedule_expression_errors("schedule_expression", params.get("schedule_expression"))
    targets = params["targets"]
    for index, target in enumerate(targets):
        errors += _target_errors(index, target)
    ids = [target["id"] for target in targets]
    duplicates = sorted(set(i for i in ids if ids.count(i) > 1))
    if duplicates:
        errors.append(f"targets[].id: {', '.join(duplicates)} given more than once; target IDs must be unique.")
    if len(targets) > MAX_TARGETS:
        errors.append(f"targets: {len(targets)} given; a rule has at most {MAX_TARGETS} targets.")
    return errors


# Shapes: option-shaped views of the rule and its targets --------------------------------------


def _parsed(value):
    return json.loads(value) if isinstance(value, str) else value


def aws_template(template):
    """Plain text as the JSON string AWS wants; a JSON object, array or string as it is."""
    return template if template.lstrip().startswith(("{", "[", '"')) else json.dumps(template)


def aws_target_view(target):
    """A target as ListTargetsByRule returns it, in the options' shape."""
    transformer = target.get("InputTransformer")
    return canonical(
        dict(
            id=target["Id"],
            arn=target["Arn"],
            role_arn=target.get("RoleArn"),
            input=_parsed(target.get("Input")),
            input_path=target.get("InputPath"),
            input_transformer=transformer
            and dict(
                input_paths_map=transformer.get("InputPathsMap") or {},
                input_template=transformer["InputTemplate"],
            ),
        )
    )


def declared_target_view(target):
    """A declared target (options), as AWS will store it."""
    view = dict(target, input=_parsed(target.get("input")))
    if target.get("input_transformer"):
        transformer = target["input_transformer"]
        view["input_transformer"] = dict(transformer, input_template=aws_template(transformer["input_template"]))
    return canonical(view)


def target_to_aws(view):
    request = dict(Id=view["id"], Arn=view["arn"])
    if view.get("role_arn"):
        request["RoleArn"] = view["role_arn"]
    if view.get("input") is not None:
        request["Input"] = json.dumps(view["input"], sort_keys=True)
    if view.get("input_path"):
        request["InputPath"] = view["input_path"]
    if view.get("input_transformer"):
        transformer = view["input_transformer"]
        request["InputTransformer"] = dict(
            InputPathsMap=transformer.get("input_paths_map") or {}, InputTemplate=transformer["input_template"]
        )
    return request


def _with_targets(rule_part, targets):
    """The rule's view with its targets by ID; a rule without targets keeps an empty list (canonical drops it)."""
    return dict(canonical(rule_part), targets=sorted(targets, key=lambda t: t["id"]))


def rule_view(rule, targets):
    rule_part = dict(
        arn=rule.get("Arn"),
        name=rule["Name"],
        description=rule.get("Description") or "",
        event_pattern=_parsed(rule.get("EventPattern")),
        schedule_expression=rule.get("ScheduleExpression"),
        rule_state=rule.get("State"),
    )
    return _with_targets(rule_part, [aws_target_view(t) for t in targets])


def declared_view(params, current):
    declared = dict(
        arn=(current or {}).get("arn"),
        name=params["name"],
        description=params["description"],
        event_pattern=_parsed(params.get("event_pattern")),
        schedule_expression=params.get("schedule_expression"),
        rule_state=params["rule_state"],
    )
    targets = dict((t["id"], t) for t in (current or {}).get("targets", []) if not params["purge_targets"])
    targets.update((t["id"], declared_target_view(t)) for t in params["targets"])
    return _with_targets(declared, list(targets.values()))


# The run -----------------------------------------------------------------------------------------


def _rule_part(view):
    return dict((k, v) for k, v in view.items() if k not in ("targets", "arn"))


def put_rule_request(params, desired):
    request = dict(
        Name=params["name"],
        EventBusName=params["event_bus_name"],
        Description=params["description"],
        State=params["rule_state"],
    )
    if desired.get("event_pattern") is not None:
        request["EventPattern"] = json.dumps(desired["event_pattern"], sort_keys=True)
    if desired.get("schedule_expression"):
        request["ScheduleExpression"] = desired["schedule_expression"]
    return request


MODEL_RENAMES = (Rename("State", "rule_state"), Rename("Rule", "name"))


def model_errors(service_model, params):
    """PutRule and PutTargets of the declared options checked against the EventBridge model (targets in declared
    order, so each problem names its targets[N]); [] when AWS would take them."""
    if params["state"] == "absent":
        return []
    requests = [("PutRule", put_rule_request(params, declared_view(params, None)))]
    if params["targets"]:
        targets = [target_to_aws(declared_target_view(target)) for target in params["targets"]]
        put_targets_request = dict(Rule=params["name"], EventBusName=params["event_bus_name"], Targets=targets)
        requests.append(("PutTargets", put_targets_request))
    return plan_errors(service_model, requests, MODEL_RENAMES)


def converge(client, params, current, desired):
    """The calls that take the rule from current to desired; returns the rule's ARN."""
    name, bus = params["name"], params["event_bus_name"]
    arn = (current or {}).get("arn")
    if current is None or _rule_part(current) != _rule_part(desired):
        arn = put_rule(client, **put_rule_request(params, desired))
    before = dict((t["id"], t) for t in (current or {}).get("targets", []))
    after = dict((t["id"], t) for t in desired["targets"])
    gone = sorted(set(before) - set(after))
    if gone:
        remove_targets(client, name, bus, gone)
    changed = [target_to_aws(t) for i, t in sorted(after.items()) if before.get(i) != t]
    if changed:
        put_targets(client, name, bus, changed)
    return arn


def read(client, name, bus):
    rule = describe_rule(client, name, bus)
    if rule is None:
        return None
    return rule_view(rule, list_targets(client, name, bus))


def main():
    module = AnsibleAWSModule(argument_spec=build_argument_spec(), supports_check_mode=True)
    params = module.params
    errors = input_errors(params)
    fail_on_input_errors(module, errors)
    client = module.client("events")
    fail_on_input_errors(module, model_errors(client.meta.service_model, params))
    name, bus = params["name"], params["event_bus_name"]
    try:
        current = read(client, name, bus)
        desired = declared_view(params, current) if params["state"] == "present" else None
        changed = current != desired
        if changed and not module.check_mode:
            if desired is None:
                targets = [t["id"] for t in current.get("targets", [])]
                if targets:
                    remove_targets(client, name, bus, targets)
                delete_rule(client, name, bus)
            else:
                desired["arn"] = converge(client, params, current, desired)
    except AnsibleEventBridgeError as e:
        module.fail_json_aws_error(e)
    exit_with_diff(module, dict(changed=changed, rule=desired or {}), current, desired)


def build_argument_spec():
    transformer = dict(
        input_paths_map=dict(type="dict", default={}),
        input_template=dict(type="str", required=True),
    )
    target = dict(
        id=dict(type="str", required=True),
        arn=dict(type="str", required=True),
        role_arn=dict(type="str"),
        input=dict(type="json"),
        input_path=dict(type="str"),
        input_transformer=dict(type="dict", options=transformer),
    )
    return dict(
        name=dict(type="str", required=True),
        event_bus_name=dict(type="str", default="default"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str", default=""),
        event_pattern=dict(type="json"),
        schedule_expression=dict(type="str"),
        rule_state=dict(type="str", choices=["ENABLED", "DISABLED"], default="ENABLED"),
        targets=dict(type="list", elements="dict", options=target, default=[]),
        purge_targets=dict(type="bool", default=True),
    )


if __name__ == "__main__":
    main()
