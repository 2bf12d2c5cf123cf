"""EFS backup policies: PutBackupPolicy, which moto 5.2.5 lacks, and DescribeBackupPolicy after it; and
DeleteFileSystemPolicy, which it lacks too (Terraform deletes the policy when the file system or the
principals it names go).

moto keeps only whether a file system was created with automatic backups (``Backup=true``). AWS also lets
PutBackupPolicy turn them on or off later, and then DescribeBackupPolicy reports the status that was put,
DISABLED included (moto answers PolicyNotFound for anything but a creation-time ENABLED). The status put is
kept per file system here (``req.store['backup_policies']``) and written through to moto's file system, so
that moto's own answers agree.
"""

from __future__ import annotations

from typing import Any

from ..registry import AwsError, ExtensionRequest, action, validation_error

STATUSES = ("ENABLED", "DISABLED")


def _file_system(req: ExtensionRequest) -> Any:
    req.require("FileSystemId")
    fs_id = req.params["FileSystemId"]
    found = req.moto_backend("efs").file_systems_by_id.get(fs_id)
    if found is None:
        raise AwsError("FileSystemNotFound", f"File system '{fs_id}' does not exist.", status=404)
    return found


def _policies(req: ExtensionRequest) -> dict[str, str]:
    return req.store.setdefault("backup_policies", {})


@action("efs", "PutBackupPolicy")
def put_backup_policy(req: ExtensionRequest) -> dict[str, Any]:
    fs = _file_system(req)
    req.require("BackupPolicy")
    status = (req.params["BackupPolicy"] or {}).get("Status")
    if status not in STATUSES:
        raise validation_error(
            f"1 validation error detected: Value '{status}' at 'backupPolicy.status' failed to satisfy constraint: "
            "Member must satisfy enum value set: [ENABLED, DISABLED]"
        )
    _policies(req)[fs.file_system_id] = status
    fs._backup = status == "ENABLED"
    return {"BackupPolicy": {"Status": status}}


@action("efs", "DescribeBackupPolicy")
def describe_backup_policy(req: ExtensionRequest) -> dict[str, Any]:
    fs = _file_system(req)
    status = _policies(req).get(fs.file_system_id) or ("ENABLED" if fs._backup else None)
    if status is None:
        raise AwsError("PolicyNotFound", "None", status=404)
    return {"BackupPolicy": {"Status": status}}


@action("efs", "DeleteFileSystemPolicy")
def delete_file_system_policy(req: ExtensionRequest) -> dict[str, Any]:
    """Back to the default policy (DescribeFileSystemPolicy then answers PolicyNotFound); idempotent, as on AWS."""
    _file_system(req).file_system_policy = None
    return {}
