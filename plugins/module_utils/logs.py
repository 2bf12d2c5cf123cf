# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon CloudWatch Logs log groups and metric filters: API wrappers (retries, error handling, pagination; the
amazon.aws ``module_utils/ec2.py`` pattern) and the option-shaped views the logs_* modules compare."""

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import Rename, matches_pattern
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff

_RETRY = jittered_backoff()

# The values PutRetentionPolicy accepts (the service model types retentionInDays as a plain integer; AWS refuses
# any other value with InvalidParameterException). 0 stands for "never expire" (DeleteRetentionPolicy).
RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
NEVER_EXPIRE = 0


class AnsibleLogsError(AnsibleAWSError):
    pass


class LogsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleLogsError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


@LogsErrorHandler.list_error_handler("describe log groups", None)
@_RETRY
def describe_log_group(client, name):
    """The log group named exactly ``name`` (DescribeLogGroups matches by prefix), or None."""
    paginator = client.get_paginator("describe_log_groups")
    for page in paginator.paginate(logGroupNamePrefix=name):
        for group in page.get("logGroups", []):
            if group["logGroupName"] == name:
                return group
    return None


def tagged_by_arn(client, arn):
    """Whether the tagging calls that take an ARN (ListTagsForResource, TagResource, UntagResource) accept this log
    group's ARN. Their resourceArn pattern refuses characters a log group name may hold ('#'); a group with such a
    name is tagged by name, with the older ListTagsLogGroup, TagLogGroup and UntagLogGroup (deprecated, still
    served, the only calls that reach it)."""
    member = client.meta.service_model.operation_model("ListTagsForResource").input_shape.members["resourceArn"]
    return matches_pattern(member.metadata["pattern"], arn)


@LogsErrorHandler.list_error_handler("list tags of log group", {})
@_RETRY
def list_tags(client, name, arn):
    if tagged_by_arn(client, arn):
        return client.list_tags_for_resource(resourceArn=arn).get("tags", {})
    return client.list_tags_log_group(logGroupName=name).get("tags", {})


@LogsErrorHandler.common_error_handler("create log group")
@_RETRY
def create_log_group(client, **request):
    client.create_log_group(**request)


@LogsErrorHandler.common_error_handler("put retention policy")
@_RETRY
def put_retention_policy(client, name, days):
    client.put_retention_policy(logGroupName=name, retentionInDays=days)


@LogsErrorHandler.common_error_handler("delete retention policy")
@_RETRY
def delete_retention_policy(client, name):
    client.delete_retention_policy(logGroupName=name)


@LogsErrorHandler.common_error_handler("associate KMS key")
@_RETRY
def associate_kms_key(client, name, key_arn):
    client.associate_kms_key(logGroupName=name, kmsKeyId=key_arn)


@LogsErrorHandler.common_error_handler("disassociate KMS key")
@_RETRY
def disassociate_kms_key(client, name):
    client.disassociate_kms_key(logGroupName=name)


@LogsErrorHandler.common_error_handler("tag log group")
@_RETRY
def tag_log_group(client, name, arn, tags):
    if tagged_by_arn(client, arn):
        client.tag_resource(resourceArn=arn, tags=tags)
    else:
        client.tag_log_group(logGroupName=name, tags=tags)


@LogsErrorHandler.common_error_handler("untag log group")
@_RETRY
def untag_log_group(client, name, arn, keys):
    if tagged_by_arn(client, arn):
        client.untag_resource(resourceArn=arn, tagKeys=keys)
    else:
        client.untag_log_group(logGroupName=name, tags=keys)


@LogsErrorHandler.deletion_error_handler("delete log group")
@_RETRY
def delete_log_group(client, name):
    client.delete_log_group(logGroupName=name)


def group_arn(group):
    """The ARN tag calls take: ``logGroupArn``, or ``arn`` without the ``:*`` DescribeLogGroups appends."""
    return group.get("logGroupArn") or group["arn"].removesuffix(":*")


def log_group_view(group, tags):
    """A log group as DescribeLogGroups returns it, in the options' shape (never-expire retention is 0)."""
    return dict(
        name=group["logGroupName"],
        arn=group_arn(group),
        retention=group.get("retentionInDays") or NEVER_EXPIRE,
        kms_key_id=group.get("kmsKeyId") or "",
        tags=dict(tags),
    )


@LogsErrorHandler.list_error_handler("describe metric filters", None)
@_RETRY
def describe_metric_filter(client, log_group_name, name):
    """The filter of the log group named exactly ``name`` (DescribeMetricFilters matches by prefix), or None."""
    paginator = client.get_paginator("describe_metric_filters")
    for page in paginator.paginate(logGroupName=log_group_name, filterNamePrefix=name):
        for found in page.get("metricFilters", []):
            if found["filterName"] == name:
                return found
    return None


@LogsErrorHandler.common_error_handler("put metric filter")
@_RETRY
def put_metric_filter(client, **request):
    client.put_metric_filter(**request)


@LogsErrorHandler.deletion_error_handler("delete metric filter")
@_RETRY
def delete_metric_filter(client, log_group_name, name):
    client.delete_metric_filter(logGroupName=log_group_name, filterName=name)


def metric_filter_view(found):
    """A metric filter as DescribeMetricFilters returns it, in the options' shape."""
    [transformation] = found["metricTransformations"]
    return dict(
        name=found["filterName"],
        filter_pattern=found.get("filterPattern", ""),
        metric_transformation=dict(
            metric_name=transformation["metricName"],
            metric_namespace=transformation["metricNamespace"],
            metric_value=transformation["metricValue"],
            default_value=transformation.get("defaultValue"),
            unit=transformation.get("unit"),
            dimensions=transformation.get("dimensions") or {},
        ),
    )


@LogsErrorHandler.list_error_handler("describe metric filters", [])
@_RETRY
def describe_metric_filters(client, log_group_name, prefix=""):
    """Every filter of the log group whose name starts with ``prefix``, in one pagination ([] when the log group does
    not exist)."""
    scope = dict(filterNamePrefix=prefix) if prefix else {}
    paginator = client.get_paginator("describe_metric_filters")
    found = []
    for page in paginator.paginate(logGroupName=log_group_name, **scope):
        found.extend(f for f in page.get("metricFilters", []) if f["filterName"].startswith(prefix))
    return found


# What logs_metric_filter and logs_metric_filter_set take for a filter's metric (``metric_transformation``).
METRIC_TRANSFORMATION_SPEC = dict(
    metric_name=dict(type="str", required=True),
    metric_namespace=dict(type="str", required=True),
    metric_value=dict(type="str", required=True),
    default_value=dict(type="float"),
    unit=dict(type="str"),
    dimensions=dict(type="dict"),
)

METRIC_FILTER_NAME = re.compile(r"^[^:*]{1,512}$")


def metric_filter_name_errors(field, name):
    if METRIC_FILTER_NAME.match(name):
        return []
    return [f"{field}: {name!r} must be 1-512 characters without ':' or '*'."]


def metric_filter_errors(field, item):
    """What is wrong with a declared filter (``filter_pattern``, ``metric_transformation``) to be put; ``field`` is
    its option path, '' for the options of the task itself."""
    at = f"{field}." if field else ""
    errors = [
        f"{at}{option}: required with state=present."
        for option in ("filter_pattern", "metric_transformation")
        if item.get(option) is None
    ]
    metric = item.get("metric_transformation") or {}
    if metric.get("default_value") is not None and metric.get("dimensions"):
        errors.append(
            f"{at}metric_transformation: give default_value or dimensions, not both (CloudWatch Logs refuses a "
            "default value for a metric with dimensions)."
        )
    return errors


def declared_metric_filter(item):
    """A declared filter in the shape :func:`metric_filter_view` returns, canonical, to compare with AWS's."""
    return canonical(
        dict(
            name=item["name"],
            filter_pattern=item["filter_pattern"],
            metric_transformation=dict(item["metric_transformation"]),
        )
    )


def metric_filter_request(log_group_name, view):
    """The PutMetricFilter request of a filter in the options' shape."""
    metric = view["metric_transformation"]
    transformation = dict(
        metricName=metric["metric_name"], metricNamespace=metric["metric_namespace"], metricValue=metric["metric_value"]
    )
    for option, member in (("default_value", "defaultValue"), ("unit", "unit"), ("dimensions", "dimensions")):
        if metric.get(option) is not None:
            transformation[member] = metric[option]
    return dict(
        logGroupName=log_group_name,
        filterName=view["name"],
        filterPattern=view.get("filter_pattern", ""),
        metricTransformations=[transformation],
    )


# Where the members of PutMetricFilter come from among a filter's options (module_utils/model_validation.py).
METRIC_FILTER_RENAMES = (
    Rename("filterName", "name"),
    Rename("logGroupName", "log_group_name"),
    Rename("metricTransformations[*]", "metric_transformation"),
)
