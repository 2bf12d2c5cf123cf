"""plugins/modules/xray_sampling_rule.py against a botocore Stubber: input checks, set-diffing, check and diff mode."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import xray_sampling_rule as module

from tests.unit.plugins.module_utils.test_xray import rule_arn, run_module
from tests.unit.set_convention import SetKit

WILDCARDS = {"ServiceName": "*", "ServiceType": "*", "Host": "*", "HTTPMethod": "*", "URLPath": "*", "ResourceARN": "*"}


def api_rule(name, priority, fixed_rate=0.1, reservoir=1, version=1, **fields):
    rule = dict(
        WILDCARDS,
        RuleName=name,
        RuleARN=rule_arn(name),
        Priority=priority,
        FixedRate=fixed_rate,
        ReservoirSize=reservoir,
        Version=version,
    )
    rule.update(fields)
    return rule


DEFAULT = api_rule("Default", 10000, 0.05, 1)


def reads(stubber, rules, tags=None, scope=""):
    """GetSamplingRules, then ListTagsForResource for every custom rule whose name starts with ``scope`` (in list
    order), answering the tags given in ``tags`` or none."""
    stubber.add_response("get_sampling_rules", {"SamplingRuleRecords": [{"SamplingRule": r} for r in rules]}, {})
    for rule in rules:
        if rule["RuleName"] != "Default" and rule["RuleName"].startswith(scope):
            tag_list = [{"Key": k, "Value": v} for k, v in sorted((tags or {}).get(rule["RuleName"], {}).items())]
            stubber.add_response("list_tags_for_resource", {"Tags": tag_list}, {"ResourceARN": rule["RuleARN"]})


def record(rule):
    return {"SamplingRuleRecord": {"SamplingRule": rule}}


def create_request(name, priority, fixed_rate=0.1, reservoir=1, tags=None, **fields):
    rule = dict(WILDCARDS, RuleName=name, Priority=priority, FixedRate=fixed_rate, ReservoirSize=reservoir, Version=1)
    rule.update(fields)
    request = {"SamplingRule": rule}
    if tags:
        request["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(tags.items())]
    return request


def declared(name, priority, fixed_rate=0.1, reservoir=1, **options):
    return dict(options, name=name, priority=priority, fixed_rate=fixed_rate, reservoir_size=reservoir)


# ---------------------------------------------------------------- input checks (no AWS call at all)

BAD_INPUT = [
    ({"rules": [declared("app-a", 0)]}, ["rules[0].priority is 0", "1 to 9999"]),
    ({"rules": [declared("app-a", 10000)]}, ["rules[0].priority is 10000"]),
    ({"rules": [declared("app-a", 1, fixed_rate=1.5)]}, ["rules[0].fixed_rate is 1.5", "between 0 and 1"]),
    ({"rules": [declared("app-a", 1, fixed_rate=-0.1)]}, ["rules[0].fixed_rate is -0.1"]),
    ({"rules": [declared("app-a", 1, reservoir=-1)]}, ["rules[0].reservoir_size is -1", "0 or more"]),
    ({"rules": [declared("a" * 33, 1)]}, ["rules[0].name", "1 to 32"]),
    ({"rules": [declared("app a", 1)]}, ["rules[0].name 'app a'", "letters, digits"]),
    ({"rules": [declared("Default", 1)]}, ["rules[0].name 'Default'", "default_rule"]),
    (
        {"rules": [declared("app-a", 1), declared("app-a", 2)]},
        ["rules[1].name 'app-a' is also rules[0].name"],
    ),
    (
        {"rules": [declared("app-a", 5), declared("app-b", 5)]},
        ["rules[1].priority 5 is also rules[0].priority"],
    ),
    ({"rules": [declared("web-a", 1)], "prefix": "app-", "purge": False}, ["rules[0].name 'web-a'", "prefix 'app-'"]),
    ({"rules": [], "purge": True}, ["purge=true needs prefix", "''"]),
    ({"rules": [declared("app-a", 1, host="")]}, ["rules[0].host is empty", "'*'"]),
    ({"rules": [declared("app-a", 1, http_method="PROPPATCHXX")]}, ["rules[0].http_method has 11 characters"]),
    ({"rules": [declared("app-a", 1, url_path="/" * 129)]}, ["rules[0].url_path has 129", "at most 128"]),
    (
        {"rules": [declared("app-a", 1, attributes={str(i): "v" for i in range(6)})]},
        ["rules[0].attributes has 6 entries", "at most 5"],
    ),
    ({"rules": [declared("app-a", 1, attributes={"k": "v" * 33})]}, ["rules[0].attributes.k", "1 to 32"]),
    ({"rules": [declared("app-a", 1, attributes={"k" * 33: "v"})]}, ["rules[0].attributes key", "1 to 32"]),
    ({"rules": [declared("app-a", 1, tags={"aws:x": "y"})]}, ["rules[0].tags key 'aws:x'", "reserved"]),
    ({"default_rule": {"fixed_rate": 2}}, ["default_rule.fixed_rate is 2.0"]),
    ({"default_rule": {"reservoir_size": -5}}, ["default_rule.reservoir_size is -5"]),
]


@pytest.mark.parametrize(("args", "expected"), BAD_INPUT)
def test_bad_input_fails_before_any_aws_call(monkeypatch, capsys, args, expected):
    result = run_module(monkeypatch, capsys, module, args, aws=False)
    assert result["failed"] is True
    for part in expected:
        assert part in result["msg"], result["msg"]


def test_every_problem_is_reported_at_once(monkeypatch, capsys):
    args = {"rules": [declared("app a", 0, fixed_rate=3), declared("app-b", 1, reservoir=-1)], "purge": True}
    result = run_module(monkeypatch, capsys, module, args, aws=False)
    assert len(result["errors"]) == 5


# ---------------------------------------------------------------- create, update, idempotence


def test_check_mode_plans_a_create_without_calling_it(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT])

    args = {"rules": [declared("app-a", 10, tags={"Team": "web"})], "prefix": "app-", "purge": False}
    result = run_module(monkeypatch, capsys, module, args, setup, check_mode=True, diff=True)
    assert result["changed"] is True
    [rule] = result["rules"]
    assert rule["arn"] is None and rule["tags"] == {"Team": "web"} and rule["service_name"] == "*"
    assert result["diff"]["before"] == {"default_rule": {"fixed_rate": 0.05, "reservoir_size": 1}}
    assert [r["name"] for r in result["diff"]["after"]["rules"]] == ["app-a"]
    assert result["default_rule"]["arn"] == rule_arn("Default")


def test_create_sends_the_complete_rule_with_tags(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT])
        request = create_request(
            "app-pay", 20, 0.5, 5, tags={"Team": "pay"}, ServiceName="payments", Attributes={"tier": "1"}
        )
        created = api_rule("app-pay", 20, 0.5, 5, ServiceName="payments", Attributes={"tier": "1"})
        stubber.add_response("create_sampling_rule", record(created), request)

    rule = declared("app-pay", 20, 0.5, 5, service_name="payments", attributes={"tier": 1}, tags={"Team": "pay"})
    result = run_module(monkeypatch, capsys, module, {"rules": [rule]}, setup)
    assert result["changed"] is True
    assert result["rules"][0]["arn"] == rule_arn("app-pay")
    assert result["rules"][0]["attributes"] == {"tier": "1"}


def test_identical_rerun_makes_read_calls_only(monkeypatch, capsys):
    existing = api_rule("app-pay", 20, 0.5, 5, ServiceName="payments", Attributes={"tier": "1"})

    def setup(stubber):
        reads(stubber, [DEFAULT, existing, api_rule("web-x", 3)], tags={"app-pay": {"Team": "pay"}}, scope="app-")

    rule = declared("app-pay", 20, 0.5, 5, service_name="payments", attributes={"tier": "1"}, tags={"Team": "pay"})
    args = {"rules": [rule], "prefix": "app-", "purge": True, "default_rule": {"fixed_rate": 0.05}}
    result = run_module(monkeypatch, capsys, module, args, setup, diff=True)
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]
    assert [r["name"] for r in result["rules"]] == ["app-pay"]  # web-x is outside the scope


def test_update_sends_every_managed_field_and_tags(monkeypatch, capsys):
    existing = api_rule("app-pay", 20, 0.5, 5, ServiceName="payments", Attributes={"tier": "1"})

    def setup(stubber):
        reads(stubber, [DEFAULT, existing], tags={"app-pay": {"Team": "pay", "Old": "x"}})
        update = dict(WILDCARDS, RuleName="app-pay", Priority=20, FixedRate=0.25, ReservoirSize=5, Attributes={})
        update["ServiceName"] = "payments"
        stubber.add_response(
            "update_sampling_rule", record(api_rule("app-pay", 20, 0.25, 5)), {"SamplingRuleUpdate": update}
        )
        stubber.add_response("untag_resource", {}, {"ResourceARN": rule_arn("app-pay"), "TagKeys": ["Old"]})
        stubber.add_response(
            "tag_resource", {}, {"ResourceARN": rule_arn("app-pay"), "Tags": [{"Key": "Team", "Value": "payments"}]}
        )

    rule = declared("app-pay", 20, 0.25, 5, service_name="payments", tags={"Team": "payments"})
    result = run_module(monkeypatch, capsys, module, {"rules": [rule]}, setup, diff=True)
    assert result["changed"] is True
    before, after = result["diff"]["before"]["rules"][0], result["diff"]["after"]["rules"][0]
    assert (before["fixed_rate"], after["fixed_rate"]) == (0.5, 0.25)
    assert before["attributes"] == {"tier": "1"} and "attributes" not in after
    assert (before["tags"], after["tags"]) == ({"Old": "x", "Team": "pay"}, {"Team": "payments"})
    assert "arn" not in after


def test_tags_not_declared_are_left_alone(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT, api_rule("app-a", 1)], tags={"app-a": {"Team": "a"}})

    result = run_module(monkeypatch, capsys, module, {"rules": [declared("app-a", 1)]}, setup)
    assert result["changed"] is False and result["rules"][0]["tags"] == {"Team": "a"}


def test_purge_tags_false_only_adds(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT, api_rule("app-a", 1)], tags={"app-a": {"Team": "a"}})
        stubber.add_response(
            "tag_resource", {}, {"ResourceARN": rule_arn("app-a"), "Tags": [{"Key": "New", "Value": "n"}]}
        )

    args = {"rules": [declared("app-a", 1, tags={"New": "n"})], "purge_tags": False}
    result = run_module(monkeypatch, capsys, module, args, setup)
    assert result["rules"][0]["tags"] == {"New": "n", "Team": "a"}


def test_an_old_version_rule_is_made_again(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT, api_rule("app-a", 1, version=2)])
        stubber.add_response("delete_sampling_rule", record(api_rule("app-a", 1, version=2)), {"RuleName": "app-a"})
        stubber.add_response("create_sampling_rule", record(api_rule("app-a", 1)), create_request("app-a", 1))

    result = run_module(monkeypatch, capsys, module, {"rules": [declared("app-a", 1)]}, setup)
    assert result["changed"] is True and result["rules"][0]["version"] == 1


# ---------------------------------------------------------------- purge and scope


def test_purge_deletes_undeclared_rules_in_the_scope_only(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT, api_rule("app-old", 7), api_rule("app-a", 1), api_rule("web-a", 2)], scope="app-")
        stubber.add_response("delete_sampling_rule", record(api_rule("app-old", 7)), {"RuleName": "app-old"})

    args = {"rules": [declared("app-a", 1)], "prefix": "app-", "purge": True}
    result = run_module(monkeypatch, capsys, module, args, setup, diff=True)
    assert result["changed"] is True
    assert [r["name"] for r in result["rules"]] == ["app-a"]
    assert [r["name"] for r in result["diff"]["before"]["rules"]] == ["app-a", "app-old"]


def test_purge_of_everything_never_deletes_default(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT, api_rule("a", 1), api_rule("b", 2)])
        stubber.add_response("delete_sampling_rule", record(api_rule("a", 1)), {"RuleName": "a"})
        stubber.add_response("delete_sampling_rule", record(api_rule("b", 2)), {"RuleName": "b"})

    result = run_module(monkeypatch, capsys, module, {"rules": [], "prefix": "", "purge": True}, setup)
    assert result["changed"] is True and result["rules"] == []
    assert result["default_rule"]["fixed_rate"] == 0.05


def test_without_purge_undeclared_rules_stay_and_are_returned(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT, api_rule("app-z", 1), api_rule("app-a", 2)])

    result = run_module(monkeypatch, capsys, module, {"rules": [declared("app-a", 2)]}, setup)
    assert result["changed"] is False
    assert [r["name"] for r in result["rules"]] == ["app-z", "app-a"]  # by priority


# ---------------------------------------------------------------- the Default rule


def test_default_rule_changes_only_its_rates(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT])
        update = {"RuleName": "Default", "FixedRate": 0.01, "ReservoirSize": 1}
        stubber.add_response(
            "update_sampling_rule", record(api_rule("Default", 10000, 0.01, 1)), {"SamplingRuleUpdate": update}
        )

    result = run_module(monkeypatch, capsys, module, {"default_rule": {"fixed_rate": 0.01}}, setup, diff=True)
    assert result["changed"] is True
    assert result["default_rule"] == {"fixed_rate": 0.01, "reservoir_size": 1, "arn": rule_arn("Default")}
    assert result["diff"]["before"]["default_rule"] == {"fixed_rate": 0.05, "reservoir_size": 1}
    assert result["diff"]["after"]["default_rule"] == {"fixed_rate": 0.01, "reservoir_size": 1}


def test_default_rule_in_check_mode(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT])

    args = {"default_rule": {"reservoir_size": 3}}
    result = run_module(monkeypatch, capsys, module, args, setup, check_mode=True)
    assert result["changed"] is True and result["default_rule"]["reservoir_size"] == 3


def test_default_rule_missing_is_reported(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [])

    result = run_module(monkeypatch, capsys, module, {"default_rule": {"fixed_rate": 0.1}}, setup)
    assert result["failed"] is True and "no Default sampling rule" in result["msg"]


# ---------------------------------------------------------------- AWS errors


def test_an_aws_error_fails_with_the_call_named(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, [DEFAULT])
        stubber.add_client_error("create_sampling_rule", "RuleLimitExceededException", "25 rules at most")

    result = run_module(monkeypatch, capsys, module, {"rules": [declared("app-a", 1)]}, setup)
    assert result["failed"] is True
    assert "Failed to create sampling rule" in result["msg"] and "25 rules" in result["msg"]


# ---------------------------------------------------------------- the set module convention (doc fragment set_module)

RULES = [DEFAULT, api_rule("app-a", 1), api_rule("app-old", 7), api_rule("web-a", 2)]
SET_RULES = {"declared": RULES[1], "old": RULES[2]}
# Driven by tests/unit/plugins/module_utils/test_set_module.py, as the other set modules of the convention.
SET_KIT = SetKit(
    run=lambda monkeypatch, capsys, args, setup=None, **kw: run_module(monkeypatch, capsys, module, args, setup, **kw),
    args={"rules": [declared("app-a", 1)]},
    prefix="app-",
    reads=lambda s, scoped: reads(s, RULES, scope="app-" if scoped else ""),
    delete=lambda s, which: s.add_response(
        "delete_sampling_rule", record(SET_RULES[which]), {"RuleName": SET_RULES[which]["RuleName"]}
    ),
    names=lambda result: sorted(r["name"] for r in result["rules"]),
    declared="app-a",
    old="app-old",
    outside="web-a",
)


# ---------------------------------------------------------------- owner_tag: other owners' rules in the scope

PROD = {"securecloud:environment": "prod"}
OWNER = {"key": "securecloud:environment", "value": "prod"}


@pytest.mark.parametrize("state", ["present", "absent"])
def test_owner_tag_deletes_only_the_owned_rules(monkeypatch, capsys, state):
    """Without owner_tag, prod-eu-a (environment prod-eu) and prod-x (made by hand) would be deleted too."""
    rules = [DEFAULT, api_rule("prod-a", 1), api_rule("prod-old", 2), api_rule("prod-eu-a", 3), api_rule("prod-x", 4)]
    tags = {"prod-a": PROD, "prod-old": PROD, "prod-eu-a": {"securecloud:environment": "prod-eu"}}

    def setup(stubber):
        reads(stubber, rules, tags, scope="prod-")
        if state == "absent":
            stubber.add_response("delete_sampling_rule", record(api_rule("prod-a", 1)), {"RuleName": "prod-a"})
        stubber.add_response("delete_sampling_rule", record(api_rule("prod-old", 2)), {"RuleName": "prod-old"})

    args = {"rules": [declared("prod-a", 1, tags=PROD)], "prefix": "prod-", "owner_tag": OWNER, "state": state}
    result = run_module(monkeypatch, capsys, module, args, setup)
    assert result["changed"] is True and result["kept_foreign"] == ["prod-eu-a", "prod-x"]
    expected = ["prod-a", "prod-eu-a", "prod-x"] if state == "present" else ["prod-eu-a", "prod-x"]
    assert [r["name"] for r in result["rules"]] == expected


def test_owner_tag_must_be_on_every_declared_rule(monkeypatch, capsys):
    args = {"rules": [declared("prod-a", 1, tags={"securecloud:environment": "dev"})], "prefix": "prod-"}
    result = run_module(monkeypatch, capsys, module, dict(args, owner_tag=OWNER), aws=False)
    assert result["failed"] and "rules[0].tags lacks the owner tag securecloud:environment: prod" in result["msg"]
