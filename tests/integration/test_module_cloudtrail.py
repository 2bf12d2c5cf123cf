"""cloudtrail_bucket and cloudtrail_trail against a local cloud of this file's own, through ansible-playbook.

For each module: bad input (fails before any call), check mode (changes nothing, no mutating call), create, an
identical re-run (changed false, no mutating call), an update (changed, with the right diff), absent. The
emulator's request recorder counts the calls; boto3 reads the real state. The tests run in order and share the
cloud.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from tests.integration.module_runs import mutating as mutating_calls
from tests.integration.module_runs import ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/cloudtrail"
ACCOUNT = "123456789012"
REGION = "us-east-1"
BUCKET = "securecloud-trail-logs"
ACCESS_LOGS = "securecloud-access-logs"
TRAIL = "management-events"
TRAIL_ARN = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/{TRAIL}"


def run(cloud, work_dir, playbook, extra, *flags):
    return run_target(cloud, work_dir, f"{TARGET}/{playbook}", extra, *flags)


def mutating(calls):
    # PutBucketLifecycle (deprecated) and PutBucketLifecycleConfiguration share one REST route; the recorder
    # names the route by the older one.
    return [n.replace("s3:PutBucketLifecycle", "s3:PutBucketLifecycleConfiguration") for n in mutating_calls(calls)]


@pytest.fixture(scope="module")
def resources(module_cloud):
    """A KMS key, an access-log bucket CloudTrail's bucket may log to, a log group and a role."""
    key = module_cloud.client("kms").create_key(Description="cloudtrail")["KeyMetadata"]["Arn"]
    s3 = module_cloud.client("s3")
    s3.create_bucket(Bucket=ACCESS_LOGS)
    s3.put_bucket_policy(
        Bucket=ACCESS_LOGS,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "logging.s3.amazonaws.com"},
                        "Action": "s3:PutObject",
                        "Resource": f"arn:aws:s3:::{ACCESS_LOGS}/*",
                    }
                ],
            }
        ),
    )
    logs = module_cloud.client("logs")
    logs.create_log_group(logGroupName="cloudtrail")
    group = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:cloudtrail:*"
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    iam = module_cloud.client("iam")
    role = iam.create_role(RoleName="cloudtrail-logs", AssumeRolePolicyDocument=json.dumps(trust))
    return {"key": key, "log_group": group, "role": role["Role"]["Arn"]}


def bucket_vars(resources, **extra):
    base = {
        "ct_test_bucket": BUCKET,
        "ct_test_trails": [TRAIL],
        "ct_test_kms_key_arn": resources["key"],
        "ct_test_manage_key_policy": True,
        "ct_test_tags": {"team": "secops"},
    }
    base.update(extra)
    return base


# ---------------------------------------------------------------- cloudtrail_bucket


def test_bucket_rejects_bad_input_before_any_call(module_cloud, tmp_path):
    extra = {
        "ct_test_bucket": "Trail_Logs",
        "ct_test_trails": ["x"],
        "ct_test_kms_key_arn": "alias/cloudtrail",
        "ct_test_lifecycle": {"transition_days": 400, "expiration_days": 365},
        "ct_test_object_lock": {"mode": "GOVERNANCE", "days": 0},
    }
    played, result, calls = run(module_cloud, tmp_path, "bucket.yml", extra)
    assert played.returncode != 0
    for field in ("name 'Trail_Logs'", "trails[0]", "kms_key_arn", "lifecycle.transition_days", "object_lock.days"):
        assert field in result["msg"], (field, result["msg"])
    assert calls == []


def test_bucket_check_mode_creates_nothing(module_cloud, tmp_path, resources):
    played, result, calls = run(module_cloud, tmp_path, "bucket.yml", bucket_vars(resources), "--check")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == []
    assert result["bucket"]["trails"] == [TRAIL_ARN]
    assert [b["Name"] for b in module_cloud.client("s3").list_buckets()["Buckets"]] == [ACCESS_LOGS]


def test_bucket_create(module_cloud, tmp_path, resources):
    played, result, calls = run(module_cloud, tmp_path, "bucket.yml", bucket_vars(resources))
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == [
        "kms:PutKeyPolicy",
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
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    rule = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == resources["key"]
    assert rule["BucketKeyEnabled"] is True
    policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    write = next(s for s in policy["Statement"] if s["Sid"] == "AWSCloudTrailWrite")
    assert write["Resource"] == f"arn:aws:s3:::{BUCKET}/AWSLogs/{ACCOUNT}/*"
    assert write["Condition"]["StringEquals"] == {
        "aws:SourceArn": TRAIL_ARN,
        "s3:x-amz-acl": "bucket-owner-full-control",
    }
    kms = module_cloud.client("kms")
    key_policy = json.loads(kms.get_key_policy(KeyId=resources["key"], PolicyName="default")["Policy"])
    sids = [s.get("Sid") for s in key_policy["Statement"]]
    assert "AllowCloudTrailEncryptLogs" in sids and len(sids) == 3  # the default statement is kept
    bucket = result["bucket"]
    assert bucket["lifecycle"] == {
        "transition_days": 90,
        "transition_storage_class": "GLACIER",
        "expiration_days": 2557,
        "noncurrent_expiration_days": 90,
        "abort_incomplete_upload_days": 7,
    }
    assert bucket["public_access_block"] == dict.fromkeys(
        ("block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"), True
    )
    assert bucket["object_ownership"] == "BucketOwnerEnforced"
    sids = [s["Sid"] for s in result["key_policy_statements"]]
    assert sids == ["AllowCloudTrailEncryptLogs", "AllowCloudTrailDescribeKey"]


def test_bucket_rerun_changes_nothing(module_cloud, tmp_path, resources):
    played, result, calls = run(module_cloud, tmp_path, "bucket.yml", bucket_vars(resources))
    ok(played)
    assert result["changed"] is False
    assert mutating(calls) == []


def test_bucket_update_with_diff(module_cloud, tmp_path, resources):
    extra = bucket_vars(
        resources,
        ct_test_trails=[TRAIL, "data-events"],
        ct_test_lifecycle={"transition_days": 30, "transition_storage_class": "STANDARD_IA", "expiration_days": 365},
        ct_test_access_logging={"target_bucket": ACCESS_LOGS, "target_prefix": "trail/"},
    )
    played, result, calls = run(module_cloud, tmp_path, "bucket.yml", extra, "--diff")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == [
        "kms:PutKeyPolicy",
        "s3:PutBucketLifecycleConfiguration",
        "s3:PutBucketLogging",
        "s3:PutBucketPolicy",
    ]
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before["trails"] == [TRAIL_ARN]
    assert after["trails"] == sorted([TRAIL_ARN, TRAIL_ARN.replace(TRAIL, "data-events")])
    assert (before["lifecycle"]["transition_days"], after["lifecycle"]["transition_days"]) == (90, 30)
    assert "access_logging" not in before
    assert after["access_logging"] == {"target_bucket": ACCESS_LOGS, "target_prefix": "trail/"}
    assert before["tags"] == after["tags"] == {"team": "secops"}
    played, result, calls = run(module_cloud, tmp_path, "bucket.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_bucket_object_lock_only_at_creation(module_cloud, tmp_path, resources):
    extra = bucket_vars(resources, ct_test_object_lock={"mode": "GOVERNANCE", "days": 30})
    played, result, calls = run(module_cloud, tmp_path, "bucket.yml", extra)
    assert played.returncode != 0
    assert "Object Lock" in result["msg"] and "only when it creates" in result["msg"]
    assert mutating(calls) == []

    locked = {"ct_test_bucket": "securecloud-locked-logs", "ct_test_trails": [TRAIL]}
    locked["ct_test_object_lock"] = {"mode": "GOVERNANCE", "days": 30}
    played, result, calls = run(module_cloud, tmp_path, "bucket.yml", locked)
    ok(played)
    assert result["bucket"]["object_lock"] == {"mode": "GOVERNANCE", "days": 30}
    assert "s3:PutObjectLockConfiguration" in mutating(calls)
    played, result, calls = run(module_cloud, tmp_path, "bucket.yml", locked)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_bucket_absent_refuses_a_non_empty_bucket_without_force(module_cloud, tmp_path):
    s3 = module_cloud.client("s3")
    # The local cloud speaks plain HTTP, which the bucket policy denies: proof that the TLS statement works.
    with pytest.raises(ClientError, match=r"Forbidden|AccessDenied"):
        s3.put_object(Bucket="securecloud-locked-logs", Key=f"AWSLogs/{ACCOUNT}/x.json.gz", Body=b"{}")
    s3.delete_bucket_policy(Bucket="securecloud-locked-logs")
    s3.put_object(Bucket="securecloud-locked-logs", Key=f"AWSLogs/{ACCOUNT}/x.json.gz", Body=b"{}")
    absent = {"ct_test_bucket": "securecloud-locked-logs", "ct_test_state": "absent"}
    played, result, calls = run(module_cloud, tmp_path, "bucket.yml", absent)
    assert played.returncode != 0
    assert "force: true" in result["msg"]
    assert mutating(calls) == []
    # The object is under GOVERNANCE retention: force cannot delete it, and the module says why.
    played, result, calls = run(module_cloud, tmp_path, "bucket.yml", dict(absent, ct_test_force=True))
    assert played.returncode != 0
    assert "retention" in result["msg"]


# ---------------------------------------------------------------- cloudtrail_trail


def trail_vars(resources, **extra):
    base = {
        "ct_test_trail": TRAIL,
        "ct_test_bucket": BUCKET,
        "ct_test_kms_key_arn": resources["key"],
        "ct_test_cloudwatch_logs": {"log_group_arn": resources["log_group"], "role_arn": resources["role"]},
        "ct_test_event_selectors": [{"read_write_type": "All", "exclude_management_event_sources": []}],
        "ct_test_insights": ["ApiCallRateInsight"],
        "ct_test_tags": {"team": "secops"},
    }
    base.update(extra)
    return base


def test_trail_rejects_both_selector_kinds_before_any_call(module_cloud, tmp_path, resources):
    extra = trail_vars(
        resources,
        ct_test_advanced_event_selectors=[{"field_selectors": [{"field": "eventCategory", "equals": ["Data"]}]}],
        ct_test_cloudwatch_logs={"log_group_arn": "cloudtrail", "role_arn": resources["role"]},
    )
    played, result, calls = run(module_cloud, tmp_path, "trail.yml", extra)
    assert played.returncode != 0
    assert "event_selectors and advanced_event_selectors are both set" in result["msg"]
    assert "cloudwatch_logs.log_group_arn" in result["msg"]
    assert calls == []


def test_trail_check_mode_creates_nothing(module_cloud, tmp_path, resources):
    # Another trail that moto's DescribeTrails returns whatever name is asked: never mistaken for this one.
    module_cloud.client("cloudtrail").create_trail(Name="someone-elses", S3BucketName=BUCKET)
    played, result, calls = run(module_cloud, tmp_path, "trail.yml", trail_vars(resources), "--check")
    ok(played)
    assert result["changed"] is True
    assert result["trail"]["arn"] is None
    assert mutating(calls) == []
    names = [t["Name"] for t in module_cloud.client("cloudtrail").describe_trails()["trailList"]]
    assert names == ["someone-elses"]


def test_trail_create(module_cloud, tmp_path, resources):
    played, result, calls = run(module_cloud, tmp_path, "trail.yml", trail_vars(resources))
    ok(played)
    assert result["changed"] is True
    # The declared selector is the default one: no PutEventSelectors.
    assert mutating(calls) == ["cloudtrail:CreateTrail", "cloudtrail:PutInsightSelectors", "cloudtrail:StartLogging"]
    cloudtrail = module_cloud.client("cloudtrail")
    trail = cloudtrail.get_trail(Name=TRAIL)["Trail"]
    assert trail["IsMultiRegionTrail"] and trail["LogFileValidationEnabled"] and trail["IncludeGlobalServiceEvents"]
    assert trail["KmsKeyId"] == resources["key"]
    assert trail["CloudWatchLogsLogGroupArn"] == resources["log_group"]
    assert cloudtrail.get_trail_status(Name=TRAIL)["IsLogging"] is True
    assert result["trail"]["arn"] == TRAIL_ARN
    assert result["trail"]["insights"] == ["ApiCallRateInsight"]
    tags = cloudtrail.list_tags(ResourceIdList=[TRAIL_ARN])["ResourceTagList"][0]["TagsList"]
    assert tags == [{"Key": "team", "Value": "secops"}]


def test_trail_rerun_changes_nothing(module_cloud, tmp_path, resources):
    played, result, calls = run(module_cloud, tmp_path, "trail.yml", trail_vars(resources))
    ok(played)
    assert result["changed"] is False
    assert mutating(calls) == []


def test_trail_update_with_diff(module_cloud, tmp_path, resources):
    advanced = [
        {
            "name": "management",
            "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}],
        },
        {
            "name": "log bucket writes",
            "field_selectors": [
                {"field": "eventCategory", "equals": ["Data"]},
                {"field": "resources.type", "equals": ["AWS::S3::Object"]},
                {"field": "resources.ARN", "starts_with": [f"arn:aws:s3:::{BUCKET}/"]},
            ],
        },
    ]
    extra = trail_vars(
        resources,
        ct_test_event_selectors=None,
        ct_test_advanced_event_selectors=advanced,
        ct_test_insights=["ApiCallRateInsight", "ApiErrorRateInsight"],
        ct_test_s3_key_prefix="org",
        ct_test_tags={"team": "platform"},
        ct_test_logging=False,
    )
    del extra["ct_test_event_selectors"]
    played, result, calls = run(module_cloud, tmp_path, "trail.yml", extra, "--diff")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == [
        "cloudtrail:UpdateTrail",
        "cloudtrail:PutEventSelectors",
        "cloudtrail:PutInsightSelectors",
        "cloudtrail:AddTags",
        "cloudtrail:StopLogging",
    ]
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert "s3_key_prefix" not in before and after["s3_key_prefix"] == "org"
    assert before["insights"] == ["ApiCallRateInsight"]
    assert after["insights"] == ["ApiCallRateInsight", "ApiErrorRateInsight"]
    assert before["logging"] is True and after["logging"] is False
    assert before["tags"] == {"team": "secops"} and after["tags"] == {"team": "platform"}
    assert "advanced_event_selectors" not in before
    assert [s["name"] for s in after["advanced_event_selectors"]] == ["management", "log bucket writes"]
    cloudtrail = module_cloud.client("cloudtrail")
    assert cloudtrail.get_trail(Name=TRAIL)["Trail"]["S3KeyPrefix"] == "org"
    assert cloudtrail.get_trail_status(Name=TRAIL)["IsLogging"] is False

    played, result, calls = run(module_cloud, tmp_path, "trail.yml", extra)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_trail_absent(module_cloud, tmp_path):
    absent = {"ct_test_trail": TRAIL, "ct_test_state": "absent"}
    played, result, calls = run(module_cloud, tmp_path, "trail.yml", absent, "--check")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    played, result, calls = run(module_cloud, tmp_path, "trail.yml", absent)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["cloudtrail:DeleteTrail"])
    names = [t["Name"] for t in module_cloud.client("cloudtrail").describe_trails()["trailList"]]
    assert names == ["someone-elses"]
    played, result, calls = run(module_cloud, tmp_path, "trail.yml", absent)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_bucket_absent_with_force(module_cloud, tmp_path):
    module_cloud.client("cloudtrail").delete_trail(Name="someone-elses")
    s3 = module_cloud.client("s3")
    s3.delete_bucket_policy(Bucket=BUCKET)  # it denies plain HTTP, which the local cloud speaks
    s3.put_object(Bucket=BUCKET, Key=f"AWSLogs/{ACCOUNT}/a.json.gz", Body=b"{}")
    s3.put_object(Bucket=BUCKET, Key=f"AWSLogs/{ACCOUNT}/a.json.gz", Body=b"{}")  # two versions
    absent = {"ct_test_bucket": BUCKET, "ct_test_state": "absent", "ct_test_force": True}
    played, result, calls = run(module_cloud, tmp_path, "bucket.yml", absent, "--diff")
    ok(played)
    assert result["changed"] is True
    assert mutating(calls) == ["s3:DeleteObjects", "s3:DeleteBucket"]
    assert result["diff"]["after"] == {} and result["diff"]["before"]["name"] == BUCKET
    played, result, calls = run(module_cloud, tmp_path, "bucket.yml", absent)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
