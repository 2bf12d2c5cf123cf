"""plugins/modules/shield_protection_group.py against a botocore Stubber."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import shield_protection_group as module

from tests.unit.plugins.module_utils.test_shield import ACCOUNT, ALB, EIP, NLB, ZONE, run_module

GROUP_ARN = f"arn:aws:shield::{ACCOUNT}:protection-group/web"
EIP_2 = EIP.replace("eipalloc-0123456789abcdef0", "eipalloc-0fedcba9876543210")


def group(**overrides):
    item = {
        "ProtectionGroupId": "web",
        "Aggregation": "MAX",
        "Pattern": "ARBITRARY",
        "Members": [ALB, EIP],
        "ProtectionGroupArn": GROUP_ARN,
    }
    item.update(overrides)
    return item


def reads(stubber, found, tags=None):
    if found is None:
        stubber.add_client_error("describe_protection_group", "ResourceNotFoundException", "gone", 404)
        return
    stubber.add_response("describe_protection_group", {"ProtectionGroup": found}, {"ProtectionGroupId": "web"})
    stubber.add_response(
        "list_tags_for_resource",
        {"Tags": [{"Key": k, "Value": v} for k, v in sorted((tags or {}).items())]},
        {"ResourceARN": GROUP_ARN},
    )


ARBITRARY = {"protection_group_id": "web", "aggregation": "MAX", "pattern": "ARBITRARY", "members": [EIP, ALB]}

BAD_INPUT = [
    ({"protection_group_id": "web"}, ["aggregation", "pattern"]),
    ({"protection_group_id": "web group", "state": "absent"}, ["protection_group_id 'web group'"]),
    (dict(ARBITRARY, members=None), ["members is required with pattern=ARBITRARY"]),
    (dict(ARBITRARY, pattern="ALL"), ["members is only for pattern=ARBITRARY"]),
    (dict(ARBITRARY, members=[ALB, NLB]), ["members[1]", "Network Load Balancer", "eip-allocation"]),
    (
        {"protection_group_id": "web", "aggregation": "SUM", "pattern": "BY_RESOURCE_TYPE"},
        ["resource_type is required with pattern=BY_RESOURCE_TYPE"],
    ),
    (
        {"protection_group_id": "web", "aggregation": "SUM", "pattern": "ALL", "resource_type": "GLOBAL_ACCELERATOR"},
        ["resource_type is only for pattern=BY_RESOURCE_TYPE"],
    ),
]


@pytest.mark.parametrize(("args", "expected"), BAD_INPUT)
def test_bad_input_fails_before_any_call(monkeypatch, capsys, args, expected):
    args = dict((k, v) for k, v in args.items() if v is not None)
    result = run_module(monkeypatch, capsys, module, args, aws=False)
    assert result["failed"]
    for text in expected:
        assert text in result["msg"], result["msg"]


def test_create_in_check_mode_makes_no_mutating_call(monkeypatch, capsys):
    result = run_module(monkeypatch, capsys, module, ARBITRARY, lambda s: reads(s, None), check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["protection_group"]["members"] == sorted([EIP, ALB])
    assert result["protection_group"]["arn"] is None
    assert result["diff"]["before"] == {}


def test_create_with_members_and_tags(monkeypatch, capsys):
    def calls(s):
        reads(s, None)
        s.add_response(
            "create_protection_group",
            {},
            {
                "ProtectionGroupId": "web",
                "Aggregation": "MAX",
                "Pattern": "ARBITRARY",
                "Members": sorted([ALB, EIP]),
                "Tags": [{"Key": "team", "Value": "web"}],
            },
        )
        reads(s, group(), {"team": "web"})

    result = run_module(monkeypatch, capsys, module, dict(ARBITRARY, tags={"team": "web"}), calls)
    assert result["changed"] is True
    assert result["protection_group"] == {
        "protection_group_id": "web",
        "aggregation": "MAX",
        "pattern": "ARBITRARY",
        "resource_type": None,
        "members": sorted([ALB, EIP]),
        "tags": {"team": "web"},
        "protection_group_arn": GROUP_ARN,
        "arn": GROUP_ARN,
    }


def test_members_are_compared_as_a_set(monkeypatch, capsys):
    args = dict(ARBITRARY, members=[EIP, ALB, EIP])
    result = run_module(monkeypatch, capsys, module, args, lambda s: reads(s, group(Members=[EIP, ALB])), diff=True)
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]


def test_member_change_updates_the_group(monkeypatch, capsys):
    def calls(s):
        reads(s, group())
        s.add_response(
            "update_protection_group",
            {},
            {"ProtectionGroupId": "web", "Aggregation": "MAX", "Pattern": "ARBITRARY", "Members": sorted([EIP, EIP_2])},
        )
        reads(s, group(Members=[EIP, EIP_2]))

    result = run_module(monkeypatch, capsys, module, dict(ARBITRARY, members=[EIP_2, EIP]), calls, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["members"] == sorted([ALB, EIP])
    assert result["diff"]["after"]["members"] == sorted([EIP, EIP_2])


def test_members_of_an_all_group_are_not_compared(monkeypatch, capsys):
    """For ALL and BY_RESOURCE_TYPE, Shield works the members out; they are not the task's to compare."""
    found = group(Pattern="BY_RESOURCE_TYPE", ResourceType="ELASTIC_IP_ALLOCATION", Members=[EIP, EIP_2])
    args = {"protection_group_id": "web", "aggregation": "MAX", "pattern": "BY_RESOURCE_TYPE"}
    args["resource_type"] = "ELASTIC_IP_ALLOCATION"
    result = run_module(monkeypatch, capsys, module, args, lambda s: reads(s, found))
    assert result["changed"] is False
    assert result["protection_group"]["members"] == sorted([EIP, EIP_2])


def test_pattern_change_in_check_mode_makes_no_mutating_call(monkeypatch, capsys):
    args = {"protection_group_id": "web", "aggregation": "SUM", "pattern": "ALL"}
    result = run_module(monkeypatch, capsys, module, args, lambda s: reads(s, group()), check_mode=True)
    assert result["changed"] is True
    assert result["protection_group"]["pattern"] == "ALL"


def test_pattern_change_sends_no_members(monkeypatch, capsys):
    def calls(s):
        reads(s, group())
        s.add_response(
            "update_protection_group",
            {},
            {
                "ProtectionGroupId": "web",
                "Aggregation": "SUM",
                "Pattern": "BY_RESOURCE_TYPE",
                "ResourceType": "ROUTE_53_HOSTED_ZONE",
            },
        )
        reads(s, group(Aggregation="SUM", Pattern="BY_RESOURCE_TYPE", ResourceType="ROUTE_53_HOSTED_ZONE", Members=[]))

    args = {"protection_group_id": "web", "aggregation": "SUM", "pattern": "BY_RESOURCE_TYPE"}
    args["resource_type"] = "ROUTE_53_HOSTED_ZONE"
    result = run_module(monkeypatch, capsys, module, args, calls)
    assert result["changed"] is True
    assert result["protection_group"]["resource_type"] == "ROUTE_53_HOSTED_ZONE"


def test_tags_only_change_tags(monkeypatch, capsys):
    def calls(s):
        reads(s, group(), {"team": "web", "old": "1"})
        s.add_response("untag_resource", {}, {"ResourceARN": GROUP_ARN, "TagKeys": ["old"]})
        s.add_response("tag_resource", {}, {"ResourceARN": GROUP_ARN, "Tags": [{"Key": "team", "Value": "edge"}]})
        reads(s, group(), {"team": "edge"})

    result = run_module(monkeypatch, capsys, module, dict(ARBITRARY, tags={"team": "edge"}), calls)
    assert result["changed"] is True
    assert result["protection_group"]["tags"] == {"team": "edge"}


def test_absent(monkeypatch, capsys):
    def calls(s):
        reads(s, group())
        s.add_response("delete_protection_group", {}, {"ProtectionGroupId": "web"})

    result = run_module(monkeypatch, capsys, module, {"protection_group_id": "web", "state": "absent"}, calls)
    assert (result["changed"], result["protection_group"]) == (True, {})


def test_absent_in_check_mode_and_when_gone(monkeypatch, capsys):
    args = {"protection_group_id": "web", "state": "absent"}
    result = run_module(monkeypatch, capsys, module, args, lambda s: reads(s, group()), check_mode=True)
    assert result["changed"] is True
    result = run_module(monkeypatch, capsys, module, args, lambda s: reads(s, None))
    assert result["changed"] is False


def test_zone_is_a_valid_member(monkeypatch, capsys):
    args = dict(ARBITRARY, members=[ZONE])
    result = run_module(monkeypatch, capsys, module, args, lambda s: reads(s, group(Members=[ZONE])))
    assert result["changed"] is False
