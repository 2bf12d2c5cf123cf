"""Generated valid inputs of cloudtrail_trail.

Limits used (AWS CloudTrail User Guide and API reference): trail names as in cloudtrail_bucket.py here; at most 5
trails per region ("Quotas in AWS CloudTrail"); S3KeyPrefix of at most 200 characters (CreateTrail); a multi-region
trail logs global service events (CreateTrail: IncludeGlobalServiceEvents); a bucket whose policy lets CloudTrail
write and a KMS key whose policy lets it encrypt ("Amazon S3 bucket policy for CloudTrail", "Configure AWS KMS key
policies for CloudTrail"); up to 5 basic event selectors with at most 250 data resource values in all, data
resource types AWS::S3::Object, AWS::Lambda::Function and AWS::DynamoDB::Table with ARNs or ARN prefixes, and
ExcludeManagementEventSources of kms.amazonaws.com and rdsdata.amazonaws.com (PutEventSelectors, EventSelector,
DataResource); advanced selectors with an eventCategory of Management or Data, a resources.type for data events,
names of 0-1000 characters and values of 1-2048 (AdvancedEventSelector, AdvancedFieldSelector; "Logging data
events"); Insights types ApiCallRateInsight and ApiErrorRateInsight, on a trail that logs management write events
(PutInsightSelectors); up to 50 tags, keys of 1-128 and values of 1-256 characters (CloudTrail's TagValue has a
minimum length of 1 in botocore's model).
"""

from __future__ import annotations

import json
import string

from tests.integration.generated.base import Generator
from tests.integration.generated.cloudtrail_bucket import REGION, trail_name
from tests.integration.generated.s3_hardened_bucket import ACCOUNT, KEY_CHARS, add_tags, next_round
from tests.integration.generated.values import maybe, text

BUCKETS = ["generated-trail-logs", "generated-trail-logs-2"]
LOG_GROUP = "generated-trail-events"
EXCLUDABLE = ["kms.amazonaws.com", "rdsdata.amazonaws.com"]
DATA_TYPES = {
    "AWS::S3::Object": ("arn:aws:s3", "arn:aws:s3:::{name}/"),
    "AWS::Lambda::Function": ("arn:aws:lambda", f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{{name}}"),
    "AWS::DynamoDB::Table": ("arn:aws:dynamodb", f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{{name}}"),
}
CLOUDTRAIL = {"Service": "cloudtrail.amazonaws.com"}


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def make_trail_bucket(s3, name):
    s3.create_bucket(Bucket=name)
    source = {"StringLike": {"aws:SourceArn": f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/*"}}
    acl = {"Effect": "Allow", "Principal": CLOUDTRAIL, "Action": "s3:GetBucketAcl", "Condition": source}
    write = {"Effect": "Allow", "Principal": CLOUDTRAIL, "Action": "s3:PutObject", "Condition": source}
    s3.put_bucket_policy(
        Bucket=name,
        Policy=policy(acl | {"Resource": f"arn:aws:s3:::{name}"}, write | {"Resource": f"arn:aws:s3:::{name}/*"}),
    )


def make_trail_key(kms):
    admin = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }
    use = {"Effect": "Allow", "Principal": CLOUDTRAIL, "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"]}
    return kms.create_key(Policy=policy(admin, use | {"Resource": "*"}))["KeyMetadata"]["Arn"]


def resource_name(rng):
    return text(rng, 3, 40, string.ascii_lowercase + string.digits + "-").strip("-") or "abc"


def data_resource(rng, most_values):
    kind = rng.choice(list(DATA_TYPES))
    every, one = DATA_TYPES[kind]
    if rng.random() < 0.3:
        return {"type": kind, "values": [every]}
    return {"type": kind, "values": [one.format(name=resource_name(rng)) for _n in range(rng.randint(1, most_values))]}


def basic_selectors(rng):
    """1 to 5 selectors, the first one (at most) logging management events; each one logs something."""
    selectors = []
    for index in range(rng.choice([1, 5, rng.randint(1, 3)])):
        selector = {}
        management = index == 0 and rng.random() < 0.8
        maybe(rng, selector, "read_write_type", rng.choice(["ReadOnly", "WriteOnly", "All"]))
        if management:
            maybe(rng, selector, "exclude_management_event_sources", rng.sample(EXCLUDABLE, rng.randint(0, 2)))
        else:
            selector["include_management_events"] = False
        if not management or rng.random() < 0.5:
            selector["data_resources"] = [data_resource(rng, 40) for _n in range(rng.randint(1, 3))]
        selectors.append(selector)
    return selectors


def basic_logs_management_writes(selectors):
    first = selectors[0]
    return first.get("include_management_events", True) and first.get("read_write_type", "All") != "ReadOnly"


def field(name, **operators):
    return {"field": name, **operators}


def advanced_selectors(rng):
    """A management selector (maybe) and 0 to 3 data selectors, at least one selector."""
    selectors = []
    if rng.random() < 0.6:
        conditions = [field("eventCategory", equals=["Management"])]
        if rng.random() < 0.4:
            conditions.append(field("readOnly", equals=[rng.choice(["true", "false"])]))
        if rng.random() < 0.4:
            conditions.append(field("eventSource", not_equals=rng.sample(EXCLUDABLE, rng.randint(1, 2))))
        selectors.append({"field_selectors": conditions})
    for _n in range(rng.randint(0 if selectors else 1, 3)):
        kind = rng.choice(list(DATA_TYPES))
        conditions = [field("eventCategory", equals=["Data"]), field("resources.type", equals=[kind])]
        if rng.random() < 0.4:
            conditions.append(field("readOnly", equals=[rng.choice(["true", "false"])]))
        arn = DATA_TYPES[kind][1].format(name=resource_name(rng))
        operator = rng.choice(["equals", "starts_with", "not_starts_with", "ends_with", "not_equals"])
        if rng.random() < 0.5:
            conditions.append(field("resources.ARN", **{operator: [arn]}))
        selectors.append({"field_selectors": conditions})
    for selector in selectors:
        maybe(rng, selector, "name", rng.choice([text(rng, 1, 60), text(rng, 1000, 1000, KEY_CHARS)]))
    return selectors


def advanced_logs_management_writes(selectors):
    for selector in selectors:
        conditions = {c["field"]: c for c in selector["field_selectors"]}
        if conditions["eventCategory"]["equals"] == ["Management"]:
            return conditions.get("readOnly", {}).get("equals") != ["true"]
    return False


class CloudTrailTrailGenerator(Generator):
    module = "securecloud.monitor.cloudtrail_trail"

    def prepare(self, cloud):
        s3 = cloud.client("s3")
        for bucket in BUCKETS:
            make_trail_bucket(s3, bucket)
        cloud.client("logs").create_log_group(logGroupName=LOG_GROUP)
        trust = {"Effect": "Allow", "Principal": CLOUDTRAIL, "Action": "sts:AssumeRole"}
        role = cloud.client("iam").create_role(RoleName="generated-trail-logs", AssumeRolePolicyDocument=policy(trust))
        return {
            "key": make_trail_key(cloud.client("kms")),
            "log_group_arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{LOG_GROUP}",
            "role_arn": role["Role"]["Arn"],
            "writes_management": {},  # trail name -> whether its selectors log management write events
        }

    def selectors(self, trail, new):
        rng = self.rng
        roll = rng.random()
        writes = self.context["writes_management"]
        if roll < 0.35:
            trail["event_selectors"] = basic_selectors(rng)
            writes[trail["name"]] = basic_logs_management_writes(trail["event_selectors"])
        elif roll < 0.65:
            trail["advanced_event_selectors"] = advanced_selectors(rng)
            writes[trail["name"]] = advanced_logs_management_writes(trail["advanced_event_selectors"])
        elif new:
            writes[trail["name"]] = True  # a trail without selectors logs every management event
        if writes[trail["name"]]:
            maybe(rng, trail, "insights", rng.sample(["ApiCallRateInsight", "ApiErrorRateInsight"], rng.randint(0, 2)))
        elif not new:
            trail["insights"] = []  # Insights need management write events

    def trail(self, name, new):
        rng, context = self.rng, self.context
        trail = {"name": name, "s3_bucket_name": rng.choice(BUCKETS)}
        prefix = text(rng, 1, rng.choice([30, 200]), KEY_CHARS).lstrip("/") or "p"
        maybe(rng, trail, "s3_key_prefix", prefix if new or rng.random() < 0.7 else "")
        maybe(rng, trail, "multi_region", rng.random() < 0.5)
        if trail.get("multi_region") is False:
            maybe(rng, trail, "include_global_service_events", rng.random() < 0.5)
        maybe(rng, trail, "log_file_validation", rng.random() < 0.5)
        maybe(rng, trail, "kms_key_arn", context["key"] if new or rng.random() < 0.6 else "")
        if rng.random() < 0.5:
            group = context["log_group_arn"] + rng.choice(["", ":*"])
            logs = {"log_group_arn": group, "role_arn": context["role_arn"]}
            trail["cloudwatch_logs"] = logs if new or rng.random() < 0.7 else {"enabled": False}
        self.selectors(trail, new)
        maybe(rng, trail, "logging", rng.random() < 0.6)
        add_tags(rng, trail, least_value=1)
        return trail

    def arguments(self, round_index):
        if round_index == 0:
            return [self.trail(trail_name(self.rng, f"c{index}"), True) for index in range(self.rng.randint(1, 2))]
        changed = next_round(
            self.rng,
            self.previous,
            lambda before: {"name": before["name"], "state": "absent"},
            lambda before: self.trail(before["name"], False),
        )
        return [*changed, self.trail(trail_name(self.rng, "c9"), True)]

    def check(self, round_index, declared, results, cloud):
        found = {t["Name"]: t for t in cloud.client("cloudtrail").describe_trails()["trailList"]}
        for arguments in declared:
            name = arguments["name"]
            assert (name in found) == (arguments.get("state") != "absent"), name
            if name in found:
                assert found[name]["S3BucketName"] == arguments["s3_bucket_name"], found[name]
                if "s3_key_prefix" in arguments:
                    assert found[name].get("S3KeyPrefix", "") == arguments["s3_key_prefix"], found[name]
