# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A request checked against botocore's model of its operation before it is sent, each problem told in the
module's own option path with the fix.

botocore's client checks only required members, types and minimums; AWS's front end also refuses enum values that
do not exist, strings longer than the model allows or that break its pattern, numbers above the maximum. A module
that leaves those to AWS fails after earlier writes (a partial apply), with AWS's API path
(``Rules[0].Statement.ByteMatchStatement``) rather than the option the user wrote. So a module builds the request it
is about to send, calls :func:`request_errors` on it, and fails before its first write.

What is checked (Smithy's constraint traits, as botocore's model carries them): ``required`` at every depth, members
the shape does not have, types, ``enum``, ``min``/``max`` (length of strings, blobs, lists and maps; value of
numbers) and ``pattern`` (searched when it is anchored at either end, as Smithy defines patterns; matched against the
whole value when it is not, as the older query services apply theirs). A pattern Python's ``re`` cannot compile is
skipped rather than refuse a valid value.

Option paths: an API path (``Rules[0].Statement.RateBasedStatement.Limit``) is rendered with its members in
snake_case (``rules[0].statement.rate_based_statement.limit``) unless the module gives renames, pairs of an API
prefix and an option prefix where ``[*]`` stands for any index (``("Rules[*].Statement.RateBasedStatement",
"rules[*].rate_based")``). A rename marked raw keeps what follows it in AWS's spelling: that is how the user wrote it
(a WAF ``statement`` given in the API's own shape).
"""

import difflib
import functools
import re
from collections import namedtuple

try:  # \p{L} and friends, which some models use and Python's re lacks
    import regex as _re
except ImportError:  # pragma: no cover - regex is not on every controller
    _re = re

# One problem: the API path (a tuple of member names and list indices), the value, what is wrong, the fix.
Problem = namedtuple("Problem", "path value wrong fix")
# An API prefix such as "Rules[*].Statement", the option prefix it is written as, and whether the rest of the path
# stays in AWS's spelling.
Rename = namedtuple("Rename", "api option raw", defaults=(False,))


class MapKey(str):
    """A key of a map in an API path: the user's own word, never renamed."""


# How many enum values a message lists before it only names the closest ones.
ENUM_LISTED = 12
_TYPES = {
    "structure": (dict,),
    "list": (list, tuple),
    "map": (dict,),
    "string": (str,),
    "blob": (str, bytes, bytearray),
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "timestamp": (str, int, float, object),
}
_TYPE_WORDS = {"structure": "a dictionary", "list": "a list", "map": "a dictionary", "boolean": "true or false"}


@functools.lru_cache(maxsize=1024)
def _compiled(pattern):
    try:
        return _re.compile(pattern)
    except Exception:  # a construct this engine lacks: leave that pattern unchecked
        return None


def matches_pattern(pattern, value):
    """Whether ``value`` satisfies a model pattern (see the module docstring for anchored and bare patterns).

    A bare pattern such as IAM's ``[\\w+=,.@-]+`` or CloudWatch Logs' metric names ``[^:*$]*`` is applied by the
    service to the whole value (IAM refuses "bad role name", Logs a metric name with a colon). The local cloud's
    strict mode (tools/localcloud/strict.py) uses this function too, so both agree with AWS in one place."""
    # Anchored at either end, not merely holding ^ or $ (``[^:*$]*`` is a bare pattern: both are in a class).
    compiled, anchored = _compiled(pattern), pattern.startswith("^") or re.search(r"(?<!\\)\$$", pattern)
    return compiled is None or bool(compiled.search(value) if anchored else compiled.fullmatch(value))


def _enum_fix(value, shape):
    allowed = shape.enum
    if len(allowed) <= ENUM_LISTED:
        return f"use one of {', '.join(allowed)}"
    close = difflib.get_close_matches(str(value), allowed, n=5, cutoff=0.6) if len(str(value)) > 3 else []
    hint = f", such as {', '.join(close)}" if close else ""
    return f"use one of the {len(allowed)} values of AWS's {shape.name}{hint}"


def _bounds(meta, unit):
    low, high = meta.get("min"), meta.get("max")
    if low is not None and high is not None:
        return f"{low} to {high}{unit}"
    return f"at least {low}{unit}" if low is not None else f"at most {high}{unit}"


def _length_problems(path, value, size, meta, unit):
    too_short = "min" in meta and size < meta["min"]
    too_long = "max" in meta and size > meta["max"]
    if not (too_short or too_long):
        return []
    return [Problem(path, value, f"has {size}{unit}", f"give {_bounds(meta, unit)}")]


def _string_problems(path, value, shape):
    if shape.enum and value not in shape.enum:
        return [Problem(path, value, "is not a value AWS accepts", _enum_fix(value, shape))]
    meta = shape.metadata
    found = _length_problems(path, value, len(value), meta, " characters")
    pattern = meta.get("pattern")
    if pattern and value and not matches_pattern(pattern, value):
        found.append(Problem(path, value, "is not in the form AWS accepts", f"match the pattern {pattern}"))
    return found


def _number_problems(path, value, shape):
    meta = shape.metadata
    if ("min" in meta and value < meta["min"]) or ("max" in meta and value > meta["max"]):
        return [Problem(path, value, "is out of range", f"set a value from {_bounds(meta, '')}")]
    return []


def _structure_problems(path, value, shape):
    found = [
        Problem((*path, name), None, "is required by AWS", "set it")
        for name in shape.required_members
        if value.get(name) is None
    ]
    for name, item in value.items():
        member = shape.members.get(name)
        if member is None:
            known = ", ".join(shape.members)
            found.append(Problem((*path, name), item, "is not known to AWS here", f"use one of {known}"))
        elif item is not None:
            found += shape_problems(item, member, (*path, name))
    return found


def shape_problems(value, shape, path=()):
    """Every Problem of ``value`` against the botocore ``shape``, depth first."""
    kind = shape.type_name
    if not isinstance(value, _TYPES.get(kind, (object,))) or (kind in ("integer", "long") and value is True):
        return [Problem(path, value, "has the wrong type", f"give {_TYPE_WORDS.get(kind, 'a ' + kind)}")]
    if kind == "structure":
        return _structure_problems(path, value, shape)
    if kind == "list":
        found = _length_problems(path, value, len(value), shape.metadata, " items")
        for index, item in enumerate(value):
            found += shape_problems(item, shape.member, (*path, index))
        return found
    if kind == "map":
        found = _length_problems(path, value, len(value), shape.metadata, " entries")
        for key, item in value.items():
            found += shape_problems(key, shape.key, (*path, MapKey(key)))
            found += shape_problems(item, shape.value, (*path, MapKey(key)))
        return found
    if kind == "string":
        found = _string_problems(path, value, shape)
        # The model marks some members sensitive (a subscriber's address, a secret): never quote them.
        return [problem._replace(value=None) for problem in found] if shape.metadata.get("sensitive") else found
    if kind == "blob":  # not quoted: a blob is binary, or a shared secret (WAF's header match)
        size = len(value.encode("utf-8") if isinstance(value, str) else value)
        return _length_problems(path, None, size, shape.metadata, " bytes")
    if kind in ("integer", "long", "float", "double"):
        return _number_problems(path, value, shape)
    return []


def api_path(path):
    """``("Rules", 0, "Statement")`` as ``Rules[0].Statement``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def snake_case(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _rename_pattern(prefix):
    return re.compile(re.escape(prefix).replace(r"\[\*\]", r"\[(\d+)\]") + r"(?=$|[.\[])")


def _render(path, raw):
    parts = [part if isinstance(part, (int, MapKey)) or raw else snake_case(part) for part in path]
    return api_path(parts)


def option_path(path, renames=()):
    """The option path of an API path, through the longest rename that applies (see the module docstring)."""
    text = api_path(path)
    for rename in sorted(renames, key=lambda r: len(r.api), reverse=True):
        found = _rename_pattern(rename.api).match(text)
        if not found:
            continue
        option = rename.option
        for index in found.groups():
            option = option.replace("[*]", f"[{index}]", 1)
        tail = _render(_rest(path, rename.api), rename.raw)
        return f"{option}{'' if not (option and tail) or tail.startswith('[') else '.'}{tail}"
    return _render(path, False)


def _rest(path, prefix):
    """The part of ``path`` after the API prefix (which has one member or index per segment)."""
    depth = prefix.count(".") + 1 + prefix.count("[")
    return path[depth:]


def _shown(value):
    if value is None:
        return ""
    text = value.decode("utf-8", "replace") if isinstance(value, (bytes, bytearray)) else value
    text = repr(text)
    return f" {text if len(text) <= 64 else text[:61] + '...'}"


def message(problem, renames=(), secret=False, at=""):
    """``rules[0].rate_based.limit 3000000000 is out of range: set a value from 10 to 2000000000.``"""
    shown = "" if secret or isinstance(problem.value, (dict, list)) else _shown(problem.value)
    where = option_path(problem.path, renames)
    if at:
        where = f"{at}{'' if not where or where.startswith('[') else '.'}{where}"
    return f"{where}{shown} {problem.wrong}: {problem.fix}."


def request_errors(service_model, operation, request, renames=(), secret_paths=(), hints=None, at=""):
    """Messages for every problem of ``request`` against ``operation``'s input shape; [] when AWS would take it.

    ``service_model`` is a botocore ServiceModel (a client's ``meta.service_model``). Values at an API path that
    starts with one of ``secret_paths`` are not quoted. ``hints`` adds, by the API path's last member, what the model
    does not say (``{"CountryCodes": "ISO 3166-1 alpha-2, GB for the United Kingdom"}``). ``at`` is the option the
    request was made from, when it is one item of a set (``alarms[2]``)."""
    shape = service_model.operation_model(operation).input_shape
    errors = []
    for problem in shape_problems(request, shape):
        secret = any(api_path(problem.path).startswith(prefix) for prefix in secret_paths)
        hint = (hints or {}).get(_last_member(problem.path))
        if hint:
            problem = problem._replace(fix=f"{problem.fix} ({hint})")
        errors.append(message(problem, renames, secret, at))
    return errors


def plan_errors(service_model, requests, renames=(), **kwargs):
    """:func:`request_errors` of every request of a module's plan, so all show at once before the first write.
    ``requests``: ``(operation, request)`` or ``(operation, request, at)`` (see :func:`request_errors`)."""
    errors = []
    for operation, request, *at in requests:
        errors += request_errors(service_model, operation, request, renames, at=at[0] if at else "", **kwargs)
    return errors


def _last_member(path):
    names = [part for part in path if isinstance(part, str)]
    return names[-1] if names else None


def tag_list_errors(service_model, operation, member, tags, option="tags"):
    """Messages for the tags ``{key: value}`` a module sends as ``operation``'s list ``member`` of Key/Value pairs,
    checked against that list's shape, each named by its key (``tags.owner``) rather than a list index the user never
    wrote; [] when AWS would take them. Values are sent as strings (``env: 1`` is ``"1"``), so checked as such."""
    if not tags:
        return []
    shape = service_model.operation_model(operation).input_shape.members[member]
    errors = [message(p, at=option) for p in _length_problems((), tags, len(tags), shape.metadata, " tags")]
    for key, value in tags.items():
        for problem in shape_problems({"Key": key, "Value": str(value)}, shape.member):
            errors.append(message(problem._replace(path=(MapKey(key),)), at=option))
    return errors
