"""plugins/modules/codepipeline_pipeline_set.py against a botocore Stubber: one ListPipelines for the scope, one
GetPipeline and one ListTagsForResource per declared pipeline that exists, pipelines compared as codepipeline_pipeline
compares them (module_utils/codepipeline.py), creates, updates and purges in the scope only, check mode and diff
exact, a failed write naming what was written, errors naming the pipeline before any call."""

from __future__ import annotations

import copy

import botocore.session
from ansible_collections.securecloud.monitor.plugins.module_utils import codepipeline as cp
from ansible_collections.securecloud.monitor.plugins.modules import codepipeline_pipeline_set as module

from tests.integration import codepipelines as declared
from tests.unit.aws_stub import AwsStub
from tests.unit.plugins.modules.test_codepipeline_pipeline import ROLE, as_aws_returns, params, run_stubbed
from tests.unit.set_convention import assert_no_deprecation, fresh_deprecations

PREFIX = "dev-"
APP, API, OLD, OTHER = f"{PREFIX}app", f"{PREFIX}api", f"{PREFIX}old", "prod-app"
CODEPIPELINE = botocore.session.get_session().get_service_model("codepipeline")


def arn(name):
    return f"arn:aws:codepipeline:us-east-1:123456789012:{name}"


def item(name, **extra):
    return {
        "name": name,
        "role_arn": ROLE,
        "artifact_store": {"location": "artifacts"},
        "stages": declared.stages(),
        "triggers": declared.triggers(),
    } | extra


ARGS = {"prefix": PREFIX, "pipelines": [item(APP), item(API)], "region": "us-east-1"}


def desired(name, branch="main"):
    """What the module sends for ``item(name)`` (with the source branch ``branch``)."""
    found = params(name=name)
    found["stages"][0]["actions"][0]["configuration"]["BranchName"] = branch
    return cp.api_pipeline(found, ROLE)


def run(monkeypatch, capsys, responses, check_mode=False, diff=False, **args):
    """Run ``main()`` with ARGS (updated by ``args``) against a Stubber (see run_stubbed)."""
    fresh_deprecations(monkeypatch)
    return run_stubbed(monkeypatch, capsys, module, dict(ARGS, **args), responses, check_mode, diff)


def listing(*names):
    summaries = [{"name": name, "version": 1} for name in names]
    return ("list_pipelines", {"pipelines": summaries}, {})


def get(name, branch="main", version=1):
    pipeline = dict(as_aws_returns(desired(name, branch)), version=version)
    return ("get_pipeline", {"pipeline": pipeline, "metadata": {"pipelineArn": arn(name)}}, {"name": name})


def tags(name, **found):
    listed = [{"key": key, "value": value} for key, value in found.items()]
    return ("list_tags_for_resource", {"tags": listed}, {"resourceArn": arn(name)})


def reads(*names):
    return [step for name in sorted(names) for step in (get(name), tags(name))]


def test_a_new_set_is_created_with_its_tags_and_out_of_scope_pipelines_are_not_read(monkeypatch, capsys):
    sent_tags = [{"key": "team", "value": "platform"}]
    creates = [
        ("create_pipeline", {"pipeline": as_aws_returns(desired(n))}, {"pipeline": desired(n), "tags": sent_tags})
        for n in sorted([APP, API])
    ]
    pipelines = [item(APP, tags={"team": "platform"}), item(API, tags={"team": "platform"})]
    result = run(monkeypatch, capsys, [listing(OTHER), *creates], pipelines=pipelines)
    assert result["changed"] is True
    assert (result["created"], result["updated"], result["deleted"]) == (sorted([APP, API]), [], [])
    assert [(p["name"], p["arn"], p["version"], p["tags"]) for p in result["pipelines"]] == [
        (n, arn(n), 1, {"team": "platform"}) for n in sorted([APP, API])
    ]
    assert_no_deprecation(result)


def test_check_mode_predicts_the_creation_without_calling_it(monkeypatch, capsys):
    result = run(monkeypatch, capsys, [listing()], check_mode=True)
    assert (result["changed"], result["created"]) == (True, sorted([APP, API]))
    assert [(p["name"], p["arn"], p["version"]) for p in result["pipelines"]] == [
        (n, None, 1) for n in sorted([APP, API])
    ]


def test_a_rerun_reads_each_declared_pipeline_once_and_writes_nothing(monkeypatch, capsys):
    result = run(monkeypatch, capsys, [listing(APP, API, OTHER), *reads(APP, API)])
    assert result["changed"] is False
    assert result["created"] == result["updated"] == result["deleted"] == []
    assert [p["version"] for p in result["pipelines"]] == [1, 1]


def test_drift_in_check_mode_is_an_update_whose_diff_names_what_differs(monkeypatch, capsys):
    responses = [listing(APP, API), get(API), tags(API), get(APP, branch="hotfix", version=3), tags(APP)]
    result = run(monkeypatch, capsys, responses, check_mode=True, diff=True)
    assert (result["changed"], result["created"], result["updated"], result["deleted"]) == (True, [], [APP], [])
    assert next(p for p in result["pipelines"] if p["name"] == APP)["version"] == 4
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert set(before) == set(after) == {APP}
    assert before[APP]["stages"][0]["actions"][0]["configuration"]["BranchName"] == "hotfix"
    assert after[APP]["stages"][0]["actions"][0]["configuration"]["BranchName"] == "main"
    assert before[APP]["stages"][1:] == after[APP]["stages"][1:]


def test_an_update_sends_the_current_version_and_tag_changes_tag_without_updating(monkeypatch, capsys):
    updated = dict(as_aws_returns(desired(APP)), version=4)
    responses = [
        listing(APP, API),
        get(API),
        tags(API, old="1"),
        get(APP, branch="hotfix", version=3),
        tags(APP),
        ("tag_resource", {}, {"resourceArn": arn(API), "tags": [{"key": "team", "value": "platform"}]}),
        ("untag_resource", {}, {"resourceArn": arn(API), "tagKeys": ["old"]}),
        ("update_pipeline", {"pipeline": updated}, {"pipeline": dict(desired(APP), version=3)}),
    ]
    result = run(monkeypatch, capsys, responses, pipelines=[item(APP), item(API, tags={"team": "platform"})])
    assert (result["changed"], result["updated"]) == (True, sorted([APP, API]))
    shown = {p["name"]: p for p in result["pipelines"]}
    assert (shown[APP]["version"], shown[API]["version"], shown[API]["tags"]) == (4, 1, {"team": "platform"})


def test_purge_deletes_the_undeclared_of_the_scope_only(monkeypatch, capsys):
    responses = [listing(OLD, APP, API, OTHER), *reads(APP, API), ("delete_pipeline", {}, {"name": OLD})]
    result = run(monkeypatch, capsys, responses)
    assert (result["changed"], result["deleted"]) == (True, [OLD])
    assert [p["name"] for p in result["pipelines"]] == sorted([APP, API])


def test_purge_false_keeps_the_undeclared_without_reading_them(monkeypatch, capsys):
    result = run(monkeypatch, capsys, [listing(OLD, APP, API), *reads(APP, API)], purge=False)
    assert (result["changed"], result["deleted"]) == (False, [])
    assert {"name": OLD, "version": 1} in result["pipelines"]


def test_state_absent_deletes_the_scope_and_diff_shows_what_it_held(monkeypatch, capsys):
    deletes = [("delete_pipeline", {}, {"name": n}) for n in sorted([APP, OLD])]
    result = run(
        monkeypatch, capsys, [listing(APP, OLD, OTHER), get(APP), get(OLD), *deletes], state="absent", diff=True
    )
    assert (result["changed"], result["deleted"], result["pipelines"]) == (True, sorted([APP, OLD]), [])
    assert set(result["diff"]["before"]) == {APP, OLD} and result["diff"]["after"] == {}


def test_a_role_given_by_name_reads_the_account_once(monkeypatch, capsys):
    looked_up = []

    def account(_module):
        looked_up.append(1)
        return "123456789012", "aws"

    monkeypatch.setattr(module, "get_aws_account_info", account)
    pipelines = [item(APP, role_arn="pipeline"), item(API, role_arn="pipeline")]
    result = run(monkeypatch, capsys, [listing(APP, API), *reads(APP, API)], pipelines=pipelines)
    assert (result["changed"], len(looked_up)) == (False, 1)


def test_a_failed_write_names_what_was_written_and_what_was_not(monkeypatch, capsys):
    responses = [
        listing(OLD),
        ("create_pipeline", {"pipeline": as_aws_returns(desired(API))}, {"pipeline": desired(API)}),
        ("create_pipeline", "AccessDeniedException", {"pipeline": desired(APP)}),
    ]
    result = run(monkeypatch, capsys, responses)
    assert result["failed"] is True
    assert (result["written"], result["not_written"]) == ([API], [APP, OLD])
    assert f"Not written: {APP}, {OLD}" in result["msg"]


def test_bad_input_fails_before_any_call_naming_each_pipeline(monkeypatch, capsys):
    monkeypatch.setattr(
        module.AnsibleAWSModule, "client", lambda *_a, **_k: (never for never in ()).throw(AssertionError)
    )
    broken = copy.deepcopy(declared.stages())
    broken[1]["actions"][0]["input_artifacts"] = ["Nothing"]
    pipelines = [item(APP), item(OTHER), item(APP), item(API, stages=broken)]
    fresh_deprecations(monkeypatch)
    result = AwsStub(monkeypatch, capsys).run(module, dict(ARGS, pipelines=pipelines))
    assert result["failed"] is True
    errors = result["errors"]
    assert any(e.startswith(f"pipelines[1].name '{OTHER}' does not start with prefix '{PREFIX}'") for e in errors)
    assert any(e.startswith(f"pipelines[2].name '{APP}' is declared twice (also pipelines[0])") for e in errors)
    assert any(e.startswith("pipelines[3].stages[1].actions[0].input_artifacts: no earlier action") for e in errors)
    assert len(errors) == 3, errors


def test_the_model_check_names_the_pipeline_of_each_problem():
    args = params(name=APP, role_arn=ROLE)
    args["stages"][1]["actions"][0]["run_order"] = 1000
    found = module.model_errors(
        CODEPIPELINE, {"state": "present", "pipelines": [params(name=API, role_arn=ROLE), args]}
    )
    assert len(found) == 1 and found[0].startswith("pipelines[1].stages[1].actions[0].run_order 1000 is out of range")
    assert module.model_errors(CODEPIPELINE, {"state": "absent", "pipelines": [args]}) == []


def test_the_documented_example_passes_the_checks():
    import yaml

    example = yaml.safe_load(module.EXAMPLES)[0]["securecloud.monitor.codepipeline_pipeline_set"]
    spec_defaults = {"pipeline_type": "V2", "execution_mode": "SUPERSEDED", "variables": [], "triggers": []}
    for pipeline in example["pipelines"]:
        filled = params() | spec_defaults | pipeline
        filled["artifact_store"] = {"type": "S3", "encryption_key": None} | pipeline["artifact_store"]
        filled["stages"] = [
            dict(
                s,
                actions=[
                    {"owner": "AWS", "version": "1", "run_order": 1, "input_artifacts": [], "output_artifacts": []} | a
                    for a in s["actions"]
                ],
            )
            for s in pipeline["stages"]
        ]
        assert cp.declared_errors(filled) == []
