"""The filter plugins load without boto3 or botocore.

Each ansible-playbook worker (one process per task) that templates any of the collection's filters loads every
filter plugin file of the collection, so whatever a filter plugin imports is paid by every such task. boto3 and
botocore alone took about a third of a CPU second each time, 12 % of the controller's CPU in a compliance run
(py-spy, docs/compliance.md). The filters need no AWS call; this keeps AWS's SDK out of them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
FILTERS = sorted(path.stem for path in (REPO / "plugins" / "filter").glob("*.py") if path.stem != "__init__")

PROBE = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module("ansible_collections.securecloud.monitor.plugins.filter." + name)
sdk = {m.split(".")[0] for m in sys.modules} & {"boto3", "botocore", "s3transfer"}
print(" ".join(sorted(sdk)))
"""


def test_every_filter_plugin_is_found():
    assert "monitoring_edge" in FILTERS and "shield_protections" in FILTERS and len(FILTERS) >= 12


def test_loading_every_filter_plugin_imports_no_aws_sdk():
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, *FILTERS],
        cwd=REPO,
        env={"PYTHONPATH": f"{REPO / '.collections'}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split() == [], f"the filter plugins import {probe.stdout.strip()}"
