"""The extension mechanism across protocols: routing, input parsing, output and error rendering, state.

A test-only registry (not the shipped one) is served in front of moto by the real WSGI stack on a
real port; real boto3 clients call it in each wire protocol.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import botocore.model
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tools.localcloud.app import LocalCloudApp
from tools.localcloud.extensions import AwsError, ExtensionRequest, Registry
from tools.localcloud.faults import FaultInjector

from .conftest import CREDENTIALS, NO_RETRIES, free_port, http, serving

pytestmark = pytest.mark.filterwarnings(r"ignore:Exception\(AwsError\) with code")

test_registry = Registry()


@test_registry.action("xray", "CreateGroup")  # rest-json, POST /CreateGroup
def create_group(req: ExtensionRequest) -> dict[str, Any]:
    req.require("GroupName")
    groups = req.store.setdefault("groups", {})
    name = req.params["GroupName"]
    if name in groups:
        raise AwsError("InvalidRequestException", f"Group {name} already exists")
    groups[name] = {
        "GroupName": name,
        "GroupARN": f"arn:aws:xray:{req.region}:{req.account_id}:group/{name}/1",
        "FilterExpression": req.params.get("FilterExpression", ""),
    }
    return {"Group": groups[name]}


@test_registry.action("xray", "GetGroup")
def get_group(req: ExtensionRequest) -> dict[str, Any]:
    group = req.store.get("groups", {}).get(req.params.get("GroupName"))
    if group is None:
        raise AwsError("InvalidRequestException", "Group not found")
    return {"Group": group}


@test_registry.action("cloudwatch", "PutAnomalyDetector")  # json (boto3's choice) or query
def put_anomaly_detector(req: ExtensionRequest) -> dict[str, Any]:
    single = req.params.get("SingleMetricAnomalyDetector") or {}
    if not single.get("MetricName"):
        raise AwsError("MissingRequiredParameterException", "SingleMetricAnomalyDetector.MetricName is required")
    req.store.setdefault("detectors", []).append(single)
    return {}


@test_registry.action("cloudwatch", "DescribeAnomalyDetectors")
def describe_anomaly_detectors(req: ExtensionRequest) -> dict[str, Any]:
    return {"AnomalyDetectors": [{"SingleMetricAnomalyDetector": d} for d in req.store.get("detectors", [])]}


@test_registry.action("route53", "GetHostedZoneLimit")  # rest-xml, GET /2013-04-01/hostedzonelimit/{Id}/{Type}
def get_hosted_zone_limit(req: ExtensionRequest) -> dict[str, Any]:
    if req.params["HostedZoneId"] == "missing":
        raise AwsError("NoSuchHostedZone", "No hosted zone found with ID: missing")
    return {"Limit": {"Type": req.params["Type"], "Value": 10000}, "Count": 7}


@test_registry.action("ec2", "GetSerialConsoleAccessStatus")  # ec2 query
def serial_console(req: ExtensionRequest) -> dict[str, Any]:
    if req.region == "eu-west-1":
        raise AwsError("UnauthorizedOperation", "You are not authorized to perform this operation.", status=403)
    return {"SerialConsoleAccessEnabled": True, "ManagedBy": "account"}


@test_registry.action("codebuild", "ListProjects")  # a bug in an extension
def broken(req: ExtensionRequest) -> dict[str, Any]:
    raise RuntimeError("boom")


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    app = LocalCloudApp(DomainDispatcherApplication(create_backend_app), FaultInjector(), test_registry)
    server = make_server("127.0.0.1", free_port(), app, threaded=True, request_handler=MotoRequestHandler)
    with serving(server) as url:
        yield url


@pytest.fixture
def client(endpoint: str) -> Iterator[Any]:
    http(endpoint, "POST", "/_localcloud/reset", body={})

    def make(service: str, **kwargs: Any) -> Any:
        config = kwargs.pop("config", NO_RETRIES)
        return boto3.client(service, endpoint_url=endpoint, config=config, **{**CREDENTIALS, **kwargs})

    yield make
    http(endpoint, "POST", "/_localcloud/reset", body={})


@pytest.fixture
def prefer(monkeypatch: pytest.MonkeyPatch):
    """Make new botocore clients pick ``protocol`` when the service offers it."""

    def choose(protocol: str) -> None:
        order = (protocol, *[p for p in botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS if p != protocol])
        monkeypatch.setattr(botocore.model, "PRIORITY_ORDERED_SUPPORTED_PROTOCOLS", order)

    return choose


def test_rest_json_routing_parsing_state_and_errors(client) -> None:
    xray = client("xray")
    created = xray.create_group(GroupName="web", FilterExpression='service("web")')["Group"]
    assert created["GroupARN"] == "arn:aws:xray:us-east-1:123456789012:group/web/1"
    assert xray.get_group(GroupName="web")["Group"] == created
    with pytest.raises(ClientError) as err:
        xray.create_group(GroupName="web")
    assert err.value.response["Error"] == {"Code": "InvalidRequestException", "Message": "Group web already exists"}
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # state is per region
    with pytest.raises(ClientError):
        client("xray", region_name="eu-west-1").get_group(GroupName="web")
    # moto still serves the rest of X-Ray
    assert client("xray").get_trace_summaries(StartTime=0, EndTime=1)["TraceSummaries"] == []


@pytest.mark.parametrize("protocol", ["json", "query", "smithy-rpc-v2-cbor"])
def test_same_handler_serves_every_protocol_of_a_service(client, prefer, protocol: str) -> None:
    prefer(protocol)
    cloudwatch = client("cloudwatch")
    assert cloudwatch.meta.service_model.resolved_protocol == protocol
    detector = {
        "Namespace": "App",
        "MetricName": "Latency",
        "Dimensions": [{"Name": "Service", "Value": "api"}],
        "Stat": "Average",
    }
    cloudwatch.put_anomaly_detector(SingleMetricAnomalyDetector=detector)
    listed = cloudwatch.describe_anomaly_detectors()["AnomalyDetectors"]
    assert listed == [{"SingleMetricAnomalyDetector": detector}]
    with pytest.raises(ClientError) as err:
        cloudwatch.put_anomaly_detector(SingleMetricAnomalyDetector={"Namespace": "App"})
    # CloudWatch is awsQueryCompatible: every protocol reports the query code of the error shape, as AWS does
    assert err.value.response["Error"]["Code"] == "MissingParameter"
    assert "MetricName is required" in err.value.response["Error"]["Message"]


def test_rest_xml_uri_parameters(client) -> None:
    route53 = client("route53")
    limit = route53.get_hosted_zone_limit(Type="MAX_RRSETS_BY_ZONE", HostedZoneId="Z123")
    assert limit["Limit"] == {"Type": "MAX_RRSETS_BY_ZONE", "Value": 10000} and limit["Count"] == 7
    with pytest.raises(ClientError) as err:
        route53.get_hosted_zone_limit(Type="MAX_RRSETS_BY_ZONE", HostedZoneId="missing")
    assert err.value.response["Error"]["Code"] == "NoSuchHostedZone"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404  # from the model's error shape
    assert route53.list_hosted_zones()["HostedZones"] == []  # moto


def test_ec2_protocol_and_status_override(client) -> None:
    assert client("ec2").get_serial_console_access_status()["SerialConsoleAccessEnabled"] is True
    with pytest.raises(ClientError) as err:
        client("ec2", region_name="eu-west-1").get_serial_console_access_status()
    assert err.value.response["Error"]["Code"] == "UnauthorizedOperation"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert client("ec2").describe_vpcs()["Vpcs"]  # moto's default VPC


def test_validation_and_extension_bugs_answer_like_aws(client) -> None:
    unvalidated = client("xray", config=NO_RETRIES.merge(Config(parameter_validation=False)))
    with pytest.raises(ClientError) as err:
        unvalidated.create_group()
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert "'groupName' failed to satisfy constraint" in err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:
        client("xray").get_group()
    assert err.value.response["Error"]["Code"] == "InvalidRequestException"
    with pytest.raises(ClientError) as err:
        client("codebuild").list_projects()
    assert err.value.response["Error"]["Code"] == "InternalFailure"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_both_resets_empty_extension_state(client, endpoint: str) -> None:
    xray = client("xray")
    xray.create_group(GroupName="a")
    assert len(test_registry.state) == 1
    assert http(endpoint, "POST", "/_localcloud/reset", body={})[0] == 200
    assert len(test_registry.state) == 0
    with pytest.raises(ClientError):
        xray.get_group(GroupName="a")
    xray.create_group(GroupName="b")
    assert http(endpoint, "POST", "/moto-api/reset", body={})[0] == 200  # moto's own reset too
    with pytest.raises(ClientError):
        xray.get_group(GroupName="b")


def test_registering_an_unknown_action_fails_fast() -> None:
    registry = Registry()
    with pytest.raises(ValueError, match="no operation 'GetSubscriptionStatus'"):
        registry.register("shield", "GetSubscriptionStatus", lambda req: {})
