"""A compliance run refuses bad settings at its start, with a message naming the setting, before any check runs."""

from __future__ import annotations

import json

import pytest

from tools.harness.playbook import run_playbook


def compliance(cloud, tmp_path, *args):
    return run_playbook("playbooks/compliance.yml", endpoint=cloud.endpoint, work_dir=tmp_path, args=list(args))


def output_text(run) -> str:
    return json.dumps(run.output) + run.stderr


def assert_stopped_at_the_start(run):
    assert run.returncode != 0
    ran = {name for name, _, _ in run.task_results()}
    assert not any("Terraform" in name for name in ran), ran


def test_a_report_path_that_cannot_be_written(cloud, tmp_path):
    (tmp_path / "a-file").write_text("in the way")

    run = compliance(cloud, tmp_path, "-e", f"compliance_report_path={tmp_path / 'a-file' / 'reports'}")

    assert_stopped_at_the_start(run)
    assert "which is not a directory: set path to a directory" in output_text(run)


@pytest.mark.parametrize(
    ("waivers", "message"),
    [
        ([{"id": "SCM.NOPE.1", "reason": "ticket 1"}], "waivers[0].id 'SCM.NOPE.1' is not a control id"),
        ([{"id": "SCM.SG.1", "reason": ""}], "waivers[0].reason is empty"),
    ],
)
def test_waivers_of_unknown_controls_or_without_a_reason(cloud, tmp_path, waivers, message):
    extra = json.dumps({"compliance_waivers": waivers, "compliance_report_path": str(tmp_path / "reports")})

    run = compliance(cloud, tmp_path, "-e", extra)

    assert_stopped_at_the_start(run)
    assert message in output_text(run)


def test_an_unknown_environment(cloud, tmp_path):
    run = compliance(cloud, tmp_path, "--limit", "no-such-environment")

    assert run.returncode != 0
    assert "Could not match supplied host pattern" in run.stderr
    assert "leaves us with no hosts to target" in run.stderr
