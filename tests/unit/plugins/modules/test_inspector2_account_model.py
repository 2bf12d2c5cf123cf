"""inspector2_account: Enable's scan types and the account IDs checked against the Inspector2 model, and AWS's rule
that Lambda code scanning needs Lambda standard scanning (not in the model), before any write (issue 20)."""

from __future__ import annotations

import botocore.session
from ansible_collections.securecloud.monitor.plugins.modules import inspector2_account as module

from tests.unit.plugins.modules.test_inspector2_account import MEMBER, api_state, read, run_module

INSPECTOR2 = botocore.session.get_session().get_service_model("inspector2")
ACCOUNT_ID = INSPECTOR2.operation_model("Enable").input_shape.members["accountIds"].member.metadata


def test_valid_options_have_no_model_errors():
    assert module.model_errors(INSPECTOR2, {"state": "present", "resource_types": ["ECR", "LAMBDA"]}) == []
    assert module.model_errors(INSPECTOR2, {"state": "absent", "account_ids": [MEMBER]}) == []


def test_an_account_id_the_model_refuses_names_its_place_in_account_ids():
    # Checked in requests of their own, so the index is the declared one (the module sends batches of 100).
    ids = [MEMBER] * 150 + ["11112222333a"]
    (error,) = module.model_errors(INSPECTOR2, {"state": "absent", "account_ids": ids})
    assert (
        error
        == f"account_ids[150] '11112222333a' is not in the form AWS accepts: match the pattern {ACCOUNT_ID['pattern']}."
    )


def test_code_scanning_without_standard_scanning_is_refused_before_any_call_with_purge(monkeypatch, capsys):
    result = run_module(monkeypatch, capsys, {"resource_types": ["ECR", "LAMBDA_CODE"]}, aws=False)
    assert result["failed"]
    assert result["msg"].startswith("resource_types lists LAMBDA_CODE without LAMBDA: ")
    assert "Add LAMBDA to resource_types" in result["msg"]


def test_without_purge_code_scanning_is_refused_after_the_read_when_lambda_is_off(monkeypatch, capsys):
    args = {"resource_types": ["LAMBDA_CODE"], "purge": False, "account_ids": [MEMBER]}
    result = run_module(
        monkeypatch, capsys, args, lambda s: read(s, api_state(MEMBER), account_ids=[MEMBER]), sts=False
    )
    assert result["failed"] and result["changed"] is False
    assert f"LAMBDA_CODE on without LAMBDA in {MEMBER}" in result["msg"]


def test_without_purge_code_scanning_goes_ahead_when_lambda_is_on(monkeypatch, capsys):
    args = {"resource_types": ["LAMBDA_CODE"], "purge": False, "account_ids": [MEMBER]}
    result = run_module(
        monkeypatch,
        capsys,
        args,
        lambda s: read(s, api_state(MEMBER, LAMBDA="ENABLED"), account_ids=[MEMBER]),
        sts=False,
        check_mode=True,
    )
    assert result["changed"] is True and not result.get("failed")
