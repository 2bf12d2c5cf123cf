"""The changelog as antsibull-changelog keeps it: released versions in changelogs/changelog.yaml, galaxy.yml at the
last release or past it, every plugin and role announced in the release of its version_added (or, when new since the
last release, with a version_added past it), and a fragment added after a release going to the next one."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from antsibull_changelog.changes import add_release, load_changes
from antsibull_changelog.config import ChangelogConfig, CollectionDetails, PathsConfig
from antsibull_changelog.fragment import load_fragments
from packaging.version import Version

from tools.harness.playbook import BIN

REPO = Path(__file__).resolve().parents[2]
CHANGES = yaml.safe_load((REPO / "changelogs" / "changelog.yaml").read_text(encoding="utf-8"))
RELEASES = sorted(CHANGES["releases"], key=Version)
GALAXY_VERSION = yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))["version"]


def _documented_version_added() -> dict[tuple[str, str], str]:
    """(kind, name) -> version_added of every module, plugin and role of the checkout."""
    found = {}
    for path in (REPO / "plugins").glob("*/*.py"):
        kind = path.parent.name
        if kind in {"module_utils", "doc_fragments"} or path.name == "__init__.py":
            continue
        text = path.read_text(encoding="utf-8")
        if 'DOCUMENTATION = r"""' not in text:
            continue  # a file of several filters: each is documented in a YAML file of its own (below)
        doc = text[text.index('DOCUMENTATION = r"""') + len('DOCUMENTATION = r"""') :]
        doc = yaml.safe_load(doc[: doc.index('"""')])
        name = doc.get("module") or doc.get("name") or path.stem  # a filter file is named after one of its filters
        found[(kind.removesuffix("s") if kind == "modules" else kind, name)] = str(doc["version_added"])
    for path in (REPO / "plugins").glob("*/*.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))["DOCUMENTATION"]
        found[(path.parent.name, doc["name"])] = str(doc["version_added"])
    for role in (REPO / "roles").iterdir():
        specs = yaml.safe_load((role / "meta" / "argument_specs.yml").read_text(encoding="utf-8"))
        found[("role", role.name)] = str(specs["argument_specs"]["main"].get("version_added"))
    return found


def _announced() -> dict[tuple[str, str], str]:
    """(kind, name) -> the release whose changelog announces it."""
    announced = {}
    for version, release in CHANGES["releases"].items():
        for module in release.get("modules", []):
            announced[("module", module["name"])] = version
        for kind, plugins in release.get("plugins", {}).items():
            for plugin in plugins:
                announced[(kind, plugin["name"])] = version
        for kind, objects in release.get("objects", {}).items():
            for obj in objects:
                announced[(kind, obj["name"])] = version
    return announced


def test_galaxy_version_is_the_last_release_or_past_it():
    assert "1.0.0" in RELEASES
    assert Version(GALAXY_VERSION) >= Version(RELEASES[-1])


def test_every_plugin_and_role_is_announced_in_the_release_of_its_version_added():
    announced = _announced()
    for (kind, name), version_added in _documented_version_added().items():
        if (kind, name) in announced:
            assert announced[(kind, name)] == version_added, (kind, name)
        else:
            # New since the last release: the next release announces it, so it must name a version after it.
            assert Version(version_added) > Version(RELEASES[-1]), (
                f"{kind} {name}: version_added {version_added} is already released; use the next version"
            )


def test_antsibull_changelog_lint_is_clean():
    for command in (["antsibull-changelog", "lint"], ["antsibull-changelog", "lint-changelog-yaml"]):
        if command[-1] == "lint-changelog-yaml":
            command.append("changelogs/changelog.yaml")
        result = subprocess.run(
            [str(BIN / command[0]), *command[1:]], cwd=REPO, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@pytest.fixture
def changelog_copy(tmp_path):
    shutil.copytree(REPO / "changelogs", tmp_path / "changelogs")
    shutil.copy(REPO / "galaxy.yml", tmp_path / "galaxy.yml")
    return tmp_path


def test_a_fragment_added_after_the_release_goes_to_the_next_version(changelog_copy):
    fragment = changelog_copy / "changelogs" / "fragments" / "99-after-the-release.yml"
    fragment.parent.mkdir(exist_ok=True)  # git keeps no empty folder: a clone right after a release has none
    fragment.write_text("---\nminor_changes:\n  - waf - a change merged after the release.\n")
    paths = PathsConfig.force_collection(str(changelog_copy))
    config = ChangelogConfig.load(paths, CollectionDetails(paths))
    changes = load_changes(config)
    before = yaml.safe_dump(changes.data["releases"][RELEASES[-1]])
    fragments = load_fragments(paths, config)
    assert [f.name for f in fragments if f.name.endswith("99-after-the-release.yml")]

    nxt = Version(RELEASES[-1])
    next_version = f"{nxt.major}.{nxt.minor + 1}.0"
    add_release(config, changes, [], fragments, next_version, None, datetime.date(2027, 1, 1))

    assert yaml.safe_dump(changes.data["releases"][RELEASES[-1]]) == before
    assert (
        "waf - a change merged after the release." in changes.data["releases"][next_version]["changes"]["minor_changes"]
    )
