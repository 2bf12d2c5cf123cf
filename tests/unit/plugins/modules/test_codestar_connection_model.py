"""codestar_connection: CreateConnection of the options checked against the CodeStar Connections model before any
call (issue 20). Bounds and patterns are read from botocore's model."""

from __future__ import annotations

import botocore.session
from ansible_collections.securecloud.monitor.plugins.module_utils import codestar_connections
from ansible_collections.securecloud.monitor.plugins.modules import codestar_connection
from ansible_collections.securecloud.monitor.plugins.modules.codestar_connection import model_errors

from tests.unit.aws_stub import stubbed_client

CONNECTIONS = botocore.session.get_session().get_service_model("codestar-connections")
CREATE = CONNECTIONS.operation_model("CreateConnection").input_shape
NAME_MAX = CREATE.members["ConnectionName"].metadata["max"]
HOST_PATTERN = CREATE.members["HostArn"].metadata["pattern"]
TAG_VALUE_MAX = CREATE.members["Tags"].member.members["Value"].metadata["max"]
HOST = "arn:aws:codestar-connections:us-east-1:123456789012:host/ghe-1234"


def params(**overrides):
    base = {"name": "dev-github", "provider_type": "GitHub", "host_arn": None, "tags": None, "state": "present"}
    return base | overrides


def test_valid_options_have_no_errors():
    assert model_errors(CONNECTIONS, params(tags={"team": "sre"})) == []
    assert model_errors(CONNECTIONS, params(provider_type="GitHubEnterpriseServer", host_arn=HOST)) == []
    assert model_errors(CONNECTIONS, params(state="absent", name="n" * (NAME_MAX + 1))) == []


def test_a_name_longer_than_the_model_allows_names_the_option():
    (error,) = model_errors(CONNECTIONS, params(name="n" * (NAME_MAX + 1)))
    assert error.startswith("name ") and f"give 1 to {NAME_MAX} characters" in error


def test_a_host_arn_outside_the_models_pattern_names_the_option():
    host = "arn:aws:codestar-connections:us-east-1:123456789012:connection/abc"
    (error,) = model_errors(CONNECTIONS, params(provider_type="GitHubEnterpriseServer", host_arn=host))
    assert error.startswith("host_arn 'arn:aws:codestar-connections:") and "is not in the form AWS accepts" in error
    assert HOST_PATTERN in error


def test_a_tag_value_longer_than_the_model_allows_is_refused():
    (error,) = model_errors(CONNECTIONS, params(tags={"team": "t" * (TAG_VALUE_MAX + 1)}))
    assert error.startswith("tags[0].value ") and f"to {TAG_VALUE_MAX} characters" in error


def test_main_refuses_before_any_call(aws_stub):
    client, stubber = stubbed_client("codestar-connections")  # nothing stubbed: any call fails the module
    aws_stub.factories(codestar_connections, connections_client=client)
    result = aws_stub.run(codestar_connection, {"name": "dev-github", "tags": {"team": "t" * 300}}, stubber)
    assert result["failed"] and result["msg"].startswith("tags[0].value "), result
