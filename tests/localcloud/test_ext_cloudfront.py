"""CloudFront distributions read back as AWS's (certificate, cache policies, ETags, status), managed policies."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def _config(**overrides):
    config = {
        "CallerReference": str(uuid.uuid4()),
        "Comment": "t",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "api",
                    "DomainName": "abc123.execute-api.us-east-1.amazonaws.com",
                    "OriginPath": "/v1",
                    "CustomHeaders": {"Quantity": 1, "Items": [{"HeaderName": "x-origin-verify", "HeaderValue": "s"}]},
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": "https-only",
                        "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
                    },
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "api",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": CACHING_DISABLED,
            "OriginRequestPolicyId": ALL_VIEWER_EXCEPT_HOST,
        },
        "ViewerCertificate": {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1.2_2021"},
    }
    config.update(overrides)
    return config


def _error(call, **kwargs):
    with pytest.raises(ClientError) as err:
        call(**kwargs)
    return err.value.response


def test_default_certificate_reads_back_as_aws_applies_it(cloud):
    cf = cloud.client("cloudfront")
    dist = cf.create_distribution(DistributionConfig=_config())["Distribution"]
    viewer = cf.get_distribution_config(Id=dist["Id"])["DistributionConfig"]["ViewerCertificate"]
    # TLSv1 and vip whatever was asked, no empty ACM/IAM members (clients read those as "a certificate is set").
    assert viewer == {
        "CloudFrontDefaultCertificate": True,
        "SSLSupportMethod": "vip",
        "MinimumProtocolVersion": "TLSv1",
        "CertificateSource": "cloudfront",
    }


def test_acm_certificate_in_us_east_1_covering_the_alias(cloud):
    acm = cloud.client("acm", region_name="us-east-1")
    arn = acm.request_certificate(DomainName="api.example.com", ValidationMethod="DNS")["CertificateArn"]
    cf = cloud.client("cloudfront")
    config = _config(
        Aliases={"Quantity": 1, "Items": ["api.example.com"]},
        ViewerCertificate={
            "ACMCertificateArn": arn,
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
    )
    dist = cf.create_distribution(DistributionConfig=config)["Distribution"]
    viewer = cf.get_distribution(Id=dist["Id"])["Distribution"]["DistributionConfig"]["ViewerCertificate"]
    assert viewer["CloudFrontDefaultCertificate"] is False
    assert viewer["ACMCertificateArn"] == arn and viewer["Certificate"] == arn
    assert viewer["CertificateSource"] == "acm" and viewer["SSLSupportMethod"] == "sni-only"
    assert viewer["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert "IAMCertificateId" not in viewer


def test_certificates_aws_refuses(cloud):
    cf = cloud.client("cloudfront")
    # An alias needs a certificate that covers it.
    resp = _error(
        cf.create_distribution, DistributionConfig=_config(Aliases={"Quantity": 1, "Items": ["api.example.com"]})
    )
    assert resp["Error"]["Code"] == "InvalidViewerCertificate"
    # A certificate outside us-east-1.
    regional = cloud.client("acm", region_name="eu-west-1").request_certificate(DomainName="api.example.com")
    config = _config(
        Aliases={"Quantity": 1, "Items": ["api.example.com"]},
        ViewerCertificate={"ACMCertificateArn": regional["CertificateArn"], "SSLSupportMethod": "sni-only"},
    )
    assert _error(cf.create_distribution, DistributionConfig=config)["Error"]["Code"] == "InvalidViewerCertificate"
    # A certificate for another name.
    other = cloud.client("acm").request_certificate(DomainName="www.example.org")["CertificateArn"]
    config["ViewerCertificate"]["ACMCertificateArn"] = other
    resp = _error(cf.create_distribution, DistributionConfig=config)
    assert resp["Error"]["Code"] == "InvalidViewerCertificate" and "api.example.com" in resp["Error"]["Message"]


def test_cache_policy_behaviour_has_no_forwarded_values(cloud):
    cf = cloud.client("cloudfront")
    dist = cf.create_distribution(DistributionConfig=_config())["Distribution"]
    behavior = cf.get_distribution_config(Id=dist["Id"])["DistributionConfig"]["DefaultCacheBehavior"]
    assert behavior["CachePolicyId"] == CACHING_DISABLED
    assert behavior["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST
    assert "ForwardedValues" not in behavior


@pytest.mark.parametrize(
    ("behavior", "code"),
    [
        ({"CachePolicyId": "00000000-0000-0000-0000-000000000000"}, "NoSuchCachePolicy"),
        ({"OriginRequestPolicyId": "00000000-0000-0000-0000-000000000000"}, "NoSuchOriginRequestPolicy"),
        ({"CachePolicyId": None}, "InvalidArgument"),  # neither a cache policy nor ForwardedValues
        (
            {"ForwardedValues": {"QueryString": True, "Cookies": {"Forward": "all"}}},
            "InvalidArgument",
        ),  # both
    ],
)
def test_cache_behaviours_aws_refuses(cloud, behavior, code):
    config = _config()
    config["DefaultCacheBehavior"].update(behavior)
    config["DefaultCacheBehavior"] = {k: v for k, v in config["DefaultCacheBehavior"].items() if v is not None}
    assert _error(cloud.client("cloudfront").create_distribution, DistributionConfig=config)["Error"]["Code"] == code


@pytest.mark.parametrize(
    "geo",
    [
        {"RestrictionType": "whitelist", "Quantity": 1, "Items": ["Germany"]},
        {"RestrictionType": "blacklist", "Quantity": 0},
        {"RestrictionType": "none", "Quantity": 1, "Items": ["DE"]},
    ],
)
def test_geo_restrictions_aws_refuses(cloud, geo):
    config = _config(Restrictions={"GeoRestriction": geo})
    resp = _error(cloud.client("cloudfront").create_distribution, DistributionConfig=config)
    assert resp["Error"]["Code"] == "InvalidArgument"


def test_status_in_progress_then_deployed_on_first_read(cloud):
    cf = cloud.client("cloudfront")
    created = cf.create_distribution(DistributionConfig=_config())
    assert created["Distribution"]["Status"] == "InProgress"
    assert cf.get_distribution(Id=created["Distribution"]["Id"])["Distribution"]["Status"] == "Deployed"
    # An update deploys again.
    config = cf.get_distribution_config(Id=created["Distribution"]["Id"])
    updated = cf.update_distribution(
        Id=created["Distribution"]["Id"], IfMatch=config["ETag"], DistributionConfig=config["DistributionConfig"]
    )
    assert updated["Distribution"]["Status"] == "InProgress"
    assert cf.get_distribution(Id=created["Distribution"]["Id"])["Distribution"]["Status"] == "Deployed"


def test_etag_changes_and_stale_etags_are_refused(cloud):
    cf = cloud.client("cloudfront")
    dist_id = cf.create_distribution(DistributionConfig=_config())["Distribution"]["Id"]
    first = cf.get_distribution_config(Id=dist_id)
    config = first["DistributionConfig"]
    config["Comment"] = "changed"
    second = cf.update_distribution(Id=dist_id, IfMatch=first["ETag"], DistributionConfig=config)
    assert second["ETag"] != first["ETag"]
    assert cf.get_distribution(Id=dist_id)["ETag"] == second["ETag"]
    resp = _error(cf.update_distribution, Id=dist_id, IfMatch=first["ETag"], DistributionConfig=config)
    assert resp["Error"]["Code"] == "PreconditionFailed" and resp["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert _error(cf.update_distribution, Id=dist_id, IfMatch="", DistributionConfig=config)["Error"]["Code"] in (
        "InvalidIfMatchVersion",
        "PreconditionFailed",
    )


def test_delete_needs_a_disabled_distribution_and_its_etag(cloud):
    cf = cloud.client("cloudfront")
    dist_id = cf.create_distribution(DistributionConfig=_config())["Distribution"]["Id"]
    current = cf.get_distribution_config(Id=dist_id)
    assert (
        _error(cf.delete_distribution, Id=dist_id, IfMatch=current["ETag"])["Error"]["Code"]
        == "DistributionNotDisabled"
    )
    config = current["DistributionConfig"]
    config["Enabled"] = False
    disabled = cf.update_distribution(Id=dist_id, IfMatch=current["ETag"], DistributionConfig=config)
    assert _error(cf.delete_distribution, Id=dist_id, IfMatch=current["ETag"])["Error"]["Code"] == "PreconditionFailed"
    cf.delete_distribution(Id=dist_id, IfMatch=disabled["ETag"])
    assert _error(cf.get_distribution, Id=dist_id)["Error"]["Code"] == "NoSuchDistribution"


def test_managed_policies_by_their_fixed_ids(cloud):
    cf = cloud.client("cloudfront")
    cache = cf.get_cache_policy(Id=CACHING_DISABLED)["CachePolicy"]
    assert cache["CachePolicyConfig"]["Name"] == "Managed-CachingDisabled"
    assert cache["CachePolicyConfig"]["MaxTTL"] == 0
    request = cf.get_origin_request_policy(Id=ALL_VIEWER_EXCEPT_HOST)["OriginRequestPolicy"]
    assert request["OriginRequestPolicyConfig"]["Name"] == "Managed-AllViewerExceptHostHeader"
    assert request["OriginRequestPolicyConfig"]["HeadersConfig"]["HeaderBehavior"] == "allExcept"
    names = {
        p["CachePolicy"]["CachePolicyConfig"]["Name"]
        for p in cf.list_cache_policies(Type="managed")["CachePolicyList"]["Items"]
    }
    assert "Managed-CachingDisabled" in names
    assert cf.list_cache_policies(Type="custom")["CachePolicyList"]["Quantity"] == 0
    assert _error(cf.get_cache_policy, Id="nope")["Error"]["Code"] == "NoSuchCachePolicy"
    assert _error(cf.get_origin_request_policy, Id="nope")["Error"]["Code"] == "NoSuchOriginRequestPolicy"


def test_managed_origin_request_policies_are_listed(cloud):
    cf = cloud.client("cloudfront")
    listed = cf.list_origin_request_policies(Type="managed")["OriginRequestPolicyList"]
    ids = {item["OriginRequestPolicy"]["Id"] for item in listed["Items"]}
    assert ALL_VIEWER_EXCEPT_HOST in ids and listed["Quantity"] == len(listed["Items"])
    assert cf.list_origin_request_policies(Type="custom")["OriginRequestPolicyList"]["Quantity"] == 0


def test_a_distribution_created_with_tags_has_them(cloud):
    cf = cloud.client("cloudfront")
    tags = {"Items": [{"Key": "env", "Value": "test"}]}
    created = cf.create_distribution_with_tags(
        DistributionConfigWithTags={"DistributionConfig": _config(), "Tags": tags}
    )
    dist = created["Distribution"]
    assert dist["Status"] == "InProgress" and created["ETag"]
    assert cf.list_tags_for_resource(Resource=dist["ARN"])["Tags"] == tags
