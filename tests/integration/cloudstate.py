"""Read what is really deployed in the local cloud, through boto3 only."""

from __future__ import annotations

from tools.harness.cloud import ACCOUNT_ID, LocalCloud


def non_default_vpcs(cloud: LocalCloud) -> list[dict]:
    return [v for v in cloud.client("ec2").describe_vpcs()["Vpcs"] if not v.get("IsDefault")]


def active_clusters(cloud: LocalCloud) -> list[dict]:
    ecs = cloud.client("ecs")
    arns = ecs.list_clusters()["clusterArns"]
    if not arns:
        return []
    return [c for c in ecs.describe_clusters(clusters=arns)["clusters"] if c["status"] == "ACTIVE"]


def load_balancers(cloud: LocalCloud) -> list[dict]:
    return cloud.client("elbv2").describe_load_balancers()["LoadBalancers"]


def security_groups_by_name(cloud: LocalCloud, vpc_id: str) -> dict[str, dict]:
    groups = cloud.client("ec2").describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    return {g["GroupName"]: g for g in groups["SecurityGroups"]}


def ingress_sources(group: dict) -> list[tuple[int, int, str]]:
    """(from port, to port, source) for every ingress permission; source is a group id or a CIDR."""
    sources = []
    for permission in group.get("IpPermissions", []):
        ports = (permission.get("FromPort", -1), permission.get("ToPort", -1))
        sources += [(*ports, pair["GroupId"]) for pair in permission.get("UserIdGroupPairs", [])]
        sources += [(*ports, r["CidrIp"]) for r in permission.get("IpRanges", [])]
        sources += [(*ports, r["CidrIpv6"]) for r in permission.get("Ipv6Ranges", [])]
    return sources


def log_group_names(cloud: LocalCloud, prefix: str = "") -> list[str]:
    logs = cloud.client("logs")
    names = []
    arguments = {"logGroupNamePrefix": prefix} if prefix else {}
    for page in logs.get_paginator("describe_log_groups").paginate(**arguments):
        names += [g["logGroupName"] for g in page["logGroups"]]
    return names


def shield_state(cloud: LocalCloud) -> dict[str, list]:
    """Shield protections, groups and DRT access; nothing when the account has no subscription."""
    shield = cloud.client("shield")
    if shield.get_subscription_state()["SubscriptionState"] != "ACTIVE":
        return {}
    drt_role = shield.describe_drt_access().get("RoleArn")
    return {
        "shield_protections": [p["Name"] for p in shield.list_protections()["Protections"]],
        "shield_protection_groups": [
            g["ProtectionGroupId"] for g in shield.list_protection_groups()["ProtectionGroups"]
        ],
        "shield_drt_role": [drt_role] if drt_role else [],
    }


def leftovers(cloud: LocalCloud, environment: str) -> dict[str, list]:
    """Everything of the environment still present, per kind; empty lists mean nothing is left."""
    ec2 = cloud.client("ec2")
    iam = cloud.client("iam")
    kms = cloud.client("kms")
    keys = [k["KeyId"] for k in kms.list_keys()["Keys"]]
    return shield_state(cloud) | {
        "vpcs": [v["VpcId"] for v in non_default_vpcs(cloud)],
        "nat_gateways": [
            n["NatGatewayId"] for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] not in ("deleted",)
        ],
        "elastic_ips": [a["AllocationId"] for a in ec2.describe_addresses()["Addresses"]],
        "flow_logs": [f["FlowLogId"] for f in ec2.describe_flow_logs()["FlowLogs"]],
        "ecs_clusters": [c["clusterName"] for c in active_clusters(cloud)],
        "task_definitions": cloud.client("ecs").list_task_definitions(status="ACTIVE")["taskDefinitionArns"],
        "load_balancers": [lb["LoadBalancerName"] for lb in load_balancers(cloud)],
        "target_groups": [t["TargetGroupName"] for t in cloud.client("elbv2").describe_target_groups()["TargetGroups"]],
        "log_groups": log_group_names(cloud),
        "secrets": [s["Name"] for s in cloud.client("secretsmanager").list_secrets()["SecretList"]],
        "rest_apis": [a["name"] for a in cloud.client("apigateway").get_rest_apis()["items"]],
        "vpc_links": [v["name"] for v in cloud.client("apigateway").get_vpc_links()["items"]],
        "namespaces": [n["Name"] for n in cloud.client("servicediscovery").list_namespaces()["Namespaces"]],
        "hosted_zones": [z["Name"] for z in cloud.client("route53").list_hosted_zones()["HostedZones"]],
        "health_checks": [c["Id"] for c in cloud.client("route53").list_health_checks()["HealthChecks"]],
        "distributions": [
            d["Id"] for d in cloud.client("cloudfront").list_distributions()["DistributionList"].get("Items", [])
        ],
        "edge_certificates": [
            c["CertificateArn"]
            for c in cloud.client("acm", region_name="us-east-1").list_certificates()["CertificateSummaryList"]
        ],
        "iam_roles": [r["RoleName"] for r in iam.list_roles()["Roles"] if environment in r["RoleName"]],
        "iam_policies": [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]],
        "web_acls": [a["Name"] for a in cloud.client("wafv2").list_web_acls(Scope="REGIONAL")["WebACLs"]],
        "ip_sets": [i["Name"] for i in cloud.client("wafv2").list_ip_sets(Scope="REGIONAL")["IPSets"]],
        "alarms": [
            a["AlarmName"]
            for kind in ("MetricAlarms", "CompositeAlarms")
            for a in cloud.client("cloudwatch").describe_alarms(AlarmTypes=["MetricAlarm", "CompositeAlarm"])[kind]
        ],
        "dashboards": [d["DashboardName"] for d in cloud.client("cloudwatch").list_dashboards()["DashboardEntries"]],
        "sns_topics": [t["TopicArn"] for t in cloud.client("sns").list_topics()["Topics"]],
        "budgets": [
            b["BudgetName"] for b in cloud.client("budgets").describe_budgets(AccountId=ACCOUNT_ID).get("Budgets", [])
        ],
        "trails": [t["Name"] for t in cloud.client("cloudtrail").describe_trails()["trailList"]],
        "event_rules": [r["Name"] for r in cloud.client("events").list_rules()["Rules"]],
        "inspector_scan_types": [
            kind
            for account in cloud.client("inspector2").batch_get_account_status(accountIds=[ACCOUNT_ID])["accounts"]
            for kind, status in account["resourceState"].items()
            if status["status"] in ("ENABLED", "ENABLING")
        ],
        "buckets": [b["Name"] for b in cloud.client("s3").list_buckets()["Buckets"]],
        "metric_filters": [f["filterName"] for f in cloud.client("logs").describe_metric_filters()["metricFilters"]],
        "xray_sampling_rules": [
            r["SamplingRule"]["RuleName"]
            for r in cloud.client("xray").get_sampling_rules()["SamplingRuleRecords"]
            if r["SamplingRule"]["RuleName"] != "Default"
        ],
        "xray_groups": [
            g["GroupName"] for g in cloud.client("xray").get_groups()["Groups"] if g["GroupName"] != "Default"
        ],
        "xray_encryption": [
            t for t in [cloud.client("xray").get_encryption_config()["EncryptionConfig"]["Type"]] if t != "NONE"
        ],
        "kms_keys_enabled": [
            k for k in keys if kms.describe_key(KeyId=k)["KeyMetadata"]["KeyState"] not in ("PendingDeletion",)
        ],
        **delivery_leftovers(cloud),
    }


def delivery_leftovers(cloud: LocalCloud) -> dict[str, list]:
    return {
        "pipelines": [p["name"] for p in cloud.client("codepipeline").list_pipelines()["pipelines"]],
        "build_projects": cloud.client("codebuild").list_projects()["projects"],
        "codedeploy_applications": cloud.client("codedeploy").list_applications()["applications"],
        "codestar_connections": [
            c["ConnectionName"] for c in cloud.client("codestar-connections").list_connections()["Connections"]
        ],
        "ecr_repositories": [r["repositoryName"] for r in cloud.client("ecr").describe_repositories()["repositories"]],
    }
