"""The collection as an execution environment holds it: built from the checkout into a tarball, installed from that
tarball, next to exactly the collections its galaxy.yml declares (and theirs), nothing else.

The dependency collections are copied from the `ansible` package pinned in requirements/runtime.txt (no collection
server is reachable from these machines); each must satisfy galaxy.yml's version range, as ansible-galaxy would
enforce when the EE is built.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from tools.harness.playbook import BIN, REPO

# Where execution-environment.yml takes the tarball from (additional_build_files).
EE_TARBALL = REPO / ".work" / "ee" / "securecloud-monitor.tar.gz"


def build_collection(out_dir: Path, source: Path = REPO) -> Path:
    """`ansible-galaxy collection build` of the checkout (or of a copy of it); the tarball's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("securecloud-monitor-*.tar.gz"):
        old.unlink()
    subprocess.run(
        [str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(out_dir)],
        cwd=source,
        check=True,
        capture_output=True,
        timeout=300,
    )
    [tarball] = out_dir.glob("securecloud-monitor-*.tar.gz")
    return tarball


def build_ee_tarball() -> Path:
    """The tarball execution-environment.yml copies into the build context."""
    tarball = build_collection(EE_TARBALL.parent / "build")
    shutil.copyfile(tarball, EE_TARBALL)
    return EE_TARBALL


def _installed_collections_root() -> Path:
    """The ansible_collections folder of the `ansible` package in this Python."""
    import ansible_collections  # the `ansible` package's namespace

    for path in ansible_collections.__path__:
        if (Path(path) / "amazon" / "aws").is_dir():
            return Path(path)
    raise RuntimeError("the ansible package's collections are not installed in " + sys.prefix)


def _copy_dependencies(dependencies: dict, source: Path, target: Path, seen: set[str]) -> None:
    for name, wanted in dependencies.items():
        if name in seen:
            continue
        seen.add(name)
        namespace, collection = name.split(".")
        found = source / namespace / collection
        manifest = json.loads((found / "MANIFEST.json").read_text())["collection_info"]
        version = manifest["version"]
        if wanted != "*" and Version(version) not in SpecifierSet(wanted.replace(" ", "")):
            raise RuntimeError(f"{name} {version} from the ansible package does not satisfy galaxy.yml's {wanted}")
        shutil.copytree(found, target / namespace / collection, symlinks=True)
        _copy_dependencies(manifest.get("dependencies") or {}, source, target, seen)


def ee_collections(root: Path, tarball: Path | None = None) -> Path:
    """A collections path holding what the EE holds: this collection installed from its tarball, and its declared
    dependencies. Returns `root` (it contains ansible_collections/)."""
    tarball = tarball or build_collection(root.parent / "collection-build")
    subprocess.run(
        [
            str(BIN / "ansible-galaxy"),
            "collection",
            "install",
            "--offline",
            "--no-deps",
            "--force",
            "-p",
            str(root),
            str(tarball),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    installed = root / "ansible_collections"
    manifest = json.loads((installed / "securecloud" / "monitor" / "MANIFEST.json").read_text())
    declared = manifest["collection_info"]["dependencies"]
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text())
    assert declared == galaxy["dependencies"], "the tarball is not built from this checkout's galaxy.yml"
    _copy_dependencies(declared, _installed_collections_root(), installed, {"securecloud.monitor"})
    return root
