"""AWS-managed IAM policies can be attached without loading all of them into every account."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "drt.shield.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)
DRT_POLICY = "arn:aws:iam::aws:policy/service-role/AWSShieldDRTAccessPolicy"


def test_an_aws_managed_policy_attaches_and_lists(cloud):
    iam = cloud.client("iam")
    iam.create_role(RoleName="drt", AssumeRolePolicyDocument=TRUST)
    iam.attach_role_policy(RoleName="drt", PolicyArn=DRT_POLICY)
    attached = iam.list_attached_role_policies(RoleName="drt")["AttachedPolicies"]
    assert attached == [{"PolicyName": "AWSShieldDRTAccessPolicy", "PolicyArn": DRT_POLICY}]
    iam.detach_role_policy(RoleName="drt", PolicyArn=DRT_POLICY)
    assert iam.list_attached_role_policies(RoleName="drt")["AttachedPolicies"] == []


def test_unknown_or_mispathed_aws_policies_are_refused_like_aws(cloud):
    iam = cloud.client("iam")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    for arn in ("arn:aws:iam::aws:policy/NoSuchPolicy", "arn:aws:iam::aws:policy/AWSShieldDRTAccessPolicy"):
        with pytest.raises(ClientError) as err:
            iam.attach_role_policy(RoleName="r", PolicyArn=arn)
        assert err.value.response["Error"]["Code"] == "NoSuchEntity"


def test_attaching_to_a_missing_role_is_refused(cloud):
    with pytest.raises(ClientError) as err:
        cloud.client("iam").attach_role_policy(RoleName="nobody", PolicyArn=DRT_POLICY)
    assert err.value.response["Error"]["Code"] == "NoSuchEntity"


def test_an_aws_managed_policy_attaches_to_users_and_groups(cloud):
    iam = cloud.client("iam")
    iam.create_user(UserName="auditor")
    iam.create_group(GroupName="auditors")
    readonly = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    iam.attach_user_policy(UserName="auditor", PolicyArn=readonly)
    iam.attach_group_policy(GroupName="auditors", PolicyArn=readonly)
    expected = [{"PolicyName": "ReadOnlyAccess", "PolicyArn": readonly}]
    assert iam.list_attached_user_policies(UserName="auditor")["AttachedPolicies"] == expected
    assert iam.list_attached_group_policies(GroupName="auditors")["AttachedPolicies"] == expected
