# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the base layer's data-tier input (storage of stateful services, databases, backup).

Pure functions, no AWS calls: base_infra's validate.yml fails with these messages before Terraform runs, so a
bad value never reaches a plan, let alone the cloud. Terraform's own variable validations say the same for
users of the stack without Ansible.
"""

from __future__ import annotations

import re
from typing import Any

STORAGE_KINDS = ("rds", "efs", "ephemeral")
STATEFUL_IMAGE = re.compile(r"(^|/)(postgres|postgresql|mysql|mariadb|rabbitmq|redis|mongo|mongodb)(:|@|$)")
BACKUP_WINDOW = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
MAINTENANCE_WINDOW = re.compile(
    r"^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$"
)
SCHEDULE = re.compile(r"^(cron|rate)\(.+\)$")
REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$")
LOG_EXPORTS = ("postgresql", "upgrade", "iam-db-auth-error")
DATABASE_KEYS = ("engine_version", "instance_class", "allocated_storage", "max_allocated_storage", "multi_az")
EFS_KEYS = ("path", "uid", "gid", "permissions")
DATABASES_KEYS = (
    "backup_retention_days",
    "backup_window",
    "maintenance_window",
    "deletion_protection",
    "multi_az",
    "performance_insights_retention_days",
    "apply_immediately",
    "log_exports",
)
BACKUP_KEYS = (
    "enabled",
    "schedule",
    "start_window_minutes",
    "completion_window_minutes",
    "retention_days",
    "vault_lock",
    "copy_region",
    "copy_retention_days",
)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _unknown_keys(given: dict, known: tuple[str, ...], path: str) -> list[str]:
    return [
        f"{path}.{key} is not a setting; use one of: {', '.join(known)}." for key in sorted(set(given) - set(known))
    ]


def _service_errors(name: str, svc: Any, az_count: int) -> list[str]:
    path = f"base_infra_services.{name}"
    if not isinstance(svc, dict):
        return [f"{path} must be a mapping (image, port, ...)."]
    errors: list[str] = []
    storage = svc.get("storage")
    image = str(svc.get("image", ""))
    writable = svc.get("writable_paths") or []
    if storage is None:
        if STATEFUL_IMAGE.search(image):
            errors.append(
                f"{path}.storage is not set but {image} is a database or broker image: set it to rds, efs, or "
                "ephemeral (the data is lost whenever the task is replaced)."
            )
        for key in ("database", "efs"):
            if svc.get(key):
                errors.append(
                    f"{path}.{key} is set but {path}.storage is not; "
                    f"set storage to {'rds' if key == 'database' else key}."
                )
        return errors
    if storage not in STORAGE_KINDS:
        return [
            f"{path}.storage must be one of {', '.join(STORAGE_KINDS)} (got {storage!r}); "
            "leave it unset for a stateless service."
        ]
    database = svc.get("database") or {}
    efs = svc.get("efs") or {}
    if storage != "rds" and database:
        errors.append(f"{path}.database applies to storage rds only (storage is {storage}); remove it.")
    if storage != "efs" and efs:
        errors.append(f"{path}.efs applies to storage efs only (storage is {storage}); remove it.")
    if storage == "rds":
        if svc.get("nlb") or svc.get("edge"):
            errors.append(f"{path}: a storage rds service is an RDS instance reached directly; remove nlb and edge.")
        if not svc.get("allowed_from"):
            errors.append(f"{path}.allowed_from must name the services that connect to the database (storage rds).")
        if not isinstance(database, dict):
            return [*errors, f"{path}.database must be a mapping ({', '.join(DATABASE_KEYS)})."]
        errors += _unknown_keys(database, DATABASE_KEYS, f"{path}.database")
        version = database.get("engine_version", "16")
        if not re.fullmatch(r"\d{2}", str(version)):
            errors.append(
                f"{path}.database.engine_version must be a PostgreSQL major version such as '16' (got {version!r})."
            )
        allocated = database.get("allocated_storage", 20)
        maximum = database.get("max_allocated_storage", 100)
        if not _whole(allocated) or not 20 <= allocated <= 65536:
            errors.append(f"{path}.database.allocated_storage must be 20-65536 GiB (got {allocated!r}).")
        elif not _whole(maximum) or maximum < allocated:
            errors.append(
                f"{path}.database.max_allocated_storage must be at least allocated_storage ({allocated}) "
                f"(got {maximum!r})."
            )
        klass = database.get("instance_class", "db.t4g.micro")
        if not re.fullmatch(r"db\.[a-z0-9-]+\.[a-z0-9]+", str(klass)):
            errors.append(
                f"{path}.database.instance_class must be an RDS instance class such as db.t4g.micro (got {klass!r})."
            )
        if database.get("multi_az") and az_count < 2:
            errors.append(
                f"{path}.database.multi_az needs subnets in two zones: raise base_infra_az_count to 2 or more."
            )
    if storage == "efs":
        if not isinstance(efs, dict):
            return [*errors, f"{path}.efs must be a mapping ({', '.join(EFS_KEYS)})."]
        errors += _unknown_keys(efs, EFS_KEYS, f"{path}.efs")
        if not writable:
            errors.append(
                f"{path}.writable_paths is empty: a storage efs service keeps one writable container path on EFS; "
                "add it to writable_paths (and efs.path)."
            )
        elif efs.get("path") is not None and efs["path"] not in writable:
            errors.append(
                f"{path}.efs.path ({efs['path']}) must be one of {path}.writable_paths ({', '.join(writable)})."
            )
        for key in ("uid", "gid"):
            if key in efs and (not _whole(efs[key]) or efs[key] < 0):
                errors.append(f"{path}.efs.{key} must be a whole number >= 0 (got {efs[key]!r}).")
        if "permissions" in efs and not re.fullmatch(r"0?[0-7]{3}", str(efs["permissions"])):
            errors.append(f"{path}.efs.permissions must be an octal mode such as '0750' (got {efs['permissions']!r}).")
    return errors


def _databases_errors(databases: dict, az_count: int) -> list[str]:
    path = "base_infra_databases"
    errors = _unknown_keys(databases, DATABASES_KEYS, path)
    retention = databases.get("backup_retention_days", 7)
    if not _whole(retention) or not 7 <= retention <= 35:
        errors.append(
            f"{path}.backup_retention_days must be 7-35 days (got {retention!r}): point-in-time recovery needs "
            "automated backups, and FSBP RDS.11 asks for at least 7."
        )
    window = databases.get("backup_window", "02:00-03:00")
    if not BACKUP_WINDOW.fullmatch(str(window)):
        errors.append(f"{path}.backup_window must look like 02:00-03:00 (UTC) (got {window!r}).")
    maintenance = databases.get("maintenance_window", "sun:04:00-sun:05:00")
    if not MAINTENANCE_WINDOW.fullmatch(str(maintenance)):
        errors.append(f"{path}.maintenance_window must look like sun:04:00-sun:05:00 (UTC) (got {maintenance!r}).")
    pi_days = databases.get("performance_insights_retention_days", 7)
    if not _whole(pi_days) or not (pi_days == 7 or (pi_days % 31 == 0 and 0 < pi_days <= 731)):
        errors.append(
            f"{path}.performance_insights_retention_days must be 7 or a multiple of 31 up to 731 (got {pi_days!r})."
        )
    exports = databases.get("log_exports", ["postgresql", "upgrade"])
    if not isinstance(exports, list) or "postgresql" not in exports or any(e not in LOG_EXPORTS for e in exports):
        errors.append(
            f"{path}.log_exports must include postgresql and may add upgrade, iam-db-auth-error (got {exports!r})."
        )
    if databases.get("multi_az") and az_count < 2:
        errors.append(f"{path}.multi_az needs subnets in two zones: raise base_infra_az_count to 2 or more.")
    for key in ("deletion_protection", "multi_az", "apply_immediately"):
        if key in databases and not isinstance(databases[key], bool):
            errors.append(f"{path}.{key} must be true or false (got {databases[key]!r}).")
    return errors


def _backup_errors(backup: dict, region: str | None) -> list[str]:
    path = "base_infra_backup"
    errors = _unknown_keys(backup, BACKUP_KEYS, path)
    retention = backup.get("retention_days", 35)
    if not _whole(retention) or retention < 7:
        errors.append(f"{path}.retention_days must be a whole number of days, at least 7 (got {retention!r}).")
        retention = 7
    schedule = backup.get("schedule", "cron(0 3 * * ? *)")
    if not SCHEDULE.fullmatch(str(schedule)):
        errors.append(
            f"{path}.schedule must be a cron(...) or rate(...) expression such as 'cron(0 3 * * ? *)' "
            f"(got {schedule!r})."
        )
    start = backup.get("start_window_minutes", 60)
    completion = backup.get("completion_window_minutes", 360)
    if not _whole(start) or start < 60:
        errors.append(f"{path}.start_window_minutes must be at least 60 (got {start!r}).")
    elif not _whole(completion) or completion < start + 60:
        errors.append(
            f"{path}.completion_window_minutes must be at least start_window_minutes + 60 ({start + 60}) "
            f"(got {completion!r})."
        )
    lock = backup.get("vault_lock")
    if lock is not None:
        if not isinstance(lock, dict) or "min_retention_days" not in lock:
            errors.append(
                f"{path}.vault_lock needs min_retention_days (and may set max_retention_days, changeable_for_days)."
            )
        else:
            low = lock["min_retention_days"]
            high = lock.get("max_retention_days")
            if not _whole(low) or not 1 <= low <= retention:
                errors.append(
                    f"{path}.vault_lock.min_retention_days must be 1 to retention_days ({retention}) (got {low!r})."
                )
            if high is not None and (not _whole(high) or high < retention):
                errors.append(
                    f"{path}.vault_lock.max_retention_days must be at least retention_days ({retention}) "
                    f"(got {high!r})."
                )
            grace = lock.get("changeable_for_days", 3)
            if not _whole(grace) or grace < 3:
                errors.append(
                    f"{path}.vault_lock.changeable_for_days must be at least 3, AWS's minimum grace time "
                    f"(got {grace!r})."
                )
    copy = backup.get("copy_region")
    if copy is not None:
        if not REGION.fullmatch(str(copy)):
            errors.append(f"{path}.copy_region must be a region name such as eu-west-1 (got {copy!r}).")
        elif copy == region:
            errors.append(
                f"{path}.copy_region must differ from the environment's region ({region}): "
                "a copy in the same region survives nothing."
            )
    copy_days = backup.get("copy_retention_days")
    if copy_days is not None and (not _whole(copy_days) or copy_days < 7):
        errors.append(f"{path}.copy_retention_days must be at least 7 (got {copy_days!r}).")
    return errors


def data_tier_errors(
    services: Any, databases: Any = None, backup: Any = None, az_count: Any = 2, region: str | None = None
) -> list[str]:
    """Every problem of the data-tier input, each naming the variable path and the fix."""
    az = int(az_count) if str(az_count).isdigit() else 2
    errors: list[str] = []
    if services and not isinstance(services, dict):
        errors.append("base_infra_services must be a mapping of service name to settings.")
    else:
        for name in sorted(services or {}):
            errors += _service_errors(name, services[name], az)
    if databases is not None and not isinstance(databases, dict):
        errors.append("base_infra_databases must be a mapping (backup_retention_days, multi_az, ...).")
    else:
        errors += _databases_errors(databases or {}, az)
    if backup is not None and not isinstance(backup, dict):
        errors.append("base_infra_backup must be a mapping (schedule, retention_days, ...).")
    else:
        errors += _backup_errors(backup or {}, region)
    return errors


def data_tier_database_line(database: dict) -> str:
    """One database of ``base.databases`` for the summary: where it is and how it is protected."""
    return (
        f"{database.get('identifier')} at {database.get('address')}"
        f" ({'Multi-AZ' if database.get('multi_az') else 'single-AZ'}, encrypted, TLS only,"
        f" backups {database.get('backup_retention_days')} days,"
        f" deletion protection {'on' if database.get('deletion_protection') else 'OFF'};"
        f" password in {database.get('secret_arn')})"
    )


class FilterModule:
    def filters(self) -> dict[str, Any]:
        return {"data_tier_errors": data_tier_errors, "data_tier_database_line": data_tier_database_line}
