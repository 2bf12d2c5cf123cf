# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: tracing_sampling
short_description: The tracing role's desired state - X-Ray sampling rules and groups - from C(base) and its settings
version_added: 1.1.0
description:
  - Computes, with no AWS call, the X-Ray sampling rules and groups the C(securecloud.monitor.tracing) role keeps in an
    environment, in the shape M(securecloud.monitor.xray_sampling_rule) and M(securecloud.monitor.xray_group) take.
  - The traced services are those of C(base.services) whose C(tracing) is true, less those that
    C(settings.service_overrides) switches off (C(enabled) false), sorted by name.
  - Each traced service gets a sampling rule and a group named V(<environment>-<service>). A name over X-Ray's
    32 characters keeps the prefix, is cut and ends in C(-) and the first 6 hex digits of the SHA-1 of the service's
    name, so it stays the same from run to run.
  - Rule priorities follow C(settings.priority_start) in the order of the services. The group of a service selects
    C(service("<service_name>")) (the base layer's C(service_name), or the service's key).
  - The last group is the environment's faults group C(settings.faults_group_name).
options:
  _input:
    description: The base layer's outputs (the fact C(base)); C(services) is read.
    type: dict
    required: true
  settings:
    description:
      - The role's settings. Keys C(environment), C(fixed_rate), C(reservoir_size), C(priority_start),
        C(insights_enabled), C(insights_notifications_enabled), C(faults_group_name), C(faults_filter_expression),
        C(service_overrides) (per service C(enabled), C(fixed_rate), C(reservoir_size), C(insights_enabled),
        C(notifications_enabled)) and C(tags); the role passes its C(tracing_*) variables under these names.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Configure the sampling rules of the environment
  securecloud.monitor.xray_sampling_rule:
    prefix: "{{ tracing_environment }}-"
    purge: true
    rules: "{{ (base | securecloud.monitor.tracing_sampling(settings)).rules }}"
"""

RETURN = r"""
_value:
  description: The desired state.
  type: dict
  contains:
    services:
      description: The traced services' keys in C(base.services), sorted.
      type: list
      elements: str
    rules:
      description:
        - One sampling rule per traced service in the options of M(securecloud.monitor.xray_sampling_rule)
          (C(name), C(priority), C(service_name), C(fixed_rate), C(reservoir_size), C(tags)).
      type: list
      elements: dict
    groups:
      description:
        - One group per traced service, then the faults group, in the options of M(securecloud.monitor.xray_group)
          (C(name), C(filter_expression), C(insights_enabled), C(notifications_enabled), C(tags)).
      type: list
      elements: dict
"""

import hashlib  # noqa: E402

from ansible_collections.securecloud.monitor.plugins.plugin_utils.filter_settings import (  # noqa: E402
    as_bool,
    as_int,
    checked_settings,
)

# X-Ray rule and group names are 1-32 characters.
NAME_MAX = 32
# A cut name ends in "-" and 6 hex digits of the service's hash.
HASH_SUFFIX = 7

_REQUIRED = ("environment", "faults_group_name", "faults_filter_expression")
_NUMBERS = ("fixed_rate", "reservoir_size", "priority_start")


def traced_services(base_services, overrides):
    disabled = {name for name, values in overrides.items() if "enabled" in values and not values["enabled"]}
    return sorted(name for name, svc in base_services.items() if svc.get("tracing") and name not in disabled)


def resource_name(prefix, service):
    full = prefix + service
    if len(full) <= NAME_MAX:
        return full
    digest = hashlib.sha1(service.encode("utf-8")).hexdigest()[:6]
    return f"{prefix}{service[: NAME_MAX - len(prefix) - HASH_SUFFIX]}-{digest}"


def _group(name, filter_expression, insights, notifications, tags):
    return {
        "name": name,
        "filter_expression": filter_expression,
        "insights_enabled": insights,
        "notifications_enabled": insights and notifications,
        "tags": tags,
    }


def tracing_sampling(base, settings):
    settings = checked_settings("tracing_sampling", settings, _REQUIRED, _NUMBERS)
    base_services = (base or {}).get("services") or {}
    overrides = settings.get("service_overrides") or {}
    prefix = f"{settings['environment']}-"
    tags = dict(settings.get("tags") or {}, **{"securecloud:environment": settings["environment"]})
    insights = as_bool(settings.get("insights_enabled", True))
    notifications = as_bool(settings.get("insights_notifications_enabled", False))
    services = traced_services(base_services, overrides)
    rules, groups = [], []
    for index, service in enumerate(services):
        own = overrides.get(service) or {}
        name = resource_name(prefix, service)
        service_name = base_services[service].get("service_name") or service
        rules.append(
            {
                "name": name,
                "priority": as_int(settings["priority_start"]) + index,
                "service_name": service_name,
                "fixed_rate": float(own.get("fixed_rate", settings["fixed_rate"])),
                "reservoir_size": as_int(own.get("reservoir_size", settings["reservoir_size"])),
                "tags": tags,
            }
        )
        own_insights = as_bool(own.get("insights_enabled", insights))
        own_notifications = as_bool(own.get("notifications_enabled", notifications))
        groups.append(_group(name, f'service("{service_name}")', own_insights, own_notifications, tags))
    groups.append(
        _group(settings["faults_group_name"], settings["faults_filter_expression"], insights, notifications, tags)
    )
    return {"services": services, "rules": rules, "groups": groups}


class FilterModule:
    def filters(self):
        return {"tracing_sampling": tracing_sampling}
