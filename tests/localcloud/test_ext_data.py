"""The data tier's paths that moto 5.2.5 lacks or gets wrong: RDS resource ids and Performance Insights at
creation, parameter sources, EFS backup policies, AWS Backup selections, plan updates and tags."""

from __future__ import annotations

import http.client
import json
import urllib.parse

import pytest
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/backup"


def _instance(rds, name, **extra):
    return rds.create_db_instance(
        DBInstanceIdentifier=name,
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="app",
        ManageMasterUserPassword=True,
        **extra,
    )["DBInstance"]


def test_each_instance_has_its_own_resource_id_and_is_found_by_it(cloud):
    rds = cloud.client("rds")
    first, second = _instance(rds, "ids-a"), _instance(rds, "ids-b")
    assert first["DbiResourceId"] != second["DbiResourceId"]
    for created in (first, second):
        found = rds.describe_db_instances(Filters=[{"Name": "dbi-resource-id", "Values": [created["DbiResourceId"]]}])
        assert [d["DBInstanceIdentifier"] for d in found["DBInstances"]] == [created["DBInstanceIdentifier"]]


def test_performance_insights_settings_are_kept_at_creation(cloud):
    rds = cloud.client("rds")
    key = cloud.client("kms").create_key()["KeyMetadata"]["Arn"]
    _instance(
        rds,
        "pi-on",
        EnablePerformanceInsights=True,
        PerformanceInsightsKMSKeyId=key,
        PerformanceInsightsRetentionPeriod=62,
    )
    read = rds.describe_db_instances(DBInstanceIdentifier="pi-on")["DBInstances"][0]
    assert (read["PerformanceInsightsEnabled"], read["PerformanceInsightsKMSKeyId"]) == (True, key)
    assert read["PerformanceInsightsRetentionPeriod"] == 62
    default = _instance(rds, "pi-default", EnablePerformanceInsights=True)
    assert default["PerformanceInsightsRetentionPeriod"] == 7
    assert default["PerformanceInsightsKMSKeyId"].endswith(":alias/aws/rds")
    assert _instance(rds, "pi-off")["PerformanceInsightsEnabled"] is False


@pytest.mark.parametrize(
    ("settings", "code"),
    [
        ({"EnablePerformanceInsights": True, "PerformanceInsightsRetentionPeriod": 30}, "InvalidParameterValue"),
        ({"PerformanceInsightsRetentionPeriod": 7}, "InvalidParameterCombination"),
    ],
)
def test_bad_performance_insights_settings_are_refused_and_create_nothing(cloud, settings, code):
    rds = cloud.client("rds")
    with pytest.raises(ClientError) as err:
        _instance(rds, "pi-bad", **settings)
    assert err.value.response["Error"]["Code"] == code
    with pytest.raises(ClientError):
        rds.describe_db_instances(DBInstanceIdentifier="pi-bad")


def test_parameters_set_on_a_group_read_back_as_user_parameters(cloud):
    rds = cloud.client("rds")
    rds.create_db_parameter_group(DBParameterGroupName="tls", DBParameterGroupFamily="postgres16", Description="t")
    rds.modify_db_parameter_group(
        DBParameterGroupName="tls",
        Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}],
    )
    params = rds.describe_db_parameters(DBParameterGroupName="tls")["Parameters"]
    assert [(p["ParameterName"], p["ParameterValue"], p["Source"]) for p in params] == [("rds.force_ssl", "1", "user")]
    assert rds.describe_db_parameters(DBParameterGroupName="tls", Source="user")["Parameters"] == params
    assert rds.describe_db_parameters(DBParameterGroupName="tls", Source="engine-default")["Parameters"] == []
    with pytest.raises(ClientError) as err:
        rds.describe_db_parameters(DBParameterGroupName="nope")
    assert err.value.response["Error"]["Code"] == "DBParameterGroupNotFound"


def test_efs_backup_policy_can_be_turned_on_and_off(cloud):
    efs = cloud.client("efs")
    fs = efs.create_file_system(CreationToken="bp", Encrypted=True)["FileSystemId"]
    with pytest.raises(ClientError) as err:
        efs.describe_backup_policy(FileSystemId=fs)
    assert err.value.response["Error"]["Code"] == "PolicyNotFound"
    assert efs.put_backup_policy(FileSystemId=fs, BackupPolicy={"Status": "ENABLED"})["BackupPolicy"] == {
        "Status": "ENABLED"
    }
    assert efs.describe_backup_policy(FileSystemId=fs)["BackupPolicy"]["Status"] == "ENABLED"
    efs.put_backup_policy(FileSystemId=fs, BackupPolicy={"Status": "DISABLED"})
    assert efs.describe_backup_policy(FileSystemId=fs)["BackupPolicy"]["Status"] == "DISABLED"


def test_efs_backup_policy_errors(cloud):
    efs = cloud.client("efs")
    with pytest.raises(ClientError) as err:
        efs.put_backup_policy(FileSystemId="fs-00000000", BackupPolicy={"Status": "ENABLED"})
    assert err.value.response["Error"]["Code"] == "FileSystemNotFound"
    fs = efs.create_file_system(CreationToken="bp-bad")["FileSystemId"]
    with pytest.raises(ClientError) as err:
        efs.put_backup_policy(FileSystemId=fs, BackupPolicy={"Status": "ON"})
    assert err.value.response["Error"]["Code"] == "ValidationException"


@pytest.fixture
def plan(cloud):
    backup = cloud.client("backup")
    backup.create_backup_vault(BackupVaultName="vault-v")
    rule = {"RuleName": "daily", "TargetBackupVaultName": "vault-v", "ScheduleExpression": "cron(0 3 * * ? *)"}
    created = backup.create_backup_plan(BackupPlan={"BackupPlanName": "p", "Rules": [rule]}, BackupPlanTags={"a": "1"})
    yield backup, created
    for selection in backup.list_backup_selections(BackupPlanId=created["BackupPlanId"])["BackupSelectionsList"]:
        backup.delete_backup_selection(BackupPlanId=created["BackupPlanId"], SelectionId=selection["SelectionId"])
    backup.delete_backup_plan(BackupPlanId=created["BackupPlanId"])
    backup.delete_backup_vault(BackupVaultName="vault-v")


def test_backup_selection_lifecycle(plan):
    backup, created = plan
    plan_id = created["BackupPlanId"]
    resources = ["arn:aws:rds:us-east-1:123456789012:db:a", "arn:aws:elasticfilesystem:us-east-1:1:file-system/fs-1"]
    selection = {"SelectionName": "data", "IamRoleArn": ROLE, "Resources": resources}
    selection_id = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection)["SelectionId"]
    read = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    assert read["BackupSelection"]["Resources"] == resources and read["BackupSelection"]["IamRoleArn"] == ROLE
    listed = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    assert [s["SelectionName"] for s in listed] == ["data"]
    with pytest.raises(ClientError) as err:
        backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection)
    assert err.value.response["Error"]["Code"] == "AlreadyExistsException"
    with pytest.raises(ClientError) as err:
        backup.delete_backup_plan(BackupPlanId=plan_id)
    assert err.value.response["Error"]["Code"] == "InvalidRequestException"
    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    with pytest.raises(ClientError) as err:
        backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_backup_selection_needs_resources_and_a_role(plan):
    backup, created = plan
    for selection in (
        {"SelectionName": "empty", "IamRoleArn": ROLE},
        {"SelectionName": "norole", "IamRoleArn": "backup", "Resources": ["arn:aws:rds:us-east-1:1:db:a"]},
    ):
        with pytest.raises(ClientError) as err:
            backup.create_backup_selection(BackupPlanId=created["BackupPlanId"], BackupSelection=selection)
        assert err.value.response["Error"]["Code"] == "ValidationException"


def test_backup_plan_update_keeps_rule_ids_and_bumps_the_version(plan):
    backup, created = plan
    plan_id = created["BackupPlanId"]
    before = backup.get_backup_plan(BackupPlanId=plan_id)
    rule = {"RuleName": "daily", "TargetBackupVaultName": "vault-v", "Lifecycle": {"DeleteAfterDays": 14}}
    updated = backup.update_backup_plan(BackupPlanId=plan_id, BackupPlan={"BackupPlanName": "p", "Rules": [rule]})
    after = backup.get_backup_plan(BackupPlanId=plan_id)
    assert updated["VersionId"] != before["VersionId"] == created["VersionId"]
    assert after["BackupPlan"]["Rules"][0]["Lifecycle"] == {"DeleteAfterDays": 14}
    assert after["BackupPlan"]["Rules"][0]["RuleId"] == before["BackupPlan"]["Rules"][0]["RuleId"]


def test_backup_tags_are_listed_with_or_without_the_trailing_slash(cloud, plan):
    backup, created = plan
    arn = created["BackupPlanArn"]
    assert backup.list_tags(ResourceArn=arn)["Tags"] == {"a": "1"}
    # The Go SDK's form of the path (Terraform's provider): no trailing slash.
    endpoint = urllib.parse.urlparse(cloud.endpoint)
    conn = http.client.HTTPConnection(endpoint.hostname, endpoint.port, timeout=10)
    auth = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/backup/aws4_request, SignedHeaders=host, Signature=0"
    conn.request("GET", f"/tags/{arn}", headers={"Authorization": auth})
    assert json.loads(conn.getresponse().read())["Tags"] == {"a": "1"}


def test_efs_file_system_policy_can_be_deleted(cloud):
    efs = cloud.client("efs")
    fs = efs.create_file_system(CreationToken="policy")["FileSystemId"]
    policy = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*",'
        '"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}'
    )
    efs.put_file_system_policy(FileSystemId=fs, Policy=policy)
    efs.delete_file_system_policy(FileSystemId=fs)
    with pytest.raises(ClientError) as err:
        efs.describe_file_system_policy(FileSystemId=fs)
    assert err.value.response["Error"]["Code"] == "PolicyNotFound"
    efs.delete_file_system_policy(FileSystemId=fs)  # nothing left to delete: still no error
    with pytest.raises(ClientError) as err:
        efs.delete_file_system_policy(FileSystemId="fs-00000000")
    assert err.value.response["Error"]["Code"] == "FileSystemNotFound"


def test_a_deleted_plan_name_can_be_used_again_but_not_a_live_one(cloud):
    backup = cloud.client("backup")
    backup.create_backup_vault(BackupVaultName="again")
    plan = {"BackupPlanName": "again", "Rules": [{"RuleName": "r", "TargetBackupVaultName": "again"}]}
    first = backup.create_backup_plan(BackupPlan=plan, BackupPlanTags={"k": "v"})
    with pytest.raises(ClientError) as err:
        backup.create_backup_plan(BackupPlan=plan)
    assert err.value.response["Error"]["Code"] == "AlreadyExistsException"
    backup.delete_backup_plan(BackupPlanId=first["BackupPlanId"])
    second = backup.create_backup_plan(BackupPlan=plan)
    assert second["BackupPlanId"] != first["BackupPlanId"]
    assert backup.get_backup_plan(BackupPlanId=second["BackupPlanId"])["BackupPlan"]["BackupPlanName"] == "again"
    assert backup.list_tags(ResourceArn=first["BackupPlanArn"])["Tags"] == {"k": "v"}
    backup.delete_backup_plan(BackupPlanId=second["BackupPlanId"])


def test_recovery_points_of_a_vault_are_listed_and_an_unknown_vault_is_not_found(cloud):
    backup = cloud.client("backup")
    backup.create_backup_vault(BackupVaultName="points")
    assert backup.list_recovery_points_by_backup_vault(BackupVaultName="points")["RecoveryPoints"] == []
    with pytest.raises(ClientError) as err:
        backup.list_recovery_points_by_backup_vault(BackupVaultName="nope")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
    backup.delete_backup_vault(BackupVaultName="points")
