"""Out-of-band changes made straight in the local cloud with boto3, as a person in the console would make them, and
what a compliance run must say about each: the role whose check reports it as drift, or the posture control that
fails."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    what: str
    role: str | None = None  # a drifted task of this role
    control: str | None = None  # or a failed result of this posture control


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
    cloud.client("xray").update_sampling_rule(SamplingRuleUpdate={"RuleName": f"{env}-api-gateway", "FixedRate": 0.5})
    return Change("sampling rule rate changed", role="tracing")


def delete_waf_rule(cloud, env, outputs):
    wafv2 = cloud.client("wafv2")
    summary = next(a for a in wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"] if a["Name"] == f"{env}-edge")
    response = wafv2.get_web_acl(Name=summary["Name"], Scope="REGIONAL", Id=summary["Id"])
    acl = response["WebACL"]
    wafv2.update_web_acl(
        Name=acl["Name"],
        Scope="REGIONAL",
        Id=acl["Id"],
        DefaultAction=acl["DefaultAction"],
        Rules=[rule for rule in acl["Rules"] if rule["Name"] != "AWSManagedRulesSQLiRuleSet"],
        VisibilityConfig=acl["VisibilityConfig"],
        LockToken=response["LockToken"],
    )
    return Change("WAF rule deleted", role="waf")


def detach_web_acl(cloud, env, outputs):
    cloud.client("wafv2").disassociate_web_acl(ResourceArn=outputs["api_gateway"]["stage_arn"])
    return Change("web ACL detached from the API stage", role="waf")


def open_database_to_the_world(cloud, env, outputs):
    group = outputs["services"]["billing-db"]["security_group_id"]
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
    return Change("Inspector findings rule deleted", role="inspector")


def change_pipeline_branch(cloud, env, outputs):
    codepipeline = cloud.client("codepipeline")
    pipeline = codepipeline.get_pipeline(name=f"{env}-infrastructure")["pipeline"]
    pipeline["stages"][0]["actions"][0]["configuration"]["BranchName"] = "hotfix"
    codepipeline.update_pipeline(pipeline=pipeline)
    return Change("infrastructure pipeline branch changed", role="delivery_pipeline")


def delete_distribution_protection(cloud, env, outputs):
    shield = cloud.client("shield")
    distribution = outputs["cloudfront"]["distribution_arn"]
    [protection] = [p for p in shield.list_protections()["Protections"] if p["ResourceArn"] == distribution]
    shield.delete_protection(ProtectionId=protection["Id"])
    return Change("Shield protection of the distribution deleted", role="shield", control="SCM.SHIELD.1")


def remove_edge_web_acl(cloud, env, outputs):
    cloudfront = cloud.client("cloudfront")
    distribution = outputs["cloudfront"]["distribution_id"]
    current = cloudfront.get_distribution_config(Id=distribution)
    config = current["DistributionConfig"] | {"WebACLId": ""}
    cloudfront.update_distribution(Id=distribution, IfMatch=current["ETag"], DistributionConfig=config)
    # The waf role sets the ACL on the distribution (Terraform ignores web_acl_id), so the waf role sees it.
    return Change("edge web ACL removed from the distribution", role="waf", control="SCM.EDGE.2")


def delete_health_check(cloud, env, outputs):
    # The CALCULATED edge health check, the one Shield's protections use (its children cannot be deleted while it
    # lists them: HealthCheckInUse). Terraform owns it, so its plan shows it missing; the base layer recreates it and
    # the shield role associates the new one.
    cloud.client("route53").delete_health_check(HealthCheckId=outputs["health_checks"]["edge"]["id"])
    return Change("Route 53 health check edge deleted", role="base_infra")


def remove_origin_header_rule(cloud, env, outputs):
    wafv2 = cloud.client("wafv2")
    summary = next(a for a in wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"] if a["Name"] == f"{env}-edge")
    response = wafv2.get_web_acl(Name=summary["Name"], Scope="REGIONAL", Id=summary["Id"])
    acl = response["WebACL"]
    rules = [rule for rule in acl["Rules"] if rule["Name"] != "origin-verify"]
    assert len(rules) == len(acl["Rules"]) - 1, "the regional web ACL has no origin-verify rule to remove"
    wafv2.update_web_acl(
        Name=acl["Name"],
        Scope="REGIONAL",
        Id=acl["Id"],
        DefaultAction=acl["DefaultAction"],
        Rules=rules,
        VisibilityConfig=acl["VisibilityConfig"],
        LockToken=response["LockToken"],
    )
    return Change("origin-verify rule removed from the regional web ACL", role="waf")


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
    # The edge (issue 18).
    delete_distribution_protection,
    remove_edge_web_acl,
    delete_health_check,
    remove_origin_header_rule,
]


def make_drift(cloud, env, outputs) -> list[Change]:
    return [change(cloud, env, outputs) for change in CHANGES]
