"""Requests checked against botocore's service model before any service sees them, as AWS's front ends do.

moto (and, less so, the project's extensions) accept values AWS refuses: enum members that do not exist, names
longer than the service allows, strings that break the model's pattern, numbers out of range, missing required
members. A test that passes against such leniency can fail on AWS. So every API call of a service in
:data:`STRICT_SERVICES` is parsed into the operation's input (moto's own protocol parsers, through the extension
registry's routing) and checked here (actions an extension serves are left to the extension, which validates them
with AWS's own error details, such as WAF's ``Field`` and ``Parameter``); a request that breaks a constraint is
refused with the error AWS's validation layer answers, in that service's code and the request's protocol, e.g.::

    1 validation error detected: Value 'GLOBAL' at 'scope' failed to satisfy constraint: Member must satisfy enum
    value set: [CLOUDFRONT, REGIONAL]

What is checked (Smithy's constraint traits, as botocore's model carries them): ``required`` at every depth,
``enum``, ``min``/``max`` (length of strings, lists and maps; value of numbers) and ``pattern``, applied as the
modules' own validation applies it (one implementation, ``model_validation.matches_pattern`` in the collection's
module_utils: searched when anchored at its start or end, matched against the whole value when not).
"""

from __future__ import annotations

from typing import Any

from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import matches_pattern

# boto3 client names whose calls are checked: every service the project calls (roles, modules, Terraform).
STRICT_SERVICES = (
    "acm",
    "apigateway",
    "backup",
    "budgets",
    "cloudfront",
    "cloudtrail",
    "cloudwatch",
    "codebuild",
    "codedeploy",
    "codepipeline",
    "codestar-connections",
    "ec2",
    "ecr",
    "ecs",
    "efs",
    "elbv2",
    "events",
    "iam",
    "inspector2",
    "kms",
    "logs",
    "rds",
    "resourcegroupstaggingapi",
    "route53",
    "s3",  # refused in S3's own words: strict_s3.py
    "secretsmanager",
    "servicediscovery",
    "shield",
    "sns",
    "sqs",
    "sts",
    "wafv2",
    "xray",
)

# The error code each service's validation layer answers with (its model's error shape where it has one).
ERROR_CODES = {
    "wafv2": "WAFInvalidParameterException",
    "shield": "InvalidParameterException",
    "logs": "InvalidParameterException",
    "ecs": "InvalidParameterException",
    "ecr": "InvalidParameterException",
    "budgets": "InvalidParameterException",
    "apigateway": "BadRequestException",
    "route53": "InvalidInput",
    "servicediscovery": "InvalidInput",
    "cloudfront": "InvalidArgument",
    "efs": "BadRequest",
    "backup": "InvalidParameterValueException",
    "ec2": "InvalidParameterValue",
    "rds": "InvalidParameterValue",
    "iam": "ValidationError",
    "sns": "InvalidParameter",
    "cloudwatch": "ValidationError",
    "elbv2": "ValidationError",
    "sts": "ValidationError",
    "sqs": "InvalidParameterValue",
}
# The others answer AWS's common ValidationException, even where the model has an InvalidParameterException for the
# service's own checks: Secrets Manager answers a constraint violation with ValidationException
# (com.amazon.AWSMimirService#ValidationException in aws/aws-sdk-js-v3#1215).
DEFAULT_CODE = "ValidationException"
# A value the model marks sensitive (a secret, a token): never quoted back.
SENSITIVE = object()
# AWS lists at most this many problems in one message.
MAX_REPORTED = 10


def _quoted(value: Any) -> str:
    if value is SENSITIVE:  # AWS leaves a sensitive member's value out: "Value at 'password' failed to ..."
        return ""
    return " null" if value is None else f" {_shown(value)!r}"


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 64 else text[:61] + "..."


def _string_problems(value: str, shape: Any) -> list[str]:
    problems = []
    if shape.enum and value not in shape.enum:
        problems.append(f"Member must satisfy enum value set: [{', '.join(shape.enum)}]")
    meta = shape.metadata
    if "min" in meta and len(value) < meta["min"]:
        problems.append(f"Member must have length greater than or equal to {meta['min']}")
    if "max" in meta and len(value) > meta["max"]:
        problems.append(f"Member must have length less than or equal to {meta['max']}")
    pattern = meta.get("pattern")
    if pattern and value and not matches_pattern(pattern, value):
        problems.append(f"Member must satisfy regular expression pattern: {pattern}")
    return problems


def _number_problems(value: Any, shape: Any) -> list[str]:
    meta = shape.metadata
    problems = []
    if "min" in meta and value < meta["min"]:
        problems.append(f"Member must have value greater than or equal to {meta['min']}")
    if "max" in meta and value > meta["max"]:
        problems.append(f"Member must have value less than or equal to {meta['max']}")
    return problems


def _size_problems(size: int, shape: Any) -> list[str]:
    meta = shape.metadata
    problems = []
    if "min" in meta and size < meta["min"]:
        problems.append(f"Member must have length greater than or equal to {meta['min']}")
    if "max" in meta and size > meta["max"]:
        problems.append(f"Member must have length less than or equal to {meta['max']}")
    return problems


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def problems(value: Any, shape: Any, path: str = "") -> list[tuple[str, Any, str]]:
    """Every (path, value, constraint) that ``value`` breaks in ``shape``, depth first."""
    found: list[tuple[str, Any, str]] = []
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return found
        for name in shape.required_members:
            if value.get(name) is None:
                found.append((_join(path, name), None, "Member must not be null"))
        for name, member in shape.members.items():
            if value.get(name) is not None:
                found += problems(value[name], member, _join(path, name))
    elif kind == "list" and isinstance(value, list):
        found += [(path, value, p) for p in _size_problems(len(value), shape)]
        for index, item in enumerate(value):
            found += problems(item, shape.member, f"{path}.{index + 1}.member")
    elif kind == "map" and isinstance(value, dict):
        found += [(path, value, p) for p in _size_problems(len(value), shape)]
        for key, item in value.items():
            found += [(f"{path}.{key}.key", key, p) for p in _string_problems(str(key), shape.key)]
            found += problems(item, shape.value, f"{path}.{key}.value")
    elif kind == "string" and isinstance(value, str):
        shown = SENSITIVE if shape.metadata.get("sensitive") else value
        found += [(path, shown, p) for p in _string_problems(value, shape)]
    elif kind in ("integer", "long", "float", "double") and isinstance(value, int | float):
        found += [(path, value, p) for p in _number_problems(value, shape)]
    return found


def _join(path: str, name: str) -> str:
    return f"{path}.{_lower_first(name)}" if path else _lower_first(name)


def validation_message(found: list[tuple[str, Any, str]]) -> str:
    """AWS's wording: ``N validation error(s) detected: Value 'x' at 'path' failed to satisfy constraint: ...``."""
    shown = found[:MAX_REPORTED]
    parts = [f"Value{_quoted(value)} at '{path}' failed to satisfy constraint: {why}" for path, value, why in shown]
    count = len(found)
    return f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(parts)


def error_code(service: str) -> str:
    return ERROR_CODES.get(service, DEFAULT_CODE)
