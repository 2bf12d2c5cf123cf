"""Generated valid inputs of codedeploy_deployment_group_set: sets of ECS blue/green deployment groups of one
application, each group drawn as the codedeploy_deployment_group generator draws one (same limits), each on its own
ECS service (a service belongs to one deployment group only). Round 0 declares one to three groups under a prefix or
with prefix '' (the whole application), round 1 keeps some, redraws some, leaves some out (deleted with purge) and
adds some, or empties the scope with state=absent and delete_application."""

from __future__ import annotations

from tests.integration.generated.codedeploy_deployment_group import NAME_CHARS, CodedeployDeploymentGroup, groups_of
from tests.integration.generated.set_members import new_member_name, next_set
from tests.integration.test_module_codedeploy import add_service

# Services on the CODE_DEPLOY controller: round 0's three groups and round 1's two new ones at most (one service
# per group name for the whole run).
EXTRA_SERVICES = ["svc-3", "svc-4", "svc-5"]
# The single module's options that are the task's in the set module.
TASK_OPTIONS = ("application_name", "purge_tags")


class CodedeployDeploymentGroupSet(CodedeployDeploymentGroup):
    module = "securecloud.monitor.codedeploy_deployment_group_set"
    predicted = ("application_deleted",)

    def prepare(self, cloud):
        context = super().prepare(cloud)
        for service in EXTRA_SERVICES:
            add_service(cloud, context["cluster"], service)
        run = context["run"]
        return context | {
            "application": f"{run}-set-app",
            "prefix": f"{run}-s-",
            "services": ["inventory-app", "billing-app", *EXTRA_SERVICES],
            "service_of": {},
        }

    def member(self, name):
        """One group (a new name and a free service when ``name`` is None), without the task's options."""
        context = self.context
        if name is None:
            name = new_member_name(self.rng, context, 100, NAME_CHARS)
            used = set(context["service_of"].values())
            context["service_of"][name] = next(s for s in context["services"] if s not in used)
        drawn = self.group(context["application"], name, context["service_of"][name])
        return {key: value for key, value in drawn.items() if key not in TASK_OPTIONS}

    def task(self, groups, **extra):
        rng, context = self.rng, self.context
        task = {
            "application_name": context["application"],
            "prefix": rng.choice([context["prefix"], ""]),
            "deployment_groups": groups,
        }
        if rng.random() < 0.3:
            task["purge"] = rng.random() < 0.5
        if rng.random() < 0.5:
            task["purge_tags"] = rng.random() < 0.5
        return task | extra

    def arguments(self, round_index):
        if round_index == 0:
            return [self.task([self.member(None) for _count in range(self.rng.randint(1, 3))])]
        (previous,) = self.previous
        if self.rng.random() < 0.2:
            return [self.task([], state="absent", delete_application=True)]
        # Services are never reused within a run: a group left out stays when the task does not purge.
        groups = next_set(self.rng, previous["deployment_groups"], self.member)
        return [self.task(groups or [self.member(None)])]

    def check(self, round_index, declared, results, cloud):
        (task,) = declared
        held = set(groups_of(cloud.client("codedeploy"), task["application_name"]))
        names = {group["name"] for group in task["deployment_groups"]}
        if task.get("state") == "absent":
            assert held == set(), held
            return
        assert names <= held, (names, held)
        if task.get("purge", True):
            assert {name for name in held if name.startswith(task["prefix"])} == names, (names, held)
        (_check, real, _again) = results[0]
        assert sorted(
            g["deployment_group_name"] for g in real["deployment_groups"] if "compute_platform" in g
        ) == sorted(names)
