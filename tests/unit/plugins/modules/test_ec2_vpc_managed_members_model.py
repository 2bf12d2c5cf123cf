"""ec2_vpc_managed_members: AWS's rules for the declared members that the EC2 model does not carry (rule numbers,
CIDR blocks as AWS writes them), refused before any call (issue 20). The EC2 client is a Stubber with no
responses, so any call would fail the module with another message."""

from __future__ import annotations

import botocore.session
import pytest
from ansible_collections.securecloud.monitor.plugins.modules import ec2_vpc_managed_members as module

from tests.unit.aws_stub import AwsStub, stubbed_client

EC2 = botocore.session.get_session().get_service_model("ec2")
ACL, TABLE = "acl-0000000000000a001", "rtb-0000000000000b001"


def constraints(operation):
    shape = EC2.operation_model(operation).input_shape
    return {name: member.metadata for name, member in shape.members.items() if member.metadata}


def test_the_ec2_model_constrains_none_of_the_members_the_module_sends():
    # Why the module checks these members itself: a model that gains constraints should be checked against.
    assert constraints("DeleteNetworkAclEntry") == constraints("DeleteRoute") == {}


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            {"network_acls": {ACL: ["ingress:100", "egress:40000"]}},
            f"network_acls['{ACL}'][1]: rule number 40000 is above 32766",
        ),
        ({"route_tables": {TABLE: ["0.0.0.0/0", "10.0.0.1/8"]}}, f"route_tables['{TABLE}'][1]: '10.0.0.1/8'"),
        ({"route_tables": {TABLE: ["2001:DB8::/56"]}}, "so write '2001:db8::/56'"),
        ({"route_tables": {TABLE: ["999.1.1.1/8"]}}, f"route_tables['{TABLE}'][0]: '999.1.1.1/8' is not a CIDR block"),
    ],
)
def test_bad_members_are_refused_before_any_call(monkeypatch, capsys, args, said):
    client, stubber = stubbed_client("ec2")
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.module_clients(module, client)
    result = aws_stub.run(module, args | {"region": "us-east-1"}, stubber)
    assert result["failed"] and said in result["msg"], result["msg"]


def test_the_default_deny_entry_and_prefix_lists_stay_valid():
    params = {"network_acls": {ACL: ["ingress:32767", "egress:32766"]}, "route_tables": {TABLE: ["pl-0123abcd"]}}
    assert module.input_errors(params) == []
