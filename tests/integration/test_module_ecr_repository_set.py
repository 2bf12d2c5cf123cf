"""ecr_repository_set against a local cloud of this file's own, through ansible-playbook: bad input refused before any
call, check mode that calls nothing mutating, create, an identical re-run with only reads (one DescribeRepositories
and three reads per declared repository), settings changed out of band seen by a check as updated with their diff
and put back, an undeclared repository holding an image kept unless force, purge false, a repository of another
environment whose name starts alike never touched, absent."""

from __future__ import annotations

import json

import pytest

from tests.integration.module_runs import mutating, ok, refused_before_any_call, run_target
from tests.integration.test_module_ecr_repository import loosen
from tests.unit.plugins.modules.test_ecr_repository import LIFECYCLE

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/ecr_repository_set/repository_set.yml"
PREFIX = "esint/"
API, BILLING = f"{PREFIX}api", f"{PREFIX}billing-app"
# Another environment whose name starts with this one's: outside the scope "esint/".
OUTSIDE = "esint-eu/api"


def declared(name, key):
    return {
        "name": name,
        "image_tag_mutability": "IMMUTABLE",
        "scan_on_push": True,
        "encryption_type": "KMS",
        "kms_key": key,
        "lifecycle_policy": LIFECYCLE,
        "tags": {"env": "esint"},
    }


def run(cloud, work_dir, repositories, *flags, **extra):
    variables = {"ecr_test_prefix": PREFIX, "ecr_test_repositories": repositories}
    return run_target(cloud, work_dir, TARGET, variables | {f"ecr_test_{k}": v for k, v in extra.items()}, *flags)


def names(cloud):
    return sorted(r["repositoryName"] for r in cloud.client("ecr").describe_repositories()["repositories"])


def repository(cloud, name):
    return cloud.client("ecr").describe_repositories(repositoryNames=[name])["repositories"][0]


def operations(calls):
    return sorted(f"{c.service}:{c.operation}" for c in calls)


def push_image(cloud, name):
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 7023,
            "digest": "sha256:" + "b" * 64,
        },
        "layers": [],
    }
    cloud.client("ecr").put_image(repositoryName=name, imageManifest=json.dumps(manifest), imageTag="v1")


@pytest.fixture(scope="module")
def key(module_cloud):
    module_cloud.client("ecr").create_repository(repositoryName=OUTSIDE)
    return module_cloud.client("kms").create_key(Description="ecr set")["KeyMetadata"]["Arn"]


def test_bad_input_fails_before_any_call(module_cloud, tmp_path, key):
    bad = [declared(API, key), declared("esint-eu/billing", key)]
    played, result, calls = run(module_cloud, tmp_path, bad)
    refused_before_any_call(played, result, calls, "repositories[1].name 'esint-eu/billing' does not start with prefix")


def test_lifecycle(module_cloud, tmp_path, key):
    every = [declared(API, key), declared(BILLING, key)]
    played, result, calls = run(module_cloud, tmp_path, every, "--check")
    ok(played)
    assert (result["changed"], result["created"], mutating(calls), names(module_cloud)) == (
        True,
        [API, BILLING],
        [],
        [OUTSIDE],
    )

    played, result, calls = run(module_cloud, tmp_path, every)
    ok(played)
    assert (result["changed"], sorted(mutating(calls))) == (
        True,
        ["ecr:CreateRepository"] * 2 + ["ecr:PutLifecyclePolicy"] * 2,
    )
    assert names(module_cloud) == sorted([API, BILLING, OUTSIDE])
    assert repository(module_cloud, API)["encryptionConfiguration"]["kmsKey"] == key
    assert all(r["arn"] and r["uri"] for r in result["repositories"])

    played, result, calls = run(module_cloud, tmp_path, every)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
    reads = ["ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource"]
    assert operations(calls) == sorted(["ecr:DescribeRepositories"] + reads * 2)

    # Out of band: the api repository's tags made mutable, scanning off, lifecycle deleted. A check reports it as
    # updated, with the diff, and changes nothing; the run puts back exactly that.
    loosen(module_cloud, API)
    played, result, calls = run(module_cloud, tmp_path, every, "--check", "--diff")
    ok(played)
    assert (result["changed"], result["updated"], mutating(calls)) == (True, [API], [])
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert (before[API]["image_tag_mutability"], after[API]["image_tag_mutability"]) == ("MUTABLE", "IMMUTABLE")
    assert before[API]["lifecycle_policy"] is None and after[API]["lifecycle_policy"] == LIFECYCLE
    assert list(before) == [API]

    played, result, calls = run(module_cloud, tmp_path, every)
    ok(played)
    assert (result["updated"], sorted(mutating(calls))) == (
        [API],
        ["ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability", "ecr:PutLifecyclePolicy"],
    )
    assert repository(module_cloud, API)["imageScanningConfiguration"]["scanOnPush"] is True

    # billing-app left out of the set: purge false keeps it; purge (the default) refuses to delete its image unless
    # force, in check mode too, before any write.
    push_image(module_cloud, BILLING)
    played, result, calls = run(module_cloud, tmp_path, every[:1], purge=False)
    ok(played)
    assert (result["changed"], mutating(calls), [r["name"] for r in result["repositories"]]) == (
        False,
        [],
        [API, BILLING],
    )
    for flags in (("--check",), ()):
        played, result, calls = run(module_cloud, tmp_path, every[:1], *flags)
        assert played.returncode != 0 and mutating(calls) == []
        assert f"repositories {BILLING} hold images" in result["msg"] and "force: true" in result["msg"]
    assert names(module_cloud) == sorted([API, BILLING, OUTSIDE])

    played, result, calls = run(module_cloud, tmp_path, every[:1], force=True)
    ok(played)
    assert (result["deleted"], mutating(calls), names(module_cloud)) == (
        [BILLING],
        ["ecr:DeleteRepository"],
        sorted([API, OUTSIDE]),
    )

    played, result, calls = run(module_cloud, tmp_path, [], state="absent")
    ok(played)
    assert (result["changed"], result["deleted"], mutating(calls)) == (True, [API], ["ecr:DeleteRepository"])
    assert names(module_cloud) == [OUTSIDE]
