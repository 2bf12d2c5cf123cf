"""Prints the Inspector state of the scenario's local cloud as JSON, read through boto3: the scan types of the
account, the findings rule and its targets. Also runs sample Inspector findings through the rule's event pattern and
input transformer with the emulator's own matcher and template parser (moto's EventBridge cannot deliver to SNS
targets, and has no TestEventPattern), to show which findings the topic gets and what the message says.

Usage: verify.py ENDPOINT
"""

import json
import sys

import boto3
from botocore.exceptions import ClientError
from moto.events.models import EventPattern
from moto.events.utils import EventTemplateParser

ACCOUNT = "123456789012"
RULE = "molecule-inspector-findings"

endpoint = sys.argv[1]
session = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
inspector = session.client("inspector2", endpoint_url=endpoint)
events = session.client("events", endpoint_url=endpoint)

[account] = inspector.batch_get_account_status(accountIds=[ACCOUNT])["accounts"]
state = {"scan_types": {key: value["status"] for key, value in account["resourceState"].items()}}

try:
    rule = events.describe_rule(Name=RULE)
    rule.pop("ResponseMetadata", None)
except ClientError as e:
    if e.response["Error"]["Code"] != "ResourceNotFoundException":
        raise
    rule = None
state["rule"] = rule
state["targets"] = events.list_targets_by_rule(Rule=RULE)["Targets"] if rule else []


def finding(severity, status="ACTIVE"):
    return {
        "version": "0",
        "id": "5f4e0f7f-0000-0000-0000-000000000000",
        "detail-type": "Inspector2 Finding",
        "source": "aws.inspector2",
        "account": ACCOUNT,
        "time": "2025-01-01T00:00:00Z",
        "ingestion-time": "2025-01-01T00:00:01Z",
        "region": "us-east-1",
        "resources": [],
        "detail": {
            "awsAccountId": ACCOUNT,
            "findingArn": f"arn:aws:inspector2:us-east-1:{ACCOUNT}:finding/0123456789abcdef",
            "severity": severity,
            "status": status,
            "title": "CVE-2024-0001 - openssl",
            "type": "PACKAGE_VULNERABILITY",
            "resources": [
                {
                    "id": f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/api/sha256:abc",
                    "type": "AWS_ECR_CONTAINER_IMAGE",
                }
            ],
        },
    }


if rule:
    pattern = EventPattern.load(rule["EventPattern"])
    samples = {
        "critical_active": finding("CRITICAL"),
        "high_active": finding("HIGH"),
        "medium_active": finding("MEDIUM"),
        "high_closed": finding("HIGH", "CLOSED"),
        "other_source": dict(finding("HIGH"), source="aws.securityhub"),
    }
    state["matches"] = {name: pattern.matches_event(event) for name, event in samples.items()}
    transformer = state["targets"][0].get("InputTransformer", {}) if state["targets"] else {}
    state["message"] = EventTemplateParser.parse(
        input_template=transformer.get("InputTemplate"),
        input_paths_map=transformer.get("InputPathsMap", {}),
        event=samples["high_active"],
    )

print(json.dumps(state, default=str))
