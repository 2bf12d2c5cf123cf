"""CloudWatch Logs extensions (tools/localcloud/extensions/services/logs.py) on a real server, real boto3: a metric
filter put again under its name replaces it, and a log group's KMS key can be associated and removed."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .conftest import NO_RETRIES

TRANSFORMATION = {"metricName": "RootUsage", "metricNamespace": "CIS", "metricValue": "1"}


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


def test_put_metric_filter_under_an_existing_name_replaces_it(cloud):
    logs = cloud.client("logs")
    logs.create_log_group(logGroupName="trail")
    logs.put_metric_filter(
        logGroupName="trail", filterName="root", filterPattern="{ $.a = 1 }", metricTransformations=[TRANSFORMATION]
    )
    logs.put_metric_filter(
        logGroupName="trail", filterName="root", filterPattern="{ $.a = 2 }", metricTransformations=[TRANSFORMATION]
    )
    filters = logs.describe_metric_filters(logGroupName="trail")["metricFilters"]
    assert [(f["filterName"], f["filterPattern"]) for f in filters] == [("root", "{ $.a = 2 }")]


def test_filters_of_other_names_and_groups_are_kept(cloud):
    logs = cloud.client("logs")
    for group in ("a", "b"):
        logs.create_log_group(logGroupName=group)
        logs.put_metric_filter(
            logGroupName=group, filterName="f", filterPattern="x", metricTransformations=[TRANSFORMATION]
        )
    logs.put_metric_filter(logGroupName="a", filterName="g", filterPattern="y", metricTransformations=[TRANSFORMATION])
    logs.put_metric_filter(logGroupName="a", filterName="f", filterPattern="z", metricTransformations=[TRANSFORMATION])
    found = sorted(
        (f["logGroupName"], f["filterName"], f["filterPattern"])
        for f in logs.describe_metric_filters()["metricFilters"]
    )
    assert found == [("a", "f", "z"), ("a", "g", "y"), ("b", "f", "x")]


def test_put_metric_filter_on_a_missing_group_is_not_found(cloud):
    with pytest.raises(ClientError) as err:
        cloud.client("logs", config=NO_RETRIES).put_metric_filter(
            logGroupName="nope", filterName="f", filterPattern="", metricTransformations=[TRANSFORMATION]
        )
    assert _code(err) == "ResourceNotFoundException"


def test_associate_and_disassociate_a_kms_key(cloud):
    logs, kms = cloud.client("logs"), cloud.client("kms")
    key = kms.create_key(Description="logs")["KeyMetadata"]["Arn"]
    logs.create_log_group(logGroupName="enc")
    logs.associate_kms_key(logGroupName="enc", kmsKeyId=key)
    [group] = logs.describe_log_groups(logGroupNamePrefix="enc")["logGroups"]
    assert group["kmsKeyId"] == key
    logs.disassociate_kms_key(logGroupName="enc")
    [group] = logs.describe_log_groups(logGroupNamePrefix="enc")["logGroups"]
    assert "kmsKeyId" not in group


@pytest.mark.parametrize(
    "key", ["alias/nope", "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"]
)
def test_associate_refuses_an_alias_or_unknown_key(cloud, key):
    logs = cloud.client("logs", config=NO_RETRIES)
    logs.create_log_group(logGroupName="enc")
    with pytest.raises(ClientError) as err:
        logs.associate_kms_key(logGroupName="enc", kmsKeyId=key)
    assert _code(err) == "InvalidParameterException"


def test_associate_on_a_missing_group_is_not_found(cloud):
    key = cloud.client("kms").create_key(Description="logs")["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as err:
        cloud.client("logs", config=NO_RETRIES).associate_kms_key(logGroupName="nope", kmsKeyId=key)
    assert _code(err) == "ResourceNotFoundException"
