# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A hardened S3 bucket: API wrappers, reading its settings, and planning the calls that make them match.

Shared by every module of this collection that owns a bucket (the CloudTrail log bucket first; an artifact or
access-log bucket later). A module builds the *desired* settings with :func:`hardened_settings` (or by hand), reads
the *current* ones with :func:`read_settings`, and :func:`plan_changes` returns one step per setting that differs,
so that a re-run makes read calls only.

Every call is wrapped with ``retry.jittered_backoff()`` and turned into ``AnsibleS3Error`` by
:class:`BucketErrorHandler` (amazon.aws ``S3ErrorHandler`` plus the "not configured" codes of the settings it reads).
"""

import ipaddress
import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.s3 import AnsibleS3Error, S3ErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
    compare_aws_tags,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import is_kms_key_arn
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import Rename, plan_errors
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff

# S3 answers OperationAborted when two changes to one bucket's configuration race; a retry succeeds. A bucket
# that was just created may not be visible to every S3 front end for a moment (NoSuchBucket on a put).
_RETRY = jittered_backoff(catch_extra_error_codes=["OperationAborted"])
_NEW_BUCKET_RETRY = jittered_backoff(max_delay=60, catch_extra_error_codes=["OperationAborted", "NoSuchBucket"])

PUBLIC_ACCESS_BLOCK_ALL = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
TRANSITION_STORAGE_CLASSES = (
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER_IR",
    "GLACIER",
    "DEEP_ARCHIVE",
)
# S3 refuses a transition to these classes before an object is 30 days old.
_MIN_30_DAYS = ("STANDARD_IA", "ONEZONE_IA")


class BucketErrorHandler(S3ErrorHandler):
    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(
            [
                "404",
                "NoSuchBucket",
                "NoSuchBucketPolicy",
                "NoSuchTagSet",
                "NoSuchTagSetError",
                "NoSuchLifecycleConfiguration",
                "NoSuchPublicAccessBlockConfiguration",
                "ObjectLockConfigurationNotFoundError",
                "OwnershipControlsNotFoundError",
                "NoSuchOwnershipControls",
                "ServerSideEncryptionConfigurationNotFoundError",
            ]
        )


# ---------------------------------------------------------------- validation (no AWS call)


def bucket_name_errors(name, field="name"):
    """Messages naming ``field`` and the fix, for an S3 general purpose bucket name that AWS would refuse."""
    fix = "use 3 to 63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit"
    if not name or len(name) < 3 or len(name) > 63:
        return [f"{field} '{name}' is {len(name or '')} characters long: {fix}."]
    errors = []
    if not re.match(r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$", name):
        bad = sorted(set(c for c in name if not re.match(r"[a-z0-9.-]", c)))
        detail = (
            f"it contains {', '.join(repr(c) for c in bad)}"
            if bad
            else "it does not start and end with a letter or digit"
        )
        errors.append(f"{field} '{name}' is not a valid bucket name ({detail}): {fix} (no uppercase, no '_').")
    if ".." in name or ".-" in name or "-." in name:
        errors.append(f"{field} '{name}' has '..', '.-' or '-.': S3 refuses adjacent dots or a dot next to a dash.")
    try:
        ipaddress.IPv4Address(name)
        errors.append(f"{field} '{name}' is formatted as an IP address, which S3 refuses: choose a name.")
    except ValueError:
        pass
    for prefix in ("xn--", "sthree-", "amzn-s3-demo-"):
        if name.startswith(prefix):
            errors.append(f"{field} '{name}' starts with the reserved prefix '{prefix}': choose another name.")
    for suffix in ("-s3alias", "--ol-s3", "--x-s3", ".mrap", "--table-s3"):
        if name.endswith(suffix):
            errors.append(f"{field} '{name}' ends with the reserved suffix '{suffix}': choose another name.")
    return errors


def kms_key_arn_errors(arn, field="kms_key_arn"):
    if arn is None or is_kms_key_arn(arn):
        return []
    return [
        f"{field} '{arn}' is not a KMS key ARN: give the key's full ARN, "
        "arn:aws:kms:REGION:ACCOUNT:key/KEY_ID (an alias, alias ARN or bare key ID cannot be compared with what AWS "
        "returns and would report a change on every run)."
    ]


def lifecycle_errors(lifecycle, field="lifecycle"):
    """Checks of the lifecycle option shape (transition_days, transition_storage_class, expiration_days, ...)."""
    if not lifecycle:
        return []
    errors = []
    transition = lifecycle.get("transition_days") or 0
    expiration = lifecycle.get("expiration_days") or 0
    for key in ("transition_days", "expiration_days", "noncurrent_expiration_days", "abort_incomplete_upload_days"):
        value = lifecycle.get(key)
        if value is not None and value < 0:
            errors.append(f"{field}.{key} is {value}: give a number of days, or 0 to leave that action out.")
    if transition and expiration and transition >= expiration:
        errors.append(
            f"{field}.transition_days ({transition}) must be less than {field}.expiration_days ({expiration}): "
            "objects would expire before they move. Lower transition_days, raise expiration_days, or set "
            "transition_days to 0."
        )
    storage_class = lifecycle.get("transition_storage_class")
    if transition and storage_class in _MIN_30_DAYS and transition < 30:
        errors.append(
            f"{field}.transition_days is {transition}, but S3 moves objects to {storage_class} only after 30 days or "
            "more: set transition_days to 30 or more, or choose GLACIER."
        )
    return errors


def deny_insecure_transport(bucket_arn, sid="DenyInsecureTransport"):
    """The bucket policy statement that denies every request made without TLS."""
    return {
        "Sid": sid,
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def lifecycle_spec(transition_days, expiration_days, noncurrent_expiration_days):
    """The argument spec of the lifecycle option, with a module's own default days."""
    return dict(
        type="dict",
        default={},
        apply_defaults=True,
        options=dict(
            transition_days=dict(type="int", default=transition_days),
            transition_storage_class=dict(type="str", choices=list(TRANSITION_STORAGE_CLASSES), default="GLACIER"),
            expiration_days=dict(type="int", default=expiration_days),
            noncurrent_expiration_days=dict(type="int", default=noncurrent_expiration_days),
            abort_incomplete_upload_days=dict(type="int", default=7),
        ),
    )


ACCESS_LOGGING_SPEC = dict(
    type="dict",
    options=dict(
        enabled=dict(type="bool", default=True),
        target_bucket=dict(type="str"),
        target_prefix=dict(type="str", default=""),
    ),
)


def access_logging_errors(logging, bucket, field="access_logging"):
    """Checks of the access_logging option (enabled, target_bucket, target_prefix) of bucket ``bucket``."""
    if not logging or not logging.get("enabled"):
        return []
    target = logging.get("target_bucket")
    if not target:
        return [f"{field}.target_bucket is required when access logging is enabled."]
    if target == bucket:
        return [
            f"{field}.target_bucket is this bucket: logging into itself writes a log for every log written. "
            "Give another bucket."
        ]
    return bucket_name_errors(target, f"{field}.target_bucket")


# S3's rules for bucket tags, which botocore's model does not carry (its TagSet keys have only a minimum length): at
# most 50 tags, keys of 1 to 128 characters that do not start with "aws:", values of at most 256 characters.
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html and
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-tag.html
BUCKET_TAGS_MAX, TAG_KEY_MAX, TAG_VALUE_MAX = 50, 128, 256
# "Bucket policies are limited to 20 KB in size": https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html
POLICY_MAX_BYTES = 20 * 1024


def tag_errors(tags, field="tags"):
    """Messages for bucket tags S3 would refuse (see BUCKET_TAGS_MAX), each naming the tag and the fix."""
    tags = tags or {}
    errors = []
    if len(tags) > BUCKET_TAGS_MAX:
        errors.append(f"{field} has {len(tags)} tags: an S3 bucket takes at most {BUCKET_TAGS_MAX}; drop some.")
    for key, value in tags.items():
        if not 0 < len(key) <= TAG_KEY_MAX or key.lower().startswith("aws:"):
            errors.append(
                f"{field} key '{key}' is not one S3 takes: give 1 to {TAG_KEY_MAX} characters, not starting with aws:."
            )
        if len(str(value)) > TAG_VALUE_MAX:
            errors.append(f"{field}.{key} has {len(str(value))} characters: give at most {TAG_VALUE_MAX}.")
    return errors


def policy_errors(policy, field="policy_statements"):
    """A message when the bucket policy S3 would be sent is over its size limit (POLICY_MAX_BYTES)."""
    size = len(json.dumps(policy, sort_keys=True).encode("utf-8")) if policy else 0
    if size <= POLICY_MAX_BYTES:
        return []
    return [
        f"{field} makes a bucket policy of {size} bytes: S3 takes at most {POLICY_MAX_BYTES} bytes. Merge "
        "statements (several actions or resources in one statement) or shorten them."
    ]


# Where the members of the settings requests come from among the options (see module_utils/model_validation.py).
MODEL_RENAMES = (
    Rename(
        "ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.KMSMasterKeyID",
        "kms_key_arn",
    ),
    Rename("LifecycleConfiguration.Rules[0]", "lifecycle"),
    Rename("BucketLoggingStatus.LoggingEnabled", "access_logging"),
)


def settings_model_errors(service_model, name, desired, policy_field="policy_statements"):
    """The requests that carry option values into a bucket's settings (encryption, lifecycle, access logging)
    checked against the S3 model, and the policy (made from ``policy_field``) against S3's size limit; [] when AWS
    would take them."""
    requests = [("PutBucketEncryption", encryption_request(name, desired["encryption"]))]
    if desired.get("lifecycle_rules"):
        lifecycle = {"Bucket": name, "LifecycleConfiguration": {"Rules": desired["lifecycle_rules"]}}
        requests.append(("PutBucketLifecycleConfiguration", lifecycle))
    if desired.get("access_logging"):
        requests.append(("PutBucketLogging", logging_request(name, desired["access_logging"])))
    return plan_errors(service_model, requests, MODEL_RENAMES) + policy_errors(desired.get("policy"), policy_field)


def desired_access_logging(logging):
    """The access_logging option as a desired setting: None leaves it alone, {} turns it off."""
    if logging is None:
        return None
    if not logging.get("enabled"):
        return {}
    return {"target_bucket": logging["target_bucket"], "target_prefix": logging.get("target_prefix") or ""}


def public_access_view(config):
    """The Block Public Access settings in snake_case."""
    names = {
        "BlockPublicAcls": "block_public_acls",
        "IgnorePublicAcls": "ignore_public_acls",
        "BlockPublicPolicy": "block_public_policy",
        "RestrictPublicBuckets": "restrict_public_buckets",
    }
    return dict((snake, bool((config or {}).get(api))) for api, snake in names.items())


def settings_view(name, partition, settings, lifecycle_rule_id):
    """The settings every hardened bucket module returns (``read_settings`` shape in, option shape out)."""
    encryption = settings.get("encryption") or {}
    return {
        "name": name,
        "arn": f"arn:{partition}:s3:::{name}",
        "kms_key_arn": encryption.get("kms_key_arn"),
        "encryption": encryption,
        "public_access_block": public_access_view(settings.get("public_access_block")),
        "object_ownership": settings.get("object_ownership"),
        "versioning": settings.get("versioning"),
        "lifecycle": lifecycle_from_rules(settings.get("lifecycle_rules") or [], lifecycle_rule_id),
        "access_logging": settings.get("access_logging") or {},
        "policy": settings.get("policy"),
        "tags": settings.get("tags") or {},
    }


def settings_after(current, steps, created):
    """The settings after ``steps`` (what a check-mode run predicts)."""
    after = dict(current)
    for setting, _put, value in steps:
        after[setting] = value
    if created:
        after.setdefault("tags", {})
        after.setdefault("lifecycle_rules", [])
    return after


def remove_bucket(module, client, name, force, contents="objects"):
    """Delete the bucket (emptied first with ``force``); fails when it holds objects and ``force`` is off.

    Returns the settings it had (read only in diff mode), for the diff.
    """
    empty = bucket_is_empty(client, name)
    if not empty and not force:
        module.fail_json(
            msg=f"bucket {name} holds {contents}: set force: true to delete them with the bucket, or empty it first."
        )
    current = read_settings(client, name) if module._diff else {}
    if not module.check_mode:
        if not empty:
            empty_bucket(client, name)
        delete_bucket(client, name)
    return current


# ---------------------------------------------------------------- API wrappers


@BucketErrorHandler.common_error_handler("look up bucket")
@_RETRY
def bucket_exists(client, name):
    """True when the bucket exists and this account may use it; a bucket owned by another account is an error."""
    try:
        client.head_bucket(Bucket=name)
        return True
    except is_boto3_error_code(["404", "NoSuchBucket", "NotFound"]):
        return False


@BucketErrorHandler.common_error_handler("create bucket")
@_RETRY
def create_bucket(client, name, region, object_lock=False):
    params = {"Bucket": name}
    if region and region != "us-east-1":
        params["CreateBucketConfiguration"] = {"LocationConstraint": region}
    if object_lock:
        params["ObjectLockEnabledForBucket"] = True
    client.create_bucket(**params)
    return True


@BucketErrorHandler.list_error_handler("get bucket location", None)
@_RETRY
def get_bucket_region(client, name):
    return client.get_bucket_location(Bucket=name).get("LocationConstraint") or "us-east-1"


@BucketErrorHandler.list_error_handler("get public access block", {})
@_RETRY
def get_public_access_block(client, name):
    return client.get_public_access_block(Bucket=name).get("PublicAccessBlockConfiguration") or {}


@BucketErrorHandler.common_error_handler("put public access block")
@_NEW_BUCKET_RETRY
def put_public_access_block(client, name, config):
    client.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=config)
    return True


@BucketErrorHandler.list_error_handler("get ownership controls", None)
@_RETRY
def get_object_ownership(client, name):
    rules = (client.get_bucket_ownership_controls(Bucket=name).get("OwnershipControls") or {}).get("Rules") or []
    return rules[0].get("ObjectOwnership") if rules else None


@BucketErrorHandler.common_error_handler("put ownership controls")
@_NEW_BUCKET_RETRY
def put_object_ownership(client, name, ownership):
    client.put_bucket_ownership_controls(Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": ownership}]})
    return True


@BucketErrorHandler.list_error_handler("get bucket versioning", None)
@_RETRY
def get_versioning(client, name):
    return client.get_bucket_versioning(Bucket=name).get("Status") or "Disabled"


@BucketErrorHandler.common_error_handler("put bucket versioning")
@_NEW_BUCKET_RETRY
def put_versioning(client, name, status):
    client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": status})
    return True


@BucketErrorHandler.list_error_handler("get bucket encryption", {})
@_RETRY
def get_encryption(client, name):
    rules = (client.get_bucket_encryption(Bucket=name).get("ServerSideEncryptionConfiguration") or {}).get("Rules")
    if not rules:
        return {}
    default = rules[0].get("ApplyServerSideEncryptionByDefault") or {}
    return {
        "sse_algorithm": default.get("SSEAlgorithm"),
        "kms_key_arn": default.get("KMSMasterKeyID"),
        "bucket_key_enabled": bool(rules[0].get("BucketKeyEnabled")),
    }


@BucketErrorHandler.common_error_handler("put bucket encryption")
@_NEW_BUCKET_RETRY
def put_encryption(client, name, encryption):
    client.put_bucket_encryption(**encryption_request(name, encryption))
    return True


def encryption_request(name, encryption):
    default = {"SSEAlgorithm": encryption["sse_algorithm"]}
    if encryption.get("kms_key_arn"):
        default["KMSMasterKeyID"] = encryption["kms_key_arn"]
    rule = {
        "ApplyServerSideEncryptionByDefault": default,
        "BucketKeyEnabled": bool(encryption.get("bucket_key_enabled")),
    }
    return {"Bucket": name, "ServerSideEncryptionConfiguration": {"Rules": [rule]}}


@BucketErrorHandler.list_error_handler("get bucket lifecycle", [])
@_RETRY
def get_lifecycle_rules(client, name):
    return client.get_bucket_lifecycle_configuration(Bucket=name).get("Rules") or []


@BucketErrorHandler.common_error_handler("put bucket lifecycle")
@_NEW_BUCKET_RETRY
def put_lifecycle_rules(client, name, rules):
    if rules:
        client.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})
    else:
        client.delete_bucket_lifecycle(Bucket=name)
    return True


@BucketErrorHandler.list_error_handler("get bucket logging", {})
@_RETRY
def get_access_logging(client, name):
    enabled = client.get_bucket_logging(Bucket=name).get("LoggingEnabled") or {}
    if not enabled.get("TargetBucket"):
        return {}
    return {"target_bucket": enabled["TargetBucket"], "target_prefix": enabled.get("TargetPrefix") or ""}


@BucketErrorHandler.common_error_handler("put bucket logging")
@_NEW_BUCKET_RETRY
def put_access_logging(client, name, logging):
    client.put_bucket_logging(**logging_request(name, logging))
    return True


def logging_request(name, logging):
    status = {}
    if logging:
        status["LoggingEnabled"] = {
            "TargetBucket": logging["target_bucket"],
            "TargetPrefix": logging.get("target_prefix") or "",
        }
    return {"Bucket": name, "BucketLoggingStatus": status}


@BucketErrorHandler.list_error_handler("get bucket policy", None)
@_RETRY
def get_policy(client, name):
    text = client.get_bucket_policy(Bucket=name).get("Policy")
    return json.loads(text) if text else None


@BucketErrorHandler.common_error_handler("put bucket policy")
@_NEW_BUCKET_RETRY
def put_policy(client, name, policy):
    if policy:
        client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy, sort_keys=True))
    else:
        client.delete_bucket_policy(Bucket=name)
    return True


@BucketErrorHandler.list_error_handler("get bucket tags", {})
@_RETRY
def get_tags(client, name):
    return boto3_tag_list_to_ansible_dict(client.get_bucket_tagging(Bucket=name).get("TagSet") or [])


@BucketErrorHandler.common_error_handler("put bucket tags")
@_NEW_BUCKET_RETRY
def put_tags(client, name, tags):
    # S3 has no TagResource/UntagResource for buckets: the tag set is replaced whole.
    if tags:
        client.put_bucket_tagging(Bucket=name, Tagging={"TagSet": ansible_dict_to_boto3_tag_list(tags)})
    else:
        client.delete_bucket_tagging(Bucket=name)
    return True


@BucketErrorHandler.list_error_handler("get object lock configuration", {})
@_RETRY
def get_object_lock(client, name):
    config = client.get_object_lock_configuration(Bucket=name).get("ObjectLockConfiguration") or {}
    if config.get("ObjectLockEnabled") != "Enabled":
        return {}
    retention = (config.get("Rule") or {}).get("DefaultRetention") or {}
    days = retention.get("Days") or (retention.get("Years") or 0) * 365 or None
    return {"enabled": True, "mode": retention.get("Mode"), "days": days}


@BucketErrorHandler.common_error_handler("put object lock configuration")
@_NEW_BUCKET_RETRY
def put_object_lock(client, name, lock):
    config = {"ObjectLockEnabled": "Enabled"}
    if lock.get("mode") and lock.get("days"):
        config["Rule"] = {"DefaultRetention": {"Mode": lock["mode"], "Days": lock["days"]}}
    client.put_object_lock_configuration(Bucket=name, ObjectLockConfiguration=config)
    return True


@BucketErrorHandler.common_error_handler("list object versions")
@_RETRY
def bucket_is_empty(client, name):
    response = client.list_object_versions(Bucket=name, MaxKeys=1)
    return not (response.get("Versions") or response.get("DeleteMarkers"))


@BucketErrorHandler.common_error_handler("empty bucket")
@_RETRY
def empty_bucket(client, name):
    """Delete every object version and delete marker (the bucket is versioned), 1000 per request."""
    paginator = client.get_paginator("list_object_versions")
    for page in paginator.paginate(Bucket=name):
        keys = [
            {"Key": item["Key"], "VersionId": item["VersionId"]}
            for item in (page.get("Versions") or []) + (page.get("DeleteMarkers") or [])
        ]
        if keys:
            response = client.delete_objects(Bucket=name, Delete={"Objects": keys, "Quiet": True})
            failed = response.get("Errors") or []
            if failed:
                first = failed[0]
                raise AnsibleS3Error(
                    message=(
                        f"Could not delete {len(failed)} object version(s) of bucket {name}, for example "
                        f"{first.get('Key')} ({first.get('Code')}: {first.get('Message')}); object lock retention "
                        "or a legal hold keeps them until it ends."
                    )
                )
    return True


@BucketErrorHandler.deletion_error_handler("delete bucket")
@_RETRY
def delete_bucket(client, name):
    client.delete_bucket(Bucket=name)
    return True


# ---------------------------------------------------------------- settings: desired, current, plan


def lifecycle_rule(rule_id, lifecycle):
    """One S3 lifecycle rule for the whole bucket from the option shape; None when it would do nothing."""
    rule = {"ID": rule_id, "Status": "Enabled", "Filter": {"Prefix": ""}}
    if lifecycle.get("transition_days"):
        rule["Transitions"] = [
            {
                "Days": lifecycle["transition_days"],
                "StorageClass": lifecycle.get("transition_storage_class") or "GLACIER",
            }
        ]
    if lifecycle.get("expiration_days"):
        rule["Expiration"] = {"Days": lifecycle["expiration_days"]}
    if lifecycle.get("noncurrent_expiration_days"):
        rule["NoncurrentVersionExpiration"] = {"NoncurrentDays": lifecycle["noncurrent_expiration_days"]}
    if lifecycle.get("abort_incomplete_upload_days"):
        rule["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": lifecycle["abort_incomplete_upload_days"]}
    return rule if len(rule) > 3 else None


def lifecycle_from_rules(rules, rule_id):
    """The option shape of the rule ``rule_id`` (None when there is no such rule)."""
    rule = next((r for r in rules if r.get("ID") == rule_id), None)
    if rule is None:
        return None
    transition = (rule.get("Transitions") or [{}])[0]
    return {
        "transition_days": transition.get("Days") or 0,
        "transition_storage_class": transition.get("StorageClass"),
        "expiration_days": (rule.get("Expiration") or {}).get("Days") or 0,
        "noncurrent_expiration_days": (rule.get("NoncurrentVersionExpiration") or {}).get("NoncurrentDays") or 0,
        "abort_incomplete_upload_days": (rule.get("AbortIncompleteMultipartUpload") or {}).get("DaysAfterInitiation")
        or 0,
    }


def _normal_rule(rule):
    """A lifecycle rule with what S3 fills in or spells differently removed (a whole-bucket filter, ``Years: 0``)."""
    rule = canonical(rule)
    if rule.get("Filter") in ({"Prefix": ""}, {}):
        rule.pop("Filter", None)
    if rule.get("Prefix") == "":
        rule.pop("Prefix")
    return rule


def lifecycle_differs(current_rules, desired_rules):
    def key(rules):
        return sorted((_normal_rule(r) for r in rules or []), key=lambda r: r.get("ID", ""))

    return key(current_rules) != key(desired_rules)


def hardened_settings(kms_key_arn=None, policy=None, lifecycle_rules=None, access_logging=None, object_lock=None):
    """Desired settings of a private, versioned, encrypted bucket with ACLs disabled.

    ``None`` for ``lifecycle_rules``, ``access_logging`` or ``object_lock`` leaves that setting alone.
    """
    if kms_key_arn:
        encryption = {"sse_algorithm": "aws:kms", "kms_key_arn": kms_key_arn, "bucket_key_enabled": True}
    else:
        encryption = {"sse_algorithm": "AES256", "kms_key_arn": None, "bucket_key_enabled": False}
    return {
        "public_access_block": dict(PUBLIC_ACCESS_BLOCK_ALL),
        "object_ownership": "BucketOwnerEnforced",
        "versioning": "Enabled",
        "encryption": encryption,
        "policy": policy,
        "lifecycle_rules": lifecycle_rules,
        "access_logging": access_logging,
        "object_lock": object_lock,
    }


def read_settings(client, name):
    """The current settings of an existing bucket, in the shape of :func:`hardened_settings` plus tags."""
    return {
        "public_access_block": get_public_access_block(client, name),
        "object_ownership": get_object_ownership(client, name),
        "versioning": get_versioning(client, name),
        "encryption": get_encryption(client, name),
        "policy": get_policy(client, name),
        "lifecycle_rules": get_lifecycle_rules(client, name),
        "access_logging": get_access_logging(client, name),
        "object_lock": get_object_lock(client, name),
        "tags": get_tags(client, name),
    }


def tags_after(current, declared, purge):
    """(tags after, changed). ``declared=None`` leaves the tags alone; ``aws:`` keys are never purged."""
    if declared is None:
        return dict(current), False
    declared = dict((key, str(value)) for key, value in declared.items())
    to_set, to_unset = compare_aws_tags(current, declared, purge)
    after = dict(current)
    after.update(to_set)
    for key in to_unset:
        after.pop(key, None)
    return after, bool(to_set or to_unset)


def _encryption_differs(current, desired):
    return canonical(current or {}) != canonical(desired)


# (setting, put wrapper, "differs" test). The order is the order of the calls: the public access block and
# ownership first, so that the bucket is never public or ACL-controlled in between, the policy last but one.
_STEPS = (
    ("public_access_block", put_public_access_block, lambda c, d: canonical(c or {}) != canonical(d)),
    ("object_ownership", put_object_ownership, lambda c, d: c != d),
    ("versioning", put_versioning, lambda c, d: c != d),
    ("encryption", put_encryption, _encryption_differs),
    ("object_lock", put_object_lock, lambda c, d: canonical(c or {}) != canonical(d)),
    ("lifecycle_rules", put_lifecycle_rules, lifecycle_differs),
    ("access_logging", put_access_logging, lambda c, d: canonical(c or {}) != canonical(d or {})),
    ("policy", put_policy, lambda c, d: compare_policies(c or {}, d or {}) if (c or d) else False),
)


def plan_changes(current, desired, declared_tags=None, purge_tags=True):
    """[(setting, put wrapper, value)] for every desired setting (not None) that differs from ``current``.

    ``current`` is ``{}`` for a bucket about to be created. Tags come last: S3 replaces the tag set whole.
    """
    steps = []
    for setting, put, differs in _STEPS:
        value = desired.get(setting)
        if value is None:
            continue
        if setting == "object_lock" and not value.get("mode") and not (current.get("object_lock") or {}).get("mode"):
            continue  # nothing to set beyond what CreateBucket enabled
        if differs(current.get(setting), value):
            steps.append((setting, put, value))
    tags, tags_changed = tags_after(current.get("tags") or {}, declared_tags, purge_tags)
    if tags_changed:
        steps.append(("tags", put_tags, tags))
    return steps


def apply_changes(client, name, steps):
    for _setting, put, value in steps:
        put(client, name, value)
