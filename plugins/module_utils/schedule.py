# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Schedule expressions as EventBridge rules take them, checked before any call.

The service model types ``ScheduleExpression`` as a plain string of at most 256 characters; the grammar is in AWS's
documentation, "Creating an Amazon EventBridge rule that runs on a schedule" (EventBridge User Guide, schedule
expressions for rules):

- ``rate(value unit)``: value a positive whole number; unit ``minute``, ``hour`` or ``day`` when the value is 1, and
  ``minutes``, ``hours`` or ``days`` otherwise (``rate(5 minute)`` and ``rate(1 minutes)`` are refused).
- ``cron(minutes hours day-of-month month day-of-week year)``: six fields; one of day-of-month and day-of-week must be
  ``?`` (both cannot be given). Fields take the characters AWS lists for them (``, - * / ? L W #``).
"""

import re

MAX_LENGTH = 256
_RATE = re.compile(r"^rate\((?P<value>[^ ]+) (?P<unit>[a-z]+)\)$")
_UNITS = ("minute", "hour", "day")
# Each cron field: AWS's allowed values and wildcards, per position.
_MONTHS = "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
_DAYS = "SUN|MON|TUE|WED|THU|FRI|SAT"
_CRON_FIELDS = (
    ("minutes", r"[0-9,\-*/]+"),
    ("hours", r"[0-9,\-*/]+"),
    ("day-of-month", r"[0-9,\-*/?LW]+"),
    ("month", rf"(?:[0-9,\-*/]|{_MONTHS})+"),
    ("day-of-week", rf"(?:[0-9,\-*/?L#]|{_DAYS})+"),
    ("year", r"[0-9,\-*/]+"),
)
_EXAMPLES = "rate(5 minutes), rate(1 hour) or cron(0 12 * * ? *)"


def _rate_errors(field, match):
    value, unit = match.group("value"), match.group("unit")
    if not value.isdigit() or int(value) < 1:
        return [f"{field}: the rate value {value!r} must be a positive whole number (e.g. {_EXAMPLES})."]
    singular = unit.rstrip("s")
    if singular not in _UNITS:
        return [f"{field}: the rate unit {unit!r} must be minute(s), hour(s) or day(s)."]
    wanted = singular if int(value) == 1 else singular + "s"
    if unit != wanted:
        return [f"{field}: write rate({value} {wanted}), not rate({value} {unit}) (AWS wants the singular for 1)."]
    return []


def _cron_errors(field, body):
    fields = body.split()
    if len(fields) != len(_CRON_FIELDS):
        return [
            f"{field}: cron() takes six fields (minutes hours day-of-month month day-of-week year), "
            f"got {len(fields)} in {body!r}; e.g. cron(0 12 * * ? *)."
        ]
    errors = [
        f"{field}: the cron {name} field {value!r} has characters AWS does not accept there."
        for (name, pattern), value in zip(_CRON_FIELDS, fields)  # noqa: B905 (lengths checked above; no strict= before 3.10)
        if not re.fullmatch(pattern, value, re.IGNORECASE)
    ]
    if "?" not in (fields[2], fields[4]):
        errors.append(
            f"{field}: one of day-of-month ({fields[2]}) and day-of-week ({fields[4]}) must be ?, "
            "as AWS cannot take both; e.g. cron(0 12 * * ? *)."
        )
    return errors


def schedule_expression_errors(field, expression):
    """The problems of one schedule expression, each naming ``field`` and the fix; [] when AWS would take it."""
    if expression is None:
        return []
    if len(expression) > MAX_LENGTH:
        return [f"{field}: at most {MAX_LENGTH} characters, got {len(expression)}."]
    rate = _RATE.match(expression)
    if rate:
        return _rate_errors(field, rate)
    if expression.startswith("cron(") and expression.endswith(")"):
        return _cron_errors(field, expression[len("cron(") : -1])
    return [f"{field}: {expression!r} is neither rate(...) nor cron(...); e.g. {_EXAMPLES}."]
