"""Generated valid inputs of iam_role_set (a set module: round 1 keeps, changes, drops and adds roles).

Limits used (IAM API reference and IAM quotas): CreateRole RoleName 1-64 characters of ``[\\w+=,.@-]`` (unique
regardless of case), Description at most 1000 characters of tab, newline and U+0020-U+007E, U+00A1-U+00FF;
AssumeRolePolicyDocument at most 2048 characters (the default quota); at most 10 managed policies per role (the
default quota); PutRolePolicy PolicyName 1-128 characters of ``[\\w+=,.@-]``, inline policies of a role at most 10240
characters in all; tags at most 50, keys 1-128 and values 0-256 of letters, digits, spaces and ``_.:/=+-@``."""

from __future__ import annotations

import string

from tests.integration.generated.base import Generator
from tests.integration.generated.edges import edge_tags
from tests.integration.generated.set_members import kept_or_remade, new_member_name
from tests.integration.generated.values import maybe, tags, text

ACCOUNT = "123456789012"
ROLE_CHARS = string.ascii_letters + string.digits + "+=,.@_-"
DESCRIPTION_CHARS = string.ascii_letters + string.digits + " .,;:-_()/'\"\tàéüßÆ¿"
SERVICES = ["codebuild.amazonaws.com", "codepipeline.amazonaws.com", "ecs-tasks.amazonaws.com", "lambda.amazonaws.com"]
MANAGED = [
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonECS_FullAccess",
    "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
    "arn:aws:iam::aws:policy/AWSCodeBuildReadOnlyAccess",
    "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
]
ACTIONS = ["s3:GetObject", "s3:PutObject", "logs:CreateLogStream", "logs:PutLogEvents", "ecr:GetAuthorizationToken"]


def trust_policy(rng):
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": rng.choice(SERVICES)},
        "Action": "sts:AssumeRole",
    }
    maybe(rng, statement, "Condition", {"StringEquals": {"aws:SourceAccount": ACCOUNT}})
    maybe(rng, statement, "Sid", text(rng, 1, 20, string.ascii_letters + string.digits))
    return {"Version": "2012-10-17", "Statement": [statement]}


def policy_document(rng):
    statements = [
        {
            "Effect": rng.choice(["Allow", "Deny"]),
            "Action": rng.sample(ACTIONS, rng.randint(1, len(ACTIONS))),
            "Resource": rng.choice(["*", f"arn:aws:s3:::{text(rng, 3, 40, string.ascii_lowercase)}/*"]),
        }
        for _count in range(rng.randint(1, 3))
    ]
    return {"Version": "2012-10-17", "Statement": statements}


class IamRoleSet(Generator):
    module = "securecloud.monitor.iam_role_set"
    predicted = ("changes",)

    def role(self, name):
        role = {"name": name, "assume_role_policy": trust_policy(self.rng)}
        description = self.rng.choice(["", text(self.rng, 1, 40, DESCRIPTION_CHARS), "d" * 1000])
        maybe(self.rng, role, "description", description)
        maybe(self.rng, role, "managed_policies", self.rng.sample(MANAGED, self.rng.choice([0, 1, 3, 10])))
        policy_name = text(self.rng, 1, self.rng.choice([20, 128]), ROLE_CHARS)
        maybe(self.rng, role, "inline_policy", {"name": policy_name, "document": policy_document(self.rng)})
        maybe(self.rng, role, "tags", self.rng.choice([tags(self.rng), edge_tags(self.rng)]))
        return role

    def new_name(self):
        return new_member_name(self.rng, self.context, 64, ROLE_CHARS)

    def prepare(self, cloud):
        return {"prefix": f"gen-role-{self.rng.randint(0, 10**5)}-"}

    def task(self, roles):
        arguments = {"prefix": self.context["prefix"], "roles": roles}
        maybe(self.rng, arguments, "purge_tags", self.rng.random() < 0.5)
        return arguments

    def arguments(self, round_index):
        if round_index == 0:
            return [self.task([self.role(self.new_name()) for _count in range(self.rng.randint(1, 4))])]
        roles = kept_or_remade(self.rng, self.previous[0]["roles"], lambda role: self.role(role["name"]))
        return [self.task(roles + [self.role(self.new_name()) for _count in range(self.rng.randint(1, 2))])]

    def check(self, round_index, declared, results, cloud):
        iam = cloud.client("iam")
        found = {
            role["RoleName"]: role
            for page in iam.get_paginator("list_roles").paginate()
            for role in page["Roles"]
            if role["RoleName"].startswith(self.context["prefix"])
        }
        assert sorted(found) == sorted(role["name"] for role in declared[0]["roles"]), sorted(found)
        for role in declared[0]["roles"]:
            attached = iam.list_attached_role_policies(RoleName=role["name"])["AttachedPolicies"]
            assert sorted(p["PolicyArn"] for p in attached) == sorted(role.get("managed_policies", [])), role["name"]
