"""plugins/modules/xray_group.py against botocore Stubbers: input checks, set-diffing, encryption and key matching."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import xray_group as module

from tests.unit.plugins.module_utils.test_xray import (
    ACCOUNT,
    KEY_ARN,
    KEY_ID,
    OTHER_KEY_ARN,
    REGION,
    group_arn,
    run_module,
)
from tests.unit.set_convention import SetKit

DEFAULT_GROUP = {"GroupName": "Default", "GroupARN": f"arn:aws:xray:{REGION}:{ACCOUNT}:group/Default"}
NO_INSIGHTS = {"InsightsEnabled": False, "NotificationsEnabled": False}
ALIAS = "alias/xray-traces"


def api_group(name, expression="fault = true", insights=False, notifications=False):
    return {
        "GroupName": name,
        "GroupARN": group_arn(name),
        "FilterExpression": expression,
        "InsightsConfiguration": {"InsightsEnabled": insights, "NotificationsEnabled": notifications},
    }


def reads(stubber, groups, tags=None, scope=""):
    """GetGroups, then ListTagsForResource for every group but Default whose name starts with ``scope``."""
    stubber.add_response("get_groups", {"Groups": groups}, {})
    for group in groups:
        if group["GroupName"] != "Default" and group["GroupName"].startswith(scope):
            tag_list = [{"Key": k, "Value": v} for k, v in sorted((tags or {}).get(group["GroupName"], {}).items())]
            stubber.add_response("list_tags_for_resource", {"Tags": tag_list}, {"ResourceARN": group["GroupARN"]})


def declared(name, expression="fault = true", **options):
    return dict(options, name=name, filter_expression=expression)


def key_metadata(arn=KEY_ARN, state="Enabled", spec="SYMMETRIC_DEFAULT", usage="ENCRYPT_DECRYPT"):
    return {
        "KeyMetadata": {
            "KeyId": arn.rsplit("/", 1)[1],
            "Arn": arn,
            "KeyState": state,
            "KeySpec": spec,
            "KeyUsage": usage,
        }
    }


# ---------------------------------------------------------------- input checks (no AWS call at all)

BAD_INPUT = [
    ({"groups": [declared("app-a", "")]}, ["groups[0].filter_expression is empty", "responsetime > 5"]),
    ({"groups": [declared("app-a", "   ")]}, ["groups[0].filter_expression is empty"]),
    (
        {"groups": [declared("app-a", notifications_enabled=True)]},
        ["groups[0].notifications_enabled is true but groups[0].insights_enabled is false"],
    ),
    ({"groups": [declared("a" * 33)]}, ["groups[0].name", "1 to 32"]),
    ({"groups": [declared("app.a")]}, ["groups[0].name 'app.a'", "letters, digits"]),
    ({"groups": [declared("Default")]}, ["groups[0].name 'Default'", "built-in Default group"]),
    ({"groups": [declared("app-a"), declared("app-a")]}, ["groups[1].name 'app-a' is also groups[0].name"]),
    ({"groups": [declared("web-a")], "prefix": "app-", "purge": False}, ["groups[0].name 'web-a'", "prefix 'app-'"]),
    ({"groups": [], "purge": True}, ["purge=true needs prefix"]),
    ({"groups": [declared("app-a", tags={"aws:x": "1"})]}, ["groups[0].tags key 'aws:x'"]),
    ({"encryption": {"type": "KMS"}}, ["encryption.type is KMS but encryption.key_id is not set", "alias/NAME"]),
    ({"encryption": {"type": "NONE", "key_id": KEY_ARN}}, ["encryption.key_id is set", "remove key_id"]),
    ({"encryption": {"type": "KMS", "key_id": "xray-traces"}}, ["encryption.key_id 'xray-traces' is not a KMS key"]),
    (
        {"encryption": {"type": "KMS", "key_id": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/nope"}},
        ["is not a KMS key", "arn:aws:kms:REGION:ACCOUNT:key/"],
    ),
    (
        {"encryption": {"type": "KMS", "key_id": KEY_ARN.replace(REGION, "us-east-1")}},
        ["is in us-east-1 but the task manages X-Ray in eu-west-1"],
    ),
]


@pytest.mark.parametrize(("args", "expected"), BAD_INPUT)
def test_bad_input_fails_before_any_aws_call(monkeypatch, capsys, args, expected):
    result = run_module(monkeypatch, capsys, module, args, aws=False)
    assert result["failed"] is True
    for part in expected:
        assert part in result["msg"], result["msg"]


# ---------------------------------------------------------------- groups


def test_check_mode_plans_a_create_without_calling_it(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT_GROUP])

    args = {"groups": [declared("app-a", insights_enabled=True, notifications_enabled=True)]}
    result = run_module(monkeypatch, capsys, module, args, setup, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["groups"] == [
        {
            "name": "app-a",
            "arn": None,
            "filter_expression": "fault = true",
            "insights_enabled": True,
            "notifications_enabled": True,
            "tags": {},
        }
    ]
    assert result["diff"]["before"] == {} and "encryption" not in result


def test_create_with_tags_and_insights(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT_GROUP])
        stubber.add_response(
            "create_group",
            {"Group": api_group("app-a", insights=True)},
            {
                "GroupName": "app-a",
                "FilterExpression": "fault = true",
                "InsightsConfiguration": {"InsightsEnabled": True, "NotificationsEnabled": False},
                "Tags": [{"Key": "Team", "Value": "api"}],
            },
        )

    args = {"groups": [declared("app-a", insights_enabled=True, tags={"Team": "api"})]}
    result = run_module(monkeypatch, capsys, module, args, setup)
    assert result["changed"] is True and result["groups"][0]["arn"] == group_arn("app-a")


def test_identical_rerun_makes_read_calls_only(monkeypatch, capsys):
    def setup(stubber):
        reads(
            stubber,
            [DEFAULT_GROUP, api_group("app-a", insights=True), api_group("web-b")],
            {"app-a": {"T": "1"}},
            "app-",
        )

    args = {
        "groups": [declared("app-a", insights_enabled=True, tags={"T": "1"})],
        "prefix": "app-",
        "purge": True,
    }
    result = run_module(monkeypatch, capsys, module, args, setup, diff=True)
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]
    assert [g["name"] for g in result["groups"]] == ["app-a"]


def test_update_filter_insights_and_tags(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT_GROUP, api_group("app-a", insights=True, notifications=True)], {"app-a": {"T": "1"}})
        stubber.add_response(
            "update_group",
            {"Group": api_group("app-a", "error = true")},
            {"GroupARN": group_arn("app-a"), "FilterExpression": "error = true", "InsightsConfiguration": NO_INSIGHTS},
        )
        stubber.add_response("untag_resource", {}, {"ResourceARN": group_arn("app-a"), "TagKeys": ["T"]})

    args = {"groups": [declared("app-a", "error = true", tags={})]}
    result = run_module(monkeypatch, capsys, module, args, setup, diff=True)
    assert result["changed"] is True
    before, after = result["diff"]["before"]["groups"][0], result["diff"]["after"]["groups"][0]
    assert before == {
        "name": "app-a",
        "filter_expression": "fault = true",
        "insights_enabled": True,
        "notifications_enabled": True,
        "tags": {"T": "1"},
    }
    assert after == {
        "name": "app-a",
        "filter_expression": "error = true",
        "insights_enabled": False,
        "notifications_enabled": False,
    }


def test_purge_deletes_by_arn_in_the_scope_and_never_default(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT_GROUP, api_group("app-old"), api_group("other")])
        stubber.add_response("delete_group", {}, {"GroupARN": group_arn("app-old")})
        stubber.add_response("delete_group", {}, {"GroupARN": group_arn("other")})

    result = run_module(monkeypatch, capsys, module, {"groups": [], "purge": True, "prefix": ""}, setup)
    assert result["changed"] is True and result["groups"] == []


def test_without_purge_undeclared_groups_stay(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT_GROUP, api_group("app-z"), api_group("app-a")])

    result = run_module(monkeypatch, capsys, module, {"groups": [declared("app-a")]}, setup)
    assert result["changed"] is False and [g["name"] for g in result["groups"]] == ["app-a", "app-z"]


def test_an_aws_error_fails_with_the_call_named(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT_GROUP])
        stubber.add_client_error("create_group", "InvalidRequestException", "Invalid filter expression")

    result = run_module(monkeypatch, capsys, module, {"groups": [declared("app-a", "fault ==")]}, setup)
    assert result["failed"] is True and "Failed to create group" in result["msg"]


# ---------------------------------------------------------------- encryption


def encryption_reads(stubber, config):
    reads(stubber, [DEFAULT_GROUP])
    stubber.add_response("get_encryption_config", {"EncryptionConfig": config}, {})


ACTIVE_KMS = {"Type": "KMS", "KeyId": KEY_ARN, "Status": "ACTIVE"}
ACTIVE_NONE = {"Type": "NONE", "Status": "ACTIVE"}


@pytest.mark.parametrize("key", [KEY_ARN, KEY_ID])
def test_same_key_by_arn_or_id_needs_no_kms_call(monkeypatch, capsys, key):
    def setup(stubber):
        encryption_reads(stubber, ACTIVE_KMS)

    result = run_module(monkeypatch, capsys, module, {"encryption": {"type": "KMS", "key_id": key}}, setup)
    assert result["changed"] is False
    assert result["encryption"] == {"type": "KMS", "key_id": KEY_ARN, "status": "ACTIVE"}


def test_alias_of_the_current_key_is_resolved_and_changes_nothing(monkeypatch, capsys):
    def setup(stubber):
        encryption_reads(stubber, ACTIVE_KMS)

    def kms(stubber):
        stubber.add_response("describe_key", key_metadata(), {"KeyId": ALIAS})

    args = {"encryption": {"type": "KMS", "key_id": ALIAS}}
    result = run_module(monkeypatch, capsys, module, args, setup, kms, diff=True)
    assert result["changed"] is False
    assert result["diff"]["before"]["encryption"] == {"type": "KMS", "key_id": KEY_ARN}


def test_alias_pointing_elsewhere_puts_the_key_arn(monkeypatch, capsys):
    def setup(stubber):
        encryption_reads(stubber, ACTIVE_KMS)
        stubber.add_response(
            "put_encryption_config",
            {"EncryptionConfig": {"Type": "KMS", "KeyId": OTHER_KEY_ARN, "Status": "UPDATING"}},
            {"Type": "KMS", "KeyId": OTHER_KEY_ARN},
        )

    def kms(stubber):
        stubber.add_response("describe_key", key_metadata(OTHER_KEY_ARN), {"KeyId": ALIAS})

    args = {"encryption": {"type": "KMS", "key_id": ALIAS}}
    result = run_module(monkeypatch, capsys, module, args, setup, kms, diff=True)
    assert result["changed"] is True
    assert result["encryption"] == {"type": "KMS", "key_id": OTHER_KEY_ARN, "status": "UPDATING"}
    assert result["diff"]["after"]["encryption"] == {"type": "KMS", "key_id": OTHER_KEY_ARN}


def test_from_default_encryption_to_kms_in_check_mode(monkeypatch, capsys):
    def setup(stubber):
        encryption_reads(stubber, ACTIVE_NONE)

    args = {"encryption": {"type": "KMS", "key_id": KEY_ARN}}
    result = run_module(monkeypatch, capsys, module, args, setup, check_mode=True)
    assert result["changed"] is True
    assert result["encryption"] == {"type": "KMS", "key_id": KEY_ARN, "status": None}


def test_back_to_default_encryption(monkeypatch, capsys):
    def setup(stubber):
        encryption_reads(stubber, ACTIVE_KMS)
        stubber.add_response(
            "put_encryption_config", {"EncryptionConfig": {"Type": "NONE", "Status": "UPDATING"}}, {"Type": "NONE"}
        )

    result = run_module(monkeypatch, capsys, module, {"encryption": {"type": "NONE"}}, setup)
    assert result["changed"] is True
    assert result["encryption"] == {"type": "NONE", "key_id": None, "status": "UPDATING"}


def test_default_encryption_rerun(monkeypatch, capsys):
    def setup(stubber):
        encryption_reads(stubber, ACTIVE_NONE)

    result = run_module(monkeypatch, capsys, module, {"encryption": {"type": "NONE"}}, setup)
    assert result["changed"] is False


@pytest.mark.parametrize(
    ("metadata", "error", "expected"),
    [
        (key_metadata(state="Disabled"), None, "state Disabled"),
        (key_metadata(spec="RSA_2048"), None, "symmetric"),
        (None, "NotFoundException", "does not exist in this region"),
        (None, "AccessDeniedException", "give the key ARN"),
    ],
)
def test_unusable_keys_fail_before_any_change(monkeypatch, capsys, metadata, error, expected):
    def setup(stubber):
        encryption_reads(stubber, ACTIVE_NONE)

    def kms(stubber):
        if metadata:
            stubber.add_response("describe_key", metadata, {"KeyId": ALIAS})
        else:
            stubber.add_client_error("describe_key", error, "no")

    result = run_module(monkeypatch, capsys, module, {"encryption": {"type": "KMS", "key_id": ALIAS}}, setup, kms)
    assert result["failed"] is True and expected in result["msg"]
    assert result["msg"].startswith(f"encryption.key_id '{ALIAS}'")


# ---------------------------------------------------------------- the set module convention (doc fragment set_module)

GROUPS = [DEFAULT_GROUP, api_group("app-a"), api_group("app-old"), api_group("web-a")]
# Driven by tests/unit/plugins/module_utils/test_set_module.py, as the other set modules of the convention.
SET_KIT = SetKit(
    run=lambda monkeypatch, capsys, args, setup=None, **kw: run_module(monkeypatch, capsys, module, args, setup, **kw),
    args={"groups": [declared("app-a")]},
    prefix="app-",
    reads=lambda s, scoped: reads(s, GROUPS, scope="app-" if scoped else ""),
    delete=lambda s, which: s.add_response(
        "delete_group", {}, {"GroupARN": group_arn({"declared": "app-a", "old": "app-old"}[which])}
    ),
    names=lambda result: sorted(g["name"] for g in result["groups"]),
    declared="app-a",
    old="app-old",
    outside="web-a",
)


# ---------------------------------------------------------------- owner_tag: other owners' groups in the scope

PROD = {"securecloud:environment": "prod"}
OWNER = {"key": "securecloud:environment", "value": "prod"}
PROD_GROUPS = [DEFAULT_GROUP, api_group("prod-a"), api_group("prod-old"), api_group("prod-eu-a"), api_group("prod-x")]
PROD_GROUP_TAGS = {"prod-a": PROD, "prod-old": PROD, "prod-eu-a": {"securecloud:environment": "prod-eu"}, "prod-x": {}}


@pytest.mark.parametrize("state", ["present", "absent"])
def test_owner_tag_deletes_only_the_owned_groups(monkeypatch, capsys, state):
    """Without owner_tag, prod-eu-a (environment prod-eu) and prod-x (made by hand) would be deleted too."""

    def setup(stubber):
        reads(stubber, PROD_GROUPS, PROD_GROUP_TAGS, scope="prod-")
        if state == "absent":
            stubber.add_response("delete_group", {}, {"GroupARN": group_arn("prod-a")})
        stubber.add_response("delete_group", {}, {"GroupARN": group_arn("prod-old")})

    args = {"groups": [declared("prod-a", tags=PROD)], "prefix": "prod-", "owner_tag": OWNER, "state": state}
    result = run_module(monkeypatch, capsys, module, args, setup)
    assert result["changed"] is True and result["kept_foreign"] == ["prod-eu-a", "prod-x"]
    expected = ["prod-a", "prod-eu-a", "prod-x"] if state == "present" else ["prod-eu-a", "prod-x"]
    assert [g["name"] for g in result["groups"]] == expected


def test_owner_tag_must_be_on_every_declared_group(monkeypatch, capsys):
    args = {"groups": [declared("prod-a")], "prefix": "prod-", "owner_tag": OWNER}
    result = run_module(monkeypatch, capsys, module, args, aws=False)
    assert (
        result["failed"]
        and "groups[0].tags does not set the owner tag securecloud:environment: prod" in (result["msg"])
    )
