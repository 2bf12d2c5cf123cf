"""plugins/module_utils/model_validation.py: a request checked against botocore's model, problems in option paths.

Expected bounds and enums are read from botocore's model (the rule), never from the validator's output."""

from __future__ import annotations

import botocore.session
import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (
    Rename,
    matches_pattern,
    message,
    option_path,
    request_errors,
    shape_problems,
    tag_list_errors,
)
from botocore.model import Shape

SESSION = botocore.session.get_session()
WAFV2 = SESSION.get_service_model("wafv2")
EVENTS = SESSION.get_service_model("events")
VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}
RATE_LIMIT = WAFV2.shape_for("RateBasedStatement").members["Limit"].metadata


def web_acl_request(*statements):
    rules = [
        {"Name": f"r{i}", "Priority": i, "Action": {"Block": {}}, "VisibilityConfig": VISIBILITY, "Statement": s}
        for i, s in enumerate(statements)
    ]
    acl = {"Name": "acl", "Scope": "REGIONAL", "DefaultAction": {"Allow": {}}, "VisibilityConfig": VISIBILITY}
    return dict(acl, Rules=rules)


def rate(limit):
    return {"RateBasedStatement": {"Limit": limit, "AggregateKeyType": "IP"}}


RENAMES = (
    Rename("Rules[*].Statement.RateBasedStatement", "rules[*].rate_based"),
    Rename("Rules[*].Statement", "rules[*].statement", raw=True),
)


def errors(request, service=WAFV2, operation="CreateWebACL", **kwargs):
    return request_errors(service, operation, request, RENAMES, **kwargs)


def test_a_request_aws_takes_has_no_errors():
    assert errors(web_acl_request(rate(RATE_LIMIT["min"]), rate(RATE_LIMIT["max"]))) == []


@pytest.mark.parametrize("limit", [RATE_LIMIT["min"] - 1, RATE_LIMIT["max"] + 1])
def test_a_number_out_of_the_models_range_names_the_option_and_the_range(limit):
    (error,) = errors(web_acl_request(rate(RATE_LIMIT["max"]), rate(limit)))
    assert error.startswith(f"rules[1].rate_based.limit {limit} ")
    assert f"{RATE_LIMIT['min']} to {RATE_LIMIT['max']}" in error


def test_a_missing_member_at_depth_is_named_in_the_users_spelling():
    incomplete = {"ByteMatchStatement": {"SearchString": "x", "PositionalConstraint": "EXACTLY"}}
    found = errors(web_acl_request(incomplete))
    assert "rules[0].statement.ByteMatchStatement.FieldToMatch is required by AWS: set it." in found
    assert "rules[0].statement.ByteMatchStatement.TextTransformations is required by AWS: set it." in found


def test_an_enum_value_outside_the_model_is_refused_with_the_choices():
    codes = WAFV2.shape_for("CountryCode").enum
    assert "UK" not in codes and "GB" in codes  # the model is what the rule comes from
    (error,) = errors(web_acl_request({"GeoMatchStatement": {"CountryCodes": ["GB", "UK"]}}))
    assert error.startswith("rules[0].statement.GeoMatchStatement.CountryCodes[1] 'UK' is not a value AWS accepts")
    assert "CountryCode" in error


def test_a_short_enum_lists_every_value():
    request = web_acl_request(rate(100))
    request["Scope"] = "GLOBAL"
    (error,) = errors(request)
    assert error == f"scope 'GLOBAL' is not a value AWS accepts: use one of {', '.join(WAFV2.shape_for('Scope').enum)}."


def test_length_and_pattern_come_from_the_model():
    name = WAFV2.shape_for("EntityName").metadata
    request = web_acl_request()
    request["Name"] = "x" * (name["max"] + 1)
    (error,) = errors(request)
    assert error.startswith("name ") and f"give {name['min']} to {name['max']} characters" in error
    request["Name"] = "has space"
    (error,) = errors(request)
    assert "is not in the form AWS accepts" in error and name["pattern"] in error


def test_a_member_aws_does_not_know_and_a_wrong_type_are_refused():
    found = errors(web_acl_request({"byte_match": {}}))
    assert found[0].startswith("rules[0].statement.byte_match is not known to AWS here: use one of ")
    assert "ByteMatchStatement" in found[0]
    request = web_acl_request(rate("many"))
    assert errors(request) == ["rules[0].rate_based.limit 'many' has the wrong type: give a long."]


def test_secret_values_are_not_quoted():
    request = web_acl_request()
    request["Name"] = "s3cr3t value"
    (error,) = errors(request, secret_paths=("Name",))
    assert "s3cr3t" not in error and error.startswith("name is not in the form")


def test_hints_add_what_the_model_does_not_say():
    (error,) = errors(web_acl_request({"GeoMatchStatement": {"CountryCodes": ["UK"]}}), hints={"CountryCodes": "GB"})
    assert error.endswith("(GB).")


def test_without_renames_members_are_snake_case():
    assert option_path(("EventBusName",)) == "event_bus_name"
    assert option_path(("Targets", 2, "RoleArn")) == "targets[2].role_arn"
    assert option_path(("Rules", 3, "Statement", "ByteMatchStatement"), RENAMES) == (
        "rules[3].statement.ByteMatchStatement"
    )
    assert option_path(("Rules", 3, "Statement", "RateBasedStatement", "Limit"), RENAMES) == "rules[3].rate_based.limit"


def test_anchored_patterns_are_searched_bare_ones_matched_whole():
    assert matches_pattern("^[a-z]+$", "abc") and not matches_pattern("^[a-z]+$", "ab c")
    assert matches_pattern("[a-z]+", "abc") and not matches_pattern("[a-z]+", "ab c")
    assert matches_pattern("[^:*$]*", "root") and not matches_pattern("[^:*$]*", "root:usage")
    assert matches_pattern("^a", "ab") and matches_pattern("b$", "ab") and not matches_pattern(r"a\$", "ab$")


def test_shape_problems_give_api_paths():
    limits = EVENTS.shape_for("RuleName").metadata
    request = {"Name": "n" * (limits["max"] + 1), "State": "ON", "ScheduleExpression": "rate(5 minutes)"}
    problems = shape_problems(request, EVENTS.operation_model("PutRule").input_shape)
    assert {problem.path for problem in problems} == {("Name",), ("State",)}


def test_map_keys_keep_their_spelling_and_blobs_are_not_quoted():
    request = web_acl_request()
    request["CustomResponseBodies"] = {"TooBig": {"ContentType": "TEXT_PLAIN", "Content": ""}}
    (error,) = errors(request)
    assert error.startswith("custom_response_bodies.TooBig.content ")
    blob = Shape("Secret", {"type": "blob", "max": 3})
    (problem,) = shape_problems("s3cr3t", blob, ("Secret",))
    assert problem.value is None and "has 6 bytes" in message(problem)


def test_members_the_model_marks_sensitive_are_not_quoted():
    address = SESSION.get_service_model("budgets").shape_for("Subscriber").members["Address"]
    assert address.metadata.get("sensitive")
    (problem,) = shape_problems("", address, ("Address",))
    assert problem.value is None
    assert shape_problems("", WAFV2.shape_for("EntityName"), ("Name",))[0].value == ""


CLOUDTRAIL = SESSION.get_service_model("cloudtrail")
TRAIL_TAGS = CLOUDTRAIL.operation_model("CreateTrail").input_shape.members["TagsList"]


def test_tags_sent_as_a_list_are_named_by_their_key():
    low, high = (TRAIL_TAGS.member.members["Value"].metadata[bound] for bound in ("min", "max"))
    errors = tag_list_errors(CLOUDTRAIL, "CreateTrail", "TagsList", {"ok": "v", "owner": "", "k" * 129: "v"})
    assert errors[0] == f"tags.owner '' has 0 characters: give {low} to {high} characters."
    assert errors[1].startswith(f"tags.{'k' * 129} ") and "give 1 to 128 characters" in errors[1]
    assert len(errors) == 2


def test_too_many_tags_are_counted():
    limit = TRAIL_TAGS.metadata["max"]
    (error,) = tag_list_errors(CLOUDTRAIL, "AddTags", "TagsList", {f"k{i}": "v" for i in range(limit + 1)})
    assert error == f"tags has {limit + 1} tags: give at most {limit} tags."
    assert tag_list_errors(CLOUDTRAIL, "AddTags", "TagsList", {}) == []
    assert tag_list_errors(CLOUDTRAIL, "AddTags", "TagsList", {"cost-centre": 1234}) == []  # sent as "1234"
