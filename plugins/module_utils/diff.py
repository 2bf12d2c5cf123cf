# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Canonical comparison and diff payloads shared by every module of this collection.

A module builds the *declared* state and reads the *current* state in the same shape (the
shape its options take), then compares them with :func:`canonical`: dict keys sorted, ``None``
and empty values dropped, lists kept in order unless the caller sorts them first (rule order,
for instance, is meaningful; a set of ARNs is not).
"""

import copy

REDACTED = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def _is_empty(value):
    return value is None or value == {} or value == []


def canonical(value):
    """Return ``value`` with dict keys sorted and None/empty members dropped, recursively."""
    if isinstance(value, dict):
        result = {}
        for key in sorted(value):
            member = canonical(value[key])
            if not _is_empty(member):
                result[key] = member
        return result
    if isinstance(value, (list, tuple)):
        return [canonical(item) for item in value]
    return value


def differs(current, declared):
    """True when the two values are different after canonicalisation."""
    return canonical(current) != canonical(declared)


def redact(value, secret_keys):
    """A deep copy of ``value`` with every dict member named in ``secret_keys`` replaced."""
    if isinstance(value, dict):
        return {
            key: REDACTED if key in secret_keys and member is not None else redact(member, secret_keys)
            for key, member in value.items()
        }
    if isinstance(value, list):
        return [redact(item, secret_keys) for item in value]
    return copy.deepcopy(value)


def diff_payload(module, before, after, secret_keys=()):
    """``{'diff': {'before': ..., 'after': ...}}`` when the task runs with ``--diff``, else ``{}``.

    ``before``/``after`` are canonicalised (so the diff shows only meaningful differences) and
    secrets are redacted. An absent object is ``{}``, as Ansible's diff callback expects.
    """
    if not getattr(module, "_diff", False):
        return {}
    before = redact(canonical(before or {}), secret_keys)
    after = redact(canonical(after or {}), secret_keys)
    return {"diff": {"before": before, "after": after}}
