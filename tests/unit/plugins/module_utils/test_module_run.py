"""plugins/module_utils/module_run.py: the ending every module's main() shares."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import (
    exit_with_diff,
    fail_on_input_errors,
    run_module,
)


class Exited(Exception):
    pass


class FakeModule:
    """Records how the task ends; like AnsibleModule, every way out stops the module."""

    def __init__(self, diff=False):
        self._diff = diff
        self.ended = None

    def fail_json(self, **kwargs):
        self.ended = ("fail_json", kwargs)
        raise Exited

    def fail_json_aws_error(self, error):
        self.ended = ("fail_json_aws_error", error)
        raise Exited

    def exit_json(self, **kwargs):
        self.ended = ("exit_json", kwargs)
        raise Exited


class ServiceError(Exception):
    pass


def end(call, *args, **kwargs):
    with pytest.raises(Exited):
        call(*args, **kwargs)
    return args[0].ended


def test_input_errors_fail_with_every_message_before_any_call():
    calls = []
    module = FakeModule()
    errors = ["name: give one.", "tags: too many."]
    ended = end(run_module, module, errors, lambda: calls.append("process"), ServiceError)
    assert ended == ("fail_json", {"msg": "name: give one. tags: too many.", "errors": errors})
    assert calls == []


def test_no_input_errors_is_not_an_exit():
    fail_on_input_errors(FakeModule(), [])


def test_result_of_process_is_the_exit():
    ended = end(run_module, FakeModule(), [], lambda: {"changed": True, "arn": "a"}, ServiceError)
    assert ended == ("exit_json", {"changed": True, "arn": "a"})


def test_service_error_fails_with_the_aws_error():
    error = ServiceError("AccessDenied")

    def process():
        raise error

    assert end(run_module, FakeModule(), [], process, (KeyError, ServiceError)) == ("fail_json_aws_error", error)


def test_other_errors_are_not_caught():
    def process():
        raise ValueError("bug")

    with pytest.raises(ValueError):
        run_module(FakeModule(), [], process, ServiceError)


def test_diff_only_in_diff_mode():
    assert end(exit_with_diff, FakeModule(), {"changed": False}, {"a": 1}, {"a": 1}) == (
        "exit_json",
        {"changed": False},
    )
    ended = end(exit_with_diff, FakeModule(diff=True), {"changed": True}, None, {"a": 1, "secret": "s"}, ("secret",))
    assert ended[1]["changed"] is True
    assert ended[1]["diff"]["before"] == {}
    assert ended[1]["diff"]["after"]["a"] == 1
    assert ended[1]["diff"]["after"]["secret"] != "s"
