"""plugins/modules/shield_protection.py against a botocore Stubber: input checks, set-diffing, check mode."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import shield_protection as module

from tests.unit.plugins.module_utils.test_shield import (
    ACCOUNT,
    ALB,
    DISTRIBUTION,
    EIP,
    HEALTH_CHECK,
    NLB,
    REST_API,
    ZONE,
    run_module,
)
from tests.unit.set_convention import SetKit

ID_A = "a" * 8 + "-aaaa-aaaa-aaaa-" + "a" * 12
ID_B = "b" * 8 + "-bbbb-bbbb-bbbb-" + "b" * 12
ID_C = "c" * 8 + "-cccc-cccc-cccc-" + "c" * 12
CHECK_ID_2 = "ffff1234-ab12-cd34-ef56-abcdef123456"
HEALTH_CHECK_2 = f"arn:aws:route53:::healthcheck/{CHECK_ID_2}"


def protection(protection_id, name, arn, checks=(), alar=None):
    item = {
        "Id": protection_id,
        "Name": name,
        "ResourceArn": arn,
        "ProtectionArn": f"arn:aws:shield::{ACCOUNT}:protection/{protection_id}",
        "HealthCheckIds": list(checks),
    }
    if alar:
        item["ApplicationLayerAutomaticResponseConfiguration"] = {
            "Status": "ENABLED" if alar != "disabled" else "DISABLED",
            "Action": {"Block": {}} if alar == "block" else {"Count": {}},
        }
    return item


def parn(protection_id):
    return f"arn:aws:shield::{ACCOUNT}:protection/{protection_id}"


def tags_list(tags):
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def reads(stubber, protections, tags=None):
    """ListProtections, then ListTagsForResource for every protection in the scope (in list order)."""
    stubber.add_response("list_protections", {"Protections": protections}, {})
    for item in protections:
        if item["Id"] in (tags or {}):
            stubber.add_response(
                "list_tags_for_resource",
                {"Tags": tags_list(tags[item["Id"]])},
                {"ResourceARN": parn(item["Id"])},
            )


# ---------------------------------------------------------------- input checks (no AWS call at all)

BAD_INPUT = [
    (
        {"protections": [{"name": "edge", "resource_arn": NLB}]},
        ["protections[0].resource_arn", "Network Load Balancer", "eip-allocation"],
    ),
    (
        {"protections": [{"name": "ok", "resource_arn": EIP}, {"name": "api", "resource_arn": REST_API}]},
        ["protections[1].resource_arn", "API Gateway", "WAF", "CloudFront"],
    ),
    (
        {"protections": [{"name": "eip", "resource_arn": "eipalloc-0123456789abcdef0"}]},
        ["protections[0].resource_arn", "not an ARN"],
    ),
    (
        {"protections": [{"name": "p", "resource_arn": EIP}, {"name": "p", "resource_arn": ZONE}]},
        ["protections[1].name 'p' is also protections[0].name"],
    ),
    (
        {"protections": [{"name": "p1", "resource_arn": EIP}, {"name": "p2", "resource_arn": EIP}]},
        ["protections[1].resource_arn", "one protection per resource"],
    ),
    (
        {"protections": [{"name": "p", "resource_arn": EIP, "application_layer_automatic_response": "block"}]},
        ["protections[0].application_layer_automatic_response", "Elastic IP allocation", "disabled"],
    ),
    (
        {"protections": [{"name": "p", "resource_arn": ALB, "health_check_arns": ["abcd"]}]},
        ["protections[0].health_check_arns[0]", "arn:aws:route53:::healthcheck/"],
    ),
    (
        {"protections": [{"name": "p", "resource_arn": ALB, "health_check_arns": [HEALTH_CHECK, HEALTH_CHECK_2]}]},
        ["protections[0].health_check_arns lists 2", "calculated health check"],
    ),
    (
        {"protections": [{"name": "bad/name", "resource_arn": ALB}]},
        ["protections[0].name", "letters, digits"],
    ),
    (
        {"purge": True, "protections": []},
        ["purge=true needs prefix", "or to '' to make all of them the scope on purpose"],
    ),
    (
        {"prefix": "web-", "purge": False, "protections": [{"name": "api", "resource_arn": ALB}]},
        ["protections[0].name 'api' does not start with prefix 'web-'"],
    ),
]


@pytest.mark.parametrize(("args", "expected"), BAD_INPUT)
def test_bad_input_fails_before_any_call(monkeypatch, capsys, args, expected):
    result = run_module(monkeypatch, capsys, module, args, aws=False)
    assert result["failed"]
    for text in expected:
        assert text in result["msg"], result["msg"]


# ---------------------------------------------------------------- create


DECLARED_ALB = {
    "name": "web-alb",
    "resource_arn": ALB,
    "health_check_arns": [HEALTH_CHECK],
    "application_layer_automatic_response": "count",
    "tags": {"team": "web"},
}
DECLARED_EIP = {"name": "web-eip", "resource_arn": EIP}


def test_create_in_check_mode_makes_no_mutating_call(monkeypatch, capsys):
    result = run_module(
        monkeypatch,
        capsys,
        module,
        {"protections": [DECLARED_ALB, DECLARED_EIP], "prefix": "web-", "purge": False},
        lambda s: reads(s, []),
        check_mode=True,
        diff=True,
    )
    assert result["changed"] is True
    assert [(p["name"], p["id"]) for p in result["protections"]] == [("web-alb", None), ("web-eip", None)]
    assert result["diff"]["before"] == {}
    assert [p["name"] for p in result["diff"]["after"]["protections"]] == ["web-alb", "web-eip"]


def test_create_sets_health_checks_alar_and_tags(monkeypatch, capsys):
    def calls(s):
        reads(s, [])
        s.add_response(
            "create_protection",
            {"ProtectionId": ID_A},
            {"Name": "web-alb", "ResourceArn": ALB, "Tags": [{"Key": "team", "Value": "web"}]},
        )
        s.add_response("describe_protection", {"Protection": protection(ID_A, "web-alb", ALB)}, {"ProtectionId": ID_A})
        s.add_response("associate_health_check", {}, {"ProtectionId": ID_A, "HealthCheckArn": HEALTH_CHECK})
        s.add_response("enable_application_layer_automatic_response", {}, {"ResourceArn": ALB, "Action": {"Count": {}}})
        s.add_response("create_protection", {"ProtectionId": ID_B}, {"Name": "web-eip", "ResourceArn": EIP})
        s.add_response("describe_protection", {"Protection": protection(ID_B, "web-eip", EIP)}, {"ProtectionId": ID_B})

    result = run_module(monkeypatch, capsys, module, {"protections": [DECLARED_ALB, DECLARED_EIP]}, calls)
    assert result["changed"] is True
    alb, eip = result["protections"]
    assert alb == {
        "name": "web-alb",
        "resource_arn": ALB,
        "resource_type": "APPLICATION_LOAD_BALANCER",
        "health_check_arns": [HEALTH_CHECK],
        "application_layer_automatic_response": "count",
        "tags": {"team": "web"},
        "id": ID_A,
        "protection_arn": parn(ID_A),
    }
    assert (eip["id"], eip["application_layer_automatic_response"], eip["tags"]) == (ID_B, "disabled", {})


# ---------------------------------------------------------------- idempotence and updates


def existing_alb(checks=("abcd1234-ab12-cd34-ef56-abcdef123456",), alar="count"):
    return protection(ID_A, "web-alb", ALB, checks, alar)


def test_same_input_makes_no_change(monkeypatch, capsys):
    result = run_module(
        monkeypatch,
        capsys,
        module,
        {"protections": [DECLARED_ALB, DECLARED_EIP], "prefix": "web-", "purge": False},
        lambda s: reads(s, [existing_alb(), protection(ID_B, "web-eip", EIP)], {ID_A: {"team": "web"}, ID_B: {}}),
        diff=True,
    )
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]


def test_update_swaps_health_check_alar_action_and_tags(monkeypatch, capsys):
    declared = dict(
        DECLARED_ALB,
        health_check_arns=[HEALTH_CHECK_2],
        application_layer_automatic_response="block",
        tags={"team": "edge"},
    )

    def calls(s):
        reads(s, [existing_alb()], {ID_A: {"team": "web", "old": "x", "aws:owner": "fms"}})
        s.add_response("disassociate_health_check", {}, {"ProtectionId": ID_A, "HealthCheckArn": HEALTH_CHECK})
        s.add_response("associate_health_check", {}, {"ProtectionId": ID_A, "HealthCheckArn": HEALTH_CHECK_2})
        s.add_response("update_application_layer_automatic_response", {}, {"ResourceArn": ALB, "Action": {"Block": {}}})
        s.add_response("untag_resource", {}, {"ResourceARN": parn(ID_A), "TagKeys": ["old"]})
        s.add_response("tag_resource", {}, {"ResourceARN": parn(ID_A), "Tags": [{"Key": "team", "Value": "edge"}]})

    result = run_module(monkeypatch, capsys, module, {"protections": [declared]}, calls, diff=True)
    assert result["changed"] is True
    before, after = result["diff"]["before"]["protections"][0], result["diff"]["after"]["protections"][0]
    assert before["health_check_arns"] == [HEALTH_CHECK] and after["health_check_arns"] == [HEALTH_CHECK_2]
    assert (before["application_layer_automatic_response"], after["application_layer_automatic_response"]) == (
        "count",
        "block",
    )
    assert after["tags"] == {"team": "edge", "aws:owner": "fms"}
    assert "id" not in after


def test_update_in_check_mode_makes_no_mutating_call(monkeypatch, capsys):
    declared = dict(DECLARED_ALB, application_layer_automatic_response="disabled", health_check_arns=[])
    result = run_module(
        monkeypatch,
        capsys,
        module,
        {"protections": [declared]},
        lambda s: reads(s, [existing_alb()], {ID_A: {"team": "web"}}),
        check_mode=True,
    )
    assert result["changed"] is True
    assert result["protections"][0]["application_layer_automatic_response"] == "disabled"
    assert result["protections"][0]["id"] == ID_A


def test_alar_disabled_and_unset_options_left_alone(monkeypatch, capsys):
    """Disabling ALAR is one call; health checks and tags that the task does not set are not touched."""

    def calls(s):
        reads(s, [existing_alb()], {ID_A: {"team": "web"}})
        s.add_response("disable_application_layer_automatic_response", {}, {"ResourceArn": ALB})

    result = run_module(monkeypatch, capsys, module, {"protections": [{"name": "web-alb", "resource_arn": ALB}]}, calls)
    assert result["changed"] is True
    assert result["protections"][0]["health_check_arns"] == [HEALTH_CHECK]
    assert result["protections"][0]["tags"] == {"team": "web"}


# ---------------------------------------------------------------- scope and purge


def test_purge_deletes_only_undeclared_protections_in_scope(monkeypatch, capsys):
    existing = [
        protection(ID_B, "web-eip", EIP),
        protection(ID_C, "web-cdn", DISTRIBUTION, alar="block"),
        protection(ID_A, "api-zone", ZONE),  # outside the scope: never read, never deleted
    ]

    def calls(s):
        reads(s, existing, {ID_B: {}, ID_C: {}})
        s.add_response("disable_application_layer_automatic_response", {}, {"ResourceArn": DISTRIBUTION})
        s.add_response("delete_protection", {}, {"ProtectionId": ID_C})

    result = run_module(
        monkeypatch,
        capsys,
        module,
        {"protections": [DECLARED_EIP], "prefix": "web-", "purge": True},
        calls,
        diff=True,
    )
    assert result["changed"] is True
    assert [p["name"] for p in result["protections"]] == ["web-eip"]
    assert [p["name"] for p in result["diff"]["before"]["protections"]] == ["web-cdn", "web-eip"]


def test_without_purge_undeclared_protections_stay_and_are_returned(monkeypatch, capsys):
    existing = [protection(ID_B, "web-eip", EIP), protection(ID_C, "web-zone", ZONE)]
    result = run_module(
        monkeypatch,
        capsys,
        module,
        {"protections": [DECLARED_EIP], "prefix": "web-", "purge": False},
        lambda s: reads(s, existing, {ID_B: {}, ID_C: {"k": "v"}}),
    )
    assert result["changed"] is False
    assert [(p["name"], p["tags"]) for p in result["protections"]] == [("web-eip", {}), ("web-zone", {"k": "v"})]


def test_empty_prefix_purges_the_whole_account(monkeypatch, capsys):
    def calls(s):
        reads(s, [protection(ID_A, "anything", ZONE)], {ID_A: {}})
        s.add_response("delete_protection", {}, {"ProtectionId": ID_A})

    result = run_module(monkeypatch, capsys, module, {"protections": [], "prefix": "", "purge": True}, calls)
    assert result["changed"] is True
    assert result["protections"] == []


def test_purge_in_check_mode_makes_no_mutating_call(monkeypatch, capsys):
    result = run_module(
        monkeypatch,
        capsys,
        module,
        {"protections": [], "prefix": "web-", "purge": True},
        lambda s: reads(s, [protection(ID_B, "web-eip", EIP)], {ID_B: {}}),
        check_mode=True,
    )
    assert result["changed"] is True
    assert result["protections"] == []


def test_rename_replaces_the_protection_and_keeps_its_health_checks_and_tags(monkeypatch, capsys):
    def calls(s):
        reads(s, [protection(ID_B, "web-old", ZONE, ["abcd1234-ab12-cd34-ef56-abcdef123456"])], {ID_B: {"k": "v"}})
        s.add_response("delete_protection", {}, {"ProtectionId": ID_B})
        s.add_response(
            "create_protection",
            {"ProtectionId": ID_C},
            {"Name": "web-zone", "ResourceArn": ZONE, "Tags": [{"Key": "k", "Value": "v"}]},
        )
        described = {"Protection": protection(ID_C, "web-zone", ZONE)}
        s.add_response("describe_protection", described, {"ProtectionId": ID_C})
        s.add_response("associate_health_check", {}, {"ProtectionId": ID_C, "HealthCheckArn": HEALTH_CHECK})

    result = run_module(
        monkeypatch,
        capsys,
        module,
        {"protections": [{"name": "web-zone", "resource_arn": ZONE}], "prefix": "web-", "purge": False},
        calls,
    )
    assert result["changed"] is True
    assert [(p["name"], p["id"]) for p in result["protections"]] == [("web-zone", ID_C)]


def test_resource_protected_outside_the_scope_fails_before_any_change(monkeypatch, capsys):
    result = run_module(
        monkeypatch,
        capsys,
        module,
        {"protections": [{"name": "web-zone", "resource_arn": ZONE}], "prefix": "web-", "purge": False},
        lambda s: s.add_response("list_protections", {"Protections": [protection(ID_A, "api-zone", ZONE)]}, {}),
    )
    assert result["failed"]
    assert "protections[0].resource_arn" in result["msg"]
    assert "'api-zone'" in result["msg"]
    assert "outside prefix" in result["msg"]


# ---------------------------------------------------------------- the set module convention (doc fragment set_module)

IN_SCOPE_AND_OUT = [
    protection(ID_B, "web-eip", EIP),
    protection(ID_C, "web-zone", ZONE),
    protection(ID_A, "api-alb", ALB),
]
# Driven by tests/unit/plugins/module_utils/test_set_module.py, as the other set modules of the convention.
SET_KIT = SetKit(
    run=lambda monkeypatch, capsys, args, setup=None, **kw: run_module(monkeypatch, capsys, module, args, setup, **kw),
    args={"protections": [DECLARED_EIP]},
    prefix="web-",
    reads=lambda s, scoped: reads(
        s, IN_SCOPE_AND_OUT, {ID_B: {}, ID_C: {}} if scoped else {ID_A: {}, ID_B: {}, ID_C: {}}
    ),
    delete=lambda s, which: s.add_response(
        "delete_protection", {}, {"ProtectionId": {"declared": ID_B, "old": ID_C}[which]}
    ),
    names=lambda result: sorted(p["name"] for p in result["protections"]),
    declared="web-eip",
    old="web-zone",
    outside="api-alb",
)


# ---------------------------------------------------------------- owner_tag: a name prefix other owners' names share

OWNER = {"key": "securecloud:environment", "value": "prod"}
PROD_TAGS = {"securecloud:environment": "prod"}
PROD_EIP = {"name": "prod-eip", "resource_arn": EIP, "tags": PROD_TAGS}
# Shield is global: prod-eu's protections and one made by hand are in prod's scope prod- too.
PROD_SCOPE = [
    protection(ID_B, "prod-eip", EIP),
    protection(ID_C, "prod-eu-zone", ZONE),
    protection(ID_A, "prod-manual", ALB),
]
PROD_SCOPE_TAGS = {ID_B: PROD_TAGS, ID_C: {"securecloud:environment": "prod-eu"}, ID_A: {"team": "web"}}


def test_owner_tag_purge_keeps_other_owners_protections(monkeypatch, capsys):
    """Fails without owner_tag: prod-eu-zone and prod-manual would be deleted, as they start with prod-."""
    stale = protection("d" * 8 + "-dddd-dddd-dddd-" + "d" * 12, "prod-old", DISTRIBUTION)

    def calls(s):
        reads(s, [*PROD_SCOPE, stale], dict(PROD_SCOPE_TAGS, **{stale["Id"]: PROD_TAGS}))
        s.add_response("delete_protection", {}, {"ProtectionId": stale["Id"]})

    args = {"protections": [PROD_EIP], "prefix": "prod-", "owner_tag": OWNER}
    result = run_module(monkeypatch, capsys, module, args, calls, diff=True)
    assert result["changed"] is True
    assert result["kept_foreign"] == ["prod-eu-zone", "prod-manual"]
    assert [p["name"] for p in result["protections"]] == ["prod-eip", "prod-eu-zone", "prod-manual"]
    assert [p["name"] for p in result["diff"]["after"]["protections"]] == ["prod-eip", "prod-eu-zone", "prod-manual"]


def test_owner_tag_converged_run_makes_no_mutating_call(monkeypatch, capsys):
    args = {"protections": [PROD_EIP], "prefix": "prod-", "owner_tag": OWNER}
    result = run_module(monkeypatch, capsys, module, args, lambda s: reads(s, PROD_SCOPE, PROD_SCOPE_TAGS))
    assert result["changed"] is False
    assert result["kept_foreign"] == ["prod-eu-zone", "prod-manual"]


@pytest.mark.parametrize("check_mode", [True, False])
def test_owner_tag_state_absent_deletes_the_owned_protections_only(monkeypatch, capsys, check_mode):
    def calls(s):
        reads(s, PROD_SCOPE, PROD_SCOPE_TAGS)
        if not check_mode:
            s.add_response("delete_protection", {}, {"ProtectionId": ID_B})

    args = {"prefix": "prod-", "owner_tag": OWNER, "state": "absent"}
    result = run_module(monkeypatch, capsys, module, args, calls, check_mode=check_mode)
    assert result["changed"] is True
    assert result["kept_foreign"] == ["prod-eu-zone", "prod-manual"]
    assert [p["name"] for p in result["protections"]] == ["prod-eu-zone", "prod-manual"]


def test_owner_tag_with_purge_false_reports_nothing_kept(monkeypatch, capsys):
    args = {"protections": [PROD_EIP], "prefix": "prod-", "purge": False, "owner_tag": OWNER}
    result = run_module(monkeypatch, capsys, module, args, lambda s: reads(s, PROD_SCOPE, PROD_SCOPE_TAGS))
    assert (result["changed"], result["kept_foreign"]) == (False, [])


def test_owner_tag_refuses_to_rename_another_owners_protection(monkeypatch, capsys):
    """prod declares the zone that prod-eu protects as prod-eu-zone: renaming would delete prod-eu's protection."""
    declared = {"name": "prod-zone", "resource_arn": ZONE, "tags": PROD_TAGS}
    args = {"protections": [PROD_EIP, declared], "prefix": "prod-", "owner_tag": OWNER}
    result = run_module(monkeypatch, capsys, module, args, lambda s: reads(s, PROD_SCOPE, PROD_SCOPE_TAGS))
    assert result["failed"]
    for text in ("protections[1].resource_arn", "'prod-eu-zone'", "securecloud:environment: prod", "another owner"):
        assert text in result["msg"], result["msg"]


def test_owner_tag_adopts_a_declared_protection_of_the_same_name_and_tags_it(monkeypatch, capsys):
    """A protection the task declares by its very name is the task's: it is updated (tagged), never deleted."""

    def calls(s):
        reads(s, [protection(ID_B, "prod-eip", EIP)], {ID_B: {}})
        s.add_response("tag_resource", {}, {"ResourceARN": parn(ID_B), "Tags": tags_list(PROD_TAGS)})

    args = {"protections": [PROD_EIP], "prefix": "prod-", "owner_tag": OWNER}
    result = run_module(monkeypatch, capsys, module, args, calls)
    assert (result["changed"], result["kept_foreign"]) == (True, [])
    assert result["protections"][0]["tags"] == PROD_TAGS


@pytest.mark.parametrize(
    ("declared", "said"),
    [
        ({"name": "prod-eip", "resource_arn": EIP}, "protections[0].tags does not set the owner tag"),
        (
            {"name": "prod-eip", "resource_arn": EIP, "tags": {"securecloud:environment": "dev"}},
            "protections[0].tags lacks the owner tag securecloud:environment: prod",
        ),
    ],
)
def test_owner_tag_must_be_on_every_declared_protection(monkeypatch, capsys, declared, said):
    args = {"protections": [declared], "prefix": "prod-", "owner_tag": OWNER}
    result = run_module(monkeypatch, capsys, module, args, aws=False)
    assert result["failed"] and said in result["msg"], result["msg"]
