"""shield_protection_group: CreateProtectionGroup and the group's tags checked against the Shield model before any
call (issue 20). Limits are read from botocore's model; the module runs through ``main()`` against a Stubber with no
responses, so any call would fail it with another message."""

from __future__ import annotations

import botocore.session
from ansible_collections.securecloud.monitor.plugins.modules import shield_protection_group as module

from tests.unit.plugins.module_utils.test_shield import ALB, run_module

SHIELD = botocore.session.get_session().get_service_model("shield")
CREATE = SHIELD.operation_model("CreateProtectionGroup").input_shape
MEMBERS_MAX = CREATE.members["Members"].metadata["max"]
TAG = CREATE.members["Tags"].member.members
GROUP = {"protection_group_id": "web", "aggregation": "MAX", "pattern": "ARBITRARY", "members": [ALB]}


def refused(monkeypatch, capsys, **overrides):
    result = run_module(monkeypatch, capsys, module, GROUP | overrides)
    assert result["failed"], result
    return result["errors"]


def test_valid_group_has_no_model_errors():
    params = GROUP | {"state": "present", "resource_type": None, "tags": {"env": "prod"}}
    assert module.model_errors(SHIELD, params) == []
    assert module.model_errors(SHIELD, {"state": "absent", "protection_group_id": "web"}) == []


def test_more_members_than_shield_takes_are_refused_before_any_call(monkeypatch, capsys):
    (error,) = refused(monkeypatch, capsys, members=[ALB.replace("50dc", f"{i:04x}") for i in range(MEMBERS_MAX + 1)])
    assert error == f"members has {MEMBERS_MAX + 1} items: give {CREATE.members['Members'].metadata['min']} to " + (
        f"{MEMBERS_MAX} items."
    )


def test_a_member_arn_longer_than_the_model_allows_names_the_member(monkeypatch, capsys):
    limit = SHIELD.shape_for("ResourceArn").metadata["max"]
    long_alb = ALB + "0" * (limit + 1 - len(ALB))
    errors = refused(monkeypatch, capsys, members=[ALB, long_alb])
    assert any(e.startswith("members[1] ") and f"to {limit} characters" in e for e in errors), errors


def test_tags_out_of_the_models_bounds_name_the_tag(monkeypatch, capsys):
    key_max, value_max = TAG["Key"].metadata["max"], TAG["Value"].metadata["max"]
    errors = refused(monkeypatch, capsys, tags={"k" * (key_max + 1): "v", "owner": "o" * (value_max + 1)})
    assert errors[0].startswith(f"tags.{'k' * (key_max + 1)} ") and f"to {key_max} characters" in errors[0]
    assert errors[1].startswith("tags.owner ") and f"to {value_max} characters" in errors[1]
