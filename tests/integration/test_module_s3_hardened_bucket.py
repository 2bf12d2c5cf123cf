"""s3_hardened_bucket against a local cloud of this file's own, through ansible-playbook.

Bad input (fails before any call), check mode (no mutating call), create, an identical re-run (changed false, no
mutating call), an update with its diff, absent (refused while the bucket holds objects, then with force). The
tests run in order and share the cloud.
"""

from __future__ import annotations

import json

import pytest

from tests.integration.module_runs import mutating as mutating_calls
from tests.integration.module_runs import ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/s3_hardened_bucket/bucket.yml"
BUCKET = "securecloud-artifacts"
ROLE = "arn:aws:iam::123456789012:role/pipeline"


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


def mutating(calls):
    # PutBucketLifecycle and PutBucketLifecycleConfiguration share one REST route; the recorder names the older.
    return [n.replace("s3:PutBucketLifecycle", "s3:PutBucketLifecycleConfiguration") for n in mutating_calls(calls)]


@pytest.fixture(scope="module")
def key(module_cloud):
    return module_cloud.client("kms").create_key(Description="artifacts")["KeyMetadata"]["Arn"]


def allow_role(actions):
    return {
        "Sid": "PipelineRole",
        "Effect": "Allow",
        "Principal": {"AWS": ROLE},
        "Action": actions,
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }


def declared(key, **extra):
    return {
        "hb_test_bucket": BUCKET,
        "hb_test_kms_key_arn": key,
        "hb_test_policy_statements": [allow_role(["s3:GetObject", "s3:PutObject"])],
        "hb_test_tags": {"layer": "delivery"},
    } | extra


def test_bad_input_fails_before_any_call(module_cloud, tmp_path):
    extra = {
        "hb_test_bucket": "Artifacts_Bucket",
        "hb_test_kms_key_arn": "alias/artifacts",
        "hb_test_policy_statements": [{"Sid": "DenyInsecureTransport", "Effect": "Permit"}],
        "hb_test_lifecycle": {"transition_days": 10, "transition_storage_class": "STANDARD_IA"},
        "hb_test_access_logging": {"enabled": True},
    }
    played, result, calls = run(module_cloud, tmp_path, extra)
    assert played.returncode != 0
    for field in (
        "name 'Artifacts_Bucket'",
        "kms_key_arn",
        "policy_statements[0] has no Principal, Action, Resource",
        "policy_statements[0].Effect",
        "policy_statements[0].Sid",
        "lifecycle.transition_days",
        "access_logging.target_bucket",
    ):
        assert field in result["msg"], (field, result["msg"])
    assert calls == []


def test_check_mode_creates_nothing(module_cloud, tmp_path, key):
    played, result, calls = run(module_cloud, tmp_path, declared(key), "--check")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == []
    assert result["bucket"]["kms_key_arn"] == key
    assert module_cloud.client("s3").list_buckets()["Buckets"] == []


def test_create(module_cloud, tmp_path, key):
    played, result, calls = run(module_cloud, tmp_path, declared(key))
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == [
        "s3:CreateBucket",
        "s3:PutPublicAccessBlock",
        "s3:PutBucketOwnershipControls",
        "s3:PutBucketVersioning",
        "s3:PutBucketEncryption",
        "s3:PutBucketLifecycleConfiguration",
        "s3:PutBucketPolicy",
        "s3:PutBucketTagging",
    ]
    s3 = module_cloud.client("s3")
    rule = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}
    assert s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
    )
    statements = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["DenyInsecureTransport", "PipelineRole"]
    assert statements[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    rules = [(r["ID"], r["Expiration"]["Days"], r["NoncurrentVersionExpiration"]["NoncurrentDays"]) for r in lifecycle]
    assert rules == [("securecloud-retention", 30, 7)]
    assert "Transitions" not in lifecycle[0]


def test_rerun_changes_nothing(module_cloud, tmp_path, key):
    played, result, calls = run(module_cloud, tmp_path, declared(key))
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_update_with_diff(module_cloud, tmp_path, key):
    extra = declared(
        key,
        hb_test_policy_statements=[allow_role(["s3:GetObject"])],
        hb_test_lifecycle={"expiration_days": 14},
    )
    played, result, calls = run(module_cloud, tmp_path, extra, "--diff")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["s3:PutBucketLifecycleConfiguration", "s3:PutBucketPolicy"]
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert (before["lifecycle"]["expiration_days"], after["lifecycle"]["expiration_days"]) == (30, 14)
    assert before["policy"]["Statement"][1]["Action"] == ["s3:GetObject", "s3:PutObject"]
    assert after["policy"]["Statement"][1]["Action"] == ["s3:GetObject"]
    played, result, calls = run(module_cloud, tmp_path, extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_absent_needs_force_for_a_bucket_with_objects(module_cloud, tmp_path):
    s3 = module_cloud.client("s3")
    # The local cloud speaks plain HTTP, which the policy denies; drop the policy to put an object.
    s3.delete_bucket_policy(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="pipeline/source.zip", Body=b"zip")
    absent = {"hb_test_bucket": BUCKET, "hb_test_state": "absent"}
    played, result, calls = run(module_cloud, tmp_path, absent)
    assert played.returncode != 0
    assert "force: true" in result["msg"]
    assert mutating(calls) == []
    played, result, calls = run(module_cloud, tmp_path, dict(absent, hb_test_force=True))
    ok(played)
    assert result["changed"] is True
    assert mutating(calls)[-1] == "s3:DeleteBucket"
    assert module_cloud.client("s3").list_buckets()["Buckets"] == []
    played, result, calls = run(module_cloud, tmp_path, absent)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
