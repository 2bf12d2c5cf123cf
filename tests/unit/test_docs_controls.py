"""docs/compliance.md lists every control a compliance run can report, with the severity and the CIS and FSBP
mappings the code gives it: the catalogue of posture_controls_info (plugins/module_utils/posture.py), the controls
playbooks/compliance_posture.yml builds itself (SCM.NET.1/2, SCM.BASE.1) and the run control of the report
(SCM.CHECK.1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from ansible_collections.securecloud.monitor.plugins.module_utils import compliance_report, posture

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "compliance.md"


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def playbook_controls() -> dict[str, dict]:
    """Controls declared as data in playbooks/compliance_posture.yml (dicts with an SCM.* id and a severity)."""
    plays = yaml.safe_load((REPO / "playbooks" / "compliance_posture.yml").read_text(encoding="utf-8"))
    found = {}
    for node in _walk(plays):
        if str(node.get("id", "")).startswith("SCM.") and "severity" in node:
            mappings = node.get("mappings") or {}
            found[node["id"]] = {
                "severity": node["severity"],
                "cis": list(mappings.get("cis") or []),
                "fsbp": list(mappings.get("fsbp") or []),
            }
    return found


def code_controls() -> dict[str, dict]:
    controls = {
        c["id"]: {"severity": c["severity"], "cis": c["mappings"]["cis"], "fsbp": c["mappings"]["fsbp"]}
        for c in posture.catalog()
    }
    controls.update(playbook_controls())
    check = compliance_report.CHECK_CONTROL
    controls[check["id"]] = {
        "severity": check["severity"],
        "cis": check["mappings"]["cis"],
        "fsbp": check["mappings"]["fsbp"],
    }
    return controls


def _ids(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(",") if part.strip()]


def page_controls() -> dict[str, dict]:
    """Rows of the table under '## Controls': | id | title | severity | CIS | FSBP | ... |."""
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("\n## Controls\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or not re.fullmatch(r"SCM\.[A-Z]+\.\d+", cells[0]):
            continue
        assert cells[0] not in rows, f"{cells[0]} is listed twice"
        rows[cells[0]] = {"severity": cells[2], "cis": _ids(cells[3]), "fsbp": _ids(cells[4])}
    return rows


def test_the_code_has_the_external_controls():
    """The playbook and report controls are found, so the comparison below covers them."""
    assert {"SCM.NET.1", "SCM.NET.2", "SCM.BASE.1", "SCM.CHECK.1"} <= set(code_controls())
    assert set(posture.EXTERNAL_CONTROL_IDS) <= set(code_controls())


@pytest.mark.parametrize("control_id", sorted(code_controls()))
def test_every_control_is_in_the_table_as_the_code_says(control_id):
    rows = page_controls()
    assert control_id in rows, f"docs/compliance.md: no row for {control_id} in the Controls table"
    assert rows[control_id] == code_controls()[control_id], f"docs/compliance.md: {control_id} differs from the code"


def test_the_table_lists_no_unknown_control():
    assert set(page_controls()) <= set(code_controls())
