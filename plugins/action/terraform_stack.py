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
    raw_state_secrets,
    sensitive_schema,
    state_secrets,
)

WRAPPED = "community.general.terraform"
# The providers' sensitive attributes (terraform_sensitive.sensitive_schema), cached in the working copy for the
# lock file whose digest it records: reading them starts every provider, which the state read itself does not.
SCHEMA_CACHE = ".terraform/securecloud-sensitive-schema.json"
LOCK_FILE = ".terraform.lock.hcl"


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
        """Sensitive values of the state, read with `terraform state pull` in the project, or with `terraform show
        -json` when the raw state cannot be read (nothing when neither can: there is no state yet, or the wrapped
        module reports what is wrong)."""
        state = self._terraform_json(args, "state pull")
        if state:
            return raw_state_secrets(state, self._sensitive_schema(args))
        return state_secrets(self._terraform_json(args, "show -json -no-color"))

    def _sensitive_schema(self, args):
        """The cached sensitive attributes of the providers, read again (and cached) when the lock file changed;
        empty when they cannot be read (the state's recorded paths are masked still)."""
        lock = self._shell(args, f"sha256sum {LOCK_FILE} && cat {SCHEMA_CACHE}")
        digest, _sep, cached = (lock.get("stdout") or "").partition("\n")
        digest = digest.split(" ")[0]
        try:
            cache = json.loads(cached) if lock.get("rc") == 0 else {}
        except ValueError:
            cache = {}
        if digest and cache.get("lock_sha256") == digest:
            return cache.get("schema") or {}
        schema = sensitive_schema(self._terraform_json(args, "providers schema -json"))
        if digest and schema:
            content = json.dumps({"lock_sha256": digest, "schema": schema})
            self._shell(args, f"cat > {SCHEMA_CACHE}", in_data=content.encode())
        return schema

    def _terraform_json(self, args, subcommand):
        binary = args.get("binary_path") or "terraform"
        read = self._shell(args, f"{self._compute_environment_string()} {shlex.quote(binary)} {subcommand}")
        if read.get("rc") != 0:
            return None
        try:
            return json.loads(read.get("stdout") or "null")
        except ValueError:
            return None

    def _shell(self, args, command, in_data=None):
        return self._low_level_execute_command(command, chdir=args.get("project_path"), in_data=in_data)
