"""ec2_security_group_rules: the members the module sends (RevokeSecurityGroupIngress/Egress: a group ID and rule
IDs) have no constraint in the EC2 model, so their forms are the module's own checks, made before any call (issue
20). The EC2 client is a Stubber with no responses, so any call would fail the module with another message."""

from __future__ import annotations

import botocore.session
import pytest
from ansible_collections.securecloud.monitor.plugins.modules import ec2_security_group_rules as module

from tests.unit.aws_stub import AwsStub, stubbed_client

EC2 = botocore.session.get_session().get_service_model("ec2")
GROUP = "sg-0123456789abcdef0"


@pytest.mark.parametrize("operation", ["RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress"])
def test_the_ec2_model_constrains_none_of_the_members_the_module_sends(operation):
    members = EC2.operation_model(operation).input_shape.members
    assert members["GroupId"].metadata == members["SecurityGroupRuleIds"].metadata == {}
    assert members["SecurityGroupRuleIds"].member.metadata == {}


@pytest.mark.parametrize(
    ("groups", "said"),
    [
        ({GROUP: ["sgr-0123456789abcdef0", "sg-0123456789abcdef1"]}, f"security_groups['{GROUP}'][1]"),
        ({"default": []}, "security_groups['default']: 'default' is not a security group ID"),
        ({GROUP: "sgr-0123456789abcdef0"}, f"security_groups['{GROUP}']: give a list"),
    ],
)
def test_bad_ids_are_refused_before_any_call(monkeypatch, capsys, groups, said):
    client, stubber = stubbed_client("ec2")
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.module_clients(module, client)
    result = aws_stub.run(module, {"security_groups": groups, "region": "us-east-1"}, stubber)
    assert result["failed"] and said in result["msg"], result["msg"]
