"""The Terraform CLI config the test harness hands to playbooks and terraform: one plugin cache per pytest-xdist
worker, the project's shared one otherwise."""

from __future__ import annotations

import shutil

from tools.harness.playbook import REPO, ensure_terraform_config


def _cache_dir(config):
    line = next(line for line in config.read_text().splitlines() if line.startswith("plugin_cache_dir"))
    return line.split("=", 1)[1].strip().strip('"')


def test_each_xdist_worker_gets_a_plugin_cache_of_its_own(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw-unit")
    try:
        config = ensure_terraform_config()
        assert config == REPO / ".work" / "terraformrc-gw-unit"
        assert _cache_dir(config) == str(REPO / ".work" / "plugin-cache-gw-unit")
        assert (REPO / ".work" / "plugin-cache-gw-unit").is_dir()
    finally:
        (REPO / ".work" / "terraformrc-gw-unit").unlink(missing_ok=True)
        shutil.rmtree(REPO / ".work" / "plugin-cache-gw-unit", ignore_errors=True)


def test_outside_xdist_the_shared_cache(monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    config = ensure_terraform_config()
    assert config == REPO / ".work" / "terraformrc"
    assert _cache_dir(config) == str(REPO / ".work" / "plugin-cache")
