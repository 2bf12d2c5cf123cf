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


def _dry_run(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """awx.yml's dry run with what requirements/runtime.txt installs (the `ansible` package's awx.awx for the
    module_defaults group) and no Python package of the dev requirements: the dry run calls no lookup, the rules are
    data."""
    return subprocess.run(
        [str(BIN / "ansible-playbook"), "playbooks/awx.yml", "-e", "awx_dry_run=true", *args],
        cwd=REPO,
        env=playbook_env(None, tmp_path),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _shown(stdout: str) -> dict:
    output = json.loads(stdout[stdout.index("{") :])
    [shown] = [
        host["msg"]
        for play in output["plays"]
        for task in play["tasks"]
        if task["task"]["name"] == "Show what would be sent (dry run)"
        for host in task["hosts"].values()
    ]
    return shown


def test_awx_playbook_composes_the_templates_and_the_nightly_schedule(tmp_path):
    result = _dry_run(tmp_path)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    shown = _shown(result.stdout)
    data = yaml.safe_load((REPO / "playbooks" / "vars" / "awx.yml").read_text())
    templates = {t["name"]: t for t in shown["templates"]}
    assert list(templates) == ["securecloud deploy", "securecloud compliance", "securecloud remediate"]
    for template in templates.values():
        # Each template names its own objects, all declared in the lists (no "first of the list").
        assert template["organization"] in shown["organizations"]
        assert template["project"] in shown["projects"]
        assert template["inventory"] in shown["inventories"]
        assert template["execution_environment"] in shown["execution_environments"]
        assert set(template["credentials"]) <= set(shown["credentials"])
    assert int(templates["securecloud compliance"]["job_slice_count"]) == data["awx_compliance_job_slice_count"] > 1
    rule = shown["schedules"]["securecloud nightly compliance"]
    assert rule == "DTSTART;TZID=UTC:20260101T023000 RRULE:FREQ=DAILY;INTERVAL=1"
    # The lists are infra.aap_configuration's variables.
    assert {
        "controller_organizations",
        "controller_credentials",
        "controller_execution_environments",
        "controller_projects",
        "controller_inventories",
        "controller_inventory_sources",
        "controller_notifications",
        "controller_templates",
        "controller_schedules",
    } <= set(data)


def test_awx_job_slices_are_a_variable_and_a_dangling_name_fails(tmp_path):
    sliced = _dry_run(tmp_path, "-e", "awx_compliance_job_slice_count=12")
    assert sliced.returncode == 0, sliced.stdout[-3000:]
    templates = {t["name"]: t for t in _shown(sliced.stdout)["templates"]}
    assert int(templates["securecloud compliance"]["job_slice_count"]) == 12

    data = yaml.safe_load((REPO / "playbooks" / "vars" / "awx.yml").read_text())
    data["controller_templates"][1]["project"] = "another project"
    overrides = tmp_path / "overrides.yml"
    overrides.write_text(yaml.safe_dump({"controller_templates": data["controller_templates"]}))
    dangling = _dry_run(tmp_path, "-e", f"@{overrides}")
    assert dangling.returncode != 0
    assert "controller_templates entry 'securecloud compliance'" in dangling.stdout
    assert '"Show what would be sent (dry run)"' not in dangling.stdout
