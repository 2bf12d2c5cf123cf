"""The extension registry: AWS actions moto lacks, served in front of moto.

A service module registers handlers with :func:`action`::

    @action("shield", "GetSubscriptionState")
    def get_subscription_state(req: ExtensionRequest) -> dict:
        return {"SubscriptionState": "INACTIVE"}

``service`` is the boto3 client name and ``action`` the operation name, both as in botocore's service
model, which the registry uses for everything protocol-specific, through moto's own machinery:

* routing - JSON: the ``X-Amz-Target`` operation (its prefix must be the model's ``targetPrefix``);
  query/ec2: ``Action=`` (with ``Version=`` telling elb from elbv2); REST: the model's ``requestUri``
  (method + path pattern) matched by moto's router; Smithy RPC v2 CBOR: ``/service/X/operation/Y``;
* input - moto's protocol parsers turn the request into the same dict boto3 takes as kwargs;
* output - the handler returns a dict shaped like boto3's response (or an object with snake_case
  attributes) and moto's serializers render it in the request's protocol;
* errors - ``raise AwsError(code, message, status=...)`` renders as that protocol's error.

Requests the registry does not claim go to moto unchanged. Claimed requests are written to moto's
request recorder exactly as moto writes its own, so API-call counts from the recorder include them.
"""

from __future__ import annotations

import io
import json
import logging
import os
import threading
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.core.exceptions import ServiceException
from moto.core.serialize import JSONSerializer
from werkzeug.wrappers import Response

from .. import cbor
from ..awsrequest import CBOR, EC2, JSON, QUERY, S3, AwsRequestInfo, cbor_operation, form_params, read_body

log = logging.getLogger("localcloud.extensions")
# moto warns when an error code is not an error shape of the service model; AWS's common errors
# (ValidationException, InternalFailure, ...) rarely are, and extensions raise them on purpose.
warnings.filterwarnings("ignore", message=r"Exception\(AwsError\) with code", category=UserWarning)

Handler = Callable[["ExtensionRequest"], Any]
# Set in the server's environment, every answer of an extension is checked against its operation's output shape
# before moto's serializer renders it, and what is wrong is told in a response header (see answer_problems).
CHECK_ANSWERS_ENV = "LOCALCLOUD_CHECK_ANSWERS"
ANSWER_PROBLEMS_HEADER = "x-localcloud-answer-problems"
ANSWER_PROBLEMS_SHOWN = 20


class AwsError(ServiceException):
    """An AWS error, rendered in the protocol of the request that raised it.

    ``code`` is the AWS error code (ideally an error shape of the service's model, which then also
    supplies the HTTP status); ``status`` overrides the status (default: the model's, else 400).
    """

    def __init__(self, code: str, message: str, *, status: int | None = None) -> None:
        super().__init__(code, message)
        self.status = status


def answer_problems(shape: Any, result: Any) -> list[str]:
    """What a handler's answer has that ``shape`` (the operation's output shape) does not: a member the shape lacks,
    or a value of the wrong type. moto's serializer walks the shape, so it drops such a member silently and turns a
    wrong value into a string: a client never sees them, so only the handler's own answer shows them (issue 20).
    Members given as objects (moto's models, read through their snake_case attributes) are not looked into."""
    from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import api_path, shape_problems

    if not isinstance(result, dict):
        return []
    if shape is None:
        return ["(answer) is not known to AWS here: the operation has no output"] if result else []
    return [
        f"{api_path(p.path)} {p.wrong}"
        for p in shape_problems(_plain(result), shape)
        if p.wrong == "is not known to AWS here" or (p.wrong == "has the wrong type" and p.value is not _OBJECT)
    ]


_OBJECT = object()  # stands for a value shape_problems cannot look into


def _plain(value: Any) -> Any:
    """``value`` with every object that is not plain data (a dict, list, str, number, bool, datetime, bytes) replaced
    by a marker, so that only the plain parts of an answer are checked."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bytes | datetime):
        return value
    return _OBJECT


def validation_error(message: str) -> AwsError:
    return AwsError("ValidationException", message, status=400)


class ExtensionState:
    """All extension state, one plain dict per (service, account, region-or-partition) scope."""

    def __init__(self) -> None:
        self._scopes: dict[tuple[str, ...], dict[str, Any]] = {}

    def scope(self, *key: str) -> dict[str, Any]:
        return self._scopes.setdefault(tuple(key), {})

    def reset(self) -> None:
        self._scopes.clear()

    def __len__(self) -> int:
        return sum(1 for data in self._scopes.values() if data)


@dataclass
class ExtensionRequest:
    """What a handler gets: the parsed call, who made it, and where its state lives."""

    service: str  # boto3 client name, e.g. "shield"
    action: str  # operation name, e.g. "GetSubscriptionState"
    params: dict[str, Any]  # the input, as boto3 kwargs (typed by the service model)
    account_id: str
    region: str
    partition: str
    protocol: str
    request_id: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    _state: ExtensionState = field(repr=False)

    @property
    def store(self) -> dict[str, Any]:
        """State for this service in this account and region; emptied by every reset."""
        return self._state.scope(self.service, self.account_id, self.region)

    @property
    def global_store(self) -> dict[str, Any]:
        """State for this service in this account, partition-wide (global services: shield, iam, ...)."""
        return self._state.scope(self.service, self.account_id, self.partition)

    def moto_backend(self, service: str, region: str | None = None) -> Any:
        """moto's backend for ``service`` in this account (``region`` defaults to the request's)."""
        from moto.backends import get_backend

        return get_backend(service)[self.account_id][region or self.region]  # type: ignore[call-overload]

    def require(self, *names: str) -> None:
        """Fail like AWS does when a required member is missing."""
        for name in names:
            if self.params.get(name) in (None, ""):
                raise validation_error(
                    f"1 validation error detected: Value null at '{name[:1].lower()}{name[1:]}' "
                    "failed to satisfy constraint: Member must not be null"
                )


@dataclass
class _Service:
    name: str
    model: Any  # moto.core.model.ServiceModel
    signing_name: str
    target_prefix: str | None
    api_version: str
    handlers: dict[str, Handler] = field(default_factory=dict)


def resolve_account_id(environ: dict[str, Any], access_key: str | None) -> str:
    """The account moto would serve this request from (same order as moto's BaseResponse)."""
    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"]
    header = environ.get("HTTP_X_MOTO_ACCOUNT_ID")
    if header:
        return header
    from moto.iam.models import get_account_id_from

    return get_account_id_from(access_key or "AKIAEXAMPLE")


class Registry:
    def __init__(self) -> None:
        self._services: dict[str, _Service] = {}
        self._by_signing_name: dict[str, list[_Service]] = {}
        self._by_target_prefix: dict[str, _Service] = {}
        self._lock = threading.RLock()  # one handler at a time: state needs no further locking
        self.state = ExtensionState()
        self._strict_loaded = False

    # -- registration -----------------------------------------------------------------------------
    def _service(self, name: str) -> _Service:
        if name not in self._services:
            from moto.core.utils import get_service_model

            model = get_service_model(name)
            meta = model.metadata
            svc = _Service(
                name=name,
                model=model,
                signing_name=(meta.get("signingName") or meta["endpointPrefix"]).lower(),
                target_prefix=meta.get("targetPrefix"),
                api_version=meta.get("apiVersion", ""),
            )
            self._services[name] = svc
            self._by_signing_name.setdefault(svc.signing_name, []).append(svc)
            if svc.target_prefix:
                self._by_target_prefix[svc.target_prefix] = svc
        return self._services[name]

    def register(self, service: str, action_name: str, handler: Handler) -> None:
        svc = self._service(service)
        if action_name not in svc.model.operation_names:
            raise ValueError(f"{service} has no operation {action_name!r} in botocore's model")
        if action_name in svc.handlers and svc.handlers[action_name] is not handler:
            raise ValueError(f"{service}:{action_name} is registered twice")
        svc.handlers[action_name] = handler

    def action(self, service: str, action_name: str) -> Callable[[Handler], Handler]:
        """Decorator: serve ``service``'s ``action_name`` with the decorated function."""

        def decorator(func: Handler) -> Handler:
            self.register(service, action_name, func)
            return func

        return decorator

    def actions(self) -> list[str]:
        return sorted(f"{svc.name}:{name}" for svc in self._services.values() for name in svc.handlers)

    def reset(self) -> None:
        with self._lock:
            self.state.reset()

    # -- routing ----------------------------------------------------------------------------------
    def _candidates(self, info: AwsRequestInfo) -> list[_Service]:
        found = list(self._by_signing_name.get(info.service or "", []))
        if info.target:
            svc = self._by_target_prefix.get(info.target.rpartition(".")[0])
            if svc is not None and svc not in found:
                found.append(svc)
        return found

    def _match(self, environ: dict[str, Any], info: AwsRequestInfo) -> tuple[_Service, str, dict[str, Any]] | None:
        for svc in self._candidates(info):
            operation, uri_params = self._operation(svc, environ, info)
            if operation and operation in svc.handlers:
                return svc, operation, uri_params
        return None

    def _operation(self, svc: _Service, environ: dict[str, Any], info: AwsRequestInfo) -> tuple[str | None, dict]:
        if info.protocol == JSON:
            prefix, _, operation = (info.target or "").rpartition(".")
            return (operation if prefix == svc.target_prefix else None), {}
        if info.protocol == CBOR:
            found = cbor_operation(info.path)
            if found and found[0] in (svc.target_prefix, svc.model.metadata.get("serviceId")):
                return found[1], {}
            return None, {}
        if info.protocol in (QUERY, EC2):
            params = form_params(environ)
            version = params.get("Version")
            if version and svc.api_version and version != svc.api_version:
                return None, {}
            return params.get("Action"), {}
        from moto.core.request import Request
        from moto.core.routing import get_service_router
        from werkzeug.exceptions import NotFound

        read_body(environ)
        try:
            operation_model, uri_params = get_service_router(svc.name).match(Request(environ))
        except (NotFound, NotImplementedError):
            return None, {}
        return operation_model.name, dict(uri_params)

    def claims(self, environ: dict[str, Any], info: AwsRequestInfo) -> bool:
        """Does an extension serve this request?"""
        return bool(self._services) and info.is_api_call and self._match(environ, info) is not None

    # -- strictness -------------------------------------------------------------------------------
    def _load_strict_services(self) -> None:
        if not self._strict_loaded:
            from ..strict import STRICT_SERVICES

            for name in STRICT_SERVICES:
                self._service(name)
            self._strict_loaded = True

    def refusal(self, environ: dict[str, Any], info: AwsRequestInfo) -> Response | None:
        """AWS's validation error for a call that breaks its operation's input constraints (see strict.py);
        None when the call is valid, or is not a call of a checked service. The body is left readable for moto."""
        if not info.is_api_call:
            return None
        try:
            return self._refusal(environ, info)
        finally:
            environ["wsgi.input"] = io.BytesIO(read_body(environ))

    def _refusal(self, environ: dict[str, Any], info: AwsRequestInfo) -> Response | None:
        from ..strict import STRICT_SERVICES

        self._load_strict_services()
        for svc, operation, uri_params in self._calls(environ, info):
            if svc.name not in STRICT_SERVICES:
                continue
            if operation in svc.handlers:  # an extension validates its own actions, with AWS's error details
                return None
            operation_model = svc.model.operation_model(operation)
            if operation_model.input_shape is None:
                return None
            from moto.moto_api import recorder

            try:
                request, body, protocol, params = self._input(svc, operation_model, environ, info, uri_params)
            except Exception:  # a request the parser cannot read: the service answers it, as before
                return None
            refused = self._refused_call(svc, operation_model, protocol, info, params)
            if refused is not None:
                recorder._record_request(request, body)  # AWS received the call, as moto would record it
            return refused
        return None

    def _refused_call(
        self, svc: _Service, operation_model: Any, protocol: str, info: AwsRequestInfo, params: dict[str, Any]
    ) -> Response | None:
        """The validation error of a parsed call, in its service's words, or None when the call is valid."""
        from ..faults import error_response
        from ..strict import error_code, problems, validation_message
        from ..strict_s3 import refusal as s3_refusal

        if svc.name == "s3" and info.protocol != S3:
            return None  # S3 Control (s3's signing name, its own API): not checked
        if info.protocol == S3:
            s3_error = s3_refusal(operation_model, params)
            if s3_error is None:
                return None
            error = error_response(info, 400, s3_error.code, s3_error.message, details=s3_error.details)
            return Response(error.body, status=error.status, headers=error.headers)
        found = problems(params, operation_model.input_shape)
        if not found:
            return None
        validation = AwsError(error_code(svc.name), validation_message(found), status=400)
        return self._render(svc, operation_model, protocol, info, str(uuid.uuid4()), validation)

    def call_of(self, environ: dict[str, Any], info: AwsRequestInfo) -> tuple[str, str, dict[str, Any]] | None:
        """(service, operation, parsed input) of an API call of a service in strict.py's list or served by an
        extension; None for any other request. The input is {} when the parser cannot read it; the body is left
        readable for moto."""
        if not info.is_api_call:
            return None
        self._load_strict_services()
        try:
            for svc, operation, uri_params in self._calls(environ, info):
                try:
                    params = self._input(svc, svc.model.operation_model(operation), environ, info, uri_params)[3]
                except Exception:  # an unreadable input names no resource; the operation is still known
                    params = {}
                return svc.name, operation, params
            return None
        finally:
            environ["wsgi.input"] = io.BytesIO(read_body(environ))

    def _calls(self, environ: dict[str, Any], info: AwsRequestInfo) -> Iterator[tuple[_Service, str, dict[str, Any]]]:
        """(service, operation, URI parameters) for each candidate service whose model has the request's operation."""
        for svc in self._candidates(info):
            operation, uri_params = self._operation(svc, environ, info)
            if operation and operation in svc.model.operation_names:
                yield svc, operation, uri_params

    def _input(
        self, svc: _Service, operation_model: Any, environ: dict[str, Any], info: AwsRequestInfo, uri_params: dict
    ) -> tuple[Any, bytes, str, dict[str, Any]]:
        """(moto request, body, wire protocol, parsed input) of a call; the parser raises on an input it cannot
        read."""
        from moto.core.request import Request

        body = read_body(environ)
        request = Request(environ)
        protocol = self._wire_protocol(svc, info, request)
        return request, body, protocol, self._parse(protocol, operation_model, request, body, uri_params)

    # -- dispatch ---------------------------------------------------------------------------------
    def dispatch(self, environ: dict[str, Any], info: AwsRequestInfo) -> Response | None:
        """Serve the request if an extension claims it; None sends it on to moto."""
        if not self._services or not info.is_api_call:
            return None
        matched = self._match(environ, info)
        if matched is None:
            return None
        svc, operation, uri_params = matched
        from moto.core.exceptions import _RESTError
        from moto.core.request import Request
        from moto.moto_api import recorder
        from moto.utilities.utils import get_partition

        body = read_body(environ)
        request = Request(environ)
        recorder._record_request(request, body)  # as moto's convert_to_flask_response does

        request_id = str(uuid.uuid4())
        region = info.region or "us-east-1"
        operation_model = svc.model.operation_model(operation)
        protocol = self._wire_protocol(svc, info, request)
        try:
            params = self._parse(protocol, operation_model, request, body, uri_params)
            ext_request = ExtensionRequest(
                service=svc.name,
                action=operation,
                params=params,
                account_id=resolve_account_id(environ, info.access_key),
                region=region,
                partition=get_partition(region),
                protocol=protocol,
                request_id=request_id,
                method=info.method,
                path=info.path,
                headers=dict(request.headers),
                body=body,
                _state=self.state,
            )
            with self._lock:
                result: Any = svc.handlers[operation](ext_request)
        except ServiceException as exc:
            result = exc
        except _RESTError as exc:  # moto's own AWS-shaped error, from a moto backend the handler called
            result = AwsError(exc.relative_error_type, exc.message, status=exc.code)
        except Exception as exc:  # a bug in an extension: answer as AWS would, and log it
            log.exception("extension %s:%s failed", svc.name, operation)
            result = AwsError("InternalFailure", f"localcloud extension error: {exc}", status=500)
        response = self._render(svc, operation_model, protocol, info, request_id, result)
        if os.environ.get(CHECK_ANSWERS_ENV) and not isinstance(result, ServiceException):
            problems = answer_problems(operation_model.output_shape, result)
            if problems:
                response.headers[ANSWER_PROBLEMS_HEADER] = json.dumps(problems[:ANSWER_PROBLEMS_SHOWN])
        return response

    @staticmethod
    def _wire_protocol(svc: _Service, info: AwsRequestInfo, request: Any) -> str:
        if info.protocol == CBOR:
            return CBOR
        from moto.core.request import determine_request_protocol

        return determine_request_protocol(svc.model, request.content_type)

    @staticmethod
    def _parse(protocol: str, operation_model: Any, request: Any, body: bytes, uri_params: dict) -> dict[str, Any]:
        if protocol == CBOR:
            decoded = cbor.decode(body)
            return dict(decoded) if isinstance(decoded, dict) else {}
        from moto.core.parse import PROTOCOL_PARSERS

        parser = PROTOCOL_PARSERS[protocol](operation_model)
        parsed = parser.parse(
            {
                "method": request.method,
                "values": request.values,
                "headers": request.headers,
                "body": body,
                "url_path": request.path,
                "url_params": uri_params,
            }
        )
        return dict(parsed or {})

    @staticmethod
    def _render(
        svc: _Service, operation_model: Any, protocol: str, info: AwsRequestInfo, request_id: str, result: Any
    ) -> Response:
        from moto.core.serialize import SerializationContext, XFormedAttributePicker, get_serializer_class

        serializer_cls = _CborSerializer if protocol == CBOR else get_serializer_class(svc.model.service_name, protocol)
        serializer = serializer_cls(
            operation_model=operation_model,
            context=SerializationContext(request_id),
            value_picker=XFormedAttributePicker(),
        )
        serialized = serializer.serialize({} if result is None else result)
        status = serialized["status_code"]
        if isinstance(result, AwsError) and result.status is not None:
            status = result.status
        headers = dict(serialized["headers"])
        if protocol == JSON and info.content_type.startswith("application/x-amz-json"):
            headers["Content-Type"] = info.content_type  # moto keys this off the model's first protocol
        headers.setdefault("x-amzn-RequestId", request_id)
        return Response(serialized["body"], status=int(status), headers=headers)


class _CborSerializer(JSONSerializer):
    """moto's JSON serializer walking the model, with CBOR on the wire (Smithy RPC v2)."""

    CONTENT_TYPE = "application/cbor"

    def _serialize_body(self, body: Any) -> bytes:  # type: ignore[override]
        return cbor.encode(body)

    def _get_protocol_specific_content_type(self) -> str:
        return "application/cbor"

    def _serialize_type_timestamp(self, serialized: Any, value: Any, shape: Any, key: str) -> None:
        if isinstance(value, str | int | float):
            from botocore.utils import parse_timestamp

            value = parse_timestamp(value)
        self._default_serialize(serialized, value, shape, key)  # a datetime: CBOR tag 1

    def _serialize_type_blob(self, serialized: Any, value: Any, shape: Any, key: str) -> None:
        self._default_serialize(serialized, value.encode() if isinstance(value, str) else value, shape, key)

    def serialize(self, result: Any) -> Any:
        resp = super().serialize(result)
        resp["headers"]["Content-Type"] = "application/cbor"
        resp["headers"]["smithy-protocol"] = "rpc-v2-cbor"
        resp["headers"].pop("X-Amzn-Errortype", None)
        return resp


registry = Registry()
action = registry.action
