"""All or nothing, when a write fails all the same (issue 20): a set module's plan of three creations, the second
one denied by the local cloud (a deny fault, as AWS answers a caller whose policy lacks the action), fails the task
naming the resource written and the two not written; the cloud holds exactly the written one (read back with
boto3); the same task without the fault converges, creating only the two missing, and a third run changes nothing.
The same for the modules that remove the members Terraform does not manage (ec2_security_group_rules,
ec2_vpc_managed_members): a removal denied partway names the members removed and those still there.

Each module is run for real through ``ansible`` against one local cloud of this file's own."""

from __future__ import annotations

import pytest

from tests.integration import codepipelines
from tests.integration.module_runs import mutating, run_module
from tests.integration.networks import allow_ingress, network_with_gateway
from tests.integration.test_module_codebuild import trust
from tests.integration.test_module_codedeploy import add_service, build_ecs_blue_green
from tests.integration.test_module_codedeploy_deployment_group_set import group as deployment_group
from tests.integration.test_observability_bad_input import metric_alarm
from tools.harness import recorder

pytestmark = pytest.mark.slow

ACCOUNT = "123456789012"


def alarms(prefix):
    return [metric_alarm(name=f"{prefix}{n}") for n in ("1", "2", "3")]


def budgets(prefix):
    return [{"name": f"{prefix}{n}", "limit_amount": "100"} for n in ("1", "2", "3")]


def sampling_rules(prefix):
    return [
        {"name": f"{prefix}{n}", "priority": 10 + i, "fixed_rate": 0.1, "reservoir_size": 1}
        for i, n in enumerate(("1", "2", "3"))
    ]


def metric_filters(prefix):
    metric = {"metric_name": "Errors", "metric_namespace": "PartialFailure", "metric_value": "1"}
    return [
        {"name": f"{prefix}{n}", "filter_pattern": "ERROR", "metric_transformation": metric} for n in ("1", "2", "3")
    ]


def dashboards(prefix):
    text = {"type": "text", "properties": {"markdown": "partial failure"}}
    return [{"name": f"{prefix}{n}", "widgets": [text]} for n in ("1", "2", "3")]


def codebuild_projects(prefix):
    return [
        {
            "name": f"{prefix}{n}",
            "source": {"type": "NO_SOURCE", "buildspec": "version: 0.2\nphases: {}\n"},
            "artifacts": {"type": "NO_ARTIFACTS"},
            "environment": {"image": "aws/codebuild/standard:7.0", "compute_type": "BUILD_GENERAL1_SMALL"},
            "service_role": f"arn:aws:iam::{ACCOUNT}:role/{prefix}role",
        }
        for n in ("1", "2", "3")
    ]


def ecr_repositories(prefix):
    return [{"name": f"{prefix}{n}", "scan_on_push": True} for n in ("1", "2", "3")]


def pipelines(prefix):
    # The role by name: the module reads the account once (no write) and makes its ARN.
    store = {"location": codepipelines.BUCKET}
    return [
        {
            "name": f"{prefix}{n}",
            "role_arn": codepipelines.ROLE,
            "artifact_store": store,
            "stages": codepipelines.stages(),
        }
        for n in ("1", "2", "3")
    ]


def with_codebuild_role(cloud, prefix):
    """The projects' service role, which the task needs to exist and to trust CodeBuild."""
    cloud.client("iam").create_role(RoleName=f"{prefix}role", AssumeRolePolicyDocument=trust("codebuild.amazonaws.com"))
    return {}


def log_group(prefix):
    return f"/partial-failure/{prefix}"


def with_group(cloud, prefix):
    """The metric filters' log group, which the task needs to exist."""
    cloud.client("logs").create_log_group(logGroupName=log_group(prefix))
    return {"log_group_name": log_group(prefix)}


def groups_from_setup(_prefix):
    """The deployment groups point at ECS services, target groups and listeners: ``ecs_blue_green`` declares them."""
    return []


def ecs_blue_green(cloud, prefix):
    """An application's three deployment groups, each on its own CODE_DEPLOY service (created first)."""
    env = build_ecs_blue_green(cloud, prefix="pf")
    add_service(cloud, env.cluster, "third-app")
    services = ("inventory-app", "billing-app", "third-app")
    declared = [
        deployment_group(env, f"{prefix}{n}", service) for n, service in zip(("1", "2", "3"), services, strict=True)
    ]
    return {"application_name": f"{prefix}services", "deployment_groups": declared}


def with_pipeline_role(cloud, _prefix):
    """The pipelines' service role and artifact bucket."""
    codepipelines.make_role_and_bucket(cloud)
    return {}


def no_setup(_cloud, _prefix):
    return {}


def alarm_names(cloud, prefix):
    found = cloud.client("cloudwatch").describe_alarms(AlarmNamePrefix=prefix)["MetricAlarms"]
    return sorted(a["AlarmName"] for a in found)


def budget_names(cloud, prefix):
    found = cloud.client("budgets").describe_budgets(AccountId=ACCOUNT).get("Budgets", [])
    return sorted(b["BudgetName"] for b in found if b["BudgetName"].startswith(prefix))


def sampling_rule_names(cloud, prefix):
    records = cloud.client("xray").get_sampling_rules()["SamplingRuleRecords"]
    return sorted(r["SamplingRule"]["RuleName"] for r in records if r["SamplingRule"]["RuleName"].startswith(prefix))


def metric_filter_names(cloud, prefix):
    found = cloud.client("logs").describe_metric_filters(logGroupName=log_group(prefix), filterNamePrefix=prefix)
    return sorted(f["filterName"] for f in found["metricFilters"])


def deployment_group_names(cloud, prefix):
    found = cloud.client("codedeploy").list_deployment_groups(applicationName=f"{prefix}services")
    return sorted(found["deploymentGroups"])


def repository_names(cloud, prefix):
    found = cloud.client("ecr").describe_repositories()["repositories"]
    return sorted(r["repositoryName"] for r in found if r["repositoryName"].startswith(prefix))


def pipeline_names(cloud, prefix):
    found = cloud.client("codepipeline").list_pipelines()["pipelines"]
    return sorted(p["name"] for p in found if p["name"].startswith(prefix))


def project_names(cloud, prefix):
    return sorted(n for n in cloud.client("codebuild").list_projects().get("projects", []) if n.startswith(prefix))


def dashboard_names(cloud, prefix):
    found = cloud.client("cloudwatch").list_dashboards(DashboardNamePrefix=prefix)["DashboardEntries"]
    return sorted(d["DashboardName"] for d in found)


# (module, the option holding the set, the declared set, the denied operation, the names the cloud holds, what the
# task needs beforehand: its further arguments)
SET_MODULES = [
    ("cloudwatch_alarm_set", "alarms", alarms, "PutMetricAlarm", alarm_names, no_setup),
    ("budgets_budget_set", "budgets", budgets, "CreateBudget", budget_names, no_setup),
    ("ecr_repository_set", "repositories", ecr_repositories, "CreateRepository", repository_names, no_setup),
    ("xray_sampling_rule", "rules", sampling_rules, "CreateSamplingRule", sampling_rule_names, no_setup),
    ("logs_metric_filter_set", "metric_filters", metric_filters, "PutMetricFilter", metric_filter_names, with_group),
    ("cloudwatch_dashboard_set", "dashboards", dashboards, "PutDashboard", dashboard_names, no_setup),
    # CreateApplication comes first, as a write of the first group.
    (
        "codedeploy_deployment_group_set",
        "deployment_groups",
        groups_from_setup,
        "CreateDeploymentGroup",
        deployment_group_names,
        ecs_blue_green,
    ),
    ("codepipeline_pipeline_set", "pipelines", pipelines, "CreatePipeline", pipeline_names, with_pipeline_role),
    ("codebuild_project_set", "projects", codebuild_projects, "CreateProject", project_names, with_codebuild_role),
]


def run(cloud, tmp_path, module, arguments):
    """(exit code, result, the mutating calls the emulator served)."""
    recorder.start(cloud.endpoint)
    returncode, result = run_module(cloud, tmp_path, f"securecloud.monitor.{module}", arguments)
    return returncode, result, mutating(recorder.stop(cloud.endpoint))


def fails_partway(cloud, tmp_path, module, arguments, deny, written, not_written):
    """Run the task with the deny fault ``deny`` set: it fails, naming ``written`` and ``not_written``; its result."""
    cloud.faults(deny=[deny])
    try:
        returncode, result, _calls = run(cloud, tmp_path, module, arguments)
    finally:
        cloud.faults(deny=[])
    assert returncode != 0 and result.get("failed"), result
    assert (result["written"], result["not_written"]) == (written, not_written), result
    assert f"Written: {', '.join(written)}. Not written: {', '.join(not_written)}." in result["msg"]
    return result


def converges(cloud, tmp_path, module, arguments):
    """Run the task without the fault (it changes something), then again (it changes nothing and makes no mutating
    call): the mutating calls of the first run."""
    returncode, result, calls = run(cloud, tmp_path, module, arguments)
    assert returncode == 0 and result["changed"] is True, result
    returncode, result, again = run(cloud, tmp_path, module, arguments)
    assert returncode == 0 and result["changed"] is False and again == [], result
    return calls


@pytest.mark.parametrize(("module", "option", "declare", "operation", "held", "setup"), SET_MODULES)
def test_a_write_denied_midway_names_what_was_written_and_a_rerun_converges(
    module_cloud, tmp_path, module, option, declare, operation, held, setup
):
    prefix = f"pf-{module.split('_')[0]}-"
    first, second, third = (f"{prefix}{n}" for n in ("1", "2", "3"))
    arguments = {"prefix": prefix, option: declare(prefix)} | setup(module_cloud, prefix)

    deny = {"operation": operation, "call": 2}
    result = fails_partway(module_cloud, tmp_path, module, arguments, deny, [first], [second, third])
    assert f"Writing {second} failed" in result["msg"] and "AccessDenied" in result["msg"]
    assert held(module_cloud, prefix) == [first]

    calls = converges(module_cloud, tmp_path, module, arguments)
    assert held(module_cloud, prefix) == [first, second, third]
    assert calls == [calls[0]] * 2 and calls[0].endswith(f":{operation}")  # only the two missing are created


def group_rule_ids(cloud, group_id):
    """(the ingress rule IDs, the egress rule IDs) of a security group."""
    found = cloud.client("ec2").describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])
    rules = found["SecurityGroupRules"]
    return [r["SecurityGroupRuleId"] for r in rules if not r["IsEgress"]], [
        r["SecurityGroupRuleId"] for r in rules if r["IsEgress"]
    ]


@pytest.fixture
def three_groups(module_cloud):
    """Three security groups, in ID order, each with a rule added by hand (443 from the VPC) and the allow-all egress
    EC2 gives every new group."""
    ec2 = module_cloud.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    groups = sorted(
        ec2.create_security_group(GroupName=f"pf-{n}", Description="partial failure", VpcId=vpc)["GroupId"]
        for n in range(3)
    )
    https = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.7.0.0/16"}]}
    for group in groups:
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[https])
    yield groups
    for group in groups:
        ec2.delete_security_group(GroupId=group)
    ec2.delete_vpc(VpcId=vpc)


def test_a_revocation_denied_midway_names_the_rules_revoked_and_a_rerun_converges(module_cloud, tmp_path, three_groups):
    # One call per group and direction, groups in ID order, ingress first: the second group's ingress call is denied.
    rules = [group_rule_ids(module_cloud, group) for group in three_groups]
    assert all(len(ingress) == 1 and len(egress) == 1 for ingress, egress in rules)
    first, second, third = (ingress + egress for ingress, egress in rules)
    arguments = {"security_groups": {group: [] for group in three_groups}}

    deny = {"operation": "RevokeSecurityGroupIngress", "call": 2}
    result = fails_partway(module_cloud, tmp_path, "ec2_security_group_rules", arguments, deny, first, second + third)
    assert f"Writing {second[0]} failed" in result["msg"] and "UnauthorizedOperation" in result["msg"]
    assert [group_rule_ids(module_cloud, group) for group in three_groups] == [([], []), *rules[1:]]

    calls = converges(module_cloud, tmp_path, "ec2_security_group_rules", arguments)
    assert sorted(calls) == ["ec2:RevokeSecurityGroupEgress"] * 2 + ["ec2:RevokeSecurityGroupIngress"] * 2
    assert [group_rule_ids(module_cloud, group) for group in three_groups] == [([], [])] * 3


def acl_entries(cloud, acl):
    [found] = cloud.client("ec2").describe_network_acls(NetworkAclIds=[acl])["NetworkAcls"]
    return sorted((e["Egress"], e["RuleNumber"]) for e in found["Entries"])


def routes(cloud, table):
    """The destinations of the table's routes, in the order EC2 lists them, but the local one."""
    [found] = cloud.client("ec2").describe_route_tables(RouteTableIds=[table])["RouteTables"]
    return [r["DestinationCidrBlock"] for r in found["Routes"] if r.get("GatewayId") != "local"]


@pytest.fixture
def added_by_hand(module_cloud):
    """A network ACL with an entry added by hand (ingress 90) and a route table with two routes added by hand."""
    ec2 = module_cloud.client("ec2")
    acl, table, igw = network_with_gateway(ec2, "10.6.0.0/16")
    allow_ingress(ec2, acl, 90, "0.0.0.0/0", 22)
    for destination in ("192.0.2.0/24", "198.51.100.0/24"):
        ec2.create_route(RouteTableId=table, DestinationCidrBlock=destination, GatewayId=igw)
    return acl, table


def test_a_deletion_denied_midway_names_the_members_deleted_and_a_rerun_converges(
    module_cloud, tmp_path, added_by_hand
):
    # ACLs are read before route tables, and each member is one call: the first route's deletion is denied.
    acl, table = added_by_hand
    by_hand = (False, 90)  # ingress:90
    assert by_hand in acl_entries(module_cloud, acl)
    first, second = routes(module_cloud, table)
    arguments = {"network_acls": {acl: []}, "route_tables": {table: []}}

    deny = {"operation": "DeleteRoute", "call": 1}
    written, not_written = [f"{acl} ingress:90"], [f"{table} {first}", f"{table} {second}"]
    result = fails_partway(module_cloud, tmp_path, "ec2_vpc_managed_members", arguments, deny, written, not_written)
    assert f"Writing {table} {first} failed" in result["msg"] and "UnauthorizedOperation" in result["msg"]
    assert by_hand not in acl_entries(module_cloud, acl) and routes(module_cloud, table) == [first, second]

    calls = converges(module_cloud, tmp_path, "ec2_vpc_managed_members", arguments)
    assert calls == ["ec2:DeleteRoute"] * 2
    assert by_hand not in acl_entries(module_cloud, acl) and routes(module_cloud, table) == []
