"""cloudwatch_dashboard: dashboards of every widget type, given as structured widgets (some placed, some laid out)
or as a raw body (a JSON string or a dict, with the body's top-level settings), under a random prefix with keep;
round 1 changes one dashboard's widgets, deletes one undeclared dashboard of the scope (purge) and makes a new one.

Limits used (CloudWatch API reference, PutDashboard; "Dashboard body structure and syntax"; CloudWatch quotas):
DashboardName 1-255 characters of A-Za-z0-9, '-', '_'; up to 500 widgets a dashboard; widget x 0-23, width 1-24,
height 1-1000, y 0 or more; metric widgets take metrics arrays (namespace, name, dimension name/value pairs,
an options object) or a Metrics Insights expression, period 60 or a multiple, view timeSeries, singleValue, bar,
pie or gauge; text widgets markdown (background solid or transparent); log widgets a Logs Insights query; alarm
widgets up to 100 alarm ARNs; explorer widgets metrics of a resource type; custom widgets a Lambda function ARN;
the body's start (an ISO 8601 duration such as -PT3H) and periodOverride (auto or inherit)."""

from __future__ import annotations

import json

from tests.integration.generated.base import Generator
from tests.integration.generated.values import NAME_CHARS, maybe, text

DASHBOARD_CHARS = NAME_CHARS  # letters, digits, '-', '_'
STATS = ["Average", "Sum", "Minimum", "Maximum", "SampleCount", "p99", "p50"]
ACCOUNT = "123456789012"


def dashboard_name(rng, prefix, suffix):
    """A name under the prefix: mostly short, now and then of the longest length (255)."""
    length = 255 - len(prefix) - len(suffix) if rng.random() < 0.2 else rng.randint(0, 30)
    return prefix + "".join(rng.choice(DASHBOARD_CHARS) for _count in range(length)) + suffix


def metric_properties(rng):
    if rng.random() < 0.2:
        properties = {"metrics": [[{"expression": 'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId)'}]]}
    else:
        properties = {"metrics": [metric_line(rng) for _count in range(rng.randint(1, 5))]}
    maybe(rng, properties, "title", text(rng, 1, 60))
    maybe(rng, properties, "period", rng.choice([60, 300, 3600, 86_400]))
    maybe(rng, properties, "stat", rng.choice(STATS))
    maybe(rng, properties, "view", rng.choice(["timeSeries", "singleValue", "bar", "pie", "gauge"]))
    if properties.get("view", "timeSeries") == "timeSeries":
        maybe(rng, properties, "stacked", rng.random() < 0.5)
    if properties.get("view") == "gauge":
        properties["yAxis"] = {"left": {"min": 0, "max": 100}}
    maybe(rng, properties, "region", rng.choice(["us-east-1", "eu-west-1"]))
    return properties


def metric_line(rng):
    line = [
        rng.choice(["AWS/ECS", "AWS/ApplicationELB", f"Custom/{text(rng, 1, 20, NAME_CHARS)}"]),
        text(rng, 1, 40, NAME_CHARS),
    ]
    for _count in range(rng.randint(0, 3)):
        line += [text(rng, 1, 20, NAME_CHARS), text(rng, 1, 40, NAME_CHARS)]
    if rng.random() < 0.4:
        line.append({"stat": rng.choice(STATS), "label": text(rng, 1, 30)})
    return line


def widget_properties(rng, kind, region):
    """Properties of a widget of ``kind``, with what the dashboard body structure requires of it."""
    if kind == "metric":
        return metric_properties(rng)
    if kind == "text":
        properties = {"markdown": "# " + text(rng, 1, 200)}
        maybe(rng, properties, "background", rng.choice(["solid", "transparent"]))
        return properties
    if kind == "log":
        query = f"SOURCE '/gen/{text(rng, 1, 30, NAME_CHARS)}' | fields @timestamp, @message | limit 20"
        properties = {"query": query, "title": text(rng, 1, 40)}
        maybe(rng, properties, "view", rng.choice(["table", "timeSeries", "bar", "pie"]))
        return properties
    if kind == "alarm":
        count = 100 if rng.random() < 0.15 else rng.randint(1, 4)
        arns = [f"arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:gen-0-{text(rng, 1, 30, NAME_CHARS)}"]
        arns += [f"arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:gen-{index}" for index in range(1, count)]
        return {"alarms": arns, "title": text(rng, 1, 40)}
    if kind == "explorer":
        return {
            "metrics": [{"metricName": "CPUUtilization", "resourceType": "AWS::EC2::Instance", "stat": "Average"}],
            "labels": [{"key": "env", "value": text(rng, 1, 20, NAME_CHARS)}],
            "aggregateBy": {"key": "env", "func": "AVG"},
        }
    return {"endpoint": f"arn:aws:lambda:{region}:{ACCOUNT}:function:gen-{text(rng, 1, 40, NAME_CHARS)}"}


def widget(rng, region, placed):
    kind = rng.choice(["metric", "text", "log", "alarm", "explorer", "custom"])
    item = {"type": kind, "properties": widget_properties(rng, kind, region)}
    maybe(rng, item, "width", rng.choice([1, 6, 12, 24]))
    maybe(rng, item, "height", rng.choice([1, 6, 24, 25, 1000]))
    if placed:
        width = item.get("width", 6)
        item["x"], item["y"] = rng.randint(0, 24 - width), rng.randint(0, 200)
    return item


def widgets(rng, region):
    count = 500 if rng.random() < 0.1 else rng.randint(1, 6)
    placed = rng.random() < 0.3
    return [widget(rng, region, placed and rng.random() < 0.7) for _count in range(count)]


def content(rng, region):
    """``widgets``, or a raw ``body`` (a JSON string or a dict) with the body's own top-level settings."""
    if rng.random() < 0.6:
        return {"widgets": widgets(rng, region)}
    body = {"widgets": [widget(rng, region, True) for _count in range(rng.randint(0, 4))]}
    maybe(rng, body, "start", rng.choice(["-PT3H", "-P7D", "-PT15M"]))
    maybe(rng, body, "periodOverride", rng.choice(["auto", "inherit"]))
    return {"body": json.dumps(body) if rng.random() < 0.5 else body}


class Dashboards(Generator):
    module = "securecloud.monitor.cloudwatch_dashboard"

    def prepare(self, cloud):
        return {"region": cloud.client("sts").meta.region_name}

    def arguments(self, round_index):
        region = self.context["region"]
        if round_index == 0:
            prefix = "gen-dash-" + text(self.rng, 1, 20, DASHBOARD_CHARS) + "-"
            names = [dashboard_name(self.rng, prefix, f"-{index}") for index in range(2)]
            return [
                {"name": name, "prefix": prefix, "keep": [other for other in names if other != name]}
                | content(self.rng, region)
                for name in names
            ]
        first = self.previous[0]  # the second dashboard is left out: purged
        new_name = dashboard_name(self.rng, first["prefix"], "-2")
        changed = {"name": first["name"], "prefix": first["prefix"], "keep": [new_name]} | content(self.rng, region)
        maybe(self.rng, changed, "purge", True)
        return [changed, {"name": new_name} | content(self.rng, region)]

    def check(self, round_index, declared, results, cloud):
        prefix = declared[0]["prefix"]
        pages = cloud.client("cloudwatch").get_paginator("list_dashboards").paginate(DashboardNamePrefix=prefix)
        found = {entry["DashboardName"] for page in pages for entry in page["DashboardEntries"]}
        assert found == {task["name"] for task in declared}, sorted(found)
        body = json.loads(cloud.client("cloudwatch").get_dashboard(DashboardName=declared[0]["name"])["DashboardBody"])
        given = declared[0].get("widgets")
        if given is None:
            raw = declared[0]["body"]
            given = (json.loads(raw) if isinstance(raw, str) else raw)["widgets"]
        assert [widget["type"] for widget in body["widgets"]] == [widget["type"] for widget in given]
