"""plugins/modules/ec2_vpc_managed_members.py (and module_utils/managed_sets.py): input checks, the one-line members
of the diff, which entries and routes are deleted (never the default deny or the local route), the calls (botocore
Stubber), and a deletion that fails partway naming the members deleted and those not."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils import managed_sets
from ansible_collections.securecloud.monitor.plugins.modules.ec2_vpc_managed_members import (
    delete,
    entry_member,
    fixed,
    input_errors,
    members,
    planned_deletions,
    route_member,
)

from tests.unit.aws_stub import stubbed_client
from tests.unit.failing_module import Failed, FailingModule

ACL, TABLE = "acl-0000000000000a001", "rtb-0000000000000b001"


def entry(number, egress=False, **fields):
    base = {"RuleNumber": number, "Egress": egress, "Protocol": "6", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}
    return base | {"PortRange": {"From": 22, "To": 22}} | fields


def test_input_errors_name_each_field():
    errors = input_errors({"network_acls": {"acl-1": [], ACL: ["in:100"]}, "route_tables": {TABLE: ["x"]}})
    assert errors == [
        "network_acls['acl-1']: 'acl-1' is not a network ACL ID; give IDs such as acl-0123456789abcdef0.",
        f"network_acls['{ACL}'][0]: 'in:100' is not a network ACL entry; give IDs such as ingress:100.",
        f"route_tables['{TABLE}'][0]: 'x' is not a route destination; give IDs such as 0.0.0.0/0.",
    ]
    assert input_errors({"network_acls": {ACL: ["egress:100"]}, "route_tables": {TABLE: ["10.0.0.0/8"]}}) == []


def test_members_in_one_line():
    assert entry_member(ACL, entry(90))["line"] == "ingress:90 allow 6 22 0.0.0.0/0"
    everything = entry(100, egress=True, Protocol="-1", PortRange=None)
    assert entry_member(ACL, everything)["line"] == "egress:100 allow all all ports 0.0.0.0/0"
    assert route_member(TABLE, {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1"})["line"] == (
        "0.0.0.0/0 via nat-1"
    )


def test_plan_deletes_undeclared_members_but_never_the_default_deny_or_local_route():
    found = [
        entry_member(ACL, entry(100)),
        entry_member(ACL, entry(90)),
        entry_member(ACL, entry(32767, RuleAction="deny")),
        route_member(TABLE, {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"}),
        route_member(TABLE, {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}),
        route_member(TABLE, {"DestinationCidrBlock": "192.0.2.0/24", "GatewayId": "igw-1"}),
    ]
    sets = {ACL: ["ingress:100", "egress:100"], TABLE: ["0.0.0.0/0"]}
    deleted, missing = managed_sets.plan(sets, found, fixed)
    assert [m["member_id"] for m in deleted] == ["ingress:90", "192.0.2.0/24"]
    assert missing == {ACL: ["egress:100"]}
    before, after = managed_sets.diff_sides(sets, found, deleted)
    assert len(before[ACL]) == 3 and len(after[ACL]) == 2 and "192.0.2.0/24 via igw-1" not in after[TABLE]


def test_reads_and_deletes_with_one_call_each():
    client, stubber = stubbed_client("ec2")
    with stubber:
        stubber.add_response(
            "describe_network_acls",
            {"NetworkAcls": [{"NetworkAclId": ACL, "Entries": [entry(90)]}]},
            {"NetworkAclIds": [ACL]},
        )
        stubber.add_response(
            "describe_route_tables",
            {"RouteTables": [{"RouteTableId": TABLE, "Routes": [{"DestinationCidrBlock": "192.0.2.0/24"}]}]},
            {"RouteTableIds": [TABLE]},
        )
        found = members(client, {"network_acls": {ACL: []}, "route_tables": {TABLE: []}})
        stubber.add_response("delete_network_acl_entry", {}, {"NetworkAclId": ACL, "RuleNumber": 90, "Egress": False})
        stubber.add_response("delete_route", {}, {"RouteTableId": TABLE, "DestinationCidrBlock": "192.0.2.0/24"})
        for member in found:
            delete(client, member)
        stubber.assert_no_pending_responses()


def test_a_deletion_denied_partway_names_the_members_deleted_and_those_not():
    deleted = [
        entry_member(ACL, entry(90)),
        route_member(TABLE, {"DestinationCidrBlock": "192.0.2.0/24"}),
        route_member(TABLE, {"DestinationCidrBlock": "198.51.100.0/24"}),
    ]
    client, stubber = stubbed_client("ec2")
    stubber.add_response("delete_network_acl_entry", {}, {"NetworkAclId": ACL, "RuleNumber": 90, "Egress": False})
    stubber.add_client_error("delete_route", "UnauthorizedOperation", http_status_code=403)
    with stubber, pytest.raises(Failed) as failure:
        planned_deletions(client, deleted).apply(FailingModule(check_mode=False))
    result = failure.value.result
    assert result["written"] == [f"{ACL} ingress:90"]
    assert result["not_written"] == [f"{TABLE} 192.0.2.0/24", f"{TABLE} 198.51.100.0/24"]
    assert f"Writing {TABLE} 192.0.2.0/24 failed" in result["msg"] and "UnauthorizedOperation" in result["msg"]
    stubber.assert_no_pending_responses()


def test_check_mode_deletes_nothing():
    client, stubber = stubbed_client("ec2")
    with stubber:
        planned_deletions(client, [entry_member(ACL, entry(90))]).apply(FailingModule(check_mode=True))
