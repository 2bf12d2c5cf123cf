"""The role contract (docs/architecture.md): a role reads only `base`, its own variables and other layers' declared
interfaces, never a result another role registered. Run alone (`site.yml --tags <role>`, a layer playbook, AWX), such
a result is undefined and the role silently computes something else (issue 19: an alarm set purged, alarm actions
dropped)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
ROLES = REPO / "roles"
REGISTER = re.compile(r"^\s*register:\s*(\w+)", re.MULTILINE)
# The one fact a role sets for the others: the base layer's outputs (base_infra's `outputs` entry point).
DECLARED_FACTS = {"base"}


def role_files(role: Path) -> list[Path]:
    """The role's own files (its Molecule scenarios may read anything: they are the test, not the role)."""
    return [
        f
        for f in role.rglob("*")
        if f.suffix in (".yml", ".yaml", ".j2") and "molecule" not in f.relative_to(role).parts
    ]


def registered(role: Path) -> set[str]:
    return {name for f in role_files(role) for name in REGISTER.findall(f.read_text(encoding="utf-8"))}


def facts_set(role: Path) -> set[str]:
    """Names the role's tasks set with set_fact (at any depth of blocks)."""
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("ansible.builtin.set_fact", "set_fact") and isinstance(value, dict):
                    found.update(k for k in value if k != "cacheable")
                elif key in ("block", "rescue", "always"):
                    walk(value)

    for f in role_files(role):
        if "tasks" in f.relative_to(role).parts:
            walk(yaml.safe_load(f.read_text(encoding="utf-8")))
    return found


def readers(name: str, owner: Path) -> list[str]:
    """Files of the roles beside ``owner`` that name ``name``."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    return [
        str(f.relative_to(owner.parent))
        for role in sorted(owner.parent.iterdir())
        if role.is_dir() and role != owner
        for f in role_files(role)
        if word.search(f.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize("role", sorted(p.name for p in ROLES.iterdir() if (p / "tasks").is_dir()))
def test_no_other_role_reads_what_this_role_registers(role):
    owner = ROLES / role
    assert registered(owner), f"{role} registers nothing: the scan is broken"
    assert {name: found for name in sorted(registered(owner)) if (found := readers(name, owner))} == {}


@pytest.mark.parametrize("role", sorted(p.name for p in ROLES.iterdir() if (p / "tasks").is_dir()))
def test_no_other_role_reads_a_fact_this_role_sets_but_the_declared_ones(role):
    owner = ROLES / role
    facts = facts_set(owner) - DECLARED_FACTS
    assert {name: found for name in sorted(facts) if (found := readers(name, owner))} == {}


def test_the_scan_finds_a_registered_result_read_by_another_role(tmp_path):
    # The scan itself must be able to fail: the pattern it looks for, in two roles of a scratch tree.
    (tmp_path / "a" / "tasks").mkdir(parents=True)
    (tmp_path / "b" / "defaults").mkdir(parents=True)
    (tmp_path / "a" / "tasks" / "main.yml").write_text("- name: x\n  debug: {}\n  register: a_topic\n")
    (tmp_path / "b" / "defaults" / "main.yml").write_text("b_actions: '{{ [a_topic.sns_arn] }}'\n")

    assert registered(tmp_path / "a") == {"a_topic"}
    assert readers("a_topic", tmp_path / "a") == ["b/defaults/main.yml"]


def test_the_scan_finds_a_fact_set_in_a_block_and_read_by_another_role(tmp_path):
    (tmp_path / "a" / "tasks").mkdir(parents=True)
    (tmp_path / "b" / "tasks").mkdir(parents=True)
    (tmp_path / "a" / "tasks" / "main.yml").write_text(
        "- block:\n    - ansible.builtin.set_fact:\n        a_alarms: []\n        cacheable: false\n"
    )
    (tmp_path / "b" / "tasks" / "main.yml").write_text("- debug:\n    msg: '{{ a_alarms }}'\n")

    assert facts_set(tmp_path / "a") == {"a_alarms"}
    assert readers("a_alarms", tmp_path / "a") == ["b/tasks/main.yml"]
