"""The compliance playbook through ansible-runner, as AWX runs a job: a private data dir with env/extravars and
env/envvars, the project directory, artifacts with the job events and the set_stats data. On a local cloud where
nothing is deployed the run must fail with SCM.BASE.1 and still write its reports."""

from __future__ import annotations

import json

import ansible_runner

from tools.harness.playbook import REPO, playbook_env


def test_compliance_job_as_awx_runs_it(module_cloud, tmp_path):
    private = tmp_path / "private"
    (private / "env").mkdir(parents=True)
    reports = tmp_path / "reports"
    (private / "env" / "extravars").write_text(json.dumps({"compliance_report_path": str(reports)}))
    environment = playbook_env(module_cloud.endpoint, tmp_path / "work")
    wanted = ("ANSIBLE_", "LOCALCLOUD_", "SECURECLOUD_", "TF_", "PATH")
    # The job's own stdout callback is ansible-runner's (its events); the harness's JSON callback stays out.
    envvars = {k: v for k, v in environment.items() if k.startswith(wanted) and k != "ANSIBLE_STDOUT_CALLBACK"}
    (private / "env" / "envvars").write_text(json.dumps(envvars))

    run = ansible_runner.run(
        private_data_dir=str(private),
        project_dir=str(REPO),
        playbook="playbooks/compliance.yml",
        inventory=str(REPO / "inventories" / "local"),
        quiet=True,
        timeout=900,
    )

    assert (run.status, run.rc) == ("failed", 2), (run.status, run.rc)
    events = list(run.events)
    names = {e["event_data"].get("task") for e in events if e["event"] == "runner_on_ok"}
    assert "Write the reports (JSON, JUnit XML, HTML)" in names
    [stats] = [e for e in events if e["event"] == "playbook_on_stats"]
    compliance = stats["event_data"]["artifact_data"]["compliance"]
    assert compliance["fail"] is True and "SCM.BASE.1" in compliance["failed_controls"]
    assert (private / "artifacts" / run.config.ident / "job_events").is_dir()
    report = json.loads((reports / "compliance.json").read_text())
    assert report["failed_controls"] == compliance["failed_controls"]
