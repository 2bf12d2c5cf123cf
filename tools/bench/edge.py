"""What the DDoS edge (CloudFront, Route 53 zone and health checks, the CLOUDFRONT web ACL, Shield's protections,
group and L7 response) costs a site.yml run: a cold deploy and a no-op re-run of the local inventory's environment
with the edge and without it (base_infra_edge_cloudfront_enabled false, no domain), each pair on a reset local
cloud, measured in one run. CPU seconds are ansible-playbook with its module processes and Terraform (our children)
and the local cloud's server process, so the figures hold when the machine's cores are shared."""

from __future__ import annotations

from pathlib import Path

from tools.bench.cpu import children_cpu, cloud_cpu
from tools.bench.table import Row
from tools.harness.cloud import LocalCloud
from tools.harness.playbook import run_playbook

WITHOUT_EDGE = ["-e", "base_infra_edge_cloudfront_enabled=false", "-e", "base_infra_domain_name="]


def _site(cloud: LocalCloud, work_dir: Path, args: list[str]) -> tuple[object, float]:
    ansible_before, cloud_before = children_cpu(), cloud_cpu(cloud)
    run = run_playbook("site.yml", endpoint=cloud.endpoint, work_dir=work_dir, args=args, timeout=3600)
    if run.returncode != 0:
        raise RuntimeError(f"site.yml {' '.join(args)} failed: {run.explain()}")
    return run, (children_cpu() - ansible_before) + (cloud_cpu(cloud) - cloud_before)


def run(cloud: LocalCloud, scratch: Path) -> tuple[list[Row], list, dict]:
    rows, cpu, wall = [], {}, {}
    for label, args in (("without the edge", WITHOUT_EDGE), ("with the edge", [])):
        cloud.reset()
        work_dir = scratch / label.replace(" ", "-")
        for phase in ("cold", "no-op"):
            site, seconds = _site(cloud, work_dir, args)
            cpu[(label, phase)], wall[(label, phase)] = seconds, site.seconds
            rows.append(
                Row(f"site.yml {phase}, {label}", site.seconds, site.total("changed"), note=f"CPU s {seconds:.0f}")
            )
    for phase in ("cold", "no-op"):
        added = cpu[("with the edge", phase)] - cpu[("without the edge", phase)]
        share = added / cpu[("with the edge", phase)]
        wall_added = wall[("with the edge", phase)] - wall[("without the edge", phase)]
        rows.append(
            Row(f"the edge adds, {phase}", wall_added, note=f"+{added:.0f} CPU s ({share:.0%} of the run's CPU)")
        )
    return rows, [], {"cpu_seconds": {f"{label}, {phase}": s for (label, phase), s in cpu.items()}}


SUITE = ("What the DDoS edge adds to site.yml (cold deploy and no-op re-run, with and without it)", run)
