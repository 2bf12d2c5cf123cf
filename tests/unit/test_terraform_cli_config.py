"""The Terraform CLI config uses a provider mirror when one exists and the public registry otherwise."""

from __future__ import annotations

import pytest

from tools import terraform_cli_config as cli_config


@pytest.fixture
def no_system_mirrors(monkeypatch, tmp_path):
    monkeypatch.setattr(cli_config, "CANDIDATE_MIRRORS", (str(tmp_path / "absent"),))
    monkeypatch.delenv("TF_PROVIDER_MIRROR", raising=False)


def make_mirror(root, *providers):
    for address, version in providers:
        (root / address / version / "linux_amd64").mkdir(parents=True)
    return root


def test_a_mirror_is_used_for_exactly_the_providers_it_holds(tmp_path, monkeypatch, no_system_mirrors):
    mirror = make_mirror(
        tmp_path / "mirror",
        ("registry.terraform.io/hashicorp/aws", "5.100.0"),
        ("registry.terraform.io/hashicorp/random", "3.6.0"),
    )
    monkeypatch.setenv("TF_PROVIDER_MIRROR", str(mirror))
    output = tmp_path / "rc"

    assert cli_config.main([str(output)]) == 0

    text = output.read_text()
    assert f'path    = "{mirror}"' in text
    wanted = '["registry.terraform.io/hashicorp/aws", "registry.terraform.io/hashicorp/random"]'
    assert f"include = {wanted}" in text
    assert f"exclude = {wanted}" in text
    assert "disable_checkpoint = true" in text


def test_without_a_mirror_the_registry_is_used(tmp_path, no_system_mirrors):
    output = tmp_path / "rc"

    assert cli_config.main([str(output)]) == 0

    text = output.read_text()
    assert "provider_installation" not in text
    assert f'plugin_cache_dir = "{(tmp_path / "plugin-cache").resolve()}"' in text
    assert (tmp_path / "plugin-cache").is_dir()


def test_an_empty_mirror_folder_is_not_a_mirror(tmp_path, monkeypatch, no_system_mirrors):
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("TF_PROVIDER_MIRROR", str(tmp_path / "empty"))

    assert cli_config.find_mirror() == (None, [])


def test_packed_mirror_archives_are_recognised(tmp_path, monkeypatch, no_system_mirrors):
    namespace = tmp_path / "packed" / "registry.terraform.io" / "hashicorp"
    namespace.mkdir(parents=True)
    (namespace / "aws_5.100.0_linux_amd64.zip").write_bytes(b"")
    monkeypatch.setenv("TF_PROVIDER_MIRROR", str(tmp_path / "packed"))

    assert cli_config.find_mirror()[1] == ["registry.terraform.io/hashicorp/aws"]
