"""Shared by the per-module integration tests: run a target playbook against a local cloud and see
what the emulator was asked."""

from __future__ import annotations

import json
import subprocess

from tools.harness import recorder
from tools.harness.playbook import BIN, REPO, playbook_env, run_playbook


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


def refused_before_any_call(played, result, calls, message):
    """The task failed with ``message`` and the emulator saw no call at all."""
    assert played.returncode != 0
    assert message in result["msg"], result["msg"]
    assert calls == []


def connection(cloud) -> dict:
    """The module options that point an AWS module at the local cloud."""
    return {"region": "us-east-1", "endpoint_url": cloud.endpoint, "access_key": "test", "secret_key": "test"}


def run_module(cloud, tmp_path, module: str, arguments: dict) -> tuple[int, dict]:
    """Run one module ad hoc (`ansible -m`) against the local cloud: (exit code, the task's result)."""
    env = playbook_env(
        cloud.endpoint, tmp_path, {"ANSIBLE_LOAD_CALLBACK_PLUGINS": "1", "ANSIBLE_STDOUT_CALLBACK": "json"}
    )
    proc = subprocess.run(
        [
            str(BIN / "ansible"),
            "dev",
            "-i",
            "inventories/local",
            "-m",
            module,
            "-a",
            json.dumps(connection(cloud) | arguments),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    output = json.loads(proc.stdout[proc.stdout.index("{") :]) if "{" in proc.stdout else {}
    results = [host for play in output.get("plays", []) for task in play["tasks"] for host in task["hosts"].values()]
    return proc.returncode, (results[0] if results else {"msg": proc.stdout + proc.stderr})


def assert_refused(cloud, tmp_path, module: str, arguments: dict, said: list[str]) -> list:
    """Run the module with bad ``arguments``: it fails, its message holds every text of ``said`` and the emulator saw
    no mutating call. Returns the calls the emulator saw."""
    recorder.start(cloud.endpoint)
    returncode, result = run_module(cloud, tmp_path, module, arguments)
    calls = recorder.stop(cloud.endpoint)
    assert returncode != 0 and result.get("failed"), result
    for text in said:
        assert text in result["msg"], result["msg"]
    assert [c.operation for c in calls if c.mutating] == []
    return calls


def refusals_in_one_run(cloud, tmp_path, rows) -> tuple[dict, list]:
    """Run each ``(case, module, arguments, ...)`` of a bad-input table as one task of one playbook (errors ignored,
    so every row runs) against the local cloud: (each case's result by its name, the mutating calls of the whole run).
    One ansible-playbook for the table instead of one `ansible` per row: a row's cost is mostly ansible's start-up."""
    tasks = [
        {"name": case, module: connection(cloud) | arguments, "ignore_errors": True}
        for case, module, arguments, *_said in rows
    ]
    playbook = tmp_path / "bad_inputs.yml"
    playbook.write_text(json.dumps([{"hosts": "dev", "gather_facts": False, "tasks": tasks}], indent=1))
    recorder.start(cloud.endpoint)
    played = run_playbook(str(playbook), endpoint=cloud.endpoint, work_dir=tmp_path)
    calls = recorder.stop(cloud.endpoint)
    results = {name: result for name, _host, result in played.task_results()}
    assert set(results) == {row[0] for row in rows}, played.explain()
    return results, mutating(calls)


def assert_refused_with(result: dict, said: list[str]):
    """The task failed and its message holds every text of ``said`` (the option path and the fix)."""
    assert result.get("failed"), result
    for text in said:
        assert text in result["msg"], result["msg"]
