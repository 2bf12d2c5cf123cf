"""s3_hardened_bucket: the settings requests checked against the S3 model, S3's rules the model lacks (bucket tags,
the 20 KB bucket policy), before any write (issue 20). Enum values are read from botocore's model."""

from __future__ import annotations

import botocore.session
from ansible_collections.securecloud.monitor.plugins.module_utils import s3_bucket
from ansible_collections.securecloud.monitor.plugins.modules import s3_hardened_bucket as module

S3 = botocore.session.get_session().get_service_model("s3")
STORAGE_CLASSES = S3.shape_for("TransitionStorageClass").enum
NAME = "artifacts-dev"
KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def desired(statements=(), **lifecycle):
    rule = s3_bucket.lifecycle_rule(module.LIFECYCLE_RULE_ID, lifecycle)
    return s3_bucket.hardened_settings(
        kms_key_arn=KEY,
        policy=module.bucket_policy("aws", NAME, list(statements)),
        lifecycle_rules=[rule] if rule else [],
        access_logging={"target_bucket": "access-logs", "target_prefix": f"{NAME}/"},
    )


def statement(index, bucket=NAME):
    """A read grant of about 250 bytes: some 80 of them fill S3's 20 KB bucket policy."""
    return {
        "Sid": f"ReadForRole{index}",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::123456789012:role/reader-{index:04d}"},
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
    }


def test_valid_settings_have_no_errors():
    assert s3_bucket.settings_model_errors(S3, NAME, desired([statement(0)], transition_days=30)) == []


def test_a_storage_class_s3_does_not_know_names_the_lifecycle_option():
    (error,) = s3_bucket.settings_model_errors(S3, NAME, desired(transition_days=30, transition_storage_class="COLD"))
    assert error.startswith("lifecycle.transitions[0].storage_class 'COLD' is not a value AWS accepts")
    assert all(value in error for value in STORAGE_CLASSES)


def test_a_policy_over_s3s_size_limit_names_policy_statements():
    (error,) = s3_bucket.settings_model_errors(S3, NAME, desired([statement(i) for i in range(100)]))
    assert error.startswith("policy_statements makes a bucket policy of ")
    assert f"at most {20 * 1024} bytes" in error


def test_tags_s3_refuses_are_input_errors():
    params = {"name": NAME, "state": "present", "policy_statements": [], "tags": {"aws:team": "x", "ok": "v" * 257}}
    errors = module.validate(params)
    assert "tags key 'aws:team' is not one S3 takes: give 1 to 128 characters, not starting with aws:." in errors
    assert "tags.ok has 257 characters: give at most 256." in errors
