"""KMS key deletion accepts a key ARN, as AWS does (moto alone answers 500)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


def test_schedule_and_cancel_deletion_by_key_arn(cloud):
    kms = cloud.client("kms")
    key = kms.create_key(Description="t")["KeyMetadata"]
    scheduled = kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=7)
    assert scheduled["KeyId"] == key["Arn"] and scheduled["KeyState"] == "PendingDeletion"
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert kms.cancel_key_deletion(KeyId=key["Arn"])["KeyId"] == key["Arn"]
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"


def test_deletion_window_outside_7_to_30_days_is_refused(cloud):
    kms = cloud.client("kms")
    key = kms.create_key(Description="t")["KeyMetadata"]
    with pytest.raises(ClientError) as err:
        kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=3)
    assert err.value.response["Error"]["Code"] == "ValidationException"


def test_unknown_key_is_not_found(cloud):
    with pytest.raises(ClientError) as err:
        cloud.client("kms").schedule_key_deletion(
            KeyId="arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
        )
    assert err.value.response["Error"]["Code"] == "NotFoundException"


@pytest.mark.parametrize("given", ["alias/aws/sns", "arn:aws:kms:us-east-1:123456789012:alias/aws/events"])
def test_describe_key_of_a_predefined_aws_alias_creates_the_aws_managed_key(cloud, given):
    # KMS API reference, DescribeKey: on a predefined AWS alias with no key yet, KMS creates an AWS managed key.
    kms = cloud.client("kms")
    first = kms.describe_key(KeyId=given)["KeyMetadata"]
    assert (first["KeyManager"], first["KeyState"]) == ("AWS", "Enabled")
    assert kms.describe_key(KeyId=given)["KeyMetadata"]["KeyId"] == first["KeyId"]


def test_describe_key_of_an_unknown_alias_is_not_found(cloud):
    with pytest.raises(ClientError) as err:
        cloud.client("kms").describe_key(KeyId="alias/no-such-alias")
    assert err.value.response["Error"]["Code"] == "NotFoundException"
