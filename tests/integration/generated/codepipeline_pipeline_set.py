"""codepipeline_pipeline_set: sets of pipelines (each drawn as codepipeline_pipeline's generator draws one: sources,
builds, approvals, S3 deploys, V1 and V2 options, tags) under a random prefix; round 1 keeps some, declares some
anew, leaves some out (purged, or kept with purge false), adds new ones, and empties a second scope (state absent).

Limits used: those of tests/integration/generated/codepipeline_pipeline.py (AWS CodePipeline API reference,
PipelineDeclaration and its shapes, the action structure reference and the quotas); pipeline names up to 100
characters, so a name under the prefix is at most 100 long; ListPipelines is paginated (up to 1000 a page)."""

from __future__ import annotations

from tests.integration.generated.codepipeline_pipeline import NAME_CHARS, CodepipelinePipeline
from tests.integration.generated.set_members import new_member_name, next_set
from tests.integration.generated.values import maybe


class CodepipelinePipelineSets(CodepipelinePipeline):
    module = "securecloud.monitor.codepipeline_pipeline_set"

    def member(self, scope, name=None):
        """One pipeline of the set (a fresh name under the scope's prefix unless ``name``); purge_tags is the task's."""
        found = self.pipeline(name or new_member_name(self.rng, scope, 100, NAME_CHARS))
        found.pop("purge_tags", None)
        return found

    def scope(self, letter, count):
        scope = {"prefix": f"{self.context['run']}-{letter}-"}
        self.context[letter] = scope
        return {"prefix": scope["prefix"], "pipelines": [self.member(scope) for _index in range(count)]}

    def arguments(self, round_index):
        if round_index == 0:
            return [self.scope("a", self.rng.choice([0, 1, 2, 3])), self.scope("b", self.rng.randint(1, 2))]
        first, second = self.previous
        kept = next_set(self.rng, first["pipelines"], lambda name: self.member(self.context["a"], name))
        changed = dict(first, pipelines=kept)
        maybe(self.rng, changed, "purge", self.rng.random() < 0.5)
        maybe(self.rng, changed, "purge_tags", self.rng.random() < 0.5)
        return [changed, {"prefix": second["prefix"], "state": "absent"}]

    def check(self, round_index, declared, results, cloud):
        client = cloud.client("codepipeline")
        listed = {p["name"] for page in client.get_paginator("list_pipelines").paginate() for p in page["pipelines"]}
        earlier = {p["name"] for task in self.previous for p in task.get("pipelines") or []} if round_index else set()
        for task in declared:
            found = {name for name in listed if name.startswith(task["prefix"])}
            if task.get("state") == "absent":
                assert found == set(), (task["prefix"], sorted(found)[:5])
                continue
            wanted = {item["name"] for item in task["pipelines"]}
            if task.get("purge", True):
                assert found == wanted, (task["prefix"], sorted(found ^ wanted)[:5])
            else:
                assert wanted <= found <= wanted | earlier, (task["prefix"], sorted(found ^ wanted)[:5])
            for item in task["pipelines"]:
                pipeline = client.get_pipeline(name=item["name"])["pipeline"]
                assert [s["name"] for s in pipeline["stages"]] == [s["name"] for s in item["stages"]], pipeline
