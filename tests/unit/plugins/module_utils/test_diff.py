"""plugins/module_utils/diff.py: canonical comparison and diff payloads."""

from __future__ import annotations

from types import SimpleNamespace

from ansible_collections.securecloud.monitor.plugins.module_utils.diff import (
    REDACTED,
    canonical,
    diff_payload,
    differs,
)


def test_key_order_and_empty_members_do_not_count():
    current = {"b": 1, "a": {"y": [], "x": None, "z": "v"}}
    declared = {"a": {"z": "v"}, "b": 1}
    assert not differs(current, declared)
    assert list(canonical(current)) == ["a", "b"]


def test_list_order_counts():
    assert differs({"rules": ["a", "b"]}, {"rules": ["b", "a"]})


def test_changed_value_differs():
    assert differs({"a": {"b": 1}}, {"a": {"b": 2}})


def test_diff_only_with_diff_mode_and_secrets_redacted():
    before = {"contact": {"phone": "+1555", "email": "a@b"}}
    after = {"contact": {"phone": "+1666", "email": "a@b"}}
    assert diff_payload(SimpleNamespace(_diff=False), before, after) == {}
    payload = diff_payload(SimpleNamespace(_diff=True), before, after, secret_keys=("phone",))
    assert payload["diff"]["before"]["contact"] == {"email": "a@b", "phone": REDACTED}
    assert payload["diff"]["after"]["contact"]["phone"] == REDACTED


def test_absent_side_is_empty_dict():
    payload = diff_payload(SimpleNamespace(_diff=True), None, {"a": 1})
    assert payload["diff"]["before"] == {}
