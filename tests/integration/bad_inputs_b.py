"""Bad input to the Shield, CloudTrail, S3, Inspector, CloudFront web ACL and VPC modules (issue 20), rows of the table
test_module_bad_input.py runs: each case runs the module once (one task of one ansible-playbook run), fails with a
message naming the option path and the fix, and the emulator's recorder sees no mutating call. The cases are the
request checks against botocore's model and AWS's rules the model lacks (S3's tag and policy limits, Lambda code
scanning needing Lambda scanning, CIDR blocks as AWS writes them, ACL rule numbers); a few are refused only after the
module's reads (the bucket policy is made from the caller's account; Inspector's state is read), none after a write."""

from __future__ import annotations

from tests.unit.plugins.modules.test_s3_hardened_bucket_model import statement

ACCOUNT = "123456789012"
ALB = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188"
EIP = f"arn:aws:ec2:us-east-1:{ACCOUNT}:eip-allocation/eipalloc-0123456789abcdef0"
HEALTH_CHECK = "arn:aws:route53:::healthcheck/abcd1234-ab12-cd34-ef56-abcdef123456"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/shield-srt"
# An ALB ARN padded past Shield's 2,048-character ResourceArn, still an ALB to the module's own classification.
LONG_ALB = ALB + "0" * (2049 - len(ALB))

PROTECTION = "securecloud.monitor.shield_protection"
GROUP = "securecloud.monitor.shield_protection_group"
SETTINGS = "securecloud.monitor.shield_settings"
TRAIL = "securecloud.monitor.cloudtrail_trail"
TRAIL_BUCKET = "securecloud.monitor.cloudtrail_bucket"
BUCKET = "securecloud.monitor.s3_hardened_bucket"
INSPECTOR = "securecloud.monitor.inspector2_account"
WEB_ACL = "securecloud.monitor.cloudfront_distribution_web_acl"
VPC_MEMBERS = "securecloud.monitor.ec2_vpc_managed_members"
SG_RULES = "securecloud.monitor.ec2_security_group_rules"
CLOUDFRONT_ACL = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/bi-edge"
ACL_ID, TABLE_ID, GROUP_ID = "acl-0123456789abcdef0", "rtb-0123456789abcdef0", "sg-0123456789abcdef0"

MANAGEMENT = {"field": "eventCategory", "equals": ["Management"]}


def protections(**protection):
    return {"prefix": "bi-", "purge": False, "protections": [{"name": "bi-web", "resource_arn": ALB, **protection}]}


def group(**extra):
    return {"protection_group_id": "bi-web", "aggregation": "MAX", "pattern": "ARBITRARY", "members": [ALB], **extra}


def trail(**extra):
    return {"name": "bi-trail", "s3_bucket_name": "bi-trail-logs", **extra}


def selectors(*fields, name=None):
    selector = {"field_selectors": [MANAGEMENT, *fields]}
    return {"advanced_event_selectors": [selector | ({"name": name} if name else {})]}


CASES = [
    # (case, module, arguments, what the message must hold: the option path and the fix)
    (
        "protection resource ARN over 2048",
        PROTECTION,
        protections(resource_arn=LONG_ALB),
        ["protections[0].resource_arn", "give 1 to 2048 characters"],
    ),
    (
        "health check ID not 36 characters",
        PROTECTION,
        protections(health_check_arns=[HEALTH_CHECK[:-1]]),
        ["protections[0].health_check_arns[0]", "match the pattern"],
    ),
    (
        "protection tag value over 256",
        PROTECTION,
        protections(tags={"owner": "o" * 257}),
        ["protections[0].tags.owner", "give 0 to 256 characters"],
    ),
    ("group member ARN over 2048", GROUP, group(members=[ALB, LONG_ALB]), ["members[1]", "give 1 to 2048 characters"]),
    ("group tag key over 128", GROUP, group(tags={"k" * 129: "v"}), [f"tags.{'k' * 129}", "give 1 to 128 characters"]),
    ("group tag value over 256", GROUP, group(tags={"owner": "o" * 257}), ["tags.owner", "give 0 to 256 characters"]),
    (
        "DRT role ARN over 2048",
        SETTINGS,
        {"drt_role_arn": f"arn:aws:iam::{ACCOUNT}:role/{'team/' * 410}shield-srt"},
        ["drt_role_arn", "give 1 to 2048 characters"],
    ),
    (
        "DRT log bucket named like an IP address",
        SETTINGS,
        {"drt_role_arn": ROLE, "drt_log_buckets": ["flow-logs", "192.168.10.12"]},
        ["drt_log_buckets[1]", "formatted as an IP address"],
    ),
    (
        "empty advanced selector value",
        TRAIL,
        trail(**selectors({"field": "eventSource", "not_equals": ["kms.amazonaws.com", ""]})),
        ["advanced_event_selectors[0].field_selectors[1].not_equals[1]", "give 1 to 2048 characters"],
    ),
    (
        "advanced selector value over 2048",
        TRAIL,
        trail(**selectors({"field": "resources.ARN", "starts_with": ["arn:aws:s3:::" + "b" * 2048]}, name="data")),
        ["advanced_event_selectors[0].field_selectors[1].starts_with[0]", "give 1 to 2048 characters"],
    ),
    (
        "advanced selector name over 1000",
        TRAIL,
        trail(**selectors(name="n" * 1001)),
        ["advanced_event_selectors[0].name", "give 0 to 1000 characters"],
    ),
    ("empty trail tag value", TRAIL, trail(tags={"owner": ""}), ["tags.owner", "give 1 to 256 characters"]),
    (
        "trail bucket tag with the aws: prefix",
        TRAIL_BUCKET,
        {"name": "bi-trail-logs", "trails": ["bi-trail"], "tags": {"aws:owner": "secops"}},
        ["tags key 'aws:owner'", "not starting with aws:"],
    ),
    (
        "51 trail bucket tags",
        TRAIL_BUCKET,
        {"name": "bi-trail-logs", "trails": ["bi-trail"], "tags": {f"k{i}": "v" for i in range(51)}},
        ["tags has 51 tags", "at most 50"],
    ),
    (
        "trail bucket policy over 20 KB",
        TRAIL_BUCKET,
        {"name": "bi-trail-logs", "trails": [f"bi-trail-{index:03d}" for index in range(300)]},
        ["trails makes a bucket policy of", "Merge statements"],
    ),
    (
        "bucket tag value over 256",
        BUCKET,
        {"name": "bi-bucket", "tags": {"owner": "o" * 257}},
        ["tags.owner", "give at most 256"],
    ),
    (
        "bucket tag key over 128",
        BUCKET,
        {"name": "bi-bucket", "tags": {"k" * 129: "v"}},
        ["tags key", "give 1 to 128 characters"],
    ),
    (
        "bucket policy over 20 KB",
        BUCKET,
        {"name": "bi-bucket", "policy_statements": [statement(index, "bi-bucket") for index in range(100)]},
        ["policy_statements makes a bucket policy of", "Merge statements"],
    ),
    (
        "Lambda code scanning without Lambda, purged",
        INSPECTOR,
        {"resource_types": ["ECR", "LAMBDA_CODE"]},
        ["resource_types lists LAMBDA_CODE without LAMBDA", "Add LAMBDA to resource_types"],
    ),
    (
        "Lambda code scanning without Lambda on in the account",
        INSPECTOR,
        {"resource_types": ["LAMBDA_CODE"], "purge": False, "account_ids": [ACCOUNT]},
        [f"LAMBDA_CODE on without LAMBDA in {ACCOUNT}", "Add LAMBDA to resource_types"],
    ),
    (
        "web ACL ID that is not a lowercase UUID",
        WEB_ACL,
        {"distribution_id": "E2QWRUHAPOMQZL", "web_acl_arn": f"{CLOUDFRONT_ACL}/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"},
        ["web_acl_arn", "the web ACL id", "match the pattern"],
    ),
    (
        "route destination with host bits set",
        VPC_MEMBERS,
        {"route_tables": {TABLE_ID: ["0.0.0.0/0", "10.0.0.1/8"]}},
        [f"route_tables['{TABLE_ID}'][1]", "write '10.0.0.0/8'"],
    ),
    (
        "network ACL rule number above 32766",
        VPC_MEMBERS,
        {"network_acls": {ACL_ID: ["ingress:100", "egress:40000"]}},
        [f"network_acls['{ACL_ID}'][1]", "N from 1 to 32766"],
    ),
    (
        "security group rule listed by group ID",
        SG_RULES,
        {"security_groups": {GROUP_ID: ["sg-0123456789abcdef1"]}},
        [f"security_groups['{GROUP_ID}'][0]", "sgr-0123456789abcdef0"],
    ),
]
