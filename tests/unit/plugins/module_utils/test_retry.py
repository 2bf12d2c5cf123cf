"""plugins/module_utils/retry.py: which error codes the shared jittered backoff retries, and that the wrappers use it.

``time.sleep`` is replaced by a recorder, so nothing waits and the number of backoffs is visible.
"""

from __future__ import annotations

import pytest
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.securecloud.monitor.plugins.module_utils import retry, s3_bucket, sns
from botocore.exceptions import ClientError

from tests.unit.aws_stub import stubbed_client

KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.fixture
def sleeps(monkeypatch):
    """The seconds each backoff would have slept (amazon.aws cloud.py calls ``time.sleep``)."""
    recorded = []
    monkeypatch.setattr("time.sleep", recorded.append)
    return recorded


def client_error(code, status=400):
    return ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "AnyOperation"
    )


class Flaky:
    """A call that fails with ``errors`` in turn, then answers "ok"; ``calls`` counts the attempts."""

    def __init__(self, *errors):
        self.errors = list(errors)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def wrapped(call, **kwargs):
    return retry.jittered_backoff(**kwargs)(call)


@pytest.mark.parametrize(
    ("code", "status"),
    [("ThrottlingException", 400), ("ThrottledException", 429), ("SlowDown", 503)],
)
def test_throttling_codes_amazon_aws_misses_are_retried(sleeps, code, status):
    call = Flaky(client_error(code, status), client_error(code, status))

    assert wrapped(call)() == "ok"
    assert call.calls == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("code", ["Throttling", "RequestLimitExceeded", "TooManyRequestsException"])
def test_amazon_aws_throttling_codes_are_still_retried(sleeps, code):
    call = Flaky(client_error(code), client_error(code))

    assert wrapped(call)() == "ok"
    assert call.calls == 3


# OperationAborted is retried only where a caller asks for it (s3_bucket.py does).
@pytest.mark.parametrize(("code", "status"), [("AccessDenied", 403), ("OperationAborted", 409)])
def test_other_errors_are_raised_at_once(sleeps, code, status):
    call = Flaky(client_error(code, status))

    with pytest.raises(ClientError, match=code):
        wrapped(call)()
    assert call.calls == 1
    assert sleeps == []


def test_caller_extra_codes_are_retried_with_the_throttling_codes(sleeps):
    call = Flaky(client_error("OperationAborted", 409), client_error("ThrottlingException"))

    assert wrapped(call, catch_extra_error_codes=["OperationAborted"])() == "ok"
    assert call.calls == 3


def test_the_callers_extra_codes_list_is_left_as_it_was(sleeps):
    extra = ["OperationAborted"]
    wrapped(Flaky(), catch_extra_error_codes=extra)
    assert extra == ["OperationAborted"]


def test_other_arguments_reach_aws_retry(sleeps):
    call = Flaky(*[client_error("ThrottlingException")] * 5)

    with pytest.raises(ClientError, match="ThrottlingException"):
        wrapped(call, retries=3, delay=1, max_delay=1)()
    assert call.calls == 3
    assert all(0 <= seconds <= 1 for seconds in sleeps)


def test_a_retry_class_maps_codes_and_keeps_the_throttling_codes(sleeps):
    class Renaming(AWSRetry):
        @staticmethod
        def status_code_from_exception(error):
            code = AWSRetry.status_code_from_exception(error)
            return "NotReadyYet" if code == "InvalidInputException" else code

    call = Flaky(client_error("InvalidInputException"), client_error("ThrottlingException"))

    assert wrapped(call, catch_extra_error_codes=["NotReadyYet"], retry_class=Renaming)() == "ok"
    assert call.calls == 3


def test_only_codes_amazon_aws_does_not_retry_are_added():
    assert [code for code in retry.THROTTLING_CODES if AWSRetry.found(code)] == []


# The wrappers of module_utils use the shared decorator: a KMS (JSON protocol) and an S3 call survive throttling.


def stubbed(service):
    return stubbed_client(service, "eu-west-1")


def test_kms_throttling_exception_is_retried_by_the_sns_wrapper(sleeps):
    client, stubber = stubbed("kms")
    stubber.add_client_error("describe_key", "ThrottlingException", "Rate exceeded", 400, {"KeyId": KEY_ID})
    stubber.add_response("describe_key", {"KeyMetadata": {"KeyId": KEY_ID}}, {"KeyId": KEY_ID})

    with stubber:
        assert sns.describe_key(client, KEY_ID) == {"KeyId": KEY_ID}
    stubber.assert_no_pending_responses()
    assert len(sleeps) == 1


def test_s3_slow_down_is_retried_by_the_bucket_wrapper(sleeps):
    client, stubber = stubbed("s3")
    stubber.add_client_error("get_bucket_location", "SlowDown", "Please reduce your request rate.", 503)
    stubber.add_response("get_bucket_location", {"LocationConstraint": "eu-west-1"}, {"Bucket": "logs"})

    with stubber:
        assert s3_bucket.get_bucket_region(client, "logs") == "eu-west-1"
    stubber.assert_no_pending_responses()
    assert len(sleeps) == 1
