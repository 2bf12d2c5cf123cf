"""AWS-managed IAM policies, loaded when first attached.

Every real account has the AWS-managed policies (arn:aws:iam::aws:policy/...). moto can load all of
them into each IAM backend (MOTO_IAM_LOAD_MANAGED_POLICIES), but that costs about 0.8 s on every reset
and first IAM request; here a policy is created from moto's own copy of the AWS data only when a role,
user or group attaches it, then moto attaches it as usual.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from ..registry import ExtensionRequest, action


@cache
def _aws_policies() -> dict[str, Any]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    return json.loads(aws_managed_policies_data)


def _ensure_aws_managed_policy(req: ExtensionRequest, backend: Any) -> None:
    arn = req.params["PolicyArn"]
    if not arn.startswith(f"arn:{req.partition}:iam::aws:policy/") or arn in backend.managed_policies:
        return
    data = _aws_policies().get(arn.rsplit("/", 1)[-1])
    if data is None:
        return  # moto answers NoSuchEntity, as AWS does
    from moto.iam.models import AWSManagedPolicy

    policy = AWSManagedPolicy.from_data(arn.rsplit("/", 1)[-1], backend.account_id, backend.region_name, data)
    if policy.arn == arn:  # the path is part of the ARN (e.g. /service-role/)
        backend.managed_policies[policy.arn] = policy


def _attach(req: ExtensionRequest, member: str, attach: str) -> dict[str, Any]:
    req.require(member, "PolicyArn")
    backend = req.moto_backend("iam", req.partition)
    _ensure_aws_managed_policy(req, backend)
    getattr(backend, attach)(req.params["PolicyArn"], req.params[member])  # moto's errors pass through
    return {}


@action("iam", "AttachRolePolicy")
def attach_role_policy(req: ExtensionRequest) -> dict[str, Any]:
    return _attach(req, "RoleName", "attach_role_policy")


@action("iam", "AttachUserPolicy")
def attach_user_policy(req: ExtensionRequest) -> dict[str, Any]:
    return _attach(req, "UserName", "attach_user_policy")


@action("iam", "AttachGroupPolicy")
def attach_group_policy(req: ExtensionRequest) -> dict[str, Any]:
    return _attach(req, "GroupName", "attach_group_policy")
