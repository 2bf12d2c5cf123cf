# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter of the base_infra role: whether a Terraform working copy needs `terraform init` before it is planned."""

from __future__ import annotations

import os
from typing import Any

DOCUMENTATION = r"""
name: terraform_init_needed
short_description: Whether a Terraform working copy needs C(terraform init) before it is planned.
version_added: 1.1.0
description:
  - Takes the files C(ansible.builtin.find) listed in the working copy (with C(hidden=true), so that the lock file
    is among them) and tells whether C(terraform init) must run.
  - It must when the working copy has no stamp of an earlier init (a new working copy, or one whose C(.terraform/)
    is gone), has no dependency lock file, or has a file of the stack (not under C(.terraform/), not one of
    O(ignored)) changed after the stamp, or when files are to be removed (O(stale)).
  - The caller touches the stamp after each successful init, so an unchanged working copy is planned without one.
  - Times are inode change times (C(ctime)), not modification times, because a folder new to the working copy is
    copied with its files' modification times preserved, which may be older than the stamp.
positional: work_dir, stamp, lock_file, ignored, stale
options:
  _input:
    description: The C(files) of C(ansible.builtin.find) over the working copy (each with C(path) and C(ctime)).
    type: list
    elements: dict
    required: true
  work_dir:
    description: The working copy's folder.
    type: path
    required: true
  stamp:
    description: The stamp's path relative to O(work_dir).
    type: str
    required: true
  lock_file:
    description: The dependency lock file's path relative to O(work_dir).
    type: str
    default: .terraform.lock.hcl
  ignored:
    description: Paths relative to O(work_dir) whose changes need no init (the variables file).
    type: list
    elements: str
    default: []
  stale:
    description: Paths relative to O(work_dir) of files the stack no longer has, removed before the plan.
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: Plan with an init only when the working copy needs one
  securecloud.monitor.terraform_stack:
    project_path: "{{ work_dir }}"
    state: present
    force_init: "{{ work_files.files | securecloud.monitor.terraform_init_needed(work_dir, '.terraform/init.json') }}"
"""

RETURN = r"""
_value:
  description: True when C(terraform init) must run.
  type: bool
"""


def terraform_init_needed(files, work_dir, stamp, lock_file=".terraform.lock.hcl", ignored=(), stale=()):
    ctimes = {os.path.relpath(found["path"], work_dir): found["ctime"] for found in files or []}
    if stamp not in ctimes or lock_file not in ctimes or stale:
        return True
    stack = [path for path in ctimes if path not in ignored and path != lock_file]
    return any(ctimes[path] > ctimes[stamp] for path in stack if not path.startswith(".terraform/"))


class FilterModule:
    def filters(self) -> dict[str, Any]:
        return {"terraform_init_needed": terraform_init_needed}
