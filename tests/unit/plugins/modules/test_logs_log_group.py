"""plugins/modules/logs_log_group.py: input checks, the declared view (what the task leaves alone stays), and the
calls create and update make (botocore Stubber, which checks each request against the CloudWatch Logs model)."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.securecloud.monitor.plugins.module_utils import logs
from ansible_collections.securecloud.monitor.plugins.modules.logs_log_group import (
    build_argument_spec,
    create,
    declared_view,
    input_errors,
    read,
    update,
)

NAME = "aws-waf-logs-dev-edge"
ARN = f"arn:aws:logs:us-east-1:123456789012:log-group:{NAME}"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/00000000-12ab-34cd-56ef-1234567890ab"


def params(**overrides):
    raw = {"name": NAME, "retention": 365, "kms_key_id": KEY, "tags": {"env": "dev"}} | overrides
    result = ArgumentSpecValidator(build_argument_spec()).validate(raw)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def current(**overrides):
    return {"name": NAME, "arn": ARN, "retention": 365, "kms_key_id": KEY, "tags": {"env": "dev"}} | overrides


@pytest.fixture
def stubbed(active_stub):
    return active_stub("logs")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "bad name"}, "name: 'bad name' must be 1-512"),
        ({"retention": 366}, "retention: 366 is not a retention CloudWatch Logs accepts"),
        ({"kms_key_id": "alias/logs"}, "kms_key_id: 'alias/logs' is not a KMS key ARN"),
    ],
)
def test_bad_input_names_the_option(overrides, message):
    errors = input_errors(params(**overrides))
    assert any(message in error for error in errors), errors


def test_good_input_has_no_error():
    assert input_errors(params()) == input_errors(params(retention=0, kms_key_id="")) == []


def test_the_old_option_name_is_an_alias():
    result = ArgumentSpecValidator(build_argument_spec()).validate({"log_group_name": NAME})
    assert result.validated_parameters["name"] == NAME


def test_what_the_task_does_not_set_is_left_alone():
    existing = current(retention=30, kms_key_id=OTHER_KEY, tags={"env": "dev", "owner": "x"})
    declared = declared_view(params(retention=None, kms_key_id=None, tags=None), existing)
    assert declared == existing


def test_declared_view_sets_retention_key_and_purges_tags():
    existing = current(retention=30, kms_key_id="", tags={"owner": "x"})
    assert declared_view(params(), existing) == current()
    assert declared_view(params(purge_tags=False), existing)["tags"] == {"env": "dev", "owner": "x"}


def test_read_returns_the_group_in_the_options_shape(stubbed):
    client, stubber = stubbed
    group = {"logGroupName": NAME, "arn": f"{ARN}:*", "retentionInDays": 365, "kmsKeyId": KEY}
    other = {"logGroupName": f"{NAME}-2", "arn": f"{ARN}-2:*"}
    stubber.add_response("describe_log_groups", {"logGroups": [group, other]}, {"logGroupNamePrefix": NAME})
    stubber.add_response("list_tags_for_resource", {"tags": {"env": "dev"}}, {"resourceArn": ARN})
    assert read(client, NAME) == current()


def test_read_of_a_missing_group_is_none_after_one_call(stubbed):
    client, stubber = stubbed
    stubber.add_response(
        "describe_log_groups", {"logGroups": [{"logGroupName": f"{NAME}-2"}]}, {"logGroupNamePrefix": NAME}
    )
    assert read(client, NAME) is None


def test_never_expire_is_zero():
    assert logs.log_group_view({"logGroupName": NAME, "arn": f"{ARN}:*"}, {})["retention"] == 0


def test_create_passes_key_and_tags_then_sets_the_retention(stubbed):
    client, stubber = stubbed
    desired = declared_view(params(), None)
    stubber.add_response("create_log_group", {}, {"logGroupName": NAME, "kmsKeyId": KEY, "tags": {"env": "dev"}})
    stubber.add_response("put_retention_policy", {}, {"logGroupName": NAME, "retentionInDays": 365})
    stubber.add_response(
        "describe_log_groups", {"logGroups": [{"logGroupName": NAME, "arn": f"{ARN}:*"}]}, {"logGroupNamePrefix": NAME}
    )
    assert create(client, desired) == ARN


def test_update_makes_one_call_per_difference(stubbed):
    client, stubber = stubbed
    existing = current(retention=30, kms_key_id=OTHER_KEY, tags={"owner": "x"})
    stubber.add_response("put_retention_policy", {}, {"logGroupName": NAME, "retentionInDays": 365})
    stubber.add_response("associate_kms_key", {}, {"logGroupName": NAME, "kmsKeyId": KEY})
    stubber.add_response("tag_resource", {}, {"resourceArn": ARN, "tags": {"env": "dev"}})
    stubber.add_response("untag_resource", {}, {"resourceArn": ARN, "tagKeys": ["owner"]})
    update(client, params(), existing, declared_view(params(), existing))


def test_update_to_never_expire_and_no_key(stubbed):
    client, stubber = stubbed
    stubber.add_response("delete_retention_policy", {}, {"logGroupName": NAME})
    stubber.add_response("disassociate_kms_key", {}, {"logGroupName": NAME})
    update(
        client,
        params(retention=0, kms_key_id=""),
        current(),
        declared_view(params(retention=0, kms_key_id=""), current()),
    )


def test_no_call_when_nothing_differs(stubbed):
    client, _ = stubbed
    update(client, params(), current(), declared_view(params(), current()))


HASH_NAME = "dev/app#1"
HASH_ARN = f"arn:aws:logs:us-east-1:123456789012:log-group:{HASH_NAME}"


def test_the_arn_taking_tag_calls_refuse_a_hash_in_the_arn(stubbed):
    client, _ = stubbed
    assert (logs.tagged_by_arn(client, ARN), logs.tagged_by_arn(client, HASH_ARN)) == (True, False)


def test_a_group_whose_name_holds_a_hash_is_read_by_name(stubbed):
    client, stubber = stubbed
    group = {"logGroupName": HASH_NAME, "arn": f"{HASH_ARN}:*"}
    stubber.add_response("describe_log_groups", {"logGroups": [group]}, {"logGroupNamePrefix": HASH_NAME})
    stubber.add_response("list_tags_log_group", {"tags": {"env": "dev"}}, {"logGroupName": HASH_NAME})
    assert read(client, HASH_NAME)["tags"] == {"env": "dev"}


def test_a_group_whose_name_holds_a_hash_is_tagged_by_name(stubbed):
    client, stubber = stubbed
    existing = current(name=HASH_NAME, arn=HASH_ARN, tags={"owner": "x"})
    declared = params(name=HASH_NAME)
    stubber.add_response("tag_log_group", {}, {"logGroupName": HASH_NAME, "tags": {"env": "dev"}})
    stubber.add_response("untag_log_group", {}, {"logGroupName": HASH_NAME, "tags": ["owner"]})
    update(client, declared, existing, declared_view(declared, existing))
