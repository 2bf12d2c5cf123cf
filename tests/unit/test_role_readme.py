"""Every role has a README whose variables table is the one generated from its meta/argument_specs.yml
(tools/role_readme.py), so a README cannot fall behind its role's arguments."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tools import role_readme

REPO = Path(__file__).resolve().parents[2]
ROLES = sorted(p.name for p in (REPO / "roles").iterdir() if (p / "meta" / "argument_specs.yml").is_file())


def test_every_readme_table_matches_argument_specs():
    assert role_readme.differences(REPO) == []


@pytest.mark.parametrize("role", ROLES)
def test_readme_lists_every_option_of_every_entry_point(role):
    readme = (REPO / "roles" / role / "README.md").read_text(encoding="utf-8")
    specs = yaml.safe_load((REPO / "roles" / role / "meta" / "argument_specs.yml").read_text(encoding="utf-8"))
    for entry, spec in specs["argument_specs"].items():
        assert f"### Entry point `{entry}`" in readme
        for option in spec.get("options") or {}:
            assert f"| `{option}` |" in readme, option
    assert "## Example" in readme and "securecloud.monitor." + role in readme


@pytest.fixture
def repo_copy(tmp_path):
    """A copy of one role (README and argument_specs) in a repository of its own."""
    role = tmp_path / "roles" / "waf"
    (role / "meta").mkdir(parents=True)
    shutil.copy(REPO / "roles" / "waf" / "README.md", role / "README.md")
    shutil.copy(REPO / "roles" / "waf" / "meta" / "argument_specs.yml", role / "meta" / "argument_specs.yml")
    return tmp_path


def test_an_option_added_to_argument_specs_but_not_to_the_readme_fails(repo_copy):
    specs_file = repo_copy / "roles" / "waf" / "meta" / "argument_specs.yml"
    specs = yaml.safe_load(specs_file.read_text())
    specs["argument_specs"]["main"]["options"]["waf_new_switch"] = {
        "type": "bool",
        "default": False,
        "description": "A switch the README does not know about.",
    }
    specs_file.write_text(yaml.safe_dump(specs))

    [problem] = role_readme.differences(repo_copy)
    assert "roles/waf/README.md" in problem and "differs from meta/argument_specs.yml" in problem

    role_readme.write(repo_copy)
    assert role_readme.differences(repo_copy) == []
    assert (
        "| `waf_new_switch` | bool | no | `false` | A switch the README does not know about. |"
        in (repo_copy / "roles" / "waf" / "README.md").read_text()
    )


def test_a_default_changed_in_the_readme_by_hand_fails(repo_copy):
    readme = repo_copy / "roles" / "waf" / "README.md"
    readme.write_text(
        readme.read_text().replace(
            "| `waf_rate_limit` | int | no | `2000` |", "| `waf_rate_limit` | int | no | `100` |"
        )
    )
    assert role_readme.differences(repo_copy) != []


def test_a_readme_without_the_generated_block_or_missing_is_named(repo_copy):
    readme = repo_copy / "roles" / "waf" / "README.md"
    readme.write_text("# waf\n")
    [problem] = role_readme.differences(repo_copy)
    assert "no generated block" in problem
    readme.unlink()
    assert role_readme.differences(repo_copy) == ["roles/waf/README.md: missing"]


def test_markup_becomes_markdown():
    assert role_readme.markdown("C(x) M(a.b.c) I(y) B(z) U(https://e.x)") == "`x` `a.b.c` *y* **z** <https://e.x>"
