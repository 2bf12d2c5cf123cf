"""What an incoming WSGI request is, from AWS's point of view.

The service comes from the SigV4 credential scope (``Credential=AKID/DATE/REGION/SERVICE/aws4_request``,
in the Authorization header or, for presigned URLs, the ``X-Amz-Credential`` query parameter); the wire
protocol comes from the headers and the body, the same way the AWS front ends tell them apart.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

# Wire protocols, as far as errors and routing are concerned.
JSON = "json"  # awsJson1_0 / awsJson1_1: POST /, X-Amz-Target: Prefix.Operation
CBOR = "rpc-v2-cbor"  # Smithy RPC v2 CBOR: POST /service/X/operation/Y, smithy-protocol: rpc-v2-cbor
QUERY = "query"  # awsQuery: form-encoded Action=...&Version=...
EC2 = "ec2"  # ec2Query: as query, with its own error envelope
S3 = "s3"  # restXml, S3 flavour (<Error> at the root)
REST_XML = "rest-xml"  # restXml (route53, cloudfront, s3control): <ErrorResponse><Error>
REST_JSON = "rest-json"  # restJson1 (apigateway, lambda, xray, ...)

# Signing names whose REST APIs speak XML; every other REST API speaks JSON.
REST_XML_SERVICES = frozenset({"route53", "cloudfront"})

# Paths that are never AWS API calls: moto's own API, ours, and the instance metadata service.
NON_API_PREFIXES = ("/moto-api", "/_localcloud", "/favicon.ico", "/latest/meta-data", "/latest/api")

_SCOPE_RE = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/([^/,\s]+)/aws4_request")
# SigV4a scopes carry no region: Credential=AKID/DATE/SERVICE/aws4_request
_SCOPE_V4A_RE = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/aws4_request")
_CBOR_PATH_RE = re.compile(r"^/service/([^/]+)/operation/([^/]+)/?$")

BODY_KEY = "localcloud.body"


@dataclass(frozen=True)
class AwsRequestInfo:
    """The facts about one request that fault injection and extension routing need."""

    method: str
    path: str
    access_key: str | None
    region: str | None
    service: str | None  # the SigV4 signing name (elasticloadbalancing, monitoring, s3, ...)
    target: str | None  # X-Amz-Target
    content_type: str
    protocol: str
    is_api_call: bool

    @property
    def service_label(self) -> str:
        return self.service or "unknown"


def read_body(environ: dict[str, Any]) -> bytes:
    """Read the request body once and put it back as a fresh stream, so moto can read it again."""
    cached = environ.get(BODY_KEY)
    if cached is not None:
        return cached
    stream = environ.get("wsgi.input")
    body = b""
    if stream is not None:
        length = environ.get("CONTENT_LENGTH") or ""
        if length.strip().isdigit():
            body = stream.read(int(length)) if int(length) else b""
        elif environ.get("wsgi.input_terminated"):  # chunked: werkzeug de-chunks and ends the stream
            body = stream.read()
    environ["wsgi.input"] = io.BytesIO(body)
    environ[BODY_KEY] = body
    return body


def credential_scope(environ: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(access key, region, service) from the SigV4 credential scope, or Nones for an unsigned request."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    source = auth
    if "Credential=" not in source:
        query = environ.get("QUERY_STRING", "")
        if "X-Amz-Credential" not in query:
            return None, None, None
        values = parse_qs(query).get("X-Amz-Credential", [""])
        source = f"Credential={values[0]}"
    match = _SCOPE_RE.search(source)
    if match:
        return match.group(1), match.group(3), match.group(4).lower()
    match = _SCOPE_V4A_RE.search(source)
    if match:
        region = environ.get("HTTP_X_AMZ_REGION_SET", "").split(",")[0].strip() or None
        return match.group(1), region, match.group(3).lower()
    return None, None, None


def form_params(environ: dict[str, Any]) -> dict[str, str]:
    """Query-protocol parameters: the form body, or the query string for GET-style calls."""
    params: dict[str, str] = {}
    for key, values in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items():
        params[key] = values[0]
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        body = read_body(environ).decode("utf-8", "replace")
        for key, values in parse_qs(body, keep_blank_values=True).items():
            params[key] = values[0]
    return params


def cbor_operation(path: str) -> tuple[str, str] | None:
    match = _CBOR_PATH_RE.match(path)
    return (match.group(1), match.group(2)) if match else None


def detect_protocol(environ: dict[str, Any], service: str | None) -> str:
    path = environ.get("PATH_INFO", "")
    content_type = environ.get("CONTENT_TYPE", "")
    if service in ("s3", "s3express", "s3-object-lambda"):
        if path.startswith("/v20180820") or "s3-control" in environ.get("HTTP_HOST", ""):
            return REST_XML  # S3 Control speaks plain restXml errors
        return S3
    if service == "ec2":
        return EC2
    if environ.get("HTTP_SMITHY_PROTOCOL", "").lower() == "rpc-v2-cbor" or (
        content_type.startswith("application/cbor") and cbor_operation(path)
    ):
        return CBOR
    if environ.get("HTTP_X_AMZ_TARGET"):
        return JSON
    if content_type.startswith("application/x-www-form-urlencoded"):
        return QUERY
    if "Action=" in environ.get("QUERY_STRING", ""):
        return QUERY
    if service in REST_XML_SERVICES:
        return REST_XML
    return REST_JSON


def inspect(environ: dict[str, Any]) -> AwsRequestInfo:
    path = environ.get("PATH_INFO", "")
    access_key, region, service = credential_scope(environ)
    target = environ.get("HTTP_X_AMZ_TARGET") or None
    protocol = detect_protocol(environ, service)
    is_api_call = not path.startswith(NON_API_PREFIXES) and bool(
        service or target or (protocol == QUERY and "Action" in form_params(environ))
    )
    return AwsRequestInfo(
        method=environ.get("REQUEST_METHOD", "GET"),
        path=path,
        access_key=access_key,
        region=region,
        service=service,
        target=target,
        content_type=environ.get("CONTENT_TYPE", ""),
        protocol=protocol,
        is_api_call=is_api_call,
    )
