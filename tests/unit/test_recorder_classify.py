"""Recorded requests are named by the operation AWS would route them to.

The requests are the ones real botocore clients build (captured before they
are sent), in the record format of moto's recorder.
"""

from __future__ import annotations

import base64

import boto3
import pytest
from botocore.config import Config

from tools.harness import recorder


class Captured(Exception):
    pass


def record_of(client_name: str, method: str, params: dict) -> dict:
    client = boto3.client(
        client_name,
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )
    captured = {}

    def capture(request, **_):
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        captured.update(
            headers={k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()},
            method=request.method,
            url=request.url,
            body=base64.b64encode(body).decode(),
            body_encoded=True,
        )
        raise Captured

    client.meta.events.register("before-send", capture)
    with pytest.raises(Captured):
        getattr(client, method)(**params)
    return captured


VAULT_ARN = "arn:aws:backup:us-east-1:123456789012:backup-vault:dev-data"

CASES = [
    ("ec2", "describe_vpcs", {}, "DescribeVpcs", False),
    ("ec2", "create_vpc", {"CidrBlock": "10.0.0.0/16"}, "CreateVpc", True),
    ("elbv2", "describe_listeners", {"LoadBalancerArn": "arn"}, "DescribeListeners", False),
    ("ecs", "update_service", {"service": "s"}, "UpdateService", True),
    ("logs", "put_retention_policy", {"logGroupName": "g", "retentionInDays": 7}, "PutRetentionPolicy", True),
    ("iam", "get_role", {"RoleName": "r"}, "GetRole", False),
    ("apigateway", "create_rest_api", {"name": "x"}, "CreateRestApi", True),
    ("apigateway", "import_rest_api", {"body": b"{}"}, "ImportRestApi", True),
    ("apigateway", "get_stage", {"restApiId": "a", "stageName": "s"}, "GetStage", False),
    ("apigateway", "update_stage", {"restApiId": "a", "stageName": "s"}, "UpdateStage", True),
    ("s3", "list_buckets", {}, "ListBuckets", False),
    ("s3", "get_object", {"Bucket": "b", "Key": "a/b"}, "GetObject", False),
    ("s3", "list_parts", {"Bucket": "b", "Key": "a/b", "UploadId": "u"}, "ListParts", False),
    ("s3", "get_bucket_versioning", {"Bucket": "b"}, "GetBucketVersioning", False),
    ("s3", "put_bucket_policy", {"Bucket": "b", "Policy": "{}"}, "PutBucketPolicy", True),
    ("secretsmanager", "describe_secret", {"SecretId": "s"}, "DescribeSecret", False),
    # REST services signed under another name than their client's (elasticfilesystem) or with templates ending
    # in a slash (Backup): the data tier's reads in a compliance run.
    ("efs", "describe_file_systems", {}, "DescribeFileSystems", False),
    ("efs", "describe_backup_policy", {"FileSystemId": "fs-1"}, "DescribeBackupPolicy", False),
    (
        "efs",
        "describe_mount_target_security_groups",
        {"MountTargetId": "fsmt-4872ddd2"},
        "DescribeMountTargetSecurityGroups",
        False,
    ),
    ("efs", "put_file_system_policy", {"FileSystemId": "fs-1", "Policy": "{}"}, "PutFileSystemPolicy", True),
    ("backup", "list_tags", {"ResourceArn": VAULT_ARN}, "ListTags", False),
    ("backup", "get_backup_plan", {"BackupPlanId": "p-1"}, "GetBackupPlan", False),
    ("backup", "create_backup_vault", {"BackupVaultName": "v-1"}, "CreateBackupVault", True),
]


@pytest.mark.parametrize(("service", "method", "params", "operation", "mutating"), CASES)
def test_operation_and_kind(service, method, params, operation, mutating):
    call = recorder.classify(record_of(service, method, params))

    assert call.operation == operation
    assert call.mutating is mutating


def test_a_rest_path_without_the_templates_trailing_slash_is_the_same_operation():
    # Terraform's provider (the Go SDK) sends Backup's /tags/{resourceArn}/ as /tags/arn:... with no slash.
    record = record_of("backup", "list_tags", {"ResourceArn": VAULT_ARN})
    assert record["url"].endswith("/")
    record["url"] = record["url"].rstrip("/")

    assert recorder.classify(record) == recorder.Call("backup", "ListTags")


def test_summary_splits_mutating_from_read_calls():
    describe, create = recorder.Call("ec2", "DescribeVpcs"), recorder.Call("ec2", "CreateVpc")
    calls = [describe, create, describe]

    summary = recorder.summarise(calls)

    assert (summary["total"], summary["mutating"], summary["read"]) == (3, 1, 2)
    assert summary["by_operation"] == {"ec2:DescribeVpcs": 2, "ec2:CreateVpc": 1}
    assert summary["mutating_by_operation"] == {"ec2:CreateVpc": 1}
