"""EC2 networks the integration tests build by hand on a local cloud, with boto3."""

from __future__ import annotations


def network_with_gateway(ec2, cidr):
    """A VPC of ``cidr`` with a network ACL, a route table and an attached internet gateway: (acl, table, gateway)."""
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    return acl, table, gateway


def allow_ingress(ec2, acl, number, cidr, port):
    """Add the ACL entry ``ingress:number`` that allows TCP ``port`` from ``cidr``."""
    entry = {"Protocol": "6", "RuleAction": "allow", "Egress": False, "PortRange": {"From": port, "To": port}}
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=number, CidrBlock=cidr, **entry)
