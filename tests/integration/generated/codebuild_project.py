"""Generated valid inputs of codebuild_project.

Limits used (AWS CodeBuild API reference, CreateProject and its shapes): name 2-150 characters of
``[A-Za-z0-9][A-Za-z0-9\\-_]{1,149}``; description at most 255; timeoutInMinutes 5-2160, queuedTimeoutInMinutes 5-480;
at most 50 tags, keys 1-127 and values 0-255 of letters, digits, spaces and ``_.:/=@+-``; VpcConfig at most 16
subnets and 5 security groups; a CODEPIPELINE source goes with CODEPIPELINE artifacts and only with them; NO_SOURCE
needs an inline buildspec; S3 artifacts need a bucket; gitCloneDepth 0 or more (git sources); environment variable
names not starting with CODEBUILD_; badges for CODECOMMIT, GITHUB, GITHUB_ENTERPRISE and BITBUCKET sources. Lambda
compute (LINUX_LAMBDA_CONTAINER with BUILD_LAMBDA_*): no privileged mode, no VPC, builds of at most 15 minutes
("Limitations of AWS Lambda compute", CodeBuild user guide). GITHUB, GITLAB and BITBUCKET sources need source
credentials in the account (ImportSourceCredentials or a connection), which the generator has no real ones for: left
out."""

from __future__ import annotations

import json
import string

from tests.integration.generated.base import Generator
from tests.integration.generated.edges import edge_tags
from tests.integration.generated.values import maybe, tags, text

NAME_CHARS = string.ascii_letters + string.digits + "-_"
VARIABLE_CHARS = string.ascii_uppercase + string.digits + "_"
INLINE = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo {word}\n      - make test\n"
COMPUTE = {
    "LINUX_CONTAINER": ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"],
    "ARM_CONTAINER": ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_LARGE"],
    "LINUX_LAMBDA_CONTAINER": ["BUILD_LAMBDA_1GB", "BUILD_LAMBDA_2GB", "BUILD_LAMBDA_4GB", "BUILD_LAMBDA_10GB"],
}
IMAGES = {
    "LINUX_CONTAINER": ["aws/codebuild/standard:7.0", "aws/codebuild/amazonlinux2-x86_64-standard:5.0"],
    "ARM_CONTAINER": ["aws/codebuild/amazonlinux2-aarch64-standard:3.0"],
    "LINUX_LAMBDA_CONTAINER": ["aws/codebuild/amazonlinux-x86_64-lambda-standard:python3.12"],
}


def buildspec(rng, inline_only):
    if inline_only or rng.random() < 0.5:
        return INLINE.format(word=text(rng, 1, 20, string.ascii_letters))
    return rng.choice(["buildspec.yml", f"buildspecs/{text(rng, 1, 30, NAME_CHARS)}.yml"])


def source(rng, kind, bucket):
    found = {"type": kind}
    if kind == "CODEPIPELINE":
        maybe(rng, found, "buildspec", buildspec(rng, inline_only=False))
    elif kind == "NO_SOURCE":
        found["buildspec"] = buildspec(rng, inline_only=True)
    elif kind == "S3":
        found["location"] = f"{bucket}/{text(rng, 1, 40, NAME_CHARS)}.zip"
        maybe(rng, found, "buildspec", buildspec(rng, inline_only=False))
    else:
        found["location"] = f"https://git-codecommit.us-east-1.amazonaws.com/v1/repos/{text(rng, 1, 40, NAME_CHARS)}"
        maybe(rng, found, "buildspec", buildspec(rng, inline_only=False))
        maybe(rng, found, "git_clone_depth", rng.choice([0, 1, 25]))
    return found


def artifacts(rng, source_kind, bucket):
    if source_kind == "CODEPIPELINE":
        found = {"type": "CODEPIPELINE"}
        maybe(rng, found, "encryption_disabled", rng.random() < 0.5)
        return found
    if rng.random() < 0.5:
        return {"type": "NO_ARTIFACTS"}
    found = {"type": "S3", "location": bucket}
    maybe(rng, found, "name", text(rng, 1, 40, NAME_CHARS))
    maybe(rng, found, "path", f"{text(rng, 1, 20, NAME_CHARS)}/{text(rng, 1, 20, NAME_CHARS)}")
    maybe(rng, found, "namespace_type", rng.choice(["NONE", "BUILD_ID"]))
    maybe(rng, found, "packaging", rng.choice(["NONE", "ZIP"]))
    maybe(rng, found, "encryption_disabled", rng.random() < 0.5)
    return found


def variables(rng):
    found = []
    for index in range(rng.choice([0, 1, 4])):
        kind = rng.choice(["PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER", None])
        value = (
            rng.choice(["", text(rng, 1, 60)])
            if kind in ("PLAINTEXT", None)
            else f"/gen/{text(rng, 1, 30, NAME_CHARS)}"
        )
        variable = {"name": f"V{index}_{text(rng, 1, 30, VARIABLE_CHARS)}", "value": value}
        if kind:
            variable["type"] = kind
        found.append(variable)
    return found


def environment(rng, kind):
    found = {"image": rng.choice(IMAGES[kind]), "compute_type": rng.choice(COMPUTE[kind])}
    if kind != "LINUX_CONTAINER" or rng.random() < 0.5:
        found["type"] = kind
    if kind != "LINUX_LAMBDA_CONTAINER":
        maybe(rng, found, "privileged_mode", rng.random() < 0.5)
    maybe(rng, found, "image_pull_credentials_type", "CODEBUILD")
    maybe(rng, found, "environment_variables", variables(rng))
    return found


def logs_config(rng, bucket):
    found = {}
    cloud_watch = {}
    maybe(rng, cloud_watch, "status", rng.choice(["ENABLED", "DISABLED"]))
    maybe(rng, cloud_watch, "group_name", f"/gen/{text(rng, 1, 40, NAME_CHARS)}")
    maybe(rng, cloud_watch, "stream_name", text(rng, 1, 40, NAME_CHARS))
    maybe(rng, found, "cloud_watch_logs", cloud_watch)
    if rng.random() < 0.5:
        s3_logs = {"status": "ENABLED", "location": f"{bucket}/{text(rng, 1, 30, NAME_CHARS)}"}
        maybe(rng, s3_logs, "encryption_disabled", rng.random() < 0.5)
        found["s3_logs"] = rng.choice([s3_logs, {"status": "DISABLED"}])
    return found


class CodebuildProject(Generator):
    module = "securecloud.monitor.codebuild_project"

    def prepare(self, cloud):
        run = self.rng.randint(0, 10**6)
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
        iam = cloud.client("iam")
        plain = iam.create_role(RoleName=f"gen-cb-{run}", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
        pathed = iam.create_role(
            RoleName=f"gen-cb-path-{run}", Path="/delivery/builds/", AssumeRolePolicyDocument=json.dumps(trust)
        )["Role"]
        bucket = f"gen-cb-{run}"
        cloud.client("s3").create_bucket(Bucket=bucket)
        ec2 = cloud.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.77.{i}.0/24")["Subnet"]["SubnetId"] for i in range(16)]
        groups = [
            ec2.create_security_group(GroupName=f"gen-cb-{run}-{i}", Description="builds", VpcId=vpc)["GroupId"]
            for i in range(5)
        ]
        kms = cloud.client("kms")
        key = kms.create_key(Description="generated codebuild inputs")["KeyMetadata"]
        alias = f"alias/gen-cb-{run}"
        kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
        return {
            "roles": [plain["RoleName"], plain["Arn"], pathed["Arn"]],
            "bucket": bucket,
            "vpc": {"vpc_id": vpc, "subnets": subnets, "security_group_ids": groups},
            "keys": [key["Arn"], alias, f"arn:aws:kms:us-east-1:{key['Arn'].split(':')[4]}:{alias}"],
            "run": run,
        }

    def project(self, name):
        rng, bucket = self.rng, self.context["bucket"]
        kind = rng.choice(["CODEPIPELINE", "CODEPIPELINE", "NO_SOURCE", "S3", "CODECOMMIT"])
        compute = rng.choice(["LINUX_CONTAINER", "LINUX_CONTAINER", "ARM_CONTAINER", "LINUX_LAMBDA_CONTAINER"])
        project = {
            "name": name,
            "source": source(rng, kind, bucket),
            "artifacts": artifacts(rng, kind, bucket),
            "environment": environment(rng, compute),
            "service_role": rng.choice(self.context["roles"]),
        }
        maybe(rng, project, "description", rng.choice(["", text(rng, 1, 40), text(rng, 255, 255)]))
        lambda_compute = compute == "LINUX_LAMBDA_CONTAINER"
        timeout = rng.choice([5, 15]) if lambda_compute else rng.choice([5, 60, 480, 2160])
        maybe(rng, project, "timeout_in_minutes", timeout, chance=1 if lambda_compute else 0.5)
        maybe(rng, project, "queued_timeout_in_minutes", rng.choice([5, 100, 480]))
        maybe(rng, project, "encryption_key", rng.choice(self.context["keys"]))
        if not lambda_compute and rng.random() < 0.4:
            vpc = self.context["vpc"]
            project["vpc_config"] = {
                "vpc_id": vpc["vpc_id"],
                "subnets": rng.sample(vpc["subnets"], rng.choice([1, 2, 16])),
                "security_group_ids": rng.sample(vpc["security_group_ids"], rng.choice([1, 5])),
            }
        maybe(rng, project, "logs_config", logs_config(rng, bucket))
        maybe(rng, project, "concurrent_build_limit", rng.randint(1, 20))
        if kind == "CODECOMMIT":
            maybe(rng, project, "badge_enabled", rng.random() < 0.5)
        maybe(rng, project, "tags", edge_tags(rng, key_high=127, value_high=255) if rng.random() < 0.5 else tags(rng))
        maybe(rng, project, "purge_tags", rng.random() < 0.5)
        return project

    def arguments(self, round_index):
        if round_index == 0:
            run = f"gen-{self.context['run']}"
            longest = run + "-" + "x" * (150 - len(run) - 1)
            return [self.project(longest), self.project(f"{run}-{text(self.rng, 1, 30, NAME_CHARS)}")]
        first, second = self.previous
        return [self.project(first["name"]), {"name": second["name"], "state": "absent"}]

    def check(self, round_index, declared, results, cloud):
        client = cloud.client("codebuild")
        for arguments in declared:
            found = client.batch_get_projects(names=[arguments["name"]])["projects"]
            if arguments.get("state") == "absent":
                assert found == [], found
                continue
            project = found[0]
            assert project["environment"]["computeType"] == arguments["environment"]["compute_type"], project
            assert project["timeoutInMinutes"] == arguments.get("timeout_in_minutes", 60), project
            assert project.get("description", "") == arguments.get("description", ""), project
