"""plugins/module_utils/xray.py: shape conversions, key matching, name and tag checks, pagination, error handling.

Also holds :func:`run_module`, which the X-Ray module tests share: it runs a module's ``main()`` with real argument
parsing against botocore ``Stubber`` s for X-Ray and KMS (every request is validated against the service models, and
any call that is not stubbed fails the run).
"""

from __future__ import annotations

import botocore.session
import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils import arns, xray

from tests.unit.aws_stub import AwsStub, stubbed_client

ACCOUNT = "123456789012"
REGION = "eu-west-1"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{KEY_ID}"
OTHER_KEY_ID = "0000abcd-12ab-34cd-56ef-1234567890ab"
OTHER_KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{OTHER_KEY_ID}"


def rule_arn(name):
    return f"arn:aws:xray:{REGION}:{ACCOUNT}:sampling-rule/{name}"


def group_arn(name):
    return f"arn:aws:xray:{REGION}:{ACCOUNT}:group/{name}/{'A' * 52}"


def stubbed(service):
    return stubbed_client(service, REGION)


def run_module(
    monkeypatch, capsys, module, args, xray_setup=None, kms_setup=None, check_mode=False, diff=False, aws=True
):
    """Run ``module.main()`` with ``args`` (region eu-west-1) and return its result. Unstubbed calls fail the module;
    with ``aws=False`` even creating a client fails the test."""
    xray_client, xray_stubber = stubbed("xray")
    kms, kms_stubber = stubbed("kms")
    if xray_setup:
        xray_setup(xray_stubber)
    if kms_setup:
        kms_setup(kms_stubber)
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.factories(module, aws, xray_client=xray_client)
    if hasattr(module, "kms_client"):
        aws_stub.factories(module, aws, kms_client=kms)
    full_args = dict(args, region=REGION)
    return aws_stub.run(module, full_args, xray_stubber, kms_stubber, check_mode=check_mode, diff=diff)


# ---------------------------------------------------------------- sampling rule shapes


API_RULE = {
    "RuleName": "app-pay",
    "RuleARN": rule_arn("app-pay"),
    "ResourceARN": "*",
    "Priority": 20,
    "FixedRate": 0.5,
    "ReservoirSize": 5,
    "ServiceName": "payments",
    "ServiceType": "*",
    "Host": "*",
    "HTTPMethod": "POST",
    "URLPath": "*",
    "Version": 1,
    "Attributes": {"tier": "gold"},
}

OPTION_RULE = {
    "name": "app-pay",
    "priority": 20,
    "fixed_rate": 0.5,
    "reservoir_size": 5,
    "service_name": "payments",
    "service_type": "*",
    "host": "*",
    "http_method": "POST",
    "url_path": "*",
    "resource_arn": "*",
    "attributes": {"tier": "gold"},
}


def test_rule_from_api_is_the_option_shape_plus_arn_and_version():
    assert xray.rule_from_api(API_RULE) == dict(OPTION_RULE, arn=rule_arn("app-pay"), version=1)


def test_rule_to_api_round_trips_and_sets_version_1():
    api = xray.rule_to_api(OPTION_RULE)
    assert api == dict((k, v) for k, v in API_RULE.items() if k != "RuleARN")
    model = botocore.session.get_session().get_service_model("xray").shape_for("SamplingRule")
    assert set(api) <= set(model.members)


def test_rule_update_always_sends_attributes_and_never_the_version():
    update = xray.rule_update_to_api(dict(OPTION_RULE, attributes={}))
    assert update["Attributes"] == {} and "Version" not in update
    assert xray.rule_to_api(dict(OPTION_RULE, attributes={})).get("Attributes") is None


def test_rule_from_api_fills_missing_match_fields_with_the_wildcard():
    shape = xray.rule_from_api({"RuleName": "x", "Priority": 1, "FixedRate": 0, "ReservoirSize": 0})
    assert [shape[option] for option, _api, _limit in xray.MATCH_FIELDS] == ["*"] * 6
    assert shape["fixed_rate"] == 0.0 and isinstance(shape["fixed_rate"], float)
    assert shape["version"] == 1 and shape["attributes"] == {}


def test_match_field_limits_follow_the_service_model():
    model = botocore.session.get_session().get_service_model("xray").shape_for("SamplingRule")
    for _option, api, limit in xray.MATCH_FIELDS:
        assert model.members[api].metadata["max"] == limit


# ---------------------------------------------------------------- group and encryption shapes


def test_group_from_api_and_insights_to_api():
    group = {
        "GroupName": "app-faults",
        "GroupARN": group_arn("app-faults"),
        "FilterExpression": "fault = true",
        "InsightsConfiguration": {"InsightsEnabled": True, "NotificationsEnabled": False},
    }
    shape = xray.group_from_api(group)
    assert shape == {
        "name": "app-faults",
        "arn": group_arn("app-faults"),
        "filter_expression": "fault = true",
        "insights_enabled": True,
        "notifications_enabled": False,
    }
    assert xray.insights_to_api(shape) == group["InsightsConfiguration"]
    assert xray.group_from_api({"GroupName": "g"})["insights_enabled"] is False


def test_encryption_from_api():
    assert xray.encryption_from_api({"Type": "NONE", "Status": "ACTIVE"}) == {
        "type": "NONE",
        "key_id": None,
        "status": "ACTIVE",
    }
    assert xray.encryption_from_api({"Type": "KMS", "KeyId": KEY_ARN, "Status": "UPDATING"})["key_id"] == KEY_ARN
    assert xray.encryption_from_api({})["type"] == "NONE"


@pytest.mark.parametrize(
    ("current", "declared", "matches"),
    [
        (KEY_ARN, KEY_ARN, True),
        (KEY_ARN, KEY_ID, True),
        (KEY_ARN, OTHER_KEY_ID, False),
        (KEY_ARN, OTHER_KEY_ARN, False),
        (KEY_ARN, "alias/traces", False),  # an alias needs KMS to resolve
        (None, KEY_ID, False),
        (KEY_ARN, None, False),
    ],
)
def test_key_arn_matches(current, declared, matches):
    assert xray.key_arn_matches(current, declared) is matches


@pytest.mark.parametrize(
    ("key", "form"),
    [
        (KEY_ARN, "KMS_KEY_ARN"),
        (KEY_ID, "KMS_KEY_ID"),
        ("mrk-" + "0123456789abcdef" * 2, "KMS_KEY_ID"),
        ("alias/xray-traces", "KMS_ALIAS_NAME"),
        ("alias/aws/xray", "KMS_ALIAS_NAME"),
        (f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/xray-traces", "KMS_ALIAS_ARN"),
        (f"arn:aws-us-gov:kms:us-gov-west-1:{ACCOUNT}:key/{KEY_ID}", "KMS_KEY_ARN"),
        ("xray-traces", None),
        (f"arn:aws:kms:{REGION}:{ACCOUNT}:key/not-a-key", None),
        (f"arn:aws:s3:::{KEY_ID}", None),
    ],
)
def test_kms_key_forms(key, form):
    checks = {
        "KMS_KEY_ARN": arns.is_kms_key_arn,
        "KMS_KEY_ID": arns.KMS_KEY_ID.match,
        "KMS_ALIAS_NAME": arns.KMS_ALIAS_NAME.match,
        "KMS_ALIAS_ARN": arns.is_kms_alias_arn,
    }
    forms = [name for name, check in checks.items() if check(key)]
    assert forms == ([form] if form else [])


@pytest.mark.parametrize(
    ("metadata", "problem"),
    [
        ({"KeyState": "Enabled", "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"}, None),
        ({"KeyState": "Disabled", "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"}, "Enable it"),
        ({"KeyState": "PendingDeletion"}, "state PendingDeletion"),
        ({"KeyState": "Enabled", "KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"}, "symmetric"),
        ({"KeyState": "Enabled", "KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"}, "symmetric"),
    ],
)
def test_kms_key_problem(metadata, problem):
    found = xray.kms_key_problem(metadata, "alias/k")
    assert (found is None) if problem is None else (problem in found and "encryption.key_id 'alias/k'" in found)


def test_describe_kms_key_explains_missing_and_denied_keys():
    client, stubber = stubbed("kms")
    stubber.add_client_error("describe_key", "NotFoundException", "Alias not found")
    stubber.add_client_error("describe_key", "AccessDeniedException", "no")
    stubber.add_client_error("describe_key", "KMSInternalException", "boom")
    with stubber:
        with pytest.raises(xray.KmsKeyError, match="does not exist in this region"):
            xray.describe_kms_key(client, "alias/missing")
        with pytest.raises(xray.KmsKeyError, match="kms:DescribeKey was denied"):
            xray.describe_kms_key(client, "alias/secret")
        with pytest.raises(xray.AnsibleXRayError, match="Failed to describe KMS key"):
            xray.describe_kms_key(client, "alias/broken")


# ---------------------------------------------------------------- validation helpers


@pytest.mark.parametrize(
    ("name", "prefix", "expected"),
    [
        ("app-pay_1", "app-", []),
        ("x" * 32, None, []),
        ("x" * 33, None, ["1 to 32 letters", "33 characters"]),
        ("", None, ["1 to 32"]),
        ("app pay", None, ["letters, digits"]),
        ("app/pay", None, ["letters, digits"]),
        ("pay", "app-", ["does not start with prefix 'app-'"]),
        ("Default", None, ["built-in Default sampling rule", "default_rule"]),
    ],
)
def test_validate_name(name, prefix, expected):
    errors = xray.validate_name("rules[0].name", name, prefix, "sampling rule")
    text = " ".join(errors)
    assert all(part in text for part in expected)
    assert bool(errors) is bool(expected)
    if errors:
        assert text.startswith("rules[0].name")


def test_validate_tags():
    assert xray.validate_tags("groups[0].tags", {"Team": "api"}) == []
    errors = xray.validate_tags("groups[0].tags", {"aws:x": "1", "k" * 129: "v", "long": "v" * 257})
    text = " ".join(errors)
    assert "'aws:x'" in text and "1 to 128" in text and "groups[0].tags.long" in text
    assert "at most 50" in " ".join(xray.validate_tags("t", {str(i): "v" for i in range(51)}))


# ---------------------------------------------------------------- API wrappers


def test_get_sampling_rules_reads_every_page():
    client, stubber = stubbed("xray")
    first = dict(API_RULE, RuleName="a", RuleARN=rule_arn("a"))
    second = dict(API_RULE, RuleName="b", RuleARN=rule_arn("b"))
    stubber.add_response("get_sampling_rules", {"SamplingRuleRecords": [{"SamplingRule": first}], "NextToken": "t"}, {})
    stubber.add_response("get_sampling_rules", {"SamplingRuleRecords": [{"SamplingRule": second}]}, {"NextToken": "t"})
    with stubber:
        assert [r["RuleName"] for r in xray.get_sampling_rules(client)] == ["a", "b"]
    stubber.assert_no_pending_responses()


def test_get_groups_and_tags_read_every_page():
    client, stubber = stubbed("xray")
    stubber.add_response("get_groups", {"Groups": [{"GroupName": "a"}], "NextToken": "t"}, {})
    stubber.add_response("get_groups", {"Groups": [{"GroupName": "b"}]}, {"NextToken": "t"})
    arn = group_arn("a")
    stubber.add_response(
        "list_tags_for_resource", {"Tags": [{"Key": "a", "Value": "1"}], "NextToken": "t"}, {"ResourceARN": arn}
    )
    stubber.add_response(
        "list_tags_for_resource", {"Tags": [{"Key": "b", "Value": "2"}]}, {"ResourceARN": arn, "NextToken": "t"}
    )
    with stubber:
        assert [g["GroupName"] for g in xray.get_groups(client)] == ["a", "b"]
        assert xray.list_tags(client, arn) == {"a": "1", "b": "2"}
    stubber.assert_no_pending_responses()


def test_list_tags_of_a_vanished_resource_is_empty():
    client, stubber = stubbed("xray")
    stubber.add_client_error("list_tags_for_resource", "ResourceNotFoundException", "gone")
    with stubber:
        assert xray.list_tags(client, group_arn("gone")) == {}


def test_errors_become_ansible_xray_errors():
    client, stubber = stubbed("xray")
    stubber.add_client_error("create_group", "InvalidRequestException", "bad filter")
    with stubber, pytest.raises(xray.AnsibleXRayError, match="Failed to create group"):
        xray.create_group(client, "g", "bad", {"InsightsEnabled": False, "NotificationsEnabled": False})


def test_create_calls_leave_reserved_tags_out():
    client, stubber = stubbed("xray")
    stubber.add_response(
        "create_group",
        {"Group": {"GroupName": "g", "GroupARN": group_arn("g")}},
        {
            "GroupName": "g",
            "FilterExpression": "fault = true",
            "InsightsConfiguration": {"InsightsEnabled": False, "NotificationsEnabled": False},
            "Tags": [{"Key": "Team", "Value": "1"}],
        },
    )
    with stubber:
        created = xray.create_group(
            client,
            "g",
            "fault = true",
            {"InsightsEnabled": False, "NotificationsEnabled": False},
            {"Team": 1, "aws:cloudformation:stack-name": "s"},
        )
    assert created["GroupARN"] == group_arn("g")


def test_put_encryption_config_sends_the_key_only_for_kms():
    client, stubber = stubbed("xray")
    stubber.add_response("put_encryption_config", {"EncryptionConfig": {"Type": "NONE"}}, {"Type": "NONE"})
    stubber.add_response(
        "put_encryption_config",
        {"EncryptionConfig": {"Type": "KMS", "KeyId": KEY_ARN, "Status": "UPDATING"}},
        {"Type": "KMS", "KeyId": KEY_ARN},
    )
    with stubber:
        assert xray.put_encryption_config(client, "NONE", KEY_ARN) == {"Type": "NONE"}
        assert xray.put_encryption_config(client, "KMS", KEY_ARN)["Status"] == "UPDATING"
