"""Shared by the filter plugins' tests: the documentation ansible-doc renders for a filter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tools.harness.playbook import REPO, ensure_collection_link


@pytest.fixture
def filter_doc():
    """Checks ansible-doc renders securecloud.monitor.<name> without a warning, with a description, the options
    given, examples and return values."""

    def render(name: str, options: set[str]) -> None:
        bin_dir = Path(sys.executable).parent
        proc = subprocess.run(
            [str(bin_dir / "ansible-doc"), "--json", "-t", "filter", f"securecloud.monitor.{name}"],
            cwd=REPO,
            env={"ANSIBLE_COLLECTIONS_PATH": str(ensure_collection_link()), "PATH": str(bin_dir)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0 and "WARNING" not in proc.stderr, proc.stderr
        entry = json.loads(proc.stdout)[f"securecloud.monitor.{name}"]
        assert entry["doc"]["description"] and set(entry["doc"]["options"]) == options
        assert entry["examples"].strip() and entry["return"]

    return render
