"""plugins/module_utils/shield.py: ARN classification, tag planning, pagination and error handling.

Also holds :func:`run_module`, which the module tests share: it runs a module's ``main()`` with real argument
parsing against a botocore ``Stubber`` (every request is validated against Shield's service model, and any call
that is not stubbed fails the run).
"""

from __future__ import annotations

import botocore.session
import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils import shield, shield_resources

from tests.unit.aws_stub import AwsStub, stubbed_client

ACCOUNT = "123456789012"
ALB = f"arn:aws:elasticloadbalancing:eu-west-1:{ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188"
NLB = f"arn:aws:elasticloadbalancing:eu-west-1:{ACCOUNT}:loadbalancer/net/edge/50dc6c495c0c9188"
GWLB = f"arn:aws:elasticloadbalancing:eu-west-1:{ACCOUNT}:loadbalancer/gwy/inspect/50dc6c495c0c9188"
CLB = f"arn:aws:elasticloadbalancing:eu-west-1:{ACCOUNT}:loadbalancer/legacy-web"
TARGET_GROUP = f"arn:aws:elasticloadbalancing:eu-west-1:{ACCOUNT}:targetgroup/web/50dc6c495c0c9188"
DISTRIBUTION = f"arn:aws:cloudfront::{ACCOUNT}:distribution/E2EXAMPLE1"
ZONE = "arn:aws:route53:::hostedzone/Z123EXAMPLE"
HEALTH_CHECK = "arn:aws:route53:::healthcheck/abcd1234-ab12-cd34-ef56-abcdef123456"
ACCELERATOR = f"arn:aws:globalaccelerator::{ACCOUNT}:accelerator/1234abcd-abcd-1234-abcd-1234abcdefgh"
EIP = f"arn:aws:ec2:eu-west-1:{ACCOUNT}:eip-allocation/eipalloc-0123456789abcdef0"
EIP_OLD_FORM = f"arn:aws:ec2:eu-west-1:{ACCOUNT}:elastic-ip/eipalloc-0123456789abcdef0"
INSTANCE = f"arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/i-0123456789abcdef0"
REST_API = "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5"
BUCKET = "arn:aws:s3:::my-bucket"


def shield_stub():
    return stubbed_client("shield")


def run_module(monkeypatch, capsys, module, args, stubber_setup=None, check_mode=False, diff=False, aws=True):
    """Run ``module.main()`` with ``args`` and return its result. Unstubbed calls fail the module; with
    ``aws=False`` even creating a client fails the test."""
    client, stubber = shield_stub()
    if stubber_setup:
        stubber_setup(stubber)
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.factories(module, aws, shield_client=client)
    return aws_stub.run(module, args, stubber, check_mode=check_mode, diff=diff)


# ---------------------------------------------------------------- classification

CLASSIFICATION = [
    (ALB, "APPLICATION_LOAD_BALANCER", "Application Load Balancer", ""),
    (CLB, "CLASSIC_LOAD_BALANCER", "Classic Load Balancer", ""),
    (DISTRIBUTION, "CLOUDFRONT_DISTRIBUTION", "CloudFront distribution", ""),
    (ZONE, "ROUTE_53_HOSTED_ZONE", "Route 53 hosted zone", ""),
    (ACCELERATOR, "GLOBAL_ACCELERATOR", "Global Accelerator accelerator", ""),
    (EIP, "ELASTIC_IP_ALLOCATION", "Elastic IP allocation", ""),
    (EIP.replace("arn:aws:", "arn:aws-us-gov:"), "ELASTIC_IP_ALLOCATION", "Elastic IP allocation", ""),
    (NLB, None, "Network Load Balancer", "eip-allocation"),
    (GWLB, None, "Gateway Load Balancer", "Elastic IP"),
    (TARGET_GROUP, None, "ELB target group", "load balancer itself"),
    (HEALTH_CHECK, None, "Route 53 health check", "health_check_arns"),
    (INSTANCE, None, "EC2 instance", "eip-allocation"),
    (EIP_OLD_FORM, None, "Elastic IP (elastic-ip/ form)", "eip-allocation"),
    (REST_API, None, "API Gateway API", "WAF"),
    (BUCKET, None, "s3 resource 'my-bucket'", "Shield Advanced protects"),
    ("eipalloc-0123456789abcdef0", None, "not an ARN", "full resource ARN"),
    ("", None, "not an ARN", "full resource ARN"),
]


@pytest.mark.parametrize(("arn", "kind", "description", "advice"), CLASSIFICATION)
def test_classify_resource_arn(arn, kind, description, advice):
    got_kind, got_description, got_advice = shield_resources.classify_resource_arn(arn)
    assert (got_kind, got_description) == (kind, description)
    assert advice in got_advice
    if kind is None:
        assert got_advice, "a rejected type must say what to do instead"


def test_every_protectable_type_is_a_shield_resource_type():
    model = botocore.session.get_session().get_service_model("shield")
    assert set(shield_resources.PROTECTABLE_TYPES) == set(model.shape_for("ProtectedResourceType").enum)
    assert set(shield_resources.ALAR_TYPES) <= set(shield_resources.PROTECTABLE_TYPES)


def test_health_check_ids_and_arns():
    assert shield.health_check_id(HEALTH_CHECK) == "abcd1234-ab12-cd34-ef56-abcdef123456"
    assert shield.health_check_id("abcd1234") is None
    assert shield.health_check_id(ZONE) is None
    assert shield.health_check_arn("aws", "abc") == "arn:aws:route53:::healthcheck/abc"
    assert shield.arn_partition(EIP.replace("arn:aws:", "arn:aws-cn:")) == "aws-cn"


# ---------------------------------------------------------------- tags


def test_tag_changes_unset_leaves_tags_alone():
    assert shield.tag_changes({"a": "1"}, None, True) == ({"a": "1"}, {}, [])


def test_tag_changes_purge_keeps_aws_reserved_keys():
    after, to_set, to_unset = shield.tag_changes({"a": "1", "b": "2", "aws:x": "y"}, {"a": "1", "c": 3}, True)
    assert after == {"a": "1", "c": "3", "aws:x": "y"}
    assert to_set == {"c": "3"}
    assert to_unset == ["b"]


def test_tag_changes_without_purge_only_adds():
    after, to_set, to_unset = shield.tag_changes({"a": "1", "b": "2"}, {"a": "9"}, False)
    assert after == {"a": "9", "b": "2"}
    assert (to_set, to_unset) == ({"a": "9"}, [])


# ---------------------------------------------------------------- API wrappers


def test_list_protection_groups_reads_every_page():
    client, stubber = shield_stub()
    group = {"ProtectionGroupId": "g1", "Aggregation": "SUM", "Pattern": "ALL", "Members": [], "ProtectionGroupArn": ""}
    group_arn = "arn:aws:shield::123456789012:protection-group/"
    stubber.add_response(
        "list_protection_groups",
        {"ProtectionGroups": [dict(group, ProtectionGroupArn=group_arn + "g1")], "NextToken": "t1"},
        {},
    )
    stubber.add_response(
        "list_protection_groups",
        {"ProtectionGroups": [dict(group, ProtectionGroupId="g2", ProtectionGroupArn=group_arn + "g2")]},
        {"NextToken": "t1"},
    )
    with stubber:
        groups = shield.list_protection_groups(client)
    assert [g["ProtectionGroupId"] for g in groups] == ["g1", "g2"]


def test_list_protections_reads_every_page():
    client, stubber = shield_stub()
    item = {"Id": "a" * 36, "Name": "p1", "ResourceArn": EIP, "ProtectionArn": "arn:aws:shield::1:protection/a"}
    stubber.add_response("list_protections", {"Protections": [item], "NextToken": "t"}, {})
    stubber.add_response("list_protections", {"Protections": [dict(item, Name="p2")]}, {"NextToken": "t"})
    with stubber:
        assert [p["Name"] for p in shield.list_protections(client)] == ["p1", "p2"]


def test_missing_resources_read_as_none_and_deletes_as_false():
    client, stubber = shield_stub()
    stubber.add_client_error("describe_protection_group", "ResourceNotFoundException", "gone")
    stubber.add_client_error("describe_subscription", "ResourceNotFoundException", "The subscription does not exist.")
    stubber.add_client_error("delete_protection", "ResourceNotFoundException", "gone")
    with stubber:
        assert shield.describe_protection_group(client, "g1") is None
        assert shield.describe_subscription(client) is None
        assert shield.delete_protection(client, "a" * 36) is False


def test_other_errors_become_ansible_shield_errors():
    client, stubber = shield_stub()
    stubber.add_client_error("create_protection", "InvalidResourceException", "Unrecognized resource")
    with stubber, pytest.raises(shield.AnsibleShieldError) as raised:
        shield.create_protection(client, "p", EIP)
    assert raised.value.message == "Failed to create protection"


def test_create_protection_leaves_out_aws_reserved_tags():
    client, stubber = shield_stub()
    stubber.add_response(
        "create_protection",
        {"ProtectionId": "a" * 36},
        {"Name": "p", "ResourceArn": EIP, "Tags": [{"Key": "team", "Value": "web"}]},
    )
    with stubber:
        assert shield.create_protection(client, "p", EIP, {"aws:cloudformation:stack-name": "s", "team": "web"})


def test_client_is_pinned_to_us_east_1():
    class Module:
        def client(self, service, **extra):
            return service, extra

    assert shield.shield_client(Module()) == ("shield", {"region": "us-east-1"})
