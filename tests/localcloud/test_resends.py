"""A resend (same amz-sdk-invocation-id, attempt > 1) of a request the local cloud already
answered gets the same answer and is not applied twice; other requests are applied as usual."""

from __future__ import annotations

import http.client
import json
import urllib.parse
import urllib.request

from .conftest import Cloud

EC2_AUTH = "AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=x"


def create_vpc(cloud: Cloud, invocation_id: str, attempt: int) -> tuple[int, bytes]:
    body = urllib.parse.urlencode({"Action": "CreateVpc", "Version": "2016-11-15", "CidrBlock": "10.7.0.0/16"})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Authorization": EC2_AUTH,
        "amz-sdk-invocation-id": invocation_id,
        "amz-sdk-request": f"attempt={attempt}; max=3",
    }
    connection = http.client.HTTPConnection("127.0.0.1", cloud.port, timeout=30)
    connection.request("POST", "/", body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def vpc_count(cloud: Cloud) -> int:
    return len(cloud.client("ec2").describe_vpcs()["Vpcs"])


def resends_answered(cloud: Cloud) -> int:
    with urllib.request.urlopen(f"{cloud.endpoint}/_localcloud/health", timeout=10) as response:
        return json.loads(response.read())["resends_answered_again"]


def test_a_resend_gets_the_first_answer_and_changes_nothing(cloud: Cloud) -> None:
    before = vpc_count(cloud)
    first = create_vpc(cloud, "3f1c0d2e-0000-4000-8000-000000000001", attempt=1)
    resend = create_vpc(cloud, "3f1c0d2e-0000-4000-8000-000000000001", attempt=2)

    assert first[0] == 200
    assert resend == first
    assert vpc_count(cloud) == before + 1
    assert resends_answered(cloud) >= 1


def test_new_invocations_and_first_attempts_are_applied(cloud: Cloud) -> None:
    before = vpc_count(cloud)
    create_vpc(cloud, "3f1c0d2e-0000-4000-8000-000000000002", attempt=1)
    create_vpc(cloud, "3f1c0d2e-0000-4000-8000-000000000003", attempt=1)
    # A resend of something never answered (e.g. a throttled first attempt) is applied for real.
    create_vpc(cloud, "3f1c0d2e-0000-4000-8000-000000000004", attempt=2)

    assert vpc_count(cloud) == before + 3
