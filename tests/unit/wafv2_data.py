"""Shared data for the wafv2 unit tests (no tests here): a declared web ACL in module options and the same ACL the way
AWS returns it (with the defaults AWS fills in), plus a fake AnsibleAWSModule."""

from __future__ import annotations

import copy

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.securecloud.monitor.plugins.modules.wafv2_web_acl import build_argument_spec

from tests.unit import aws_stub
from tests.unit.concurrent_stubber import ConcurrentStubber

NAME = "edge-api"
ACL_ID = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
ARN = f"arn:aws:wafv2:us-east-1:123456789012:regional/webacl/{NAME}/{ACL_ID}"
STAGE_ARN = "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod"
ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"
NLB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/internal/50dc6c495c0c9188"
LOG_GROUP = "aws-waf-logs-edge-api"
LOG_ARN = f"arn:aws:logs:us-east-1:123456789012:log-group:{LOG_GROUP}"

DECLARED_RULES = [
    {"name": "rate-limit", "priority": 0, "action": "block", "rate_based": {"limit": 2000}},
    {
        "name": "aws-common",
        "priority": 1,
        "managed_rule_group": {
            "name": "AWSManagedRulesCommonRuleSet",
            "excluded_rules": ["SizeRestrictions_BODY", "NoUserAgent_HEADER"],
        },
    },
    {
        "name": "block-admin",
        "priority": 2,
        "action": "block",
        "custom_response": {"response_code": 403, "custom_response_body_key": "denied"},
        "statement": {
            "ByteMatchStatement": {
                "SearchString": "/admin",
                "FieldToMatch": {"UriPath": {}},
                "PositionalConstraint": "STARTS_WITH",
            }
        },
    },
    {
        "name": "sqli-body",
        "priority": 3,
        "action": "block",
        "statement": {
            "SqliMatchStatement": {
                "FieldToMatch": {"Body": {}},
                "TextTransformations": [{"Priority": 1, "Type": "LOWERCASE"}, {"Priority": 0, "Type": "URL_DECODE"}],
            }
        },
    },
    {"name": "geo", "priority": 4, "action": "count", "geo_match": {"country_codes": ["RU", "KP"]}},
    {
        "name": "bad-agent",
        "priority": 5,
        "action": "captcha",
        "rule_labels": ["bot:bad"],
        "statement": {
            "ByteMatchStatement": {
                "SearchString": "sqlmap",
                "FieldToMatch": {"SingleHeader": {"Name": "User-Agent"}},
                "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}],
                "PositionalConstraint": "CONTAINS",
            }
        },
    },
]


def _visibility(metric):
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": metric}


# The ACL as GetWebACL returns it after the declared rules were created: defaults filled in,
# sets in AWS's order, blobs as bytes, header names lower case.
AWS_RULES = [
    {
        "Name": "rate-limit",
        "Priority": 0,
        "Statement": {"RateBasedStatement": {"Limit": 2000, "EvaluationWindowSec": 300, "AggregateKeyType": "IP"}},
        "Action": {"Block": {}},
        "VisibilityConfig": _visibility("rate-limit"),
    },
    {
        "Name": "aws-common",
        "Priority": 1,
        "Statement": {
            "ManagedRuleGroupStatement": {
                "VendorName": "AWS",
                "Name": "AWSManagedRulesCommonRuleSet",
                "ExcludedRules": [{"Name": "NoUserAgent_HEADER"}, {"Name": "SizeRestrictions_BODY"}],
                "RuleActionOverrides": [],
            }
        },
        "OverrideAction": {"None": {}},
        "VisibilityConfig": _visibility("aws-common"),
    },
    {
        "Name": "block-admin",
        "Priority": 2,
        "Statement": {
            "ByteMatchStatement": {
                "SearchString": b"/admin",
                "FieldToMatch": {"UriPath": {}},
                "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
                "PositionalConstraint": "STARTS_WITH",
            }
        },
        "Action": {"Block": {"CustomResponse": {"ResponseCode": 403, "CustomResponseBodyKey": "denied"}}},
        "VisibilityConfig": _visibility("block-admin"),
    },
    {
        "Name": "sqli-body",
        "Priority": 3,
        "Statement": {
            "SqliMatchStatement": {
                "FieldToMatch": {"Body": {"OversizeHandling": "CONTINUE"}},
                "TextTransformations": [{"Priority": 0, "Type": "URL_DECODE"}, {"Priority": 1, "Type": "LOWERCASE"}],
                "SensitivityLevel": "LOW",
            }
        },
        "Action": {"Block": {}},
        "VisibilityConfig": _visibility("sqli-body"),
    },
    {
        "Name": "geo",
        "Priority": 4,
        "Statement": {"GeoMatchStatement": {"CountryCodes": ["KP", "RU"]}},
        "Action": {"Count": {}},
        "VisibilityConfig": _visibility("geo"),
    },
    {
        "Name": "bad-agent",
        "Priority": 5,
        "Statement": {
            "ByteMatchStatement": {
                "SearchString": b"sqlmap",
                "FieldToMatch": {"SingleHeader": {"Name": "user-agent"}},
                "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}],
                "PositionalConstraint": "CONTAINS",
            }
        },
        "Action": {"Captcha": {}},
        "RuleLabels": [{"Name": "bot:bad"}],
        "VisibilityConfig": _visibility("bad-agent"),
    },
]

BODIES = {"denied": {"content_type": "APPLICATION_JSON", "content": '{"error": "forbidden"}'}}

AWS_ACL = {
    "Name": NAME,
    "Id": ACL_ID,
    "ARN": ARN,
    "DefaultAction": {"Allow": {}},
    "Rules": AWS_RULES,
    "VisibilityConfig": _visibility(NAME),
    "Capacity": 731,
    "ManagedByFirewallManager": False,
    "LabelNamespace": f"awswaf:123456789012:webacl:{NAME}:",
    "CustomResponseBodies": {"denied": {"ContentType": "APPLICATION_JSON", "Content": '{"error": "forbidden"}'}},
}

AWS_LOGGING = {
    "ResourceArn": ARN,
    "LogDestinationConfigs": [LOG_ARN],
    "RedactedFields": [{"SingleHeader": {"Name": "cookie"}}, {"SingleHeader": {"Name": "authorization"}}],
}

TAGS = [
    {"Key": "environment", "Value": "prod"},
    {"Key": "securecloud.monitor:association-types", "Value": "API_GATEWAY"},
]


def declared(**overrides):
    """Module options for the ACL above (the no-op declaration), with overrides."""
    options = {
        "name": NAME,
        "rules": copy.deepcopy(DECLARED_RULES),
        "custom_response_bodies": copy.deepcopy(BODIES),
        "associations": [STAGE_ARN],
        "logging": {"destination": LOG_GROUP, "redacted_fields": ["authorization", {"single_header": "Cookie"}]},
        "tags": {"environment": "prod"},
    }
    options.update(overrides)
    result = ArgumentSpecValidator(build_argument_spec()).validate(options)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def aws_acl(**overrides):
    acl = copy.deepcopy(AWS_ACL)
    acl.update(overrides)
    return acl


class Failed(Exception):
    def __init__(self, kwargs):
        super().__init__(kwargs.get("msg"))
        self.kwargs = kwargs


class FakeModule:
    def __init__(self, params, check_mode=False, diff=False, region="us-east-1"):
        self.params = params
        self.check_mode = check_mode
        self._diff = diff
        self.region = region

    def fail_json(self, **kwargs):
        raise Failed(kwargs)


def stubbed_client():
    return aws_stub.stubbed_client("wafv2", stubber_class=ConcurrentStubber)


def stub_read(stubber, acl=None, tags=None, logging=True, association_types=("API_GATEWAY",), associations=None):
    """The reads of ensure_present for an existing ACL: ListWebACLs, then the others at the same time."""
    acl = acl or aws_acl()
    stubber.add_response(
        "list_web_acls",
        {"WebACLs": [{"Name": NAME, "Id": ACL_ID, "ARN": ARN, "LockToken": "token-1"}]},
        {"Scope": "REGIONAL", "Limit": 100},
    )
    with stubber.any_order():
        _stub_facets(stubber, acl, tags, logging, association_types, associations)


def _stub_facets(stubber, acl, tags, logging, association_types, associations):
    stubber.add_response(
        "get_web_acl", {"WebACL": acl, "LockToken": "token-1"}, {"Name": NAME, "Scope": "REGIONAL", "Id": ACL_ID}
    )
    stubber.add_response(
        "list_tags_for_resource",
        {"TagInfoForResource": {"ResourceARN": ARN, "TagList": TAGS if tags is None else tags}},
        {"ResourceARN": ARN, "Limit": 100},
    )
    if logging:
        stubber.add_response("get_logging_configuration", {"LoggingConfiguration": AWS_LOGGING}, {"ResourceArn": ARN})
    for resource_type in association_types:
        arns = associations if associations is not None else ([STAGE_ARN] if resource_type == "API_GATEWAY" else [])
        stubber.add_response(
            "list_resources_for_web_acl",
            {"ResourceArns": arns},
            {"WebACLArn": ARN, "ResourceType": resource_type},
        )
