# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The values Terraform marks sensitive, found in its JSON documents, so that they can be masked.

``terraform show -json`` writes sensitive attribute values in clear (with a parallel ``sensitive_values`` tree
marking them), and community.general.terraform's diff copies a plan's ``before`` and ``after`` as they are: the
values have to be collected from the state and masked in the result.
"""

from __future__ import annotations

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


def output_secrets(outputs):
    """Strings of the outputs marked sensitive, from ``terraform output -json`` (community.general.terraform's
    ``outputs``)."""
    return maskable(
        set().union(*(set(_strings(o.get("value"))) for o in (outputs or {}).values() if o.get("sensitive")))
    )


def maskable(strings):
    return {s for s in strings if len(s) >= MIN_SECRET_LENGTH}
