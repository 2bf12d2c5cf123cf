"""xray_sampling_rule: every declared rule's CreateSamplingRule request checked against the X-Ray model before the
set's first write (issue 20). Bounds are read from botocore's model."""

from __future__ import annotations

import botocore.session
from ansible_collections.securecloud.monitor.plugins.module_utils.xray import MATCH_ALL, MATCH_FIELDS
from ansible_collections.securecloud.monitor.plugins.modules.xray_sampling_rule import model_errors

XRAY = botocore.session.get_session().get_service_model("xray")
RULE = XRAY.shape_for("SamplingRule").members


def rule(name, **extra):
    declared = {"name": name, "priority": 10, "fixed_rate": 0.1, "reservoir_size": 1, "attributes": None}
    declared.update((option, MATCH_ALL) for option, _api, _limit in MATCH_FIELDS)
    return declared | extra


def rules(*declared):
    return {"state": "present", "prefix": "app-", "rules": list(declared)}


def test_valid_rules_and_absent_have_no_errors():
    assert model_errors(XRAY, rules(rule("app-a"), rule("app-b", attributes={"tier": "gold"}))) == []
    assert model_errors(XRAY, {"state": "absent", "prefix": "app-", "rules": []}) == []


def test_each_problem_names_the_rule_of_the_set_and_its_option():
    too_long = "n" * (RULE["RuleName"].metadata["max"] + 1)
    priority = RULE["Priority"].metadata
    found = model_errors(XRAY, rules(rule("app-a"), rule(too_long, priority=priority["max"] + 1)))
    assert len(found) == 2
    assert found[0].startswith(f"rules[1].name '{too_long}' has {len(too_long)} characters")
    assert found[1] == (
        f"rules[1].priority {priority['max'] + 1} is out of range: set a value from {priority['min']} to "
        f"{priority['max']}."
    )


def test_a_match_field_is_named_by_its_option():
    limit = RULE["HTTPMethod"].metadata["max"]
    (error,) = model_errors(XRAY, rules(rule("app-a", http_method="P" * (limit + 1))))
    assert error.startswith("rules[0].http_method ")
