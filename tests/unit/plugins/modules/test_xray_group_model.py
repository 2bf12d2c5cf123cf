"""xray_group: CreateGroup of every declared group and PutEncryptionConfig checked against the X-Ray model before
any call (issue 20). Bounds are read from botocore's model."""

from __future__ import annotations

import botocore.session
from ansible_collections.securecloud.monitor.plugins.modules import xray_group
from ansible_collections.securecloud.monitor.plugins.modules.xray_group import model_errors

from tests.unit.aws_stub import stubbed_client

XRAY = botocore.session.get_session().get_service_model("xray")
NAME_MAX = XRAY.operation_model("CreateGroup").input_shape.members["GroupName"].metadata["max"]
KEY_MAX = XRAY.operation_model("PutEncryptionConfig").input_shape.members["KeyId"].metadata["max"]
TAG_VALUE_MAX = XRAY.shape_for("TagValue").metadata["max"]


def group(name="dev-api", **extra):
    shape = {"name": name, "filter_expression": "fault", "insights_enabled": False, "notifications_enabled": False}
    return shape | extra


def params(*groups, encryption=None):
    return {"groups": list(groups), "encryption": encryption}


def test_valid_groups_and_encryption_have_no_errors():
    assert model_errors(XRAY, params(group(), group("dev-web", tags={"team": "sre"}))) == []
    assert model_errors(XRAY, params(encryption={"type": "KMS", "key_id": "alias/xray"})) == []


def test_a_name_longer_than_the_model_allows_names_the_group_of_the_set():
    (error,) = model_errors(XRAY, params(group(), group("g" * (NAME_MAX + 1))))
    assert error.startswith(f"groups[1].name '{'g' * (NAME_MAX + 1)}' has {NAME_MAX + 1} characters")
    assert f"give 1 to {NAME_MAX} characters" in error


def test_a_tag_value_too_long_and_an_over_long_key_id_are_all_reported():
    bad = params(group(tags={"team": "t" * (TAG_VALUE_MAX + 1)}), encryption={"type": "KMS", "key_id": "k" * 3001})
    errors = model_errors(XRAY, bad)
    assert len(errors) == 2
    assert errors[0].startswith("groups[0].tags[0].value") and f"to {TAG_VALUE_MAX} characters" in errors[0]
    assert errors[1].startswith("encryption.key_id") and f"to {KEY_MAX} characters" in errors[1]


def test_main_refuses_the_whole_set_before_any_call(aws_stub):
    client, stubber = stubbed_client("xray")  # nothing stubbed: any call fails the module
    aws_stub.factories(xray_group, xray_client=client)
    args = {"prefix": "dev-", "groups": [group("dev-api"), group("dev-" + "g" * NAME_MAX)]}
    result = aws_stub.run(xray_group, args, stubber)
    assert result["failed"] and "groups[1].name" in result["msg"], result
