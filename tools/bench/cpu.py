"""CPU seconds of a benchmark's runs: ours (ansible-playbook, its module processes, Terraform) and the local
cloud's, which is not our child process."""

from __future__ import annotations

import os
import resource
from pathlib import Path

from tools.harness.cloud import LocalCloud
from tools.localcloud.cli import PID_FILE


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cloud_cpu(cloud: LocalCloud) -> float:
    """CPU seconds the local cloud's server process has used so far (it is not our child: read /proc)."""
    pid = (cloud.state_dir / PID_FILE).read_text().strip()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
