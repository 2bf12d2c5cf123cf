"""What `ansible-galaxy collection build` ships: the collection and nothing of the development tooling, secrets or
caches that can lie in a checkout (plan files hold secrets; .env files hold credentials). galaxy.yml's metadata is
the one the rest of the project uses (repository of awx.yml's project, every collection the content calls)."""

from __future__ import annotations

import re
import shutil
import tarfile
from pathlib import Path

import pytest
import yaml

from tools.harness.ee import build_collection

REPO = Path(__file__).resolve().parents[2]
GALAXY = yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))

# Files a working checkout may hold next to the collection, none of which may ship.
PLANTED = [
    "terraform/dev.tfplan",
    "terraform/environments/dev/plan.tfplan",
    ".env",
    "inventories/prod.env",
    ".vscode/settings.json",
    ".idea/workspace.xml",
    ".work/collections/x",
    ".cache/x",
    "plugins/modules/__pycache__/x.cpython-311.pyc",
    "reports/compliance.json",
    "bench-results/x.json",
    "tests/output/x",
    "terraform/.terraform/providers/x",
    "terraform/terraform.tfstate",
    "docs/_build/html/index.html",
    "context/Containerfile",
    "roles/waf/tasks/main.yml.swp",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The tarball built from a copy of the checkout with the files above planted in it."""
    tree = tmp_path_factory.mktemp("checkout")
    source = tree / "monitor"
    ignore = shutil.ignore_patterns(".git", ".venv*", ".work", ".localcloud", "reports", "docs/_build", "*.tar.gz")
    shutil.copytree(REPO, source, ignore=ignore, symlinks=True)
    for name in PLANTED:
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("secret = 1\n")
    tarball = build_collection(tree / "out", source)
    with tarfile.open(tarball) as archive:
        return tarball.name, set(archive.getnames())


def test_nothing_of_the_tooling_secrets_or_caches_ships(built):
    _, names = built
    for planted in PLANTED:
        assert planted not in names, planted
    for folder in ("tools", "tests", "inventories", ".ci", ".venv", ".work"):
        assert not any(n == folder or n.startswith(folder + "/") for n in names), folder
    assert not [n for n in names if n.endswith((".tfplan", ".tfstate", ".pyc", ".env"))]


def test_the_collection_ships_with_licence_readmes_and_terraform(built):
    tarball, names = built
    assert tarball == f"securecloud-monitor-{GALAXY['version']}.tar.gz"
    assert {"COPYING", "README.md", "meta/runtime.yml", "meta/execution-environment.yml"} <= names
    roles = {p.name for p in (REPO / "roles").iterdir() if p.is_dir()}
    assert {f"roles/{r}/README.md" for r in roles} <= names
    assert "terraform/main.tf" in names
    assert not any("/molecule/" in n for n in names)


def test_licence_is_the_gpl3_text_galaxy_yml_declares():
    assert GALAXY["license"] == ["GPL-3.0-or-later"]
    text = (REPO / "COPYING").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in text and "Version 3, 29 June 2007" in text
    assert "END OF TERMS AND CONDITIONS" in text


def test_authors_are_in_the_ecosystem_form():
    for author in GALAXY["authors"]:
        assert re.fullmatch(r"[^<>()@]+ (\(@[A-Za-z0-9-]+\)|<[^<>@\s]+@[^<>\s]+>)", author), author


def test_repository_is_the_project_awx_syncs():
    awx = yaml.safe_load((REPO / "playbooks" / "vars" / "awx.yml").read_text(encoding="utf-8"))
    urls = {p["scm_url"].removesuffix(".git") for p in awx["controller_projects"]}
    assert urls == {GALAXY["repository"]}


KNOWN_COLLECTIONS = {"amazon.aws", "community.aws", "community.general", "awx.awx", "ansible.posix", "ansible.utils"}


def test_every_collection_the_content_calls_is_a_declared_dependency():
    used = set()
    for path in [*REPO.glob("roles/*/tasks/*.yml"), *REPO.glob("playbooks/**/*.yml"), *REPO.glob("plugins/**/*.py")]:
        for namespace, name in re.findall(r"\b([a-z_]+)\.([a-z_]+)\.[a-z_0-9]+\b", path.read_text(encoding="utf-8")):
            if f"{namespace}.{name}" in {
                "amazon.aws",
                "community.aws",
                "community.general",
                "awx.awx",
                "ansible.posix",
            }:
                used.add(f"{namespace}.{name}")
    assert used <= set(GALAXY["dependencies"]), used - set(GALAXY["dependencies"])
    assert "awx.awx" in GALAXY["dependencies"]
