# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: compliance_drift
type: aggregate
short_description: Record what a compliance check would change (drift), with the diffs
version_added: 1.0.0
description:
  - Inert in every play but those of a compliance check (C(playbooks/compliance.yml)), which set the play variables
    C(securecloud_compliance_phase) (V(check), V(before) or V(after)) and C(securecloud_compliance_drift_file).
  - In those plays every task result that reports a change - in check mode, a resource that differs from its
    declaration - is appended to the drift file as one JSON line with the host, the phase, the role, the task, the
    loop item and the diff. The compliance playbook reads the file back to write its reports.
  - Failed task results are recorded too (C(failed) true), so a check that could not run is not mistaken for a
    clean one.
  - A skipped result that reports a change (C(community.aws.ecs_ecr), for one, reports a change it would make in
    check mode as C(skipped) with C(changed)) is recorded as drift too, and so is an ok result that carries a
    non-empty diff without C(changed), unless the task sets C(changed_when) (its own decision stands).
  - Each diff is reduced to what differs (module_utils C(drift_diff)), with JSON documents compared parsed, policies
    statement by statement, and Terraform's plan reduced to the attributes that change.
  - Enabled in the collection's C(ansible.cfg) (C(callbacks_enabled)); AWX and ansible-runner use it from there.
author:
  - securecloud.monitor maintainers (@securecloud)
"""

import json  # noqa: E402
import os  # noqa: E402

from ansible.plugins.callback import CallbackBase  # noqa: E402
from ansible.template import Templar  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.drift_diff import reduce_diff  # noqa: E402


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "securecloud.monitor.compliance_drift"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._phase = None
        self._path = None

    def v2_playbook_on_play_start(self, play):
        raw = play.get_vars()
        self._phase = self._path = None
        if raw.get("securecloud_compliance_phase") and raw.get("securecloud_compliance_drift_file"):
            # Play variables are templates ("{{ ... }}"): resolve them as the play would.
            variables = play.get_variable_manager().get_vars(play=play)
            templar = Templar(loader=play._loader, variables=variables)
            self._phase = str(templar.template(raw["securecloud_compliance_phase"]))
            self._path = str(templar.template(raw["securecloud_compliance_drift_file"]))

    def v2_runner_on_ok(self, result):
        if "results" not in result._result:  # loops are recorded item by item
            self._record(result, failed=False)

    def v2_runner_item_on_ok(self, result):
        self._record(result, failed=False)

    def v2_runner_on_skipped(self, result):
        if "results" not in result._result:
            self._record(result, failed=False)

    def v2_runner_item_on_skipped(self, result):
        self._record(result, failed=False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not ignore_errors and "results" not in result._result:
            self._record(result, failed=True)

    def v2_runner_item_on_failed(self, result):
        self._record(result, failed=True)

    def _record(self, result, failed):
        outcome = result._result
        diff = reduce_diff(outcome.get("diff") or {})
        task = result._task
        # A task whose changed_when decides its result (a local working copy, say) is not drift by its diff alone.
        pending = outcome.get("changed") or (_says_something(diff) and not task.changed_when)
        if not self._path or not (failed or pending):
            return
        role = task._role.get_name(include_role_fqcn=False) if task._role else ""
        entry = {
            "host": result._host.get_name(),
            "phase": self._phase,
            "role": role,
            "task": task.name or task.action,
            "resource": str(self._get_item_label(outcome) or task.get_name()),
            "failed": failed,
            "message": str(outcome.get("msg", "")) if failed else "",
            "diff": diff,
        }
        os.makedirs(os.path.dirname(os.path.abspath(self._path)), exist_ok=True)
        with open(self._path, "a", encoding="utf-8") as stream:
            stream.write(json.dumps(entry, default=str, sort_keys=True) + "\n")


def _says_something(diff):
    """A diff with a before or an after that is not empty (a pending change the module did not call changed)."""
    if isinstance(diff, list):
        return any(_says_something(d) for d in diff)
    return isinstance(diff, dict) and bool(diff.get("before") or diff.get("after"))
