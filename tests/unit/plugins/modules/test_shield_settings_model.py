"""shield_settings: AssociateDRTRole, AssociateDRTLogBucket and UpdateEmergencyContactSettings of the options
checked against the Shield model before any call (issue 20), S3's naming rules from module_utils/s3_bucket.py.
Limits are read from botocore's model; the module runs through ``main()`` against a Stubber with no responses, so
any call would fail it with another message."""

from __future__ import annotations

import botocore.session
from ansible_collections.securecloud.monitor.plugins.modules import shield_settings as module

from tests.unit.plugins.module_utils.test_shield import ACCOUNT, run_module

SHIELD = botocore.session.get_session().get_service_model("shield")
ROLE_ARN_MAX = SHIELD.operation_model("AssociateDRTRole").input_shape.members["RoleArn"].metadata["max"]
ROLE = f"arn:aws:iam::{ACCOUNT}:role/shield-srt"


def refused(monkeypatch, capsys, **args):
    result = run_module(monkeypatch, capsys, module, args)
    assert result["failed"], result
    return result["errors"]


def test_valid_settings_have_no_model_errors():
    contacts = [{"email_address": "soc@example.com", "phone_number": "+15555550100", "contact_notes": "on call"}]
    params = {"drt_role_arn": ROLE, "drt_log_buckets": ["flow-logs"], "emergency_contacts": contacts}
    assert module.model_errors(SHIELD, params) == []
    assert module.model_errors(SHIELD, {"drt_role_arn": "", "emergency_contacts": None}) == []


def test_a_role_arn_longer_than_the_model_allows_is_refused_before_any_call(monkeypatch, capsys):
    # A valid role name under a long path: IAM's own rules pass it, the Shield model does not.
    role = f"arn:aws:iam::{ACCOUNT}:role/{'team/' * (ROLE_ARN_MAX // 5)}shield-srt"
    (error,) = refused(monkeypatch, capsys, drt_role_arn=role)
    assert error.startswith("drt_role_arn ") and f"to {ROLE_ARN_MAX} characters" in error


def test_a_log_bucket_named_like_an_ip_address_is_refused_before_any_call(monkeypatch, capsys):
    (error,) = refused(monkeypatch, capsys, drt_role_arn=ROLE, drt_log_buckets=["flow-logs", "192.168.10.12"])
    assert error.startswith("drt_log_buckets[1] '192.168.10.12' is formatted as an IP address")


def test_a_phone_number_the_model_refuses_is_named_but_never_quoted():
    contacts = [{"email_address": "soc@example.com", "phone_number": "5555550100"}]
    (error,) = module.model_errors(SHIELD, {"emergency_contacts": contacts})
    assert error.startswith("emergency_contacts[0].phone_number is not in the form AWS accepts")
    assert "5555550100" not in error
