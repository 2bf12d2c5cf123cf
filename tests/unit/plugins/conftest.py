"""Fixtures of the plugin unit tests: stubbed AWS clients (tests/unit/aws_stub.py)."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from tests.unit.aws_stub import AwsStub, stubbed_client


@pytest.fixture
def aws_stub(monkeypatch, capsys):
    """A module's client factories replaced by stubbed clients, and its ``main()`` run against them."""
    return AwsStub(monkeypatch, capsys)


@pytest.fixture
def active_stub():
    """``active_stub(service, region)``: a client and its stubber, active for the whole test; a stubbed response left
    unused at its end fails the test."""
    stubbers = []
    with ExitStack() as active:

        def start(service, region="us-east-1"):
            client, stubber = stubbed_client(service, region)
            stubbers.append(active.enter_context(stubber))
            return client, stubber

        yield start
        for stubber in stubbers:
            stubber.assert_no_pending_responses()
