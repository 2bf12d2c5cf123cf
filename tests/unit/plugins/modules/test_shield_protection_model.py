"""shield_protection: CreateProtection, AssociateHealthCheck and the tags of every declared protection checked
against the Shield model before any call (issue 20). Limits are read from botocore's model; the module runs through
``main()`` against a Stubber with no responses, so any call would fail it with another message."""

from __future__ import annotations

import botocore.session
from ansible_collections.securecloud.monitor.plugins.modules import shield_protection as module

from tests.unit.plugins.module_utils.test_shield import ALB, EIP, HEALTH_CHECK, run_module

SHIELD = botocore.session.get_session().get_service_model("shield")
HEALTH_CHECK_PATTERN = SHIELD.operation_model("AssociateHealthCheck").input_shape.members["HealthCheckArn"]
TAG = SHIELD.operation_model("CreateProtection").input_shape.members["Tags"].member.members
SCOPE = {"prefix": "p-", "purge": False}


def protection(name="p-web", arn=ALB, **extra):
    return {"name": name, "resource_arn": arn, **extra}


def refused(monkeypatch, capsys, *protections):
    result = run_module(monkeypatch, capsys, module, SCOPE | {"protections": list(protections)})
    assert result["failed"], result
    return result["errors"]


def test_valid_protections_have_no_model_errors():
    declared = [protection(health_check_arns=[HEALTH_CHECK], tags={"env": "prod"}), protection("p-ip", EIP)]
    assert module.model_errors(SHIELD, {"protections": declared}) == []


def test_a_health_check_id_of_the_wrong_length_names_the_declared_check(monkeypatch, capsys):
    short = HEALTH_CHECK[:-1]  # the model wants a 36-character ID
    (error,) = refused(monkeypatch, capsys, protection("p-ip", EIP), protection(health_check_arns=[short]))
    assert error.startswith("protections[1].health_check_arns[0] 'arn:aws:route53:::healthcheck/")
    assert " is not in the form AWS accepts" in error
    assert HEALTH_CHECK_PATTERN.metadata["pattern"] in error


def test_a_resource_arn_longer_than_the_model_allows_names_the_protection(monkeypatch, capsys):
    limit = SHIELD.shape_for("ResourceArn").metadata["max"]
    (error,) = refused(monkeypatch, capsys, protection(arn=ALB + "0" * (limit + 1 - len(ALB))))
    assert error.startswith("protections[0].resource_arn ") and f"to {limit} characters" in error


def test_tags_out_of_the_models_bounds_name_the_protection_and_tag(monkeypatch, capsys):
    value_max = TAG["Value"].metadata["max"]
    (error,) = refused(monkeypatch, capsys, protection(tags={"owner": "o" * (value_max + 1)}))
    assert error.startswith("protections[0].tags.owner ") and f"to {value_max} characters" in error
