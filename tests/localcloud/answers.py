"""Every answer of a local-cloud extension checked against its operation's output shape in botocore's model.

Issue 20: an extension answers what moto lacks, so nothing else holds its answers to AWS's model. A client that the
``cloud`` fixture hands out carries two botocore event hooks, which take in three things:

* ``before-parse``: for the JSON protocols (json, rest-json, smithy-rpc-v2-cbor) the raw body, before botocore's
  parser drops the members it does not know, so a member the shape does not have is caught;
* ``after-call``: the parsed answer of every protocol (query and rest-xml included), for the required members at
  every depth, types and enums;
* and what the server itself found in the handler's answer before moto's serializer rendered it (the
  ``x-localcloud-answer-problems`` header, with ``LOCALCLOUD_CHECK_ANSWERS`` set; see the registry's
  ``answer_problems``): that serializer walks the shape, so it drops a member the shape lacks and turns a wrong
  value into a string, and no client could see either.

The client's checks use :func:`shape_problems` (the collection's request validator) and keep what it finds of four
kinds: a required member missing, a wrong type, a value outside the enum, a member the shape does not have. Lengths,
ranges and patterns are left out: in the model they constrain what a caller sends, and what AWS itself writes
breaks them (the X-Ray default sampling rule has priority 10000, where a caller's Priority is 1 to 9999). Error
answers are not output shapes and are not checked. The problems are collected per test; the fixture fails the test
at teardown when there are any.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import api_path, shape_problems

from tools.localcloud import cbor
from tools.localcloud.extensions import load_extensions
from tools.localcloud.extensions.registry import ANSWER_PROBLEMS_HEADER

# What shape_problems says of the four kinds of problem an answer is checked for (see the docstring).
CHECKED = ("is required by AWS", "has the wrong type", "is not a value AWS accepts", "is not known to AWS here")
# Where a rest-json output member lives when it is not in the body.
_NOT_IN_BODY = ("header", "headers", "statusCode")


def extension_operations() -> frozenset[tuple[str, str]]:
    """(botocore service name, operation) of every action an extension serves."""
    return frozenset(tuple(name.split(":", 1)) for name in load_extensions().actions())


def _protocol(operation_model: Any) -> str:
    """The protocol the client speaks (the first of the model's protocols botocore supports)."""
    return operation_model.service_model.resolved_protocol


def _body(protocol: str, raw: bytes) -> Any:
    if not raw:
        return {}
    if protocol == "smithy-rpc-v2-cbor":
        return cbor.decode(raw)
    return json.loads(raw)


def body_problems(operation_model: Any, raw: bytes) -> list[str]:
    """The problems of a raw JSON or CBOR answer against the body members of the operation's output shape."""
    shape = operation_model.output_shape
    if shape is None:
        return [] if raw in (b"", b"{}") else ["an answer body where the operation has no output"]
    body = _body(_protocol(operation_model), raw)
    payload = shape.serialization.get("payload")
    if payload:  # rest-json: the body is that one member
        return _told(shape_problems(body, shape.members[payload], (payload,)))
    located = {name for name, member in shape.members.items() if member.serialization.get("location") in _NOT_IN_BODY}
    return _told(p for p in shape_problems(body, shape) if not (p.path and p.path[0] in located))


def parsed_problems(operation_model: Any, parsed: dict[str, Any]) -> list[str]:
    """The problems of a parsed answer (what boto3 returns, without ResponseMetadata) against the output shape."""
    shape = operation_model.output_shape
    answer = {key: value for key, value in parsed.items() if key != "ResponseMetadata"}
    if shape is None:
        return ["an answer where the operation has no output"] if answer else []
    return _told(shape_problems(answer, shape))


def _told(problems: Any) -> list[str]:
    return [f"{api_path(p.path) or '(answer)'} {p.wrong}: {p.fix}" for p in problems if p.wrong in CHECKED]


@dataclass
class AnswerCheck:
    """Checks the answers of extension operations on the clients it is attached to; ``problems`` lists what was
    wrong, one line per problem, each naming the operation."""

    operations: frozenset[tuple[str, str]]
    problems: list[str] = field(default_factory=list)
    checked: set[tuple[str, str]] = field(default_factory=set)

    def attach(self, client: Any) -> Any:
        events = client.meta.events
        events.register("before-parse", self._before_parse)
        events.register("after-call", self._after_call)
        return client

    def _claims(self, operation_model: Any) -> bool:
        key = (operation_model.service_model.service_name, operation_model.name)
        return key in self.operations

    def _note(self, operation_model: Any, problems: list[str]) -> None:
        self.checked.add((operation_model.service_model.service_name, operation_model.name))
        where = f"{operation_model.service_model.service_name}:{operation_model.name}"
        for problem in problems:
            line = f"{where} {problem}"
            if line not in self.problems:
                self.problems.append(line)

    def _before_parse(self, operation_model: Any, response_dict: dict[str, Any], **_kwargs: Any) -> None:
        told = response_dict["headers"].get(ANSWER_PROBLEMS_HEADER)
        if told:  # what the server found in the extension's answer before serializing it
            self._note(operation_model, [f"{line} (in the extension's answer)" for line in json.loads(told)])
        protocol = _protocol(operation_model)
        if protocol not in ("json", "rest-json", "smithy-rpc-v2-cbor") or not self._claims(operation_model):
            return
        if response_dict["status_code"] >= 300:
            return
        try:
            found = body_problems(operation_model, response_dict["body"])
        except ValueError as exc:  # not JSON or CBOR at all
            found = [f"(answer) is not {protocol}: {exc}"]
        self._note(operation_model, found)

    def _after_call(self, model: Any, http_response: Any, parsed: dict[str, Any], **_kwargs: Any) -> None:
        if http_response.status_code >= 300 or not self._claims(model):
            return
        self._note(model, parsed_problems(model, parsed))

    def reset(self) -> None:
        self.problems.clear()
