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
    request_id = request_id or str(uuid.uuid4())
    status, code = throttle_code(info)
    protocol = info.protocol
    headers: list[tuple[str, str]] = [("x-amzn-RequestId", request_id)]
    if protocol == JSON:
        content_type = info.content_type if info.content_type.startswith("application/x-amz-json") else ""
        headers += [("Content-Type", content_type or "application/x-amz-json-1.1"), ("x-amzn-ErrorType", code)]
        body = json.dumps({"__type": code, "message": RATE_EXCEEDED}).encode()
    elif protocol == CBOR:
        headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
        body = cbor.encode({"__type": code, "message": RATE_EXCEEDED})
    elif protocol == EC2:
        headers += [("Content-Type", "text/xml;charset=UTF-8")]
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Response><Errors><Error><Code>{code}</Code><Message>Request limit exceeded.</Message></Error>"
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
            f"<Error><Code>{code}</Code><Message>Please reduce your request rate.</Message>"
            f"<RequestId>{escape(request_id)}</RequestId><HostId>{escape(request_id)}</HostId></Error>"
        ).encode()
    elif protocol == REST_JSON:
        message = "Too Many Requests" if code == "TooManyRequestsException" else RATE_EXCEEDED
        headers += [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)]
        body = json.dumps({"__type": code, "message": message}).encode()
    else:  # QUERY, REST_XML
        headers += [("Content-Type", "text/xml")]
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{RATE_EXCEEDED}</Message>"
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

    def configure(
        self,
        throttle_rate: float | None = None,
        seed: int | None = None,
        reset_counters: bool = False,
        latency_ms: int | None = None,
    ) -> dict[str, Any]:
        """Change the configuration; a new seed (or a new rate with a seed) restarts the RNG sequence."""
        rate = None if throttle_rate is None else self._validate_rate(throttle_rate)
        latency = None if latency_ms is None else self._validate_latency(latency_ms)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise FaultConfigError("seed must be an integer")
        with self._lock:
            if rate is not None:
                self._throttle_rate = rate
            if latency is not None:
                self._latency_ms = latency
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
                "enabled": self._throttle_rate > 0.0 or self._latency_ms > 0,
                "counters": {
                    "api_requests": self._eligible,
                    "injected_total": sum(sum(codes.values()) for codes in injected.values()),
                    "injected": injected,
                },
            }
