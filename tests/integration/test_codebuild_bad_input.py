"""Bad input to securecloud.monitor.codebuild_project fails with a message that names the field, and no mutating call
reaches the emulator (checked with its request recorder). Input errors fail before any call at all; a service role
that does not exist fails after the reads, before any change."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import assert_refused

ACCOUNT = "123456789012"
MODULE = "securecloud.monitor.codebuild_project"


def project(**overrides):
    arguments = {
        "name": "bad-input-build",
        "source": {"type": "CODEPIPELINE", "buildspec": "buildspecs/infra-plan.yml"},
        "artifacts": {"type": "CODEPIPELINE"},
        "environment": {"image": "aws/codebuild/standard:7.0", "compute_type": "BUILD_GENERAL1_SMALL"},
        "service_role": f"arn:aws:iam::{ACCOUNT}:role/bad-input-builds",
    }
    arguments.update(overrides)
    return arguments


def environment(**overrides):
    return dict(project()["environment"], **overrides)


CASES = [
    (
        "invalid compute type",
        project(environment=environment(compute_type="BUILD_GENERAL1_HUGE")),
        ["invalid compute type", "environment.compute_type"],
    ),
    (
        "buildspec path outside the repo (..)",
        project(source={"type": "CODEPIPELINE", "buildspec": "../other-repo/buildspec.yml"}),
        ["source.buildspec", "buildspec path outside the repo"],
    ),
    (
        "buildspec path outside the repo (absolute)",
        project(source={"type": "CODEPIPELINE", "buildspec": "/srv/buildspec.yml"}),
        ["source.buildspec", "buildspec path outside the repo"],
    ),
    (
        "vpc_config partial",
        project(vpc_config={"vpc_id": "vpc-0123456789abcdef0", "subnets": ["subnet-0123456789abcdef0"]}),
        ["vpc_config is partial", "vpc_config.security_group_ids"],
    ),
    ("timeout out of range", project(timeout_in_minutes=2161), ["timeout_in_minutes 2161 is out of range"]),
    ("queued timeout out of range", project(queued_timeout_in_minutes=4), ["queued_timeout_in_minutes 4"]),
    (
        "unknown environment variable type",
        project(environment=environment(environment_variables=[{"name": "TOKEN", "value": "t", "type": "VAULT"}])),
        ["environment.environment_variables[0].type 'VAULT'"],
    ),
    (
        "source location with CodePipeline",
        project(source={"type": "CODEPIPELINE", "location": "https://github.com/o/r"}),
        ["source.location"],
    ),
    (
        "KMS key that is a bare key ID",
        project(encryption_key="1234abcd-12ab-34cd-56ef-1234567890ab"),
        ["encryption_key"],
    ),
    ("environment without a compute type", project(environment={"image": "x"}), ["compute_type", "environment"]),
    (
        "service role that does not exist",
        project(service_role="bad-input-nobody"),
        ["service_role: the IAM role 'bad-input-nobody' does not exist"],
    ),
]


@pytest.mark.parametrize(("case", "arguments", "fields"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_names_the_field_and_changes_nothing(module_cloud, tmp_path, case, arguments, fields):
    calls = assert_refused(module_cloud, tmp_path, MODULE, arguments, fields)
    if "does not exist" not in fields[0]:
        assert calls == [], [c.operation for c in calls]  # input errors: no call at all
    assert module_cloud.client("codebuild").list_projects()["projects"] == []
