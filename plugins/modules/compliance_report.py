#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: compliance_report
short_description: Write a compliance run's reports (JSON, JUnit XML, HTML) and say whether the run fails
version_added: 1.0.0
description:
  - Renders what the hosts of a compliance play gathered (controls evaluated and resources that drifted, per
    environment) into reports under O(path) - C(compliance.json) (schema in C(docs/compliance-report.schema.json),
    C(schema_version) 1), C(compliance.xml) (JUnit, so AWX and CI list every control and drifted resource) and
    C(compliance.html) (a self-contained page for people).
  - Runs on the controller, once per play (C(delegate_to) V(localhost) and C(run_once) V(true)), with the findings
    of every host gathered from C(hostvars).
  - The module never fails because of findings. It returns RV(fail) (true when a failed control is at or above
    O(fail_on_severity), or anything drifted unless O(fail_on_drift=false)) and the playbook decides, typically with
    C(ansible.builtin.fail) when RV(fail) is true.
  - An environment may appear twice, with O(environments[].phase=before) and O(environments[].phase=after) (a
    remediation run); both are shown side by side and the V(after) entry alone decides RV(fail) and the totals.
  - The reports contain no time of their own (give one in O(run)), so an identical run rewrites no file and reports
    no change.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  environments:
    description:
      - The findings, one entry per environment (and phase).
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name of the environment (the inventory host, for instance).
        type: str
        required: true
      account_id:
        description: AWS account id of the environment.
        type: str
      region:
        description: AWS region of the environment.
        type: str
      phase:
        description:
          - V(before) or V(after) remediation; leave it out for a run that only checks.
          - Give an environment either without a phase, or with V(before) and/or V(after).
        type: str
        choices: [before, after]
      drift:
        description: Resources whose state differs from the declared one (tasks that reported a change in check mode).
        type: list
        elements: dict
        default: []
        suboptions:
          role:
            description: Role that declares the resource.
            type: str
          task:
            description: Name of the task that found the drift.
            type: str
          resource:
            description: The resource that drifted (a name or an ARN).
            type: str
            required: true
          diff:
            description:
              - The task's raw C(diff) result, as C(--diff) gives it - a dict or a list of dicts with C(before),
                C(after) and optional C(before_header), C(after_header) (or a C(prepared) text).
              - Strings are diffed line by line and dicts or lists as sorted JSON, into a unified diff.
            type: raw
      controls:
        description: The controls evaluated in the environment.
        type: list
        elements: dict
        default: []
        suboptions:
          id:
            description: Identifier of the control, for example V(CT.1).
            type: str
            required: true
          title:
            description: What the control checks.
            type: str
          severity:
            description: Severity of the control.
            type: str
            required: true
            choices: [critical, high, medium, low, informational]
          status:
            description: Outcome; V(waived) is an accepted failure (give O(environments[].controls[].waiver_reason)),
              V(error) a control that could not be evaluated, V(not_applicable) a control with nothing to evaluate in
              the environment (counted apart, never a failure; a JUnit C(skipped) case).
            type: str
            required: true
            choices: [passed, failed, waived, error, not_applicable]
          resource:
            description: The resource the control was evaluated on, when it is about one.
            type: str
          detail:
            description: What was found (shown in every report; the JUnit failure message).
            type: str
            default: ""
          mappings:
            description: Benchmarks the control maps to.
            type: dict
            suboptions:
              cis:
                description: CIS AWS Foundations Benchmark recommendations, for example V(3.1).
                type: list
                elements: str
                default: []
              fsbp:
                description: AWS Foundational Security Best Practices controls, for example V(CloudTrail.1).
                type: list
                elements: str
                default: []
          waiver_reason:
            description: Why a waived control is accepted.
            type: str
  path:
    description:
      - Directory of the reports, created with mode 0755 when missing. Relative paths are relative to the directory
        C(ansible-playbook) runs in; C({{ playbook_dir }}/reports) is steadier.
      - When it cannot be written, the task fails before writing any file.
    type: path
    default: reports
  formats:
    description: The reports to write.
    type: list
    elements: str
    choices: [json, junit, html]
    default: [json, junit, html]
  keep_history:
    description:
      - Also write a copy of each report with a UTC timestamp suffix (C(compliance-20250101T120000Z.json)). Each run
        then adds files and reports a change.
    type: bool
    default: false
  fail_on_severity:
    description:
      - Lowest severity of a failed control that makes RV(fail) true; V(none) ignores failed controls (drift still
        counts, see O(fail_on_drift)).
    type: str
    choices: [critical, high, medium, low, informational, none]
    default: low
  fail_on_drift:
    description: Whether a drifted resource makes RV(fail) true.
    type: bool
    default: true
  fail_on_error:
    description: Whether a control with status V(error) (not evaluated) at or above O(fail_on_severity) counts as
      failed for RV(fail).
    type: bool
    default: true
  waivers:
    description:
      - Accepted findings, applied to every environment's controls (and to the SCM.CHECK.1 results of
        O(drift_records)) before the report is built. A V(failed) result whose id matches, and whose resource
        matches the optional glob, becomes V(waived) with the reason and no longer fails the run; the first
        matching waiver wins. Results already waived stay as they are.
      - This is how the controls a compliance run evaluates outside M(securecloud.monitor.posture_controls_info)
        (C(SCM.NET.1), C(SCM.NET.2), C(SCM.BASE.1)) are waived; C(playbooks/compliance.yml) passes
        C(compliance_waivers) to both modules.
      - Each waiver is checked first (a known control id, a reason), like the waivers of
        M(securecloud.monitor.posture_controls_info).
    type: list
    elements: dict
    default: []
    suboptions:
      id:
        description: The control id.
        type: str
        required: true
      resource:
        description: A glob the result's C(resource) must match; omitted for every resource of the control.
        type: str
      reason:
        description: Why the finding is accepted (a ticket, a date); shown in the report.
        type: str
        required: true
  drift_records:
    description:
      - What the C(securecloud.monitor.compliance_drift) callback recorded in a compliance check (the JSON lines of
        its drift file, parsed), added to the environment of the same name and phase (the callback's phase
        V(check) is an environment without O(environments[].phase)).
      - A record of a changed task becomes a drift entry; a record of a failed task becomes an V(error) result of
        the control C(SCM.CHECK.1) (a check that did not run is not a clean one).
    type: list
    elements: dict
    default: []
  run:
    description:
      - Facts about the run copied into the reports, for example C(id), C(started), C(finished), C(remediate),
        C(playbook), C(controller).
    type: dict
notes:
  - Supports check mode - nothing is written, C(changed) and RV(files) say what would be.
    Drift detection runs are usually C(--check) runs; set C(check_mode) to V(false) on this task to write the reports in
    them.
  - Runs on the controller; it makes no call to AWS.
"""

EXAMPLES = r"""
- name: Each host records its findings (in the compliance role)
  ansible.builtin.set_fact:
    compliance_findings:
      name: "{{ inventory_hostname }}"
      account_id: "{{ aws_account_id }}"
      region: "{{ securecloud_aws_region }}"
      controls:
        - id: CT.1
          title: CloudTrail is enabled in all regions
          severity: high
          status: "{{ 'passed' if trail_is_multi_region else 'failed' }}"
          resource: "{{ trail_arn }}"
          detail: "IsMultiRegionTrail is {{ trail_is_multi_region }}"
          mappings: {cis: ["3.1"], fsbp: [CloudTrail.1]}
      drift: "{{ drifted_resources | default([]) }}"

- name: Write the reports for every environment
  securecloud.monitor.compliance_report:
    environments: "{{ ansible_play_hosts | map('extract', hostvars, 'compliance_findings') | list }}"
    path: "{{ playbook_dir }}/reports"
    fail_on_severity: high
    waivers:
      - {id: SCM.NET.1, resource: "api-gateway -> billing-db:*", reason: "CHG-1234, until 2027-01-31"}
    run:
      id: "{{ tower_job_id | default(lookup('ansible.builtin.pipe', 'date -u +%Y%m%dT%H%M%SZ')) }}"
      playbook: compliance.yml
      remediate: false
  delegate_to: localhost
  run_once: true
  check_mode: false  # drift is found with --check; write the reports in that run too
  register: compliance

- name: Fail the run when a control failed or something drifted
  ansible.builtin.fail:
    msg: >-
      Compliance failed: controls {{ compliance.failed_controls | join(', ') }};
      see {{ compliance.files | join(', ') }}
  when: compliance.fail
  run_once: true
"""

RETURN = r"""
summary:
  description: Counts per environment (and phase) and in total; the totals count only the final entry of each
    environment (V(after) when there is one).
  returned: always
  type: dict
  contains:
    environments:
      description: One entry per environment and phase, in name order.
      type: list
      elements: dict
      sample: [{"name": "dev", "phase": null, "account_id": "123456789012", "region": "us-east-1", "final": true,
                "fail": true, "drift_count": 1,
                "counts": {"passed": {"critical": 0, "high": 3, "medium": 1, "low": 0, "informational": 0, "total": 4},
                           "failed": {"critical": 0, "high": 1, "medium": 0, "low": 0, "informational": 0, "total": 1},
                           "waived": {"critical": 0, "high": 0, "medium": 0, "low": 0, "informational": 0, "total": 0},
                           "error": {"critical": 0, "high": 0, "medium": 0, "low": 0, "informational": 0, "total": 0},
                           "not_applicable": {"critical": 0, "high": 1, "medium": 0, "low": 0, "informational": 0,
                                              "total": 1}}}]
    totals:
      description: Number of environments, counts by status and severity, and drifted resources, over the final
        entries.
      type: dict
      sample: {"environments": 1, "drift_count": 1, "counts": {}}
files:
  description: Absolute paths of the files written (in check mode, that would be written).
  returned: always
  type: list
  elements: str
  sample: [/srv/compliance/reports/compliance.json, /srv/compliance/reports/compliance.xml,
           /srv/compliance/reports/compliance.html]
fail:
  description: True when a failed control (or an errored one, with O(fail_on_error)) is at or above
    O(fail_on_severity), or when a resource drifted and O(fail_on_drift) is true, in the final entry of an environment.
  returned: always
  type: bool
  sample: true
failed_controls:
  description: Ids of the controls that make RV(fail) true, most severe first, each once.
  returned: always
  type: list
  elements: str
  sample: [CT.1, S3.5]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible.module_utils.basic import AnsibleModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.compliance_report import (  # noqa: E402
    SEVERITIES,
    ComplianceReportError,
    build_report,
    merge_drift_records,
    render,
    validate_environments,
    write_reports,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import fail_on_input_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.posture import (  # noqa: E402
    apply_waivers,
    validate_waivers,
)


class ComplianceReport:
    def __init__(self, module):
        self.module = module
        self.params = module.params

    def process(self):
        params = self.params
        environments = merge_drift_records(params["environments"], params["drift_records"])
        waived = [dict(env, controls=apply_waivers(env["controls"], params["waivers"])) for env in environments]
        report = build_report(
            waived,
            run=params.get("run"),
            fail_on_severity=params["fail_on_severity"],
            fail_on_drift=params["fail_on_drift"],
            fail_on_error=params["fail_on_error"],
        )
        changed, files = write_reports(
            params["path"],
            render(report, params["formats"]),
            keep_history=params["keep_history"],
            check_mode=self.module.check_mode,
        )
        return {
            "changed": changed,
            "files": files,
            "fail": report["fail"],
            "failed_controls": report["failed_controls"],
            "summary": report["summary"],
        }


def main():
    mappings_spec = dict(
        cis=dict(type="list", elements="str", default=[]),
        fsbp=dict(type="list", elements="str", default=[]),
    )
    control_spec = dict(
        id=dict(type="str", required=True),
        title=dict(type="str"),
        severity=dict(type="str", required=True, choices=list(SEVERITIES)),
        status=dict(type="str", required=True, choices=["passed", "failed", "waived", "error", "not_applicable"]),
        resource=dict(type="str"),
        detail=dict(type="str", default=""),
        mappings=dict(type="dict", options=mappings_spec),
        waiver_reason=dict(type="str"),
    )
    drift_spec = dict(
        role=dict(type="str"),
        task=dict(type="str"),
        resource=dict(type="str", required=True),
        diff=dict(type="raw"),
    )
    environment_spec = dict(
        name=dict(type="str", required=True),
        account_id=dict(type="str"),
        region=dict(type="str"),
        phase=dict(type="str", choices=["before", "after"]),
        drift=dict(type="list", elements="dict", default=[], options=drift_spec),
        controls=dict(type="list", elements="dict", default=[], options=control_spec),
    )
    waiver_spec = dict(
        id=dict(type="str", required=True), resource=dict(type="str"), reason=dict(type="str", required=True)
    )
    argument_spec = dict(
        environments=dict(type="list", elements="dict", required=True, options=environment_spec),
        path=dict(type="path", default="reports"),
        formats=dict(type="list", elements="str", choices=["json", "junit", "html"], default=["json", "junit", "html"]),
        keep_history=dict(type="bool", default=False),
        fail_on_severity=dict(type="str", choices=[*SEVERITIES, "none"], default="low"),
        fail_on_drift=dict(type="bool", default=True),
        fail_on_error=dict(type="bool", default=True),
        run=dict(type="dict"),
        drift_records=dict(type="list", elements="dict", default=[]),
        waivers=dict(type="list", elements="dict", default=[], options=waiver_spec),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)

    errors = validate_environments(module.params["environments"]) + validate_waivers(module.params["waivers"])
    if not module.params["formats"]:
        errors.append("formats is empty: give at least one of json, junit, html (or leave it out for all three).")
    fail_on_input_errors(module, errors)

    try:
        result = ComplianceReport(module).process()
    except ComplianceReportError as e:
        module.fail_json(msg=str(e), path=module.params["path"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
