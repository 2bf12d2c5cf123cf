"""CodePipeline extensions (tools/localcloud/extensions/services/codepipeline.py) on a real server, real boto3."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import Cloud

ACCOUNT = "123456789012"
NO_VALIDATION = Config(retries={"mode": "standard", "total_max_attempts": 1}, parameter_validation=False)
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}
# A connection ARN that names no connection: the local cloud's CodeStar connections are not needed.
CONNECTION = f"arn:aws:codestar-connections:us-east-1:{ACCOUNT}:connection/5f0b7a3c-2d1e-4c8a-9b6f-0e1d2c3b4a59"


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


def _message(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Message"]


@pytest.fixture
def codepipeline(cloud: Cloud) -> Any:
    return cloud.client("codepipeline", config=NO_VALIDATION)


@pytest.fixture
def role(cloud: Cloud) -> str:
    iam = cloud.client("iam")
    return iam.create_role(RoleName="pipelines", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]


def _action(name: str, category: str, provider: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "actionTypeId": {"category": category, "owner": "AWS", "provider": provider, "version": "1"},
    } | extra


def _declaration(role: str, name: str = "app", **extra: Any) -> dict[str, Any]:
    """Source (CodeStar connection) -> Build (CodeBuild) -> Approve (Manual) -> Deploy (ECS blue/green)."""
    return {
        "name": name,
        "roleArn": role,
        "artifactStore": {"type": "S3", "location": "artifacts-bucket"},
        "stages": [
            {
                "name": "Source",
                "actions": [
                    _action(
                        "GitHub",
                        "Source",
                        "CodeStarSourceConnection",
                        configuration={
                            "ConnectionArn": CONNECTION,
                            "FullRepositoryId": "acme/app",
                            "BranchName": "main",
                            "DetectChanges": "false",
                        },
                        outputArtifacts=[{"name": "Src"}],
                    )
                ],
            },
            {
                "name": "Build",
                "actions": [
                    _action(
                        "Image",
                        "Build",
                        "CodeBuild",
                        configuration={"ProjectName": "app-build"},
                        inputArtifacts=[{"name": "Src"}],
                        outputArtifacts=[{"name": "Built"}],
                    )
                ],
            },
            {"name": "Approve", "actions": [_action("Review", "Approval", "Manual")]},
            {
                "name": "Deploy",
                "actions": [
                    _action(
                        "BlueGreen",
                        "Deploy",
                        "CodeDeployToECS",
                        configuration={
                            "ApplicationName": "app",
                            "DeploymentGroupName": "app",
                            "TaskDefinitionTemplateArtifact": "Built",
                            "AppSpecTemplateArtifact": "Built",
                        },
                        inputArtifacts=[{"name": "Built"}],
                    )
                ],
            },
        ],
    } | extra


def _v2(role: str, **extra: Any) -> dict[str, Any]:
    v2 = {
        "pipelineType": "V2",
        "executionMode": "QUEUED",
        "variables": [{"name": "Release", "defaultValue": "none", "description": "release label"}],
        "triggers": [
            {
                "providerType": "CodeStarSourceConnection",
                "gitConfiguration": {
                    "sourceActionName": "GitHub",
                    "push": [{"branches": {"includes": ["main"], "excludes": ["wip/*"]}}],
                    "pullRequest": [{"events": ["OPEN", "UPDATED"], "branches": {"includes": ["main"]}}],
                },
            }
        ],
    }
    return _declaration(role, **(v2 | extra))


# -- what moto already keeps, checked through the extension -----------------------------------------
def test_a_v1_declaration_gets_the_aws_defaults(codepipeline: Any, role: str) -> None:
    created = codepipeline.create_pipeline(pipeline=_declaration(role))["pipeline"]
    assert (created["pipelineType"], created["executionMode"], created["version"]) == ("V1", "SUPERSEDED", 1)
    review = created["stages"][2]["actions"][0]
    assert (review["runOrder"], review["configuration"], review["inputArtifacts"], review["outputArtifacts"]) == (
        1,
        {},
        [],
        [],
    )
    got = codepipeline.get_pipeline(name="app")
    assert got["pipeline"] == created
    metadata = got["metadata"]
    assert metadata["pipelineArn"] == f"arn:aws:codepipeline:us-east-1:{ACCOUNT}:app"
    assert metadata["created"] <= metadata["updated"]


def test_v2_members_are_kept_as_declared(codepipeline: Any, role: str) -> None:
    declared = _v2(role)
    codepipeline.create_pipeline(pipeline=declared)
    got = codepipeline.get_pipeline(name="app")["pipeline"]
    assert (got["pipelineType"], got["executionMode"]) == ("V2", "QUEUED")
    assert got["variables"] == declared["variables"]
    assert got["triggers"] == declared["triggers"]
    assert got["stages"][0]["actions"][0]["configuration"]["ConnectionArn"] == CONNECTION


def test_stage_conditions_are_kept_on_a_v2_pipeline(codepipeline: Any, role: str) -> None:
    declared = _v2(role)
    declared["stages"][3]["onFailure"] = {"result": "ROLLBACK"}
    declared["stages"][1]["onFailure"] = {"result": "RETRY", "retryConfiguration": {"retryMode": "FAILED_ACTIONS"}}
    codepipeline.create_pipeline(pipeline=declared)
    stages = codepipeline.get_pipeline(name="app")["pipeline"]["stages"]
    assert stages[3]["onFailure"] == {"result": "ROLLBACK"}
    assert stages[1]["onFailure"]["retryConfiguration"] == {"retryMode": "FAILED_ACTIONS"}


def test_the_version_changes_on_update_only_and_old_versions_stay_readable(codepipeline: Any, role: str) -> None:
    declared = _v2(role)
    codepipeline.create_pipeline(pipeline=declared)
    for _ in range(3):
        assert codepipeline.get_pipeline(name="app")["pipeline"]["version"] == 1
    first_updated = codepipeline.get_pipeline(name="app")["metadata"]["updated"]
    changed = copy.deepcopy(declared)
    changed["stages"][0]["actions"][0]["configuration"]["BranchName"] = "release"
    assert codepipeline.update_pipeline(pipeline=changed)["pipeline"]["version"] == 2
    # AWS makes a new version on every update, even one that changes nothing.
    assert codepipeline.update_pipeline(pipeline=changed)["pipeline"]["version"] == 3
    got = codepipeline.get_pipeline(name="app")
    assert got["pipeline"]["version"] == 3
    assert got["metadata"]["updated"] >= first_updated
    old = codepipeline.get_pipeline(name="app", version=1)["pipeline"]
    assert (old["version"], old["stages"][0]["actions"][0]["configuration"]["BranchName"]) == (1, "main")
    with pytest.raises(ClientError) as err:
        codepipeline.get_pipeline(name="app", version=7)
    assert _code(err) == "PipelineVersionNotFoundException"


def test_an_update_without_a_type_keeps_the_pipeline_type(codepipeline: Any, role: str) -> None:
    codepipeline.create_pipeline(pipeline=_v2(role))
    declared = _declaration(role)  # no pipelineType, no executionMode
    updated = codepipeline.update_pipeline(pipeline=declared)["pipeline"]
    assert (updated["pipelineType"], updated["executionMode"]) == ("V2", "SUPERSEDED")


def test_list_pipelines_gives_type_and_mode_and_pages(codepipeline: Any, role: str) -> None:
    codepipeline.create_pipeline(pipeline=_declaration(role, name="a-v1"))
    codepipeline.create_pipeline(pipeline=_v2(role) | {"name": "b-v2"})
    codepipeline.create_pipeline(pipeline=_declaration(role, name="c-v1"))
    first = codepipeline.list_pipelines(maxResults=2)
    assert [(p["name"], p["pipelineType"], p["executionMode"]) for p in first["pipelines"]] == [
        ("a-v1", "V1", "SUPERSEDED"),
        ("b-v2", "V2", "QUEUED"),
    ]
    rest = codepipeline.list_pipelines(maxResults=2, nextToken=first["nextToken"])
    assert [p["name"] for p in rest["pipelines"]] == ["c-v1"]
    assert "nextToken" not in rest
    with pytest.raises(ClientError) as err:
        codepipeline.list_pipelines(nextToken="bm90LWEtbnVtYmVy")
    assert _code(err) == "InvalidNextTokenException"


def test_moto_actions_keep_working_on_the_pipeline(codepipeline: Any, role: str) -> None:
    arn = f"arn:aws:codepipeline:us-east-1:{ACCOUNT}:app"
    codepipeline.create_pipeline(pipeline=_v2(role), tags=[{"key": "team", "value": "platform"}])
    assert codepipeline.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "team", "value": "platform"}]
    execution = codepipeline.start_pipeline_execution(name="app")["pipelineExecutionId"]
    got = codepipeline.get_pipeline_execution(pipelineName="app", pipelineExecutionId=execution)
    assert got["pipelineExecution"]["pipelineVersion"] == 1
    codepipeline.delete_pipeline(name="app")
    with pytest.raises(ClientError) as err:
        codepipeline.get_pipeline(name="app")
    assert _code(err) == "PipelineNotFoundException"
    codepipeline.create_pipeline(pipeline=_declaration(role))  # the name is free again, history too
    with pytest.raises(ClientError) as err:
        codepipeline.get_pipeline(name="app", version=2)
    assert _code(err) == "PipelineVersionNotFoundException"


# -- AWS's checks ----------------------------------------------------------------------------------
def test_the_name_is_taken(codepipeline: Any, role: str) -> None:
    codepipeline.create_pipeline(pipeline=_declaration(role))
    with pytest.raises(ClientError) as err:
        codepipeline.create_pipeline(pipeline=_declaration(role))
    assert _code(err) == "PipelineNameInUseException"
    assert _message(err) == f"A pipeline with the name 'app' already exists in account '{ACCOUNT}'"


def test_the_role_must_trust_codepipeline_on_create_and_update(cloud: Cloud, codepipeline: Any, role: str) -> None:
    other = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    untrusted = cloud.client("iam").create_role(RoleName="ec2", AssumeRolePolicyDocument=json.dumps(other))
    untrusted_arn = untrusted["Role"]["Arn"]
    with pytest.raises(ClientError) as err:
        codepipeline.create_pipeline(pipeline=_declaration(untrusted_arn))
    assert (_code(err), _message(err)) == (
        "InvalidStructureException",
        f"CodePipeline is not authorized to perform AssumeRole on role {untrusted_arn}",
    )
    codepipeline.create_pipeline(pipeline=_declaration(role))
    with pytest.raises(ClientError) as err:
        codepipeline.update_pipeline(pipeline=_declaration(untrusted_arn))
    assert _code(err) == "InvalidStructureException"
    with pytest.raises(ClientError) as err:
        codepipeline.update_pipeline(pipeline=_declaration(f"arn:aws:iam::{ACCOUNT}:role/missing"))
    assert _code(err) == "InvalidStructureException"


def _edit(change: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def apply(declared: dict[str, Any]) -> dict[str, Any]:
        change(declared)
        return declared

    return apply


def _stage(declared: dict[str, Any], index: int) -> dict[str, Any]:
    return declared["stages"][index]


def _first_action(declared: dict[str, Any], stage: int) -> dict[str, Any]:
    return declared["stages"][stage]["actions"][0]


CONNECTION_SOURCE_TYPE = "CodeStarSourceConnection"
GIT = {"sourceActionName": "GitHub", "push": [{"branches": {"includes": ["main"]}}]}
BAD = [
    (
        "one stage",
        _edit(lambda d: d.update(stages=d["stages"][:1])),
        "InvalidStructureException",
        "Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline",
    ),
    (
        "stage with no actions",
        _edit(lambda d: _stage(d, 2).update(actions=[])),
        "InvalidStageDeclarationException",
        "Stage 'Approve' must contain at least one action",
    ),
    (
        "duplicate stage names",
        _edit(lambda d: _stage(d, 2).update(name="Build")),
        "InvalidStructureException",
        "more than one stage named 'Build'",
    ),
    (
        "duplicate action names",
        _edit(lambda d: _stage(d, 2)["actions"].append(copy.deepcopy(_first_action(d, 2)))),
        "InvalidStageDeclarationException",
        "Stage 'Approve' contains more than one action named 'Review'",
    ),
    (
        "build action in the first stage",
        _edit(lambda d: _stage(d, 0)["actions"].append(_action("Lint", "Build", "CodeBuild"))),
        "InvalidStructureException",
        "can only contain source actions; action 'Lint' is a Build action",
    ),
    (
        "source action in a later stage",
        _edit(
            lambda d: _stage(d, 2)["actions"].append(
                _action(
                    "Zip",
                    "Source",
                    "S3",
                    configuration={"S3Bucket": "b", "S3ObjectKey": "k"},
                    outputArtifacts=[{"name": "Zip"}],
                )
            )
        ),
        "InvalidStructureException",
        "Source action 'Zip' is in stage 'Approve'",
    ),
    (
        "unknown provider",
        _edit(lambda d: _first_action(d, 1)["actionTypeId"].update(provider="Travis")),
        "InvalidActionDeclarationException",
        "ActionType (Category: 'Build', Provider: 'Travis', Owner: 'AWS', Version: '1') in action 'Image' is not "
        "available in region 'US_EAST_1'",
    ),
    (
        "provider of another category",
        _edit(lambda d: _first_action(d, 3)["actionTypeId"].update(provider="Manual")),
        "InvalidActionDeclarationException",
        "Provider: 'Manual'",
    ),
    (
        "a V2-only provider on a V1 pipeline",
        _edit(
            lambda d: _stage(d, 2)["actions"].append(
                _action("Run", "Compute", "Commands", inputArtifacts=[{"name": "Src"}], runOrder=2)
            )
        ),
        "InvalidActionDeclarationException",
        "Action 'Run' with provider 'Commands' can only be used in V2 pipelines",
    ),
    (
        "approval with an input artifact",
        _edit(lambda d: _first_action(d, 2).update(inputArtifacts=[{"name": "Src"}])),
        "InvalidActionDeclarationException",
        "Action Review declares 1 input artifacts which is more than the maximum count (0)",
    ),
    (
        "deploy with no input artifact",
        _edit(lambda d: _first_action(d, 3).update(inputArtifacts=[])),
        "InvalidActionDeclarationException",
        "Action BlueGreen declares 0 input artifacts which is less than the minimum count (1)",
    ),
    (
        "input artifact nothing produces",
        _edit(lambda d: _first_action(d, 3).update(inputArtifacts=[{"name": "Tested"}])),
        "InvalidStructureException",
        "Input Artifact Bundle Tested in action 'BlueGreen' is not declared",
    ),
    (
        "input artifact of the same run order",
        _edit(
            lambda d: _stage(d, 1)["actions"].append(
                _action(
                    "Scan",
                    "Test",
                    "CodeBuild",
                    configuration={"ProjectName": "scan"},
                    inputArtifacts=[{"name": "Built"}],
                )
            )
        ),
        "InvalidStructureException",
        "Input Artifact Bundle Built in action 'Scan' is not declared",
    ),
    (
        "output artifact declared twice",
        _edit(lambda d: _first_action(d, 1).update(outputArtifacts=[{"name": "Src"}])),
        "InvalidStructureException",
        "Output Artifact Bundle name Src in action 'Image' is not unique",
    ),
    (
        "connection action without a branch",
        _edit(lambda d: _first_action(d, 0)["configuration"].pop("BranchName")),
        "InvalidActionDeclarationException",
        "Action configuration for action 'GitHub' is missing required configuration 'BranchName'",
    ),
    (
        "connection action with a bad ARN",
        _edit(lambda d: _first_action(d, 0)["configuration"].update(ConnectionArn="github-acme")),
        "InvalidActionDeclarationException",
        "contains an invalid ConnectionArn",
    ),
    (
        "empty configuration value",
        _edit(lambda d: _first_action(d, 1)["configuration"].update(EnvironmentVariables="")),
        "ValidationException",
        "Member must have length greater than or equal to 1",
    ),
    (
        "triggers on a V1 pipeline",
        _edit(lambda d: d.update(triggers=[{"providerType": CONNECTION_SOURCE_TYPE, "gitConfiguration": GIT}])),
        "InvalidStructureException",
        "Triggers can only be used with V2 pipelines",
    ),
    (
        "variables on a V1 pipeline",
        _edit(lambda d: d.update(variables=[{"name": "Release"}])),
        "InvalidStructureException",
        "Pipeline level variables can only be used with V2 pipelines",
    ),
    (
        "queued execution on a V1 pipeline",
        _edit(lambda d: d.update(executionMode="QUEUED")),
        "InvalidStructureException",
        "Execution mode QUEUED can only be used with V2 pipelines",
    ),
    (
        "stage conditions on a V1 pipeline",
        _edit(lambda d: _stage(d, 3).update(onFailure={"result": "ROLLBACK"})),
        "InvalidStructureException",
        "can only be used in V2 pipelines",
    ),
    (
        "two artifact stores",
        _edit(lambda d: d.update(artifactStores={"us-east-1": {"type": "S3", "location": "other-bucket"}})),
        "InvalidStructureException",
        "either artifactStore or artifactStores",
    ),
]
TRIGGER_BAD = [
    (
        "trigger on an action that is not a connection source",
        {"sourceActionName": "Image", "push": [{"branches": {"includes": ["main"]}}]},
        "Triggers for connection must reference a CodeStarSourceConnection action",
    ),
    (
        "tags and branches in one push filter",
        {"sourceActionName": "GitHub", "push": [{"branches": {"includes": ["main"]}, "tags": {"includes": ["v*"]}}]},
        "Make sure to choose valid filter combinations",
    ),
]


@pytest.mark.parametrize(("case", "edit", "code", "message"), BAD, ids=[c[0] for c in BAD])
def test_create_refuses_what_aws_refuses(
    codepipeline: Any, role: str, case: str, edit: Callable, code: str, message: str
) -> None:
    with pytest.raises(ClientError) as err:
        codepipeline.create_pipeline(pipeline=edit(_declaration(role)))
    assert _code(err) == code, _message(err)
    assert message in _message(err)
    assert codepipeline.list_pipelines()["pipelines"] == []


@pytest.mark.parametrize(("case", "git", "message"), TRIGGER_BAD, ids=[c[0] for c in TRIGGER_BAD])
def test_triggers_must_name_a_connection_source_with_valid_filters(
    codepipeline: Any, role: str, case: str, git: dict, message: str
) -> None:
    declared = _v2(role, triggers=[{"providerType": "CodeStarSourceConnection", "gitConfiguration": git}])
    with pytest.raises(ClientError) as err:
        codepipeline.create_pipeline(pipeline=declared)
    assert (_code(err), message in _message(err)) == ("InvalidStructureException", True), _message(err)


def test_one_trigger_per_source_action(codepipeline: Any, role: str) -> None:
    declared = _v2(role)
    declared["triggers"].append(copy.deepcopy(declared["triggers"][0]))
    with pytest.raises(ClientError) as err:
        codepipeline.create_pipeline(pipeline=declared)
    assert "more than one trigger per source action" in _message(err)


def test_artifacts_of_a_lower_run_order_in_the_same_stage_are_available(codepipeline: Any, role: str) -> None:
    declared = _declaration(role)
    scan = _action(
        "Scan", "Test", "CodeBuild", configuration={"ProjectName": "s"}, inputArtifacts=[{"name": "Built"}], runOrder=2
    )
    declared["stages"][1]["actions"].append(scan)
    assert codepipeline.create_pipeline(pipeline=declared)["pipeline"]["stages"][1]["actions"][1]["runOrder"] == 2


def test_a_refused_update_leaves_the_pipeline_and_its_version(codepipeline: Any, role: str) -> None:
    codepipeline.create_pipeline(pipeline=_v2(role))
    bad = _v2(role)
    bad["stages"][2]["actions"] = []
    with pytest.raises(ClientError) as err:
        codepipeline.update_pipeline(pipeline=bad)
    assert _code(err) == "InvalidStageDeclarationException"
    got = codepipeline.get_pipeline(name="app")["pipeline"]
    assert (got["version"], got["stages"][2]["actions"][0]["name"]) == (1, "Review")


def test_update_of_a_missing_pipeline(codepipeline: Any, role: str) -> None:
    with pytest.raises(ClientError) as err:
        codepipeline.update_pipeline(pipeline=_declaration(role, name="ghost"))
    assert _code(err) == "ResourceNotFoundException"


def test_system_tags_create_nothing(codepipeline: Any, role: str) -> None:
    with pytest.raises(ClientError) as err:
        codepipeline.create_pipeline(pipeline=_declaration(role), tags=[{"key": "aws:owner", "value": "x"}])
    assert _code(err) == "InvalidTagsException"
    assert codepipeline.list_pipelines()["pipelines"] == []


def test_third_party_and_custom_actions_are_not_checked(codepipeline: Any, role: str) -> None:
    declared = _declaration(role)
    jenkins = _first_action(declared, 1)
    jenkins["actionTypeId"] = {"category": "Build", "owner": "Custom", "provider": "Jenkins", "version": "1"}
    assert codepipeline.create_pipeline(pipeline=declared)["pipeline"]["version"] == 1
