"""Our cloudwatch_alarm_set managing 30 metric alarms in one task against a loop of 30
amazon.aws.cloudwatch_metric_alarm tasks for the same 30 alarms (under another prefix), on the
same local cloud in one run: API calls from the emulator's recorder and wall time, for a create
and for a no-op re-run, plus one threshold changed out of band that ours must report."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from tools.bench.table import Row, Target
from tools.harness import recorder
from tools.harness.cloud import ACCOUNT_ID, REGION, LocalCloud
from tools.harness.playbook import run_playbook

PLAYBOOK = "tools/bench/playbooks/alarms_{impl}.yml"
COUNT = 30
NOOP_REPEATS = 5  # ours only (its 2 s are mostly ansible-playbook start-up, so noisy); a stock no-op takes ~25 s
SERVICES = ["orders", "payments", "catalog", "search", "users", "gateway"]
METRICS = [
    ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", 10.0),
    ("AWS/ApplicationELB", "TargetResponseTime", "Average", 1.5),
    ("AWS/ECS", "CPUUtilization", "Average", 85.0),
    ("AWS/ECS", "MemoryUtilization", "Average", 90.0),
    ("AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", 0.0),
]
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:bench-oncall"


def alarms(prefix: str) -> list[dict]:
    """COUNT alarms in a neutral shape: each service x each metric."""
    result = []
    for index in range(COUNT):
        service = SERVICES[index // len(METRICS) % len(SERVICES)]
        namespace, metric, statistic, threshold = METRICS[index % len(METRICS)]
        dimensions = {"ClusterName": "bench", "ServiceName": service} if namespace == "AWS/ECS" else {}
        if namespace == "AWS/ApplicationELB":
            dimensions = {"LoadBalancer": f"app/{service}/50dc6c495c0c9188"}
        result.append(
            {
                "name": f"{prefix}{service}-{metric}-{index:02d}",
                "description": f"{metric} of {service}",
                "namespace": namespace,
                "metric_name": metric,
                "dimensions": dimensions,
                "statistic": statistic,
                "period": 60,
                "evaluation_periods": 5,
                "threshold": threshold,
                "treat_missing_data": "notBreaching",
                "alarm_actions": [TOPIC],
            }
        )
    return result


def ours_alarms(prefix: str) -> list[dict]:
    return [dict(a, comparison_operator="GreaterThanThreshold") for a in alarms(prefix)]


def stock_alarms(prefix: str) -> list[dict]:
    return [dict(a, comparison="GreaterThanThreshold") for a in alarms(prefix)]


def play(cloud: LocalCloud, scratch: Path, impl: str) -> tuple[Row, dict]:
    prefix = f"bench-{impl}-"
    variables = {"impl": impl, "prefix": prefix}
    variables["alarms"] = ours_alarms(prefix) if impl == "ours" else stock_alarms(prefix)
    vars_file = scratch / f"{impl}.json"
    vars_file.write_text(json.dumps(variables))
    recorder.start(cloud.endpoint)
    playbook = PLAYBOOK.format(impl=impl)
    run = run_playbook(playbook, endpoint=cloud.endpoint, work_dir=scratch, args=["-e", f"@{vars_file}"])
    calls = recorder.stop(cloud.endpoint)
    if run.returncode != 0:
        raise RuntimeError(f"{impl} alarms failed: {run.explain()}")
    summary = recorder.summarise(calls)
    # A looped task is one result with the items under "results"; count it once, as the recap does.
    changed = sum(1 for _, _, result in run.task_results() if result.get("changed"))
    row = Row(impl, run.seconds, changed, summary["total"], summary["mutating"], summary["read"])
    return row, summary


def noop(cloud: LocalCloud, scratch: Path, impl: str, repeats: int) -> tuple[Row, dict]:
    """The median of several no-op runs, so one slow start does not decide the comparison."""
    runs = [play(cloud, scratch, impl) for _ in range(repeats)]
    row, summary = sorted(runs, key=lambda run: run[0].seconds)[repeats // 2]
    row.changed = max(r.changed for r, _ in runs)
    row.seconds = statistics.median(r.seconds for r, _ in runs)
    return row, summary


def _ops(summary: dict) -> str:
    return ", ".join(f"{op.split(':')[-1]} {n}" for op, n in sorted(summary["by_operation"].items()))


def drift(cloud: LocalCloud, name: str) -> None:
    """Raise one alarm's threshold out of band, as a console user would."""
    cloudwatch = cloud.client("cloudwatch")
    alarm = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]
    keep = [
        "AlarmName",
        "AlarmDescription",
        "ActionsEnabled",
        "AlarmActions",
        "MetricName",
        "Namespace",
        "Statistic",
        "Dimensions",
        "Period",
        "EvaluationPeriods",
        "DatapointsToAlarm",
        "ComparisonOperator",
        "TreatMissingData",
    ]
    cloudwatch.put_metric_alarm(**{k: alarm[k] for k in keep if alarm.get(k) is not None}, Threshold=12345.0)


def run(cloud: LocalCloud, scratch: Path) -> tuple[list[Row], list[Target], dict]:
    cloud.reset()
    scratch.mkdir(parents=True, exist_ok=True)
    rows, details = [], {}
    for impl, repeats in (("ours", NOOP_REPEATS), ("stock", 1)):
        create, details[f"{impl} create"] = play(cloud, scratch, impl)
        create.run = f"{impl}: create {COUNT} alarms"
        create.note = ("1 task; " if impl == "ours" else f"{COUNT} looped tasks; ") + _ops(details[f"{impl} create"])
        again, details[f"{impl} no-op"] = noop(cloud, scratch, impl, repeats)
        again.run = f"{impl}: no-op re-run"
        again.note = (f"median of {repeats}; " if repeats > 1 else "one run; ") + _ops(details[f"{impl} no-op"])
        rows += [create, again]
    drift(cloud, ours_alarms("bench-ours-")[7]["name"])
    drifted, details["ours after drift"] = play(cloud, scratch, "ours")
    drifted.run = "ours: after a threshold changed out of band"
    drifted.note = ("drift reported and put back; " if drifted.changed else "drift NOT reported; ") + _ops(
        details["ours after drift"]
    )
    rows.append(drifted)
    ours_create, ours_noop, stock_create, stock_noop = rows[:4]
    targets = [
        Target("ours no-op changed tasks", ours_noop.changed, 0),
        Target("ours no-op mutating calls", ours_noop.mutating, 0),
        Target("ours no-op API calls (30 alarms)", ours_noop.calls, 3),
        Target(
            "stock no-op wall / ours no-op wall",
            stock_noop.seconds / ours_noop.seconds,
            10.0,
            higher_is_worse=False,
            shown=f"{stock_noop.seconds / ours_noop.seconds:.1f}",
        ),
        Target(
            "stock create wall / ours create wall",
            stock_create.seconds / ours_create.seconds,
            3.0,
            higher_is_worse=False,
            shown=f"{stock_create.seconds / ours_create.seconds:.1f}",
        ),
        Target("ours reports the out-of-band drift (changed tasks)", drifted.changed, 1, higher_is_worse=False),
    ]
    return rows, targets, details


SUITE = ("Alarms: securecloud.monitor.cloudwatch_alarm_set vs 30 amazon.aws.cloudwatch_metric_alarm tasks", run)
