"""A declared four-stage pipeline (GitHub source, CodeBuild, manual approval, ECS blue/green), shared by the
codepipeline_pipeline integration tests, bad-input table and benchmark."""

from __future__ import annotations

import copy
import json

CONNECTION = "arn:aws:codestar-connections:us-east-1:123456789012:connection/0c5d6a1e-4a30-4f3c-9a4e-2b0e6c0f1d2a"
BUCKET = "securecloud-pipeline-artifacts"
ROLE = "securecloud-codepipeline"


def make_role_and_bucket(cloud):
    """The pipeline's service role (trusting CodePipeline, which the local cloud checks) and artifact bucket."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    role = cloud.client("iam").create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust))
    cloud.client("s3").create_bucket(Bucket=BUCKET)
    return role["Role"]["Arn"]


def action(name, category, provider, **extra):
    return {"name": name, "category": category, "provider": provider} | extra


def stages(branch="main"):
    source = {"ConnectionArn": CONNECTION, "FullRepositoryId": "acme/inventory", "BranchName": branch}
    deploy = {
        "ApplicationName": "services",
        "DeploymentGroupName": "inventory",
        "TaskDefinitionTemplateArtifact": "BuildOutput",
        "AppSpecTemplateArtifact": "BuildOutput",
    }
    return copy.deepcopy(
        [
            {
                "name": "Source",
                "actions": [
                    action("GitHub", "Source", "CodeStarSourceConnection", configuration=source, output_artifacts=["S"])
                ],
            },
            {
                "name": "Build",
                "actions": [
                    action(
                        "Image",
                        "Build",
                        "CodeBuild",
                        configuration={"ProjectName": "inventory-build"},
                        input_artifacts=["S"],
                        output_artifacts=["BuildOutput"],
                    )
                ],
            },
            {"name": "Approve", "actions": [action("Review", "Approval", "Manual")]},
            {
                "name": "Deploy",
                "actions": [
                    action(
                        "BlueGreen", "Deploy", "CodeDeployToECS", configuration=deploy, input_artifacts=["BuildOutput"]
                    )
                ],
            },
        ]
    )


def triggers(branch="main"):
    return [{"git_configuration": {"source_action_name": "GitHub", "push": [{"branches": {"includes": [branch]}}]}}]
