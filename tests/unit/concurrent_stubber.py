"""A botocore Stubber for code that makes some reads at the same time (module_utils/concurrent_reads.py).

Responses added inside ``with stubber.any_order():`` form a group: the calls of the group may come in any order,
each one answered by the group's first response for the same operation whose expected parameters match. Every
response still has to be used once, with the parameters it expects; responses outside a group keep the plain
Stubber's strict order.
"""

from __future__ import annotations

import itertools
import threading
from contextlib import contextmanager

from botocore.stub import StubAssertionError, Stubber, UnStubbedResponseError

_ENTRY = "concurrent_stubber_entry"


class ConcurrentStubber(Stubber):
    def __init__(self, client):
        super().__init__(client)
        self._lock = threading.Lock()
        self._groups = itertools.count(1)
        self._group = None

    @contextmanager
    def any_order(self):
        self._group = next(self._groups)
        try:
            yield self
        finally:
            self._group = None

    def _add_response(self, method, service_response, expected_params):
        super()._add_response(method, service_response, expected_params)
        self._queue[-1]["group"] = self._group

    def add_client_error(self, *args, **kwargs):
        super().add_client_error(*args, **kwargs)
        self._queue[-1]["group"] = self._group

    def _candidates(self):
        """The entries that may answer the next call: the head, or the whole group the head belongs to."""
        if not self._queue:
            return []
        group = self._queue[0].get("group")
        if group is None:
            return [self._queue[0]]
        return list(itertools.takewhile(lambda entry: entry.get("group") == group, self._queue))

    def _assert_expected_params(self, model, params, context, **kwargs):
        if self._should_not_stub(context):
            return
        with self._lock:
            candidates = self._candidates()
            if not candidates:
                raise UnStubbedResponseError(operation_name=model.name, reason="Unexpected API call: none left.")
            same_operation = [entry for entry in candidates if entry["operation_name"] == model.name]
            matching = [entry for entry in same_operation if _params_match(entry["expected_params"], params)]
            if not matching:
                expected = [(e["operation_name"], e["expected_params"]) for e in candidates]
                raise StubAssertionError(
                    operation_name=model.name, reason=f"no queued response for {params!r}; expected one of {expected!r}"
                )
            self._queue.remove(matching[0])
            context[_ENTRY] = matching[0]

    def _get_response_handler(self, model, params, context, **kwargs):
        return context.pop(_ENTRY)["response"]


def _params_match(expected, params):
    return expected is None or (
        sorted(expected) == sorted(params) and all(expected[key] == params[key] for key in expected)
    )
