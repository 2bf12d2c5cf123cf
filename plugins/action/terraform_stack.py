# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs community.general.terraform and masks the values Terraform marks sensitive (see the module's docs)."""

from __future__ import annotations

import json
import shlex

from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase
from ansible_collections.securecloud.monitor.plugins.module_utils.terraform_sensitive import (
    output_secrets,
    state_secrets,
)

WRAPPED = "community.general.terraform"


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = dict(self._task.args)
        # A plan's diff (check or diff mode) quotes the state as it is before the run; an apply may change it.
        secrets = self._state_secrets(args) if self._play_context.check_mode or self._play_context.diff else set()
        result.update(self._execute_module(module_name=WRAPPED, module_args=args, task_vars=task_vars))
        secrets |= output_secrets(result.get("outputs"))
        return remove_values(result, secrets) if secrets else result

    def _state_secrets(self, args):
        """Sensitive values of the state, read with `terraform show -json` in the project (nothing when there is
        no state yet or the read fails: the wrapped module then reports what is wrong)."""
        binary = args.get("binary_path") or "terraform"
        command = f"{self._compute_environment_string()} {shlex.quote(binary)} show -json -no-color"
        read = self._low_level_execute_command(command, chdir=args.get("project_path"))
        if read.get("rc") != 0:
            return set()
        try:
            return state_secrets(json.loads(read.get("stdout") or "{}"))
        except ValueError:
            return set()
