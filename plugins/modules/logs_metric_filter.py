#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: logs_metric_filter
short_description: A CloudWatch Logs metric filter, found by its exact name, with check mode and diff
version_added: 1.0.0
description:
  - Creates, replaces or deletes a metric filter of a CloudWatch Logs log group.
  - Unlike M(amazon.aws.cloudwatchlogs_log_group_metric_filter), the filter is found by its exact name (the stock
    module takes any filter whose name starts with the given one), and C(--diff) shows the pattern and the metric
    before and after, so a compliance run says what changed in a CIS filter.
  - The input is checked before any call, then the filter as it would be put is checked against the CloudWatch Logs
    service model (characters of the metric name and namespace, unit), each problem named by its option path.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  log_group_name:
    description: Name of the log group of the filter.
    type: str
    required: true
  name:
    description: Name of the filter (1-512 characters, no C(:) or C(*)).
    type: str
    required: true
    aliases: [filter_name]
  state:
    description: V(present) creates or replaces the filter; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  filter_pattern:
    description: The pattern the log events are matched with. Required with O(state=present).
    type: str
  metric_transformation:
    description: The metric the matching events are counted in. Required with O(state=present).
    type: dict
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
        description: The value published when no event matches (not with O(metric_transformation.dimensions)).
        type: float
      unit:
        description: Unit of the metric.
        type: str
      dimensions:
        description: Dimensions of the metric, names and the C($.field) each takes.
        type: dict
notes:
  - Supports check mode and diff mode.
  - "API calls: C(DescribeMetricFilters) on every run; C(PutMetricFilter) when the filter is missing or differs;
    C(DeleteMetricFilter) for O(state=absent). A re-run with the same input makes the one read."
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: CIS 4.3, usage of the root account
  securecloud.monitor.logs_metric_filter:
    log_group_name: /aws/cloudtrail/prod
    name: prod-cis-root-account-usage
    filter_pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }'
    metric_transformation:
      metric_name: RootAccountUsage
      metric_namespace: CISBenchmark
      metric_value: "1"
"""

RETURN = r"""
metric_filter:
  description: The filter after the task, in the shape of the options; empty when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the filter.
      type: str
    filter_pattern:
      description: The pattern.
      type: str
    metric_transformation:
      description: The metric.
      type: dict
diff:
  description: The filter before and after, with C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import logs  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import request_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import exit_with_diff, fail_on_input_errors  # noqa: E402


def input_errors(params):
    errors = logs.metric_filter_name_errors("name", params["name"])
    if params["state"] == "absent":
        return errors
    return errors + logs.metric_filter_errors("", params)


def declared_view(params):
    return logs.declared_metric_filter(params)


def to_aws(params, view):
    return logs.metric_filter_request(params["log_group_name"], view)


def model_errors(service_model, params):
    """PutMetricFilter of the declared options checked against the CloudWatch Logs model (metric name and namespace
    characters, unit, dimensions); [] when AWS would take it. Run once input_errors passes."""
    if params["state"] == "absent":
        return []
    request = to_aws(params, declared_view(params))
    return request_errors(service_model, "PutMetricFilter", request, logs.METRIC_FILTER_RENAMES)


def main():
    module = AnsibleAWSModule(argument_spec=build_argument_spec(), supports_check_mode=True)
    params = module.params
    errors = input_errors(params)
    fail_on_input_errors(module, errors)
    client = module.client("logs")
    fail_on_input_errors(module, model_errors(client.meta.service_model, params))
    try:
        found = logs.describe_metric_filter(client, params["log_group_name"], params["name"])
        current = canonical(logs.metric_filter_view(found)) if found else None
        desired = declared_view(params) if params["state"] == "present" else None
        changed = current != desired
        if changed and not module.check_mode:
            if desired is None:
                logs.delete_metric_filter(client, params["log_group_name"], params["name"])
            else:
                logs.put_metric_filter(client, **to_aws(params, desired))
    except logs.AnsibleLogsError as e:
        module.fail_json_aws_error(e)
    exit_with_diff(module, dict(changed=changed, metric_filter=desired or {}), current, desired)


def build_argument_spec():
    return dict(
        log_group_name=dict(type="str", required=True),
        name=dict(type="str", required=True, aliases=["filter_name"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        filter_pattern=dict(type="str"),
        metric_transformation=dict(type="dict", options=logs.METRIC_TRANSFORMATION_SPEC),
    )


if __name__ == "__main__":
    main()
