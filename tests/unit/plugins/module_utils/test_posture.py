"""plugins/module_utils/posture.py: each control's evaluation on plain data (pass and fail), read errors, waivers,
input checks and the catalog."""

from __future__ import annotations

import re

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils import posture
from ansible_collections.securecloud.monitor.plugins.module_utils.posture import ReadError

ENV = "dev"
TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/dev-audit"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
BUCKET = "dev-cloudtrail-123456789012"
STAGE = "arn:aws:apigateway:us-east-1::/restapis/abc123/stages/v1"
ACL_ARN = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/dev-edge/1111"


def statuses(results):
    return [(r["id"], r["status"], r["resource"]) for r in results]


def trail(**overrides):
    return {
        "Name": "dev-audit",
        "TrailARN": TRAIL_ARN,
        "S3BucketName": BUCKET,
        "IsMultiRegionTrail": True,
        "LogFileValidationEnabled": True,
        "KmsKeyId": KEY_ARN,
    } | overrides


ALL_BLOCKED = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
TLS_ONLY = {
    "Statement": [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]
}


# ---------------------------------------------------------------- catalog


def test_every_catalog_entry_has_a_title_a_severity_and_both_mapping_lists():
    ids = [c["id"] for c in posture.catalog()]
    assert ids == list(posture.CATALOG) and len(ids) == len(set(ids))
    for entry in posture.catalog():
        assert re.fullmatch(r"SCM\.[A-Z]+\.\d+", entry["id"])
        assert entry["title"] and entry["severity"] in posture.SEVERITIES
        assert set(entry["mappings"]) == {"cis", "fsbp"}
        assert all(re.fullmatch(r"\d+(\.\d+)+", cis) for cis in entry["mappings"]["cis"])
        assert all(re.fullmatch(r"[A-Za-z0-9]+\.\d+", fsbp) for fsbp in entry["mappings"]["fsbp"])


def test_the_required_controls_carry_their_benchmark_ids():
    mappings = {c["id"]: c["mappings"] for c in posture.catalog()}
    assert mappings["SCM.TRAIL.1"] == {"cis": ["3.1"], "fsbp": ["CloudTrail.1"]}
    assert mappings["SCM.TRAIL.3"] == {"cis": ["3.2"], "fsbp": ["CloudTrail.4"]}
    assert mappings["SCM.TRAIL.5"] == {"cis": ["2.1.4"], "fsbp": ["S3.8"]}
    assert mappings["SCM.TRAIL.6"] == {"cis": ["2.1.1"], "fsbp": ["S3.5"]}
    assert mappings["SCM.VPC.1"] == {"cis": ["3.7"], "fsbp": ["EC2.6"]}
    assert mappings["SCM.IAM.1"] == {"cis": ["1.16"], "fsbp": ["IAM.1"]}
    assert mappings["SCM.SG.1"]["fsbp"] == ["EC2.18", "EC2.19"]


def test_the_catalog_is_a_copy():
    posture.catalog()[0]["mappings"]["cis"].append("9.9")
    assert "9.9" not in posture.CATALOG["SCM.TRAIL.1"]["mappings"]["cis"]


# ---------------------------------------------------------------- trail


def test_a_compliant_trail_passes_all_four():
    results = posture.evaluate_trail("dev-audit", trail(), {"IsLogging": True})
    assert [r["status"] for r in results] == ["passed"] * 4
    assert {r["resource"] for r in results} == {TRAIL_ARN}


def test_a_trail_that_is_off_single_region_unvalidated_and_unencrypted_fails_all_four():
    found = trail(IsMultiRegionTrail=False, LogFileValidationEnabled=False, KmsKeyId=None)
    results = posture.evaluate_trail("dev-audit", found, {"IsLogging": False})
    assert [(r["id"], r["status"]) for r in results] == [
        ("SCM.TRAIL.1", "failed"),
        ("SCM.TRAIL.2", "failed"),
        ("SCM.TRAIL.3", "failed"),
        ("SCM.TRAIL.4", "failed"),
    ]
    assert "start-logging --name dev-audit" in results[0]["detail"]
    assert "--is-multi-region-trail" in results[1]["detail"]
    assert "--enable-log-file-validation" in results[2]["detail"]


def test_a_missing_trail_fails_naming_it_and_the_role():
    results = posture.evaluate_trail("dev-audit", None, None)
    assert {(r["status"], r["resource"]) for r in results} == {("failed", "dev-audit")}
    assert "No trail called dev-audit" in results[0]["detail"] and "audit_trail" in results[0]["detail"]


def test_a_failed_trail_read_is_an_error_for_each_trail_control():
    results = posture.evaluate_trail("dev-audit", ReadError("Failed to describe trails: AccessDenied"), None)
    assert {r["status"] for r in results} == {"error"} and len(results) == 4
    assert "AccessDenied" in results[0]["detail"]


def test_a_failed_status_read_errors_only_the_logging_control():
    results = posture.evaluate_trail("dev-audit", trail(), ReadError("boom"))
    assert [r["status"] for r in results] == ["error", "passed", "passed", "passed"]


# ---------------------------------------------------------------- trail bucket


def test_a_blocked_tls_only_bucket_passes():
    results = posture.evaluate_trail_bucket("dev-audit", BUCKET, ALL_BLOCKED, TLS_ONLY)
    assert statuses(results) == [("SCM.TRAIL.5", "passed", BUCKET), ("SCM.TRAIL.6", "passed", BUCKET)]


def test_a_bucket_with_a_public_statement_and_block_public_access_off_fails_both_reasons():
    policy = {"Statement": [{"Sid": "Public", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject"}]}
    results = posture.evaluate_trail_bucket("dev-audit", BUCKET, {"BlockPublicAcls": True}, policy)
    assert [r["status"] for r in results] == ["failed", "failed"]
    assert "IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets" in results[0]["detail"]
    assert "(Public)" in results[0]["detail"]
    assert "aws:SecureTransport" in results[1]["detail"]


def test_a_conditioned_public_statement_is_not_public():
    policy = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}},
            }
        ]
    }
    assert posture.public_statements(policy) == []


def test_a_bucket_without_policy_is_not_tls_only():
    results = posture.evaluate_trail_bucket("dev-audit", BUCKET, ALL_BLOCKED, None)
    assert [r["status"] for r in results] == ["passed", "failed"]
    assert "(the bucket has no policy)" in results[1]["detail"]


@pytest.mark.parametrize(
    "condition, action, tls_only",
    [
        ({"Bool": {"aws:SecureTransport": "false"}}, "s3:*", True),
        ({"Bool": {"aws:SecureTransport": False}}, ["s3:*"], True),
        ({"BoolIfExists": {"aws:securetransport": ["false"]}}, "*", True),
        ({"Bool": {"aws:SecureTransport": "true"}}, "s3:*", False),
        ({"Bool": {"aws:SecureTransport": "false"}}, "s3:GetObject", False),
        ({}, "s3:*", False),
    ],
)
def test_denies_insecure_transport(condition, action, tls_only):
    policy = {"Statement": {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": action, "Condition": condition}}
    assert posture.denies_insecure_transport(policy) is tls_only


def test_no_trail_means_no_bucket_to_check():
    results = posture.evaluate_trail_bucket("dev-audit", None, None, None)
    assert statuses(results) == [("SCM.TRAIL.5", "failed", "dev-audit"), ("SCM.TRAIL.6", "failed", "dev-audit")]


def test_a_failed_policy_read_errors_both_bucket_controls():
    results = posture.evaluate_trail_bucket("dev-audit", BUCKET, ALL_BLOCKED, ReadError("AccessDenied"))
    assert [r["status"] for r in results] == ["error", "error"]


# ---------------------------------------------------------------- WAF


def web_acl(rules_metrics=(True, True), default_metrics=True):
    return {
        "Name": "dev-edge",
        "ARN": ACL_ARN,
        "VisibilityConfig": {"CloudWatchMetricsEnabled": default_metrics},
        "Rules": [
            {"Name": f"rule-{i}", "VisibilityConfig": {"CloudWatchMetricsEnabled": on}}
            for i, on in enumerate(rules_metrics)
        ],
    }


def test_an_associated_logged_measured_web_acl_passes():
    logging = {ACL_ARN: {"LogDestinationConfigs": ["arn:aws:logs:us-east-1:1:log-group:aws-waf-logs-dev"]}}
    results = posture.evaluate_waf(ENV, [STAGE], {STAGE: web_acl()}, logging)
    assert statuses(results) == [
        ("SCM.WAF.1", "passed", STAGE),
        ("SCM.WAF.2", "passed", ACL_ARN),
        ("SCM.WAF.3", "passed", ACL_ARN),
    ]


def test_an_unlogged_web_acl_with_dark_rules_fails_and_names_them():
    results = posture.evaluate_waf(ENV, [STAGE], {STAGE: web_acl((True, False), False)}, {ACL_ARN: None})
    assert [(r["id"], r["status"]) for r in results] == [
        ("SCM.WAF.1", "passed"),
        ("SCM.WAF.2", "failed"),
        ("SCM.WAF.3", "failed"),
    ]
    assert "the default action, rule rule-1 of web ACL dev-edge" in results[2]["detail"]


def test_an_entry_point_without_web_acl_fails_and_one_that_cannot_be_read_errors():
    other = STAGE.replace("v1", "v2")
    results = posture.evaluate_waf(ENV, [STAGE, other], {STAGE: None, other: ReadError("denied")}, {})
    assert statuses(results) == [("SCM.WAF.1", "failed", STAGE), ("SCM.WAF.1", "error", other)]


def test_no_entry_point_passes_each_waf_control():
    results = posture.evaluate_waf(ENV, [], {}, {})
    assert {(r["status"], r["resource"]) for r in results} == {("passed", ENV)} and len(results) == 3


def test_two_entry_points_on_one_web_acl_check_it_once():
    other = STAGE.replace("v1", "v2")
    logging = {ACL_ARN: {"LogDestinationConfigs": ["x"]}}
    results = posture.evaluate_waf(ENV, [STAGE, other], {STAGE: web_acl(), other: web_acl()}, logging)
    assert [r["id"] for r in results] == ["SCM.WAF.1", "SCM.WAF.1", "SCM.WAF.2", "SCM.WAF.3"]


# ---------------------------------------------------------------- Shield

ZONE = "arn:aws:route53:::hostedzone/Z123"


DIST = "arn:aws:cloudfront::123456789012:distribution/E1ABCDEF"
HC_DIST = "arn:aws:route53:::healthcheck/hc-edge"
HC_ZONE = "arn:aws:route53:::healthcheck/hc-zone"


def protection(arn, name, health=(), l7=None):
    item = {"ResourceArn": arn, "Name": name, "HealthCheckIds": list(health)}
    if l7:
        item["ApplicationLayerAutomaticResponseConfiguration"] = {"Status": l7, "Action": {"Count": {}}}
    return item


def test_shield_with_nothing_protectable_is_not_applicable_not_passed():
    results = posture.evaluate_shield(ENV, True, "", [], None)
    assert statuses(results) == [(c, "not_applicable", ENV) for c in posture.SHIELD_IDS]
    assert "base.shield_protectable_arns is empty" in results[0]["detail"]


def test_shield_declared_unused_is_not_applicable():
    results = posture.evaluate_shield(ENV, False, "shield_in_use is false", [ZONE], None, declared=True)
    assert {r["status"] for r in results} == {"not_applicable"} and len(results) == 3


def test_shield_not_subscribed_fails_every_protectable_resource():
    results = posture.evaluate_shield(ENV, False, "subscription state INACTIVE", [ZONE, DIST], None)
    assert statuses(results)[:2] == [("SCM.SHIELD.1", "failed", ZONE), ("SCM.SHIELD.1", "failed", DIST)]
    assert "not subscribed (subscription state INACTIVE)" in results[0]["detail"]
    assert [r["status"] for r in results[2:]] == ["not_applicable", "not_applicable"]


def test_shield_in_use_fails_each_unprotected_resource():
    eip = "arn:aws:ec2:us-east-1:123456789012:eip-allocation/eipalloc-1"
    results = posture.evaluate_shield(ENV, True, "", [ZONE, eip], [{"ResourceArn": ZONE}])
    assert [r for r in statuses(results) if r[0] == "SCM.SHIELD.1"] == [
        ("SCM.SHIELD.1", "passed", ZONE),
        ("SCM.SHIELD.1", "failed", eip),
    ]


def test_shield_edge_fully_protected_passes_every_control():
    protections = [
        protection(DIST, "dev-edge", ["hc-edge"], "ENABLED"),
        protection(ZONE, "dev-zone", ["hc-zone", "hc-other"]),
    ]
    health = {DIST: [HC_DIST], ZONE: [HC_ZONE]}
    results = posture.evaluate_shield(ENV, True, "", [DIST, ZONE], protections, health)
    assert statuses(results) == [
        ("SCM.SHIELD.1", "passed", DIST),
        ("SCM.SHIELD.2", "passed", DIST),
        ("SCM.SHIELD.3", "passed", DIST),
        ("SCM.SHIELD.1", "passed", ZONE),
        ("SCM.SHIELD.2", "passed", ZONE),
    ]
    assert "action Count" in results[2]["detail"]


@pytest.mark.parametrize(
    "protections, failing",
    [
        ([protection(ZONE, "z", ["hc-zone"])], {"SCM.SHIELD.1", "SCM.SHIELD.2", "SCM.SHIELD.3"}),
        ([protection(DIST, "d", [], "ENABLED"), protection(ZONE, "z", ["hc-zone"])], {"SCM.SHIELD.2"}),
        ([protection(DIST, "d", ["hc-edge"], "DISABLED"), protection(ZONE, "z", ["hc-zone"])], {"SCM.SHIELD.3"}),
        ([protection(DIST, "d", ["hc-edge"]), protection(ZONE, "z", ["hc-zone"])], {"SCM.SHIELD.3"}),
    ],
    ids=["protection-deleted", "health-check-gone", "l7-disabled", "l7-never-configured"],
)
def test_shield_drift_of_the_edge_fails_the_control_that_sees_it(protections, failing):
    health = {DIST: [HC_DIST], ZONE: [HC_ZONE]}
    results = posture.evaluate_shield(ENV, True, "", [DIST, ZONE], protections, health)
    assert {r["id"] for r in results if r["status"] == "failed"} == failing
    assert all(r["resource"] == DIST for r in results if r["status"] == "failed")


def test_shield_health_check_missing_names_the_check_and_the_fix():
    results = posture.evaluate_shield(ENV, True, "", [ZONE], [protection(ZONE, "z", ["other"])], {ZONE: [HC_ZONE]})
    detail = next(r["detail"] for r in results if r["id"] == "SCM.SHIELD.2")
    assert "hc-zone not associated with protection z" in detail and "playbooks/base.yml" in detail


def test_shield_without_declared_health_checks_or_distribution_is_not_applicable_for_those_controls():
    results = posture.evaluate_shield(ENV, True, "", [ZONE], [protection(ZONE, "z")])
    assert statuses(results) == [
        ("SCM.SHIELD.1", "passed", ZONE),
        ("SCM.SHIELD.2", "not_applicable", ZONE),
        ("SCM.SHIELD.3", "not_applicable", ENV),
    ]


def test_shield_state_or_protections_unreadable_is_an_error():
    assert posture.evaluate_shield(ENV, ReadError("x"), "", [ZONE], None)[0]["status"] == "error"
    assert {r["status"] for r in posture.evaluate_shield(ENV, True, "", [ZONE], ReadError("x"))} == {"error"}


# ---------------------------------------------------------------- CloudFront edge

CLOUDFRONT = {
    "distribution_id": "E1ABCDEF",
    "distribution_arn": DIST,
    "certificate_arn": None,
}
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
EDGE_ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/dev-edge-cloudfront/2222"


def distribution_config(**overrides):
    config = {
        "DefaultCacheBehavior": {"ViewerProtocolPolicy": "redirect-to-https"},
        "CacheBehaviors": {"Quantity": 1, "Items": [{"PathPattern": "/v1/*", "ViewerProtocolPolicy": "https-only"}]},
        "WebACLId": EDGE_ACL,
        "Logging": {"Enabled": True, "Bucket": "dev-edge-logs.s3.amazonaws.com", "Prefix": "cf/"},
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "api",
                    "DomainName": "abc.execute-api.eu-west-1.amazonaws.com",
                    "CustomOriginConfig": {
                        "OriginProtocolPolicy": "https-only",
                        "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
                    },
                }
            ],
        },
        "ViewerCertificate": {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"},
    }
    return config | overrides


def test_edge_off_is_not_applicable_for_every_edge_control():
    results = posture.evaluate_edge(ENV, None, None)
    assert statuses(results) == [(c, "not_applicable", ENV) for c in posture.EDGE_IDS]


def test_edge_hardened_distribution_passes_and_certificate_is_not_applicable_without_domain():
    results = posture.evaluate_edge(ENV, CLOUDFRONT, distribution_config(), "dev-edge-cloudfront")
    assert statuses(results) == [(c, "passed", DIST) for c in posture.EDGE_IDS[:5]] + [
        ("SCM.EDGE.6", "not_applicable", DIST)
    ]


def test_edge_every_control_maps_to_its_fsbp_control():
    mapped = {c: posture.CATALOG[c]["mappings"]["fsbp"] for c in posture.EDGE_IDS}
    assert mapped == {
        "SCM.EDGE.1": ["CloudFront.3"],
        "SCM.EDGE.2": ["CloudFront.6"],
        "SCM.EDGE.3": ["CloudFront.5"],
        "SCM.EDGE.4": ["CloudFront.9"],
        "SCM.EDGE.5": ["CloudFront.10"],
        "SCM.EDGE.6": ["CloudFront.7", "CloudFront.8"],
    }


def _origin(policy="https-only", protocols=("TLSv1.2",)):
    return {
        "Quantity": 1,
        "Items": [
            {
                "Id": "api",
                "CustomOriginConfig": {
                    "OriginProtocolPolicy": policy,
                    "OriginSslProtocols": {"Quantity": len(protocols), "Items": list(protocols)},
                },
            }
        ],
    }


@pytest.mark.parametrize(
    "overrides, control, words",
    [
        ({"DefaultCacheBehavior": {"ViewerProtocolPolicy": "allow-all"}}, "SCM.EDGE.1", "default accept plain HTTP"),
        ({"WebACLId": ""}, "SCM.EDGE.2", "WebACLId is empty"),
        (
            {"WebACLId": EDGE_ACL.replace("dev-edge-cloudfront", "someone-else")},
            "SCM.EDGE.2",
            "carries web ACL someone-else, not dev-edge-cloudfront",
        ),
        ({"Logging": {"Enabled": False, "Bucket": ""}}, "SCM.EDGE.3", "Access logging is off"),
        ({"Origins": _origin(policy="match-viewer")}, "SCM.EDGE.4", "Origin(s) api may be reached over HTTP"),
        ({"Origins": _origin(protocols=("SSLv3", "TLSv1.2"))}, "SCM.EDGE.5", "Deprecated protocol(s) SSLv3"),
        ({"Origins": _origin(protocols=("TLSv1", "TLSv1.1", "TLSv1.2"))}, "SCM.EDGE.5", "TLSv1, TLSv1.1"),
    ],
    ids=["http-viewer", "acl-removed", "other-acl", "no-logs", "http-origin", "sslv3", "old-tls"],
)
def test_edge_each_weakness_fails_exactly_its_control(overrides, control, words):
    results = posture.evaluate_edge(ENV, CLOUDFRONT, distribution_config(**overrides), "dev-edge-cloudfront")
    failing = [r for r in results if r["status"] == "failed"]
    assert [r["id"] for r in failing] == [control]
    assert words in failing[0]["detail"]


def test_edge_custom_certificate_with_a_domain():
    cloudfront = CLOUDFRONT | {"certificate_arn": CERT}
    good = {"ACMCertificateArn": CERT, "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}
    results = posture.evaluate_edge(ENV, cloudfront, distribution_config(ViewerCertificate=good))
    assert results[-1]["status"] == "passed"
    results = posture.evaluate_edge(ENV, cloudfront, distribution_config())
    assert results[-1]["status"] == "failed"
    assert "not " + CERT in results[-1]["detail"] and "below TLSv1.2" in results[-1]["detail"]
    vip = good | {"SSLSupportMethod": "vip"}
    assert (
        "not sni-only"
        in posture.evaluate_edge(ENV, cloudfront, distribution_config(ViewerCertificate=vip))[-1]["detail"]
    )


def test_edge_without_custom_origin_is_not_applicable_for_origin_controls():
    results = posture.evaluate_edge(ENV, CLOUDFRONT, distribution_config(Origins={"Quantity": 0, "Items": []}))
    assert [r["status"] for r in results if r["id"] in ("SCM.EDGE.4", "SCM.EDGE.5")] == ["not_applicable"] * 2


def test_edge_distribution_missing_or_unreadable():
    assert {r["status"] for r in posture.evaluate_edge(ENV, CLOUDFRONT, None)} == {"failed"}
    assert {r["status"] for r in posture.evaluate_edge(ENV, CLOUDFRONT, ReadError("denied"))} == {"error"}


def test_not_applicable_is_counted_apart_and_never_fails():
    results = posture.evaluate_edge(ENV, None, None)
    summary = posture.summarise(results)
    assert summary["not_applicable"] == 6 and summary["passed"] == 0 and summary["failing_controls"] == []


# ---------------------------------------------------------------- monitoring

SERVICES = {"billing": {}, "billing-app": {}, "api": {}}


def alarm(name, actions=("arn:aws:sns:us-east-1:1:dev-alerts",), enabled=True):
    return {"AlarmName": name, "AlarmActions": list(actions), "ActionsEnabled": enabled}


def test_every_service_with_a_notifying_alarm_and_a_dashboard_passes():
    alarms = [alarm("dev-mon-billing-cpu-high"), alarm("dev-mon-billing-app-down"), alarm("dev-mon-api-cpu-high")]
    dashboards = [{"DashboardName": f"dev-mon-{s}"} for s in SERVICES]
    results = posture.evaluate_monitoring(ENV, "dev-mon-", SERVICES, alarms, dashboards)
    assert {r["status"] for r in results} == {"passed"} and len(results) == 6


def test_an_alarm_of_a_longer_service_name_does_not_count_for_the_shorter_one():
    results = posture.evaluate_monitoring(ENV, "dev-mon-", SERVICES, [alarm("dev-mon-billing-app-down")], [])
    mon1 = {r["resource"]: r["status"] for r in results if r["id"] == "SCM.MON.1"}
    assert mon1 == {"api": "failed", "billing": "failed", "billing-app": "passed"}
    assert {r["status"] for r in results if r["id"] == "SCM.MON.2"} == {"failed"}


def test_alarms_that_notify_nobody_fail():
    alarms = [alarm("dev-mon-api-cpu-high", actions=()), alarm("dev-mon-api-down", enabled=False)]
    results = posture.evaluate_monitoring(ENV, "dev-mon-", {"api": {}}, alarms, [{"DashboardName": "dev-mon-api"}])
    assert statuses(results) == [("SCM.MON.1", "failed", "api"), ("SCM.MON.2", "passed", "api")]
    assert "2 alarms, none with an enabled alarm action" in results[0]["detail"]


def test_unreadable_alarms_and_dashboards_are_errors():
    results = posture.evaluate_monitoring(ENV, "dev-mon-", {"api": {}}, ReadError("a"), ReadError("d"))
    assert statuses(results) == [("SCM.MON.1", "error", ENV), ("SCM.MON.2", "error", ENV)]


# ---------------------------------------------------------------- security groups, flow logs


def group(group_id, *cidrs, protocol="tcp", port=443):
    permission = {"IpProtocol": protocol, "FromPort": port, "ToPort": port, "IpRanges": [], "Ipv6Ranges": []}
    for cidr in cidrs:
        key, field = ("Ipv6Ranges", "CidrIpv6") if ":" in cidr else ("IpRanges", "CidrIp")
        permission[key].append({field: cidr})
    return {"GroupId": group_id, "GroupName": group_id, "IpPermissions": [permission]}


def test_open_groups_fail_except_the_public_edge():
    groups = [
        group("sg-closed", "10.0.0.0/16"),
        group("sg-world", "0.0.0.0/0"),
        group("sg-world6", "::/0", protocol="-1"),
        group("sg-edge", "0.0.0.0/0"),
    ]
    results = posture.evaluate_security_groups("vpc-1", groups, ["sg-edge"])
    assert statuses(results) == [
        ("SCM.SG.1", "passed", "sg-closed"),
        ("SCM.SG.1", "passed", "sg-edge"),
        ("SCM.SG.1", "failed", "sg-world"),
        ("SCM.SG.1", "failed", "sg-world6"),
    ]
    assert "accepts 0.0.0.0/0 tcp 443" in results[2]["detail"]
    assert "accepts ::/0 all traffic" in results[3]["detail"]


def test_unreadable_groups_are_an_error_on_the_vpc():
    assert statuses(posture.evaluate_security_groups("vpc-1", ReadError("x"), [])) == [("SCM.SG.1", "error", "vpc-1")]


@pytest.mark.parametrize(
    "flow_logs, status",
    [
        ([{"FlowLogId": "fl-1", "ResourceId": "vpc-1", "FlowLogStatus": "ACTIVE", "TrafficType": "ALL"}], "passed"),
        ([{"FlowLogId": "fl-1", "ResourceId": "vpc-1", "FlowLogStatus": "ACTIVE", "TrafficType": "REJECT"}], "passed"),
        ([{"FlowLogId": "fl-1", "ResourceId": "vpc-1", "FlowLogStatus": "ACTIVE", "TrafficType": "ACCEPT"}], "failed"),
        ([{"FlowLogId": "fl-1", "ResourceId": "vpc-2", "FlowLogStatus": "ACTIVE", "TrafficType": "ALL"}], "failed"),
        ([], "failed"),
        (ReadError("x"), "error"),
    ],
)
def test_flow_logs(flow_logs, status):
    assert statuses(posture.evaluate_flow_logs("vpc-1", flow_logs)) == [("SCM.VPC.1", status, "vpc-1")]


# ---------------------------------------------------------------- encryption


def test_log_groups_without_key_or_missing_fail():
    described = [{"logGroupName": "/a", "kmsKeyId": KEY_ARN}, {"logGroupName": "/b"}]
    results = posture.evaluate_log_groups(ENV, ["/a", "/b", "/c"], described)
    assert statuses(results) == [
        ("SCM.ENC.1", "passed", "/a"),
        ("SCM.ENC.1", "failed", "/b"),
        ("SCM.ENC.1", "failed", "/c"),
    ]
    assert "associate-kms-key" in results[1]["detail"] and "does not exist" in results[2]["detail"]


def test_buckets_need_default_encryption():
    encryption = {
        "dev-kms": {"sse_algorithm": "aws:kms", "kms_key_arn": KEY_ARN},
        "dev-s3": {"sse_algorithm": "AES256"},
        "dev-none": {},
        "dev-denied": ReadError("AccessDenied"),
    }
    assert statuses(posture.evaluate_buckets(ENV, encryption)) == [
        ("SCM.ENC.2", "error", "dev-denied"),
        ("SCM.ENC.2", "passed", "dev-kms"),
        ("SCM.ENC.2", "failed", "dev-none"),
        ("SCM.ENC.2", "passed", "dev-s3"),
    ]


def test_secrets_need_a_customer_managed_key():
    arns = {"a": "arn:secret:a", "b": "arn:secret:b", "c": "arn:secret:c", "d": "arn:secret:d"}
    secrets = [
        {"ARN": "arn:secret:a", "KmsKeyId": KEY_ARN},
        {"ARN": "arn:secret:b"},
        {"ARN": "arn:secret:c", "KmsKeyId": "alias/aws/secretsmanager"},
    ]
    assert statuses(posture.evaluate_secrets(ENV, arns, secrets)) == [
        ("SCM.ENC.3", "passed", "arn:secret:a"),
        ("SCM.ENC.3", "failed", "arn:secret:b"),
        ("SCM.ENC.3", "failed", "arn:secret:c"),
        ("SCM.ENC.3", "failed", "arn:secret:d"),
    ]


def test_nothing_to_encrypt_passes_and_unreadable_lists_error():
    assert posture.evaluate_log_groups(ENV, [], None)[0]["status"] == "passed"
    assert posture.evaluate_secrets(ENV, {}, None)[0]["status"] == "passed"
    assert posture.evaluate_buckets(ENV, {})[0]["status"] == "passed"
    assert posture.evaluate_log_groups(ENV, ["/a"], ReadError("x"))[0]["status"] == "error"
    assert posture.evaluate_secrets(ENV, {"a": "arn"}, ReadError("x"))[0]["status"] == "error"


# ---------------------------------------------------------------- IAM

ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": "*"}]}
NARROW = {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}
LOCAL_ADMIN_ARN = "arn:aws:iam::123456789012:policy/dev-admin"


def role(name, inline=None, attached=()):
    return {
        "RoleName": name,
        "Arn": f"arn:aws:iam::123456789012:role/{name}",
        "RolePolicyList": [{"PolicyName": n, "PolicyDocument": d} for n, d in (inline or {}).items()],
        "AttachedManagedPolicies": [{"PolicyName": a.split("/")[-1], "PolicyArn": a} for a in attached],
    }


def test_admin_policies_of_the_environments_roles_fail():
    roles = [
        role("dev-inline", {"all": ADMIN}),
        role("dev-managed", attached=[LOCAL_ADMIN_ARN]),
        role("dev-aws", attached=["arn:aws:iam::aws:policy/AdministratorAccess"]),
        role("dev-fine", {"s3": NARROW}, attached=["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
        role("prod-inline", {"all": ADMIN}),
    ]
    policies = [
        {
            "Arn": LOCAL_ADMIN_ARN,
            "PolicyVersionList": [
                {"IsDefaultVersion": False, "Document": NARROW},
                {"IsDefaultVersion": True, "Document": ADMIN},
            ],
        }
    ]
    results = posture.evaluate_iam(ENV, roles, policies)
    assert [(r["resource"].split("/")[-1], r["status"]) for r in results] == [
        ("dev-aws", "failed"),
        ("dev-fine", "passed"),
        ("dev-inline", "failed"),
        ("dev-managed", "failed"),
    ]
    assert "inline policy all" in results[2]["detail"] and "managed policy dev-admin" in results[3]["detail"]
    assert "AWS managed policy AdministratorAccess" in results[0]["detail"]


@pytest.mark.parametrize(
    "statement, admin",
    [
        ({"Effect": "Allow", "Action": "*", "Resource": "*"}, True),
        ({"Effect": "Allow", "Action": ["s3:GetObject", "*"], "Resource": ["*"]}, True),
        ({"Effect": "Deny", "Action": "*", "Resource": "*"}, False),
        ({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"}, False),
        ({"Effect": "Allow", "Action": "iam:*", "Resource": "*"}, False),
    ],
)
def test_is_admin_statement(statement, admin):
    assert posture.is_admin_statement(statement) is admin


def test_no_role_of_the_environment_passes_and_an_unreadable_account_errors():
    assert statuses(posture.evaluate_iam(ENV, [role("prod-x")], [])) == [("SCM.IAM.1", "passed", ENV)]
    assert statuses(posture.evaluate_iam(ENV, ReadError("x"), ReadError("x"))) == [("SCM.IAM.1", "error", ENV)]


# ---------------------------------------------------------------- waivers, selection, summary


def findings():
    return [
        posture.failed("SCM.SG.1", "sg-0aa", "open"),
        posture.failed("SCM.SG.1", "sg-0bb", "open"),
        posture.failed("SCM.IAM.1", "arn:aws:iam::1:role/dev-x", "admin"),
        posture.passed("SCM.VPC.1", "vpc-1", "on"),
        posture.errored(["SCM.ENC.1"], "dev", ReadError("denied"))[0],
    ]


def test_a_waiver_with_a_glob_waives_only_matching_failed_results():
    results = posture.apply_waivers(findings(), [{"id": "SCM.SG.1", "resource": "sg-0a*", "reason": "SEC-1"}])
    assert [(r["resource"], r["status"], r["waiver_reason"]) for r in results[:2]] == [
        ("sg-0aa", "waived", "SEC-1"),
        ("sg-0bb", "failed", None),
    ]


def test_a_waiver_without_resource_waives_every_failed_result_of_its_control_but_never_errors_or_passes():
    waivers = [
        {"id": "SCM.SG.1", "reason": "all"},
        {"id": "SCM.ENC.1", "reason": "no"},
        {"id": "SCM.VPC.1", "reason": "no"},
    ]
    results = posture.apply_waivers(findings(), waivers)
    assert [r["status"] for r in results] == ["waived", "waived", "failed", "passed", "error"]


def test_the_first_matching_waiver_gives_the_reason():
    waivers = [
        {"id": "SCM.IAM.1", "resource": "*:role/dev-*", "reason": "first"},
        {"id": "SCM.IAM.1", "reason": "second"},
    ]
    results = posture.apply_waivers(findings(), waivers)
    assert results[2]["waiver_reason"] == "first"


def test_glob_matching_is_case_sensitive():
    results = posture.apply_waivers(findings(), [{"id": "SCM.SG.1", "resource": "SG-0AA", "reason": "x"}])
    assert results[0]["status"] == "failed"


def test_an_unknown_waiver_id_names_the_field_and_lists_the_valid_ids():
    errors = posture.validate_waivers([{"id": "SCM.SG.1", "reason": "ok"}, {"id": "CT.1", "reason": "typo"}])
    assert len(errors) == 1
    assert errors[0].startswith("waivers[1].id 'CT.1' is not a control id: use one of SCM.TRAIL.1, SCM.TRAIL.2,")
    assert all(control_id in errors[0] for control_id in posture.CATALOG)


def test_waivers_of_controls_evaluated_elsewhere_are_accepted():
    assert posture.validate_waivers([{"id": "SCM.NET.1", "reason": "ok"}, {"id": "SCM.NET.2", "reason": "ok"}]) == []


def test_a_waiver_needs_a_reason():
    assert posture.validate_waivers([{"id": "SCM.SG.1", "reason": "  "}]) == [
        "waivers[0].reason is empty: say why the finding is accepted (a ticket, a date)."
    ]


def test_unknown_control_ids_name_their_index():
    assert posture.validate_controls(["SCM.SG.1", "SCM.XX.9"])[0].startswith(
        "controls[1] 'SCM.XX.9' is not a posture control id: use one of SCM.TRAIL.1"
    )


def test_base_checks():
    assert posture.validate_base({}, ["SCM.SG.1"])[0].startswith("base.vpc_id is missing")
    assert posture.validate_base({}, ["SCM.TRAIL.1"]) == []
    assert posture.validate_base({"vpc_id": "vpc-1", "services": []}, ["SCM.SG.1"]) == [
        "base.services must be a dict, got list."
    ]


def test_selection_order_and_summary():
    results = posture.order(posture.select(findings(), ["SCM.SG.1", "SCM.IAM.1", "SCM.ENC.1"]))
    assert [r["id"] for r in results] == ["SCM.SG.1", "SCM.SG.1", "SCM.ENC.1", "SCM.IAM.1"]
    summary = posture.summarise(results)
    assert (summary["total"], summary["passed"], summary["failed"], summary["waived"], summary["error"]) == (
        4,
        0,
        3,
        0,
        1,
    )
    assert summary["by_severity"]["high"]["failed"] == 3 and summary["by_severity"]["medium"]["error"] == 1
    assert summary["failing_controls"] == ["SCM.SG.1", "SCM.ENC.1", "SCM.IAM.1"]


def test_every_result_has_the_report_fields():
    item = posture.failed("SCM.TRAIL.1", TRAIL_ARN, "off")
    assert set(item) == {"id", "title", "severity", "status", "resource", "detail", "mappings", "waiver_reason"}
