"""Fault injection: each protocol's throttling error, as real botocore clients parse and classify it."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

import botocore.loaders
import botocore.model
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.retries.standard import (
    ExponentialBackoff,
    RetryContext,
    RetryEventAdapter,
    ThrottledRetryableChecker,
    ThrottlingErrorDetector,
)
from botocore.retryhandler import create_checker_from_retry_config
from botocore.translate import build_retry_config

from .conftest import NO_RETRIES, Cloud, put_metric_alarm

# (client, operation, kwargs, expected error code, expected HTTP status)
THROTTLED_CALLS = [
    ("ec2", "describe_vpcs", {}, "RequestLimitExceeded", 503),  # ec2 query
    ("elbv2", "describe_load_balancers", {}, "Throttling", 400),  # query
    ("sts", "get_caller_identity", {}, "Throttling", 400),  # query
    ("iam", "list_roles", {}, "Throttling", 400),  # query
    ("ecs", "list_clusters", {}, "ThrottlingException", 400),  # json 1.1
    ("logs", "describe_log_groups", {}, "ThrottlingException", 400),  # json 1.1
    ("cloudwatch", "describe_alarms", {}, "ThrottlingException", 400),  # json 1.0, query-compatible
    ("shield", "describe_subscription", {}, "ThrottlingException", 400),  # json 1.1
    ("s3", "list_buckets", {}, "SlowDown", 503),  # rest-xml, S3
    ("apigateway", "get_rest_apis", {}, "TooManyRequestsException", 429),  # rest-json
    ("xray", "get_sampling_rules", {}, "ThrottledException", 429),  # rest-json
    ("route53", "list_hosted_zones", {}, "Throttling", 400),  # rest-xml
]

MIXED_CALLS = [
    ("sts", "get_caller_identity", {}),
    ("ec2", "describe_vpcs", {}),
    ("elbv2", "describe_load_balancers", {}),
    ("ecs", "list_clusters", {}),
    ("logs", "describe_log_groups", {}),
    ("s3", "list_buckets", {}),
    ("apigateway", "get_rest_apis", {}),
]


def is_throttling(client: Any, operation: str, error: ClientError) -> bool:
    """botocore's own verdict (standard retry mode) on the error the client raised."""
    op_name = client.meta.method_to_api_mapping[operation]
    context = RetryContext(
        attempt_number=1,
        operation_model=client.meta.service_model.operation_model(op_name),
        parsed_response=error.response,
        http_response=SimpleNamespace(status_code=error.response["ResponseMetadata"]["HTTPStatusCode"]),
    )
    return ThrottlingErrorDetector(RetryEventAdapter()).is_throttling_error_from_context(context)


def legacy_would_retry(client: Any, operation: str, error: ClientError) -> bool:
    """botocore's legacy retry mode (``_retry.json`` policies) on the same error."""
    retry_data = botocore.loaders.create_loader().load_data("_retry")
    config = build_retry_config(
        client.meta.service_model.endpoint_prefix, retry_data["retry"], retry_data["definitions"]
    )
    checker = create_checker_from_retry_config(config, client.meta.method_to_api_mapping[operation])
    http_response = SimpleNamespace(status_code=error.response["ResponseMetadata"]["HTTPStatusCode"])
    return bool(checker(1, (http_response, error.response), None, retries_context={}))


@pytest.mark.parametrize(("service", "operation", "kwargs", "code", "status"), THROTTLED_CALLS)
def test_throttle_error_is_recognised_as_throttling(
    cloud: Cloud, service: str, operation: str, kwargs: dict, code: str, status: int
) -> None:
    cloud.faults(throttle_rate=1.0, seed=1)
    client = cloud.client(service, config=NO_RETRIES)
    with pytest.raises(ClientError) as err:
        getattr(client, operation)(**kwargs)
    response = err.value.response
    assert response["Error"]["Code"] == code
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert response["ResponseMetadata"].get("RetryAttempts", 0) == 0
    assert code in ThrottledRetryableChecker._THROTTLED_ERROR_CODES
    assert is_throttling(client, operation, err.value)
    assert legacy_would_retry(client, operation, err.value)
    counters = cloud.get("/_localcloud/faults")[1]["counters"]
    signing_name = client.meta.service_model.signing_name
    assert counters["injected"] == {signing_name: {code: 1}}


def test_head_request_gets_a_bodiless_retryable_503(cloud: Cloud) -> None:
    cloud.faults(throttle_rate=1.0)
    s3 = cloud.client("s3", config=NO_RETRIES)
    with pytest.raises(ClientError) as err:
        s3.head_bucket(Bucket="any")
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503  # transient in every retry mode


def test_smithy_rpc_v2_cbor_clients_get_a_cbor_throttle(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    """aws-sdk-go-v2 talks CBOR to some services (CloudWatch, Shield, CodeBuild...); botocore can be made to."""
    others = [p for p in botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS if p != "smithy-rpc-v2-cbor"]
    order = ("smithy-rpc-v2-cbor", *others)
    monkeypatch.setattr(botocore.model, "PRIORITY_ORDERED_SUPPORTED_PROTOCOLS", order)
    cloud.faults(throttle_rate=1.0)
    client = cloud.client("cloudwatch", config=NO_RETRIES)
    assert client.meta.service_model.resolved_protocol == "smithy-rpc-v2-cbor"
    with pytest.raises(ClientError) as err:
        client.describe_alarms()
    assert err.value.response["Error"]["Code"] == "ThrottlingException"
    assert err.value.response["ResponseMetadata"]["HTTPHeaders"]["smithy-protocol"] == "rpc-v2-cbor"
    assert is_throttling(client, "describe_alarms", err.value)


def test_standard_retries_ride_out_a_30_percent_throttle_rate(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard mode, max_attempts 10: every call succeeds, and botocore backed off each fault as throttling.

    botocore's backoff is rand * base_scale * 2**attempt, with base_scale 1 s for throttling errors: the
    scale is cut to 20 ms here so the test takes seconds; every retry decision is still botocore's own.
    A spy on the scale botocore picks shows each retry was handled as a throttling error.
    """
    scales: list[float] = []
    pick_scale = ExponentialBackoff._get_base_scale

    def spy(self: ExponentialBackoff, context: RetryContext) -> float:
        scale = pick_scale(self, context)
        scales.append(scale)
        return scale

    fast = {"throttling_base_scale": 0.02, "non_throttling_base_scale": 0.5}
    monkeypatch.setattr(ExponentialBackoff, "_DEFAULT_BACKOFF_CONFIG", fast)
    monkeypatch.setattr(ExponentialBackoff, "_get_base_scale", spy)

    config = Config(retries={"mode": "standard", "max_attempts": 10}, max_pool_connections=10)
    clients = {service: cloud.client(service, config=config) for service, _, _ in MIXED_CALLS}
    for service, operation, kwargs in MIXED_CALLS:  # warm moto's backends before faults start
        getattr(clients[service], operation)(**kwargs)
    cloud.faults(throttle_rate=0.3, seed=20240601, reset_counters=True)

    def call(spec: tuple[str, str, dict]) -> dict:
        service, operation, kwargs = spec
        return getattr(clients[service], operation)(**kwargs)

    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(call, [MIXED_CALLS[i % len(MIXED_CALLS)] for i in range(30)]))

    assert len(responses) == 30
    assert all(r["ResponseMetadata"]["HTTPStatusCode"] == 200 for r in responses)
    retries = sum(r["ResponseMetadata"]["RetryAttempts"] for r in responses)
    counters = cloud.get("/_localcloud/faults")[1]["counters"]
    assert counters["injected_total"] > 0
    assert counters["injected_total"] == retries  # every injected fault cost exactly one retry
    assert counters["api_requests"] == 30 + retries
    assert scales == [0.02] * retries  # each one backed off as a throttling error


def test_moto_api_and_control_endpoints_are_never_faulted(cloud: Cloud) -> None:
    cloud.faults(throttle_rate=1.0)
    for _ in range(10):
        assert cloud.get("/moto-api/data.json")[0] == 200
        assert cloud.post("/moto-api/recorder/reset-recording")[0] == 200
        assert cloud.get("/_localcloud/health")[0] == 200
    assert cloud.post("/moto-api/reset")[0] == 200
    counters = cloud.get("/_localcloud/faults")[1]["counters"]
    assert counters == {"api_requests": 0, "injected": {}, "injected_total": 0}


def test_faults_off_stops_injection(cloud: Cloud) -> None:
    cloud.faults(throttle_rate=1.0)
    ecs = cloud.client("ecs", config=NO_RETRIES)
    with pytest.raises(ClientError):
        ecs.list_clusters()
    doc = cloud.faults(off=True)
    assert doc["throttle_rate"] == 0.0 and doc["enabled"] is False
    for _ in range(20):
        assert ecs.list_clusters()["clusterArns"] == []
    assert cloud.get("/_localcloud/faults")[1]["counters"]["injected_total"] == 1


def test_same_seed_same_fault_sequence(cloud: Cloud) -> None:
    sts = cloud.client("sts", config=NO_RETRIES)

    def pattern() -> list[bool]:
        outcome = []
        for _ in range(20):
            try:
                sts.get_caller_identity()
                outcome.append(False)
            except ClientError:
                outcome.append(True)
        return outcome

    cloud.faults(throttle_rate=0.5, seed=42)
    first = pattern()
    cloud.faults(throttle_rate=0.5, seed=42)
    assert pattern() == first
    assert any(first) and not all(first)


@pytest.mark.parametrize(
    "body",
    [
        {"throttle_rate": 1.5},
        {"throttle_rate": "high"},
        {"seed": "x"},
        {"rate": 0.1},
        {"latency_ms": -1},
        {"latency_ms": 0.5},
        {"latency_ms": 10_001},
        {"latency_ms": True},
    ],
)
def test_bad_fault_config_is_rejected(cloud: Cloud, body: dict) -> None:
    status, doc = cloud.post("/_localcloud/faults", body)
    assert status == 400 and "error" in doc
    assert cloud.get("/_localcloud/faults")[1]["throttle_rate"] == 0.0
    assert cloud.get("/_localcloud/faults")[1]["latency_ms"] == 0


def test_bad_json_is_rejected(cloud: Cloud) -> None:
    status, doc = cloud.post("/_localcloud/faults", raw=b"{not json")
    assert status == 400 and "not JSON" in doc["error"]


def _timed(call: Any) -> float:
    started = time.monotonic()
    call()
    return time.monotonic() - started


def test_latency_delays_every_api_call_and_is_cleared_by_off(cloud: Cloud) -> None:
    sts = cloud.client("sts", config=NO_RETRIES)
    doc = cloud.faults(latency_ms=300)
    assert doc["latency_ms"] == 300 and doc["enabled"] is True
    assert min(_timed(sts.get_caller_identity) for _ in range(3)) >= 0.3
    assert cloud.faults(off=True)["latency_ms"] == 0


def test_concurrent_calls_wait_out_the_latency_together(cloud: Cloud) -> None:
    # Slept outside the lock that serialises emulated state: four calls at once cost about one latency, where
    # four in a row cost four (the bound leaves room for a loaded machine).
    sts = cloud.client("sts", config=NO_RETRIES)
    sts.get_caller_identity()
    cloud.faults(latency_ms=1000)
    with ThreadPoolExecutor(max_workers=4) as pool:
        seconds = _timed(lambda: list(pool.map(lambda _: sts.get_caller_identity(), range(4))))
    assert 1.0 <= seconds < 3.0


def test_latency_spares_the_control_and_moto_endpoints(cloud: Cloud) -> None:
    cloud.faults(latency_ms=2000)
    assert _timed(lambda: cloud.get("/_localcloud/health")) < 2.0
    assert _timed(lambda: cloud.post("/moto-api/recorder/reset-recording")) < 2.0


# -- deny faults ---------------------------------------------------------------------------------
# (client, operation, kwargs, expected error code, expected HTTP status): AWS's access-denied error of each protocol.
DENIED_CALLS = [
    ("ec2", "describe_vpcs", {}, "UnauthorizedOperation", 403),  # ec2 query
    ("sts", "get_caller_identity", {}, "AccessDenied", 403),  # query
    ("elbv2", "describe_load_balancers", {}, "AccessDenied", 403),  # query
    ("logs", "describe_log_groups", {}, "AccessDeniedException", 400),  # json 1.1
    ("budgets", "describe_budgets", {"AccountId": "123456789012"}, "AccessDeniedException", 400),  # json 1.1
    ("xray", "get_sampling_rules", {}, "AccessDeniedException", 403),  # rest-json
    ("route53", "list_hosted_zones", {}, "AccessDenied", 403),  # rest-xml
]

RETRYING = Config(retries={"mode": "standard", "max_attempts": 3})


def put_alarms(cloud: Cloud, names: list[str]) -> dict[str, str]:
    """Put one alarm per name: {name: the error code, or 'ok'}."""
    cloudwatch = cloud.client("cloudwatch", config=RETRYING)
    outcome = {}
    for name in names:
        try:
            put_metric_alarm(cloudwatch, name)
            outcome[name] = "ok"
        except ClientError as error:
            outcome[name] = error.response["Error"]["Code"]
    return outcome


def alarm_names(cloud: Cloud) -> list[str]:
    return sorted(a["AlarmName"] for a in cloud.client("cloudwatch").describe_alarms()["MetricAlarms"])


@pytest.mark.parametrize(("service", "operation", "kwargs", "code", "status"), DENIED_CALLS)
def test_deny_answers_with_the_access_denied_error_of_the_protocol_and_is_not_retried(
    cloud: Cloud, service: str, operation: str, kwargs: dict, code: str, status: int
) -> None:
    client = cloud.client(service, config=RETRYING)
    op_name = client.meta.method_to_api_mapping[operation]
    cloud.faults(deny=[{"operation": op_name}])
    with pytest.raises(ClientError) as err:
        getattr(client, operation)(**kwargs)
    response = err.value.response
    assert response["Error"]["Code"] == code
    assert "not authorized" in response["Error"]["Message"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert response["ResponseMetadata"].get("RetryAttempts", 0) == 0  # botocore does not retry a denial
    assert not is_throttling(client, operation, err.value)
    counters = cloud.get("/_localcloud/faults")[1]["counters"]
    assert counters["injected"] == {client.meta.service_model.signing_name: {code: 1}}


def test_deny_leaves_the_other_operations_alone(cloud: Cloud) -> None:
    cloud.faults(deny=[{"operation": "PutMetricAlarm"}])
    assert cloud.client("cloudwatch", config=NO_RETRIES).describe_alarms()["MetricAlarms"] == []
    assert cloud.client("sts", config=NO_RETRIES).get_caller_identity()["Account"]


def test_deny_of_the_nth_call_only(cloud: Cloud) -> None:
    cloud.faults(deny=[{"operation": "PutMetricAlarm", "call": 2}])
    outcome = put_alarms(cloud, ["a", "b", "c"])
    assert outcome == {"a": "ok", "b": "AccessDeniedException", "c": "ok"}
    assert alarm_names(cloud) == ["a", "c"]
    rule = cloud.get("/_localcloud/faults")[1]["deny"][0]
    assert (rule["seen"], rule["denied"]) == (3, 1)


def test_deny_of_the_calls_naming_a_resource_only(cloud: Cloud) -> None:
    cloud.faults(deny=[{"operation": "PutMetricAlarm", "resource": "b"}])
    assert put_alarms(cloud, ["a", "b", "c", "b"]) == {"a": "ok", "b": "AccessDeniedException", "c": "ok"}
    assert alarm_names(cloud) == ["a", "c"]


def test_deny_off_and_an_empty_list_clear_the_deny_faults(cloud: Cloud) -> None:
    doc = cloud.faults(deny=[{"operation": "PutMetricAlarm"}])
    assert doc["enabled"] is True and doc["deny"][0]["operation"] == "PutMetricAlarm"
    assert cloud.faults(off=True)["deny"] == []
    assert put_alarms(cloud, ["a"]) == {"a": "ok"}
    cloud.faults(deny=[{"operation": "PutMetricAlarm"}])
    assert cloud.faults(deny=[])["enabled"] is False
    assert put_alarms(cloud, ["b"]) == {"b": "ok"}


def test_deny_from_the_cli(cloud: Cloud) -> None:
    done = cloud.cli("faults", "--deny", "PutMetricAlarm#2@b", "--deny", "DeleteAlarms")
    assert done.returncode == 0, done.stdout + done.stderr
    rules = [{k: r[k] for k in ("operation", "call", "resource")} for r in cloud.get("/_localcloud/faults")[1]["deny"]]
    assert rules == [
        {"operation": "PutMetricAlarm", "call": 2, "resource": "b"},
        {"operation": "DeleteAlarms", "call": None, "resource": None},
    ]
    assert put_alarms(cloud, ["b", "a", "b"]) == {"b": "AccessDeniedException", "a": "ok"}  # the second b is denied
    assert alarm_names(cloud) == ["a", "b"]


@pytest.mark.parametrize(
    "deny",
    [
        {"operation": "PutMetricAlarm"},
        [{"operation": "putMetricAlarm"}],
        [{"operation": "PutMetricAlarm", "call": 0}],
        [{"operation": "PutMetricAlarm", "call": True}],
        [{"operation": "PutMetricAlarm", "resource": ""}],
        [{"operation": "PutMetricAlarm", "nth": 2}],
        ["PutMetricAlarm"],
    ],
)
def test_bad_deny_config_is_rejected(cloud: Cloud, deny: Any) -> None:
    status, doc = cloud.post("/_localcloud/faults", {"deny": deny})
    assert status == 400 and "deny" in doc["error"]
    assert cloud.get("/_localcloud/faults")[1]["deny"] == []
