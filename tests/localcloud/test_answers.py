"""The check of extension answers (answers.py) fails on wrong answers: a small real HTTP server gives deliberately
wrong ones, in JSON (inspector2 in rest-json, shield in json) and XML (iam, query), to clients with the same hooks
the ``cloud`` fixture attaches; and a test-only extension gives a wrong answer through the real registry and moto's
serializer, which drops what the shape lacks, so only the server's own check (registry.answer_problems) sees it. The
expected problems come from botocore's model of each operation, not from the checker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import botocore.session
import pytest

from tools.localcloud import cbor
from tools.localcloud.app import LocalCloudApp
from tools.localcloud.extensions import ExtensionRequest, Registry
from tools.localcloud.extensions.registry import CHECK_ANSWERS_ENV
from tools.localcloud.faults import FaultInjector

from .answers import AnswerCheck, body_problems, extension_operations
from .conftest import CREDENTIALS, NO_RETRIES, free_port, serving

# Inspector2's State needs status, errorCode and errorMessage; "KUBERNETES" is no Status; "note" is no member.
WRONG_INSPECTOR = {
    "accounts": [{"accountId": "123456789012", "state": {"status": "KUBERNETES"}, "note": "x"}],
    "failedAccounts": [],
}
# Shield's Subscription: TimeCommitmentInSeconds is a long, not a string; "Extra" is no member.
WRONG_SHIELD = {"Subscription": {"TimeCommitmentInSeconds": "one year", "SubscriptionLimits": None}, "Extra": 1}
# IAM's GetAccountPasswordPolicy: the PasswordPolicy is required; an answer without it.
WRONG_IAM = (
    b'<GetAccountPasswordPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
    b"<GetAccountPasswordPolicyResult></GetAccountPasswordPolicyResult>"
    b"<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetAccountPasswordPolicyResponse>"
)


class _Wrong(BaseHTTPRequestHandler):
    """Answers 200 with the wrong answer of whichever service called."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/status/batch/get"):
            body, kind = json.dumps(WRONG_INSPECTOR).encode(), "application/json"
        elif self.headers.get("X-Amz-Target", "").startswith("AWSShield"):
            body, kind = json.dumps(WRONG_SHIELD).encode(), "application/x-amz-json-1.1"
        else:
            body, kind = WRONG_IAM, "text/xml"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def wrong_endpoint() -> Iterator[str]:
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), _Wrong)) as url:
        yield url


def _checked_client(check: AnswerCheck, endpoint: str, service: str) -> Any:
    return check.attach(boto3.client(service, endpoint_url=endpoint, config=NO_RETRIES, **CREDENTIALS))


def _problem_paths(check: AnswerCheck) -> set[str]:
    return {line.split(" ", 2)[1] for line in check.problems}


def test_the_extension_operations_are_the_registrys():
    operations = extension_operations()
    assert ("inspector2", "BatchGetAccountStatus") in operations
    assert ("iam", "GetAccountPasswordPolicy") not in operations  # moto's own action


def test_a_wrong_json_answer_is_caught_before_the_parser_drops_members(wrong_endpoint: str):
    check = AnswerCheck(frozenset({("inspector2", "BatchGetAccountStatus")}))
    model = boto3.client("inspector2", **CREDENTIALS).meta.service_model
    _checked_client(check, wrong_endpoint, "inspector2").batch_get_account_status()
    given = WRONG_INSPECTOR["accounts"][0]
    missing = {f"accounts[0].{name}" for name in model.shape_for("AccountState").required_members if name not in given}
    missing |= {f"accounts[0].state.{name}" for name in model.shape_for("State").required_members if name != "status"}
    assert missing  # the model requires members the wrong answer leaves out
    assert _problem_paths(check) == {*missing, "accounts[0].state.status", "accounts[0].note"}
    assert all(line.startswith("inspector2:BatchGetAccountStatus ") for line in check.problems)


def test_a_wrong_answer_is_caught_in_the_protocol_the_client_speaks(wrong_endpoint: str):
    check = AnswerCheck(frozenset({("shield", "DescribeSubscription")}))
    client = _checked_client(check, wrong_endpoint, "shield")
    model = client.meta.service_model.operation_model("DescribeSubscription")
    assert model.output_shape.members["Subscription"].members["TimeCommitmentInSeconds"].type_name == "long"
    client.describe_subscription()
    assert {"Subscription.TimeCommitmentInSeconds", "Extra"} <= _problem_paths(check)


def test_a_wrong_cbor_body_is_caught():
    """botocore speaks JSON to Shield today (the first protocol of its model it supports); a client that picks
    Smithy RPC v2 CBOR gets the same check."""
    service = botocore.session.get_session().get_service_model("shield")
    service.resolved_protocol = "smithy-rpc-v2-cbor"
    found = body_problems(service.operation_model("DescribeSubscription"), cbor.encode(WRONG_SHIELD))
    assert {line.split(" ", 1)[0] for line in found} >= {"Subscription.TimeCommitmentInSeconds", "Extra"}


def test_a_wrong_xml_answer_is_caught_after_parsing(wrong_endpoint: str):
    check = AnswerCheck(frozenset({("iam", "GetAccountPasswordPolicy")}))
    client = _checked_client(check, wrong_endpoint, "iam")
    assert (
        "PasswordPolicy"
        in client.meta.service_model.operation_model("GetAccountPasswordPolicy").output_shape.required_members
    )
    client.get_account_password_policy()
    assert _problem_paths(check) == {"PasswordPolicy"}


def test_answers_of_operations_no_extension_serves_are_not_checked(wrong_endpoint: str):
    check = AnswerCheck(frozenset())
    _checked_client(check, wrong_endpoint, "inspector2").batch_get_account_status()
    assert check.problems == [] and check.checked == set()


wrong_registry = Registry()


@wrong_registry.action("inspector2", "BatchGetAccountStatus")
def wrong_status(req: ExtensionRequest) -> dict[str, Any]:
    state = {"status": "ENABLED", "errorCode": "ALREADY_ENABLED", "errorMessage": "enabled"}
    resources = {"ec2": state, "ecr": state}
    account = {"accountId": int(req.account_id), "state": state, "resourceState": resources, "enabledAt": "today"}
    return {"accounts": [account], "failedAccounts": []}


@pytest.fixture
def wrong_extension(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    monkeypatch.setenv(CHECK_ANSWERS_ENV, "1")
    app = LocalCloudApp(DomainDispatcherApplication(create_backend_app), FaultInjector(), wrong_registry)
    server = make_server("127.0.0.1", free_port(), app, threaded=True, request_handler=MotoRequestHandler)
    with serving(server) as url:
        yield url


def test_what_the_serializer_drops_is_caught_in_the_extensions_own_answer(wrong_extension: str):
    check = AnswerCheck(frozenset({("inspector2", "BatchGetAccountStatus")}))
    client = _checked_client(check, wrong_extension, "inspector2")
    shape = client.meta.service_model.shape_for("AccountState")
    assert "enabledAt" not in shape.members  # so the serializer leaves it out of the body
    assert shape.members["accountId"].type_name == "string"  # so the serializer turns the number into a string
    answer = client.batch_get_account_status()
    assert "enabledAt" not in answer["accounts"][0] and isinstance(answer["accounts"][0]["accountId"], str)
    assert _problem_paths(check) == {"accounts[0].enabledAt", "accounts[0].accountId"}
    assert all(line.endswith("(in the extension's answer)") for line in check.problems)
