"""Inventories of several environments on one local cloud, each in its own emulated account and region (reached
by assuming a role, as inventories/local-many does), for the multi-environment tests and the compliance bench."""

from __future__ import annotations

from pathlib import Path

import yaml

from tools.harness.playbook import REPO

REGIONS = ("us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-2")


def account_id(index: int) -> str:
    return f"{100000000000 + index:012d}"


def environments(count: int) -> dict[str, dict]:
    """env01..envNN: environment i in account 1000000000ii and the i-th region (cycled)."""
    return {
        f"env{i:02d}": {
            "securecloud_aws_region": REGIONS[(i - 1) % len(REGIONS)],
            "securecloud_aws_assume_role_arn": f"arn:aws:iam::{account_id(i)}:role/securecloud-deployer",
        }
        for i in range(1, count + 1)
    }


def write_inventory(directory: Path, hosts: dict[str, dict]) -> Path:
    """An inventory directory with these hosts and the local inventory's group_vars; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "hosts.yml").write_text(yaml.safe_dump({"all": {"children": {"local_cloud": {"hosts": hosts}}}}))
    link = directory / "group_vars"
    if not link.exists():
        link.symlink_to(REPO / "inventories" / "local" / "group_vars")
    return directory
