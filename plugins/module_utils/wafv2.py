# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""WAFv2 for this collection: API wrappers, and the conversions between the AWS shape of a web ACL
and the shape the ``wafv2_web_acl`` module takes (snake_case options).

Comparison is done on the AWS shape after :func:`normalise_rule` / :func:`normalise_statement`
applied the defaults AWS fills in (``EvaluationWindowSec`` 300, ``SensitivityLevel`` LOW, Body
``OversizeHandling`` CONTINUE, a ``NONE`` text transformation, ...) and sorted what AWS treats as a
set (excluded rules, rule action overrides, country codes, labels). ``community.aws`` compares the
raw dicts, so every AWS-added default reported a change (community.aws #1216, #2427).

The wrappers follow amazon.aws ``module_utils/ec2.py``: one function per call, retried with
``retry.jittered_backoff`` and turned into :class:`AnsibleWAFv2Error` by an ``AWSErrorHandler``.
WAFv2 has no botocore paginators, so the ``NextMarker`` loops are written out here.
"""

import copy
import re

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils import botocore_model
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import resource_id_match
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import shape_problems
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff

# ---------------------------------------------------------------------------------------------
# API wrappers
# ---------------------------------------------------------------------------------------------

PAGE_LIMIT = 100
# AWS answers AssociateWebACL and CreateWebACL with this while a just-created resource (an ALB,
# a stage, an IP set) is not yet visible to WAF; it clears within seconds.
UNAVAILABLE = ["WAFUnavailableEntityException"]


class AnsibleWAFv2Error(AnsibleAWSError):
    pass


class WAFv2ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleWAFv2Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("WAFNonexistentItemException")


def _pages(call, result_key, **params):
    """Every item of a NextMarker-paginated WAFv2 list call.

    Stops on a missing marker and on an empty page: AWS has been seen to hand back a marker
    with the last page, and following it forever would be worse than one extra call.
    """
    params = dict(params, Limit=PAGE_LIMIT)
    while True:
        response = call(**params)
        items = response.get(result_key) or []
        yield from items
        marker = response.get("NextMarker")
        if not marker or not items:
            return
        params["NextMarker"] = marker


@jittered_backoff()
def _list_web_acls_page(client, **params):
    return client.list_web_acls(**params)


@WAFv2ErrorHandler.list_error_handler("list web ACLs", [])
def list_web_acls(client, scope):
    return list(_pages(lambda **p: _list_web_acls_page(client, **p), "WebACLs", Scope=scope))


@WAFv2ErrorHandler.common_error_handler("find web ACL")
def find_web_acl(client, name, scope):
    """The ListWebACLs summary of the ACL called ``name``, or None; stops paging once found."""
    for summary in _pages(lambda **p: _list_web_acls_page(client, **p), "WebACLs", Scope=scope):
        if summary["Name"] == name:
            return summary
    return None


@WAFv2ErrorHandler.list_error_handler("get web ACL")
@jittered_backoff()
def get_web_acl(client, name, scope, acl_id):
    """(WebACL, LockToken), or None when the ACL does not exist."""
    response = client.get_web_acl(Name=name, Scope=scope, Id=acl_id)
    return response["WebACL"], response["LockToken"]


@WAFv2ErrorHandler.common_error_handler("create web ACL")
@jittered_backoff(catch_extra_error_codes=UNAVAILABLE)
def create_web_acl(client, **params):
    return client.create_web_acl(**params)["Summary"]


@WAFv2ErrorHandler.common_error_handler("update web ACL")
@jittered_backoff(catch_extra_error_codes=UNAVAILABLE)
def update_web_acl(client, **params):
    return client.update_web_acl(**params).get("NextLockToken")


@WAFv2ErrorHandler.deletion_error_handler("delete web ACL")
@jittered_backoff()
def delete_web_acl(client, name, scope, acl_id, lock_token):
    client.delete_web_acl(Name=name, Scope=scope, Id=acl_id, LockToken=lock_token)
    return True


@jittered_backoff()
def _list_tags_page(client, **params):
    response = client.list_tags_for_resource(**params)
    # The tags sit one level down; lift them so _pages can read them like any list.
    return {"Tags": (response.get("TagInfoForResource") or {}).get("TagList") or [], **response}


@WAFv2ErrorHandler.list_error_handler("list tags of web ACL", [])
def list_tags_for_resource(client, arn):
    return list(_pages(lambda **p: _list_tags_page(client, **p), "Tags", ResourceARN=arn))


@WAFv2ErrorHandler.common_error_handler("tag web ACL")
@jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceARN=arn, Tags=tags)
    return True


@WAFv2ErrorHandler.common_error_handler("untag web ACL")
@jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceARN=arn, TagKeys=keys)
    return True


@WAFv2ErrorHandler.list_error_handler("get logging configuration of web ACL")
@jittered_backoff()
def get_logging_configuration(client, arn):
    """The LoggingConfiguration, or None when the ACL does not log."""
    return client.get_logging_configuration(ResourceArn=arn)["LoggingConfiguration"]


@WAFv2ErrorHandler.common_error_handler("put logging configuration of web ACL")
@jittered_backoff()
def put_logging_configuration(client, configuration):
    return client.put_logging_configuration(LoggingConfiguration=configuration)["LoggingConfiguration"]


@WAFv2ErrorHandler.deletion_error_handler("delete logging configuration of web ACL")
@jittered_backoff()
def delete_logging_configuration(client, arn):
    client.delete_logging_configuration(ResourceArn=arn)
    return True


@WAFv2ErrorHandler.list_error_handler("list resources of web ACL", [])
@jittered_backoff()
def list_resources_for_web_acl(client, arn, resource_type):
    # Without ResourceType AWS lists Application Load Balancers only; that is how community.aws
    # never sees API Gateway stages and reports them changed on every run.
    return client.list_resources_for_web_acl(WebACLArn=arn, ResourceType=resource_type).get("ResourceArns") or []


@WAFv2ErrorHandler.common_error_handler("associate web ACL")
@jittered_backoff(catch_extra_error_codes=UNAVAILABLE)
def associate_web_acl(client, acl_arn, resource_arn):
    client.associate_web_acl(WebACLArn=acl_arn, ResourceArn=resource_arn)
    return True


@WAFv2ErrorHandler.deletion_error_handler("disassociate web ACL")
@jittered_backoff()
def disassociate_web_acl(client, resource_arn):
    client.disassociate_web_acl(ResourceArn=resource_arn)
    return True


@WAFv2ErrorHandler.common_error_handler("check capacity of rules")
@jittered_backoff()
def check_capacity(client, scope, rules):
    return client.check_capacity(Scope=scope, Rules=rules)["Capacity"]


@WAFv2ErrorHandler.list_error_handler("describe managed rule group")
@jittered_backoff()
def describe_managed_rule_group(client, scope, vendor_name, name, version=None):
    """The group's description, or None when AWS does not know it."""
    params = dict(Scope=scope, VendorName=vendor_name, Name=name)
    if version:
        params["VersionName"] = version
    return client.describe_managed_rule_group(**params)


# ---------------------------------------------------------------------------------------------
# Resource types of associations
# ---------------------------------------------------------------------------------------------

# How the ARN of each resource type reads (AssociateWebACL's documentation): its service, and how its resource part
# (after the account) starts. A type botocore adds that is not here yet is still listed, but not recognised.
RESOURCE_TYPE_ARNS = {
    "APPLICATION_LOAD_BALANCER": ("elasticloadbalancing", "loadbalancer/app/"),
    "API_GATEWAY": ("apigateway", "/restapis/[^/]+/stages/[^/]+$"),  # a stage, not the API itself
    "APPSYNC": ("appsync", "apis/"),
    "COGNITO_USER_POOL": ("cognito-idp", "userpool/"),
    "APP_RUNNER_SERVICE": ("apprunner", "service/"),
    "VERIFIED_ACCESS_INSTANCE": ("ec2", "verified-access-instance/"),
    "AMPLIFY": ("amplify", "apps/"),
    "AGENTCORE_GATEWAY": ("bedrock-agentcore", "gateway/"),
}
# Listed for an ACL that carries no record of its association types (see ASSOCIATION_TYPES_TAG).
BASELINE_RESOURCE_TYPES = ("API_GATEWAY", "APPLICATION_LOAD_BALANCER")
# A tag the module keeps on the ACL: the resource types of its associations, space separated.
# ListResourcesForWebACL answers for one type per call, so without it every run would cost a call
# per type; with it the no-op path lists just the types in use.
ASSOCIATION_TYPES_TAG = "securecloud.monitor:association-types"


def regional_resource_types():
    """The ResourceType values of ListResourcesForWebACL and AssociateWebACL, from botocore's model (read when first
    needed: a module must import without botocore, so that AnsibleAWSModule can say it is missing)."""
    return botocore_model.api_enum("wafv2", "ResourceType")


def _arn_of(arn, service, resource_pattern):
    """Whether ``arn`` is an ARN of ``service`` whose resource part matches ``resource_pattern`` from its start."""
    parsed = parse_aws_arn(arn) if str(arn or "").startswith("arn:") else None
    return bool(parsed) and parsed["service"] == service and re.match(resource_pattern, parsed["resource"]) is not None


def resource_type(arn):
    """The ListResourcesForWebACL ResourceType of ``arn``, or None."""
    known = (name for name in regional_resource_types() if name in RESOURCE_TYPE_ARNS)
    return next((name for name in known if _arn_of(arn, *RESOURCE_TYPE_ARNS[name])), None)


def association_problem(arn):
    """Why ``arn`` cannot carry a regional web ACL, with what to do instead; None when it can."""
    if _arn_of(arn, "elasticloadbalancing", "loadbalancer/net/"):
        return (
            "is a Network Load Balancer; AWS WAF inspects HTTP and cannot be attached to a Network Load "
            "Balancer. Put an Application Load Balancer or an API Gateway REST API stage in front of it "
            "and associate that ARN instead"
        )
    if _arn_of(arn, "elasticloadbalancing", "loadbalancer/gwy/"):
        return "is a Gateway Load Balancer, which AWS WAF cannot protect; associate an Application Load Balancer"
    if _arn_of(arn, "apigateway", "/apis/"):
        return (
            "is an API Gateway HTTP/WebSocket API, which AWS WAF cannot protect; use a REST API stage "
            "(arn:aws:apigateway:REGION::/restapis/ID/stages/STAGE)"
        )
    if resource_type(arn) is None:
        return (
            "is not a resource a regional web ACL can be associated with; give the ARN of an Application "
            "Load Balancer, an API Gateway REST API stage (arn:aws:apigateway:REGION::/restapis/ID/stages/STAGE), "
            "an AppSync API, a Cognito user pool, an App Runner service, a Verified Access instance, an Amplify "
            "app or a Bedrock AgentCore gateway"
        )
    return None


def decode_association_types(tags):
    """The resource types recorded in the ACL's tags, or None when there is no record."""
    value = (tags or {}).get(ASSOCIATION_TYPES_TAG)
    if value is None:
        return None
    return sorted(t for t in value.split() if t in regional_resource_types())


def encode_association_types(arns):
    return " ".join(sorted({resource_type(arn) for arn in arns if resource_type(arn)})) or "none"


# ---------------------------------------------------------------------------------------------
# Normalisation of the AWS shape (both sides of every comparison go through it)
# ---------------------------------------------------------------------------------------------

_MATCH_STATEMENTS = (
    "ByteMatchStatement",
    "SqliMatchStatement",
    "XssMatchStatement",
    "SizeConstraintStatement",
    "RegexPatternSetReferenceStatement",
    "RegexMatchStatement",
)
DEFAULT_TEXT_TRANSFORMATIONS = [{"Priority": 0, "Type": "NONE"}]
DEFAULT_EVALUATION_WINDOW = 300


def _text(value):
    """Blob members (ByteMatch SearchString) come back from boto3 as bytes; compare them as text."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.decode("latin-1")
    return value


def _normalise_field_to_match(field):
    field = dict(field or {})
    for key in ("SingleHeader", "SingleQueryArgument"):
        if isinstance(field.get(key), dict) and field[key].get("Name"):
            # WAF matches these names case-insensitively and stores them lower case.
            field[key] = dict(field[key], Name=field[key]["Name"].lower())
    for key in ("Body", "JsonBody"):
        if isinstance(field.get(key), dict) and not field[key].get("OversizeHandling"):
            field[key] = dict(field[key], OversizeHandling="CONTINUE")
    return field


def _normalise_text_transformations(items):
    return sorted(items or DEFAULT_TEXT_TRANSFORMATIONS, key=lambda t: t.get("Priority", 0))


def _sorted_by_name(items):
    return sorted(items or [], key=lambda item: item.get("Name", ""))


def _normalise_action(action):
    """A RuleAction / DefaultAction: response headers sorted (AWS keeps no meaningful order)."""
    action = copy.deepcopy(action or {})
    for body in action.values():
        if not isinstance(body, dict):
            continue
        response = body.get("CustomResponse")
        if response and response.get("ResponseHeaders"):
            response["ResponseHeaders"] = _sorted_by_name(response["ResponseHeaders"])
        handling = body.get("CustomRequestHandling")
        if handling and handling.get("InsertHeaders"):
            handling["InsertHeaders"] = _sorted_by_name(handling["InsertHeaders"])
    return action


def _normalise_overrides(items):
    return [dict(item, ActionToUse=_normalise_action(item.get("ActionToUse"))) for item in _sorted_by_name(items)]


def normalise_statement(statement):
    """A Statement with AWS's defaults applied and set-like lists sorted (a new dict)."""
    if not isinstance(statement, dict):
        return statement
    result = {}
    for key, body in statement.items():
        body = copy.deepcopy(body)
        if not isinstance(body, dict):
            result[key] = body
            continue
        if key in ("AndStatement", "OrStatement"):
            body["Statements"] = [normalise_statement(s) for s in body.get("Statements") or []]
        elif key == "NotStatement":
            body["Statement"] = normalise_statement(body.get("Statement"))
        elif key == "RateBasedStatement":
            body.setdefault("EvaluationWindowSec", DEFAULT_EVALUATION_WINDOW)
            body.setdefault("AggregateKeyType", "IP")
            if body.get("ScopeDownStatement"):
                body["ScopeDownStatement"] = normalise_statement(body["ScopeDownStatement"])
            for custom_key in body.get("CustomKeys") or []:
                for member in custom_key.values():
                    if isinstance(member, dict) and "TextTransformations" in member:
                        member["TextTransformations"] = _normalise_text_transformations(member["TextTransformations"])
        elif key in ("ManagedRuleGroupStatement", "RuleGroupReferenceStatement"):
            if key == "ManagedRuleGroupStatement":
                body.setdefault("VendorName", "AWS")
                if body.get("ScopeDownStatement"):
                    body["ScopeDownStatement"] = normalise_statement(body["ScopeDownStatement"])
            # Empty lists are left out: AWS returns them either way.
            for member, normalise in (
                ("ExcludedRules", _sorted_by_name),
                ("RuleActionOverrides", _normalise_overrides),
            ):
                if body.get(member):
                    body[member] = normalise(body[member])
                else:
                    body.pop(member, None)
        elif key in _MATCH_STATEMENTS:
            if "FieldToMatch" in body:
                body["FieldToMatch"] = _normalise_field_to_match(body["FieldToMatch"])
            body["TextTransformations"] = _normalise_text_transformations(body.get("TextTransformations"))
            if key == "ByteMatchStatement" and "SearchString" in body:
                body["SearchString"] = _text(body["SearchString"])
            if key == "SqliMatchStatement":
                body.setdefault("SensitivityLevel", "LOW")
        elif key == "GeoMatchStatement":
            body["CountryCodes"] = sorted(body.get("CountryCodes") or [])
        result[key] = body
    return result


MASKED = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def mask_header_values(value):
    """``value`` (rules, a statement, any nesting of them) with the search string of every byte match on a single
    header masked, as Ansible masks a C(no_log) value: a header value a web ACL requires is a shared secret (the
    origin-verify header, an API key), which a read must not print."""
    if isinstance(value, list):
        return [mask_header_values(item) for item in value]
    if not isinstance(value, dict):
        return value
    masked = {key: mask_header_values(item) for key, item in value.items()}
    byte_match = masked.get("ByteMatchStatement")
    if isinstance(byte_match, dict) and "SingleHeader" in (byte_match.get("FieldToMatch") or {}):
        masked["ByteMatchStatement"] = dict(byte_match, SearchString=MASKED)
    return masked


def normalise_rule(rule):
    """A Rule with AWS's defaults applied, its statement normalised, None members dropped."""
    rule = dict((k, copy.deepcopy(v)) for k, v in (rule or {}).items() if v is not None)
    if "Statement" in rule:
        rule["Statement"] = normalise_statement(rule["Statement"])
    if "Action" in rule:
        rule["Action"] = _normalise_action(rule["Action"])
    if rule.get("RuleLabels"):
        rule["RuleLabels"] = _sorted_by_name(rule["RuleLabels"])
    return rule


def comparable(value):
    """Like diff.canonical, but keeps empty dicts: in WAFv2 ``{"Block": {}}`` or ``{"UriPath": {}}``
    carry the meaning, and dropping them would make Block equal Allow."""
    if isinstance(value, dict):
        result = {}
        for key in sorted(value):
            member = comparable(value[key])
            if member is None or member == [] or member == "":
                continue
            result[key] = member
        return result
    if isinstance(value, (list, tuple)):
        return [comparable(item) for item in value]
    return _text(value)


def rules_by_name(rules):
    return dict((rule["Name"], comparable(normalise_rule(rule))) for rule in rules or [])


def rules_differ(current, desired):
    return rules_by_name(current) != rules_by_name(desired)


# ---------------------------------------------------------------------------------------------
# Module options (snake_case) -> AWS shape
# ---------------------------------------------------------------------------------------------

ACTION_KEYS = {"allow": "Allow", "block": "Block", "count": "Count", "captcha": "Captcha", "challenge": "Challenge"}
OVERRIDE_KEYS = {"none": "None", "count": "Count"}
STATEMENT_KINDS = ("rate_based", "managed_rule_group", "rule_group", "ip_set", "geo_match", "statement")
GROUP_KINDS = ("managed_rule_group", "rule_group")
METRIC_NAME = re.compile(r"^[\w#:.\-/]+$")


def default_metric_name(name):
    """A valid CloudWatch metric name for WAF made from ``name``."""
    return re.sub(r"[^\w#:.\-/]", "_", name or "")[:255] or "_"


def visibility_to_aws(visibility, default_metric):
    visibility = visibility or {}

    def flag(key):
        return True if visibility.get(key) is None else bool(visibility[key])

    return {
        "SampledRequestsEnabled": flag("sampled_requests_enabled"),
        "CloudWatchMetricsEnabled": flag("cloudwatch_metrics_enabled"),
        "MetricName": visibility.get("metric_name") or default_metric_name(default_metric),
    }


def custom_response_to_aws(response):
    result = {"ResponseCode": int(response["response_code"])}
    if response.get("custom_response_body_key"):
        result["CustomResponseBodyKey"] = response["custom_response_body_key"]
    if response.get("response_headers"):
        result["ResponseHeaders"] = [
            {"Name": str(k), "Value": str(v)} for k, v in sorted(response["response_headers"].items())
        ]
    return result


def action_to_aws(action, custom_response=None):
    body = {}
    if action == "block" and custom_response and custom_response.get("response_code") is not None:
        body["CustomResponse"] = custom_response_to_aws(custom_response)
    return {ACTION_KEYS[action]: body}


def default_action_to_aws(default_action, response=None):
    return action_to_aws(default_action or "allow", response)


def _forwarded_ip_to_aws(config, with_position=False):
    config = config or {}
    result = {
        "HeaderName": config.get("header_name") or "X-Forwarded-For",
        "FallbackBehavior": config.get("fallback_behavior") or "MATCH",
    }
    if with_position:
        result["Position"] = config.get("position") or "FIRST"
    return result


def _group_members_to_aws(group):
    result = {}
    if group.get("excluded_rules"):
        result["ExcludedRules"] = [{"Name": name} for name in sorted(group["excluded_rules"])]
    if group.get("rule_action_overrides"):
        result["RuleActionOverrides"] = [
            {"Name": item["name"], "ActionToUse": action_to_aws(item["action"])}
            for item in sorted(group["rule_action_overrides"], key=lambda i: i["name"])
        ]
    return result


def statement_to_aws(rule):
    """The AWS Statement of a rule given in module options (exactly one kind is set)."""
    if rule.get("rate_based"):
        spec = rule["rate_based"]
        body = {
            "Limit": int(spec["limit"]),
            "AggregateKeyType": spec.get("aggregate_key_type") or "IP",
            "EvaluationWindowSec": int(spec.get("evaluation_window_sec") or DEFAULT_EVALUATION_WINDOW),
        }
        if body["AggregateKeyType"] == "FORWARDED_IP":
            body["ForwardedIPConfig"] = _forwarded_ip_to_aws(spec.get("forwarded_ip_config"))
        if spec.get("scope_down_statement"):
            body["ScopeDownStatement"] = copy.deepcopy(spec["scope_down_statement"])
        return normalise_statement({"RateBasedStatement": body})
    if rule.get("managed_rule_group"):
        spec = rule["managed_rule_group"]
        body = {"VendorName": spec.get("vendor_name") or "AWS", "Name": spec["name"]}
        if spec.get("version"):
            body["Version"] = spec["version"]
        body.update(_group_members_to_aws(spec))
        if spec.get("scope_down_statement"):
            body["ScopeDownStatement"] = copy.deepcopy(spec["scope_down_statement"])
        return normalise_statement({"ManagedRuleGroupStatement": body})
    if rule.get("rule_group"):
        spec = rule["rule_group"]
        body = {"ARN": spec["arn"]}
        body.update(_group_members_to_aws(spec))
        return normalise_statement({"RuleGroupReferenceStatement": body})
    if rule.get("ip_set"):
        spec = rule["ip_set"]
        body = {"ARN": spec["arn"]}
        if spec.get("forwarded_ip_config"):
            body["IPSetForwardedIPConfig"] = _forwarded_ip_to_aws(spec["forwarded_ip_config"], with_position=True)
        return normalise_statement({"IPSetReferenceStatement": body})
    if rule.get("geo_match"):
        spec = rule["geo_match"]
        body = {"CountryCodes": sorted(spec["country_codes"])}
        if spec.get("forwarded_ip_config"):
            body["ForwardedIPConfig"] = _forwarded_ip_to_aws(spec["forwarded_ip_config"])
        return normalise_statement({"GeoMatchStatement": body})
    return normalise_statement(copy.deepcopy(rule.get("statement") or {}))


def is_group_statement(statement):
    return bool(statement) and any(k in statement for k in ("ManagedRuleGroupStatement", "RuleGroupReferenceStatement"))


def rule_to_aws(rule):
    """The AWS Rule of a rule given in module options."""
    statement = statement_to_aws(rule)
    result = {
        "Name": rule["name"],
        "Priority": int(rule["priority"]),
        "Statement": statement,
        "VisibilityConfig": visibility_to_aws(rule.get("visibility"), rule["name"]),
    }
    if is_group_statement(statement):
        result["OverrideAction"] = {OVERRIDE_KEYS[rule.get("override_action") or "none"]: {}}
    else:
        result["Action"] = action_to_aws(rule["action"], rule.get("custom_response"))
    if rule.get("rule_labels"):
        result["RuleLabels"] = [{"Name": name} for name in sorted(rule["rule_labels"])]
    if rule.get("captcha_immunity_time") is not None:
        result["CaptchaConfig"] = {"ImmunityTimeProperty": {"ImmunityTime": int(rule["captcha_immunity_time"])}}
    if rule.get("challenge_immunity_time") is not None:
        result["ChallengeConfig"] = {"ImmunityTimeProperty": {"ImmunityTime": int(rule["challenge_immunity_time"])}}
    return normalise_rule(result)


def custom_response_bodies_to_aws(bodies):
    return dict(
        (key, {"ContentType": value["content_type"], "Content": value["content"]}) for key, value in bodies.items()
    )


def immunity_to_aws(seconds):
    return {"ImmunityTimeProperty": {"ImmunityTime": int(seconds)}}


# Logging ------------------------------------------------------------------------------------

REDACTABLE = {"uri_path": "UriPath", "query_string": "QueryString", "method": "Method"}


def redacted_field_to_aws(item):
    """One redacted field: "uri_path" | "query_string" | "method" | {single_header: NAME} | a header name."""
    if isinstance(item, dict):
        if item.get("single_header"):
            return {"SingleHeader": {"Name": str(item["single_header"]).lower()}}
        for key, aws_key in REDACTABLE.items():
            if item.get(key):
                return {aws_key: {}}
        return None
    if item in REDACTABLE:
        return {REDACTABLE[item]: {}}
    return {"SingleHeader": {"Name": str(item).lower()}}


def _redacted_sort_key(field):
    key = next(iter(field))
    return (key, (field[key] or {}).get("Name", "") if isinstance(field[key], dict) else "")


def normalise_redacted_fields(fields):
    return sorted(
        [_normalise_field_to_match(f) for f in fields or []],
        key=_redacted_sort_key,
    )


def logging_filter_to_aws(spec):
    if not spec or not spec.get("filters"):
        return None
    filters = []
    for item in spec["filters"]:
        conditions = []
        for condition in item.get("conditions") or []:
            if condition.get("action_condition"):
                conditions.append({"ActionCondition": {"Action": condition["action_condition"].upper()}})
            if condition.get("label_name_condition"):
                conditions.append({"LabelNameCondition": {"LabelName": condition["label_name_condition"]}})
        filters.append(
            {
                "Behavior": item.get("behavior") or "KEEP",
                "Requirement": item.get("requirement") or "MEETS_ANY",
                "Conditions": conditions,
            }
        )
    return {"DefaultBehavior": spec.get("default_behavior") or "KEEP", "Filters": filters}


def log_destination_arn(destination, acl_arn):
    """A CloudWatch Logs group ARN for a bare group name, in the ACL's partition, region and account."""
    if destination.startswith("arn:"):
        # AWS wants the log group ARN without the ":*" the console and Terraform show.
        return destination[:-2] if destination.endswith(":*") else destination
    parts = acl_arn.split(":")
    return f"arn:{parts[1]}:logs:{parts[3]}:{parts[4]}:log-group:{destination}"


def log_destination_name(destination):
    """The resource name an ARN destination ends with (log group, bucket, delivery stream)."""
    if not destination.startswith("arn:"):
        return destination
    resource = destination.split(":", 5)[5] if destination.count(":") >= 5 else destination
    resource = resource[:-2] if resource.endswith(":*") else resource
    return re.split(r"[:/]", resource)[-1]


def normalise_logging(configuration):
    """The parts of a LoggingConfiguration the module manages, in comparable form; None if none."""
    if not configuration:
        return None
    result = {
        "LogDestinationConfigs": [
            d[:-2] if d.endswith(":*") else d for d in configuration.get("LogDestinationConfigs") or []
        ],
        "RedactedFields": normalise_redacted_fields(configuration.get("RedactedFields")),
    }
    if configuration.get("LoggingFilter") and configuration["LoggingFilter"].get("Filters"):
        result["LoggingFilter"] = configuration["LoggingFilter"]
    return comparable(result)


# ---------------------------------------------------------------------------------------------
# AWS shape -> module options (what the modules return and show in diffs)
# ---------------------------------------------------------------------------------------------


def _action_from_aws(action):
    if not action:
        return None, None
    key = next(iter(action))
    body = action[key] or {}
    response = None
    if body.get("CustomResponse"):
        response = custom_response_from_aws(body["CustomResponse"])
    return key.lower(), response


def custom_response_from_aws(response):
    return {
        "response_code": response.get("ResponseCode"),
        "custom_response_body_key": response.get("CustomResponseBodyKey"),
        "response_headers": dict((h["Name"], h["Value"]) for h in response.get("ResponseHeaders") or []) or None,
    }


def visibility_from_aws(visibility):
    visibility = visibility or {}
    return {
        "cloudwatch_metrics_enabled": visibility.get("CloudWatchMetricsEnabled"),
        "sampled_requests_enabled": visibility.get("SampledRequestsEnabled"),
        "metric_name": visibility.get("MetricName"),
    }


def _forwarded_ip_from_aws(config):
    if not config:
        return None
    result = {"header_name": config.get("HeaderName"), "fallback_behavior": config.get("FallbackBehavior")}
    if "Position" in config:
        result["position"] = config["Position"]
    return result


def _simple_overrides(overrides):
    """rule_action_overrides in option form, or None when one cannot be expressed that way."""
    result = []
    for item in overrides or []:
        action = item.get("ActionToUse") or {}
        if len(action) != 1 or next(iter(action.values())):
            return None
        result.append({"name": item["Name"], "action": next(iter(action)).lower()})
    return result


def _plain(value):
    """Raw statements for return values: blobs as text, so the result is JSON."""
    if isinstance(value, dict):
        return dict((k, _plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return _text(value)


def statement_from_aws(statement):
    """(kind, options) for a Statement: a typed kind when it says all, else ("statement", raw)."""
    statement = normalise_statement(statement or {})
    raw = ("statement", _plain(statement))
    if len(statement) != 1:
        return raw
    key, body = next(iter(statement.items()))
    if key == "RateBasedStatement":
        if body.get("AggregateKeyType") not in ("IP", "FORWARDED_IP", "CONSTANT") or body.get("CustomKeys"):
            return raw
        return "rate_based", {
            "limit": body.get("Limit"),
            "aggregate_key_type": body.get("AggregateKeyType"),
            "evaluation_window_sec": body.get("EvaluationWindowSec"),
            "forwarded_ip_config": _forwarded_ip_from_aws(body.get("ForwardedIPConfig")),
            "scope_down_statement": _plain(body.get("ScopeDownStatement")),
        }
    if key in ("ManagedRuleGroupStatement", "RuleGroupReferenceStatement"):
        overrides = _simple_overrides(body.get("RuleActionOverrides"))
        if overrides is None or body.get("ManagedRuleGroupConfigs"):
            return raw
        members = {
            "excluded_rules": [r["Name"] for r in body.get("ExcludedRules") or []],
            "rule_action_overrides": overrides,
        }
        if key == "RuleGroupReferenceStatement":
            return "rule_group", dict(members, arn=body.get("ARN"))
        return "managed_rule_group", dict(
            members,
            vendor_name=body.get("VendorName"),
            name=body.get("Name"),
            version=body.get("Version"),
            scope_down_statement=_plain(body.get("ScopeDownStatement")),
        )
    if key == "IPSetReferenceStatement":
        return "ip_set", {
            "arn": body.get("ARN"),
            "forwarded_ip_config": _forwarded_ip_from_aws(body.get("IPSetForwardedIPConfig")),
        }
    if key == "GeoMatchStatement":
        return "geo_match", {
            "country_codes": body.get("CountryCodes"),
            "forwarded_ip_config": _forwarded_ip_from_aws(body.get("ForwardedIPConfig")),
        }
    return raw


def rule_from_aws(rule):
    """A Rule in the shape of the module's ``rules`` option."""
    rule = normalise_rule(rule)
    kind, spec = statement_from_aws(rule.get("Statement"))
    result = {"name": rule.get("Name"), "priority": rule.get("Priority"), kind: spec}
    if rule.get("OverrideAction"):
        result["override_action"] = next(iter(rule["OverrideAction"])).lower()
    if rule.get("Action"):
        result["action"], result["custom_response"] = _action_from_aws(rule["Action"])
    result["rule_labels"] = [label["Name"] for label in rule.get("RuleLabels") or []]
    for key, option in (("CaptchaConfig", "captcha_immunity_time"), ("ChallengeConfig", "challenge_immunity_time")):
        result[option] = ((rule.get(key) or {}).get("ImmunityTimeProperty") or {}).get("ImmunityTime")
    result["visibility"] = visibility_from_aws(rule.get("VisibilityConfig"))
    return comparable(result)


def redacted_field_from_aws(field):
    key = next(iter(field))
    if key == "SingleHeader":
        return {"single_header": field[key].get("Name")}
    reverse = dict((v, k) for k, v in REDACTABLE.items())
    return reverse.get(key, key)


def logging_from_aws(configuration):
    """A LoggingConfiguration in the shape of the module's ``logging`` option."""
    if not configuration:
        return {"enabled": False}
    destinations = configuration.get("LogDestinationConfigs") or []
    result = {
        "enabled": True,
        "destination": destinations[0] if destinations else None,
        "redacted_fields": [
            redacted_field_from_aws(f) for f in normalise_redacted_fields(configuration.get("RedactedFields"))
        ],
    }
    logging_filter = configuration.get("LoggingFilter")
    if logging_filter and logging_filter.get("Filters"):
        filters = []
        for item in logging_filter["Filters"]:
            conditions = []
            for condition in item.get("Conditions") or []:
                if condition.get("ActionCondition"):
                    conditions.append({"action_condition": condition["ActionCondition"].get("Action")})
                if condition.get("LabelNameCondition"):
                    conditions.append({"label_name_condition": condition["LabelNameCondition"].get("LabelName")})
            filters.append(
                {"behavior": item.get("Behavior"), "requirement": item.get("Requirement"), "conditions": conditions}
            )
        result["filter"] = {"default_behavior": logging_filter.get("DefaultBehavior"), "filters": filters}
    return result


def web_acl_from_aws(acl, scope=None, tags=None, associations=None, logging=None):
    """A WebACL in the shape of the module's options, plus its read-only identity and capacity.

    ``associations`` and ``logging`` are left out when None (not read); ``logging`` is the AWS
    LoggingConfiguration, or ``False`` for an ACL read and found without one.
    """
    acl = acl or {}
    default_action, default_response = _action_from_aws(acl.get("DefaultAction"))
    result = {
        "name": acl.get("Name"),
        "id": acl.get("Id"),
        "arn": acl.get("ARN"),
        "scope": scope,
        "capacity": acl.get("Capacity"),
        "label_namespace": acl.get("LabelNamespace"),
        "description": acl.get("Description") or None,
        "default_action": default_action,
        "default_action_response": default_response,
        "rules": [rule_from_aws(r) for r in sorted(acl.get("Rules") or [], key=lambda r: r.get("Priority", 0))],
        "visibility": visibility_from_aws(acl.get("VisibilityConfig")),
        "custom_response_bodies": dict(
            (k, {"content_type": v.get("ContentType"), "content": v.get("Content")})
            for k, v in (acl.get("CustomResponseBodies") or {}).items()
        ),
        "captcha_immunity_time": ((acl.get("CaptchaConfig") or {}).get("ImmunityTimeProperty") or {}).get(
            "ImmunityTime"
        ),
        "challenge_immunity_time": ((acl.get("ChallengeConfig") or {}).get("ImmunityTimeProperty") or {}).get(
            "ImmunityTime"
        ),
        "token_domains": list(acl.get("TokenDomains") or []),
        "tags": dict((k, v) for k, v in (tags or {}).items() if k != ASSOCIATION_TYPES_TAG),
    }
    if associations is not None:
        result["associations"] = sorted(associations)
    if logging is not None:
        result["logging"] = logging_from_aws(logging or None)
    return result


def current_associations(client, acl_arn, resource_types):
    """Every resource ARN associated with the ACL, over the given resource types (one call each)."""
    found = []
    for name in sorted(set(resource_types)):
        found.extend(list_resources_for_web_acl(client, acl_arn, name))
    return sorted(set(found))


def web_acl_arn_problems(arn, option):
    """Messages for the name and ID in the web ACL ARN ``arn`` (``...:global/webacl/NAME/ID``) that WAF's model
    refuses (its EntityName and EntityId shapes: an ID is a lowercase UUID); [] when both are valid or ``arn`` is not
    a web ACL ARN at all (the caller says that in its own terms)."""
    match = resource_id_match(arn, "wafv2", None, r"webacl/(?P<name>[^/]*)/(?P<id>[^/]*)")
    if match is None:
        return []
    errors = []
    for part, shape in (("name", "EntityName"), ("id", "EntityId")):
        for problem in shape_problems(match[part], botocore_model.api_shape("wafv2", shape)):
            errors.append(f"{option} {arn!r}: the web ACL {part} {problem.value!r} {problem.wrong}: {problem.fix}.")
    return errors
