"""Prints the Shield state of the scenario's local cloud as JSON, read through boto3 only."""

import json
import sys

import boto3

endpoint = sys.argv[1]
shield = boto3.client(
    "shield", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
)
groups = shield.list_protection_groups()["ProtectionGroups"] if shield.list_protections()["Protections"] else []
print(
    json.dumps(
        {
            "subscription_state": shield.get_subscription_state()["SubscriptionState"],
            "protections": shield.list_protections()["Protections"],
            "protection_groups": groups,
            "drt_access": shield.describe_drt_access(),
            "contacts": shield.describe_emergency_contact_settings().get("EmergencyContactList", []),
            "proactive_engagement": shield.describe_subscription()["Subscription"].get("ProactiveEngagementStatus"),
        },
        default=str,
    )
)
