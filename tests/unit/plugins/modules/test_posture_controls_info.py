"""plugins/modules/posture_controls_info.py against botocore Stubbers: the trail and WAF controls end to end (the reads
and their parameters), a control whose call is denied reported as ``error`` while the others are evaluated, Shield in
auto mode, and bad input failing before any client is made."""

from __future__ import annotations

import json

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import posture_controls_info as module

from tests.unit.aws_stub import AwsStub
from tests.unit.plugins.module_utils.test_xray import REGION, stubbed

ACCOUNT = "123456789012"
TRAIL_ARN = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/dev-audit"
BUCKET = f"dev-cloudtrail-{ACCOUNT}"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
STAGE = f"arn:aws:apigateway:{REGION}::/restapis/abc123/stages/v1"
ACL_ARN = f"arn:aws:wafv2:{REGION}:{ACCOUNT}:regional/webacl/dev-edge/11111111-2222-3333-4444-555555555555"
ZONE = "arn:aws:route53:::hostedzone/Z123456"
BASE = {
    "vpc_id": "vpc-0123456789abcdef0",
    "public_http_entry_points": [STAGE],
    "shield_protectable_arns": [ZONE],
    "services": {},
}


def run(monkeypatch, capsys, args, setup=None, services=()):
    """Run main() with stubbed clients for ``services``; asking for any other client fails the test."""
    clients, stubbers = {}, {}
    for service in services:
        clients[service], stubbers[service] = stubbed(service.split("-")[0])
    if setup:
        setup(stubbers)

    def client(_reader, name):
        if name not in clients:
            raise AssertionError(f"the module asked for a {name} client")
        return clients[name]

    monkeypatch.setattr(module.PostureReader, "client", client)
    return AwsStub(monkeypatch, capsys).run(module, dict(args, region=REGION), *stubbers.values())


def statuses(result):
    return [(c["id"], c["status"], c["resource"]) for c in result["controls"]]


TRAIL = {
    "Name": "dev-audit",
    "TrailARN": TRAIL_ARN,
    "S3BucketName": BUCKET,
    "IsMultiRegionTrail": True,
    "LogFileValidationEnabled": False,
    "KmsKeyId": KEY_ARN,
    "CloudWatchLogsLogGroupArn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/cloudtrail/dev:*",
}
TLS_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{BUCKET}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}


def trail_reads(stubbers, logging=True, public_access_block=None):
    cloudtrail, s3 = stubbers["cloudtrail"], stubbers["s3"]
    cloudtrail.add_response(
        "describe_trails",
        {"trailList": [TRAIL, dict(TRAIL, Name="other", TrailARN=TRAIL_ARN.replace("dev-audit", "other"))]},
        {"trailNameList": ["dev-audit"], "includeShadowTrails": False},
    )
    cloudtrail.add_response("get_trail_status", {"IsLogging": logging}, {"Name": TRAIL_ARN})
    s3.add_response(
        "get_public_access_block",
        {
            "PublicAccessBlockConfiguration": public_access_block
            or {
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            }
        },
        {"Bucket": BUCKET},
    )
    s3.add_response("get_bucket_policy", {"Policy": json.dumps(TLS_ONLY)}, {"Bucket": BUCKET})


TRAIL_CONTROLS = [f"SCM.TRAIL.{n}" for n in range(1, 7)]


def test_the_trail_controls_read_the_trail_its_status_and_its_bucket(monkeypatch, capsys):
    result = run(
        monkeypatch,
        capsys,
        {"environment": "dev", "base": BASE, "controls": TRAIL_CONTROLS},
        lambda s: trail_reads(s, logging=False, public_access_block={"BlockPublicAcls": True}),
        services=("cloudtrail", "s3"),
    )
    assert result["changed"] is False
    assert statuses(result) == [
        ("SCM.TRAIL.1", "failed", TRAIL_ARN),
        ("SCM.TRAIL.2", "passed", TRAIL_ARN),
        ("SCM.TRAIL.3", "failed", TRAIL_ARN),
        ("SCM.TRAIL.4", "passed", TRAIL_ARN),
        ("SCM.TRAIL.5", "failed", BUCKET),
        ("SCM.TRAIL.6", "passed", BUCKET),
    ]
    first = result["controls"][0]
    assert first["mappings"] == {"cis": ["3.1"], "fsbp": ["CloudTrail.1"]} and first["severity"] == "high"
    assert result["summary"]["failed"] == 3 and result["summary"]["failing_controls"] == [
        "SCM.TRAIL.1",
        "SCM.TRAIL.3",
        "SCM.TRAIL.5",
    ]
    assert len(result["catalog"]) == len(module.posture.CATALOG)


def test_waivers_apply_to_the_module_results(monkeypatch, capsys):
    waivers = [{"id": "SCM.TRAIL.3", "resource": "*:trail/dev-*", "reason": "digest files checked offline"}]
    result = run(
        monkeypatch,
        capsys,
        {"environment": "dev", "base": BASE, "controls": TRAIL_CONTROLS, "waivers": waivers},
        trail_reads,
        services=("cloudtrail", "s3"),
    )
    waived = [c for c in result["controls"] if c["status"] == "waived"]
    assert [(c["id"], c["waiver_reason"]) for c in waived] == [("SCM.TRAIL.3", "digest files checked offline")]
    assert result["summary"]["waived"] == 1 and result["summary"]["failed"] == 0


def waf_reads(stubbers, logged=True):
    wafv2 = stubbers["wafv2"]
    acl = {
        "Name": "dev-edge",
        "Id": "11111111-2222-3333-4444-555555555555",
        "ARN": ACL_ARN,
        "DefaultAction": {"Allow": {}},
        "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "dev"},
        "Rules": [
            {
                "Name": "rate-limit",
                "Priority": 0,
                "Statement": {"RateBasedStatement": {"Limit": 1000, "AggregateKeyType": "IP"}},
                "Action": {"Block": {}},
                "VisibilityConfig": {
                    "SampledRequestsEnabled": True,
                    "CloudWatchMetricsEnabled": False,
                    "MetricName": "rate-limit",
                },
            }
        ],
    }
    wafv2.add_response("get_web_acl_for_resource", {"WebACL": acl}, {"ResourceArn": STAGE})
    if logged:
        destination = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:aws-waf-logs-dev"
        wafv2.add_response(
            "get_logging_configuration",
            {"LoggingConfiguration": {"ResourceArn": ACL_ARN, "LogDestinationConfigs": [destination]}},
            {"ResourceArn": ACL_ARN},
        )
    else:
        wafv2.add_client_error(
            "get_logging_configuration", "WAFNonexistentItemException", expected_params={"ResourceArn": ACL_ARN}
        )


def test_the_waf_controls_find_the_web_acl_of_each_entry_point(monkeypatch, capsys):
    result = run(
        monkeypatch,
        capsys,
        {"environment": "dev", "base": BASE, "controls": ["SCM.WAF.1", "SCM.WAF.2", "SCM.WAF.3"]},
        lambda s: waf_reads(s, logged=False),
        services=("wafv2",),
    )
    assert statuses(result) == [
        ("SCM.WAF.1", "passed", STAGE),
        ("SCM.WAF.2", "failed", ACL_ARN),
        ("SCM.WAF.3", "failed", ACL_ARN),
    ]
    assert "rule rate-limit" in result["controls"][2]["detail"]


def test_the_waf_log_group_is_checked_for_encryption(monkeypatch, capsys):
    def setup(stubbers):
        # SCM.ENC.1 also covers the trail's log group: the trail is looked up (here it does not exist).
        stubbers["cloudtrail"].add_response(
            "describe_trails", {"trailList": []}, {"trailNameList": ["dev-audit"], "includeShadowTrails": False}
        )
        waf_reads(stubbers)
        stubbers["logs"].add_response(
            "describe_log_groups", {"logGroups": [{"logGroupName": "aws-waf-logs-dev", "kmsKeyId": KEY_ARN}]}, {}
        )

    result = run(
        monkeypatch,
        capsys,
        {"environment": "dev", "base": BASE, "controls": ["SCM.WAF.2", "SCM.ENC.1"]},
        setup,
        services=("cloudtrail", "wafv2", "logs"),
    )
    assert statuses(result) == [("SCM.WAF.2", "passed", ACL_ARN), ("SCM.ENC.1", "passed", "aws-waf-logs-dev")]


def test_a_denied_call_is_an_error_of_its_control_and_the_others_are_still_evaluated(monkeypatch, capsys):
    def setup(stubbers):
        stubbers["iam"].add_client_error(
            "get_account_authorization_details",
            "AccessDenied",
            "User is not authorized to perform: iam:GetAccountAuthorizationDetails",
            http_status_code=403,
            expected_params={"Filter": ["Role", "LocalManagedPolicy"]},
        )
        stubbers["ec2"].add_response(
            "describe_flow_logs",
            {
                "FlowLogs": [
                    {
                        "FlowLogId": "fl-1",
                        "ResourceId": BASE["vpc_id"],
                        "FlowLogStatus": "ACTIVE",
                        "TrafficType": "REJECT",
                    }
                ]
            },
            {"Filter": [{"Name": "resource-id", "Values": [BASE["vpc_id"]]}]},
        )

    result = run(
        monkeypatch,
        capsys,
        {"environment": "dev", "base": BASE, "controls": ["SCM.VPC.1", "SCM.IAM.1"]},
        setup,
        services=("iam", "ec2"),
    )
    assert statuses(result) == [("SCM.VPC.1", "passed", BASE["vpc_id"]), ("SCM.IAM.1", "error", "dev")]
    detail = result["controls"][1]["detail"]
    assert detail.startswith("Could not be evaluated: Failed to get account authorization details")
    assert "AccessDenied" in detail
    assert result["summary"]["error"] == 1 and result["summary"]["failing_controls"] == ["SCM.IAM.1"]


@pytest.mark.parametrize(
    "state, protected, expected, words",
    [
        ("ACTIVE", False, "failed", "No Shield Advanced protection"),
        ("ACTIVE", True, "passed", "covers it"),
        # Not subscribed: no ListProtections; each protectable resource fails (it was a vacuous pass before).
        ("INACTIVE", None, "failed", "not subscribed (subscription state INACTIVE)"),
    ],
)
def test_shield_auto_reads_the_subscription_then_the_protections(
    monkeypatch, capsys, state, protected, expected, words
):
    def setup(stubbers):
        stubbers["shield"].add_response("get_subscription_state", {"SubscriptionState": state}, {})
        if protected is None:
            return
        protections = (
            [{"Id": "a1b2c3d4-0000-1111-2222-333344445555", "Name": "zone", "ResourceArn": ZONE}] if protected else []
        )
        stubbers["shield"].add_response("list_protections", {"Protections": protections}, {})

    result = run(
        monkeypatch,
        capsys,
        {"environment": "dev", "base": BASE, "controls": ["SCM.SHIELD.1"]},
        setup,
        services=("shield",),
    )
    assert statuses(result) == [("SCM.SHIELD.1", expected, ZONE)]
    assert words in result["controls"][0]["detail"]


def test_shield_off_makes_no_call(monkeypatch, capsys):
    result = run(
        monkeypatch,
        capsys,
        {"environment": "dev", "base": BASE, "controls": ["SCM.SHIELD.1"], "shield_in_use": "no"},
    )
    assert statuses(result) == [("SCM.SHIELD.1", "not_applicable", "dev")]
    assert "shield_in_use is false" in result["controls"][0]["detail"]
    assert result["summary"]["not_applicable"] == 1 and result["summary"]["passed"] == 0


DIST_ID = "E1ABCDEF"
DIST = f"arn:aws:cloudfront::{ACCOUNT}:distribution/{DIST_ID}"
EDGE_ACL_ID = "22222222-3333-4444-5555-666666666666"
EDGE_ACL = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/dev-edge-cloudfront/{EDGE_ACL_ID}"
EDGE_BASE = BASE | {
    "public_http_entry_points": [DIST],
    "cloudfront": {"distribution_id": DIST_ID, "distribution_arn": DIST, "certificate_arn": None},
}


def _distribution_config(web_acl):
    behavior = {
        "TargetOriginId": "api",
        "ViewerProtocolPolicy": "redirect-to-https",
        "ForwardedValues": {"QueryString": True, "Cookies": {"Forward": "none"}},
        "MinTTL": 0,
    }
    return {
        "ETag": "E2QWRUHAPOMQZL",
        "DistributionConfig": {
            "CallerReference": "dev",
            "Comment": "",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "api",
                        "DomainName": "abc123.execute-api.us-east-1.amazonaws.com",
                        "CustomOriginConfig": {
                            "HTTPPort": 80,
                            "HTTPSPort": 443,
                            "OriginProtocolPolicy": "https-only",
                            "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
                        },
                    }
                ],
            },
            "DefaultCacheBehavior": behavior,
            "Logging": {
                "Enabled": True,
                "IncludeCookies": False,
                "Bucket": "dev-edge-logs.s3.amazonaws.com",
                "Prefix": "",
            },
            "WebACLId": web_acl,
        },
    }


def _edge_acl():
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}
    return {
        "WebACL": {
            "Name": "dev-edge-cloudfront",
            "Id": EDGE_ACL_ID,
            "ARN": EDGE_ACL,
            "DefaultAction": {"Allow": {}},
            "Rules": [],
            "VisibilityConfig": visibility,
        },
        "LockToken": "11111111-2222-3333-4444-555555555555",
    }


def test_edge_reads_the_distribution_once_and_its_web_acl_by_arn(monkeypatch, capsys):
    """CloudFront ARNs are not accepted by GetWebACLForResource: the ACL comes from the distribution's config and
    GetWebACL on the CLOUDFRONT scope (the wafv2-global client, in us-east-1)."""

    def setup(stubbers):
        stubbers["cloudfront"].add_response("get_distribution_config", _distribution_config(EDGE_ACL), {"Id": DIST_ID})
        stubbers["wafv2-global"].add_response(
            "get_web_acl", _edge_acl(), {"Name": "dev-edge-cloudfront", "Scope": "CLOUDFRONT", "Id": EDGE_ACL_ID}
        )
        stubbers["wafv2-global"].add_response(
            "get_logging_configuration",
            {
                "LoggingConfiguration": {
                    "ResourceArn": EDGE_ACL,
                    "LogDestinationConfigs": [
                        f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:aws-waf-logs-dev-cloudfront"
                    ],
                }
            },
            {"ResourceArn": EDGE_ACL},
        )

    controls = ["SCM.WAF.1", "SCM.WAF.2", "SCM.WAF.3", *[f"SCM.EDGE.{n}" for n in range(1, 7)]]
    result = run(
        monkeypatch,
        capsys,
        {"environment": "dev", "base": EDGE_BASE, "controls": controls},
        setup,
        services=("cloudfront", "wafv2-global"),
    )
    assert [s for s in statuses(result) if s[1] != "passed"] == [("SCM.EDGE.6", "not_applicable", DIST)]
    assert len(result["controls"]) == 9


def test_edge_acl_removed_from_the_distribution_fails_waf_1_and_edge_2(monkeypatch, capsys):
    def setup(stubbers):
        stubbers["cloudfront"].add_response("get_distribution_config", _distribution_config(""), {"Id": DIST_ID})

    result = run(
        monkeypatch,
        capsys,
        {"environment": "dev", "base": EDGE_BASE, "controls": ["SCM.WAF.1", "SCM.EDGE.2"]},
        setup,
        services=("cloudfront",),
    )
    assert statuses(result) == [("SCM.WAF.1", "failed", DIST), ("SCM.EDGE.2", "failed", DIST)]


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"waivers": [{"id": "CT.1", "reason": "x"}]}, "waivers[0].id 'CT.1' is not a control id: use one of SCM."),
        ({"controls": ["SCM.TRAIL.9"]}, "controls[0] 'SCM.TRAIL.9' is not a posture control id"),
        ({"shield_in_use": "sometimes"}, "shield_in_use 'sometimes' is not a boolean or auto"),
        ({"base": {"services": {}}}, "base.vpc_id is missing"),
        ({"environment": " "}, "environment is empty"),
    ],
)
def test_bad_input_fails_before_any_client(monkeypatch, capsys, args, expected):
    result = run(monkeypatch, capsys, {"environment": "dev", "base": BASE} | args)
    assert result["failed"] is True
    assert expected in result["msg"]


def test_log_group_name_of_an_arn():
    assert module.log_group_name_of(TRAIL["CloudWatchLogsLogGroupArn"]) == "/aws/cloudtrail/dev"
    assert module.log_group_name_of(f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:aws-waf-logs-dev") == "aws-waf-logs-dev"
    assert module.log_group_name_of("arn:aws:firehose:us-east-1:1:deliverystream/aws-waf-logs-x") is None
