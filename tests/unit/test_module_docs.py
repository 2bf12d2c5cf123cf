"""Every module's documentation renders in ansible-doc with no warning, and is complete."""

from __future__ import annotations

import importlib
import inspect

import pytest

from tools.harness.playbook import REPO, ansible_doc

MODULES = sorted(p.stem for p in (REPO / "plugins" / "modules").glob("*.py") if not p.name.startswith("_"))


def rendered(name: str, plugin_type: str = "module") -> dict:
    """ansible-doc's JSON entry of securecloud.monitor.<name>, asserting it rendered with no warning."""
    entry, warnings = ansible_doc(name, plugin_type)
    assert entry is not None, warnings
    assert "WARNING" not in warnings, warnings
    return entry


@pytest.mark.parametrize("module", MODULES)
def test_ansible_doc_renders_the_module(module):
    entry = rendered(module)
    doc = entry["doc"]
    assert doc["short_description"] and doc["description"]
    assert doc["options"], "no options documented"
    assert all(option.get("description") for option in doc["options"].values())
    assert entry["examples"].strip()
    assert entry["return"], "no return values documented"


def _filters() -> dict:
    filters = {}
    for path in sorted((REPO / "plugins" / "filter").glob("*.py")):
        module = importlib.import_module(f"ansible_collections.securecloud.monitor.plugins.filter.{path.stem}")
        filters.update(module.FilterModule().filters())
    return filters


FILTERS = _filters()


def _parameters(function) -> set[str]:
    """The options a filter takes: its input (``_input``) and its other named parameters."""
    names = [
        p.name
        for p in inspect.signature(function).parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    return {"_input", *names[1:]}


def test_every_filter_plugin_file_is_found():
    assert {"waf_web_acls", "shield_protections", "sns_topic_arns"} <= set(FILTERS)


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_ansible_doc_renders_the_filter_under_its_own_name(name):
    # A file with several filters documents the others in sidecar files (plugins/filter/<name>.yml): without one,
    # ansible-doc shows the file's first filter's documentation under the other's name.
    entry = rendered(name, "filter")
    doc = entry["doc"]
    assert doc["name"] == name, f"the documentation shown is {doc['name']}'s"
    assert doc["short_description"] and doc["description"]
    assert set(doc["options"]) == _parameters(FILTERS[name]), "the options documented are not the filter's"
    assert all(option.get("description") for option in doc["options"].values())
    assert entry["examples"].strip() and entry["return"]
