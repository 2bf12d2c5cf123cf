"""codebuild_project_set: sets of projects (each drawn as for codebuild_project) under a random prefix, now and then
more than 100 of them (a ListProjects page and a BatchGetProjects call hold 100 names); round 1 keeps some, declares
some anew under their names, leaves some out (deleted unless purge is false), adds new ones, and empties a second
scope (state absent). A project outside both scopes is never touched. With purge_tags false, a project declared anew
keeps its tags, so its new tags are left out where the two together would pass CodeBuild's 50.

Limits used: those of tests/integration/generated/codebuild_project.py (CodeBuild API reference, CreateProject and
its shapes); ListProjects returns up to 100 names a page and BatchGetProjects takes 1 to 100 names (CodeBuild API
reference)."""

from __future__ import annotations

from tests.integration.generated.codebuild_project import NAME_CHARS, CodebuildProject
from tests.integration.generated.set_members import next_set
from tests.integration.generated.values import maybe, text

OUTSIDE = "gen-cbs-outside"


class CodebuildProjectSets(CodebuildProject):
    module = "securecloud.monitor.codebuild_project_set"

    def prepare(self, cloud):
        context = super().prepare(cloud)
        cloud.client("codebuild").create_project(
            name=OUTSIDE,
            source={"type": "NO_SOURCE", "buildspec": "version: 0.2\nphases: {}\n"},
            artifacts={"type": "NO_ARTIFACTS"},
            environment={"type": "LINUX_CONTAINER", "image": "x", "computeType": "BUILD_GENERAL1_SMALL"},
            serviceRole=context["roles"][1],
        )
        return context

    def item(self, name):
        project = self.project(name)
        project.pop("purge_tags", None)  # an option of the task, not of a project
        return project

    def member_name(self, prefix, index):
        name = f"{prefix}{index}-"
        return name + text(self.rng, 1, self.rng.choice([10, 150 - len(name)]), NAME_CHARS)

    def scope(self, letter, count):
        # Different letters after the run: neither scope is a prefix of the other, nor of OUTSIDE.
        prefix = f"gen-cbs-{self.context['run']}-{letter}{text(self.rng, 1, 20, NAME_CHARS)}-"
        task = {"prefix": prefix, "projects": [self.item(self.member_name(prefix, index)) for index in range(count)]}
        maybe(self.rng, task, "purge_tags", self.rng.random() < 0.5)
        return task

    def arguments(self, round_index):
        if round_index == 0:
            count = 101 if self.rng.random() < 0.2 else self.rng.choice([0, 1, 3, 5])
            return [self.scope("a", count), self.scope("b", self.rng.randint(1, 3))]
        first, second = self.previous
        counter = iter(range(len(first["projects"]), 1000))

        def make(name):
            return self.item(name if name is not None else self.member_name(first["prefix"], next(counter)))

        changed = dict(first, projects=next_set(self.rng, first["projects"], make))
        if first.get("purge_tags") is False:
            # Tags kept and tags declared together stay within CodeBuild's 50 (more fails the task before any write).
            held = dict((item["name"], item.get("tags") or {}) for item in first["projects"])
            for item in changed["projects"]:
                if len(set(held.get(item["name"], {})) | set(item.get("tags") or {})) > 50:
                    item.pop("tags")
        maybe(self.rng, changed, "purge", self.rng.random() < 0.5)
        return [changed, {"prefix": second["prefix"], "state": "absent"}]

    def check(self, round_index, declared, results, cloud):
        client = cloud.client("codebuild")
        pages = client.get_paginator("list_projects").paginate()
        listed = {name for page in pages for name in page.get("projects", [])}
        assert OUTSIDE in listed
        before = {item["name"] for task in self.previous for item in task.get("projects", [])}
        for task in declared:
            found = {name for name in listed if name.startswith(task["prefix"])}
            wanted = set() if task.get("state") == "absent" else {item["name"] for item in task["projects"]}
            if task.get("purge") is False:
                kept = {name for name in before if name.startswith(task["prefix"])}
                assert wanted <= found <= wanted | kept, (task["prefix"], sorted(found ^ wanted)[:5])
            else:
                assert found == wanted, (task["prefix"], sorted(found ^ wanted)[:5])
            items = task.get("projects", []) if task.get("state") != "absent" else []
            for start in range(0, len(items), 100):
                chunk = items[start : start + 100]
                projects = {
                    p["name"]: p for p in client.batch_get_projects(names=[i["name"] for i in chunk])["projects"]
                }
                for item in chunk:
                    project = projects[item["name"]]
                    assert project["environment"]["computeType"] == item["environment"]["compute_type"], project
                    assert project["timeoutInMinutes"] == item.get("timeout_in_minutes", 60), project
                    assert project.get("description", "") == item.get("description", ""), project
