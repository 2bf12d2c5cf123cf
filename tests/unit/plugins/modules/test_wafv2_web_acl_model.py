"""wafv2_web_acl: the web ACL its options make is checked against the WAFv2 model before any call (issue 20).

The bounds come from botocore's model and AWS's documentation (rate limit 10 to 2,000,000,000; ISO 3166 alpha-2
country codes); the cases are the mistakes the issue found reaching AWS."""

from __future__ import annotations

import copy

import botocore.session
import pytest
from ansible_collections.securecloud.monitor.plugins.modules.wafv2_web_acl import model_errors

from tests.unit.wafv2_data import DECLARED_RULES, declared

WAFV2 = botocore.session.get_session().get_service_model("wafv2")


def with_rule(index, **changes):
    rules = copy.deepcopy(DECLARED_RULES)
    rules[index].update(changes)
    return declared(rules=rules)


def test_the_valid_declaration_has_no_model_errors():
    assert model_errors(WAFV2, declared()) == []


def test_absent_is_not_checked():
    assert model_errors(WAFV2, declared(state="absent", rules=None)) == []


@pytest.mark.parametrize("limit, refused", [(10, False), (2_000_000_000, False), (2_000_000_001, True)])
def test_rate_limit_range_names_the_option(limit, refused):
    found = model_errors(WAFV2, with_rule(0, rate_based={"limit": limit}))
    assert bool(found) == refused
    if refused:
        assert found == [f"rules[0].rate_based.limit {limit} is out of range: set a value from 10 to 2000000000."]


def test_uk_is_refused_and_gb_suggested():
    (error,) = model_errors(WAFV2, with_rule(4, geo_match={"country_codes": ["FR", "UK"]}))
    assert error.startswith("rules[4].geo_match.country_codes[1] 'UK' is not a value AWS accepts")
    assert "GB" in error
    assert model_errors(WAFV2, with_rule(4, geo_match={"country_codes": ["FR", "GB"]})) == []


def test_incomplete_statement_names_the_rule_option_not_the_api_path():
    incomplete = {"ByteMatchStatement": {"SearchString": "/admin", "PositionalConstraint": "STARTS_WITH"}}
    (error,) = model_errors(WAFV2, with_rule(2, statement=incomplete))
    assert error == "rules[2].statement.ByteMatchStatement.FieldToMatch is required by AWS: set it."


def test_bad_enum_inside_a_raw_statement():
    statement = copy.deepcopy(DECLARED_RULES[2]["statement"])
    statement["ByteMatchStatement"]["PositionalConstraint"] = "BEGINS_WITH"
    (error,) = model_errors(WAFV2, with_rule(2, statement=statement))
    allowed = WAFV2.shape_for("PositionalConstraint").enum
    assert error == (
        f"rules[2].statement.ByteMatchStatement.PositionalConstraint 'BEGINS_WITH' is not a value AWS accepts: "
        f"use one of {', '.join(allowed)}."
    )
