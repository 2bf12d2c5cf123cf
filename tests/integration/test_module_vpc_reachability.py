"""vpc_reachability_info against a local cloud of this file's own, through ansible (ad hoc).

A VPC built with boto3: two subnets, a client, an NLB, an app and a database with a security group each in a chain
(client -> NLB -> app -> db), and a network ACL on the app subnet. The module must find exactly the chain, then the
extra path once the database group is opened to 0.0.0.0/0, then a missing path naming the ACL once it denies the
NLB's traffic. The emulator's recorder checks it only reads, once per Describe call. The tests run in order and share
the cloud.
"""

from __future__ import annotations

import pytest

from tests.integration.module_runs import run_module
from tools.harness import recorder

pytestmark = pytest.mark.slow

MODULE = "securecloud.monitor.vpc_reachability_info"
VPC_CIDR = "10.20.0.0/16"
CLIENT_SUBNET_CIDR = "10.20.1.0/24"  # the client and the NLB
APP_SUBNET_CIDR = "10.20.2.0/24"  # the app and the database


def tcp(port, to_port=None, groups=(), cidrs=()):
    permission = {"IpProtocol": "tcp", "FromPort": port, "ToPort": to_port or port}
    if groups:
        permission["UserIdGroupPairs"] = [{"GroupId": g} for g in groups]
    if cidrs:
        permission["IpRanges"] = [{"CidrIp": c} for c in cidrs]
    return permission


@pytest.fixture(scope="module")
def vpc(module_cloud):
    ec2 = module_cloud.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock=VPC_CIDR)["Vpc"]["VpcId"]
    client_subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock=CLIENT_SUBNET_CIDR)["Subnet"]["SubnetId"]
    app_subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock=APP_SUBNET_CIDR)["Subnet"]["SubnetId"]
    groups = {}
    for name in ("client", "nlb", "app", "db"):
        groups[name] = ec2.create_security_group(GroupName=f"reach-{name}", Description=name, VpcId=vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=groups["nlb"], IpPermissions=[tcp(80, groups=[groups["client"]])])
    # The NLB may only forward to the app: its default allow-all egress is replaced.
    ec2.revoke_security_group_egress(
        GroupId=groups["nlb"], IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )
    ec2.authorize_security_group_egress(GroupId=groups["nlb"], IpPermissions=[tcp(8080, groups=[groups["app"]])])
    ec2.authorize_security_group_ingress(GroupId=groups["app"], IpPermissions=[tcp(8080, groups=[groups["nlb"]])])
    ec2.authorize_security_group_ingress(GroupId=groups["db"], IpPermissions=[tcp(5432, groups=[groups["app"]])])

    # The app subnet's ACL: TCP from inside the VPC in, the return traffic out.
    acl_id = ec2.create_network_acl(VpcId=vpc_id)["NetworkAcl"]["NetworkAclId"]
    for number, egress, low, high in ((100, False, 0, 65535), (100, True, 1024, 65535)):
        ec2.create_network_acl_entry(
            NetworkAclId=acl_id,
            RuleNumber=number,
            Protocol="6",
            RuleAction="allow",
            Egress=egress,
            CidrBlock=VPC_CIDR,
            PortRange={"From": low, "To": high},
        )
    current = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [app_subnet]}])
    association = next(
        a["NetworkAclAssociationId"] for a in current["NetworkAcls"][0]["Associations"] if a["SubnetId"] == app_subnet
    )
    ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=acl_id)
    return {
        "ec2": ec2,
        "vpc_id": vpc_id,
        "client_subnet": client_subnet,
        "app_subnet": app_subnet,
        "groups": groups,
        "acl_id": acl_id,
    }


def arguments(vpc, **overrides):
    groups = vpc["groups"]
    endpoints = [
        {"name": "client", "security_group_ids": [groups["client"]], "subnet_ids": [vpc["client_subnet"]]},
        {
            "name": "app",
            "security_group_ids": [groups["app"]],
            "subnet_ids": [vpc["app_subnet"]],
            "ports": [8080],
            "load_balancer": {
                "name": "app-nlb",
                "security_group_ids": [groups["nlb"]],
                "subnet_ids": [vpc["client_subnet"]],
                "listener_ports": [80],
            },
        },
        {"name": "db", "security_group_ids": [groups["db"]], "subnet_ids": [vpc["app_subnet"]], "ports": [5432]},
    ]
    intended = [
        {"source": "client", "target": "app", "port": 80, "via": "app-nlb"},
        {"source": "app", "target": "db", "port": 5432},
    ]
    return dict({"endpoints": endpoints, "intended": intended}, **overrides)


def run(cloud, tmp_path, args):
    recorder.start(cloud.endpoint)
    returncode, result = run_module(cloud, tmp_path, MODULE, args)
    calls = recorder.stop(cloud.endpoint)
    return returncode, result, sorted(f"{c.service}:{c.operation}" for c in calls)


def path_keys(paths):
    return [(p["source"], p["target"], p["port"], p["via"]) for p in paths]


READS = sorted(
    ["ec2:DescribeNetworkAcls", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets"]
)


def test_moto_returns_the_rule_shapes_the_module_reads(vpc):
    """What the emulator answers (moto 5.2.5), so that a change there shows up here first."""
    acl = vpc["ec2"].describe_network_acls(NetworkAclIds=[vpc["acl_id"]])["NetworkAcls"][0]
    entries = sorted((e["RuleNumber"], e["Egress"], e["Protocol"], e.get("PortRange")) for e in acl["Entries"])
    # A new ACL has no rules at all in moto; AWS adds the "*" default deny (rule 32767) in and out.
    assert entries == [(100, False, "6", {"From": 0, "To": 65535}), (100, True, "6", {"From": 1024, "To": 65535})]
    nlb = vpc["ec2"].describe_security_groups(GroupIds=[vpc["groups"]["nlb"]])["SecurityGroups"][0]
    assert [p["UserIdGroupPairs"][0]["GroupId"] for p in nlb["IpPermissionsEgress"]] == [vpc["groups"]["app"]]
    assert (nlb["IpPermissions"][0]["FromPort"], nlb["IpPermissions"][0]["IpProtocol"]) == (80, "tcp")


def test_the_chain_is_exactly_what_is_deployed(module_cloud, vpc, tmp_path):
    returncode, result, calls = run(module_cloud, tmp_path, arguments(vpc))
    assert returncode == 0, result
    assert result["changed"] is False
    assert path_keys(result["paths"]) == [("app", "db", 5432, "direct"), ("client", "app", 80, "app-nlb")]
    assert result["extra"] == [] and result["missing"] == [] and result["compliant"] is True
    assert result["matrix"] == {"app": {"db": [5432]}, "client": {"app": [80]}}
    assert calls == READS  # one call per Describe, nothing else


def test_a_database_open_to_the_world_adds_extra_paths(module_cloud, vpc, tmp_path):
    vpc["ec2"].authorize_security_group_ingress(
        GroupId=vpc["groups"]["db"], IpPermissions=[tcp(5432, cidrs=["0.0.0.0/0"])]
    )
    returncode, result, _calls = run(module_cloud, tmp_path, arguments(vpc))
    assert returncode == 0, result
    assert path_keys(result["extra"]) == [("client", "db", 5432, "direct")]
    assert f"{vpc['groups']['db']} ingress 0.0.0.0/0 tcp 5432" in result["extra"][0]["allowed_by"]
    assert result["missing"] == [] and result["compliant"] is False
    vpc["ec2"].revoke_security_group_ingress(
        GroupId=vpc["groups"]["db"], IpPermissions=[tcp(5432, cidrs=["0.0.0.0/0"])]
    )


def test_an_acl_deny_makes_the_path_missing_and_names_the_acl(module_cloud, vpc, tmp_path):
    vpc["ec2"].create_network_acl_entry(
        NetworkAclId=vpc["acl_id"],
        RuleNumber=50,
        Protocol="6",
        RuleAction="deny",
        Egress=False,
        CidrBlock=CLIENT_SUBNET_CIDR,
        PortRange={"From": 8080, "To": 8080},
    )
    returncode, result, _calls = run(module_cloud, tmp_path, arguments(vpc))
    assert returncode == 0, result
    assert path_keys(result["paths"]) == [("app", "db", 5432, "direct")]
    assert [(m["source"], m["target"], m["port"]) for m in result["missing"]] == [("client", "app", 80)]
    assert result["missing"][0]["reason"] == (
        f"{vpc['acl_id']} ({vpc['app_subnet']}, app) denies ingress from {CLIENT_SUBNET_CIDR} on the request, "
        "tcp 8080: rule 50"
    )
    assert result["compliant"] is False


def test_an_unknown_security_group_fails_naming_the_field(module_cloud, vpc, tmp_path):
    args = arguments(vpc)
    args["endpoints"][2]["security_group_ids"] = ["sg-0123456789abcdef0"]
    returncode, result, calls = run(module_cloud, tmp_path, args)
    assert returncode != 0
    assert result["msg"].startswith("endpoints[2].security_group_ids 'sg-0123456789abcdef0': no such security group")
    # The batch, then one probe per id to name the unknown one: reads only.
    assert calls == sorted(["ec2:DescribeSubnets"] + ["ec2:DescribeSecurityGroups"] * 5)


def test_bad_input_fails_before_any_call(module_cloud, vpc, tmp_path):
    args = arguments(vpc, intended=[{"source": "client", "target": "billing", "port": 5432}])
    returncode, result, calls = run(module_cloud, tmp_path, args)
    assert returncode != 0
    assert "intended[0].target 'billing' is not the name of an endpoint: use one of app, client, db" in result["msg"]
    assert calls == []
