"""compliance_report through ansible-playbook on the controller: two environments (inventory hosts) record their
findings (controls, and the drift a check-mode copy reports with --diff), one task delegated to localhost aggregates
them from hostvars and writes the reports, and the play fails when the report's ``fail`` says so.

Checks the files (JSON against docs/compliance-report.schema.json, JUnit counts, HTML), ``fail``, check mode (writes
nothing) and that an identical re-run changes nothing. No cloud is needed: the module makes no AWS call.
"""

from __future__ import annotations

import json
import os
from xml.etree import ElementTree

import jsonschema
import pytest

from tools.harness.playbook import REPO, run_playbook

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/compliance_report"
SCHEMA = json.loads((REPO / "docs" / "compliance-report.schema.json").read_text())
DECLARED = "retention = 365\nencrypted = true\n"
FILES = ["compliance.html", "compliance.json", "compliance.xml"]


def control(cid, severity, status, **extra):
    return {"id": cid, "title": f"{cid} title", "severity": severity, "status": status} | extra


FAILING = {
    "dev": [control("CT.1", "high", "passed", mappings={"cis": ["3.1"], "fsbp": ["CloudTrail.1"]})],
    "prod": [
        control("CT.1", "high", "failed", resource="arn:aws:cloudtrail:eu-west-1:210987654321:trail/org"),
        control("S3.5", "medium", "waived", waiver_reason="legacy bucket, ticket SEC-12"),
        control("IAM.4", "low", "passed"),
    ],
}
PASSING = {"dev": FAILING["dev"], "prod": [control("CT.1", "high", "passed"), control("IAM.4", "low", "passed")]}


@pytest.fixture
def env_dirs(tmp_path):
    configs = tmp_path / "configs"
    configs.mkdir()
    (configs / "dev.conf").write_text(DECLARED)
    (configs / "prod.conf").write_text("retention = 30\nencrypted = true\n")
    return configs, tmp_path / "out" / "reports"


def play(tmp_path, configs, reports, controls, *flags, **extra):
    variables = {
        "compliance_test_declared_config": DECLARED,
        "compliance_test_config_dir": str(configs),
        "compliance_test_path": str(reports),
        "compliance_test_controls": controls,
        "compliance_test_run_id": "run-1",
    } | extra
    played = run_playbook(
        f"{TARGET}/report.yml",
        endpoint=None,
        work_dir=tmp_path,
        inventory=f"{TARGET}/inventory.yml",
        args=["-e", json.dumps(variables), *flags],
        timeout=600,
    )
    results = [r for name, _, r in played.task_results() if name == "Write the reports for every environment"]
    assert len(results) == 1, played.explain()
    return played, results[0]


def test_failing_run_writes_every_report_and_fails_the_play(tmp_path, env_dirs):
    configs, reports = env_dirs
    played, result = play(tmp_path, configs, reports, FAILING)

    assert played.returncode != 0
    assert result["fail"] is True and result["failed_controls"] == ["CT.1"]
    assert not result.get("failed") and result["changed"] is True
    failures = played.failures()
    assert len(failures) == 1 and "Compliance failed: controls CT.1, 1 drifted resource(s)" in failures[0]
    assert sorted(os.listdir(reports)) == FILES
    assert result["files"] == [str(reports / n) for n in ("compliance.json", "compliance.xml", "compliance.html")]

    document = json.loads((reports / "compliance.json").read_text())
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    assert document["summary"] == result["summary"]
    assert document["run"] == {"id": "run-1", "playbook": "Compliance findings per environment, one report for all",
                               "remediate": False}  # fmt: skip
    by_name = {e["name"]: e for e in document["environments"]}
    assert sorted(by_name) == ["dev", "prod"]
    assert by_name["dev"]["account_id"] == "123456789012" and by_name["dev"]["drift"] == []
    assert by_name["prod"]["region"] == "eu-west-1" and by_name["prod"]["fail"] is True
    drift = by_name["prod"]["drift"][0]
    assert drift["resource"] == str(configs / "prod.conf") and drift["role"] == "config"
    assert "-retention = 30\n+retention = 365\n" in drift["diff"]
    assert result["summary"]["totals"]["counts"]["failed"]["high"] == 1
    assert result["summary"]["totals"]["counts"]["waived"]["medium"] == 1

    root = ElementTree.parse(reports / "compliance.xml").getroot()
    assert (root.get("tests"), root.get("failures"), root.get("skipped"), root.get("errors")) == ("5", "2", "1", "0")
    prod = next(s for s in root.findall("testsuite") if s.get("name") == "prod")
    cases = {c.get("classname"): c for c in prod.findall("testcase")}
    assert set(cases) == {"controls.CT.1", "controls.S3.5", "controls.IAM.4", "drift.config"}
    assert cases["controls.CT.1"].find("failure") is not None
    assert cases["controls.S3.5"].find("skipped") is not None
    assert "+retention = 365" in cases["drift.config"].find("failure").text

    page = (reports / "compliance.html").read_text()
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert page.index('id="env-dev"') < page.index('id="env-prod"')
    assert '<span class="add">+retention = 365</span>' in page and "CIS 3.1; FSBP CloudTrail.1" in page


def test_passing_run_succeeds_and_an_identical_rerun_changes_nothing(tmp_path, env_dirs):
    configs, reports = env_dirs
    (configs / "prod.conf").write_text(DECLARED)
    played, result = play(tmp_path, configs, reports, PASSING)
    assert played.returncode == 0, played.explain()
    assert result["fail"] is False and result["failed_controls"] == [] and result["changed"] is True
    assert oct(os.stat(reports).st_mode & 0o777) == "0o755"
    snapshot = {n: (reports / n).read_text() for n in FILES}

    played, result = play(tmp_path, configs, reports, PASSING)
    assert played.returncode == 0, played.explain()
    assert result["changed"] is False
    assert {n: (reports / n).read_text() for n in FILES} == snapshot


def test_check_mode_writes_nothing_and_the_threshold_decides(tmp_path, env_dirs):
    configs, reports = env_dirs
    (configs / "prod.conf").write_text(DECLARED)
    played, result = play(tmp_path, configs, reports, FAILING, "--check")
    assert result["changed"] is True and result["fail"] is True
    assert not reports.exists() and played.returncode != 0

    # check_mode: false on the report task writes the reports of a --check (drift detection) run.
    played, result = play(tmp_path, configs, reports, FAILING, "--check", compliance_test_check_mode=False)
    assert result["changed"] is True and sorted(os.listdir(reports)) == FILES
    assert json.loads((reports / "compliance.json").read_text())["fail"] is True

    # A high failure does not reach a critical threshold; no drift either: the play passes.
    played, result = play(tmp_path, configs, reports, FAILING, compliance_test_fail_on_severity="critical")
    assert played.returncode == 0, played.explain()
    assert result["fail"] is False and result["failed_controls"] == []
    junit = ElementTree.parse(reports / "compliance.xml").getroot()
    assert junit.get("failures") == "1"  # still shown to CI, just not blocking


def test_unwritable_path_fails_the_task_naming_path(tmp_path, env_dirs):
    configs, _ = env_dirs
    (tmp_path / "blocker").write_text("x")
    played, result = play(tmp_path, configs, tmp_path / "blocker" / "reports", PASSING)
    assert played.returncode != 0 and result.get("failed") is True
    assert result["msg"].startswith(f"path '{tmp_path / 'blocker' / 'reports'}'")
    assert "set path to a directory the controller user can write" in result["msg"]
