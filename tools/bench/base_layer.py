"""The base layer: what site.yml adds on top of a plain Terraform apply, and
what a no-op re-run costs. API calls come from the emulator's own recorder."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

from tools.bench.table import Row, Target
from tools.harness import recorder
from tools.harness.cloud import REGION, LocalCloud
from tools.harness.playbook import REPO, run_playbook, run_terraform

ENVIRONMENT = "dev"


def _terraform(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    result = run_terraform(workdir, *args)
    if result.returncode != 0:
        raise RuntimeError(f"terraform {' '.join(args)} failed: {result.stderr[-3000:]}")
    return result


def managed_resources(workdir: Path) -> int:
    listed = _terraform(workdir, "state", "list").stdout.split()
    return len([address for address in listed if not (address.startswith("data.") or ".data." in address)])


def ansible_managed_resources(cloud: LocalCloud) -> int:
    """AWS objects the Ansible-managed layers keep (not in Terraform state), counted in the cloud itself:
    web ACLs with their associations and logging configurations, IP sets, WAF log groups, the Shield
    subscription and its settings, protections, groups, the DRT role with its policy attachment, alarms,
    dashboards, and SNS topics with their subscriptions."""
    wafv2, shield, iam = cloud.client("wafv2"), cloud.client("shield"), cloud.client("iam")
    count = 0
    for acl in wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"]:
        count += 1
        for kind in ("API_GATEWAY", "APPLICATION_LOAD_BALANCER"):
            count += len(wafv2.list_resources_for_web_acl(WebACLArn=acl["ARN"], ResourceType=kind)["ResourceArns"])
    count += len(wafv2.list_logging_configurations(Scope="REGIONAL").get("LoggingConfigurations", []))
    count += len(wafv2.list_ip_sets(Scope="REGIONAL")["IPSets"])
    count += len(cloud.client("logs").describe_log_groups(logGroupNamePrefix="aws-waf-logs-")["logGroups"])
    if shield.get_subscription_state()["SubscriptionState"] == "ACTIVE":
        drt = shield.describe_drt_access()
        subscription = shield.describe_subscription()["Subscription"]
        count += 1 + len(shield.list_protections()["Protections"])
        count += len(shield.list_protection_groups()["ProtectionGroups"])
        count += bool(drt.get("RoleArn")) + len(drt.get("LogBucketList", []))
        count += bool(shield.describe_emergency_contact_settings().get("EmergencyContactList"))
        count += "ProactiveEngagementStatus" in subscription
    cloudwatch = cloud.client("cloudwatch")
    alarms = cloudwatch.describe_alarms(AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    count += len(alarms["MetricAlarms"]) + len(alarms["CompositeAlarms"])
    count += len(cloudwatch.list_dashboards()["DashboardEntries"])
    for topic in cloud.client("sns").list_topics()["Topics"]:
        count += 1 + len(cloud.client("sns").list_subscriptions_by_topic(TopicArn=topic["TopicArn"])["Subscriptions"])
    for role in iam.list_roles()["Roles"]:
        if role["RoleName"].endswith("-shield-drt"):
            count += 1 + len(iam.list_attached_role_policies(RoleName=role["RoleName"])["AttachedPolicies"])
    return count


def terraform_only(cloud: LocalCloud, scratch: Path) -> Row:
    """terraform init + apply of the same stack and variables, nothing else."""
    workdir = scratch / "terraform-only"
    shutil.copytree(REPO / "terraform", workdir, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    tfvars = {
        "environment": ENVIRONMENT,
        "aws_region": REGION,
        "aws_endpoint_url": cloud.endpoint,
        "secret_recovery_window_days": 0,
        "tags": {"securecloud:environment": ENVIRONMENT},
    }
    (workdir / "bench.auto.tfvars.json").write_text(json.dumps(tfvars))
    recorder.start(cloud.endpoint)
    started = time.monotonic()
    _terraform(workdir, "init", "-input=false", "-no-color")
    _terraform(workdir, "apply", "-auto-approve", "-input=false", "-no-color")
    seconds = time.monotonic() - started
    calls = recorder.summarise(recorder.stop(cloud.endpoint))
    return Row(
        "terraform init+apply only",
        seconds,
        None,
        calls["total"],
        calls["mutating"],
        calls["read"],
        f"{managed_resources(workdir)} resources",
    )


def terraform_plan_only(cloud: LocalCloud, scratch: Path) -> tuple[Row, dict]:
    """terraform plan of the stack terraform_only applied, with no change to make: the AWS provider's own refresh,
    the floor of what any no-op run of this stack reads."""
    workdir = scratch / "terraform-only"
    recorder.start(cloud.endpoint)
    started = time.monotonic()
    plan = run_terraform(workdir, "plan", "-detailed-exitcode", "-input=false", "-no-color")
    seconds = time.monotonic() - started
    calls = recorder.summarise(recorder.stop(cloud.endpoint))
    if plan.returncode != 0:
        raise RuntimeError(f"terraform plan after apply: exit {plan.returncode}: {plan.stdout[-3000:]}{plan.stderr}")
    resources = managed_resources(workdir)
    row = Row("terraform plan only (no change)", seconds, None, calls["total"], calls["mutating"], calls["read"])
    row.note = f"{calls['read'] / resources:.2f} reads per managed resource: the AWS provider's refresh"
    return row, calls


def play(cloud: LocalCloud, work_dir: Path, playbook: str, label: str) -> tuple[Row, dict]:
    recorder.start(cloud.endpoint)
    run = run_playbook(playbook, endpoint=cloud.endpoint, work_dir=work_dir)
    calls = recorder.summarise(recorder.stop(cloud.endpoint))
    if run.returncode != 0:
        raise RuntimeError(f"{playbook} ({label}) failed: {run.explain()}")
    return Row(label, run.seconds, run.total("changed"), calls["total"], calls["mutating"], calls["read"]), calls


def run(cloud: LocalCloud, scratch: Path) -> tuple[list[Row], list[Target], dict]:
    """The base layer through Ansible (playbooks/base.yml) against Terraform alone, which is what the targets
    are about; then the whole site.yml (every layer) for the record, on a fresh cloud each."""
    cloud.reset()
    tf_row = terraform_only(cloud, scratch)
    tf_plan_row, tf_plan_calls = terraform_plan_only(cloud, scratch)
    cloud.reset()
    work_dir = scratch / "base"
    cold, cold_calls = play(cloud, work_dir, "playbooks/base.yml", "base.yml cold")
    noop, noop_calls = play(cloud, work_dir, "playbooks/base.yml", "base.yml no-op re-run")
    resources = managed_resources(work_dir / ENVIRONMENT / "terraform")
    noop.note = (
        f"{noop.read / resources:.2f} reads per managed resource ({resources}); "
        f"{noop.read - tf_plan_row.read} more than the provider's refresh"
    )
    cold.note = f"{cold.seconds / tf_row.seconds:.2f}x the Terraform-only apply"

    cloud.reset()
    work_dir = scratch / "site"
    site_cold, site_cold_calls = play(cloud, work_dir, "site.yml", "site.yml cold (every layer)")
    site_noop, site_noop_calls = play(cloud, work_dir, "site.yml", "site.yml no-op re-run")
    terraform_resources = managed_resources(work_dir / ENVIRONMENT / "terraform")
    all_resources = terraform_resources + ansible_managed_resources(cloud)
    site_cold.note = f"{site_cold.seconds / tf_row.seconds:.2f}x the Terraform-only apply"
    site_noop.note = (
        f"{site_noop.read / all_resources:.2f} reads per managed resource ({terraform_resources} in Terraform + "
        f"{all_resources - terraform_resources} by the Ansible layers); "
        f"{site_noop.seconds / site_cold.seconds:.2f} of cold"
    )
    targets = [
        Target(
            "cold base.yml / Terraform-only apply",
            cold.seconds / tf_row.seconds,
            1.3,
            shown=f"{cold.seconds / tf_row.seconds:.2f}x",
        ),
        Target("no-op mutating calls (base.yml)", noop.mutating, 0),
        Target("no-op changed tasks (base.yml)", noop.changed, 0),
        Target("no-op read calls per managed resource (base.yml)", noop.read / resources, 1.5),
        Target("no-op wall time / cold wall time (base.yml)", noop.seconds / cold.seconds, 0.25),
        Target("no-op mutating calls (site.yml)", site_noop.mutating, 0),
        Target("no-op changed tasks (site.yml)", site_noop.changed, 0),
    ]
    details = {
        "terraform plan": tf_plan_calls,
        "base cold": cold_calls,
        "base noop": noop_calls,
        "site cold": site_cold_calls,
        "site noop": site_noop_calls,
        "managed_resources": {"terraform": terraform_resources, "all": all_resources},
    }
    return [tf_row, tf_plan_row, cold, noop, site_cold, site_noop], targets, details
