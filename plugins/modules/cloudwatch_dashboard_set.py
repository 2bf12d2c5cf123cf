#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudwatch_dashboard_set
short_description: Manage the set of CloudWatch dashboards whose names share a prefix
version_added: 1.1.0
description:
  - Makes the CloudWatch dashboards whose names start with O(prefix) match O(dashboards) in one task, where a loop
    over M(securecloud.monitor.cloudwatch_dashboard) would start one module process per dashboard.
  - The scope is read with one paginated C(ListDashboards); the body of each declared dashboard that exists is read
    with one C(GetDashboard) (the API has no call that returns several bodies; with C(--diff) also the body of each
    dashboard to delete). Undeclared dashboards of the scope are deleted with one C(DeleteDashboards) call.
  - Bodies are compared as M(securecloud.monitor.cloudwatch_dashboard) compares them (canonical JSON, the defaults
    AWS and the console fill in made explicit), so a re-run reports no change and makes no mutating call.
  - Every input problem is reported before any call to AWS, naming the field (for example
    C(dashboards[2].widgets[0].properties)) and the fix; each C(PutDashboard) request is then checked against the
    CloudWatch service model before the first write. Validation messages of C(PutDashboard) fail the task naming the
    dashboard and the widget.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  prefix:
    required: true
  dashboards:
    description:
      - The dashboards that must exist in the scope. The order does not matter.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - Name of the dashboard (letters, digits, V(-) and V(_), at most 255 characters); must start with
            O(prefix).
        type: str
        required: true
      widgets:
        description:
          - The widgets of the dashboard, in order, laid out as M(securecloud.monitor.cloudwatch_dashboard) lays
            them out. Exactly one of O(dashboards[].widgets) and O(dashboards[].body) is required.
        type: list
        elements: dict
        suboptions:
          type:
            description: Type of widget.
            type: str
            required: true
            choices: [metric, text, log, alarm, explorer, custom]
          x:
            description: Column of the widget's top left corner (0 to 23); give both x and y, or neither.
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
              - The widget's properties, as in the CloudWatch dashboard body structure.
              - V(region) defaults to the task's region for metric, log, alarm and explorer widgets.
            type: dict
            required: true
      body:
        description: The whole dashboard body, as a JSON string or a dict with a C(widgets) list.
        type: raw
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made.
  - O(prefix) must not be empty.
  - Dashboards have no tags in the CloudWatch API that this module manages.
extends_documentation_fragment:
  - securecloud.monitor.set_module
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The dashboards of the environment; dashboards named prod-mon-* that are not listed are deleted
  securecloud.monitor.cloudwatch_dashboard_set:
    prefix: prod-mon-
    dashboards:
      - name: prod-mon-overview
        widgets:
          - type: text
            width: 24
            height: 2
            properties:
              markdown: "# prod"
          - type: metric
            width: 12
            properties:
              title: 5xx
              metrics:
                - [AWS/ApplicationELB, HTTPCode_Target_5XX_Count, LoadBalancer, app/web/50dc6c495c0c9188]
              stat: Sum
              period: 60
      - name: prod-mon-legacy
        body: "{{ lookup('file', 'legacy.json') }}"

- name: Delete every dashboard whose name starts with prod-mon-
  securecloud.monitor.cloudwatch_dashboard_set:
    prefix: prod-mon-
    state: absent
"""

RETURN = r"""
dashboards:
  description:
    - The dashboards in the scope after the task (in check mode, as they would be), sorted by name.
    - The C(body) of a dashboard the task neither declares nor deletes (O(purge=false)) is not read, so it is null.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the dashboard.
      type: str
      sample: prod-mon-overview
    arn:
      description: ARN of the dashboard; null for a dashboard that check mode would create.
      type: str
      sample: arn:aws:cloudwatch::123456789012:dashboard/prod-mon-overview
    body:
      description: The dashboard body, parsed, as sent to AWS (widgets laid out, regions filled in).
      type: dict
created:
  description: Names of the dashboards created.
  returned: always
  type: list
  elements: str
updated:
  description: Names of the dashboards whose body was put again because it differed.
  returned: always
  type: list
  elements: str
deleted:
  description: Names of the dashboards deleted.
  returned: always
  type: list
  elements: str
diff:
  description: The bodies of the dashboards created, changed or deleted, by name, before and after, with C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a write failed partway (retries exhausted, a permission missing); the task then fails. The names of
      the dashboards all of whose writes were made, in the order the plan made them. See the notes.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod-mon-overview]
not_written:
  description:
    - Set only when a write failed partway. The names of the dashboards with a write not made, the one whose write
      failed first; a rerun of the task writes what is missing.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod-mon-api]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import functools  # noqa: E402
import json  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import cloudwatch as cw  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    plan_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import run_model_checked  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import (  # noqa: E402
    WritePlan,
    declared_items,
    declared_name_errors,
    deletes_undeclared,
    set_argument_spec,
    settle,
)

MODEL_RENAMES = (Rename("DashboardName", "name"), Rename("DashboardBody", "body"))


def validate(params):
    """Every problem with the task's input, each naming its option and the fix (no AWS call)."""
    errors = []
    if not params["prefix"]:
        errors.append("prefix must not be empty: set it to the prefix of the dashboard names this task owns.")
    errors += declared_name_errors(params, "dashboards", "dashboard")
    for index, item in enumerate(declared_items(params, "dashboards")):
        field = f"dashboards[{index}]"
        errors += cw.dashboard_name_errors(f"{field}.name", item["name"])
        errors += cw.dashboard_content_errors(item, at=field)
    return errors


def model_errors(service_model, params, region):
    """The PutDashboard request of every declared dashboard checked against the CloudWatch model, before the first
    write; [] when AWS would take them all."""
    requests = [
        (
            "PutDashboard",
            dict(DashboardName=item["name"], DashboardBody=json.dumps(cw.declared_dashboard_body(item, region))),
            f"dashboards[{index}]",
        )
        for index, item in enumerate(declared_items(params, "dashboards"))
    ]
    return plan_errors(service_model, requests, MODEL_RENAMES)


class DashboardSetManager:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.region = module.region

    def plan(self):
        """(ListDashboards entries and GetDashboard results by name, declared bodies by name, created, updated,
        deleted): one ListDashboards and one GetDashboard per declared dashboard that exists (and, with --diff, per
        dashboard to delete)."""
        listed = dict(
            (d["DashboardName"], d)
            for d in cw.list_dashboards(self.client, self.params["prefix"])
            if d["DashboardName"].startswith(self.params["prefix"])
        )
        declared = dict(
            (item["name"], cw.declared_dashboard_body(item, self.region))
            for item in declared_items(self.params, "dashboards")
        )
        bodies = dict((name, cw.get_dashboard(self.client, name)) for name in declared if name in listed)
        created = sorted(name for name in declared if bodies.get(name) is None)
        updated = sorted(
            name
            for name in declared
            if bodies.get(name) is not None and not self.same(bodies[name]["body"], declared[name])
        )
        deleted = sorted(name for name in listed if name not in declared and deletes_undeclared(self.params))
        if self.module._diff:
            # Only --diff shows what a deleted dashboard held.
            bodies.update((name, cw.get_dashboard(self.client, name)) for name in deleted)
        return listed, bodies, declared, created, updated, deleted

    def same(self, current, wanted):
        return cw.normalise_dashboard_body(current, self.region) == cw.normalise_dashboard_body(wanted, self.region)

    def put(self, index_of, name, body):
        saved, messages = cw.put_dashboard(self.client, name, body)
        if messages or not saved:
            message, details = cw.dashboard_validation_failure(messages, saved, at=f"dashboards[{index_of[name]}]")
            self.module.fail_json(msg=message, validation_messages=details, changed=saved)

    def process(self):
        listed, bodies, declared, created, updated, deleted = self.plan()
        changed = bool(created or updated or deleted)
        if changed and not self.module.check_mode:
            index_of = dict((item["name"], i) for i, item in enumerate(declared_items(self.params, "dashboards")))
            writes = WritePlan()
            for name in created + updated:
                writes.add(name, functools.partial(self.put, index_of, name, declared[name]))
            if deleted:
                writes.add(deleted, functools.partial(cw.delete_dashboards, self.client, deleted))
            writes.apply(self.module)
            if created:
                # New dashboards' ARNs are only known once they exist: one more ListDashboards, on creating runs only.
                listed.update((d["DashboardName"], d) for d in cw.list_dashboards(self.client, self.params["prefix"]))
        after = dict(
            (name, dict(name=name, arn=(listed.get(name) or {}).get("DashboardArn"), body=None))
            for name in listed
            if name not in deleted
        )
        for name, body in declared.items():
            after[name] = dict(name=name, arn=(listed.get(name) or {}).get("DashboardArn"), body=body)
        result = dict(
            changed=changed,
            dashboards=[after[name] for name in sorted(after)],
            created=created,
            updated=updated,
            deleted=deleted,
        )
        if self.module._diff:
            result["diff"] = self.diff(bodies, declared, created + updated, deleted)
        return result

    def diff(self, bodies, declared, put, deleted):
        before = dict((name, bodies[name]["body"]) for name in put + deleted if bodies.get(name) is not None)
        return canonical(dict(before=before, after=dict((name, declared[name]) for name in put)))


def cloudwatch_client(module):
    return module.client("cloudwatch")


def main():
    dashboard_spec = dict(
        name=dict(type="str", required=True),
        widgets=dict(type="list", elements="dict", options=cw.WIDGET_SPEC),
        body=dict(type="raw"),
    )
    argument_spec = dict(
        **set_argument_spec(),
        dashboards=dict(type="list", elements="dict", options=dashboard_spec, default=[]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    settle(module)
    run_model_checked(
        module,
        validate(module.params),
        lambda: cloudwatch_client(module),
        lambda service_model: model_errors(service_model, module.params, module.region),
        lambda client: DashboardSetManager(module, client).process(),
        cw.AnsibleCloudWatchError,
    )


if __name__ == "__main__":
    main()
