"""codepipeline_pipeline and module_utils/codepipeline: canonical comparison, checks, and the calls a run makes
(botocore Stubber validates each request against the service model)."""

from __future__ import annotations

import copy
import json

import pytest
import yaml
from ansible_collections.securecloud.monitor.plugins.module_utils import codepipeline as cp
from ansible_collections.securecloud.monitor.plugins.modules import codepipeline_pipeline as module

from tests.integration import codepipelines as declared
from tests.unit.argument_specs import built_argument_spec
from tests.unit.aws_stub import AwsStub, stubbed_client

ROLE = "arn:aws:iam::123456789012:role/pipeline"
ARN = "arn:aws:codepipeline:us-east-1:123456789012:app"
ARGS = {
    "name": "app",
    "role_arn": ROLE,
    "artifact_store": {"location": "artifacts"},
    "stages": declared.stages(),
    "triggers": declared.triggers(),
    "region": "us-east-1",
}


def params(**extra):
    """The module's parameters after Ansible applied the argument spec's defaults."""
    action_defaults = {"owner": "AWS", "version": "1", "run_order": 1, "configuration": {}}
    stages = [
        {
            "name": s["name"],
            "actions": [action_defaults | {"input_artifacts": [], "output_artifacts": []} | a for a in s["actions"]],
        }
        for s in declared.stages()
    ]
    triggers = [
        {
            "provider_type": "CodeStarSourceConnection",
            "git_configuration": t["git_configuration"] | {"pull_request": []},
        }
        for t in declared.triggers()
    ]
    base = {
        "name": "app",
        "state": "present",
        "pipeline_type": "V2",
        "execution_mode": "SUPERSEDED",
        "artifact_store": {"type": "S3", "location": "artifacts", "encryption_key": None},
        "stages": stages,
        "variables": [],
        "triggers": triggers,
    }
    return base | extra


def as_aws_returns(pipeline):
    """What GetPipeline gives back for a pipeline created from ``pipeline``: runOrder and empty lists filled in,
    the version added, defaults it omits left out."""
    returned = copy.deepcopy(pipeline)
    returned["version"] = 1
    for stage in returned["stages"]:
        for action in stage["actions"]:
            action.setdefault("runOrder", 1)
    return returned


def test_the_declared_pipeline_equals_what_aws_returns():
    desired = cp.api_pipeline(params(), ROLE)
    assert not cp.differs(as_aws_returns(desired), desired)


def test_omitted_defaults_and_string_values_compare_equal():
    desired = cp.api_pipeline(params(execution_mode="SUPERSEDED", pipeline_type="V1", triggers=[]), ROLE)
    returned = as_aws_returns(desired)
    del returned["executionMode"], returned["pipelineType"]
    for stage in returned["stages"]:
        for action in stage["actions"]:
            del action["runOrder"]
    assert not cp.differs(returned, desired)
    declared_number = params()
    declared_number["stages"][1]["actions"][0]["configuration"] = {"ProjectName": "inventory-build", "BatchSize": 2}
    desired = cp.api_pipeline(declared_number, ROLE)
    returned = as_aws_returns(desired)
    returned["stages"][1]["actions"][0]["configuration"]["BatchSize"] = "2"
    assert not cp.differs(returned, desired)


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["stages"][0]["actions"][0]["configuration"].update(BranchName="release"),
        lambda p: p["stages"].pop(2),
        lambda p: p["stages"][1]["actions"][0].update(runOrder=2),
        lambda p: p.update(executionMode="QUEUED"),
        lambda p: p["triggers"][0]["gitConfiguration"]["push"][0]["branches"].update(includes=["release"]),
    ],
    ids=["branch", "stage removed", "run order", "execution mode", "trigger branch"],
)
def test_a_real_change_differs(change):
    desired = cp.api_pipeline(params(), ROLE)
    current = as_aws_returns(desired)
    change(current)
    assert cp.differs(current, desired)


def test_a_valid_pipeline_has_no_errors():
    assert cp.pipeline_errors(params()) == []


def test_artifacts_of_a_lower_run_order_in_the_same_stage_are_available():
    declared_params = params()
    build = declared_params["stages"][1]["actions"]
    build.append(dict(build[0], name="Scan", run_order=2, input_artifacts=["BuildOutput"], output_artifacts=[]))
    assert cp.pipeline_errors(declared_params) == []
    build[1]["run_order"] = 1
    assert any("no earlier action produces 'BuildOutput'" in e for e in cp.pipeline_errors(declared_params))


def run_stubbed(monkeypatch, capsys, target, args, responses, check_mode=False, diff=False):
    """Run ``target.main()`` (this module or codepipeline_pipeline_set) with ``args`` against a Stubber; an unstubbed
    call fails the module. ``responses``: (operation, response, expected params), or (operation, error code, expected
    params)."""
    client, stubber = stubbed_client("codepipeline")
    for operation, response, expected in responses:
        if isinstance(response, str):
            stubber.add_client_error(operation, response, expected_params=expected)
        else:
            stubber.add_response(operation, response, expected)
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.module_clients(target, client)
    return aws_stub.run(target, args, stubber, check_mode=check_mode, diff=diff)


def run(monkeypatch, capsys, responses, check_mode=False, diff=False, **args):
    """:func:`run_stubbed` of this module with ARGS updated by ``args``."""
    return run_stubbed(monkeypatch, capsys, module, dict(ARGS, **args), responses, check_mode, diff)


def current_pipeline():
    desired = cp.api_pipeline(params(), ROLE)
    return {"pipeline": as_aws_returns(desired), "metadata": {"pipelineArn": ARN}}


def test_a_rerun_reads_and_writes_nothing(monkeypatch, capsys):
    result = run(
        monkeypatch,
        capsys,
        [
            ("get_pipeline", current_pipeline(), {"name": "app"}),
            ("list_tags_for_resource", {"tags": []}, {"resourceArn": ARN}),
        ],
    )
    assert (result["changed"], result["version"]) == (False, 1)


def test_check_mode_predicts_the_update_without_calling_it(monkeypatch, capsys):
    current = current_pipeline()
    current["pipeline"]["stages"][0]["actions"][0]["configuration"]["BranchName"] = "old"
    result = run(
        monkeypatch,
        capsys,
        [
            ("get_pipeline", current, {"name": "app"}),
            ("list_tags_for_resource", {"tags": []}, {"resourceArn": ARN}),
        ],
        check_mode=True,
    )
    assert (result["changed"], result["version"]) == (True, 2)


def test_check_mode_update_changes_nothing_and_an_update_sends_the_current_version(monkeypatch, capsys):
    current = current_pipeline()
    current["pipeline"]["version"] = 4
    current["pipeline"]["stages"][0]["actions"][0]["configuration"]["BranchName"] = "old"
    desired = cp.api_pipeline(params(), ROLE)
    updated = dict(as_aws_returns(desired), version=5)
    result = run(
        monkeypatch,
        capsys,
        [
            ("get_pipeline", current, {"name": "app"}),
            ("list_tags_for_resource", {"tags": []}, {"resourceArn": ARN}),
            ("update_pipeline", {"pipeline": updated}, {"pipeline": dict(desired, version=4)}),
        ],
        diff=True,
    )
    assert (result["changed"], result["version"], result["pipeline"]["version"]) == (True, 5, 5)
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before["stages"][0]["actions"][0]["configuration"]["BranchName"] == "old"
    assert after["stages"][0]["actions"][0]["configuration"]["BranchName"] == "main"
    assert before["stages"][1:] == after["stages"][1:]


def test_a_tag_change_alone_tags_without_updating(monkeypatch, capsys):
    result = run(
        monkeypatch,
        capsys,
        [
            ("get_pipeline", current_pipeline(), {"name": "app"}),
            ("list_tags_for_resource", {"tags": [{"key": "old", "value": "1"}]}, {"resourceArn": ARN}),
            ("tag_resource", {}, {"resourceArn": ARN, "tags": [{"key": "team", "value": "platform"}]}),
            ("untag_resource", {}, {"resourceArn": ARN, "tagKeys": ["old"]}),
        ],
        tags={"team": "platform"},
    )
    assert (result["changed"], result["version"], result["tags"]) == (True, 1, {"team": "platform"})


def test_create_sends_the_whole_declaration_with_tags(monkeypatch, capsys):
    desired = cp.api_pipeline(params(), ROLE)
    result = run(
        monkeypatch,
        capsys,
        [
            ("get_pipeline", "PipelineNotFoundException", {"name": "app"}),
            (
                "create_pipeline",
                {"pipeline": as_aws_returns(desired), "tags": [{"key": "team", "value": "platform"}]},
                {"pipeline": desired, "tags": [{"key": "team", "value": "platform"}]},
            ),
        ],
        tags={"team": "platform"},
    )
    assert (result["changed"], result["version"], result["arn"]) == (True, 1, ARN)
    assert desired["pipelineType"] == "V2" and desired["triggers"][0]["gitConfiguration"]["sourceActionName"]


def test_check_mode_create_reads_once(monkeypatch, capsys):
    result = run(monkeypatch, capsys, [("get_pipeline", "PipelineNotFoundException", {"name": "app"})], check_mode=True)
    assert (result["changed"], result["version"], result["pipeline"]["name"]) == (True, 1, "app")


def test_absent_deletes_and_check_mode_does_not(monkeypatch, capsys):
    absent = {"state": "absent", "stages": None, "triggers": [], "artifact_store": None, "role_arn": None}
    reads = [("get_pipeline", current_pipeline(), {"name": "app"})]
    assert run(monkeypatch, capsys, reads, check_mode=True, **absent)["changed"] is True
    result = run(monkeypatch, capsys, [*reads, ("delete_pipeline", {}, {"name": "app"})], **absent)
    assert (result["changed"], result["pipeline"]) == (True, {})
    gone = [("get_pipeline", "PipelineNotFoundException", {"name": "app"})]
    assert run(monkeypatch, capsys, gone, **absent)["changed"] is False


# ---------------------------------------------------------------- configuration values, masked secrets


def test_configuration_values_become_the_strings_aws_keeps():
    assert cp.configuration_value(False) == "false"
    assert cp.configuration_value(True) == "true"
    assert cp.configuration_value(3) == "3"
    assert cp.configuration_value({"b": 1, "a": [1, 2]}) == '{"a":[1,2],"b":1}'
    declared = params()
    declared["stages"][0]["actions"][0]["configuration"]["DetectChanges"] = False
    desired = cp.api_pipeline(declared, ROLE)
    assert desired["stages"][0]["actions"][0]["configuration"]["DetectChanges"] == "false"
    returned = as_aws_returns(desired)
    assert not cp.differs(returned, desired)
    returned["stages"][0]["actions"][0]["configuration"]["DetectChanges"] = "true"
    assert cp.differs(returned, desired)


def test_json_text_is_compared_by_content():
    declared = params()
    declared["stages"][1]["actions"][0]["configuration"]["EnvironmentVariables"] = [{"name": "A", "value": "1"}]
    desired = cp.api_pipeline(declared, ROLE)
    returned = as_aws_returns(desired)
    returned["stages"][1]["actions"][0]["configuration"]["EnvironmentVariables"] = '[{"value": "1", "name": "A"}]'
    assert not cp.differs(returned, desired)
    returned["stages"][1]["actions"][0]["configuration"]["EnvironmentVariables"] = '[{"value": "2", "name": "A"}]'
    assert cp.differs(returned, desired)


def github_v1(token):
    declared = params()
    declared["stages"][0]["actions"][0] = {
        "name": "GitHub",
        "category": "Source",
        "owner": "ThirdParty",
        "provider": "GitHub",
        "version": "1",
        "run_order": 1,
        "configuration": {"Owner": "acme", "Repo": "inventory", "Branch": "main", "OAuthToken": token},
        "input_artifacts": [],
        "output_artifacts": ["S"],
    }
    declared["pipeline_type"], declared["triggers"] = "V1", []
    return declared


def test_a_value_aws_masks_is_not_compared_nor_shown():
    desired = cp.api_pipeline(github_v1("ghp_secret"), ROLE)
    returned = as_aws_returns(desired)
    returned["stages"][0]["actions"][0]["configuration"]["OAuthToken"] = cp.MASKED
    assert not cp.differs(returned, desired)
    shown = cp.masked_like(cp.canonical_pipeline(returned), cp.canonical_pipeline(desired))
    assert shown["stages"][0]["actions"][0]["configuration"]["OAuthToken"] == cp.MASKED
    assert "ghp_secret" not in json.dumps(cp.masked_like({}, cp.canonical_pipeline(desired)))
    returned["stages"][0]["actions"][0]["configuration"]["Branch"] = "release"
    assert cp.differs(returned, desired)


# ---------------------------------------------------------------- stage conditions, trigger filters


def test_stage_conditions_in_the_api_shape_and_compared_with_aws_defaults():
    declared = params()
    declared["stages"][3]["on_failure"] = {
        "result": "ROLLBACK",
        "retry_configuration": None,
        "conditions": None,
    }
    declared["stages"][1]["on_failure"] = {"result": "RETRY", "retry_configuration": {"retry_mode": "FAILED_ACTIONS"}}
    rule = {"name": "NoAlarm", "provider": "CloudWatchAlarm", "version": "1", "configuration": {"AlarmName": "5xx"}}
    declared["stages"][3]["before_entry"] = {"conditions": [{"result": "FAIL", "rules": [rule]}]}
    desired = cp.api_pipeline(declared, ROLE)
    deploy, build = desired["stages"][3], desired["stages"][1]
    assert deploy["onFailure"] == {"result": "ROLLBACK"}
    assert build["onFailure"] == {"result": "RETRY", "retryConfiguration": {"retryMode": "FAILED_ACTIONS"}}
    assert deploy["beforeEntry"]["conditions"][0]["rules"][0] == {
        "name": "NoAlarm",
        "ruleTypeId": {"category": "Rule", "owner": "AWS", "provider": "CloudWatchAlarm", "version": "1"},
        "configuration": {"AlarmName": "5xx"},
    }
    returned = as_aws_returns(desired)
    del returned["stages"][3]["beforeEntry"]["conditions"][0]["rules"][0]["ruleTypeId"]["owner"]
    assert not cp.differs(returned, desired)
    del returned["stages"][3]["onFailure"]
    assert cp.differs(returned, desired)


def test_trigger_filters_in_the_api_shape():
    declared = params()
    declared["triggers"][0]["git_configuration"] = {
        "source_action_name": "GitHub",
        "push": [
            {"branches": {"includes": ["main"], "excludes": None}, "file_paths": None, "tags": None},
            {"branches": None, "file_paths": None, "tags": {"includes": ["v*"], "excludes": []}},
        ],
        "pull_request": [
            {"events": ["OPEN"], "branches": {"includes": ["main"], "excludes": None}, "file_paths": None}
        ],
    }
    git = cp.api_pipeline(declared, ROLE)["triggers"][0]["gitConfiguration"]
    assert git == {
        "sourceActionName": "GitHub",
        "push": [{"branches": {"includes": ["main"]}}, {"tags": {"includes": ["v*"]}}],
        "pullRequest": [{"events": ["OPEN"], "branches": {"includes": ["main"]}}],
    }


# ---------------------------------------------------------------- checks (no AWS call)


def edited(change):
    declared = params()
    change(declared)
    return declared


def action_of(declared, stage, index=0):
    return declared["stages"][stage]["actions"][index]


CHECKS = [
    (
        "GitHub v1 with owner AWS",
        lambda p: action_of(p, 0).update(provider="GitHub"),
        "stages[0].actions[0].provider 'GitHub' is a ThirdParty provider, not an AWS one: set owner: ThirdParty.",
    ),
    (
        "provider of another category",
        lambda p: action_of(p, 3).update(provider="Manual"),
        "stages[3].actions[0].provider 'Manual' is not an AWS Deploy provider: use one of CodeDeployToECS",
    ),
    (
        "approval with an input artifact",
        lambda p: action_of(p, 2).update(input_artifacts=["S"]),
        "stages[2].actions[0].input_artifacts: Manual Approval actions take no input artifact(s), 1 declared.",
    ),
    (
        "source without an output artifact",
        lambda p: action_of(p, 0).update(output_artifacts=[]),
        "stages[0].actions[0].output_artifacts: CodeStarSourceConnection Source actions take exactly 1 output",
    ),
    (
        "empty configuration value",
        lambda p: action_of(p, 1)["configuration"].update(ProjectName=""),
        "stages[1].actions[0].configuration.ProjectName is empty",
    ),
    (
        "non-source action in the first stage",
        lambda p: p["stages"][0]["actions"].append(dict(action_of(p, 1), name="Lint")),
        "stages[0].actions[1] is a Build action in the first stage",
    ),
    (
        "stage conditions on a V1 pipeline",
        lambda p: (
            p.update(pipeline_type="V1", triggers=[]),
            p["stages"][3].update(on_failure={"result": "ROLLBACK"}),
        ),
        "stages[3].on_failure needs a V2 pipeline",
    ),
    (
        "variables on a V1 pipeline",
        lambda p: p.update(pipeline_type="V1", triggers=[], variables=[{"name": "Release"}]),
        "variables need a V2 pipeline",
    ),
    (
        "variable declared twice",
        lambda p: p.update(variables=[{"name": "Release"}, {"name": "Release"}]),
        "variables[1].name 'Release' is declared twice (variables[0]).",
    ),
    (
        "two triggers on one source action",
        lambda p: p["triggers"].append(copy.deepcopy(p["triggers"][0])),
        "triggers[1].git_configuration.source_action_name 'GitHub' already has a trigger (triggers[0])",
    ),
    (
        "tags with branches in one push filter",
        lambda p: p["triggers"][0]["git_configuration"]["push"][0].update(tags={"includes": ["v*"]}),
        "triggers[0].git_configuration.push[0]: tags cannot be combined with branches or file_paths",
    ),
    (
        "empty push filter",
        lambda p: p["triggers"][0]["git_configuration"]["push"].append({}),
        "triggers[0].git_configuration.push[1] is empty",
    ),
    (
        "two conditions",
        lambda p: p["stages"][3].update(on_success={"conditions": [{"rules": [{"name": "a", "provider": "X"}]}] * 2}),
        "stages[3].on_success.conditions has 2 entries: AWS takes one condition.",
    ),
    (
        "a condition with no rules",
        lambda p: p["stages"][3].update(before_entry={"conditions": [{"result": "FAIL", "rules": []}]}),
        "stages[3].before_entry.conditions[0].rules: give 1 to 5 rules (0 given).",
    ),
]


@pytest.mark.parametrize(("case", "change", "message"), CHECKS, ids=[c[0] for c in CHECKS])
def test_checks_name_the_field_and_the_fix(case, change, message):
    errors = cp.pipeline_errors(edited(change))
    assert any(message in error for error in errors), errors


def test_third_party_and_custom_actions_are_not_checked():
    declared = params()
    action_of(declared, 1).update(owner="Custom", provider="Jenkins", input_artifacts=[], output_artifacts=[])
    action_of(declared, 3)["input_artifacts"] = []
    action_of(declared, 3).update(owner="ThirdParty", provider="XebiaLabs")
    assert cp.pipeline_errors(declared) == []


def test_bad_input_fails_before_any_call(monkeypatch, capsys):
    stages = declared.stages()
    stages[2]["actions"] = []
    result = run(monkeypatch, capsys, [], stages=stages)
    assert result["failed"] is True
    assert "stages[2].actions is empty" in result["msg"]
    assert "stages[2].actions is empty" in result["errors"][0]


def test_the_documented_example_passes_the_checks():
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    example = yaml.safe_load(module.EXAMPLES)[0]["securecloud.monitor.codepipeline_pipeline"]
    validated = ArgumentSpecValidator(built_argument_spec(module)).validate(example)
    assert not validated.error_messages
    assert module.validate(validated.validated_parameters) == []
