"""eventbridge_rule: rules on the default bus and on a custom one (name up to its longest), with event patterns of
every content filter (prefix, anything-but, numeric, exists; as a dict or a JSON string), schedules (rate and cron)
on the default bus, descriptions up to 512 characters, either state, and up to 5 targets (SNS topics, SQS queues)
with a constant input, an input path or an input transformer; round 1 changes one rule's pattern, description and
targets (some kept, some changed, some purged, one new), keeps one rule, and deletes one (state absent).

Limits used (EventBridge API reference, PutRule, PutTargets, Target, InputTransformer; EventBridge quotas): rule
name and target ID 1-64 characters of [.-_A-Za-z0-9]; Description at most 512; EventPattern at most 4096;
ScheduleExpression rate(N unit) or cron(6 fields), only on the default bus; 5 targets per rule; Input at most 8192;
InputPath at most 256; InputPathsMap at most 100 entries, keys 1-256 of [A-Za-z0-9_-], values JSON paths at most 256;
InputTemplate 1-8192; CreateEventBus name 1-256 characters of [.-_A-Za-z0-9] (the model's pattern also takes '/',
which only partner event buses hold: "custom event bus names can't contain the / character")."""

from __future__ import annotations

import json

from tests.integration.generated.base import Generator
from tests.integration.generated.values import NAME_CHARS, maybe, text

RULE_CHARS = NAME_CHARS + "."
RATE_UNITS = ["minute", "hour", "day"]
WEEKDAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]


def schedule(rng):
    """rate(value unit), the unit singular for 1 and plural above; or cron(minutes hours day-of-month month
    day-of-week year) with one of the two day fields '?' (EventBridge schedule expressions reference)."""
    if rng.random() < 0.5:
        value = rng.choice([1, rng.randint(2, 1000)])
        unit = rng.choice(RATE_UNITS)
        return f"rate({value} {unit}{'s' if value > 1 else ''})"
    minutes = rng.choice([str(rng.randint(0, 59)), f"0/{rng.randint(1, 30)}", "*"])
    hours = rng.choice([str(rng.randint(0, 23)), f"{rng.randint(0, 11)}-{rng.randint(12, 23)}", "*"])
    if rng.random() < 0.5:
        days = f"{rng.choice([str(rng.randint(1, 28)), 'L', f'{rng.randint(1, 28)}W'])} * ?"
    else:
        days = f"? * {rng.choice([rng.choice(WEEKDAYS), 'MON-FRI', f'{rng.randint(1, 7)}#{rng.randint(1, 5)}'])}"
    return f"cron({minutes} {hours} {days} {rng.choice(['*', '2027-2030'])})"


def named(rng, low, high, chars=RULE_CHARS):
    return "".join(rng.choice(chars) for _count in range(rng.randint(low, high)))


def event_pattern(rng):
    detail = {}
    maybe(rng, detail, "severity", [{"numeric": [">", rng.randint(0, 5), "<=", rng.randint(6, 10)]}])
    maybe(rng, detail, "name", [{"prefix": text(rng, 1, 20, NAME_CHARS)}])
    maybe(rng, detail, "status", [{"anything-but": [text(rng, 1, 10, NAME_CHARS), "ok"]}])
    maybe(rng, detail, "flag", [{"exists": rng.random() < 0.5}])
    maybe(rng, detail, "kind", [text(rng, 1, 30, NAME_CHARS) for _count in range(rng.randint(1, 20))])
    pattern = {"source": [f"gen.{text(rng, 1, 30, NAME_CHARS)}"]}
    maybe(rng, pattern, "detail-type", [text(rng, 1, 40)])
    if detail:
        pattern["detail"] = detail
    return pattern if rng.random() < 0.6 else json.dumps(pattern)


def target(rng, target_id, arns):
    item = {"id": target_id, "arn": rng.choice(arns)}
    roll = rng.random()
    if roll < 0.25:
        constant = {"message": text(rng, 0, 200), "level": rng.randint(0, 9)}
        item["input"] = constant if rng.random() < 0.5 else json.dumps(constant)
    elif roll < 0.45:
        item["input_path"] = rng.choice(["$.detail", "$.detail.name", "$"])
    elif roll < 0.8:
        keys = [f"k{index}" for index in range(100 if rng.random() < 0.15 else rng.randint(0, 4))]
        template = rng.choice(
            [
                "{" + ", ".join(f'"{key}": <{key}>' for key in keys) + "}",
                '"' + " ".join(f"<{key}>" for key in keys) + ' is open"',
                " ".join(f"<{key}>" for key in keys) + " is open",
            ]
        )
        paths = {key: rng.choice(["$.detail.name", "$.source", "$.detail-type", "$.time"]) for key in keys}
        item["input_transformer"] = {"input_paths_map": paths, "input_template": template}
    return item


class Rules(Generator):
    module = "securecloud.monitor.eventbridge_rule"

    def prepare(self, cloud):
        topics = [cloud.client("sns").create_topic(Name=f"gen-events-{index}")["TopicArn"] for index in range(2)]
        sqs = cloud.client("sqs")
        queue_url = sqs.create_queue(QueueName="gen-events")["QueueUrl"]
        queue = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        bus = "gen-" + "".join(self.rng.choice(RULE_CHARS) for _count in range(self.rng.choice([5, 252])))
        cloud.client("events").create_event_bus(Name=bus)
        return {"arns": [*topics, queue], "bus": bus}

    def targets(self, count):
        return [target(self.rng, f"t{index}-{named(self.rng, 0, 40)}", self.context["arns"]) for index in range(count)]

    def rule(self, index):
        rule = {"name": f"g{index}-{named(self.rng, 0, 61)}"}
        on_custom_bus = self.rng.random() < 0.3
        if on_custom_bus:
            rule["event_bus_name"] = self.context["bus"]
            rule["event_pattern"] = event_pattern(self.rng)
        elif self.rng.random() < 0.5:
            rule["schedule_expression"] = schedule(self.rng)
            maybe(self.rng, rule, "event_pattern", event_pattern(self.rng), chance=0.3)
        else:
            rule["event_pattern"] = event_pattern(self.rng)
        maybe(self.rng, rule, "description", text(self.rng, 0, 512) if self.rng.random() < 0.8 else "x" * 512)
        maybe(self.rng, rule, "rule_state", self.rng.choice(["ENABLED", "DISABLED"]))
        maybe(self.rng, rule, "targets", self.targets(self.rng.randint(0, 5)))
        return rule

    def arguments(self, round_index):
        if round_index == 0:
            return [self.rule(index) for index in range(3)]
        first, second, third = self.previous
        changed = dict(first, description=text(self.rng, 0, 100))
        if "event_pattern" in first:
            changed["event_pattern"] = event_pattern(self.rng)
        arns = self.context["arns"]
        kept = [item for item in first.get("targets", []) if self.rng.random() < 0.5][:4]
        kept = [target(self.rng, item["id"], arns) if self.rng.random() < 0.5 else item for item in kept]
        changed["targets"] = [*kept, target(self.rng, "new-target", arns)]
        gone = {"name": third["name"], "state": "absent"}
        if "event_bus_name" in third:
            gone["event_bus_name"] = third["event_bus_name"]
        return [changed, second, gone]

    def check(self, round_index, declared, results, cloud):
        events = cloud.client("events")
        for rule in declared:
            bus = rule.get("event_bus_name", "default")
            found = events.list_rules(NamePrefix=rule["name"], EventBusName=bus)["Rules"]
            same = [found for found in found if found["Name"] == rule["name"]]
            assert len(same) == (0 if rule.get("state") == "absent" else 1), rule["name"]
            if same:
                assert same[0]["State"] == rule.get("rule_state", "ENABLED"), rule["name"]
                held = events.list_targets_by_rule(Rule=rule["name"], EventBusName=bus)["Targets"]
                assert sorted(t["Id"] for t in held) == sorted(t["id"] for t in rule.get("targets", [])), rule["name"]
