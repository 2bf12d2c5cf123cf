"""plugins/modules/shield_settings.py against a botocore Stubber: the subscription is never bought silently."""

from __future__ import annotations

import datetime

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import REDACTED
from ansible_collections.securecloud.monitor.plugins.modules import shield_settings as module

from tests.unit.plugins.module_utils.test_shield import ACCOUNT, run_module

ROLE = f"arn:aws:iam::{ACCOUNT}:role/shield-srt"
ROLE_2 = f"arn:aws:iam::{ACCOUNT}:role/shield-srt-2"
PHONE = "+15555550100"
CONTACT = {"email_address": "secops@example.com", "phone_number": PHONE, "contact_notes": "24/7"}
API_CONTACT = {"EmailAddress": "secops@example.com", "PhoneNumber": PHONE, "ContactNotes": "24/7"}
EMAIL_ONLY = {"EmailAddress": "lead@example.com"}


def subscription(auto_renew="ENABLED", proactive=None):
    item = {
        "StartTime": datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        "EndTime": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        "TimeCommitmentInSeconds": 31536000,
        "AutoRenew": auto_renew,
        "Limits": [{"Type": "MitigationCapacityUnits", "Max": 10000}],
        "SubscriptionLimits": {
            "ProtectionLimits": {"ProtectedResourceTypeLimits": []},
            "ProtectionGroupLimits": {
                "MaxProtectionGroups": 20,
                "PatternTypeLimits": {"ArbitraryPatternLimits": {"MaxMembers": 100}},
            },
        },
        "SubscriptionArn": f"arn:aws:shield::{ACCOUNT}:subscription/abcd-ef01-2345",
    }
    if proactive:
        item["ProactiveEngagementStatus"] = proactive
    return item


def reads(stubber, state="ACTIVE", auto_renew="ENABLED", proactive=None, role=None, buckets=(), contacts=()):
    stubber.add_response("get_subscription_state", {"SubscriptionState": state}, {})
    if state != "ACTIVE":
        return
    stubber.add_response("describe_subscription", {"Subscription": subscription(auto_renew, proactive)}, {})
    drt = {"RoleArn": role} if role else {}
    if buckets:
        drt["LogBucketList"] = list(buckets)
    stubber.add_response("describe_drt_access", drt, {})
    stubber.add_response("describe_emergency_contact_settings", {"EmergencyContactList": list(contacts)}, {})


# ---------------------------------------------------------------- the subscription


@pytest.mark.parametrize("check_mode", [False, True])
def test_no_subscription_and_no_commitment_fails_explaining_the_cost(monkeypatch, capsys, check_mode):
    result = run_module(monkeypatch, capsys, module, {}, lambda s: reads(s, state="INACTIVE"), check_mode=check_mode)
    assert result["failed"]
    for text in ("USD 3,000 a month", "one-year commitment", "accept_subscription_commitment: true"):
        assert text in result["msg"]


def test_commitment_in_check_mode_makes_no_mutating_call(monkeypatch, capsys):
    args = {"accept_subscription_commitment": True, "auto_renew": "DISABLED"}
    result = run_module(monkeypatch, capsys, module, args, lambda s: reads(s, state="INACTIVE"), check_mode=True)
    assert result["changed"] is True
    assert result["subscription_state"] == "ACTIVE"
    assert result["subscription_state_before"] == "INACTIVE"
    assert result["subscription"]["auto_renew"] == "DISABLED"


def test_commitment_subscribes_then_sets_auto_renew(monkeypatch, capsys):
    def calls(s):
        reads(s, state="INACTIVE")
        s.add_response("create_subscription", {}, {})
        s.add_response("update_subscription", {}, {"AutoRenew": "DISABLED"})
        reads(s, auto_renew="DISABLED")

    args = {"accept_subscription_commitment": True, "auto_renew": "DISABLED"}
    result = run_module(monkeypatch, capsys, module, args, calls, diff=True)
    assert result["changed"] is True
    assert result["subscription_state"] == "ACTIVE"
    assert result["subscription"]["auto_renew"] == "DISABLED"
    assert result["subscription"]["start_time"] == "2025-01-01T00:00:00+00:00"
    assert result["diff"]["before"]["subscription_state"] == "INACTIVE"


def test_active_subscription_with_commitment_is_not_bought_again(monkeypatch, capsys):
    result = run_module(monkeypatch, capsys, module, {"accept_subscription_commitment": True}, lambda s: reads(s))
    assert result["changed"] is False
    assert result["drt_access"] == {"role_arn": None, "log_bucket_list": []}
    assert result["proactive_engagement_status"] is None


# ---------------------------------------------------------------- input checks


BAD_INPUT = [
    ({"drt_role_arn": "shield-srt"}, ["drt_role_arn 'shield-srt'", "arn:aws:iam::ACCOUNT:role/NAME"]),
    ({"drt_log_buckets": ["arn:aws:s3:::logs-bucket"]}, ["drt_log_buckets[0]", "give the bucket name ('logs-bucket')"]),
    ({"drt_log_buckets": ["Bad_Bucket"]}, ["drt_log_buckets[0] 'Bad_Bucket'"]),
    ({"drt_role_arn": "", "drt_log_buckets": ["logs-bucket"]}, ["drt_log_buckets needs a DRT role"]),
    ({"emergency_contacts": [{"email_address": "nobody"}]}, ["emergency_contacts[0].email_address 'nobody'"]),
    (
        {"emergency_contacts": [{"email_address": "a@b.co", "phone_number": "555-0100"}]},
        ["emergency_contacts[0].phone_number", "E.164"],
    ),
    (
        {"emergency_contacts": [{"email_address": "a@b.co", "contact_notes": "call <now>"}]},
        ["emergency_contacts[0].contact_notes"],
    ),
    (
        {"proactive_engagement": True, "emergency_contacts": [{"email_address": "a@b.co"}]},
        ["proactive_engagement: true needs at least one emergency contact with a phone number"],
    ),
]


@pytest.mark.parametrize(("args", "expected"), BAD_INPUT)
def test_bad_input_fails_before_any_call(monkeypatch, capsys, args, expected):
    result = run_module(monkeypatch, capsys, module, args, aws=False)
    assert result["failed"]
    for text in expected:
        assert text in result["msg"], result["msg"]
    assert "555-0100" not in result["msg"], "a phone number must not be repeated in a message"


def test_proactive_engagement_with_current_contacts_lacking_phone_fails_before_changes(monkeypatch, capsys):
    result = run_module(
        monkeypatch, capsys, module, {"proactive_engagement": True}, lambda s: reads(s, contacts=[EMAIL_ONLY])
    )
    assert result["failed"]
    assert "needs at least one emergency contact with a phone number" in result["msg"]


def test_log_buckets_without_any_role_fail_before_changes(monkeypatch, capsys):
    result = run_module(monkeypatch, capsys, module, {"drt_log_buckets": ["logs-bucket"]}, lambda s: reads(s))
    assert result["failed"]
    assert "set drt_role_arn" in result["msg"]


# ---------------------------------------------------------------- SRT access


def test_role_and_buckets_in_order_then_idempotent(monkeypatch, capsys):
    args = {"drt_role_arn": ROLE, "drt_log_buckets": ["logs-b", "logs-a"]}

    def calls(s):
        reads(s)
        s.add_response("associate_drt_role", {}, {"RoleArn": ROLE})
        s.add_response("associate_drt_log_bucket", {}, {"LogBucket": "logs-a"})
        s.add_response("associate_drt_log_bucket", {}, {"LogBucket": "logs-b"})
        reads(s, role=ROLE, buckets=["logs-b", "logs-a"])

    result = run_module(monkeypatch, capsys, module, args, calls)
    assert result["changed"] is True
    assert result["drt_access"] == {"role_arn": ROLE, "log_bucket_list": ["logs-a", "logs-b"]}

    result = run_module(monkeypatch, capsys, module, args, lambda s: reads(s, role=ROLE, buckets=["logs-a", "logs-b"]))
    assert result["changed"] is False


def test_buckets_purged_or_kept(monkeypatch, capsys):
    def purge(s):
        reads(s, role=ROLE, buckets=["logs-a", "logs-old"])
        s.add_response("disassociate_drt_log_bucket", {}, {"LogBucket": "logs-old"})
        reads(s, role=ROLE, buckets=["logs-a"])

    result = run_module(monkeypatch, capsys, module, {"drt_log_buckets": ["logs-a"]}, purge)
    assert result["changed"] is True
    args = {"drt_log_buckets": ["logs-a"], "purge_drt_log_buckets": False}
    result = run_module(monkeypatch, capsys, module, args, lambda s: reads(s, role=ROLE, buckets=["logs-a", "x-b"]))
    assert result["changed"] is False


def test_empty_role_removes_buckets_then_role(monkeypatch, capsys):
    def calls(s):
        reads(s, role=ROLE, buckets=["logs-a"])
        s.add_response("disassociate_drt_log_bucket", {}, {"LogBucket": "logs-a"})
        s.add_response("disassociate_drt_role", {}, {})
        reads(s)

    result = run_module(monkeypatch, capsys, module, {"drt_role_arn": "", "drt_log_buckets": []}, calls, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["drt_role_arn"] == ROLE
    assert "drt_role_arn" not in result["diff"]["after"]


def test_role_change_in_check_mode_makes_no_mutating_call(monkeypatch, capsys):
    result = run_module(
        monkeypatch, capsys, module, {"drt_role_arn": ROLE_2}, lambda s: reads(s, role=ROLE), check_mode=True
    )
    assert result["changed"] is True
    assert result["drt_access"]["role_arn"] == ROLE_2


# ---------------------------------------------------------------- contacts and proactive engagement


def test_first_proactive_engagement_set_up_is_one_call(monkeypatch, capsys):
    def calls(s):
        reads(s)
        s.add_response("associate_proactive_engagement_details", {}, {"EmergencyContactList": [API_CONTACT]})
        reads(s, proactive="ENABLED", contacts=[API_CONTACT])

    args = {"emergency_contacts": [CONTACT], "proactive_engagement": True}
    result = run_module(monkeypatch, capsys, module, args, calls, diff=True)
    assert result["changed"] is True
    assert result["emergency_contacts"] == [CONTACT]
    assert result["proactive_engagement_status"] == "ENABLED"
    assert result["diff"]["after"]["emergency_contacts"][0]["phone_number"] == REDACTED
    assert PHONE not in str(result["diff"])


def test_same_contacts_in_another_order_make_no_change(monkeypatch, capsys):
    other = {"email_address": "lead@example.com"}
    args = {"emergency_contacts": [other, CONTACT], "proactive_engagement": True}
    reading = lambda s: reads(s, proactive="ENABLED", contacts=[API_CONTACT, EMAIL_ONLY])  # noqa: E731
    result = run_module(monkeypatch, capsys, module, args, reading, diff=True)
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]


def test_turning_off_comes_before_removing_the_phone_numbers(monkeypatch, capsys):
    def calls(s):
        reads(s, proactive="ENABLED", contacts=[API_CONTACT])
        s.add_response("disable_proactive_engagement", {}, {})
        s.add_response("update_emergency_contact_settings", {}, {"EmergencyContactList": [EMAIL_ONLY]})
        reads(s, proactive="DISABLED", contacts=[EMAIL_ONLY])

    args = {"emergency_contacts": [{"email_address": "lead@example.com"}], "proactive_engagement": False}
    result = run_module(monkeypatch, capsys, module, args, calls)
    assert result["changed"] is True
    assert result["proactive_engagement_status"] == "DISABLED"


def test_turning_on_again_comes_after_the_contacts(monkeypatch, capsys):
    def calls(s):
        reads(s, proactive="DISABLED", contacts=[EMAIL_ONLY])
        s.add_response("update_emergency_contact_settings", {}, {"EmergencyContactList": [API_CONTACT]})
        s.add_response("enable_proactive_engagement", {}, {})
        reads(s, proactive="ENABLED", contacts=[API_CONTACT])

    args = {"emergency_contacts": [CONTACT], "proactive_engagement": True}
    result = run_module(monkeypatch, capsys, module, args, calls)
    assert result["changed"] is True


def test_removing_the_last_phone_while_proactive_is_on_fails(monkeypatch, capsys):
    args = {"emergency_contacts": [{"email_address": "lead@example.com"}]}
    result = run_module(
        monkeypatch, capsys, module, args, lambda s: reads(s, proactive="ENABLED", contacts=[API_CONTACT])
    )
    assert result["failed"]
    assert "Proactive engagement is on" in result["msg"]


def test_contact_change_in_check_mode_makes_no_mutating_call_and_redacts(monkeypatch, capsys):
    new = dict(CONTACT, phone_number="+15555550199")
    result = run_module(
        monkeypatch,
        capsys,
        module,
        {"emergency_contacts": [new]},
        lambda s: reads(s, contacts=[API_CONTACT]),
        check_mode=True,
        diff=True,
    )
    assert result["changed"] is True
    assert "+15555550199" not in str(result["diff"]) and PHONE not in str(result["diff"])
    assert result["emergency_contacts"] == [new]
