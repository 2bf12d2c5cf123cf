"""The compliance job as AWX runs it: ansible-runner with a private data dir (env/extravars, env/envvars, the
inventory AWX writes), on a fresh copy of the project as AWX's project sync lays it out (the tracked files of the
repository: no .work, no virtualenv, no `make setup`), with only the collections the execution environment holds on
the collections path (this collection installed from the tarball built from the checkout, and its declared
dependencies). The inventory is shaped like inventories/aws (its group_vars, credentials from the environment as
AWX's AWS credential injects them) with the host pointed at a local cloud. Nothing is deployed there, so the run must
fail with SCM.BASE.1 and still write its reports; the job's artifacts hold the summary AWX shows."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import ansible_runner
import yaml

from tools.harness.ee import ee_collections
from tools.harness.playbook import BIN, REPO, ensure_terraform_config


def project_as_synced(target: Path) -> Path:
    """The files git tracks, as a project sync checks them out (links kept as links)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source, copy = REPO / name, target / name
        if not source.is_symlink() and not source.exists():
            continue  # deleted in the working tree, not yet committed
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            copy.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, copy)
    return target


def test_compliance_job_as_awx_runs_it(module_cloud, tmp_path):
    project = project_as_synced(tmp_path / "project")
    assert not (project / ".work").exists() and not (project / ".venv").exists()
    collections = ee_collections(tmp_path / "ee" / "collections")

    private = tmp_path / "private"
    (private / "env").mkdir(parents=True)
    # The inventory AWX syncs from inventories/aws: its group_vars as they are, a host of its kind on the local cloud.
    inventory = private / "inventory"
    shutil.copytree(project / "inventories" / "aws" / "group_vars", inventory / "group_vars")
    host = {
        "securecloud_aws_region": "us-east-1",
        "securecloud_aws_endpoint_url": module_cloud.endpoint,
        "base_infra_backend": "local",
    }
    (inventory / "hosts.yml").write_text(yaml.safe_dump({"all": {"children": {"aws": {"hosts": {"awx-dev": host}}}}}))
    reports = tmp_path / "reports"
    (private / "env" / "extravars").write_text(json.dumps({"compliance_report_path": str(reports)}))
    envvars = {
        # Only the EE's collections: not the checkout's link, not the `ansible` package of this virtualenv.
        "ANSIBLE_COLLECTIONS_PATH": str(collections),
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "False",
        # What AWX's "Amazon Web Services" credential injects.
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "SECURECLOUD_WORK_DIR": str(tmp_path / "work"),
        # This machine's offline provider mirror stands in for the EE's network access to the Terraform registry.
        "TF_CLI_CONFIG_FILE": str(ensure_terraform_config()),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }
    (private / "env" / "envvars").write_text(json.dumps(envvars))
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "LOCALCLOUD_", "SECURECLOUD_"))}

    run = ansible_runner.run(
        private_data_dir=str(private),
        project_dir=str(project),
        playbook="playbooks/compliance.yml",
        inventory=str(inventory),
        envvars={**clean, **envvars},
        quiet=True,
        timeout=900,
    )

    events = list(run.events)
    failures = [e["event_data"].get("res", {}).get("msg") for e in events if e["event"] == "runner_on_failed"]
    assert (run.status, run.rc) == ("failed", 2), (run.status, run.rc, failures, run.stdout.read()[-3000:])
    names = {e["event_data"].get("task") for e in events if e["event"] == "runner_on_ok"}
    assert "Write the reports (JSON, JUnit XML, HTML)" in names
    # The collection's roles and modules ran from the EE's copy.
    task_paths = {e["event_data"].get("task_path", "") for e in events if e["event"] == "runner_on_ok"}
    ours = str(collections / "ansible_collections" / "securecloud" / "monitor")
    assert any(path.startswith(ours + "/roles/") for path in task_paths), sorted(task_paths)[:10]
    # What AWX shows for the job: the set_stats summary in the job's artifacts.
    [stats] = [e for e in events if e["event"] == "playbook_on_stats"]
    compliance = stats["event_data"]["artifact_data"]["compliance"]
    assert compliance["fail"] is True and "SCM.BASE.1" in compliance["failed_controls"]
    artifacts = private / "artifacts" / run.config.ident
    assert (artifacts / "job_events").is_dir() and (artifacts / "rc").read_text().strip() == "2"
    report = json.loads((reports / "compliance.json").read_text())
    assert report["failed_controls"] == compliance["failed_controls"]
    assert {"compliance.json", "compliance.xml", "compliance.html"} <= {p.name for p in reports.iterdir()}
