"""WAFv2 extensions (tools/localcloud/extensions/services/wafv2.py) on a real server, real boto3."""

from __future__ import annotations

import re
from typing import Any

import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tools.localcloud.extensions.services.wafv2 import ASSOCIABLE

from .conftest import Cloud

ACCOUNT = "123456789012"
ALB = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/web/0123456789abcdef"
NLB = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/net/web/0123456789abcdef"
STAGE = "arn:aws:apigateway:us-east-1::/restapis/abc123/stages/prod"
LOG_GROUP = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:aws-waf-logs-web"
NO_VALIDATION = Config(retries={"mode": "standard", "total_max_attempts": 1}, parameter_validation=False)


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


def _visibility(name: str) -> dict[str, Any]:
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": name}


def _managed(name: str, priority: int, group: str | None = None, **statement: Any) -> dict[str, Any]:
    return {
        "Name": name,
        "Priority": priority,
        "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": group or name, **statement}},
        "OverrideAction": {"None": {}},
        "VisibilityConfig": _visibility(name),
    }


def _rule(name: str, priority: int, statement: dict[str, Any]) -> dict[str, Any]:
    return {
        "Name": name,
        "Priority": priority,
        "Statement": statement,
        "Action": {"Block": {}},
        "VisibilityConfig": _visibility(name),
    }


def _rate(limit: int, **extra: Any) -> dict[str, Any]:
    return {"RateBasedStatement": {"Limit": limit, "AggregateKeyType": "IP", **extra}}


def _byte_match(positional: str = "EXACTLY", transformations: tuple[str, ...] = ("NONE",)) -> dict[str, Any]:
    return {
        "ByteMatchStatement": {
            "SearchString": b"admin",
            "FieldToMatch": {"UriPath": {}},
            "TextTransformations": [{"Priority": i, "Type": t} for i, t in enumerate(transformations)],
            "PositionalConstraint": positional,
        }
    }


@pytest.fixture
def wafv2(cloud: Cloud) -> Any:
    return cloud.client("wafv2", config=NO_VALIDATION)


def _create(wafv2: Any, rules: list[dict[str, Any]], name: str = "acl", scope: str = "REGIONAL") -> dict[str, Any]:
    return wafv2.create_web_acl(
        Name=name, Scope=scope, DefaultAction={"Allow": {}}, VisibilityConfig=_visibility(name), Rules=rules
    )["Summary"]


def test_a_web_acl_without_description_has_none_in_its_summaries(wafv2: Any) -> None:
    # WAF's model gives Description at least one character: AWS leaves the member out rather than answer "".
    created = _create(wafv2, [])
    listed = wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"]
    assert "Description" not in created and [("Description" in summary) for summary in listed] == [False]
    described = wafv2.create_web_acl(
        Name="described",
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        VisibilityConfig=_visibility("described"),
        Description="edge",
    )["Summary"]
    assert described["Description"] == "edge"


# -- capacity --------------------------------------------------------------------------------------
def test_check_capacity_follows_the_documented_wcus(wafv2: Any) -> None:
    def capacity(*statements: dict[str, Any]) -> int:
        rules = [_rule(f"r{i}", i, s) for i, s in enumerate(statements)]
        return wafv2.check_capacity(Scope="REGIONAL", Rules=rules)["Capacity"]

    managed = [
        _managed("AWSManagedRulesCommonRuleSet", 0),
        _managed("AWSManagedRulesKnownBadInputsRuleSet", 1),
        _managed("AWSManagedRulesAmazonIpReputationList", 2),
    ]
    assert wafv2.check_capacity(Scope="REGIONAL", Rules=managed)["Capacity"] == 700 + 200 + 25
    assert capacity(_byte_match()) == 2
    assert capacity(_byte_match("CONTAINS", ("LOWERCASE", "URL_DECODE"))) == 10 + 20
    assert capacity(_rate(1000)) == 2
    assert capacity(_rate(1000, ScopeDownStatement=_byte_match("STARTS_WITH", ("LOWERCASE",)))) == 2 + 2 + 10
    geo = {"GeoMatchStatement": {"CountryCodes": ["US"]}}
    sqli = {
        "SqliMatchStatement": {"FieldToMatch": {"Body": {}}, "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}
    }
    xss = {
        "XssMatchStatement": {
            "FieldToMatch": {"JsonBody": {"MatchPattern": {"All": {}}, "MatchScope": "ALL"}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
        }
    }
    assert capacity(sqli) == 20
    assert capacity(xss) == 80  # JSON body doubles the base cost
    assert capacity({"AndStatement": {"Statements": [geo, {"NotStatement": {"Statement": geo}}]}}) == 2
    assert capacity({"LabelMatchStatement": {"Scope": "LABEL", "Key": "x"}}, geo) == 2

    ip_set = wafv2.create_ip_set(Name="ips", Scope="REGIONAL", IPAddressVersion="IPV4", Addresses=["10.0.0.0/8"])
    regex = wafv2.create_regex_pattern_set(Name="re", Scope="REGIONAL", RegularExpressionList=[{"RegexString": "^a"}])
    group = wafv2.create_rule_group(Name="rg", Scope="REGIONAL", Capacity=50, VisibilityConfig=_visibility("rg"))
    ip_statement = {"IPSetReferenceStatement": {"ARN": ip_set["Summary"]["ARN"]}}
    regex_statement = {
        "RegexPatternSetReferenceStatement": {
            "ARN": regex["Summary"]["ARN"],
            "FieldToMatch": {"UriPath": {}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
        }
    }
    assert capacity(ip_statement, regex_statement) == 1 + 25
    group_rule = {
        "Name": "group",
        "Priority": 9,
        "Statement": {"RuleGroupReferenceStatement": {"ARN": group["Summary"]["ARN"]}},
        "OverrideAction": {"None": {}},
        "VisibilityConfig": _visibility("group"),
    }
    assert wafv2.check_capacity(Scope="REGIONAL", Rules=[group_rule])["Capacity"] == 50


def test_check_capacity_errors(wafv2: Any) -> None:
    with pytest.raises(ClientError) as err:
        wafv2.check_capacity(Scope="REGIONAL", Rules=[_managed("AWSManagedRulesNoSuchRuleSet", 0)])
    assert _code(err) == "WAFNonexistentItemException"
    for limit in (5, 2_000_000_001):
        with pytest.raises(ClientError) as err:
            wafv2.check_capacity(Scope="REGIONAL", Rules=[_rule("rate", 0, _rate(limit))])
        assert _code(err) == "WAFInvalidParameterException"
        assert err.value.response["Field"] == "RATE_BASED_STATEMENT"
        assert err.value.response["Parameter"] == str(limit)
    assert wafv2.check_capacity(Scope="REGIONAL", Rules=[_rule("rate", 0, _rate(10))])["Capacity"] == 2
    assert wafv2.check_capacity(Scope="CLOUDFRONT", Rules=[])["Capacity"] == 0  # us-east-1: fine


def test_cloudfront_scope_needs_us_east_1(cloud: Cloud) -> None:
    eu = cloud.client("wafv2", region_name="eu-west-1", config=NO_VALIDATION)
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}
    calls = {
        "CheckCapacity": lambda: eu.check_capacity(Scope="CLOUDFRONT", Rules=[]),
        "CreateWebACL": lambda: eu.create_web_acl(
            Name="cf", Scope="CLOUDFRONT", DefaultAction={"Allow": {}}, VisibilityConfig=visibility
        ),
        "ListWebACLs": lambda: eu.list_web_acls(Scope="CLOUDFRONT"),
        "CreateIPSet": lambda: eu.create_ip_set(
            Name="cf", Scope="CLOUDFRONT", IPAddressVersion="IPV4", Addresses=["192.0.2.0/24"]
        ),
        "ListIPSets": lambda: eu.list_ip_sets(Scope="CLOUDFRONT"),
    }
    for name, call in calls.items():
        with pytest.raises(ClientError) as err:
            call()
        assert _code(err) == "WAFInvalidParameterException", name
        assert err.value.response["Field"] == "SCOPE_VALUE", name
        assert "Use the Region us-east-1 for the CLOUDFRONT scope" in err.value.response["Error"]["Message"], name
    assert eu.check_capacity(Scope="REGIONAL", Rules=[])["Capacity"] == 0
    assert eu.list_web_acls(Scope="REGIONAL")["WebACLs"] == []


def test_cloudfront_ip_sets_and_web_acls_are_listed_in_us_east_1(cloud: Cloud, wafv2: Any) -> None:
    regional = wafv2.create_ip_set(Name="r", Scope="REGIONAL", IPAddressVersion="IPV4", Addresses=[])["Summary"]
    edge = wafv2.create_ip_set(
        Name="e", Scope="CLOUDFRONT", IPAddressVersion="IPV4", Addresses=["192.0.2.0/24"], Description="edge"
    )["Summary"]
    assert ":global/ipset/e/" in edge["ARN"] and ":regional/ipset/r/" in regional["ARN"]
    assert [s["Name"] for s in wafv2.list_ip_sets(Scope="CLOUDFRONT")["IPSets"]] == ["e"]
    assert wafv2.list_ip_sets(Scope="CLOUDFRONT")["IPSets"][0]["Description"] == "edge"
    assert [s["Name"] for s in wafv2.list_ip_sets(Scope="REGIONAL")["IPSets"]] == ["r"]
    got = wafv2.get_ip_set(Name="e", Scope="CLOUDFRONT", Id=edge["Id"])["IPSet"]
    assert got["Addresses"] == ["192.0.2.0/24"]
    with pytest.raises(ClientError) as err:
        wafv2.create_ip_set(Name="e", Scope="CLOUDFRONT", IPAddressVersion="IPV4", Addresses=[])
    assert _code(err) == "WAFDuplicateItemException"
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}
    for number in range(3):
        wafv2.create_web_acl(
            Name=f"cf{number}", Scope="CLOUDFRONT", DefaultAction={"Allow": {}}, VisibilityConfig=visibility
        )
    first = wafv2.list_web_acls(Scope="CLOUDFRONT", Limit=2)
    rest = wafv2.list_web_acls(Scope="CLOUDFRONT", Limit=2, NextMarker=first["NextMarker"])
    assert [a["Name"] for a in first["WebACLs"] + rest["WebACLs"]] == ["cf0", "cf1", "cf2"]
    assert "NextMarker" not in rest
    assert wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"] == []


# -- managed rule groups ---------------------------------------------------------------------------
def test_managed_rule_group_catalog(wafv2: Any) -> None:
    groups = wafv2.list_available_managed_rule_groups(Scope="REGIONAL")["ManagedRuleGroups"]
    names = {g["Name"]: g for g in groups}
    assert {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesBotControlRuleSet"} <= set(
        names
    )
    assert names["AWSManagedRulesCommonRuleSet"]["VersioningSupported"] is True
    assert names["AWSManagedRulesAmazonIpReputationList"]["VersioningSupported"] is False
    page = wafv2.list_available_managed_rule_groups(Scope="REGIONAL", Limit=3)
    assert len(page["ManagedRuleGroups"]) == 3 and page["NextMarker"]
    rest = wafv2.list_available_managed_rule_groups(Scope="REGIONAL", NextMarker=page["NextMarker"])
    assert len(page["ManagedRuleGroups"]) + len(rest["ManagedRuleGroups"]) == len(groups)

    versions = wafv2.list_available_managed_rule_group_versions(
        VendorName="AWS", Name="AWSManagedRulesCommonRuleSet", Scope="REGIONAL"
    )
    version_names = [v["Name"] for v in versions["Versions"]]
    assert all(v.startswith("Version_1.") for v in version_names)
    assert versions["CurrentDefaultVersion"] in version_names
    unversioned = wafv2.list_available_managed_rule_group_versions(
        VendorName="AWS", Name="AWSManagedRulesAnonymousIpList", Scope="REGIONAL"
    )
    assert unversioned["Versions"] == [] and "CurrentDefaultVersion" not in unversioned
    with pytest.raises(ClientError) as err:
        wafv2.list_available_managed_rule_group_versions(VendorName="AWS", Name="Nope", Scope="REGIONAL")
    assert _code(err) == "WAFNonexistentItemException"

    crs = wafv2.describe_managed_rule_group(VendorName="AWS", Name="AWSManagedRulesCommonRuleSet", Scope="REGIONAL")
    assert crs["Capacity"] == 700 and crs["LabelNamespace"] == "awswaf:managed:aws:core-rule-set:"
    rules = {r["Name"]: r["Action"] for r in crs["Rules"]}
    assert rules["SizeRestrictions_BODY"] == {"Block": {}} and "NoUserAgent_HEADER" in rules
    assert crs["VersionName"] == versions["CurrentDefaultVersion"]
    ip = wafv2.describe_managed_rule_group(
        VendorName="AWS", Name="AWSManagedRulesAmazonIpReputationList", Scope="REGIONAL"
    )
    assert {r["Name"] for r in ip["Rules"]} >= {"AWSManagedIPReputationList", "AWSManagedReconnaissanceList"}
    assert "VersionName" not in ip
    for name in (
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesSQLiRuleSet",
        "AWSManagedRulesAnonymousIpList",
    ):
        assert wafv2.describe_managed_rule_group(VendorName="AWS", Name=name, Scope="CLOUDFRONT")["Rules"]
    with pytest.raises(ClientError) as err:
        wafv2.describe_managed_rule_group(VendorName="Acme", Name="AWSManagedRulesCommonRuleSet", Scope="REGIONAL")
    assert _code(err) == "WAFNonexistentItemException"
    with pytest.raises(ClientError) as err:
        wafv2.describe_managed_rule_group(
            VendorName="AWS", Name="AWSManagedRulesCommonRuleSet", Scope="REGIONAL", VersionName="Version_9.9"
        )
    assert _code(err) == "WAFNonexistentItemException"


# -- web ACL validation ----------------------------------------------------------------------------
def test_create_web_acl_stores_the_computed_capacity(wafv2: Any) -> None:
    rules = [
        _managed(
            "AWSManagedRulesCommonRuleSet",
            0,
            Version="Version_1.4",
            ExcludedRules=[{"Name": "SizeRestrictions_BODY"}],
            RuleActionOverrides=[{"Name": "NoUserAgent_HEADER", "ActionToUse": {"Count": {}}}],
        ),
        _rule("rate", 1, _rate(2000)),
        _rule("admin", 2, _byte_match()),
    ]
    summary = _create(wafv2, rules)
    acl = wafv2.get_web_acl(Name="acl", Scope="REGIONAL", Id=summary["Id"])
    assert acl["WebACL"]["Capacity"] == 700 + 2 + 2
    statement = acl["WebACL"]["Rules"][2]["Statement"]["ByteMatchStatement"]
    assert statement["SearchString"] == b"admin"  # the blob round-trips as in moto

    token = wafv2.update_web_acl(
        Name="acl",
        Scope="REGIONAL",
        Id=summary["Id"],
        DefaultAction={"Block": {}},
        Rules=[_managed("AWSManagedRulesSQLiRuleSet", 0)],
        VisibilityConfig=_visibility("acl"),
        LockToken=acl["LockToken"],
    )["NextLockToken"]
    updated = wafv2.get_web_acl(Name="acl", Scope="REGIONAL", Id=summary["Id"])
    assert updated["WebACL"]["Capacity"] == 200 and updated["LockToken"] == token
    assert [r["Name"] for r in updated["WebACL"]["Rules"]] == ["AWSManagedRulesSQLiRuleSet"]
    with pytest.raises(ClientError) as err:  # moto's lock-token check still applies
        wafv2.update_web_acl(
            Name="acl",
            Scope="REGIONAL",
            Id=summary["Id"],
            DefaultAction={"Block": {}},
            Rules=[],
            VisibilityConfig=_visibility("acl"),
            LockToken=acl["LockToken"],
        )
    assert _code(err) == "WAFOptimisticLockException"
    wafv2.update_web_acl(
        Name="acl",
        Scope="REGIONAL",
        Id=summary["Id"],
        DefaultAction={"Block": {}},
        Rules=[],
        VisibilityConfig=_visibility("acl"),
        LockToken=token,
    )
    emptied = wafv2.get_web_acl(Name="acl", Scope="REGIONAL", Id=summary["Id"])["WebACL"]
    assert emptied["Rules"] == [] and emptied["Capacity"] == 0
    with pytest.raises(ClientError) as err:
        wafv2.update_web_acl(
            Name="acl",
            Scope="REGIONAL",
            Id="00000000-0000-0000-0000-000000000000",
            DefaultAction={"Block": {}},
            VisibilityConfig=_visibility("acl"),
            LockToken=token,
        )
    assert _code(err) == "WAFNonexistentItemException"


def test_cloudfront_web_acl_lives_in_the_global_backend(wafv2: Any) -> None:
    summary = _create(wafv2, [_managed("AWSManagedRulesCommonRuleSet", 0)], name="cf", scope="CLOUDFRONT")
    assert ":global/webacl/cf/" in summary["ARN"]
    acl = wafv2.get_web_acl(Name="cf", Scope="CLOUDFRONT", Id=summary["Id"])["WebACL"]
    assert acl["Capacity"] == 700
    assert [a["Name"] for a in wafv2.list_web_acls(Scope="CLOUDFRONT")["WebACLs"]] == ["cf"]


@pytest.mark.parametrize(
    ("rules", "code", "field"),
    [
        ([_managed("AWSManagedRulesNoSuchRuleSet", 0)], "WAFNonexistentItemException", None),
        ([_managed("AWSManagedRulesCommonRuleSet", 0, Version="Version_9.0")], "WAFNonexistentItemException", None),
        (
            [_managed("AWSManagedRulesCommonRuleSet", 0, ExcludedRules=[{"Name": "NoSuchRule"}])],
            "WAFInvalidParameterException",
            "EXCLUDED_RULE",
        ),
        (
            [
                _managed(
                    "AWSManagedRulesKnownBadInputsRuleSet",
                    0,
                    RuleActionOverrides=[{"Name": "SQLi_BODY", "ActionToUse": {"Count": {}}}],
                )
            ],
            "WAFInvalidParameterException",
            "RULE_ACTION",
        ),
        ([_rule("rate", 0, _rate(9))], "WAFInvalidParameterException", "RATE_BASED_STATEMENT"),
        ([_rule("a", 0, _byte_match()), _rule("a", 1, _byte_match())], "WAFDuplicateItemException", None),
        ([_rule("a", 0, _byte_match()), _rule("b", 0, _byte_match())], "WAFInvalidParameterException", "RULE"),
        (
            [{**_rule("a", 0, _byte_match()), "VisibilityConfig": _visibility("bad metric")}],
            "WAFInvalidParameterException",
            "METRIC_NAME",
        ),
        (
            [{**_managed("AWSManagedRulesSQLiRuleSet", 0), "Action": {"Block": {}}}],
            "WAFInvalidParameterException",
            "RULE",
        ),
        ([{**_rule("a", 0, _byte_match()), "OverrideAction": {"None": {}}}], "WAFInvalidParameterException", "RULE"),
        (
            [_rule("n", 0, {"NotStatement": {"Statement": _rate(100)}})],
            "WAFInvalidParameterException",
            "STATEMENT",
        ),
        (
            [
                _rule(
                    "ip",
                    0,
                    {"IPSetReferenceStatement": {"ARN": f"arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/ipset/x/y"}},
                )
            ],
            "WAFNonexistentItemException",
            None,
        ),
    ],
)
def test_create_web_acl_validation(wafv2: Any, rules: list[dict[str, Any]], code: str, field: str | None) -> None:
    with pytest.raises(ClientError) as err:
        _create(wafv2, rules)
    assert _code(err) == code
    if field:
        assert err.value.response["Field"] == field
    assert wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"] == []  # nothing reached moto


def test_web_acl_name_metric_and_capacity_limits(wafv2: Any) -> None:
    with pytest.raises(ClientError) as err:
        _create(wafv2, [], name="bad name")
    assert _code(err) == "WAFInvalidParameterException"
    too_big = [_managed(name, i) for i, name in enumerate(["AWSManagedRulesCommonRuleSet"] * 8)]
    too_big = [{**r, "Name": f"crs{i}", "VisibilityConfig": _visibility(f"crs{i}")} for i, r in enumerate(too_big)]
    with pytest.raises(ClientError) as err:
        _create(wafv2, too_big)
    assert _code(err) == "WAFLimitsExceededException"


# -- associations ----------------------------------------------------------------------------------
def test_associations_and_list_resources_for_web_acl(cloud: Cloud, wafv2: Any) -> None:
    first = _create(wafv2, [], name="first")["ARN"]
    second = _create(wafv2, [], name="second")["ARN"]
    with pytest.raises(ClientError) as err:
        wafv2.associate_web_acl(WebACLArn=first, ResourceArn=NLB)
    assert _code(err) == "WAFInvalidParameterException"
    assert err.value.response["Field"] == "RESOURCE_ARN"
    with pytest.raises(ClientError) as err:
        wafv2.associate_web_acl(WebACLArn=first.replace("/first/", "/nope/"), ResourceArn=ALB)
    assert _code(err) == "WAFNonexistentItemException"

    wafv2.associate_web_acl(WebACLArn=first, ResourceArn=ALB)
    wafv2.associate_web_acl(WebACLArn=first, ResourceArn=STAGE)
    assert wafv2.list_resources_for_web_acl(WebACLArn=first)["ResourceArns"] == [ALB]  # ALB by default
    assert wafv2.list_resources_for_web_acl(WebACLArn=first, ResourceType="API_GATEWAY")["ResourceArns"] == [STAGE]
    assert wafv2.list_resources_for_web_acl(WebACLArn=first, ResourceType="APPSYNC")["ResourceArns"] == []
    assert wafv2.get_web_acl_for_resource(ResourceArn=ALB)["WebACL"]["ARN"] == first

    wafv2.associate_web_acl(WebACLArn=second, ResourceArn=ALB)  # a resource has one web ACL
    assert wafv2.list_resources_for_web_acl(WebACLArn=first)["ResourceArns"] == []
    assert wafv2.list_resources_for_web_acl(WebACLArn=second)["ResourceArns"] == [ALB]
    wafv2.disassociate_web_acl(ResourceArn=ALB)
    assert wafv2.list_resources_for_web_acl(WebACLArn=second)["ResourceArns"] == []
    with pytest.raises(ClientError) as err:
        wafv2.list_resources_for_web_acl(WebACLArn=second.replace("/second/", "/gone/"))
    assert _code(err) == "WAFNonexistentItemException"

    assert cloud.post("/_localcloud/reset")[0] == 200
    with pytest.raises(ClientError) as err:
        wafv2.list_resources_for_web_acl(WebACLArn=first)
    assert _code(err) == "WAFNonexistentItemException"


# -- logging ---------------------------------------------------------------------------------------
def test_logging_configuration_validation_and_round_trip(wafv2: Any) -> None:
    acl = _create(wafv2, [])["ARN"]

    def put(**config: Any) -> dict[str, Any]:
        return wafv2.put_logging_configuration(
            LoggingConfiguration={"ResourceArn": acl, "LogDestinationConfigs": [LOG_GROUP], **config}
        )

    for bad in (
        {"LogDestinationConfigs": [f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:web-logs"]},
        {"LogDestinationConfigs": [LOG_GROUP, LOG_GROUP]},
        {"RedactedFields": [{"Body": {}}]},
        {"LoggingFilter": {"DefaultBehavior": "KEEP", "Filters": []}},
        {
            "LoggingFilter": {
                "DefaultBehavior": "DROP",
                "Filters": [
                    {
                        "Behavior": "KEEP",
                        "Requirement": "MEETS_ANY",
                        "Conditions": [{"ActionCondition": {"Action": "NOPE"}}],
                    }
                ],
            }
        },
    ):
        with pytest.raises(ClientError) as err:
            put(**bad)
        assert _code(err) == "WAFInvalidParameterException", bad
    with pytest.raises(ClientError) as err:
        wafv2.put_logging_configuration(
            LoggingConfiguration={"ResourceArn": acl.replace("/acl/", "/nope/"), "LogDestinationConfigs": [LOG_GROUP]}
        )
    assert _code(err) == "WAFNonexistentItemException"

    logging_filter = {
        "DefaultBehavior": "DROP",
        "Filters": [
            {
                "Behavior": "KEEP",
                "Requirement": "MEETS_ANY",
                "Conditions": [
                    {"ActionCondition": {"Action": "BLOCK"}},
                    {"LabelNameCondition": {"LabelName": "awswaf:managed:aws:core-rule-set:NoUserAgent_Header"}},
                ],
            }
        ],
    }
    redacted = [{"SingleHeader": {"Name": "authorization"}}, {"QueryString": {}}]
    put(RedactedFields=redacted, LoggingFilter=logging_filter)
    stored = wafv2.get_logging_configuration(ResourceArn=acl)["LoggingConfiguration"]
    assert stored["LogDestinationConfigs"] == [LOG_GROUP]
    assert stored["RedactedFields"] == redacted and stored["LoggingFilter"] == logging_filter
    s3_destination = "arn:aws:s3:::aws-waf-logs-bucket"
    wafv2.put_logging_configuration(
        LoggingConfiguration={"ResourceArn": acl, "LogDestinationConfigs": [s3_destination]}
    )
    assert wafv2.get_logging_configuration(ResourceArn=acl)["LoggingConfiguration"]["LogDestinationConfigs"] == [
        s3_destination
    ]


def test_ip_set_lock_tokens_have_aws_form_and_take_an_update_and_a_delete(cloud: Cloud) -> None:
    wafv2 = cloud.client("wafv2")
    created = wafv2.create_ip_set(Name="tokens", Scope="REGIONAL", IPAddressVersion="IPV4", Addresses=["192.0.2.0/24"])[
        "Summary"
    ]
    uuid_form = re.compile(r"^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$")
    assert uuid_form.match(created["LockToken"])
    updated = wafv2.update_ip_set(
        Name="tokens", Scope="REGIONAL", Id=created["Id"], Addresses=[], LockToken=created["LockToken"]
    )
    assert uuid_form.match(updated["NextLockToken"])
    wafv2.delete_ip_set(Name="tokens", Scope="REGIONAL", Id=created["Id"], LockToken=updated["NextLockToken"])
    assert wafv2.list_ip_sets(Scope="REGIONAL")["IPSets"] == []


def test_every_resource_type_of_the_model_can_be_associated():
    # AssociateWebACL takes the resource types of botocore's ResourceType; one the local cloud does not recognise
    # would be refused here and accepted by AWS.
    model = botocore.session.get_session().get_service_model("wafv2")
    assert [name for name, _pattern in ASSOCIABLE] == model.shape_for("ResourceType").enum
