"""codepipeline_pipeline and module_utils/codepipeline: canonical comparison, checks, and the calls a run makes
(botocore Stubber validates each request against the service model)."""

from __future__ import annotations

import copy
import json

import botocore.session
import pytest
from ansible.module_utils.testing import patch_module_args
from ansible_collections.securecloud.monitor.plugins.module_utils import codepipeline as cp
from ansible_collections.securecloud.monitor.plugins.modules import codepipeline_pipeline as module
from botocore.stub import Stubber

from tests.integration import codepipelines as declared

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


def run(monkeypatch, capsys, responses, check_mode=False):
    session = botocore.session.get_session()
    client = session.create_client(
        "codepipeline", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )
    stubber = Stubber(client)
    for operation, response, expected in responses:
        stubber.add_response(operation, response, expected)
    monkeypatch.setattr(module.AnsibleAWSModule, "client", lambda self, name, **kw: client)
    with stubber, patch_module_args(dict(ARGS, _ansible_check_mode=check_mode)), pytest.raises(SystemExit):
        module.main()
    stubber.assert_no_pending_responses()
    return json.loads(capsys.readouterr().out)


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
