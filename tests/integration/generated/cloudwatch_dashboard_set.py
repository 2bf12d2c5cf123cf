"""cloudwatch_dashboard_set: sets of dashboards (widgets or raw bodies drawn as for cloudwatch_dashboard) under a
random prefix, now and then more than a ListDashboards page; round 1 keeps some, changes some, leaves some out
(purged), adds new ones, and empties a second scope (state absent).

Limits used: those of tests/integration/generated/cloudwatch_dashboard.py (CloudWatch API reference, PutDashboard
and the dashboard body structure); ListDashboards returns up to 1000 dashboards a page and DeleteDashboards takes
any number of names (CloudWatch API reference)."""

from __future__ import annotations

from tests.integration.generated.base import Generator
from tests.integration.generated.cloudwatch_dashboard import DASHBOARD_CHARS, content, dashboard_name
from tests.integration.generated.set_members import next_set
from tests.integration.generated.values import maybe, text


class DashboardSets(Generator):
    module = "securecloud.monitor.cloudwatch_dashboard_set"

    def prepare(self, cloud):
        cloud.client("cloudwatch").put_dashboard(DashboardName="gen-outside", DashboardBody='{"widgets": []}')
        return {"region": cloud.client("sts").meta.region_name}

    def dashboard(self, prefix, index):
        return {"name": dashboard_name(self.rng, prefix, f"-{index}")} | content(self.rng, self.context["region"])

    def scope(self, count):
        prefix = "gen-set-" + text(self.rng, 1, 20, DASHBOARD_CHARS) + "-"
        return {"prefix": prefix, "dashboards": [self.dashboard(prefix, index) for index in range(count)]}

    def arguments(self, round_index):
        if round_index == 0:
            return [self.scope(self.rng.choice([0, 1, 3, 5])), self.scope(self.rng.randint(1, 3))]
        first, second = self.previous
        count = iter(range(len(first["dashboards"]), 1000))

        def make(name):
            if name is None:
                return self.dashboard(first["prefix"], next(count))
            return {"name": name} | content(self.rng, self.context["region"])

        kept = next_set(self.rng, first["dashboards"], make)
        changed = dict(first, dashboards=kept)
        maybe(self.rng, changed, "purge", True)
        return [changed, {"prefix": second["prefix"], "state": "absent"}]

    def check(self, round_index, declared, results, cloud):
        paginator = cloud.client("cloudwatch").get_paginator("list_dashboards")
        for task in declared:
            pages = paginator.paginate(DashboardNamePrefix=task["prefix"])
            found = {entry["DashboardName"] for page in pages for entry in page["DashboardEntries"]}
            wanted = set() if task.get("state") == "absent" else {item["name"] for item in task["dashboards"]}
            assert found == wanted, (task["prefix"], sorted(found ^ wanted)[:5])
        assert cloud.client("cloudwatch").get_dashboard(DashboardName="gen-outside")["DashboardName"] == "gen-outside"
