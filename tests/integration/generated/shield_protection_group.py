"""Generated valid inputs of shield_protection_group, over protections made beforehand.

Limits used (AWS Shield Advanced API reference): CreateProtectionGroup ProtectionGroupId 1-36 letters, digits and -,
Aggregation SUM, MEAN or MAX, Pattern ALL, BY_RESOURCE_TYPE (with ResourceType) or ARBITRARY (with Members, 0 to
the subscription's limit of ARNs of protected resources); tags keys 1-128, values 0-256, at most 50 per resource.
The ID cannot be changed: round 1 updates the groups of round 0 or deletes them."""

from __future__ import annotations

import string

import botocore.session

from tests.integration.generated.base import Generator
from tests.integration.generated.shield_protection import elastic_ips, subscribed
from tests.integration.generated.values import maybe, tags, text

ID_CHARS = string.ascii_letters + string.digits + "-"
ID_HIGH = 36
AGGREGATIONS = ["SUM", "MEAN", "MAX"]
RESOURCE_TYPES = botocore.session.get_session().get_service_model("shield").shape_for("ProtectedResourceType").enum


class ShieldProtectionGroupGenerator(Generator):
    module = "securecloud.monitor.shield_protection_group"

    def prepare(self, cloud) -> dict:
        subscribed(cloud)
        members = elastic_ips(cloud, 3)
        for index, arn in enumerate(members):
            cloud.client("shield").create_protection(Name=f"gspg-member-{index}", ResourceArn=arn)
        return {"members": members}

    def group_id(self, index):
        if self.rng.random() < 0.4:  # the longest ID
            return f"gspg{index}-" + text(self.rng, ID_HIGH, ID_HIGH, ID_CHARS)[: ID_HIGH - 6].ljust(ID_HIGH - 6, "x")
        return f"gspg{index}-" + text(self.rng, 1, 10, ID_CHARS)

    def group(self, group_id):
        group = {"protection_group_id": group_id, "aggregation": self.rng.choice(AGGREGATIONS)}
        group["pattern"] = self.rng.choice(["ALL", "BY_RESOURCE_TYPE", "ARBITRARY"])
        if group["pattern"] == "BY_RESOURCE_TYPE":
            group["resource_type"] = self.rng.choice(RESOURCE_TYPES)
        elif group["pattern"] == "ARBITRARY":
            members = self.rng.sample(self.context["members"], self.rng.randint(0, 3))
            group["members"] = members + members[:1] if self.rng.random() < 0.2 else members  # duplicates ignored
        maybe(self.rng, group, "state", "present")
        maybe(self.rng, group, "tags", tags(self.rng))
        maybe(self.rng, group, "purge_tags", self.rng.random() < 0.7)
        return group

    def arguments(self, round_index: int) -> list[dict]:
        if round_index == 0:
            return [self.group(self.group_id(index)) for index in range(self.rng.randint(1, 3))]
        tasks = []
        for previous in self.previous:
            roll = self.rng.random()
            if roll < 0.3:
                tasks.append(previous)
            elif roll < 0.8:
                tasks.append(self.group(previous["protection_group_id"]))
            else:
                tasks.append({"protection_group_id": previous["protection_group_id"], "state": "absent"})
        return tasks

    def check(self, round_index, declared, results, cloud) -> None:
        shield = cloud.client("shield")
        for task in declared:
            if task.get("state") == "absent":
                continue
            group = shield.describe_protection_group(ProtectionGroupId=task["protection_group_id"])["ProtectionGroup"]
            assert (group["Aggregation"], group["Pattern"]) == (task["aggregation"], task["pattern"]), group
            if "members" in task:
                assert sorted(group["Members"]) == sorted(set(task["members"])), group
