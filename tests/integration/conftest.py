"""A fresh local cloud for the integration tests, started through the project's
own command on a port of its own, and a scratch folder for Terraform state."""

from __future__ import annotations

import pytest

from tools.harness.cloud import LocalCloud

ENVIRONMENT = "dev"  # the host of inventories/local
# make integration shares the files among pytest-xdist workers, a whole file per worker (--dist loadfile, in
# collection order). site.yml's file takes about as long as all the others together: started first, it runs beside
# them instead of alone at the end.
LONGEST_FIRST = "test_site.py"


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.path.name != LONGEST_FIRST)  # a stable sort: each file keeps its order


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
