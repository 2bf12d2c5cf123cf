"""Prints the delivery layer's state in the scenario's local cloud as JSON, read through boto3 only: pipelines,
projects, deployment groups, repositories, roles with their inline policies, the bucket's settings, the connection."""

import json
import sys

import boto3

endpoint, prefix = sys.argv[1], sys.argv[2]
session = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")


def client(name):
    return session.client(name, endpoint_url=endpoint)


codepipeline, codebuild, codedeploy = client("codepipeline"), client("codebuild"), client("codedeploy")
names = [p["name"] for p in codepipeline.list_pipelines()["pipelines"]]
pipelines = {}
for name in names:
    got = codepipeline.get_pipeline(name=name)
    pipelines[name] = got["pipeline"]
project_names = codebuild.list_projects()["projects"]
found = codebuild.batch_get_projects(names=project_names)["projects"] if project_names else []
projects = {p["name"]: p for p in found}
applications = codedeploy.list_applications()["applications"]
groups = {}
for application in applications:
    for group in codedeploy.list_deployment_groups(applicationName=application)["deploymentGroups"]:
        info = codedeploy.get_deployment_group(applicationName=application, deploymentGroupName=group)
        groups[group] = info["deploymentGroupInfo"]
ecr = client("ecr")
repositories = {r["repositoryName"]: r for r in ecr.describe_repositories()["repositories"]}
iam = client("iam")
roles = {}
for role in iam.list_roles()["Roles"]:
    if role["RoleName"].startswith(prefix + "-code"):
        name = role["RoleName"]
        inline = {
            p: iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
            for p in iam.list_role_policies(RoleName=name)["PolicyNames"]
        }
        attached = [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]]
        roles[name] = {"inline": inline, "attached": attached}
s3 = client("s3")
buckets = {}
for bucket in s3.list_buckets()["Buckets"]:
    name = bucket["Name"]
    encryption = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
    buckets[name] = {
        "encryption": encryption["ApplyServerSideEncryptionByDefault"],
        "public_access_block": s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"],
        "versioning": s3.get_bucket_versioning(Bucket=name).get("Status"),
    }
connections = client("codestar-connections").list_connections()["Connections"]
print(
    json.dumps(
        {
            "pipelines": pipelines,
            "projects": projects,
            "applications": applications,
            "groups": groups,
            "repositories": repositories,
            "roles": roles,
            "buckets": buckets,
            "connections": connections,
        },
        default=str,
    )
)
