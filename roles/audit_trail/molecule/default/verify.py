"""Prints the audit trail of environment `molecule` in the scenario's local cloud as JSON, read through boto3 only.

python verify.py ENDPOINT
"""

import json
import sys

import boto3
from botocore.exceptions import ClientError

ENV = "molecule"
LOG_GROUP = f"/aws/cloudtrail/{ENV}"
ROLE = f"{ENV}-cloudtrail-to-logs"

aws = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")


def client(name):
    return aws.client(name, endpoint_url=sys.argv[1])


def missing(call, *codes):
    """The answer of call(), or None when AWS says the thing does not exist."""
    try:
        return call()
    except ClientError as e:
        if e.response["Error"]["Code"] in codes:
            return None
        raise


account = client("sts").get_caller_identity()["Account"]
bucket = f"{ENV}-cloudtrail-{account}"
s3, kms, logs, iam, ct, cw = (client(n) for n in ("s3", "kms", "logs", "iam", "cloudtrail", "cloudwatch"))

trails = [t for t in ct.describe_trails()["trailList"] if t["Name"] == f"{ENV}-audit"]
trail = {}
if trails:
    trail = trails[0]
    trail["status"] = ct.get_trail_status(Name=trail["TrailARN"])
    trail["selectors"] = ct.get_event_selectors(TrailName=trail["TrailARN"])
    trail["insights"] = missing(
        lambda: ct.get_insight_selectors(TrailName=trail["TrailARN"]).get("InsightSelectors", []),
        "InsightNotEnabledException",
    )

key = None
alias = next((a for a in kms.list_aliases()["Aliases"] if a["AliasName"] == f"alias/{ENV}-cloudtrail"), None)
if alias:
    key_id = alias["TargetKeyId"]
    key = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    key["rotation"] = kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"]
    key["policy"] = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])

bucket_state = None
if missing(lambda: s3.head_bucket(Bucket=bucket), "404", "NoSuchBucket") is not None:
    bucket_state = {
        "policy": json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]),
        "public_access_block": s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"],
        "encryption": s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"],
        "versioning": s3.get_bucket_versioning(Bucket=bucket).get("Status"),
        "ownership": s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"],
        "lifecycle": s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"],
    }

groups = [
    g for g in logs.describe_log_groups(logGroupNamePrefix=LOG_GROUP)["logGroups"] if g["logGroupName"] == LOG_GROUP
]
filters = logs.describe_metric_filters(logGroupName=LOG_GROUP)["metricFilters"] if groups else []

role = missing(lambda: iam.get_role(RoleName=ROLE)["Role"], "NoSuchEntity")
if role:
    role["inline"] = {
        name: iam.get_role_policy(RoleName=ROLE, PolicyName=name)["PolicyDocument"]
        for name in iam.list_role_policies(RoleName=ROLE)["PolicyNames"]
    }
    role["managed"] = iam.list_attached_role_policies(RoleName=ROLE)["AttachedPolicies"]

alarms = cw.describe_alarms(AlarmNamePrefix=f"{ENV}-cis-")["MetricAlarms"]

print(
    json.dumps(
        {
            "account": account,
            "bucket_name": bucket,
            "trail": trail,
            "key": key,
            "bucket": bucket_state,
            "log_group": groups[0] if groups else None,
            "metric_filters": filters,
            "role": role,
            "alarms": alarms,
        },
        default=str,
    )
)
