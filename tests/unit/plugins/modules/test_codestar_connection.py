"""codestar_connection against a botocore Stubber: a re-run reads only; two connections with the name fail."""

from __future__ import annotations

from ansible_collections.securecloud.monitor.plugins.module_utils import codestar_connections as cc
from ansible_collections.securecloud.monitor.plugins.modules import codestar_connection as module

from tests.unit.aws_stub import AwsStub, stubbed_client

ARN = "arn:aws:codestar-connections:eu-west-1:123456789012:connection/0c5d6a1e-4a30-4f3c-9a4e-2b0e6c0f1d2a"


def connection(arn=ARN, status="AVAILABLE"):
    return {"ConnectionName": "gh", "ConnectionArn": arn, "ProviderType": "GitHub", "ConnectionStatus": status}


def run(monkeypatch, capsys, responses, args):
    client, stubber = stubbed_client("codestar-connections", "eu-west-1")
    for operation, response, expected in responses:
        stubber.add_response(operation, response, expected)
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.factories(cc, connections_client=client)
    return aws_stub.run(module, args | {"region": "eu-west-1"}, stubber)


def test_an_available_connection_with_its_tags_is_no_change(monkeypatch, capsys):
    result = run(
        monkeypatch,
        capsys,
        [
            ("list_connections", {"Connections": [connection()]}, {}),
            ("list_tags_for_resource", {"Tags": [{"Key": "team", "Value": "platform"}]}, {"ResourceArn": ARN}),
        ],
        {"name": "gh", "tags": {"team": "platform"}},
    )
    assert (result["changed"], result["connection_arn"], result["connection_status"]) == (False, ARN, "AVAILABLE")
    # Module warnings of earlier tests in this process can be in the result too (ansible keeps them globally).
    assert not any("handshake" in warning for warning in result.get("warnings", []))


def test_two_connections_with_the_name_fail(monkeypatch, capsys):
    other = ARN.replace("0c5d6a1e", "1d6e7b2f")
    result = run(
        monkeypatch,
        capsys,
        [("list_connections", {"Connections": [connection(), connection(other)]}, {})],
        {"name": "gh"},
    )
    assert result["failed"] and "matches 2 connections" in result["msg"]
