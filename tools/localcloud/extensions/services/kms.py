"""KMS key deletion by key ARN, and DescribeKey of a predefined AWS alias.

moto 5.2.5 looks ScheduleKeyDeletion and CancelKeyDeletion keys up by key id only, so a key ARN (which AWS
accepts, and amazon.aws.kms_key sends) fails with an internal error. Here the ARN is resolved to the key id,
then moto does the rest. DescribeKey of an AWS managed key's alias (``alias/aws/sns``) that does not exist yet
creates the key, as AWS does; moto does that for a fixed list of aliases only.
"""

from __future__ import annotations

from typing import Any

from ..registry import AwsError, ExtensionRequest, action, validation_error


def _key_id(req: ExtensionRequest, backend: Any) -> str:
    req.require("KeyId")
    given = req.params["KeyId"]
    alias = backend.get_alias_name(given)
    if alias.startswith("alias/") and backend.get_key_id_from_alias(alias) is None:
        raise AwsError("NotFoundException", f"Alias {given} is not found.", status=400)
    key_id = backend.any_id_to_key_id(given)  # moto's NotFoundException passes through
    if key_id not in backend.keys:
        raise AwsError("NotFoundException", f"Key '{req.params['KeyId']}' does not exist", status=400)
    return key_id


@action("kms", "ScheduleKeyDeletion")
def schedule_key_deletion(req: ExtensionRequest) -> dict[str, Any]:
    backend = req.moto_backend("kms")
    key_id = _key_id(req, backend)
    window = req.params.get("PendingWindowInDays", 30)
    if not 7 <= window <= 30:
        raise validation_error(f"PendingWindowInDays must be between 7 and 30; got {window}.")
    backend.schedule_key_deletion(key_id, window)
    key = backend.keys[key_id]
    return {
        "KeyId": key.arn,
        "DeletionDate": key.deletion_date,
        "KeyState": key.key_state,
        "PendingWindowInDays": window,
    }


@action("kms", "CancelKeyDeletion")
def cancel_key_deletion(req: ExtensionRequest) -> dict[str, Any]:
    backend = req.moto_backend("kms")
    key_id = _key_id(req, backend)
    backend.cancel_key_deletion(key_id)
    return {"KeyId": backend.keys[key_id].arn}


# "If you call the DescribeKey operation on a predefined AWS alias, that is, an AWS alias with no key ID, KMS creates
# an AWS managed key" (KMS API reference, DescribeKey). moto knows a fixed list of such aliases, without alias/aws/sns.


@action("kms", "DescribeKey")
def describe_key(req: ExtensionRequest) -> dict[str, Any]:
    backend = req.moto_backend("kms")
    req.require("KeyId")
    alias = backend.get_alias_name(req.params["KeyId"])
    if alias.startswith("alias/aws/") and not backend.alias_exists(alias):
        key = backend.create_key(None, "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT", "Default key", None)
        key.key_manager = "AWS"
        backend.create_alias(key.id, alias)
    return backend.describe_key(_key_id(req, backend)).to_dict()
