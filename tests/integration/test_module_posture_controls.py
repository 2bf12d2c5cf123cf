"""posture_controls_info against a local cloud of this file's own, through ansible (ad hoc).

A small environment ``pc`` built with boto3: a compliant trail (logging, multi-region, validation, KMS) into a bucket
with Block Public Access, a TLS-only policy and SSE-KMS; an unencrypted ``pc-artifacts`` bucket; two log groups, one
with a KMS key; a VPC without flow logs holding a security group open to 0.0.0.0/0 and an open edge group that is
declared as such; a role ``pc-x`` with a ``*``/``*`` inline policy and a least-privilege role; two services, one with an
alarm and a dashboard; two secrets, one with a customer managed key. The module must fail exactly the controls and
resources that are wrong, then pass the two that are fixed with boto3, and read only, each list once. The tests run in
order and share the cloud.
"""

from __future__ import annotations

import json

import pytest

from tests.integration.module_runs import run_module
from tools.harness import recorder
from tools.harness.cloud import ACCOUNT_ID

pytestmark = pytest.mark.slow

MODULE = "securecloud.monitor.posture_controls_info"
ENV = "pc"
TRAIL_BUCKET = f"{ENV}-cloudtrail-{ACCOUNT_ID}"
TRAIL_ARN = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT_ID}:trail/{ENV}-audit"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/{ENV}-x"


def _tls_only_policy(bucket):
    arn = f"arn:aws:s3:::{bucket}"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AWSCloudTrailWrite",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"{arn}/AWSLogs/{ACCOUNT_ID}/*",
            },
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [arn, f"{arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }


@pytest.fixture(scope="module")
def env(module_cloud):
    cloud = module_cloud
    kms = cloud.client("kms")
    key_arn = kms.create_key(Description="pc")["KeyMetadata"]["Arn"]

    s3 = cloud.client("s3")
    s3.create_bucket(Bucket=TRAIL_BUCKET)
    s3.put_public_access_block(
        Bucket=TRAIL_BUCKET,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_policy(Bucket=TRAIL_BUCKET, Policy=json.dumps(_tls_only_policy(TRAIL_BUCKET)))
    s3.put_bucket_encryption(
        Bucket=TRAIL_BUCKET,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}}]
        },
    )
    s3.create_bucket(Bucket=f"{ENV}-artifacts")  # no default encryption in the emulator
    s3.create_bucket(Bucket="someone-else")  # not the environment's

    cloudtrail = cloud.client("cloudtrail")
    cloudtrail.create_trail(
        Name=f"{ENV}-audit",
        S3BucketName=TRAIL_BUCKET,
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        KmsKeyId=key_arn,
    )
    cloudtrail.start_logging(Name=f"{ENV}-audit")

    logs = cloud.client("logs")
    logs.create_log_group(logGroupName=f"/ecs/{ENV}/api", kmsKeyId=key_arn)
    logs.create_log_group(logGroupName=f"/ecs/{ENV}/db")

    ec2 = cloud.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    open_sg = ec2.create_security_group(GroupName=f"{ENV}-open", Description="open", VpcId=vpc_id)["GroupId"]
    edge_sg = ec2.create_security_group(GroupName=f"{ENV}-edge", Description="edge", VpcId=vpc_id)["GroupId"]
    world_443 = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    for group in (open_sg, edge_sg):
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[world_443])

    iam = cloud.client("iam")
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    )
    admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    narrow = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": "*"}],
    }
    for name, document in ((f"{ENV}-x", admin), (f"{ENV}-ok", narrow), ("other-admin", admin)):
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)
        iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=json.dumps(document))

    cloudwatch = cloud.client("cloudwatch")
    sns_arn = cloud.client("sns").create_topic(Name=f"{ENV}-alerts")["TopicArn"]
    cloudwatch.put_metric_alarm(
        AlarmName=f"{ENV}-mon-api-cpu-high",
        Namespace="AWS/ECS",
        MetricName="CPUUtilization",
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=80,
        ComparisonOperator="GreaterThanThreshold",
        AlarmActions=[sns_arn],
    )
    cloudwatch.put_dashboard(DashboardName=f"{ENV}-mon-api", DashboardBody=json.dumps({"widgets": []}))

    secrets = cloud.client("secretsmanager")
    kms_secret = secrets.create_secret(Name=f"{ENV}/api", SecretString="x", KmsKeyId=key_arn)["ARN"]
    plain_secret = secrets.create_secret(Name=f"{ENV}/db", SecretString="x")["ARN"]

    base = {
        "vpc_id": vpc_id,
        "services": {"api": {"service_name": "api"}, "db": {"service_name": "db"}},
        "log_group_names": [f"/ecs/{ENV}/api", f"/ecs/{ENV}/db"],
        "public_http_entry_points": [],
        "shield_protectable_arns": [],
        "secret_arns": {"api": kms_secret, "db": plain_secret},
        "kms_key_arn": key_arn,
    }
    return {
        "ec2": ec2,
        "vpc_id": vpc_id,
        "open_sg": open_sg,
        "edge_sg": edge_sg,
        "world_443": world_443,
        "base": base,
        "plain_secret": plain_secret,
    }


def arguments(env, **overrides):
    return {"environment": ENV, "base": env["base"], "public_edge_security_group_ids": [env["edge_sg"]]} | overrides


def run(cloud, tmp_path, args):
    recorder.start(cloud.endpoint)
    returncode, result = run_module(cloud, tmp_path, MODULE, args)
    calls = recorder.stop(cloud.endpoint)
    return returncode, result, calls


def by_status(result, status):
    return sorted((c["id"], c["resource"]) for c in result["controls"] if c["status"] == status)


def expected_failures(env):
    return sorted(
        [
            ("SCM.MON.1", "db"),
            ("SCM.MON.2", "db"),
            ("SCM.SG.1", env["open_sg"]),
            ("SCM.VPC.1", env["vpc_id"]),
            ("SCM.ENC.1", f"/ecs/{ENV}/db"),
            ("SCM.ENC.2", f"{ENV}-artifacts"),
            ("SCM.ENC.3", env["plain_secret"]),
            ("SCM.IAM.1", ROLE_ARN),
        ]
    )


def test_exactly_the_wrong_controls_and_resources_fail(module_cloud, env, tmp_path):
    returncode, result, calls = run(module_cloud, tmp_path, arguments(env))
    assert returncode == 0, result
    assert result["changed"] is False
    assert by_status(result, "failed") == expected_failures(env)
    assert by_status(result, "error") == []
    passed = by_status(result, "passed")
    for control_id in ("SCM.TRAIL.1", "SCM.TRAIL.2", "SCM.TRAIL.3", "SCM.TRAIL.4"):
        assert (control_id, TRAIL_ARN) in passed
    assert ("SCM.TRAIL.5", TRAIL_BUCKET) in passed and ("SCM.TRAIL.6", TRAIL_BUCKET) in passed
    assert ("SCM.ENC.2", TRAIL_BUCKET) in passed and ("SCM.ENC.1", f"/ecs/{ENV}/api") in passed
    assert ("SCM.SG.1", env["edge_sg"]) in passed  # open, but declared as the public edge
    assert ("SCM.IAM.1", f"arn:aws:iam::{ACCOUNT_ID}:role/{ENV}-ok") in passed
    assert not any("other-admin" in resource for _, resource in passed)  # not the environment's role
    # Shield: nothing protectable (base.shield_protectable_arns is empty), so not applicable rather than a pass
    # that checked nothing (issue 18).
    shield = [c for c in result["controls"] if c["id"] == "SCM.SHIELD.1"]
    assert [c["status"] for c in shield] == ["not_applicable"] and "Nothing to protect" in shield[0]["detail"]
    sg = next(c for c in result["controls"] if c["id"] == "SCM.SG.1" and c["status"] == "failed")
    assert "0.0.0.0/0 tcp 443" in sg["detail"] and sg["mappings"] == {
        "cis": ["5.2", "5.3"],
        "fsbp": ["EC2.18", "EC2.19"],
    }
    assert result["summary"]["failed"] == len(expected_failures(env))
    assert result["summary"]["failing_controls"] == [
        "SCM.MON.1",
        "SCM.MON.2",
        "SCM.SG.1",
        "SCM.VPC.1",
        "SCM.ENC.1",
        "SCM.ENC.2",
        "SCM.ENC.3",
        "SCM.IAM.1",
    ]
    assert {c["id"] for c in result["catalog"]} == {c["id"] for c in result["controls"]}
    # Reads only; one call per list, one GetBucketEncryption per bucket of the environment.
    assert [c for c in calls if c.mutating] == []
    operations = sorted(f"{c.service}:{c.operation}" for c in calls)
    for single in (
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
        "s3:ListBuckets",
        "logs:DescribeLogGroups",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeFlowLogs",
        "iam:GetAccountAuthorizationDetails",
        "secretsmanager:ListSecrets",
        "cloudwatch:DescribeAlarms",
        "cloudwatch:ListDashboards",
        "shield:GetSubscriptionState",
    ):
        assert operations.count(single) == 1, (single, operations)
    assert operations.count("s3:GetBucketEncryption") == 2, operations


def test_waivers_turn_failures_into_waived_results(module_cloud, env, tmp_path):
    waivers = [
        {"id": "SCM.IAM.1", "resource": "*:role/pc-*", "reason": "break-glass role, SEC-7"},
        {"id": "SCM.ENC.2", "resource": "no-such-*", "reason": "matches nothing"},
        {"id": "SCM.NET.1", "reason": "evaluated elsewhere, accepted here"},
    ]
    returncode, result, _calls = run(module_cloud, tmp_path, arguments(env, waivers=waivers))
    assert returncode == 0, result
    waived = [c for c in result["controls"] if c["status"] == "waived"]
    assert [(c["id"], c["resource"], c["waiver_reason"]) for c in waived] == [
        ("SCM.IAM.1", ROLE_ARN, "break-glass role, SEC-7")
    ]
    assert ("SCM.ENC.2", f"{ENV}-artifacts") in by_status(result, "failed")


def test_an_unknown_waiver_id_fails_before_any_call(module_cloud, env, tmp_path):
    waivers = [{"id": "SCM.IAM.1", "reason": "ok"}, {"id": "CT.1", "reason": "typo"}]
    returncode, result, calls = run(module_cloud, tmp_path, arguments(env, waivers=waivers))
    assert returncode != 0
    assert result["msg"].startswith("waivers[1].id 'CT.1' is not a control id: use one of SCM.TRAIL.1, SCM.TRAIL.2")
    assert "SCM.IAM.1" in result["msg"]
    assert calls == []


def test_fixing_two_findings_makes_them_pass(module_cloud, env, tmp_path):
    ec2 = env["ec2"]
    ec2.revoke_security_group_ingress(GroupId=env["open_sg"], IpPermissions=[env["world_443"]])
    log_group = f"/aws/vpc-flow-logs/{ENV}"
    module_cloud.client("logs").create_log_group(logGroupName=log_group)
    ec2.create_flow_logs(
        ResourceIds=[env["vpc_id"]],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogGroupName=log_group,
        DeliverLogsPermissionArn=f"arn:aws:iam::{ACCOUNT_ID}:role/{ENV}-flow-logs",
    )
    controls = ["SCM.SG.1", "SCM.VPC.1", "SCM.IAM.1"]
    returncode, result, calls = run(module_cloud, tmp_path, arguments(env, controls=controls))
    assert returncode == 0, result
    assert by_status(result, "failed") == [("SCM.IAM.1", ROLE_ARN)]
    assert ("SCM.SG.1", env["open_sg"]) in by_status(result, "passed")
    assert ("SCM.VPC.1", env["vpc_id"]) in by_status(result, "passed")
    assert {c["id"] for c in result["controls"]} == set(controls)
    # Only the reads of the selected controls.
    assert sorted({f"{c.service}:{c.operation}" for c in calls}) == [
        "ec2:DescribeFlowLogs",
        "ec2:DescribeSecurityGroups",
        "iam:GetAccountAuthorizationDetails",
    ]
