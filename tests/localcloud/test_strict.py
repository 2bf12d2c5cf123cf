"""The local cloud refuses what AWS's validation layer refuses (tools/localcloud/strict.py): out-of-enum values,
over-long names, pattern mismatches, numbers out of range and missing required members, in each wire protocol, with
the service's error code; valid calls still reach the service. Real server, real boto3 with its own client-side
validation off (as the Terraform provider's SDK, which checks less than the service does)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import Cloud

UNCHECKED = Config(retries={"mode": "standard", "total_max_attempts": 1}, parameter_validation=False)
VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}


def refused(cloud: Cloud, service: str, operation: str, **params: Any) -> dict[str, Any]:
    client = cloud.client(service, config=UNCHECKED)
    with pytest.raises(ClientError) as err:
        getattr(client, operation)(**params)
    return err.value.response


# (id, service, operation, params, error code, fragment of the message)
CASES = [
    (
        "json enum",
        "wafv2",
        "create_regex_pattern_set",
        {"Name": "p", "Scope": "GLOBAL", "RegularExpressionList": [{"RegexString": "^a"}]},
        "WAFInvalidParameterException",
        "Value 'GLOBAL' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: "
        "[CLOUDFRONT, REGIONAL]",
    ),
    (
        "json pattern",
        "wafv2",
        "create_regex_pattern_set",
        {"Name": "my set!", "Scope": "REGIONAL", "RegularExpressionList": [{"RegexString": "^a"}]},
        "WAFInvalidParameterException",
        "at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern",
    ),
    (
        "query range",
        "cloudwatch",
        "put_metric_alarm",
        {
            "AlarmName": "a",
            "EvaluationPeriods": 0,
            "ComparisonOperator": "GreaterThanThreshold",
            "MetricName": "m",
            "Namespace": "n",
            "Period": 60,
            "Statistic": "Sum",
            "Threshold": 1.0,
        },
        "ValidationError",
        "Value '0' at 'evaluationPeriods' failed to satisfy constraint: Member must have value greater than or equal "
        "to 1",
    ),
    (
        "json length",
        "logs",
        "create_log_group",
        {"logGroupName": "x" * 513},
        "InvalidParameterException",
        "at 'logGroupName' failed to satisfy constraint: Member must have length less than or equal to 512",
    ),
    (
        "json required",
        "events",
        "put_rule",
        {"ScheduleExpression": "rate(5 minutes)"},
        "ValidationException",
        "Value null at 'name' failed to satisfy constraint: Member must not be null",
    ),
    (
        "json enum of another service",
        "ecs",
        "create_cluster",
        {"clusterName": "c", "settings": [{"name": "insights", "value": "enabled"}]},
        "InvalidParameterException",
        "Value 'insights' at 'settings.1.member.name'",
    ),
    (
        # The namespace pattern [^:].* has a ^ inside a class: no anchor, so it applies to the whole value (as AWS
        # applies it), which must not start with a colon.
        "query pattern with a class",
        "cloudwatch",
        "put_metric_alarm",
        {
            "AlarmName": "a",
            "EvaluationPeriods": 1,
            "ComparisonOperator": "GreaterThanThreshold",
            "MetricName": "m",
            "Namespace": ":AWS/ECS",
            "Period": 60,
            "Statistic": "Sum",
            "Threshold": 1.0,
        },
        "ValidationError",
        "at 'namespace' failed to satisfy constraint: Member must satisfy regular expression pattern",
    ),
    (
        "query pattern",
        "iam",
        "create_role",
        {"RoleName": "bad role name", "AssumeRolePolicyDocument": "{}"},
        "ValidationError",
        "at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern",
    ),
    (
        "query enum",
        "cloudwatch",
        "put_metric_alarm",
        {
            "AlarmName": "a",
            "EvaluationPeriods": 1,
            "ComparisonOperator": "Above",
            "MetricName": "m",
            "Namespace": "n",
            "Period": 60,
            "Statistic": "Sum",
            "Threshold": 1.0,
        },
        "ValidationError",
        "Value 'Above' at 'comparisonOperator'",
    ),
    (
        "ec2 enum",
        "ec2",
        "create_vpc",
        {"CidrBlock": "10.0.0.0/16", "InstanceTenancy": "shared"},
        "InvalidParameterValue",
        "Value 'shared' at 'instanceTenancy'",
    ),
    (
        "rest-json enum",
        "apigateway",
        "create_rest_api",
        {"name": "api", "endpointConfiguration": {"types": ["GLOBAL"]}},
        "BadRequestException",
        "Value 'GLOBAL' at 'endpointConfiguration.types.1.member' failed to satisfy constraint: Member must satisfy "
        "enum value set: [REGIONAL, EDGE, PRIVATE]",
    ),
    (
        "rest-xml length",
        "route53",
        "create_hosted_zone",
        {"Name": "example.com", "CallerReference": "r" * 129},
        "InvalidInput",
        "at 'callerReference' failed to satisfy constraint: Member must have length less than or equal to 128",
    ),
]


@pytest.mark.parametrize(
    ("service", "operation", "params", "code", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_what_aws_refuses_is_refused_with_its_error(cloud: Cloud, service, operation, params, code, fragment):
    response = refused(cloud, service, operation, **params)
    assert response["Error"]["Code"] == code
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert " validation error" in response["Error"]["Message"] and fragment in response["Error"]["Message"]


def test_every_problem_of_a_call_is_listed(cloud: Cloud):
    response = refused(cloud, "logs", "create_log_group", logGroupName="a b", logGroupClass="COLD", kmsKeyId="k" * 257)
    message = response["Error"]["Message"]
    assert message.startswith("3 validation errors detected: ")
    assert all(f"at '{member}'" in message for member in ("logGroupName", "logGroupClass", "kmsKeyId"))


def test_valid_calls_reach_the_service_and_refused_ones_change_nothing(cloud: Cloud):
    logs = cloud.client("logs", config=UNCHECKED)
    refused(cloud, "logs", "create_log_group", logGroupName="bad name with spaces?" + "x" * 600)
    logs.create_log_group(logGroupName="strict-ok")
    names = [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]]
    assert names == ["strict-ok"]


def test_a_refused_call_is_recorded_as_aws_received_it(cloud: Cloud):
    cloud.post("/moto-api/recorder/start-recording")
    try:
        refused(cloud, "events", "put_rule", Name="r" * 65, ScheduleExpression="rate(5 minutes)")
    finally:
        cloud.post("/moto-api/recorder/stop-recording")
    status, recording = cloud.get("/moto-api/recorder/download-recording")
    assert status == 200 and "PutRule" in str(recording)
