"""plugins/module_utils/arns.py: whole-value ARN checks on amazon.aws's parse_aws_arn/validate_aws_arn."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import (
    is_arn,
    is_kms_alias_arn,
    is_kms_key_arn,
    role_name,
)

ACCOUNT = "123456789012"
KEY = "1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize(
    "value, expected",
    [
        (f"arn:aws:sns:eu-west-1:{ACCOUNT}:alerts", True),
        (f"arn:aws-us-gov:sns:us-gov-west-1:{ACCOUNT}:alerts", True),
        (f"arn:aws:sqs:eu-west-1:{ACCOUNT}:alerts", False),  # another service
        (f"arn:aws:sns::{ACCOUNT}:alerts", False),  # no region
        ("arn:aws:sns:eu-west-1:1234:alerts", False),  # not a 12-digit account
        (f"see arn:aws:sns:eu-west-1:{ACCOUNT}:alerts", False),  # an ARN inside a longer string
        ("alerts", False),
        (None, False),
    ],
)
def test_an_arn_is_the_whole_value_with_its_service_region_and_account(value, expected):
    assert is_arn(value, "sns") is expected


def test_resource_type_and_id_narrow_the_arn():
    group = f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/aws/app"
    assert is_arn(group, "logs", "log-group")
    assert not is_arn(group, "logs", "destination")
    assert is_arn(group, "logs", "log-group", r"[A-Za-z0-9_./#-]{1,512}(:\*)?")
    assert not is_arn(group, "logs", "log-group", r"[a-z]+")


def test_global_and_accountless_arns():
    assert is_arn("arn:aws:s3:::bucket/key", "s3", regional=False, in_account=False)
    assert not is_arn("arn:aws:s3:::bucket/key", "s3")


@pytest.mark.parametrize(
    "value, key, alias",
    [
        (f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/{KEY}", True, False),
        (f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/mrk-{'0123456789abcdef' * 2}", True, False),
        (f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/not-a-key", False, False),
        (f"arn:aws:kms:eu-west-1:{ACCOUNT}:alias/team/logs", False, True),
        (f"arn:aws:kms:eu-west-1:{ACCOUNT}:alias/bad alias", False, False),
        (f"arn:aws:s3:::{KEY}", False, False),
        (KEY, False, False),
    ],
)
def test_kms_key_and_alias_arns(value, key, alias):
    assert (is_kms_key_arn(value), is_kms_alias_arn(value)) == (key, alias)


@pytest.mark.parametrize(
    "value, name",
    [
        (f"arn:aws:iam::{ACCOUNT}:role/deploy", "deploy"),
        (f"arn:aws:iam::{ACCOUNT}:role/service-role/codebuild-dev", "codebuild-dev"),
        (f"arn:aws:iam::{ACCOUNT}:user/deploy", None),
        (f"arn:aws:iam:eu-west-1:{ACCOUNT}:role/deploy", None),  # IAM ARNs have no region
        (f"arn:aws:iam::{ACCOUNT}:role/bad name", None),
        ("deploy", None),
    ],
)
def test_role_name_from_a_role_arn(value, name):
    assert role_name(value) == name
