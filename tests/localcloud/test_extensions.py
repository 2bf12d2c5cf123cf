"""The shipped extension (Shield GetSubscriptionState) on a real server process."""

from __future__ import annotations

import base64
import json

import botocore.model
import pytest
from botocore.exceptions import ClientError

from .conftest import NO_RETRIES, Cloud


def _for_account(client, account_id: str):
    """Make moto (and the extensions) serve this client from another account."""

    def add_header(request, **_):
        request.headers["x-moto-account-id"] = account_id

    client.meta.events.register("before-sign", add_header)
    return client


def test_get_subscription_state_follows_moto_shield_backend(cloud: Cloud) -> None:
    shield = cloud.client("shield")
    assert shield.get_subscription_state()["SubscriptionState"] == "INACTIVE"
    shield.create_subscription()
    assert shield.get_subscription_state()["SubscriptionState"] == "ACTIVE"
    other = _for_account(cloud.client("shield"), "111122223333")
    assert other.get_subscription_state()["SubscriptionState"] == "INACTIVE"


def test_unclaimed_actions_still_reach_moto(cloud: Cloud) -> None:
    shield = cloud.client("shield", config=NO_RETRIES)
    with pytest.raises(ClientError) as err:
        shield.describe_subscription()
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"  # moto's own answer
    shield.create_subscription()
    assert shield.describe_subscription()["Subscription"]["AutoRenew"] == "ENABLED"
    # An action neither moto nor an extension implements is moto's to refuse.
    with pytest.raises(ClientError) as err:
        shield.describe_attack(AttackId="a")
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_extension_calls_are_in_moto_recording(cloud: Cloud) -> None:
    shield = cloud.client("shield")
    assert cloud.post("/moto-api/recorder/reset-recording")[0] == 200
    assert cloud.post("/moto-api/recorder/start-recording")[0] == 200
    try:
        shield.get_subscription_state()
        shield.create_subscription()
        shield.get_subscription_state()
    finally:
        assert cloud.post("/moto-api/recorder/stop-recording")[0] == 200
    status, recording = cloud.get("/moto-api/recorder/download-recording")
    assert status == 200
    if isinstance(recording, dict):  # a single line parses as JSON on its own
        recording = json.dumps(recording)
    entries = [json.loads(line) for line in recording.splitlines() if line.strip()]
    targets = [entry["headers"].get("X-Amz-Target") for entry in entries]
    assert targets == [
        "AWSShield_20160616.GetSubscriptionState",
        "AWSShield_20160616.CreateSubscription",
        "AWSShield_20160616.GetSubscriptionState",
    ]
    first = entries[0]
    assert first["method"] == "POST" and first["url"].startswith(cloud.endpoint)
    assert base64.b64decode(first["body"]) == b"{}"  # same record format as moto's own entries
    assert first["body_encoded"] is True and entries[1]["body_encoded"] is True


def test_reset_clears_state_behind_extensions(cloud: Cloud) -> None:
    shield = cloud.client("shield")
    shield.create_subscription()
    assert shield.get_subscription_state()["SubscriptionState"] == "ACTIVE"
    assert cloud.cli("reset").returncode == 0
    assert shield.get_subscription_state()["SubscriptionState"] == "INACTIVE"


def test_extension_answers_smithy_cbor_clients(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    cloud.client("shield").create_subscription()  # through moto, in JSON
    others = [p for p in botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS if p != "smithy-rpc-v2-cbor"]
    order = ("smithy-rpc-v2-cbor", *others)
    monkeypatch.setattr(botocore.model, "PRIORITY_ORDERED_SUPPORTED_PROTOCOLS", order)
    shield = cloud.client("shield")
    assert shield.meta.service_model.resolved_protocol == "smithy-rpc-v2-cbor"
    response = shield.get_subscription_state()
    assert response["SubscriptionState"] == "ACTIVE"
    assert response["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/cbor"


def test_extension_calls_are_faulted_like_any_other(cloud: Cloud) -> None:
    cloud.faults(throttle_rate=1.0)
    with pytest.raises(ClientError) as err:
        cloud.client("shield", config=NO_RETRIES).get_subscription_state()
    assert err.value.response["Error"]["Code"] == "ThrottlingException"


def test_deleting_a_dns_namespace_deletes_its_hosted_zone(cloud: Cloud) -> None:
    ec2, sd, route53 = cloud.client("ec2"), cloud.client("servicediscovery"), cloud.client("route53")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    sd.create_private_dns_namespace(Name="ns-test.internal", Vpc=vpc)
    namespace = sd.list_namespaces()["Namespaces"][0]
    zone_id = sd.get_namespace(Id=namespace["Id"])["Namespace"]["Properties"]["DnsProperties"]["HostedZoneId"]
    zone_id = zone_id.split("/")[-1]  # moto prefixes /hostedzone/, AWS does not
    assert zone_id in [z["Id"].split("/")[-1] for z in route53.list_hosted_zones()["HostedZones"]]

    assert sd.delete_namespace(Id=namespace["Id"])["OperationId"]

    assert sd.list_namespaces()["Namespaces"] == []
    assert route53.list_hosted_zones()["HostedZones"] == []
    with pytest.raises(ClientError) as err:
        cloud.client("servicediscovery", config=NO_RETRIES).delete_namespace(Id=namespace["Id"])
    assert err.value.response["Error"]["Code"] == "NamespaceNotFound"
