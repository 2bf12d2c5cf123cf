"""Shared by the per-module integration tests: run a target playbook against a local cloud and see
what the emulator was asked."""

from __future__ import annotations

import json

from tools.harness import recorder
from tools.harness.playbook import run_playbook


def run_target(cloud, work_dir, playbook, extra, *flags):
    """(playbook run, the last task's result, the calls the emulator saw)."""
    recorder.start(cloud.endpoint)
    played = run_playbook(playbook, endpoint=cloud.endpoint, work_dir=work_dir, args=["-e", json.dumps(extra), *flags])
    calls = recorder.stop(cloud.endpoint)
    results = [result for _, _, result in played.task_results()]
    return played, (results[-1] if results else {}), calls


def mutating(calls):
    """service:Operation of every mutating call."""
    return [f"{c.service}:{c.operation}" for c in calls if c.mutating]


def ok(played):
    assert played.returncode == 0, played.explain()
