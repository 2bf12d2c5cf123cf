"""CloudWatch actions moto 5.2.5 lacks or gets wrong.

- Composite alarms (``PutCompositeAlarm``) live in moto's own alarm table (``backend.alarms``, an ``Alarm``
  with ``rule`` set, as moto's model intends), so moto's SetAlarmState, Enable/DisableAlarmActions and the tag
  actions (moto's tagger, keyed by the alarm ARN) work on them unchanged. The rule is parsed like AWS
  (``ALARM``/``OK``/``INSUFFICIENT_DATA``/``AT_LEAST``, ``TRUE``/``FALSE``, ``AND``/``OR``/``NOT``, parentheses)
  and every alarm it names must exist.
- ``DescribeAlarms`` is served here: moto ignores ``AlarmTypes`` (AWS returns metric alarms only unless asked),
  applies one filter only, has no paging and renders composite alarms as metric alarms.
- ``DeleteAlarms`` is served here: at most one composite alarm per call, and an alarm a composite alarm's rule
  still references cannot be deleted (``ValidationError``), as AWS refuses.
- Anomaly detectors: extension state (``req.store["anomaly_detectors"]``). moto already stores and returns
  alarms on ``ANOMALY_DETECTION_BAND`` metric math (``Metrics`` + ``ThresholdMetricId``).
- ``PutDashboard``: moto only checks that the body is JSON; the body is validated here as AWS does (an object
  with a ``widgets`` array of known widget types with properties), then stored in moto.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
import zoneinfo
from datetime import UTC, datetime
from typing import Any

from ..registry import AwsError, ExtensionRequest, action

STATES = ("OK", "ALARM", "INSUFFICIENT_DATA")
ALARM_TYPES = ("MetricAlarm", "CompositeAlarm")
MAX_RULE_ALARMS = 100
WIDGET_TYPES = ("metric", "text", "log", "alarm", "explorer", "custom")
DASHBOARD_NAME = re.compile(r"[A-Za-z0-9_\-]{1,255}")
STAT = re.compile(
    r"(SampleCount|Average|Sum|Minimum|Maximum|IQM|(p|tc|tm|ts|wm)(\d{1,2}(\.\d{0,10})?|100)|[ou]\d+(\.\d*)?)(_E|_L|_H)?"
    r"|(TM|TC|TS|WM|PR)\([^()]*\)"
)


# -- helpers ----------------------------------------------------------------------------------------
def _validation(message: str) -> AwsError:
    return AwsError("ValidationError", message, status=400)


def _invalid_value(message: str) -> AwsError:
    return AwsError("InvalidParameterValue", message, status=400)


def _missing(name: str) -> AwsError:
    return AwsError("MissingParameter", f"The parameter {name} is required.", status=400)


def _backend(req: ExtensionRequest) -> Any:
    return req.moto_backend("cloudwatch")


def _now() -> datetime:
    return datetime.now(UTC)


def _page(req: ExtensionRequest, items: list[Any], size: int) -> tuple[list[Any], str | None]:
    start = 0
    token = req.params.get("NextToken")
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token.encode()).decode())
        except ValueError:
            raise AwsError("InvalidNextToken", "The service returned an error: Invalid NextToken.") from None
        if not 0 <= start <= len(items):
            raise AwsError("InvalidNextToken", "The service returned an error: Invalid NextToken.")
    page = items[start : start + size]
    end = start + len(page)
    return page, (base64.urlsafe_b64encode(str(end).encode()).decode() if end < len(items) else None)


# -- composite alarm rules --------------------------------------------------------------------------
class _RuleParser:
    """AWS's AlarmRule grammar. Collects the alarm names/ARNs the rule references."""

    FUNCTIONS = ("ALARM", "OK", "INSUFFICIENT_DATA")
    TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<punct>[(),])|(?P<word>[^\s(),"]+))')

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []  # (kind, value, position)
        pos = 0
        while pos < len(text):
            match = self.TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                if text[pos:].strip() == "":
                    break
                raise self._error(text[pos].strip() or text[pos], pos)
            kind = match.lastgroup or "word"
            self.tokens.append((kind, match.group(kind), match.start(kind)))
            pos = match.end()
        self.index = 0
        self.alarms: list[str] = []

    def _error(self, token: str, position: int, expected: str | None = None) -> AwsError:
        more = f", must be: '{expected}'" if expected else ""
        return _validation(f"Error in AlarmRule [Unsupported token '{token}' at char {position}{more}]")

    def _peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _next(self, expected: str | None = None) -> tuple[str, str, int]:
        token = self._peek()
        if token is None:
            raise _validation(
                f"Error in AlarmRule [Unexpected end of expression at char {len(self.text)}"
                + (f", must be: '{expected}'" if expected else "")
                + "]"
            )
        self.index += 1
        return token

    def _expect(self, value: str) -> None:
        _kind, text, pos = self._next(value)
        if text != value:
            raise self._error(text, pos, value)

    def _keyword(self, *words: str) -> bool:
        token = self._peek()
        return token is not None and token[0] == "word" and token[1].upper() in words

    def parse(self) -> list[str]:
        if not self.tokens:
            raise _validation("Error in AlarmRule [Empty expression]")
        self._or()
        token = self._peek()
        if token is not None:
            raise self._error(token[1], token[2])
        return self.alarms

    def _or(self) -> None:
        self._and()
        while self._keyword("OR"):
            self.index += 1
            self._and()

    def _and(self) -> None:
        self._unary()
        while self._keyword("AND"):
            self.index += 1
            self._unary()

    def _unary(self) -> None:
        if self._keyword("NOT"):
            self.index += 1
            self._unary()
            return
        self._primary()

    def _name(self) -> str:
        kind, text, pos = self._next("alarm name")
        if kind == "str":
            name = re.sub(r"\\(.)", r"\1", text[1:-1])
        elif kind == "word":
            name = text
        else:
            raise self._error(text, pos)
        if not name:
            raise _validation(f"Error in AlarmRule [Empty alarm name at char {pos}]")
        return name

    def _primary(self) -> None:
        kind, text, pos = self._next()
        word = text.upper() if kind == "word" else None
        if text == "(":
            self._or()
            self._expect(")")
        elif word in ("TRUE", "FALSE"):
            return
        elif word in self.FUNCTIONS:
            self._expect("(")
            self.alarms.append(self._name())
            self._expect(")")
        elif word == "AT_LEAST":
            self._at_least()
        else:
            raise self._error(text, pos)

    def _at_least(self) -> None:
        """AT_LEAST(M, [NOT] STATE, (alarm, alarm, ...)); M a count or a percentage."""
        self._expect("(")
        kind, text, pos = self._next("threshold")
        if kind != "word" or not re.fullmatch(r"\d+%?", text):
            raise self._error(text, pos)
        self._expect(",")
        if self._keyword("NOT"):
            self.index += 1
        kind, text, pos = self._next("state")
        if text.upper() not in self.FUNCTIONS:
            raise self._error(text, pos)
        self._expect(",")
        self._expect("(")
        self.alarms.append(self._name())
        while (self._peek() or ("", "", 0))[1] == ",":
            self.index += 1
            self.alarms.append(self._name())
        self._expect(")")
        self._expect(")")


def _alarm_name(req: ExtensionRequest, ref: str) -> str:
    """The alarm name of a rule reference (a name, or an alarm ARN in this account and region)."""
    prefix = f"arn:{req.partition}:cloudwatch:{req.region}:{req.account_id}:alarm:"
    return ref[len(prefix) :] if ref.startswith(prefix) else ref


def rule_children(req: ExtensionRequest, rule: str) -> list[str]:
    """Names of the alarms an AlarmRule references, in order, without duplicates (raises on bad syntax)."""
    names: list[str] = []
    for ref in _RuleParser(rule).parse():
        name = _alarm_name(req, ref)
        if name not in names:
            names.append(name)
    return names


# -- composite alarms -------------------------------------------------------------------------------
def _composite_dict(alarm: Any) -> dict[str, Any]:
    result = {
        "AlarmName": alarm.name,
        "AlarmArn": alarm.alarm_arn,
        "AlarmRule": alarm.rule,
        "ActionsEnabled": alarm.actions_enabled,
        "AlarmActions": list(alarm.alarm_actions),
        "OKActions": list(alarm.ok_actions),
        "InsufficientDataActions": list(alarm.insufficient_data_actions),
        "AlarmConfigurationUpdatedTimestamp": alarm.configuration_updated_timestamp,
        "StateValue": alarm.state_value,
        "StateReason": alarm.state_reason,
        "StateReasonData": alarm.state_reason_data,
        "StateUpdatedTimestamp": alarm.state_updated_timestamp,
        "StateTransitionedTimestamp": getattr(alarm, "state_transitioned_timestamp", alarm.state_updated_timestamp),
    }
    if alarm.description is not None:
        result["AlarmDescription"] = alarm.description
    for key in ("ActionsSuppressor", "ActionsSuppressorWaitPeriod", "ActionsSuppressorExtensionPeriod"):
        value = getattr(alarm, "ext_" + key, None)
        if value is not None:
            result[key] = value
    return result


def _check_actions(req: ExtensionRequest) -> None:
    for member in ("AlarmActions", "OKActions", "InsufficientDataActions"):
        actions = req.params.get(member) or []
        if len(actions) > 5:
            raise _validation(
                f"1 validation error detected: Value at '{member[:1].lower()}{member[1:]}' failed to satisfy "
                "constraint: Member must have length less than or equal to 5"
            )
        for arn in actions:
            if not arn.startswith("arn:"):
                raise _validation(f"Invalid arn syntax: {arn}")


@action("cloudwatch", "PutCompositeAlarm")
def put_composite_alarm(req: ExtensionRequest) -> None:
    name, rule = req.params.get("AlarmName"), req.params.get("AlarmRule")
    if not name:
        raise _missing("AlarmName")
    if not rule:
        raise _missing("AlarmRule")
    if len(name) > 255:
        raise _validation("The parameter AlarmName must be at most 255 characters long.")
    if len(rule) > 10240:
        raise _validation("The parameter AlarmRule must be at most 10240 characters long.")
    description = req.params.get("AlarmDescription")
    if description is not None and len(description) > 1024:
        raise _validation("The parameter AlarmDescription must be at most 1024 characters long.")
    _check_actions(req)
    backend = _backend(req)
    existing = backend.alarms.get(name)
    if existing is not None and existing.rule is None:
        raise _validation(f"An alarm named {name} already exists and is a metric alarm.")

    children = rule_children(req, rule)
    if len(children) > MAX_RULE_ALARMS:
        raise _validation(f"The AlarmRule can reference at most {MAX_RULE_ALARMS} alarms, got {len(children)}.")
    missing = [child for child in children if child not in backend.alarms]
    if missing:
        raise _validation(
            f"Could not save the composite alarm as alarms [{', '.join(missing)}] in the alarm rule do not exist"
        )

    suppressor = req.params.get("ActionsSuppressor")
    wait, extension = req.params.get("ActionsSuppressorWaitPeriod"), req.params.get("ActionsSuppressorExtensionPeriod")
    if suppressor:
        suppressor_name = _alarm_name(req, suppressor)
        if suppressor_name not in backend.alarms:
            raise _validation(
                f"Could not save the composite alarm as the actions suppressor {suppressor} does not exist"
            )
        if suppressor_name == name:
            raise _validation("A composite alarm cannot be its own actions suppressor.")
        for label, value in (("ActionsSuppressorWaitPeriod", wait), ("ActionsSuppressorExtensionPeriod", extension)):
            if value is not None and value < 0:
                raise _validation(f"The parameter {label} must be greater than or equal to 0.")
    elif wait is not None or extension is not None:
        raise _validation(
            "ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod can only be used with ActionsSuppressor."
        )

    tags = req.params.get("Tags") or []
    for tag in tags:
        if not tag.get("Key") or len(tag["Key"]) > 128 or len(tag.get("Value") or "") > 256:
            raise _validation("Tag keys must be 1 to 128 characters and tag values at most 256 characters long.")

    actions_enabled = req.params.get("ActionsEnabled")
    alarm = backend.put_metric_alarm(
        name=name,
        namespace=None,
        metric_name=None,
        comparison_operator=None,
        evaluation_periods=None,
        period=None,
        threshold=None,
        statistic=None,
        description=description,
        dimensions=[],
        alarm_actions=list(req.params.get("AlarmActions") or []),
        ok_actions=list(req.params.get("OKActions") or []),
        insufficient_data_actions=list(req.params.get("InsufficientDataActions") or []),
        actions_enabled=True if actions_enabled is None else actions_enabled,
        rule=rule,
        tags=None if existing is not None else tags,  # AWS ignores Tags when updating an alarm
    )
    if existing is not None:  # an update keeps the alarm's state
        alarm.state_value, alarm.state_reason = existing.state_value, existing.state_reason
        alarm.state_reason_data, alarm.state_updated_timestamp = (
            existing.state_reason_data,
            existing.state_updated_timestamp,
        )
        alarm.history = existing.history
    else:
        alarm.state_value = "INSUFFICIENT_DATA"
    alarm.ext_ActionsSuppressor = suppressor or None
    alarm.ext_ActionsSuppressorWaitPeriod = wait if suppressor else None
    alarm.ext_ActionsSuppressorExtensionPeriod = extension if suppressor else None
    return None


def _children_of(req: ExtensionRequest, alarm: Any) -> list[str]:
    try:
        return rule_children(req, alarm.rule)
    except AwsError:
        return []


@action("cloudwatch", "DescribeAlarms")
def describe_alarms(req: ExtensionRequest) -> dict[str, Any]:
    backend = _backend(req)
    p = req.params
    names, prefix = p.get("AlarmNames") or [], p.get("AlarmNamePrefix")
    children_of, parents_of = p.get("ChildrenOfAlarmName"), p.get("ParentsOfAlarmName")
    if names and prefix:
        raise AwsError("InvalidParameterCombination", "AlarmNames and AlarmNamePrefix cannot be used together.")
    if len(names) > 100:
        raise _validation("The parameter AlarmNames must contain at most 100 alarm names.")
    others = ("AlarmNames", "AlarmNamePrefix", "StateValue", "ActionPrefix", "AlarmTypes")
    if (children_of and parents_of) or ((children_of or parents_of) and any(p.get(k) for k in others)):
        raise AwsError(
            "InvalidParameterCombination",
            "ChildrenOfAlarmName and ParentsOfAlarmName cannot be used with other parameters except MaxRecords "
            "and NextToken.",
        )
    state = p.get("StateValue")
    if state is not None and state not in STATES:
        raise _validation(
            f"1 validation error detected: Value '{state}' at 'stateValue' failed to satisfy constraint: "
            "Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]"
        )
    types = p.get("AlarmTypes") or ["MetricAlarm"]
    for kind in types:
        if kind not in ALARM_TYPES:
            raise _validation(
                f"1 validation error detected: Value '{kind}' at 'alarmTypes' failed to satisfy constraint: "
                "Member must satisfy enum value set: [CompositeAlarm, MetricAlarm]"
            )
    size = p.get("MaxRecords") or 50
    if not 1 <= size <= 100:
        raise _validation("The parameter MaxRecords must be between 1 and 100.")

    alarms = sorted(backend.alarms.values(), key=lambda a: a.name)
    if children_of:
        parent = backend.alarms.get(children_of)
        wanted = set(_children_of(req, parent)) if parent is not None and parent.rule else set()
        alarms = [a for a in alarms if a.name in wanted]
        types = list(ALARM_TYPES)
    elif parents_of:
        alarms = [a for a in alarms if a.rule is not None and parents_of in _children_of(req, a)]
        types = ["CompositeAlarm"]
    else:
        if names:
            alarms = [a for a in alarms if a.name in names]
        if prefix:
            alarms = [a for a in alarms if a.name.startswith(prefix)]
        if state:
            alarms = [a for a in alarms if a.state_value == state]
        if p.get("ActionPrefix"):
            alarms = [a for a in alarms if any(x.startswith(p["ActionPrefix"]) for x in a.alarm_actions)]
    selected = [a for a in alarms if ("CompositeAlarm" if a.rule is not None else "MetricAlarm") in types]
    page, token = _page(req, selected, size)
    result: dict[str, Any] = {
        "MetricAlarms": [a for a in page if a.rule is None],
        "CompositeAlarms": [_composite_dict(a) for a in page if a.rule is not None],
    }
    if token:
        result["NextToken"] = token
    return result


@action("cloudwatch", "DeleteAlarms")
def delete_alarms(req: ExtensionRequest) -> None:
    names = req.params.get("AlarmNames")
    if names is None:
        raise _missing("AlarmNames")
    if len(names) > 100:
        raise _validation("The parameter AlarmNames must contain at most 100 alarm names.")
    backend = _backend(req)
    existing = [backend.alarms[name] for name in dict.fromkeys(names) if name in backend.alarms]
    composites = [a for a in existing if a.rule is not None]
    if len(composites) > 1:
        raise _validation("You can delete at most one composite alarm per DeleteAlarms call.")
    doomed = {a.name for a in existing}
    referenced = set()
    for alarm in backend.alarms.values():
        if alarm.rule is not None and alarm.name not in doomed:
            referenced.update(_children_of(req, alarm))
            if getattr(alarm, "ext_ActionsSuppressor", None):
                referenced.add(_alarm_name(req, alarm.ext_ActionsSuppressor))
    blocked = [a.name for a in existing if a.name in referenced]
    if blocked:
        them = "them" if len(blocked) > 1 else "it"
        raise _validation(f"Cannot delete {','.join(blocked)} as there are composite alarm(s) depending on {them}.")
    for alarm in existing:
        backend.tagger.delete_all_tags_for_resource(alarm.alarm_arn)
    backend.delete_alarms(list(doomed))
    return None


# -- anomaly detectors ------------------------------------------------------------------------------
def _dims(dimensions: Any) -> list[dict[str, str]]:
    dims = [{"Name": d.get("Name"), "Value": d.get("Value")} for d in dimensions or []]
    if len(dims) > 30:
        raise _invalid_value("The collection Dimensions must not have a size greater than 30.")
    for dim in dims:
        if not dim["Name"] or dim["Value"] is None:
            raise _missing("Dimensions.member.Name and Dimensions.member.Value")
    return dims


def _detector_target(req: ExtensionRequest) -> tuple[str, dict[str, Any]]:
    """("SINGLE_METRIC", SingleMetricAnomalyDetector) or ("METRIC_MATH", MetricMathAnomalyDetector), from the
    legacy top-level members or the structures (exactly one form)."""
    p = req.params
    legacy = any(p.get(k) for k in ("Namespace", "MetricName", "Dimensions", "Stat"))
    single, math = p.get("SingleMetricAnomalyDetector"), p.get("MetricMathAnomalyDetector")
    if sum(map(bool, (legacy, single, math))) != 1:
        raise AwsError(
            "InvalidParameterCombination",
            "Exactly one of the legacy Namespace/MetricName/Dimensions/Stat parameters, SingleMetricAnomalyDetector "
            "or MetricMathAnomalyDetector must be specified.",
        )
    if math:
        queries = math.get("MetricDataQueries") or []
        if not queries:
            raise _missing("MetricMathAnomalyDetector.MetricDataQueries")
        returned = [q for q in queries if q.get("ReturnData", True)]
        if len(returned) != 1:
            raise _invalid_value("Exactly one MetricDataQuery must have ReturnData set to true.")
        return "METRIC_MATH", {"MetricDataQueries": queries}
    source = single or p
    target = {k: source.get(k) for k in ("Namespace", "MetricName", "Stat")}
    for key, value in target.items():
        if not value:
            raise _missing(key)
    if target["Namespace"].startswith(":"):
        raise _invalid_value(f"The value {target['Namespace']} for parameter Namespace is not valid.")
    if not STAT.fullmatch(target["Stat"]):
        raise _invalid_value(f"The value {target['Stat']} for parameter Stat is not supported.")
    target["Dimensions"] = _dims(source.get("Dimensions"))
    if single and single.get("AccountId"):
        target["AccountId"] = single["AccountId"]
    return "SINGLE_METRIC", target


def _detector_key(kind: str, target: dict[str, Any]) -> str:
    if kind == "METRIC_MATH":
        return "math:" + json.dumps(target["MetricDataQueries"], sort_keys=True, default=str)
    dims = sorted((d["Name"], d["Value"]) for d in target["Dimensions"])
    return json.dumps(["single", target["Namespace"], target["MetricName"], target["Stat"], dims])


def _check_configuration(config: dict[str, Any] | None) -> dict[str, Any] | None:
    if config is None:
        return None
    for i, time_range in enumerate(config.get("ExcludedTimeRanges") or [], 1):
        start, end = time_range.get("StartTime"), time_range.get("EndTime")
        if start is None or end is None:
            raise _missing(f"Configuration.ExcludedTimeRanges.member.{i}.StartTime/EndTime")
        if start >= end:
            raise _invalid_value("The start time of an excluded time range must be before its end time.")
    timezone = config.get("MetricTimezone")
    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise _invalid_value(
                f"The value {timezone} for parameter MetricTimezone is not a valid time zone."
            ) from None
    for member, allowed in (
        ("AdaptationSpeed", ("FAST", "NORMAL", "SLOW")),
        ("OutlierFilteringStrength", ("MINIMAL", "MODERATE", "STRICT")),
    ):
        if config.get(member) is not None and config[member] not in allowed:
            raise _invalid_value(f"The value {config[member]} for parameter {member} is not valid.")
    return {**config, "ExcludedTimeRanges": list(config.get("ExcludedTimeRanges") or [])}


@action("cloudwatch", "PutAnomalyDetector")
def put_anomaly_detector(req: ExtensionRequest) -> None:
    kind, target = _detector_target(req)
    config = _check_configuration(req.params.get("Configuration"))
    detectors = req.store.setdefault("anomaly_detectors", {})
    key = _detector_key(kind, target)
    detector = detectors.get(key)
    if detector is None:
        if len(detectors) >= 500:
            raise AwsError("LimitExceededException", "The maximum number of anomaly detectors (500) is reached.")
        detector = {"AnomalyDetectorId": str(uuid.uuid4()), "StateValue": "PENDING_TRAINING", "Type": kind}
        detectors[key] = detector
    if kind == "SINGLE_METRIC":
        detector["SingleMetricAnomalyDetector"] = target
    else:
        detector["MetricMathAnomalyDetector"] = target
    detector["Configuration"] = config or {"ExcludedTimeRanges": []}
    if req.params.get("MetricCharacteristics") is not None:
        detector["MetricCharacteristics"] = req.params["MetricCharacteristics"]
    return None


def _detector_out(detector: dict[str, Any]) -> dict[str, Any]:
    result = {k: v for k, v in detector.items() if k != "Type"}
    single = detector.get("SingleMetricAnomalyDetector")
    if single:  # AWS still fills the deprecated top-level members
        result.update({k: single[k] for k in ("Namespace", "MetricName", "Dimensions", "Stat")})
    return result


@action("cloudwatch", "DescribeAnomalyDetectors")
def describe_anomaly_detectors(req: ExtensionRequest) -> dict[str, Any]:
    p = req.params
    types = p.get("AnomalyDetectorTypes") or []
    for kind in types:
        if kind not in ("SINGLE_METRIC", "METRIC_MATH"):
            raise _invalid_value(f"The value {kind} for parameter AnomalyDetectorTypes is not valid.")
    size = p.get("MaxResults") or 100
    if size < 1:
        raise _invalid_value("The parameter MaxResults must be greater than 0.")
    wanted_dims = _dims(p.get("Dimensions"))
    ids = p.get("AnomalyDetectorIds") or []
    found = []
    for detector in req.store.get("anomaly_detectors", {}).values():
        single = detector.get("SingleMetricAnomalyDetector") or {}
        if types and detector["Type"] not in types:
            continue
        if ids and detector["AnomalyDetectorId"] not in ids:
            continue
        if p.get("Namespace") and single.get("Namespace") != p["Namespace"]:
            continue
        if p.get("MetricName") and single.get("MetricName") != p["MetricName"]:
            continue
        if wanted_dims and any(d not in single.get("Dimensions", []) for d in wanted_dims):
            continue
        found.append(_detector_out(detector))
    page, token = _page(req, found, size)
    result: dict[str, Any] = {"AnomalyDetectors": page}
    if token:
        result["NextToken"] = token
    return result


@action("cloudwatch", "DeleteAnomalyDetector")
def delete_anomaly_detector(req: ExtensionRequest) -> None:
    detectors = req.store.setdefault("anomaly_detectors", {})
    detector_id = req.params.get("AnomalyDetectorId")
    if detector_id:
        key = next((k for k, d in detectors.items() if d["AnomalyDetectorId"] == detector_id), None)
    else:
        key = _detector_key(*_detector_target(req))
    if key is None or key not in detectors:
        raise AwsError("ResourceNotFoundException", "This anomaly detection model does not exist.")
    del detectors[key]
    return None


# -- dashboards -------------------------------------------------------------------------------------
def _dashboard_errors(body: Any) -> list[dict[str, str]]:
    """AWS's dashboard body checks, as DashboardValidationMessages (DataPath is a JSON pointer)."""
    if not isinstance(body, dict):
        return [{"DataPath": "", "Message": "Should be object"}]
    widgets = body.get("widgets")
    if widgets is None:
        return [{"DataPath": "", "Message": "Should have required property 'widgets'"}]
    if not isinstance(widgets, list):
        return [{"DataPath": "/widgets", "Message": "Should be array"}]
    errors = []
    for i, widget in enumerate(widgets):
        path = f"/widgets/{i}"
        if not isinstance(widget, dict):
            errors.append({"DataPath": path, "Message": "Should be object"})
            continue
        kind = widget.get("type")
        if kind is None:
            errors.append({"DataPath": path, "Message": "Should have required property 'type'"})
            continue
        if kind not in WIDGET_TYPES:
            errors.append({"DataPath": f"{path}/type", "Message": "Should be equal to one of the allowed values"})
            continue
        for coordinate in ("x", "y", "width", "height"):
            value = widget.get(coordinate)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                errors.append({"DataPath": f"{path}/{coordinate}", "Message": "Should be integer >= 0"})
        if widget.get("width") is not None and isinstance(widget["width"], int) and widget["width"] > 24:
            errors.append({"DataPath": f"{path}/width", "Message": "Should be <= 24"})
        props = widget.get("properties")
        if props is None:
            errors.append({"DataPath": path, "Message": "Should have required property 'properties'"})
            continue
        if not isinstance(props, dict):
            errors.append({"DataPath": f"{path}/properties", "Message": "Should be object"})
            continue
        ppath = f"{path}/properties"
        if kind == "metric":
            if "metrics" not in props and "expression" not in props:
                errors.append({"DataPath": ppath, "Message": "Should have required property 'metrics' or 'expression'"})
            elif "metrics" in props and not isinstance(props["metrics"], list):
                errors.append({"DataPath": f"{ppath}/metrics", "Message": "Should be array"})
        elif kind == "text" and not isinstance(props.get("markdown"), str):
            errors.append({"DataPath": ppath, "Message": "Should have required property 'markdown'"})
        elif kind == "log" and not isinstance(props.get("query"), str):
            errors.append({"DataPath": ppath, "Message": "Should have required property 'query'"})
        elif kind == "alarm" and not isinstance(props.get("alarms"), list):
            errors.append({"DataPath": ppath, "Message": "Should have required property 'alarms'"})
        elif kind == "custom" and not isinstance(props.get("endpoint"), str):
            errors.append({"DataPath": ppath, "Message": "Should have required property 'endpoint'"})
        elif kind == "explorer" and not isinstance(props.get("metrics"), list):
            errors.append({"DataPath": ppath, "Message": "Should have required property 'metrics'"})
    return errors


def _dashboard_error(message: str, messages: list[dict[str, str]] | None = None) -> AwsError:
    err = AwsError("InvalidParameterInput", message)
    if messages is not None:
        err.dashboardValidationMessages = messages  # type: ignore[attr-defined]
    return err


@action("cloudwatch", "PutDashboard")
def put_dashboard(req: ExtensionRequest) -> dict[str, Any]:
    name, body = req.params.get("DashboardName"), req.params.get("DashboardBody")
    if not name:
        raise _missing("DashboardName")
    if body is None:
        raise _missing("DashboardBody")
    if not DASHBOARD_NAME.fullmatch(name):
        raise _dashboard_error(
            "The value for field DashboardName contains invalid characters. It can only contain alphanumerics, "
            "dash (-) and underscore (_)."
        )
    try:
        parsed = json.loads(body)
    except ValueError:
        raise _dashboard_error(
            "The field DashboardBody must be a valid JSON object",
            [{"DataPath": "", "Message": "Should be a valid JSON object"}],
        ) from None
    errors = _dashboard_errors(parsed)
    if errors:
        detail = json.dumps([{"dataPath": e["DataPath"], "message": e["Message"]} for e in errors])
        raise _dashboard_error(
            f"The dashboard body is invalid, there are {len(errors)} validation errors: {detail}", errors
        )
    backend = _backend(req)
    dashboard = backend.put_dashboard(name, body)
    if req.params.get("Tags"):
        backend.tagger.tag_resource(dashboard.arn, req.params["Tags"])
    return {"DashboardValidationMessages": []}
