"""Route 53 health checks over CloudWatch alarms (CLOUDWATCH_METRIC) and calculated ones, as AWS keeps them."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError


def _alarm(cloud, name, region="us-east-1", **overrides):
    args = {
        "AlarmName": name,
        "Namespace": "AWS/ApiGateway",
        "MetricName": "5XXError",
        "Dimensions": [{"Name": "ApiName", "Value": "dev-edge"}, {"Name": "Stage", "Value": "v1"}],
        "Statistic": "Average",
        "Period": 60,
        "EvaluationPeriods": 5,
        "Threshold": 0.05,
        "ComparisonOperator": "GreaterThanThreshold",
    }
    args.update(overrides)
    cloud.client("cloudwatch", region_name=region).put_metric_alarm(**{k: v for k, v in args.items() if v is not None})


def _metric_check(r53, name, region="us-east-1", **extra):
    config = {"Type": "CLOUDWATCH_METRIC", "AlarmIdentifier": {"Name": name, "Region": region}, **extra}
    return r53.create_health_check(CallerReference=str(uuid.uuid4()), HealthCheckConfig=config)["HealthCheck"]


def _code(call, **kwargs):
    with pytest.raises(ClientError) as err:
        call(**kwargs)
    return err.value.response["Error"]["Code"]


def test_cloudwatch_metric_check_round_trip(cloud):
    _alarm(cloud, "api-5xx", region="eu-west-1")
    r53 = cloud.client("route53")
    created = _metric_check(r53, "api-5xx", region="eu-west-1", InsufficientDataHealthStatus="Healthy")
    got = r53.get_health_check(HealthCheckId=created["Id"])["HealthCheck"]
    # No endpoint fields (moto alone adds Port 80, RequestInterval 30, FailureThreshold 3).
    assert got["HealthCheckConfig"] == {
        "Type": "CLOUDWATCH_METRIC",
        "Inverted": False,
        "Disabled": False,
        "AlarmIdentifier": {"Name": "api-5xx", "Region": "eu-west-1"},
        "InsufficientDataHealthStatus": "Healthy",
    }
    alarm = got["CloudWatchAlarmConfiguration"]
    assert alarm["MetricName"] == "5XXError" and alarm["Namespace"] == "AWS/ApiGateway"
    assert alarm["Statistic"] == "Average" and alarm["Period"] == 60 and alarm["Threshold"] == 0.05
    assert {"Name": "Stage", "Value": "v1"} in alarm["Dimensions"]
    listed = r53.list_health_checks()["HealthChecks"]
    assert [c["Id"] for c in listed] == [created["Id"]]
    assert listed[0]["HealthCheckConfig"]["AlarmIdentifier"]["Region"] == "eu-west-1"


@pytest.mark.parametrize(
    "overrides",
    [
        {"Statistic": None, "ExtendedStatistic": "p99"},  # percentile
        {"Period": 10},  # high resolution
    ],
)
def test_alarms_route53_cannot_follow(cloud, overrides):
    _alarm(cloud, "a", **overrides)
    assert _code(_metric_check, r53=cloud.client("route53"), name="a") == "InvalidInput"


def test_missing_alarm_or_identifier_is_invalid(cloud):
    r53 = cloud.client("route53")
    assert _code(_metric_check, r53=r53, name="nope") == "InvalidInput"
    _alarm(cloud, "a", region="us-east-1")
    # The alarm exists, but in another region than the one named.
    assert _code(_metric_check, r53=r53, name="a", region="eu-west-1") == "InvalidInput"
    config = {"Type": "CLOUDWATCH_METRIC"}
    assert _code(r53.create_health_check, CallerReference="x", HealthCheckConfig=config) == "InvalidInput"


def test_composite_alarm_is_refused(cloud):
    _alarm(cloud, "child")
    cloud.client("cloudwatch").put_composite_alarm(AlarmName="down", AlarmRule='ALARM("child")')
    assert _code(_metric_check, r53=cloud.client("route53"), name="down") == "InvalidInput"


def test_calculated_check_round_trip_and_children_in_use(cloud):
    _alarm(cloud, "a")
    _alarm(cloud, "b")
    r53 = cloud.client("route53")
    children = sorted([_metric_check(r53, "a")["Id"], _metric_check(r53, "b")["Id"]])
    parent = r53.create_health_check(
        CallerReference="parent",
        HealthCheckConfig={"Type": "CALCULATED", "ChildHealthChecks": children, "HealthThreshold": 2},
    )["HealthCheck"]
    config = r53.get_health_check(HealthCheckId=parent["Id"])["HealthCheck"]["HealthCheckConfig"]
    assert config == {
        "Type": "CALCULATED",
        "Inverted": False,
        "Disabled": False,
        "HealthThreshold": 2,
        "ChildHealthChecks": children,
    }
    assert _code(r53.delete_health_check, HealthCheckId=children[0]) == "HealthCheckInUse"
    r53.update_health_check(HealthCheckId=parent["Id"], ChildHealthChecks=[children[1]], HealthThreshold=1)
    r53.delete_health_check(HealthCheckId=children[0])
    updated = r53.get_health_check(HealthCheckId=parent["Id"])["HealthCheck"]
    assert updated["HealthCheckConfig"]["ChildHealthChecks"] == [children[1]]
    assert updated["HealthCheckVersion"] == 2


def test_calculated_check_with_unknown_child_or_bad_threshold(cloud):
    r53 = cloud.client("route53")
    bad_child = {"Type": "CALCULATED", "ChildHealthChecks": [str(uuid.uuid4())], "HealthThreshold": 1}
    assert _code(r53.create_health_check, CallerReference="x", HealthCheckConfig=bad_child) == "InvalidInput"
    _alarm(cloud, "a")
    child = _metric_check(r53, "a")["Id"]
    config = {"Type": "CALCULATED", "ChildHealthChecks": [child], "HealthThreshold": 1, "RequestInterval": 30}
    assert _code(r53.create_health_check, CallerReference="y", HealthCheckConfig=config) == "InvalidInput"


def test_caller_reference_is_idempotent(cloud):
    _alarm(cloud, "a")
    _alarm(cloud, "b")
    r53 = cloud.client("route53")
    config = {"Type": "CLOUDWATCH_METRIC", "AlarmIdentifier": {"Name": "a", "Region": "us-east-1"}}
    first = r53.create_health_check(CallerReference="ref", HealthCheckConfig=config)["HealthCheck"]
    again = r53.create_health_check(CallerReference="ref", HealthCheckConfig=config)["HealthCheck"]
    assert again["Id"] == first["Id"]
    other = {**config, "AlarmIdentifier": {"Name": "b", "Region": "us-east-1"}}
    assert _code(r53.create_health_check, CallerReference="ref", HealthCheckConfig=other) == "HealthCheckAlreadyExists"


def test_update_refuses_a_stale_version_and_moves_the_alarm(cloud):
    _alarm(cloud, "a")
    _alarm(cloud, "b")
    r53 = cloud.client("route53")
    check = _metric_check(r53, "a")
    updated = r53.update_health_check(
        HealthCheckId=check["Id"],
        HealthCheckVersion=1,
        AlarmIdentifier={"Name": "b", "Region": "us-east-1"},
        InsufficientDataHealthStatus="Unhealthy",
    )["HealthCheck"]
    assert updated["HealthCheckConfig"]["AlarmIdentifier"]["Name"] == "b"
    assert updated["HealthCheckConfig"]["InsufficientDataHealthStatus"] == "Unhealthy"
    assert _code(r53.update_health_check, HealthCheckId=check["Id"], HealthCheckVersion=1, Inverted=True) == (
        "HealthCheckVersionMismatch"
    )


def test_endpoint_checks_keep_their_fields_and_tags_still_work(cloud):
    r53 = cloud.client("route53")
    check = r53.create_health_check(
        CallerReference="http",
        HealthCheckConfig={
            "Type": "HTTPS",
            "FullyQualifiedDomainName": "example.com",
            "Port": 443,
            "ResourcePath": "/",
        },
    )["HealthCheck"]
    config = r53.get_health_check(HealthCheckId=check["Id"])["HealthCheck"]["HealthCheckConfig"]
    assert config["Port"] == 443 and config["FullyQualifiedDomainName"] == "example.com"
    r53.change_tags_for_resource(
        ResourceType="healthcheck", ResourceId=check["Id"], AddTags=[{"Key": "Name", "Value": "x"}]
    )
    tags = r53.list_tags_for_resource(ResourceType="healthcheck", ResourceId=check["Id"])["ResourceTagSet"]["Tags"]
    assert tags == [{"Key": "Name", "Value": "x"}]
    assert _code(r53.get_health_check, HealthCheckId=str(uuid.uuid4())) == "NoSuchHealthCheck"


def _zone(r53, name="example.test"):
    return r53.create_hosted_zone(Name=name, CallerReference=str(uuid.uuid4()))["HostedZone"]["Id"]


def _alias(name, kind):
    target = {
        "HostedZoneId": "Z2FDTNDATAQYW2",
        "DNSName": "d111111abcdef8.cloudfront.net",
        "EvaluateTargetHealth": False,
    }
    return {"Name": name, "Type": kind, "AliasTarget": target}


def _change(r53, zone, *changes):
    batch = {"Changes": [{"Action": action, "ResourceRecordSet": rrset} for action, rrset in changes]}
    return r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch=batch)


def _records(r53, zone):
    return {(r["Name"], r["Type"]) for r in r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]}


def test_a_deleted_alias_record_can_be_created_again_beside_its_aaaa_twin(cloud):
    # moto alone refuses the second CREATE ("already exists") because an AAAA record of the same name sorts after.
    r53 = cloud.client("route53")
    zone = _zone(r53)
    _change(r53, zone, ("CREATE", _alias("example.test", "A")), ("CREATE", _alias("example.test", "AAAA")))
    _change(r53, zone, ("DELETE", _alias("example.test.", "A")))
    assert ("example.test.", "A") not in _records(r53, zone)

    info = _change(r53, zone, ("CREATE", _alias("example.test", "A")))["ChangeInfo"]

    assert info["Status"] == "INSYNC" and info["Id"].startswith("/change/")
    assert {("example.test.", "A"), ("example.test.", "AAAA")} <= _records(r53, zone)
    assert r53.get_change(Id=info["Id"])["ChangeInfo"]["Status"] == "INSYNC"


def test_creating_an_existing_record_or_deleting_a_missing_one_fails_the_whole_batch(cloud):
    r53 = cloud.client("route53")
    zone = _zone(r53)
    _change(r53, zone, ("CREATE", _alias("example.test", "A")))
    before = _records(r53, zone)

    for changes, says in (
        ((("CREATE", _alias("example.test", "AAAA")), ("CREATE", _alias("example.test.", "A"))), "already exists"),
        ((("CREATE", _alias("www.example.test", "A")), ("DELETE", _alias("api.example.test", "A"))), "not found"),
    ):
        with pytest.raises(ClientError) as err:
            _change(r53, zone, *changes)
        assert err.value.response["Error"]["Code"] == "InvalidChangeBatch", changes
        assert says in err.value.response["Error"]["Message"]
        assert _records(r53, zone) == before  # nothing of the batch was applied

    # Within one batch a DELETE frees the name for a CREATE after it (how an alias is replaced).
    _change(r53, zone, ("DELETE", _alias("example.test", "A")), ("CREATE", _alias("example.test", "A")))
    assert _records(r53, zone) == before
