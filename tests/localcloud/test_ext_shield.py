"""Shield Advanced extensions (tools/localcloud/extensions/services/shield.py) on a real server, real boto3."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import Cloud

ACCOUNT = "123456789012"
ALB = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/web/0123456789abcdef"
NLB = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/net/web/0123456789abcdef"
CLB = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/classic-web"
EIP = f"arn:aws:ec2:us-east-1:{ACCOUNT}:eip-allocation/eipalloc-0123456789abcdef0"
DISTRIBUTION = f"arn:aws:cloudfront::{ACCOUNT}:distribution/E1ABCDEF2GHIJK"
ZONE = "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"
NO_VALIDATION = Config(retries={"mode": "standard", "total_max_attempts": 1}, parameter_validation=False)
DRT_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "drt.shield.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


@pytest.fixture
def shield(cloud: Cloud) -> Any:
    client = cloud.client("shield", config=NO_VALIDATION)
    client.create_subscription()
    return client


def _protect(shield: Any, arn: str, name: str = "p") -> str:
    return shield.create_protection(Name=name, ResourceArn=arn)["ProtectionId"]


# -- subscription and protections ------------------------------------------------------------------
def test_shield_advanced_actions_need_a_subscription(cloud: Cloud) -> None:
    shield = cloud.client("shield", config=NO_VALIDATION)
    for call, kwargs in [
        (shield.create_protection, {"Name": "p", "ResourceArn": ALB}),
        (shield.create_protection_group, {"ProtectionGroupId": "g", "Aggregation": "SUM", "Pattern": "ALL"}),
        (shield.associate_drt_role, {"RoleArn": f"arn:aws:iam::{ACCOUNT}:role/drt"}),
        (shield.update_emergency_contact_settings, {"EmergencyContactList": []}),
        (shield.enable_proactive_engagement, {}),
    ]:
        with pytest.raises(ClientError) as err:
            call(**kwargs)
        assert _code(err) == "ResourceNotFoundException"
        assert "subscription does not exist" in str(err.value)


def test_create_protection_accepts_only_protectable_resources(shield: Any) -> None:
    for arn in (ALB, CLB, EIP, DISTRIBUTION, ZONE):
        assert _protect(shield, arn, name="p-1")
    for arn in (NLB, "arn:aws:s3:::bucket", f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/i-0123"):
        with pytest.raises(ClientError) as err:
            shield.create_protection(Name="p", ResourceArn=arn)
        assert _code(err) == "InvalidResourceException"
    with pytest.raises(ClientError) as err:
        shield.create_protection(Name="bad*name", ResourceArn=f"{ALB}0")
    assert _code(err) == "InvalidParameterException"
    assert err.value.response["reason"] == "FIELD_VALIDATION_FAILED"
    assert err.value.response["fields"][0]["name"] == "name"
    with pytest.raises(ClientError) as err:
        shield.create_protection(Name="again", ResourceArn=ALB)
    assert _code(err) == "ResourceAlreadyExistsException"


def test_describe_and_list_protections(shield: Any) -> None:
    alb_id = _protect(shield, ALB, "alb")
    _protect(shield, EIP, "eip")
    protection = shield.describe_protection(ResourceArn=ALB)["Protection"]
    assert protection["Id"] == alb_id and protection["HealthCheckIds"] == []
    assert protection["ProtectionArn"] == f"arn:aws:shield::{ACCOUNT}:protection/{alb_id}"
    assert "ApplicationLayerAutomaticResponseConfiguration" not in protection
    assert shield.describe_protection(ProtectionId=alb_id)["Protection"]["Name"] == "alb"
    with pytest.raises(ClientError) as err:
        shield.describe_protection(ProtectionId=alb_id, ResourceArn=ALB)
    assert _code(err) == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        shield.describe_protection(ResourceArn=CLB)
    assert _code(err) == "ResourceNotFoundException"

    by_type = shield.list_protections(InclusionFilters={"ResourceTypes": ["ELASTIC_IP_ALLOCATION"]})["Protections"]
    assert [p["Name"] for p in by_type] == ["eip"]
    assert (
        shield.list_protections(InclusionFilters={"ProtectionNames": ["nope"], "ResourceArns": [ALB]})["Protections"]
        == []
    )
    first = shield.list_protections(MaxResults=1)
    assert len(first["Protections"]) == 1 and first["NextToken"]
    second = shield.list_protections(MaxResults=1, NextToken=first["NextToken"])
    assert len(second["Protections"]) == 1 and "NextToken" not in second
    assert {first["Protections"][0]["Name"], second["Protections"][0]["Name"]} == {"alb", "eip"}
    with pytest.raises(ClientError) as err:
        shield.list_protections(NextToken="garbage!")
    assert _code(err) == "InvalidPaginationTokenException"


def test_describe_subscription_has_real_timestamps(shield: Any) -> None:
    subscription = shield.describe_subscription()["Subscription"]
    assert subscription["EndTime"] > subscription["StartTime"]
    assert "ProactiveEngagementStatus" not in subscription  # not set up yet
    assert subscription["SubscriptionLimits"]["ProtectionGroupLimits"]["MaxProtectionGroups"] == 20


# -- protection groups -----------------------------------------------------------------------------
def test_protection_groups_lifecycle(cloud: Cloud, shield: Any) -> None:
    _protect(shield, ALB, "alb")
    _protect(shield, EIP, "eip")
    shield.create_protection_group(ProtectionGroupId="all", Aggregation="SUM", Pattern="ALL")
    shield.create_protection_group(
        ProtectionGroupId="albs",
        Aggregation="MEAN",
        Pattern="BY_RESOURCE_TYPE",
        ResourceType="APPLICATION_LOAD_BALANCER",
    )
    shield.create_protection_group(
        ProtectionGroupId="pick",
        Aggregation="MAX",
        Pattern="ARBITRARY",
        Members=[EIP, ZONE],
        Tags=[{"Key": "team", "Value": "web"}],
    )
    group = shield.describe_protection_group(ProtectionGroupId="all")["ProtectionGroup"]
    assert group["ProtectionGroupArn"] == f"arn:aws:shield::{ACCOUNT}:protection-group/all"
    assert sorted(group["Members"]) == sorted([ALB, EIP])
    assert shield.describe_protection_group(ProtectionGroupId="albs")["ProtectionGroup"]["Members"] == [ALB]
    assert shield.list_resources_in_protection_group(ProtectionGroupId="pick")["ResourceArns"] == [EIP, ZONE]

    # Members of ALL / BY_RESOURCE_TYPE follow the protections.
    _protect(shield, f"{ALB[:-1]}1", "alb2")
    assert len(shield.list_resources_in_protection_group(ProtectionGroupId="albs")["ResourceArns"]) == 2

    listed = shield.list_protection_groups()["ProtectionGroups"]
    assert [g["ProtectionGroupId"] for g in listed] == ["all", "albs", "pick"]
    filtered = shield.list_protection_groups(InclusionFilters={"Patterns": ["ARBITRARY"], "Aggregations": ["MAX"]})
    assert [g["ProtectionGroupId"] for g in filtered["ProtectionGroups"]] == ["pick"]

    # Tags on the group ARN work with moto's own tagging actions.
    arn = f"arn:aws:shield::{ACCOUNT}:protection-group/pick"
    assert shield.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "web"}]
    shield.tag_resource(ResourceARN=arn, Tags=[{"Key": "env", "Value": "dev"}])
    shield.untag_resource(ResourceARN=arn, TagKeys=["team"])
    assert shield.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "env", "Value": "dev"}]

    shield.update_protection_group(
        ProtectionGroupId="pick", Aggregation="SUM", Pattern="BY_RESOURCE_TYPE", ResourceType="ELASTIC_IP_ALLOCATION"
    )
    updated = shield.describe_protection_group(ProtectionGroupId="pick")["ProtectionGroup"]
    assert updated["Aggregation"] == "SUM" and updated["Members"] == [EIP]

    shield.delete_protection_group(ProtectionGroupId="pick")
    for call in (shield.describe_protection_group, shield.delete_protection_group):
        with pytest.raises(ClientError) as err:
            call(ProtectionGroupId="pick")
        assert _code(err) == "ResourceNotFoundException"
    assert shield.list_tags_for_resource(ResourceARN=arn)["Tags"] == []

    assert cloud.post("/_localcloud/reset")[0] == 200
    shield.create_subscription()
    assert shield.list_protection_groups()["ProtectionGroups"] == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"ProtectionGroupId": "bad_id!", "Aggregation": "SUM", "Pattern": "ALL"}, "protectionGroupId"),
        ({"ProtectionGroupId": "x" * 37, "Aggregation": "SUM", "Pattern": "ALL"}, "protectionGroupId"),
        ({"ProtectionGroupId": "g", "Aggregation": "AVG", "Pattern": "ALL"}, "aggregation"),
        ({"ProtectionGroupId": "g", "Aggregation": "SUM", "Pattern": "SOME"}, "pattern"),
        ({"ProtectionGroupId": "g", "Aggregation": "SUM", "Pattern": "ARBITRARY"}, "members"),
        (
            {
                "ProtectionGroupId": "g",
                "Aggregation": "SUM",
                "Pattern": "ARBITRARY",
                "Members": [ALB],
                "ResourceType": "GLOBAL_ACCELERATOR",
            },
            "resourceType",
        ),
        ({"ProtectionGroupId": "g", "Aggregation": "SUM", "Pattern": "BY_RESOURCE_TYPE"}, "resourceType"),
        (
            {
                "ProtectionGroupId": "g",
                "Aggregation": "SUM",
                "Pattern": "BY_RESOURCE_TYPE",
                "ResourceType": "ROUTE_53_HOSTED_ZONE",
                "Members": [ZONE],
            },
            "members",
        ),
        ({"ProtectionGroupId": "g", "Aggregation": "SUM", "Pattern": "ALL", "Members": [ALB]}, "members"),
        (
            {"ProtectionGroupId": "g", "Aggregation": "SUM", "Pattern": "ALL", "ResourceType": "GLOBAL_ACCELERATOR"},
            "resourceType",
        ),
    ],
)
def test_protection_group_validation(shield: Any, kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ClientError) as err:
        shield.create_protection_group(**kwargs)
    assert _code(err) == "InvalidParameterException"
    assert err.value.response["fields"][0]["name"] == field


def test_protection_group_duplicates_and_limits(shield: Any) -> None:
    shield.create_protection_group(ProtectionGroupId="g", Aggregation="SUM", Pattern="ALL")
    with pytest.raises(ClientError) as err:
        shield.create_protection_group(ProtectionGroupId="g", Aggregation="MAX", Pattern="ALL")
    assert _code(err) == "ResourceAlreadyExistsException"
    with pytest.raises(ClientError) as err:
        shield.update_protection_group(ProtectionGroupId="missing", Aggregation="SUM", Pattern="ALL")
    assert _code(err) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as err:
        shield.create_protection_group(
            ProtectionGroupId="big", Aggregation="SUM", Pattern="ARBITRARY", Members=[f"{EIP}{i}" for i in range(101)]
        )
    assert _code(err) == "LimitsExceededException"
    assert err.value.response["Limit"] == 100
    for i in range(19):
        shield.create_protection_group(ProtectionGroupId=f"g{i}", Aggregation="SUM", Pattern="ALL")
    with pytest.raises(ClientError) as err:
        shield.create_protection_group(ProtectionGroupId="one-too-many", Aggregation="SUM", Pattern="ALL")
    assert _code(err) == "LimitsExceededException"


# -- SRT access ------------------------------------------------------------------------------------
def test_drt_role_and_log_buckets(cloud: Cloud, shield: Any) -> None:
    iam, s3 = cloud.client("iam"), cloud.client("s3")
    assert set(shield.describe_drt_access()) == {"ResponseMetadata"}
    with pytest.raises(ClientError) as err:
        shield.associate_drt_log_bucket(LogBucket="flow-logs")
    assert _code(err) == "NoAssociatedRoleException"

    missing = f"arn:aws:iam::{ACCOUNT}:role/missing"
    with pytest.raises(ClientError) as err:
        shield.associate_drt_role(RoleArn=missing)
    assert _code(err) == "AccessDeniedForDependencyException"
    with pytest.raises(ClientError) as err:
        shield.associate_drt_role(RoleArn="arn:aws:iam::123:user/bob")
    assert _code(err) == "InvalidParameterException"
    ec2_trust = json.dumps(
        {**DRT_TRUST, "Statement": [{**DRT_TRUST["Statement"][0], "Principal": {"Service": "ec2.amazonaws.com"}}]}
    )
    wrong = iam.create_role(RoleName="wrong", AssumeRolePolicyDocument=ec2_trust)["Role"]["Arn"]
    with pytest.raises(ClientError) as err:
        shield.associate_drt_role(RoleArn=wrong)
    assert _code(err) == "InvalidParameterException"

    role = iam.create_role(RoleName="drt", AssumeRolePolicyDocument=json.dumps(DRT_TRUST))["Role"]["Arn"]
    shield.associate_drt_role(RoleArn=role)
    assert shield.describe_drt_access()["RoleArn"] == role

    with pytest.raises(ClientError) as err:
        shield.associate_drt_log_bucket(LogBucket="no-such-bucket")
    assert _code(err) == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        shield.associate_drt_log_bucket(LogBucket="Bad_Bucket")
    assert _code(err) == "InvalidParameterException"
    for i in range(11):
        s3.create_bucket(Bucket=f"logs-{i}")
    for i in range(10):
        shield.associate_drt_log_bucket(LogBucket=f"logs-{i}")
    shield.associate_drt_log_bucket(LogBucket="logs-0")  # already there: no change
    with pytest.raises(ClientError) as err:
        shield.associate_drt_log_bucket(LogBucket="logs-10")
    assert _code(err) == "LimitsExceededException"
    assert shield.describe_drt_access()["LogBucketList"] == [f"logs-{i}" for i in range(10)]

    shield.disassociate_drt_log_bucket(LogBucket="logs-3")
    with pytest.raises(ClientError) as err:
        shield.disassociate_drt_log_bucket(LogBucket="logs-3")
    assert _code(err) == "ResourceNotFoundException"
    assert "logs-3" not in shield.describe_drt_access()["LogBucketList"]
    shield.disassociate_drt_role()
    assert "RoleArn" not in shield.describe_drt_access()
    with pytest.raises(ClientError) as err:
        shield.disassociate_drt_log_bucket(LogBucket="logs-4")
    assert _code(err) == "NoAssociatedRoleException"


# -- emergency contacts and proactive engagement ---------------------------------------------------
def test_emergency_contacts_and_proactive_engagement(shield: Any) -> None:
    assert "EmergencyContactList" not in shield.describe_emergency_contact_settings()
    with pytest.raises(ClientError) as err:
        shield.enable_proactive_engagement()
    assert _code(err) == "InvalidOperationException"
    with pytest.raises(ClientError) as err:
        shield.associate_proactive_engagement_details(EmergencyContactList=[{"EmailAddress": "ops@example.com"}])
    assert _code(err) == "InvalidParameterException"  # proactive engagement needs a phone number
    with pytest.raises(ClientError) as err:
        shield.associate_proactive_engagement_details(
            EmergencyContactList=[{"EmailAddress": "ops@example.com", "PhoneNumber": "0123"}]
        )
    assert _code(err) == "InvalidParameterException"

    # Contacts set before proactive engagement are replaced by the ones it is set up with.
    shield.update_emergency_contact_settings(EmergencyContactList=[{"EmailAddress": "old@example.com"}])
    contact = {"EmailAddress": "ops@example.com", "PhoneNumber": "+15555550100", "ContactNotes": "on call"}
    shield.associate_proactive_engagement_details(EmergencyContactList=[contact])
    assert shield.describe_emergency_contact_settings()["EmergencyContactList"] == [contact]
    assert shield.describe_subscription()["Subscription"]["ProactiveEngagementStatus"] == "ENABLED"
    with pytest.raises(ClientError) as err:  # only for the initial setup
        shield.associate_proactive_engagement_details(EmergencyContactList=[contact])
    assert _code(err) == "InvalidOperationException"

    with pytest.raises(ClientError) as err:  # enabled: the list must keep a phone number
        shield.update_emergency_contact_settings(EmergencyContactList=[{"EmailAddress": "ops@example.com"}])
    assert _code(err) == "InvalidParameterException"
    shield.disable_proactive_engagement()
    assert shield.describe_subscription()["Subscription"]["ProactiveEngagementStatus"] == "DISABLED"
    shield.update_emergency_contact_settings(EmergencyContactList=[{"EmailAddress": "sec@example.com"}])
    assert shield.describe_emergency_contact_settings()["EmergencyContactList"] == [{"EmailAddress": "sec@example.com"}]
    with pytest.raises(ClientError) as err:
        shield.enable_proactive_engagement()
    assert _code(err) == "InvalidOperationException"
    shield.update_emergency_contact_settings(EmergencyContactList=[contact])
    shield.enable_proactive_engagement()
    assert shield.describe_subscription()["Subscription"]["ProactiveEngagementStatus"] == "ENABLED"
    with pytest.raises(ClientError) as err:
        shield.update_emergency_contact_settings(EmergencyContactList=[{"EmailAddress": "not-an-email"}])
    assert _code(err) == "InvalidParameterException"


def test_disable_proactive_engagement_before_setup_fails(shield: Any) -> None:
    with pytest.raises(ClientError) as err:
        shield.disable_proactive_engagement()
    assert _code(err) == "InvalidOperationException"


# -- health checks ---------------------------------------------------------------------------------
def test_health_check_association(cloud: Cloud, shield: Any) -> None:
    route53 = cloud.client("route53")
    config = {"Type": "HTTP", "FullyQualifiedDomainName": "example.com", "Port": 80, "ResourcePath": "/"}
    first = route53.create_health_check(CallerReference="a", HealthCheckConfig=config)["HealthCheck"]["Id"]
    second = route53.create_health_check(CallerReference="b", HealthCheckConfig=config)["HealthCheck"]["Id"]
    protection_id = _protect(shield, ALB)
    shield.associate_health_check(ProtectionId=protection_id, HealthCheckArn=f"arn:aws:route53:::healthcheck/{first}")
    assert shield.describe_protection(ProtectionId=protection_id)["Protection"]["HealthCheckIds"] == [first]
    assert shield.list_protections()["Protections"][0]["HealthCheckIds"] == [first]
    with pytest.raises(ClientError) as err:
        shield.associate_health_check(
            ProtectionId=protection_id, HealthCheckArn=f"arn:aws:route53:::healthcheck/{second}"
        )
    assert _code(err) == "LimitsExceededException"
    with pytest.raises(ClientError) as err:
        shield.associate_health_check(ProtectionId=protection_id, HealthCheckArn="arn:aws:route53:::hostedzone/Z1")
    assert _code(err) == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        shield.associate_health_check(
            ProtectionId=protection_id, HealthCheckArn="arn:aws:route53:::healthcheck/" + "0" * 36
        )
    assert _code(err) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as err:
        shield.associate_health_check(ProtectionId="0" * 36, HealthCheckArn=f"arn:aws:route53:::healthcheck/{first}")
    assert _code(err) == "ResourceNotFoundException"

    shield.disassociate_health_check(
        ProtectionId=protection_id, HealthCheckArn=f"arn:aws:route53:::healthcheck/{first}"
    )
    assert shield.describe_protection(ProtectionId=protection_id)["Protection"]["HealthCheckIds"] == []
    with pytest.raises(ClientError) as err:
        shield.disassociate_health_check(
            ProtectionId=protection_id, HealthCheckArn=f"arn:aws:route53:::healthcheck/{first}"
        )
    assert _code(err) == "ResourceNotFoundException"


# -- application layer automatic response ----------------------------------------------------------
def _web_acl(cloud: Cloud) -> str:
    wafv2 = cloud.client("wafv2")
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "acl"}
    summary = wafv2.create_web_acl(
        Name="acl", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=visibility
    )["Summary"]
    return summary["ARN"]


def test_application_layer_automatic_response(cloud: Cloud, shield: Any) -> None:
    _protect(shield, ALB, "alb")
    _protect(shield, EIP, "eip")
    with pytest.raises(ClientError) as err:
        shield.enable_application_layer_automatic_response(ResourceArn=EIP, Action={"Block": {}})
    assert _code(err) == "InvalidParameterException"  # CloudFront and ALB only
    with pytest.raises(ClientError) as err:
        shield.enable_application_layer_automatic_response(ResourceArn=CLB, Action={"Block": {}})
    assert _code(err) == "ResourceNotFoundException"  # not protected
    with pytest.raises(ClientError) as err:
        shield.enable_application_layer_automatic_response(ResourceArn=ALB, Action={"Block": {}})
    assert _code(err) == "InvalidOperationException"  # no web ACL on the ALB
    cloud.client("wafv2").associate_web_acl(WebACLArn=_web_acl(cloud), ResourceArn=ALB)
    with pytest.raises(ClientError) as err:
        shield.enable_application_layer_automatic_response(ResourceArn=ALB, Action={"Block": {}, "Count": {}})
    assert _code(err) == "InvalidParameterException"

    shield.enable_application_layer_automatic_response(ResourceArn=ALB, Action={"Block": {}})
    config = shield.describe_protection(ResourceArn=ALB)["Protection"]["ApplicationLayerAutomaticResponseConfiguration"]
    assert config == {"Status": "ENABLED", "Action": {"Block": {}}}
    with pytest.raises(ClientError) as err:
        shield.enable_application_layer_automatic_response(ResourceArn=ALB, Action={"Count": {}})
    assert _code(err) == "InvalidOperationException"
    shield.update_application_layer_automatic_response(ResourceArn=ALB, Action={"Count": {}})
    listed = shield.list_protections(InclusionFilters={"ResourceArns": [ALB]})["Protections"][0]
    assert listed["ApplicationLayerAutomaticResponseConfiguration"] == {"Status": "ENABLED", "Action": {"Count": {}}}
    shield.disable_application_layer_automatic_response(ResourceArn=ALB)
    config = shield.describe_protection(ResourceArn=ALB)["Protection"]["ApplicationLayerAutomaticResponseConfiguration"]
    assert config["Status"] == "DISABLED"
    with pytest.raises(ClientError) as err:
        shield.disable_application_layer_automatic_response(ResourceArn=ALB)
    assert _code(err) == "InvalidOperationException"
    with pytest.raises(ClientError) as err:
        shield.update_application_layer_automatic_response(ResourceArn=ALB, Action={"Block": {}})
    assert _code(err) == "InvalidOperationException"


def test_automatic_response_for_cloudfront_uses_the_distribution_web_acl(cloud: Cloud, shield: Any) -> None:
    cloudfront = cloud.client("cloudfront")
    wafv2 = cloud.client("wafv2")
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "cf"}
    acl = wafv2.create_web_acl(Name="cf", Scope="CLOUDFRONT", DefaultAction={"Allow": {}}, VisibilityConfig=visibility)
    origin = {
        "Id": "o",
        "DomainName": "example.com",
        "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
    }
    config = {
        "CallerReference": "ref",
        "Origins": {"Quantity": 1, "Items": [origin]},
        # A cache behaviour needs ForwardedValues or a cache policy (AWS, and the local cloud, refuse neither).
        "DefaultCacheBehavior": {
            "TargetOriginId": "o",
            "ViewerProtocolPolicy": "allow-all",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
        },
        "Comment": "",
        "Enabled": True,
        "WebACLId": acl["Summary"]["ARN"],
    }
    distribution = cloudfront.create_distribution(DistributionConfig=config)["Distribution"]
    _protect(shield, distribution["ARN"])
    shield.enable_application_layer_automatic_response(ResourceArn=distribution["ARN"], Action={"Count": {}})
    protection = shield.describe_protection(ResourceArn=distribution["ARN"])["Protection"]
    assert protection["ApplicationLayerAutomaticResponseConfiguration"]["Action"] == {"Count": {}}


def test_update_subscription_sets_auto_renew(shield: Any) -> None:
    assert shield.describe_subscription()["Subscription"]["AutoRenew"] == "ENABLED"
    shield.update_subscription(AutoRenew="DISABLED")
    assert shield.describe_subscription()["Subscription"]["AutoRenew"] == "DISABLED"
