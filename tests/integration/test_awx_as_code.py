"""The AWX side without a controller: the execution environment's build context (ansible-builder create, no container
engine needed) and awx.yml's composed objects in a dry run (no controller is reachable from these machines)."""

from __future__ import annotations

import json
import subprocess

from tools.harness.playbook import BIN, REPO, playbook_env


def test_ansible_builder_creates_a_context_with_terraform_and_the_pinned_dependencies(tmp_path):
    result = subprocess.run(
        [
            str(BIN / "ansible-builder"),
            "create",
            "-f",
            "execution-environment.yml",
            "--context",
            str(tmp_path),
            "--output-filename",
            "Containerfile",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    containerfile = (tmp_path / "Containerfile").read_text()
    assert "install-terraform.sh 1.11.4" in containerfile
    assert "ansible-core==2.19.14" in containerfile
    build = tmp_path / "_build"
    assert "ansible==12.3.0" in (build / "requirements.txt").read_text()
    assert "amazon.aws" in (build / "requirements.yml").read_text()
    assert (build / "scripts" / "install-terraform.sh").exists()


def test_awx_playbook_composes_the_templates_and_the_nightly_schedule(tmp_path):
    result = subprocess.run(
        [str(BIN / "ansible-playbook"), "playbooks/awx.yml", "-e", "awx_dry_run=true"],
        cwd=REPO,
        env=playbook_env(None, tmp_path),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    output = json.loads(result.stdout[result.stdout.index("{") :])
    [shown] = [
        host["msg"]
        for play in output["plays"]
        for task in play["tasks"]
        if task["task"]["name"] == "Show what would be sent (dry run)"
        for host in task["hosts"].values()
    ]
    assert shown["job_templates"] == ["securecloud deploy", "securecloud compliance", "securecloud remediate"]
    rule = shown["schedules"]["securecloud nightly compliance"]
    assert rule == "DTSTART;TZID=UTC:20260101T023000 RRULE:FREQ=DAILY;INTERVAL=1"
    configured = [t["task"]["name"] for play in output["plays"] for t in play["tasks"]]
    assert {"Job templates", "Schedules", "Notification templates", "Inventory sources"} <= set(configured)
