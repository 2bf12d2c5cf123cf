"""CodeStar connections (moto has none): created PENDING, read, listed with filters and pages, tagged, deleted."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def connections(cloud):
    client = cloud.client("codestar-connections")
    yield client
    for connection in client.list_connections()["Connections"]:
        client.delete_connection(ConnectionArn=connection["ConnectionArn"])


def test_a_new_connection_is_pending_and_readable(connections):
    arn = connections.create_connection(ProviderType="GitHub", ConnectionName="prod-github")["ConnectionArn"]
    assert arn.startswith("arn:aws:codestar-connections:us-east-1:123456789012:connection/")
    connection = connections.get_connection(ConnectionArn=arn)["Connection"]
    assert (connection["ConnectionName"], connection["ProviderType"], connection["ConnectionStatus"]) == (
        "prod-github",
        "GitHub",
        "PENDING",
    )


def test_list_filters_and_pages(connections):
    for index in range(3):
        connections.create_connection(ProviderType="GitHub", ConnectionName=f"gh-{index}")
    connections.create_connection(ProviderType="Bitbucket", ConnectionName="bb")
    github = connections.list_connections(ProviderTypeFilter="GitHub")["Connections"]
    assert sorted(c["ConnectionName"] for c in github) == ["gh-0", "gh-1", "gh-2"]
    first = connections.list_connections(MaxResults=2)
    second = connections.list_connections(MaxResults=2, NextToken=first["NextToken"])
    assert len(first["Connections"]) + len(second["Connections"]) == 4 and "NextToken" not in second


def test_tags(connections):
    arn = connections.create_connection(
        ProviderType="GitHub", ConnectionName="tagged", Tags=[{"Key": "team", "Value": "platform"}]
    )["ConnectionArn"]
    connections.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "prod"}])
    connections.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert connections.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "prod"}]


def test_bad_input_and_unknown_connections(connections):
    with pytest.raises(ClientError) as err:
        connections.create_connection(ProviderType="GitHub", ConnectionName="x" * 33)
    assert err.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError) as err:
        connections.create_connection(
            ProviderType="GitHub",
            ConnectionName="h",
            HostArn="arn:aws:codestar-connections:us-east-1:123456789012:host/h-1",
        )
    assert err.value.response["Error"]["Code"] == "ValidationException"
    missing = "arn:aws:codestar-connections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000"
    for call in (connections.get_connection, connections.delete_connection):
        with pytest.raises(ClientError) as err:
            call(ConnectionArn=missing)
        assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
