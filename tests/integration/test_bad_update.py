"""Bad updates of existing resources (issue 20): each resource is created with valid options, then the same task
with one bad option fails with the option path and the fix, no mutating call reaches the emulator (its recorder),
and the resource reads back unchanged. Together with the other test_*_bad_input.py files this covers the classes of
the issue: model constraints (ranges, enums, required members), schedule expressions, the composite alarm grammar
with a partial apply it would have caused, ARN-typed options and values AWS keeps fixed."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import assert_refused, run_module
from tests.integration.test_observability_bad_input import metric_alarm

ACCOUNT = "123456789012"
PREFIX = "bu-"
VISIBLE = {"cloudwatch_metrics_enabled": True, "sampled_requests_enabled": True}
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"


def acl(name, rule):
    return {"name": name, "scope": "REGIONAL", "default_action": "allow", "rules": [rule]}


def waf_rule(**statement):
    return {"name": "r", "priority": 0, "action": "block", "visibility": VISIBLE, **statement}


BYTE_MATCH = {
    "ByteMatchStatement": {
        "SearchString": "/admin",
        "FieldToMatch": {"UriPath": {}},
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
        "PositionalConstraint": "STARTS_WITH",
    }
}
NO_FIELD = {"ByteMatchStatement": {k: v for k, v in BYTE_MATCH["ByteMatchStatement"].items() if k != "FieldToMatch"}}


def alarm(threshold=80, **extra):
    return metric_alarm(name=f"{PREFIX}cpu", threshold=threshold, **extra)


def budget(limit="100"):
    notification = {"notification_type": "ACTUAL", "threshold": 80, "subscribers": [{"type": "SNS", "address": TOPIC}]}
    return {
        "prefix": PREFIX,
        "budgets": [{"name": f"{PREFIX}monthly", "limit_amount": limit, "notifications": [notification]}],
    }


def event_rule(schedule="rate(5 minutes)", arn=TOPIC):
    return {"name": f"{PREFIX}tick", "schedule_expression": schedule, "targets": [{"id": "t", "arn": arn}]}


def sampling(rate):
    return {
        "prefix": PREFIX,
        "rules": [{"name": f"{PREFIX}api", "priority": 10, "fixed_rate": rate, "reservoir_size": 1}],
    }


def metric_filter(**metric):
    return {
        "log_group_name": f"{PREFIX}group",
        "name": f"{PREFIX}root",
        "filter_pattern": '{ $.userIdentity.type = "Root" }',
        "metric_transformation": {"metric_name": "Root", "metric_namespace": "BU", "metric_value": "1", **metric},
    }


# Read-backs: what must not change.
def read_acl(cloud, name):
    waf = cloud.client("wafv2")
    (summary,) = [a for a in waf.list_web_acls(Scope="REGIONAL")["WebACLs"] if a["Name"] == name]
    return waf.get_web_acl(Name=name, Scope="REGIONAL", Id=summary["Id"])["WebACL"]["Rules"]


def read_alarms(cloud):
    found = cloud.client("cloudwatch").describe_alarms(AlarmNamePrefix=PREFIX)
    metric = [(a["AlarmName"], a["Threshold"], a["Period"]) for a in found["MetricAlarms"]]
    return metric, [a["AlarmName"] for a in found["CompositeAlarms"]]


def read_rule(cloud):
    events = cloud.client("events")
    rule = events.describe_rule(Name=f"{PREFIX}tick")
    targets = events.list_targets_by_rule(Rule=f"{PREFIX}tick")["Targets"]
    return rule["ScheduleExpression"], rule.get("Description"), targets


def read_log_group(cloud):
    (group,) = cloud.client("logs").describe_log_groups(logGroupNamePrefix=f"{PREFIX}group")["logGroups"]
    return group.get("retentionInDays"), group.get("kmsKeyId")


def read_metric_filter(cloud):
    return cloud.client("logs").describe_metric_filters(logGroupName=f"{PREFIX}group")["metricFilters"]


def read_sampling(cloud):
    records = cloud.client("xray").get_sampling_rules()["SamplingRuleRecords"]
    return [r["SamplingRule"]["FixedRate"] for r in records if r["SamplingRule"]["RuleName"].startswith(PREFIX)]


def read_budget(cloud):
    found = cloud.client("budgets").describe_budget(AccountId=ACCOUNT, BudgetName=f"{PREFIX}monthly")
    return found["Budget"]["BudgetLimit"]


def read_repository(cloud):
    (repo,) = cloud.client("ecr").describe_repositories(repositoryNames=[f"{PREFIX}app"])["repositories"]
    return repo["encryptionConfiguration"]


WAF = "securecloud.monitor.wafv2_web_acl"
ALARMS = "securecloud.monitor.cloudwatch_alarm_set"
RULE = "securecloud.monitor.eventbridge_rule"
LOGS = "securecloud.monitor.logs_log_group"
FILTER = "securecloud.monitor.logs_metric_filter"
SAMPLING = "securecloud.monitor.xray_sampling_rule"
BUDGETS = "securecloud.monitor.budgets_budget_set"
ECR = "securecloud.monitor.ecr_repository"
LOG_GROUP = {"name": f"{PREFIX}group", "retention": 30}

# (case, module, valid arguments, bad arguments, what the message must say, read-back, setup module and arguments)
CASES = [
    (
        "rate limit above AWS's 2,000,000,000",
        WAF,
        acl("bu-rate", waf_rule(rate_based={"limit": 2000})),
        acl("bu-rate", waf_rule(rate_based={"limit": 3_000_000_000})),
        ["rules[0].rate_based.limit 3000000000", "10 to 2000000000"],
        lambda cloud: read_acl(cloud, "bu-rate"),
    ),
    (
        "country code UK, which is GB in ISO 3166",
        WAF,
        acl("bu-geo", waf_rule(geo_match={"country_codes": ["FR"]})),
        acl("bu-geo", waf_rule(geo_match={"country_codes": ["FR", "UK"]})),
        ["rules[0].geo_match.country_codes[1] 'UK'", "GB"],
        lambda cloud: read_acl(cloud, "bu-geo"),
    ),
    (
        "byte match statement without a field to match",
        WAF,
        acl("bu-bytes", waf_rule(statement=BYTE_MATCH)),
        acl("bu-bytes", waf_rule(statement=NO_FIELD)),
        ["rules[0].statement.ByteMatchStatement.FieldToMatch", "set it"],
        lambda cloud: read_acl(cloud, "bu-bytes"),
    ),
    (
        "alarm period not a multiple of 60",
        ALARMS,
        {"prefix": PREFIX, "alarms": [alarm()]},
        {"prefix": PREFIX, "alarms": [alarm(period=90)]},
        ["alarms[0].period"],
        read_alarms,
    ),
    (
        "threshold change beside a composite rule with a syntax error (no partial apply)",
        ALARMS,
        {"prefix": PREFIX, "alarms": [alarm()]},
        {
            "prefix": PREFIX,
            "alarms": [alarm(threshold=90), {"name": f"{PREFIX}down", "rule": f'ALARM("{PREFIX}cpu") OR'}],
        },
        ["alarms[1].rule"],
        read_alarms,
    ),
    (
        "threshold change beside a second alarm with a unit CloudWatch does not have (no partial apply)",
        ALARMS,
        {"prefix": PREFIX, "alarms": [alarm()]},
        {"prefix": PREFIX, "alarms": [alarm(threshold=90), metric_alarm(name=f"{PREFIX}mem", unit="Percentage")]},
        ["alarms[1].unit 'Percentage'", "StandardUnit"],
        read_alarms,
    ),
    (
        "alarm action that is a topic name, not its ARN",
        ALARMS,
        {"prefix": PREFIX, "alarms": [alarm()]},
        {"prefix": PREFIX, "alarms": [alarm(alarm_actions=["alerts"])]},
        ["alarms[0].alarm_actions[0] 'alerts' is not an ARN"],
        read_alarms,
    ),
    (
        "schedule rate(5 minute)",
        RULE,
        event_rule(),
        event_rule(schedule="rate(5 minute)"),
        ["schedule_expression", "minutes"],
        read_rule,
    ),
    (
        "rule description longer than EventBridge's 512 characters",
        RULE,
        event_rule(),
        {**event_rule(), "description": "d" * 513},
        ["description", "give at most 512 characters"],
        read_rule,
    ),
    (
        "target that is a topic name, not its ARN",
        RULE,
        event_rule(),
        event_rule(arn="alerts"),
        ["targets[0].arn", "is not an ARN"],
        read_rule,
    ),
    (
        "log retention CloudWatch Logs does not offer",
        LOGS,
        LOG_GROUP,
        {**LOG_GROUP, "retention": 31},
        ["retention: 31", "give one of"],
        read_log_group,
    ),
    (
        "log group key given by alias, not ARN",
        LOGS,
        LOG_GROUP,
        {**LOG_GROUP, "kms_key_id": "alias/logs"},
        ["kms_key_id", "arn:aws:kms:REGION:ACCOUNT:key/KEY-ID"],
        read_log_group,
    ),
    (
        "metric filter with a default value and dimensions",
        FILTER,
        metric_filter(),
        metric_filter(default_value=0, dimensions={"user": "$.userIdentity.arn"}),
        ["metric_transformation", "not both"],
        read_metric_filter,
    ),
    (
        "metric filter unit CloudWatch does not have",
        FILTER,
        metric_filter(),
        metric_filter(unit="Percentage"),
        ["metric_transformation.unit 'Percentage'", "StandardUnit"],
        read_metric_filter,
    ),
    (
        "sampling rate above 1",
        SAMPLING,
        sampling(0.1),
        sampling(1.5),
        ["rules[0].fixed_rate"],
        read_sampling,
    ),
    (
        "budget limit below zero",
        BUDGETS,
        budget(),
        budget(limit="-5"),
        ["budgets[0].limit_amount '-5'"],
        read_budget,
    ),
    (
        "repository encryption changed, which ECR keeps",
        ECR,
        {"name": f"{PREFIX}app", "encryption_type": "AES256"},
        {"name": f"{PREFIX}app", "encryption_type": "KMS", "kms_key": KEY},
        ["encryption_type/kms_key", "Delete and re-create it"],
        read_repository,
    ),
]


@pytest.mark.parametrize(
    ("case", "module", "valid", "bad", "said", "read_back"), CASES, ids=[case[0] for case in CASES]
)
def test_a_bad_update_names_the_option_and_leaves_the_resource_unchanged(
    module_cloud, tmp_path, case, module, valid, bad, said, read_back
):
    if module == FILTER:
        returncode, result = run_module(module_cloud, tmp_path, LOGS, LOG_GROUP)
        assert returncode == 0, result
    returncode, result = run_module(module_cloud, tmp_path, module, valid)
    assert returncode == 0, result
    before = read_back(module_cloud)

    assert_refused(module_cloud, tmp_path, module, bad, said)
    assert read_back(module_cloud) == before
