"""wafv2_web_acl's origin_verify option: the rule it builds, and bad input named without showing a secret."""

from __future__ import annotations

from ansible_collections.securecloud.monitor.plugins.module_utils.wafv2 import normalise_rule, rule_to_aws
from ansible_collections.securecloud.monitor.plugins.modules import wafv2_web_acl as module

SPEC = {
    "name": "origin-verify",
    "priority": 3,
    "header_name": "X-Origin-Verify",
    "values": ["b" * 32],
    "action": "block",
}


def test_one_value_is_one_byte_match_under_not():
    rule = module.origin_verify_rule(SPEC)
    match = rule["statement"]["NotStatement"]["Statement"]["ByteMatchStatement"]
    assert (rule["action"], rule["priority"]) == ("block", 3)
    assert match["FieldToMatch"] == {"SingleHeader": {"Name": "x-origin-verify"}}
    assert (match["PositionalConstraint"], match["SearchString"]) == ("EXACTLY", "b" * 32)


def test_three_values_are_an_or_in_a_stable_order():
    values = ["c" * 20, "a" * 20, "b" * 20]
    first = rule_to_aws(module.origin_verify_rule(SPEC | {"values": values}))
    second = rule_to_aws(module.origin_verify_rule(SPEC | {"values": list(reversed(values))}))
    assert normalise_rule(first) == normalise_rule(second)
    statements = first["Statement"]["NotStatement"]["Statement"]["OrStatement"]["Statements"]
    assert [s["ByteMatchStatement"]["SearchString"] for s in statements] == sorted(values)


def test_added_to_declared_rules_or_kept_beside_undeclared_ones():
    params = {
        "origin_verify": SPEC,
        "rules": [{"name": "rate", "priority": 10}],
        "purge_rules": True,
        "state": "present",
    }
    module.add_origin_verify(params)
    assert [r["name"] for r in params["rules"]] == ["rate", "origin-verify"] and params["purge_rules"]
    params = {"origin_verify": SPEC, "rules": None, "purge_rules": True, "state": "present"}
    module.add_origin_verify(params)
    assert [r["name"] for r in params["rules"]] == ["origin-verify"] and params["purge_rules"] is False


def test_bad_input_names_the_field_and_never_the_secret():
    secret = "s" * 201
    errors = module.origin_verify_errors(
        SPEC | {"header_name": "bad header", "values": [secret, ""], "priority": 10},
        [{"name": "rate", "priority": 10}, {"name": "origin-verify", "priority": 11}],
    )
    text = " ".join(errors)
    assert "origin_verify.header_name 'bad header' is not an HTTP header name" in text
    assert "origin_verify.values[0] is 201 bytes long" in text
    assert "origin_verify.values[1] is 0 bytes long" in text
    assert "origin_verify.priority 10 is also the priority of rules[0]" in text
    assert "origin_verify.name 'origin-verify' is also the name of rules[1]" in text
    assert secret not in text


def test_too_many_values_and_none_are_refused():
    assert "has 11 value(s)" in module.origin_verify_errors(SPEC | {"values": ["x" * 16] * 11}, [])[0]
    assert "has 0 value(s)" in module.origin_verify_errors(SPEC | {"values": []}, [])[0]
    assert module.origin_verify_errors(None, []) == []
    assert module.origin_verify_errors(SPEC, []) == []
