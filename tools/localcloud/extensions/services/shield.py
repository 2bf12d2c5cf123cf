"""Shield Advanced actions moto 5.2.5 lacks or gets wrong.

moto keeps one Shield backend per account and partition (``shield_backends[account]["aws"]``), with the
protections and the subscription made by CreateSubscription; these handlers read that same backend.

- Per-protection settings (health checks, application layer automatic response) live on moto's own
  protection objects, which already have the attributes for them; DescribeProtection and ListProtections
  are served here so they always show them (and filter and page like AWS).
- Protection groups, SRT (DRT) access, emergency contacts and proactive engagement are extension
  state (``req.global_store``), emptied by every reset like moto's.
- Everything Shield Advanced needs a subscription: without one, ResourceNotFoundException
  ("The subscription does not exist."), as DescribeSubscription answers.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from ..registry import AwsError, ExtensionRequest, action
from ..trust import trusts_service

PROTECTION_GROUP_ID = re.compile(r"[a-zA-Z0-9\-]{1,36}")
PROTECTION_NAME = re.compile(r"[ a-zA-Z0-9_.\-]{1,128}")
ROLE_ARN = re.compile(r"arn:aws[\w-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-/]+")
LOG_BUCKET = re.compile(
    r"([a-z]|(\d(?!\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3})))([a-z\d]|(\.(?!(\.|-)))|(-(?!\.))){1,61}[a-z\d]"
)
HEALTH_CHECK_ARN = re.compile(r"arn:aws[\w-]*:route53:::healthcheck/(\S{36})")
EMAIL = re.compile(r"\S+@\S+\.\S+")
PHONE = re.compile(r"\+[1-9]\d{1,14}")
CONTACT_NOTES = re.compile(r"[\w\s.\-,:/()+@]*")

AGGREGATIONS = ("SUM", "MEAN", "MAX")
PATTERNS = ("ALL", "ARBITRARY", "BY_RESOURCE_TYPE")
# Resource types Shield Advanced protects, by the ARN of the protected resource.
RESOURCE_TYPES: list[tuple[str, re.Pattern[str]]] = [
    ("CLOUDFRONT_DISTRIBUTION", re.compile(r"arn:aws[\w-]*:cloudfront::\d{12}:distribution/[A-Za-z0-9]+")),
    ("ROUTE_53_HOSTED_ZONE", re.compile(r"arn:aws[\w-]*:route53:::hostedzone/[A-Za-z0-9]+")),
    ("GLOBAL_ACCELERATOR", re.compile(r"arn:aws[\w-]*:globalaccelerator::\d{12}:accelerator/[\w-]+")),
    (
        "ELASTIC_IP_ALLOCATION",
        re.compile(r"arn:aws[\w-]*:ec2:[a-z0-9-]+:\d{12}:eip-allocation/eipalloc-[0-9a-f]+"),
    ),
    (
        "APPLICATION_LOAD_BALANCER",
        re.compile(r"arn:aws[\w-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/app/[\w-]+/[\w-]+"),
    ),
    (
        "CLASSIC_LOAD_BALANCER",
        re.compile(r"arn:aws[\w-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/[\w-]+"),
    ),
]
RESOURCE_TYPE_NAMES = tuple(name for name, _ in RESOURCE_TYPES)
ALAR_TYPES = ("CLOUDFRONT_DISTRIBUTION", "APPLICATION_LOAD_BALANCER")
MAX_LOG_BUCKETS = 10
MAX_HEALTH_CHECKS = 1  # one health check per protected resource


# -- helpers ----------------------------------------------------------------------------------------
def _error(code: str, message: str, **members: Any) -> AwsError:
    """An AwsError carrying the error shape's extra members (rendered by moto's serializers)."""
    err = AwsError(code, message)
    for name, value in members.items():
        setattr(err, name, value)
    return err


def _invalid(message: str, *fields: str) -> AwsError:
    if fields:
        return _error(
            "InvalidParameterException",
            message,
            reason="FIELD_VALIDATION_FAILED",
            fields=[{"name": name, "message": message} for name in fields],
        )
    return _error("InvalidParameterException", message, reason="OTHER")


def _field_error(field_name: str) -> AwsError:
    return _invalid(f"Error validating the following inputs: {field_name}", field_name)


def _not_found(message: str) -> AwsError:
    return _error("ResourceNotFoundException", message)


def _backend(req: ExtensionRequest) -> Any:
    return req.moto_backend("shield", req.partition)


def _subscribed(req: ExtensionRequest) -> Any:
    """moto's Shield backend, after checking the account has a Shield Advanced subscription."""
    backend = _backend(req)
    if backend.subscription is None:
        raise _not_found("The subscription does not exist.")
    return backend


def resource_type(arn: str) -> str | None:
    """The Shield resource type of a protectable resource's ARN (None: Shield cannot protect it)."""
    for name, pattern in RESOURCE_TYPES:
        if pattern.fullmatch(arn or ""):
            return name
    return None


def _page(req: ExtensionRequest, items: list[Any]) -> tuple[list[Any], str | None]:
    """AWS-style paging over a list: MaxResults (0/absent: all) and an opaque NextToken."""
    start = 0
    token = req.params.get("NextToken")
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token.encode()).decode())
        except ValueError:
            raise _error("InvalidPaginationTokenException", "Invalid pagination token") from None
        if start < 0 or start > len(items):
            raise _error("InvalidPaginationTokenException", "Invalid pagination token")
    size = req.params.get("MaxResults") or len(items) or 1
    page = items[start : start + size]
    end = start + len(page)
    next_token = base64.urlsafe_b64encode(str(end).encode()).decode() if end < len(items) else None
    return page, next_token


def _with_token(result: dict[str, Any], token: str | None) -> dict[str, Any]:
    if token:
        result["NextToken"] = token
    return result


# -- protections (moto's, validated and rendered like AWS) -----------------------------------------
def _protection_dict(protection: Any) -> dict[str, Any]:
    result = {
        "Id": protection.protection_id,
        "Name": protection.name,
        "ResourceArn": protection.resource_arn,
        "ProtectionArn": protection.protection_arn,
        "HealthCheckIds": list(protection.health_check_ids),
    }
    if protection.application_layer_automatic_response_configuration:
        result["ApplicationLayerAutomaticResponseConfiguration"] = dict(
            protection.application_layer_automatic_response_configuration
        )
    return result


def _protection_for(backend: Any, resource_arn: str) -> Any:
    for protection in backend.protections.values():
        if protection.resource_arn == resource_arn:
            return protection
    raise _not_found("The referenced protection does not exist.")


@action("shield", "CreateProtection")
def create_protection(req: ExtensionRequest) -> dict[str, Any]:
    """moto's CreateProtection, after AWS's checks: subscription, name, and a protectable resource ARN
    (moto takes any load balancer, NLBs included, and calls them classic load balancers)."""
    req.require("Name", "ResourceArn")
    backend = _subscribed(req)
    name, arn = req.params["Name"], req.params["ResourceArn"]
    if not PROTECTION_NAME.fullmatch(name):
        raise _field_error("name")
    if resource_type(arn) is None:
        raise AwsError(
            "InvalidResourceException",
            f"Unrecognized resource '{arn}': Shield Advanced protects CloudFront distributions, Route 53 hosted "
            "zones, Global Accelerator accelerators, Elastic IP allocations, Application and Classic Load Balancers.",
        )
    protection_id = backend.create_protection(name=name, resource_arn=arn, tags=req.params.get("Tags") or [])
    return {"ProtectionId": protection_id}


@action("shield", "DescribeProtection")
def describe_protection(req: ExtensionRequest) -> dict[str, Any]:
    backend = _backend(req)
    protection_id, arn = req.params.get("ProtectionId"), req.params.get("ResourceArn")
    if bool(protection_id) == bool(arn):
        raise _invalid(
            "Invalid parameter. You must provide one value, either protectionId or resourceArn, but not both."
        )
    if protection_id:
        protection = backend.protections.get(protection_id)
        if protection is None:
            raise _not_found("The referenced protection does not exist.")
    else:
        protection = _protection_for(backend, arn)
    return {"Protection": _protection_dict(protection)}


@action("shield", "ListProtections")
def list_protections(req: ExtensionRequest) -> dict[str, Any]:
    filters = req.params.get("InclusionFilters") or {}
    arns, names, types = (filters.get(key) for key in ("ResourceArns", "ProtectionNames", "ResourceTypes"))
    protections = [
        p
        for p in _backend(req).protections.values()
        if (not arns or p.resource_arn in arns)
        and (not names or p.name in names)
        and (not types or resource_type(p.resource_arn) in types)
    ]
    page, token = _page(req, protections)
    return _with_token({"Protections": [_protection_dict(p) for p in page]}, token)


# -- subscription ----------------------------------------------------------------------------------
@action("shield", "GetSubscriptionState")
def get_subscription_state(req: ExtensionRequest) -> dict[str, Any]:
    backend = req.moto_backend("shield", req.partition)
    return {"SubscriptionState": "ACTIVE" if backend.subscription is not None else "INACTIVE"}


@action("shield", "DescribeSubscription")
def describe_subscription(req: ExtensionRequest) -> dict[str, Any]:
    """moto's subscription, with real timestamps and the proactive engagement state kept here
    (moto always says ENABLED; AWS leaves the field out until proactive engagement is set up)."""
    subscription = _subscribed(req).subscription
    result = subscription.to_dict()
    result["StartTime"], result["EndTime"] = subscription.start_time, subscription.end_time
    status = req.global_store.get("proactive_engagement")
    if status:
        result["ProactiveEngagementStatus"] = status
    else:
        result.pop("ProactiveEngagementStatus", None)
    return {"Subscription": result}


@action("shield", "UpdateSubscription")
def update_subscription(req: ExtensionRequest) -> dict[str, Any]:
    """Only AutoRenew can change (the subscription's limits are AWS's to set)."""
    subscription = _subscribed(req).subscription
    auto_renew = req.params.get("AutoRenew")
    if auto_renew is not None:
        if auto_renew not in ("ENABLED", "DISABLED"):
            raise _invalid("AutoRenew must be ENABLED or DISABLED.", "autoRenew")
        subscription.auto_renew = auto_renew
    return {}


# -- protection groups -----------------------------------------------------------------------------
def _groups(req: ExtensionRequest) -> dict[str, dict[str, Any]]:
    return req.global_store.setdefault("protection_groups", {})


def _group(req: ExtensionRequest) -> dict[str, Any]:
    req.require("ProtectionGroupId")
    group = _groups(req).get(req.params["ProtectionGroupId"])
    if group is None:
        raise _not_found("The referenced protection group does not exist.")
    return group


def _validated_group_spec(req: ExtensionRequest, backend: Any) -> dict[str, Any]:
    req.require("ProtectionGroupId", "Aggregation", "Pattern")
    group_id, aggregation, pattern = (req.params[key] for key in ("ProtectionGroupId", "Aggregation", "Pattern"))
    rtype, members = req.params.get("ResourceType"), req.params.get("Members")
    if not PROTECTION_GROUP_ID.fullmatch(group_id):
        raise _field_error("protectionGroupId")
    if aggregation not in AGGREGATIONS:
        raise _field_error("aggregation")
    if pattern not in PATTERNS:
        raise _field_error("pattern")
    if rtype is not None and rtype not in RESOURCE_TYPE_NAMES:
        raise _field_error("resourceType")
    if pattern == "ARBITRARY":
        if members is None:
            raise _invalid("Members must be set when Pattern is ARBITRARY.", "members")
        if rtype is not None:
            raise _invalid("ResourceType must not be set when Pattern is ARBITRARY.", "resourceType")
        limit = backend.subscription.subscription_limits.protection_group_limits
        max_members = limit.pattern_type_limits.arbitrary_pattern_limits.max_members
        if len(members) > max_members:
            raise _error(
                "LimitsExceededException",
                f"A protection group with the ARBITRARY pattern can have at most {max_members} members.",
                Type="PROTECTION_GROUP_ARBITRARY_PATTERN_MEMBERS",
                Limit=max_members,
            )
        for member in members:
            if not re.fullmatch(r"arn:aws.*", member or ""):
                raise _field_error("members")
    elif pattern == "BY_RESOURCE_TYPE":
        if rtype is None:
            raise _invalid("ResourceType must be set when Pattern is BY_RESOURCE_TYPE.", "resourceType")
        if members is not None:
            raise _invalid("Members must not be set when Pattern is BY_RESOURCE_TYPE.", "members")
    else:  # ALL
        if rtype is not None:
            raise _invalid("ResourceType must not be set when Pattern is ALL.", "resourceType")
        if members is not None:
            raise _invalid("Members must not be set when Pattern is ALL.", "members")
    spec = {"ProtectionGroupId": group_id, "Aggregation": aggregation, "Pattern": pattern}
    if rtype is not None:
        spec["ResourceType"] = rtype
    if pattern == "ARBITRARY":
        spec["Members"] = list(dict.fromkeys(members))
    return spec


def _group_members(req: ExtensionRequest, group: dict[str, Any]) -> list[str]:
    if group["Pattern"] == "ARBITRARY":
        return list(group["Members"])
    protected = [p.resource_arn for p in _backend(req).protections.values()]
    if group["Pattern"] == "BY_RESOURCE_TYPE":
        return [arn for arn in protected if resource_type(arn) == group["ResourceType"]]
    return protected


def _group_dict(req: ExtensionRequest, group: dict[str, Any]) -> dict[str, Any]:
    return {**group, "Members": _group_members(req, group)}


@action("shield", "CreateProtectionGroup")
def create_protection_group(req: ExtensionRequest) -> dict[str, Any]:
    backend = _subscribed(req)
    spec = _validated_group_spec(req, backend)
    groups = _groups(req)
    if spec["ProtectionGroupId"] in groups:
        raise _error(
            "ResourceAlreadyExistsException",
            "The referenced protection group already exists.",
            resourceType="protection-group",
        )
    max_groups = backend.subscription.subscription_limits.protection_group_limits.max_protection_groups
    if len(groups) >= max_groups:
        raise _error(
            "LimitsExceededException",
            f"You can have at most {max_groups} protection groups.",
            Type="PROTECTION_GROUP",
            Limit=max_groups,
        )
    arn = f"arn:aws:shield::{req.account_id}:protection-group/{spec['ProtectionGroupId']}"
    groups[spec["ProtectionGroupId"]] = {**spec, "ProtectionGroupArn": arn}
    if req.params.get("Tags"):
        backend.tag_resource(arn, req.params["Tags"])  # moto's tagger: Tag/Untag/ListTagsForResource see them
    return {}


@action("shield", "DescribeProtectionGroup")
def describe_protection_group(req: ExtensionRequest) -> dict[str, Any]:
    return {"ProtectionGroup": _group_dict(req, _group(req))}


@action("shield", "UpdateProtectionGroup")
def update_protection_group(req: ExtensionRequest) -> dict[str, Any]:
    backend = _subscribed(req)
    group = _group(req)
    spec = _validated_group_spec(req, backend)
    for key in ("ResourceType", "Members"):
        group.pop(key, None)
    group.update(spec)
    return {}


@action("shield", "DeleteProtectionGroup")
def delete_protection_group(req: ExtensionRequest) -> dict[str, Any]:
    group = _group(req)
    del _groups(req)[group["ProtectionGroupId"]]
    _backend(req).tagger.delete_all_tags_for_resource(group["ProtectionGroupArn"])
    return {}


@action("shield", "ListProtectionGroups")
def list_protection_groups(req: ExtensionRequest) -> dict[str, Any]:
    filters = req.params.get("InclusionFilters") or {}
    wanted = {
        "ProtectionGroupId": filters.get("ProtectionGroupIds"),
        "Pattern": filters.get("Patterns"),
        "ResourceType": filters.get("ResourceTypes"),
        "Aggregation": filters.get("Aggregations"),
    }
    groups = [
        g for g in _groups(req).values() if all(not values or g.get(key) in values for key, values in wanted.items())
    ]
    page, token = _page(req, groups)
    return _with_token({"ProtectionGroups": [_group_dict(req, g) for g in page]}, token)


@action("shield", "ListResourcesInProtectionGroup")
def list_resources_in_protection_group(req: ExtensionRequest) -> dict[str, Any]:
    page, token = _page(req, _group_members(req, _group(req)))
    return _with_token({"ResourceArns": page}, token)


# -- SRT (DRT) access ------------------------------------------------------------------------------
def _drt(req: ExtensionRequest) -> dict[str, Any]:
    return req.global_store.setdefault("drt", {"RoleArn": None, "LogBucketList": []})


def _trusts_drt(policy_document: str) -> bool:
    return trusts_service(policy_document, "drt.shield.amazonaws.com")


@action("shield", "AssociateDRTRole")
def associate_drt_role(req: ExtensionRequest) -> dict[str, Any]:
    req.require("RoleArn")
    _subscribed(req)
    role_arn = req.params["RoleArn"]
    if not ROLE_ARN.fullmatch(role_arn):
        raise _field_error("roleArn")
    try:
        role = req.moto_backend("iam", "global").get_role_by_arn(role_arn)
    except Exception:  # moto's NotFoundException
        raise AwsError(
            "AccessDeniedForDependencyException",
            f"Shield could not pass the role {role_arn}: the role does not exist or iam:PassRole is not allowed.",
        ) from None
    if not _trusts_drt(role.assume_role_policy_document):
        raise _invalid(
            f"The role {role_arn} must allow the service principal drt.shield.amazonaws.com to assume it.",
            "roleArn",
        )
    _drt(req)["RoleArn"] = role_arn
    return {}


@action("shield", "DisassociateDRTRole")
def disassociate_drt_role(req: ExtensionRequest) -> dict[str, Any]:
    _subscribed(req)
    _drt(req)["RoleArn"] = None
    return {}


@action("shield", "DescribeDRTAccess")
def describe_drt_access(req: ExtensionRequest) -> dict[str, Any]:
    drt = _drt(req)
    result: dict[str, Any] = {}
    if drt["RoleArn"]:
        result["RoleArn"] = drt["RoleArn"]
    if drt["LogBucketList"]:
        result["LogBucketList"] = list(drt["LogBucketList"])
    return result


def _log_bucket(req: ExtensionRequest) -> tuple[dict[str, Any], str]:
    req.require("LogBucket")
    _subscribed(req)
    bucket = req.params["LogBucket"]
    if not LOG_BUCKET.fullmatch(bucket):
        raise _field_error("logBucket")
    drt = _drt(req)
    if not drt["RoleArn"]:
        raise AwsError(
            "NoAssociatedRoleException",
            "The ARN of the role that you specified does not exist. Associate a role with AssociateDRTRole first.",
        )
    return drt, bucket


@action("shield", "AssociateDRTLogBucket")
def associate_drt_log_bucket(req: ExtensionRequest) -> dict[str, Any]:
    drt, bucket = _log_bucket(req)
    if bucket in drt["LogBucketList"]:
        return {}
    if len(drt["LogBucketList"]) >= MAX_LOG_BUCKETS:
        raise _error(
            "LimitsExceededException",
            f"You can grant the SRT access to at most {MAX_LOG_BUCKETS} log buckets.",
            Type="LOG_BUCKET",
            Limit=MAX_LOG_BUCKETS,
        )
    if bucket not in req.moto_backend("s3", req.partition).buckets:
        raise _invalid(f"The bucket {bucket} does not exist.", "logBucket")
    drt["LogBucketList"].append(bucket)
    return {}


@action("shield", "DisassociateDRTLogBucket")
def disassociate_drt_log_bucket(req: ExtensionRequest) -> dict[str, Any]:
    drt, bucket = _log_bucket(req)
    if bucket not in drt["LogBucketList"]:
        raise _not_found(f"The bucket {bucket} is not associated with the SRT.")
    drt["LogBucketList"].remove(bucket)
    return {}


# -- emergency contacts and proactive engagement ---------------------------------------------------
def _validated_contacts(req: ExtensionRequest, key: str = "EmergencyContactList") -> list[dict[str, str]]:
    contacts = req.params.get(key) or []
    if len(contacts) > 10:
        raise _field_error("emergencyContactList")
    for contact in contacts:
        if not EMAIL.fullmatch(contact.get("EmailAddress") or "") or len(contact["EmailAddress"]) > 150:
            raise _field_error("emergencyContactList.member.emailAddress")
        if "PhoneNumber" in contact and not PHONE.fullmatch(contact["PhoneNumber"] or ""):
            raise _field_error("emergencyContactList.member.phoneNumber")
        if "ContactNotes" in contact and (
            not 1 <= len(contact["ContactNotes"] or "") <= 1024 or not CONTACT_NOTES.fullmatch(contact["ContactNotes"])
        ):
            raise _field_error("emergencyContactList.member.contactNotes")
    return [dict(c) for c in contacts]


def _has_phone(contacts: list[dict[str, str]] | None) -> bool:
    return any(c.get("PhoneNumber") for c in contacts or [])


@action("shield", "UpdateEmergencyContactSettings")
def update_emergency_contact_settings(req: ExtensionRequest) -> dict[str, Any]:
    _subscribed(req)
    contacts = _validated_contacts(req)
    if req.global_store.get("proactive_engagement") == "ENABLED" and not _has_phone(contacts):
        raise _invalid(
            "Proactive engagement is enabled: the emergency contact list must include at least one phone number.",
            "emergencyContactList",
        )
    req.global_store["emergency_contacts"] = contacts
    return {}


@action("shield", "DescribeEmergencyContactSettings")
def describe_emergency_contact_settings(req: ExtensionRequest) -> dict[str, Any]:
    contacts = req.global_store.get("emergency_contacts")
    return {} if contacts is None else {"EmergencyContactList": [dict(c) for c in contacts]}


@action("shield", "AssociateProactiveEngagementDetails")
def associate_proactive_engagement_details(req: ExtensionRequest) -> dict[str, Any]:
    """Initial setup of proactive engagement. The contacts given replace any already defined (AWS's
    documented behaviour); once proactive engagement is set up, AWS wants UpdateEmergencyContactSettings
    and Enable/DisableProactiveEngagement instead."""
    _subscribed(req)
    if req.params.get("EmergencyContactList") is None:
        req.require("EmergencyContactList")
    contacts = _validated_contacts(req)
    if req.global_store.get("proactive_engagement"):
        raise AwsError(
            "InvalidOperationException",
            "Proactive engagement details are already associated. Use UpdateEmergencyContactSettings to change "
            "the contacts and Enable/DisableProactiveEngagement to change the status.",
        )
    if not _has_phone(contacts):
        raise _invalid(
            "Proactive engagement requires at least one emergency contact with a phone number.",
            "emergencyContactList",
        )
    req.global_store["emergency_contacts"] = contacts
    req.global_store["proactive_engagement"] = "ENABLED"
    return {}


@action("shield", "EnableProactiveEngagement")
def enable_proactive_engagement(req: ExtensionRequest) -> dict[str, Any]:
    _subscribed(req)
    if not _has_phone(req.global_store.get("emergency_contacts")):
        raise AwsError(
            "InvalidOperationException",
            "Proactive engagement requires emergency contacts with at least one phone number: "
            "use AssociateProactiveEngagementDetails or UpdateEmergencyContactSettings first.",
        )
    req.global_store["proactive_engagement"] = "ENABLED"
    return {}


@action("shield", "DisableProactiveEngagement")
def disable_proactive_engagement(req: ExtensionRequest) -> dict[str, Any]:
    _subscribed(req)
    if not req.global_store.get("proactive_engagement"):
        raise AwsError("InvalidOperationException", "Proactive engagement has not been set up for this account.")
    req.global_store["proactive_engagement"] = "DISABLED"
    return {}


# -- health-based detection ------------------------------------------------------------------------
def _health_check(req: ExtensionRequest) -> tuple[Any, str]:
    req.require("ProtectionId", "HealthCheckArn")
    backend = _subscribed(req)
    protection = backend.protections.get(req.params["ProtectionId"])
    if protection is None:
        raise _not_found("The referenced protection does not exist.")
    match = HEALTH_CHECK_ARN.fullmatch(req.params["HealthCheckArn"])
    if not match:
        raise _field_error("healthCheckArn")
    return protection, match.group(1)


@action("shield", "AssociateHealthCheck")
def associate_health_check(req: ExtensionRequest) -> dict[str, Any]:
    protection, health_check_id = _health_check(req)
    if health_check_id not in req.moto_backend("route53", req.partition).health_checks:
        raise _not_found(f"The referenced health check {health_check_id} does not exist.")
    if health_check_id in protection.health_check_ids:
        return {}
    if len(protection.health_check_ids) >= MAX_HEALTH_CHECKS:
        raise _error(
            "LimitsExceededException",
            f"A protection can have at most {MAX_HEALTH_CHECKS} health check associated.",
            Type="HEALTH_CHECK",
            Limit=MAX_HEALTH_CHECKS,
        )
    protection.health_check_ids.append(health_check_id)
    return {}


@action("shield", "DisassociateHealthCheck")
def disassociate_health_check(req: ExtensionRequest) -> dict[str, Any]:
    protection, health_check_id = _health_check(req)
    if health_check_id not in protection.health_check_ids:
        raise _not_found(f"The health check {health_check_id} is not associated with this protection.")
    protection.health_check_ids.remove(health_check_id)
    return {}


# -- application layer automatic response ----------------------------------------------------------
def _response_action(req: ExtensionRequest) -> dict[str, Any]:
    req.require("Action")
    given = {k: v for k, v in (req.params.get("Action") or {}).items() if v is not None}
    if sorted(given) not in (["Block"], ["Count"]):
        raise _invalid("Action must contain exactly one of Block or Count.", "action")
    return {key: {} for key in given}


def _web_acl_for(req: ExtensionRequest, resource_arn: str, rtype: str) -> bool:
    """Is a WAFv2 web ACL associated with the resource (AssociateWebACL, or a distribution's WebACLId)?"""
    if rtype == "CLOUDFRONT_DISTRIBUTION":
        distribution_id = resource_arn.rsplit("/", 1)[-1]
        distribution = req.moto_backend("cloudfront", req.partition).distributions.get(distribution_id)
        if distribution is not None and getattr(distribution.distribution_config, "WebACLId", ""):
            return True
        regions = ["global", "us-east-1"]
    else:
        regions = [resource_arn.split(":")[3]]
    return any(req.moto_backend("wafv2", region).get_web_acl_for_resource(resource_arn) for region in regions)


def _alar_protection(req: ExtensionRequest) -> Any:
    req.require("ResourceArn")
    backend = _subscribed(req)
    arn = req.params["ResourceArn"]
    protection = _protection_for(backend, arn)
    rtype = resource_type(arn)
    if rtype not in ALAR_TYPES:
        raise _invalid(
            "Automatic application layer DDoS mitigation is available for CloudFront distributions and "
            "Application Load Balancers only.",
            "resourceArn",
        )
    return protection, rtype


def _alar_status(protection: Any) -> str | None:
    return (protection.application_layer_automatic_response_configuration or {}).get("Status")


@action("shield", "EnableApplicationLayerAutomaticResponse")
def enable_application_layer_automatic_response(req: ExtensionRequest) -> dict[str, Any]:
    protection, rtype = _alar_protection(req)
    response_action = _response_action(req)
    if _alar_status(protection) == "ENABLED":
        raise AwsError(
            "InvalidOperationException",
            "Automatic application layer DDoS mitigation is already enabled for this resource: "
            "use UpdateApplicationLayerAutomaticResponse.",
        )
    if not _web_acl_for(req, req.params["ResourceArn"], rtype):
        raise AwsError(
            "InvalidOperationException",
            "The resource has no AWS WAF (v2) web ACL associated. Associate a web ACL with the resource first.",
        )
    protection.application_layer_automatic_response_configuration = {"Status": "ENABLED", "Action": response_action}
    return {}


@action("shield", "UpdateApplicationLayerAutomaticResponse")
def update_application_layer_automatic_response(req: ExtensionRequest) -> dict[str, Any]:
    protection, _ = _alar_protection(req)
    response_action = _response_action(req)
    if _alar_status(protection) != "ENABLED":
        raise AwsError(
            "InvalidOperationException",
            "Automatic application layer DDoS mitigation is not enabled for this resource.",
        )
    protection.application_layer_automatic_response_configuration = {"Status": "ENABLED", "Action": response_action}
    return {}


@action("shield", "DisableApplicationLayerAutomaticResponse")
def disable_application_layer_automatic_response(req: ExtensionRequest) -> dict[str, Any]:
    protection, _ = _alar_protection(req)
    if _alar_status(protection) != "ENABLED":
        raise AwsError(
            "InvalidOperationException",
            "Automatic application layer DDoS mitigation is not enabled for this resource.",
        )
    config = protection.application_layer_automatic_response_configuration
    protection.application_layer_automatic_response_configuration = {**config, "Status": "DISABLED"}
    return {}
