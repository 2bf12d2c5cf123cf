"""plugins/modules/codebuild_project_set.py against botocore Stubbers: one ListProjects for the scope and one
BatchGetProjects per 100 declared projects that exist, projects compared as codebuild_project compares them, creates,
updates and purges in the scope only, each service role looked up once, check mode and diff exact, errors naming
the item's option path before any call, and a write that fails partway naming what was written."""

from __future__ import annotations

import json

from ansible_collections.securecloud.monitor.plugins.module_utils import codebuild
from ansible_collections.securecloud.monitor.plugins.modules import codebuild_project_set as module

from tests.unit.plugins.modules.test_codebuild_project import (
    ACCOUNT,
    REGION,
    ROLE_ARN,
    aws_project,
    create_request,
    declared,
    role,
    run_module,
    update_request,
)
from tests.unit.set_convention import assert_no_deprecation, fresh_deprecations

PREFIX = "dev-"
API, WEB, OLD, OTHER_ENV = "dev-api-build", "dev-web-build", "dev-old-build", "devops-tools"


def arn(name):
    return f"arn:aws:codebuild:{REGION}:{ACCOUNT}:project/{name}"


def item(name):
    return declared(name=name)


def existing(name, **overrides):
    return aws_project(name=name, arn=arn(name), **overrides)


def run(monkeypatch, capsys, args, cb_setup=None, iam_setup=None, **kwargs):
    fresh_deprecations(monkeypatch)
    return run_module(monkeypatch, capsys, {"prefix": PREFIX} | args, cb_setup, iam_setup, target=module, **kwargs)


def listing(stubber, *names):
    # AWS leaves the member out of an empty answer (the model's list has a minimum length of 1).
    stubber.add_response("list_projects", {"projects": list(names)} if names else {}, {})


def batch_get(stubber, projects, names):
    stubber.add_response("batch_get_projects", {"projects": projects}, {"names": names})


def created(stubber, name):
    stubber.add_response("create_project", {"project": existing(name)}, create_request(name=name))


def deleted(stubber, name):
    stubber.add_response("delete_project", {}, {"name": name})


DECLARED = {"projects": [item(API), item(WEB)]}


def test_a_new_set_is_created_with_one_role_lookup_for_the_projects_that_share_it(monkeypatch, capsys):
    def cb_setup(stubber):
        listing(stubber, OTHER_ENV)
        created(stubber, API)
        created(stubber, WEB)

    result = run(monkeypatch, capsys, DECLARED, cb_setup, role)
    assert result["changed"] is True
    assert (result["created"], result["updated"], result["deleted"]) == ([API, WEB], [], [])
    assert [p["name"] for p in result["projects"]] == [API, WEB]
    assert result["projects"][0]["arn"] == arn(API)
    assert_no_deprecation(result)


def test_check_mode_predicts_the_creation_without_a_write(monkeypatch, capsys):
    result = run(monkeypatch, capsys, DECLARED, listing, role, check_mode=True, diff=True)
    assert result["changed"] is True and result["created"] == [API, WEB]
    assert [p["arn"] for p in result["projects"]] == [None, None]
    assert result["diff"]["before"] == {}
    assert sorted(result["diff"]["after"]) == [API, WEB]


def test_a_second_run_reads_once_and_changes_nothing(monkeypatch, capsys):
    def cb_setup(stubber):
        listing(stubber, API, WEB, OTHER_ENV)
        batch_get(stubber, [existing(API), existing(WEB)], [API, WEB])

    result = run(monkeypatch, capsys, DECLARED | {"purge": False}, cb_setup, diff=True)
    assert result["changed"] is False
    assert (result["created"], result["updated"], result["deleted"]) == ([], [], [])
    assert result["diff"] == {"before": {}, "after": {}}


def test_drift_is_reported_as_updated_in_check_mode_with_a_diff_of_what_differs(monkeypatch, capsys):
    drifted = existing(API)
    drifted["environment"] = dict(drifted["environment"], image="aws/codebuild/standard:6.0")

    def cb_setup(stubber):
        listing(stubber, API, WEB)
        batch_get(stubber, [drifted, existing(WEB)], [API, WEB])

    result = run(monkeypatch, capsys, DECLARED, cb_setup, check_mode=True, diff=True)
    assert result["changed"] is True and result["updated"] == [API]
    assert list(result["diff"]["before"]) == [API] and list(result["diff"]["after"]) == [API]
    assert result["diff"]["before"][API]["environment"]["image"] == "aws/codebuild/standard:6.0"
    assert result["diff"]["after"][API]["environment"]["image"] == "aws/codebuild/standard:7.0"


def test_drift_is_repaired_with_one_update_project(monkeypatch, capsys):
    drifted = existing(API, timeoutInMinutes=30)

    def cb_setup(stubber):
        listing(stubber, API, WEB)
        batch_get(stubber, [drifted, existing(WEB)], [API, WEB])
        stubber.add_response("update_project", {"project": existing(API)}, update_request(name=API))

    result = run(monkeypatch, capsys, DECLARED, cb_setup)
    assert result["changed"] is True and result["updated"] == [API] and result["created"] == []


def test_purge_deletes_undeclared_projects_in_the_scope_only(monkeypatch, capsys):
    def cb_setup(stubber):
        listing(stubber, API, WEB, OLD, OTHER_ENV)
        batch_get(stubber, [existing(API), existing(WEB)], [API, WEB])
        deleted(stubber, OLD)

    result = run(monkeypatch, capsys, DECLARED, cb_setup)
    assert result["changed"] is True and result["deleted"] == [OLD]
    assert [p["name"] for p in result["projects"]] == [API, WEB]


def test_purge_false_leaves_undeclared_projects_unread_and_untouched(monkeypatch, capsys):
    def cb_setup(stubber):
        listing(stubber, API, WEB, OLD)
        batch_get(stubber, [existing(API), existing(WEB)], [API, WEB])

    result = run(monkeypatch, capsys, DECLARED | {"purge": False}, cb_setup)
    assert result["changed"] is False and result["deleted"] == []
    assert result["projects"][1] == {"name": OLD}


def test_diff_reads_the_projects_to_delete_in_the_same_batch(monkeypatch, capsys):
    def cb_setup(stubber):
        listing(stubber, API, OLD)
        batch_get(stubber, [existing(API), existing(OLD)], [API, OLD])

    result = run(monkeypatch, capsys, {"projects": [item(API)]}, cb_setup, check_mode=True, diff=True)
    assert result["deleted"] == [OLD]
    assert list(result["diff"]["before"]) == [OLD] and result["diff"]["after"] == {}


def test_state_absent_deletes_the_whole_scope(monkeypatch, capsys):
    def cb_setup(stubber):
        listing(stubber, API, OTHER_ENV, OLD)
        deleted(stubber, API)
        deleted(stubber, OLD)

    result = run(monkeypatch, capsys, DECLARED | {"state": "absent"}, cb_setup)
    assert result["changed"] is True and result["deleted"] == [API, OLD] and result["projects"] == []


def test_more_than_100_existing_projects_are_read_100_at_a_time(monkeypatch, capsys):
    names = [f"dev-s{i:03d}-build" for i in range(101)]

    def cb_setup(stubber):
        listing(stubber, *names)
        batch_get(stubber, [existing(n) for n in names[:100]], names[:100])
        batch_get(stubber, [existing(names[100])], names[100:])

    result = run(monkeypatch, capsys, {"projects": [item(n) for n in names]}, cb_setup)
    assert result["changed"] is False and len(result["projects"]) == 101


def test_every_input_error_names_the_item_path_before_any_call(monkeypatch, capsys):
    bad = item(WEB)
    bad["environment"] = dict(bad["environment"], compute_type="BUILD_HUGE", image=" ")
    bad["source"] = dict(bad["source"], location="https://example.com/x.git")
    args = {"projects": [item(API), bad, item("prod-api-build"), item(API)]}
    result = run(monkeypatch, capsys, args, aws=False)
    assert result["failed"] is True
    text = " | ".join(result["errors"])
    assert "invalid compute type: projects[1].environment.compute_type 'BUILD_HUGE'" in text
    assert "projects[1].environment.image is empty" in text
    assert "projects[1].source.location is set but projects[1].source.type is CODEPIPELINE" in text
    assert "projects[2].name 'prod-api-build' does not start with prefix 'dev-'" in text
    assert "projects[3].name 'dev-api-build' is declared twice (also projects[0])" in text


def test_an_empty_prefix_is_refused(monkeypatch, capsys):
    result = run(monkeypatch, capsys, DECLARED | {"prefix": ""}, aws=False)
    assert result["failed"] is True and "prefix must not be empty" in result["msg"]


def test_the_requests_are_checked_against_the_model_before_the_first_call(monkeypatch, capsys):
    long_tag = item(WEB) | {"tags": {"env": "x" * 300}}
    result = run(monkeypatch, capsys, {"projects": [item(API), long_tag]})
    assert result["failed"] is True
    assert any(e.startswith("projects[1].tags") for e in result["errors"]), result["errors"]


def test_tags_kept_by_purge_tags_false_beyond_50_fail_before_any_write(monkeypatch, capsys):
    held = [{"key": f"old{i}", "value": "x"} for i in range(30)]
    many = item(API) | {"tags": {f"new{i}": "y" for i in range(30)}}

    def cb_setup(stubber):
        listing(stubber, API, WEB)
        batch_get(stubber, [existing(API, tags=held), existing(WEB)], [API, WEB])

    result = run(monkeypatch, capsys, {"projects": [many, item(WEB)], "purge_tags": False}, cb_setup)
    assert result["failed"] is True
    assert result["errors"] == [
        "projects[0].tags: the project would have 60 tags, the declared ones and those it has that purge_tags=false "
        "keeps; CodeBuild allows 50. Set purge_tags to true, or declare fewer tags."
    ]


def test_a_failed_write_names_what_was_written_and_what_was_not(monkeypatch, capsys):
    def cb_setup(stubber):
        listing(stubber)
        created(stubber, API)
        stubber.add_client_error("create_project", "AccessDeniedException", "no", 400, create_request(name=WEB))

    result = run(monkeypatch, capsys, DECLARED, cb_setup, role)
    assert result["failed"] is True
    assert (result["written"], result["not_written"]) == ([API], [WEB])


def test_a_missing_role_fails_before_any_write(monkeypatch, capsys):
    def iam_setup(stubber):
        stubber.add_client_error("get_role", "NoSuchEntity", "no role", 404, {"RoleName": "dev-codebuild"})

    result = run(monkeypatch, capsys, DECLARED, listing, iam_setup)
    assert result["failed"] is True
    assert result["msg"].startswith("projects[0].service_role: the IAM role 'dev-codebuild' does not exist")


def test_secret_looking_plaintext_is_warned_about_and_redacted(monkeypatch, capsys):
    secret = item(API)
    secret["environment"] = dict(
        secret["environment"], environment_variables=[{"name": "API_TOKEN", "value": "s3cr3t"}]
    )
    result = run(monkeypatch, capsys, {"projects": [secret]}, listing, role, check_mode=True, diff=True)
    out = json.dumps({"projects": result["projects"], "diff": result["diff"]})
    assert "s3cr3t" not in out and codebuild.REDACTED in out
    assert any("projects[0].environment.environment_variables API_TOKEN" in str(w) for w in result["warnings"])


def test_at_item_makes_every_option_path_whole():
    messages = codebuild.validate(
        {
            "name": "x",
            "source": {"type": "NO_SOURCE", "buildspec": "plan.yml"},
            "artifacts": {"type": "NO_ARTIFACTS"},
            "environment": {"image": "i", "compute_type": "BUILD_GENERAL1_SMALL"},
            "service_role": ROLE_ARN,
            "vpc_config": {"vpc_id": "vpc-12345678"},
        }
    )
    rewritten = codebuild.at_item("projects[4].", messages)
    assert rewritten[0].startswith("projects[4].name 'x'")
    assert any("projects[4].source.buildspec 'plan.yml' is a path but projects[4].source.type" in m for m in rewritten)
    assert any(m.startswith("projects[4].vpc_config is partial: projects[4].vpc_config.subnets") for m in rewritten), (
        rewritten
    )
