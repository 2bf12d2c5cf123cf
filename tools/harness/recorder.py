"""Count AWS API calls from the emulator's own request recorder.

moto server records every request it receives (POST /moto-api/recorder/start-
recording ... GET download-recording). Each record is turned into a
(service, operation) pair the way AWS would route it: X-Amz-Target for JSON
protocols, Action= for query protocols, and the service model's HTTP routes
(botocore's own data) for REST protocols.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.request
from collections import Counter
from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qs, urlsplit

import botocore.session

READ_PREFIXES = (
    "Describe",
    "List",
    "Get",
    "Head",
    "Search",
    "Lookup",
    "Check",
    "Query",
    "Scan",
    "Select",
    "BatchGet",
    "Validate",
    "Test",
    "Estimate",
    "Preview",
)

# SigV4 credential scope names that differ from botocore's client names.
SIGNING_TO_CLIENT = {
    "elasticloadbalancing": "elbv2",
    "monitoring": "cloudwatch",
    "email": "ses",
    "states": "stepfunctions",
    "execute-api": "apigateway",
    "events": "events",
    "elasticfilesystem": "efs",
}


def is_mutating(operation: str) -> bool:
    return not operation.startswith(READ_PREFIXES)


@dataclass(frozen=True)
class Call:
    service: str
    operation: str

    @property
    def mutating(self) -> bool:
        return is_mutating(self.operation)


def _post(endpoint: str, path: str) -> None:
    urllib.request.urlopen(urllib.request.Request(endpoint + path, method="POST"), timeout=30).read()


def start(endpoint: str) -> None:
    """Start recording from an empty record."""
    _post(endpoint, "/moto-api/recorder/reset-recording")
    _post(endpoint, "/moto-api/recorder/start-recording")


def stop(endpoint: str) -> list[Call]:
    _post(endpoint, "/moto-api/recorder/stop-recording")
    with urllib.request.urlopen(endpoint + "/moto-api/recorder/download-recording", timeout=60) as response:
        text = response.read().decode()
    return [classify(json.loads(line)) for line in text.splitlines() if line.strip()]


def _header(headers: dict, name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def _body(record: dict) -> str:
    body = record.get("body") or ""
    if record.get("body_encoded"):
        body = base64.b64decode(body).decode("utf-8", "replace")
    return body


def signing_service(headers: dict) -> str:
    match = re.search(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request", _header(headers, "authorization"))
    return match.group(1) if match else "unknown"


@cache
def _service_model(client_name: str):
    session = botocore.session.get_session()
    try:
        return session.get_service_model(client_name)
    except Exception:
        return None


@cache
def _rest_routes(client_name: str) -> list[tuple[str, re.Pattern, tuple, int, str]]:
    """(method, path regex, required query items, literal length, operation) from the model's requestUri."""
    model = _service_model(client_name)
    routes = []
    for name in model.operation_names if model else []:
        operation = model.operation_model(name)
        http = operation.http
        uri, _, query = http.get("requestUri", "/").partition("?")
        required = tuple(tuple(part.split("=", 1)) if "=" in part else (part,) for part in query.split("&") if part)
        required += tuple((key,) for key in _required_query_members(operation))
        # Clients differ on a template's trailing slash (the Go SDK of Terraform's provider drops it: Backup's
        # "/tags/{resourceArn}/" arrives as /tags/arn:...), so it is optional.
        uri = uri.rstrip("/") or "/"
        literal = len(re.sub(r"\{[^}]+\}", "", uri))
        pattern = re.sub(r"\\\{[^}]+?\\\+\\\}", ".+", re.escape(uri))
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", pattern)
        routes.append((http.get("method", "POST"), re.compile(f"^{pattern}/?$"), required, literal, name))
    return routes


def _required_query_members(operation) -> list[str]:
    shape = operation.input_shape
    if shape is None:
        return []
    members = shape.members
    return [
        members[name].serialization.get("name", name)
        for name in shape.required_members
        if members[name].serialization.get("location") == "querystring"
    ]


def _query_matches(required: tuple, query: dict) -> bool:
    """Every key the template names is present, with the template's value where it gives one."""
    return all(item[0] in query and (len(item) == 1 or item[1] in query[item[0]]) for item in required)


def _rest_operation(client_name: str, method: str, path: str, query: dict) -> str:
    candidates = [
        (len(required), literal, -len(name), name)
        for route_method, regex, required, literal, name in _rest_routes(client_name)
        if route_method == method and regex.match(path) and _query_matches(required, query)
    ]
    if not candidates:
        return f"{method} {path}"
    # The most specific template wins: query keys it requires, then literal characters.
    return max(candidates)[-1]


def classify(record: dict) -> Call:
    headers = record.get("headers", {})
    signing = signing_service(headers)
    client = SIGNING_TO_CLIENT.get(signing, signing)
    target = _header(headers, "x-amz-target")
    if target:
        return Call(client, target.split(".")[-1])
    url = urlsplit(record.get("url", ""))
    query = parse_qs(url.query, keep_blank_values=True)
    if "Action" in query:
        return Call(client, query["Action"][0])
    body = _body(record)
    if "application/x-www-form-urlencoded" in _header(headers, "content-type") or body.startswith("Action="):
        action = parse_qs(body).get("Action")
        if action:
            return Call(client, action[0])
    return Call(client, _rest_operation(client, record.get("method", "GET"), url.path, query))


def summarise(calls: list[Call]) -> dict:
    by_operation = Counter(f"{c.service}:{c.operation}" for c in calls)
    mutating = [c for c in calls if c.mutating]
    return {
        "total": len(calls),
        "mutating": len(mutating),
        "read": len(calls) - len(mutating),
        "mutating_by_operation": dict(Counter(f"{c.service}:{c.operation}" for c in mutating).most_common()),
        "by_operation": dict(by_operation.most_common()),
    }
