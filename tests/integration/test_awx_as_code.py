"""The AWX side without a controller: the execution environment's build context (ansible-builder create, no container
engine needed) and awx.yml's composed objects in a dry run (no controller is reachable from these machines)."""

from __future__ import annotations

import json
import re
import subprocess
import tarfile

import yaml

from tools.harness.ee import build_ee_tarball, ee_collections
from tools.harness.playbook import BIN, REPO, playbook_env


def test_ansible_builder_creates_a_context_with_this_collection_and_terraform(tmp_path):
    tarball = build_ee_tarball()
    result = subprocess.run(
        [
            str(BIN / "ansible-builder"),
            "create",
            "-f",
            "execution-environment.yml",
            "--context",
            str(tmp_path / "context"),
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
    assert "No matches" not in result.stdout + result.stderr
    context = tmp_path / "context"
    containerfile = (context / "Containerfile").read_text()
    [base] = re.findall(r'^ARG EE_BASE_IMAGE="([^"]+)"', containerfile, re.MULTILINE)
    assert re.search(r"@sha256:[0-9a-f]{64}$", base), base
    # Terraform: the pinned release, checked against its pinned SHA-256, in the final image.
    final = containerfile[containerfile.rindex("FROM base AS final") :]
    assert "ARG TERRAFORM_VERSION=1.11.4" in final
    assert re.search(r"ARG TERRAFORM_SHA256=[0-9a-f]{64}\n", final)
    assert "sha256sum -c -" in final and "terraform version" in final
    assert "ansible-core==2.19.14" in containerfile and "ansible-runner==2.4.3" in containerfile
    # This collection, from the checkout, and nothing else asked of the collection server: its dependencies come
    # from its own galaxy.yml. No whole `ansible` package with its hundred collections beside it.
    build = context / "_build"
    requirements = yaml.safe_load((build / "requirements.yml").read_text())
    assert requirements == {"collections": [{"name": "collections/securecloud-monitor.tar.gz", "type": "file"}]}
    shipped = build / "collections" / "securecloud-monitor.tar.gz"
    assert shipped.read_bytes() == tarball.read_bytes()
    with tarfile.open(shipped) as archive:
        manifest = json.load(archive.extractfile("MANIFEST.json"))["collection_info"]
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text())
    assert (manifest["namespace"], manifest["name"], manifest["version"]) == (
        "securecloud",
        "monitor",
        galaxy["version"],
    )
    assert manifest["dependencies"] == galaxy["dependencies"] and "awx.awx" in manifest["dependencies"]
    assert not (build / "requirements.txt").exists()
    assert "ansible==" not in containerfile


def test_the_ee_gets_the_python_and_system_packages_the_collection_declares(tmp_path):
    """What ansible-builder's introspection (run inside the build) finds in the EE's collections."""
    collections = ee_collections(tmp_path / "collections", build_ee_tarball())
    result = subprocess.run(
        [str(BIN / "ansible-builder"), "introspect", "--sanitize", str(collections)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    found = yaml.safe_load(result.stdout[result.stdout.index("---") :])
    ours = [line.split("  #")[0] for line in found["python"] if line.endswith("from collection securecloud.monitor")]
    assert {"boto3>=1.34.0", "botocore>=1.34.0", "pytz", "python-dateutil>=2.7.0"} <= set(ours)
    assert any(line.startswith("unzip [platform:rpm]") for line in found["system"])
    names = sorted(
        f"{ns.name}.{c.name}" for ns in (collections / "ansible_collections").iterdir() for c in ns.iterdir()
    )
    assert names == ["amazon.aws", "awx.awx", "community.aws", "community.general", "securecloud.monitor"]


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
