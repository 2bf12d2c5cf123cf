"""ecr_repository_set: sets of repositories (options drawn as for ecr_repository) under a random "<env>/" prefix,
next to a repository of another environment whose name starts alike; round 1 keeps some, declares some anew (with
the encryption they were created with, which ECR cannot change, or with their policies removed by {}), leaves some
out (purged: they hold no image, so no force is needed), adds new ones, and empties a second scope (state absent).

Limits used: those of tests/integration/generated/ecr_repository.py (ECR API reference: CreateRepository,
PutLifecyclePolicy, SetRepositoryPolicy, tags); DescribeRepositories returns up to 1000 repositories a page."""

from __future__ import annotations

from tests.integration.generated.base import Generator
from tests.integration.generated.ecr_repository import EcrRepository, repository_name
from tests.integration.generated.set_members import kept_or_remade
from tests.integration.generated.values import maybe

# A repository of another environment whose name starts with the scopes' ("gen<n>-<i>" vs "gen<n>-<i>-eu").
OUTSIDE_SUFFIX = "-eu/outside"


class EcrRepositorySets(Generator):
    module = "securecloud.monitor.ecr_repository_set"

    def prepare(self, cloud):
        context = EcrRepository.prepare(self, cloud)
        context["run"] = self.rng.randint(0, 10**6)
        for index in range(2):
            cloud.client("ecr").create_repository(repositoryName=f"gen{context['run']}-{index}{OUTSIDE_SUFFIX}")
        return context

    # The options of one repository, as ecr_repository's generator draws them (purge_tags is the task's here).
    def repository(self, name, encryption):
        item = EcrRepository.repository(self, name, encryption)
        item.pop("purge_tags", None)
        return item

    def encryption(self):
        return EcrRepository.encryption(self)

    def fresh(self, environment, taken):
        while True:
            name = repository_name(self.rng, environment)
            if name not in taken:
                taken.add(name)
                return self.repository(name, self.encryption())

    def scope(self, index, count):
        environment = f"gen{self.context['run']}-{index}"
        taken = set()
        task = {"prefix": f"{environment}/", "repositories": [self.fresh(environment, taken) for _n in range(count)]}
        maybe(self.rng, task, "purge_tags", self.rng.random() < 0.5)
        return task

    def remade(self, previous):
        kept_encryption = {key: previous[key] for key in ("encryption_type", "kms_key") if key in previous}
        if self.rng.random() < 0.75:
            return self.repository(previous["name"], kept_encryption)
        # Policies given as {} are removed; the rest is left as it is.
        return {"name": previous["name"], "lifecycle_policy": {}, "repository_policy": {}}

    def arguments(self, round_index):
        if round_index == 0:
            return [self.scope(0, self.rng.choice([0, 1, 2, 4])), self.scope(1, self.rng.randint(1, 2))]
        first, second = self.previous
        repositories = kept_or_remade(self.rng, first["repositories"], self.remade)
        taken = {item["name"] for item in first["repositories"]}
        environment = first["prefix"].rstrip("/")
        repositories += [self.fresh(environment, taken) for _n in range(self.rng.randint(0, 2))]
        changed = dict(first, repositories=repositories)
        maybe(self.rng, changed, "purge", True)
        return [changed, {"prefix": second["prefix"], "state": "absent"}]

    def check(self, round_index, declared, results, cloud):
        paginator = cloud.client("ecr").get_paginator("describe_repositories")
        found = {r["repositoryName"] for page in paginator.paginate() for r in page["repositories"]}
        for index, task in enumerate(declared):
            in_scope = {name for name in found if name.startswith(task["prefix"])}
            wanted = set() if task.get("state") == "absent" else {item["name"] for item in task["repositories"]}
            assert in_scope == wanted, (task["prefix"], sorted(in_scope ^ wanted)[:5])
            assert f"gen{self.context['run']}-{index}{OUTSIDE_SUFFIX}" in found
            if task.get("state") != "absent":
                EcrRepository.check(self, round_index, task["repositories"], results, cloud)
