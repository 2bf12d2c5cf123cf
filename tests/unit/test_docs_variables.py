"""Every role variable is documented: each top-level variable of roles/<role>/defaults/main.yml is the first cell of a
table row in the layer page that documents the role, so the pages cannot silently fall behind the roles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"

# Which page documents which role.
ROLE_PAGES = {
    "base_infra": "base-layer.md",
    "waf": "security-layer.md",
    "shield": "security-layer.md",
    "monitoring": "observability-layer.md",
    "audit_trail": "observability-layer.md",
    "tracing": "observability-layer.md",
    "delivery_pipeline": "delivery-layer.md",
    "inspector": "delivery-layer.md",
}

# Module names share some roles' prefixes (shield_protection); they are not variables.
MODULES = {p.stem for p in (REPO / "plugins" / "modules").glob("*.py")}

ROLES = sorted(p.name for p in (REPO / "roles").iterdir() if (p / "defaults" / "main.yml").is_file())

# A table row whose first cell names one or more variables in backticks: | `a` | or | `a`, `b` | ...
ROW = re.compile(r"^\|\s*(?P<cell>[^|]*?)\s*\|", re.MULTILINE)
NAME = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)`")


def table_variables(page: str) -> set[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    names: set[str] = set()
    for match in ROW.finditer(text):
        names.update(NAME.findall(match.group("cell")))
    return names


def role_defaults(role: str) -> list[str]:
    data = yaml.safe_load((REPO / "roles" / role / "defaults" / "main.yml").read_text(encoding="utf-8")) or {}
    return list(data)


def test_every_role_has_a_page():
    assert set(ROLES) == set(ROLE_PAGES), "map every role in roles/ to the docs page that documents it"
    for page in set(ROLE_PAGES.values()):
        assert (DOCS / page).is_file(), page


@pytest.mark.parametrize("role", ROLES)
def test_every_default_is_in_the_layer_page(role):
    documented = table_variables(ROLE_PAGES[role])
    missing = [name for name in role_defaults(role) if name not in documented]
    assert not missing, f"{ROLE_PAGES[role]} has no table row for these variables of role {role}: {missing}"


@pytest.mark.parametrize("role", ROLES)
def test_the_page_documents_no_variable_the_role_lacks(role):
    """A row naming a variable with the role's prefix that the role no longer has is out of date."""
    prefix = f"{role}_"
    known = set(role_defaults(role))
    stale = sorted(
        name for name in table_variables(ROLE_PAGES[role]) if name.startswith(prefix) and name not in known | MODULES
    )
    assert not stale, f"{ROLE_PAGES[role]} documents variables role {role} does not have: {stale}"
