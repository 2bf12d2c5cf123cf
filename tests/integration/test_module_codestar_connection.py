"""codestar_connection against a local cloud of this file's own: bad input, check mode, create (PENDING, with a
warning), an identical re-run (no mutating call), a tag change with its diff, a provider change refused, absent."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/codestar_connection/connection.yml"
BASE = {"cs_test_name": "prod-github", "cs_test_tags": {"team": "platform"}}


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


def listed(cloud):
    return cloud.client("codestar-connections").list_connections()["Connections"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"cs_test_name": "x" * 33}, "name 'xxx"),
        (
            {"cs_test_name": "c", "cs_test_host": "arn:aws:codestar-connections:us-east-1:123456789012:host/h"},
            "host_arn is for self-managed",
        ),
        (
            {"cs_test_name": "c", "cs_test_provider": "GitLabSelfManaged"},
            "provider_type GitLabSelfManaged needs host_arn",
        ),
        ({"cs_test_name": "c", "cs_test_provider": "CodeCommit"}, "provider_type"),
    ],
    ids=["name too long", "host with GitHub", "self-managed without host", "unknown provider"],
)
def test_bad_input_fails_before_any_call(module_cloud, tmp_path, extra, field):
    played, result, calls = run(module_cloud, tmp_path, extra)
    assert played.returncode != 0
    assert field in result["msg"], result["msg"]
    assert calls == []


def test_check_mode_creates_nothing(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, BASE, "--check")
    ok(played)
    assert (result["changed"], mutating(calls), result["connection_arn"]) == (True, [], None)
    assert listed(module_cloud) == []


def test_create_is_pending_with_a_warning(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, BASE)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codestar-connections:CreateConnection"])
    assert result["connection_status"] == "PENDING"
    assert any("handshake" in w for w in result.get("warnings", []))
    [connection] = listed(module_cloud)
    assert (connection["ConnectionArn"], connection["ProviderType"]) == (result["connection_arn"], "GitHub")


def test_rerun_changes_nothing(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, BASE)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_tag_change_with_diff(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, BASE | {"cs_test_tags": {"owner": "sre"}}, "--diff")
    ok(played)
    assert sorted(mutating(calls)) == ["codestar-connections:TagResource", "codestar-connections:UntagResource"]
    assert (result["diff"]["before"]["tags"], result["diff"]["after"]["tags"]) == (
        {"team": "platform"},
        {"owner": "sre"},
    )


def test_another_provider_cannot_change_in_place(module_cloud, tmp_path):
    played, result, calls = run(module_cloud, tmp_path, BASE | {"cs_test_provider": "Bitbucket"})
    assert played.returncode != 0
    assert "provider_type is GitHub, not Bitbucket" in result["msg"]
    assert mutating(calls) == []


def test_absent(module_cloud, tmp_path):
    absent = {"cs_test_name": "prod-github", "cs_test_state": "absent"}
    played, result, calls = run(module_cloud, tmp_path, absent)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["codestar-connections:DeleteConnection"])
    assert listed(module_cloud) == []
    played, result, calls = run(module_cloud, tmp_path, absent)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
