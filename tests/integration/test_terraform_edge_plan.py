"""The edge's domain handling, planned against the local cloud with `terraform test` (terraform/tests/).

The site test's inventory has no domain; these plans cover a created zone, an existing zone, a domain without a
zone (refused), CloudFront off (the regional custom domain) and bad edge variables. Plans only: nothing is
created, so no deployment is added to the suite.
"""

from __future__ import annotations

import shutil

from tools.harness.playbook import REPO, run_terraform


def test_terraform_edge_domain_plans(cloud, tmp_path):
    stack = tmp_path / "terraform"
    shutil.copytree(REPO / "terraform", stack, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    init = run_terraform(stack, "init", "-input=false", "-backend=false")
    assert init.returncode == 0, init.stdout + init.stderr

    result = run_terraform(stack, "test", "-no-color", f"-var=aws_endpoint_url={cloud.endpoint}")

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "5 passed, 0 failed" in result.stdout, result.stdout[-3000:]
