"""Generated valid inputs of ecr_repository.

Limits used (Amazon ECR API reference): CreateRepository repositoryName 2-256 characters of
``[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*``, imageTagMutability MUTABLE or IMMUTABLE,
EncryptionConfiguration (AES256 or KMS; kmsKey "the alias, key ID, or full ARN of the KMS key"; the encryption cannot
change after creation); PutLifecyclePolicy lifecyclePolicyText 100-30720 characters, lifecycle policy rules
(rulePriority unique, selection tagStatus tagged with tagPrefixList / any / untagged, countType imageCountMoreThan or
sinceImagePushed with countUnit days, action expire; a rule with tagStatus any has the highest rulePriority);
SetRepositoryPolicy policyText at most 10240 characters; tags (keys 1-128 not starting with aws:, values 0-256, at
most 50)."""

from __future__ import annotations

import json
import string

import pytest

from tests.integration.generated.base import Generator
from tests.integration.generated.edges import edge_tags
from tests.integration.generated.values import maybe, tags, text

ACCOUNT = "123456789012"
LOWER = string.ascii_lowercase + string.digits


def component(rng, high):
    """One path component of a repository name: runs of [a-z0-9] joined by ., _, __ or dashes."""
    parts = [text(rng, 1, max(1, high // 3), LOWER) for _count in range(rng.randint(1, 3))]
    name = parts[0]
    for part in parts[1:]:
        name += rng.choice([".", "_", "__", "-", "--"]) + part
    return name[:high].rstrip("._-") or "x"


def repository_name(rng, prefix):
    """A name of up to 256 characters; sometimes a path of components, sometimes the longest there is."""
    if rng.random() < 0.2:
        return (prefix + "/" + "a" * 256)[:256]
    name = prefix + "/" + "/".join(component(rng, 40) for _count in range(rng.randint(1, 3)))
    return name[:256].rstrip("._-/")


def lifecycle_policy(rng):
    rules = []
    priorities = sorted(rng.sample(range(1, 1000), rng.randint(1, 4)))
    for index, priority in enumerate(priorities):
        last = index == len(priorities) - 1
        status = rng.choice(["tagged", "untagged"] + (["any"] if last else []))
        selection = {"tagStatus": status}
        if status == "tagged":
            selection["tagPrefixList"] = [text(rng, 1, 20, LOWER + "-._") for _count in range(rng.randint(1, 3))]
        if rng.random() < 0.5:
            selection |= {"countType": "imageCountMoreThan", "countNumber": rng.randint(1, 1000)}
        else:
            selection |= {"countType": "sinceImagePushed", "countUnit": "days", "countNumber": rng.randint(1, 3650)}
        rule = {"rulePriority": priority, "selection": selection, "action": {"type": "expire"}}
        maybe(rng, rule, "description", text(rng, 1, 60))
        rules.append(rule)
    return {"rules": rules}


def repository_policy(rng):
    actions = rng.sample(
        ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:DescribeImages"],
        rng.randint(1, 4),
    )
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": text(rng, 1, 30, string.ascii_letters + string.digits),
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": actions if len(actions) > 1 else actions[0],
            }
        ],
    }


class EcrRepository(Generator):
    module = "securecloud.monitor.ecr_repository"

    def prepare(self, cloud):
        key = cloud.client("kms").create_key(Description="generated ecr inputs")["KeyMetadata"]
        alias = f"alias/gen-ecr-{self.rng.randint(0, 10**6)}"
        cloud.client("kms").create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
        return {"key_forms": [key["Arn"], key["KeyId"], alias]}

    def repository(self, name, encryption):
        arguments = {"name": name, **encryption}
        maybe(self.rng, arguments, "image_tag_mutability", self.rng.choice(["MUTABLE", "IMMUTABLE"]))
        maybe(self.rng, arguments, "scan_on_push", self.rng.random() < 0.5)
        maybe(self.rng, arguments, "lifecycle_policy", lifecycle_policy(self.rng))
        maybe(self.rng, arguments, "repository_policy", repository_policy(self.rng))
        maybe(self.rng, arguments, "tags", self.rng.choice([tags(self.rng), edge_tags(self.rng)]))
        maybe(self.rng, arguments, "purge_tags", self.rng.random() < 0.5)
        return arguments

    def encryption(self):
        roll = self.rng.random()
        if roll < 0.3:
            return {}
        if roll < 0.5:
            return {"encryption_type": "AES256"}
        return {"encryption_type": "KMS", "kms_key": self.rng.choice(self.context["key_forms"])}

    def arguments(self, round_index):
        if round_index == 0:
            run = self.rng.randint(0, 10**6)
            return [
                self.repository(repository_name(self.rng, f"gen{run}-{index}"), self.encryption()) for index in range(2)
            ]
        changed = []
        for previous in self.previous:
            kept_encryption = {key: previous[key] for key in ("encryption_type", "kms_key") if key in previous}
            roll = self.rng.random()
            if roll < 0.3:
                changed.append(previous)
            elif roll < 0.8:
                changed.append(self.repository(previous["name"], kept_encryption))
            else:
                # Policies given as {} are removed; the rest is left as it is.
                changed.append({"name": previous["name"], "lifecycle_policy": {}, "repository_policy": {}})
        return changed

    def check(self, round_index, declared, results, cloud):
        ecr = cloud.client("ecr")
        for arguments in declared:
            found = ecr.describe_repositories(repositoryNames=[arguments["name"]])["repositories"][0]
            if "image_tag_mutability" in arguments:
                assert found["imageTagMutability"] == arguments["image_tag_mutability"], (arguments, found)
            if "scan_on_push" in arguments:
                assert found["imageScanningConfiguration"]["scanOnPush"] == arguments["scan_on_push"], found
            if arguments.get("lifecycle_policy"):
                text_found = ecr.get_lifecycle_policy(repositoryName=arguments["name"])["lifecyclePolicyText"]
                assert json.loads(text_found) == arguments["lifecycle_policy"], text_found
            elif arguments.get("lifecycle_policy") == {}:  # {} removes it
                with pytest.raises(ecr.exceptions.LifecyclePolicyNotFoundException):
                    ecr.get_lifecycle_policy(repositoryName=arguments["name"])
