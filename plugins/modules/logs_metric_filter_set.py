#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: logs_metric_filter_set
short_description: Manage the set of CloudWatch Logs metric filters of a log group whose names share a prefix
version_added: 1.1.0
description:
  - Makes the metric filters of the log group O(log_group_name) whose names start with O(prefix) match
    O(metric_filters) in one task, where a loop over M(securecloud.monitor.logs_metric_filter) would start one module
    process per filter.
  - Everything is read with B(one) paginated C(DescribeMetricFilters) call for the log group and the prefix, so a run
    that changes nothing costs one API call for up to 50 filters.
  - A filter is found by its exact name, and is declared in full, as C(PutMetricFilter) replaces the whole filter.
    C(--diff) shows the pattern and the metric of every filter created, changed or deleted.
  - Every input problem is reported before any call to AWS, naming the field (for example
    C(metric_filters[3].metric_transformation)) and the fix. The C(PutMetricFilter) request of every declared filter is
    then checked against the CloudWatch Logs service model (characters of the metric name and namespace, unit), so a
    bad filter fails the task before the first filter is written.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  log_group_name:
    description: Name of the log group of the filters.
    type: str
    required: true
  prefix:
    required: true
  metric_filters:
    description:
      - The filters that must exist in the scope. The order does not matter.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the filter (1-512 characters, no C(:) or C(*)); must start with O(prefix).
        type: str
        required: true
      filter_pattern:
        description: The pattern the log events are matched with.
        type: str
        required: true
      metric_transformation:
        description: The metric the matching events are counted in.
        type: dict
        required: true
        suboptions:
          metric_name:
            description: Name of the metric.
            type: str
            required: true
          metric_namespace:
            description: Namespace of the metric.
            type: str
            required: true
          metric_value:
            description: The value published for each matching event (a number, or a C($.field) of the event).
            type: str
            required: true
          default_value:
            description:
              - The value published when no event matches.
              - Not with O(metric_filters[].metric_transformation.dimensions).
            type: float
          unit:
            description: Unit of the metric.
            type: str
          dimensions:
            description: Dimensions of the metric, names and the C($.field) each takes.
            type: dict
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made.
  - O(prefix) may be V('') to make every filter of the log group the scope on purpose.
  - A log group that does not exist holds no filter, so O(state=absent) then changes nothing, and O(state=present)
    fails on the first C(PutMetricFilter) (create the log group first).
  - "API calls: one paginated C(DescribeMetricFilters); one C(PutMetricFilter) per filter missing or different; one
    C(DeleteMetricFilter) per filter deleted."
extends_documentation_fragment:
  - securecloud.monitor.set_module
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The CIS filters of the trail's log group; filters named prod-cis-* that are not listed are deleted
  securecloud.monitor.logs_metric_filter_set:
    log_group_name: /aws/cloudtrail/prod
    prefix: prod-cis-
    metric_filters:
      - name: prod-cis-root-account-usage
        filter_pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }'
        metric_transformation:
          metric_name: RootAccountUsage
          metric_namespace: CISBenchmark
          metric_value: "1"
      - name: prod-cis-console-signin-failures
        filter_pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'
        metric_transformation:
          metric_name: ConsoleSigninFailures
          metric_namespace: CISBenchmark
          metric_value: "1"

- name: Delete every filter of the log group whose name starts with prod-cis-
  securecloud.monitor.logs_metric_filter_set:
    log_group_name: /aws/cloudtrail/prod
    prefix: prod-cis-
    state: absent
"""

RETURN = r"""
metric_filters:
  description:
    - The filters in the scope after the task (in check mode, as they would be), sorted by name, in the shape of
      O(metric_filters).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the filter.
      type: str
      sample: prod-cis-root-account-usage
    filter_pattern:
      description: The pattern.
      type: str
    metric_transformation:
      description: The metric, with C(default_value), C(unit) and C(dimensions) (null or empty when not set).
      type: dict
created:
  description: Names of the filters created.
  returned: always
  type: list
  elements: str
updated:
  description: Names of the filters replaced because their pattern or metric differed.
  returned: always
  type: list
  elements: str
deleted:
  description: Names of the filters deleted.
  returned: always
  type: list
  elements: str
diff:
  description: The filters created, changed or deleted, by name, before and after, with C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a write failed partway (retries exhausted, a permission missing); the task then fails. The names of
      the metric filters all of whose writes were made, in the order the plan made them. See the notes.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod-cis-3.1-unauthorized-api-calls]
not_written:
  description:
    - Set only when a write failed partway. The names of the metric filters with a write not made, the one whose write
      failed first; a rerun of the task writes what is missing.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod-cis-3.2-console-signin-without-mfa]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import functools  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import logs  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import plan_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import run_model_checked  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import (  # noqa: E402
    PlannedSetManager,
    declared_items,
    declared_name_errors,
    deletes_undeclared,
    set_argument_spec,
    set_result,
    settle,
)


def validate(params):
    """Every problem with the task's input, each naming its option and the fix (no AWS call)."""
    errors = declared_name_errors(params, "metric_filters", "filter")
    for index, item in enumerate(declared_items(params, "metric_filters")):
        field = f"metric_filters[{index}]"
        errors += logs.metric_filter_name_errors(f"{field}.name", item["name"])
        errors += logs.metric_filter_errors(field, item)
    return errors


def model_errors(service_model, params):
    """The PutMetricFilter request of every declared filter checked against the CloudWatch Logs model, so that the
    whole set is refused before its first write (run once validate passes); [] when AWS would take them all."""
    requests = [
        ("PutMetricFilter", request, f"metric_filters[{index}]")
        for index, request in enumerate(declared_requests(params))
    ]
    return plan_errors(service_model, requests, logs.METRIC_FILTER_RENAMES)


def declared_requests(params):
    group = params["log_group_name"]
    return [
        logs.metric_filter_request(group, logs.declared_metric_filter(item))
        for item in declared_items(params, "metric_filters")
    ]


class MetricFilterSetManager(PlannedSetManager):
    def process(self):
        group = self.params["log_group_name"]
        current = dict(
            (found["filterName"], canonical(logs.metric_filter_view(found)))
            for found in logs.describe_metric_filters(self.client, group, self.params["prefix"])
        )
        declared = dict(
            (item["name"], logs.declared_metric_filter(item)) for item in declared_items(self.params, "metric_filters")
        )
        created = sorted(name for name in declared if name not in current)
        updated = sorted(name for name in declared if name in current and current[name] != declared[name])
        deleted = sorted(name for name in current if name not in declared and deletes_undeclared(self.params))
        for name in created + updated:
            request = logs.metric_filter_request(group, declared[name])
            self.plan_action(name, functools.partial(logs.put_metric_filter, self.client, **request))
        for name in deleted:
            self.plan(name, logs.delete_metric_filter, group, name)
        self.apply_plan()
        after = dict((name, view) for name, view in current.items() if name not in deleted)
        after.update(declared)
        return set_result(self.module, self.changed, "metric_filters", current, after, created, updated, deleted)


def logs_client(module):
    return module.client("logs")


def main():
    filter_spec = dict(
        name=dict(type="str", required=True),
        filter_pattern=dict(type="str", required=True),
        metric_transformation=dict(type="dict", required=True, options=logs.METRIC_TRANSFORMATION_SPEC),
    )
    argument_spec = dict(
        **set_argument_spec(),
        log_group_name=dict(type="str", required=True),
        metric_filters=dict(type="list", elements="dict", options=filter_spec, default=[]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    settle(module)
    run_model_checked(
        module,
        validate(module.params),
        lambda: logs_client(module),
        lambda service_model: model_errors(service_model, module.params),
        lambda client: MetricFilterSetManager(module, client).process(),
        logs.AnsibleLogsError,
    )


if __name__ == "__main__":
    main()
