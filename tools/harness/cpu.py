"""CPU time per test file, for the planning of test-suite cuts: what a pytest process used itself plus what the
processes it started and waited for used (ansible-playbook with its forks and modules, Terraform and its providers),
read with getrusage around each test. A local cloud started as a daemon is not counted (it is not waited for).

Under pytest-xdist each worker hands its figures to the controller (``workeroutput``), which adds them up."""

from __future__ import annotations

import resource
from collections.abc import Iterable


def _used(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def children_cpu() -> float:
    """User and system CPU seconds of the children this process has waited for, so far."""
    return _used(resource.RUSAGE_CHILDREN)


def cpu_seconds() -> float:
    """User and system CPU seconds of this process and of the children it has waited for, so far."""
    return _used(resource.RUSAGE_SELF) + children_cpu()


def add(totals: dict[str, list[float]], path: str, cpu: float, wall: float) -> None:
    """Adds a test's CPU and wall seconds to its file's [cpu, wall, tests]."""
    merge(totals, {path: [cpu, wall, 1]})


def merge(into: dict[str, list[float]], other: dict[str, list[float]]) -> None:
    """Adds one worker's totals into another's."""
    for path, (cpu, wall, tests) in other.items():
        entry = into.setdefault(path, [0.0, 0.0, 0])
        entry[0] += cpu
        entry[1] += wall
        entry[2] += tests


def table(totals: dict[str, list[float]], limit: int) -> Iterable[str]:
    """The ``limit`` files that used the most CPU, most first, then the sum over every file."""
    ranked = sorted(totals.items(), key=lambda item: (-item[1][0], item[0]))
    yield f"{'CPU s':>8} {'wall s':>8} {'tests':>5}  test file (pytest and the processes it waited for)"
    for path, entry in ranked[:limit]:
        yield _row(entry, path)
    if len(ranked) > limit:
        yield _row(_sums(entry for _path, entry in ranked[limit:]), f"the {len(ranked) - limit} other files")
    yield _row(_sums(totals.values()), f"all {len(totals)} files")


def _sums(entries: Iterable[list[float]]) -> list[float]:
    cpu, wall, tests = zip(*entries, strict=True)
    return [sum(cpu), sum(wall), sum(tests)]


def _row(entry: list[float], label: str) -> str:
    cpu, wall, tests = entry
    return f"{cpu:8.0f} {wall:8.0f} {tests:5d}  {label}"
