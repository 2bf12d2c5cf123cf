"""CodeBuild extensions (tools/localcloud/extensions/services/codebuild.py) on a real server, real boto3."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import Cloud

ACCOUNT = "123456789012"
NO_VALIDATION = Config(retries={"mode": "standard", "total_max_attempts": 1}, parameter_validation=False)
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


def _message(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Message"]


@pytest.fixture
def codebuild(cloud: Cloud) -> Any:
    return cloud.client("codebuild", config=NO_VALIDATION)


@pytest.fixture
def role(cloud: Cloud) -> str:
    iam = cloud.client("iam")
    return iam.create_role(RoleName="builds", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]


def _create(codebuild: Any, role: str, name: str = "api-build", **overrides: Any) -> dict[str, Any]:
    params = {
        "name": name,
        "source": {"type": "CODEPIPELINE", "buildspec": "buildspecs/build.yml"},
        "artifacts": {"type": "CODEPIPELINE"},
        "environment": {
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/standard:7.0",
            "computeType": "BUILD_GENERAL1_SMALL",
        },
        "serviceRole": role,
    }
    params.update(overrides)
    return codebuild.create_project(**params)["project"]


def _get(codebuild: Any, name: str = "api-build") -> dict[str, Any]:
    return codebuild.batch_get_projects(names=[name])["projects"][0]


# -- CreateProject ---------------------------------------------------------------------------------
def test_create_fills_the_aws_defaults(codebuild: Any, role: str) -> None:
    project = _create(codebuild, role, tags=[{"key": "env", "value": "dev"}])
    assert project["arn"] == f"arn:aws:codebuild:us-east-1:{ACCOUNT}:project/api-build"
    assert (project["timeoutInMinutes"], project["queuedTimeoutInMinutes"]) == (60, 480)
    assert project["encryptionKey"] == f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/aws/s3"
    assert project["badge"] == {"badgeEnabled": False}
    assert project["logsConfig"] == {
        "cloudWatchLogs": {"status": "ENABLED"},
        "s3Logs": {"status": "DISABLED", "encryptionDisabled": False},
    }
    assert project["environment"]["privilegedMode"] is False
    assert project["environment"]["imagePullCredentialsType"] == "CODEBUILD"
    assert project["artifacts"] == {
        "type": "CODEPIPELINE",
        "name": "api-build",
        "packaging": "NONE",
        "encryptionDisabled": False,
    }
    assert project["source"] == {"type": "CODEPIPELINE", "buildspec": "buildspecs/build.yml", "insecureSsl": False}
    assert project["tags"] == [{"key": "env", "value": "dev"}]
    assert project["created"] and project["lastModified"]
    assert _get(codebuild) == project  # what BatchGetProjects returns is what was created


def test_create_keeps_every_member_moto_drops(cloud: Cloud, codebuild: Any, role: str) -> None:
    ec2 = cloud.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="builds", Description="builds", VpcId=vpc)["GroupId"]
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/builds"
    _create(
        codebuild,
        role,
        description="Builds the api",
        timeoutInMinutes=120,
        queuedTimeoutInMinutes=30,
        encryptionKey=key,
        vpcConfig={"vpcId": vpc, "subnets": [subnet], "securityGroupIds": [group]},
        logsConfig={"cloudWatchLogs": {"status": "ENABLED", "groupName": "/builds", "streamName": "api"}},
        concurrentBuildLimit=2,
        environment={
            "type": "ARM_CONTAINER",
            "image": "aws/codebuild/amazonlinux2-aarch64-standard:3.0",
            "computeType": "BUILD_GENERAL1_LARGE",
            "privilegedMode": True,
            "environmentVariables": [
                {"name": "A", "value": "1"},
                {"name": "B", "value": "/p", "type": "PARAMETER_STORE"},
            ],
        },
    )
    project = _get(codebuild)
    assert project["description"] == "Builds the api"
    assert (project["timeoutInMinutes"], project["queuedTimeoutInMinutes"]) == (120, 30)
    assert project["encryptionKey"] == key and project["concurrentBuildLimit"] == 2
    assert project["vpcConfig"] == {"vpcId": vpc, "subnets": [subnet], "securityGroupIds": [group]}
    assert project["logsConfig"]["cloudWatchLogs"] == {"status": "ENABLED", "groupName": "/builds", "streamName": "api"}
    assert project["environment"]["environmentVariables"] == [
        {"name": "A", "value": "1", "type": "PLAINTEXT"},
        {"name": "B", "value": "/p", "type": "PARAMETER_STORE"},
    ]


def test_create_validates_like_aws(cloud: Cloud, codebuild: Any, role: str) -> None:
    cases = [
        ({"source": {"type": "CODEPIPELINE", "location": "x"}}, "InvalidInputException", "location must be empty"),
        ({"source": {"type": "GITHUB"}}, "InvalidInputException", "Project source location is required"),
        ({"source": {"type": "NO_SOURCE"}}, "InvalidInputException", "buildspec must be specified"),
        (
            {"source": {"type": "CODECOMMIT", "location": "https://x", "reportBuildStatus": True}},
            "InvalidInputException",
            "does not support ReportBuildStatus",
        ),
        ({"source": {"type": "SVN", "location": "x"}}, "ValidationException", "'source.type'"),
        (
            {"artifacts": {"type": "NO_ARTIFACTS", "location": "b"}},
            "InvalidInputException",
            "should have null location",
        ),
        ({"artifacts": {"type": "S3"}}, "InvalidInputException", "artifact location is required"),
        (
            {"environment": {"type": "LINUX_CONTAINER", "image": "i", "computeType": "BUILD_GENERAL1_HUGE"}},
            "ValidationException",
            "'environment.computeType' failed to satisfy constraint",
        ),
        (
            {"environment": {"type": "LINUX_CONTAINER", "image": "i", "computeType": "BUILD_LAMBDA_1GB"}},
            "InvalidInputException",
            "Invalid compute type",
        ),
        (
            {
                "environment": {
                    "type": "LINUX_CONTAINER",
                    "image": "i",
                    "computeType": "BUILD_GENERAL1_SMALL",
                    "environmentVariables": [{"name": "A", "value": "1", "type": "VAULT"}],
                }
            },
            "ValidationException",
            "environmentVariables.1.member.type",
        ),
        ({"timeoutInMinutes": 3000}, "ValidationException", "less than or equal to 2160"),
        ({"queuedTimeoutInMinutes": 4}, "ValidationException", "greater than or equal to 5"),
        ({"vpcConfig": {"vpcId": "vpc-12345678"}}, "InvalidInputException", "Invalid vpc config"),
        (
            {"vpcConfig": {"vpcId": "vpc-12345678", "subnets": ["subnet-1"], "securityGroupIds": ["sg-1"]}},
            "InvalidInputException",
            "vpc vpc-12345678 does not exist",
        ),
        ({"concurrentBuildLimit": 0}, "InvalidInputException", "concurrent build limit"),
        ({"badgeEnabled": True}, "InvalidInputException", "Build badges are not supported"),
        ({"logsConfig": {"s3Logs": {"status": "ENABLED"}}}, "InvalidInputException", "S3 logs location is required"),
        ({"name": "-bad"}, "ValidationException", "'name' failed to satisfy constraint"),
        ({"tags": [{"key": "aws:x", "value": "1"}]}, "InvalidInputException", "aws: is reserved"),
    ]
    for overrides, code, message in cases:
        with pytest.raises(ClientError) as err:
            _create(codebuild, role, **overrides)
        assert (_code(err), message in _message(err)) == (code, True), (overrides, _message(err))
    assert codebuild.list_projects()["projects"] == []  # nothing was stored by a refused call


def test_service_role_must_exist_trust_codebuild_and_be_of_the_account(cloud: Cloud, codebuild: Any, role: str) -> None:
    missing = f"arn:aws:iam::{ACCOUNT}:role/missing"
    with pytest.raises(ClientError) as err:
        _create(codebuild, missing)
    assert _code(err) == "InvalidInputException"
    assert _message(err) == f"CodeBuild is not authorized to perform: sts:AssumeRole on {missing}"

    trust = json.loads(json.dumps(TRUST))
    trust["Statement"][0]["Principal"]["Service"] = "ecs-tasks.amazonaws.com"
    ecs = cloud.client("iam").create_role(RoleName="ecs", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    with pytest.raises(ClientError) as err:
        _create(codebuild, ecs)
    assert "not authorized to perform: sts:AssumeRole" in _message(err)

    with pytest.raises(ClientError) as err:
        _create(codebuild, "arn:aws:iam::999999999999:role/builds")
    assert "does not match caller's account" in _message(err)

    assert _create(codebuild, "builds")["serviceRole"] == role  # a role name is resolved to its ARN


def test_duplicate_name_is_refused(codebuild: Any, role: str) -> None:
    _create(codebuild, role)
    with pytest.raises(ClientError) as err:
        _create(codebuild, role)
    assert _code(err) == "ResourceAlreadyExistsException"


# -- UpdateProject ---------------------------------------------------------------------------------
def test_update_changes_only_the_members_given(codebuild: Any, role: str) -> None:
    created = _create(codebuild, role, description="first", tags=[{"key": "a", "value": "1"}])
    environment = {
        "type": "LINUX_CONTAINER",
        "image": "aws/codebuild/standard:7.0",
        "computeType": "BUILD_GENERAL1_MEDIUM",
        "environmentVariables": [{"name": "REPOSITORY_URI", "value": "x"}],
    }
    updated = codebuild.update_project(name="api-build", environment=environment, timeoutInMinutes=30)["project"]
    assert updated["environment"]["computeType"] == "BUILD_GENERAL1_MEDIUM"
    assert updated["environment"]["environmentVariables"] == [
        {"name": "REPOSITORY_URI", "value": "x", "type": "PLAINTEXT"}
    ]
    assert updated["timeoutInMinutes"] == 30
    assert (updated["description"], updated["tags"], updated["source"]) == (
        "first",
        [{"key": "a", "value": "1"}],
        created["source"],
    )
    assert updated["created"] == created["created"] and updated["lastModified"] >= created["lastModified"]
    assert _get(codebuild) == updated


def test_update_removes_with_the_apis_empty_values(cloud: Cloud, codebuild: Any, role: str) -> None:
    ec2 = cloud.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.8.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="b", Description="b", VpcId=vpc)["GroupId"]
    _create(
        codebuild,
        role,
        description="d",
        concurrentBuildLimit=3,
        vpcConfig={"vpcId": vpc, "subnets": [subnet], "securityGroupIds": [group]},
        tags=[{"key": "a", "value": "1"}],
    )
    updated = codebuild.update_project(
        name="api-build", description="", concurrentBuildLimit=-1, vpcConfig={}, tags=[]
    )["project"]
    for member in ("description", "concurrentBuildLimit", "vpcConfig"):
        assert member not in updated, member
    assert updated["tags"] == []


def test_update_validates_like_create(codebuild: Any, role: str) -> None:
    _create(codebuild, role)
    with pytest.raises(ClientError) as err:
        codebuild.update_project(name="api-build", timeoutInMinutes=1)
    assert _code(err) == "ValidationException"
    with pytest.raises(ClientError) as err:
        codebuild.update_project(name="api-build", serviceRole=f"arn:aws:iam::{ACCOUNT}:role/gone")
    assert _code(err) == "InvalidInputException"
    with pytest.raises(ClientError) as err:
        codebuild.update_project(name="api-build", concurrentBuildLimit=0)
    assert _code(err) == "InvalidInputException"
    assert _get(codebuild)["timeoutInMinutes"] == 60  # a refused update changes nothing


def test_update_of_an_unknown_project(codebuild: Any) -> None:
    with pytest.raises(ClientError) as err:
        codebuild.update_project(name="nope", timeoutInMinutes=10)
    assert _code(err) == "ResourceNotFoundException"


# -- BatchGetProjects, ListProjects, DeleteProject, builds -----------------------------------------
def test_batch_get_by_name_or_arn_reports_the_missing(codebuild: Any, role: str) -> None:
    arn = _create(codebuild, role)["arn"]
    found = codebuild.batch_get_projects(names=["api-build", arn, "nope", arn.replace("api-build", "other")])
    assert [p["name"] for p in found["projects"]] == ["api-build", "api-build"]
    assert found["projectsNotFound"] == ["nope", arn.replace("api-build", "other")]
    assert "projectsNotFound" not in codebuild.batch_get_projects(names=["api-build"])


def test_list_delete_and_builds_stay_consistent(codebuild: Any, role: str) -> None:
    _create(codebuild, role, name="1st-build")  # AWS allows a leading digit; moto alone did not
    _create(codebuild, role, name="b-build")
    assert sorted(codebuild.list_projects()["projects"]) == ["1st-build", "b-build"]
    build = codebuild.start_build(projectName="b-build")["build"]
    assert codebuild.list_builds_for_project(projectName="b-build")["ids"] == [build["id"]]
    codebuild.update_project(name="b-build", timeoutInMinutes=15)
    assert codebuild.list_builds_for_project(projectName="b-build")["ids"] == [build["id"]]
    codebuild.delete_project(name="1st-build")
    codebuild.delete_project(name="1st-build")  # deleting a missing project succeeds, as in AWS
    assert codebuild.list_projects()["projects"] == ["b-build"]
    assert codebuild.batch_get_projects(names=["1st-build"])["projects"] == []


def test_reset_forgets_the_projects(cloud: Cloud, codebuild: Any, role: str) -> None:
    _create(codebuild, role)
    status, _ = cloud.post("/_localcloud/reset")
    assert status == 200
    assert codebuild.list_projects()["projects"] == []
    assert codebuild.batch_get_projects(names=["api-build"])["projectsNotFound"] == ["api-build"]
