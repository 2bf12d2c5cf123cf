"""plugins/modules/ec2_security_group_rules.py: input checks, the one-line rule descriptions of the diff, which rules
are revoked and which listed ones are missing, one revoke call per group and direction (botocore Stubber), and a
revocation that fails partway naming the rules revoked and those not."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.modules.ec2_security_group_rules import (
    describe_rule,
    input_errors,
    plan,
    planned_revocations,
)

from tests.unit.aws_stub import stubbed_client
from tests.unit.failing_module import Failed, FailingModule

DB, APP = "sg-0000000000000db01", "sg-00000000000000a01"


def rule(rule_id, group=DB, egress=False, **fields):
    base = {"SecurityGroupRuleId": rule_id, "GroupId": group, "IsEgress": egress, "IpProtocol": "tcp"}
    return base | {"FromPort": 5432, "ToPort": 5432, "CidrIpv4": "0.0.0.0/0"} | fields


def test_input_errors_name_each_field():
    errors = input_errors({"sg-1": [], DB: ["sgr-x", 7], APP: "sgr-0123456789abcdef0", "sg-0123456789abcdef0": []})
    assert errors == [
        "security_groups['sg-1']: 'sg-1' is not a security group ID; give IDs such as sg-0123456789abcdef0.",
        f"security_groups['{DB}'][0]: 'sgr-x' is not a security group rule ID; give IDs such as sgr-0123456789abcdef0.",
        f"security_groups['{DB}'][1]: 7 is not a security group rule ID; give IDs such as sgr-0123456789abcdef0.",
        f"security_groups['{APP}']: give a list of security group rule IDs (an empty list revokes every rule).",
    ]


def test_rules_in_one_line():
    assert describe_rule(rule("sgr-1")) == "sgr-1 ingress tcp 5432 from 0.0.0.0/0"
    assert describe_rule(rule("sgr-2", egress=True, IpProtocol="-1", FromPort=-1, ToPort=-1)) == (
        "sgr-2 egress all all ports to 0.0.0.0/0"
    )
    referenced = rule("sgr-3", FromPort=1024, ToPort=65535, CidrIpv4=None, ReferencedGroupInfo={"GroupId": APP})
    assert describe_rule(referenced) == f"sgr-3 ingress tcp 1024-65535 from {APP}"
    assert describe_rule(rule("sgr-4", CidrIpv4=None, CidrIpv6="::/0")) == "sgr-4 ingress tcp 5432 from ::/0"
    assert describe_rule(rule("sgr-5", CidrIpv4=None, PrefixListId="pl-1")) == "sgr-5 ingress tcp 5432 from pl-1"


def test_plan_revokes_unlisted_rules_of_listed_groups_only():
    rules = [rule("sgr-keep"), rule("sgr-extra"), rule("sgr-other", group=APP)]
    revoke, missing = plan({DB: ["sgr-keep", "sgr-gone"]}, rules)
    assert [r["SecurityGroupRuleId"] for r in revoke] == ["sgr-extra"]
    assert missing == {DB: ["sgr-gone"]}


def test_one_revoke_call_per_group_and_direction():
    client, stubber = stubbed_client("ec2")
    stubber.add_response(
        "revoke_security_group_ingress", {"Return": True}, {"GroupId": APP, "SecurityGroupRuleIds": ["sgr-a"]}
    )
    stubber.add_response(
        "revoke_security_group_ingress", {"Return": True}, {"GroupId": DB, "SecurityGroupRuleIds": ["sgr-1", "sgr-2"]}
    )
    stubber.add_response(
        "revoke_security_group_egress", {"Return": True}, {"GroupId": DB, "SecurityGroupRuleIds": ["sgr-e"]}
    )
    with stubber:
        planned_revocations(client, RULES).apply(FailingModule(check_mode=False))
        stubber.assert_no_pending_responses()


RULES = [rule("sgr-2"), rule("sgr-e", egress=True), rule("sgr-1"), rule("sgr-a", group=APP)]


def test_check_mode_revokes_nothing():
    client, stubber = stubbed_client("ec2")
    with stubber:
        planned_revocations(client, RULES).apply(FailingModule(check_mode=True))


def test_a_revocation_denied_partway_names_the_rules_revoked_and_those_not():
    # The calls go by group ID, then ingress before egress: APP's ingress is made, DB's ingress is denied, and DB's
    # egress is never tried.
    client, stubber = stubbed_client("ec2")
    stubber.add_response("revoke_security_group_ingress", {"Return": True})
    stubber.add_client_error("revoke_security_group_ingress", "UnauthorizedOperation", http_status_code=403)
    with stubber, pytest.raises(Failed) as failure:
        planned_revocations(client, RULES).apply(FailingModule(check_mode=False))
    result = failure.value.result
    assert (result["written"], result["not_written"]) == (["sgr-a"], ["sgr-1", "sgr-2", "sgr-e"])
    assert "Writing sgr-1, sgr-2 failed" in result["msg"] and "UnauthorizedOperation" in result["msg"]
    stubber.assert_no_pending_responses()
