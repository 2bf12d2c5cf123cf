"""plugins/filter/data_tier.py: the data-tier input of base_infra (storage per service, databases, backup) is
refused with a message naming the variable path, before Terraform runs; valid input gives no error."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.filter.data_tier import FilterModule, data_tier_errors

PG = {"image": "postgres:16-alpine", "port": 5432, "allowed_from": ["app"], "storage": "rds"}
MQ = {
    "image": "rabbitmq:3.13-alpine",
    "port": 5672,
    "writable_paths": ["/var/lib/rabbitmq", "/tmp"],
    "storage": "efs",
    "efs": {"path": "/var/lib/rabbitmq", "uid": 100, "gid": 101},
}
APP = {"image": "nginx:1.27-alpine", "port": 80}


def errors(services=None, databases=None, backup=None, az_count=2, region="us-east-1"):
    return data_tier_errors(services or {}, databases, backup, az_count, region)


def test_the_filter_is_registered():
    assert FilterModule().filters()["data_tier_errors"] is data_tier_errors


def test_valid_input_and_the_defaults_give_no_error():
    assert errors() == []
    assert errors({"app": APP, "db": PG, "mq": MQ}) == []
    assert (
        errors(
            {"db": {**PG, "database": {"engine_version": "16", "multi_az": True, "allocated_storage": 50}}},
            {"backup_retention_days": 14, "multi_az": True, "performance_insights_retention_days": 62},
            {"retention_days": 35, "vault_lock": {"min_retention_days": 7, "max_retention_days": 365}},
        )
        == []
    )
    assert errors({"scratch": {**MQ, "storage": "ephemeral", "efs": None}}) == []


BAD = [
    # (services, databases, backup, az_count, the variable path the message must name)
    ({"db": {**PG, "storage": "s3"}}, None, None, 2, "base_infra_services.db.storage"),
    ({"db": {**PG, "storage": None}}, None, None, 2, "base_infra_services.db.storage"),
    ({"mq": {**MQ, "writable_paths": []}}, None, None, 2, "base_infra_services.mq.writable_paths"),
    ({"mq": {**MQ, "efs": {"path": "/data"}}}, None, None, 2, "base_infra_services.mq.efs.path"),
    ({"mq": {**MQ, "efs": {"uid": -1}}}, None, None, 2, "base_infra_services.mq.efs.uid"),
    ({"mq": {**MQ, "efs": {"permissions": "rwx"}}}, None, None, 2, "base_infra_services.mq.efs.permissions"),
    ({"db": {**PG, "allowed_from": []}}, None, None, 2, "base_infra_services.db.allowed_from"),
    ({"db": {**PG, "nlb": "db"}}, None, None, 2, "base_infra_services.db"),
    (
        {"db": {**PG, "database": {"engine_version": "16.3"}}},
        None,
        None,
        2,
        "base_infra_services.db.database.engine_version",
    ),
    (
        {"db": {**PG, "database": {"allocated_storage": 5}}},
        None,
        None,
        2,
        "base_infra_services.db.database.allocated_storage",
    ),
    ({"db": {**PG, "database": {"multi_az": True}}}, None, None, 1, "base_infra_services.db.database.multi_az"),
    ({"db": {**PG, "database": {"multiaz": True}}}, None, None, 2, "base_infra_services.db.database.multiaz"),
    (
        {"app": {**APP, "database": {"instance_class": "db.t4g.micro"}}},
        None,
        None,
        2,
        "base_infra_services.app.database",
    ),
    ({"mq": {**MQ, "storage": "rds", "allowed_from": ["x"]}}, None, None, 2, "base_infra_services.mq.efs"),
    ({}, {"backup_retention_days": 0}, None, 2, "base_infra_databases.backup_retention_days"),
    ({}, {"backup_retention_days": 40}, None, 2, "base_infra_databases.backup_retention_days"),
    ({}, {"multi_az": True}, None, 1, "base_infra_databases.multi_az"),
    ({}, {"backup_window": "2am"}, None, 2, "base_infra_databases.backup_window"),
    ({}, {"maintenance_window": "04:00-05:00"}, None, 2, "base_infra_databases.maintenance_window"),
    (
        {},
        {"performance_insights_retention_days": 30},
        None,
        2,
        "base_infra_databases.performance_insights_retention_days",
    ),
    ({}, {"log_exports": ["upgrade"]}, None, 2, "base_infra_databases.log_exports"),
    ({}, {"deletion_protection": "no"}, None, 2, "base_infra_databases.deletion_protection"),
    ({}, None, {"retention_days": 1}, 2, "base_infra_backup.retention_days"),
    ({}, None, {"schedule": "daily"}, 2, "base_infra_backup.schedule"),
    (
        {},
        None,
        {"start_window_minutes": 60, "completion_window_minutes": 90},
        2,
        "base_infra_backup.completion_window_minutes",
    ),
    ({}, None, {"vault_lock": {"min_retention_days": 90}}, 2, "base_infra_backup.vault_lock.min_retention_days"),
    (
        {},
        None,
        {"vault_lock": {"min_retention_days": 7, "changeable_for_days": 1}},
        2,
        "base_infra_backup.vault_lock.changeable_for_days",
    ),
    ({}, None, {"vault_lock": {}}, 2, "base_infra_backup.vault_lock"),
    ({}, None, {"copy_region": "us-east-1"}, 2, "base_infra_backup.copy_region"),
    ({}, None, {"copy_region": "europe"}, 2, "base_infra_backup.copy_region"),
    ({}, None, {"retention": 35}, 2, "base_infra_backup.retention"),
]


@pytest.mark.parametrize(("services", "databases", "backup", "az_count", "field"), BAD, ids=[b[-1] for b in BAD])
def test_bad_input_names_the_variable_path(services, databases, backup, az_count, field):
    found = errors(services, databases, backup, az_count)
    assert found, f"{field} was accepted"
    assert any(field in message for message in found), found


def test_a_database_image_without_storage_is_refused_whatever_its_registry():
    for image in ("public.ecr.aws/docker/library/postgres:16-alpine", "rabbitmq:3.13", "mysql@sha256:" + "a" * 64):
        assert errors({"x": {"image": image, "port": 1}}), image
    assert errors({"x": {"image": "postgres-exporter:1", "port": 1}}) == []


def test_every_problem_is_reported_at_once():
    found = errors({"db": {**PG, "storage": "disk"}, "mq": {**MQ, "writable_paths": []}}, {"backup_retention_days": 0})
    assert len(found) == 3
