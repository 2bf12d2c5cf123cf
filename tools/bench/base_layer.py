"""The base layer: what site.yml adds on top of a plain Terraform apply, and
what a no-op re-run costs. API calls come from the emulator's own recorder."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

from tools.bench.table import Row, Target
from tools.harness import recorder
from tools.harness.cloud import REGION, LocalCloud
from tools.harness.playbook import REPO, run_playbook, run_terraform

ENVIRONMENT = "dev"


def _terraform(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    result = run_terraform(workdir, *args)
    if result.returncode != 0:
        raise RuntimeError(f"terraform {' '.join(args)} failed: {result.stderr[-3000:]}")
    return result


def managed_resources(workdir: Path) -> int:
    listed = _terraform(workdir, "state", "list").stdout.split()
    return len([address for address in listed if not (address.startswith("data.") or ".data." in address)])


def terraform_only(cloud: LocalCloud, scratch: Path) -> Row:
    """terraform init + apply of the same stack and variables, nothing else."""
    workdir = scratch / "terraform-only"
    shutil.copytree(REPO / "terraform", workdir, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    tfvars = {
        "environment": ENVIRONMENT,
        "aws_region": REGION,
        "aws_endpoint_url": cloud.endpoint,
        "secret_recovery_window_days": 0,
        "tags": {"securecloud:environment": ENVIRONMENT},
    }
    (workdir / "bench.auto.tfvars.json").write_text(json.dumps(tfvars))
    recorder.start(cloud.endpoint)
    started = time.monotonic()
    _terraform(workdir, "init", "-input=false", "-no-color")
    _terraform(workdir, "apply", "-auto-approve", "-input=false", "-no-color")
    seconds = time.monotonic() - started
    calls = recorder.summarise(recorder.stop(cloud.endpoint))
    return Row(
        "terraform init+apply only",
        seconds,
        None,
        calls["total"],
        calls["mutating"],
        calls["read"],
        f"{managed_resources(workdir)} resources",
    )


def site(cloud: LocalCloud, work_dir: Path, label: str) -> tuple[Row, dict]:
    recorder.start(cloud.endpoint)
    run = run_playbook("site.yml", endpoint=cloud.endpoint, work_dir=work_dir)
    calls = recorder.summarise(recorder.stop(cloud.endpoint))
    if run.returncode != 0:
        raise RuntimeError(f"site.yml ({label}) failed: {run.explain()}")
    return Row(label, run.seconds, run.total("changed"), calls["total"], calls["mutating"], calls["read"]), calls


def run(cloud: LocalCloud, scratch: Path) -> tuple[list[Row], list[Target], dict]:
    cloud.reset()
    tf_row = terraform_only(cloud, scratch)
    cloud.reset()
    work_dir = scratch / "site"
    cold, cold_calls = site(cloud, work_dir, "site.yml cold")
    noop, noop_calls = site(cloud, work_dir, "site.yml no-op re-run")
    resources = managed_resources(work_dir / ENVIRONMENT / "terraform")
    noop.note = f"{noop.read / resources:.2f} reads per managed resource ({resources})"
    cold.note = f"{cold.seconds / tf_row.seconds:.2f}x the Terraform-only apply"
    targets = [
        Target(
            "cold site.yml / Terraform-only apply",
            cold.seconds / tf_row.seconds,
            1.3,
            shown=f"{cold.seconds / tf_row.seconds:.2f}x",
        ),
        Target("no-op mutating calls", noop.mutating, 0),
        Target("no-op changed tasks", noop.changed, 0),
        Target("no-op read calls per managed resource", noop.read / resources, 1.5),
        Target("no-op wall time / cold wall time", noop.seconds / cold.seconds, 0.25),
    ]
    details = {"cold": cold_calls, "noop": noop_calls, "managed_resources": resources}
    return [tf_row, cold, noop], targets, details
