"""Route 53 health checks as AWS keeps them (moto 5.2.5 drops what CloudWatch-alarm and calculated checks need).

moto stores health checks in ``route53_backends[account]["aws"].health_checks`` but ignores ``AlarmIdentifier`` and
``InsufficientDataHealthStatus``, gives every non-calculated check an endpoint's defaults (Port 80,
RequestInterval 30, FailureThreshold 3) and validates nothing. The five health check actions are served here, on
moto's own objects (so moto's tag actions keep working on them), the way AWS answers:

- ``CLOUDWATCH_METRIC``: ``AlarmIdentifier`` is required; the alarm must exist in that region and be one Route 53
  can follow (a metric alarm on a standard-resolution metric with a plain statistic: no metric math, no
  percentiles, no composite alarm) - ``InvalidInput`` otherwise; the answer carries
  ``CloudWatchAlarmConfiguration`` (the alarm's metric, statistic, period, threshold); no endpoint fields.
- ``CALCULATED``: ``ChildHealthChecks`` must exist (at most 256), ``HealthThreshold`` 0-256; no endpoint fields.
- A health check that a calculated one lists cannot be deleted (``HealthCheckInUse``).
- ``CallerReference`` is idempotent (same config: the same check; another config: ``HealthCheckAlreadyExists``).
- Updates bump ``HealthCheckVersion`` and refuse a stale one (``HealthCheckVersionMismatch``).

``ChangeResourceRecordSets`` checks the whole batch as AWS does before moto applies it (see "Record sets" below).
"""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime
from typing import Any

from ..registry import AwsError, ExtensionRequest, action

INSUFFICIENT = ("Healthy", "Unhealthy", "LastKnownStatus")
PLAIN_STATISTICS = ("Average", "Minimum", "Maximum", "Sum", "SampleCount")
MAX_CHILDREN = 256
ENDPOINT_TYPES = ("HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP")
NOT_ENDPOINT_FIELDS = (
    "IPAddress",
    "Port",
    "ResourcePath",
    "FullyQualifiedDomainName",
    "SearchString",
    "RequestInterval",
    "FailureThreshold",
    "MeasureLatency",
    "EnableSNI",
    "Regions",
)


def _invalid(message: str) -> AwsError:
    return AwsError("InvalidInput", message, status=400)


def _backend(req: ExtensionRequest) -> Any:
    return req.moto_backend("route53", req.partition)


def _get(req: ExtensionRequest, health_check_id: str) -> Any:
    check = _backend(req).health_checks.get(health_check_id)
    if check is None:
        raise AwsError("NoSuchHealthCheck", f"A health check with id {health_check_id} does not exist.", status=404)
    return check


def _alarm(req: ExtensionRequest, identifier: dict[str, Any]) -> Any:
    name, region = identifier.get("Name"), identifier.get("Region")
    if not name or not region:
        raise _invalid("AlarmIdentifier needs Name and Region.")
    alarm = req.moto_backend("cloudwatch", region).alarms.get(name)
    if alarm is None:
        raise _invalid(f"The CloudWatch alarm {name} does not exist in region {region}.")
    if getattr(alarm, "rule", None):
        raise _invalid(
            f"The CloudWatch alarm {name} is a composite alarm; Route 53 health checks follow metric alarms only."
        )
    if getattr(alarm, "metric_data_queries", None):
        raise _invalid(f"The CloudWatch alarm {name} uses metric math; Route 53 health checks do not support it.")
    if getattr(alarm, "extended_statistic", None) or alarm.statistic not in PLAIN_STATISTICS:
        raise _invalid(
            f"The CloudWatch alarm {name} uses an extended statistic; Route 53 supports "
            f"{', '.join(PLAIN_STATISTICS)} only."
        )
    if int(alarm.period or 0) < 60:
        raise _invalid(
            f"The CloudWatch alarm {name} watches a high-resolution metric; Route 53 supports standard resolution only."
        )
    return alarm


def _check_config(req: ExtensionRequest, config: dict[str, Any], own_id: str | None = None) -> None:
    kind = config.get("Type")
    if kind in ("CLOUDWATCH_METRIC", "CALCULATED"):
        extra = [f for f in NOT_ENDPOINT_FIELDS if config.get(f) not in (None, [], False)]
        if extra:
            raise _invalid(f"A {kind} health check does not take {', '.join(extra)}.")
    if kind == "CLOUDWATCH_METRIC":
        if not config.get("AlarmIdentifier"):
            raise _invalid("AlarmIdentifier is required for a CLOUDWATCH_METRIC health check.")
        _alarm(req, config["AlarmIdentifier"])
        status = config.get("InsufficientDataHealthStatus")
        if status is not None and status not in INSUFFICIENT:
            raise _invalid(f"InsufficientDataHealthStatus must be one of {', '.join(INSUFFICIENT)}.")
    elif kind == "CALCULATED":
        _check_children(req, config.get("ChildHealthChecks") or [], config.get("HealthThreshold"), own_id)
    elif config.get("AlarmIdentifier") or config.get("ChildHealthChecks"):
        raise _invalid(f"A {kind} health check takes neither AlarmIdentifier nor ChildHealthChecks.")


def _check_children(req: ExtensionRequest, children: list[str], threshold: int | None, own_id: str | None) -> None:
    if len(children) > MAX_CHILDREN:
        raise _invalid(f"A calculated health check has at most {MAX_CHILDREN} child health checks.")
    for child in children:
        if child == own_id:
            raise _invalid("A calculated health check cannot be its own child.")
        if child not in _backend(req).health_checks:
            raise _invalid(f"The child health check {child} does not exist.")
    if threshold is not None and not 0 <= threshold <= MAX_CHILDREN:
        raise _invalid(f"HealthThreshold must be between 0 and {MAX_CHILDREN}.")


def _config(check: Any) -> dict[str, Any]:
    kind = check.type_
    if kind == "CLOUDWATCH_METRIC":
        config = {
            "Type": kind,
            "Inverted": bool(check.inverted),
            "Disabled": bool(check.disabled),
            "AlarmIdentifier": check.alarm_identifier,
            "InsufficientDataHealthStatus": getattr(check, "insufficient_data_health_status", None)
            or "LastKnownStatus",
        }
    elif kind == "CALCULATED":
        config = {
            "Type": kind,
            "Inverted": bool(check.inverted),
            "Disabled": bool(check.disabled),
            "HealthThreshold": check.health_threshold if check.health_threshold is not None else 0,
            "ChildHealthChecks": list(check.children or []),
        }
    else:
        config = {k: v for k, v in check.health_check_config.items() if v is not None}
    return config


def _alarm_configuration(req: ExtensionRequest, check: Any) -> dict[str, Any] | None:
    if check.type_ != "CLOUDWATCH_METRIC":
        return None
    identifier = check.alarm_identifier
    alarm = req.moto_backend("cloudwatch", identifier["Region"]).alarms.get(identifier["Name"])
    if alarm is None:  # deleted since: AWS keeps the last configuration it read
        return getattr(check, "alarm_configuration", None)
    check.alarm_configuration = {
        "EvaluationPeriods": int(alarm.evaluation_periods),
        "Threshold": float(alarm.threshold),
        "ComparisonOperator": alarm.comparison_operator,
        "Period": int(alarm.period),
        "MetricName": alarm.metric_name,
        "Namespace": alarm.namespace,
        "Statistic": alarm.statistic,
        "Dimensions": [{"Name": d.name, "Value": d.value} for d in (alarm.dimensions or [])],
    }
    return check.alarm_configuration


def _render(req: ExtensionRequest, check: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Id": check.id,
        "CallerReference": check.caller_reference,
        "HealthCheckConfig": _config(check),
        "HealthCheckVersion": check.health_check_version,
    }
    alarm = _alarm_configuration(req, check)
    if alarm is not None:
        out["CloudWatchAlarmConfiguration"] = alarm
    return out


def _moto_args(config: dict[str, Any]) -> dict[str, Any]:
    return {
        "ip_address": config.get("IPAddress"),
        "port": config.get("Port"),
        "type": config["Type"],
        "resource_path": config.get("ResourcePath"),
        "fqdn": config.get("FullyQualifiedDomainName"),
        "search_string": config.get("SearchString"),
        "request_interval": config.get("RequestInterval"),
        "failure_threshold": config.get("FailureThreshold"),
        "health_threshold": config.get("HealthThreshold"),
        "measure_latency": config.get("MeasureLatency"),
        "inverted": config.get("Inverted"),
        "disabled": config.get("Disabled"),
        "enable_sni": config.get("EnableSNI"),
        "children": config.get("ChildHealthChecks") or [],
        "regions": config.get("Regions") or [],
    }


@action("route53", "CreateHealthCheck")
def create_health_check(req: ExtensionRequest) -> dict[str, Any]:
    req.require("CallerReference", "HealthCheckConfig")
    config = req.params["HealthCheckConfig"]
    backend = _backend(req)
    for existing in backend.health_checks.values():
        if existing.caller_reference == req.params["CallerReference"]:
            if _config(existing) == {**_config(existing), **_comparable(config, existing)}:
                return {"HealthCheck": _render(req, existing), "Location": _location(existing.id)}
            raise AwsError(
                "HealthCheckAlreadyExists",
                "The health check you're trying to create already exists with a different configuration.",
                status=409,
            )
    _check_config(req, config)
    check = backend.create_health_check(req.params["CallerReference"], _moto_args(config))
    check.alarm_identifier = config.get("AlarmIdentifier")
    check.insufficient_data_health_status = config.get("InsufficientDataHealthStatus")
    return {"HealthCheck": _render(req, check), "Location": _location(check.id)}


def _comparable(config: dict[str, Any], existing: Any) -> dict[str, Any]:
    return {k: v for k, v in config.items() if k in _config(existing)}


def _location(health_check_id: str) -> str:
    return f"https://route53.amazonaws.com/2013-04-01/healthcheck/{health_check_id}"


@action("route53", "GetHealthCheck")
def get_health_check(req: ExtensionRequest) -> dict[str, Any]:
    req.require("HealthCheckId")
    return {"HealthCheck": _render(req, _get(req, req.params["HealthCheckId"]))}


@action("route53", "ListHealthChecks")
def list_health_checks(req: ExtensionRequest) -> dict[str, Any]:
    checks = sorted(_backend(req).health_checks.values(), key=lambda c: c.id)
    marker = req.params.get("Marker")
    max_items = int(req.params.get("MaxItems") or 100)
    if marker:
        checks = [c for c in checks if c.id >= marker]
    page, rest = checks[:max_items], checks[max_items:]
    out: dict[str, Any] = {
        "HealthChecks": [_render(req, c) for c in page],
        "Marker": marker or "",
        "IsTruncated": bool(rest),
        "MaxItems": str(max_items),
    }
    if rest:
        out["NextMarker"] = rest[0].id
    return out


@action("route53", "UpdateHealthCheck")
def update_health_check(req: ExtensionRequest) -> dict[str, Any]:
    req.require("HealthCheckId")
    check = _get(req, req.params["HealthCheckId"])
    params = req.params
    version = params.get("HealthCheckVersion")
    if version is not None and version != check.health_check_version:
        raise AwsError(
            "HealthCheckVersionMismatch",
            "The value of HealthCheckVersion in the request doesn't match the value of HealthCheckVersion in the "
            "health check.",
            status=409,
        )
    merged = {
        **_config(check),
        **{k: v for k, v in params.items() if k not in ("HealthCheckId", "HealthCheckVersion", "ResetElements")},
    }
    for element in params.get("ResetElements") or []:
        merged.pop(element, None)
    _check_config(req, merged, own_id=check.id)
    if check.type_ == "CLOUDWATCH_METRIC":
        check.alarm_identifier = merged.get("AlarmIdentifier")
        check.insufficient_data_health_status = merged.get("InsufficientDataHealthStatus")
    elif check.type_ == "CALCULATED":
        check.set_children(list(merged.get("ChildHealthChecks") or []))
        check.health_threshold = merged.get("HealthThreshold")
    else:
        args = _moto_args({**merged, "Type": check.type_})
        _backend(req).update_health_check(check.id, {k: v for k, v in args.items() if k not in ("type", "children")})
    check.inverted = bool(merged.get("Inverted"))
    check.disabled = bool(merged.get("Disabled"))
    check.health_check_version += 1
    return {"HealthCheck": _render(req, check)}


@action("route53", "DeleteHealthCheck")
def delete_health_check(req: ExtensionRequest) -> None:
    req.require("HealthCheckId")
    check = _get(req, req.params["HealthCheckId"])
    for parent in _backend(req).health_checks.values():
        if parent.type_ == "CALCULATED" and check.id in (parent.children or []):
            raise AwsError(
                "HealthCheckInUse",
                f"The health check {check.id} is a child of the calculated health check {parent.id}.",
                status=400,
            )
    _backend(req).delete_health_check(check.id)


# -- Record sets ------------------------------------------------------------------------------------------------------
# moto 5.2.5 refuses a CREATE that its change journal has seen before whenever the zone holds *any* record sorting
# at or after the new one's (name, type): after an out-of-band DELETE of an alias A record, re-creating it fails
# with "already exists" while the AAAA record of the same name is there. AWS refuses a CREATE only when a record
# set with the same name, type and set identifier exists, and a DELETE of one that does not exist; it checks the
# whole batch before changing anything. That check is made here; the changes are then applied by moto (a checked
# CREATE goes as an UPSERT, which moto applies without its faulty test).


def _record_key(name: str, kind: str, set_identifier: str | None) -> tuple[str, str, str | None]:
    """How AWS tells record sets apart: the name (case and final dot aside), the type and the set identifier."""
    return (name.rstrip(".").lower(), kind, set_identifier)


def _batch_error(message: str) -> AwsError:
    return AwsError("InvalidChangeBatch", f"[{message}]", status=400)


def _check_batch(zone: Any, changes: list[dict[str, Any]]) -> None:
    present = {_record_key(r.name, r.type, r.set_identifier) for r in zone.rrsets}
    for change in changes:
        record_set = change["ResourceRecordSet"]
        key = _record_key(record_set["Name"], record_set["Type"], record_set.get("SetIdentifier"))
        shown = f"[name='{key[0]}.', type='{key[1]}'{'' if key[2] is None else f', set-identifier={key[2]!r}'}]"
        if change["Action"] == "CREATE" and key in present:
            raise _batch_error(f"Tried to create resource record set {shown} but it already exists")
        if change["Action"] == "DELETE" and key not in present:
            raise _batch_error(f"Tried to delete resource record set {shown} but it was not found")
        if change["Action"] == "DELETE":
            present.discard(key)
        else:
            present.add(key)


@action("route53", "ChangeResourceRecordSets")
def change_resource_record_sets(req: ExtensionRequest) -> dict[str, Any]:
    req.require("HostedZoneId", "ChangeBatch")
    backend = _backend(req)
    zone = backend.get_hosted_zone(req.params["HostedZoneId"])
    changes = copy.deepcopy(req.params["ChangeBatch"]["Changes"])
    _check_batch(zone, changes)
    for change in changes:
        if change["Action"] == "CREATE":
            change["Action"] = "UPSERT"
    backend.change_resource_record_sets(zone.id, changes)
    return {
        "ChangeInfo": {
            "Id": f"/change/C{uuid.uuid4().hex[:13].upper()}",
            "Status": "INSYNC",
            "SubmittedAt": datetime.now(UTC),
        }
    }
