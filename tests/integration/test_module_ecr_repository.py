"""ecr_repository against a local cloud of this file's own: check mode that calls nothing mutating
(community.aws.ecs_ecr reported such a change as skipped), create, an identical re-run with only reads, settings
changed out of band seen by a check with their diff and put back, absent."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/ecr_repository/repository.yml"
NAME = "dev/billing-app"


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


def repository(cloud):
    found = cloud.client("ecr").describe_repositories()["repositories"]
    return next((r for r in found if r["repositoryName"] == NAME), None)


def loosen(cloud, name):
    """Out of band: tags made mutable, scanning off, lifecycle policy deleted."""
    ecr = cloud.client("ecr")
    ecr.put_image_tag_mutability(repositoryName=name, imageTagMutability="MUTABLE")
    ecr.put_image_scanning_configuration(repositoryName=name, imageScanningConfiguration={"scanOnPush": False})
    ecr.delete_lifecycle_policy(repositoryName=name)


def test_lifecycle(module_cloud, tmp_path):
    key = {"ecr_test_key": module_cloud.client("kms").create_key(Description="ecr")["KeyMetadata"]["Arn"]}
    played, result, calls = run(module_cloud, tmp_path, key, "--check")
    ok(played)
    assert (result["changed"], mutating(calls), repository(module_cloud)) == (True, [], None)

    played, result, calls = run(module_cloud, tmp_path, key)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["ecr:CreateRepository", "ecr:PutLifecyclePolicy"])
    created = repository(module_cloud)
    assert (created["imageTagMutability"], created["encryptionConfiguration"]["kmsKey"]) == (
        "IMMUTABLE",
        key["ecr_test_key"],
    )

    played, result, calls = run(module_cloud, tmp_path, key)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])

    loosen(module_cloud, NAME)
    played, result, calls = run(module_cloud, tmp_path, key, "--check", "--diff")
    ok(played)
    assert (result["changed"], mutating(calls), result.get("skipped", False)) == (True, [], False)
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert (before["image_tag_mutability"], after["image_tag_mutability"]) == ("MUTABLE", "IMMUTABLE")
    assert "lifecycle_policy" not in before and after["lifecycle_policy"]["rules"][0]["rulePriority"] == 1

    played, result, calls = run(module_cloud, tmp_path, key)
    ok(played)
    assert sorted(mutating(calls)) == [
        "ecr:PutImageScanningConfiguration",
        "ecr:PutImageTagMutability",
        "ecr:PutLifecyclePolicy",
    ]
    assert repository(module_cloud)["imageScanningConfiguration"]["scanOnPush"] is True

    played, result, calls = run(module_cloud, tmp_path, key | {"ecr_test_state": "absent"})
    ok(played)
    assert (result["changed"], mutating(calls), repository(module_cloud)) == (True, ["ecr:DeleteRepository"], None)
