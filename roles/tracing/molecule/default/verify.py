"""Prints the X-Ray state of the scenario's local cloud as JSON, read through boto3 only: sampling rules and groups
(with their tags) and the encryption configuration."""

import json
import sys

import boto3

endpoint = sys.argv[1]
xray = boto3.client(
    "xray", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
)
rules = [
    record["SamplingRule"]
    for page in xray.get_paginator("get_sampling_rules").paginate()
    for record in page["SamplingRuleRecords"]
]
groups = [group for page in xray.get_paginator("get_groups").paginate() for group in page["Groups"]]
for item, arn in [(r, r["RuleARN"]) for r in rules] + [(g, g["GroupARN"]) for g in groups]:
    item["Tags"] = {t["Key"]: t["Value"] for t in xray.list_tags_for_resource(ResourceARN=arn).get("Tags", [])}
print(
    json.dumps(
        {
            "rules": {r["RuleName"]: r for r in rules},
            "groups": {g["GroupName"]: g for g in groups},
            "encryption": xray.get_encryption_config()["EncryptionConfig"],
        },
        default=str,
    )
)
