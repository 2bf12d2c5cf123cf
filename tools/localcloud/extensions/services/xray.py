"""X-Ray actions moto 5.2.5 lacks: sampling rules, groups, encryption config and their tags.

moto's X-Ray serves traces and segments only (``/TraceSegments``, ``/Traces``, ``/TraceSummaries``,
``/ServiceGraph``, ``/TraceGraph``, ``/TelemetryRecords``); every action here has its own
``requestUri`` in botocore's model, so nothing clashes with moto's routes.

State is per account and region (``req.store``), emptied by every reset:

- ``rules``: name -> SamplingRuleRecord; the built-in ``Default`` rule (priority 10000, 5 %, reservoir 1,
  wildcards) is always there, cannot be deleted, and only its ``FixedRate``/``ReservoirSize`` change.
- ``groups``: name -> Group; the built-in ``Default`` group is always there and cannot be deleted.
- ``tags``: resource ARN -> {key: value}, for sampling rules and groups.
- ``encryption``: the EncryptionConfig (``NONE``/``ACTIVE`` until set; KMS keys are looked up in moto's KMS).

X-Ray answers invalid input and unknown names with ``InvalidRequestException`` (the tag actions with
``ResourceNotFoundException``), as AWS does.
"""

from __future__ import annotations

import base64
import secrets
import string
from datetime import UTC, datetime
from typing import Any

from ..registry import AwsError, ExtensionRequest, action

DEFAULT = "Default"
MAX_RULES = 25  # user rules per account and region (the Default rule does not count)
MAX_TAGS = 50
PAGE_SIZE = 10  # GetSamplingRules / GetGroups page size (X-Ray has no MaxResults)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # what AWS shows as CreatedAt/ModifiedAt of the Default rule
RULE_MATCHERS = {"ServiceName": 64, "ServiceType": 64, "Host": 64, "HTTPMethod": 10, "URLPath": 128, "ResourceARN": 500}
RULE_REQUIRED = ("ResourceARN", "Priority", "FixedRate", "ReservoirSize", *RULE_MATCHERS, "Version")


# -- helpers ----------------------------------------------------------------------------------------
def _invalid(message: str) -> AwsError:
    return AwsError("InvalidRequestException", message)


def _null(path: str) -> AwsError:
    return _invalid(
        f"1 validation error detected: Value null at '{path}' failed to satisfy constraint: Member must not be null"
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _arn(req: ExtensionRequest, resource: str) -> str:
    return f"arn:{req.partition}:xray:{req.region}:{req.account_id}:{resource}"


def _page(req: ExtensionRequest, items: list[Any]) -> tuple[list[Any], str | None]:
    start = 0
    token = req.params.get("NextToken")
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token.encode()).decode())
        except ValueError:
            raise _invalid("Invalid NextToken") from None
        if not 0 <= start <= len(items):
            raise _invalid("Invalid NextToken")
    page = items[start : start + PAGE_SIZE]
    end = start + len(page)
    return page, (base64.urlsafe_b64encode(str(end).encode()).decode() if end < len(items) else None)


def _tags_in(tags: Any) -> dict[str, str]:
    """Validated tags (list of Key/Value) as a dict."""
    result: dict[str, str] = {}
    for tag in tags or []:
        key, value = tag.get("Key"), tag.get("Value")
        if not key or len(key) > 128:
            raise _invalid("Tag keys must be 1 to 128 characters long")
        if value is None or len(value) > 256:
            raise _invalid("Tag values must be 0 to 256 characters long")
        if key.lower().startswith("aws:"):
            raise _invalid("Tag keys beginning with 'aws:' are reserved for AWS use")
        result[key] = value
    return result


def _apply_tags(req: ExtensionRequest, arn: str, tags: Any) -> None:
    new = _tags_in(tags)
    current = req.store.setdefault("tags", {}).setdefault(arn, {})
    if len({**current, **new}) > MAX_TAGS:
        raise AwsError("TooManyTagsException", f"A resource can have at most {MAX_TAGS} tags")
    current.update(new)


# -- sampling rules ---------------------------------------------------------------------------------
def _rules(req: ExtensionRequest) -> dict[str, dict[str, Any]]:
    rules = req.store.setdefault("rules", {})
    if DEFAULT not in rules:
        rules[DEFAULT] = {
            "SamplingRule": {
                "RuleName": DEFAULT,
                "RuleARN": _arn(req, f"sampling-rule/{DEFAULT}"),
                "ResourceARN": "*",
                "Priority": 10000,
                "FixedRate": 0.05,
                "ReservoirSize": 1,
                "ServiceName": "*",
                "ServiceType": "*",
                "Host": "*",
                "HTTPMethod": "*",
                "URLPath": "*",
                "Version": 1,
                "Attributes": {},
            },
            "CreatedAt": EPOCH,
            "ModifiedAt": EPOCH,
        }
    return rules


def _check_rule_values(rule: dict[str, Any], prefix: str) -> None:
    """AWS's constraints on the members present in a SamplingRule or SamplingRuleUpdate."""
    name = rule.get("RuleName")
    if name is not None and not 1 <= len(name) <= 32:
        raise _invalid(f"{prefix}.ruleName must be 1 to 32 characters long")
    if rule.get("Priority") is not None and not 1 <= rule["Priority"] <= 9999:
        raise _invalid(f"{prefix}.priority must be between 1 and 9999")
    if rule.get("FixedRate") is not None and not 0 <= rule["FixedRate"] <= 1:
        raise _invalid(f"{prefix}.fixedRate must be between 0 and 1")
    if rule.get("ReservoirSize") is not None and rule["ReservoirSize"] < 0:
        raise _invalid(f"{prefix}.reservoirSize must be greater than or equal to 0")
    for member, limit in RULE_MATCHERS.items():
        value = rule.get(member)
        if value is not None and not 1 <= len(value) <= limit:
            raise _invalid(f"{prefix}.{member[:1].lower()}{member[1:]} must be 1 to {limit} characters long")
    attributes = rule.get("Attributes")
    if attributes is not None:
        if len(attributes) > 5:
            raise _invalid(f"{prefix}.attributes can have at most 5 entries")
        for key, value in attributes.items():
            if not 1 <= len(key) <= 32 or not 1 <= len(value or "") <= 32:
                raise _invalid(f"{prefix}.attributes keys and values must be 1 to 32 characters long")
    boost = rule.get("SamplingRateBoost")
    if boost is not None:
        if boost.get("MaxRate") is None or not 0 <= boost["MaxRate"] <= 1:
            raise _invalid(f"{prefix}.samplingRateBoost.maxRate must be between 0 and 1")
        if boost.get("CooldownWindowMinutes") is None or boost["CooldownWindowMinutes"] < 1:
            raise _invalid(f"{prefix}.samplingRateBoost.cooldownWindowMinutes must be at least 1")


def _find_rule(req: ExtensionRequest, name: str | None, arn: str | None) -> dict[str, Any]:
    if bool(name) == bool(arn):
        raise _invalid("Specify a sampling rule by either RuleName or RuleARN, but not both")
    rules = _rules(req)
    by_arn = (r for r in rules.values() if r["SamplingRule"]["RuleARN"] == arn)
    record = rules.get(name) if name else next(by_arn, None)
    if record is None:
        raise _invalid(f"Sampling rule does not exist: {name or arn}")
    return record


@action("xray", "CreateSamplingRule")
def create_sampling_rule(req: ExtensionRequest) -> dict[str, Any]:
    rule = req.params.get("SamplingRule")
    if rule is None:
        raise _null("samplingRule")
    if not rule.get("RuleName"):
        raise _null("samplingRule.ruleName")
    for member in RULE_REQUIRED:
        if rule.get(member) is None:
            raise _null(f"samplingRule.{member[:1].lower()}{member[1:]}")
    _check_rule_values(rule, "samplingRule")
    if rule["Version"] != 1:
        raise _invalid("samplingRule.version: the only supported version is 1")
    rules = _rules(req)
    name = rule["RuleName"]
    if name in rules:
        raise _invalid(f"A sampling rule with the name {name} already exists")
    if len(rules) - 1 >= MAX_RULES:
        raise AwsError(
            "RuleLimitExceededException", f"You have reached the maximum number of sampling rules ({MAX_RULES})"
        )
    arn = _arn(req, f"sampling-rule/{name}")
    tags = _tags_in(req.params.get("Tags"))
    if len(tags) > MAX_TAGS:
        raise AwsError("TooManyTagsException", f"A resource can have at most {MAX_TAGS} tags")
    stored = {key: value for key, value in rule.items() if key != "RuleARN"}
    stored.update(RuleARN=arn, Attributes=dict(rule.get("Attributes") or {}))
    now = _now()
    rules[name] = {"SamplingRule": stored, "CreatedAt": now, "ModifiedAt": now}
    if tags:
        req.store.setdefault("tags", {})[arn] = tags
    return {"SamplingRuleRecord": rules[name]}


@action("xray", "GetSamplingRules")
def get_sampling_rules(req: ExtensionRequest) -> dict[str, Any]:
    records = sorted(_rules(req).values(), key=lambda r: (r["SamplingRule"]["Priority"], r["SamplingRule"]["RuleName"]))
    page, token = _page(req, records)
    result: dict[str, Any] = {"SamplingRuleRecords": page}
    if token:
        result["NextToken"] = token
    return result


@action("xray", "UpdateSamplingRule")
def update_sampling_rule(req: ExtensionRequest) -> dict[str, Any]:
    update = req.params.get("SamplingRuleUpdate")
    if update is None:
        raise _null("samplingRuleUpdate")
    record = _find_rule(req, update.get("RuleName"), update.get("RuleARN"))
    rule = record["SamplingRule"]
    changes = {k: v for k, v in update.items() if k not in ("RuleName", "RuleARN") and v is not None}
    if rule["RuleName"] == DEFAULT:  # only the rate and the reservoir of the Default rule change
        if any(k not in ("FixedRate", "ReservoirSize") and rule.get(k) != v for k, v in changes.items()):
            raise _invalid("Invalid update request for default sampling rule")
        changes = {k: v for k, v in changes.items() if k in ("FixedRate", "ReservoirSize")}
    _check_rule_values(changes, "samplingRuleUpdate")
    rule.update(changes)
    record["ModifiedAt"] = _now()
    return {"SamplingRuleRecord": record}


@action("xray", "DeleteSamplingRule")
def delete_sampling_rule(req: ExtensionRequest) -> dict[str, Any]:
    record = _find_rule(req, req.params.get("RuleName"), req.params.get("RuleARN"))
    rule = record["SamplingRule"]
    if rule["RuleName"] == DEFAULT:
        raise _invalid("The default sampling rule cannot be deleted")
    del _rules(req)[rule["RuleName"]]
    req.store.setdefault("tags", {}).pop(rule["RuleARN"], None)
    return {"SamplingRuleRecord": record}


# -- groups -----------------------------------------------------------------------------------------
def _groups(req: ExtensionRequest) -> dict[str, dict[str, Any]]:
    groups = req.store.setdefault("groups", {})
    if DEFAULT not in groups:
        groups[DEFAULT] = {
            "GroupName": DEFAULT,
            "GroupARN": _arn(req, f"group/{DEFAULT}"),
            "InsightsConfiguration": {"InsightsEnabled": False, "NotificationsEnabled": False},
        }
    return groups


def _check_filter(expression: str | None) -> None:
    """A basic syntax check: not blank, balanced parentheses and quotes."""
    if expression is None:
        return
    if not expression.strip():
        raise _invalid("Invalid filter expression: the expression is empty")
    depth, quote = 0, None
    for char in expression:
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise _invalid(f"Invalid filter expression: unbalanced parentheses in {expression!r}")
    if quote:
        raise _invalid(f"Invalid filter expression: unterminated string in {expression!r}")
    if depth:
        raise _invalid(f"Invalid filter expression: unbalanced parentheses in {expression!r}")


def _insights(config: dict[str, Any] | None, current: dict[str, Any] | None = None) -> dict[str, Any]:
    merged = {"InsightsEnabled": False, "NotificationsEnabled": False, **(current or {})}
    merged.update({k: v for k, v in (config or {}).items() if v is not None})
    if merged["NotificationsEnabled"] and not merged["InsightsEnabled"]:
        raise _invalid("Notifications can only be enabled for a group with insights enabled")
    return merged


def _find_group(req: ExtensionRequest) -> dict[str, Any]:
    name, arn = req.params.get("GroupName"), req.params.get("GroupARN")
    if not name and not arn:
        raise _invalid("Either GroupName or GroupARN must be specified")
    groups = _groups(req)
    group = groups.get(name) if name else next((g for g in groups.values() if g["GroupARN"] == arn), None)
    if group is None or (name and arn and group["GroupARN"] != arn):
        raise _invalid("Group not found")
    return group


@action("xray", "CreateGroup")
def create_group(req: ExtensionRequest) -> dict[str, Any]:
    name = req.params.get("GroupName")
    if not name:
        raise _null("groupName")
    if not 1 <= len(name) <= 32:
        raise _invalid("groupName must be 1 to 32 characters long")
    groups = _groups(req)
    if name == DEFAULT:
        raise _invalid("Default is a reserved group name")
    if name in groups:
        raise _invalid(f"Group {name} already exists")
    expression = req.params.get("FilterExpression")
    _check_filter(expression)
    group_id = "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(56))
    group: dict[str, Any] = {"GroupName": name, "GroupARN": _arn(req, f"group/{name}/{group_id}")}
    if expression is not None:
        group["FilterExpression"] = expression
    group["InsightsConfiguration"] = _insights(req.params.get("InsightsConfiguration"))
    tags = _tags_in(req.params.get("Tags"))
    if len(tags) > MAX_TAGS:
        raise AwsError("TooManyTagsException", f"A resource can have at most {MAX_TAGS} tags")
    groups[name] = group
    if tags:
        req.store.setdefault("tags", {})[group["GroupARN"]] = tags
    return {"Group": group}


@action("xray", "GetGroup")
def get_group(req: ExtensionRequest) -> dict[str, Any]:
    return {"Group": _find_group(req)}


@action("xray", "GetGroups")
def get_groups(req: ExtensionRequest) -> dict[str, Any]:
    page, token = _page(req, list(_groups(req).values()))
    result: dict[str, Any] = {"Groups": page}
    if token:
        result["NextToken"] = token
    return result


@action("xray", "UpdateGroup")
def update_group(req: ExtensionRequest) -> dict[str, Any]:
    group = _find_group(req)
    expression = req.params.get("FilterExpression")
    if expression is not None:
        if group["GroupName"] == DEFAULT:
            raise _invalid("The filter expression of the Default group cannot be changed")
        _check_filter(expression)
    insights = _insights(req.params.get("InsightsConfiguration"), group.get("InsightsConfiguration"))
    if expression is not None:
        group["FilterExpression"] = expression
    group["InsightsConfiguration"] = insights
    return {"Group": group}


@action("xray", "DeleteGroup")
def delete_group(req: ExtensionRequest) -> dict[str, Any]:
    group = _find_group(req)
    if group["GroupName"] == DEFAULT:
        raise _invalid("The Default group cannot be deleted")
    del _groups(req)[group["GroupName"]]
    req.store.setdefault("tags", {}).pop(group["GroupARN"], None)
    return {}


# -- tags -------------------------------------------------------------------------------------------
def _taggable(req: ExtensionRequest) -> str:
    arn = req.params.get("ResourceARN")
    if not arn:
        raise _null("resourceARN")
    if not any(r["SamplingRule"]["RuleARN"] == arn for r in _rules(req).values()) and not any(
        g["GroupARN"] == arn for g in _groups(req).values()
    ):
        raise AwsError("ResourceNotFoundException", f"Resource not found: {arn}")
    return arn


@action("xray", "TagResource")
def tag_resource(req: ExtensionRequest) -> dict[str, Any]:
    arn = _taggable(req)
    if req.params.get("Tags") is None:
        raise _null("tags")
    _apply_tags(req, arn, req.params["Tags"])
    return {}


@action("xray", "UntagResource")
def untag_resource(req: ExtensionRequest) -> dict[str, Any]:
    arn = _taggable(req)
    if req.params.get("TagKeys") is None:
        raise _null("tagKeys")
    current = req.store.setdefault("tags", {}).setdefault(arn, {})
    for key in req.params["TagKeys"]:
        current.pop(key, None)
    return {}


@action("xray", "ListTagsForResource")
def list_tags_for_resource(req: ExtensionRequest) -> dict[str, Any]:
    arn = _taggable(req)
    tags = req.store.get("tags", {}).get(arn, {})
    return {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}


# -- encryption -------------------------------------------------------------------------------------
@action("xray", "GetEncryptionConfig")
def get_encryption_config(req: ExtensionRequest) -> dict[str, Any]:
    config = req.store.get("encryption") or {"Type": "NONE", "Status": "ACTIVE"}
    return {"EncryptionConfig": {**config, "Status": "ACTIVE"}}


@action("xray", "PutEncryptionConfig")
def put_encryption_config(req: ExtensionRequest) -> dict[str, Any]:
    kind = req.params.get("Type")
    if not kind:
        raise _null("type")
    if kind not in ("NONE", "KMS"):
        raise _invalid(
            f"1 validation error detected: Value '{kind}' at 'type' failed to satisfy constraint: "
            "Member must satisfy enum value set: [NONE, KMS]"
        )
    config: dict[str, Any] = {"Type": kind}
    if kind == "KMS":
        key_id = req.params.get("KeyId")
        if not key_id:
            raise _invalid("KeyId is required when Type is KMS")
        if len(key_id) > 3000:
            raise _invalid("KeyId must be at most 3000 characters long")
        config["KeyId"] = _kms_key_arn(req, key_id)
    req.store["encryption"] = config
    return {"EncryptionConfig": {**config, "Status": "UPDATING"}}


def _kms_key_arn(req: ExtensionRequest, key_id: str) -> str:
    """The ARN of a symmetric, enabled key of moto's KMS in this account and region."""
    if key_id.startswith("arn:"):
        parts = key_id.split(":")
        if len(parts) < 6 or parts[2] != "kms" or parts[3] != req.region or parts[4] != req.account_id:
            raise _invalid(f"Invalid KMS key: {key_id}")
    kms = req.moto_backend("kms")
    try:
        key = kms.keys.get(kms.any_id_to_key_id(key_id))
    except Exception:  # an alias moto does not know
        key = None
    if key is None:
        raise _invalid(f"KMS key not found: {key_id}")
    if getattr(key, "key_state", "Enabled") != "Enabled":
        raise _invalid(f"KMS key is not enabled: {key_id}")
    if getattr(key, "key_spec", "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT":
        raise _invalid(f"KMS key must be a symmetric encryption key: {key_id}")
    return key.arn
