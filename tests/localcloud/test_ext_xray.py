"""X-Ray extensions (tools/localcloud/extensions/services/xray.py) on a real server, real boto3."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import Cloud

ACCOUNT = "123456789012"
NO_VALIDATION = Config(retries={"mode": "standard", "total_max_attempts": 1}, parameter_validation=False)


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


def _rule(name: str, priority: int = 100, **overrides: Any) -> dict[str, Any]:
    rule = {
        "RuleName": name,
        "ResourceARN": "*",
        "Priority": priority,
        "FixedRate": 0.1,
        "ReservoirSize": 2,
        "ServiceName": "web",
        "ServiceType": "*",
        "Host": "*",
        "HTTPMethod": "GET",
        "URLPath": "/api/*",
        "Version": 1,
    }
    rule.update(overrides)
    return rule


@pytest.fixture
def xray(cloud: Cloud) -> Any:
    return cloud.client("xray", config=NO_VALIDATION)


def _all_rules(xray: Any) -> list[dict[str, Any]]:
    records = xray.get_paginator("get_sampling_rules").paginate().build_full_result()["SamplingRuleRecords"]
    return [r["SamplingRule"] for r in records]


# -- sampling rules --------------------------------------------------------------------------------
def test_default_sampling_rule_is_always_there(xray: Any) -> None:
    [default] = _all_rules(xray)
    assert default["RuleName"] == "Default" and default["Priority"] == 10000
    assert default["FixedRate"] == 0.05 and default["ReservoirSize"] == 1
    assert default["RuleARN"] == f"arn:aws:xray:us-east-1:{ACCOUNT}:sampling-rule/Default"
    assert all(default[k] == "*" for k in ("ServiceName", "ServiceType", "Host", "HTTPMethod", "URLPath"))
    with pytest.raises(ClientError) as err:
        xray.delete_sampling_rule(RuleName="Default")
    assert _code(err) == "InvalidRequestException"
    with pytest.raises(ClientError) as err:
        xray.update_sampling_rule(SamplingRuleUpdate={"RuleName": "Default", "Priority": 5})
    assert _code(err) == "InvalidRequestException"
    updated = xray.update_sampling_rule(
        SamplingRuleUpdate={"RuleName": "Default", "FixedRate": 0.2, "ReservoirSize": 3, "Priority": 10000}
    )["SamplingRuleRecord"]["SamplingRule"]
    assert (updated["FixedRate"], updated["ReservoirSize"]) == (0.2, 3)


def test_sampling_rule_lifecycle(xray: Any) -> None:
    created = xray.create_sampling_rule(SamplingRule=_rule("api"), Tags=[{"Key": "team", "Value": "web"}])
    record = created["SamplingRuleRecord"]
    arn = record["SamplingRule"]["RuleARN"]
    assert arn == f"arn:aws:xray:us-east-1:{ACCOUNT}:sampling-rule/api"
    assert record["CreatedAt"] and record["SamplingRule"]["Attributes"] == {}
    assert [r["RuleName"] for r in _all_rules(xray)] == ["api", "Default"]  # by priority
    assert xray.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "web"}]

    update = {"RuleARN": arn, "FixedRate": 0.5, "Attributes": {"tier": "gold"}}
    rule = xray.update_sampling_rule(SamplingRuleUpdate=update)["SamplingRuleRecord"]["SamplingRule"]
    assert rule["FixedRate"] == 0.5 and rule["Attributes"] == {"tier": "gold"} and rule["Priority"] == 100
    assert _all_rules(xray)[0]["FixedRate"] == 0.5  # state survives across calls

    deleted = xray.delete_sampling_rule(RuleARN=arn)["SamplingRuleRecord"]["SamplingRule"]
    assert deleted["RuleName"] == "api"
    assert [r["RuleName"] for r in _all_rules(xray)] == ["Default"]
    for call in (
        lambda: xray.delete_sampling_rule(RuleName="api"),
        lambda: xray.update_sampling_rule(SamplingRuleUpdate={"RuleName": "api", "FixedRate": 0.1}),
        lambda: xray.delete_sampling_rule(RuleName="api", RuleARN=arn),
    ):
        with pytest.raises(ClientError) as err:
            call()
        assert _code(err) == "InvalidRequestException"
    with pytest.raises(ClientError) as err:
        xray.list_tags_for_resource(ResourceARN=arn)
    assert _code(err) == "ResourceNotFoundException"


@pytest.mark.parametrize(
    "overrides",
    [
        {"RuleName": "x" * 33},
        {"Priority": 0},
        {"Priority": 10000},
        {"FixedRate": 1.5},
        {"ReservoirSize": -1},
        {"Version": 2},
        {"ServiceName": None},
        {"URLPath": None},
        {"HTTPMethod": "x" * 11},
        {"Attributes": {f"k{i}": "v" for i in range(6)}},
    ],
)
def test_create_sampling_rule_validates_like_aws(xray: Any, overrides: dict[str, Any]) -> None:
    rule = {k: v for k, v in _rule("r", **overrides).items() if v is not None}
    with pytest.raises(ClientError) as err:
        xray.create_sampling_rule(SamplingRule=rule)
    assert _code(err) == "InvalidRequestException"


def test_sampling_rule_duplicates_limit_and_paging(xray: Any) -> None:
    xray.create_sampling_rule(SamplingRule=_rule("dup"))
    with pytest.raises(ClientError) as err:
        xray.create_sampling_rule(SamplingRule=_rule("dup", priority=2))
    assert _code(err) == "InvalidRequestException"
    for i in range(24):
        xray.create_sampling_rule(SamplingRule=_rule(f"r{i:02d}", priority=200 + i))
    with pytest.raises(ClientError) as err:
        xray.create_sampling_rule(SamplingRule=_rule("one-too-many"))
    assert _code(err) == "RuleLimitExceededException"
    first = xray.get_sampling_rules()
    assert len(first["SamplingRuleRecords"]) == 10 and first["NextToken"]
    assert len(_all_rules(xray)) == 26
    with pytest.raises(ClientError) as err:
        xray.get_sampling_rules(NextToken="garbage!")
    assert _code(err) == "InvalidRequestException"


# -- groups ----------------------------------------------------------------------------------------
def test_groups_lifecycle(xray: Any) -> None:
    groups = xray.get_groups()["Groups"]
    assert [g["GroupName"] for g in groups] == ["Default"]
    assert groups[0]["GroupARN"] == f"arn:aws:xray:us-east-1:{ACCOUNT}:group/Default"

    group = xray.create_group(
        GroupName="errors",
        FilterExpression='fault = true AND service("web")',
        InsightsConfiguration={"InsightsEnabled": True},
        Tags=[{"Key": "team", "Value": "web"}],
    )["Group"]
    arn = group["GroupARN"]
    assert arn.startswith(f"arn:aws:xray:us-east-1:{ACCOUNT}:group/errors/")
    assert group["InsightsConfiguration"] == {"InsightsEnabled": True, "NotificationsEnabled": False}
    assert xray.get_group(GroupName="errors")["Group"] == group
    assert xray.get_group(GroupARN=arn)["Group"]["GroupName"] == "errors"
    assert xray.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "web"}]

    updated = xray.update_group(
        GroupARN=arn, FilterExpression="responsetime > 5", InsightsConfiguration={"NotificationsEnabled": True}
    )["Group"]
    assert updated["FilterExpression"] == "responsetime > 5"
    assert updated["InsightsConfiguration"] == {"InsightsEnabled": True, "NotificationsEnabled": True}
    names = [g["GroupName"] for g in xray.get_paginator("get_groups").paginate().build_full_result()["Groups"]]
    assert names == ["Default", "errors"]

    xray.delete_group(GroupName="errors")
    for call in (lambda: xray.get_group(GroupName="errors"), lambda: xray.delete_group(GroupARN=arn)):
        with pytest.raises(ClientError) as err:
            call()
        assert _code(err) == "InvalidRequestException"


def test_group_validation(xray: Any) -> None:
    xray.create_group(GroupName="g", FilterExpression="fault = true")
    for kwargs in (
        {"GroupName": "g", "FilterExpression": "error = true"},  # duplicate
        {"GroupName": "Default", "FilterExpression": "error = true"},  # reserved
        {"GroupName": "x" * 33, "FilterExpression": "error = true"},
        {"GroupName": "blank", "FilterExpression": "   "},
        {"GroupName": "unbalanced", "FilterExpression": 'service("web"'},
        {"GroupName": "quote", "FilterExpression": 'service("web)'},
        {"GroupName": "notif", "FilterExpression": "fault", "InsightsConfiguration": {"NotificationsEnabled": True}},
    ):
        with pytest.raises(ClientError) as err:
            xray.create_group(**kwargs)
        assert _code(err) == "InvalidRequestException", kwargs
    for kwargs in ({"GroupName": "Default", "FilterExpression": "fault"}, {"GroupName": "nope"}):
        with pytest.raises(ClientError) as err:
            xray.update_group(**kwargs)
        assert _code(err) == "InvalidRequestException"
    with pytest.raises(ClientError) as err:
        xray.delete_group(GroupName="Default")
    assert _code(err) == "InvalidRequestException"
    # insights on the Default group may change
    default = xray.update_group(GroupName="Default", InsightsConfiguration={"InsightsEnabled": True})["Group"]
    assert default["InsightsConfiguration"]["InsightsEnabled"] is True


# -- tags ------------------------------------------------------------------------------------------
def test_tags_on_rules_and_groups(xray: Any) -> None:
    rule_arn = xray.create_sampling_rule(SamplingRule=_rule("r"))["SamplingRuleRecord"]["SamplingRule"]["RuleARN"]
    group_arn = xray.create_group(GroupName="g", FilterExpression="fault")["Group"]["GroupARN"]
    for arn in (rule_arn, group_arn):
        xray.tag_resource(ResourceARN=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
        xray.untag_resource(ResourceARN=arn, TagKeys=["a"])
        assert xray.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    with pytest.raises(ClientError) as err:
        xray.tag_resource(ResourceARN=rule_arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    assert _code(err) == "TooManyTagsException"
    with pytest.raises(ClientError) as err:
        xray.tag_resource(ResourceARN=rule_arn, Tags=[{"Key": "aws:x", "Value": "v"}])
    assert _code(err) == "InvalidRequestException"
    missing = f"arn:aws:xray:us-east-1:{ACCOUNT}:group/nope/ABC"
    for call in (
        lambda: xray.tag_resource(ResourceARN=missing, Tags=[{"Key": "a", "Value": "1"}]),
        lambda: xray.untag_resource(ResourceARN=missing, TagKeys=["a"]),
        lambda: xray.list_tags_for_resource(ResourceARN=missing),
    ):
        with pytest.raises(ClientError) as err:
            call()
        assert _code(err) == "ResourceNotFoundException"
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


# -- encryption ------------------------------------------------------------------------------------
def test_encryption_config(cloud: Cloud, xray: Any) -> None:
    assert xray.get_encryption_config()["EncryptionConfig"] == {"Type": "NONE", "Status": "ACTIVE"}
    kms = cloud.client("kms")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/xray", TargetKeyId=key["KeyId"])
    for key_id in (key["KeyId"], key["Arn"], "alias/xray", f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/xray"):
        put = xray.put_encryption_config(Type="KMS", KeyId=key_id)["EncryptionConfig"]
        assert put == {"Type": "KMS", "KeyId": key["Arn"], "Status": "UPDATING"}
    assert xray.get_encryption_config()["EncryptionConfig"] == {"Type": "KMS", "KeyId": key["Arn"], "Status": "ACTIVE"}

    other_region = cloud.client("kms", region_name="eu-west-1").create_key()["KeyMetadata"]
    kms.disable_key(KeyId=key["KeyId"])
    for kwargs in (
        {"Type": "KMS"},
        {"Type": "KMS", "KeyId": "alias/nope"},
        {"Type": "KMS", "KeyId": "00000000-0000-0000-0000-000000000000"},
        {"Type": "KMS", "KeyId": other_region["Arn"]},
        {"Type": "KMS", "KeyId": key["KeyId"]},  # disabled
        {"Type": "AES"},
    ):
        with pytest.raises(ClientError) as err:
            xray.put_encryption_config(**kwargs)
        assert _code(err) == "InvalidRequestException", kwargs
    xray.put_encryption_config(Type="NONE")
    assert xray.get_encryption_config()["EncryptionConfig"] == {"Type": "NONE", "Status": "ACTIVE"}


def test_reset_empties_xray_state(cloud: Cloud, xray: Any) -> None:
    xray.create_sampling_rule(SamplingRule=_rule("r"))
    xray.create_group(GroupName="g", FilterExpression="fault")
    xray.put_encryption_config(Type="KMS", KeyId=cloud.client("kms").create_key()["KeyMetadata"]["KeyId"])
    assert cloud.post("/_localcloud/reset")[0] == 200
    assert [r["RuleName"] for r in _all_rules(xray)] == ["Default"]
    assert [g["GroupName"] for g in xray.get_groups()["Groups"]] == ["Default"]
    assert xray.get_encryption_config()["EncryptionConfig"]["Type"] == "NONE"


def test_moto_trace_routes_still_work(xray: Any) -> None:
    assert xray.get_trace_summaries(StartTime=0, EndTime=1)["TraceSummaries"] == []


def test_health_lists_xray_actions(cloud: Cloud) -> None:
    _, health = cloud.get("/_localcloud/health")
    for name in ("CreateSamplingRule", "GetGroups", "PutEncryptionConfig", "ListTagsForResource"):
        assert f"xray:{name}" in health["extensions"]
