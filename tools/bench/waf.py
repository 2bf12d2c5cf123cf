"""Our wafv2_web_acl against community.aws's on the same 10-rule ACL (a per-IP rate rule and nine
AWS managed rule groups): API calls from the emulator's recorder and wall time, for a create and for
no-op re-runs, plus drift made out of band that each module should report."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tools.bench.table import Row, Target
from tools.harness import fixtures, recorder
from tools.harness.cloud import REGION, LocalCloud
from tools.harness.playbook import run_playbook

PLAYBOOK = "tools/bench/playbooks/waf_acl.yml"
NOOP_REPEATS = 5
# Runs of each no-op payload on its own (the module's process without ansible-playbook around it).
PROCESS_REPEATS = 15
# The no-op runs again with every API call delayed by this much (local cloud fault injection): the local cloud
# answers in a few milliseconds, a regional AWS endpoint in tens to hundreds, and that round trip is what a module
# pays per sequential call. 50 ms is an assumed round trip; set BENCH_WAF_LATENCY_MS to the one you measure.
LATENCY_MS = int(os.environ.get("BENCH_WAF_LATENCY_MS", "50"))
# The task of the bench playbook each implementation runs; its own duration leaves out ansible-playbook's start-up,
# which is the same for both and dilutes the comparison.
TASKS = {
    "ours": "The ACL through securecloud.monitor.wafv2_web_acl",
    "stock": "The ACL through community.aws.wafv2_web_acl",
}
MANAGED_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesAnonymousIpList",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesLinuxRuleSet",
    "AWSManagedRulesUnixRuleSet",
    "AWSManagedRulesAdminProtectionRuleSet",
    "AWSManagedRulesPHPRuleSet",
]
BODIES = {"too-many": {"content_type": "TEXT_PLAIN", "content": "Too many requests"}}


def ours_rules() -> list[dict]:
    rate = {
        "name": "rate",
        "priority": 0,
        "action": "block",
        "custom_response": {"response_code": 429, "custom_response_body_key": "too-many"},
        "rate_based": {"limit": 2000},
    }
    managed = [
        {"name": group, "priority": i, "override_action": "none", "managed_rule_group": {"name": group}}
        for i, group in enumerate(MANAGED_GROUPS, start=1)
    ]
    return [rate, *managed]


def _visibility(name: str) -> dict:
    return {"sampled_requests_enabled": True, "cloud_watch_metrics_enabled": True, "metric_name": name}


def stock_rules() -> list[dict]:
    rate = {
        "name": "rate",
        "priority": 0,
        "action": {"block": {"custom_response": {"response_code": 429, "custom_response_body_key": "too-many"}}},
        "visibility_config": _visibility("rate"),
        "statement": {"rate_based_statement": {"limit": 2000, "aggregate_key_type": "IP"}},
    }
    managed = [
        {
            "name": group,
            "priority": i,
            "override_action": {"none": {}},
            "visibility_config": _visibility(group),
            "statement": {"managed_rule_group_statement": {"vendor_name": "AWS", "name": group}},
        }
        for i, group in enumerate(MANAGED_GROUPS, start=1)
    ]
    return [rate, *managed]


def edge(cloud: LocalCloud) -> tuple[str, str]:
    """An API Gateway stage to associate and a WAF log group, as the base layer would have them."""
    cloud.client("logs").create_log_group(logGroupName="aws-waf-logs-bench")
    return fixtures.api_stage(cloud.endpoint, REGION, "bench-edge"), "aws-waf-logs-bench"


def play(
    cloud: LocalCloud, scratch: Path, impl: str, acl_name: str, extra: dict, env: dict | None = None
) -> tuple[Row, dict]:
    variables = {"impl": impl, "acl_name": acl_name, "response_bodies": BODIES, **extra}
    variables["rules"] = ours_rules() if impl == "ours" else stock_rules()
    vars_file = scratch / f"{impl}.json"
    vars_file.write_text(json.dumps(variables))
    recorder.start(cloud.endpoint)
    run = run_playbook(PLAYBOOK, endpoint=cloud.endpoint, work_dir=scratch, args=["-e", f"@{vars_file}"], env=env)
    calls = recorder.stop(cloud.endpoint)
    if run.returncode != 0:
        raise RuntimeError(f"{impl} {acl_name} failed: {run.explain()}")
    summary = recorder.summarise(calls) | {"task_seconds": run.task_seconds(TASKS[impl])}
    row = Row(impl, run.seconds, run.total("changed"), summary["total"], summary["mutating"], summary["read"])
    return row, summary


def noops(cloud: LocalCloud, scratch: Path, setups: list[tuple[str, str, dict]]) -> dict[str, tuple[Row, dict]]:
    """No-op re-runs of each implementation, interleaved (ours, stock, ours, ...) so both see the same machine
    load; the median run of each is kept."""
    runs: dict[str, list[tuple[Row, dict]]] = {impl: [] for impl, _, _ in setups}
    for _ in range(NOOP_REPEATS):
        for impl, name, extra in setups:
            runs[impl].append(play(cloud, scratch, impl, name, extra))
    medians = {}
    for impl, measured in runs.items():
        row, summary = sorted(measured, key=lambda run: run[0].seconds)[NOOP_REPEATS // 2]
        row.changed = max(r.changed for r, _ in measured)
        row.seconds = statistics.median(r.seconds for r, _ in measured)
        summary = summary | {"task_seconds": statistics.median(s["task_seconds"] for _, s in measured)}
        medians[impl] = (row, summary)
    return medians


def noop_rows(cloud: LocalCloud, scratch: Path, setups: list, details: dict, latency_ms: int) -> list[Row]:
    """The no-op rows of both implementations; their call summaries go to details under "<impl> no-op[ at N ms]"."""
    rows = []
    suffix = f" at {latency_ms} ms" if latency_ms else ""
    for impl, (again, summary) in noops(cloud, scratch, setups).items():
        details[f"{impl} no-op{suffix}"] = summary
        again.run = f"{impl}: no-op re-run{', ' + str(latency_ms) + ' ms per call' if latency_ms else ''}"
        again.note = f"median of {NOOP_REPEATS}, interleaved; module task {summary['task_seconds']:.2f} s" + (
            "; " + ", ".join(f"{op} {n}" for op, n in sorted(summary["by_operation"].items())) if not latency_ms else ""
        )
        rows.append(again)
    return rows


def kept_payload(cloud: LocalCloud, scratch: Path, impl: str, acl_name: str, extra: dict) -> Path:
    """The AnsiballZ payload of a no-op run of impl's task, as ansible-playbook built it."""
    remote = scratch / f"remote-{impl}"
    shutil.rmtree(remote, ignore_errors=True)
    play(
        cloud, scratch, impl, acl_name, extra, env={"ANSIBLE_KEEP_REMOTE_FILES": "1", "ANSIBLE_REMOTE_TMP": str(remote)}
    )
    return next(remote.rglob("AnsiballZ_wafv2_web_acl.py"))


def _run_payload(payload: Path) -> float:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, str(payload)], capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError:
        result = {
            "failed": True,
            "msg": f"rc={proc.returncode} stdout={proc.stdout[-1000:]} stderr={proc.stderr[-1000:]}",
        }
    if result.get("failed") or result.get("changed"):
        raise RuntimeError(f"{payload} was not a no-op: {result.get('msg', result)}")
    return seconds


def process_rows(cloud: LocalCloud, scratch: Path, setups: list, details: dict) -> list[Row]:
    """Each no-op payload run on its own, interleaved: the module's process, against the module task, which also
    holds what ansible-playbook does around it (building the payload, starting it, reading its result)."""
    payloads = {impl: kept_payload(cloud, scratch, impl, name, extra) for impl, name, extra in setups}
    times: dict[str, list[float]] = {impl: [] for impl in payloads}
    for _ in range(PROCESS_REPEATS):
        for impl, payload in payloads.items():
            times[impl].append(_run_payload(payload))
    rows = []
    for impl, measured in times.items():
        process = statistics.median(measured)
        details[f"{impl} no-op process"] = {"seconds": measured}
        around = details[f"{impl} no-op"]["task_seconds"] - process
        note = (
            f"median of {PROCESS_REPEATS}, interleaved; rest of the module task (payload build, results) {around:.2f} s"
        )
        rows.append(Row(f"{impl}: no-op module process alone", process, note=note))
    return rows


def _ratio_targets(details: dict, rows: tuple[Row, Row], suffix: str) -> list[Target]:
    ours, stock = rows
    task_ratio = details[f"ours no-op{suffix}"]["task_seconds"] / details[f"stock no-op{suffix}"]["task_seconds"]
    return [
        Target(
            f"ours no-op wall / stock no-op wall{suffix}",
            ours.seconds / stock.seconds,
            1.0,
            shown=f"{ours.seconds / stock.seconds:.2f}",
        ),
        Target(f"ours no-op module task / stock no-op module task{suffix}", task_ratio, 1.0, shown=f"{task_ratio:.2f}"),
    ]


def _acl(cloud: LocalCloud, name: str) -> tuple[dict, str]:
    wafv2 = cloud.client("wafv2")
    summary = next(a for a in wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"] if a["Name"] == name)
    answer = wafv2.get_web_acl(Name=name, Scope="REGIONAL", Id=summary["Id"])
    return answer["WebACL"], answer["LockToken"]


def drift(cloud: LocalCloud, name: str, change: str) -> None:
    """Change one ACL out of band, as a console user would."""
    acl, token = _acl(cloud, name)
    update = {
        key: acl[key]
        for key in ("Name", "Id", "DefaultAction", "Rules", "VisibilityConfig", "CustomResponseBodies")
        if key in acl
    }
    if change == "web ACL visibility":
        update["VisibilityConfig"]["SampledRequestsEnabled"] = False
    else:
        update["CustomResponseBodies"]["too-many"]["Content"] = "Go away"
    cloud.client("wafv2").update_web_acl(Scope="REGIONAL", LockToken=token, **update)


def run(cloud: LocalCloud, scratch: Path) -> tuple[list[Row], list[Target], dict]:
    cloud.reset()
    scratch.mkdir(parents=True, exist_ok=True)
    stage_arn, log_group = edge(cloud)
    ours_extra = {"stage_arn": stage_arn, "log_group": log_group}
    setups = [("ours", "bench-ours", ours_extra), ("stock", "bench-stock", {})]
    rows, details = [], {}
    for impl, name, extra in setups:
        create, details[f"{impl} create"] = play(cloud, scratch, impl, name, extra)
        create.run = f"{impl}: create"
        create.note = "+ logging and association" if impl == "ours" else "ACL only"
        rows.append(create)
    rows += noop_rows(cloud, scratch, setups, details, latency_ms=0)
    cloud.faults(latency_ms=LATENCY_MS)
    try:
        latency_rows = noop_rows(cloud, scratch, setups, details, latency_ms=LATENCY_MS)
    finally:
        cloud.faults(latency_ms=0)
    detected = {}
    for change in ("web ACL visibility", "response body"):
        for impl, name, extra in (("ours", "bench-ours", ours_extra), ("stock", "bench-stock", {})):
            drift(cloud, name, change)
            row, _ = play(cloud, scratch, impl, name, extra)
            detected[(impl, change)] = row.changed > 0
            row.run = f"{impl}: after {change} changed out of band"
            row.note = "drift reported and put back" if row.changed else "drift NOT reported"
            rows.append(row)
    rows += latency_rows
    rows += process_rows(cloud, scratch, setups, details)
    ours_noop, stock_noop = rows[2], rows[3]
    targets = [
        Target("ours no-op changed tasks", ours_noop.changed, 0),
        Target("ours no-op mutating calls", ours_noop.mutating, 0),
        Target("ours no-op calls - stock no-op calls", ours_noop.calls - stock_noop.calls, 2),
        *_ratio_targets(details, (ours_noop, stock_noop), ""),
        *_ratio_targets(details, tuple(latency_rows), f" at {LATENCY_MS} ms"),
        Target(
            "out-of-band drifts ours reports (of 2)",
            sum(detected[("ours", c)] for c in ("web ACL visibility", "response body")),
            2,
            higher_is_worse=False,
        ),
    ]
    return rows, targets, details
