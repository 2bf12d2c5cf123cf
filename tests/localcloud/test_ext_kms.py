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
