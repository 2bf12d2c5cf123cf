"""Generated valid inputs (issue 20): cloudwatch_alarm_set and xray_sampling_rule driven with sets drawn at random
(seeded) from the options' documented rules and AWS's limits, not from the modules' code, through check mode and a
real run on a local cloud of this file's own, then a change of the same sets (some kept, some changed, some left out,
some new). No run crashes, check mode predicts exactly what the real run reports, and a run again changes nothing.

Limits used (AWS API references): PutMetricAlarm (AlarmName 1-255, Period 10, 20, 30 or a multiple of 60 with
Period x EvaluationPeriods at most one day, DatapointsToAlarm at most EvaluationPeriods, up to 30 dimensions of
names 1-255 and values 1-1024, the StandardUnit enum, ExtendedStatistic p0.0-p100); SamplingRule (RuleName 1-32
letters, digits, _ or -, Priority 1-9999 and unique, FixedRate 0-1, ReservoirSize 0 or more, Host/ServiceName/
ServiceType at most 64, HTTPMethod at most 10, URLPath at most 128, at most 5 attributes of 1-32 characters); tags
(keys 1-128 not starting with aws:, values 0-256)."""

from __future__ import annotations

import json
import random

import pytest

from tests.integration.generated.set_members import next_set
from tests.integration.generated.values import NAME_CHARS, mapping, maybe, tags, text
from tests.integration.module_runs import ok
from tools.harness.playbook import run_playbook

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/generated_inputs/sets.yml"
SEEDS = [2026]
STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"]
OPERATORS = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"]
UNITS = ["Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Percent", "Count", "Count/Second"]
MISSING_DATA = ["missing", "notBreaching", "breaching", "ignore"]
DAY = 86_400


def metric_alarm(rng, name):
    period = rng.choice([10, 20, 30, 60, 300, 900, 3600, 21_600])
    evaluation_periods = rng.randint(1, min(10, DAY // period))
    alarm = {
        "name": name,
        "namespace": rng.choice(["AWS/ECS", "AWS/ApplicationELB", f"Custom/{text(rng, 1, 30, NAME_CHARS)}"]),
        "metric_name": text(rng, 1, 60, NAME_CHARS),
        "period": period,
        "evaluation_periods": evaluation_periods,
        "comparison_operator": rng.choice(OPERATORS),
        "threshold": round(rng.uniform(-1000, 1000), rng.randint(0, 3)),
    }
    if rng.random() < 0.7:
        alarm["statistic"] = rng.choice(STATISTICS)
    else:
        alarm["extended_statistic"] = f"p{rng.choice([50, 90, 95, 99, 99.9])}"
    maybe(rng, alarm, "datapoints_to_alarm", rng.randint(1, evaluation_periods))
    maybe(rng, alarm, "dimensions", mapping(rng, 1, 3, key_high=20, value_high=40))
    maybe(rng, alarm, "unit", rng.choice(UNITS))
    maybe(rng, alarm, "description", text(rng, 0, 80))
    maybe(rng, alarm, "treat_missing_data", rng.choice(MISSING_DATA))
    maybe(rng, alarm, "actions_enabled", rng.random() < 0.5)
    maybe(rng, alarm, "tags", tags(rng))
    return alarm


def sampling_rule(rng, name, priority):
    rule = {
        "name": name,
        "priority": priority,
        "fixed_rate": round(rng.random(), rng.randint(0, 4)),
        "reservoir_size": rng.randint(0, 100),
    }
    for key, high in (("host", 64), ("service_name", 64), ("service_type", 64), ("url_path", 128)):
        maybe(rng, rule, key, rng.choice(["*", text(rng, 1, high, NAME_CHARS + "*/.")]))
    maybe(rng, rule, "http_method", rng.choice(["*", "GET", "POST", "PUT", "DELETE"]))
    maybe(rng, rule, "attributes", mapping(rng, 0, 5, key_high=32, value_high=32))
    maybe(rng, rule, "tags", tags(rng))
    return rule


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.alarm_prefix, self.rule_prefix = f"ga{seed}-", f"gr{seed}-"
        self.count = 0
        self.priorities = self.rng.sample(range(1, 10_000), 20)

    def new_name(self, prefix, high):
        self.count += 1
        return f"{prefix}{self.count}{text(self.rng, 0, high - len(prefix) - 3, NAME_CHARS)}"

    def alarm(self, name=None):
        return metric_alarm(self.rng, name or self.new_name(self.alarm_prefix, 60))

    def rule(self, name=None):
        return sampling_rule(self.rng, name or self.new_name(self.rule_prefix, 32), self.priorities.pop())


def run(cloud, work_dir, generated, alarms, rules):
    """{task name: result} of the playbook: each set in check mode, for real, then again."""
    extra = {
        "gi_alarm_prefix": generated.alarm_prefix,
        "gi_alarms": alarms,
        "gi_rule_prefix": generated.rule_prefix,
        "gi_rules": rules,
    }
    played = run_playbook(TARGET, endpoint=cloud.endpoint, work_dir=work_dir, args=["-e", json.dumps(extra)])
    ok(played)
    return dict((name, result) for name, _host, result in played.task_results())


def check_predicts_the_run_and_a_rerun_changes_nothing(results, kind, key):
    check, real, again = (results[f"{kind}{suffix}"] for suffix in (", check mode", "", " again"))
    for field in ("changed", "created", "updated", "deleted"):
        assert check.get(field) == real.get(field), (kind, field, check.get(field), real.get(field))
    assert [item["name"] for item in check[key]] == [item["name"] for item in real[key]]
    for predicted, made in zip(check[key], real[key], strict=True):
        assert made["arn"], made
        if predicted["arn"] is None:  # one check mode would create: its ARN is not known yet
            made = dict(made, arn=None)
        assert predicted == made, kind
    assert again["changed"] is False, (kind, again)
    assert again[key] == real[key]


def declared_names(results, kind, key):
    return sorted(item["name"] for item in results[kind][key])


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_sets_check_mode_predicts_the_run_and_a_rerun_changes_nothing(module_cloud, tmp_path, seed):
    generated = Generator(seed)
    alarms = [generated.alarm() for _count in range(generated.rng.randint(1, 4))]
    rules = [generated.rule() for _count in range(generated.rng.randint(1, 4))]
    for _round in range(2):
        results = run(module_cloud, tmp_path, generated, alarms, rules)
        check_predicts_the_run_and_a_rerun_changes_nothing(results, "Alarms", "alarms")
        check_predicts_the_run_and_a_rerun_changes_nothing(results, "Sampling rules", "rules")
        assert declared_names(results, "Alarms", "alarms") == sorted(a["name"] for a in alarms)
        assert declared_names(results, "Sampling rules", "rules") == sorted(r["name"] for r in rules)
        alarms = next_set(generated.rng, alarms, generated.alarm)
        rules = next_set(generated.rng, rules, generated.rule)
