"""Generated valid inputs of xray_group.

Limits used (AWS X-Ray API reference): CreateGroup GroupName 1-32 characters (the module's documented letters,
digits, _ and -), FilterExpression a filter expression of the X-Ray filter language (keywords responsetime,
duration, http.status, http.url, fault, error, throttle, service(), annotation.KEY), NotificationsEnabled only with
InsightsEnabled; tags (TagResource) keys 1-128, values 0-256, at most 50 user tags per resource; PutEncryptionConfig
Type NONE or KMS with a symmetric key given as key ID, key ARN, alias name or alias ARN (alias/aws/xray: the AWS
managed key of X-Ray)."""

from __future__ import annotations

import string

from tests.integration.generated.base import Generator
from tests.integration.generated.set_members import next_set
from tests.integration.generated.values import NAME_CHARS, maybe, tags, text

PREFIX = "gxg-"
NAME_HIGH = 32
ALIAS = "alias/generated-xray"


def filter_expression(rng):
    """One to three conditions of the X-Ray filter language joined with AND/OR."""
    service = text(rng, 1, 40, string.ascii_letters + string.digits + "-_.")
    conditions = [
        f"responsetime > {rng.randint(0, 60)}",
        f"duration >= {round(rng.uniform(0, 30), rng.randint(0, 2))}",
        f"http.status = {rng.choice([200, 404, 429, 500, 503])}",
        f'http.url CONTAINS "/{text(rng, 1, 20, NAME_CHARS)}"',
        rng.choice(["fault", "error", "throttle", "fault = true"]),
        f'service("{service}") {{ {rng.choice(["fault", "error", "throttle"])} }}',
        f'annotation.{text(rng, 1, 20, string.ascii_letters + "_")} = "{text(rng, 1, 20, NAME_CHARS)}"',
    ]
    chosen = rng.sample(conditions, rng.randint(1, 3))
    return f" {rng.choice(['AND', 'OR'])} ".join(chosen)


def many_tags(rng):
    """Usually a few tags, sometimes the most a resource may have (50), with the longest keys and values."""
    if rng.random() < 0.15:
        return {f"k{index:02d}" + "K" * 125: "v" * 256 for index in range(50)}
    return tags(rng)


def purge_tags(rng, previous):
    """A value of purge_tags: true when tags kept from ``previous`` plus new ones could pass the 50 a resource may
    have."""
    return any(len(item.get("tags", {})) > 45 for item in previous) or rng.random() < 0.7


class XrayGroupGenerator(Generator):
    module = "securecloud.monitor.xray_group"
    count = 0

    def prepare(self, cloud) -> dict:
        kms = cloud.client("kms")
        key = kms.create_key(Description="generated xray_group")["KeyMetadata"]
        kms.create_alias(AliasName=ALIAS, TargetKeyId=key["KeyId"])
        return {"key_id": key["KeyId"], "key_arn": key["Arn"]}

    def name(self, index):
        if self.rng.random() < 0.3:  # the longest name
            stem = f"{PREFIX}{index}-"
            return stem + text(self.rng, NAME_HIGH, NAME_HIGH, NAME_CHARS)[: NAME_HIGH - len(stem)].ljust(
                NAME_HIGH - len(stem), "x"
            )
        return f"{PREFIX}{index}{text(self.rng, 0, 10, NAME_CHARS)}"

    def new_group(self, name):
        """The group of that name declared anew; a group of a new name when None."""
        self.count += 1
        return self.group(name or self.name(self.count))

    def group(self, name):
        group = {"name": name, "filter_expression": filter_expression(self.rng)}
        maybe(self.rng, group, "insights_enabled", self.rng.random() < 0.5)
        if group.get("insights_enabled"):  # notifications are Insights events
            maybe(self.rng, group, "notifications_enabled", self.rng.random() < 0.5)
        maybe(self.rng, group, "tags", many_tags(self.rng))
        return group

    def encryption(self):
        if self.rng.random() < 0.4:
            return {"type": "NONE"}
        alias_arn = self.context["key_arn"].split(":key/")[0] + f":{ALIAS}"
        key = self.rng.choice([self.context["key_id"], self.context["key_arn"], ALIAS, alias_arn, "alias/aws/xray"])
        return {"type": "KMS", "key_id": key}

    def arguments(self, round_index: int) -> list[dict]:
        if round_index == 0:
            groups = [self.new_group(None) for _count in range(self.rng.randint(1, 4))]
        else:
            groups = next_set(self.rng, self.previous[0]["groups"], self.new_group)
        task = {"prefix": PREFIX, "groups": groups}
        maybe(self.rng, task, "purge", True, chance=0.3)
        previous = [group for declared in self.previous for group in declared["groups"]]
        maybe(self.rng, task, "purge_tags", purge_tags(self.rng, previous))
        maybe(self.rng, task, "encryption", self.encryption(), chance=0.4)
        return [task]

    def check(self, round_index, declared, results, cloud) -> None:
        held = {
            group["GroupName"]: group["FilterExpression"]
            for page in cloud.client("xray").get_paginator("get_groups").paginate()
            for group in page["Groups"]
            if group["GroupName"].startswith(PREFIX)
        }
        assert held == {group["name"]: group["filter_expression"] for group in declared[0]["groups"]}, held
