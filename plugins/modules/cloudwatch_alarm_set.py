#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudwatch_alarm_set
short_description: Manage the set of CloudWatch metric and composite alarms whose names share a prefix
version_added: 1.0.0
description:
  - Makes the CloudWatch alarms whose names start with O(prefix) match O(alarms) in one task. Metric alarms (one
    metric, metric math, or an anomaly detection band) and composite alarms are supported, with tags.
  - Everything is read with B(one) paginated C(DescribeAlarms) call (100 alarms a page) for the whole set, so a
    run that changes nothing costs one API call for up to 100 alarms (plus tag reads, see O(compare_tags)).
  - An alarm is declared in full, as C(PutMetricAlarm) and C(PutCompositeAlarm) replace the whole alarm; options
    left out take the AWS defaults. Both sides are normalised before comparison (V(actions_enabled) true,
    V(treat_missing_data) V(missing), V(datapoints_to_alarm) equal to V(evaluation_periods), a metric query's
    V(return_data) true, dimensions and action ARNs as sets, no unit), so a re-run reports no change and makes
    no mutating call.
  - Metric alarms are created and updated before composite alarms; composite alarms after the alarms their
    O(alarms[].rule) and O(alarms[].actions_suppressor) refer to (a cycle is an error, found before any call).
    Deletion goes the other way round, composite alarms first, parents before children, then metric alarms.
  - Every input problem is reported before any call to AWS, naming the field (for example
    C(alarms[3].threshold)) and the fix. The request of every alarm of the set is then checked against the
    CloudWatch service model (units, lengths, ranges, patterns), so a bad alarm fails the task before the first
    alarm is written.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  prefix:
    required: true
  purge_tags:
    description:
      - Remove tags of a declared alarm that are not in its O(alarms[].tags). No effect on an alarm whose
        O(alarms[].tags) is not set.
    type: bool
    default: true
  compare_tags:
    description:
      - How the tags of existing alarms are read, for the alarms that declare O(alarms[].tags). CloudWatch
        returns no tags with C(DescribeAlarms), so this is a trade-off between API calls and what is detected.
      - V(per_alarm) reads them with one C(ListTagsForResource) per alarm that declares tags. Always exact; a
        no-op run costs one call per such alarm.
      - V(tagging_api) reads the tags of every alarm in the region with the Resource Groups Tagging API
        (C(tag:GetResources), one call per 100 tagged alarms of the region). Exact, and the cheapest for large
        sets; needs the C(tag:GetResources) permission. When that call fails, the module warns and falls back
        to V(per_alarm).
      - V(on_change) reads tags only of alarms whose configuration changes anyway. Tags changed out of band on
        an alarm that is otherwise unchanged are B(not) detected; a no-op run costs one call in all.
      - New alarms get their tags with the create call in every mode.
    type: str
    choices: [per_alarm, tagging_api, on_change]
    default: per_alarm
  alarms:
    description:
      - The alarms that must exist in the scope. The order does not matter.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - Name of the alarm; must start with O(prefix). At most 255 characters.
        type: str
        required: true
      type:
        description:
          - V(metric) for an alarm on a metric, metric math or an anomaly band, V(composite) for an alarm on the
            states of other alarms.
          - Defaults to V(composite) when O(alarms[].rule) is given, else V(metric).
        type: str
        choices: [metric, composite]
      description:
        description: Description of the alarm, at most 1024 characters.
        type: str
      namespace:
        description: Namespace of the single metric, for example V(AWS/ApplicationELB).
        type: str
      metric_name:
        description: Name of the single metric, for example V(HTTPCode_Target_5XX_Count).
        type: str
      dimensions:
        description: Dimensions of the single metric, name to value.
        type: dict
      statistic:
        description:
          - Statistic of the single metric. For percentiles and other extended statistics use
            O(alarms[].extended_statistic).
        type: str
        choices: [SampleCount, Average, Sum, Minimum, Maximum]
      extended_statistic:
        description: Extended statistic of the single metric, for example V(p99), V(p99.9) or V(tm90).
        type: str
      period:
        description:
          - Length of a period in seconds, V(10), V(20), V(30) (high-resolution metrics) or a multiple of 60.
          - With O(alarms[].metrics), the default period of the entries whose O(alarms[].metrics[].metric_stat)
            gives none.
        type: int
      unit:
        description: Unit of the single metric, for example V(Count). Usually left out.
        type: str
      metrics:
        description:
          - Metric math or anomaly detection instead of a single metric (mutually exclusive with
            O(alarms[].namespace), O(alarms[].metric_name), O(alarms[].dimensions), O(alarms[].statistic),
            O(alarms[].extended_statistic) and O(alarms[].unit)).
          - Without O(alarms[].threshold_metric_id) exactly one entry must return data (V(return_data) defaults to
            true, so set it to V(false) on the others).
        type: list
        elements: dict
        suboptions:
          id:
            description: Short ID of the entry (starts with a lower-case letter), used in expressions.
            type: str
            required: true
          expression:
            description: A metric math expression, for example V(100 * errors / requests) or
              V(ANOMALY_DETECTION_BAND(m1, 2)). Mutually exclusive with O(alarms[].metrics[].metric_stat).
            type: str
          metric_stat:
            description: A metric and how to aggregate it.
            type: dict
            suboptions:
              namespace:
                description: Namespace of the metric.
                type: str
                required: true
              metric_name:
                description: Name of the metric.
                type: str
                required: true
              dimensions:
                description: Dimensions of the metric, name to value.
                type: dict
              period:
                description: Period in seconds; defaults to O(alarms[].period).
                type: int
              stat:
                description: Statistic, for example V(Sum), V(Average) or V(p99).
                type: str
                required: true
              unit:
                description: Unit of the metric.
                type: str
          label:
            description: Label of the entry.
            type: str
          return_data:
            description: Whether the alarm evaluates this entry. Defaults to true, as in AWS.
            type: bool
          period:
            description: Period in seconds of an expression entry.
            type: int
          account_id:
            description: Account the metric is in, for cross-account alarms.
            type: str
      comparison_operator:
        description:
          - How the value is compared with the threshold. The static comparisons need O(alarms[].threshold); the
            V(LessThanLowerOrGreaterThanUpperThreshold), V(LessThanLowerThreshold) and
            V(GreaterThanUpperThreshold) comparisons need O(alarms[].threshold_metric_id).
          - Required for a metric alarm.
        type: str
        choices:
          - GreaterThanOrEqualToThreshold
          - GreaterThanThreshold
          - LessThanThreshold
          - LessThanOrEqualToThreshold
          - LessThanLowerOrGreaterThanUpperThreshold
          - LessThanLowerThreshold
          - GreaterThanUpperThreshold
      threshold:
        description: The static threshold. Required with a static comparison, not allowed with an anomaly band.
        type: float
      threshold_metric_id:
        description:
          - For an anomaly detection alarm, the O(alarms[].metrics[].id) of the entry whose expression is
            V(ANOMALY_DETECTION_BAND(...)).
        type: str
      evaluation_periods:
        description: Number of most recent periods evaluated. Required for a metric alarm.
        type: int
      datapoints_to_alarm:
        description:
          - Number of breaching data points within O(alarms[].evaluation_periods) that trigger the alarm ("M out
            of N"). Defaults to O(alarms[].evaluation_periods), as in AWS.
        type: int
      treat_missing_data:
        description: How missing data points are treated.
        type: str
        choices: [missing, notBreaching, breaching, ignore]
        default: missing
      evaluate_low_sample_count_percentile:
        description: For a percentile statistic, whether a period with too few samples is evaluated.
        type: str
        choices: [evaluate, ignore]
      rule:
        description:
          - The AlarmRule of a composite alarm, for example
            V(ALARM("web-5xx") OR (ALARM("web-latency") AND NOT OK("web-healthy"))). Alarms are named by name or
            ARN.
          - Required for a composite alarm; implies O(alarms[].type=composite).
          - Its syntax is checked before any call against the grammar of PutCompositeAlarm (V(ALARM), V(OK),
            V(INSUFFICIENT_DATA), V(AT_LEAST), V(TRUE), V(FALSE), V(AND), V(OR), V(NOT), parentheses; at most 10240
            characters), so a typo fails naming the alarm before any alarm of the set is written.
        type: str
      actions_suppressor:
        description:
          - For a composite alarm, an alarm whose ALARM state suppresses this alarm's actions.
        type: dict
        suboptions:
          alarm:
            description: Name or ARN of the suppressor alarm.
            type: str
            required: true
          wait_period:
            description: Seconds the suppressor may take to go into ALARM after this alarm does.
            type: int
            required: true
          extension_period:
            description: Seconds actions stay suppressed after the suppressor leaves ALARM.
            type: int
            required: true
      alarm_actions:
        description:
          - ARNs of the actions run on the transition to ALARM (SNS topics, Auto Scaling policies ...).
          - Every action of O(alarms[].alarm_actions), O(alarms[].ok_actions) and O(alarms[].insufficient_data_actions)
            must be an ARN; a topic's bare name, which the API stores but never notifies, fails before any call.
        type: list
        elements: str
      ok_actions:
        description: ARNs of the actions run on the transition to OK.
        type: list
        elements: str
      insufficient_data_actions:
        description: ARNs of the actions run on the transition to INSUFFICIENT_DATA.
        type: list
        elements: str
      actions_enabled:
        description: Whether the actions run.
        type: bool
        default: true
      tags:
        description:
          - Tags of the alarm. Not set leaves the tags of an existing alarm alone; see O(purge_tags) and
            O(compare_tags).
        type: dict
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made.
  - O(prefix) is required and must not be empty.
  - A composite alarm may refer to alarms outside O(prefix); they are left alone, but they must exist (one
    C(DescribeAlarms) by name, made only when a rule refers outside the set, checks it before any write). A reference
    to an undeclared alarm in the scope is an error with O(purge=true), as the purge would delete it.
  - Log alarms (C(AlarmType=LogAlarm)) are not read and never deleted.
extends_documentation_fragment:
  - securecloud.monitor.set_module
  - securecloud.monitor.set_module.owner_tag
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Alarms of the web service; alarms named web-* that are not listed are deleted
  securecloud.monitor.cloudwatch_alarm_set:
    prefix: web-
    alarms:
      - name: web-5xx
        namespace: AWS/ApplicationELB
        metric_name: HTTPCode_Target_5XX_Count
        dimensions:
          LoadBalancer: app/web/50dc6c495c0c9188
        statistic: Sum
        period: 60
        evaluation_periods: 5
        datapoints_to_alarm: 3
        comparison_operator: GreaterThanThreshold
        threshold: 10
        treat_missing_data: notBreaching
        alarm_actions: ["{{ oncall_topic_arn }}"]
        tags:
          team: web
      - name: web-latency-p99
        namespace: AWS/ApplicationELB
        metric_name: TargetResponseTime
        dimensions:
          LoadBalancer: app/web/50dc6c495c0c9188
        extended_statistic: p99
        period: 60
        evaluation_periods: 5
        comparison_operator: GreaterThanThreshold
        threshold: 1.5
      - name: web-error-rate
        description: 5xx responses as a percentage of requests
        period: 300
        metrics:
          - id: errors
            metric_stat: {namespace: AWS/ApplicationELB, metric_name: HTTPCode_Target_5XX_Count,
                          dimensions: {LoadBalancer: app/web/50dc6c495c0c9188}, stat: Sum}
            return_data: false
          - id: requests
            metric_stat: {namespace: AWS/ApplicationELB, metric_name: RequestCount,
                          dimensions: {LoadBalancer: app/web/50dc6c495c0c9188}, stat: Sum}
            return_data: false
          - id: rate
            expression: 100 * errors / requests
            label: Error rate
        evaluation_periods: 3
        comparison_operator: GreaterThanThreshold
        threshold: 5
      - name: web-requests-anomaly
        metrics:
          - id: m1
            metric_stat: {namespace: AWS/ApplicationELB, metric_name: RequestCount,
                          dimensions: {LoadBalancer: app/web/50dc6c495c0c9188}, period: 300, stat: Sum}
          - id: band
            expression: ANOMALY_DETECTION_BAND(m1, 2)
        threshold_metric_id: band
        comparison_operator: LessThanLowerOrGreaterThanUpperThreshold
        evaluation_periods: 3
      - name: web-degraded
        rule: ALARM("web-5xx") OR ALARM("web-latency-p99")
        alarm_actions: ["{{ oncall_topic_arn }}"]

- name: Delete every alarm whose name starts with web-
  securecloud.monitor.cloudwatch_alarm_set:
    prefix: web-
    state: absent
"""

RETURN = r"""
alarms:
  description:
    - The alarms in the scope after the task (in check mode, as they would be), sorted by name, in the shape of
      O(alarms) with the AWS defaults filled in, plus their ARNs.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the alarm.
      type: str
      sample: web-5xx
    type:
      description: V(metric) or V(composite).
      type: str
      sample: metric
    arn:
      description: ARN of the alarm; null for an alarm that check mode would create.
      type: str
      sample: arn:aws:cloudwatch:eu-west-1:123456789012:alarm:web-5xx
    tags:
      description: Tags of the alarm when they were read or set by the task, else null.
      type: dict
      sample: {"team": "web"}
  sample:
    - name: web-5xx
      type: metric
      arn: arn:aws:cloudwatch:eu-west-1:123456789012:alarm:web-5xx
      namespace: AWS/ApplicationELB
      metric_name: HTTPCode_Target_5XX_Count
      dimensions: {"LoadBalancer": "app/web/50dc6c495c0c9188"}
      statistic: Sum
      period: 60
      evaluation_periods: 5
      datapoints_to_alarm: 3
      comparison_operator: GreaterThanThreshold
      threshold: 10.0
      treat_missing_data: notBreaching
      actions_enabled: true
      alarm_actions: ["arn:aws:sns:eu-west-1:123456789012:oncall"]
      ok_actions: []
      insufficient_data_actions: []
      tags: {"team": "web"}
created:
  description: Names of the alarms created (or that check mode would create).
  returned: always
  type: list
  elements: str
  sample: [web-5xx]
updated:
  description: Names of the alarms whose configuration or tags changed.
  returned: always
  type: list
  elements: str
  sample: [web-latency-p99]
deleted:
  description: Names of the alarms deleted.
  returned: always
  type: list
  elements: str
  sample: [web-old]
kept_foreign:
  description:
    - The names of the alarms in the scope, not declared, that O(purge) or O(state=absent) left in place because they
      do not carry O(owner_tag), sorted. They are in RV(alarms) too.
  returned: when O(owner_tag) is set
  type: list
  elements: str
  sample: [prod-cis-mon-api-cpu-high]
diff:
  description: Before and after state of each alarm that changes, by name, with C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a write failed partway (retries exhausted, a permission missing); the task then fails. The names of
      the alarms all of whose writes were made, in the order the plan made them. See the notes.
  returned: when a write fails
  type: list
  elements: str
  sample: [web-5xx]
not_written:
  description:
    - Set only when a write failed partway. The names of the alarms with a write not made, the one whose write failed
      first; a rerun of the task writes what is missing.
  returned: when a write fails
  type: list
  elements: str
  sample: [web-latency-p99, web-degraded]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import functools  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.cloudwatch import (  # noqa: E402
    BAND_OPERATORS,
    EXTENDED_STATISTIC,
    PERCENTILE,
    STATIC_OPERATORS,
    AnsibleCloudWatchError,
    alarm_tags_by_arn,
    alarm_type,
    children_first,
    composite_children,
    declared_alarm,
    delete_alarms,
    deletion_batches,
    describe_alarms,
    describe_alarms_named,
    find_cycle,
    list_tags,
    normalise_alarm,
    option_shape,
    put_composite_alarm,
    put_metric_alarm,
    put_request,
    rule_syntax_error,
    tag_changes,
    tag_resource,
    untag_resource,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical, differs  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    plan_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import run_model_checked  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import (  # noqa: E402
    WritePlan,
    deletes_undeclared,
    owner_tag_errors,
    set_argument_spec,
    settle,
    split_owned,
)

SINGLE_METRIC_FIELDS = ("namespace", "metric_name", "dimensions", "statistic", "extended_statistic", "unit")
METRIC_ONLY_FIELDS = (
    *SINGLE_METRIC_FIELDS,
    "metrics",
    "period",
    "comparison_operator",
    "threshold",
    "threshold_metric_id",
    "evaluation_periods",
    "datapoints_to_alarm",
    "evaluate_low_sample_count_percentile",
)


def _valid_period(period):
    return period in (10, 20, 30) or (isinstance(period, int) and period > 0 and period % 60 == 0)


def _validate_period(errors, field, period):
    if period is not None and not _valid_period(period):
        errors.append(
            f"{field} is {period}: use 10, 20 or 30 (high-resolution metrics) or a multiple of 60, e.g. 60 or 300."
        )


def _validate_metrics(errors, field, alarm):
    metrics = alarm["metrics"]
    ids = {}
    for index, query in enumerate(metrics):
        where = f"{field}.metrics[{index}]"
        query_id = query["id"]
        if not query_id[:1].islower() or not query_id.replace("_", "a").isalnum():
            errors.append(
                f"{where}.id '{query_id}' is not a valid ID: start with a lower-case letter and use letters, digits "
                "and '_' only, e.g. m1."
            )
        if query_id in ids:
            errors.append(f"{where}.id '{query_id}' is also {field}.metrics[{ids[query_id]}].id: IDs must be unique.")
        ids.setdefault(query_id, index)
        has_expression, has_stat = bool(query.get("expression")), bool(query.get("metric_stat"))
        if has_expression == has_stat:
            errors.append(f"{where}: give exactly one of expression and metric_stat.")
        stat = query.get("metric_stat") or {}
        if stat:
            period = stat.get("period") or alarm.get("period")
            if period is None:
                errors.append(f"{where}.metric_stat.period is required (or set {field}.period for every entry).")
            _validate_period(errors, f"{where}.metric_stat.period", stat.get("period"))
        _validate_period(errors, f"{where}.period", query.get("period"))
    returning = [q["id"] for q in metrics if q.get("return_data") is not False]
    band_id = alarm.get("threshold_metric_id")
    if band_id is None and len(returning) != 1:
        errors.append(
            f"{field}.metrics: {len(returning)} entries return data ({', '.join(returning) or 'none'}); exactly one "
            "must (return_data defaults to true): set return_data: false on the entries the alarm does not "
            "evaluate."
        )
    if band_id is not None:
        band = next((q for q in metrics if q["id"] == band_id), None)
        if band is None:
            errors.append(f"{field}.threshold_metric_id '{band_id}' is not the id of an entry of {field}.metrics.")
        elif "ANOMALY_DETECTION_BAND" not in (band.get("expression") or ""):
            errors.append(
                f"{field}.threshold_metric_id '{band_id}' names an entry whose expression is not an anomaly band: "
                "give it expression: ANOMALY_DETECTION_BAND(m1, 2)."
            )


def _validate_metric_alarm(errors, field, alarm):
    if alarm.get("metrics"):
        both = [key for key in SINGLE_METRIC_FIELDS if alarm.get(key) is not None]
        if both:
            errors.append(
                f"{field}.metrics cannot be combined with {', '.join(f'{field}.{k}' for k in both)}: declare the "
                "metric either as a single metric or as metrics (metric math), not both."
            )
        _validate_metrics(errors, field, alarm)
    else:
        for key in ("namespace", "metric_name", "period"):
            if alarm.get(key) is None:
                errors.append(f"{field}.{key} is required for a single-metric alarm (or give {field}.metrics).")
        statistic, extended = alarm.get("statistic"), alarm.get("extended_statistic")
        if (statistic is None) == (extended is None):
            errors.append(
                f"{field}: give exactly one of statistic (SampleCount, Average, Sum, Minimum, Maximum) and "
                "extended_statistic (e.g. p99)."
            )
        if extended is not None and not EXTENDED_STATISTIC.match(extended):
            errors.append(f"{field}.extended_statistic '{extended}' is not an extended statistic: use e.g. p99, tm90.")
        if alarm.get("evaluate_low_sample_count_percentile") and not (extended and PERCENTILE.match(extended)):
            errors.append(
                f"{field}.evaluate_low_sample_count_percentile applies to a percentile statistic only: set "
                "extended_statistic (e.g. p99) or remove it."
            )
        _validate_period(errors, f"{field}.period", alarm.get("period"))
        if alarm.get("threshold_metric_id") is not None:
            errors.append(f"{field}.threshold_metric_id needs {field}.metrics with an ANOMALY_DETECTION_BAND entry.")
    operator = alarm.get("comparison_operator")
    if operator is None:
        errors.append(f"{field}.comparison_operator is required for a metric alarm.")
    elif operator in STATIC_OPERATORS:
        if alarm.get("threshold") is None:
            errors.append(f"{field}.threshold is required with comparison_operator {operator}.")
        if alarm.get("threshold_metric_id") is not None:
            errors.append(
                f"{field}.threshold_metric_id goes with an anomaly-band comparison ({', '.join(BAND_OPERATORS)}), "
                f"not {operator}."
            )
    elif operator in BAND_OPERATORS:
        if alarm.get("threshold") is not None:
            errors.append(
                f"{field}.threshold is not allowed with comparison_operator {operator}: the band is the threshold; "
                "remove it."
            )
        if alarm.get("threshold_metric_id") is None:
            errors.append(
                f"{field}.threshold_metric_id is required with comparison_operator {operator}: name the metrics "
                "entry with expression ANOMALY_DETECTION_BAND(m1, 2)."
            )
    evaluation = alarm.get("evaluation_periods")
    if evaluation is None:
        errors.append(f"{field}.evaluation_periods is required for a metric alarm.")
    elif evaluation < 1:
        errors.append(f"{field}.evaluation_periods is {evaluation}: use 1 or more.")
    datapoints = alarm.get("datapoints_to_alarm")
    if datapoints is not None and evaluation is not None and not 1 <= datapoints <= evaluation:
        errors.append(f"{field}.datapoints_to_alarm is {datapoints}: use 1 to evaluation_periods ({evaluation}).")


MAX_DESCRIPTION = 1024
ACTION_FIELDS = ("alarm_actions", "ok_actions", "insufficient_data_actions")


def _action_errors(field, alarm):
    """Actions are ARNs (a topic's name is stored by the API but never notifies anyone)."""
    return [
        f"{field}.{key}[{index}] {action!r} is not an ARN: give the topic's (or policy's) ARN, e.g. "
        "arn:aws:sns:us-east-1:123456789012:alerts."
        for key in ACTION_FIELDS
        for index, action in enumerate(alarm.get(key) or [])
        if not (action.startswith("arn:") and parse_aws_arn(action))
    ]


def unknown_references(params, current, lookup):
    """Errors for composite rules that name alarms that exist neither in the set nor in the account.

    ``lookup(names)`` returns the names that exist in the account; it is called once, and only for references
    outside the set's prefix (those inside are declared, or validate() already refused them).
    """
    declared = set(alarm["name"] for alarm in params.get("alarms") or [])
    referring = []
    for index, alarm in enumerate(params.get("alarms") or []):
        if alarm_type(alarm) == "composite":
            children = composite_children(declared_alarm(alarm)[1])
            referring += [(index, child) for child in children if child not in declared and child not in current]
    if not referring:
        return []
    existing = lookup(sorted(set(child for _index, child in referring)))
    return [
        f"alarms[{index}].rule refers to '{child}', which is neither declared in alarms nor an alarm of the account "
        "(region): declare it, create it first, or fix the name."
        for index, child in referring
        if child not in existing
    ]


def validate(params):
    """Every problem with the task's input, as messages that name the field and the fix (no AWS call)."""
    errors = []
    prefix = params["prefix"]
    if not prefix:
        errors.append("prefix is empty: give the prefix that every alarm name of this set starts with, e.g. 'web-'.")
    if params["state"] == "absent":
        return errors
    errors += owner_tag_errors(params, "alarms")
    alarms = params.get("alarms") or []
    names = {}
    for index, alarm in enumerate(alarms):
        field = f"alarms[{index}]"
        name = alarm["name"]
        if prefix and not name.startswith(prefix):
            errors.append(
                f"{field}.name '{name}' does not start with prefix '{prefix}': every alarm of the set must. Rename "
                "it or change prefix."
            )
        if not 1 <= len(name) <= 255:
            errors.append(f"{field}.name is {len(name)} characters long: use 1 to 255.")
        if name in names:
            errors.append(f"{field}.name '{name}' is also alarms[{names[name]}].name: names must be unique.")
        names.setdefault(name, index)
        description = alarm.get("description") or ""
        if len(description) > MAX_DESCRIPTION:
            errors.append(
                f"{field}.description is {len(description)} characters long: AWS takes at most {MAX_DESCRIPTION}. "
                "Shorten it (a runbook URL template that makes long URLs, for instance)."
            )
        errors += _action_errors(field, alarm)
        kind = alarm_type(alarm)
        if kind == "composite":
            extra = [key for key in METRIC_ONLY_FIELDS if alarm.get(key) is not None]
            if extra:
                errors.append(
                    f"{field} is a composite alarm: {', '.join(f'{field}.{k}' for k in extra)} belong to metric "
                    "alarms; remove them (or set type: metric and remove rule)."
                )
            if not alarm.get("rule"):
                errors.append(
                    f'{field}.rule is required for a composite alarm, e.g. ALARM("{prefix}5xx") OR '
                    f'ALARM("{prefix}latency").'
                )
            elif rule_syntax_error(alarm["rule"]):
                errors.append(
                    f"{field}.rule: {rule_syntax_error(alarm['rule'])}. Write it as CloudWatch does, e.g. "
                    f'ALARM("{prefix}5xx") OR (ALARM("{prefix}latency") AND NOT OK("{prefix}traffic")).'
                )
        else:
            if alarm.get("rule"):
                errors.append(f"{field}.rule is for composite alarms: remove it or set type: composite.")
            if alarm.get("actions_suppressor"):
                errors.append(f"{field}.actions_suppressor is for composite alarms: remove it or set type: composite.")
            _validate_metric_alarm(errors, field, alarm)
    if errors:
        return errors

    # Composite references: undeclared alarms of the scope would be purged; cycles cannot be created.
    graph = {}
    for index, alarm in enumerate(alarms):
        if alarm_type(alarm) != "composite":
            continue
        children = composite_children(declared_alarm(alarm)[1])
        graph[alarm["name"]] = children
        for child in children:
            if child == alarm["name"]:
                errors.append(f"alarms[{index}].rule refers to the alarm itself ('{child}').")
            elif params["purge"] and child.startswith(prefix) and child not in names:
                errors.append(
                    f"alarms[{index}].rule refers to '{child}', which is in the scope of prefix '{prefix}' but not "
                    "declared, so purge would delete it: declare it in alarms, or set purge: false."
                )
    composites = dict((name, [c for c in children if c in graph and c != name]) for name, children in graph.items())
    cycle = find_cycle(composites)
    if cycle:
        where = ", ".join(f"alarms[{names[name]}]" for name in cycle[:-1])
        errors.append(
            f"composite alarms refer to each other in a cycle: {' -> '.join(cycle)} ({where}). CloudWatch cannot "
            "evaluate a cycle; remove one of the references."
        )
    return errors


# Where the members of Put*Alarm come from among an alarm's options (see module_utils/model_validation.py).
MODEL_RENAMES = (
    Rename("AlarmName", "name"),
    Rename("AlarmDescription", "description"),
    Rename("AlarmRule", "rule"),
    Rename("ActionsSuppressor", "actions_suppressor.alarm"),
    Rename("ActionsSuppressorWaitPeriod", "actions_suppressor.wait_period"),
    Rename("ActionsSuppressorExtensionPeriod", "actions_suppressor.extension_period"),
    Rename("Metrics[*].MetricStat.Metric", "metrics[*].metric_stat"),
)


def model_errors(service_model, params):
    """The Put*Alarm request of every declared alarm checked against the CloudWatch model, so that the whole set is
    refused before its first write (run once validate passes); [] when AWS would take them all."""
    if params["state"] == "absent":
        return []
    requests = []
    for index, alarm in enumerate(params["alarms"]):
        kind, normalised = declared_alarm(alarm)
        operation = "PutCompositeAlarm" if kind == "composite" else "PutMetricAlarm"
        requests.append((operation, put_request(normalised, alarm.get("tags")), f"alarms[{index}]"))
    return plan_errors(service_model, requests, MODEL_RENAMES)


def cloudwatch_client(module):
    return module.client("cloudwatch")


def tagging_client(module):
    return module.client("resourcegroupstaggingapi")


class AlarmSetManager:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.created, self.updated, self.deleted = [], [], []
        self.diff_before, self.diff_after = {}, {}

    # ---------------------------------------------------------------- reading

    def read(self):
        """{name: (kind, normalised alarm, arn)} of the scope, from one paginated DescribeAlarms."""
        metric_alarms, composite_alarms = describe_alarms(self.client, self.params["prefix"])
        current = {}
        for kind, items in (("metric", metric_alarms), ("composite", composite_alarms)):
            for item in items:
                if item["AlarmName"].startswith(self.params["prefix"]):
                    current[item["AlarmName"]] = (kind, normalise_alarm(item, kind), item.get("AlarmArn"))
        return current

    def tag_reader(self, current, declared):
        """A function arn -> tags following compare_tags, reading in bulk up front where that is the mode."""
        mode = self.params["compare_tags"]
        wants_tags = [name for name, alarm in declared.items() if alarm["tags"] is not None and name in current]
        if mode == "tagging_api" and wants_tags:
            try:
                by_arn = alarm_tags_by_arn(tagging_client(self.module))
                return lambda arn: by_arn.get(arn, {})
            except AnsibleCloudWatchError as e:
                self.module.warn(
                    f"compare_tags=tagging_api: reading tags through the Resource Groups Tagging API failed ({e}); "
                    "reading them alarm by alarm instead."
                )
        return lambda arn: list_tags(self.client, arn)

    # ---------------------------------------------------------------- planning and applying

    def process(self):
        params = self.params
        current = self.read()
        if params["state"] == "present":
            missing = unknown_references(params, current, self.existing_alarms)
            if missing:
                self.module.fail_json(msg=" ".join(missing), errors=missing)
        declared = {}
        if params["state"] == "present":
            for alarm in params["alarms"]:
                kind, normalised = declared_alarm(alarm)
                declared[alarm["name"]] = {"kind": kind, "alarm": normalised, "tags": alarm.get("tags")}

        undeclared = [name for name in current if name not in declared]
        # An alarm that changes type is deleted and created again: AWS cannot turn one kind into the other.
        retyped = [name for name, d in declared.items() if name in current and current[name][0] != d["kind"]]

        read_tags = self.tag_reader(current, declared)
        # What stays undeclared: all of it without purge; with owner_tag, another owner's (their tags are read).
        doomed, kept, kept_foreign = [], undeclared, []
        if deletes_undeclared(params):
            doomed, kept_foreign = split_owned(params, [(n, n) for n in undeclared], lambda n: read_tags(current[n][2]))
            kept = kept_foreign
        puts, tag_calls, after = [], [], {}
        for name, wanted in declared.items():
            kind, normalised, tags = wanted["kind"], wanted["alarm"], wanted["tags"]
            existing = current.get(name) if name not in retyped else None
            if existing is None:
                self.created.append(name)
                puts.append((name, kind, put_request(normalised, tags)))
                after[name] = option_shape(kind, normalised, arn=None, tags=dict(tags) if tags is not None else None)
                before = current.get(name)
                self._diff(name, option_shape(before[0], before[1], arn=before[2]) if before else None, after[name])
                continue
            _kind, have, arn = existing
            config_changed = differs(have, normalised)
            current_tags = None
            if tags is not None and (config_changed or params["compare_tags"] != "on_change"):
                current_tags = read_tags(arn)
            tags_after, to_set, to_unset = (
                tag_changes(current_tags, tags, params["purge_tags"]) if current_tags is not None else (None, {}, [])
            )
            if config_changed:
                puts.append((name, kind, put_request(normalised)))
            if to_unset:
                tag_calls.append((untag_resource, arn, to_unset, name))
            if to_set:
                tag_calls.append((tag_resource, arn, to_set, name))
            after[name] = option_shape(kind, normalised, arn=arn, tags=tags_after)
            if config_changed or to_set or to_unset:
                self.updated.append(name)
                self._diff(name, option_shape(kind, have, arn=arn, tags=current_tags), after[name])
        for name in doomed:
            kind, have, arn = current[name]
            self.deleted.append(name)
            self._diff(name, option_shape(kind, have, arn=arn), None)
        for name in kept:
            kind, have, arn = current[name]
            after[name] = option_shape(kind, have, arn=arn)

        changed = bool(self.created or self.updated or self.deleted)
        if changed and not self.module.check_mode:
            self.apply(current, retyped, doomed, puts, tag_calls)
            if self.created:
                # New alarms' ARNs are only known once they exist: one more DescribeAlarms, on creating runs only.
                created_arns = self.created_arns()
                for name in self.created:
                    after[name]["arn"] = created_arns.get(name)

        result = {
            "changed": changed,
            "alarms": [after[name] for name in sorted(after)],
            "created": sorted(self.created),
            "updated": sorted(self.updated),
            "deleted": sorted(self.deleted),
        }
        if params.get("owner_tag"):
            result["kept_foreign"] = kept_foreign
        if self.module._diff:
            result["diff"] = {"before": self.diff_before, "after": self.diff_after}
        return result

    def _diff(self, name, before, after):
        if before is not None:
            self.diff_before[name] = canonical(before)
        if after is not None:
            self.diff_after[name] = canonical(after)

    def existing_alarms(self, names):
        metric_alarms, composite_alarms = describe_alarms_named(self.client, names)
        return set(a["AlarmName"] for a in [*metric_alarms, *composite_alarms])

    def created_arns(self):
        """ARNs of the alarms just created: one more DescribeAlarms (only on runs that create alarms)."""
        metric_alarms, composite_alarms = describe_alarms(self.client, self.params["prefix"])
        return dict((a["AlarmName"], a.get("AlarmArn")) for a in [*metric_alarms, *composite_alarms])

    def apply(self, current, retyped, doomed, puts, tag_calls):
        writes = WritePlan()
        if retyped:
            writes.add(sorted(retyped), functools.partial(delete_alarms, self.client, sorted(retyped)))
        by_name = dict((name, (kind, request)) for name, kind, request in puts)
        for name, kind, request in puts:
            if kind == "metric":
                writes.add(name, functools.partial(put_metric_alarm, self.client, request))
        graph = dict(
            (name, composite_children(request)) for name, (kind, request) in by_name.items() if kind == "composite"
        )
        for name in children_first(graph):
            writes.add(name, functools.partial(put_composite_alarm, self.client, by_name[name][1]))
        for call, arn, value, name in tag_calls:
            writes.add(name, functools.partial(call, self.client, arn, value))
        doomed_composites = dict((name, current[name][1]) for name in doomed if current[name][0] == "composite")
        doomed_metrics = [name for name in doomed if current[name][0] == "metric"]
        for batch in deletion_batches(doomed_composites, doomed_metrics):
            writes.add(batch, functools.partial(delete_alarms, self.client, batch))
        writes.apply(self.module)


def main():
    query_spec = dict(
        id=dict(type="str", required=True),
        expression=dict(type="str"),
        metric_stat=dict(
            type="dict",
            options=dict(
                namespace=dict(type="str", required=True),
                metric_name=dict(type="str", required=True),
                dimensions=dict(type="dict"),
                period=dict(type="int"),
                stat=dict(type="str", required=True),
                unit=dict(type="str"),
            ),
        ),
        label=dict(type="str"),
        return_data=dict(type="bool"),
        period=dict(type="int"),
        account_id=dict(type="str"),
    )
    alarm_spec = dict(
        name=dict(type="str", required=True),
        type=dict(type="str", choices=["metric", "composite"]),
        description=dict(type="str"),
        namespace=dict(type="str"),
        metric_name=dict(type="str"),
        dimensions=dict(type="dict"),
        statistic=dict(type="str", choices=["SampleCount", "Average", "Sum", "Minimum", "Maximum"]),
        extended_statistic=dict(type="str"),
        period=dict(type="int"),
        unit=dict(type="str"),
        metrics=dict(type="list", elements="dict", options=query_spec),
        comparison_operator=dict(type="str", choices=[*STATIC_OPERATORS, *BAND_OPERATORS]),
        threshold=dict(type="float"),
        threshold_metric_id=dict(type="str"),
        evaluation_periods=dict(type="int"),
        datapoints_to_alarm=dict(type="int"),
        treat_missing_data=dict(
            type="str", choices=["missing", "notBreaching", "breaching", "ignore"], default="missing"
        ),
        evaluate_low_sample_count_percentile=dict(type="str", choices=["evaluate", "ignore"]),
        rule=dict(type="str"),
        actions_suppressor=dict(
            type="dict",
            options=dict(
                alarm=dict(type="str", required=True),
                wait_period=dict(type="int", required=True),
                extension_period=dict(type="int", required=True),
            ),
        ),
        alarm_actions=dict(type="list", elements="str"),
        ok_actions=dict(type="list", elements="str"),
        insufficient_data_actions=dict(type="list", elements="str"),
        actions_enabled=dict(type="bool", default=True),
        tags=dict(type="dict"),
    )
    argument_spec = dict(
        **set_argument_spec(owner_tag=True),
        purge_tags=dict(type="bool", default=True),
        compare_tags=dict(type="str", choices=["per_alarm", "tagging_api", "on_change"], default="per_alarm"),
        alarms=dict(type="list", elements="dict", options=alarm_spec, default=[]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    settle(module)

    run_model_checked(
        module,
        validate(module.params),
        lambda: cloudwatch_client(module),
        lambda service_model: model_errors(service_model, module.params),
        lambda client: AlarmSetManager(module, client).process(),
        AnsibleCloudWatchError,
    )


if __name__ == "__main__":
    main()
