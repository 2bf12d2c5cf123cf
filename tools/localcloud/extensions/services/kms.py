"""KMS key deletion by key ARN.

moto 5.2.5 looks ScheduleKeyDeletion and CancelKeyDeletion keys up by key id only, so a key ARN (which AWS
accepts, and amazon.aws.kms_key sends) fails with an internal error. Here the ARN is resolved to the key id,
then moto does the rest.
"""

from __future__ import annotations

from typing import Any

from ..registry import AwsError, ExtensionRequest, action, validation_error


def _key_id(req: ExtensionRequest, backend: Any) -> str:
    req.require("KeyId")
    key_id = backend.any_id_to_key_id(req.params["KeyId"])  # moto's NotFoundException passes through
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
