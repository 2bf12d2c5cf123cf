"""The data tier's posture controls (SCM.DATA.1-10, FSBP RDS.2/3/5/8/9/11, EFS.1/2, Backup.1) on plain data: each
drift the issue names (backup retention lowered, deletion protection off, instance made public, file system policy
loosened) fails its control, and a clean tier passes every one."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils import posture
from ansible_collections.securecloud.monitor.plugins.module_utils.posture import ReadError

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
FS_ARN = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1"
DECLARED = {"billing-db": {"identifier": "dev-billing-db", "multi_az": False}}
GOOD_DB = {
    "DBInstanceIdentifier": "dev-billing-db",
    "PubliclyAccessible": False,
    "StorageEncrypted": True,
    "KmsKeyId": KEY,
    "MultiAZ": False,
    "DeletionProtection": True,
    "EnabledCloudwatchLogsExports": ["postgresql", "upgrade"],
    "BackupRetentionPeriod": 7,
}
TLS_POLICY = {
    "Statement": [
        {
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]
}
FILE_SYSTEMS = {"data": {"id": "fs-1", "arn": FS_ARN}}
GOOD_FS = {"FileSystemId": "fs-1", "Encrypted": True, "KmsKeyId": KEY}


def statuses(results):
    return {(r["id"], r["status"]) for r in results}


def test_every_data_control_is_mapped_to_fsbp():
    fsbp = {cid: posture.CATALOG[cid]["mappings"]["fsbp"] for cid in posture.CATALOG if cid.startswith("SCM.DATA.")}
    assert fsbp["SCM.DATA.1"] == ["RDS.2"] and fsbp["SCM.DATA.2"] == ["RDS.3"] and fsbp["SCM.DATA.3"] == ["RDS.5"]
    assert fsbp["SCM.DATA.4"] == ["RDS.8"] and fsbp["SCM.DATA.5"] == ["RDS.9"] and fsbp["SCM.DATA.6"] == ["RDS.11"]
    assert fsbp["SCM.DATA.7"] == ["EFS.1"] and fsbp["SCM.DATA.8"] == ["EFS.2"] and fsbp["SCM.DATA.10"] == ["Backup.1"]


def test_a_clean_database_passes_every_control():
    results = posture.evaluate_databases("dev", DECLARED, {"dev-billing-db": GOOD_DB})
    assert statuses(results) == {(f"SCM.DATA.{n}", "passed") for n in range(1, 7)}


@pytest.mark.parametrize(
    ("drift", "control"),
    [
        ({"PubliclyAccessible": True}, "SCM.DATA.1"),
        ({"StorageEncrypted": False}, "SCM.DATA.2"),
        ({"DeletionProtection": False}, "SCM.DATA.4"),
        ({"EnabledCloudwatchLogsExports": ["upgrade"]}, "SCM.DATA.5"),
        ({"BackupRetentionPeriod": 1}, "SCM.DATA.6"),
        ({"BackupRetentionPeriod": 0}, "SCM.DATA.6"),
    ],
)
def test_each_database_drift_fails_its_control_only(drift, control):
    results = posture.evaluate_databases("dev", DECLARED, {"dev-billing-db": {**GOOD_DB, **drift}})
    failed = {r["id"] for r in results if r["status"] == "failed"}
    assert failed == {control}
    [result] = [r for r in results if r["id"] == control]
    assert (result["resource"] == "dev-billing-db" and "base" in result["detail"]) or "restore" in result["detail"]


def test_multi_az_is_required_only_where_declared():
    declared = {"billing-db": {"identifier": "dev-billing-db", "multi_az": True}}
    results = posture.evaluate_databases("dev", declared, {"dev-billing-db": GOOD_DB})
    assert ("SCM.DATA.3", "failed") in statuses(results)
    results = posture.evaluate_databases("dev", declared, {"dev-billing-db": {**GOOD_DB, "MultiAZ": True}})
    assert ("SCM.DATA.3", "passed") in statuses(results)


def test_a_missing_database_fails_and_a_read_error_errors():
    assert {s for _, s in statuses(posture.evaluate_databases("dev", DECLARED, {}))} == {"failed"}
    errored = posture.evaluate_databases("dev", DECLARED, ReadError(Exception("AccessDenied")))
    assert {s for _, s in statuses(errored)} == {"error"}
    assert {s for _, s in statuses(posture.evaluate_databases("dev", {}, None))} == {"passed"}


def test_a_clean_file_system_passes_and_each_drift_fails():
    clean = posture.evaluate_file_systems(
        "dev", FILE_SYSTEMS, {"fs-1": GOOD_FS}, {"fs-1": "ENABLED"}, {"fs-1": TLS_POLICY}, [FS_ARN]
    )
    assert statuses(clean) == {("SCM.DATA.7", "passed"), ("SCM.DATA.8", "passed"), ("SCM.DATA.9", "passed")}
    loosened = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*"}]}
    for policy in (loosened, None):
        results = posture.evaluate_file_systems(
            "dev", FILE_SYSTEMS, {"fs-1": GOOD_FS}, {"fs-1": "ENABLED"}, {"fs-1": policy}, [FS_ARN]
        )
        assert ("SCM.DATA.9", "failed") in statuses(results)
    unencrypted = posture.evaluate_file_systems(
        "dev", FILE_SYSTEMS, {"fs-1": {**GOOD_FS, "Encrypted": False}}, {"fs-1": "ENABLED"}, {"fs-1": TLS_POLICY}, []
    )
    assert ("SCM.DATA.7", "failed") in statuses(unencrypted)
    unplanned = posture.evaluate_file_systems(
        "dev", FILE_SYSTEMS, {"fs-1": GOOD_FS}, {"fs-1": "DISABLED"}, {"fs-1": TLS_POLICY}, []
    )
    assert ("SCM.DATA.8", "failed") in statuses(unplanned)


def test_the_backup_vault_must_use_a_customer_managed_key():
    backup = {"vault_name": "dev-data"}
    assert statuses(posture.evaluate_backup_vault("dev", backup, {"EncryptionKeyArn": KEY})) == {
        ("SCM.DATA.10", "passed")
    }
    aws_key = {"EncryptionKeyArn": "arn:aws:kms:us-east-1:123456789012:alias/aws/backup"}
    assert statuses(posture.evaluate_backup_vault("dev", backup, aws_key)) == {("SCM.DATA.10", "failed")}
    assert statuses(posture.evaluate_backup_vault("dev", backup, None)) == {("SCM.DATA.10", "failed")}
    assert statuses(posture.evaluate_backup_vault("dev", {}, None)) == {("SCM.DATA.10", "passed")}


def test_base_with_a_data_output_of_the_wrong_type_is_refused():
    errors = posture.validate_base({"vpc_id": "vpc-1", "databases": []}, ["SCM.DATA.1"])
    assert errors == ["base.databases must be a dict, got list."]
