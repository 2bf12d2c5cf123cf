"""The compliance run over many environments: wall time of playbooks/compliance.yml for 1, 5 and 20
environments (each in its own emulated account and region), measured in one run on one local cloud after one
site.yml deployed all of them. The plays fan out over the environments with forks = the number of
environments. Each run's CPU is split into controller, module processes, Terraform and local cloud
(tools/bench/profile.py), with the tasks run and skipped; the ten longest tasks of the one-environment run are
printed."""

from __future__ import annotations

import os
from pathlib import Path

from tools.bench.cpu import children_cpu, cloud_cpu
from tools.bench.profile import Profiler
from tools.bench.table import Row, Target
from tools.harness.cloud import LocalCloud
from tools.harness.environments import environments, write_inventory
from tools.harness.playbook import run_playbook

COUNTS = tuple(int(n) for n in os.environ.get("BENCH_COMPLIANCE_ENVIRONMENTS", "1 5 20").split())
TARGET_RATIO = 5.0
# Issue 22's targets for one environment's compliance run (CPU seconds of everything, the local cloud included, and
# wall seconds).
TARGET_CPU_PER_ENVIRONMENT = 35.0
TARGET_WALL_ONE_ENVIRONMENT = 40.0


def _run(cloud: LocalCloud, scratch: Path, inventory: Path, playbook: str, names: list[str], *extra: str):
    args = ["--limit", ",".join(names), "--forks", str(max(len(names), 1)), *extra]
    run = run_playbook(
        playbook, endpoint=cloud.endpoint, work_dir=scratch / "work", inventory=str(inventory), args=args, timeout=7200
    )
    if run.returncode != 0:
        raise RuntimeError(f"{playbook} over {len(names)} environment(s) failed: {run.explain()}")
    return run


def run(cloud: LocalCloud, scratch: Path) -> tuple[list[Row], list[Target], dict]:
    hosts = environments(max(COUNTS))
    inventory = write_inventory(scratch / "inventory", hosts)
    names = sorted(hosts)
    deploy = _run(cloud, scratch, inventory, "site.yml", names)
    rows = [Row(f"site.yml, {len(names)} environments (setup)", deploy.seconds, deploy.total("changed"))]
    walls, profiles = {}, {}
    profiler = Profiler(scratch / "profile")
    for count in COUNTS:
        report = scratch / f"reports-{count}"
        profiler.reset()
        ansible_before, cloud_before = children_cpu(), cloud_cpu(cloud)
        check = _run(
            cloud,
            scratch,
            inventory,
            "playbooks/compliance.yml",
            names[:count],
            "-e",
            f"compliance_report_path={report}",
            *profiler.args(),
        )
        walls[count] = check.seconds
        profiles[count] = profiler.profile(check, children_cpu() - ansible_before, cloud_cpu(cloud) - cloud_before)
        rows.append(
            Row(
                f"compliance, {count} environment(s)",
                check.seconds,
                note=f"{check.seconds / walls[COUNTS[0]]:.2f}x one; " + profiles[count].summary(count),
            )
        )
    first = profiles[COUNTS[0]]
    print(f"The ten longest tasks of the compliance run over {COUNTS[0]} environment(s):")
    print("\n".join(first.longest_tasks()), flush=True)
    ratio = walls[COUNTS[-1]] / walls[COUNTS[0]]
    one = profiles[COUNTS[0]]
    targets = [
        Target(f"compliance wall {COUNTS[-1]} envs / 1 env", ratio, TARGET_RATIO),
        Target(
            f"compliance CPU s per environment ({COUNTS[0]} env)",
            (one.total + one.cloud) / COUNTS[0],
            TARGET_CPU_PER_ENVIRONMENT,
        ),
        Target(f"compliance wall s ({COUNTS[0]} env)", walls[COUNTS[0]], TARGET_WALL_ONE_ENVIRONMENT),
    ]
    details = {
        "walls": walls,
        "cpus": os.cpu_count(),
        "profiles": {count: vars(profile) for count, profile in profiles.items()},
    }
    return rows, targets, details


SUITE = ("Compliance run over many environments (one local cloud, one account and region each)", run)
