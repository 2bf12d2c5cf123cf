"""module_utils/concurrent_reads.py, and the test Stubber that accepts its calls in any order."""

from __future__ import annotations

import threading

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils.concurrent_reads import read_concurrently
from botocore.stub import StubAssertionError, UnStubbedResponseError

from tests.unit.aws_stub import stubbed_client
from tests.unit.concurrent_stubber import ConcurrentStubber


def test_the_calls_run_at_the_same_time():
    # Each call waits for the other: made one after the other, the barrier breaks after its timeout.
    barrier = threading.Barrier(2, timeout=5)

    def meet(value):
        barrier.wait()
        return value

    assert read_concurrently(first=lambda: meet(1), second=lambda: meet(2)) == {"first": 1, "second": 2}


def test_a_single_call_runs_in_the_caller_thread():
    assert read_concurrently(only=threading.get_ident) == {"only": threading.get_ident()}


def test_an_error_of_one_call_is_raised_after_all_have_ended():
    ended = threading.Event()

    def slow():
        ended.wait(0.2)
        ended.set()
        return "slow"

    def broken():
        raise KeyError("gone")

    with pytest.raises(KeyError, match="gone"):
        read_concurrently(slow=slow, broken=broken)
    assert ended.is_set()


def _client():
    return stubbed_client("wafv2", stubber_class=ConcurrentStubber)


ARN = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/a/1"
STAGE = "arn:aws:apigateway:us-east-1::/restapis/abc/stages/dev"
ALB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/edge/1"


def _group(stubber):
    with stubber.any_order():
        stubber.add_response("get_logging_configuration", {}, {"ResourceArn": ARN})
        stubber.add_response(
            "list_resources_for_web_acl", {"ResourceArns": [STAGE]}, {"WebACLArn": ARN, "ResourceType": "API_GATEWAY"}
        )
        stubber.add_response(
            "list_resources_for_web_acl",
            {"ResourceArns": [ALB]},
            {"WebACLArn": ARN, "ResourceType": "APPLICATION_LOAD_BALANCER"},
        )


def test_stubber_answers_a_group_in_any_order_by_operation_and_parameters():
    client, stubber = _client()
    _group(stubber)
    with stubber:
        alb = client.list_resources_for_web_acl(WebACLArn=ARN, ResourceType="APPLICATION_LOAD_BALANCER")
        client.get_logging_configuration(ResourceArn=ARN)
        stage = client.list_resources_for_web_acl(WebACLArn=ARN, ResourceType="API_GATEWAY")
        stubber.assert_no_pending_responses()
    assert (alb["ResourceArns"], stage["ResourceArns"]) == ([ALB], [STAGE])


def test_stubber_refuses_a_call_with_other_parameters():
    client, stubber = _client()
    _group(stubber)
    with stubber, pytest.raises(StubAssertionError, match="CLOUDFRONT"):
        client.list_resources_for_web_acl(WebACLArn=ARN, ResourceType="CLOUDFRONT")


def test_stubber_keeps_strict_order_outside_groups():
    client, stubber = _client()
    stubber.add_response("list_web_acls", {"WebACLs": []}, {"Scope": "REGIONAL"})
    _group(stubber)
    with stubber, pytest.raises(StubAssertionError, match="Scope"):
        client.get_logging_configuration(ResourceArn=ARN)


def test_stubber_refuses_a_call_nothing_was_queued_for():
    client, stubber = _client()
    with stubber, pytest.raises(UnStubbedResponseError):
        client.get_logging_configuration(ResourceArn=ARN)


def test_a_missing_call_leaves_a_pending_response():
    client, stubber = _client()
    _group(stubber)
    with stubber:
        client.get_logging_configuration(ResourceArn=ARN)
        with pytest.raises(AssertionError, match="2 responses remaining"):
            stubber.assert_no_pending_responses()
