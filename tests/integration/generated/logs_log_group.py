"""logs_log_group: log groups with random names (now and then of the longest length, 512), retention, KMS key (or
none) and tags (now and then the most, 50); round 1 changes some settings, keeps one group's tags alongside new
ones (purge_tags false) and removes one group (state absent).

Limits used (CloudWatch Logs API reference, CreateLogGroup, PutRetentionPolicy, TagLogGroup): logGroupName 1-512
characters of [.-_/#A-Za-z0-9]; retentionInDays one of the listed values; at most 50 tags, keys 1-128, values
0-256."""

from __future__ import annotations

from tests.integration.generated.base import Generator
from tests.integration.generated.values import NAME_CHARS as TAG_KEY_CHARS
from tests.integration.generated.values import maybe, tags, text

# PutRetentionPolicy's retentionInDays values (CloudWatch Logs API reference).
RETENTIONS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-/.#"


def most_tags(rng):
    """The most tags a log group takes (50), keys and values of the longest lengths now and then."""
    return {f"k{index}-{text(rng, 1, 124, TAG_KEY_CHARS)}": text(rng, 0, 256) for index in range(50)}


class LogGroups(Generator):
    module = "securecloud.monitor.logs_log_group"

    def prepare(self, cloud):
        return {"key": cloud.client("kms").create_key()["KeyMetadata"]["Arn"]}

    def group(self, name):
        group = {"name": name}
        maybe(self.rng, group, "retention", self.rng.choice(RETENTIONS))
        maybe(self.rng, group, "kms_key_id", self.rng.choice([self.context["key"], ""]))
        maybe(self.rng, group, "tags", most_tags(self.rng) if self.rng.random() < 0.2 else tags(self.rng))
        return group

    def name(self, index):
        head = f"/gen/{index}/"
        length = 512 - len(head) if self.rng.random() < 0.2 else self.rng.randint(1, 200)
        return head + text(self.rng, length, length, NAME_CHARS)

    def arguments(self, round_index):
        if round_index == 0:
            return [self.group(self.name(index)) for index in range(3)]
        first, second, third = self.previous
        changed = self.group(first["name"])
        maybe(self.rng, changed, "retention", 0)  # never expire: DeleteRetentionPolicy
        kept = dict(second, tags=tags(self.rng), purge_tags=False)
        return [changed, kept, {"name": third["name"], "state": "absent"}]

    def check(self, round_index, declared, results, cloud):
        logs = cloud.client("logs")
        for group in declared:
            found = logs.describe_log_groups(logGroupNamePrefix=group["name"])["logGroups"]
            exists = any(found_group["logGroupName"] == group["name"] for found_group in found)
            assert exists == (group.get("state") != "absent"), group["name"]
            if exists and group.get("tags") is not None:
                held = logs.list_tags_log_group(logGroupName=group["name"])["tags"]
                assert set(group["tags"]) <= set(held), group["name"]
