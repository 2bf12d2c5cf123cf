"""Several environments in one compliance run, each in its own emulated account and region, reached by assuming a
role (securecloud_aws_assume_role_arn): the run fans out over them and reports each with its own account. Nothing
is deployed here, so every environment must fail SCM.BASE.1 in its own account; the many-environment deployment
itself is exercised by `make bench` (suite compliance) and `make deploy INVENTORY=inventories/local-many`."""

from __future__ import annotations

import json

import yaml

from tools.harness.environments import account_id, environments, write_inventory
from tools.harness.playbook import REPO, run_playbook


def compliance(cloud, tmp_path, inventory, *args):
    return run_playbook(
        "playbooks/compliance.yml",
        endpoint=cloud.endpoint,
        work_dir=tmp_path / "work",
        inventory=str(inventory),
        args=["-e", f"compliance_report_path={tmp_path / 'reports'}", *args],
    )


def test_each_environment_is_checked_in_its_own_account_and_region(module_cloud, tmp_path):
    hosts = environments(3)
    inventory = write_inventory(tmp_path / "inventory", hosts)

    run = compliance(module_cloud, tmp_path, inventory)

    assert run.returncode == 2, run.explain()
    report = json.loads((tmp_path / "reports" / "compliance.json").read_text())
    seen = {e["name"]: (e["account_id"], e["region"]) for e in report["environments"]}
    assert seen == {
        name: (account_id(i), host["securecloud_aws_region"])
        for i, (name, host) in enumerate(sorted(hosts.items()), start=1)
    }
    for environment in report["environments"]:
        failed = {c["id"] for c in environment["controls"] if c["status"] == "failed"}
        assert "SCM.BASE.1" in failed, (environment["name"], failed)


def test_a_role_that_is_not_an_arn_is_refused_before_any_check(module_cloud, tmp_path):
    hosts = {
        "broken": {"securecloud_aws_region": "us-east-1", "securecloud_aws_assume_role_arn": "securecloud-deployer"}
    }
    inventory = write_inventory(tmp_path / "inventory", hosts)

    run = compliance(module_cloud, tmp_path, inventory)

    assert run.returncode != 0
    assert not any("Terraform" in name for name, _, _ in run.task_results())
    assert "securecloud_aws_assume_role_arn is 'securecloud-deployer', not an IAM role ARN" in json.dumps(run.output)


def test_the_example_inventory_puts_each_environment_in_its_own_account():
    hosts = yaml.safe_load((REPO / "inventories" / "local-many" / "hosts.yml").read_text())
    declared = hosts["all"]["children"]["local_cloud"]["hosts"]
    roles = [h.get("securecloud_aws_assume_role_arn", "default account") for h in declared.values()]
    regions = [h["securecloud_aws_region"] for h in declared.values()]
    assert len(set(roles)) == len(declared) > 1 and len(set(regions)) == len(declared)
