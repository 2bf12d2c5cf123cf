"""Generated valid inputs of shield_settings: one task a round on the account's Shield Advanced settings.

Limits used (AWS Shield Advanced API reference): UpdateSubscription AutoRenew ENABLED or DISABLED;
AssociateDRTRole a role trusting drt.shield.amazonaws.com; AssociateDRTLogBucket bucket names 3-63 (at most 10
buckets); UpdateEmergencyContactSettings at most 10 contacts, EmailAddress 1-150 matching S+@S+.S+, PhoneNumber
E.164 (+ and up to 15 digits, the first not 0), ContactNotes 1-1024 of word characters, spaces and .-,:/()+@;
EnableProactiveEngagement needs a contact with a phone number, and no contacts may be removed while it is on."""

from __future__ import annotations

import json
import string

from tests.integration.generated.base import Generator
from tests.integration.generated.shield_protection import subscribed
from tests.integration.generated.values import maybe, text

NOTE_CHARS = string.ascii_letters + string.digits + "_ .-,:/()+@"
DRT_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "drt.shield.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}
BUCKETS = ["gss-logs-a", "gss-logs-b", "gss.logs-c-" + "x" * 52]  # the longest bucket name (63)


def phone(rng):
    return "+" + str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _count in range(rng.randint(1, 14)))


def contact(rng, index):
    local = text(rng, 1, 40, string.ascii_lowercase + string.digits + "._+-")
    found = {"email_address": f"{local}{index}@{text(rng, 1, 20, string.ascii_lowercase)}.example.com"}
    if rng.random() < 0.05:  # the longest address (150)
        found["email_address"] = f"{index}" + "a" * (150 - len(f"{index}@example.com")) + "@example.com"
    maybe(rng, found, "phone_number", phone(rng), chance=0.6)
    maybe(rng, found, "contact_notes", rng.choice([text(rng, 1, 80, NOTE_CHARS), "n" * 1024]), chance=0.6)
    return found


class ShieldSettingsGenerator(Generator):
    module = "securecloud.monitor.shield_settings"

    def prepare(self, cloud) -> dict:
        subscribed(cloud)
        iam, s3 = cloud.client("iam"), cloud.client("s3")
        roles = [
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(DRT_TRUST))["Role"]["Arn"]
            for name in ("gss-srt-a", "gss-srt-b")
        ]
        for bucket in BUCKETS:
            s3.create_bucket(Bucket=bucket)
        return {"roles": roles}

    def contacts(self):
        if self.rng.random() < 0.1:
            return [contact(self.rng, index) for index in range(10)]  # the most contacts
        return [contact(self.rng, index) for index in range(self.rng.randint(1, 3))]

    def drt(self, task):
        if self.rng.random() < 0.2 and task.get("proactive_engagement") is not True:
            task["drt_role_arn"] = ""  # the SRT's access removed, with its buckets
            task["drt_log_buckets"] = []
            return
        task["drt_role_arn"] = self.rng.choice(self.context["roles"])
        maybe(self.rng, task, "drt_log_buckets", self.rng.sample(BUCKETS, self.rng.randint(0, len(BUCKETS))))
        maybe(self.rng, task, "purge_drt_log_buckets", self.rng.random() < 0.7)

    def arguments(self, round_index: int) -> list[dict]:
        task = {}
        maybe(self.rng, task, "accept_subscription_commitment", self.rng.random() < 0.5)
        maybe(self.rng, task, "auto_renew", self.rng.choice(["ENABLED", "DISABLED"]))
        roll = self.rng.random()
        if roll < 0.2:
            task.update(emergency_contacts=[], proactive_engagement=False)
        elif roll < 0.8:
            task["emergency_contacts"] = self.contacts()
            if any("phone_number" in found for found in task["emergency_contacts"]):
                maybe(self.rng, task, "proactive_engagement", self.rng.random() < 0.6)
            else:
                task["proactive_engagement"] = False
        if self.rng.random() < 0.7:
            self.drt(task)
        return [task]

    def check(self, round_index, declared, results, cloud) -> None:
        task = declared[0]
        shield = cloud.client("shield")
        if "emergency_contacts" in task:
            held = shield.describe_emergency_contact_settings().get("EmergencyContactList", [])
            assert sorted(found["EmailAddress"] for found in held) == sorted(
                found["email_address"] for found in task["emergency_contacts"]
            ), held
        if "auto_renew" in task:
            assert shield.describe_subscription()["Subscription"]["AutoRenew"] == task["auto_renew"]
