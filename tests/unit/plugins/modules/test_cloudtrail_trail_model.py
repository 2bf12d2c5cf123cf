"""cloudtrail_trail: CreateTrail, PutEventSelectors, PutInsightSelectors and the tags of the options checked against
the CloudTrail model before any call (issue 20). Limits are read from botocore's model; the module runs through
``main()`` against a Stubber with no responses, so any call would fail it with another message."""

from __future__ import annotations

import botocore.session
from ansible_collections.securecloud.monitor.plugins.modules import cloudtrail_trail as module

from tests.unit.plugins.modules.test_cloudtrail_trail import ARGS, run

CLOUDTRAIL = botocore.session.get_session().get_service_model("cloudtrail")
FIELD = CLOUDTRAIL.shape_for("AdvancedFieldSelector").members
SELECTOR_NAME_MAX = CLOUDTRAIL.shape_for("AdvancedEventSelector").members["Name"].metadata["max"]
TAG_VALUE = CLOUDTRAIL.operation_model("AddTags").input_shape.members["TagsList"].member.members["Value"].metadata
MANAGEMENT = {"field": "eventCategory", "equals": ["Management"]}


def refused(monkeypatch, capsys, **overrides):
    result = run(monkeypatch, capsys, ARGS | overrides)
    assert result["failed"], result
    return result["errors"]


def test_an_empty_selector_value_names_the_field_selector(monkeypatch, capsys):
    selectors = [{"field_selectors": [MANAGEMENT, {"field": "eventSource", "not_equals": ["kms.amazonaws.com", ""]}]}]
    (error,) = refused(monkeypatch, capsys, advanced_event_selectors=selectors)
    low, high = (FIELD["NotEquals"].member.metadata[bound] for bound in ("min", "max"))
    where = "advanced_event_selectors[0].field_selectors[1].not_equals[1]"
    assert error == f"{where} '' has 0 characters: give {low} to {high} characters."


def test_an_over_long_selector_name_and_value_are_refused_together(monkeypatch, capsys):
    value_max = FIELD["Equals"].member.metadata["max"]
    long_value = {"field": "resources.ARN", "starts_with": ["arn:aws:s3:::" + "b" * value_max]}
    selectors = [{"name": "n" * (SELECTOR_NAME_MAX + 1), "field_selectors": [MANAGEMENT, long_value]}]
    errors = refused(monkeypatch, capsys, advanced_event_selectors=selectors)
    by_option = dict(error.split(" ", 1) for error in errors)
    assert f"to {SELECTOR_NAME_MAX} characters" in by_option.pop("advanced_event_selectors[0].name")
    value_option = "advanced_event_selectors[0].field_selectors[1].starts_with[0]"
    assert f"to {value_max} characters" in by_option.pop(value_option)
    assert by_option == {}


def test_an_empty_tag_value_is_refused_by_the_model(monkeypatch, capsys):
    (error,) = refused(monkeypatch, capsys, tags={"owner": ""})
    assert error == f"tags.owner '' has 0 characters: give {TAG_VALUE['min']} to {TAG_VALUE['max']} characters."


def test_valid_options_and_absent_have_no_model_errors():
    params = ARGS | {"state": "present", "multi_region": True, "include_global_service_events": True}
    params |= {"log_file_validation": True, "advanced_event_selectors": [{"field_selectors": [MANAGEMENT]}]}
    assert module.model_errors(CLOUDTRAIL, params | {"tags": {"env": "prod"}}) == []
    assert module.model_errors(CLOUDTRAIL, {"state": "absent", "name": "x", "tags": {"owner": ""}}) == []
