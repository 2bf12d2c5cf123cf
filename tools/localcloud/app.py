"""The local cloud's WSGI application: control endpoints, fault injection, extensions, then moto.

Order of handling for each request:

1. ``/_localcloud/*``: control endpoints (health, faults, reset); never faulted, never recorded.
2. ``/moto-api/*``: straight to moto, never faulted. ``POST /moto-api/reset`` also empties the
   extension state, so moto's own reset leaves nothing behind.
3. AWS API calls: first the configured ``latency_ms``, slept outside the state lock so that concurrent calls
   wait at the same time, as on a network; then, with probability ``throttle_rate``, the protocol's throttling
   error (see faults.py); then, for a call a deny fault names, the protocol's access-denied error.
   Injected errors are counted, and not written to moto's recorder (the call never reached a service).
4. Calls of the services in strict.py's list are checked against botocore's model for their operation (required
   members, enums, lengths, ranges, patterns) and refused as AWS's validation layer refuses them (see strict.py);
   ``LOCALCLOUD_LENIENT=1`` in the server's environment turns this off, for debugging only.
5. Actions claimed by an extension (see extensions/); everything else goes to moto.

Requests that reach emulated state (moto or an extension) are served one at a time: moto's
backends mutate shared dicts and lists without locks, and AWS itself is consistent, so the
emulator must be too. Each call takes milliseconds, so serving them in turn costs little.

Resends: under Terraform's load a response is now and then lost on the way back (seen with both
werkzeug and waitress; cause not found), the SDK resends the request (same amz-sdk-invocation-id,
amz-sdk-request attempt > 1), and the resend met the first attempt's effect
(InvalidPermission.Duplicate on apply, InvalidPermission.NotFound on destroy). A resend of a
request the emulator already answered gets that answer again instead of being applied twice, as if
the first response had arrived. Throttled attempts are never answered by a service, so their
retries run for real. ``GET /_localcloud/health`` counts the replays.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from . import __version__
from .awsrequest import inspect
from .extensions.registry import Registry
from .faults import FaultConfigError, FaultInjector, deny_response, throttle_response

CONTROL_PREFIX = "/_localcloud"
WSGIApp = Any
_ATTEMPT = re.compile(r"attempt=(\d+)")
ANSWERS_KEPT = 4096
LARGEST_ANSWER_KEPT = 1 << 20


def _invocation(environ: dict[str, Any]) -> tuple[str | None, int]:
    """The SDK's invocation id of a request and which attempt of it this is (1 when unknown)."""
    match = _ATTEMPT.search(environ.get("HTTP_AMZ_SDK_REQUEST", ""))
    return environ.get("HTTP_AMZ_SDK_INVOCATION_ID"), int(match.group(1)) if match else 1


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, indent=2, sort_keys=True) + "\n", status=status, mimetype="application/json")


def reset_moto() -> None:
    """What ``POST /moto-api/reset`` does, without going through (and being recorded by) moto's API app."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


class LocalCloudApp:
    def __init__(
        self,
        moto_app: WSGIApp,
        faults: FaultInjector,
        registry: Registry,
        details: dict[str, Any] | None = None,
        strict: bool = True,
    ) -> None:
        self.moto_app = moto_app
        self.strict = strict
        self.faults = faults
        self.registry = registry
        self.details = dict(details or {})
        self.started_at = time.time()
        self._state_lock = threading.RLock()
        self._answers: OrderedDict[str, tuple[str, list, list[bytes]]] = OrderedDict()
        self.replayed = 0

    def _serve(self, app: WSGIApp, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """Run one request against emulated state, body included, while holding the state lock;
        a resend of a request already answered gets the same answer (see the module docstring)."""
        invocation_id, attempt = _invocation(environ)
        with self._state_lock:
            if invocation_id and attempt > 1 and invocation_id in self._answers:
                status, headers, body = self._answers[invocation_id]
                self.replayed += 1
                start_response(status, headers)
                return body
            captured: dict[str, Any] = {}

            def capture(status: str, headers: list, exc_info: Any = None) -> Any:
                captured.update(status=status, headers=headers)
                return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

            body = list(app(environ, capture))
            if invocation_id and not captured.get("status", "5").startswith("5"):
                self._remember(invocation_id, (captured["status"], captured["headers"], body))
            return body

    def _remember(self, invocation_id: str, answer: tuple[str, list, list[bytes]]) -> None:
        if sum(len(chunk) for chunk in answer[2]) > LARGEST_ANSWER_KEPT:
            return
        self._answers[invocation_id] = answer
        while len(self._answers) > ANSWERS_KEPT:
            self._answers.popitem(last=False)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            return self._control(Request(environ))(environ, start_response)
        if path.startswith("/moto-api"):
            result = self._serve(self.moto_app, environ, start_response)
            if path.rstrip("/") == "/moto-api/reset" and environ.get("REQUEST_METHOD") == "POST":
                self.registry.reset()
            return result

        info = inspect(environ)
        if info.is_api_call and (latency := self.faults.latency_seconds()):
            time.sleep(latency)
        if info.is_api_call and self.faults.should_throttle():
            error = throttle_response(info)
            self.faults.count(info.service_label, error.code)
            response = Response(error.body, status=error.status, headers=error.headers)
            return response(environ, start_response)
        if info.is_api_call and (denied := self._denied(environ, info)) is not None:
            return denied(environ, start_response)
        if info.is_api_call and self.strict:
            with self._state_lock:
                refused = self.registry.refusal(environ, info)
            if refused is not None:
                return refused(environ, start_response)
        if info.is_api_call and self.registry.claims(environ, info):
            return self._serve(self._extension_app(info), environ, start_response)
        return self._serve(self.moto_app, environ, start_response)

    def _denied(self, environ: dict[str, Any], info: Any) -> Response | None:
        """The access-denied error of a call a deny fault names (see faults.py), else None."""
        operations = self.faults.deny_operations()
        if not operations:
            return None
        with self._state_lock:
            call = self.registry.call_of(environ, info)
        if call is None or call[1] not in operations or not self.faults.should_deny(call[1], call[2]):
            return None
        error = deny_response(info, call[0], call[1])
        self.faults.count(info.service_label, error.code)
        return Response(error.body, status=error.status, headers=error.headers)

    def _extension_app(self, info: Any) -> WSGIApp:
        def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            return self.registry.dispatch(environ, info)(environ, start_response)

        return app

    # -- control endpoints ------------------------------------------------------------------------
    def _control(self, request: Request) -> Response:
        endpoint = request.path[len(CONTROL_PREFIX) :].strip("/")
        if endpoint == "health":
            if request.method not in ("GET", "HEAD"):
                return _json({"error": "use GET"}, 405)
            return _json(self.health())
        if endpoint == "faults":
            if request.method == "GET":
                return _json(self.faults.snapshot())
            if request.method == "POST":
                return self._set_faults(request)
            return _json({"error": "use GET or POST"}, 405)
        if endpoint == "reset":
            if request.method != "POST":
                return _json({"error": "use POST"}, 405)
            return _json(self.reset())
        return _json({"error": f"no such endpoint: {request.path}", "endpoints": self.endpoints()}, 404)

    def _set_faults(self, request: Request) -> Response:
        try:
            payload = json.loads(request.get_data() or b"{}")
        except ValueError as exc:
            return _json({"error": f"body is not JSON: {exc}"}, 400)
        if not isinstance(payload, dict):
            return _json({"error": "body must be a JSON object"}, 400)
        unknown = sorted(set(payload) - {"throttle_rate", "latency_ms", "seed", "off", "reset_counters", "deny"})
        if unknown:
            return _json({"error": f"unknown field(s): {', '.join(unknown)}"}, 400)
        rate = 0.0 if payload.get("off") else payload.get("throttle_rate")
        latency = 0 if payload.get("off") else payload.get("latency_ms")
        deny = [] if payload.get("off") else payload.get("deny")
        try:
            snapshot = self.faults.configure(
                throttle_rate=rate,
                seed=payload.get("seed"),
                reset_counters=bool(payload.get("reset_counters")),
                latency_ms=latency,
                deny=deny,
            )
        except FaultConfigError as exc:
            return _json({"error": str(exc)}, 400)
        return _json(snapshot)

    def reset(self) -> dict[str, Any]:
        with self._state_lock:
            reset_moto()
            self.registry.reset()
            self._answers.clear()
        self.faults.reset()
        return {"status": "ok", "reset": ["moto", "extensions", "faults"]}

    @staticmethod
    def endpoints() -> list[str]:
        return [
            "GET /_localcloud/health",
            "GET /_localcloud/faults",
            "POST /_localcloud/faults",
            "POST /_localcloud/reset",
        ]

    def health(self) -> dict[str, Any]:
        from importlib.metadata import version

        return {
            "status": "ok",
            "service": "localcloud",
            "version": __version__,
            "moto_version": version("moto"),
            "pid": os.getpid(),
            "started_at": self.started_at,
            "uptime_seconds": round(time.time() - self.started_at, 3),
            "extensions": self.registry.actions(),
            "faults": {"throttle_rate": self.faults.snapshot()["throttle_rate"]},
            "strict": self.strict,
            "resends_answered_again": self.replayed,
            **self.details,
        }
