#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudwatch_dashboard
short_description: Manage a CloudWatch dashboard, and optionally delete the other dashboards of a prefix
version_added: 1.0.0
description:
  - Creates, updates or deletes the CloudWatch dashboard O(name). Its content is given either as structured
    O(widgets) (laid out automatically where no position is given) or as a raw dashboard O(body).
  - The current body is compared with the declared one canonically, in JSON terms (key order does not matter) and
    with the defaults AWS and the console fill in made explicit on both sides (widget V(width) and V(height) 6, the
    task's region in the properties of metric, log, alarm and explorer widgets, V(view) V(timeSeries) and
    V(stacked) false for metric widgets, V(view) V(table) for log widgets). An unchanged dashboard costs one
    C(GetDashboard) call and is never reported as changed.
  - Widget types and required properties are checked before any call to AWS; validation messages from
    C(PutDashboard) fail the task, naming the widget (for example C(widgets[2].properties.metrics)).
  - With O(prefix), the dashboards whose names start with it are a set that this task owns. The other dashboards of
    the set are deleted (with O(purge), the default), except O(name) and those listed in O(keep).
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  name:
    description:
      - Name of the dashboard (letters, digits, V(-) and V(_), at most 255 characters).
      - Required with O(state=present). With O(state=absent) it may be left out when O(prefix) is set.
      - Must start with O(prefix) when that is set.
    type: str
  state:
    description:
      - V(present) creates or updates the dashboard O(name). V(absent) deletes it and, with O(prefix), every other
        dashboard in the scope except those in O(keep), whatever O(purge) is.
  widgets:
    description:
      - The widgets of the dashboard, in order. Mutually exclusive with O(body); one of them is required with
        O(state=present).
      - Widgets without O(widgets[].x) and O(widgets[].y) are placed in order, left to right on the 24-column grid,
        starting a new row when the next one does not fit, below the widgets that have a position.
    type: list
    elements: dict
    suboptions:
      type:
        description: Type of widget.
        type: str
        required: true
        choices: [metric, text, log, alarm, explorer, custom]
      x:
        description: Column of the widget's top left corner (0 to 23). Give both O(widgets[].x) and
          O(widgets[].y), or neither.
        type: int
      y:
        description: Row of the widget's top left corner.
        type: int
      width:
        description: Width in grid columns (1 to 24).
        type: int
        default: 6
      height:
        description: Height in grid rows (1 to 1000).
        type: int
        default: 6
      properties:
        description:
          - The widget's properties, as in the CloudWatch dashboard body structure. V(metric) widgets need
            V(metrics) (or V(annotations)), V(text) widgets V(markdown), V(log) widgets V(query), V(alarm) widgets
            V(alarms), V(explorer) widgets V(metrics), V(custom) widgets V(endpoint).
          - V(region) defaults to the task's region for metric, log, alarm and explorer widgets.
        type: dict
        required: true
  body:
    description:
      - The whole dashboard body, as a JSON string or a dict with a C(widgets) list, for bodies exported from
        the console. It is not laid out; the defaults listed above still apply when comparing.
      - Mutually exclusive with O(widgets).
    type: raw
  prefix:
    aliases: [purge_prefix]
    description:
      - The scope of the task, the dashboards whose name starts with this prefix. The task never changes or deletes a
        dashboard outside the scope, and O(name) must start with it.
      - Not set (or V('')), the task manages O(name) only.
      - For several dashboards managed by a loop over this module, either give every name in O(keep) on each
        iteration, or leave O(prefix) out of the loop and run one task with O(state=absent), O(prefix) and O(keep)
        after it. Otherwise each iteration deletes the dashboards the others made.
  keep:
    description:
      - The other dashboards of the set, those the task declares besides O(name) (the names of a loop's other
        iterations). O(purge) and O(state=absent) never delete them.
      - This module declares one dashboard per task, so O(keep) is how a set of several is declared. It is not
        deprecated.
    type: list
    elements: str
    default: []
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made.
  - Dashboards have no tags in the CloudWatch API that this module manages.
  - C(purge_prefix) is the deprecated name of O(prefix) (until 2.0.0). It always purged, as O(prefix) does by default,
    so a task that gives it behaves as before; only the check that O(name) starts with the prefix is skipped for it.
extends_documentation_fragment:
  - securecloud.monitor.set_module
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Web service dashboard, laid out automatically (two 12-wide graphs on the first row)
  securecloud.monitor.cloudwatch_dashboard:
    name: web-overview
    widgets:
      - type: text
        width: 24
        height: 2
        properties:
          markdown: "# Web service"
      - type: metric
        width: 12
        properties:
          title: 5xx
          metrics:
            - [AWS/ApplicationELB, HTTPCode_Target_5XX_Count, LoadBalancer, app/web/50dc6c495c0c9188]
          stat: Sum
          period: 60
      - type: metric
        width: 12
        properties:
          title: p99 latency
          metrics:
            - [AWS/ApplicationELB, TargetResponseTime, LoadBalancer, app/web/50dc6c495c0c9188, {stat: p99}]
      - type: alarm
        properties:
          alarms: ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:web-5xx"]

- name: A dashboard exported from the console
  securecloud.monitor.cloudwatch_dashboard:
    name: web-legacy
    body: "{{ lookup('file', 'web-legacy.json') }}"

- name: Delete the web-* dashboards other than the two above
  securecloud.monitor.cloudwatch_dashboard:
    state: absent
    prefix: web-
    keep: [web-overview, web-legacy]
"""

RETURN = r"""
dashboard:
  description: The dashboard after the task (in check mode, as it would be); null when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the dashboard.
      type: str
      sample: web-overview
    arn:
      description: ARN of the dashboard; null for a dashboard that check mode would create.
      type: str
      sample: arn:aws:cloudwatch::123456789012:dashboard/web-overview
    body:
      description: The dashboard body, parsed, as sent to AWS (widgets laid out, regions filled in).
      type: dict
      sample: {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 24, "height": 2,
               "properties": {"markdown": "# Web service"}}]}
deleted:
  description: Names of the dashboards deleted (O(name) with O(state=absent), and those in the O(prefix) scope).
  returned: always
  type: list
  elements: str
  sample: [web-old]
diff:
  description: Before and after body of the dashboard, and the names of the dashboards deleted, with C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a write failed partway (retries exhausted, a permission missing); the task then fails. The names of
      the dashboards all of whose writes were made, in the order the plan made them. See the notes.
  returned: when a write fails
  type: list
  elements: str
  sample: [web-overview]
not_written:
  description:
    - Set only when a write failed partway. The names of the dashboards with a write not made, the one whose write
      failed first; a rerun of the task writes what is missing.
  returned: when a write fails
  type: list
  elements: str
  sample: [web-old]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import functools  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.cloudwatch import (  # noqa: E402
    WIDGET_SPEC,
    AnsibleCloudWatchError,
    dashboard_content_errors,
    dashboard_name_errors,
    dashboard_validation_failure,
    declared_dashboard_body,
    delete_dashboards,
    get_dashboard,
    list_dashboards,
    normalise_dashboard_body,
    put_dashboard,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import run_module  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import (  # noqa: E402
    WritePlan,
    deletes_undeclared,
    old_names_used,
    set_argument_spec,
    settle,
)

OLD_PREFIX = "purge_prefix"


def validate(params):
    """Every problem with the task's input, as messages that name the field and the fix (no AWS call)."""
    errors = []
    name, state = params.get("name"), params["state"]
    if name is not None:
        errors.extend(dashboard_name_errors("name", name))
    if state == "present":
        if name is None:
            errors.append("name is required with state=present.")
        errors.extend(dashboard_content_errors(params))
    elif name is None and not params.get("prefix"):
        errors.append("state=absent needs name, prefix, or both.")
    prefix = params.get("prefix")
    if params.get("keep") and not prefix:
        errors.append("keep only applies with prefix: set prefix or remove keep.")
    # The deprecated purge_prefix never required it: its tasks keep working as they are.
    if prefix and name is not None and not name.startswith(prefix) and not old_names_used(params, OLD_PREFIX):
        errors.append(
            f"name '{name}' does not start with prefix '{prefix}': the dashboard must be in the task's scope. Rename "
            "it or change prefix."
        )
    return errors


def dashboard_client(module):
    return module.client("cloudwatch")


class DashboardManager:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.region = module.region

    def declared_body(self):
        return declared_dashboard_body(self.params, self.region)

    def fail_validation(self, messages, saved):
        message, details = dashboard_validation_failure(messages, saved)
        self.module.fail_json(msg=message, validation_messages=details, changed=saved)

    def put(self, name, body):
        saved, messages = put_dashboard(self.client, name, body)
        if messages or not saved:
            self.fail_validation(messages, saved)

    def process(self):
        params = self.params
        name, present = params.get("name"), params["state"] == "present"
        current = get_dashboard(self.client, name) if name else None
        before = {"name": name, "body": current["body"]} if current else None
        changed, deleted, after = False, [], None
        writes = WritePlan()

        if present:
            body = self.declared_body()
            if current is None or normalise_dashboard_body(current["body"], self.region) != normalise_dashboard_body(
                body, self.region
            ):
                changed = True
                writes.add(name, functools.partial(self.put, name, body))
            after = {"name": name, "arn": current["arn"] if current else None, "body": body}
        elif current is not None:
            changed = True
            deleted.append(name)

        prefix = params.get("prefix")
        if prefix and deletes_undeclared(params):
            spared = set(params["keep"]) | {name}
            doomed = sorted(
                d["DashboardName"]
                for d in list_dashboards(self.client, prefix)
                if d["DashboardName"].startswith(prefix) and d["DashboardName"] not in spared
            )
            changed |= bool(doomed)
            deleted.extend(doomed)
        if deleted:
            writes.add(deleted, functools.partial(delete_dashboards, self.client, deleted))
        writes.apply(self.module)
        if after is not None and current is None and not self.module.check_mode:
            after["arn"] = (get_dashboard(self.client, name) or {}).get("arn")

        result = {"changed": changed, "dashboard": after, "deleted": sorted(deleted)}
        if self.module._diff:
            result["diff"] = {
                "before": canonical({"dashboard": before, "other_dashboards": sorted(d for d in deleted if d != name)}),
                "after": canonical({"dashboard": {"name": name, "body": after["body"]} if after else None}),
            }
        return result


def main():
    argument_spec = dict(
        name=dict(type="str"),
        widgets=dict(type="list", elements="dict", options=WIDGET_SPEC),
        body=dict(type="raw"),
        **set_argument_spec(old_prefix=OLD_PREFIX, prefix_required=False),
        keep=dict(type="list", elements="str", default=[]),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[("widgets", "body")],
    )
    settle(module, old_prefix=OLD_PREFIX)

    errors = validate(module.params)
    run_module(
        module, errors, lambda: DashboardManager(module, dashboard_client(module)).process(), AnsibleCloudWatchError
    )


if __name__ == "__main__":
    main()
