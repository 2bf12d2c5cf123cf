"""For every AWS service the project calls, the local cloud refuses an out-of-enum value, an over-long name and a
pattern mismatch as AWS's validation layer does: HTTP 400, that service's error code, AWS's message
(``1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: Member must ...``).

The services (``STRICT_SERVICES`` in tools/localcloud/strict.py): the boto3 clients of the
modules and module_utils (budgets, cloudfront, cloudtrail, cloudwatch, codebuild, codedeploy, codepipeline,
codestar-connections, ec2, ecr, events, iam, inspector2, kms, logs, resourcegroupstaggingapi, shield, sns, sts, wafv2,
xray); the Terraform stack's resource types (acm, apigateway, backup, cloudfront, cloudwatch for alarms, ec2 for the
network and flow logs, ecs, efs, elbv2 for ``aws_lb*``, iam, kms, logs, rds for ``aws_db_*``, route53,
secretsmanager, servicediscovery); the amazon.aws / community.aws modules of the roles (iam, kms, logs, sns, ecs, ecr,
elbv2, ec2, secretsmanager, sts, events, cloudwatch, wafv2); s3 (the Terraform stack's buckets and state backend,
the cloudtrail_bucket and s3_hardened_bucket modules), which answers in its own words (:data:`S3_CASES`); and sqs,
which the project names only as an SNS subscription endpoint but keeps strict.

Each case is derived from botocore's model: an operation whose input has a member with an enum, a ``max`` length
(a name where the service's model bounds one) or a pattern; the expected constraint text is read from the model at
that member, never from the local cloud's answer. Operations that an extension serves are not used here: the
extension validates them itself (test_ext_*.py). Where a service's model has no such constraint in any operation the
local cloud leaves to its strict layer, :data:`NOT_IN_MODEL` says so instead of a case.
"""

from __future__ import annotations

import re
from typing import Any

import botocore.session
import pytest
from botocore import xform_name

from tools.localcloud.strict import STRICT_SERVICES

from .conftest import Cloud
from .test_strict import refused

# The error code each service's validation layer answers with, and where that is known from.
#   model: the service's botocore model has it as its validation error shape (its documentation says the input failed
#   to satisfy constraints); sdk: seen in an SDK issue's transcript of a real answer; default: AWS's common
#   ValidationException (https://docs.aws.amazon.com/general/latest/gr/api-retries.html lists it among the common
#   errors), for services whose model has no validation shape of their own.
SERVICE_CODES = {
    "acm": "ValidationException",  # model (ValidationException)
    "apigateway": "BadRequestException",  # model
    "backup": "InvalidParameterValueException",  # model
    "budgets": "InvalidParameterException",  # model
    "cloudfront": "InvalidArgument",  # model
    "cloudtrail": "ValidationException",  # default
    "cloudwatch": "ValidationError",  # query services' validation error
    "codebuild": "ValidationException",  # default
    "codedeploy": "ValidationException",  # default
    "codepipeline": "ValidationException",  # sdk: awslabs/cloudfront-hosting-toolkit#12
    "codestar-connections": "ValidationException",  # default
    "ec2": "InvalidParameterValue",  # EC2's error codes reference
    "ecr": "InvalidParameterException",  # model; sdk: aws-actions/amazon-ecr-login#225
    "ecs": "InvalidParameterException",  # model
    "efs": "BadRequest",  # model
    "elbv2": "ValidationError",  # query services' validation error
    "events": "ValidationException",  # default
    "iam": "ValidationError",  # query services' validation error
    "inspector2": "ValidationException",  # model
    "kms": "ValidationException",  # default
    "logs": "InvalidParameterException",  # model
    "rds": "InvalidParameterValue",  # query; RDS's common errors
    "resourcegroupstaggingapi": "ValidationException",  # default
    "route53": "InvalidInput",  # model
    "secretsmanager": "ValidationException",  # sdk: aws/aws-sdk-js-v3#1215
    "servicediscovery": "InvalidInput",  # model
    "shield": "InvalidParameterException",  # model
    "sns": "InvalidParameter",  # model
    "sqs": "InvalidParameterValue",  # query services' invalid value
    "sts": "ValidationError",  # query services' validation error
    "wafv2": "WAFInvalidParameterException",  # model
    "xray": "ValidationException",  # default
}

LONG = "a" * 1100  # cut to the member's max + 1 by the test
PHONE = "+12065550100"
ROLE_ARN = "arn:aws:iam::123456789012:role/r"
ACL_ID = "12345678-1234-1234-1234-123456789012"

# (service, kind, operation, params, API path of the member). The member's value in params is the bad one; for
# "long" it is cut to one character over the model's max.
CASES: list[tuple[str, str, str, dict[str, Any], tuple[Any, ...]]] = [
    ("acm", "enum", "ListCertificates", {"SortBy": "NAME"}, ("SortBy",)),
    ("acm", "long", "RequestCertificate", {"DomainName": LONG}, ("DomainName",)),
    ("acm", "pattern", "PutAccountConfiguration", {"IdempotencyToken": "not a token"}, ("IdempotencyToken",)),
    ("apigateway", "enum", "CreateDeployment", {"restApiId": "a1", "cacheClusterSize": "1.5"}, ("cacheClusterSize",)),
    (
        "apigateway",
        "pattern",
        "PutGatewayResponse",
        {"restApiId": "a1", "responseType": "DEFAULT_4XX", "statusCode": "600"},
        ("statusCode",),
    ),
    ("backup", "enum", "ListBackupJobs", {"ByState": "DONE"}, ("ByState",)),
    ("backup", "long", "DeleteFramework", {"FrameworkName": LONG}, ("FrameworkName",)),
    ("backup", "pattern", "ListBackupJobs", {"ByAccountId": "1234"}, ("ByAccountId",)),
    (
        "budgets",
        "enum",
        "CreateBudgetAction",
        {
            "AccountId": "123456789012",
            "BudgetName": "b",
            "NotificationType": "PREDICTED",
            "ActionType": "APPLY_IAM_POLICY",
            "ActionThreshold": {"ActionThresholdValue": 80.0, "ActionThresholdType": "PERCENTAGE"},
            "Definition": {"IamActionDefinition": {"PolicyArn": "arn:aws:iam::123456789012:policy/p", "Roles": ["r"]}},
            "ExecutionRoleArn": ROLE_ARN,
            "ApprovalModel": "AUTOMATIC",
            "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "a@example.com"}],
        },
        ("NotificationType",),
    ),
    ("budgets", "long", "DescribeBudget", {"AccountId": "123456789012", "BudgetName": LONG}, ("BudgetName",)),
    ("budgets", "pattern", "DescribeBudget", {"AccountId": "12345678901x", "BudgetName": "b"}, ("AccountId",)),
    ("cloudfront", "enum", "ListFunctions", {"Stage": "PROD"}, ("Stage",)),
    ("cloudfront", "long", "CreateKeyValueStore", {"Name": LONG}, ("Name",)),
    ("cloudfront", "pattern", "CreateKeyValueStore", {"Name": "my store"}, ("Name",)),
    ("cloudtrail", "enum", "ListDashboards", {"Type": "SYSTEM"}, ("Type",)),
    ("cloudtrail", "long", "CreateDashboard", {"Name": LONG}, ("Name",)),
    ("cloudtrail", "pattern", "CreateDashboard", {"Name": "my dashboard"}, ("Name",)),
    ("cloudwatch", "enum", "DescribeAlarmHistory", {"HistoryItemType": "Alarm"}, ("HistoryItemType",)),
    ("cloudwatch", "long", "DescribeAlarmHistory", {"AlarmName": LONG}, ("AlarmName",)),
    ("cloudwatch", "pattern", "ListMetrics", {"Namespace": ":AWS/EC2"}, ("Namespace",)),
    ("codebuild", "enum", "ListBuilds", {"sortOrder": "UP"}, ("sortOrder",)),
    ("codebuild", "long", "CreateWebhook", {"projectName": LONG}, ("projectName",)),
    ("codebuild", "pattern", "CreateWebhook", {"projectName": "-project"}, ("projectName",)),
    ("codedeploy", "enum", "ListOnPremisesInstances", {"registrationStatus": "Active"}, ("registrationStatus",)),
    ("codedeploy", "long", "ListDeployments", {"applicationName": LONG}, ("applicationName",)),
    ("codedeploy", "pattern", "ListDeployments", {"applicationName": "my app"}, ("applicationName",)),
    ("codepipeline", "enum", "ListActionTypes", {"actionOwnerFilter": "Amazon"}, ("actionOwnerFilter",)),
    ("codepipeline", "long", "DeletePipeline", {"name": LONG}, ("name",)),
    ("codepipeline", "pattern", "DeletePipeline", {"name": "my pipeline"}, ("name",)),
    (
        "codestar-connections",
        "enum",
        "DeleteSyncConfiguration",
        {"SyncType": "GIT_SYNC", "ResourceName": "r"},
        ("SyncType",),
    ),
    (
        "codestar-connections",
        "long",
        "DeleteSyncConfiguration",
        {"SyncType": "CFN_STACK_SYNC", "ResourceName": LONG},
        ("ResourceName",),
    ),
    (
        "codestar-connections",
        "pattern",
        "DeleteSyncConfiguration",
        {"SyncType": "CFN_STACK_SYNC", "ResourceName": "my stack"},
        ("ResourceName",),
    ),
    ("ec2", "enum", "CreateVpc", {"CidrBlock": "10.0.0.0/16", "InstanceTenancy": "Default"}, ("InstanceTenancy",)),
    ("ec2", "long", "DeleteLaunchTemplate", {"LaunchTemplateName": LONG}, ("LaunchTemplateName",)),
    ("ec2", "pattern", "DeleteLaunchTemplate", {"LaunchTemplateName": "my template"}, ("LaunchTemplateName",)),
    (
        "ecr",
        "enum",
        "CreateRepository",
        {"repositoryName": "repo", "imageTagMutability": "LOCKED"},
        ("imageTagMutability",),
    ),
    ("ecr", "long", "CreateRepository", {"repositoryName": LONG}, ("repositoryName",)),
    ("ecr", "pattern", "DescribeRepositories", {"registryId": "12345"}, ("registryId",)),
    # ECS bounds no name in its model: its only lengths and patterns are on tags (and instance types).
    ("ecs", "enum", "ListContainerInstances", {"status": "RUNNING"}, ("status",)),
    ("ecs", "long", "CreateCluster", {"clusterName": "c", "tags": [{"key": LONG, "value": "v"}]}, ("tags", 0, "key")),
    (
        "ecs",
        "pattern",
        "CreateCluster",
        {"clusterName": "c", "tags": [{"key": "team!", "value": "v"}]},
        ("tags", 0, "key"),
    ),
    ("efs", "enum", "CreateFileSystem", {"CreationToken": "t", "PerformanceMode": "fast"}, ("PerformanceMode",)),
    (
        "efs",
        "long",
        "CreateFileSystem",
        {"CreationToken": "t", "AvailabilityZoneName": LONG},
        ("AvailabilityZoneName",),
    ),
    ("efs", "pattern", "DescribeAccessPoints", {"FileSystemId": "fs 1"}, ("FileSystemId",)),
    ("elbv2", "enum", "DescribeSSLPolicies", {"LoadBalancerType": "classic"}, ("LoadBalancerType",)),
    (
        "elbv2",
        "long",
        "CreateTrustStore",
        {"Name": LONG, "CaCertificatesBundleS3Bucket": "b", "CaCertificatesBundleS3Key": "k"},
        ("Name",),
    ),
    (
        "elbv2",
        "pattern",
        "CreateTrustStore",
        {"Name": "my_store", "CaCertificatesBundleS3Bucket": "b", "CaCertificatesBundleS3Key": "k"},
        ("Name",),
    ),
    ("events", "enum", "ListArchives", {"State": "ACTIVE"}, ("State",)),
    ("events", "long", "PutRule", {"Name": LONG, "ScheduleExpression": "rate(5 minutes)"}, ("Name",)),
    ("events", "pattern", "PutRule", {"Name": "my rule", "ScheduleExpression": "rate(5 minutes)"}, ("Name",)),
    ("iam", "enum", "ListPolicies", {"Scope": "Customer"}, ("Scope",)),
    ("iam", "long", "CreateAccessKey", {"UserName": LONG}, ("UserName",)),
    ("iam", "pattern", "CreateAccessKey", {"UserName": "my user"}, ("UserName",)),
    ("inspector2", "enum", "ListCisScanConfigurations", {"sortBy": "NAME"}, ("sortBy",)),
    (
        "inspector2",
        "long",
        "UpdateFilter",
        {"filterArn": "arn:aws:inspector2:us-east-1:123456789012:owner/123456789012/filter/f", "name": LONG},
        ("name",),
    ),
    ("inspector2", "pattern", "GetFindingsReportStatus", {"reportId": "report-1"}, ("reportId",)),
    ("kms", "enum", "CreateKey", {"KeySpec": "AES_256"}, ("KeySpec",)),
    ("kms", "long", "CreateCustomKeyStore", {"CustomKeyStoreName": LONG}, ("CustomKeyStoreName",)),
    ("kms", "pattern", "CreateKey", {"XksKeyId": "key id"}, ("XksKeyId",)),
    ("logs", "enum", "DescribeLogGroups", {"logGroupClass": "COLD"}, ("logGroupClass",)),
    ("logs", "long", "CreateLogGroup", {"logGroupName": LONG}, ("logGroupName",)),
    ("logs", "pattern", "CreateLogGroup", {"logGroupName": "my group"}, ("logGroupName",)),
    ("rds", "enum", "DescribeEvents", {"SourceType": "db-proxy-endpoint"}, ("SourceType",)),
    ("rds", "long", "DescribeDBProxies", {"DBProxyName": LONG}, ("DBProxyName",)),
    ("rds", "pattern", "DescribeDBProxies", {"DBProxyName": "1proxy"}, ("DBProxyName",)),
    # The Resource Groups Tagging API bounds no name: its lengths are on filters (a tag key here).
    ("resourcegroupstaggingapi", "enum", "GetComplianceSummary", {"GroupBy": ["ACCOUNT"]}, ("GroupBy", 0)),
    ("resourcegroupstaggingapi", "long", "GetComplianceSummary", {"TagKeyFilters": [LONG]}, ("TagKeyFilters", 0)),
    ("resourcegroupstaggingapi", "pattern", "StartReportCreation", {"S3Bucket": "My_Bucket"}, ("S3Bucket",)),
    ("route53", "enum", "ListHostedZones", {"HostedZoneType": "Private"}, ("HostedZoneType",)),
    ("route53", "long", "CreateCidrCollection", {"Name": LONG, "CallerReference": "r"}, ("Name",)),
    ("route53", "pattern", "CreateCidrCollection", {"Name": "my collection", "CallerReference": "r"}, ("Name",)),
    ("secretsmanager", "enum", "ListSecrets", {"SortOrder": "ascending"}, ("SortOrder",)),
    ("secretsmanager", "long", "CreateSecret", {"Name": LONG}, ("Name",)),
    (
        "secretsmanager",
        "pattern",
        "PutSecretValue",
        {"SecretId": "s", "RotationToken": "not a token" + "x" * 30},
        ("RotationToken",),
    ),
    ("servicediscovery", "enum", "CreateService", {"Name": "svc", "Type": "DNS"}, ("Type",)),
    ("servicediscovery", "long", "CreatePublicDnsNamespace", {"Name": LONG}, ("Name",)),
    ("servicediscovery", "pattern", "CreateHttpNamespace", {"Name": "arn:ns"}, ("Name",)),
    # Shield's enums are all in the actions the Shield extension serves (test_ext_shield.py); its model bounds
    # protection IDs, not names, outside them.
    ("shield", "long", "DeleteProtection", {"ProtectionId": LONG}, ("ProtectionId",)),
    ("shield", "pattern", "DescribeAttack", {"AttackId": "attack 1"}, ("AttackId",)),
    # SNS bounds no name in its model (a topic name's 256 characters are the service's own check): a tag key.
    ("sns", "enum", "CreateSMSSandboxPhoneNumber", {"PhoneNumber": PHONE, "LanguageCode": "en-AU"}, ("LanguageCode",)),
    ("sns", "long", "CreateTopic", {"Name": "t", "Tags": [{"Key": LONG, "Value": "v"}]}, ("Tags", 0, "Key")),
    (
        "sns",
        "pattern",
        "CreateSMSSandboxPhoneNumber",
        {"PhoneNumber": "phone", "LanguageCode": "en-US"},
        ("PhoneNumber",),
    ),
    (
        "sqs",
        "enum",
        "GetQueueAttributes",
        {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q", "AttributeNames": ["Size"]},
        ("AttributeNames", 0),
    ),
    ("sts", "long", "AssumeRole", {"RoleArn": ROLE_ARN, "RoleSessionName": LONG}, ("RoleSessionName",)),
    ("sts", "pattern", "AssumeRole", {"RoleArn": ROLE_ARN, "RoleSessionName": "my session"}, ("RoleSessionName",)),
    ("wafv2", "enum", "GetWebACL", {"Name": "acl", "Scope": "GLOBAL", "Id": ACL_ID}, ("Scope",)),
    (
        "wafv2",
        "long",
        "GetWebACL",
        {"Name": LONG, "Scope": "REGIONAL", "Id": ACL_ID},
        ("Name",),
    ),
    (
        "wafv2",
        "pattern",
        "GetWebACL",
        {"Name": "my acl", "Scope": "REGIONAL", "Id": ACL_ID},
        ("Name",),
    ),
    ("xray", "enum", "UpdateTraceSegmentDestination", {"Destination": "S3"}, ("Destination",)),
    ("xray", "long", "PutResourcePolicy", {"PolicyName": LONG, "PolicyDocument": "{}"}, ("PolicyName",)),
    ("xray", "pattern", "PutResourcePolicy", {"PolicyName": "my policy", "PolicyDocument": "{}"}, ("PolicyName",)),
]

# (service, kind): why there is no case. Checked against the model by test_what_the_model_lacks_it_lacks.
NOT_IN_MODEL = {
    ("apigateway", "long"): "API Gateway's model has no max length on any member",
    ("shield", "enum"): "Shield's enums are only in actions its extension serves",
    ("sqs", "long"): "SQS's model has no max length on any member",
    ("sqs", "pattern"): "SQS's model has no pattern on any member",
    ("sts", "enum"): "STS's model has no enum",
}

# S3 answers with its own error document, not the text above (tools/localcloud/strict_s3.py): one problem, a code
# that depends on where the value was sent, the header or query parameter named. Its model bounds no bucket name
# (test_s3_model_bounds_no_bucket_name), so the over-long name and the pattern mismatch of a name are S3's general
# purpose bucket naming rules (S3 User Guide: 3 to 63 characters, lowercase letters, digits, '.' and '-'), refused
# on CreateBucket; the model's own pattern is on CopyObject's copy source (bucket/key).
BUCKET_NAME_MAX = 63
MALFORMED_XML = "The XML you provided was not well-formed or did not validate against our published schema"
S3_BUCKET = "strict-s3-bucket"
# (kind, operation, params, API path of the member, error code, message, the error's other elements)
S3_CASES: list[tuple[str, str, dict[str, Any], tuple[Any, ...], str, str, dict[str, str]]] = [
    (
        "enum",
        "PutBucketVersioning",
        {"Bucket": S3_BUCKET, "VersioningConfiguration": {"Status": "On"}},
        ("VersioningConfiguration", "Status"),
        "MalformedXML",  # aws/aws-sdk-ruby#212, noobaa/noobaa-core#7325
        MALFORMED_XML,
        {},
    ),
    (
        "enum",
        "PutBucketOwnershipControls",
        {"Bucket": S3_BUCKET, "OwnershipControls": {"Rules": [{"ObjectOwnership": "Owner"}]}},
        ("OwnershipControls", "Rules", 0, "ObjectOwnership"),
        "MalformedXML",
        MALFORMED_XML,
        {},
    ),
    (
        "enum",
        "PutBucketAcl",
        {"Bucket": S3_BUCKET, "ACL": "privatee"},
        ("ACL",),
        "InvalidArgument",  # versity/versitygw#1379 quotes S3's answer
        "",
        {"ArgumentName": "x-amz-acl", "ArgumentValue": "privatee"},
    ),
    (
        "enum",
        "PutObject",
        {"Bucket": S3_BUCKET, "Key": "k", "Body": b"x", "ServerSideEncryption": "AES512"},
        ("ServerSideEncryption",),
        "InvalidArgument",  # aws/aws-sdk-cpp#1771
        "The encryption method specified is not supported",
        {"ArgumentName": "x-amz-server-side-encryption", "ArgumentValue": "AES512"},
    ),
    (
        "enum",
        "PutObject",
        {"Bucket": S3_BUCKET, "Key": "k", "Body": b"x", "StorageClass": "FAST"},
        ("StorageClass",),
        "InvalidStorageClass",  # peak/s5cmd#163
        "The storage class you specified is not valid",
        {},
    ),
    (
        "long",
        "CreateBucket",
        {"Bucket": "a" * (BUCKET_NAME_MAX + 1)},
        ("Bucket",),
        "InvalidBucketName",
        "The specified bucket is not valid.",
        {"BucketName": "a" * (BUCKET_NAME_MAX + 1)},
    ),
    (
        "pattern",
        "CreateBucket",
        {"Bucket": "My_Bucket"},
        ("Bucket",),
        "InvalidBucketName",
        "The specified bucket is not valid.",
        {"BucketName": "My_Bucket"},
    ),
    (
        "pattern",
        "CopyObject",
        {"Bucket": S3_BUCKET, "Key": "k", "CopySource": "source-bucket"},
        ("CopySource",),
        "InvalidArgument",  # versity/versitygw#1389 quotes S3's answer to a copy source without a key
        "Invalid copy source object key",
        {"ArgumentName": "x-amz-copy-source", "ArgumentValue": "source-bucket"},
    ),
]

_SESSION = botocore.session.get_session()


def _member_shape(service: str, operation: str, path: tuple[Any, ...]) -> Any:
    shape = _SESSION.get_service_model(service).operation_model(operation).input_shape
    for part in path:
        shape = shape.member if isinstance(part, int) else shape.members[part]
    return shape


def _wire_path(path: tuple[Any, ...]) -> str:
    """AWS's path of a member in its messages: lower-camel names, list items as ``.N.member`` from 1."""
    text = ""
    for part in path:
        text += f".{part + 1}.member" if isinstance(part, int) else f"{'.' if text else ''}{part[:1].lower()}{part[1:]}"
    return text


def _with_value(params: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """A copy of ``params`` with ``value`` at ``path`` (the cases' nesting: dicts and lists)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy = list(params) if isinstance(params, list) else dict(params)
    copy[head] = _with_value(params[head], rest, value)
    return copy


def _value_at(params: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        params = params[part]
    return params


def _constraint(kind: str, shape: Any) -> str:
    if kind == "enum":
        return f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
    if kind == "long":
        return f"Member must have length less than or equal to {shape.metadata['max']}"
    return f"Member must satisfy regular expression pattern: {shape.metadata['pattern']}"


@pytest.mark.parametrize(
    ("service", "kind", "operation", "params", "path"),
    CASES,
    ids=[f"{service}-{kind}-{operation}" for service, kind, operation, _params, _path in CASES],
)
def test_the_service_refuses_it_as_aws_does(cloud: Cloud, service, kind, operation, params, path):
    shape = _member_shape(service, operation, path)
    if kind == "long":
        params = _with_value(params, path, _value_at(params, path)[: shape.metadata["max"] + 1])
    bad = _value_at(params, path)
    assert kind != "enum" or bad not in shape.enum
    response = refused(cloud, service, xform_name(operation), **params)
    message = response["Error"]["Message"]
    assert response["Error"]["Code"] == SERVICE_CODES[service]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert re.match(r"\d+ validation errors? detected: Value ", message), message
    shown = "" if shape.metadata.get("sensitive") else f" {bad if len(bad) <= 64 else bad[:61] + '...'!r}"
    assert f"Value{shown} at '{_wire_path(path)}' failed to satisfy constraint: {_constraint(kind, shape)}" in message
    if kind != "long":  # an over-long name can break its pattern too
        assert message.startswith("1 validation error detected: ")


@pytest.mark.parametrize(
    ("kind", "operation", "params", "path", "code", "message", "elements"),
    S3_CASES,
    ids=[f"s3-{case[0]}-{case[1]}-{'.'.join(map(str, case[3]))}" for case in S3_CASES],
)
def test_s3_refuses_it_as_s3_does(cloud: Cloud, kind, operation, params, path, code, message, elements):
    shape = _member_shape("s3", operation, path)
    bad = _value_at(params, path)
    if kind == "enum":
        assert bad not in shape.enum
    elif path == ("Bucket",):  # S3's naming rules, not the model's
        assert "max" not in shape.metadata and "pattern" not in shape.metadata
        assert len(bad) > BUCKET_NAME_MAX or not re.fullmatch(r"[a-z0-9][a-z0-9.-]*[a-z0-9]", bad)
    else:
        assert not re.search(shape.metadata["pattern"], bad)
    response = refused(cloud, "s3", xform_name(operation), **params)
    error = response["Error"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert (error["Code"], error.get("Message") or "") == (code, message)
    assert {name: error.get(name) for name in elements} == elements
    assert "validation error" not in (error.get("Message") or "")


def test_s3_model_bounds_no_bucket_name():
    """Why S3's long and pattern cases of a name come from S3's naming rules: no operation's model bounds one."""
    model = _SESSION.get_service_model("s3")
    buckets = [
        model.operation_model(name).input_shape.members["Bucket"]
        for name in model.operation_names
        if model.operation_model(name).input_shape is not None
        and "Bucket" in model.operation_model(name).input_shape.members
    ]
    assert len(buckets) > 50
    assert not any({"max", "pattern"} & set(shape.metadata) for shape in buckets)


def _constrained(shape: Any, kind: str, seen: frozenset[str] = frozenset()) -> bool:
    """Whether a string anywhere in ``shape`` has that kind of constraint."""
    if shape.name in seen:
        return False
    seen |= {shape.name}
    if shape.type_name == "structure":
        return any(_constrained(member, kind, seen) for member in shape.members.values())
    if shape.type_name == "list":
        return _constrained(shape.member, kind, seen)
    if shape.type_name == "map":
        return _constrained(shape.key, kind, seen) or _constrained(shape.value, kind, seen)
    if shape.type_name != "string":
        return False
    return bool(shape.enum) if kind == "enum" else ("max" if kind == "long" else "pattern") in shape.metadata


@pytest.mark.parametrize(("service", "kind"), sorted(NOT_IN_MODEL))
def test_what_the_model_lacks_it_lacks(service, kind):
    from tools.localcloud.extensions import load_extensions

    served = set(load_extensions().actions())
    model = _SESSION.get_service_model(service)
    inputs = [model.operation_model(name).input_shape for name in model.operation_names]
    unserved = [
        shape
        for name, shape in zip(model.operation_names, inputs, strict=True)
        if shape is not None and f"{service}:{name}" not in served
    ]
    assert not any(_constrained(shape, kind) for shape in unserved)


def test_every_service_has_its_three_refusals_or_a_reason():
    covered = {case[:2] for case in CASES} | {("s3", case[0]) for case in S3_CASES}  # (service, kind)
    for service in STRICT_SERVICES:
        for kind in ("enum", "long", "pattern"):
            assert ((service, kind) in covered) != ((service, kind) in NOT_IN_MODEL), (service, kind)
