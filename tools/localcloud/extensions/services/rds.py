"""RDS CreateDBInstance as AWS answers it, where moto 5.2.5 differs in two ways that break every client that
reads an instance back:

- moto gives every instance the same resource id (``db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U``). AWS gives each its own,
  and the Terraform AWS provider finds an instance by it (``dbi-resource-id`` filter): with two instances the
  provider read the wrong one and failed ("couldn't find resource").
- moto drops the Performance Insights settings at creation (``PerformanceInsightsEnabled``, its KMS key and
  retention), so an instance created with them reads back without them: drift on every plan. ModifyDBInstance
  keeps them already (moto sets every member it gets).

AWS's own checks on those settings are applied too: a retention period needs Performance Insights on and is
7 or a multiple of 31 up to 731; the default retention is 7 days, and the default key is the account's
``aws/rds`` key. Everything else goes to moto's backend exactly as moto's own handler sends it.
"""

from __future__ import annotations

import secrets
from typing import Any

from moto.core.parse import XFormedDict

from ..registry import AwsError, ExtensionRequest, action

_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _resource_id() -> str:
    return "db-" + "".join(secrets.choice(_BASE32) for _ in range(26))


def _invalid_combination(message: str) -> AwsError:
    return AwsError("InvalidParameterCombination", message, status=400)


def _performance_insights(req: ExtensionRequest) -> dict[str, Any]:
    enabled = bool(req.params.get("EnablePerformanceInsights"))
    retention = req.params.get("PerformanceInsightsRetentionPeriod")
    key = req.params.get("PerformanceInsightsKMSKeyId")
    if not enabled:
        if retention is not None or key:
            raise _invalid_combination(
                "To set a Performance Insights retention period or KMS key, enable Performance Insights."
            )
        return {"performance_insights_enabled": False}
    retention = 7 if retention is None else retention
    if not (retention == 7 or (retention % 31 == 0 and 0 < retention <= 731)):
        raise AwsError(
            "InvalidParameterValue",
            f"Invalid Performance Insights retention period: {retention}. Valid values are 7, month * 31 "
            "(where month is a number of months from 1-23), and 731.",
            status=400,
        )
    if not key:
        key = f"arn:{req.partition}:kms:{req.region}:{req.account_id}:alias/aws/rds"
    return {
        "performance_insights_enabled": True,
        "performance_insights_kms_key_id": key,
        "performance_insights_retention_period": retention,
    }


@action("rds", "CreateDBInstance")
def create_db_instance(req: ExtensionRequest) -> dict[str, Any]:
    insights = _performance_insights(req)  # AWS refuses bad settings before creating anything
    backend = req.moto_backend("rds")
    database = backend.create_db_instance(XFormedDict(req.params))
    taken = {db.dbi_resource_id for db in backend.databases.values() if db is not database}
    resource_id = _resource_id()
    while resource_id in taken:
        resource_id = _resource_id()
    database.dbi_resource_id = resource_id
    for name, value in insights.items():
        setattr(database, name, value)
    return {"DBInstance": database}


@action("rds", "DescribeDBParameters")
def describe_db_parameters(req: ExtensionRequest) -> dict[str, Any]:
    """The parameters of a group, each with its ``Source``.

    moto keeps only the parameters set on the group (by CreateDBParameterGroup's caller through
    ModifyDBParameterGroup) and returns them without ``Source``; AWS marks those ``user``, and clients that
    manage a group's parameters (the Terraform provider) read back only the ``user`` ones: without it, every
    parameter set showed as missing on every plan. The engine's defaults (``engine-default``, ``system``) are
    not modelled, so a filter on another source returns none.
    """
    req.require("DBParameterGroupName")
    name = req.params["DBParameterGroupName"]
    group = req.moto_backend("rds").db_parameter_groups.get(name)
    if group is None:
        raise AwsError("DBParameterGroupNotFound", f"DBParameterGroup not found: {name}", status=404)
    source = req.params.get("Source")
    if source not in (None, "user", "system", "engine-default"):
        raise AwsError("InvalidParameterValue", f"Invalid source: {source}", status=400)
    if source not in (None, "user"):
        return {"Parameters": []}
    return {"Parameters": [{**parameter, "Source": "user"} for parameter in group.parameters.values()]}
