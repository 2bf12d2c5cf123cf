"""plugins/module_utils/cloudtrail.py and s3_bucket.py: policies, input checks, selector shapes, the bucket plan."""

from __future__ import annotations

import pytest
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.securecloud.monitor.plugins.module_utils import cloudtrail as ct
from ansible_collections.securecloud.monitor.plugins.module_utils import s3_bucket

ACCOUNT = "123456789012"
TRAIL = f"arn:aws:cloudtrail:eu-west-1:{ACCOUNT}:trail/management-events"
TRAIL_2 = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/audit"
KEY = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


# ---------------------------------------------------------------- bucket policy


def statements(policy):
    return dict((s["Sid"], s) for s in policy["Statement"])


def test_bucket_policy_allows_only_cloudtrail_for_the_trails_and_denies_plain_http():
    policy = ct.bucket_policy("aws", "logs", ACCOUNT, [TRAIL])
    by_sid = statements(policy)
    assert set(by_sid) == {"AWSCloudTrailAclCheck", "AWSCloudTrailWrite", "DenyInsecureTransport"}
    acl, write, tls = by_sid["AWSCloudTrailAclCheck"], by_sid["AWSCloudTrailWrite"], by_sid["DenyInsecureTransport"]
    assert (acl["Action"], acl["Resource"]) == ("s3:GetBucketAcl", "arn:aws:s3:::logs")
    assert acl["Condition"] == {"StringEquals": {"aws:SourceArn": TRAIL}}
    assert acl["Principal"] == write["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert (write["Action"], write["Resource"]) == ("s3:PutObject", f"arn:aws:s3:::logs/AWSLogs/{ACCOUNT}/*")
    assert write["Condition"] == {"StringEquals": {"aws:SourceArn": TRAIL, "s3:x-amz-acl": "bucket-owner-full-control"}}
    assert tls["Effect"] == "Deny" and tls["Principal"] == "*" and tls["Action"] == "s3:*"
    assert tls["Resource"] == ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"]
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert [s["Effect"] for s in policy["Statement"]].count("Allow") == 2


def test_bucket_policy_with_prefix_and_several_trails_round_trips():
    policy = ct.bucket_policy("aws-us-gov", "logs", ACCOUNT, [TRAIL_2, TRAIL, TRAIL], "/org/")
    write = statements(policy)["AWSCloudTrailWrite"]
    assert write["Resource"] == f"arn:aws-us-gov:s3:::logs/org/AWSLogs/{ACCOUNT}/*"
    assert write["Condition"]["StringEquals"]["aws:SourceArn"] == sorted([TRAIL, TRAIL_2])
    assert ct.trails_in_policy(policy) == sorted([TRAIL, TRAIL_2])
    assert ct.prefix_in_policy(policy) == "org"
    assert ct.prefix_in_policy(ct.bucket_policy("aws", "logs", ACCOUNT, [TRAIL])) is None
    assert ct.trails_in_policy(None) == [] and ct.prefix_in_policy({"Statement": []}) is None


def test_bucket_policy_compares_equal_to_what_s3_returns():
    """S3 returns the policy with its own key order and a one-element list as a string: no change."""
    ours = ct.bucket_policy("aws", "logs", ACCOUNT, [TRAIL])
    returned = {"Version": "2012-10-17", "Statement": list(reversed(ours["Statement"]))}
    assert not compare_policies(returned, ours)
    assert compare_policies(returned, ct.bucket_policy("aws", "logs", ACCOUNT, [TRAIL, TRAIL_2]))


def test_key_policy_statements_are_scoped_and_merged_by_sid():
    stmts = ct.key_policy_statements("aws", ACCOUNT, [TRAIL])
    encrypt = stmts[0]
    assert encrypt["Action"] == "kms:GenerateDataKey*"
    assert encrypt["Condition"]["StringEquals"] == {"aws:SourceArn": TRAIL}
    assert encrypt["Condition"]["StringLike"] == {
        "kms:EncryptionContext:aws:cloudtrail:arn": f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/*"
    }
    default = {"Version": "2012-10-17", "Statement": [{"Sid": "Root", "Effect": "Allow", "Action": "kms:*"}]}
    merged = ct.merge_statements(default, stmts)
    assert [s["Sid"] for s in merged["Statement"]] == ["Root", ct.KEY_ENCRYPT_SID, ct.KEY_DESCRIBE_SID]
    again = ct.merge_statements(merged, ct.key_policy_statements("aws", ACCOUNT, [TRAIL]))
    assert not compare_policies(merged, again)
    assert default["Statement"] == [{"Sid": "Root", "Effect": "Allow", "Action": "kms:*"}]  # not modified


# ---------------------------------------------------------------- input checks


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("ab", "2 characters long"),
        ("a" * 64, "64 characters long"),
        ("Trail-Logs", "'T'"),
        ("trail_logs", "'_'"),
        ("-logs", "start and end"),
        ("my..logs", "'..'"),
        ("my.-logs", "'..', '.-' or '-.'"),
        ("192.168.5.4", "IP address"),
        ("xn--logs", "reserved prefix"),
        ("logs-s3alias", "reserved suffix"),
    ],
)
def test_bucket_name_errors(name, fragment):
    errors = s3_bucket.bucket_name_errors(name, "s3_bucket_name")
    assert errors and all(e.startswith("s3_bucket_name '") for e in errors)
    assert any(fragment in e for e in errors), errors


def test_good_bucket_names():
    for name in ("logs", "my-trail.logs-123456789012", "a1b"):
        assert s3_bucket.bucket_name_errors(name) == []


@pytest.mark.parametrize(
    ("arn", "ok"),
    [
        (KEY, True),
        (f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/mrk-{'a' * 32}", True),
        (f"arn:aws:kms:eu-west-1:{ACCOUNT}:alias/cloudtrail", False),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", False),
        (f"arn:aws:s3:::{ACCOUNT}", False),
    ],
)
def test_kms_key_arn_errors(arn, ok):
    errors = s3_bucket.kms_key_arn_errors(arn)
    assert (errors == []) is ok
    if not ok:
        assert "kms_key_arn" in errors[0] and "arn:aws:kms:REGION:ACCOUNT:key/KEY_ID" in errors[0]


def test_lifecycle_errors():
    assert s3_bucket.lifecycle_errors({"transition_days": 90, "expiration_days": 2557}) == []
    assert s3_bucket.lifecycle_errors({"transition_days": 0, "expiration_days": 10}) == []
    (error,) = s3_bucket.lifecycle_errors({"transition_days": 400, "expiration_days": 365})
    assert "lifecycle.transition_days (400) must be less than lifecycle.expiration_days (365)" in error
    (error,) = s3_bucket.lifecycle_errors({"transition_days": 10, "transition_storage_class": "STANDARD_IA"})
    assert "30 days" in error
    assert "lifecycle.expiration_days is -1" in s3_bucket.lifecycle_errors({"expiration_days": -1})[0]


@pytest.mark.parametrize(
    ("name", "ok"),
    [("management-events", True), ("a.b_c-d", True), ("ab", False), ("-trail", False), ("trail-", False),
     ("my--trail", False), ("my-_trail", False), ("trail name", False), ("10.0.0.1", False)],
)  # fmt: skip
def test_trail_name_errors(name, ok):
    assert (ct.trail_name_errors(name, "trails[0]") == []) is ok


def test_arn_checks():
    assert ct.trail_arn_errors(TRAIL, "trails[0]") == []
    assert "trails[1]" in ct.trail_arn_errors("arn:aws:cloudtrail:eu-west-1:1:trail/x", "trails[1]")[0]
    good_group = f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:cloudtrail"
    assert ct.log_group_arn_errors(good_group) == [] and ct.log_group_arn_errors(good_group + ":*") == []
    assert "log-group:LOG_GROUP_NAME:*" in ct.log_group_arn_errors("cloudtrail")[0]
    assert ct.normalise_log_group_arn(good_group) == good_group + ":*"
    assert ct.normalise_log_group_arn(good_group + ":*") == good_group + ":*"
    assert ct.role_arn_errors(f"arn:aws:iam::{ACCOUNT}:role/ct") == []
    assert "cloudwatch_logs.role_arn" in ct.role_arn_errors("ct")[0]


def test_selector_checks():
    basic = [{"data_resources": [{"type": "AWS::SNS::Topic", "values": []}]}] * 6
    errors = ct.event_selector_errors(basic)
    assert any("at most 5" in e for e in errors)
    assert any("event_selectors[0].data_resources[0].type 'AWS::SNS::Topic'" in e for e in errors)
    assert any("event_selectors[0].data_resources[0].values is empty" in e for e in errors)
    advanced = [
        {"name": "a", "field_selectors": [{"field": "eventName", "equals": ["x"]}]},
        {"name": "a", "field_selectors": [{"field": "eventCategory"}, {"field": "colour", "equals": ["x"]}]},
    ]
    errors = ct.advanced_selector_errors(advanced)
    assert any("advanced_event_selectors[0].field_selectors has no eventCategory" in e for e in errors)
    assert any("advanced_event_selectors[1].name 'a' is also" in e for e in errors)
    assert any("field_selectors[0] has no condition" in e for e in errors)
    assert any("field 'colour'" in e for e in errors)


# ---------------------------------------------------------------- selector shapes


def test_event_selectors_round_trip_with_defaults_and_sorting():
    declared = [{"data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3:::b/", "arn:aws:s3:::a/"]}]}]
    normal = ct.normalise_event_selectors(declared)
    assert normal == [
        {
            "read_write_type": "All",
            "include_management_events": True,
            "exclude_management_event_sources": [],
            "data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3:::a/", "arn:aws:s3:::b/"]}],
        }
    ]
    api = ct.event_selectors_to_api(declared)
    assert api[0]["ReadWriteType"] == "All" and "ExcludeManagementEventSources" not in api[0]
    assert not ct.selectors_differ(ct.event_selectors_from_api(api), normal)


def test_advanced_selectors_round_trip():
    declared = [
        {
            "name": "s3",
            "field_selectors": [
                {"field": "resources.type", "equals": ["AWS::S3::Object"]},
                {"field": "eventCategory", "equals": ["Data"], "starts_with": None},
            ],
        }
    ]
    api = ct.advanced_selectors_to_api(declared)
    assert api == [
        {
            "Name": "s3",
            "FieldSelectors": [
                {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                {"Field": "eventCategory", "Equals": ["Data"]},
            ],
        }
    ]
    assert ct.advanced_selectors_from_api(api) == ct.normalise_advanced_selectors(declared)
    assert [f["field"] for f in ct.advanced_selectors_from_api(api)[0]["field_selectors"]] == [
        "eventCategory",
        "resources.type",
    ]


# ---------------------------------------------------------------- bucket plan


def current_hardened():
    policy = ct.bucket_policy("aws", "logs", ACCOUNT, [TRAIL])
    rule = s3_bucket.lifecycle_rule("r", {"transition_days": 90, "expiration_days": 400})
    desired = s3_bucket.hardened_settings(KEY, policy, [rule], {"target_bucket": "access", "target_prefix": ""})
    current = dict(desired, tags={"a": "1"})
    # What S3 returns differs in spelling only.
    current["lifecycle_rules"] = [dict(rule, Filter={})]
    current["policy"] = {"Version": "2012-10-17", "Statement": list(reversed(policy["Statement"]))}
    current["object_lock"] = {}
    return current, desired


def test_plan_is_empty_when_the_bucket_matches():
    current, desired = current_hardened()
    assert s3_bucket.plan_changes(current, desired, {"a": 1}, True) == []
    assert s3_bucket.plan_changes(current, desired, None, True) == []


def test_plan_names_each_setting_that_differs_in_call_order():
    current, desired = current_hardened()
    current["public_access_block"] = dict(s3_bucket.PUBLIC_ACCESS_BLOCK_ALL, BlockPublicPolicy=False)
    current["encryption"] = {"sse_algorithm": "AES256", "bucket_key_enabled": False}
    current["policy"] = None
    steps = s3_bucket.plan_changes(current, desired, {"a": "1", "b": "2"}, True)
    assert [s[0] for s in steps] == ["public_access_block", "encryption", "policy", "tags"]
    assert steps[-1][2] == {"a": "1", "b": "2"}


def test_plan_for_a_new_bucket_sets_everything_but_empty_settings():
    _current, desired = current_hardened()
    desired["access_logging"] = None  # left alone
    steps = s3_bucket.plan_changes({}, desired, None, True)
    assert [s[0] for s in steps] == [
        "public_access_block",
        "object_ownership",
        "versioning",
        "encryption",
        "lifecycle_rules",
        "policy",
    ]


def test_lifecycle_shapes():
    assert s3_bucket.lifecycle_rule("r", {"transition_days": 0, "expiration_days": 0}) is None
    rule = s3_bucket.lifecycle_rule(
        "r", {"transition_days": 90, "transition_storage_class": "GLACIER", "expiration_days": 2557,
              "noncurrent_expiration_days": 90, "abort_incomplete_upload_days": 7}
    )  # fmt: skip
    assert rule["Transitions"] == [{"Days": 90, "StorageClass": "GLACIER"}]
    assert s3_bucket.lifecycle_from_rules([rule], "r")["abort_incomplete_upload_days"] == 7
    assert s3_bucket.lifecycle_from_rules([rule], "other") is None
