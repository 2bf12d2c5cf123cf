"""Out-of-band changes made straight in the local cloud with boto3, as a person in the console would make them, and
what a compliance run must say about each: the role whose check reports it as drift, or the posture control that
fails."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    what: str
    role: str | None = None  # a drifted task of this role
    control: str | None = None  # or a failed result of this posture control
    # What the drift record's diff must show (a value of the change), and whether the resource, read back after
    # remediation, is as declared again.
    shows: str | None = None
    repaired: Callable[[object], bool] | None = None


def stop_trail_logging(cloud, env, outputs):
    cloud.client("cloudtrail").stop_logging(Name=f"{env}-audit")
    return Change("trail logging stopped", role="audit_trail")


def raise_alarm_threshold(cloud, env, outputs):
    cloudwatch = cloud.client("cloudwatch")
    [alarm] = cloudwatch.describe_alarms(AlarmNames=[f"{env}-mon-billing-app-cpu-high"])["MetricAlarms"]
    kept = ("AlarmName", "MetricName", "Namespace", "Statistic", "Dimensions", "Period", "EvaluationPeriods")
    kept += ("ComparisonOperator", "AlarmActions", "OKActions", "AlarmDescription", "TreatMissingData")
    cloudwatch.put_metric_alarm(**{k: alarm[k] for k in kept if k in alarm}, Threshold=99.0)
    return Change("alarm threshold raised", role="monitoring")


def delete_dashboard(cloud, env, outputs):
    cloud.client("cloudwatch").delete_dashboards(DashboardNames=[f"{env}-mon-inventory-app"])
    return Change("service dashboard deleted", role="monitoring")


def change_sampling_rule(cloud, env, outputs):
    xray = cloud.client("xray")
    name = f"{env}-api-gateway"
    declared = _sampling_rate(xray, name)
    xray.update_sampling_rule(SamplingRuleUpdate={"RuleName": name, "FixedRate": 0.5})
    assert declared != 0.5, "the change must differ from the declared rate"

    def repaired(cloud):
        return _sampling_rate(cloud.client("xray"), name) == declared

    return Change("sampling rule rate changed", role="tracing", repaired=repaired)


def _sampling_rate(xray, name) -> float:
    records = xray.get_sampling_rules()["SamplingRuleRecords"]
    return next(r["SamplingRule"]["FixedRate"] for r in records if r["SamplingRule"]["RuleName"] == name)


def _read_web_acl(cloud, name, scope):
    """The web ACL's client and GetWebACL response (CLOUDFRONT-scope ones are in us-east-1)."""
    wafv2 = cloud.client("wafv2", region_name="us-east-1") if scope == "CLOUDFRONT" else cloud.client("wafv2")
    summary = next(a for a in wafv2.list_web_acls(Scope=scope)["WebACLs"] if a["Name"] == name)
    return wafv2, wafv2.get_web_acl(Name=name, Scope=scope, Id=summary["Id"])


def _remove_web_acl_rules(cloud, name, scope, drop: Callable[[dict], bool]) -> None:
    """Write the web ACL back without the rules ``drop`` picks (as the console does: read, then the lock token)."""
    wafv2, response = _read_web_acl(cloud, name, scope)
    acl = response["WebACL"]
    rules = [rule for rule in acl["Rules"] if not drop(rule)]
    assert len(rules) == len(acl["Rules"]) - 1, f"the web ACL {name} has no such rule to remove"
    wafv2.update_web_acl(
        Name=name,
        Scope=scope,
        Id=acl["Id"],
        DefaultAction=acl["DefaultAction"],
        Rules=rules,
        VisibilityConfig=acl["VisibilityConfig"],
        LockToken=response["LockToken"],
    )


def _web_acl_rule_names(cloud, name, scope) -> set[str]:
    return {rule["Name"] for rule in _read_web_acl(cloud, name, scope)[1]["WebACL"]["Rules"]}


def delete_waf_rule(cloud, env, outputs):
    rule = "AWSManagedRulesSQLiRuleSet"
    _remove_web_acl_rules(cloud, f"{env}-edge", "REGIONAL", lambda found: found["Name"] == rule)
    return Change(
        "WAF rule deleted",
        role="waf",
        repaired=lambda cloud: rule in _web_acl_rule_names(cloud, f"{env}-edge", "REGIONAL"),
    )


def detach_web_acl(cloud, env, outputs):
    cloud.client("wafv2").disassociate_web_acl(ResourceArn=outputs["api_gateway"]["stage_arn"])
    return Change("web ACL detached from the API stage", role="waf")


def open_database_to_the_world(cloud, env, outputs):
    group = outputs["databases"]["billing-db"]["security_group_id"]
    cloud.client("ec2").authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    # The services' egress is limited to their targets, so no path appears (SCM.NET.1); the open rule itself fails,
    # and base_infra reports the rule Terraform does not manage as drift.
    return Change("billing-db open to 0.0.0.0/0", role="base_infra", control="SCM.SG.1")


def delete_flow_logs(cloud, env, outputs):
    ec2 = cloud.client("ec2")
    logs = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [outputs["vpc_id"]]}])["FlowLogs"]
    ec2.delete_flow_logs(FlowLogIds=[log["FlowLogId"] for log in logs])
    return Change("VPC flow logs deleted", role="base_infra")


def make_trail_bucket_public(cloud, env, outputs):
    trail = cloud.client("cloudtrail").describe_trails(trailNameList=[f"{env}-audit"])["trailList"][0]
    bucket = trail["S3BucketName"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
        ],
    }
    cloud.client("s3").put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    return Change("trail bucket policy made public", role="audit_trail")


def delete_inspector_rule(cloud, env, outputs):
    events = cloud.client("events")
    rule = f"{env}-inspector-findings"
    targets = [t["Id"] for t in events.list_targets_by_rule(Rule=rule)["Targets"]]
    events.remove_targets(Rule=rule, Ids=targets)
    events.delete_rule(Name=rule)

    def repaired(cloud):
        events = cloud.client("events")
        found = [r["Name"] for r in events.list_rules(NamePrefix=rule)["Rules"]]
        return found == [rule] and sorted(t["Id"] for t in events.list_targets_by_rule(Rule=rule)["Targets"]) == sorted(
            targets
        )

    return Change("Inspector findings rule deleted", role="inspector", repaired=repaired)


def change_pipeline_branch(cloud, env, outputs):
    codepipeline = cloud.client("codepipeline")
    pipeline = codepipeline.get_pipeline(name=f"{env}-infrastructure")["pipeline"]
    source = pipeline["stages"][0]["actions"][0]["configuration"]
    declared = source["BranchName"]
    assert declared != "hotfix", "the change must differ from the declared branch"
    source["BranchName"] = "hotfix"
    codepipeline.update_pipeline(pipeline=pipeline)

    def repaired(cloud):
        found = cloud.client("codepipeline").get_pipeline(name=f"{env}-infrastructure")["pipeline"]
        return found["stages"][0]["actions"][0]["configuration"]["BranchName"] == declared

    return Change("infrastructure pipeline branch changed", role="delivery_pipeline", repaired=repaired)


def _log_group(cloud, name):
    found = cloud.client("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    return next(group for group in found if group["logGroupName"] == name)


def _shorten_retention(cloud, name, days, what, role):
    declared = _log_group(cloud, name).get("retentionInDays")
    cloud.client("logs").put_retention_policy(logGroupName=name, retentionInDays=days)

    def repaired(c):
        return _log_group(c, name).get("retentionInDays") == declared

    return Change(what, role=role, shows=f'"retention": {days}', repaired=repaired)


def shorten_trail_log_retention(cloud, env, outputs):
    return _shorten_retention(cloud, f"/aws/cloudtrail/{env}", 7, "trail log group retention shortened", "audit_trail")


def shorten_waf_log_retention(cloud, env, outputs):
    # The check mode of the stock log group module set this back in a compliance run without remediation.
    return _shorten_retention(cloud, f"aws-waf-logs-{env}", 1, "WAF log group retention shortened", "waf")


def _cis_filter(cloud, env):
    name = f"{env}-cis-root-account-usage"
    found = cloud.client("logs").describe_metric_filters(logGroupName=f"/aws/cloudtrail/{env}", filterNamePrefix=name)[
        "metricFilters"
    ]
    return [f for f in found if f["filterName"] == name]


def weaken_cis_filter_pattern(cloud, env, outputs):
    [declared] = _cis_filter(cloud, env)
    cloud.client("logs").put_metric_filter(
        logGroupName=f"/aws/cloudtrail/{env}",
        filterName=declared["filterName"],
        filterPattern='{ $.userIdentity.type = "NobodyAtAll" }',
        metricTransformations=declared["metricTransformations"],
    )
    return Change(
        "CIS root account usage filter pattern changed",
        role="audit_trail",
        shows="NobodyAtAll",
        repaired=lambda c: [f["filterPattern"] for f in _cis_filter(c, env)] == [declared["filterPattern"]],
    )


def _insights(cloud, cluster):
    [found] = cloud.client("ecs").describe_clusters(clusters=[cluster], include=["SETTINGS"])["clusters"]
    return {s["name"]: s["value"] for s in found["settings"]}.get("containerInsights")


def disable_container_insights(cloud, env, outputs):
    cluster = outputs["ecs_cluster_name"]
    declared = _insights(cloud, cluster)
    cloud.client("ecs").update_cluster_settings(
        cluster=cluster, settings=[{"name": "containerInsights", "value": "disabled"}]
    )
    return Change(
        "ECS Container Insights disabled",
        role="base_infra",
        shows='"disabled"',
        repaired=lambda c: _insights(c, cluster) == declared,
    )


def _repository(cloud, env):
    ecr = cloud.client("ecr")
    return next(r for r in ecr.describe_repositories()["repositories"] if env in r["repositoryName"])


def loosen_ecr_repository(cloud, env, outputs):
    repository = _repository(cloud, env)
    name = repository["repositoryName"]
    ecr = cloud.client("ecr")
    ecr.put_image_tag_mutability(repositoryName=name, imageTagMutability="MUTABLE")
    ecr.put_image_scanning_configuration(repositoryName=name, imageScanningConfiguration={"scanOnPush": False})
    ecr.delete_lifecycle_policy(repositoryName=name)

    def repaired(c):
        now = next(r for r in c.client("ecr").describe_repositories()["repositories"] if r["repositoryName"] == name)
        kept = c.client("ecr").get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"]
        return (now["imageTagMutability"], now["imageScanningConfiguration"]["scanOnPush"], bool(kept)) == (
            repository["imageTagMutability"],
            True,
            True,
        )

    return Change(
        "ECR tags made mutable, scan on push off, lifecycle deleted", "delivery_pipeline", None, '"MUTABLE"', repaired
    )


def _first(mapping):
    return sorted(mapping)[0]


def add_nacl_entry(cloud, env, outputs):
    acl = _first(outputs["network_acl_entries"])
    cloud.client("ec2").create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=90,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="0.0.0.0/0",
        PortRange={"From": 22, "To": 22},
    )

    def repaired(c):
        [found] = c.client("ec2").describe_network_acls(NetworkAclIds=[acl])["NetworkAcls"]
        return not [e for e in found["Entries"] if e["RuleNumber"] == 90 and not e["Egress"]]

    return Change("network ACL entry 90 opens SSH to the world", "base_infra", None, "ingress:90", repaired)


def add_route(cloud, env, outputs):
    table = _first(outputs["route_destinations"])
    ec2 = cloud.client("ec2")
    [found] = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"]
    target = next(r for r in found["Routes"] if r.get("GatewayId", "local") != "local" or r.get("NatGatewayId"))
    via = {"NatGatewayId": target["NatGatewayId"]} if target.get("NatGatewayId") else {"GatewayId": target["GatewayId"]}
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="192.0.2.0/24", **via)

    def repaired(c):
        [now] = c.client("ec2").describe_route_tables(RouteTableIds=[table])["RouteTables"]
        return "192.0.2.0/24" not in [r.get("DestinationCidrBlock") for r in now["Routes"]]

    return Change("route to 192.0.2.0/24 added", "base_infra", None, "192.0.2.0/24", repaired)


def _role_name(arn):
    return arn.rsplit("/", 1)[-1]


def add_inline_policy_to_task_role(cloud, env, outputs):
    role = _role_name(outputs["services"]["billing-app"]["task_role_arn"])
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    cloud.client("iam").put_role_policy(RoleName=role, PolicyName="debug-s3", PolicyDocument=json.dumps(document))

    def repaired(c):
        return "debug-s3" not in c.client("iam").list_role_policies(RoleName=role)["PolicyNames"]

    return Change("inline policy added to the billing-app task role", "base_infra", None, "debug-s3", repaired)


def attach_policy_to_execution_role(cloud, env, outputs):
    role = _role_name(outputs["services"]["inventory-app"]["execution_role_arn"])
    iam = cloud.client("iam")
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}
    arn = iam.create_policy(PolicyName=f"{env}-oob-ecr-admin", PolicyDocument=json.dumps(document))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=role, PolicyArn=arn)

    def repaired(c):
        attached = c.client("iam").list_attached_role_policies(RoleName=role)["AttachedPolicies"]
        return arn not in [p["PolicyArn"] for p in attached]

    return Change(
        "managed policy attached to the inventory-app execution role", "base_infra", None, "oob-ecr-admin", repaired
    )


def lower_database_backup_retention(cloud, env, outputs):
    cloud.client("rds").modify_db_instance(
        DBInstanceIdentifier=outputs["databases"]["inventory-db"]["identifier"],
        BackupRetentionPeriod=1,
        ApplyImmediately=True,
    )
    return Change("inventory-db backup retention lowered to 1 day", role="base_infra", control="SCM.DATA.6")


def turn_database_deletion_protection_off(cloud, env, outputs):
    cloud.client("rds").modify_db_instance(
        DBInstanceIdentifier=outputs["databases"]["billing-db"]["identifier"],
        DeletionProtection=False,
        ApplyImmediately=True,
    )
    return Change("billing-db deletion protection off", role="base_infra", control="SCM.DATA.4")


def make_database_public(cloud, env, outputs):
    cloud.client("rds").modify_db_instance(
        DBInstanceIdentifier=outputs["databases"]["inventory-db"]["identifier"],
        PubliclyAccessible=True,
        ApplyImmediately=True,
    )
    return Change("inventory-db made publicly accessible", role="base_infra", control="SCM.DATA.1")


def loosen_file_system_policy(cloud, env, outputs):
    fs = outputs["file_systems"]["data"]
    everyone = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "elasticfilesystem:*", "Resource": fs["arn"]}
    cloud.client("efs").put_file_system_policy(
        FileSystemId=fs["id"], Policy=json.dumps({"Version": "2012-10-17", "Statement": [everyone]})
    )
    return Change("file system policy loosened (no TLS, anyone)", role="base_infra", control="SCM.DATA.9")


def delete_zone_protection(cloud, env, outputs):
    # The zone's, not the distribution's: the distribution's protection carries the L7 response another change
    # turns off.
    shield = cloud.client("shield")
    zone = outputs["route53_zone"]["zone_arn"]
    [protection] = [p for p in shield.list_protections()["Protections"] if p["ResourceArn"] == zone]
    shield.delete_protection(ProtectionId=protection["Id"])
    return Change("Shield protection of the hosted zone deleted", role="shield", control="SCM.SHIELD.1")


def _change_distribution(cloud, outputs, **changes) -> str:
    """Write the distribution's configuration back with ``changes`` (as the console does: read, then IfMatch)."""
    cloudfront = cloud.client("cloudfront")
    distribution = outputs["cloudfront"]["distribution_id"]
    current = cloudfront.get_distribution_config(Id=distribution)
    config = current["DistributionConfig"] | changes
    cloudfront.update_distribution(Id=distribution, IfMatch=current["ETag"], DistributionConfig=config)
    return distribution


def remove_edge_web_acl(cloud, env, outputs):
    _change_distribution(cloud, outputs, WebACLId="")
    # The waf role sets the ACL on the distribution (Terraform ignores web_acl_id), so the waf role sees it.
    return Change("edge web ACL removed from the distribution", role="waf", control="SCM.EDGE.2")


def widen_distribution_price_class(cloud, env, outputs):
    # Terraform owns the price class, so its plan shows the whole distribution, with the secret origin header in
    # it: the compliance run must report the drift without quoting the header's value (terraform_stack masks it).
    distribution = _change_distribution(cloud, outputs, PriceClass="PriceClass_All")

    def repaired(cloud):
        config = cloud.client("cloudfront").get_distribution_config(Id=distribution)["DistributionConfig"]
        return config["PriceClass"] == "PriceClass_100"  # the stack's default (edge_cloudfront_price_class)

    return Change("distribution price class widened", role="base_infra", shows="PriceClass_All", repaired=repaired)


def delete_health_check(cloud, env, outputs):
    # The CALCULATED edge health check, the one Shield's protections use (its children cannot be deleted while it
    # lists them: HealthCheckInUse). Terraform owns it, so its plan shows it missing; the base layer recreates it and
    # the shield role associates the new one.
    cloud.client("route53").delete_health_check(HealthCheckId=outputs["health_checks"]["edge"]["id"])
    return Change("Route 53 health check edge deleted", role="base_infra")


def remove_origin_header_rule(cloud, env, outputs):
    _remove_web_acl_rules(cloud, f"{env}-edge", "REGIONAL", lambda rule: rule["Name"] == "origin-verify")
    return Change("origin-verify rule removed from the regional web ACL", role="waf")


def delete_edge_rate_rule(cloud, env, outputs):
    # The CLOUDFRONT-scope web ACL lives in us-east-1 whatever the environment's region.
    _remove_web_acl_rules(
        cloud, f"{env}-edge-cloudfront", "CLOUDFRONT", lambda rule: "RateBasedStatement" in rule["Statement"]
    )
    return Change("per-IP rate rule removed from the CLOUDFRONT web ACL", role="waf", shows="rate-limit-per-ip")


def delete_domain_alias_record(cloud, env, outputs):
    # Terraform owns the alias records to the distribution: its plan shows the A record missing.
    route53 = cloud.client("route53")
    zone = outputs["route53_zone"]
    records = route53.list_resource_record_sets(HostedZoneId=zone["zone_id"])["ResourceRecordSets"]
    [record] = [r for r in records if r["Type"] == "A" and r["Name"] == zone["name"].rstrip(".") + "."]
    route53.change_resource_record_sets(
        HostedZoneId=zone["zone_id"], ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": record}]}
    )

    def repaired(cloud):
        found = cloud.client("route53").list_resource_record_sets(HostedZoneId=zone["zone_id"])["ResourceRecordSets"]
        return record in found

    return Change("alias record A of the domain deleted", role="base_infra", repaired=repaired)


def change_protection_group_aggregation(cloud, env, outputs):
    shield = cloud.client("shield")
    name = f"{env}-protected"
    group = shield.describe_protection_group(ProtectionGroupId=name)["ProtectionGroup"]
    assert group["Aggregation"] == "SUM", group  # the role's default (shield_protection_group_aggregation)
    shield.update_protection_group(
        ProtectionGroupId=name, Aggregation="MAX", Pattern=group["Pattern"], Members=group["Members"]
    )

    def repaired(cloud):
        group = cloud.client("shield").describe_protection_group(ProtectionGroupId=name)["ProtectionGroup"]
        return group["Aggregation"] == "SUM"

    return Change("protection group aggregation changed to MAX", role="shield", shows="MAX", repaired=repaired)


def turn_l7_response_off(cloud, env, outputs):
    shield = cloud.client("shield")
    distribution = outputs["cloudfront"]["distribution_arn"]
    shield.disable_application_layer_automatic_response(ResourceArn=distribution)

    def repaired(cloud):
        [protection] = [
            p for p in cloud.client("shield").list_protections()["Protections"] if p["ResourceArn"] == distribution
        ]
        return protection.get("ApplicationLayerAutomaticResponseConfiguration", {}).get("Status") == "ENABLED"

    return Change(
        "automatic L7 response off on the distribution", role="shield", control="SCM.SHIELD.3", repaired=repaired
    )


def unblock_edge_logs_bucket(cloud, env, outputs):
    # The CloudFront logs bucket is Terraform's: its plan shows the public access block missing.
    bucket = outputs["cloudfront"]["logs_bucket"]
    cloud.client("s3").delete_public_access_block(Bucket=bucket)

    def repaired(cloud):
        block = cloud.client("s3").get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        return all(block.values())

    return Change("public access block of the edge logs bucket deleted", role="base_infra", repaired=repaired)


CHANGES = [
    stop_trail_logging,
    raise_alarm_threshold,
    delete_dashboard,
    change_sampling_rule,
    delete_waf_rule,
    detach_web_acl,
    open_database_to_the_world,
    delete_flow_logs,
    make_trail_bucket_public,
    change_pipeline_branch,
    delete_inspector_rule,
    shorten_trail_log_retention,
    shorten_waf_log_retention,
    weaken_cis_filter_pattern,
    disable_container_insights,
    loosen_ecr_repository,
    add_nacl_entry,
    add_route,
    add_inline_policy_to_task_role,
    attach_policy_to_execution_role,
    lower_database_backup_retention,
    turn_database_deletion_protection_off,
    make_database_public,
    loosen_file_system_policy,
    # The edge (issue 18).
    delete_zone_protection,
    remove_edge_web_acl,
    widen_distribution_price_class,
    delete_health_check,
    remove_origin_header_rule,
    delete_edge_rate_rule,
    delete_domain_alias_record,
    change_protection_group_aggregation,
    turn_l7_response_off,
    unblock_edge_logs_bucket,
]


def make_drift(cloud, env, outputs) -> list[Change]:
    return [change(cloud, env, outputs) for change in CHANGES]


def clean_up(cloud, env) -> None:
    """Remove what the changes created that no layer owns (remediation detaches the managed policy; the policy
    itself is the person's, not the platform's), so that the teardown can leave nothing behind."""
    iam = cloud.client("iam")
    for policy in iam.list_policies(Scope="Local")["Policies"]:
        if policy["PolicyName"].startswith(f"{env}-oob-"):
            iam.delete_policy(PolicyArn=policy["Arn"])
