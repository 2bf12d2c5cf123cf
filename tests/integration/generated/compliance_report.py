"""Generated valid inputs of compliance_report (no AWS call: it writes reports on the controller): environments with
or without a before/after remediation pair, controls of every severity and status, drifted resources with dict,
list or text diffs, a random subset of the formats and random fail thresholds. Round 1 changes the findings.

What the module must say, worked out here from its documented rules: RV(fail) is true when a final entry (V(after),
or the entry without phase) has a failed control at or above fail_on_severity (an error one too with
fail_on_error), or a drifted resource with fail_on_drift; failed_controls names those controls; the totals count the
final entries' controls by status; the files of the formats asked for exist after the run, and compliance.json holds
every control and drift entry of the input."""

from __future__ import annotations

import atexit
import json
import shutil
import string
import tempfile
from pathlib import Path

from tests.integration.generated.base import Generator
from tests.integration.generated.values import text

SEVERITIES = ["critical", "high", "medium", "low", "informational"]
STATUSES = ["passed", "failed", "waived", "error", "not_applicable"]
FILES = {"json": "compliance.json", "junit": "compliance.xml", "html": "compliance.html"}
TEXT = string.ascii_letters + string.digits + " -_.:/<>&\"'"


class ComplianceReportGenerator(Generator):
    module = "securecloud.monitor.compliance_report"
    calls_aws = False

    def prepare(self, cloud) -> dict:
        path = tempfile.mkdtemp(prefix="generated-report-")
        atexit.register(shutil.rmtree, path, True)
        return {"path": path}

    def control(self, index):
        control = {
            "id": f"GEN.{index}",
            "severity": self.rng.choice(SEVERITIES),
            "status": self.rng.choice(STATUSES),
            "title": text(self.rng, 1, 80, TEXT),
            "detail": text(self.rng, 0, 200, TEXT),
        }
        if self.rng.random() < 0.5:
            control["resource"] = f"arn:aws:s3:::{text(self.rng, 3, 40, string.ascii_lowercase)}"
        if control["status"] == "waived":
            control["waiver_reason"] = f"SEC-{self.rng.randint(1, 999)}"
        if self.rng.random() < 0.5:
            control["mappings"] = {"cis": ["3.1"], "fsbp": [f"CloudTrail.{self.rng.randint(1, 9)}"]}
        return control

    def drift(self):
        before, after = {"a": self.rng.randint(0, 9)}, {"a": self.rng.randint(10, 19)}
        diff = self.rng.choice([{"before": before, "after": after}, [{"before": "x\ny\n", "after": "x\nz\n"}]])
        return {
            "role": "gen",
            "task": text(self.rng, 1, 40, TEXT),
            "resource": text(self.rng, 1, 60, TEXT),
            "diff": diff,
        }

    def entry(self, name, phase=None):
        entry = {
            "name": name,
            "account_id": "123456789012",
            "region": self.rng.choice(["us-east-1", "eu-west-1"]),
            "controls": [self.control(index) for index in range(self.rng.randint(0, 6))],
            "drift": [self.drift() for _count in range(self.rng.choice([0, 0, 1, 3]))],
        }
        return entry | ({"phase": phase} if phase else {})

    def arguments(self, round_index: int) -> list[dict]:
        environments = []
        for index in range(self.rng.randint(1, 3)):
            name = f"env-{index}-" + text(self.rng, 1, 20, string.ascii_lowercase + string.digits)
            phases = [None] if self.rng.random() < 0.6 else ["before", "after"]
            environments += [self.entry(name, phase) for phase in phases]
        return [
            {
                "environments": environments,
                "path": self.context["path"],
                "formats": self.rng.sample(list(FILES), self.rng.randint(1, 3)),
                "fail_on_severity": self.rng.choice([*SEVERITIES, "none"]),
                "fail_on_drift": self.rng.random() < 0.5,
                "fail_on_error": self.rng.random() < 0.5,
                "run": {"id": f"gen-{round_index}", "playbook": "compliance.yml"},
            }
        ]

    def check(self, round_index, declared, results, cloud):
        for arguments, (_check, real, _again) in zip(declared, results, strict=True):
            final = [e for e in arguments["environments"] if e.get("phase") in (None, "after")]
            failing = sorted({c["id"] for e in final for c in e["controls"] if counts_against(c, arguments)})
            drifted = arguments["fail_on_drift"] and any(e["drift"] for e in final)
            assert real["fail"] == bool(failing or drifted), (real["fail"], failing, drifted)
            assert sorted(real["failed_controls"]) == failing
            for status in STATUSES:
                wanted = sum(c["status"] == status for e in final for c in e["controls"])
                assert real["summary"]["totals"]["counts"][status]["total"] == wanted, status
            written = {Path(f).name for f in real["files"]}
            assert written == {FILES[f] for f in arguments["formats"]}
            assert all(Path(f).is_file() for f in real["files"])
            if "json" in arguments["formats"]:
                report = json.loads((Path(arguments["path"]) / FILES["json"]).read_text())
                assert report_ids(report) == sorted(c["id"] for e in arguments["environments"] for c in e["controls"])


def counts_against(control, arguments) -> bool:
    threshold = arguments["fail_on_severity"]
    if threshold == "none":
        return False
    severe = SEVERITIES.index(control["severity"]) <= SEVERITIES.index(threshold)
    return severe and (control["status"] == "failed" or (arguments["fail_on_error"] and control["status"] == "error"))


def report_ids(report) -> list:
    return sorted(c["id"] for e in report["environments"] for c in e.get("controls", []))
