"""Bad role input fails with a message that names the field, before Terraform
makes any call to the cloud (checked with the emulator's request recorder)."""

from __future__ import annotations

import json

import pytest

from tools.harness import recorder
from tools.harness.playbook import run_playbook

CASES = [
    ({"base_infra_environment": "Prod_1"}, "base_infra_environment"),
    ({"base_infra_environment": "ab"}, "base_infra_environment"),
    ({"base_infra_environment": "prod-"}, "base_infra_environment"),
    ({"securecloud_aws_region": "europe"}, "securecloud_aws_region"),
    ({"base_infra_nat_gateway_mode": "two"}, "base_infra_nat_gateway_mode"),
    ({"base_infra_state": "gone"}, "base_infra_state"),
    ({"base_infra_az_count": 1}, "base_infra_az_count"),
    ({"base_infra_terraform_gogc": -1}, "base_infra_terraform_gogc"),
    ({"base_infra_backend": "gcs"}, "base_infra_backend"),
    ({"base_infra_backend": "s3", "base_infra_backend_config": {"bucket": "b"}}, "base_infra_backend_config"),
    ({"base_infra_terraform_src": "/nonexistent"}, "base_infra_terraform_src"),
    ({"base_infra_log_retention_days": "a year"}, "base_infra_log_retention_days"),
    # The edge (CloudFront, Route 53, origin secret): argument_specs, then the role's filter.
    ({"base_infra_edge_price_class": "PriceClass_300"}, "base_infra_edge_price_class"),
    ({"base_infra_edge_origin_secret_length": 8}, "base_infra_edge_origin_secret_length"),
    (
        {"base_infra_edge_geo_restriction": {"type": "whitelist", "locations": ["Germany"]}},
        "base_infra_edge_geo_restriction.locations",
    ),
    (
        {"base_infra_domain_name": "api.example.com", "base_infra_edge_route53_zone_create": False},
        "base_infra_route53_zone_id",
    ),
    # The data tier (plugins/filter/data_tier.py; tests/unit/plugins/filter/test_data_tier.py has every case).
    ({"base_infra_databases": {"backup_retention_days": 0}}, "base_infra_databases.backup_retention_days"),
    (
        {
            "base_infra_services": {"mq": {"image": "rabbitmq:3.13-alpine", "port": 5672, "storage": "efs"}},
            "base_infra_edge_cloudfront_enabled": False,  # a map without an edge service: no edge to check
        },
        "base_infra_services.mq.writable_paths",
    ),
    (
        {
            "base_infra_services": {"db": {"image": "postgres:16", "port": 5432, "storage": "disk"}},
            "base_infra_edge_cloudfront_enabled": False,
        },
        "base_infra_services.db.storage",
    ),
    ({"base_infra_backup": {"copy_region": "us-east-1"}}, "base_infra_backup.copy_region"),
]


@pytest.mark.parametrize(("extra_vars", "field"), CASES, ids=[field for _, field in CASES])
def test_bad_input_names_the_field_and_calls_nothing(cloud, tmp_path, extra_vars, field):
    recorder.start(cloud.endpoint)
    run = run_playbook(
        "playbooks/base.yml", endpoint=cloud.endpoint, work_dir=tmp_path, args=["-e", json.dumps(extra_vars)]
    )
    calls = recorder.stop(cloud.endpoint)

    assert run.returncode != 0
    messages = " ".join(run.failures())
    assert field in messages, messages
    assert [c for c in calls if c.mutating] == []
    assert calls == [], "Terraform must not even read before the input is valid"
