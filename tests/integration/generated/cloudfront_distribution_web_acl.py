"""Generated valid inputs of cloudfront_distribution_web_acl: one task a round on a distribution made beforehand.

Limits used (CloudFront API reference, DistributionConfig.WebACLId; AWS WAF API reference, CreateWebACL): a
distribution takes the ARN of one CLOUDFRONT-scope WAFv2 web ACL (made through us-east-1), or none (empty WebACLId);
web ACL names 1-128 letters, digits, _ and -."""

from __future__ import annotations

from tests.integration.generated.base import Generator
from tests.integration.generated.values import NAME_CHARS, maybe, text

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # the AWS managed policy Managed-CachingDisabled
VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "generated"}


def cloudfront_web_acl(cloud, name: str) -> str:
    """The ARN of a new CLOUDFRONT-scope web ACL."""
    made = cloud.client("wafv2").create_web_acl(
        Name=name, Scope="CLOUDFRONT", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY
    )
    return made["Summary"]["ARN"]


def distribution(cloud, reference: str, web_acl_arn: str = "") -> dict:
    """A new distribution in front of an API Gateway origin, with the given web ACL (none when empty)."""
    origin = {
        "Id": "api",
        "DomainName": "abc.execute-api.us-east-1.amazonaws.com",
        "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
    }
    config = {
        "CallerReference": reference,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "api",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": CACHING_DISABLED,
        },
        "Comment": reference,
        "Enabled": True,
        "WebACLId": web_acl_arn,
    }
    return cloud.client("cloudfront").create_distribution(DistributionConfig=config)["Distribution"]


class CloudfrontDistributionWebAclGenerator(Generator):
    module = "securecloud.monitor.cloudfront_distribution_web_acl"

    def prepare(self, cloud) -> dict:
        # The longest web ACL name (128) for one of the two.
        names = ["gcf-a-" + text(self.rng, 122, 122, NAME_CHARS).ljust(122, "x")[:122], "gcf-b"]
        acls = [cloudfront_web_acl(cloud, name) for name in names]
        start = self.rng.choice(["", acls[1]])
        return {"distribution_id": distribution(cloud, "generated-cf", start)["Id"], "web_acls": acls}

    def arguments(self, round_index: int) -> list[dict]:
        task = {"distribution_id": self.context["distribution_id"]}
        if round_index == 1 and self.rng.random() < 0.4:
            task["state"] = "absent"
            maybe(self.rng, task, "web_acl_arn", self.previous[0].get("web_acl_arn") or self.context["web_acls"][0])
        else:
            task["web_acl_arn"] = self.rng.choice(self.context["web_acls"])
            maybe(self.rng, task, "state", "present")
        if self.rng.random() < 0.4:
            task["wait"] = self.rng.random() < 0.5
            maybe(self.rng, task, "wait_timeout", self.rng.choice([15, 60, 1200]))
        return [task]

    def check(self, round_index, declared, results, cloud) -> None:
        task = declared[0]
        config = cloud.client("cloudfront").get_distribution_config(Id=task["distribution_id"])["DistributionConfig"]
        if task.get("state") == "absent":
            assert config["WebACLId"] != task.get("web_acl_arn"), config["WebACLId"]
        else:
            assert config["WebACLId"] == task["web_acl_arn"], config["WebACLId"]
