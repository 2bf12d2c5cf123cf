"""tools/harness/cpu.py: the CPU seconds per test file that make integration prints."""

from __future__ import annotations

import subprocess
import sys

from tools.harness import cpu


def test_a_child_waited_for_counts_in_the_cpu_seconds():
    before = cpu.cpu_seconds()
    subprocess.run(
        [sys.executable, "-c", "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass"],
        check=True,
    )
    assert cpu.cpu_seconds() - before >= 0.5


def test_tests_add_up_per_file_and_workers_merge():
    first, second = {}, {}
    cpu.add(first, "tests/integration/test_a.py", 10.0, 20.0)
    cpu.add(first, "tests/integration/test_a.py", 5.0, 1.0)
    cpu.add(second, "tests/integration/test_a.py", 1.0, 2.0)
    cpu.add(second, "tests/integration/test_b.py", 3.0, 4.0)

    cpu.merge(first, second)

    assert first == {"tests/integration/test_a.py": [16.0, 23.0, 3], "tests/integration/test_b.py": [3.0, 4.0, 1]}


def test_the_table_ranks_by_cpu_sums_the_rest_and_gives_the_total():
    totals = {"a.py": [5.0, 50.0, 1], "b.py": [30.0, 40.0, 2], "c.py": [7.4, 8.0, 3], "d.py": [2.0, 1.0, 1]}

    lines = list(cpu.table(totals, 2))

    assert [line.split()[-1] for line in lines[1:3]] == ["b.py", "c.py"]
    assert lines[1].split()[:3] == ["30", "40", "2"]
    assert lines[3].split()[:3] == ["7", "51", "2"] and lines[3].endswith("the 2 other files")
    assert lines[4].split()[:3] == ["44", "99", "7"] and lines[4].endswith("all 4 files")


def test_no_other_files_line_when_every_file_is_listed():
    lines = list(cpu.table({"a.py": [1.0, 1.0, 1]}, 40))

    assert len(lines) == 3 and not any("other files" in line for line in lines)
