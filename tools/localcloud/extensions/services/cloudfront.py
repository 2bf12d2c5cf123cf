"""CloudFront distribution behaviour moto 5.2.5 gets wrong, and the AWS managed cache/origin request policies.

moto keeps distributions in ``cloudfront_backends[account]["aws"]``; CreateDistribution(WithTags) and
UpdateDistribution are served here: moto builds and stores the distribution, then the stored configuration is
made to read back as AWS's does, so moto's own GetDistribution / GetDistributionConfig / ListDistributions answer
like AWS afterwards.

- **Viewer certificate**: moto reads back ``CloudFrontDefaultCertificate: true`` even next to an ACM
  certificate, empty ``ACMCertificateArn``/``IAMCertificateId`` strings (which clients read as "a certificate is
  set"), ``SSLSupportMethod: sni-only`` with the default certificate. AWS: with the default certificate
  ``SSLSupportMethod: vip``, ``MinimumProtocolVersion: TLSv1`` whatever was asked, ``CertificateSource:
  cloudfront``; with ACM ``CertificateSource: acm`` and ``Certificate`` the ARN. The ACM certificate must exist
  in us-east-1 and cover every alias, and aliases need a custom certificate (``InvalidViewerCertificate``).
- **Cache behaviours**: with a cache policy AWS returns no ``ForwardedValues`` (moto invents the defaults); a
  behaviour needs a cache policy or ForwardedValues, not both (``InvalidArgument``); a policy ID must exist
  (``NoSuchCachePolicy`` / ``NoSuchOriginRequestPolicy``).
- **Geo restriction**: locations must be ISO 3166-1 alpha-2 codes and match the type (``InvalidArgument``).
- **ETag / IfMatch**: every update gives a new ETag; UpdateDistribution and DeleteDistribution refuse a stale
  one (``PreconditionFailed``, 412) or none (``InvalidIfMatchVersion``); DeleteDistribution refuses an enabled
  distribution (``DistributionNotDisabled``), as AWS does (moto accepts any value and deletes at once).
- **Status**: ``InProgress`` in the Create/Update answer, ``Deployed`` from the first GetDistribution on
  (moto's state manager, transition ``manual`` after 1 read): the Terraform provider's waiter sleeps 30 s before
  its first read (``Delay``), so a distribution costs an apply those 30 s and no more.
- **Managed policies**: GetCachePolicy / ListCachePolicies and GetOriginRequestPolicy /
  ListOriginRequestPolicies serve AWS's managed policies under their fixed IDs (moto has none). Custom policies
  are not emulated (Create* stays unimplemented, as in moto).
"""

from __future__ import annotations

import copy
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from moto.moto_api import state_manager

from ..registry import AwsError, ExtensionRequest, action
from .cloudfront_waf import check_web_acl

DISTRIBUTION_MODEL = "cloudfront::distribution"
# InProgress at creation/update, Deployed from the first read on.
state_manager.register_default_transition(DISTRIBUTION_MODEL, {"progression": "manual", "times": 1})

COUNTRY = re.compile(r"[A-Z]{2}")
CERTIFICATE_ARN = re.compile(r"arn:aws[\w-]*:acm:([a-z0-9-]+):\d{12}:certificate/[\w-]+")
MANAGED_SINCE = datetime(2020, 7, 22, tzinfo=UTC)


def _none() -> dict[str, Any]:
    return {"Quantity": 0}


# AWS managed cache policies (CloudFront Developer Guide, "Use managed cache policies").
MANAGED_CACHE_POLICIES: dict[str, dict[str, Any]] = {
    "4135ea2d-6df8-44a3-9df3-4b5a84be39ad": {
        "Name": "Managed-CachingDisabled",
        "Comment": "Policy with caching disabled",
        "DefaultTTL": 0,
        "MaxTTL": 0,
        "MinTTL": 0,
        "ParametersInCacheKeyAndForwardedToOrigin": {
            "EnableAcceptEncodingGzip": False,
            "EnableAcceptEncodingBrotli": False,
            "HeadersConfig": {"HeaderBehavior": "none"},
            "CookiesConfig": {"CookieBehavior": "none"},
            "QueryStringsConfig": {"QueryStringBehavior": "none"},
        },
    },
    "658327ea-f89d-4fab-a63d-7e88639e58f6": {
        "Name": "Managed-CachingOptimized",
        "Comment": "Policy with caching enabled. Supports Gzip and Brotli compression.",
        "DefaultTTL": 86400,
        "MaxTTL": 31536000,
        "MinTTL": 1,
        "ParametersInCacheKeyAndForwardedToOrigin": {
            "EnableAcceptEncodingGzip": True,
            "EnableAcceptEncodingBrotli": True,
            "HeadersConfig": {"HeaderBehavior": "none"},
            "CookiesConfig": {"CookieBehavior": "none"},
            "QueryStringsConfig": {"QueryStringBehavior": "none"},
        },
    },
}

# AWS managed origin request policies (CloudFront Developer Guide, "Use managed origin request policies").
MANAGED_ORIGIN_REQUEST_POLICIES: dict[str, dict[str, Any]] = {
    "b689b0a8-53d0-40ab-baf2-68738e2966ac": {
        "Name": "Managed-AllViewerExceptHostHeader",
        "Comment": "Policy to forward all parameters in viewer requests except for the Host header",
        "HeadersConfig": {"HeaderBehavior": "allExcept", "Headers": {"Quantity": 1, "Items": ["host"]}},
        "CookiesConfig": {"CookieBehavior": "all"},
        "QueryStringsConfig": {"QueryStringBehavior": "all"},
    },
    "216adef6-5c7f-47e4-b989-5492eafa07d3": {
        "Name": "Managed-AllViewer",
        "Comment": "Policy to forward all parameters in viewer requests",
        "HeadersConfig": {"HeaderBehavior": "allViewer"},
        "CookiesConfig": {"CookieBehavior": "all"},
        "QueryStringsConfig": {"QueryStringBehavior": "all"},
    },
}


def _invalid(message: str) -> AwsError:
    return AwsError("InvalidArgument", message, status=400)


def _backend(req: ExtensionRequest) -> Any:
    return req.moto_backend("cloudfront", req.partition)


def _new_etag() -> str:
    return uuid.uuid4().hex[:14].upper()


# -- validation of the request, before moto stores anything ----------------------------------------
def _check_behaviors(config: dict[str, Any]) -> None:
    behaviors = [config.get("DefaultCacheBehavior") or {}]
    behaviors += list((config.get("CacheBehaviors") or {}).get("Items") or [])
    for behavior in behaviors:
        policy = behavior.get("CachePolicyId")
        if policy and behavior.get("ForwardedValues"):
            raise _invalid(
                "The parameter ForwardedValues cannot be used when a cache policy is associated to the cache behavior."
            )
        if not policy and not behavior.get("ForwardedValues"):
            raise _invalid("The parameter ForwardedValues is required.")
        if policy and policy not in MANAGED_CACHE_POLICIES:
            raise AwsError("NoSuchCachePolicy", "The cache policy does not exist.", status=404)
        request_policy = behavior.get("OriginRequestPolicyId")
        if request_policy and request_policy not in MANAGED_ORIGIN_REQUEST_POLICIES:
            raise AwsError("NoSuchOriginRequestPolicy", "The origin request policy does not exist.", status=404)


def _check_geo(config: dict[str, Any]) -> None:
    geo = (config.get("Restrictions") or {}).get("GeoRestriction") or {}
    kind = geo.get("RestrictionType", "none")
    items = list(geo.get("Items") or [])
    if kind not in ("none", "whitelist", "blacklist"):
        raise _invalid(f"The parameter RestrictionType {kind!r} is invalid.")
    if kind == "none" and items:
        raise _invalid("The parameter GeoRestriction Items must be empty when RestrictionType is none.")
    if kind != "none" and not items:
        raise _invalid(f"The parameter GeoRestriction Items must not be empty when RestrictionType is {kind}.")
    for item in items:
        if not COUNTRY.fullmatch(item):
            raise _invalid(f"The parameter Location {item!r} is not a valid ISO 3166-1 alpha-2 country code.")


def _covers(names: list[str], alias: str) -> bool:
    for name in names:
        if name == alias:
            return True
        if name.startswith("*.") and alias.count(".") == name.count(".") and alias.endswith(name[1:]):
            return True
    return False


def _check_certificate(req: ExtensionRequest, config: dict[str, Any]) -> None:
    viewer = config.get("ViewerCertificate") or {}
    aliases = list((config.get("Aliases") or {}).get("Items") or [])
    arn = viewer.get("ACMCertificateArn")
    if not arn:
        if aliases:
            raise AwsError(
                "InvalidViewerCertificate",
                "To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted "
                "certificate that validates your authorization to use the domain name.",
                status=400,
            )
        return
    match = CERTIFICATE_ARN.fullmatch(arn)
    if not match or match.group(1) != "us-east-1":
        raise AwsError(
            "InvalidViewerCertificate",
            f"The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't "
            f"include a valid certificate chain: {arn}",
            status=400,
        )
    try:
        cert = req.moto_backend("acm", "us-east-1").get_certificate(arn)
    except Exception:  # moto's ResourceNotFound
        raise AwsError(
            "InvalidViewerCertificate",
            f"The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't "
            f"include a valid certificate chain: {arn}",
            status=400,
        ) from None
    names = [cert.common_name, *(getattr(cert, "sans", None) or [])]
    for alias in aliases:
        if not _covers(names, alias):
            raise AwsError(
                "InvalidViewerCertificate",
                f"The certificate that is attached to your distribution doesn't cover the alternate domain name "
                f"(CNAME) that you're trying to add: {alias}",
                status=400,
            )
    if not viewer.get("SSLSupportMethod"):
        raise AwsError("InvalidViewerCertificate", "SSLSupportMethod is required with a custom certificate.")


def _check(req: ExtensionRequest, config: dict[str, Any]) -> None:
    _check_behaviors(config)
    _check_geo(config)
    _check_certificate(req, config)


# -- making moto's stored configuration read back as AWS's -----------------------------------------
def _normalise(dist: Any, request: dict[str, Any]) -> None:
    config = dist.distribution_config
    viewer = config.ViewerCertificate
    asked = request.get("ViewerCertificate") or {}
    if asked.get("ACMCertificateArn"):
        viewer.cloud_front_default_certificate = False
        viewer.acm_certificate_arn = asked["ACMCertificateArn"]
        viewer.iam_certificate_id = None
        viewer.ssl_support_method = asked.get("SSLSupportMethod")
        viewer.minimum_protocol_version = asked.get("MinimumProtocolVersion") or "TLSv1"
        viewer.certificate = asked["ACMCertificateArn"]
        viewer.certificate_source = "acm"
    elif asked.get("IAMCertificateId"):
        viewer.cloud_front_default_certificate = False
        viewer.acm_certificate_arn = None
        viewer.certificate = asked["IAMCertificateId"]
        viewer.certificate_source = "iam"
    else:
        viewer.cloud_front_default_certificate = True
        viewer.acm_certificate_arn = None
        viewer.iam_certificate_id = None
        viewer.certificate = None
        viewer.certificate_source = "cloudfront"
        # AWS applies TLSv1 (and vip) to the default *.cloudfront.net certificate whatever was asked.
        viewer.ssl_support_method = "vip"
        viewer.minimum_protocol_version = "TLSv1"
    behaviors = [config.DefaultCacheBehavior, *(config.CacheBehaviors.get("Items") or [])]
    for behavior in behaviors:
        if getattr(behavior, "cache_policy_id", None):
            behavior.forwarded_values = None
            behavior.min_ttl = None
            behavior.default_ttl = None
            behavior.max_ttl = None


def _in_progress(dist: Any) -> None:
    dist.status = "InProgress"
    dist._tick = 0
    dist.etag = _new_etag()
    dist.last_modified_time = datetime.now(UTC)


@action("cloudfront", "CreateDistribution")
def create_distribution(req: ExtensionRequest) -> dict[str, Any]:
    req.require("DistributionConfig")
    return _create(req, req.params["DistributionConfig"], [])


@action("cloudfront", "CreateDistributionWithTags")
def create_distribution_with_tags(req: ExtensionRequest) -> dict[str, Any]:
    req.require("DistributionConfigWithTags")
    with_tags = req.params["DistributionConfigWithTags"]
    return _create(
        req, with_tags.get("DistributionConfig") or {}, list((with_tags.get("Tags") or {}).get("Items") or [])
    )


def _create(req: ExtensionRequest, config: dict[str, Any], tags: list[dict[str, str]]) -> dict[str, Any]:
    _check(req, config)
    request = _copy(config)
    dist, location, _ = _backend(req).create_distribution(distribution_config=config, tags=tags)
    _normalise(dist, request)
    _in_progress(dist)
    return {"Distribution": dist, "Location": location, "ETag": dist.etag}


def _copy(config: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(config)


def _distribution(req: ExtensionRequest, dist_id: str) -> Any:
    dist = _backend(req).distributions.get(dist_id)
    if dist is None:
        raise AwsError("NoSuchDistribution", "The specified distribution does not exist.", status=404)
    return dist


def _check_if_match(req: ExtensionRequest, dist: Any) -> None:
    if_match = req.params.get("IfMatch")
    if not if_match:
        raise AwsError(
            "InvalidIfMatchVersion", "The If-Match version is missing or not valid for the resource.", status=400
        )
    if if_match != dist.etag:
        raise AwsError(
            "PreconditionFailed",
            "The precondition given in one or more of the request-header fields evaluated to false.",
            status=412,
        )


@action("cloudfront", "UpdateDistribution")
def update_distribution(req: ExtensionRequest) -> dict[str, Any]:
    req.require("Id", "DistributionConfig")
    dist = _distribution(req, req.params["Id"])
    _check_if_match(req, dist)
    config = req.params["DistributionConfig"]
    if config.get("CallerReference") != dist.distribution_config.caller_reference:
        raise AwsError("IllegalUpdate", "The CallerReference of a distribution cannot be changed.", status=400)
    check_web_acl(req, config)
    _check(req, config)
    request = _copy(config)
    dist, _location, _ = _backend(req).update_distribution(dist_config=config, _id=dist.distribution_id, if_match=True)
    _normalise(dist, request)
    _in_progress(dist)
    return {"Distribution": dist, "ETag": dist.etag}


@action("cloudfront", "DeleteDistribution")
def delete_distribution(req: ExtensionRequest) -> None:
    req.require("Id")
    dist = _distribution(req, req.params["Id"])
    _check_if_match(req, dist)
    if dist.distribution_config.Enabled:
        raise AwsError(
            "DistributionNotDisabled", "The distribution you are trying to delete has not been disabled.", status=409
        )
    _backend(req).delete_distribution(dist.distribution_id, True)


# -- managed policies -------------------------------------------------------------------------------
# Each kind of managed policy: its table, the response member of one policy, its config member, its list member,
# and the error for an unknown ID.
POLICY_KINDS: dict[str, tuple[dict[str, dict[str, Any]], str, str, str, str, str]] = {
    "cache": (
        MANAGED_CACHE_POLICIES,
        "CachePolicy",
        "CachePolicyConfig",
        "CachePolicyList",
        "NoSuchCachePolicy",
        "The cache policy does not exist.",
    ),
    "origin_request": (
        MANAGED_ORIGIN_REQUEST_POLICIES,
        "OriginRequestPolicy",
        "OriginRequestPolicyConfig",
        "OriginRequestPolicyList",
        "NoSuchOriginRequestPolicy",
        "The origin request policy does not exist.",
    ),
}


def _policy(kind: str, policy_id: str) -> dict[str, Any]:
    table, _, config_member, _, _, _ = POLICY_KINDS[kind]
    return {"Id": policy_id, "LastModifiedTime": MANAGED_SINCE, config_member: table[policy_id]}


def _get_policy(req: ExtensionRequest, kind: str) -> dict[str, Any]:
    table, member, _, _, code, message = POLICY_KINDS[kind]
    req.require("Id")
    policy_id = req.params["Id"]
    if policy_id not in table:
        raise AwsError(code, message, status=404)
    # A fixed ETag per managed policy: they never change.
    return {member: _policy(kind, policy_id), "ETag": policy_id.replace("-", "")[:14].upper()}


def _list_policies(req: ExtensionRequest, kind: str) -> dict[str, Any]:
    table, member, _, list_member, _, _ = POLICY_KINDS[kind]
    managed = req.params.get("Type") != "custom"  # no custom policies here
    items = [{"Type": "managed", member: _policy(kind, i)} for i in table] if managed else []
    return {list_member: {"MaxItems": 100, "Quantity": len(items), "Items": items}}


@action("cloudfront", "GetCachePolicy")
def get_cache_policy(req: ExtensionRequest) -> dict[str, Any]:
    return _get_policy(req, "cache")


@action("cloudfront", "ListCachePolicies")
def list_cache_policies(req: ExtensionRequest) -> dict[str, Any]:
    return _list_policies(req, "cache")


@action("cloudfront", "GetOriginRequestPolicy")
def get_origin_request_policy(req: ExtensionRequest) -> dict[str, Any]:
    return _get_policy(req, "origin_request")


@action("cloudfront", "ListOriginRequestPolicies")
def list_origin_request_policies(req: ExtensionRequest) -> dict[str, Any]:
    return _list_policies(req, "origin_request")
