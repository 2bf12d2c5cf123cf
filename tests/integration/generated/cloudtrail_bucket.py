"""Generated valid inputs of cloudtrail_bucket.

Limits used: S3's bucket naming, tagging, lifecycle and access logging rules (see s3_hardened_bucket.py here);
CloudTrail trail names of 3-128 ASCII letters, digits, dots, underscores or hyphens, starting and ending with a
letter or digit, without adjacent dots, underscores or hyphens, not formatted as an IP address (CloudTrail User
Guide, "CloudTrail trail naming requirements"); trail ARNs arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME for trails
of other regions; S3KeyPrefix of at most 200 characters (CreateTrail); a bucket policy of at most 20 KB (so at most
a dozen trails here); S3 Object Lock default retention of 1 or more days in GOVERNANCE or COMPLIANCE mode, enabled
only when the bucket is created (PutObjectLockConfiguration, the module's documented 1-36500); a symmetric KMS key
for SSE-KMS ("Amazon S3 bucket policy for CloudTrail", "Configure AWS KMS key policies for CloudTrail").
"""

from __future__ import annotations

import json
import string
from operator import itemgetter

from tests.integration.generated.base import Generator
from tests.integration.generated.s3_hardened_bucket import (
    ACCOUNT,
    KEY_CHARS,
    access_logging,
    add_tags,
    bucket_name,
    lifecycle,
    make_key,
    make_log_target,
    next_round,
)
from tests.integration.generated.values import maybe, text

REGION = "us-east-1"
OTHER_REGIONS = ["eu-west-1", "us-west-2", "ap-southeast-2"]
ALNUM = string.ascii_letters + string.digits


def trail_name(rng, prefix, high=128):
    """3 to ``high`` characters after ``prefix`` (a letter first): letters and digits, with single dots,
    underscores or hyphens between them."""
    length = rng.choice([3, high, rng.randint(3, high)])
    name = prefix
    while len(name) < length - 1:
        name += rng.choice(ALNUM) if name[-1] in "._-" or rng.random() < 0.7 else rng.choice("._-")
    return name + rng.choice(ALNUM)


def trail_arn(name, region=REGION):
    return f"arn:aws:cloudtrail:{region}:{ACCOUNT}:trail/{name}"


def trails(rng, prefix):
    """1 to 12 trails: names of this region and ARNs of other regions' trails."""
    made = []
    for index in range(rng.choice([1, 12, rng.randint(1, 4)])):
        name = trail_name(rng, f"{prefix}{index}")
        made.append(trail_arn(name, rng.choice(OTHER_REGIONS)) if rng.random() < 0.25 else name)
    return made


def lock(rng):
    return {"mode": rng.choice(["GOVERNANCE", "COMPLIANCE"]), "days": rng.choice([1, 36_500, rng.randint(1, 3650)])}


class CloudTrailBucketGenerator(Generator):
    module = "securecloud.monitor.cloudtrail_bucket"

    def prepare(self, cloud):
        return {"keys": [make_key(cloud, "generated-t-1")], "log_target": make_log_target(cloud, "generated-t-logs")}

    def bucket(self, name, round_index, locked):
        rng = self.rng
        bucket = {"name": name, "trails": trails(rng, f"t{round_index}")}
        maybe(rng, bucket, "s3_key_prefix", text(rng, 1, rng.choice([20, 200]), KEY_CHARS.replace("*", "")).lstrip("/"))
        if rng.random() < 0.4:
            bucket["kms_key_arn"] = rng.choice(self.context["keys"])
            maybe(rng, bucket, "manage_key_policy", rng.random() < 0.7)
        maybe(rng, bucket, "lifecycle", lifecycle(rng, default_transition=90, default_expiration=2557))
        logging = access_logging(rng, self.context["log_target"])
        if logging is not None:
            bucket["access_logging"] = logging
        add_tags(rng, bucket)
        # Object Lock is enabled only when the bucket is made; then its retention can change or be left alone.
        if locked is None or (locked and rng.random() < 0.6):
            maybe(rng, bucket, "object_lock", lock(rng), chance=0.4 if locked is None else 1)
        return bucket

    def arguments(self, round_index):
        if round_index == 0:
            return [self.bucket(bucket_name(self.rng, f"t{index}"), 0, None) for index in range(self.rng.randint(1, 2))]
        changed = next_round(
            self.rng,
            self.previous,
            lambda before: {"name": before["name"], "state": "absent", "force": True},
            lambda before: self.bucket(before["name"], 1, "object_lock" in before),
        )
        return [*changed, self.bucket(bucket_name(self.rng, "t9"), 1, None)]

    def check(self, round_index, declared, results, cloud):
        s3 = cloud.client("s3")
        for arguments in declared:
            if arguments.get("state") == "absent":
                continue
            policy = json.dumps(json.loads(s3.get_bucket_policy(Bucket=arguments["name"])["Policy"]))
            for trail in arguments["trails"]:
                assert json.dumps(trail if trail.startswith("arn:") else trail_arn(trail)) in policy, trail
            if "object_lock" in arguments:
                rule = s3.get_object_lock_configuration(Bucket=arguments["name"])["ObjectLockConfiguration"]["Rule"]
                retention = rule["DefaultRetention"]
                assert (retention["Mode"], retention["Days"]) == itemgetter("mode", "days")(arguments["object_lock"]), (
                    rule
                )
