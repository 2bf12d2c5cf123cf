# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The values Terraform marks sensitive, found in its JSON documents, so that they can be masked.

``terraform show -json`` writes sensitive attribute values in clear (with a parallel ``sensitive_values`` tree
marking them), and community.general.terraform's diff copies a plan's ``before`` and ``after`` as they are: the
values have to be collected from the state and masked in the result.

``show -json`` starts every provider of the state to read its schema. The raw state (``terraform state pull``) needs
no provider: each instance lists the paths it recorded sensitive (``sensitive_attributes``), and the attributes the
provider's schema declares sensitive are added from a reduced schema (``sensitive_schema``) that is read once per
set of providers. Show -json marks the union of the two, and so does ``raw_state_secrets``.
"""

from __future__ import annotations

import re

_PROVIDER_ADDRESS = re.compile(r'provider\["([^"]+)"\]')

# Shorter values are not masked: replacing every occurrence of "1" or "true" in a result would garble it, and no
# secret is that short.
MIN_SECRET_LENGTH = 8


def sensitive_leaves(value, marker):
    """The strings of ``value`` under the places ``marker`` (a ``sensitive_values`` tree) marks ``true``."""
    if marker is True:
        return set(_strings(value))
    if isinstance(marker, dict) and isinstance(value, dict):
        return set().union(*(sensitive_leaves(value.get(key), sub) for key, sub in marker.items()))
    if isinstance(marker, list) and isinstance(value, list):
        return set().union(*(sensitive_leaves(item, sub) for item, sub in zip(value, marker)))  # noqa: B905 (target Pythons before 3.10)
    return set()


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def state_secrets(shown):
    """Sensitive strings of every resource, in every module, of a ``terraform show -json`` document of the state."""
    secrets = set()
    modules = [((shown or {}).get("values") or {}).get("root_module") or {}]
    while modules:
        module = modules.pop()
        for resource in module.get("resources") or []:
            secrets |= sensitive_leaves(resource.get("values"), resource.get("sensitive_values"))
        modules.extend(module.get("child_modules") or [])
    return maskable(secrets)


def raw_state_secrets(state, sensitive_schema):
    """Sensitive strings of every resource instance of a raw state (``terraform state pull``): under the paths it
    recorded sensitive and under the attributes ``sensitive_schema`` (see ``sensitive_schema``) marks."""
    secrets = set()
    for resource in (state or {}).get("resources") or []:
        marker = schema_marker(sensitive_schema, resource)
        for instance in resource.get("instances") or []:
            values = instance.get("attributes") or {}
            for path in instance.get("sensitive_attributes") or []:
                secrets |= set(_strings(_follow(values, path)))
            secrets |= _schema_leaves(values, marker)
    return maskable(secrets)


def _follow(value, path):
    """The value a recorded path (cty steps) leads to. A step into a set names an element by its value: the whole
    set is returned then (a mark on a set element marks the set), as it is for a step that finds nothing to
    index."""
    for step in path:
        key = step.get("value")
        if step.get("type") == "index":
            key = (key or {}).get("value")
        if not _has(value, key):
            return value
        value = value[key]
    return value


def _has(value, key):
    if isinstance(value, dict):
        return isinstance(key, str) and key in value
    return isinstance(value, list) and isinstance(key, int) and not isinstance(key, bool) and 0 <= key < len(value)


def schema_marker(sensitive_schema, resource):
    """The reduced schema of a raw state's resource (by its provider, mode and type); empty when nothing of it is
    sensitive."""
    provider = _PROVIDER_ADDRESS.search(resource.get("provider") or "")
    kinds = (sensitive_schema or {}).get(provider.group(1) if provider else "") or {}
    return (kinds.get(resource.get("mode")) or {}).get(resource.get("type")) or {}


def _schema_leaves(values, marker):
    secrets = set()
    for name, mark in marker.items():
        value = values.get(name) if isinstance(values, dict) else None
        if mark is True:
            secrets |= set(_strings(value))
        else:
            for element in _elements(value, mark["nesting"]):
                secrets |= _schema_leaves(element, mark["block"])
    return secrets


def _elements(value, nesting):
    if nesting in ("single", "group"):
        return [value]
    if nesting == "map":
        return list((value or {}).values()) if isinstance(value, dict) else []
    return value if isinstance(value, list) else []


def sensitive_schema(schemas):
    """The attributes a ``terraform providers schema -json`` document declares sensitive, kept small enough to
    cache: ``{provider: {"managed"|"data": {type: marker}}}``, a marker being ``{attribute: True}`` or, for a
    nested block or nested attribute type, ``{name: {"nesting": mode, "block": marker}}``; types with nothing
    sensitive are left out."""
    reduced = {}
    for provider, schema in ((schemas or {}).get("provider_schemas") or {}).items():
        for mode, key in (("managed", "resource_schemas"), ("data", "data_source_schemas")):
            for resource_type, resource_schema in (schema.get(key) or {}).items():
                marker = _block_marker(resource_schema.get("block") or {})
                if marker:
                    reduced.setdefault(provider, {}).setdefault(mode, {})[resource_type] = marker
    return reduced


def _block_marker(block):
    marker = {}
    for name, attribute in (block.get("attributes") or {}).items():
        nested = _block_marker(attribute.get("nested_type") or {})
        if attribute.get("sensitive"):
            marker[name] = True
        elif nested:
            marker[name] = {"nesting": attribute["nested_type"].get("nesting_mode"), "block": nested}
    for name, block_type in (block.get("block_types") or {}).items():
        nested = _block_marker(block_type.get("block") or {})
        if nested:
            marker[name] = {"nesting": block_type.get("nesting_mode"), "block": nested}
    return marker


def output_secrets(outputs):
    """Strings of the outputs marked sensitive, from ``terraform output -json`` (community.general.terraform's
    ``outputs``)."""
    return maskable(
        set().union(*(set(_strings(o.get("value"))) for o in (outputs or {}).values() if o.get("sensitive")))
    )


def maskable(strings):
    return {s for s in strings if len(s) >= MIN_SECRET_LENGTH}
