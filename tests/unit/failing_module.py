"""A stand-in for AnsibleAWSModule where a test needs to see how a task fails: every failure raises ``Failed`` with
the task's failure result."""

from __future__ import annotations

from types import SimpleNamespace


class Failed(Exception):
    """What fail_json raises in these tests: the task's failure result."""

    def __init__(self, result):
        super().__init__(result["msg"])
        self.result = result


class FailingModule(SimpleNamespace):
    def fail_json(self, **result):
        raise Failed(result)

    def fail_json_aws(self, exception, msg=None, **result):
        raise Failed(dict(result, msg=f"{msg}: {exception}"))
