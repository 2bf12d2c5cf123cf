"""Generated valid inputs of shield_protection_info: protections made with boto3 on Elastic IPs under two name
prefixes (names of 1-128 letters, digits, spaces, _, . and -), read by name prefix, by resource ARNs, by both or
unfiltered.

Limits used (AWS Shield Advanced API reference): CreateProtection Name 1-128 [ a-zA-Z0-9_\\.\\-]*, one protection per
resource."""

from __future__ import annotations

from tests.integration.generated.base import Generator
from tests.integration.generated.shield_protection import NAME_CHARS, elastic_ips, subscribed
from tests.integration.generated.values import text

PREFIXES = ("gpi a-", "gpi b-")


class ShieldProtectionInfoGenerator(Generator):
    module = "securecloud.monitor.shield_protection_info"

    def prepare(self, cloud) -> dict:
        subscribed(cloud)
        shield = cloud.client("shield")
        protected = {}
        for index, arn in enumerate(elastic_ips(cloud, 5)):
            prefix = PREFIXES[index % 2]
            protection_name = (prefix + f"{index}-" + text(self.rng, 0, 128, NAME_CHARS))[:128].rstrip() or prefix
            shield.create_protection(Name=protection_name, ResourceArn=arn)
            protected[arn] = protection_name
        return {"protected": protected}

    def one_read(self):
        arns = sorted(self.context["protected"])
        roll = self.rng.random()
        if roll < 0.3:
            return {"name_prefix": self.rng.choice(PREFIXES)}
        if roll < 0.6:
            return {"resource_arns": self.rng.sample(arns, self.rng.randint(0, len(arns)))}
        if roll < 0.9:
            return {"name_prefix": self.rng.choice(PREFIXES), "resource_arns": self.rng.sample(arns, 2)}
        return {}

    def arguments(self, round_index: int) -> list[dict]:
        return [self.one_read() for _count in range(2)]

    def check(self, round_index, declared, results, cloud):
        protected = self.context["protected"]
        for arguments, (_check, real, _again) in zip(declared, results, strict=True):
            found = {item["resource_arn"]: item["name"] for item in real["protections"]}
            wanted = {
                arn: protection_name
                for arn, protection_name in protected.items()
                if protection_name.startswith(arguments.get("name_prefix", ""))
                and arn in arguments.get("resource_arns", protected)
            }
            mine = {arn: found_name for arn, found_name in found.items() if arn in protected}
            assert mine == wanted, (arguments, mine, wanted)
            if arguments.get("name_prefix") or "resource_arns" in arguments:
                assert set(found) <= set(wanted), (arguments, sorted(found))
