# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a drift record says changed: a task's ``diff`` reduced to what actually differs.

Used by the compliance_drift callback on every recorded diff (no AWS calls, unit-tested on its own):

- JSON documents held as strings (IAM and resource policies, event patterns, container definitions) are compared
  parsed, with dict keys sorted, so a document AWS or Terraform re-serialised (key order, spacing) is not a change.
  A policy that changed is shown statement by statement: only the statements removed (before) and added (after).
- community.general.terraform's diff (``{before: {data: [{resource, change}]}, after: ...}``, each changed
  resource whole) is reduced to the attributes that change, per resource address. An attribute that is null after
  the plan (a value known only after apply) is not a change; a resource created or destroyed is kept whole.
"""

import json

KNOWN_AFTER_APPLY = None


def _parsed(value):
    """``value`` with every JSON object or array held as a string parsed, recursively."""
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return _parsed(json.loads(value))
        except ValueError:
            return value
    if isinstance(value, dict):
        return dict((key, _parsed(member)) for key, member in value.items())
    if isinstance(value, list):
        return [_parsed(member) for member in value]
    return value


def _key(value):
    return json.dumps(value, sort_keys=True, default=str)


def _statements(document):
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        return [statements]
    return statements if isinstance(statements, list) else None


def policy_changes(before, after):
    """(statements only in ``before``, statements only in ``after``) of two policy documents, else None."""
    old, new = _statements(before), _statements(after)
    if old is None or new is None:
        return None
    old_keys, new_keys = set(_key(s) for s in old), set(_key(s) for s in new)
    return [s for s in old if _key(s) not in new_keys], [s for s in new if _key(s) not in old_keys]


def _reduce_value(before, after):
    """(before, after) of what differs between two values; (None, None) when they are the same."""
    if _key(before) == _key(after):
        return None, None
    changes = policy_changes(before, after)
    if changes is not None:
        removed, added = changes
        return {"Statement": removed}, {"Statement": added}
    if isinstance(before, dict) and isinstance(after, dict):
        old, new = {}, {}
        for key in sorted(set(before) | set(after)):
            if key in after and after[key] is KNOWN_AFTER_APPLY and before.get(key) is not None:
                continue
            b, a = _reduce_value(before.get(key), after.get(key))
            if b is not None or a is not None:
                old[key], new[key] = b, a
        return (old, new) if old or new else (None, None)
    return before, after


def _is_terraform(diff):
    sides = [diff.get(side) for side in ("before", "after")]
    data = [side.get("data") if isinstance(side, dict) else None for side in sides]
    return all(isinstance(d, list) and all(isinstance(e, dict) and "resource" in e for e in d) for d in data)


def _terraform(diff):
    before = dict((e["resource"], _parsed(e.get("change"))) for e in diff["before"]["data"])
    after = dict((e["resource"], _parsed(e.get("change"))) for e in diff["after"]["data"])
    old, new = {}, {}
    for address in sorted(set(before) | set(after)):
        if address not in after or address not in before:
            old[address], new[address] = before.get(address), after.get(address)
            continue
        b, a = _reduce_value(before[address], after[address])
        if b is not None or a is not None:
            old[address], new[address] = b, a
    return {"before": old, "after": new}


def reduce_diff(diff):
    """A task's ``diff`` (a dict, or a list of them as some modules return) reduced to what differs."""
    if isinstance(diff, list):
        return [reduce_diff(d) for d in diff]
    if not isinstance(diff, dict) or not diff:
        return diff or {}
    if _is_terraform(diff):
        return _terraform(diff)
    if "before" not in diff or "after" not in diff:
        return diff
    before, after = _parsed(diff["before"]), _parsed(diff["after"])
    if _key(before) == _key(after):
        return dict(diff, before={}, after={})
    if isinstance(before, dict) and isinstance(after, dict):
        old, new = _reduce_value(before, after)
        result = dict(diff, before=old or {}, after=new or {})
        return result
    return dict(diff, before=before, after=after)
