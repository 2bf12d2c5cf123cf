"""A fresh local cloud for the integration tests, started through the project's
own command on a port of its own, and a scratch folder for Terraform state."""

from __future__ import annotations

import pytest

from tools.harness.cloud import LocalCloud

ENVIRONMENT = "dev"  # the host of inventories/local


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
