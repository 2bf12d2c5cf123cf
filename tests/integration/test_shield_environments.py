"""Two environments in one account whose names share a prefix, `prod` (us-east-1) and `prod-eu` (eu-west-1), both
Shield-protected by the shield role. Shield Advanced is global: ListProtections returns every protection of the
account, so `prod-eu-...` and a user's own `prod-...` protection are in the name scope `prod-` of `prod`'s run. The
role's run for `prod` (converge, rerun, teardown) must leave them alone: it deletes only protections tagged
`securecloud:environment: prod` (the shield_protection option owner_tag)."""

from __future__ import annotations

import json

import boto3
import pytest
import yaml

from tools.harness import recorder
from tools.harness.playbook import run_playbook

pytestmark = pytest.mark.slow

PLAYBOOK = "tests/integration/targets/roles/shield_environments.yml"
TASK = "Protect every protectable public resource"
ABSENT_TASK = "Remove the environment's protections"


def eip(cloud, region):
    ec2 = boto3.client(
        "ec2", endpoint_url=cloud.endpoint, region_name=region, aws_access_key_id="test", aws_secret_access_key="test"
    )
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    return f"arn:aws:ec2:{region}:123456789012:eip-allocation/{allocation}"


@pytest.fixture(scope="module")
def account(module_cloud, tmp_path_factory):
    """An inventory of two environments in one account, each with an Elastic IP of its region to protect, and an
    Elastic IP for a protection a user makes by hand."""
    arns = {"prod": eip(module_cloud, "us-east-1"), "prod-eu": eip(module_cloud, "eu-west-1")}
    inventory = tmp_path_factory.mktemp("inventory") / "hosts.yml"
    common = {
        "ansible_connection": "local",
        "ansible_python_interpreter": "{{ ansible_playbook_python }}",
        "securecloud_aws_endpoint_url": module_cloud.endpoint,
        "securecloud_aws_access_key": "test",
        "securecloud_aws_secret_key": "test",
        "shield_accept_subscription_commitment": True,
    }
    hosts = {
        "prod": {"securecloud_aws_region": "us-east-1", "shield_test_resource_arns": [arns["prod"]]},
        "prod-eu": {"securecloud_aws_region": "eu-west-1", "shield_test_resource_arns": [arns["prod-eu"]]},
    }
    inventory.write_text(yaml.safe_dump({"all": {"vars": common, "hosts": hosts}}), encoding="utf-8")
    return {"inventory": str(inventory), "arns": arns, "manual": eip(module_cloud, "us-east-1")}


def play(cloud, work_dir, account, host, *args):
    """(the run, the shield_protection task's result for ``host``, the mutating calls the emulator saw)."""
    recorder.start(cloud.endpoint)
    run = run_playbook(
        PLAYBOOK,
        endpoint=cloud.endpoint,
        work_dir=work_dir,
        inventory=account["inventory"],
        args=["--limit", host, *args],
    )
    calls = recorder.stop(cloud.endpoint)
    assert run.returncode == 0, run.explain()
    # The shield_protection task's result (the include of tasks/absent.yml bears the name of absent.yml's task too).
    results = [
        r
        for name, h, r in run.task_results()
        if h == host and name.endswith((TASK, ABSENT_TASK)) and "protections" in r
    ]
    return run, (results[-1] if results else {}), [f"{c.service}:{c.operation}" for c in calls if c.mutating]


def protections(cloud):
    return dict((p["Name"], p["ResourceArn"]) for p in cloud.client("shield").list_protections()["Protections"])


def names(account):
    def name(env, arn):
        return f"{env}-{arn.split(':')[-1].replace('/', '-')}"

    return {env: name(env, arn) for env, arn in account["arns"].items()}


def test_prod_eu_then_a_protection_made_by_hand(module_cloud, tmp_path, account):
    _run, result, _calls = play(module_cloud, tmp_path, account, "prod-eu")
    assert result["changed"] is True
    module_cloud.client("shield").create_protection(Name="prod-manual-eip", ResourceArn=account["manual"])
    assert set(protections(module_cloud)) == {names(account)["prod-eu"], "prod-manual-eip"}


def test_prod_leaves_prod_eu_and_the_users_protection_alone(module_cloud, tmp_path, account):
    _run, result, calls = play(module_cloud, tmp_path, account, "prod")
    assert "shield:DeleteProtection" not in calls, calls
    assert set(protections(module_cloud)) == {names(account)["prod"], names(account)["prod-eu"], "prod-manual-eip"}
    assert result["kept_foreign"] == sorted([names(account)["prod-eu"], "prod-manual-eip"])


def test_prod_rerun_changes_nothing(module_cloud, tmp_path, account):
    run, result, calls = play(module_cloud, tmp_path, account, "prod")
    assert (result["changed"], calls) == (False, []), json.dumps(run.changed_tasks())


def test_prod_teardown_removes_prods_protection_only(module_cloud, tmp_path, account):
    _run, result, calls = play(module_cloud, tmp_path, account, "prod", "-e", "shield_state=absent")
    assert calls.count("shield:DeleteProtection") == 1, calls
    assert result["kept_foreign"] == sorted([names(account)["prod-eu"], "prod-manual-eip"])
    assert set(protections(module_cloud)) == {names(account)["prod-eu"], "prod-manual-eip"}


def test_prod_eu_rerun_changes_nothing(module_cloud, tmp_path, account):
    _run, result, calls = play(module_cloud, tmp_path, account, "prod-eu")
    assert (result["changed"], calls) == (False, [])
