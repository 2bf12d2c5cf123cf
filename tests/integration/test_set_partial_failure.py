"""All or nothing, when a write fails all the same (issue 20): a set module's plan of three creations, the second
one denied by the local cloud (a deny fault, as AWS answers a caller whose policy lacks the action), fails the task
naming the resource written and the two not written; the cloud holds exactly the written one (read back with
boto3); the same task without the fault converges, creating only the two missing, and a third run changes nothing.

Each module is run for real through ``ansible`` against one local cloud of this file's own."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, run_module
from tests.integration.test_observability_bad_input import metric_alarm
from tools.harness import recorder

pytestmark = pytest.mark.slow

ACCOUNT = "123456789012"


def alarms(prefix):
    return [metric_alarm(name=f"{prefix}{n}") for n in ("1", "2", "3")]


def budgets(prefix):
    return [{"name": f"{prefix}{n}", "limit_amount": "100"} for n in ("1", "2", "3")]


def sampling_rules(prefix):
    return [
        {"name": f"{prefix}{n}", "priority": 10 + i, "fixed_rate": 0.1, "reservoir_size": 1}
        for i, n in enumerate(("1", "2", "3"))
    ]


def alarm_names(cloud, prefix):
    found = cloud.client("cloudwatch").describe_alarms(AlarmNamePrefix=prefix)["MetricAlarms"]
    return sorted(a["AlarmName"] for a in found)


def budget_names(cloud, prefix):
    found = cloud.client("budgets").describe_budgets(AccountId=ACCOUNT).get("Budgets", [])
    return sorted(b["BudgetName"] for b in found if b["BudgetName"].startswith(prefix))


def sampling_rule_names(cloud, prefix):
    records = cloud.client("xray").get_sampling_rules()["SamplingRuleRecords"]
    return sorted(r["SamplingRule"]["RuleName"] for r in records if r["SamplingRule"]["RuleName"].startswith(prefix))


# (module, the option holding the set, the declared set, the denied operation, the names the cloud holds)
SET_MODULES = [
    ("cloudwatch_alarm_set", "alarms", alarms, "PutMetricAlarm", alarm_names),
    ("budgets_budget_set", "budgets", budgets, "CreateBudget", budget_names),
    ("xray_sampling_rule", "rules", sampling_rules, "CreateSamplingRule", sampling_rule_names),
]


def run(cloud, tmp_path, module, arguments):
    """(exit code, result, the mutating calls the emulator served)."""
    recorder.start(cloud.endpoint)
    returncode, result = run_module(cloud, tmp_path, f"securecloud.monitor.{module}", arguments)
    return returncode, result, mutating(recorder.stop(cloud.endpoint))


@pytest.mark.parametrize(("module", "option", "declare", "operation", "held"), SET_MODULES)
def test_a_write_denied_midway_names_what_was_written_and_a_rerun_converges(
    module_cloud, tmp_path, module, option, declare, operation, held
):
    prefix = f"pf-{module.split('_')[0]}-"
    first, second, third = (f"{prefix}{n}" for n in ("1", "2", "3"))
    arguments = {"prefix": prefix, option: declare(prefix)}

    module_cloud.faults(deny=[{"operation": operation, "call": 2}])
    try:
        returncode, result, _calls = run(module_cloud, tmp_path, module, arguments)
    finally:
        module_cloud.faults(deny=[])
    assert returncode != 0 and result.get("failed"), result
    assert (result["written"], result["not_written"]) == ([first], [second, third]), result
    assert f"Writing {second} failed" in result["msg"]
    assert f"Written: {first}. Not written: {second}, {third}." in result["msg"]
    assert "AccessDenied" in result["msg"]
    assert held(module_cloud, prefix) == [first]

    returncode, result, calls = run(module_cloud, tmp_path, module, arguments)
    assert returncode == 0 and result["changed"] is True, result
    assert held(module_cloud, prefix) == [first, second, third]
    assert calls == [calls[0]] * 2 and calls[0].endswith(f":{operation}")  # only the two missing are created

    returncode, result, calls = run(module_cloud, tmp_path, module, arguments)
    assert returncode == 0 and result["changed"] is False and calls == [], result
