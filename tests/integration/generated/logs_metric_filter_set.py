"""logs_metric_filter_set: sets of filters (drawn as for logs_metric_filter) under a random prefix of two prepared log
groups, now and then more than a DescribeMetricFilters page (50) and up to the quota of 100 filters per log group;
round 1 keeps some, replaces some, leaves some out (purged), adds new ones, and empties the second scope
(state absent).

Limits used (CloudWatch Logs API reference and quotas): filterName 1-512 characters without ':' or '*' (the
prefix counts in it); DescribeMetricFilters returns at most 50 filters a page; 100 metric filters per log group; the
filter limits of tests/integration/generated/logs_metric_filter.py."""

from __future__ import annotations

from tests.integration.generated.base import Generator
from tests.integration.generated.logs_metric_filter import FILTER_NAME_CHARS, log_groups, longest_or, metric_filter
from tests.integration.generated.set_members import next_set
from tests.integration.generated.values import maybe, text

QUOTA = 100  # metric filters per log group


class MetricFilterSets(Generator):
    module = "securecloud.monitor.logs_metric_filter_set"

    def prepare(self, cloud):
        groups = log_groups(cloud, "metric-filter-set")
        # A filter outside every scope, which no task may touch.
        cloud.client("logs").put_metric_filter(
            logGroupName=groups[0],
            filterName="outside",
            filterPattern="",
            metricTransformations=[{"metricName": "m", "metricNamespace": "n", "metricValue": "1"}],
        )
        return {"groups": groups}

    def new_filter(self, prefix, index):
        # The prefix and the index keep names unique; the rest fills up to 512 now and then.
        head = f"{prefix}{index}-"
        return metric_filter(self.rng, head + longest_or(self.rng, 1, 512 - len(head), FILTER_NAME_CHARS))

    def scope(self, group, count):
        prefix = text(self.rng, 1, 40, FILTER_NAME_CHARS.replace(" ", "")) + "/"
        task = {"log_group_name": group, "prefix": prefix}
        task["metric_filters"] = [self.new_filter(prefix, index) for index in range(count)]
        return task

    def arguments(self, round_index):
        first_group, second_group = self.context["groups"]
        if round_index == 0:
            count = self.rng.choice([0, 1, 3, 5, 51, QUOTA - 1])  # QUOTA - 1: the filter outside the scope
            return [self.scope(first_group, count), self.scope(second_group, self.rng.randint(1, 4))]
        first, second = self.previous
        count = iter(range(len(first["metric_filters"]), QUOTA + 1))
        kept = next_set(
            self.rng,
            first["metric_filters"],
            lambda name: metric_filter(self.rng, name) if name else self.new_filter(first["prefix"], next(count)),
        )
        changed = dict(first, metric_filters=kept)
        maybe(self.rng, changed, "purge", True)
        return [changed, {"log_group_name": second["log_group_name"], "prefix": second["prefix"], "state": "absent"}]

    def check(self, round_index, declared, results, cloud):
        paginator = cloud.client("logs").get_paginator("describe_metric_filters")
        for task in declared:
            found = {
                found["filterName"]
                for page in paginator.paginate(logGroupName=task["log_group_name"])
                for found in page["metricFilters"]
            }
            in_scope = {name for name in found if name.startswith(task["prefix"])}
            wanted = set() if task.get("state") == "absent" else {item["name"] for item in task["metric_filters"]}
            assert in_scope == wanted, (task["log_group_name"], sorted(in_scope ^ wanted)[:5])
        assert "outside" in {
            found["filterName"]
            for page in paginator.paginate(logGroupName=declared[0]["log_group_name"])
            for found in page["metricFilters"]
        }
