"""plugins/modules/vpc_reachability_info.py against a botocore Stubber: the reads it makes (one paginated call per
Describe*, one per prefix list), input checks before any call, unknown ids, and the report."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import vpc_reachability_info as module

from tests.unit.aws_stub import AwsStub
from tests.unit.plugins.module_utils.test_reachability import (
    acl,
    local_route,
    open_entries,
    perm,
    rtb,
    sg,
    subnet,
)
from tests.unit.plugins.module_utils.test_xray import REGION, stubbed

SUBNETS = [subnet("subnet-a", "10.0.1.0/24"), subnet("subnet-b", "10.0.2.0/24"), subnet("subnet-l", "10.0.3.0/24")]
ENDPOINTS = [
    {"name": "api", "security_group_ids": ["sg-api"], "subnet_ids": ["subnet-a"]},
    {
        "name": "app",
        "security_group_ids": ["sg-app"],
        "subnet_ids": ["subnet-b"],
        "ports": [80],
        "load_balancer": {
            "name": "app-nlb",
            "security_group_ids": ["sg-nlb"],
            "subnet_ids": ["subnet-l"],
            "listener_ports": [80],
        },
    },
    {"name": "db", "security_group_ids": ["sg-db"], "subnet_ids": ["subnet-b"], "ports": [5432]},
]
INTENDED = [
    {"source": "api", "target": "app", "port": 80, "via": "app-nlb"},
    {"source": "app", "target": "db", "port": 5432},
]
GROUPS = [
    sg("sg-api"),
    sg("sg-nlb", ingress=[perm(80, groups=["sg-api"])], egress=[perm(80, groups=["sg-app"])]),
    sg("sg-app", ingress=[perm(80, groups=["sg-nlb"])]),
    sg("sg-db", ingress=[perm(5432, groups=["sg-app"]), perm(5432, prefix_lists=["pl-ops"])]),
]
SUBNET_IDS = ["subnet-a", "subnet-b", "subnet-l"]
GROUP_IDS = ["sg-api", "sg-app", "sg-db", "sg-nlb"]
ACLS = [acl("acl-1", SUBNET_IDS)]
TABLES = [rtb("rtb-1", [local_route()])]


def run(monkeypatch, capsys, args, setup=None, check_mode=False, aws=True):
    client, stubber = stubbed("ec2")
    if setup:
        setup(stubber)
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.factories(module, aws, ec2_client=client)
    return aws_stub.run(module, dict(args, region=REGION), stubber, check_mode=check_mode)


def acl_filter(subnet_ids=SUBNET_IDS):
    return {"Filters": [{"Name": "association.subnet-id", "Values": subnet_ids}]}


def reads(stubber, groups=GROUPS, acls=ACLS, prefix_entries=(("pl-ops", ["10.0.1.0/24"]),)):
    stubber.add_response("describe_subnets", {"Subnets": SUBNETS}, {"SubnetIds": SUBNET_IDS})
    stubber.add_response("describe_security_groups", {"SecurityGroups": groups}, {"GroupIds": GROUP_IDS})
    stubber.add_response("describe_network_acls", {"NetworkAcls": acls}, acl_filter())
    stubber.add_response(
        "describe_route_tables", {"RouteTables": TABLES}, {"Filters": [{"Name": "vpc-id", "Values": ["vpc-1"]}]}
    )
    for prefix_list_id, cidrs in prefix_entries:
        stubber.add_response(
            "get_managed_prefix_list_entries",
            {"Entries": [{"Cidr": c} for c in cidrs]},
            {"PrefixListId": prefix_list_id},
        )


# ---------------------------------------------------------------- input checks


BAD_INPUT = [
    (
        {"endpoints": [*ENDPOINTS, dict(ENDPOINTS[0], ports=[])]},
        ["endpoints[3].name 'api' is also endpoints[0].name", "must be unique"],
    ),
    (
        {"endpoints": ENDPOINTS, "intended": [{"source": "web", "target": "db", "port": 5432}]},
        ["intended[0].source 'web' is not the name of an endpoint", "use one of api, app, db"],
    ),
    (
        {"endpoints": ENDPOINTS, "intended": [{"source": "api", "target": "db", "port": 65536}]},
        ["intended[0].port is 65536", "1 to 65535"],
    ),
    (
        {"endpoints": [dict(ENDPOINTS[2], ports=[5432, -1])]},
        ["endpoints[0].ports[1] is -1"],
    ),
]


@pytest.mark.parametrize(("args", "expected"), BAD_INPUT)
def test_bad_input_fails_before_any_aws_call(monkeypatch, capsys, args, expected):
    result = run(monkeypatch, capsys, args, aws=False)
    assert result["failed"] is True
    for part in expected:
        assert part in result["msg"], result["msg"]


# ---------------------------------------------------------------- the report


def test_reads_once_per_kind_and_reports_the_chain(monkeypatch, capsys):
    result = run(monkeypatch, capsys, {"endpoints": ENDPOINTS, "intended": INTENDED}, reads)
    assert result["changed"] is False
    assert [(p["source"], p["target"], p["port"], p["via"]) for p in result["paths"]] == [
        ("api", "app", 80, "app-nlb"),
        ("api", "db", 5432, "direct"),  # through the ops prefix list, which contains the api subnet
        ("app", "db", 5432, "direct"),
    ]
    assert [(p["source"], p["target"]) for p in result["extra"]] == [("api", "db")]
    assert result["extra"][0]["allowed_by"][-1] == "sg-db ingress pl-ops (10.0.1.0/24) tcp 5432"
    assert result["missing"] == [] and result["compliant"] is False
    assert result["matrix"] == {"api": {"app": [80], "db": [5432]}, "app": {"db": [5432]}}


def test_check_mode_reads_the_same_and_changes_nothing(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, prefix_entries=(("pl-ops", ["192.168.0.0/24"]),))

    args = {"endpoints": ENDPOINTS, "intended": INTENDED, "include_matrix": False}
    result = run(monkeypatch, capsys, args, setup, check_mode=True)
    assert result["changed"] is False and result["compliant"] is True
    assert "matrix" not in result


def test_every_page_is_read(monkeypatch, capsys):
    def setup(stubber):
        stubber.add_response("describe_subnets", {"Subnets": SUBNETS}, {"SubnetIds": SUBNET_IDS})
        stubber.add_response(
            "describe_security_groups", {"SecurityGroups": GROUPS[:2], "NextToken": "t1"}, {"GroupIds": GROUP_IDS}
        )
        stubber.add_response(
            "describe_security_groups", {"SecurityGroups": GROUPS[2:]}, {"GroupIds": GROUP_IDS, "NextToken": "t1"}
        )
        stubber.add_response("describe_network_acls", {"NetworkAcls": [], "NextToken": "a1"}, acl_filter())
        stubber.add_response("describe_network_acls", {"NetworkAcls": ACLS}, dict(acl_filter(), NextToken="a1"))
        stubber.add_response(
            "describe_route_tables", {"RouteTables": TABLES}, {"Filters": [{"Name": "vpc-id", "Values": ["vpc-1"]}]}
        )
        stubber.add_response(
            "get_managed_prefix_list_entries",
            {"Entries": [{"Cidr": "10.9.0.0/16"}], "NextToken": "p1"},
            {"PrefixListId": "pl-ops"},
        )
        stubber.add_response(
            "get_managed_prefix_list_entries",
            {"Entries": [{"Cidr": "10.0.0.0/16"}]},
            {"PrefixListId": "pl-ops", "NextToken": "p1"},
        )

    result = run(monkeypatch, capsys, {"endpoints": ENDPOINTS, "intended": INTENDED}, setup)
    # The second page of the prefix list opened the db to the api subnet.
    assert [(p["source"], p["target"]) for p in result["extra"]] == [("api", "db")]


def test_nacl_and_security_group_reasons_reach_the_result(monkeypatch, capsys):
    deny = [
        {
            "RuleNumber": 90,
            "RuleAction": "deny",
            "Egress": False,
            "Protocol": "6",
            "CidrBlock": "10.0.3.0/24",
            "PortRange": {"From": 80, "To": 80},
        },
    ]
    acls = [acl("acl-1", ["subnet-a", "subnet-l"]), acl("acl-2", ["subnet-b"], deny + open_entries())]
    groups = [*GROUPS[:3], sg("sg-db", ingress=[perm(5432, groups=["sg-nope"])])]

    def setup(stubber):
        reads(stubber, groups=groups, acls=acls, prefix_entries=())

    result = run(monkeypatch, capsys, {"endpoints": ENDPOINTS, "intended": INTENDED}, setup)
    assert result["paths"] == [] and result["compliant"] is False
    assert [(m["source"], m["target"], m["reason"]) for m in result["missing"]] == [
        ("api", "app", "acl-2 (subnet-b, app) denies ingress from 10.0.3.0/24 on the request, tcp 80: rule 90"),
        ("app", "db", "sg-db (db) has no ingress from sg-app, 10.0.2.0/24 (app) on 5432"),
    ]


def test_unreadable_prefix_list_is_a_warning(monkeypatch, capsys):
    def setup(stubber):
        reads(stubber, prefix_entries=())
        stubber.add_client_error(
            "get_managed_prefix_list_entries",
            "InvalidPrefixListID.NotFound",
            expected_params={"PrefixListId": "pl-ops"},
        )

    result = run(monkeypatch, capsys, {"endpoints": ENDPOINTS, "intended": INTENDED}, setup)
    assert result["compliant"] is True
    # ansible-core 2.19 returns warnings as WarningSummary dicts.
    # Warnings of modules run earlier in the same process leak into the result (ansible-core 2.19 keeps them
    # globally), so only this module's own warning is compared.
    warnings = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
    assert [w for w in warnings if "pl-ops" in w] == [
        "prefix list pl-ops could not be read: rules that refer to it are taken to match nothing."
    ]


# ---------------------------------------------------------------- unknown ids and errors


def test_unknown_security_group_names_its_field(monkeypatch, capsys):
    endpoints = [ENDPOINTS[0], dict(ENDPOINTS[2], security_group_ids=["sg-gone"])]

    def setup(stubber):
        stubber.add_response("describe_subnets", {"Subnets": SUBNETS[:2]}, {"SubnetIds": ["subnet-a", "subnet-b"]})
        stubber.add_client_error(
            "describe_security_groups", "InvalidGroup.NotFound", expected_params={"GroupIds": ["sg-api", "sg-gone"]}
        )
        stubber.add_response("describe_security_groups", {"SecurityGroups": [GROUPS[0]]}, {"GroupIds": ["sg-api"]})
        stubber.add_client_error(
            "describe_security_groups", "InvalidGroup.NotFound", expected_params={"GroupIds": ["sg-gone"]}
        )

    result = run(monkeypatch, capsys, {"endpoints": endpoints}, setup)
    assert result["failed"] is True
    assert result["msg"].startswith("endpoints[1].security_group_ids 'sg-gone': no such security group")
    assert "sg-api" not in result["msg"] and result["unknown_ids"] == ["sg-gone"]


def test_unknown_subnet_of_a_load_balancer_names_its_field(monkeypatch, capsys):
    lb = dict(ENDPOINTS[1]["load_balancer"], subnet_ids=["subnet-x"])
    endpoints = [ENDPOINTS[0], dict(ENDPOINTS[1], load_balancer=lb)]
    ids = ["subnet-a", "subnet-b", "subnet-x"]

    def setup(stubber):
        stubber.add_client_error("describe_subnets", "InvalidSubnetID.NotFound", expected_params={"SubnetIds": ids})
        stubber.add_response("describe_subnets", {"Subnets": SUBNETS[:1]}, {"SubnetIds": ["subnet-a"]})
        stubber.add_response("describe_subnets", {"Subnets": SUBNETS[1:2]}, {"SubnetIds": ["subnet-b"]})
        stubber.add_client_error(
            "describe_subnets", "InvalidSubnetID.NotFound", expected_params={"SubnetIds": ["subnet-x"]}
        )

    result = run(monkeypatch, capsys, {"endpoints": endpoints}, setup)
    assert result["failed"] is True
    assert result["msg"].startswith("endpoints[1].load_balancer.subnet_ids 'subnet-x': no such subnet")


def test_other_errors_fail_with_the_call(monkeypatch, capsys):
    def setup(stubber):
        stubber.add_response("describe_subnets", {"Subnets": SUBNETS}, {"SubnetIds": SUBNET_IDS})
        stubber.add_response("describe_security_groups", {"SecurityGroups": GROUPS}, {"GroupIds": GROUP_IDS})
        stubber.add_client_error(
            "describe_network_acls", "UnauthorizedOperation", "not authorized", expected_params=acl_filter()
        )

    result = run(monkeypatch, capsys, {"endpoints": ENDPOINTS}, setup)
    assert result["failed"] is True
    assert "Failed to describe network ACLs" in result["msg"] and "UnauthorizedOperation" in result["msg"]
