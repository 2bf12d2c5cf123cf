#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: xray_sampling_rule
short_description: Manage the set of AWS X-Ray sampling rules in a scope
version_added: 1.0.0
description:
  - Makes the custom AWS X-Ray sampling rules whose names start with O(prefix) match O(rules), and sets the rates of
    the built-in C(Default) rule with O(default_rule).
  - A declared rule is matched to an existing one by name. It is created when missing and updated when any of its
    fields differs; with O(purge=true) (the default) the rules in the scope that are not declared are deleted, and
    with O(state=absent) every rule in the scope is. The built-in C(Default) rule is never in the scope; it is never
    created or deleted, and O(default_rule) applies whatever O(state) is.
  - Every declared rule is complete - a match field that is not set is V(*) (match everything), as in the X-Ray
    console - so a re-run with the same input compares equal and makes read calls only.
  - Every field is checked before any call to AWS (name length and characters, priority range, fixed rate range,
    duplicate names and priorities, attribute counts and lengths); the error names the field and the fix. The
    request of every declared rule is then checked against the X-Ray service model, before the first write.
  - The adaptive-sampling boost (C(SamplingRateBoost)) of a rule is not managed and is left as it is.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  rules:
    description:
      - The custom sampling rules that must exist in the scope.
      - An empty list with O(purge=true) deletes every custom rule in the scope.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - Name of the rule, 1 to 32 letters, digits, V(_) or V(-). Must start with O(prefix). V(Default) is the
            built-in rule; see O(default_rule).
        type: str
        required: true
      priority:
        description:
          - Evaluation order, 1 (first) to 9999. The built-in C(Default) rule is always evaluated last. Two declared
            rules cannot have the same priority.
        type: int
        required: true
      fixed_rate:
        description:
          - Share of matching requests to sample after the reservoir is used up, from V(0) to V(1) (V(0.05) is 5%).
        type: float
        required: true
      reservoir_size:
        description:
          - Matching requests per second to sample before O(rules[].fixed_rate) applies (shared by all instrumented
            hosts). V(0) or more.
        type: int
        required: true
      service_name:
        description: The service name the rule matches (at most 64 characters); V(*) matches any.
        type: str
        default: "*"
      service_type:
        description:
          - The service type the rule matches, for example V(AWS::EC2::Instance) or V(AWS::ECS::Container) (at most
            64 characters); V(*) matches any.
        type: str
        default: "*"
      host:
        description: The host name of the request the rule matches (at most 64 characters); V(*) matches any.
        type: str
        default: "*"
      http_method:
        description: The HTTP method the rule matches (at most 10 characters); V(*) matches any.
        type: str
        default: "*"
      url_path:
        description: The URL path the rule matches (at most 128 characters); V(*) matches any.
        type: str
        default: "*"
      resource_arn:
        description: The ARN of the AWS resource the service runs on (at most 500 characters); V(*) matches any.
        type: str
        default: "*"
      attributes:
        description:
          - Segment attributes the rule matches, at most 5, keys and values of 1 to 32 characters.
          - Not set means no attributes (a rule that has some loses them).
        type: dict
      tags:
        description:
          - Tags of the rule. Not set leaves its tags alone; see O(purge_tags).
        type: dict
  default_rule:
    description:
      - The rates of the built-in C(Default) rule, which applies when no other rule matches. X-Ray allows no other
        change to it. Not set leaves it alone; a suboption that is not set keeps its current value.
    type: dict
    suboptions:
      fixed_rate:
        description: Share of requests to sample after the reservoir is used up, from V(0) to V(1).
        type: float
      reservoir_size:
        description: Requests per second to sample before O(default_rule.fixed_rate) applies. V(0) or more.
        type: int
  prefix:
    aliases: [scope_name_prefix]
  purge_tags:
    description:
      - Remove tags of a declared rule that are not in its O(rules[].tags). Has no effect on a rule whose
        O(rules[].tags) is not set. Tags starting with V(aws:) are never removed.
    type: bool
    default: true
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made; new rules are returned
    with RV(rules[].arn) set to null.
  - A re-run with the same input makes read calls only and reports no change.
  - Sampling rules are regional; the task manages the rules of O(region).
  - O(prefix='') makes every custom rule of the region the scope.
  - Leaving O(prefix) out is deprecated (it will be required in 2.0.0). Until then such a task manages every custom
    rule of the region, O(purge) defaults to V(false) for it, and O(purge=true) and O(state=absent) are refused.
  - C(scope_name_prefix) is the deprecated name of O(prefix) (until 2.0.0). A task that gives it and not O(purge)
    keeps O(purge=false), the option's old default; when renaming it, add O(purge=false) to keep what the task does.
extends_documentation_fragment:
  - securecloud.monitor.set_module
  - securecloud.monitor.set_module.owner_tag
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Sample health checks rarely, payments often, and remove stale app- rules
  securecloud.monitor.xray_sampling_rule:
    prefix: app-
    rules:
      - name: app-health
        priority: 10
        fixed_rate: 0.0
        reservoir_size: 0
        url_path: /health*
      - name: app-payments
        priority: 20
        fixed_rate: 0.5
        reservoir_size: 5
        service_name: payments
        http_method: POST
        attributes:
          tier: gold
        tags:
          Team: payments
    default_rule:
      fixed_rate: 0.05
      reservoir_size: 1

- name: Only lower the Default rule's rate; leave every custom rule alone
  securecloud.monitor.xray_sampling_rule:
    prefix: ""
    purge: false
    default_rule:
      fixed_rate: 0.01

- name: Delete every custom rule whose name starts with app-
  securecloud.monitor.xray_sampling_rule:
    prefix: app-
    state: absent
"""

RETURN = r"""
rules:
  description:
    - The custom rules in the scope after the task (in check mode, as they would be), sorted by priority and name, in
      the shape of O(rules) plus their ARNs and versions.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the rule.
      type: str
      sample: app-payments
    arn:
      description: ARN of the rule; null for a rule that check mode would create.
      type: str
      sample: arn:aws:xray:eu-west-1:123456789012:sampling-rule/app-payments
    priority:
      description: Evaluation order.
      type: int
      sample: 20
    fixed_rate:
      description: Share of matching requests sampled after the reservoir.
      type: float
      sample: 0.5
    reservoir_size:
      description: Matching requests per second sampled before the fixed rate applies.
      type: int
      sample: 5
    service_name:
      description: Matched service name.
      type: str
      sample: payments
    service_type:
      description: Matched service type.
      type: str
      sample: "*"
    host:
      description: Matched host.
      type: str
      sample: "*"
    http_method:
      description: Matched HTTP method.
      type: str
      sample: POST
    url_path:
      description: Matched URL path.
      type: str
      sample: "*"
    resource_arn:
      description: Matched resource ARN.
      type: str
      sample: "*"
    attributes:
      description: Matched segment attributes.
      type: dict
      sample: {"tier": "gold"}
    version:
      description: Version of the sampling rule format (always 1 for rules this module makes).
      type: int
      sample: 1
    tags:
      description: Tags of the rule.
      type: dict
      sample: {"Team": "payments"}
default_rule:
  description: The rates and ARN of the built-in C(Default) rule after the task.
  returned: when the region has a Default rule (always on AWS)
  type: dict
  contains:
    fixed_rate:
      description: Share of requests sampled after the reservoir.
      type: float
      sample: 0.05
    reservoir_size:
      description: Requests per second sampled before the fixed rate applies.
      type: int
      sample: 1
    arn:
      description: ARN of the Default rule.
      type: str
      sample: arn:aws:xray:eu-west-1:123456789012:sampling-rule/Default
kept_foreign:
  description:
    - The names of the sampling rules in the scope, not declared, that O(purge) or O(state=absent) left in place
      because they do not carry O(owner_tag), sorted. They are in RV(rules) too.
  returned: when O(owner_tag) is set
  type: list
  elements: str
  sample: [prod-eu-faults]
diff:
  description: Before and after state of the rules in the scope and of the Default rule (without ARNs), with C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a write failed partway (retries exhausted, a permission missing); the task then fails. The names of
      the sampling rules (V(Default) for the default rule) all of whose writes were made, in the order the plan made
      them. See the notes.
  returned: when a write fails
  type: list
  elements: str
  sample: [web-errors]
not_written:
  description:
    - Set only when a write failed partway. The names of the sampling rules (V(Default) for the default rule) with a
      write not made, the one whose write failed first; a rerun of the task writes what is missing.
  returned: when a write fails
  type: list
  elements: str
  sample: [web-all, web-health]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical, diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    plan_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import fail_on_input_errors, run_module  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import (  # noqa: E402
    PlannedSetManager,
    declared_items,
    deletes_undeclared,
    owner_tag_errors,
    set_argument_spec,
    settle,
    split_owned,
    unscoped_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.xray import (  # noqa: E402
    DEFAULT_NAME,
    MATCH_ALL,
    MATCH_FIELDS,
    RULE_VERSION,
    AnsibleXRayError,
    create_sampling_rule,
    delete_sampling_rule,
    get_sampling_rules,
    list_tags,
    rule_from_api,
    rule_to_api,
    rule_update_to_api,
    tag_changes,
    tag_resource,
    untag_resource,
    update_sampling_rule,
    validate_name,
    validate_tags,
    xray_client,
)

# The fields of a rule that this module compares and sets.
# The scope of a task without prefix (deprecated).
UNSCOPED = "every custom sampling rule in the account and region"
MANAGED = ("priority", "fixed_rate", "reservoir_size", "attributes", *(f[0] for f in MATCH_FIELDS))


def _rate_errors(field, rate):
    if rate is not None and not 0 <= rate <= 1:
        return [f"{field} is {rate}: use a share between 0 and 1 (0.05 samples 5% of the requests)."]
    return []


def _reservoir_errors(field, size):
    if size is not None and size < 0:
        return [f"{field} is {size}: use 0 or more requests per second."]
    return []


def validate(params):
    """Every problem with the task's input, as messages that name the field and the fix (no AWS call)."""
    errors = unscoped_errors(params, UNSCOPED) + owner_tag_errors(params, "rules")
    prefix = params.get("prefix")
    names, priorities = {}, {}
    for index, rule in enumerate(params.get("rules") or []):
        field = f"rules[{index}]"
        name = rule["name"]
        errors.extend(validate_name(f"{field}.name", name, prefix, "sampling rule"))
        if name in names:
            errors.append(f"{field}.name '{name}' is also rules[{names[name]}].name: names must be unique.")
        names.setdefault(name, index)
        priority = rule["priority"]
        if not 1 <= priority <= 9999:
            errors.append(
                f"{field}.priority is {priority}: use 1 to 9999 (the Default rule is always evaluated after them)."
            )
        elif priority in priorities:
            errors.append(
                f"{field}.priority {priority} is also rules[{priorities[priority]}].priority: give every rule its own "
                "priority so that the evaluation order is defined."
            )
        priorities.setdefault(priority, index)
        errors.extend(_rate_errors(f"{field}.fixed_rate", rule["fixed_rate"]))
        errors.extend(_reservoir_errors(f"{field}.reservoir_size", rule["reservoir_size"]))
        for option, _api, limit in MATCH_FIELDS:
            value = rule.get(option)
            if value is None or value == "":
                errors.append(f"{field}.{option} is empty: use '{MATCH_ALL}' to match any value.")
            elif len(value) > limit:
                errors.append(
                    f"{field}.{option} has {len(value)} characters: X-Ray accepts at most {limit}; use a shorter "
                    "value or wildcards ('*' and '?')."
                )
        attributes = rule.get("attributes") or {}
        if len(attributes) > 5:
            errors.append(f"{field}.attributes has {len(attributes)} entries: X-Ray matches at most 5 attributes.")
        for key, value in attributes.items():
            if not 1 <= len(key) <= 32:
                errors.append(f"{field}.attributes key '{key}' must have 1 to 32 characters.")
            if value is None or not 1 <= len(str(value)) <= 32:
                errors.append(f"{field}.attributes.{key} must be a value of 1 to 32 characters ('*' matches any).")
        errors.extend(validate_tags(f"{field}.tags", rule.get("tags")))
    default_rule = params.get("default_rule") or {}
    errors.extend(_rate_errors("default_rule.fixed_rate", default_rule.get("fixed_rate")))
    errors.extend(_reservoir_errors("default_rule.reservoir_size", default_rule.get("reservoir_size")))
    return errors


# Where the members of CreateSamplingRule come from among a rule's options (see module_utils/model_validation.py).
MODEL_RENAMES = (
    Rename("SamplingRule.RuleName", "name"),
    Rename("SamplingRule.Attributes", "attributes", raw=True),
    *(Rename(f"SamplingRule.{api}", option) for option, api, _limit in MATCH_FIELDS),
    Rename("SamplingRule", ""),
)


def model_errors(service_model, params):
    """The CreateSamplingRule request of every declared rule checked against the X-Ray model, so that the whole set
    is refused before its first write (run once validate passes); [] when AWS would take them all."""
    if params["state"] == "absent":
        return []
    requests = [
        ("CreateSamplingRule", {"SamplingRule": rule_to_api(declared_shape(rule))}, f"rules[{index}]")
        for index, rule in enumerate(params["rules"])
    ]
    return plan_errors(service_model, requests, MODEL_RENAMES)


def declared_shape(rule):
    """A declared rule in the shape :func:`rule_from_api` reads (float rate, string attribute values)."""
    shape = dict((key, rule.get(key)) for key in MANAGED)
    shape["name"] = rule["name"]
    shape["fixed_rate"] = float(rule["fixed_rate"])
    shape["attributes"] = dict((key, str(value)) for key, value in (rule.get("attributes") or {}).items())
    return shape


def managed(rule):
    return canonical(dict((key, rule.get(key)) for key in MANAGED))


class SamplingRuleManager(PlannedSetManager):
    def in_scope(self, name):
        return name != DEFAULT_NAME and super().in_scope(name)

    def plan_create(self, after):
        def create():
            created = create_sampling_rule(self.client, rule_to_api(after), after["tags"])
            after["arn"] = created.get("RuleARN")

        self.plan_action(after["name"], create)

    def plan_rule(self, declared, current):
        """The rule as it will be after the task; plans the calls that get it there."""
        after = declared_shape(declared)
        after.update(arn=None, version=RULE_VERSION)
        current_tags = current["tags"] if current else {}
        after["tags"], to_set, to_unset = tag_changes(current_tags, declared.get("tags"), self.params["purge_tags"])
        if current is None:
            self.plan_create(after)
        elif current["version"] != RULE_VERSION:
            # The version of a rule cannot be updated: the rule is made again (as Terraform does).
            self.plan(current["name"], delete_sampling_rule, current["name"])
            self.plan_create(after)
        else:
            after["arn"] = current["arn"]
            if managed(current) != managed(after):
                self.plan(after["name"], update_sampling_rule, rule_update_to_api(after))
            if to_unset:
                self.plan(after["name"], untag_resource, current["arn"], to_unset)
            if to_set:
                self.plan(after["name"], tag_resource, current["arn"], to_set)
        return after

    def plan_default(self, current):
        declared = self.params.get("default_rule")
        if current is None:
            if declared:
                self.module.fail_json(
                    msg="default_rule is set, but the region has no Default sampling rule to update. Remove "
                    "default_rule, or check region and endpoint_url."
                )
            return None
        after = dict(current)
        if not declared:
            return after
        if declared.get("fixed_rate") is not None:
            after["fixed_rate"] = float(declared["fixed_rate"])
        if declared.get("reservoir_size") is not None:
            after["reservoir_size"] = declared["reservoir_size"]
        if (after["fixed_rate"], after["reservoir_size"]) != (current["fixed_rate"], current["reservoir_size"]):
            update = {
                "RuleName": DEFAULT_NAME,
                "FixedRate": after["fixed_rate"],
                "ReservoirSize": after["reservoir_size"],
            }
            self.plan(DEFAULT_NAME, update_sampling_rule, update)
        return after

    def process(self):
        everything = get_sampling_rules(self.client)
        default = None
        current = {}
        for rule in everything:
            shape = rule_from_api(rule)
            if shape["name"] == DEFAULT_NAME:
                default = {k: shape[k] for k in ("fixed_rate", "reservoir_size", "arn")}
            elif self.in_scope(shape["name"]):
                # One ListTagsForResource per rule in the scope: GetSamplingRules returns no tags.
                shape["tags"] = list_tags(self.client, shape["arn"]) if shape["arn"] else {}
                current[shape["name"]] = shape

        declared_list = declared_items(self.params, "rules")
        declared_names = set(rule["name"] for rule in declared_list)
        after_list = []
        # With owner_tag, the undeclared rules without it are kept (their tags are already read: no extra call).
        undeclared = sorted(set(current) - declared_names)
        kept_foreign = []
        if deletes_undeclared(self.params):
            owned, kept_foreign = split_owned(self.params, [(n, n) for n in undeclared], lambda n: current[n]["tags"])
            for name in owned:
                self.plan(name, delete_sampling_rule, name)
            after_list.extend(current[name] for name in kept_foreign)
        else:
            after_list.extend(current[name] for name in undeclared)
        for declared in declared_list:
            after_list.append(self.plan_rule(declared, current.get(declared["name"])))
        default_after = self.plan_default(default)

        self.apply_plan()

        def order(rule):
            return (rule["priority"], rule["name"])

        before_list = sorted(current.values(), key=order)
        after_list = sorted(after_list, key=order)
        result = {"changed": self.changed, "rules": after_list}
        if self.params.get("owner_tag"):
            result["kept_foreign"] = kept_foreign
        if default_after is not None:
            result["default_rule"] = default_after
        result.update(
            diff_payload(
                self.module,
                {"rules": [_diff_shape(r) for r in before_list], "default_rule": _diff_shape(default)},
                {"rules": [_diff_shape(r) for r in after_list], "default_rule": _diff_shape(default_after)},
            )
        )
        return result


def _diff_shape(rule):
    if rule is None:
        return None
    return dict((k, v) for k, v in rule.items() if k != "arn")


def main():
    rule_spec = dict(
        name=dict(type="str", required=True),
        priority=dict(type="int", required=True),
        fixed_rate=dict(type="float", required=True),
        reservoir_size=dict(type="int", required=True),
        attributes=dict(type="dict"),
        tags=dict(type="dict"),
    )
    for option, _api, _limit in MATCH_FIELDS:
        rule_spec[option] = dict(type="str", default=MATCH_ALL)
    argument_spec = dict(
        rules=dict(type="list", elements="dict", options=rule_spec, default=[]),
        default_rule=dict(
            type="dict",
            options=dict(fixed_rate=dict(type="float"), reservoir_size=dict(type="int")),
        ),
        **set_argument_spec(old_prefix="scope_name_prefix", prefix_required=False, owner_tag=True),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    settle(module, old_prefix="scope_name_prefix", old_purge_default=False, unscoped=UNSCOPED)

    errors = validate(module.params)

    def process():
        client = xray_client(module)
        fail_on_input_errors(module, model_errors(client.meta.service_model, module.params))
        return SamplingRuleManager(module, client).process()

    run_module(module, errors, process, AnsibleXRayError)


if __name__ == "__main__":
    main()
