"""Where a playbook run's CPU goes: the controller (ansible-playbook and its forks), the module processes (how many,
their mean), Terraform, and the local cloud; the tasks run and skipped; the ten longest tasks.

Module processes and Terraform are measured by wrappers the run is given: the Python interpreter of every module
(``ansible_python_interpreter``) and the Terraform binary (``base_infra_terraform_binary``) are small shell scripts
that run the real one under bash's ``time`` and append its user and system CPU seconds to a log. A module's figure
includes the Terraform it starts; Terraform's is subtracted from it. The controller's is what is left of the run's
whole CPU (``children_cpu`` around it)."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.harness.playbook import BIN, PlaybookRun

_WRAPPER = """#!/bin/bash
# Runs {what} and appends its CPU seconds (user system, its children included) to {log}.
TIMEFORMAT='%U %S'
{{ time "{real}" "$@" 2>&3 3>&-; }} 3>&2 2>>"{log}"
"""


@dataclass
class Profile:
    """A run's CPU seconds split by where they were spent, and its tasks."""

    total: float
    modules: float
    module_runs: int
    terraform: float
    terraform_runs: int
    cloud: float
    tasks_run: int
    tasks_skipped: int
    longest: list[tuple[str, float]]

    @property
    def controller(self) -> float:
        return self.total - self.modules

    @property
    def modules_without_terraform(self) -> float:
        return self.modules - self.terraform

    def summary(self, environments: int = 1) -> str:
        per = 1 / environments
        mean = self.modules_without_terraform / self.module_runs if self.module_runs else 0.0
        return (
            f"CPU s per environment: controller {self.controller * per:.1f}, module processes "
            f"{self.modules_without_terraform * per:.1f} ({self.module_runs * per:.0f} runs, {mean:.2f} s each), "
            f"Terraform {self.terraform * per:.1f} ({self.terraform_runs * per:.0f} runs), "
            f"local cloud {self.cloud * per:.1f}; tasks run {self.tasks_run * per:.0f}, "
            f"skipped {self.tasks_skipped * per:.0f}"
        )

    def longest_tasks(self) -> list[str]:
        return [f"{seconds:7.2f} s  {name}" for name, seconds in self.longest]


class Profiler:
    """Wrappers for one run, and the figures they logged."""

    def __init__(self, scratch: Path, terraform: str | None = None):
        scratch.mkdir(parents=True, exist_ok=True)
        self.module_log = scratch / "module-cpu.log"
        self.terraform_log = scratch / "terraform-cpu.log"
        real_terraform = terraform or shutil.which("terraform", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
        if not real_terraform:
            raise RuntimeError("terraform is not on PATH")
        self.python = _wrapper(scratch / "python", "a module process", sys.executable, self.module_log)
        self.terraform = _wrapper(scratch / "terraform", "Terraform", real_terraform, self.terraform_log)

    def args(self) -> list[str]:
        """Extra arguments of the profiled ansible-playbook run."""
        return [
            "-e",
            f"ansible_python_interpreter={self.python}",
            "-e",
            f"base_infra_terraform_binary={self.terraform}",
        ]

    def reset(self) -> None:
        for log in (self.module_log, self.terraform_log):
            log.write_text("")

    def profile(self, run: PlaybookRun, total_cpu: float, cloud_cpu: float) -> Profile:
        modules = _cpu_lines(self.module_log)
        terraform = _cpu_lines(self.terraform_log)
        run_count, skipped = _task_counts(run)
        return Profile(
            total=total_cpu,
            modules=sum(modules),
            module_runs=len(modules),
            terraform=sum(terraform),
            terraform_runs=len(terraform),
            cloud=cloud_cpu,
            tasks_run=run_count,
            tasks_skipped=skipped,
            longest=longest_tasks(run),
        )


def _wrapper(path: Path, what: str, real: str, log: Path) -> Path:
    path.write_text(_WRAPPER.format(what=what, real=real, log=log))
    path.chmod(0o755)
    return path


def _cpu_lines(log: Path) -> list[float]:
    if not log.exists():
        return []
    return [float(user) + float(system) for user, system in (line.split() for line in log.read_text().splitlines())]


def _task_counts(run: PlaybookRun) -> tuple[int, int]:
    results = [result for _name, _host, result in run.task_results()]
    skipped = sum(1 for result in results if result.get("skipped"))
    return len(results) - skipped, skipped


def longest_tasks(run: PlaybookRun, count: int = 10) -> list[tuple[str, float]]:
    """The ``count`` tasks of longest wall time (every host's), longest first."""
    names = {task["task"]["name"] for play in run.output.get("plays", []) for task in play.get("tasks", [])}
    seconds = {name: run.task_seconds(name) for name in names}
    return sorted(seconds.items(), key=lambda item: -item[1])[:count]
