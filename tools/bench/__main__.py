"""`make bench`: every benchmark suite, measured in one run on a fresh local cloud,
printed as tables; raw figures go to bench-results/."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from tools.bench import base_layer, waf
from tools.bench.table import render
from tools.harness.cloud import LocalCloud
from tools.harness.playbook import REPO

SUITES = {
    "base": ("Base layer through Ansible vs Terraform alone; the whole site.yml", base_layer.run),
    "waf": ("WAF: securecloud.monitor.wafv2_web_acl vs community.aws.wafv2_web_acl (10-rule ACL)", waf.run),
    "alarms": __import__("tools.bench.alarms", fromlist=["SUITE"]).SUITE,
    "pipeline": __import__("tools.bench.pipeline", fromlist=["SUITE"]).SUITE,
    "compliance": __import__("tools.bench.compliance", fromlist=["SUITE"]).SUITE,
    "edge": __import__("tools.bench.edge", fromlist=["SUITE"]).SUITE,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("suites", nargs="*", help="suites to run (default: all)")
    parser.add_argument("--results", type=Path, default=REPO / "bench-results")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    unknown = set(args.suites) - set(SUITES)
    if unknown:
        parser.error(f"unknown suite(s) {sorted(unknown)}; choose from {sorted(SUITES)}")
    args.results.mkdir(parents=True, exist_ok=True)
    missed = 0
    with (
        tempfile.TemporaryDirectory(prefix="securecloud-bench-") as scratch,
        LocalCloud(Path(scratch) / "localcloud") as cloud,
    ):
        for name in args.suites or SUITES:
            title, suite = SUITES[name]
            rows, targets, details = suite(cloud, Path(scratch) / name)
            print(render(title, rows, targets), flush=True)
            print()
            missed += sum(not t.met for t in targets)
            (args.results / f"{name}.json").write_text(
                json.dumps(
                    {
                        "rows": [vars(r) for r in rows],
                        "targets": [vars(t) | {"met": t.met} for t in targets],
                        "calls": details,
                    },
                    indent=2,
                )
            )
    print(f"raw figures: {args.results}/")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
