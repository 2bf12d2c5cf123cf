"""WAFv2 actions moto 5.2.5 lacks, and the checks AWS makes that moto does not.

moto keeps one WAFv2 backend per account and region; CLOUDFRONT-scoped entities live in its "global"
backend (``wafv2_backends[account]["global"]``), REGIONAL ones in the request's region. These handlers
use the same backends, so web ACLs, rule groups, IP sets and associations are shared with moto.

- Added: CheckCapacity (WCUs computed as the AWS WAF developer guide documents them),
  ListAvailableManagedRuleGroups, ListAvailableManagedRuleGroupVersions, DescribeManagedRuleGroup
  (a table of the AWS managed rule groups below), ListResourcesForWebACL (moto's associations,
  filtered by ResourceType, APPLICATION_LOAD_BALANCER when omitted, as AWS does).
- Validated, then done by moto's backend: CreateWebACL and UpdateWebACL (managed rule groups and
  versions exist, excluded rules and rule action overrides name rules of the group, referenced rule
  groups / IP sets / regex pattern sets exist, rate limits, duplicate rule names and priorities,
  Action vs OverrideAction, metric names, capacity at most 5,000 WCUs; the web ACL's Capacity is the
  computed one), AssociateWebACL (only associable resource types, NLBs refused; a resource has one
  web ACL), PutLoggingConfiguration (the web ACL exists, one destination named aws-waf-logs-...,
  redactable fields, logging filter).

The values handed to moto are the request's JSON body, as moto's own handlers use it.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from moto.wafv2.models import FakeIPSet

from ..registry import AwsError, ExtensionRequest, action

NAME = re.compile(r"[\w\-]{1,128}")


def _with_aws_lock_token(method: Any) -> Any:
    """moto gives IP sets six-character lock tokens; AWS's are UUIDs (the model's LockToken pattern), and the strict
    layer (strict.py) refuses a token of any other form when a client sends it back (UpdateIPSet, DeleteIPSet)."""

    def wrapper(self: FakeIPSet, *args: Any, **kwargs: Any) -> None:
        method(self, *args, **kwargs)
        self.lock_token = str(uuid.uuid4())

    return wrapper


FakeIPSet.__init__ = _with_aws_lock_token(FakeIPSet.__init__)  # type: ignore[method-assign]
FakeIPSet.update = _with_aws_lock_token(FakeIPSet.update)  # type: ignore[method-assign]
METRIC_NAME = re.compile(r"[\w#:.\-/]{1,255}")
RATE_LIMIT_MIN, RATE_LIMIT_MAX = 10, 2_000_000_000
MAX_WEB_ACL_CAPACITY = 5000
RULE_GROUP_STATEMENTS = ("ManagedRuleGroupStatement", "RuleGroupReferenceStatement")

# Resources AssociateWebACL accepts, by ResourceType (ListResourcesForWebACL's filter).
ASSOCIABLE: list[tuple[str, re.Pattern[str]]] = [
    (
        "APPLICATION_LOAD_BALANCER",
        re.compile(r"arn:aws[\w-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/app/[^/]+/[^/]+"),
    ),
    ("API_GATEWAY", re.compile(r"arn:aws[\w-]*:apigateway:[a-z0-9-]+::/restapis/[^/]+/stages/[^/]+")),
    ("APPSYNC", re.compile(r"arn:aws[\w-]*:appsync:[a-z0-9-]+:\d{12}:apis/[^/]+")),
    ("COGNITO_USER_POOL", re.compile(r"arn:aws[\w-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool/[^/]+")),
    ("APP_RUNNER_SERVICE", re.compile(r"arn:aws[\w-]*:apprunner:[a-z0-9-]+:\d{12}:service/.+")),
    (
        "VERIFIED_ACCESS_INSTANCE",
        re.compile(r"arn:aws[\w-]*:ec2:[a-z0-9-]+:\d{12}:verified-access-instance/[^/]+"),
    ),
    ("AMPLIFY", re.compile(r"arn:aws[\w-]*:amplify:[a-z0-9-]+:\d{12}:apps/[^/]+")),
    ("AGENTCORE_GATEWAY", re.compile(r"arn:aws[\w-]*:bedrock-agentcore:[a-z0-9-]+:\d{12}:gateway/[^/]+")),
]
LOG_DESTINATION = re.compile(
    r"arn:aws[\w-]*:(?:"
    r"logs:[a-z0-9-]+:\d{12}:log-group:(?P<group>[^:]+)(?::\*)?"
    r"|s3:::(?P<bucket>[^/]+)(?:/.*)?"
    r"|firehose:[a-z0-9-]+:\d{12}:deliverystream/(?P<stream>.+))"
)
REDACTABLE = ("SingleHeader", "UriPath", "QueryString", "Method")
FILTER_ACTIONS = ("ALLOW", "BLOCK", "COUNT", "CAPTCHA", "CHALLENGE", "EXCLUDED_AS_COUNT")


def _group(capacity: int, namespace: str, rules: list[str], versions: int | None, description: str, **actions: str):
    """One AWS managed rule group: ``versions`` is how many Version_1.x there are (None: not versioned)."""
    return {
        "Capacity": capacity,
        "LabelNamespace": f"awswaf:managed:aws:{namespace}:",
        "Rules": rules,
        "Actions": actions,  # rule name -> default action other than Block
        "Versions": [f"Version_1.{n}" for n in range(versions)] if versions else [],
        "Description": description,
    }


# AWS managed rule groups (vendor AWS), with the WCUs and rule names the AWS WAF developer guide
# publishes ("AWS Managed Rules rule groups list").
MANAGED_RULE_GROUPS: dict[str, dict[str, Any]] = {
    "AWSManagedRulesCommonRuleSet": _group(
        700,
        "core-rule-set",
        [
            "NoUserAgent_HEADER",
            "UserAgent_BadBots_HEADER",
            "SizeRestrictions_QUERYSTRING",
            "SizeRestrictions_Cookie_HEADER",
            "SizeRestrictions_BODY",
            "SizeRestrictions_URIPATH",
            "EC2MetaDataSSRF_BODY",
            "EC2MetaDataSSRF_COOKIE",
            "EC2MetaDataSSRF_URIPATH",
            "EC2MetaDataSSRF_QUERYARGUMENTS",
            "GenericLFI_QUERYARGUMENTS",
            "GenericLFI_URIPATH",
            "GenericLFI_BODY",
            "RestrictedExtensions_URIPATH",
            "RestrictedExtensions_QUERYARGUMENTS",
            "GenericRFI_QUERYARGUMENTS",
            "GenericRFI_BODY",
            "GenericRFI_URIPATH",
            "CrossSiteScripting_COOKIE",
            "CrossSiteScripting_QUERYARGUMENTS",
            "CrossSiteScripting_BODY",
            "CrossSiteScripting_URIPATH",
        ],
        19,
        "Contains rules that are generally applicable to web applications (OWASP Top 10 and more).",
    ),
    "AWSManagedRulesAdminProtectionRuleSet": _group(
        100, "admin-protection", ["AdminProtection_URIPATH"], 3, "Blocks external access to exposed admin pages."
    ),
    "AWSManagedRulesKnownBadInputsRuleSet": _group(
        200,
        "known-bad-inputs",
        [
            "JavaDeserializationRCE_HEADER",
            "JavaDeserializationRCE_BODY",
            "JavaDeserializationRCE_URIPATH",
            "JavaDeserializationRCE_QUERYSTRING",
            "Host_localhost_HEADER",
            "PROPFIND_METHOD",
            "ExploitablePaths_URIPATH",
            "Log4JRCE_HEADER",
            "Log4JRCE_QUERYSTRING",
            "Log4JRCE_BODY",
            "Log4JRCE_URIPATH",
        ],
        23,
        "Blocks request patterns that are known to be invalid and associated with exploitation.",
    ),
    "AWSManagedRulesSQLiRuleSet": _group(
        200,
        "sql-database",
        [
            "SQLiExtendedPatterns_QUERYARGUMENTS",
            "SQLi_QUERYARGUMENTS",
            "SQLi_BODY",
            "SQLiExtendedPatterns_BODY",
            "SQLi_COOKIE",
            "SQLi_URIPATH",
        ],
        3,
        "Blocks request patterns associated with exploitation of SQL databases, like SQL injection attacks.",
    ),
    "AWSManagedRulesLinuxRuleSet": _group(
        200,
        "linux-os",
        ["LFI_URIPATH", "LFI_QUERYSTRING", "LFI_HEADER"],
        8,
        "Blocks request patterns associated with exploitation of vulnerabilities specific to Linux.",
    ),
    "AWSManagedRulesUnixRuleSet": _group(
        100,
        "posix-os",
        [
            "UNIXShellCommandsVariables_QUERYSTRING",
            "UNIXShellCommandsVariables_QUERYARGUMENTS",
            "UNIXShellCommandsVariables_BODY",
            "UNIXShellCommandsVariables_HEADER",
        ],
        4,
        "Blocks request patterns associated with exploiting vulnerabilities specific to POSIX/POSIX-like OS.",
    ),
    "AWSManagedRulesWindowsRuleSet": _group(
        200,
        "windows-os",
        [
            "WindowsShellCommands_COOKIE",
            "WindowsShellCommands_QUERYARGUMENTS",
            "WindowsShellCommands_BODY",
            "PowerShellCommands_COOKIE",
            "PowerShellCommands_QUERYARGUMENTS",
            "PowerShellCommands_BODY",
        ],
        3,
        "Blocks request patterns associated with exploiting vulnerabilities specific to Windows.",
    ),
    "AWSManagedRulesPHPRuleSet": _group(
        100,
        "php-app",
        [
            "PHPHighRiskMethodsVariables_HEADER",
            "PHPHighRiskMethodsVariables_QUERYSTRING",
            "PHPHighRiskMethodsVariables_BODY",
        ],
        3,
        "Blocks request patterns associated with exploiting vulnerabilities specific to the use of PHP.",
    ),
    "AWSManagedRulesWordPressRuleSet": _group(
        100,
        "wordpress-app",
        ["WordPressExploitableCommands_QUERYSTRING", "WordPressExploitablePaths_URIPATH"],
        3,
        "Blocks request patterns associated with the exploitation of vulnerabilities specific to WordPress.",
    ),
    "AWSManagedRulesAmazonIpReputationList": _group(
        25,
        "amazon-ip-list",
        ["AWSManagedIPReputationList", "AWSManagedReconnaissanceList", "AWSManagedIPDDoSList"],
        None,
        "Blocks IP addresses typically associated with bots or other threats (Amazon threat intelligence).",
        AWSManagedIPDDoSList="Count",
    ),
    "AWSManagedRulesAnonymousIpList": _group(
        50,
        "anonymous-ip-list",
        ["AnonymousIPList", "HostingProviderIPList"],
        None,
        "Blocks requests from services that allow obfuscation of viewer identity (VPNs, proxies, Tor, hosting).",
    ),
    "AWSManagedRulesBotControlRuleSet": _group(
        50,
        "bot-control",
        [
            "CategoryAdvertising",
            "CategoryArchiver",
            "CategoryContentFetcher",
            "CategoryEmailClient",
            "CategoryHttpLibrary",
            "CategoryLinkChecker",
            "CategoryMiscellaneous",
            "CategoryMonitoring",
            "CategoryScrapingFramework",
            "CategorySearchEngine",
            "CategorySecurity",
            "CategorySeo",
            "CategorySocialMedia",
            "CategoryAI",
            "SignalAutomatedBrowser",
            "SignalKnownBotDataCenter",
            "SignalNonBrowserUserAgent",
        ],
        4,
        "Provides protection against automated bots that can consume excess resources or skew metrics.",
        CategoryMonitoring="Count",
        CategorySearchEngine="Count",
    ),
    "AWSManagedRulesATPRuleSet": _group(
        50,
        "atp",
        [
            "UnsupportedCognitoIDP",
            "VolumetricIpHigh",
            "VolumetricSession",
            "AttributeCompromisedCredentials",
            "AttributeUsernameTraversal",
            "AttributePasswordTraversal",
            "AttributeLongSession",
            "TokenRejected",
            "SignalMissingCredential",
        ],
        2,
        "Account takeover prevention: protects the login page against credential stuffing and brute force.",
    ),
    "AWSManagedRulesACFPRuleSet": _group(
        50,
        "acfp",
        [
            "UnsupportedCognitoIDP",
            "AllRequests",
            "RiskScoreHigh",
            "SignalCredentialCompromised",
            "SignalClientHumanInteractivityAbsentLow",
            "AutomatedBrowser",
            "BrowserInconsistency",
            "VolumetricIpHigh",
            "VolumetricSessionHigh",
            "SessionTokenReuseIpLow",
            "SignalMissingCredential",
        ],
        2,
        "Account creation fraud prevention: protects the sign-up page against fake account creation.",
    ),
}
VERSIONS_RELEASED = datetime(2024, 1, 1, tzinfo=UTC)


# -- helpers ----------------------------------------------------------------------------------------
def _invalid(field: str, parameter: Any, reason: str) -> AwsError:
    """WAFInvalidParameterException as AWS words it, with the Field/Parameter/Reason members."""
    err = AwsError(
        "WAFInvalidParameterException",
        f"Error reason: {reason}, field: {field}, parameter: {parameter}",
    )
    err.Field, err.Parameter, err.Reason = field, str(parameter), reason  # type: ignore[attr-defined]
    return err


def _nonexistent(
    message: str = "AWS WAF couldn't perform the operation because your resource doesn't exist.",
) -> AwsError:
    return AwsError("WAFNonexistentItemException", message)


def _body(req: ExtensionRequest) -> dict[str, Any]:
    """The request's JSON body: what moto's own handlers hand to its backend (blobs stay base64)."""
    return json.loads(req.body or b"{}")


def _backend(req: ExtensionRequest, scope: str | None) -> Any:
    return req.moto_backend("wafv2", "global" if scope == "CLOUDFRONT" else None)


def _backend_for_arn(req: ExtensionRequest, arn: str) -> Any:
    parts = arn.split(":")
    if len(parts) < 6:
        raise _invalid("RESOURCE_ARN", arn, "The ARN isn't valid")
    return _backend(req, "CLOUDFRONT" if parts[5].startswith("global/") else None)


def _scope(req: ExtensionRequest, params: dict[str, Any]) -> str:
    scope = params.get("Scope")
    if scope not in ("CLOUDFRONT", "REGIONAL"):
        raise _invalid("SCOPE_VALUE", scope, "The scope isn't valid")
    if scope == "CLOUDFRONT" and req.region != "us-east-1":
        raise _invalid("SCOPE_VALUE", scope, "Use the Region us-east-1 for the CLOUDFRONT scope")
    return scope


def _managed_group(vendor: str | None, name: str | None) -> dict[str, Any]:
    group = MANAGED_RULE_GROUPS.get(name or "") if vendor == "AWS" else None
    if group is None:
        raise _nonexistent()
    return group


def _page(items: list[Any], params: dict[str, Any]) -> tuple[list[Any], str | None]:
    start = 0
    marker = params.get("NextMarker")
    if marker:
        try:
            start = int(base64.urlsafe_b64decode(marker.encode()).decode())
        except ValueError:
            raise _invalid("NEXT_MARKER", marker, "The marker isn't valid") from None
    limit = params.get("Limit") or 100
    page = items[start : start + limit]
    end = start + len(page)
    return page, (base64.urlsafe_b64encode(str(end).encode()).decode() if end < len(items) else None)


def _with_marker(result: dict[str, Any], marker: str | None) -> dict[str, Any]:
    if marker:
        result["NextMarker"] = marker
    return result


# -- capacity (WCUs) --------------------------------------------------------------------------------
def _inspection_cost(base: int, statement: dict[str, Any]) -> int:
    """A field-inspecting statement: JSON body doubles the base cost, all query arguments add 10, and each
    text transformation (other than NONE) adds 10."""
    field = statement.get("FieldToMatch") or {}
    cost = base * 2 if "JsonBody" in field else base
    if "AllQueryArguments" in field:
        cost += 10
    transformations = statement.get("TextTransformations") or []
    return cost + 10 * sum(1 for t in transformations if t.get("Type") not in (None, "NONE"))


def _statement_cost(req: ExtensionRequest, scope: str, statement: dict[str, Any]) -> int:
    if not statement:
        raise _invalid(
            "STATEMENT",
            "Statement",
            "You have used none or multiple values for a field that requires exactly one value.",
        )
    kind, body = next(iter(statement.items()))
    body = body or {}
    if kind == "ByteMatchStatement":
        positional = body.get("PositionalConstraint")
        return _inspection_cost(10 if positional in ("CONTAINS", "CONTAINS_WORD") else 2, body)
    if kind == "SqliMatchStatement":
        return _inspection_cost(30 if body.get("SensitivityLevel") == "HIGH" else 20, body)
    if kind == "XssMatchStatement":
        return _inspection_cost(40, body)
    if kind == "SizeConstraintStatement":
        return _inspection_cost(1, body)
    if kind == "RegexPatternSetReferenceStatement":
        return _inspection_cost(25, body)
    if kind == "RegexMatchStatement":
        return _inspection_cost(3, body)
    if kind in ("GeoMatchStatement", "IPSetReferenceStatement", "LabelMatchStatement", "AsnMatchStatement"):
        return 1
    if kind in ("AndStatement", "OrStatement"):
        return sum(_statement_cost(req, scope, s) for s in body.get("Statements") or [])
    if kind == "NotStatement":
        return _statement_cost(req, scope, body.get("Statement") or {})
    if kind == "RateBasedStatement":
        scope_down = body.get("ScopeDownStatement")
        return (
            2 + 30 * len(body.get("CustomKeys") or []) + (_statement_cost(req, scope, scope_down) if scope_down else 0)
        )
    if kind == "ManagedRuleGroupStatement":
        group = _managed_group(body.get("VendorName"), body.get("Name"))
        scope_down = body.get("ScopeDownStatement")
        return group["Capacity"] + (_statement_cost(req, scope, scope_down) if scope_down else 0)
    if kind == "RuleGroupReferenceStatement":
        return _rule_group(req, scope, body.get("ARN")).capacity
    raise _invalid("STATEMENT", kind, "The statement type isn't supported")


def _rules_capacity(req: ExtensionRequest, scope: str, rules: list[dict[str, Any]]) -> int:
    return sum(_statement_cost(req, scope, rule.get("Statement") or {}) for rule in rules)


# -- rule validation --------------------------------------------------------------------------------
def _rule_group(req: ExtensionRequest, scope: str, arn: str | None) -> Any:
    group = _backend(req, scope).rule_groups.get(arn or "")
    if group is None:
        raise _nonexistent()
    return group


def _check_metric_name(config: dict[str, Any] | None) -> None:
    name = (config or {}).get("MetricName")
    if name is None or not METRIC_NAME.fullmatch(name):
        raise _invalid("METRIC_NAME", name, "The metric name isn't valid")


def _check_statement(req: ExtensionRequest, scope: str, statement: dict[str, Any], top_level: bool) -> None:
    present = [k for k, v in (statement or {}).items() if v is not None]
    if len(present) != 1:
        raise _invalid(
            "STATEMENT",
            "Statement",
            "You have used none or multiple values for a field that requires exactly one value.",
        )
    kind, body = present[0], statement[present[0]]
    if kind in ("RateBasedStatement", "ManagedRuleGroupStatement", "RuleGroupReferenceStatement") and not top_level:
        raise _invalid("STATEMENT", kind, "This statement type can't be nested")
    if kind == "RateBasedStatement":
        limit = body.get("Limit")
        if not isinstance(limit, int) or not RATE_LIMIT_MIN <= limit <= RATE_LIMIT_MAX:
            raise _invalid(
                "RATE_BASED_STATEMENT",
                limit,
                f"The rate limit must be between {RATE_LIMIT_MIN} and {RATE_LIMIT_MAX}",
            )
        if body.get("AggregateKeyType") == "CUSTOM_KEYS" and not body.get("CustomKeys"):
            raise _invalid("CUSTOM_KEYS", "CustomKeys", "CUSTOM_KEYS aggregation needs at least one custom key")
    if kind == "ManagedRuleGroupStatement":
        group = _managed_group(body.get("VendorName"), body.get("Name"))
        version = body.get("Version")
        if version is not None and version not in group["Versions"]:
            raise _nonexistent(
                f"AWS WAF couldn't perform the operation because the version {version} of the managed rule group "
                f"{body.get('Name')} doesn't exist."
            )
        for excluded in body.get("ExcludedRules") or []:
            if excluded.get("Name") not in group["Rules"]:
                raise _invalid("EXCLUDED_RULE", excluded.get("Name"), "The rule isn't in the managed rule group")
        for override in body.get("RuleActionOverrides") or []:
            if override.get("Name") not in group["Rules"]:
                raise _invalid("RULE_ACTION", override.get("Name"), "The rule isn't in the managed rule group")
    if kind == "RuleGroupReferenceStatement":
        _rule_group(req, scope, body.get("ARN"))
    if kind == "IPSetReferenceStatement" and body.get("ARN") not in _backend(req, scope).ip_sets:
        raise _nonexistent()
    if kind == "RegexPatternSetReferenceStatement" and body.get("ARN") not in _backend(req, scope).regex_pattern_sets:
        raise _nonexistent()
    for nested in (body.get("Statements") or []) if kind in ("AndStatement", "OrStatement") else []:
        _check_statement(req, scope, nested, top_level=False)
    if kind == "NotStatement":
        _check_statement(req, scope, body.get("Statement") or {}, top_level=False)
    if isinstance(body, dict) and body.get("ScopeDownStatement") is not None:
        _check_statement(req, scope, body["ScopeDownStatement"], top_level=False)


def _check_rules(req: ExtensionRequest, scope: str, rules: list[dict[str, Any]]) -> None:
    names: set[str] = set()
    priorities: set[int] = set()
    for rule in rules:
        name = rule.get("Name")
        if name is None or not NAME.fullmatch(name):
            raise _invalid("RULE", name, "The rule name isn't valid")
        if name in names:
            raise AwsError(
                "WAFDuplicateItemException",
                "AWS WAF couldn't perform the operation because some resource in your request is a duplicate of an "
                f"existing one: the rule name {name} is used more than once.",
            )
        names.add(name)
        if rule.get("Priority") in priorities:
            raise _invalid("RULE", rule.get("Priority"), "A rule with this priority already exists")
        priorities.add(rule.get("Priority"))
        statement = rule.get("Statement") or {}
        _check_statement(req, scope, statement, top_level=True)
        is_group = any(statement.get(kind) is not None for kind in RULE_GROUP_STATEMENTS)
        has_action, has_override = rule.get("Action") is not None, rule.get("OverrideAction") is not None
        if has_action == has_override or has_override != is_group:
            raise _invalid(
                "RULE", "Rule", "You have used none or multiple values for a field that requires exactly one value."
            )
        _check_metric_name(rule.get("VisibilityConfig"))


def _checked_capacity(req: ExtensionRequest, scope: str, body: dict[str, Any]) -> int:
    name = body.get("Name")
    if name is None or not NAME.fullmatch(name):
        raise _invalid("WEB_ACL", name, "The web ACL name isn't valid")
    _check_metric_name(body.get("VisibilityConfig"))
    rules = body.get("Rules") or []
    _check_rules(req, scope, rules)
    capacity = _rules_capacity(req, scope, rules)
    if capacity > MAX_WEB_ACL_CAPACITY:
        err = AwsError(
            "WAFLimitsExceededException",
            f"AWS WAF couldn't perform the operation because you exceeded your resource limit: the web ACL needs "
            f"{capacity} WCUs, the maximum is {MAX_WEB_ACL_CAPACITY}.",
        )
        err.SourceType = "WebACL"  # type: ignore[attr-defined]
        raise err
    return capacity


# -- actions ----------------------------------------------------------------------------------------
@action("wafv2", "CheckCapacity")
def check_capacity(req: ExtensionRequest) -> dict[str, Any]:
    body = _body(req)
    scope = _scope(req, body)
    rules = body.get("Rules") or []
    _check_rules(req, scope, rules)
    return {"Capacity": _rules_capacity(req, scope, rules)}


@action("wafv2", "ListAvailableManagedRuleGroups")
def list_available_managed_rule_groups(req: ExtensionRequest) -> dict[str, Any]:
    _scope(req, req.params)
    summaries = [
        {
            "VendorName": "AWS",
            "Name": name,
            "VersioningSupported": bool(group["Versions"]),
            "Description": group["Description"],
        }
        for name, group in MANAGED_RULE_GROUPS.items()
    ]
    page, marker = _page(summaries, req.params)
    return _with_marker({"ManagedRuleGroups": page}, marker)


@action("wafv2", "ListAvailableManagedRuleGroupVersions")
def list_available_managed_rule_group_versions(req: ExtensionRequest) -> dict[str, Any]:
    req.require("VendorName", "Name")
    _scope(req, req.params)
    group = _managed_group(req.params["VendorName"], req.params["Name"])
    if not group["Versions"]:
        return {"Versions": []}
    versions = [{"Name": v, "LastUpdateTimestamp": VERSIONS_RELEASED} for v in reversed(group["Versions"])]
    page, marker = _page(versions, req.params)
    return _with_marker({"Versions": page, "CurrentDefaultVersion": _default_version(group)}, marker)


def _default_version(group: dict[str, Any]) -> str | None:
    # AWS's default is a recent static version, not always the newest one.
    versions = group["Versions"]
    return versions[-2] if len(versions) > 1 else (versions[0] if versions else None)


@action("wafv2", "DescribeManagedRuleGroup")
def describe_managed_rule_group(req: ExtensionRequest) -> dict[str, Any]:
    req.require("VendorName", "Name")
    _scope(req, req.params)
    group = _managed_group(req.params["VendorName"], req.params["Name"])
    version = req.params.get("VersionName")
    if version is not None and version not in group["Versions"]:
        raise _nonexistent()
    namespace = group["LabelNamespace"]
    result: dict[str, Any] = {
        "Capacity": group["Capacity"],
        "Rules": [{"Name": r, "Action": {group["Actions"].get(r, "Block"): {}}} for r in group["Rules"]],
        "LabelNamespace": namespace,
        "AvailableLabels": [{"Name": f"{namespace}{r}"} for r in group["Rules"]],
        "ConsumedLabels": [],
    }
    if group["Versions"]:
        result["VersionName"] = version or _default_version(group)
        partition = req.partition
        result["SnsTopicArn"] = f"arn:{partition}:sns:us-east-1:248400274283:aws-managed-waf-rule-notifications"
    return result


def _associable_type(arn: str) -> str | None:
    for name, pattern in ASSOCIABLE:
        if pattern.fullmatch(arn or ""):
            return name
    return None


@action("wafv2", "ListResourcesForWebACL")
def list_resources_for_web_acl(req: ExtensionRequest) -> dict[str, Any]:
    req.require("WebACLArn")
    arn = req.params["WebACLArn"]
    web_acl = _backend_for_arn(req, arn).wacls.get(arn)
    if web_acl is None:
        raise _nonexistent()
    wanted = req.params.get("ResourceType") or "APPLICATION_LOAD_BALANCER"
    return {"ResourceArns": [r for r in web_acl.associated_resources if _associable_type(r) == wanted]}


@action("wafv2", "CreateWebACL")
def create_web_acl(req: ExtensionRequest) -> dict[str, Any]:
    body = _body(req)
    scope = _scope(req, body)
    capacity = _checked_capacity(req, scope, body)
    web_acl = _backend(req, scope).create_web_acl(
        body.get("Name"),
        body.get("VisibilityConfig"),
        body.get("DefaultAction"),
        scope,
        body.get("Description"),
        body.get("Tags", []),
        body.get("Rules", []),
        body.get("AssociationConfig"),
        body.get("CaptchaConfig"),
        body.get("ChallengeConfig"),
        body.get("CustomResponseBodies"),
        body.get("TokenDomains"),
    )
    web_acl.capacity = capacity
    return {"Summary": _web_acl_summary(web_acl)}


@action("wafv2", "UpdateWebACL")
def update_web_acl(req: ExtensionRequest) -> dict[str, Any]:
    body = _body(req)
    scope = _scope(req, body)
    backend = _backend(req, scope)
    backend.get_web_acl(None, body.get("Name"), body.get("Id"))  # WAFNonexistentItemException first, as AWS
    capacity = _checked_capacity(req, scope, body)
    lock_token = backend.update_web_acl(  # moto checks the lock token (WAFOptimisticLockException)
        body.get("Name"),
        body.get("Id"),
        body.get("DefaultAction"),
        body.get("Rules"),
        body.get("Description"),
        body.get("VisibilityConfig"),
        body.get("LockToken"),
        body.get("CustomResponseBodies"),
        body.get("CaptchaConfig"),
        body.get("ChallengeConfig"),
        body.get("TokenDomains"),
        body.get("AssociationConfig"),
    )
    web_acl = backend.get_web_acl(None, body.get("Name"), body.get("Id"))
    if not body.get("Rules"):
        web_acl.rules = []  # UpdateWebACL replaces the whole spec; moto keeps the old rules when none are given
    web_acl.capacity = capacity
    return {"NextLockToken": lock_token}


@action("wafv2", "AssociateWebACL")
def associate_web_acl(req: ExtensionRequest) -> dict[str, Any]:
    req.require("WebACLArn", "ResourceArn")
    web_acl_arn, resource_arn = req.params["WebACLArn"], req.params["ResourceArn"]
    if _associable_type(resource_arn) is None:
        raise _invalid("RESOURCE_ARN", resource_arn, "The ARN isn't valid")
    backend = _backend(req, None)
    if web_acl_arn not in backend.wacls:
        raise _nonexistent()
    for other in backend.wacls.values():  # a resource has at most one web ACL: the new one replaces it
        if resource_arn in other.associated_resources:
            other.associated_resources.remove(resource_arn)
    backend.associate_web_acl(web_acl_arn, resource_arn)
    return {}


def _check_logging_configuration(req: ExtensionRequest, config: dict[str, Any]) -> None:
    arn = config.get("ResourceArn") or ""
    if arn not in _backend_for_arn(req, arn).wacls:
        raise _nonexistent()
    destinations = config.get("LogDestinationConfigs") or []
    if len(destinations) != 1:
        raise _invalid("LOG_DESTINATION", destinations, "You can specify exactly one log destination")
    match = LOG_DESTINATION.fullmatch(destinations[0])
    name = match and (match.group("group") or match.group("bucket") or match.group("stream"))
    if not name or not name.startswith("aws-waf-logs-"):
        raise _invalid(
            "LOG_DESTINATION",
            destinations[0],
            "The destination must be a CloudWatch Logs log group, S3 bucket or Firehose delivery stream whose name "
            "starts with aws-waf-logs-",
        )
    for field in config.get("RedactedFields") or []:
        kinds = [k for k, v in field.items() if v is not None]
        if len(kinds) != 1 or kinds[0] not in REDACTABLE:
            raise _invalid(
                "FIELD_TO_MATCH",
                ",".join(kinds) or "FieldToMatch",
                "You can redact only SingleHeader, UriPath, QueryString and Method",
            )
    logging_filter = config.get("LoggingFilter")
    if logging_filter is None:
        return
    if logging_filter.get("DefaultBehavior") not in ("KEEP", "DROP"):
        raise _invalid("LOGGING_FILTER", logging_filter.get("DefaultBehavior"), "DefaultBehavior must be KEEP or DROP")
    if not logging_filter.get("Filters"):
        raise _invalid("LOGGING_FILTER", "Filters", "A logging filter needs at least one filter")
    for item in logging_filter["Filters"]:
        if item.get("Behavior") not in ("KEEP", "DROP") or item.get("Requirement") not in ("MEETS_ALL", "MEETS_ANY"):
            raise _invalid(
                "LOGGING_FILTER", "Filter", "Behavior must be KEEP or DROP, Requirement MEETS_ALL or MEETS_ANY"
            )
        if not item.get("Conditions"):
            raise _invalid("FILTER_CONDITION", "Conditions", "A filter needs at least one condition")
        for condition in item["Conditions"]:
            action_condition = condition.get("ActionCondition")
            label_condition = condition.get("LabelNameCondition")
            if (action_condition is None) == (label_condition is None):
                raise _invalid(
                    "FILTER_CONDITION",
                    "Condition",
                    "You have used none or multiple values for a field that requires exactly one value.",
                )
            if action_condition is not None and action_condition.get("Action") not in FILTER_ACTIONS:
                raise _invalid("FILTER_CONDITION", action_condition.get("Action"), "The action isn't valid")
            if label_condition is not None and not label_condition.get("LabelName"):
                raise _invalid("FILTER_CONDITION", "LabelName", "The label name isn't valid")


@action("wafv2", "PutLoggingConfiguration")
def put_logging_configuration(req: ExtensionRequest) -> dict[str, Any]:
    req.require("LoggingConfiguration")
    config = _body(req)["LoggingConfiguration"]
    _check_logging_configuration(req, config)
    stored = _backend(req, None).put_logging_configuration(
        config["ResourceArn"],
        config["LogDestinationConfigs"],
        config.get("RedactedFields"),
        config.get("ManagedByFirewallManager"),
        config.get("LoggingFilter"),
    )
    return {"LoggingConfiguration": {k: v for k, v in stored.to_dict().items() if v is not None}}


# -- scope checks moto skips -------------------------------------------------------------------------
# moto serves ListWebACLs, CreateIPSet and ListIPSets with Scope=CLOUDFRONT from any region; AWS answers
# WAFInvalidParameterException (field SCOPE_VALUE) outside us-east-1, as CreateWebACL above does. These
# are the first calls a client makes at that scope (a lookup, an IP set), so they refuse it the same way.
def _web_acl_summary(web_acl: Any) -> dict[str, Any]:
    """moto's summary, without the empty Description it gives for a web ACL created without one: AWS leaves the
    member out (its model's Description has at least one character)."""
    summary = web_acl.to_short_dict()
    return summary if summary.get("Description") else {k: v for k, v in summary.items() if k != "Description"}


@action("wafv2", "ListWebACLs")
def list_web_acls(req: ExtensionRequest) -> dict[str, Any]:
    body = _body(req)
    scope = _scope(req, body)
    acls = [_web_acl_summary(w) for w in _backend(req, scope).wacls.values()]
    page, marker = _page(acls, body)
    return _with_marker({"WebACLs": page}, marker)


@action("wafv2", "CreateIPSet")
def create_ip_set(req: ExtensionRequest) -> dict[str, Any]:
    body = _body(req)
    scope = _scope(req, body)
    backend = _backend(req, scope)
    if any(s.name == body.get("Name") and s.scope == scope for s in backend.ip_sets.values()):
        raise AwsError(
            "WAFDuplicateItemException",
            "AWS WAF couldn't perform the operation because some resource in your request is a duplicate of an "
            "existing one.",
        )
    ip_set = backend.create_ip_set(
        body.get("Name"),
        scope,
        body.get("Description"),
        body.get("IPAddressVersion"),
        body.get("Addresses"),
        body.get("Tags"),
    )
    summary = {"Name": ip_set.name, "Id": ip_set.ip_set_id, "LockToken": ip_set.lock_token, "ARN": ip_set.arn}
    if ip_set.description:
        summary["Description"] = ip_set.description
    return {"Summary": summary}


@action("wafv2", "ListIPSets")
def list_ip_sets(req: ExtensionRequest) -> dict[str, Any]:
    body = _body(req)
    scope = _scope(req, body)
    backend = _backend(req, scope)
    sets = [
        {"Name": s.name, "Id": s.ip_set_id, "LockToken": s.lock_token, "ARN": s.arn}
        | ({"Description": s.description} if s.description else {})
        for s in backend.ip_sets.values()
        if s.scope == scope
    ]
    page, marker = _page(sets, body)
    return _with_marker({"IPSets": page}, marker)
