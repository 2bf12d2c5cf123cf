#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: terraform_stack
short_description: Plan and apply a Terraform stack (community.general.terraform) with its sensitive values masked
version_added: 1.0.0
description:
  - Runs M(community.general.terraform) with the options given, all passed through unchanged, and masks in its
    result every value Terraform marks sensitive, the way Ansible masks C(no_log) values (a whole value becomes
    V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER), a value inside a longer string becomes C(********)).
  - Why. In check or diff mode, M(community.general.terraform) returns the plan's C(before) and C(after) of each
    changed resource as C(terraform show -json) gives them, which is with sensitive values in clear (Terraform's
    JSON marks them in a separate tree, which the diff drops). A compliance run (check and diff mode) would then
    print, record and report, for example, the secret origin header of a CloudFront distribution whenever the
    distribution differs. Its C(outputs) hold the values of outputs marked C(sensitive) in clear too.
  - What is masked. In check or diff mode, every string Terraform marks sensitive in the state, read in
    O(project_path) before the run (the values a plan's C(before) quotes; values created by the run are unknown in
    the plan, so never in it). In every mode, the strings of outputs marked C(sensitive). Strings shorter than 8
    characters are left, so that masking never garbles a result.
  - How the state is read. C(terraform state pull) gives the raw state, which starts no provider; each resource
    instance lists the paths that were marked sensitive when it was written, and the attributes the providers'
    schemas declare sensitive are added to them, as C(terraform show -json) adds them. Those attributes are read with
    C(terraform providers schema -json) (which starts every provider) once, and cached in
    C(.terraform/securecloud-sensitive-schema.json) for the dependency lock file's digest; a new lock file (other
    providers or versions) reads them again. When the raw state cannot be read, C(terraform show -json) is.
  - Everything else is M(community.general.terraform)'s behaviour; its documentation lists the other options
    (C(variables), C(backend_config), C(workspace), C(plan_file), C(check_destroy)...).
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  project_path:
    description: The Terraform working directory (passed through; also where the state is read for masking).
    type: path
    required: true
  binary_path:
    description: The Terraform binary (passed through; also used to read the state). Default C(terraform) on the PATH.
    type: path
  state:
    description: V(present) applies, V(absent) destroys, V(planned) only plans (passed through).
    type: str
    choices: [present, absent, planned]
    default: present
  targets:
    description: Resource addresses to plan and apply alone (C(-target); passed through).
    type: list
    elements: str
    default: []
  force_init:
    description: Run C(terraform init) first (passed through).
    type: bool
    default: false
  lock_timeout:
    description: Seconds to wait for the state lock (passed through).
    type: int
attributes:
  check_mode:
    support: full
    description: Plans only, as M(community.general.terraform) does; the state is read to mask the plan's values.
  diff_mode:
    support: full
    description: The plan's changes, with the values Terraform marks sensitive masked.
notes:
  - Runs as an action plugin on the controller side of the task; the state is read where the task runs.
seealso:
  - module: community.general.terraform
"""

EXAMPLES = r"""
- name: Apply the stack; a --check --diff run shows the plan with its secrets masked
  securecloud.monitor.terraform_stack:
    project_path: "{{ work_dir }}/terraform"
    state: present
    force_init: true
  register: stack
"""

RETURN = r"""
outputs:
  description: The stack's outputs (C(terraform output -json)); the values of outputs marked C(sensitive) masked.
  returned: always
  type: dict
  sample: {vpc_id: {sensitive: false, type: string, value: vpc-0a1b2c3d}}
diff:
  description: In check or diff mode, C(before) and C(after) of each changed resource, sensitive values masked.
  returned: check or diff mode
  type: dict
stdout:
  description: Terraform's output of the last command (plan or apply).
  returned: always
  type: str
command:
  description: The Terraform command run.
  returned: always
  type: str
"""
