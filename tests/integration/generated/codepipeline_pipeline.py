"""Generated valid inputs of codepipeline_pipeline.

Limits used (AWS CodePipeline API reference, PipelineDeclaration and its shapes, the action structure reference and
the quotas): pipeline, stage and action names 1-100 characters of ``[A-Za-z0-9.@_-]``; artifact names 1-100 of
``[a-zA-Z0-9_-]``; 2 or more stages, source actions in the first stage only; runOrder 1-999; input artifacts produced
by an earlier action, output artifact names unique; the number of input and output artifacts per action type (a
CodeStarSourceConnection, S3 or ECR source one output, a CodeBuild build 1-5 inputs and 0-5 outputs, a Manual approval
none, an S3 deploy one input); required configuration keys per provider (ConnectionArn, FullRepositoryId, BranchName;
S3Bucket, S3ObjectKey; RepositoryName; ProjectName; BucketName, Extract and ObjectKey when not extracting); V2 only:
variables (names 1-128 of ``[A-Za-z0-9@\\-_]``, default values at most 1000, descriptions at most 200, at most 50),
triggers on a CodeStarSourceConnection action of the first stage (at most 3 push and 3 pull request filters, at most
8 include and 8 exclude patterns each, tags not with branches or file paths in one push filter), QUEUED and PARALLEL
execution modes, stage failure results (ROLLBACK not on the first stage, RETRY with a retry mode); tags (keys 1-128,
values 0-256, at most 50)."""

from __future__ import annotations

import json
import string

from tests.integration.generated.base import Generator
from tests.integration.generated.edges import edge_tags
from tests.integration.generated.values import maybe, tags, text

NAME_CHARS = string.ascii_letters + string.digits + ".@_-"
ARTIFACT_CHARS = string.ascii_letters + string.digits + "_-"
VARIABLE_CHARS = string.ascii_letters + string.digits + "@-_"
GLOBS = ["main", "release/*", "feature/**", "v*", "docs/**", "*.md", "src/**/*.py", "hotfix-?"]


def patterns(rng):
    found = {}
    maybe(rng, found, "includes", rng.sample(GLOBS, rng.choice([1, 2, 8])), chance=0.8)
    maybe(rng, found, "excludes", rng.sample(GLOBS, rng.choice([1, 8])), chance=0.3)
    return found or {"includes": ["main"]}


def push_filter(rng):
    if rng.random() < 0.3:
        return {"tags": patterns(rng)}
    found = {"branches": patterns(rng)}
    maybe(rng, found, "file_paths", patterns(rng))
    return found


def pull_request_filter(rng):
    found = {"branches": patterns(rng)}
    maybe(rng, found, "events", rng.sample(["OPEN", "UPDATED", "CLOSED"], rng.randint(1, 3)))
    maybe(rng, found, "file_paths", patterns(rng))
    return found


def trigger(rng, source_action):
    git = {"source_action_name": source_action}
    maybe(rng, git, "push", [push_filter(rng) for _count in range(rng.randint(1, 3))])
    maybe(rng, git, "pull_request", [pull_request_filter(rng) for _count in range(rng.randint(1, 3))])
    if "push" not in git and "pull_request" not in git:
        git["push"] = [push_filter(rng)]
    return {"git_configuration": git}


def variable(rng, index):
    prefix = f"v{index}"
    found = {"name": prefix + text(rng, 0, rng.choice([10, 128 - len(prefix)]), VARIABLE_CHARS)}
    maybe(rng, found, "default_value", text(rng, 1, rng.choice([20, 1000])))
    maybe(rng, found, "description", text(rng, 1, rng.choice([20, 200])))
    return found


def name(rng, prefix, high=30):
    return prefix + text(rng, 0, high, NAME_CHARS)


class CodepipelinePipeline(Generator):
    module = "securecloud.monitor.codepipeline_pipeline"

    def prepare(self, cloud):
        run = f"g{self.rng.randint(0, 10**5)}"
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
                for service in ("codepipeline.amazonaws.com", "codebuild.amazonaws.com")
            ],
        }
        role = cloud.client("iam").create_role(RoleName=f"{run}-pipeline", AssumeRolePolicyDocument=json.dumps(trust))
        bucket = f"{run}-pipeline-artifacts"
        s3 = cloud.client("s3")
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        connection = cloud.client("codestar-connections").create_connection(
            ProviderType="GitHub", ConnectionName=f"{run}-github"
        )["ConnectionArn"]
        project = f"{run}-build"
        cloud.client("codebuild").create_project(
            name=project,
            source={"type": "CODEPIPELINE"},
            artifacts={"type": "CODEPIPELINE"},
            environment={
                "type": "LINUX_CONTAINER",
                "image": "aws/codebuild/standard:7.0",
                "computeType": "BUILD_GENERAL1_SMALL",
            },
            serviceRole=role["Role"]["Arn"],
        )
        key = cloud.client("kms").create_key(Description="generated pipeline inputs")["KeyMetadata"]
        return {
            "run": run,
            "roles": [role["Role"]["Arn"], role["Role"]["RoleName"]],
            "bucket": bucket,
            "connection": connection,
            "project": project,
            "keys": [key["Arn"], key["KeyId"]],
        }

    def source_stage(self):
        rng, context = self.rng, self.context
        kind = rng.choice(["connection", "connection", "s3", "ecr"])
        output = name(rng, "Src", 20).replace(".", "_").replace("@", "_")
        if kind == "connection":
            configuration = {
                "ConnectionArn": context["connection"],
                "FullRepositoryId": f"acme/{text(rng, 1, 30, ARTIFACT_CHARS)}",
                "BranchName": rng.choice(["main", "release/2026"]),
            }
            maybe(rng, configuration, "OutputArtifactFormat", rng.choice(["CODE_ZIP", "CODEBUILD_CLONE_REF"]))
            maybe(rng, configuration, "DetectChanges", rng.random() < 0.5)
            provider = "CodeStarSourceConnection"
        elif kind == "s3":
            configuration = {"S3Bucket": context["bucket"], "S3ObjectKey": f"{text(rng, 1, 30, ARTIFACT_CHARS)}.zip"}
            maybe(rng, configuration, "PollForSourceChanges", False)
            provider = "S3"
        else:
            configuration = {"RepositoryName": f"{context['run']}/app"}
            maybe(rng, configuration, "ImageTag", text(rng, 1, 30, ARTIFACT_CHARS))
            provider = "ECR"
        action = {
            "name": name(rng, "Source"),
            "category": "Source",
            "provider": provider,
            "configuration": configuration,
            "output_artifacts": [output],
        }
        maybe(rng, action, "namespace", f"SourceVariables{rng.randint(0, 99)}")
        maybe(rng, action, "owner", "AWS")
        maybe(rng, action, "version", "1")
        return {"name": name(rng, "Source-", 90), "actions": [action]}

    def build_stage(self, source_output):
        rng = self.rng
        outputs = [f"Built{index}{text(rng, 0, 20, ARTIFACT_CHARS)}" for index in range(rng.choice([0, 1, 5]))]
        configuration = {"ProjectName": self.context["project"]}
        variables = [{"name": "STAGE", "value": "build", "type": "PLAINTEXT"}]
        maybe(rng, configuration, "EnvironmentVariables", variables)
        action = {
            "name": name(rng, "Build"),
            "category": "Build",
            "provider": "CodeBuild",
            "configuration": configuration,
            "input_artifacts": [source_output],
            "output_artifacts": outputs,
        }
        maybe(rng, action, "run_order", rng.choice([1, 999]))
        return {"name": name(rng, "Build-"), "actions": [action]}, outputs

    def later_stages(self, artifacts):
        rng, stages = self.rng, []
        if rng.random() < 0.5:
            approval = {"name": "Review", "category": "Approval", "provider": "Manual"}
            maybe(rng, approval, "configuration", {"CustomData": text(rng, 1, 500)})
            stages.append({"name": name(rng, "Approve-"), "actions": [approval]})
        if rng.random() < 0.5:
            extract = rng.random() < 0.5
            configuration = {"BucketName": self.context["bucket"], "Extract": extract}
            if not extract:
                configuration["ObjectKey"] = f"releases/{text(rng, 1, 30, ARTIFACT_CHARS)}.zip"
            deploy = {
                "name": "Publish",
                "category": "Deploy",
                "provider": "S3",
                "configuration": configuration,
                "input_artifacts": [rng.choice(artifacts)],
            }
            stages.append({"name": name(rng, "Deploy-"), "actions": [deploy]})
        return stages

    def pipeline(self, pipeline_name):
        rng, context = self.rng, self.context
        source = self.source_stage()
        source_output = source["actions"][0]["output_artifacts"][0]
        build, built = self.build_stage(source_output)
        stages = [source, build, *self.later_stages([source_output, *built])]
        pipeline_type = rng.choice(["V1", "V2", "V2", None])
        store = {"location": context["bucket"]}
        maybe(rng, store, "encryption_key", {"id": rng.choice(context["keys"])})
        found = {
            "name": pipeline_name,
            "role_arn": rng.choice(context["roles"]),
            "artifact_store": store,
            "stages": stages,
        }
        if pipeline_type:
            found["pipeline_type"] = pipeline_type
        if pipeline_type != "V1":
            self.v2_options(found, stages)
        maybe(rng, found, "tags", rng.choice([tags(rng), edge_tags(rng)]))
        maybe(rng, found, "purge_tags", rng.random() < 0.5)
        return found

    def v2_options(self, pipeline, stages):
        rng = self.rng
        maybe(rng, pipeline, "execution_mode", rng.choice(["QUEUED", "SUPERSEDED", "PARALLEL"]))
        maybe(rng, pipeline, "variables", [variable(rng, index) for index in range(rng.choice([1, 3, 50]))])
        source = stages[0]["actions"][0]
        if source["provider"] == "CodeStarSourceConnection":
            maybe(rng, pipeline, "triggers", [trigger(rng, source["name"])])
        for stage in stages[1:]:
            if rng.random() < 0.3:
                stage["on_failure"] = {"result": "ROLLBACK"}
            elif rng.random() < 0.3:
                mode = rng.choice(["FAILED_ACTIONS", "ALL_ACTIONS"])
                stage["on_failure"] = {"result": "RETRY", "retry_configuration": {"retry_mode": mode}}

    def arguments(self, round_index):
        if round_index == 0:
            run = self.context["run"]
            longest = (f"{run}-" + "p" * 100)[:100]
            return [self.pipeline(longest), self.pipeline(name(self.rng, f"{run}-"))]
        first, second = self.previous
        return [self.pipeline(first["name"]), {"name": second["name"], "state": "absent"}]

    def check(self, round_index, declared, results, cloud):
        client = cloud.client("codepipeline")
        names = {p["name"] for p in client.list_pipelines()["pipelines"]}
        for arguments in declared:
            if arguments.get("state") == "absent":
                assert arguments["name"] not in names, arguments
                continue
            pipeline = client.get_pipeline(name=arguments["name"])["pipeline"]
            assert [s["name"] for s in pipeline["stages"]] == [s["name"] for s in arguments["stages"]], pipeline
            assert pipeline.get("pipelineType", "V1") == arguments.get("pipeline_type", "V2"), pipeline
