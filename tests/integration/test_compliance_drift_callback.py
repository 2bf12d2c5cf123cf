"""The compliance_drift callback, through ansible-playbook with the repository's ansible.cfg (no cloud needed): it
records changed and failed results of compliance plays only, item by item, with the diff and the phase."""

from __future__ import annotations

import json
import subprocess
import sys

from tools.harness.playbook import BIN, REPO, playbook_env

LAYER = """
- name: A layer (as base.yml is)
  hosts: localhost
  gather_facts: false
  check_mode: "{{ securecloud_compliance_check | default(ansible_check_mode) }}"
  diff: "{{ securecloud_compliance_check | default(ansible_diff_mode) }}"
  tasks:
    - name: Keep the file as declared
      ansible.builtin.copy:
        content: "declared\\n"
        dest: "{{ item }}"
        mode: "0600"
      loop: "{{ files }}"
    - name: A task that cannot run
      ansible.builtin.command: /nonexistent/binary
      check_mode: false
      changed_when: false
      when: broken | default(false) | bool
"""

COMPLIANCE = """
- name: Drift check of the layer
  ansible.builtin.import_playbook: layer.yml
  vars:
    securecloud_compliance_check: true
    securecloud_compliance_phase: "{{ 'before' if remediate | default(false) | bool else 'check' }}"
    securecloud_compliance_drift_file: "{{ playbook_dir }}/drift.jsonl"
"""


def run(tmp_path, playbook, *extra):
    (tmp_path / "layer.yml").write_text(LAYER)
    (tmp_path / "compliance.yml").write_text(COMPLIANCE)
    files = [str(tmp_path / "same.txt"), str(tmp_path / "other.txt")]
    (tmp_path / "same.txt").write_text("declared\n")
    (tmp_path / "other.txt").write_text("changed by hand\n")
    for name in ("same.txt", "other.txt"):
        (tmp_path / name).chmod(0o600)
    command = [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(tmp_path / playbook)]
    command += ["-e", json.dumps({"files": files, "ansible_python_interpreter": sys.executable}), *extra]
    return subprocess.run(
        command, cwd=REPO, env=playbook_env(None, tmp_path), capture_output=True, text=True, check=False, timeout=300
    )


def records(tmp_path):
    path = tmp_path / "drift.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_records_each_drifted_item_with_its_diff_and_changes_nothing(tmp_path):
    result = run(tmp_path, "compliance.yml")

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    [record] = records(tmp_path)
    assert (record["host"], record["phase"], record["task"]) == ("localhost", "check", "Keep the file as declared")
    assert record["resource"].endswith("other.txt") and not record["failed"]
    assert record["diff"][0]["before"] == "changed by hand\n" and record["diff"][0]["after"] == "declared\n"
    assert (tmp_path / "other.txt").read_text() == "changed by hand\n", "the check must not change anything"


def test_the_phase_follows_the_play_variables(tmp_path):
    assert run(tmp_path, "compliance.yml", "-e", "remediate=true").returncode == 0
    assert [r["phase"] for r in records(tmp_path)] == ["before"]


def test_a_failed_task_is_recorded_as_failed(tmp_path):
    result = run(tmp_path, "compliance.yml", "-e", "broken=true")

    assert result.returncode != 0
    failed = [r for r in records(tmp_path) if r["failed"]]
    assert [r["task"] for r in failed] == ["A task that cannot run"] and failed[0]["message"]


def test_plays_outside_a_compliance_run_record_nothing(tmp_path):
    result = run(tmp_path, "layer.yml")

    assert result.returncode == 0, result.stderr[-3000:]
    assert records(tmp_path) == []
    assert (tmp_path / "other.txt").read_text() == "declared\n", "a normal run converges"
