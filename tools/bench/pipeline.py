"""Our codepipeline_pipeline against community.aws.codepipeline on the same four-stage pipeline (GitHub source
through a CodeStar connection, CodeBuild, manual approval, ECS blue/green), on one local cloud in one run: API
calls from the emulator's recorder (mutating and read), wall time, changed, and the pipeline version before and
after, for a create and for a no-op re-run."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from tests.integration import codepipelines as declared
from tools.bench.table import Row, Target
from tools.harness import recorder
from tools.harness.cloud import LocalCloud
from tools.harness.playbook import run_playbook

PLAYBOOK = "tools/bench/playbooks/pipeline_{impl}.yml"
NOOP_REPEATS = 3


def api_stages(stages: list[dict]) -> list[dict]:
    """The stages in the API's shape, which the stock module takes."""
    return [
        {
            "name": stage["name"],
            "actions": [
                {
                    "name": a["name"],
                    "actionTypeId": {
                        "category": a["category"],
                        "owner": "AWS",
                        "provider": a["provider"],
                        "version": "1",
                    },
                    "runOrder": 1,
                    "configuration": a.get("configuration", {}),
                    "inputArtifacts": [{"name": n} for n in a.get("input_artifacts", [])],
                    "outputArtifacts": [{"name": n} for n in a.get("output_artifacts", [])],
                }
                for a in stage["actions"]
            ],
        }
        for stage in stages
    ]


def version(cloud: LocalCloud, name: str) -> int | None:
    pipelines = {p["name"]: p["version"] for p in cloud.client("codepipeline").list_pipelines()["pipelines"]}
    return pipelines.get(name)


def play(cloud: LocalCloud, scratch: Path, impl: str, role_arn: str) -> tuple[Row, dict]:
    name = f"bench-{impl}"
    stages = declared.stages() if impl == "ours" else api_stages(declared.stages())
    variables = {"pipeline_name": name, "role_arn": role_arn, "bucket": declared.BUCKET, "stages": stages}
    vars_file = scratch / f"{impl}.json"
    vars_file.write_text(json.dumps(variables))
    before = version(cloud, name)
    recorder.start(cloud.endpoint)
    run = run_playbook(
        PLAYBOOK.format(impl=impl), endpoint=cloud.endpoint, work_dir=scratch, args=["-e", f"@{vars_file}"]
    )
    calls = recorder.stop(cloud.endpoint)
    if run.returncode != 0:
        raise RuntimeError(f"{impl} pipeline failed: {run.explain()}")
    summary = recorder.summarise(calls)
    summary["versions"] = [before, version(cloud, name)]
    changed = sum(1 for _, _, result in run.task_results() if result.get("changed"))
    return Row(impl, run.seconds, changed, summary["total"], summary["mutating"], summary["read"]), summary


def noop(cloud: LocalCloud, scratch: Path, impl: str, role_arn: str) -> tuple[Row, dict]:
    """The median of several no-op runs; versions from the first to the last."""
    runs = [play(cloud, scratch, impl, role_arn) for _ in range(NOOP_REPEATS)]
    row, summary = sorted(runs, key=lambda r: r[0].seconds)[NOOP_REPEATS // 2]
    row.seconds = statistics.median(r.seconds for r, _ in runs)
    row.changed = max(r.changed for r, _ in runs)
    row.mutating = max(r.mutating for r, _ in runs)
    summary = dict(summary, versions=[runs[0][1]["versions"][0], runs[-1][1]["versions"][1]])
    return row, summary


def _note(summary: dict) -> str:
    ops = ", ".join(f"{op.split(':')[-1]} {n}" for op, n in sorted(summary["by_operation"].items()))
    first, last = ("absent" if v is None else v for v in summary["versions"])
    return f"version {first} -> {last}; {ops}"


def run(cloud: LocalCloud, scratch: Path) -> tuple[list[Row], list[Target], dict]:
    cloud.reset()
    scratch.mkdir(parents=True, exist_ok=True)
    role_arn = declared.make_role_and_bucket(cloud)
    rows, details = [], {}
    for impl in ("ours", "stock"):
        create, details[f"{impl} create"] = play(cloud, scratch, impl, role_arn)
        create.run, create.note = f"{impl}: create", _note(details[f"{impl} create"])
        again, details[f"{impl} no-op"] = noop(cloud, scratch, impl, role_arn)
        again.run = f"{impl}: no-op re-run x{NOOP_REPEATS}"
        again.note = f"median wall; {_note(details[f'{impl} no-op'])}"
        rows += [create, again]
    ours_noop = rows[1]
    ours_versions = details["ours no-op"]["versions"]
    targets = [
        Target("ours no-op mutating calls", ours_noop.mutating, 0),
        Target("ours no-op changed tasks", ours_noop.changed, 0),
        Target("ours no-op pipeline version bumps", ours_versions[1] - ours_versions[0], 0),
    ]
    return rows, targets, details


SUITE = ("Pipeline: securecloud.monitor.codepipeline_pipeline vs community.aws.codepipeline (4 stages)", run)
