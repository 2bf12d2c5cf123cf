"""plugins/modules/cloudtrail_bucket.py against botocore Stubbers: input checks, no-op re-run, check mode, absent."""

from __future__ import annotations

import json

from ansible_collections.securecloud.monitor.plugins.module_utils import cloudtrail as ct
from ansible_collections.securecloud.monitor.plugins.modules import cloudtrail_bucket as module

from tests.unit.aws_stub import AwsStub, stubbed_client

ACCOUNT = "123456789012"
REGION = "eu-west-1"
BUCKET = "trail-logs"
TRAIL = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/management-events"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ARGS = {"name": BUCKET, "trails": ["management-events"], "region": REGION, "tags": {"team": "secops"}}


def run(monkeypatch, capsys, args, setup=None, check_mode=False, diff=False, aws=True):
    clients, stubbers = {}, {}
    for name in ("s3", "sts", "kms"):
        clients[name], stubbers[name] = stubbed_client(name, REGION)
    if setup:
        setup(stubbers)
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.factories(module, aws, aws_clients=clients)
    return aws_stub.run(module, args, *stubbers.values(), check_mode=check_mode, diff=diff)


def identity(stubbers):
    stubbers["sts"].add_response(
        "get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/ci", "UserId": "AID"}, {}
    )


def reads_of_a_hardened_bucket(stubbers, kms=False, policy=None):
    s3 = stubbers["s3"]
    b = {"Bucket": BUCKET}
    s3.add_response("head_bucket", {}, b)
    identity(stubbers)
    s3.add_response(
        "get_public_access_block",
        {
            "PublicAccessBlockConfiguration": dict.fromkeys(
                ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
            )
        },
        b,
    )
    s3.add_response(
        "get_bucket_ownership_controls",
        {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}},
        b,
    )
    s3.add_response("get_bucket_versioning", {"Status": "Enabled"}, b)
    default = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY} if kms else {"SSEAlgorithm": "AES256"}
    s3.add_response(
        "get_bucket_encryption",
        {
            "ServerSideEncryptionConfiguration": {
                "Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": kms}]
            }
        },
        b,
    )
    policy = policy or ct.bucket_policy("aws", BUCKET, ACCOUNT, [TRAIL])
    s3.add_response("get_bucket_policy", {"Policy": json.dumps(policy)}, b)
    rule = {
        "ID": module.LIFECYCLE_RULE_ID,
        "Status": "Enabled",
        "Filter": {"Prefix": ""},
        "Transitions": [{"Days": 90, "StorageClass": "GLACIER"}],
        "Expiration": {"Days": 2557},
        "NoncurrentVersionExpiration": {"NoncurrentDays": 90},
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
    }
    s3.add_response("get_bucket_lifecycle_configuration", {"Rules": [rule]}, b)
    s3.add_response("get_bucket_logging", {}, b)
    s3.add_client_error("get_object_lock_configuration", "ObjectLockConfigurationNotFoundError", http_status_code=404)
    s3.add_response("get_bucket_tagging", {"TagSet": [{"Key": "team", "Value": "secops"}]}, b)


def test_bad_input_fails_before_any_client_is_made(monkeypatch, capsys):
    args = dict(ARGS, name="Bad_Bucket", trails=[], kms_key_arn="alias/x", manage_key_policy=False)
    result = run(monkeypatch, capsys, args, aws=False)
    assert result["failed"]
    assert any(e.startswith("name 'Bad_Bucket'") for e in result["errors"])
    assert any(e.startswith("trails is empty") for e in result["errors"])
    assert any(e.startswith("kms_key_arn 'alias/x'") for e in result["errors"])


def test_access_logging_to_itself_and_object_lock_days(monkeypatch, capsys):
    args = dict(ARGS, access_logging={"target_bucket": BUCKET}, object_lock={"mode": "COMPLIANCE", "days": 0})
    result = run(monkeypatch, capsys, args, aws=False)
    assert any("access_logging.target_bucket is this bucket" in e for e in result["errors"])
    assert any("object_lock.days is 0" in e for e in result["errors"])


def test_rerun_on_a_matching_bucket_makes_reads_only(monkeypatch, capsys):
    result = run(monkeypatch, capsys, ARGS, reads_of_a_hardened_bucket, diff=True)
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]
    assert result["bucket"]["trails"] == [TRAIL]
    assert result["bucket"]["encryption"]["sse_algorithm"] == "AES256"


def test_a_second_trail_changes_the_policy_only(monkeypatch, capsys):
    second = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/audit"

    def setup(stubbers):
        reads_of_a_hardened_bucket(stubbers)
        expected = ct.bucket_policy("aws", BUCKET, ACCOUNT, [TRAIL, second])
        stubbers["s3"].add_response(
            "put_bucket_policy", {}, {"Bucket": BUCKET, "Policy": json.dumps(expected, sort_keys=True)}
        )

    result = run(monkeypatch, capsys, dict(ARGS, trails=["management-events", second]), setup, diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["trails"] == sorted([TRAIL, second])


def test_check_mode_new_bucket_with_key_makes_no_change(monkeypatch, capsys):
    def setup(stubbers):
        stubbers["s3"].add_client_error("head_bucket", "404", http_status_code=404)
        identity(stubbers)
        stubbers["kms"].add_response(
            "describe_key",
            {
                "KeyMetadata": {
                    "KeyId": "k",
                    "Arn": KEY,
                    "KeyState": "Enabled",
                    "KeySpec": "SYMMETRIC_DEFAULT",
                    "KeyUsage": "ENCRYPT_DECRYPT",
                }
            },
            {"KeyId": KEY},
        )
        stubbers["kms"].add_response(
            "get_key_policy",
            {"Policy": json.dumps({"Version": "2012-10-17", "Statement": []})},
            {"KeyId": KEY, "PolicyName": "default"},
        )

    args = dict(ARGS, kms_key_arn=KEY, manage_key_policy=True)
    result = run(monkeypatch, capsys, args, setup, check_mode=True)
    assert result["changed"] is True
    bucket = result["bucket"]
    assert bucket["kms_key_arn"] == KEY and bucket["encryption"]["bucket_key_enabled"] is True
    assert bucket["versioning"] == "Enabled" and bucket["object_ownership"] == "BucketOwnerEnforced"
    assert bucket["lifecycle"]["expiration_days"] == 2557
    assert [s["Sid"] for s in result["key_policy_statements"]] == [ct.KEY_ENCRYPT_SID, ct.KEY_DESCRIBE_SID]


def test_a_disabled_key_is_refused(monkeypatch, capsys):
    def setup(stubbers):
        reads_of_a_hardened_bucket(stubbers)
        stubbers["kms"].add_response(
            "describe_key", {"KeyMetadata": {"KeyId": "k", "Arn": KEY, "KeyState": "Disabled"}}, {"KeyId": KEY}
        )

    result = run(monkeypatch, capsys, dict(ARGS, kms_key_arn=KEY), setup)
    assert result["failed"] and "is Disabled" in result["msg"]


def test_absent_refuses_a_bucket_with_objects(monkeypatch, capsys):
    def setup(stubbers):
        stubbers["s3"].add_response("head_bucket", {}, {"Bucket": BUCKET})
        stubbers["s3"].add_response(
            "list_object_versions",
            {"Versions": [{"Key": "AWSLogs/x", "VersionId": "1"}]},
            {"Bucket": BUCKET, "MaxKeys": 1},
        )

    result = run(monkeypatch, capsys, {"name": BUCKET, "state": "absent", "region": REGION}, setup)
    assert result["failed"] and "force: true" in result["msg"]


def test_absent_on_a_missing_bucket_is_no_change(monkeypatch, capsys):
    def setup(stubbers):
        stubbers["s3"].add_client_error("head_bucket", "404", http_status_code=404)

    result = run(monkeypatch, capsys, {"name": BUCKET, "state": "absent", "region": REGION}, setup)
    assert result["changed"] is False and result["bucket"] == {}
