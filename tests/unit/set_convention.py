"""Helpers for the set module convention's tests (plugins/module_utils/set_module.py): deprecations a module run
returned, without those of the runs before it in the same process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ansible.module_utils import _internal as ansible_internal
from ansible.module_utils.common import warnings as ansible_warnings


def fresh_deprecations(monkeypatch):
    """Ansible keeps a module's deprecations in a process-wide store: empty it, so that a test sees its run's only.
    Once a test of the same process has imported Ansible's controller code, module-side deprecations go to the
    controller's display instead of the result: a module runs on its own, never with the controller loaded."""
    monkeypatch.setattr(ansible_warnings, "_global_deprecations", {})
    monkeypatch.setattr(ansible_internal, "is_controller", False)


def deprecations(result):
    """(message, version, collection) of every deprecation in a module result (ansible-core 2.19's shape, or the
    flat one of earlier versions)."""
    found = []
    for item in result.get("deprecations") or []:
        message = item["event"]["msg"] if "event" in item else item["msg"]
        collection = (item.get("deprecator") or {}).get("resolved_name") or item.get("collection_name")
        found.append((message, item.get("version"), collection))
    return found


def deprecation_text(result):
    return " | ".join(message for message, _version, _collection in deprecations(result))


def assert_no_deprecation(result):
    assert deprecations(result) == [], deprecation_text(result)


def assert_deprecated(result, *parts):
    """Every part is in one of the result's deprecations, each of them for 2.0.0 of this collection."""
    found = deprecations(result)
    assert found, "no deprecation in the result"
    assert all(version == "2.0.0" and collection == "securecloud.monitor" for _m, version, collection in found), found
    text = deprecation_text(result)
    for part in parts:
        assert part in text, text


@dataclass
class SetKit:
    """How to drive one set module whose old option name was scope_name_prefix (purge defaulted to false) against its
    Stubber, over three existing resources: ``declared`` (in the scope, and in ``args``), ``old`` (in the scope, not
    declared) and ``outside`` (outside the scope: never read, never deleted)."""

    run: Callable  # run(monkeypatch, capsys, args, setup=None, check_mode=False, aws=True) -> result
    args: dict  # the list option with the declared resource
    prefix: str
    reads: Callable  # reads(stubber, scoped): the reads of the three resources with the prefix (or with none)
    delete: Callable  # delete(stubber, which): the deletion of "declared" or "old"
    names: Callable  # names(result): the names of the resources in the result, sorted
    declared: str = ""
    old: str = ""
    outside: str = ""
    old_option: str = "scope_name_prefix"
