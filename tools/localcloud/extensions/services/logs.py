"""CloudWatch Logs actions moto 5.2.5 lacks or gets wrong.

- ``PutMetricFilter`` with the name of an existing filter of the log group replaces that filter, as AWS does
  (moto appends a second filter of the same name, so a changed pattern could never be put back). The log group
  must exist (``ResourceNotFoundException``; moto does not look).
- ``AssociateKmsKey`` / ``DisassociateKmsKey`` (moto: not implemented) set or clear the key of an existing log
  group, which moto's ``DescribeLogGroups`` then returns as ``kmsKeyId``. The key must be a KMS key ARN of a key
  that exists and is enabled (``InvalidParameterException``, as AWS answers a key ID, an alias or an unknown key).
"""

from __future__ import annotations

from typing import Any

from ..registry import AwsError, ExtensionRequest, action

_NOT_FOUND = "The specified log group does not exist."


def _group(req: ExtensionRequest) -> Any:
    req.require("logGroupName")
    group = req.moto_backend("logs").groups.get(req.params["logGroupName"])
    if group is None:
        raise AwsError("ResourceNotFoundException", _NOT_FOUND, status=400)
    return group


@action("logs", "PutMetricFilter")
def put_metric_filter(req: ExtensionRequest) -> dict[str, Any]:
    req.require("filterName", "logGroupName", "metricTransformations")
    _group(req)
    params = req.params
    transformations = params["metricTransformations"]
    if len(transformations) != 1:
        raise AwsError(
            "InvalidParameterException",
            f"metricTransformations: a metric filter has 1 metric transformation, {len(transformations)} given.",
            status=400,
        )
    filters = req.moto_backend("logs").filters.metric_filters
    entry = {
        "filterName": params["filterName"],
        "filterPattern": params.get("filterPattern", ""),
        "logGroupName": params["logGroupName"],
        "metricTransformations": transformations,
    }
    same = [
        i
        for i, f in enumerate(filters)
        if (f["filterName"], f["logGroupName"]) == (entry["filterName"], entry["logGroupName"])
    ]
    if same:
        filters[same[0]] = entry
        for index in reversed(same[1:]):  # duplicates moto may hold from before this extension
            del filters[index]
    else:
        filters.append(entry)
    return {}


@action("logs", "AssociateKmsKey")
def associate_kms_key(req: ExtensionRequest) -> dict[str, Any]:
    group = _group(req)
    req.require("kmsKeyId")
    arn = req.params["kmsKeyId"]
    kms = req.moto_backend("kms")
    key = next((k for k in kms.keys.values() if k.arn == arn), None)
    if key is None:
        raise AwsError(
            "InvalidParameterException",
            f"Specified KMS key {arn} does not exist or is not a key ARN; give the ARN of an existing key.",
            status=400,
        )
    if key.key_state != "Enabled":
        raise AwsError("InvalidParameterException", f"Specified KMS key {arn} is {key.key_state}.", status=400)
    group.kms_key_id = arn
    return {}


@action("logs", "DisassociateKmsKey")
def disassociate_kms_key(req: ExtensionRequest) -> dict[str, Any]:
    _group(req).kms_key_id = None
    return {}
