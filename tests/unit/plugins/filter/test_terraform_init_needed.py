"""A working copy is initialised again only when it is new, lost its lock file or stamp, or its stack changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from ansible_collections.securecloud.monitor.plugins.filter.terraform_init_needed import (
    FilterModule,
    terraform_init_needed,
)

STAMP = ".terraform/securecloud-init.json"
TFVARS = "_securecloud.auto.tfvars.json"


def found(work: Path) -> list[dict]:
    """What ansible.builtin.find returns for the working copy (path and the times it reports)."""
    return [
        {"path": str(path), "mtime": path.stat().st_mtime, "ctime": path.stat().st_ctime}
        for path in work.rglob("*")
        if path.is_file()
    ]


def needed(work: Path, stale=()) -> bool:
    return terraform_init_needed(found(work), str(work), STAMP, ".terraform.lock.hcl", [TFVARS], list(stale))


@pytest.fixture
def initialised(tmp_path) -> Path:
    work = tmp_path / "work"
    (work / "modules" / "network").mkdir(parents=True)
    (work / "main.tf").write_text('module "network" { source = "./modules/network" }\n')
    (work / "modules" / "network" / "main.tf").write_text("")
    (work / TFVARS).write_text("{}\n")
    (work / ".terraform" / "modules").mkdir(parents=True)
    (work / ".terraform.lock.hcl").write_text("")
    (work / STAMP).touch()
    return work


def test_an_unchanged_working_copy_needs_no_init(initialised):
    assert needed(initialised) is False


def test_a_new_working_copy_needs_an_init(tmp_path):
    (tmp_path / "main.tf").write_text("")
    assert needed(tmp_path) is True


@pytest.mark.parametrize("lost", [STAMP, ".terraform.lock.hcl"])
def test_a_copy_without_its_stamp_or_lock_file_needs_an_init(initialised, lost):
    (initialised / lost).unlink()
    assert needed(initialised) is True


def test_a_changed_stack_file_needs_an_init(initialised):
    (initialised / "modules" / "network" / "main.tf").write_text('variable "cidr" {}\n')
    assert needed(initialised) is True


def test_a_folder_copied_with_old_modification_times_still_needs_an_init(initialised, tmp_path):
    source = tmp_path / "src" / "edge"
    source.mkdir(parents=True)
    (source / "main.tf").write_text("")
    os.utime(source / "main.tf", (0, 0))  # as old as can be: copy2 keeps it
    shutil.copytree(source, initialised / "modules" / "edge")
    assert needed(initialised) is True


def test_variables_and_terraforms_own_files_need_no_init(initialised):
    (initialised / TFVARS).write_text('{"az_count": 3}\n')
    (initialised / ".terraform" / "modules" / "modules.json").write_text("{}\n")
    (initialised / ".terraform.lock.hcl").write_text("# updated by init\n")
    assert needed(initialised) is False


def test_files_to_remove_need_an_init(initialised):
    assert needed(initialised, stale=["old.tf"]) is True


def test_the_filter_is_registered():
    assert FilterModule().filters()["terraform_init_needed"] is terraform_init_needed
