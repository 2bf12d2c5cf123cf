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
    return Change("Inspector findings rule deleted", role="inspector")


def change_pipeline_branch(cloud, env, outputs):
    codepipeline = cloud.client("codepipeline")
    pipeline = codepipeline.get_pipeline(name=f"{env}-infrastructure")["pipeline"]
    pipeline["stages"][0]["actions"][0]["configuration"]["BranchName"] = "hotfix"
    codepipeline.update_pipeline(pipeline=pipeline)
    return Change("infrastructure pipeline branch changed", role="delivery_pipeline")


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
    lower_database_backup_retention,
    turn_database_deletion_protection_off,
    make_database_public,
    loosen_file_system_policy,
]


def make_drift(cloud, env, outputs) -> list[Change]:
    return [change(cloud, env, outputs) for change in CHANGES]
