"""CloudFront's WebACLId (tools/localcloud/extensions/services/cloudfront_waf.py, checked by cloudfront.py's
UpdateDistribution) on a real server, real boto3:
UpdateDistribution takes only an existing CLOUDFRONT-scope WAFv2 web ACL, as AWS does."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import Cloud

VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}


def _acl(cloud: Cloud, name: str, scope: str, region: str = "us-east-1") -> str:
    wafv2 = cloud.client("wafv2", region_name=region)
    return wafv2.create_web_acl(Name=name, Scope=scope, DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY)[
        "Summary"
    ]["ARN"]


@pytest.fixture
def distribution(cloud: Cloud) -> tuple[Any, str]:
    cloudfront = cloud.client("cloudfront")
    origin = {
        "Id": "o",
        "DomainName": "abc.execute-api.us-east-1.amazonaws.com",
        "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
    }
    config = {
        "CallerReference": "ref",
        "Origins": {"Quantity": 1, "Items": [origin]},
        # AWS (and the CloudFront extension) wants a cache policy or ForwardedValues on a behaviour.
        "DefaultCacheBehavior": {
            "TargetOriginId": "o",
            "ViewerProtocolPolicy": "redirect-to-https",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
        },
        "Comment": "edge",
        "Enabled": True,
    }
    return cloudfront, cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]


def _set(cloudfront: Any, distribution_id: str, web_acl_id: str) -> dict[str, Any]:
    found = cloudfront.get_distribution_config(Id=distribution_id)
    config = {**found["DistributionConfig"], "WebACLId": web_acl_id}
    return cloudfront.update_distribution(Id=distribution_id, DistributionConfig=config, IfMatch=found["ETag"])


def test_a_cloudfront_web_acl_is_set_and_read_back(cloud: Cloud, distribution: tuple[Any, str]) -> None:
    cloudfront, distribution_id = distribution
    arn = _acl(cloud, "edge", "CLOUDFRONT")
    updated = _set(cloudfront, distribution_id, arn)
    assert updated["Distribution"]["DistributionConfig"]["WebACLId"] == arn and updated["ETag"]
    assert cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"]["WebACLId"] == arn
    assert cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"]["Comment"] == "edge"
    _set(cloudfront, distribution_id, "")
    assert cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"]["WebACLId"] == ""


@pytest.mark.parametrize("kind", ["regional-here", "regional-elsewhere", "unknown", "not-an-arn"])
def test_a_web_acl_cloudfront_cannot_use_is_refused_as_aws_does(
    cloud: Cloud, distribution: tuple[Any, str], kind: str
) -> None:
    cloudfront, distribution_id = distribution
    web_acl_id = {
        "regional-here": lambda: _acl(cloud, "stage", "REGIONAL"),
        "regional-elsewhere": lambda: _acl(cloud, "stage", "REGIONAL", "eu-west-1"),
        "unknown": lambda: (
            "arn:aws:wafv2:us-east-1:123456789012:global/webacl/none/0123abcd-0000-0000-0000-0123456789ab"
        ),
        "not-an-arn": lambda: "0123abcd-0000-0000-0000-0123456789ab",
    }[kind]()
    with pytest.raises(ClientError) as err:
        _set(cloudfront, distribution_id, web_acl_id)
    assert err.value.response["Error"]["Code"] == "InvalidWebACLId"
    assert err.value.response["Error"]["Message"] == "Web ACL is not accessible by the requester."
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"]["WebACLId"] == ""


def test_an_unknown_distribution_is_still_moto_s_no_such_distribution(cloud: Cloud) -> None:
    cloudfront = cloud.client("cloudfront")
    config = {
        "CallerReference": "x",
        "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "example.com"}]},
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all"},
        "Comment": "",
        "Enabled": True,
    }
    with pytest.raises(ClientError) as err:
        cloudfront.update_distribution(Id="E0000000000000", DistributionConfig=config, IfMatch="x")
    assert err.value.response["Error"]["Code"] == "NoSuchDistribution"
