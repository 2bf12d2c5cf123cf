# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Compliance run reports: JSON, JUnit XML and HTML, rendered from what the hosts of a play gathered.

Pure functions (no Ansible import) so that every rendering rule is unit-tested, plus :func:`check_writable` and
:func:`write_reports` for the module. The report is a deterministic function of its input: it carries no time of its
own (the ``run`` block the playbook passes holds the run's times), so re-running with the same findings rewrites
nothing and the module reports ``changed: false``. Only the history copies carry the time of writing.

Phases: an environment may appear twice, ``phase: before`` and ``phase: after`` (a remediation run). Its *final*
entry (``after`` when there is one) decides ``fail`` and the totals; the ``before`` entry is shown beside it.
"""

import difflib
import html
import json
import os
import re
import tempfile
from datetime import UTC, datetime
from xml.etree import ElementTree

SCHEMA_VERSION = 1
SEVERITIES = ("critical", "high", "medium", "low", "informational")
# not_applicable: the control had nothing to evaluate (counted apart; neither a pass nor a failure).
STATUSES = ("passed", "failed", "waived", "error", "not_applicable")
PHASES = ("before", "after")
FORMATS = ("json", "junit", "html")
FILE_NAMES = {"json": "compliance.json", "junit": "compliance.xml", "html": "compliance.html"}
# Failing first, then what needs a look (error), then accepted risk (waived), then the good news.
_STATUS_ORDER = {"failed": 0, "error": 1, "waived": 2, "passed": 3, "not_applicable": 4}
_SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
# XML 1.0 forbids most control characters; diffs of terminal output carry some (ESC colour codes).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ComplianceReportError(Exception):
    """A problem with the input or the output path, worded for the person running the playbook."""


# ---------------------------------------------------------------- input


def _text(value):
    return "" if value is None else str(value)


def validate_environments(environments):
    """Every problem with ``environments`` that the argument spec cannot see, as messages naming the field."""
    errors = []
    seen = {}
    for index, env in enumerate(environments or []):
        where = f"environments[{index}]"
        if not isinstance(env, dict):
            errors.append(f"{where}: each environment must be a dict with at least a name.")
            continue
        if not _text(env.get("name")).strip():
            errors.append(f"{where}.name: give the environment's name.")
            continue
        phase = env.get("phase")
        if phase is not None and phase not in PHASES:
            errors.append(f"{where}.phase: '{phase}' is not one of before, after (or leave it out).")
        key = (env["name"], phase)
        if key in seen:
            errors.append(
                f"{where}: environment '{env['name']}'"
                + (f" phase {phase}" if phase else "")
                + f" is also environments[{seen[key]}]; give each environment (and phase) once."
            )
        else:
            seen[key] = index
        for c_index, control in enumerate(env.get("controls") or []):
            c_where = f"{where}.controls[{c_index}]"
            if not isinstance(control, dict):
                errors.append(f"{c_where}: each control must be a dict.")
                continue
            if not _text(control.get("id")).strip():
                errors.append(f"{c_where}.id: give the control's id (for example CT.1).")
            if control.get("severity") not in SEVERITIES:
                errors.append(f"{c_where}.severity: '{control.get('severity')}' is not one of {', '.join(SEVERITIES)}.")
            if control.get("status") not in STATUSES:
                errors.append(f"{c_where}.status: '{control.get('status')}' is not one of {', '.join(STATUSES)}.")
        for d_index, drift in enumerate(env.get("drift") or []):
            d_where = f"{where}.drift[{d_index}]"
            if not isinstance(drift, dict):
                errors.append(f"{d_where}: each drift entry must be a dict.")
            elif not _text(drift.get("resource")).strip():
                errors.append(f"{d_where}.resource: name the resource that drifted.")
    names = {env.get("name") for env in environments or [] if isinstance(env, dict)}
    for name in sorted(n for n in names if n):
        phases = {env.get("phase") for env in environments if isinstance(env, dict) and env.get("name") == name}
        if None in phases and len(phases) > 1:
            errors.append(
                f"environments: '{name}' is given both without a phase and with phase "
                f"{'/'.join(sorted(p for p in phases if p))}; give phase before and after, or no phase."
            )
    return errors


def natural_key(value):
    """Sort key that puts CT.2 before CT.10."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in re.split(r"(\d+)", value)]


def control_sort_key(control):
    """Failing controls first, the most severe first, then by id and resource."""
    return (
        _STATUS_ORDER[control["status"]],
        _SEVERITY_RANK[control["severity"]],
        natural_key(control["id"]),
        control.get("resource") or "",
    )


def at_or_above(severity, threshold):
    """True when ``severity`` is ``threshold`` or more severe; nothing is at or above ``none``."""
    if threshold == "none":
        return False
    return _SEVERITY_RANK[severity] <= _SEVERITY_RANK[threshold]


# ---------------------------------------------------------------- diffs


def _diff_lines(value):
    if value is None:
        return []
    if isinstance(value, (dict, list)):
        # As Ansible's own diff callback shows structured values: sorted keys, indented JSON.
        value = json.dumps(value, indent=4, sort_keys=True, default=str)
    value = _text(value)
    lines = value.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def unified_diff(raw):
    """Unified text diff of a task's raw ``diff`` (a dict or a list of dicts, as ``--diff`` gives them).

    ``before``/``after`` strings are diffed line by line, dicts and lists as sorted JSON; a ``prepared`` text (some
    modules give one) is used as it is; a plain string is taken as an already rendered diff.
    """
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw if raw.endswith("\n") or not raw else raw + "\n"
    items = raw if isinstance(raw, list) else [raw]
    chunks = []
    for item in items:
        if isinstance(item, str):
            chunks.append(unified_diff(item))
            continue
        if not isinstance(item, dict):
            chunks.append(_text(item) + "\n")
            continue
        if item.get("prepared"):
            chunks.append(unified_diff(_text(item["prepared"])))
        if "before" in item or "after" in item:
            before, after = _diff_lines(item.get("before")), _diff_lines(item.get("after"))
            if before != after:
                chunks.append(
                    "".join(
                        difflib.unified_diff(
                            before,
                            after,
                            fromfile=_text(item.get("before_header") or "before"),
                            tofile=_text(item.get("after_header") or "after"),
                        )
                    )
                )
    return "".join(chunks)


# ---------------------------------------------------------------- the report


def _counts():
    return {status: {severity: 0 for severity in SEVERITIES} | {"total": 0} for status in STATUSES}


def _add(counts, other):
    for status in STATUSES:
        for key, value in other[status].items():
            counts[status][key] += value


def _control(raw):
    mappings = raw.get("mappings") or {}
    control = {
        "id": _text(raw["id"]),
        "title": _text(raw.get("title")),
        "severity": raw["severity"],
        "status": raw["status"],
        "resource": None if raw.get("resource") is None else _text(raw["resource"]),
        "detail": _text(raw.get("detail")),
        "mappings": {
            "cis": [_text(m) for m in mappings.get("cis") or []],
            "fsbp": [_text(m) for m in mappings.get("fsbp") or []],
        },
        "waiver_reason": None if raw.get("waiver_reason") is None else _text(raw["waiver_reason"]),
    }
    return control


def _drift(raw):
    items = raw.get("diff")
    if items is not None and not isinstance(items, list):
        items = [items]
    return {
        "role": _text(raw.get("role")),
        "task": _text(raw.get("task")),
        "resource": _text(raw["resource"]),
        "diff": unified_diff(raw.get("diff")),
        "raw_diff": json.loads(json.dumps(items, default=str)) if items is not None else None,
    }


CHECK_CONTROL = {
    "id": "SCM.CHECK.1",
    "title": "Every task of the drift check ran",
    "severity": "high",
    "mappings": {"cis": [], "fsbp": []},
}


def merge_drift_records(environments, records):
    """Environments with the drift the compliance_drift callback recorded added to them.

    A record belongs to the environment of the same name and phase (the callback's phase ``check`` is an
    environment without a phase). A changed task becomes a drift entry; a failed task becomes an ``error`` result of
    the control SCM.CHECK.1, because a check that did not run must not pass for a clean one.
    """
    merged = []
    for env in environments:
        phase = env.get("phase") or "check"
        mine = [r for r in records or [] if r.get("host") == env.get("name") and (r.get("phase") or "check") == phase]
        drift = [
            {key: record.get(key) for key in ("role", "task", "resource", "diff")}
            for record in mine
            if not record.get("failed")
        ]
        errors = [
            dict(
                CHECK_CONTROL,
                status="error",
                resource=f"{record.get('role') or 'play'}: {record.get('task')}",
                detail=_text(record.get("message")) or "the task failed",
            )
            for record in mine
            if record.get("failed")
        ]
        merged.append(
            dict(env, drift=list(env.get("drift") or []) + drift, controls=list(env.get("controls") or []) + errors)
        )
    return merged


def build_report(environments, run=None, fail_on_severity="low", fail_on_drift=True, fail_on_error=True):
    """The report as a dict (the JSON format), from validated input. See docs/compliance-report.md."""
    entries = []
    for raw in environments:
        controls = sorted((_control(c) for c in raw.get("controls") or []), key=control_sort_key)
        drift = sorted((_drift(d) for d in raw.get("drift") or []), key=lambda d: (d["role"], d["resource"], d["task"]))
        counts = _counts()
        failing = []
        for control in controls:
            counts[control["status"]][control["severity"]] += 1
            counts[control["status"]]["total"] += 1
            control["counts_as_failure"] = (
                control["status"] == "failed" or (fail_on_error and control["status"] == "error")
            ) and at_or_above(control["severity"], fail_on_severity)
            if control["counts_as_failure"]:
                failing.append(control)
        entries.append(
            {
                "name": _text(raw["name"]),
                "phase": raw.get("phase"),
                "account_id": None if raw.get("account_id") is None else _text(raw["account_id"]),
                "region": None if raw.get("region") is None else _text(raw["region"]),
                "final": True,
                "fail": bool(failing) or (fail_on_drift and bool(drift)),
                "counts": counts,
                "drift_count": len(drift),
                "controls": controls,
                "drift": drift,
            }
        )
    with_after = {e["name"] for e in entries if e["phase"] == "after"}
    for entry in entries:
        entry["final"] = not (entry["phase"] == "before" and entry["name"] in with_after)
    # Environments in name order, before ahead of after: the report reads the same whatever the host order.
    entries.sort(key=lambda e: (natural_key(e["name"]), PHASES.index(e["phase"]) if e["phase"] else -1))

    totals = {"environments": 0, "counts": _counts(), "drift_count": 0}
    failed_controls = []
    for entry in entries:
        if not entry["final"]:
            continue
        totals["environments"] += 1
        _add(totals["counts"], entry["counts"])
        totals["drift_count"] += entry["drift_count"]
        failed_controls.extend(c for c in entry["controls"] if c["counts_as_failure"])
    failed_ids = []
    for control in sorted(failed_controls, key=control_sort_key):
        if control["id"] not in failed_ids:
            failed_ids.append(control["id"])
    fail = any(entry["fail"] for entry in entries if entry["final"])
    return {
        "schema_version": SCHEMA_VERSION,
        "run": dict(run) if run else None,
        "policy": {
            "fail_on_severity": fail_on_severity,
            "fail_on_drift": bool(fail_on_drift),
            "fail_on_error": bool(fail_on_error),
        },
        "fail": fail,
        "failed_controls": failed_ids,
        "summary": summary(entries, totals),
        "environments": entries,
    }


def summary(entries, totals):
    """The ``summary`` the module returns (also in the JSON report)."""
    return {
        "environments": [
            {
                "name": e["name"],
                "phase": e["phase"],
                "account_id": e["account_id"],
                "region": e["region"],
                "final": e["final"],
                "fail": e["fail"],
                "counts": e["counts"],
                "drift_count": e["drift_count"],
            }
            for e in entries
        ],
        "totals": totals,
    }


def suite_name(entry):
    return f"{entry['name']} ({entry['phase']})" if entry["phase"] else entry["name"]


# ---------------------------------------------------------------- JSON


def render_json(report):
    return json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"


# ---------------------------------------------------------------- JUnit XML


def _xml_text(value):
    return _XML_INVALID.sub("\ufffd", _text(value))


def _control_case_name(control):
    name = control["id"] + (f" {control['title']}" if control["title"] else "")
    return name + (f" [{control['resource']}]" if control["resource"] else "")


def _mappings_text(control):
    parts = []
    if control["mappings"]["cis"]:
        parts.append("CIS " + ", ".join(control["mappings"]["cis"]))
    if control["mappings"]["fsbp"]:
        parts.append("FSBP " + ", ".join(control["mappings"]["fsbp"]))
    return "; ".join(parts)


def render_junit(report):
    """JUnit XML: one testsuite per environment (and phase); a testcase per control and per drifted resource."""
    root = ElementTree.Element("testsuites", name="securecloud.monitor compliance")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for entry in report["environments"]:
        suite = ElementTree.SubElement(root, "testsuite", name=_xml_text(suite_name(entry)))
        props = ElementTree.SubElement(suite, "properties")
        for key in ("account_id", "region", "phase"):
            if entry[key] is not None:
                ElementTree.SubElement(props, "property", name=key, value=_xml_text(entry[key]))
        ElementTree.SubElement(props, "property", name="final", value=str(entry["final"]).lower())
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for control in entry["controls"]:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=_xml_text(f"controls.{control['id']}"),
                name=_xml_text(_control_case_name(control)),
            )
            counts["tests"] += 1
            body = "\n".join(
                p
                for p in (
                    control["detail"],
                    _mappings_text(control),
                    f"severity: {control['severity']}",
                    f"fails the run: {'yes' if control['counts_as_failure'] else 'no'}",
                )
                if p
            )
            if control["status"] == "failed":
                counts["failures"] += 1
                element = ElementTree.SubElement(
                    case, "failure", message=_xml_text(control["detail"] or "failed"), type=control["severity"]
                )
                element.text = _xml_text(body)
            elif control["status"] == "error":
                counts["errors"] += 1
                element = ElementTree.SubElement(
                    case, "error", message=_xml_text(control["detail"] or "error"), type=control["severity"]
                )
                element.text = _xml_text(body)
            elif control["status"] == "waived":
                counts["skipped"] += 1
                ElementTree.SubElement(
                    case, "skipped", message=_xml_text("waived: " + (control["waiver_reason"] or "no reason given"))
                )
            elif control["status"] == "not_applicable":
                counts["skipped"] += 1
                ElementTree.SubElement(
                    case, "skipped", message=_xml_text("not applicable: " + (control["detail"] or "nothing to check"))
                )
            if control["status"] in ("passed", "waived", "not_applicable"):  # else a failure/error element carries it
                ElementTree.SubElement(case, "system-out").text = _xml_text(body)
        for drift in entry["drift"]:
            name = drift["resource"] + (f" ({drift['task']})" if drift["task"] else "")
            case = ElementTree.SubElement(
                suite, "testcase", classname=_xml_text(f"drift.{drift['role'] or 'unknown'}"), name=_xml_text(name)
            )
            counts["tests"] += 1
            counts["failures"] += 1
            element = ElementTree.SubElement(
                case, "failure", message=_xml_text(f"{drift['resource']} drifted from the declared state"), type="drift"
            )
            element.text = _xml_text(drift["diff"] or "(no diff recorded)")
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


# ---------------------------------------------------------------- HTML

_CSS = """
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #fff;
  margin: 2em auto; max-width: 1200px; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { margin-top: 2em; border-bottom: 2px solid #d0d7de; }
h3 { margin-top: 1.4em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1.2em; }
th, td { border: 1px solid #d0d7de; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.meta { color: #57606a; } .verdict { font-weight: 700; padding: .1em .5em; border-radius: 3px; }
.FAIL, .failed { background: #ffebe9; color: #a40e26; } .PASS, .passed { background: #dafbe1; color: #116329; }
.error { background: #fff1e5; color: #953800; } .waived { background: #eaeef2; color: #424a53; }
.not_applicable { background: #f6f8fa; color: #59636e; }
.badge { display: inline-block; padding: 0 .4em; border-radius: 3px; font-size: .9em; white-space: nowrap; }
.sev-critical { background: #a40e26; color: #fff; } .sev-high { background: #d1242f; color: #fff; }
.sev-medium { background: #bf8700; color: #fff; } .sev-low { background: #0969da; color: #fff; }
.sev-informational { background: #6e7781; color: #fff; }
tr.row-failed td:first-child { border-left: 4px solid #d1242f; }
tr.row-error td:first-child { border-left: 4px solid #bc4c00; }
.map { color: #57606a; font-size: .9em; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: .6em; overflow-x: auto; white-space: pre-wrap;
  word-break: break-word; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre .add { background: #dafbe1; color: #116329; display: block; }
pre .del { background: #ffebe9; color: #a40e26; display: block; }
pre .hunk { color: #8250df; display: block; } pre .file { color: #57606a; font-weight: 700; display: block; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; } .side > div { min-width: 0; }
.none { color: #57606a; font-style: italic; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; } h2 { break-before: page; } h2.first { break-before: auto; }
  tr, pre, .drift { break-inside: avoid; } pre { white-space: pre-wrap; }
  .badge, .verdict, pre .add, pre .del { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .side { grid-template-columns: 1fr 1fr; }
}
"""


def _e(value):
    return html.escape(_text(value), quote=True)


def diff_html(text):
    """A unified diff as escaped ``<pre>`` lines, + lines green, - lines red."""
    if not text:
        return '<p class="none">No diff recorded.</p>'
    out = []
    for line in text.splitlines():
        if line.startswith(("+++", "---")):
            css = "file"
        elif line.startswith("+"):
            css = "add"
        elif line.startswith("-"):
            css = "del"
        elif line.startswith("@@"):
            css = "hunk"
        else:
            css = None
        out.append(f'<span class="{css}">{_e(line)}</span>' if css else _e(line) + "\n")
    return "<pre>" + "".join(out) + "</pre>"


def _severity(severity):
    return f'<span class="badge sev-{_e(severity)}">{_e(severity)}</span>'


def _status(status):
    return f'<span class="badge {_e(status)}">{_e(status)}</span>'


def _mappings_html(control):
    parts = []
    for key, label in (("cis", "CIS"), ("fsbp", "FSBP")):
        if control["mappings"][key]:
            parts.append(f"{label} " + ", ".join(_e(m) for m in control["mappings"][key]))
    return '<div class="map">' + "; ".join(parts) + "</div>" if parts else ""


def _detail_html(control):
    detail = _e(control["detail"])
    if control["status"] == "waived":
        detail += f'<div class="map">Waived: {_e(control["waiver_reason"] or "no reason given")}</div>'
    return detail


def _counts_table(entry):
    rows = []
    for severity in SEVERITIES:
        cells = "".join(f'<td class="n">{entry["counts"][status][severity]}</td>' for status in STATUSES)
        rows.append(f"<tr><th>{_severity(severity)}</th>{cells}</tr>")
    totals = "".join(f'<td class="n"><b>{entry["counts"][status]["total"]}</b></td>' for status in STATUSES)
    rows.append(f"<tr><th>total</th>{totals}</tr>")
    head = "".join(f"<th>{s}</th>" for s in STATUSES)
    return f"<table><thead><tr><th>severity</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _controls_table(controls):
    if not controls:
        return '<p class="none">No controls evaluated.</p>'
    rows = []
    for c in controls:
        rows.append(
            f'<tr class="row-{_e(c["status"])}"><td>{_status(c["status"])}</td><td>{_severity(c["severity"])}</td>'
            f"<td><b>{_e(c['id'])}</b> {_e(c['title'])}{_mappings_html(c)}</td>"
            f"<td>{_e(c['resource'] or '')}</td><td>{_detail_html(c)}</td></tr>"
        )
    return (
        "<table><thead><tr><th>status</th><th>severity</th><th>control</th><th>resource</th><th>detail</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _compare_table(before, after):
    """Controls of a remediation run: status before next to status after, failing (after) first."""
    by_key = {}
    for phase, entry in (("before", before), ("after", after)):
        for c in entry["controls"]:
            by_key.setdefault((c["id"], c["resource"] or ""), {})[phase] = c
    ordered = sorted(by_key.values(), key=lambda pair: control_sort_key(pair.get("after") or pair["before"]))
    if not ordered:
        return '<p class="none">No controls evaluated.</p>'
    rows = []
    for pair in ordered:
        shown = pair.get("after") or pair["before"]
        cells = "".join(
            f"<td>{_status(pair[p]['status'])}</td>" if p in pair else '<td class="none">not evaluated</td>'
            for p in PHASES
        )
        rows.append(
            f'<tr class="row-{_e(shown["status"])}">{cells}<td>{_severity(shown["severity"])}</td>'
            f"<td><b>{_e(shown['id'])}</b> {_e(shown['title'])}{_mappings_html(shown)}</td>"
            f"<td>{_e(shown['resource'] or '')}</td><td>{_detail_html(shown)}</td></tr>"
        )
    return (
        "<table><thead><tr><th>before</th><th>after</th><th>severity</th><th>control</th><th>resource</th>"
        f"<th>detail (after)</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _drift_html(entry):
    if not entry["drift"]:
        return '<p class="none">No drift.</p>'
    parts = []
    for d in entry["drift"]:
        parts.append(
            f'<div class="drift"><h4>{_e(d["resource"])} <span class="meta">role {_e(d["role"])}'
            f"{' &middot; task ' + _e(d['task']) if d['task'] else ''}</span></h4>{diff_html(d['diff'])}</div>"
        )
    return "".join(parts)


def _verdict(entry):
    return f'<span class="verdict {"FAIL" if entry["fail"] else "PASS"}">{"FAIL" if entry["fail"] else "PASS"}</span>'


def _overview(report, anchors):
    rows = []
    for e in report["environments"]:
        counts = "".join(f'<td class="n">{e["counts"][s]["total"]}</td>' for s in STATUSES)
        note = "" if e["final"] else ' <span class="meta">(superseded by after)</span>'
        rows.append(
            f'<tr><td><a href="#{_e(anchors[e["name"]])}">{_e(e["name"])}</a></td><td>{_e(e["phase"] or "")}</td>'
            f"<td>{_e(e['account_id'] or '')}</td><td>{_e(e['region'] or '')}</td>{counts}"
            f'<td class="n">{e["drift_count"]}</td><td>{_verdict(e)}{note}</td></tr>'
        )
    head = "".join(f"<th>{s}</th>" for s in STATUSES)
    return (
        "<table><thead><tr><th>environment</th><th>phase</th><th>account</th><th>region</th>"
        f"{head}<th>drift</th><th>verdict</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _anchors(names):
    """A distinct HTML id per environment name ("a b" and "a-b" would otherwise share one)."""
    anchors, used = {}, set()
    for name in names:
        anchor = base = "env-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)
        suffix = 1
        while anchor in used:
            suffix += 1
            anchor = f"{base}-{suffix}"
        anchors[name] = anchor
        used.add(anchor)
    return anchors


def _run_html(run):
    if not run:
        return ""
    items = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in run.items())
    return f'<table class="run">{items}</table>'


def render_html(report):
    """A self-contained page: inline CSS, no script, no external URL; every value escaped."""
    policy = report["policy"]
    grouped = {}
    for entry in report["environments"]:
        grouped.setdefault(entry["name"], {})[entry["phase"]] = entry
    anchors = _anchors(grouped)
    sections = []
    for index, (name, phases) in enumerate(grouped.items()):
        first = ' class="first"' if index == 0 else ""
        final = phases.get("after") or phases.get(None) or phases.get("before")
        header = (
            f'<h2 id="{_e(anchors[name])}"{first}>{_e(name)} {_verdict(final)}</h2>'
            f'<p class="meta">account {_e(final["account_id"] or "unknown")} &middot; region '
            f"{_e(final['region'] or 'unknown')}</p>"
        )
        if "before" in phases and "after" in phases:
            before, after = phases["before"], phases["after"]
            body = (
                '<div class="side">'
                f"<div><h3>Before remediation</h3>{_counts_table(before)}</div>"
                f"<div><h3>After remediation</h3>{_counts_table(after)}</div></div>"
                f"<h3>Controls</h3>{_compare_table(before, after)}"
                '<div class="side">'
                f"<div><h3>Drift before</h3>{_drift_html(before)}</div>"
                f"<div><h3>Drift after</h3>{_drift_html(after)}</div></div>"
            )
        else:
            body = "".join(
                (f"<h3>Phase {_e(phase)}</h3>" if phase else "")
                + f"{_counts_table(entry)}<h3>Controls</h3>{_controls_table(entry['controls'])}"
                f"<h3>Drift</h3>{_drift_html(entry)}"
                for phase, entry in phases.items()
            )
        sections.append(header + body)
    totals = report["summary"]["totals"]
    verdict = "FAIL" if report["fail"] else "PASS"
    failed = ", ".join(_e(i) for i in report["failed_controls"]) or "none"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Compliance report: {verdict}</title><style>{_CSS}</style></head><body>"
        f'<h1>Compliance report <span class="verdict {verdict}">{verdict}</span></h1>'
        f'<p class="meta">{totals["environments"]} environment(s), {totals["counts"]["failed"]["total"]} failed '
        f"control(s), {totals['counts']['error']['total']} error(s), {totals['drift_count']} drifted resource(s). "
        f"Fails on: failed controls of severity {_e(policy['fail_on_severity'])} or above"
        f"{', errors' if policy['fail_on_error'] else ''}{', drift' if policy['fail_on_drift'] else ''}. "
        f"Failing controls: {failed}. Schema version {report['schema_version']}.</p>"
        f"{_run_html(report['run'])}<h3>Environments</h3>{_overview(report, anchors)}"
        + "".join(sections)
        + "</body></html>\n"
    )


# ---------------------------------------------------------------- files

RENDERERS = {"json": render_json, "junit": render_junit, "html": render_html}


def render(report, formats):
    """{file name: text} for the formats asked."""
    return {FILE_NAMES[fmt]: RENDERERS[fmt](report) for fmt in FORMATS if fmt in formats}


def history_name(file_name, now):
    stem, ext = os.path.splitext(file_name)
    return f"{stem}-{now.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}{ext}"


def check_writable(path, file_names):
    """Raise :class:`ComplianceReportError` unless the reports can be written under ``path``; writes nothing."""
    fix = "set path to a directory the controller user can write, or fix its permissions"
    absolute = os.path.abspath(path)
    existing = absolute
    while not os.path.exists(existing):
        parent = os.path.dirname(existing)
        if parent == existing:
            break
        existing = parent
    if not os.path.isdir(existing):
        where = "is" if existing == absolute else f"is below {existing}, which is"
        raise ComplianceReportError(f"path '{path}' {where} not a directory: {fix}.")
    if not os.access(existing, os.W_OK | os.X_OK):
        where = "is" if existing == absolute else f"cannot be created in {existing}, which is"
        raise ComplianceReportError(f"path '{path}' {where} not writable: {fix}.")
    if existing == absolute:
        for name in file_names:
            target = os.path.join(absolute, name)
            if os.path.isdir(target) or (os.path.exists(target) and not os.path.isfile(target)):
                raise ComplianceReportError(
                    f"path '{path}': {target} exists and is not a regular file: remove it or set another path."
                )
        # os.access trusts permission bits; a read-only file system or a root-squashed share only shows on a try.
        try:
            handle, probe = tempfile.mkstemp(prefix=".compliance-probe-", dir=absolute)
        except OSError as e:
            raise ComplianceReportError(f"path '{path}' is not writable ({e.strerror}): {fix}.") from e
        os.close(handle)
        os.unlink(probe)


def _read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def _write(path, text):
    directory = os.path.dirname(path)
    handle, temp = tempfile.mkstemp(prefix=".compliance-", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def write_reports(path, rendered, keep_history=False, check_mode=False, now=None):
    """Write the rendered files under ``path``: (changed, absolute paths written or, in check mode, to be written).

    ``changed`` is true when a file's content changes (or a history copy is added). Fails before writing anything
    when ``path`` is unusable.
    """
    now = now or datetime.now(UTC)
    names = list(rendered)
    history = {name: history_name(name, now) for name in names} if keep_history else {}
    check_writable(path, names + list(history.values()))
    absolute = os.path.abspath(path)
    changed = bool(history)
    files = []
    for name, text in rendered.items():
        target = os.path.join(absolute, name)
        changed |= _read(target) != text
        files.append(target)
        if history:
            files.append(os.path.join(absolute, history[name]))
    if check_mode:
        return changed, files
    if not os.path.isdir(absolute):
        os.makedirs(absolute, mode=0o755)
        os.chmod(absolute, 0o755)  # makedirs' mode is filtered by the umask
    for name, text in rendered.items():
        target = os.path.join(absolute, name)
        if _read(target) != text:
            _write(target, text)
        if history:
            _write(os.path.join(absolute, history[name]), text)
    return changed, files
