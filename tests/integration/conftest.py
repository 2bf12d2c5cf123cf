"""A fresh local cloud for the integration tests, started through the project's
own command on a port of its own, and a scratch folder for Terraform state."""

from __future__ import annotations

import time

import pytest

from tools.harness import cpu
from tools.harness.cloud import LocalCloud

ENVIRONMENT = "dev"  # the host of inventories/local
# make integration shares the files among pytest-xdist workers, a whole file per worker (--dist loadfile, in
# collection order). site.yml's file takes about as long as all the others together: started first, it runs beside
# them instead of alone at the end.
LONGEST_FIRST = "test_site.py"
# The summary's table of CPU seconds per test file lists this many files.
CPU_TABLE_FILES = 40
_CPU_BY_FILE: dict[str, list[float]] = {}


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.path.name != LONGEST_FIRST)  # a stable sort: each file keeps its order


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    started_cpu, started = cpu.cpu_seconds(), time.monotonic()
    yield
    cpu.add(_CPU_BY_FILE, item.location[0], cpu.cpu_seconds() - started_cpu, time.monotonic() - started)


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: its figures go to the controller
        workeroutput["cpu_by_file"] = _CPU_BY_FILE


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    cpu.merge(_CPU_BY_FILE, getattr(node, "workeroutput", {}).get("cpu_by_file", {}))


def pytest_terminal_summary(terminalreporter):
    if _CPU_BY_FILE:
        terminalreporter.section("CPU seconds per test file")
        for line in cpu.table(_CPU_BY_FILE, CPU_TABLE_FILES):
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def cloud(tmp_path_factory):
    with LocalCloud(tmp_path_factory.mktemp("localcloud")) as started:
        yield started


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("work")


@pytest.fixture(scope="module")
def module_cloud(tmp_path_factory):
    """A local cloud of the test file's own, for tests that must not share state with site.yml's."""
    with LocalCloud(tmp_path_factory.mktemp("localcloud")) as started:
        yield started
