"""The CPU split of a benchmarked run (tools/bench/profile.py): the wrappers really measure, and the figures add up."""

from __future__ import annotations

import subprocess
import sys

from tools.bench.profile import Profile, Profiler, longest_tasks
from tools.harness.playbook import PlaybookRun


def test_the_interpreter_wrapper_passes_everything_through_and_logs_its_cpu(tmp_path):
    profiler = Profiler(tmp_path, terraform="/bin/true")
    profiler.reset()
    busy = "import sys; sum(i * i for i in range(2_000_000)); print(sys.stdin.read().upper()); sys.exit(3)"

    done = subprocess.run(
        [str(profiler.python), "-c", busy], input="module args", capture_output=True, text=True, check=False
    )

    assert (done.returncode, done.stdout, done.stderr) == (3, "MODULE ARGS\n", "")
    [line] = profiler.module_log.read_text().splitlines()
    user, system = (float(field) for field in line.split())
    assert user + system > 0.05  # two million squares are not free


def test_stderr_of_the_wrapped_process_is_its_own_not_the_log(tmp_path):
    profiler = Profiler(tmp_path, terraform="/bin/true")
    profiler.reset()

    done = subprocess.run(
        [str(profiler.python), "-c", "import sys; sys.stderr.write('oops')"], capture_output=True, text=True, check=True
    )

    assert done.stderr == "oops"
    assert len(profiler.module_log.read_text().splitlines()) == 1


def test_the_run_is_given_both_wrappers(tmp_path):
    profiler = Profiler(tmp_path, terraform="/bin/true")
    assert profiler.args() == [
        "-e",
        f"ansible_python_interpreter={tmp_path / 'python'}",
        "-e",
        f"base_infra_terraform_binary={tmp_path / 'terraform'}",
    ]
    assert f'"{sys.executable}"' in profiler.python.read_text()


def _task(name, start, end, **hosts):
    return {"task": {"name": name, "duration": {"start": start, "end": end}}, "hosts": hosts}


RUN = PlaybookRun(
    0,
    30.0,
    {
        "plays": [
            {
                "tasks": [
                    _task(
                        "apply", "2026-12-06T10:00:00.000000Z", "2026-12-06T10:00:20.500000Z", dev={"changed": False}
                    ),
                    _task("read", "2026-12-06T10:00:20.5Z", "2026-12-06T10:00:21.5Z", dev={}, prod={"skipped": True}),
                ]
            },
            {"tasks": [_task("read", "2026-12-06T10:00:22Z", "2026-12-06T10:00:24Z", dev={"skipped": True})]},
        ]
    },
    "",
)


def test_tasks_run_and_skipped_are_counted_per_host(tmp_path):
    profiler = Profiler(tmp_path, terraform="/bin/true")
    profiler.reset()
    profile = profiler.profile(RUN, total_cpu=10.0, cloud_cpu=2.0)
    assert (profile.tasks_run, profile.tasks_skipped) == (2, 2)


def test_the_longest_tasks_sum_their_occurrences_longest_first():
    assert longest_tasks(RUN) == [("apply", 20.5), ("read", 3.0)]
    assert longest_tasks(RUN, count=1) == [("apply", 20.5)]


def test_the_controller_is_what_the_module_processes_leave_and_terraform_is_taken_from_them(tmp_path):
    profiler = Profiler(tmp_path, terraform="/bin/true")
    profiler.reset()
    profiler.module_log.write_text("1.5 0.5\n0.25 0.25\n4.0 1.0\n")  # the last module started Terraform
    profiler.terraform_log.write_text("3.0 0.5\n")

    profile = profiler.profile(RUN, total_cpu=20.0, cloud_cpu=6.0)

    assert (profile.modules, profile.module_runs, profile.terraform, profile.terraform_runs) == (7.5, 3, 3.5, 1)
    assert (profile.controller, profile.modules_without_terraform) == (12.5, 4.0)
    assert profile.summary(environments=2) == (
        "CPU s per environment: controller 6.2, module processes 2.0 (2 runs, 1.33 s each), Terraform 1.8 (0 runs), "
        "local cloud 3.0; tasks run 1, skipped 1"
    )


def test_a_run_without_modules_has_no_mean():
    profile = Profile(1.0, 0.0, 0, 0.0, 0, 0.0, 0, 0, [])
    assert "0 runs, 0.00 s each" in profile.summary()
