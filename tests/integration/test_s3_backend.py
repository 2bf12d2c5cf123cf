"""The base layer with its state in S3 and S3-native locking (base_infra_backend: s3), as on a real
account, against a local cloud of this file's own: state lands in the bucket and nowhere else, a held
lock stops a second run, and teardown empties the state.

The tests of this module run in order and share one local cloud.
"""

from __future__ import annotations

import json

import pytest

from tests.integration.conftest import ENVIRONMENT
from tools.harness import recorder
from tools.harness.playbook import run_playbook

pytestmark = pytest.mark.slow

BUCKET = "securecloud-tfstate"
KEY = f"environments/{ENVIRONMENT}/base.tfstate"
LOCK = f"{KEY}.tflock"


def backend_vars(cloud, **extra) -> list[str]:
    config = {
        "bucket": BUCKET,
        "key": KEY,
        "region": "us-east-1",
        "encrypt": True,
        "use_lockfile": True,
        # Only for the local cloud; a real account needs none of these.
        "endpoints": {"s3": cloud.endpoint},
        "use_path_style": True,
        "skip_credentials_validation": True,
        "skip_requesting_account_id": True,
        "skip_metadata_api_check": True,
    }
    return ["-e", json.dumps({"base_infra_backend": "s3", "base_infra_backend_config": config, **extra})]


@pytest.fixture(scope="module")
def s3(module_cloud):
    client = module_cloud.client("s3")
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    return client


def state_in_bucket(s3) -> dict:
    return json.loads(s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read())


def keys(s3) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_apply_keeps_state_in_the_bucket_only(module_cloud, s3, work_dir):
    run = run_playbook(
        "playbooks/base.yml", endpoint=module_cloud.endpoint, work_dir=work_dir, args=backend_vars(module_cloud)
    )

    assert run.returncode == 0, run.explain()
    types = {resource["type"] for resource in state_in_bucket(s3)["resources"]}
    assert {"aws_vpc", "aws_ecs_cluster", "aws_ecs_service", "aws_lb", "aws_api_gateway_stage"} <= types
    assert keys(s3) == [KEY], "the lock file must be gone after the run"
    # .terraform/terraform.tfstate is Terraform's record of the backend settings, not state.
    assert [p for p in work_dir.rglob("*.tfstate") if ".terraform" not in p.parts] == []


def test_rerun_changes_nothing(module_cloud, s3, work_dir):
    run = run_playbook(
        "playbooks/base.yml", endpoint=module_cloud.endpoint, work_dir=work_dir, args=backend_vars(module_cloud)
    )

    assert run.returncode == 0, run.explain()
    assert run.changed_tasks() == []


def test_a_held_lock_stops_a_second_run_before_any_change(module_cloud, s3, work_dir):
    s3.put_object(Bucket=BUCKET, Key=LOCK, Body=json.dumps({"ID": "held-by-test", "Operation": "OperationTypeApply"}))
    recorder.start(module_cloud.endpoint)
    try:
        run = run_playbook(
            "playbooks/base.yml",
            endpoint=module_cloud.endpoint,
            work_dir=work_dir,
            args=backend_vars(module_cloud, base_infra_lock_timeout=2),
        )
    finally:
        calls = recorder.stop(module_cloud.endpoint)
        s3.delete_object(Bucket=BUCKET, Key=LOCK)

    assert run.returncode != 0
    assert "lock" in " ".join(run.failures()).lower(), run.failures()
    assert [c.operation for c in calls if c.mutating and c.service != "s3"] == []


def test_teardown_empties_the_state(module_cloud, s3, work_dir):
    run = run_playbook(
        "playbooks/teardown.yml",
        endpoint=module_cloud.endpoint,
        work_dir=work_dir,
        args=["--tags", "base", *backend_vars(module_cloud)],
    )

    assert run.returncode == 0, run.explain()
    assert state_in_bucket(s3)["resources"] == []
