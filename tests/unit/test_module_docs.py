"""Every module's documentation renders in ansible-doc with no warning, and is complete."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tools.harness.playbook import REPO, ensure_collection_link

MODULES = sorted(p.stem for p in (REPO / "plugins" / "modules").glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("module", MODULES)
def test_ansible_doc_renders_the_module(module):
    env = {"ANSIBLE_COLLECTIONS_PATH": str(ensure_collection_link()), "PATH": str(Path(sys.executable).parent)}
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-doc"), "--json", f"securecloud.monitor.{module}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr
    entry = json.loads(proc.stdout)[f"securecloud.monitor.{module}"]
    doc = entry["doc"]
    assert doc["short_description"] and doc["description"]
    assert doc["options"], "no options documented"
    assert all(option.get("description") for option in doc["options"].values())
    assert entry["examples"].strip()
    assert entry["return"], "no return values documented"
