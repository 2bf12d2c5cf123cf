"""logs_metric_filter: filters of random names, patterns (none, terms, JSON, space-delimited) and metrics on two
prepared log groups; round 1 replaces one filter's pattern and metric, keeps one and deletes one (state absent).

Limits used (CloudWatch Logs API reference, PutMetricFilter and MetricTransformation; CloudWatch Logs quotas):
filterName 1-512 characters without ':' or '*'; filterPattern 0-1024 characters; metricName and metricNamespace
1-255 characters without ':', '*' or '$'; metricValue 1-100 characters (a number or a field of the pattern);
defaultValue any double, not with dimensions; up to 3 dimensions, keys and values at most 255 characters, each
value a field of a JSON or space-delimited pattern; unit one of the StandardUnit values."""

from __future__ import annotations

from tests.integration.generated.base import Generator
from tests.integration.generated.values import NAME_CHARS, maybe, text

# No '{': the playbook's task arguments are Jinja templates, where '{#', '{{' and '{%' open a tag (not an AWS rule).
FILTER_NAME_CHARS = NAME_CHARS + " ./#$@!%+=,()[]}"
METRIC_CHARS = NAME_CHARS + " ./#@%+=,"
UNITS = ["Seconds", "Microseconds", "Bytes", "Kilobytes", "Gigabits/Second", "Percent", "Count", "Count/Second", "None"]


def longest_or(rng, low, high, chars):
    """Mostly low to a third of high characters; now and then exactly high (the documented limit)."""
    if rng.random() < 0.15:
        return "".join(rng.choice(chars.replace(" ", "")) for _count in range(high))
    return text(rng, low, max(low, high // 3), chars)


def json_pattern(rng, fields):
    terms = [f'$.{field} = "{text(rng, 1, 12, NAME_CHARS)}"' for field in fields]
    return "{ " + rng.choice([" && ", " || "]).join(terms) + " }"


def filter_pattern(rng, fields):
    """A pattern of one of the documented kinds; JSON when the metric takes fields of the event."""
    if fields:
        return json_pattern(rng, fields)
    return rng.choice(
        [
            "",
            "ERROR",
            '"Exception in thread"',
            "?ERROR ?WARN ?CRITICAL",
            "[ip, user, username, timestamp, request, status_code = 5*, bytes > 1000]",
            json_pattern(rng, [f"f{index}" for index in range(rng.randint(1, 30))]),
        ]
    )


def metric_filter(rng, name):
    """A filter (name, pattern, metric) drawn from the documented rules."""
    fields = [f"d{index}" for index in range(rng.choice([0, 0, 1, 3]))]
    metric = {
        "metric_name": longest_or(rng, 1, 255, METRIC_CHARS),
        "metric_namespace": longest_or(rng, 1, 255, METRIC_CHARS),
        "metric_value": rng.choice(["1", str(rng.randint(-1000, 10**6)), f"{rng.uniform(0, 100):.3f}"]),
    }
    if fields:
        metric["dimensions"] = {longest_or(rng, 1, 255, NAME_CHARS): f"$.{field}" for field in fields}
        maybe(rng, metric, "metric_value", f"$.{rng.choice(fields)}")
    else:
        maybe(rng, metric, "default_value", rng.choice([0.0, 1.0, -1.5, round(rng.uniform(-1e6, 1e6), 2)]))
    maybe(rng, metric, "unit", rng.choice(UNITS))
    return {"name": name, "filter_pattern": filter_pattern(rng, fields), "metric_transformation": metric}


def log_groups(cloud, module):
    """Two log groups for the module's filters, one with '#' in its name (CreateLogGroup's pattern takes it)."""
    groups = [f"/gen/{module}/a", f"/gen/{module}/b#2"]
    for group in groups:
        cloud.client("logs").create_log_group(logGroupName=group)
    return groups


class MetricFilters(Generator):
    module = "securecloud.monitor.logs_metric_filter"

    def prepare(self, cloud):
        return {"groups": log_groups(cloud, "metric-filter")}

    def arguments(self, round_index):
        if round_index == 0:
            return [
                {"log_group_name": self.rng.choice(self.context["groups"])}
                | metric_filter(self.rng, f"{index}-{longest_or(self.rng, 1, 510, FILTER_NAME_CHARS)}")
                for index in range(3)
            ]
        first, second, third = self.previous
        changed = {"log_group_name": first["log_group_name"]} | metric_filter(self.rng, first["name"])
        gone = {"log_group_name": third["log_group_name"], "name": third["name"], "state": "absent"}
        return [changed, second, gone]

    def check(self, round_index, declared, results, cloud):
        logs = cloud.client("logs")
        for task in declared:
            found = logs.describe_metric_filters(logGroupName=task["log_group_name"], filterNamePrefix=task["name"])
            same = [found for found in found["metricFilters"] if found["filterName"] == task["name"]]
            if task.get("state") == "absent":
                assert same == [], task["name"]
                continue
            assert [one["filterPattern"] for one in same] == [task["filter_pattern"]], task["name"]
            metric = same[0]["metricTransformations"][0]
            assert metric["metricName"] == task["metric_transformation"]["metric_name"], task["name"]
