"""Generated valid inputs of wafv2_web_acl_info: web ACLs made with boto3 (names of 1-128 letters, digits, _ and -,
descriptions within WAF's pattern, geo and rate-based rules), read back by name or as the whole scope, with the
resource types narrowed or not and header values masked or shown.

Limits used (AWS WAFv2 API reference): CreateWebACL Name 1-128 [\\w\\-]+, Description 1-256, Scope REGIONAL or
CLOUDFRONT (us-east-1), rule names 1-128, priorities 0 or more, RateBasedStatement Limit 10-2,000,000,000; the
resource types are ListResourcesForWebACL's ResourceType enum in botocore's model."""

from __future__ import annotations

from tests.integration.generated.base import Generator
from tests.integration.generated.cloudfront_distribution_web_acl import VISIBILITY
from tests.integration.generated.wafv2_web_acl import COUNTRIES, description, name

SCOPES = ("REGIONAL", "CLOUDFRONT")


class WebAclInfoGenerator(Generator):
    module = "securecloud.monitor.wafv2_web_acl_info"

    def rules(self):
        count = self.rng.randint(0, 3)
        priorities = self.rng.sample(range(0, 1000), count)
        made = []
        for index, priority in enumerate(priorities):
            if self.rng.random() < 0.5:
                statement = {"GeoMatchStatement": {"CountryCodes": self.rng.sample(COUNTRIES, self.rng.randint(1, 4))}}
            else:
                limit = self.rng.choice([10, 2_000_000_000, self.rng.randint(10, 100_000)])
                statement = {"RateBasedStatement": {"Limit": limit, "AggregateKeyType": "IP"}}
            made.append(
                {
                    "Name": name(self.rng, f"r{index}-"),
                    "Priority": priority,
                    "Statement": statement,
                    "Action": {self.rng.choice(["Block", "Count"]): {}},
                    "VisibilityConfig": VISIBILITY,
                }
            )
        return made

    def prepare(self, cloud) -> dict:
        wafv2 = cloud.client("wafv2")
        made = {scope: [] for scope in SCOPES}
        for index in range(4):
            scope = SCOPES[index % 2]
            acl_name = name(self.rng, f"gwi{index}-")
            extra = {"Description": description(self.rng)} if self.rng.random() < 0.5 else {}
            wafv2.create_web_acl(
                Name=acl_name,
                Scope=scope,
                DefaultAction={self.rng.choice(["Allow", "Block"]): {}},
                VisibilityConfig=VISIBILITY,
                Rules=self.rules(),
                **extra,
            )
            made[scope].append(acl_name)
        return made

    def one_read(self):
        scope = self.rng.choice(SCOPES)
        arguments = {"scope": scope, "show_header_values": self.rng.random() < 0.5}
        if self.rng.random() < 0.6:
            arguments["name"] = self.rng.choice(self.context[scope])
        if scope == "REGIONAL" and self.rng.random() < 0.5:
            arguments["resource_types"] = self.rng.sample(["APPLICATION_LOAD_BALANCER", "API_GATEWAY", "APPSYNC"], 2)
        return arguments

    def arguments(self, round_index: int) -> list[dict]:
        return [self.one_read() for _count in range(2)]

    def check(self, round_index, declared, results, cloud):
        wafv2 = cloud.client("wafv2")
        for arguments, (_check, real, _again) in zip(declared, results, strict=True):
            names = sorted(acl["name"] for acl in real["web_acls"])
            if "name" in arguments:
                assert names == [arguments["name"]], (arguments, names)
                continue
            listed = wafv2.list_web_acls(Scope=arguments["scope"], Limit=100)["WebACLs"]
            assert names == sorted(acl["Name"] for acl in listed), (arguments, names)
