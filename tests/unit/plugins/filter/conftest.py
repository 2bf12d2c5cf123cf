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
    """The JSON ansible-doc gives for securecloud.monitor.<name>, after checking it rendered without a warning."""

    def render(name: str) -> dict:
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
        return json.loads(proc.stdout)[f"securecloud.monitor.{name}"]

    return render
