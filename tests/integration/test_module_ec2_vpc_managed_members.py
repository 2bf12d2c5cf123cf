"""ec2_vpc_managed_members against a local cloud of this file's own: an entry and a route added by hand are reported
by a check (with the diff) and deleted by a run, the declared ones and the local route stay, and a re-run
makes only the two reads."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, refused_before_any_call, run_target
from tests.integration.networks import allow_ingress, network_with_gateway

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/ec2_vpc_managed_members/members.yml"


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


@pytest.fixture
def network(module_cloud):
    ec2 = module_cloud.client("ec2")
    acl, table, igw = network_with_gateway(ec2, "10.8.0.0/16")
    allow_ingress(ec2, acl, 100, "10.8.0.0/16", 443)
    allow_ingress(ec2, acl, 90, "0.0.0.0/0", 443)
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="192.0.2.0/24", GatewayId=igw)
    return {
        "vpcm_test_acls": {acl: ["ingress:100"]},
        "vpcm_test_tables": {table: ["0.0.0.0/0"]},
        "acl": acl,
        "table": table,
    }


def members(cloud, acl, table):
    ec2 = cloud.client("ec2")
    [found] = ec2.describe_network_acls(NetworkAclIds=[acl])["NetworkAcls"]
    [routes] = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"]
    entries = sorted((e["Egress"], e["RuleNumber"]) for e in found["Entries"])
    return entries, sorted(r["DestinationCidrBlock"] for r in routes["Routes"])


def test_bad_input_fails_before_any_call(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, {"vpcm_test_acls": {"acl-0123456789abcdef0": ["in:1"]}})
    message = "network_acls['acl-0123456789abcdef0'][0]: 'in:1' is not a network ACL entry"
    refused_before_any_call(played, result, calls, message)


def test_extra_members_are_reported_then_deleted(module_cloud, tmp_path, network):
    declared = {k: network[k] for k in ("vpcm_test_acls", "vpcm_test_tables")}
    acl, table = network["acl"], network["table"]
    played, result, calls = run(module_cloud, tmp_path, declared, "--check", "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    assert sorted(d["member_id"] for d in result["deleted"]) == ["192.0.2.0/24", "ingress:90"]
    assert any("ingress:90" in line for line in result["diff"]["before"][acl])
    assert not any("ingress:90" in line for line in result["diff"]["after"][acl])

    played, result, calls = run(module_cloud, tmp_path, declared)
    ok(played)
    assert sorted(mutating(calls)) == ["ec2:DeleteNetworkAclEntry", "ec2:DeleteRoute"]
    entries, routes = members(module_cloud, acl, table)
    # moto 5.2.5 gives a new ACL no default deny entries (AWS does; the unit tests keep those).
    assert [entry for entry in entries if entry[1] != 32767] == [(False, 100)]
    assert routes == ["0.0.0.0/0", "10.8.0.0/16"]

    played, result, calls = run(module_cloud, tmp_path, declared)
    ok(played)
    assert (result["changed"], mutating(calls), len(calls)) == (False, [], 2)
