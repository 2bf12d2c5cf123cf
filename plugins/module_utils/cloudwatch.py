# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CloudWatch alarms and dashboards for this collection: API wrappers, the conversions between the AWS
shape and the modules' option shape, and the normalisation that makes the two comparable.

Alarms are compared in the shape of a PutMetricAlarm / PutCompositeAlarm request after :func:`normalise_alarm`
filled in what AWS assumes when a field is left out (``ActionsEnabled`` true, ``TreatMissingData`` missing,
``DatapointsToAlarm`` = ``EvaluationPeriods``, ``ReturnData`` true) and sorted what AWS treats as a set
(dimensions, action ARNs). amazon.aws ``cloudwatch_metric_alarm`` compares raw dicts, which is why it reports a
change on every run for some alarms (amazon.aws #1439, #1750) and compares metric-math alarms wrongly.

Dashboards are compared on their parsed body after :func:`normalise_dashboard_body` applied the widget defaults
(``width``/``height`` 6, the region, ``view`` timeSeries, ``stacked`` false ...).

The wrappers follow amazon.aws ``module_utils/ec2.py``: one function per call, retried with
``retry.jittered_backoff`` and turned into :class:`AnsibleCloudWatchError` by an ``AWSErrorHandler``.
"""

import copy
import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import is_arn
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import (  # pylint: disable=unused-import
    tag_changes,  # noqa: F401
    tag_dict,
    tag_list,
)

# ---------------------------------------------------------------------------------------------
# API wrappers
# ---------------------------------------------------------------------------------------------

PAGE_SIZE = 100  # DescribeAlarms' largest page: 30 alarms are read in one call
DELETE_BATCH = 100  # DeleteAlarms takes at most 100 names
ALARM_RESOURCE_TYPE = "cloudwatch:alarm"


class AnsibleCloudWatchError(AnsibleAWSError):
    pass


class CloudWatchErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudWatchError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFound")


@CloudWatchErrorHandler.common_error_handler("describe alarms")
@jittered_backoff()
def describe_alarms(client, prefix):
    """(metric alarms, composite alarms) whose names start with ``prefix``, every page."""
    paginator = client.get_paginator("describe_alarms")
    result = paginator.paginate(
        AlarmNamePrefix=prefix,
        AlarmTypes=["MetricAlarm", "CompositeAlarm"],
        PaginationConfig={"PageSize": PAGE_SIZE},
    ).build_full_result()
    return result.get("MetricAlarms") or [], result.get("CompositeAlarms") or []


@CloudWatchErrorHandler.list_error_handler("describe alarms by name", ([], []))
@jittered_backoff()
def describe_alarms_named(client, names):
    """(metric alarms, composite alarms) of exactly these names (DescribeAlarms takes at most 100 at a time)."""
    metric, composite = [], []
    for start in range(0, len(names), 100):
        batch = names[start : start + 100]
        result = client.describe_alarms(AlarmNames=batch, AlarmTypes=["MetricAlarm", "CompositeAlarm"])
        metric += result.get("MetricAlarms") or []
        composite += result.get("CompositeAlarms") or []
    return metric, composite


@CloudWatchErrorHandler.common_error_handler("put metric alarm")
@jittered_backoff()
def put_metric_alarm(client, params):
    client.put_metric_alarm(**params)
    return True


@CloudWatchErrorHandler.common_error_handler("put composite alarm")
@jittered_backoff()
def put_composite_alarm(client, params):
    client.put_composite_alarm(**params)
    return True


@CloudWatchErrorHandler.deletion_error_handler("delete alarms")
@jittered_backoff()
def delete_alarms(client, names):
    for start in range(0, len(names), DELETE_BATCH):
        client.delete_alarms(AlarmNames=list(names[start : start + DELETE_BATCH]))
    return True


@CloudWatchErrorHandler.list_error_handler("list tags of alarm", {})
@jittered_backoff()
def list_tags(client, arn):
    tags = client.list_tags_for_resource(ResourceARN=arn).get("Tags") or []
    return tag_dict(tags)


@CloudWatchErrorHandler.common_error_handler("read alarm tags through the Resource Groups Tagging API")
@jittered_backoff()
def alarm_tags_by_arn(tagging_client):
    """{alarm ARN: tags} of every tagged alarm of the region, from GetResources (one call per 100 alarms).

    An alarm without tags is not in the answer; callers read a missing ARN as "no tags".
    """
    paginator = tagging_client.get_paginator("get_resources")
    mappings = paginator.paginate(ResourceTypeFilters=[ALARM_RESOURCE_TYPE], ResourcesPerPage=100).build_full_result()
    return dict(
        (item["ResourceARN"], tag_dict(item.get("Tags"))) for item in mappings.get("ResourceTagMappingList") or []
    )


@CloudWatchErrorHandler.common_error_handler("tag alarm")
@jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceARN=arn, Tags=tag_list(tags))
    return True


@CloudWatchErrorHandler.common_error_handler("untag alarm")
@jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceARN=arn, TagKeys=sorted(keys))
    return True


@CloudWatchErrorHandler.list_error_handler("get dashboard", None)
@jittered_backoff()
def get_dashboard(client, name):
    """{'arn', 'body'} of the dashboard (body parsed), or None when it does not exist."""
    response = client.get_dashboard(DashboardName=name)
    body = response.get("DashboardBody") or "{}"
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = {"__unparsed__": body}
    return {"arn": response.get("DashboardArn"), "body": parsed}


@CloudWatchErrorHandler.list_error_handler("list dashboards", [])
@jittered_backoff()
def list_dashboards(client, prefix):
    paginator = client.get_paginator("list_dashboards")
    result = paginator.paginate(DashboardNamePrefix=prefix).build_full_result()
    return result.get("DashboardEntries") or []


@CloudWatchErrorHandler.common_error_handler("put dashboard")
@jittered_backoff()
def put_dashboard(client, name, body):
    """(saved, validation messages). AWS refuses an invalid body with InvalidParameterInput and the messages in
    the error; a saved dashboard may still come back with messages (widgets that will not render)."""
    try:
        response = client.put_dashboard(DashboardName=name, DashboardBody=json.dumps(body, sort_keys=True))
    except is_boto3_error_code("InvalidParameterInput") as e:
        messages = e.response.get("dashboardValidationMessages") or e.response.get("DashboardValidationMessages")
        if not messages:
            message = e.response.get("Error", {}).get("Message") or e.response.get("message") or str(e)
            messages = [{"DataPath": "", "Message": message}]
        return False, messages
    return True, response.get("DashboardValidationMessages") or []


@CloudWatchErrorHandler.deletion_error_handler("delete dashboards")
@jittered_backoff()
def delete_dashboards(client, names):
    client.delete_dashboards(DashboardNames=list(names))
    return True


# ---------------------------------------------------------------------------------------------
# Alarms: option shape <-> AWS shape, normalisation
# ---------------------------------------------------------------------------------------------

STATIC_OPERATORS = (
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
)
BAND_OPERATORS = (
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
)
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
TREAT_MISSING_DATA = ("missing", "notBreaching", "breaching", "ignore")
ACTION_KEYS = (
    ("alarm_actions", "AlarmActions"),
    ("ok_actions", "OKActions"),
    ("insufficient_data_actions", "InsufficientDataActions"),
)
# Percentile-like extended statistics: p99, p99.9, tm90, wm99, tc90, ts90, TM(10%:90%), IQM, PR(:300) ...
EXTENDED_STATISTIC = re.compile(r"^(p|tm|wm|tc|ts)\d{1,2}(\.\d{1,10})?$|^(TM|WM|TC|TS|PR)\(.+\)$|^IQM$")
PERCENTILE = re.compile(r"^p\d{1,2}(\.\d{1,10})?$")

_METRIC_KEYS = (
    "AlarmName",
    "AlarmDescription",
    "ActionsEnabled",
    "OKActions",
    "AlarmActions",
    "InsufficientDataActions",
    "MetricName",
    "Namespace",
    "Statistic",
    "ExtendedStatistic",
    "Dimensions",
    "Period",
    "Unit",
    "EvaluationPeriods",
    "DatapointsToAlarm",
    "Threshold",
    "ComparisonOperator",
    "TreatMissingData",
    "EvaluateLowSampleCountPercentile",
    "Metrics",
    "ThresholdMetricId",
)
_COMPOSITE_KEYS = (
    "AlarmName",
    "AlarmDescription",
    "ActionsEnabled",
    "OKActions",
    "AlarmActions",
    "InsufficientDataActions",
    "AlarmRule",
    "ActionsSuppressor",
    "ActionsSuppressorWaitPeriod",
    "ActionsSuppressorExtensionPeriod",
)


def alarm_type(alarm):
    """metric | composite: the declared ``type``, else composite when a ``rule`` is given."""
    return alarm.get("type") or ("composite" if alarm.get("rule") else "metric")


def _dimensions(value):
    if not value:
        return None
    if isinstance(value, dict):
        value = [{"Name": k, "Value": v} for k, v in value.items()]
    return sorted(
        ({"Name": str(d["Name"]), "Value": str(d["Value"])} for d in value), key=lambda d: (d["Name"], d["Value"])
    )


def _actions(value):
    return sorted(set(value or [])) or None


def _number(value):
    return None if value is None else float(value)


def _blank_to_none(value):
    return None if value in ("", None) else value


def _drop_none(value):
    """Recursively drop None members (AWS requests must not carry them)."""
    if isinstance(value, dict):
        return dict((k, _drop_none(v)) for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


_RULE_TOKEN = re.compile(r'"[^"]*"|\'[^\']*\'|\s+|[()]|[^\s()"\']+')


def normalise_rule(rule):
    """An AlarmRule with insignificant whitespace removed (quoted names are kept as they are)."""
    tokens = [t for t in _RULE_TOKEN.findall(rule or "") if not t.isspace()]
    out = ""
    for token in tokens:
        if out and not out.endswith("(") and token != ")" and not (token == "(" and re.search(r"[A-Z_]$", out)):
            out += " "
        out += token
    return out


_RULE_REFERENCE = re.compile(r"\b(?:ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*(?:\"([^\"]+)\"|'([^']+)'|([^\s()\"']+))\s*\)")


def alarm_name_of(reference):
    """An alarm name from a name or an alarm ARN (arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME)."""
    if reference.startswith("arn:") and ":alarm:" in reference:
        return reference.split(":alarm:", 1)[1]
    return reference


def rule_references(rule):
    """The alarm names an AlarmRule refers to, in order of appearance (AT_LEAST's lists included)."""
    try:
        parser = _RuleParser(_rule_tokens(rule or ""))
        parser.expression()
        references = parser.references
    except _RuleSyntaxError:
        references = [next(group for group in m.groups() if group) for m in _RULE_REFERENCE.finditer(rule or "")]
    names = []
    for name in map(alarm_name_of, references):
        if name not in names:
            names.append(name)
    return names


def _metric_query(query):
    stat = query.get("MetricStat")
    if stat:
        metric = stat.get("Metric") or {}
        stat = {
            "Metric": {
                "Namespace": metric.get("Namespace"),
                "MetricName": metric.get("MetricName"),
                "Dimensions": _dimensions(metric.get("Dimensions")),
            },
            "Period": stat.get("Period"),
            "Stat": stat.get("Stat"),
            "Unit": _blank_to_none(stat.get("Unit")),
        }
    return {
        "Id": query.get("Id"),
        "Expression": _blank_to_none(query.get("Expression")),
        "MetricStat": stat,
        "Label": _blank_to_none(query.get("Label")),
        # AWS evaluates a query whose ReturnData is left out as returning data.
        "ReturnData": True if query.get("ReturnData") is None else bool(query["ReturnData"]),
        "Period": query.get("Period"),
        "AccountId": _blank_to_none(query.get("AccountId")),
    }


def normalise_alarm(spec, kind):
    """The comparable form of an alarm in AWS shape (from DescribeAlarms or from :func:`declared_alarm`)."""
    keys = _COMPOSITE_KEYS if kind == "composite" else _METRIC_KEYS
    alarm = dict((key, spec.get(key)) for key in keys)
    alarm["AlarmDescription"] = _blank_to_none(alarm["AlarmDescription"])
    alarm["ActionsEnabled"] = True if alarm["ActionsEnabled"] is None else bool(alarm["ActionsEnabled"])
    for _option, key in ACTION_KEYS:
        alarm[key] = _actions(alarm[key])
    if kind == "composite":
        alarm["AlarmRule"] = normalise_rule(alarm["AlarmRule"])
        alarm["ActionsSuppressor"] = _blank_to_none(alarm["ActionsSuppressor"])
        if not alarm["ActionsSuppressor"]:
            alarm["ActionsSuppressorWaitPeriod"] = alarm["ActionsSuppressorExtensionPeriod"] = None
        return _drop_none(alarm)
    alarm["Dimensions"] = _dimensions(alarm["Dimensions"])
    alarm["Unit"] = _blank_to_none(alarm["Unit"])
    alarm["Statistic"] = _blank_to_none(alarm["Statistic"])
    alarm["ExtendedStatistic"] = _blank_to_none(alarm["ExtendedStatistic"])
    alarm["EvaluateLowSampleCountPercentile"] = _blank_to_none(alarm["EvaluateLowSampleCountPercentile"])
    alarm["TreatMissingData"] = alarm["TreatMissingData"] or "missing"
    if alarm["DatapointsToAlarm"] is None:
        alarm["DatapointsToAlarm"] = alarm["EvaluationPeriods"]
    alarm["ThresholdMetricId"] = _blank_to_none(alarm["ThresholdMetricId"])
    # An anomaly-band alarm has no static threshold; AWS may still report 0.0.
    alarm["Threshold"] = None if alarm["ThresholdMetricId"] else _number(alarm["Threshold"])
    alarm["Metrics"] = [_metric_query(q) for q in alarm["Metrics"]] if alarm["Metrics"] else None
    if alarm["Metrics"]:
        for key in ("MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit"):
            alarm[key] = None
    return _drop_none(alarm)


def declared_alarm(alarm):
    """(kind, AWS-shape request without tags) for one entry of the ``alarms`` option, normalised."""
    kind = alarm_type(alarm)
    spec = {
        "AlarmName": alarm["name"],
        "AlarmDescription": alarm.get("description"),
        "ActionsEnabled": alarm.get("actions_enabled"),
    }
    for option, key in ACTION_KEYS:
        spec[key] = alarm.get(option)
    if kind == "composite":
        suppressor = alarm.get("actions_suppressor") or {}
        spec.update(
            AlarmRule=alarm.get("rule"),
            ActionsSuppressor=suppressor.get("alarm"),
            ActionsSuppressorWaitPeriod=suppressor.get("wait_period"),
            ActionsSuppressorExtensionPeriod=suppressor.get("extension_period"),
        )
        return kind, normalise_alarm(spec, kind)
    spec.update(
        EvaluationPeriods=alarm.get("evaluation_periods"),
        DatapointsToAlarm=alarm.get("datapoints_to_alarm"),
        Threshold=alarm.get("threshold"),
        ComparisonOperator=alarm.get("comparison_operator"),
        TreatMissingData=alarm.get("treat_missing_data"),
        EvaluateLowSampleCountPercentile=alarm.get("evaluate_low_sample_count_percentile"),
        ThresholdMetricId=alarm.get("threshold_metric_id"),
    )
    if alarm.get("metrics"):
        spec["Metrics"] = [_declared_query(q, alarm.get("period")) for q in alarm["metrics"]]
    else:
        spec.update(
            Namespace=alarm.get("namespace"),
            MetricName=alarm.get("metric_name"),
            Dimensions=alarm.get("dimensions"),
            Statistic=alarm.get("statistic"),
            ExtendedStatistic=alarm.get("extended_statistic"),
            Period=alarm.get("period"),
            Unit=alarm.get("unit"),
        )
    return kind, normalise_alarm(spec, kind)


def _declared_query(query, default_period):
    result = {
        "Id": query.get("id"),
        "Expression": query.get("expression"),
        "Label": query.get("label"),
        "ReturnData": query.get("return_data"),
        "Period": query.get("period"),
        "AccountId": query.get("account_id"),
    }
    stat = query.get("metric_stat")
    if stat:
        result["MetricStat"] = {
            "Metric": {
                "Namespace": stat.get("namespace"),
                "MetricName": stat.get("metric_name"),
                "Dimensions": stat.get("dimensions"),
            },
            "Period": stat.get("period") or default_period,
            "Stat": stat.get("stat"),
            "Unit": stat.get("unit"),
        }
    return result


def put_request(normalised, tags=None):
    """The Put*Alarm request for a normalised alarm; tags go only into a create (AWS ignores them on update)."""
    request = copy.deepcopy(normalised)
    if tags:
        request["Tags"] = tag_list(tags)
    return request


def _dimension_dict(dimensions):
    return dict((d["Name"], d["Value"]) for d in dimensions or []) or None


def option_shape(kind, normalised, arn=None, tags=None):
    """An alarm in the shape of the ``alarms`` option (snake_case, dimensions as a dict), plus its ARN."""
    n = normalised
    result = {
        "name": n["AlarmName"],
        "type": kind,
        "description": n.get("AlarmDescription"),
        "actions_enabled": n.get("ActionsEnabled", True),
        "alarm_actions": n.get("AlarmActions") or [],
        "ok_actions": n.get("OKActions") or [],
        "insufficient_data_actions": n.get("InsufficientDataActions") or [],
        "tags": tags,
        "arn": arn,
    }
    if kind == "composite":
        result["rule"] = n.get("AlarmRule")
        if n.get("ActionsSuppressor"):
            result["actions_suppressor"] = {
                "alarm": n["ActionsSuppressor"],
                "wait_period": n.get("ActionsSuppressorWaitPeriod"),
                "extension_period": n.get("ActionsSuppressorExtensionPeriod"),
            }
        return result
    result.update(
        namespace=n.get("Namespace"),
        metric_name=n.get("MetricName"),
        dimensions=_dimension_dict(n.get("Dimensions")),
        statistic=n.get("Statistic"),
        extended_statistic=n.get("ExtendedStatistic"),
        period=n.get("Period"),
        unit=n.get("Unit"),
        comparison_operator=n.get("ComparisonOperator"),
        threshold=n.get("Threshold"),
        threshold_metric_id=n.get("ThresholdMetricId"),
        evaluation_periods=n.get("EvaluationPeriods"),
        datapoints_to_alarm=n.get("DatapointsToAlarm"),
        treat_missing_data=n.get("TreatMissingData"),
        evaluate_low_sample_count_percentile=n.get("EvaluateLowSampleCountPercentile"),
    )
    if n.get("Metrics"):
        result["metrics"] = [_query_option(q) for q in n["Metrics"]]
    return dict((k, v) for k, v in result.items() if v is not None or k in ("tags", "arn"))


def _query_option(query):
    result = {
        "id": query["Id"],
        "expression": query.get("Expression"),
        "label": query.get("Label"),
        "return_data": query.get("ReturnData"),
        "period": query.get("Period"),
        "account_id": query.get("AccountId"),
    }
    stat = query.get("MetricStat")
    if stat:
        metric = stat.get("Metric") or {}
        result["metric_stat"] = dict(
            (k, v)
            for k, v in {
                "namespace": metric.get("Namespace"),
                "metric_name": metric.get("MetricName"),
                "dimensions": _dimension_dict(metric.get("Dimensions")),
                "period": stat.get("Period"),
                "stat": stat.get("Stat"),
                "unit": stat.get("Unit"),
            }.items()
            if v is not None
        )
    return dict((k, v) for k, v in result.items() if v is not None)


# ---------------------------------------------------------------------------------------------
# Alarms: composite dependencies
# ---------------------------------------------------------------------------------------------


def composite_children(normalised):
    """Alarm names a composite alarm needs to exist: those of its rule and its actions suppressor."""
    children = rule_references(normalised.get("AlarmRule"))
    suppressor = normalised.get("ActionsSuppressor")
    if suppressor:
        name = alarm_name_of(suppressor)
        if name not in children:
            children.append(name)
    return children


def find_cycle(graph):
    """One cycle of ``graph`` ({node: [nodes it depends on]}) as a list of nodes, or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for child in graph.get(node, ()):
            if child not in graph:
                continue
            if state.get(child) == "open":
                return [*stack[stack.index(child) :], child]
            if child not in state:
                found = visit(child)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def children_first(graph):
    """The nodes of an acyclic ``graph`` ({node: [nodes it depends on]}) with every node after the nodes it
    depends on; ties in name order so that plans are stable."""
    order, done = [], set()

    def visit(node):
        if node in done:
            return
        done.add(node)
        for child in sorted(graph.get(node, ())):
            if child in graph:
                visit(child)
        order.append(node)

    for node in sorted(graph):
        visit(node)
    return order


def deletion_batches(composites, metrics):
    """DeleteAlarms batches, parents first: composites no other doomed composite refers to, layer by layer, then
    the metric alarms. ``composites`` is {name: normalised composite alarm}; ``metrics`` a list of names.
    DeleteAlarms takes at most one composite alarm per call, so each composite gets a batch of its own."""
    remaining = dict(composites)
    batches = []
    while remaining:
        referenced = set()
        for alarm in remaining.values():
            referenced.update(composite_children(alarm))
        layer = sorted(name for name in remaining if name not in referenced)
        if not layer:  # a cycle: AWS refuses to delete it until a rule is changed; its error says so
            layer = sorted(remaining)
        batches.extend([name] for name in layer)
        for name in layer:
            remaining.pop(name)
    if metrics:
        batches.append(sorted(metrics))
    return batches


# ---------------------------------------------------------------------------------------------
# Dashboards
# ---------------------------------------------------------------------------------------------

GRID_COLUMNS = 24
DEFAULT_WIDGET_SIZE = 6
WIDGET_TYPES = ("metric", "text", "log", "alarm", "explorer", "custom")
# "Up to 500 widgets per dashboard" (CloudWatch service quotas, Dashboards; not in PutDashboard's model).
MAX_WIDGETS = 500
# A widget's width and height in grid units (dashboard body structure, widgets array: width 1-24, height 1-1000).
WIDGET_SIZES = {"width": GRID_COLUMNS, "height": 1000}
# Properties a widget of each type cannot do without (CloudWatch dashboard body structure).
REQUIRED_PROPERTIES = {
    "metric": (),  # metrics or annotations, checked on their own
    "text": ("markdown",),
    "log": ("query",),
    "alarm": ("alarms",),
    "explorer": ("metrics",),
    "custom": ("endpoint",),
}
REGIONAL_TYPES = ("metric", "log", "alarm", "explorer")


def flow_layout(widgets):
    """Widgets with ``x``/``y`` left unset placed left to right, top to bottom on the 24-column grid, below the
    widgets that have a position. Returns new dicts with every widget's x, y, width and height set."""
    placed = [dict(w) for w in widgets]
    for widget in placed:
        widget["width"] = widget.get("width") or DEFAULT_WIDGET_SIZE
        widget["height"] = widget.get("height") or DEFAULT_WIDGET_SIZE
    fixed = [w for w in placed if w.get("x") is not None and w.get("y") is not None]
    top = max((w["y"] + w["height"] for w in fixed), default=0)
    x, row_height = 0, 0
    for widget in placed:
        if widget.get("x") is not None and widget.get("y") is not None:
            continue
        if x + widget["width"] > GRID_COLUMNS and x > 0:
            top, x, row_height = top + row_height, 0, 0
        widget["x"], widget["y"] = x, top
        x += widget["width"]
        row_height = max(row_height, widget["height"])
    return placed


def widgets_body(widgets):
    """A dashboard body from the module's structured ``widgets``, laid out."""
    body = []
    for widget in flow_layout(widgets):
        entry = {"type": widget["type"], "x": widget["x"], "y": widget["y"]}
        entry["width"], entry["height"] = widget["width"], widget["height"]
        entry["properties"] = copy.deepcopy(widget.get("properties") or {})
        body.append(entry)
    return {"widgets": body}


def fill_body_defaults(body, region):
    """The body to send: metric, log, alarm and explorer widgets without a region get the task's region (AWS
    needs one; the console writes the dashboard's region)."""
    body = copy.deepcopy(body)
    for widget in body.get("widgets") or []:
        properties = widget.setdefault("properties", {})
        if widget.get("type") in REGIONAL_TYPES and region and "region" not in properties:
            properties["region"] = region
    return body


def normalise_dashboard_body(body, region):
    """The comparable form of a dashboard body: defaults AWS or the console fill in are made explicit."""
    body = fill_body_defaults(body or {}, region)
    for widget in body.get("widgets") or []:
        widget.setdefault("width", DEFAULT_WIDGET_SIZE)
        widget.setdefault("height", DEFAULT_WIDGET_SIZE)
        properties = widget.get("properties") or {}
        if widget.get("type") == "metric":
            properties.setdefault("view", "timeSeries")
            if properties["view"] == "timeSeries":
                properties.setdefault("stacked", False)
        elif widget.get("type") == "log":
            properties.setdefault("view", "table")
    return json.loads(json.dumps(body, sort_keys=True))


_DATA_PATH = re.compile(r"^/?widgets/(\d+)(/.*)?$")


def widget_path(data_path):
    """A DashboardValidationMessage DataPath (``/widgets/2/properties/metrics/0``) as the option path
    (``widgets[2].properties.metrics[0]``)."""
    data_path = data_path or ""
    match = _DATA_PATH.match(data_path)
    if not match:
        return data_path.strip("/").replace("/", ".") or "body"
    path = f"widgets[{match.group(1)}]"
    for part in (match.group(2) or "").strip("/").split("/"):
        if not part:
            continue
        path += f"[{part}]" if part.isdigit() else f".{part}"
    return path


# What cloudwatch_dashboard and cloudwatch_dashboard_set take for a widget (``widgets``).
WIDGET_SPEC = dict(
    type=dict(type="str", required=True, choices=["metric", "text", "log", "alarm", "explorer", "custom"]),
    x=dict(type="int"),
    y=dict(type="int"),
    width=dict(type="int", default=6),
    height=dict(type="int", default=6),
    properties=dict(type="dict", required=True),
)

DASHBOARD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")


def dashboard_name_errors(field, name):
    if DASHBOARD_NAME.match(name):
        return []
    return [f"{field} '{name}' is not a valid dashboard name: use 1 to 255 letters, digits, '-' or '_'."]


def parse_body(body):
    """(body dict, error message) from a ``body`` option (a JSON string or a dict)."""
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError as e:
            return None, f"body is not valid JSON ({e}): give the dashboard body as a JSON string or a dict."
    if not isinstance(body, dict):
        return None, 'body must be a JSON object (a dict) with a "widgets" list.'
    if not isinstance(body.get("widgets", []), list):
        return None, "body.widgets must be a list of widgets."
    return body, None


def dashboard_content_errors(item, at=""):
    """What is wrong with the ``widgets`` or ``body`` of a dashboard to put; ``at`` is its option path ('' for the
    options of the task itself)."""
    where = f"{at}." if at else ""
    if (item.get("widgets") is None) == (item.get("body") is None):
        return [f"give exactly one of {where}widgets (structured) and {where}body (raw JSON) with state=present."]
    if item.get("widgets") is not None:
        return validate_widgets(item["widgets"], field=f"{where}widgets")
    body, error = parse_body(item["body"])
    if error:
        return [f"{where}{error}"]
    return validate_widgets(body.get("widgets") or [], field=f"{where}body.widgets")


def declared_dashboard_body(item, region):
    """The body to put for a dashboard declared with ``widgets`` (laid out) or ``body``."""
    body = widgets_body(item["widgets"]) if item.get("widgets") is not None else parse_body(item["body"])[0]
    return fill_body_defaults(body, region)


def dashboard_validation_failure(messages, saved, at=""):
    """(message, details) of a PutDashboard that CloudWatch refused or saved with validation messages, each detail
    naming the widget by its option path under ``at``."""
    where = f"{at}." if at else ""
    details = [f"{where}{widget_path(m.get('DataPath'))}: {m.get('Message')}" for m in messages]
    outcome = (
        "the dashboard was saved but some widgets will not render" if saved else "CloudWatch refused the dashboard body"
    )
    return f"{outcome}: " + "; ".join(details), details


def validate_widgets(widgets, field="widgets"):
    """Messages naming the field for widgets of the ``widgets`` option (structured) or of a raw body."""
    errors = []
    if len(widgets) > MAX_WIDGETS:
        errors.append(
            f"{field} has {len(widgets)} widgets: a dashboard holds at most {MAX_WIDGETS}; split it into two "
            "dashboards."
        )
    for index, widget in enumerate(widgets):
        where = f"{field}[{index}]"
        if not isinstance(widget, dict):
            errors.append(f"{where} is not a dict: give type, properties and optionally x, y, width, height.")
            continue
        kind = widget.get("type")
        if kind not in WIDGET_TYPES:
            errors.append(f"{where}.type '{kind}' is not a widget type: use one of {', '.join(WIDGET_TYPES)}.")
            continue
        for key, most in WIDGET_SIZES.items():
            value = widget.get(key)
            if value is not None and (not isinstance(value, int) or not 1 <= value <= most):
                errors.append(f"{where}.{key} is {value!r}: use a whole number from 1 to {most}.")
        x, width = widget.get("x"), widget.get("width") or DEFAULT_WIDGET_SIZE
        if (widget.get("x") is None) != (widget.get("y") is None):
            errors.append(f"{where}: give both x and y, or neither (the widget is then placed automatically).")
        if isinstance(x, int) and isinstance(width, int) and (x < 0 or x + width > GRID_COLUMNS):
            errors.append(f"{where}.x {x} with width {width} does not fit the {GRID_COLUMNS}-column grid.")
        if isinstance(widget.get("y"), int) and widget["y"] < 0:
            errors.append(f"{where}.y is {widget['y']}: use 0 or more.")
        properties = widget.get("properties")
        if not isinstance(properties, dict):
            errors.append(f"{where}.properties is missing: a {kind} widget needs a properties dict.")
            continue
        for key in REQUIRED_PROPERTIES[kind]:
            if not properties.get(key):
                errors.append(f"{where}.properties.{key} is required for a {kind} widget.")
        if kind == "metric" and not any(properties.get(k) for k in ("metrics", "expression", "annotations")):
            errors.append(
                f"{where}.properties.metrics is required for a metric widget (or expression for a Metrics Insights "
                "query, or annotations for an annotation-only graph), e.g. "
                "[['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-0123']]."
            )
        if kind == "metric" and properties.get("metrics") is not None and not isinstance(properties["metrics"], list):
            errors.append(f"{where}.properties.metrics must be a list of metric arrays.")
        if kind == "alarm":
            errors.extend(_alarm_widget_errors(f"{where}.properties.alarms", properties.get("alarms")))
    return errors


def _alarm_widget_errors(field, alarms):
    """An alarm widget's ``alarms`` are alarm ARNs (CloudWatch dashboard body structure, alarm widget): a name
    shows an empty widget."""
    if alarms is None:
        return []
    if not isinstance(alarms, list):
        return [f"{field} must be a list of alarm ARNs."]
    return [
        f"{field}[{index}] {alarm!r} is not an alarm ARN: give arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME."
        for index, alarm in enumerate(alarms)
        if not is_arn(alarm, "cloudwatch", "alarm")
    ]


# The AlarmRule grammar of PutCompositeAlarm (CloudWatch API reference, PutCompositeAlarm, AlarmRule; the model only
# bounds its length): ALARM/OK/INSUFFICIENT_DATA("name or ARN"), TRUE, FALSE, NOT, AND, OR, parentheses, and
# AT_LEAST(M or M%, STATE, (alarm, ...)).
MAX_ALARM_RULE = 10240
ALARM_STATES = ("ALARM", "OK", "INSUFFICIENT_DATA")
_RULE_GRAMMAR_TOKEN = re.compile(r'\s*(?:(?P<punct>[(),])|"(?P<dq>[^"]*)"|\'(?P<sq>[^\']*)\'|(?P<word>[^\s(),"\']+))')


class _RuleSyntaxError(Exception):
    pass


def _rule_tokens(rule):
    tokens, position = [], 0
    while position < len(rule):
        match = _RULE_GRAMMAR_TOKEN.match(rule, position)
        if not match or match.end() == position:
            if rule[position:].strip():
                raise _RuleSyntaxError(f"unexpected {rule[position:].strip()[:20]!r}")
            break
        kind = match.lastgroup
        tokens.append(("name" if kind in ("dq", "sq") else kind, match.group(kind)))
        position = match.end()
    return tokens


class _RuleParser:
    """Recursive descent over the tokens; raises _RuleSyntaxError naming what it expected."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.index = 0
        self.references = []

    def peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else (None, None)

    def take(self, what="more"):
        """The next token, whatever it is; ``what`` names what was expected if the rule ends here."""
        kind, value = self.peek()
        if kind is None:
            raise _RuleSyntaxError(f"the rule ends where {what} was expected")
        self.index += 1
        return kind, value

    def expect(self, token):
        _kind, value = self.take(repr(token))
        if value != token:
            raise _RuleSyntaxError(f"expected {token!r}, found {value!r}")

    def expression(self):
        self.term()
        while self.peek()[1] in ("AND", "OR"):
            self.take()
            self.term()

    def term(self):
        kind, value = self.peek()
        if value == "NOT":
            self.take()
            return self.term()
        if value == "(":
            self.expect("(")
            self.expression()
            return self.expect(")")
        if value in ("TRUE", "FALSE"):
            return self.take()
        if value in ALARM_STATES:
            self.take()
            self.expect("(")
            self.alarm_reference()
            return self.expect(")")
        if value == "AT_LEAST":
            return self.at_least()
        wanted = "ALARM(...), OK(...), INSUFFICIENT_DATA(...), AT_LEAST(...), TRUE, FALSE, NOT or '('"
        if kind is None:
            raise _RuleSyntaxError(f"the rule ends where {wanted} was expected")
        raise _RuleSyntaxError(f"expected {wanted}, found {value!r}")

    def alarm_reference(self):
        kind, value = self.take("an alarm name")
        if kind not in ("name", "word") or not value:
            raise _RuleSyntaxError(f"expected an alarm name, found {value!r}")
        self.references.append(value)

    def at_least(self):
        self.expect("AT_LEAST")
        self.expect("(")
        _kind, threshold = self.take("a count or a percentage")
        if not re.fullmatch(r"[1-9][0-9]*%?", threshold or ""):
            raise _RuleSyntaxError(f"AT_LEAST needs a count or a percentage first, found {threshold!r}")
        self.expect(",")
        _kind, state = self.take("a state")
        if state not in (*ALARM_STATES, "NOT_ALARM", "NOT_OK", "NOT_INSUFFICIENT_DATA"):
            raise _RuleSyntaxError(f"AT_LEAST needs a state such as ALARM second, found {state!r}")
        self.expect(",")
        self.expect("(")
        self.alarm_reference()
        while self.peek()[1] == ",":
            self.expect(",")
            self.alarm_reference()
        self.expect(")")
        self.expect(")")


def rule_syntax_error(rule):
    """Why AWS would refuse ``rule`` as a composite AlarmRule, or None when its syntax is right."""
    if not rule or not rule.strip():
        return "the rule is empty"
    if len(rule) > MAX_ALARM_RULE:
        return f"the rule is {len(rule)} characters long; AWS takes at most {MAX_ALARM_RULE}"
    try:
        parser = _RuleParser(_rule_tokens(rule))
        parser.expression()
        kind, value = parser.peek()
        if kind is not None:
            raise _RuleSyntaxError(f"expected AND, OR or the end of the rule, found {value!r}")
    except _RuleSyntaxError as e:
        return str(e)
    return None
