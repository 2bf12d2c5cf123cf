"""Unit tests of modules against botocore Stubbers (every request is validated against the service model): clients
with test credentials, a module's client factories replaced by them, and ``main()`` run with real argument parsing.
``tests/unit/plugins/conftest.py`` offers :class:`AwsStub` as the ``aws_stub`` fixture."""

from __future__ import annotations

import json
from contextlib import ExitStack

import botocore.session
import pytest
from ansible.module_utils.testing import patch_module_args
from botocore.stub import Stubber


def stubbed_client(service, region="us-east-1", stubber_class=Stubber):
    """A client of ``service`` and a stubber on it, not yet active."""
    client = botocore.session.get_session().create_client(
        service, region_name=region, aws_access_key_id="test", aws_secret_access_key="test"
    )
    return client, stubber_class(client)


def no_client(*_args, **_kwargs):
    raise AssertionError("the module made an AWS client although the input is invalid")


class AwsStub:
    """Runs a module's ``main()`` against stubbed clients: a call nothing was stubbed for fails the module, and a
    stubbed response left unused fails the test."""

    def __init__(self, monkeypatch, capsys):
        self._monkeypatch = monkeypatch
        self._capsys = capsys

    def factories(self, target, aws=True, **clients):
        """Each client factory ``name=client`` of ``target`` (a module or a module_utils) returns that client; with
        ``aws=False`` calling any of them fails the test (input that must be refused before any AWS call)."""
        for name, client in clients.items():
            self._monkeypatch.setattr(target, name, (lambda *_args, _client=client: _client) if aws else no_client)

    def module_clients(self, module, clients):
        """``AnsibleAWSModule.client`` of ``module`` returns ``clients[service]``, or ``clients`` when it is one."""
        pick = clients.__getitem__ if isinstance(clients, dict) else (lambda _service: clients)
        self._monkeypatch.setattr(module.AnsibleAWSModule, "client", lambda _self, service, *_a, **_kw: pick(service))

    def run(self, module, args, *stubbers, check_mode=False, diff=False):
        """The result of ``module.main()`` with ``args`` while ``stubbers`` are active."""
        with ExitStack() as active:
            for stubber in stubbers:
                active.enter_context(stubber)
            active.enter_context(patch_module_args(dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)))
            active.enter_context(pytest.raises(SystemExit))
            module.main()
        for stubber in stubbers:
            stubber.assert_no_pending_responses()
        return json.loads(self._capsys.readouterr().out)
