"""Fault injection: answer a share of AWS API calls with the throttling error of their protocol, and delay
every AWS API call by a set latency (the network round trip a real regional endpoint costs, which the local
cloud otherwise lacks: a client that makes its calls one after the other pays it per call, one that makes
independent calls at the same time pays it once per round).

Every shape below is one that both botocore (``botocore/retries/standard.py`` throttled codes, and the
legacy ``_retry.json`` policies) and aws-sdk-go-v2 (``aws/retry`` throttle codes) treat as throttling, so
the real clients back off and retry:

=============  ======  =========================================================================
protocol       status  error
=============  ======  =========================================================================
json           400     ``{"__type": "ThrottlingException", "message": "Rate exceeded"}``
rpc-v2-cbor    400     the same map, CBOR-encoded, with ``smithy-protocol: rpc-v2-cbor``
query          400     ``<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>...``
ec2            503     ``<Response><Errors><Error><Code>RequestLimitExceeded</Code>...``
s3             503     ``<Error><Code>SlowDown</Code>...``
rest-json      429     ``x-amzn-ErrorType`` + JSON body: TooManyRequestsException (apigateway,
                       lambda), ThrottledException (xray), ThrottlingException (others)
rest-xml       400     as query (route53, cloudfront, s3control)
=============  ======  =========================================================================

A deny fault answers the calls of a named operation (all of them, only its Nth call since the fault was set, or
only the calls whose input names a given resource) with the access-denied error of the protocol, as AWS answers a
caller whose policy lacks the action: ``AccessDeniedException`` (json, rpc-v2-cbor and rest-json, status 400 and
403), ``AccessDenied`` (query, rest-xml and s3, 403), ``UnauthorizedOperation`` (ec2, 403). No client retries them.
It is how a test makes a write fail midway for real. ``{"deny": [{"operation": "PutMetricAlarm", "call": 2}]}`` or
``{"deny": [{"operation": "PutMetricAlarm", "resource": "web-5xx"}]}`` sets them (replacing the ones set before),
``{"deny": []}`` or ``off`` clears them.
"""

from __future__ import annotations

import json
import random
import threading
import uuid
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from . import cbor
from .awsrequest import CBOR, EC2, JSON, QUERY, REST_JSON, REST_XML, S3, AwsRequestInfo

RATE_EXCEEDED = "Rate exceeded"
MAX_LATENCY_MS = 10_000

# restJson1 services whose modeled throttling error is not ThrottlingException.
REST_JSON_THROTTLE_CODES = {
    "apigateway": "TooManyRequestsException",
    "lambda": "TooManyRequestsException",
    "xray": "ThrottledException",
}

# What each protocol answers with: (HTTP status, error code).
THROTTLE_CODES = {
    JSON: (400, "ThrottlingException"),
    CBOR: (400, "ThrottlingException"),
    QUERY: (400, "Throttling"),
    REST_XML: (400, "Throttling"),
    EC2: (503, "RequestLimitExceeded"),
    S3: (503, "SlowDown"),
    REST_JSON: (429, "ThrottlingException"),
}


# The access-denied error of each protocol: (HTTP status, error code).
DENY_CODES = {
    JSON: (400, "AccessDeniedException"),
    CBOR: (400, "AccessDeniedException"),
    QUERY: (403, "AccessDenied"),
    REST_XML: (403, "AccessDenied"),
    EC2: (403, "UnauthorizedOperation"),
    S3: (403, "AccessDenied"),
    REST_JSON: (403, "AccessDeniedException"),
}
DENY_RULE_KEYS = {"operation", "call", "resource"}


@dataclass(frozen=True)
class ErrorResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    code: str


def throttle_code(info: AwsRequestInfo) -> tuple[int, str]:
    status, code = THROTTLE_CODES[info.protocol]
    if info.protocol == REST_JSON:
        code = REST_JSON_THROTTLE_CODES.get(info.service or "", code)
    return status, code


def throttle_response(info: AwsRequestInfo, request_id: str | None = None) -> ErrorResponse:
    """The throttling error for this request, in the wire format of its protocol."""
    status, code = throttle_code(info)
    message = RATE_EXCEEDED
    if info.protocol == EC2:
        message = "Request limit exceeded."
    elif info.protocol == S3:
        message = "Please reduce your request rate."
    elif info.protocol == REST_JSON and code == "TooManyRequestsException":
        message = "Too Many Requests"
    return error_response(info, status, code, message, request_id)


def deny_response(info: AwsRequestInfo, service: str, operation: str) -> ErrorResponse:
    """The access-denied error for a call of ``service``'s ``operation``, in the wire format of its protocol."""
    status, code = DENY_CODES[info.protocol]
    action = f"{service}:{operation}"
    message = (
        "You are not authorized to perform this operation."
        if info.protocol == EC2
        else f"User: arn:aws:iam::123456789012:user/localcloud is not authorized to perform: {action} because no "
        f"identity-based policy allows the {action} action"
    )
    return error_response(info, status, code, message)


def error_response(
    info: AwsRequestInfo,
    status: int,
    code: str,
    message: str,
    request_id: str | None = None,
    details: dict[str, str] | None = None,
) -> ErrorResponse:
    """An AWS error in the wire format of the request's protocol; ``details`` are S3's elements after its
    ``<Message>`` (``ArgumentName``, ``BucketName``, ...)."""
    request_id = request_id or str(uuid.uuid4())
    protocol = info.protocol
    headers: list[tuple[str, str]] = [("x-amzn-RequestId", request_id)]
    if protocol == JSON:
        content_type = info.content_type if info.content_type.startswith("application/x-amz-json") else ""
        headers += [("Content-Type", content_type or "application/x-amz-json-1.1"), ("x-amzn-ErrorType", code)]
        body = json.dumps({"__type": code, "message": message}).encode()
    elif protocol == CBOR:
        headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
        body = cbor.encode({"__type": code, "message": message})
    elif protocol == EC2:
        headers += [("Content-Type", "text/xml;charset=UTF-8")]
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Response><Errors><Error><Code>{code}</Code><Message>{escape(message)}</Message></Error>"
            f"</Errors><RequestID>{escape(request_id)}</RequestID></Response>"
        ).encode()
    elif protocol == S3:
        headers = [
            ("x-amz-request-id", request_id),
            ("x-amz-id-2", request_id),
            ("Content-Type", "application/xml"),
        ]
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{escape(message)}</Message>"
            + "".join(f"<{name}>{escape(value)}</{name}>" for name, value in (details or {}).items())
            + f"<RequestId>{escape(request_id)}</RequestId><HostId>{escape(request_id)}</HostId></Error>"
        ).encode()
    elif protocol == REST_JSON:
        headers += [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)]
        body = json.dumps({"__type": code, "message": message}).encode()
    else:  # QUERY, REST_XML
        headers += [("Content-Type", "text/xml")]
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{escape(message)}</Message>"
            f"</Error><RequestId>{escape(request_id)}</RequestId></ErrorResponse>"
        ).encode()
    return ErrorResponse(status=status, headers=headers, body=body, code=code)


class FaultConfigError(ValueError):
    pass


class FaultInjector:
    """Thread-safe fault configuration, seedable RNG and counters."""

    def __init__(self, throttle_rate: float = 0.0, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._throttle_rate = 0.0
        self._latency_ms = 0
        self._seed: int | None = None
        self._rng = random.Random()
        self._eligible = 0
        self._injected: dict[str, dict[str, int]] = {}
        self._deny: list[dict[str, Any]] = []
        self.configure(throttle_rate=throttle_rate, seed=seed)

    @staticmethod
    def _validate_rate(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FaultConfigError("throttle_rate must be a number between 0.0 and 1.0")
        rate = float(value)
        if not 0.0 <= rate <= 1.0:
            raise FaultConfigError(f"throttle_rate must be between 0.0 and 1.0, got {value}")
        return rate

    @staticmethod
    def _validate_latency(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_LATENCY_MS:
            raise FaultConfigError(f"latency_ms must be a whole number of milliseconds, 0 to {MAX_LATENCY_MS}")
        return value

    @staticmethod
    def _validate_deny(value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            raise FaultConfigError("deny must be a list of {operation, call, resource} objects")
        rules = []
        for index, rule in enumerate(value):
            where = f"deny[{index}]"
            if not isinstance(rule, dict) or set(rule) - DENY_RULE_KEYS:
                raise FaultConfigError(f"{where} must be an object with the keys operation, call and resource")
            operation, call, resource = rule.get("operation"), rule.get("call"), rule.get("resource")
            if not isinstance(operation, str) or not operation[:1].isupper():
                raise FaultConfigError(f"{where}.operation must be an API operation name, such as PutMetricAlarm")
            if call is not None and (isinstance(call, bool) or not isinstance(call, int) or call < 1):
                raise FaultConfigError(f"{where}.call must be a whole number from 1 (the Nth call is denied)")
            if resource is not None and (not isinstance(resource, str) or not resource):
                raise FaultConfigError(f"{where}.resource must be a non-empty string")
            rules.append({"operation": operation, "call": call, "resource": resource, "seen": 0, "denied": 0})
        return rules

    def configure(
        self,
        throttle_rate: float | None = None,
        seed: int | None = None,
        reset_counters: bool = False,
        latency_ms: int | None = None,
        deny: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Change the configuration; a new seed (or a new rate with a seed) restarts the RNG sequence; ``deny``
        replaces the deny faults."""
        rate = None if throttle_rate is None else self._validate_rate(throttle_rate)
        latency = None if latency_ms is None else self._validate_latency(latency_ms)
        rules = None if deny is None else self._validate_deny(deny)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise FaultConfigError("seed must be an integer")
        with self._lock:
            if rate is not None:
                self._throttle_rate = rate
            if latency is not None:
                self._latency_ms = latency
            if rules is not None:
                self._deny = rules
            if seed is not None:
                self._seed = seed
                self._rng.seed(seed)
            elif rate is not None and self._seed is None:
                self._rng.seed()
            if reset_counters:
                self._eligible = 0
                self._injected = {}
        return self.snapshot()

    def reset(self) -> None:
        """Faults off, seed forgotten, counters cleared."""
        with self._lock:
            self._throttle_rate = 0.0
            self._latency_ms = 0
            self._deny = []
            self._seed = None
            self._rng.seed()
            self._eligible = 0
            self._injected = {}

    def should_throttle(self) -> bool:
        with self._lock:
            self._eligible += 1
            if self._throttle_rate <= 0.0:
                return False
            return self._rng.random() < self._throttle_rate

    def deny_operations(self) -> set[str]:
        """The operations a deny fault names (empty when none is set): only their calls need looking into."""
        with self._lock:
            return {rule["operation"] for rule in self._deny}

    def should_deny(self, operation: str, params: dict[str, Any]) -> bool:
        """Whether a deny fault answers this call (counting it towards each matching rule's Nth call)."""
        names = None
        deny = False
        with self._lock:
            for rule in self._deny:
                if rule["operation"] != operation:
                    continue
                if rule["resource"] is not None:
                    names = _strings(params) if names is None else names
                    if rule["resource"] not in names:
                        continue
                rule["seen"] += 1
                if rule["call"] is None or rule["call"] == rule["seen"]:
                    rule["denied"] += 1
                    deny = True
        return deny

    def latency_seconds(self) -> float:
        with self._lock:
            return self._latency_ms / 1000

    def count(self, service: str, code: str) -> None:
        with self._lock:
            per_service = self._injected.setdefault(service, {})
            per_service[code] = per_service.get(code, 0) + 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            injected = {svc: dict(codes) for svc, codes in sorted(self._injected.items())}
            return {
                "throttle_rate": self._throttle_rate,
                "latency_ms": self._latency_ms,
                "seed": self._seed,
                "deny": [dict(rule) for rule in self._deny],
                "enabled": self._throttle_rate > 0.0 or self._latency_ms > 0 or bool(self._deny),
                "counters": {
                    "api_requests": self._eligible,
                    "injected_total": sum(sum(codes.values()) for codes in injected.values()),
                    "injected": injected,
                },
            }


def _strings(value: Any) -> set[str]:
    """Every string in a parsed request (the values that can name a resource)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(item) for item in value.values()))
    if isinstance(value, list | tuple):
        return set().union(*(_strings(item) for item in value))
    return set()
