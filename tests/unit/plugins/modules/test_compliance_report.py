"""plugins/module_utils/compliance_report.py and the compliance_report module: ordering, severity threshold, phases,
unified diffs, escaping, JUnit counts, JSON against docs/compliance-report.schema.json, writing (check mode, history
copies, unwritable paths refused before anything is written)."""

from __future__ import annotations

import json
import os
import re
import stat
from datetime import UTC, datetime
from xml.etree import ElementTree

import jsonschema
import pytest
from ansible.module_utils.testing import patch_module_args
from ansible_collections.securecloud.monitor.plugins.module_utils import compliance_report as cr
from ansible_collections.securecloud.monitor.plugins.modules import compliance_report as module

from tools.harness.playbook import REPO

SCHEMA = json.loads((REPO / "docs" / "compliance-report.schema.json").read_text())
INJECTION = '<script>alert("x")</script>'


def control(cid, severity, status, **extra):
    return {"id": cid, "title": f"title of {cid}", "severity": severity, "status": status} | extra


DIFF = {
    "before": {"Versioning": "Suspended", "Tags": {"b": "1", "a": "0"}},
    "after": {"Versioning": "Enabled", "Tags": {"a": "0", "b": "1"}},
    "before_header": "s3://logs (current)",
    "after_header": "s3://logs (declared)",
}


def environments():
    return [
        {
            "name": "prod",
            "account_id": "210987654321",
            "region": "eu-west-1",
            "controls": [
                control("CT.1", "high", "passed", mappings={"cis": ["3.1"], "fsbp": ["CloudTrail.1"]}),
                control("S3.5", "medium", "failed", resource="arn:aws:s3:::logs", detail="no TLS-only policy"),
                control("CT.10", "critical", "failed", detail="trail not encrypted"),
                control("CT.2", "critical", "failed", detail="log validation off"),
                control("GD.1", "high", "waived", waiver_reason="GuardDuty is org-managed"),
                control("IAM.4", "low", "error", detail="AccessDenied"),
            ],
            "drift": [{"role": "s3_logs", "task": "Log bucket", "resource": "logs", "diff": DIFF}],
        },
        {
            "name": "dev",
            "account_id": "123456789012",
            "region": "us-east-1",
            "controls": [control("CT.1", "high", "passed"), control("CT.2", "informational", "failed")],
            "drift": [],
        },
    ]


def report(envs=None, **policy):
    envs = environments() if envs is None else envs
    assert cr.validate_environments(envs) == []
    return cr.build_report(envs, run={"id": "42", "remediate": False}, **policy)


def env(rep, name, phase=None):
    return next(e for e in rep["environments"] if e["name"] == name and e["phase"] == phase)


# ---------------------------------------------------------------- ordering and counts


def test_failing_controls_come_first_most_severe_first_ids_in_natural_order():
    prod = env(report(), "prod")
    assert [(c["status"], c["id"]) for c in prod["controls"]] == [
        ("failed", "CT.2"),
        ("failed", "CT.10"),
        ("failed", "S3.5"),
        ("error", "IAM.4"),
        ("waived", "GD.1"),
        ("passed", "CT.1"),
    ]


def test_environments_in_name_order_whatever_the_host_order():
    assert [e["name"] for e in report()["environments"]] == ["dev", "prod"]
    assert report() == report(list(reversed(environments())))


def test_counts_by_status_and_severity_and_totals():
    rep = report()
    prod = env(rep, "prod")
    assert prod["counts"]["failed"] == {
        "critical": 2,
        "high": 0,
        "medium": 1,
        "low": 0,
        "informational": 0,
        "total": 3,
    }
    assert prod["counts"]["waived"]["high"] == 1 and prod["counts"]["error"]["low"] == 1
    assert prod["drift_count"] == 1
    totals = rep["summary"]["totals"]
    assert totals["environments"] == 2 and totals["drift_count"] == 1
    assert totals["counts"]["failed"]["total"] == 4 and totals["counts"]["passed"]["total"] == 2


# ---------------------------------------------------------------- severity threshold


@pytest.mark.parametrize(
    ("threshold", "fail", "failed"),
    [
        ("critical", True, ["CT.2", "CT.10"]),
        ("high", True, ["CT.2", "CT.10"]),
        ("medium", True, ["CT.2", "CT.10", "S3.5"]),
        ("low", True, ["CT.2", "CT.10", "S3.5", "IAM.4"]),
        ("informational", True, ["CT.2", "CT.10", "S3.5", "IAM.4"]),
        ("none", False, []),
    ],
)
def test_severity_threshold(threshold, fail, failed):
    rep = report(fail_on_severity=threshold, fail_on_drift=False)
    assert rep["fail"] is fail
    assert rep["failed_controls"] == failed
    # dev's only failure is informational; CT.2 is listed once although prod and dev both fail it.
    assert env(rep, "dev")["fail"] is (threshold == "informational")


def test_threshold_is_inclusive_and_none_still_fails_on_drift():
    only_medium = [{"name": "a", "controls": [control("X.1", "medium", "failed")]}]
    assert report(only_medium, fail_on_severity="medium")["fail"] is True
    assert report(only_medium, fail_on_severity="high")["fail"] is False
    assert report(fail_on_severity="none")["fail"] is True  # prod drifted
    assert env(report(fail_on_severity="none"), "prod")["fail"] is True
    assert env(report(fail_on_severity="none"), "dev")["fail"] is False


def test_drift_fails_unless_fail_on_drift_false():
    drift_only = [{"name": "a", "drift": [{"role": "r", "task": "t", "resource": "x", "diff": DIFF}]}]
    assert report(drift_only)["fail"] is True
    assert report(drift_only, fail_on_drift=False)["fail"] is False
    assert report(drift_only, fail_on_drift=False)["failed_controls"] == []


def test_error_counts_unless_fail_on_error_false_and_waived_never_fails():
    envs = [{"name": "a", "controls": [control("E.1", "high", "error"), control("W.1", "critical", "waived")]}]
    assert report(envs)["fail"] is True and report(envs)["failed_controls"] == ["E.1"]
    assert report(envs, fail_on_error=False)["fail"] is False


def test_not_applicable_is_counted_apart_never_fails_and_renders_in_every_format():
    envs = [
        {
            "name": "a",
            "controls": [
                control("SCM.SHIELD.1", "high", "not_applicable", detail="Nothing to protect."),
                control("SCM.EDGE.1", "medium", "passed"),
            ],
        }
    ]
    rep = report(envs, fail_on_severity="informational")
    counts = env(rep, "a")["counts"]
    assert counts["not_applicable"]["high"] == 1 and counts["not_applicable"]["total"] == 1
    assert counts["passed"]["total"] == 1 and counts["failed"]["total"] == 0
    assert rep["fail"] is False and rep["failed_controls"] == []
    assert rep["summary"]["totals"]["counts"]["not_applicable"]["total"] == 1
    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(cr.render_json(rep)))
    suite = ElementTree.fromstring(cr.render_junit(rep).encode()).find("testsuite")
    assert suite.get("skipped") == "1" and suite.get("failures") == "0" and suite.get("errors") == "0"
    skipped = suite.find("testcase/skipped")
    assert skipped.get("message") == "not applicable: Nothing to protect."
    html = cr.render_html(rep)
    assert '<span class="badge not_applicable">not_applicable</span>' in html and "<th>not_applicable</th>" in html


def test_at_or_above():
    assert cr.at_or_above("critical", "low") and cr.at_or_above("low", "low")
    assert not cr.at_or_above("informational", "low") and not cr.at_or_above("critical", "none")


# ---------------------------------------------------------------- phases


def remediation():
    before = {
        "name": "prod",
        "phase": "before",
        "controls": [control("CT.1", "high", "failed", detail="off"), control("S3.1", "low", "passed")],
        "drift": [{"role": "cloudtrail", "task": "Trail", "resource": "org-trail", "diff": DIFF}],
    }
    after = {
        "name": "prod",
        "phase": "after",
        "controls": [control("CT.1", "high", "passed", detail="on"), control("S3.1", "low", "passed")],
    }
    return [after, before]


def test_after_phase_decides_and_totals_count_it_alone():
    rep = report(remediation())
    assert [(e["phase"], e["final"], e["fail"]) for e in rep["environments"]] == [
        ("before", False, True),
        ("after", True, False),
    ]
    assert rep["fail"] is False and rep["failed_controls"] == []
    assert rep["summary"]["totals"]["environments"] == 1
    assert rep["summary"]["totals"]["counts"]["passed"]["total"] == 2
    assert rep["summary"]["totals"]["drift_count"] == 0


def test_before_alone_is_final():
    rep = report([remediation()[1]])
    assert rep["environments"][0]["final"] is True and rep["fail"] is True


def test_html_shows_before_next_to_after():
    page = cr.render_html(report(remediation()))
    assert "Before remediation" in page and "After remediation" in page
    assert '<div class="side">' in page
    row = re.search(r"<tr class=\"row-passed\">(.*?)</tr>", page).group(1)
    # before status then after status, in the same row
    assert row.index("failed") < row.index("passed") and "CT.1" in row


# ---------------------------------------------------------------- validation


def test_validation_names_the_field():
    envs = [
        {"name": "a", "controls": [{"id": "", "severity": "urgent", "status": "ok"}], "drift": [{"role": "r"}]},
        {"name": "a"},
        {"name": "b", "phase": "before"},
        {"name": "b"},
        {"name": "c", "phase": "during"},
    ]
    errors = cr.validate_environments(envs)
    text = " ".join(errors)
    assert "environments[0].controls[0].id" in text
    assert "environments[0].controls[0].severity: 'urgent' is not one of critical" in text
    assert "environments[0].controls[0].status: 'ok'" in text
    assert "environments[0].drift[0].resource" in text
    assert "environment 'a' is also environments[0]" in text
    assert "'b' is given both without a phase and with phase before" in text
    assert "environments[4].phase: 'during'" in text


# ---------------------------------------------------------------- diffs


def test_unified_diff_of_dicts_sorts_keys_and_uses_the_headers():
    text = cr.unified_diff(DIFF)
    assert text.startswith("--- s3://logs (current)\n+++ s3://logs (declared)\n@@")
    assert '-    "Versioning": "Suspended"\n' in text and '+    "Versioning": "Enabled"\n' in text
    # Same tags in another key order make no diff line.
    assert not any(line[:1] in "+-" and '"a"' in line for line in text.splitlines())


def test_unified_diff_of_strings_lists_prepared_and_equal():
    text = cr.unified_diff([{"before": "a\nb\n", "after": "a\nc"}, {"before": "same", "after": "same"}])
    assert text.splitlines() == ["--- before", "+++ after", "@@ -1,2 +1,2 @@", " a", "-b", "+c"]
    assert cr.unified_diff({"prepared": "+ new line"}) == "+ new line\n"
    assert cr.unified_diff({"before": None, "after": {"k": 1}}).splitlines()[3:] == ["+{", '+    "k": 1', "+}"]
    assert cr.unified_diff(None) == ""
    assert cr.unified_diff("already\n") == "already\n"


def test_diff_html_colours_lines_and_escapes():
    page = cr.diff_html("--- a\n+++ b\n@@ -1 +1 @@\n-<b>old</b>\n+" + INJECTION + "\n context")
    assert '<span class="del">-&lt;b&gt;old&lt;/b&gt;</span>' in page
    assert '<span class="add">+&lt;script&gt;' in page and "<script" not in page
    assert '<span class="file">--- a</span>' in page and '<span class="hunk">' in page


# ---------------------------------------------------------------- HTML


def hostile():
    envs = environments()
    envs[0]["name"] = f"prod{INJECTION}"
    envs[0]["controls"][1]["resource"] = INJECTION
    envs[0]["controls"][1]["detail"] = f'"><img src=x onerror=alert(1)>{INJECTION}'
    envs[0]["controls"][1]["title"] = INJECTION
    envs[0]["controls"][0]["mappings"] = {"cis": [INJECTION], "fsbp": []}
    envs[0]["controls"][4]["waiver_reason"] = INJECTION
    envs[0]["drift"][0]["resource"] = INJECTION
    envs[0]["drift"][0]["role"] = INJECTION
    envs[0]["drift"][0]["diff"] = {"before": INJECTION, "after": "x"}
    return envs


def test_html_escapes_every_value():
    rep = cr.build_report(hostile(), run={INJECTION: INJECTION})
    page = cr.render_html(rep)
    assert "<script" not in page.lower() and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert 'id="env-prod-script-alert--x----script-"' in page


def test_html_anchors_are_distinct():
    page = cr.render_html(cr.build_report([{"name": "a b"}, {"name": "a-b"}, {"name": "a.b"}]))
    ids = re.findall(r'<h2 id="([^"]+)"', page)
    assert ids == ["env-a-b", "env-a-b-2", "env-a-b-3"]
    assert sorted(re.findall(r'href="#([^"]+)"', page)) == sorted(ids)


def test_html_is_self_contained():
    page = cr.render_html(report())
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert not re.search(r"https?://|<script|<link|\bsrc=|@import|url\(", page, re.IGNORECASE)
    assert "@media print" in page and "color-scheme: light" in page


def test_html_lists_failing_controls_first_with_mappings_and_diffs():
    page = cr.render_html(report())
    prod = page[page.index('id="env-prod"') :]
    order = [prod.index(f"<b>{cid}</b>") for cid in ("CT.2", "CT.10", "S3.5", "IAM.4", "GD.1", "CT.1")]
    assert order == sorted(order)
    assert "CIS 3.1; FSBP CloudTrail.1" in prod
    assert "Waived: GuardDuty is org-managed" in prod
    assert '<span class="add">+    &quot;Versioning&quot;: &quot;Enabled&quot;</span>' in prod
    # The overview table has one row per environment, with its verdict.
    overview = page[page.index("<h3>Environments</h3>") : page.index('id="env-dev"')]
    assert overview.count("<tr>") == 3 and "FAIL" in overview


# ---------------------------------------------------------------- JUnit


def test_junit_one_suite_per_environment_with_the_right_counts():
    root = ElementTree.fromstring(cr.render_junit(report()).encode())
    assert root.tag == "testsuites"
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "9",
        "failures": "5",
        "errors": "1",
        "skipped": "1",
    }
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["dev", "prod"]
    prod = suites["prod"]
    assert (prod.get("tests"), prod.get("failures"), prod.get("errors"), prod.get("skipped")) == ("7", "4", "1", "1")
    cases = {c.get("classname"): c for c in prod.findall("testcase")}
    assert cases["controls.CT.2"].find("failure").get("message") == "log validation off"
    assert cases["controls.CT.2"].find("failure").get("type") == "critical"
    assert cases["controls.IAM.4"].find("error") is not None
    assert "GuardDuty is org-managed" in cases["controls.GD.1"].find("skipped").get("message")
    assert cases["controls.CT.1"].find("failure") is None and cases["controls.CT.1"].find("skipped") is None
    assert "CIS 3.1" in cases["controls.CT.1"].find("system-out").text
    assert cases["controls.S3.5"].get("name") == "S3.5 title of S3.5 [arn:aws:s3:::logs]"
    drift = cases["drift.s3_logs"]
    assert drift.get("name") == "logs (Log bucket)"
    assert '+    "Versioning": "Enabled"' in drift.find("failure").text
    props = {p.get("name"): p.get("value") for p in prod.find("properties")}
    assert props["account_id"] == "210987654321" and props["region"] == "eu-west-1"


def test_junit_suites_per_phase_and_hostile_text_stays_text():
    root = ElementTree.fromstring(cr.render_junit(report(remediation())).encode())
    assert [s.get("name") for s in root.findall("testsuite")] == ["prod (before)", "prod (after)"]
    envs = hostile()
    envs[0]["controls"][2]["detail"] = "colour \x1b[31mred\x1b[0m and \x00"
    root = ElementTree.fromstring(cr.render_junit(cr.build_report(envs)).encode())
    messages = [f.get("message") for f in root.iter("failure")]
    assert INJECTION in " ".join(messages)
    assert "colour \ufffd[31mred\ufffd[0m and \ufffd" in messages


# ---------------------------------------------------------------- JSON


@pytest.mark.parametrize(
    "envs",
    [environments(), remediation(), hostile(), [], [{"name": "empty"}]],
    ids=["two", "phases", "hostile", "none", "empty"],
)
def test_json_validates_against_the_schema(envs):
    rep = cr.build_report(envs, run={"id": "7", "started": "2026-01-01T00:00:00Z", "remediate": True})
    document = json.loads(cr.render_json(rep))
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["schema_version"] == 1


def test_schema_rejects_what_the_report_never_holds():
    document = json.loads(cr.render_json(report()))
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert validator.is_valid(document)
    for broken in (
        document | {"schema_version": 2},
        document | {"extra": 1},
        {k: v for k, v in document.items() if k != "fail"},
    ):
        assert not validator.is_valid(broken)
    document["environments"][0]["controls"][0]["severity"] = "urgent"
    assert not validator.is_valid(document)


def test_json_is_deterministic_and_keeps_the_raw_diff():
    assert cr.render_json(report()) == cr.render_json(report())
    drift = env(json.loads(cr.render_json(report())), "prod")["drift"][0]
    assert drift["raw_diff"] == [DIFF] and drift["diff"] == cr.unified_diff(DIFF)
    assert json.loads(cr.render_json(report()))["run"] == {"id": "42", "remediate": False}


# ---------------------------------------------------------------- files

NOW = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def rendered(formats=cr.FORMATS):
    return cr.render(report(), formats)


def test_writes_the_files_with_modes_and_is_idempotent(tmp_path):
    target = tmp_path / "a" / "reports"
    changed, files = cr.write_reports(str(target), rendered(), now=NOW)
    assert changed is True
    assert files == [str(target / n) for n in ("compliance.json", "compliance.xml", "compliance.html")]
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert all(stat.S_IMODE(os.stat(f).st_mode) == 0o644 for f in files)
    assert json.loads((target / "compliance.json").read_text())["fail"] is True
    mtimes = [os.stat(f).st_mtime_ns for f in files]
    assert cr.write_reports(str(target), rendered(), now=NOW) == (False, files)
    assert [os.stat(f).st_mtime_ns for f in files] == mtimes
    assert sorted(os.listdir(target)) == ["compliance.html", "compliance.json", "compliance.xml"]  # no temp left


def test_formats_subset(tmp_path):
    changed, files = cr.write_reports(str(tmp_path), rendered(["junit"]))
    assert changed and files == [str(tmp_path / "compliance.xml")] and os.listdir(tmp_path) == ["compliance.xml"]


def test_history_copies_carry_a_utc_timestamp(tmp_path):
    changed, files = cr.write_reports(str(tmp_path), rendered(["json", "html"]), keep_history=True, now=NOW)
    assert changed
    assert sorted(os.listdir(tmp_path)) == [
        "compliance-20260304T050607Z.html",
        "compliance-20260304T050607Z.json",
        "compliance.html",
        "compliance.json",
    ]
    assert sorted(files) == sorted(str(tmp_path / n) for n in os.listdir(tmp_path))
    assert (tmp_path / "compliance-20260304T050607Z.json").read_text() == (tmp_path / "compliance.json").read_text()
    later = datetime(2026, 3, 4, 6, 6, 7, tzinfo=UTC)
    assert cr.write_reports(str(tmp_path), rendered(["json", "html"]), keep_history=True, now=later)[0] is True
    assert len(os.listdir(tmp_path)) == 6
    assert cr.history_name("compliance.xml", datetime(2026, 1, 1, 1, 0, 0).astimezone()).endswith("Z.xml")


def test_check_mode_predicts_and_writes_nothing(tmp_path):
    target = tmp_path / "reports"
    assert cr.write_reports(str(target), rendered(), check_mode=True)[0] is True
    assert not target.exists()
    cr.write_reports(str(target), rendered())
    assert cr.write_reports(str(target), rendered(), check_mode=True)[0] is False
    other = cr.render(report(fail_on_severity="none"), cr.FORMATS)
    before = (target / "compliance.json").read_text()
    assert cr.write_reports(str(target), other, check_mode=True)[0] is True
    assert (target / "compliance.json").read_text() == before


def test_path_below_a_file_fails_before_writing(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(cr.ComplianceReportError) as caught:
        cr.write_reports(str(blocker / "reports"), rendered())
    assert str(caught.value).startswith(f"path '{blocker / 'reports'}' is below {blocker}, which is not a directory")
    assert "set path to a directory the controller user can write" in str(caught.value)
    with pytest.raises(cr.ComplianceReportError, match=r"path '.*file' is not a directory"):
        cr.write_reports(str(blocker), rendered())
    assert sorted(os.listdir(tmp_path)) == ["file"]


def test_report_name_taken_by_a_directory_fails_before_writing(tmp_path):
    (tmp_path / "compliance.xml").mkdir()
    with pytest.raises(cr.ComplianceReportError, match=r"compliance.xml exists and is not a regular file"):
        cr.write_reports(str(tmp_path), rendered())
    assert os.listdir(tmp_path) == ["compliance.xml"]


def test_unwritable_directory_fails_before_writing(tmp_path, monkeypatch):
    # The tests may run as root, which permission bits do not stop; make the probe fail as a read-only mount would.
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cr.tempfile, "mkstemp", refuse)
    with pytest.raises(cr.ComplianceReportError, match=r"path '.*' is not writable \(Permission denied\)"):
        cr.write_reports(str(tmp_path), rendered())
    assert os.listdir(tmp_path) == []


def test_unwritable_parent_fails_before_creating_anything(tmp_path, monkeypatch):
    monkeypatch.setattr(cr.os, "access", lambda path, mode: False)
    with pytest.raises(cr.ComplianceReportError, match=rf"path '.*reports' cannot be created in {tmp_path}"):
        cr.write_reports(str(tmp_path / "new" / "reports"), rendered())
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- the module


def run_module(capsys, args, check_mode=False):
    with patch_module_args(dict(args, _ansible_check_mode=check_mode)), pytest.raises(SystemExit) as exited:
        module.main()
    return exited.value.code, json.loads(capsys.readouterr().out)


def test_module_check_mode_then_write_then_idempotent(tmp_path, capsys):
    args = {"environments": environments(), "path": str(tmp_path / "reports"), "fail_on_severity": "critical"}
    code, result = run_module(capsys, args, check_mode=True)
    assert code == 0 and result["changed"] is True and not (tmp_path / "reports").exists()
    code, result = run_module(capsys, args)
    assert code == 0 and result["changed"] is True and not result.get("failed")
    assert result["fail"] is True and result["failed_controls"] == ["CT.2", "CT.10"]
    assert [os.path.basename(f) for f in result["files"]] == ["compliance.json", "compliance.xml", "compliance.html"]
    assert [e["name"] for e in result["summary"]["environments"]] == ["dev", "prod"]
    assert result["summary"]["totals"]["counts"]["failed"]["critical"] == 2
    document = json.loads((tmp_path / "reports" / "compliance.json").read_text())
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert document["summary"] == result["summary"]
    assert run_module(capsys, args)[1]["changed"] is False


def test_module_fills_defaults_and_passes_with_nothing_wrong(tmp_path, capsys):
    args = {"environments": [{"name": "dev", "controls": [control("CT.1", "high", "passed")]}], "path": str(tmp_path)}
    code, result = run_module(capsys, args)
    assert code == 0 and result["fail"] is False and result["failed_controls"] == []


def test_module_bad_input_fails_naming_the_field(tmp_path, capsys):
    args = {"environments": [{"name": "a"}, {"name": "a"}], "path": str(tmp_path / "r")}
    code, result = run_module(capsys, args)
    assert code == 1 and "environments[1]: environment 'a' is also environments[0]" in result["msg"]
    code, result = run_module(capsys, {"environments": [{"name": "a"}], "path": str(tmp_path / "r"), "formats": []})
    assert code == 1 and result["msg"].startswith("formats is empty")
    code, result = run_module(
        capsys,
        {"environments": [{"name": "a", "controls": [control("X", "urgent", "failed")]}], "path": str(tmp_path)},
    )
    assert code == 1 and "severity" in result["msg"] and "urgent" in result["msg"]
    assert not (tmp_path / "r").exists() and os.listdir(tmp_path) == []


def test_module_unwritable_path_fails_naming_path(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    code, result = run_module(capsys, {"environments": environments(), "path": str(tmp_path / "file" / "reports")})
    assert code == 1 and result["msg"].startswith(f"path '{tmp_path / 'file' / 'reports'}'")
    assert "set path to a directory" in result["msg"]


def test_module_waives_a_failed_path_the_posture_module_never_saw(tmp_path, capsys):
    path = "api-gateway -> billing-db:5432 (direct)"
    envs = [
        {
            "name": "dev",
            "controls": [
                control("SCM.NET.1", "high", "failed", resource=path),
                control("SCM.NET.1", "high", "failed", resource="rabbitmq -> billing-db:5432 (direct)"),
                control("SCM.NET.2", "medium", "passed", resource="dev service chain"),
            ],
        }
    ]
    waiver = {"id": "SCM.NET.1", "resource": "api-gateway -> *", "reason": "CHG-1234, until 2027-01-31"}
    args = {"environments": envs, "path": str(tmp_path), "formats": ["json"], "waivers": [waiver]}
    code, result = run_module(capsys, args)
    assert code == 0 and result["fail"] is True
    assert result["failed_controls"] == ["SCM.NET.1"], "the path the waiver does not match still fails"
    controls = json.loads((tmp_path / "compliance.json").read_text())["environments"][0]["controls"]
    waived = [c for c in controls if c["status"] == "waived"]
    assert [(c["resource"], c["waiver_reason"]) for c in waived] == [(path, "CHG-1234, until 2027-01-31")]


def test_module_refuses_a_waiver_of_an_unknown_control_or_without_reason(tmp_path, capsys):
    args = {
        "environments": [{"name": "dev", "controls": []}],
        "path": str(tmp_path),
        "waivers": [{"id": "SCM.NOPE.1", "reason": "x"}, {"id": "SCM.NET.1", "reason": " "}],
    }
    code, result = run_module(capsys, args)
    assert code == 1 and result["failed"] is True
    assert "waivers[0].id 'SCM.NOPE.1' is not a control id" in result["msg"]
    assert "waivers[1].reason is empty" in result["msg"]
    assert list(tmp_path.iterdir()) == []
