"""CodeStar connections, which moto 5.2.5 does not have: CreateConnection, GetConnection, ListConnections,
DeleteConnection and their tags.

As on AWS, a new connection is ``PENDING``: the handshake with the provider is done by a person in the console,
which the local cloud has no stand-in for, so connections stay ``PENDING`` (pipelines that use one can be created,
as on AWS). State is per account and region (``req.store``): ``connections`` ARN -> Connection, ``tags`` ARN ->
{key: value}.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from ..registry import AwsError, ExtensionRequest, action, validation_error

SERVICE = "codestar-connections"
PROVIDERS = ("Bitbucket", "GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged")
SELF_HOSTED = ("GitHubEnterpriseServer", "GitLabSelfManaged")
MAX_CONNECTIONS = 250
MAX_TAGS = 200
NAME = re.compile(r"^[\s\S]{1,32}$")
PAGE_SIZE = 50


def _connections(req: ExtensionRequest) -> dict[str, dict[str, Any]]:
    return req.store.setdefault("connections", {})


def _tags(req: ExtensionRequest) -> dict[str, dict[str, str]]:
    return req.store.setdefault("tags", {})


def _not_found(arn: str) -> AwsError:
    return AwsError("ResourceNotFoundException", f"Connection {arn} does not exist", status=400)


def _connection(req: ExtensionRequest, field: str = "ConnectionArn") -> dict[str, Any]:
    req.require(field)
    found = _connections(req).get(req.params[field])
    if found is None:
        raise _not_found(req.params[field])
    return found


def _set_tags(req: ExtensionRequest, arn: str, tags: list[dict[str, str]]) -> None:
    current = _tags(req).setdefault(arn, {})
    for tag in tags:
        if tag["Key"].startswith("aws:"):
            raise validation_error("Tag keys starting with 'aws:' are reserved for AWS use.")
        current[tag["Key"]] = tag["Value"]
    if len(current) > MAX_TAGS:
        raise AwsError("LimitExceededException", f"A resource can have at most {MAX_TAGS} tags.", status=400)


@action(SERVICE, "CreateConnection")
def create_connection(req: ExtensionRequest) -> dict[str, Any]:
    req.require("ConnectionName")
    name = req.params["ConnectionName"]
    provider = req.params.get("ProviderType")
    host = req.params.get("HostArn")
    if not NAME.match(name):
        raise validation_error(
            f"1 validation error detected: Value '{name}' at 'connectionName' failed to satisfy constraint: "
            "Member must have length less than or equal to 32"
        )
    if provider is None and host is None:
        raise validation_error("ProviderType or HostArn is required.")
    if provider is not None and provider not in PROVIDERS:
        raise validation_error(
            f"Value '{provider}' at 'providerType' failed to satisfy constraint: "
            f"Member must satisfy enum value set: {list(PROVIDERS)}"
        )
    if host is not None and provider not in (None, *SELF_HOSTED):
        raise validation_error(f"A host can only be used with {' or '.join(SELF_HOSTED)} connections.")
    connections = _connections(req)
    if len(connections) >= MAX_CONNECTIONS:
        raise AwsError("LimitExceededException", f"You can have at most {MAX_CONNECTIONS} connections.", status=400)
    arn = f"arn:{req.partition}:{SERVICE}:{req.region}:{req.account_id}:connection/{uuid.uuid4()}"
    connection = {
        "ConnectionName": name,
        "ConnectionArn": arn,
        "ProviderType": provider or "GitHubEnterpriseServer",
        "OwnerAccountId": req.account_id,
        "ConnectionStatus": "PENDING",
    }
    if host:
        connection["HostArn"] = host
    _set_tags(req, arn, req.params.get("Tags") or [])
    connections[arn] = connection
    tags = [{"Key": k, "Value": v} for k, v in _tags(req)[arn].items()]
    return {"ConnectionArn": arn, **({"Tags": tags} if tags else {})}


@action(SERVICE, "GetConnection")
def get_connection(req: ExtensionRequest) -> dict[str, Any]:
    return {"Connection": dict(_connection(req))}


@action(SERVICE, "ListConnections")
def list_connections(req: ExtensionRequest) -> dict[str, Any]:
    provider, host = req.params.get("ProviderTypeFilter"), req.params.get("HostArnFilter")
    found = [
        c
        for c in _connections(req).values()
        if (provider is None or c["ProviderType"] == provider) and (host is None or c.get("HostArn") == host)
    ]
    size = req.params.get("MaxResults") or PAGE_SIZE
    start = int(req.params.get("NextToken") or 0)
    page = found[start : start + size]
    result: dict[str, Any] = {"Connections": [dict(c) for c in page]}
    if start + size < len(found):
        result["NextToken"] = str(start + size)
    return result


@action(SERVICE, "DeleteConnection")
def delete_connection(req: ExtensionRequest) -> dict[str, Any]:
    arn = _connection(req)["ConnectionArn"]
    del _connections(req)[arn]
    _tags(req).pop(arn, None)
    return {}


@action(SERVICE, "TagResource")
def tag_resource(req: ExtensionRequest) -> dict[str, Any]:
    arn = _connection(req, "ResourceArn")["ConnectionArn"]
    _set_tags(req, arn, req.params.get("Tags") or [])
    return {}


@action(SERVICE, "UntagResource")
def untag_resource(req: ExtensionRequest) -> dict[str, Any]:
    arn = _connection(req, "ResourceArn")["ConnectionArn"]
    for key in req.params.get("TagKeys") or []:
        _tags(req).get(arn, {}).pop(key, None)
    return {}


@action(SERVICE, "ListTagsForResource")
def list_tags_for_resource(req: ExtensionRequest) -> dict[str, Any]:
    arn = _connection(req, "ResourceArn")["ConnectionArn"]
    return {"Tags": [{"Key": k, "Value": v} for k, v in sorted(_tags(req).get(arn, {}).items())]}
