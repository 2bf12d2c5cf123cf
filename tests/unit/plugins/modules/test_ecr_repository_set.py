"""plugins/modules/ecr_repository_set.py against a botocore Stubber (which checks each request against the ECR model):
one paginated DescribeRepositories for the scope and the policies and tags of each declared repository that exists,
repositories compared as ecr_repository compares them (module_utils/ecr.py), creates, updates and deletes in the scope
only, a repository that holds images deleted only with force, check mode and diff exact, errors naming the repository
before any call or write, and a write that fails partway naming what was written."""

from __future__ import annotations

import json

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import ecr_repository_set as module

from tests.unit.aws_stub import AwsStub, stubbed_client
from tests.unit.plugins.modules.test_ecr_repository import KEY, LIFECYCLE
from tests.unit.set_convention import assert_no_deprecation, fresh_deprecations

ACCOUNT = "123456789012"
REGION = "us-east-1"
PREFIX = "dev/"
API, BILLING, OLD, OUTSIDE = "dev/api", "dev/billing-app", "dev/old", "dev-eu/api"


def declared(name, **extra):
    return {
        "name": name,
        "image_tag_mutability": "IMMUTABLE",
        "scan_on_push": True,
        "encryption_type": "KMS",
        "kms_key": KEY,
        "lifecycle_policy": LIFECYCLE,
    } | extra


DECLARED = {"repositories": [declared(BILLING), declared(API)]}


def arn(name):
    return f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/{name}"


def aws_repository(name, mutability="IMMUTABLE", scan=True, encryption=None):
    return {
        "repositoryName": name,
        "repositoryArn": arn(name),
        "registryId": ACCOUNT,
        "repositoryUri": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{name}",
        "imageTagMutability": mutability,
        "imageScanningConfiguration": {"scanOnPush": scan},
        "encryptionConfiguration": encryption or {"encryptionType": "KMS", "kmsKey": KEY},
    }


def describe(stubber, *repositories, pages=1):
    """The scope read: DescribeRepositories, its repositories over ``pages`` pages."""
    found = list(repositories)
    size = max(1, -(-len(found) // pages))
    chunks = [found[i : i + size] for i in range(0, len(found), size)] or [[]]
    for index, chunk in enumerate(chunks):
        response = {"repositories": chunk}
        if index < len(chunks) - 1:
            response["nextToken"] = f"page-{index + 1}"
        stubber.add_response("describe_repositories", response, {"nextToken": f"page-{index}"} if index else {})


LIFECYCLE_GIVEN = object()


def facets(stubber, name, lifecycle=LIFECYCLE_GIVEN, policy=None, tags=()):
    """What ecr_repository reads of one repository: lifecycle policy (LIFECYCLE unless given; None for none),
    repository policy, tags."""
    lifecycle = LIFECYCLE if lifecycle is LIFECYCLE_GIVEN else lifecycle
    for operation, missing, text, value in (
        ("get_lifecycle_policy", "LifecyclePolicyNotFoundException", "lifecyclePolicyText", lifecycle),
        ("get_repository_policy", "RepositoryPolicyNotFoundException", "policyText", policy),
    ):
        if value is None:
            stubber.add_client_error(operation, missing, expected_params={"repositoryName": name})
        else:
            stubber.add_response(operation, {"repositoryName": name, text: json.dumps(value)}, {"repositoryName": name})
    stubber.add_response(
        "list_tags_for_resource",
        {"tags": [{"Key": k, "Value": v} for k, v in dict(tags).items()]},
        {"resourceArn": arn(name)},
    )


def create(stubber, name, error=None):
    request = {
        "repositoryName": name,
        "imageTagMutability": "IMMUTABLE",
        "imageScanningConfiguration": {"scanOnPush": True},
        "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": KEY},
    }
    if error:
        stubber.add_client_error("create_repository", error, expected_params=request)
        return
    stubber.add_response("create_repository", {"repository": aws_repository(name)}, request)
    put_lifecycle(stubber, name)


def put_lifecycle(stubber, name):
    stubber.add_response(
        "put_lifecycle_policy",
        {},
        {"repositoryName": name, "lifecyclePolicyText": json.dumps(LIFECYCLE, sort_keys=True)},
    )


def images(stubber, name, count):
    # An empty repository lists no imageIds member (the model's list has at least one item).
    found = {"imageIds": [{"imageDigest": "sha256:" + "a" * 64, "imageTag": "v1"}] * count} if count else {}
    stubber.add_response("list_images", found, {"repositoryName": name, "maxResults": 1})


def delete(stubber, name, force=False):
    stubber.add_response(
        "delete_repository", {"repository": aws_repository(name)}, {"repositoryName": name, "force": force}
    )


def run(monkeypatch, capsys, args, setup=None, check_mode=False, diff=False, aws=True):
    fresh_deprecations(monkeypatch)
    client, stubber = stubbed_client("ecr", REGION)
    if setup:
        setup(stubber)
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.factories(module, aws, ecr_client=client)
    arguments = {"region": REGION, "prefix": PREFIX} | args
    return aws_stub.run(module, arguments, stubber, check_mode=check_mode, diff=diff)


def names(result):
    return [r["name"] for r in result["repositories"]]


# ---------------------------------------------------------------- bad input, before any call


def test_every_input_error_names_its_option_before_any_call(monkeypatch, capsys):
    repositories = [
        declared(BILLING, lifecycle_policy="[1]"),
        declared("prod/api"),
        declared(BILLING),
        declared(API, kms_key=None),
        {"name": OLD, "kms_key": KEY},
    ]
    result = run(monkeypatch, capsys, {"repositories": repositories}, aws=False)
    assert result["failed"] is True
    assert result["errors"] == [
        "repositories[0].lifecycle_policy: give a JSON object (a dict), not list.",
        "repositories[1].name 'prod/api' does not start with prefix 'dev/': the repository must be in the task's "
        "scope. Rename it or change prefix.",
        "repositories[2].name 'dev/billing-app' is declared twice (also repositories[0]): keep one.",
        "repositories[3].kms_key: give the KMS key with encryption_type=KMS.",
        "repositories[4].kms_key: give it with encryption_type=KMS.",
    ]


def test_an_empty_prefix_is_refused(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"prefix": "", "state": "absent"}, aws=False)
    assert result["errors"] == [
        "prefix must not be empty: set it to the prefix of the repository names this task owns."
    ]


def test_a_request_ecr_would_refuse_names_the_repository_before_any_call(monkeypatch, capsys):
    # The client is made (its model is read) but no call is stubbed: any call fails the test.
    result = run(monkeypatch, capsys, {"repositories": [declared(API), declared("dev/Billing")]})
    assert result["failed"] is True
    # Once per request that names it (CreateRepository, PutLifecyclePolicy), the other repository not at all.
    assert result["errors"] and all(
        error.startswith("repositories[1].name 'dev/Billing' is not in the form AWS accepts")
        for error in result["errors"]
    ), result["errors"]


# ---------------------------------------------------------------- create, no-op, drift


def test_a_new_set_is_created_with_every_setting(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, aws_repository(OUTSIDE))
        create(stubber, BILLING)
        create(stubber, API)

    result = run(monkeypatch, capsys, DECLARED, setup)
    assert (result["changed"], result["created"], result["updated"], result["deleted"]) == (
        True,
        [API, BILLING],
        [],
        [],
    )
    assert names(result) == [API, BILLING]
    assert [r["arn"] for r in result["repositories"]] == [arn(API), arn(BILLING)]
    assert_no_deprecation(result)


def test_check_mode_predicts_the_creation_and_calls_nothing_that_writes(monkeypatch, capsys):
    result = run(monkeypatch, capsys, DECLARED, describe, check_mode=True, diff=True)
    assert (result["changed"], result["created"]) == (True, [API, BILLING])
    assert [r["arn"] for r in result["repositories"]] == ["", ""]
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"][API]["image_tag_mutability"] == "IMMUTABLE"


def test_a_set_as_declared_is_read_once_over_every_page_and_changes_nothing(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, aws_repository(API), aws_repository(OUTSIDE), aws_repository(BILLING), pages=3)
        facets(stubber, API)
        facets(stubber, BILLING)

    result = run(monkeypatch, capsys, DECLARED, setup, diff=True)
    assert (result["changed"], result["created"], result["updated"], result["deleted"]) == (False, [], [], [])
    assert result["diff"] == {"before": {}, "after": {}}
    assert names(result) == [API, BILLING]


def test_settings_changed_out_of_band_are_updated_with_their_diff_in_check_mode(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, aws_repository(API, mutability="MUTABLE", scan=False), aws_repository(BILLING))
        facets(stubber, API, lifecycle=None)
        facets(stubber, BILLING)

    result = run(monkeypatch, capsys, DECLARED, setup, check_mode=True, diff=True)
    assert (result["changed"], result["created"], result["updated"]) == (True, [], [API])
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert list(before) == list(after) == [API]
    assert (before[API]["image_tag_mutability"], after[API]["image_tag_mutability"]) == ("MUTABLE", "IMMUTABLE")
    assert (before[API]["lifecycle_policy"], after[API]["lifecycle_policy"]) == (None, LIFECYCLE)


def test_settings_changed_out_of_band_are_put_back_one_call_each(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, aws_repository(API, mutability="MUTABLE", scan=False), aws_repository(BILLING))
        facets(stubber, API, lifecycle=None, policy={"Statement": []}, tags={"team": "a", "old": "x"})
        facets(stubber, BILLING)
        stubber.add_response("put_image_tag_mutability", {}, {"repositoryName": API, "imageTagMutability": "IMMUTABLE"})
        stubber.add_response(
            "put_image_scanning_configuration",
            {},
            {"repositoryName": API, "imageScanningConfiguration": {"scanOnPush": True}},
        )
        stubber.add_response("tag_resource", {}, {"resourceArn": arn(API), "tags": [{"Key": "team", "Value": "b"}]})
        stubber.add_response("untag_resource", {}, {"resourceArn": arn(API), "tagKeys": ["old"]})
        put_lifecycle(stubber, API)
        stubber.add_response("delete_repository_policy", {}, {"repositoryName": API})

    repositories = [declared(BILLING), declared(API, repository_policy={}, tags={"team": "b"})]
    result = run(monkeypatch, capsys, {"repositories": repositories}, setup)
    assert (result["changed"], result["updated"]) == (True, [API])
    [api] = [r for r in result["repositories"] if r["name"] == API]
    assert (api["tags"], api["repository_policy"], api["scan_on_push"]) == ({"team": "b"}, None, True)


def test_a_repository_encrypted_otherwise_fails_the_task_before_any_write(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, aws_repository(API, encryption={"encryptionType": "AES256"}))
        facets(stubber, API)

    result = run(monkeypatch, capsys, DECLARED, setup)
    assert result["failed"] is True
    [error] = result["errors"]
    assert error.startswith("repositories[1].encryption_type/kms_key: repository dev/api is encrypted with AES256")


# ---------------------------------------------------------------- purge, state, force


def test_purge_deletes_an_empty_undeclared_repository_in_the_scope_only(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, aws_repository(API), aws_repository(BILLING), aws_repository(OLD), aws_repository(OUTSIDE))
        facets(stubber, API)
        facets(stubber, BILLING)
        images(stubber, OLD, 0)
        delete(stubber, OLD)

    result = run(monkeypatch, capsys, DECLARED, setup, diff=True)
    assert (result["changed"], result["deleted"], names(result)) == (True, [OLD], [API, BILLING])
    assert result["diff"]["before"][OLD]["lifecycle_policy"] is None and result["diff"]["after"] == {}


def test_purge_of_a_repository_holding_images_needs_force_and_fails_before_any_write(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, aws_repository(API), aws_repository(BILLING), aws_repository(OLD), aws_repository("dev/x"))
        facets(stubber, API)
        facets(stubber, BILLING)
        images(stubber, OLD, 1)
        images(stubber, "dev/x", 1)

    result = run(monkeypatch, capsys, DECLARED, setup, check_mode=True)
    assert result["failed"] is True
    [error] = result["errors"]
    assert error.startswith("repositories dev/old, dev/x hold images, and purge (they are not declared) would delete")
    assert "set force: true" in error


def test_force_deletes_with_the_images_without_looking(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, aws_repository(API), aws_repository(BILLING), aws_repository(OLD))
        facets(stubber, API)
        facets(stubber, BILLING)
        delete(stubber, OLD, force=True)

    result = run(monkeypatch, capsys, DECLARED | {"force": True}, setup)
    assert (result["changed"], result["deleted"]) == (True, [OLD])


def test_purge_false_leaves_the_undeclared_unread(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, aws_repository(API), aws_repository(BILLING), aws_repository(OLD))
        facets(stubber, API)
        facets(stubber, BILLING)

    result = run(monkeypatch, capsys, DECLARED | {"purge": False}, setup)
    assert (result["changed"], result["deleted"], names(result)) == (False, [], [API, BILLING, OLD])
    [old] = [r for r in result["repositories"] if r["name"] == OLD]
    assert (old["lifecycle_policy"], old["tags"], old["image_tag_mutability"]) == (None, None, "IMMUTABLE")


@pytest.mark.parametrize("check_mode", [True, False])
def test_state_absent_deletes_the_whole_scope_whatever_purge_and_the_list(monkeypatch, capsys, check_mode):
    def setup(stubber):
        describe(stubber, aws_repository(API), aws_repository(OLD), aws_repository(OUTSIDE))
        images(stubber, API, 0)
        images(stubber, OLD, 0)
        if not check_mode:
            delete(stubber, API)
            delete(stubber, OLD)

    args = DECLARED | {"purge": False, "state": "absent"}
    result = run(monkeypatch, capsys, args, setup, check_mode=check_mode)
    assert (result["changed"], result["deleted"], names(result)) == (True, [API, OLD], [])


def test_state_absent_of_repositories_holding_images_names_state_and_force(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber, aws_repository(API))
        images(stubber, API, 1)

    result = run(monkeypatch, capsys, {"state": "absent"}, setup)
    assert result["errors"][0].startswith("repositories dev/api hold images, and state=absent would delete them")


# ---------------------------------------------------------------- a write that fails partway


def test_a_write_denied_partway_names_the_repositories_written_and_not(monkeypatch, capsys):
    def setup(stubber):
        describe(stubber)
        create(stubber, BILLING)
        create(stubber, API, error="AccessDeniedException")

    result = run(monkeypatch, capsys, DECLARED, setup)
    assert result["failed"] is True
    assert (result["written"], result["not_written"]) == ([BILLING], [API])
    assert "Writing dev/api failed" in result["msg"]
