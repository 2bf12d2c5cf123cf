"""plugins/modules/codebuild_project.py and plugins/module_utils/codebuild.py against botocore Stubbers: input checks,
the canonical comparison with AWS's defaults, the exact CreateProject/UpdateProject requests, diff, the service role
checks, check mode, deletion."""

from __future__ import annotations

import copy
import datetime
import json

import pytest
from ansible.module_utils.common import warnings as ansible_warnings
from ansible_collections.securecloud.monitor.plugins.module_utils import codebuild
from ansible_collections.securecloud.monitor.plugins.modules import codebuild_project as module

from tests.unit.aws_stub import AwsStub, stubbed_client

ACCOUNT = "123456789012"
REGION = "eu-west-1"
NAME = "dev-api-build"
PROJECT_ARN = f"arn:aws:codebuild:{REGION}:{ACCOUNT}:project/{NAME}"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/dev-codebuild"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ALIAS_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/dev-delivery"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "codebuild.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
        }
    ],
}
INLINE_BUILDSPEC = "version: 0.2\nphases:\n  build:\n    commands:\n      - make image\n"


def stubbed(service):
    return stubbed_client(service, REGION)


def run_module(
    monkeypatch, capsys, args, cb_setup=None, iam_setup=None, check_mode=False, diff=False, aws=True, target=module
):
    """Run ``target.main()`` (codebuild_project's unless said) with ``args`` (region eu-west-1) against Stubbers; an
    unstubbed call fails the module."""
    cb, cb_stubber = stubbed("codebuild")
    iam, iam_stubber = stubbed("iam")
    if cb_setup:
        cb_setup(cb_stubber)
    if iam_setup:
        iam_setup(iam_stubber)
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.factories(target, aws, codebuild_client=cb, iam_client=iam)
    monkeypatch.setattr(ansible_warnings, "_global_warnings", {})  # warnings of earlier tests in this process
    monkeypatch.setattr(ansible_warnings, "_global_deprecations", {})
    full_args = dict(args, region=REGION)
    result = aws_stub.run(target, full_args, cb_stubber, iam_stubber, check_mode=check_mode, diff=diff)
    result["warnings"] = [json.dumps(warning) for warning in result.get("warnings", [])]
    return result


def declared(**overrides):
    """The per-service image build project of the delivery_pipeline role."""
    args = {
        "name": NAME,
        "description": "Builds the api image",
        "source": {"type": "CODEPIPELINE", "buildspec": INLINE_BUILDSPEC},
        "artifacts": {"type": "CODEPIPELINE"},
        "environment": {
            "image": "aws/codebuild/standard:7.0",
            "compute_type": "BUILD_GENERAL1_SMALL",
            "privileged_mode": True,
            "environment_variables": [
                {"name": "REPOSITORY_URI", "value": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/dev/api"},
                {"name": "CONTAINER_NAME", "value": "api"},
            ],
        },
        "service_role": ROLE_ARN,
        "logs_config": {"cloud_watch_logs": {"group_name": "/aws/codebuild/dev", "stream_name": "api"}},
        "tags": {"env": "dev"},
    }
    args.update(overrides)
    return args


def aws_project(**overrides):
    """The project as BatchGetProjects returns it after CreateProject with declared(): AWS's defaults filled in."""
    project = {
        "name": NAME,
        "arn": PROJECT_ARN,
        "description": "Builds the api image",
        "source": {"type": "CODEPIPELINE", "buildspec": INLINE_BUILDSPEC, "insecureSsl": False},
        "secondarySources": [],
        "secondarySourceVersions": [],
        "artifacts": {"type": "CODEPIPELINE", "name": NAME, "packaging": "NONE", "encryptionDisabled": False},
        "secondaryArtifacts": [],
        "cache": {"type": "NO_CACHE"},
        "environment": {
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/standard:7.0",
            "computeType": "BUILD_GENERAL1_SMALL",
            "environmentVariables": [
                {
                    "name": "REPOSITORY_URI",
                    "value": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/dev/api",
                    "type": "PLAINTEXT",
                },
                {"name": "CONTAINER_NAME", "value": "api", "type": "PLAINTEXT"},
            ],
            "privilegedMode": True,
            "imagePullCredentialsType": "CODEBUILD",
        },
        "serviceRole": ROLE_ARN,
        "timeoutInMinutes": 60,
        "queuedTimeoutInMinutes": 480,
        "encryptionKey": f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/aws/s3",
        "tags": [{"key": "env", "value": "dev"}],
        "created": datetime.datetime(2025, 1, 1),
        "lastModified": datetime.datetime(2025, 1, 1),
        "badge": {"badgeEnabled": False},
        "logsConfig": {
            "cloudWatchLogs": {"status": "ENABLED", "groupName": "/aws/codebuild/dev", "streamName": "api"},
            "s3Logs": {"status": "DISABLED", "encryptionDisabled": False},
        },
        "projectVisibility": "PRIVATE",
    }
    project.update(overrides)
    return project


def read(stubber, project=None):
    found = {"projects": [project]} if project else {"projects": [], "projectsNotFound": [NAME]}
    stubber.add_response("batch_get_projects", found, {"names": [NAME]})


def role(stubber, name="dev-codebuild", arn=ROLE_ARN, trust=TRUST):
    answer = {
        "Role": {
            "Path": "/",
            "RoleName": name,
            "RoleId": "AROAEXAMPLEEXAMPLE123",
            "Arn": arn,
            "CreateDate": datetime.datetime(2025, 1, 1),
            "AssumeRolePolicyDocument": json.dumps(trust),
        }
    }
    stubber.add_response("get_role", answer, {"RoleName": name})


def create_request(**overrides):
    """The CreateProject request for declared()."""
    request = {
        "name": NAME,
        "description": "Builds the api image",
        "source": {"type": "CODEPIPELINE", "insecureSsl": False, "buildspec": INLINE_BUILDSPEC},
        "artifacts": {"type": "CODEPIPELINE", "encryptionDisabled": False},
        "environment": {
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/standard:7.0",
            "computeType": "BUILD_GENERAL1_SMALL",
            "privilegedMode": True,
            "imagePullCredentialsType": "CODEBUILD",
            "environmentVariables": [
                {"name": "CONTAINER_NAME", "value": "api", "type": "PLAINTEXT"},
                {
                    "name": "REPOSITORY_URI",
                    "value": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/dev/api",
                    "type": "PLAINTEXT",
                },
            ],
        },
        "serviceRole": ROLE_ARN,
        "timeoutInMinutes": 60,
        "queuedTimeoutInMinutes": 480,
        "logsConfig": {
            "cloudWatchLogs": {"status": "ENABLED", "groupName": "/aws/codebuild/dev", "streamName": "api"},
            "s3Logs": {"status": "DISABLED", "encryptionDisabled": False},
        },
        "badgeEnabled": False,
        "tags": [{"key": "env", "value": "dev"}],
    }
    request.update(overrides)
    return request


def update_request(**overrides):
    request = create_request(**overrides)
    request["source"]["buildspec"] = request["source"].get("buildspec", "")
    return request


def env(**overrides):
    environment = copy.deepcopy(declared()["environment"])
    environment.update(overrides)
    return environment


# ---------------------------------------------------------------- input checks (no AWS client at all)

BAD_INPUT = [
    (
        {"environment": env(compute_type="BUILD_GENERAL1_HUGE")},
        ["invalid compute type", "environment.compute_type 'BUILD_GENERAL1_HUGE'", "BUILD_GENERAL1_SMALL"],
    ),
    (
        {"source": {"type": "CODEPIPELINE", "buildspec": "/etc/buildspec.yml"}},
        ["source.buildspec '/etc/buildspec.yml'", "buildspec path outside the repo"],
    ),
    (
        {"source": {"type": "CODEPIPELINE", "buildspec": "buildspecs/../../secret.yml"}},
        ["buildspec path outside the repo", "'..' segments"],
    ),
    ({"source": {"type": "CODEPIPELINE", "buildspec": "C:\\build.yml"}}, ["buildspec path outside the repo"]),
    (
        {"source": {"type": "CODEPIPELINE", "buildspec": "phases:\n  build: [\n"}},
        ["source.buildspec is not valid YAML"],
    ),
    ({"source": {"type": "CODEPIPELINE", "buildspec": "phases:\n  build: {}\n"}}, ["without a top-level 'version'"]),
    ({"source": {"type": "NO_SOURCE"}}, ["source.buildspec is not set but source.type is NO_SOURCE"]),
    ({"source": {"type": "CODEPIPELINE", "buildspec": "version: 0.3"}}, ["source.buildspec has version 0.3"]),
    ({"source": {"type": "NO_SOURCE", "buildspec": "buildspec.yml"}}, ["is a path but source.type is NO_SOURCE"]),
    ({"source": {"type": "CODEPIPELINE", "location": "https://x"}}, ["source.location is set but source.type is"]),
    ({"source": {"type": "GITHUB"}}, ["source.location is required for source.type GITHUB"]),
    ({"source": {"type": "SVN", "location": "x"}}, ["source.type 'SVN' is not valid", "CODEPIPELINE"]),
    ({"source": {"type": "CODEPIPELINE", "git_clone_depth": 1}}, ["source.git_clone_depth is set but"]),
    ({"source": {"type": "GITHUB", "location": "https://github.com/o/r", "git_clone_depth": -1}}, ["negative"]),
    (
        {"source": {"type": "CODECOMMIT", "location": "https://git-codecommit/x", "report_build_status": True}},
        ["source.report_build_status is true but source.type CODECOMMIT"],
    ),
    ({"vpc_config": {"vpc_id": "vpc-0123456789abcdef0"}}, ["vpc_config is partial", "subnets", "security_group_ids"]),
    (
        {"vpc_config": {"vpc_id": "vpc-1", "subnets": ["subnet-0123456789abcdef0"], "security_group_ids": ["sg-1"]}},
        ["vpc_config.vpc_id 'vpc-1'", "vpc_config.security_group_ids has values"],
    ),
    ({"timeout_in_minutes": 3000}, ["timeout_in_minutes 3000 is out of range", "5 to 2160"]),
    ({"timeout_in_minutes": 1}, ["timeout_in_minutes 1 is out of range"]),
    ({"queued_timeout_in_minutes": 481}, ["queued_timeout_in_minutes 481 is out of range", "5 to 480"]),
    (
        {"environment": env(environment_variables=[{"name": "DB", "value": "x", "type": "VAULT"}])},
        ["environment.environment_variables[0].type 'VAULT' is not a known environment variable type"],
    ),
    (
        {"environment": env(environment_variables=[{"name": "A", "value": "1"}, {"name": "A", "value": "2"}])},
        ["environment.environment_variables[1].name 'A' is also environment.environment_variables[0].name"],
    ),
    (
        {"environment": env(environment_variables=[{"name": "CODEBUILD_X", "value": "1"}])},
        ["starts with CODEBUILD_"],
    ),
    ({"environment": env(type="LINUX_EC2")}, ["environment.type LINUX_EC2 runs on a reserved-capacity fleet"]),
    ({"environment": env(compute_type="BUILD_LAMBDA_1GB")}, ["does not fit environment.type LINUX_CONTAINER"]),
    (
        {"environment": env(type="LINUX_LAMBDA_CONTAINER", compute_type="BUILD_LAMBDA_1GB")},
        ["environment.privileged_mode is true but Lambda compute"],
    ),
    ({"environment": env(compute_type="CUSTOM_INSTANCE_TYPE")}, ["needs a compute configuration or a fleet"]),
    ({"environment": env(image_pull_credentials_type="ROBOT")}, ["environment.image_pull_credentials_type 'ROBOT'"]),
    ({"encryption_key": "1234abcd-12ab-34cd-56ef-1234567890ab"}, ["encryption_key", "a bare key ID is not accepted"]),
    ({"encryption_key": KEY_ARN.replace(REGION, "us-east-1")}, ["is in us-east-1 but the project is in eu-west-1"]),
    ({"service_role": "arn:aws:iam::1234:role/x"}, ["service_role 'arn:aws:iam::1234:role/x' is neither"]),
    ({"artifacts": {"type": "S3"}}, ["artifacts.location is required for artifacts.type S3"]),
    ({"artifacts": {"type": "S3", "location": "s3://bucket"}}, ["artifacts.location 's3://bucket' is not a bucket"]),
    ({"artifacts": {"type": "CODEPIPELINE", "name": "out"}}, ["artifacts.name set but artifacts.type is CODEPIPELINE"]),
    ({"artifacts": {"type": "NO_ARTIFACTS", "encryption_disabled": True}}, ["artifacts.encryption_disabled is true"]),
    ({"logs_config": {"s3_logs": {"status": "ENABLED"}}}, ["logs_config.s3_logs.location is not set"]),
    ({"concurrent_build_limit": 0}, ["concurrent_build_limit 0 must be 1 or more"]),
    ({"badge_enabled": True}, ["badge_enabled is true but source.type is CODEPIPELINE"]),
    ({"name": "-bad"}, ["name '-bad' is not a valid CodeBuild project name"]),
    ({"description": "x" * 256}, ["description has 256 characters"]),
    ({"tags": {"aws:x": "1"}}, ["tags key 'aws:x'"]),
]


@pytest.mark.parametrize(("overrides", "expected"), BAD_INPUT)
def test_bad_input_fails_before_any_aws_call(monkeypatch, capsys, overrides, expected):
    result = run_module(monkeypatch, capsys, declared(**overrides), aws=False)
    assert result["failed"] is True
    for part in expected:
        assert part in result["msg"], result["msg"]


def test_every_problem_is_reported_at_once(monkeypatch, capsys):
    args = declared(timeout_in_minutes=1, environment=env(compute_type="NOPE"), vpc_config={"subnets": ["subnet-1"]})
    result = run_module(monkeypatch, capsys, args, aws=False)
    assert len(result["errors"]) == 3


def test_missing_required_settings_name_the_option(monkeypatch, capsys):
    args = declared()
    del args["service_role"]
    result = run_module(monkeypatch, capsys, args, aws=False)
    assert result["failed"] is True and "service_role" in result["msg"]
    args = declared(environment={"image": "x"})
    result = run_module(monkeypatch, capsys, args, aws=False)
    assert result["failed"] is True and "compute_type" in result["msg"] and "environment" in result["msg"]


@pytest.mark.parametrize(
    "buildspec",
    [
        "buildspecs/infra-plan.yml",
        "buildspec.yml",
        "a/b..c/d.yml",
        INLINE_BUILDSPEC,
        "version: 0.2",
        "# comment\n---\nversion: 0.2\nphases: {}\n",
        "arn:aws:s3:::bucket/spec.yml",
    ],
)
def test_good_buildspecs(buildspec):
    assert codebuild.buildspec_problem("source.buildspec", buildspec, "CODEPIPELINE") is None


def test_absent_needs_only_the_name(monkeypatch, capsys):
    def setup(stubber):
        read(stubber)

    result = run_module(monkeypatch, capsys, {"name": NAME, "state": "absent"}, setup)
    assert result["changed"] is False and "project" not in result


# ---------------------------------------------------------------- canonical comparison


def test_project_read_back_with_aws_defaults_is_no_change(monkeypatch, capsys):
    """Every default AWS fills in (artifact name and packaging, insecureSsl, variable types, image pull credentials,
    timeouts, the aws/s3 key, badge, S3 logs) compares equal to a declaration that leaves them out. The role is the
    project's already: no IAM call."""

    def setup(stubber):
        read(stubber, aws_project())

    result = run_module(monkeypatch, capsys, declared(), setup, diff=True)
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]
    project = result["project"]
    assert project["arn"] == PROJECT_ARN
    assert project["timeout_in_minutes"] == 60 and project["queued_timeout_in_minutes"] == 480
    assert project["encryption_key"] is None and project["vpc_config"] is None
    assert project["environment"]["image_pull_credentials_type"] == "CODEBUILD"
    assert [v["name"] for v in project["environment"]["environment_variables"]] == ["CONTAINER_NAME", "REPOSITORY_URI"]
    assert project["logs_config"]["s3_logs"] == {"status": "DISABLED", "location": None, "encryption_disabled": False}
    assert project["tags"] == {"env": "dev"}


def test_defaults_declared_explicitly_are_no_change(monkeypatch, capsys):
    def setup(stubber):
        read(stubber, aws_project())

    args = declared(
        timeout_in_minutes=60,
        queued_timeout_in_minutes=480,
        encryption_key="alias/aws/s3",
        environment=env(type="LINUX_CONTAINER", image_pull_credentials_type="CODEBUILD"),
        logs_config={
            "cloud_watch_logs": {"status": "ENABLED", "group_name": "/aws/codebuild/dev", "stream_name": "api"},
            "s3_logs": {"status": "DISABLED"},
        },
    )
    args["environment"]["environment_variables"] = list(reversed(args["environment"]["environment_variables"]))
    result = run_module(monkeypatch, capsys, args, setup)
    assert result["changed"] is False


def test_git_source_defaults(monkeypatch, capsys):
    """A GitHub source read back without gitCloneDepth/reportBuildStatus equals one declared with 0/false."""
    source = {"type": "GITHUB", "location": "https://github.com/o/r.git", "insecureSsl": False}

    def setup(stubber):
        read(stubber, aws_project(source=source))

    args = declared(source={"type": "GITHUB", "location": "https://github.com/o/r.git", "git_clone_depth": 0})
    result = run_module(monkeypatch, capsys, args, setup)
    assert result["changed"] is False
    assert result["project"]["source"]["git_clone_depth"] == 0
    assert result["project"]["source"]["report_build_status"] is False


@pytest.mark.parametrize("declared_key", [ALIAS_ARN, "alias/dev-delivery"])
def test_kms_alias_in_either_form_matches(monkeypatch, capsys, declared_key):
    def setup(stubber):
        read(stubber, aws_project(encryptionKey=ALIAS_ARN))

    result = run_module(monkeypatch, capsys, declared(encryption_key=declared_key), setup)
    assert result["changed"] is False and result["project"]["encryption_key"] == ALIAS_ARN


def test_tags_not_set_are_left_alone(monkeypatch, capsys):
    def setup(stubber):
        read(stubber, aws_project(tags=[{"key": "env", "value": "dev"}, {"key": "owner", "value": "ops"}]))

    args = declared()
    del args["tags"]
    result = run_module(monkeypatch, capsys, args, setup)
    assert result["changed"] is False and result["project"]["tags"] == {"env": "dev", "owner": "ops"}


# ---------------------------------------------------------------- create


def test_check_mode_predicts_a_create_without_making_it(monkeypatch, capsys):
    def setup(stubber):
        read(stubber)

    result = run_module(monkeypatch, capsys, declared(), setup, role, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["project"]["arn"] is None and result["project"]["service_role"] == ROLE_ARN
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["environment"]["compute_type"] == "BUILD_GENERAL1_SMALL"
    assert "arn" not in result["diff"]["after"]


def test_create_sends_the_whole_declaration(monkeypatch, capsys):
    def setup(stubber):
        read(stubber)
        stubber.add_response("create_project", {"project": aws_project()}, create_request())

    result = run_module(monkeypatch, capsys, declared(), setup, role)
    assert result["changed"] is True and result["project"]["arn"] == PROJECT_ARN


def test_create_of_an_infrastructure_project_with_everything(monkeypatch, capsys):
    """A role name turned into its ARN, a repository buildspec path, S3 artifacts, a VPC, a KMS key, S3 logs."""
    vpc = {
        "vpc_id": "vpc-0123456789abcdef0",
        "subnets": ["subnet-0000000000000000b", "subnet-0000000000000000a"],
        "security_group_ids": ["sg-0123456789abcdef0"],
    }
    args = declared(
        source={"type": "CODEPIPELINE", "buildspec": "buildspecs/infra-plan.yml"},
        artifacts={"type": "S3", "location": "dev-artifacts", "packaging": "ZIP"},
        environment={"image": "aws/codebuild/standard:7.0", "compute_type": "BUILD_GENERAL1_MEDIUM"},
        service_role="dev-codebuild",
        timeout_in_minutes=120,
        encryption_key=KEY_ARN,
        vpc_config=vpc,
        logs_config={"s3_logs": {"status": "ENABLED", "location": "dev-logs/codebuild"}},
        concurrent_build_limit=1,
        description=None,
    )
    request = create_request(
        source={"type": "CODEPIPELINE", "insecureSsl": False, "buildspec": "buildspecs/infra-plan.yml"},
        artifacts={
            "type": "S3",
            "location": "dev-artifacts",
            "name": NAME,
            "namespaceType": "NONE",
            "packaging": "ZIP",
            "encryptionDisabled": False,
        },
        environment={
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/standard:7.0",
            "computeType": "BUILD_GENERAL1_MEDIUM",
            "privilegedMode": False,
            "imagePullCredentialsType": "CODEBUILD",
            "environmentVariables": [],
        },
        timeoutInMinutes=120,
        encryptionKey=KEY_ARN,
        vpcConfig={
            "vpcId": "vpc-0123456789abcdef0",
            "subnets": ["subnet-0000000000000000a", "subnet-0000000000000000b"],
            "securityGroupIds": ["sg-0123456789abcdef0"],
        },
        logsConfig={
            "cloudWatchLogs": {"status": "ENABLED"},
            "s3Logs": {"status": "ENABLED", "encryptionDisabled": False, "location": "dev-logs/codebuild"},
        },
        concurrentBuildLimit=1,
    )
    del request["description"]

    def setup(stubber):
        read(stubber)
        stubber.add_response("create_project", {"project": aws_project()}, request)

    result = run_module(monkeypatch, capsys, args, setup, role)
    assert result["changed"] is True


def test_create_retries_while_the_new_role_propagates(monkeypatch, capsys):
    monkeypatch.setattr("time.sleep", lambda _seconds: None)

    def setup(stubber):
        read(stubber)
        message = f"CodeBuild is not authorized to perform: sts:AssumeRole on {ROLE_ARN}"
        stubber.add_client_error("create_project", "InvalidInputException", message, 400, create_request())
        stubber.add_response("create_project", {"project": aws_project()}, create_request())

    result = run_module(monkeypatch, capsys, declared(), setup, role)
    assert result["changed"] is True


def test_other_invalid_input_is_not_retried(monkeypatch, capsys):
    def setup(stubber):
        read(stubber)
        stubber.add_client_error("create_project", "InvalidInputException", "Invalid image", 400, create_request())

    result = run_module(monkeypatch, capsys, declared(), setup, role)
    assert result["failed"] is True and "Failed to create CodeBuild project" in result["msg"]


# ---------------------------------------------------------------- service role


def test_missing_role_fails_a_real_run_before_any_change(monkeypatch, capsys):
    def setup(stubber):
        read(stubber)

    def iam(stubber):
        stubber.add_client_error("get_role", "NoSuchEntity", "Role not found", 404, {"RoleName": "dev-codebuild"})

    result = run_module(monkeypatch, capsys, declared(), setup, iam)
    assert result["failed"] is True
    assert "service_role: the IAM role 'dev-codebuild' does not exist" in result["msg"]


def test_missing_role_is_a_warning_in_check_mode(monkeypatch, capsys):
    def setup(stubber):
        read(stubber)

    def iam(stubber):
        stubber.add_client_error("get_role", "NoSuchEntity", "Role not found", 404, {"RoleName": "dev-codebuild"})

    result = run_module(monkeypatch, capsys, declared(), setup, iam, check_mode=True)
    assert result["changed"] is True
    assert any("does not exist" in w and "check mode" in w for w in result["warnings"])


def test_role_that_does_not_trust_codebuild_fails(monkeypatch, capsys):
    def setup(stubber):
        read(stubber)

    def iam(stubber):
        ecs_trust = copy.deepcopy(TRUST)
        ecs_trust["Statement"][0]["Principal"]["Service"] = "ecs-tasks.amazonaws.com"
        role(stubber, trust=ecs_trust)

    result = run_module(monkeypatch, capsys, declared(), setup, iam)
    assert result["failed"] is True and "does not trust codebuild.amazonaws.com" in result["msg"]


def test_role_arn_without_its_path_fails_with_the_right_arn(monkeypatch, capsys):
    real = f"arn:aws:iam::{ACCOUNT}:role/service-role/dev-codebuild"

    def setup(stubber):
        read(stubber)

    result = run_module(monkeypatch, capsys, declared(), setup, lambda s: role(s, arn=real))
    assert result["failed"] is True and f"use {real}" in result["msg"]


def test_role_lookup_denied_uses_the_arn_as_given(monkeypatch, capsys):
    def setup(stubber):
        read(stubber)
        stubber.add_response("create_project", {"project": aws_project()}, create_request())

    def iam(stubber):
        stubber.add_client_error("get_role", "AccessDenied", "no", 403, {"RoleName": "dev-codebuild"})

    result = run_module(monkeypatch, capsys, declared(), setup, iam)
    assert result["changed"] is True and any("could not be checked" in w for w in result["warnings"])


def test_role_lookup_denied_with_a_role_name_asks_for_the_arn(monkeypatch, capsys):
    def setup(stubber):
        read(stubber)

    def iam(stubber):
        stubber.add_client_error("get_role", "AccessDenied", "no", 403, {"RoleName": "dev-codebuild"})

    result = run_module(monkeypatch, capsys, declared(service_role="dev-codebuild"), setup, iam)
    assert result["failed"] is True and "give the role's ARN" in result["msg"]


def test_role_name_of_the_current_role_needs_no_iam_call(monkeypatch, capsys):
    def setup(stubber):
        read(stubber, aws_project())

    result = run_module(monkeypatch, capsys, declared(service_role="dev-codebuild"), setup)
    assert result["changed"] is False and result["project"]["service_role"] == ROLE_ARN


# ---------------------------------------------------------------- update


def test_update_compute_type_and_variable_with_diff(monkeypatch, capsys):
    variables = [
        {"name": "REPOSITORY_URI", "value": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/dev/api"},
        {"name": "CONTAINER_NAME", "value": "api-v2"},
        {"name": "DB_PASSWORD", "type": "SECRETS_MANAGER", "value": "dev/db:password"},
    ]
    args = declared(environment=env(compute_type="BUILD_GENERAL1_MEDIUM", environment_variables=variables))
    request = update_request()
    request["environment"].update(
        computeType="BUILD_GENERAL1_MEDIUM",
        environmentVariables=[
            {"name": "CONTAINER_NAME", "value": "api-v2", "type": "PLAINTEXT"},
            {"name": "DB_PASSWORD", "value": "dev/db:password", "type": "SECRETS_MANAGER"},
            request["environment"]["environmentVariables"][1],
        ],
    )
    updated = aws_project()
    updated["environment"] = dict(updated["environment"], computeType="BUILD_GENERAL1_MEDIUM")
    updated["environment"]["environmentVariables"] = request["environment"]["environmentVariables"]

    def setup(stubber):
        read(stubber, aws_project())
        stubber.add_response("update_project", {"project": updated}, request)

    result = run_module(monkeypatch, capsys, args, setup, diff=True)
    assert result["changed"] is True and result["warnings"] == []
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert (before["environment"]["compute_type"], after["environment"]["compute_type"]) == (
        "BUILD_GENERAL1_SMALL",
        "BUILD_GENERAL1_MEDIUM",
    )
    assert {k: v for k, v in before.items() if k != "environment"} == {
        k: v for k, v in after.items() if k != "environment"
    }
    assert after["environment"]["environment_variables"][1] == {
        "name": "DB_PASSWORD",
        "value": "dev/db:password",
        "type": "SECRETS_MANAGER",
    }


def test_check_mode_predicts_an_update_without_making_it(monkeypatch, capsys):
    def setup(stubber):
        read(stubber, aws_project())

    result = run_module(monkeypatch, capsys, declared(timeout_in_minutes=30), setup, check_mode=True, diff=True)
    assert result["changed"] is True
    assert (result["diff"]["before"]["timeout_in_minutes"], result["diff"]["after"]["timeout_in_minutes"]) == (60, 30)
    assert result["project"]["timeout_in_minutes"] == 30 and result["project"]["arn"] == PROJECT_ARN


def test_removed_settings_go_back_to_the_aws_defaults(monkeypatch, capsys):
    """A VPC, a concurrent build limit, a description and a key that the task no longer sets are reset."""
    current = aws_project(
        vpcConfig={"vpcId": "vpc-0123456789abcdef0", "subnets": ["subnet-0123456789abcdef0"], "securityGroupIds": []},
        concurrentBuildLimit=2,
        encryptionKey=KEY_ARN,
        timeoutInMinutes=90,
    )
    args = declared()
    del args["description"]
    request = update_request(
        description="", encryptionKey="alias/aws/s3", vpcConfig={}, concurrentBuildLimit=-1, timeoutInMinutes=60
    )

    def setup(stubber):
        read(stubber, current)
        stubber.add_response("update_project", {"project": aws_project()}, request)

    result = run_module(monkeypatch, capsys, args, setup, diff=True)
    assert result["changed"] is True
    assert (
        result["diff"]["before"]["concurrent_build_limit"] == 2
        and "concurrent_build_limit" not in result["diff"]["after"]
    )
    assert "vpc_config" in result["diff"]["before"] and "vpc_config" not in result["diff"]["after"]


def test_unmanaged_sub_settings_are_kept_on_update(monkeypatch, capsys):
    """Source credentials, submodules and build status context, registry credentials stay as they are."""
    source = {
        "type": "GITHUB",
        "location": "https://github.com/o/r.git",
        "insecureSsl": False,
        "auth": {"type": "CODECONNECTIONS", "resource": "arn:aws:codeconnections:eu-west-1:123456789012:connection/x"},
        "gitSubmodulesConfig": {"fetchSubmodules": True},
        "buildStatusConfig": {"context": "ci/build"},
        "reportBuildStatus": True,
    }
    environment = dict(
        aws_project()["environment"],
        registryCredential={"credential": "dev/registry", "credentialProvider": "SECRETS_MANAGER"},
    )
    args = declared(
        source={"type": "GITHUB", "location": "https://github.com/o/r.git", "report_build_status": True},
        timeout_in_minutes=30,
    )
    request = update_request(timeoutInMinutes=30)
    request["source"] = {
        "type": "GITHUB",
        "insecureSsl": False,
        "location": "https://github.com/o/r.git",
        "buildspec": "",
        "gitCloneDepth": 0,
        "reportBuildStatus": True,
        "auth": source["auth"],
        "gitSubmodulesConfig": {"fetchSubmodules": True},
        "buildStatusConfig": {"context": "ci/build"},
    }
    request["environment"]["registryCredential"] = environment["registryCredential"]

    def setup(stubber):
        read(stubber, aws_project(source=source, environment=environment))
        stubber.add_response("update_project", {"project": aws_project(source=source)}, request)

    result = run_module(monkeypatch, capsys, args, setup)
    assert result["changed"] is True


def test_tag_change_is_an_update_with_the_whole_tag_list(monkeypatch, capsys):
    current = aws_project(tags=[{"key": "env", "value": "dev"}, {"key": "owner", "value": "ops"}])
    request = update_request(
        tags=[{"key": "env", "value": "dev"}, {"key": "owner", "value": "ops"}, {"key": "team", "value": "api"}]
    )

    def setup(stubber):
        read(stubber, current)
        stubber.add_response("update_project", {"project": current}, request)

    args = declared(tags={"team": "api"}, purge_tags=False)
    result = run_module(monkeypatch, capsys, args, setup)
    assert result["changed"] is True


def test_purge_tags_removes_undeclared_tags(monkeypatch, capsys):
    current = aws_project(tags=[{"key": "env", "value": "dev"}, {"key": "owner", "value": "ops"}])

    def setup(stubber):
        read(stubber, current)
        stubber.add_response("update_project", {"project": aws_project()}, update_request())

    result = run_module(monkeypatch, capsys, declared(), setup, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["tags"] == {"env": "dev", "owner": "ops"}
    assert result["diff"]["after"]["tags"] == {"env": "dev"}


def test_secret_looking_plaintext_values_are_redacted_and_warned(monkeypatch, capsys):
    variables = [{"name": "DB_PASSWORD", "value": "hunter2"}]
    args = declared(environment=env(environment_variables=variables))

    def setup(stubber):
        read(stubber)

    result = run_module(monkeypatch, capsys, args, setup, role, check_mode=True, diff=True)
    assert any("DB_PASSWORD" in w and "SECRETS_MANAGER" in w for w in result["warnings"])
    out = json.dumps({"project": result["project"], "diff": result["diff"]})
    assert "hunter2" not in out and codebuild.REDACTED in out


# ---------------------------------------------------------------- absent


def test_absent_deletes_an_existing_project(monkeypatch, capsys):
    def setup(stubber):
        read(stubber, aws_project())
        stubber.add_response("delete_project", {}, {"name": NAME})

    result = run_module(monkeypatch, capsys, {"name": NAME, "state": "absent"}, setup, diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"] == {} and result["diff"]["before"]["name"] == NAME


def test_absent_in_check_mode_deletes_nothing(monkeypatch, capsys):
    def setup(stubber):
        read(stubber, aws_project())

    result = run_module(monkeypatch, capsys, {"name": NAME, "state": "absent"}, setup, check_mode=True)
    assert result["changed"] is True


# ---------------------------------------------------------------- module_utils details


def test_trust_policy_forms():
    assert codebuild.trusts_codebuild(TRUST)
    assert codebuild.trusts_codebuild(json.dumps(TRUST))
    listed = {
        "Statement": {
            "Effect": "Allow",
            "Principal": {"Service": ["ec2.amazonaws.com", "codebuild.amazonaws.com"]},
            "Action": ["sts:AssumeRole"],
        }
    }
    assert codebuild.trusts_codebuild(listed)
    denied = copy.deepcopy(TRUST)
    denied["Statement"][0]["Effect"] = "Deny"
    assert not codebuild.trusts_codebuild(denied)


def test_enums_come_from_the_botocore_model():
    assert "BUILD_GENERAL1_2XLARGE" in codebuild.api_enum("ComputeType")
    assert codebuild.api_enum("EnvironmentVariableType") == ("PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER")


def test_tags_kept_by_purge_tags_false_beyond_50_fail_before_any_write(monkeypatch, capsys):
    held = [{"key": f"old{i}", "value": "x"} for i in range(30)]
    args = declared(tags={f"new{i}": "y" for i in range(30)}, purge_tags=False)

    def setup(stubber):
        read(stubber, aws_project(tags=held))

    result = run_module(monkeypatch, capsys, args, setup)
    assert result["failed"] is True
    assert result["msg"].startswith("tags: the project would have 60 tags")
