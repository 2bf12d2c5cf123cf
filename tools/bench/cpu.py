"""CPU seconds of a benchmark's runs: ours (ansible-playbook, its module processes, Terraform) and the local
cloud's, which is not our child process."""

from __future__ import annotations

import os
from pathlib import Path

from tools.harness.cloud import LocalCloud
from tools.harness.cpu import children_cpu
from tools.localcloud.cli import PID_FILE

__all__ = ["children_cpu", "cloud_cpu"]


def cloud_cpu(cloud: LocalCloud) -> float:
    """CPU seconds the local cloud's server process has used so far (it is not our child: read /proc)."""
    pid = (cloud.state_dir / PID_FILE).read_text().strip()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
