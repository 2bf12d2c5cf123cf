# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: audit_trail_cis_alarms
short_description: The audit_trail role's CIS metric filters and alarms from the controls and the role's settings
version_added: 1.1.0
description:
  - Computes, with no AWS call, the CloudWatch Logs metric filters and CloudWatch alarms the
    C(securecloud.monitor.audit_trail) role keeps on the trail's log group for the CIS AWS Foundations Benchmark
    monitoring controls, in the shape M(securecloud.monitor.logs_metric_filter_set) and
    M(securecloud.monitor.cloudwatch_alarm_set) take.
  - Each enabled control gets a metric filter and an alarm, both named V(<alarm_prefix><control name>); the filter
    counts the matching events (value 1) in metric C(<control metric>) of C(settings.metric_namespace), and the alarm
    goes off when the sum over a period reaches the threshold. A missing data point does not breach (no matching
    event means nothing happened).
  - The controls are enabled unless C(settings.disabled) names them, and only when C(settings.enabled) is true (the
    role's C(audit_trail_cis_alarms_enabled) and C(audit_trail_cloudwatch_logs_enabled)).
  - "Each alarm's description names the control, its Security Hub control when it has one, the trail, and ends with
    C( Runbook: <URL>), the page C(cis-<control name>) of C(settings.runbook_url_template)."
options:
  _input:
    description:
      - The CIS controls (the role's C(__audit_trail_cis_controls)), each with C(id), C(security_hub) (empty when
        none), C(name), C(metric), C(title) and C(pattern).
    type: list
    elements: dict
    required: true
  settings:
    description:
      - The role's settings. Keys C(environment), C(enabled), C(disabled) (control ids), C(overrides) (per control
        id C(threshold), C(period), C(evaluation_periods)), C(alarm_prefix), C(trail_name), C(metric_namespace),
        C(threshold), C(period), C(evaluation_periods), C(runbook_url_template) (with C({runbook})),
        C(alarm_actions) (SNS topic ARNs) and C(tags).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Create, update or delete the CIS alarms
  securecloud.monitor.cloudwatch_alarm_set:
    prefix: "{{ __audit_trail_alarm_prefix }}"
    alarms: "{{ (__audit_trail_cis_controls | securecloud.monitor.audit_trail_cis_alarms(settings)).alarms }}"
    purge: true
"""

RETURN = r"""
_value:
  description: The desired state.
  type: dict
  contains:
    metric_filters:
      description:
        - One metric filter per enabled control, in the shape of the C(metric_filters) of
          M(securecloud.monitor.logs_metric_filter_set) (C(name), C(filter_pattern) and C(metric_transformation) with
          C(metric_name), C(metric_namespace), C(metric_value)), in the order of the controls. The filters of the
          controls not enabled are the ones that task purges (same name prefix, not declared).
      type: list
      elements: dict
    alarms:
      description:
        - One alarm per enabled control, in the shape of the C(alarms) of M(securecloud.monitor.cloudwatch_alarm_set).
      type: list
      elements: dict
"""

from ansible_collections.securecloud.monitor.plugins.plugin_utils.filter_settings import (  # noqa: E402
    as_bool,
    as_int,
    checked_settings,
)

_REQUIRED = ("environment", "alarm_prefix", "trail_name", "metric_namespace", "runbook_url_template")
_NUMBERS = ("threshold", "period", "evaluation_periods")
# A control's runbook is the page <RUNBOOK_PREFIX><control name> of docs/runbooks/.
RUNBOOK_PREFIX = "cis-"


def _description(control, settings):
    security_hub = f" / {control['security_hub']}" if control.get("security_hub") else ""
    runbook = settings["runbook_url_template"].replace("{runbook}", RUNBOOK_PREFIX + control["name"])
    return f"{control['id']}{security_hub}: {control['title']} (trail {settings['trail_name']}). Runbook: {runbook}"


def _metric_filter(control, settings):
    return {
        "name": settings["alarm_prefix"] + control["name"],
        "filter_pattern": control["pattern"],
        "metric_transformation": {
            "metric_name": control["metric"],
            "metric_namespace": settings["metric_namespace"],
            "metric_value": "1",
        },
    }


def _alarm(control, settings, tags):
    own = (settings.get("overrides") or {}).get(control["id"]) or {}
    return {
        "name": settings["alarm_prefix"] + control["name"],
        "description": _description(control, settings),
        "namespace": settings["metric_namespace"],
        "metric_name": control["metric"],
        "statistic": "Sum",
        "comparison_operator": "GreaterThanOrEqualToThreshold",
        "threshold": float(own.get("threshold", settings["threshold"])),
        "period": as_int(own.get("period", settings["period"])),
        "evaluation_periods": as_int(own.get("evaluation_periods", settings["evaluation_periods"])),
        # No matching event means nothing happened.
        "treat_missing_data": "notBreaching",
        "alarm_actions": list(settings.get("alarm_actions") or []),
        "tags": tags,
    }


def audit_trail_cis_alarms(controls, settings):
    settings = checked_settings("audit_trail_cis_alarms", settings, _REQUIRED, _NUMBERS)
    disabled = set(settings.get("disabled") or [])
    on = as_bool(settings.get("enabled", True))
    enabled = [control for control in controls if on and control["id"] not in disabled]
    tags = dict(settings.get("tags") or {}, **{"securecloud:environment": settings["environment"]})
    return {
        "metric_filters": [_metric_filter(control, settings) for control in enabled],
        "alarms": [_alarm(control, settings, tags) for control in enabled],
    }


class FilterModule:
    def filters(self):
        return {"audit_trail_cis_alarms": audit_trail_cis_alarms}
