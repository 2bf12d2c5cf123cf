"""Bad input to the observability modules fails with a message that names the field, and no mutating
call reaches the emulator (checked with its request recorder)."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import run_module
from tools.harness import recorder

ACCOUNT = "123456789012"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
LOG_GROUP = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:trail"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/trail-to-logs"


def metric_alarm(name="t-cpu", **extra):
    alarm = {
        "name": name,
        "namespace": "AWS/ECS",
        "metric_name": "CPUUtilization",
        "statistic": "Average",
        "period": 300,
        "evaluation_periods": 3,
        "comparison_operator": "GreaterThanThreshold",
        "threshold": 80,
    }
    return alarm | extra


def sampling_rule(**extra):
    return {"name": "t-api", "priority": 10, "fixed_rate": 0.1, "reservoir_size": 1} | extra


DASHBOARD = "securecloud.monitor.cloudwatch_dashboard"
ALARMS = "securecloud.monitor.cloudwatch_alarm_set"
RULES = "securecloud.monitor.xray_sampling_rule"
GROUPS = "securecloud.monitor.xray_group"
# A set module's scope: every resource of the kind, nothing purged (what a task without prefix did before prefix).
SCOPE = {"prefix": "", "purge": False}
BUCKET = "securecloud.monitor.cloudtrail_bucket"
TRAIL = "securecloud.monitor.cloudtrail_trail"
BUDGETS = "securecloud.monitor.budgets_budget_set"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"


def budget(**extra):
    notification = {"notification_type": "ACTUAL", "threshold": 80, "subscribers": [{"type": "SNS", "address": TOPIC}]}
    return {"name": "t-monthly", "limit_amount": "100", "notifications": [notification]} | extra


CASES = [
    (
        "dashboard widget of an unknown type",
        DASHBOARD,
        {"name": "d", "widgets": [{"type": "pie", "properties": {}}]},
        "type must be one of: metric, text, log, alarm, explorer, custom, got: pie found in widgets",
    ),
    ("dashboard body that is not JSON", DASHBOARD, {"name": "d", "body": "{widgets: ["}, "body"),
    (
        "metric widget without metrics",
        DASHBOARD,
        {"name": "d", "widgets": [{"type": "metric", "properties": {}}]},
        "widgets[0].properties",
    ),
    (
        "alarm with both a metric and metric math",
        ALARMS,
        {"prefix": "t-", "alarms": [metric_alarm(metrics=[{"id": "e1", "expression": "SUM(METRICS())"}])]},
        "alarms[0]",
    ),
    (
        "alarm without a threshold",
        ALARMS,
        {"prefix": "t-", "alarms": [{k: v for k, v in metric_alarm().items() if k != "threshold"}]},
        "threshold",
    ),
    ("period not a multiple of 60", ALARMS, {"prefix": "t-", "alarms": [metric_alarm(period=90)]}, "alarms[0].period"),
    (
        "alarm named outside the prefix",
        ALARMS,
        {"prefix": "t-", "alarms": [metric_alarm(name="web-cpu")]},
        "alarms[0].name",
    ),
    (
        "composite rule naming an alarm that does not exist",
        ALARMS,
        {"prefix": "t-", "alarms": [{"name": "t-down", "rule": 'ALARM("t-nowhere")'}]},
        "alarms[0].rule",
    ),
    (
        "composite rule with a syntax error, beside a metric alarm it would have followed",
        ALARMS,
        {"prefix": "t-", "alarms": [metric_alarm(), {"name": "t-down", "rule": 'ALARM("t-cpu") OR'}]},
        "alarms[1].rule: the rule ends where",
    ),
    (
        "composite rule naming an alarm outside the set that exists nowhere",
        ALARMS,
        {"prefix": "t-", "alarms": [metric_alarm(), {"name": "t-down", "rule": 'ALARM("t-cpu") OR ALARM("db-gone")'}]},
        "alarms[1].rule refers to 'db-gone', which is neither declared in alarms nor an alarm of the account",
    ),
    (
        "alarm action that is a topic name, not its ARN",
        ALARMS,
        {"prefix": "t-", "alarms": [metric_alarm(alarm_actions=["alerts"])]},
        "alarms[0].alarm_actions[0] 'alerts' is not an ARN",
    ),
    (
        "composite alarms in a cycle",
        ALARMS,
        {"prefix": "t-", "alarms": [{"name": "t-a", "rule": 'ALARM("t-b")'}, {"name": "t-b", "rule": 'ALARM("t-a")'}]},
        "cycle",
    ),
    ("sampling rate outside 0-1", RULES, {**SCOPE, "rules": [sampling_rule(fixed_rate=1.5)]}, "rules[0].fixed_rate"),
    ("sampling rule priority 0", RULES, {**SCOPE, "rules": [sampling_rule(priority=0)]}, "rules[0].priority"),
    (
        "two sampling rules with one name",
        RULES,
        {**SCOPE, "rules": [sampling_rule(), sampling_rule(priority=11)]},
        "rules[1].name",
    ),
    (
        "group notifications without insights",
        GROUPS,
        {**SCOPE, "groups": [{"name": "t-errors", "filter_expression": "fault = true", "notifications_enabled": True}]},
        "groups[0].notifications_enabled",
    ),
    (
        "X-Ray encryption key that is not a KMS key",
        GROUPS,
        {**SCOPE, "encryption": {"type": "KMS", "key_id": "my-key"}},
        "encryption.key_id",
    ),
    ("trail bucket name that is not valid", BUCKET, {"name": "My_Trail_Bucket", "trails": ["t"]}, "name"),
    (
        "trail bucket KMS key ARN malformed",
        BUCKET,
        {"name": "trail-bucket-ok", "trails": ["t"], "kms_key_arn": "arn:aws:kms:us-east-1:key/abc"},
        "kms_key_arn",
    ),
    (
        "lifecycle transition after expiry",
        BUCKET,
        {"name": "trail-bucket-ok", "trails": ["t"], "lifecycle": {"transition_days": 400, "expiration_days": 365}},
        "lifecycle",
    ),
    (
        "trail with basic and advanced selectors",
        TRAIL,
        {
            "name": "t",
            "s3_bucket_name": "trail-bucket-ok",
            "event_selectors": [{"read_write_type": "All"}],
            "advanced_event_selectors": [
                {"name": "all", "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}]}
            ],
        },
        "event_selectors",
    ),
    (
        "trail log group ARN malformed",
        TRAIL,
        {
            "name": "t",
            "s3_bucket_name": "trail-bucket-ok",
            "cloudwatch_logs": {"log_group_arn": "trail-logs", "role_arn": ROLE},
        },
        "cloudwatch_logs.log_group_arn",
    ),
    (
        "trail KMS key ARN malformed",
        TRAIL,
        {"name": "t", "s3_bucket_name": "trail-bucket-ok", "kms_key_arn": "key/abc"},
        "kms_key_arn",
    ),
    (
        "budget named outside the prefix",
        BUDGETS,
        {"prefix": "t-", "budgets": [budget(name="prod-monthly")]},
        "budgets[0].name 'prod-monthly' must start with the prefix 't-'",
    ),
    (
        "budget limit that is not a positive number",
        BUDGETS,
        {"prefix": "t-", "budgets": [budget(limit_amount="-5")]},
        "budgets[0].limit_amount '-5'",
    ),
    (
        "budget alert to an SNS address that is not a topic ARN",
        BUDGETS,
        {
            "prefix": "t-",
            "budgets": [
                budget(
                    notifications=[
                        {
                            "notification_type": "ACTUAL",
                            "threshold": 80,
                            "subscribers": [{"type": "SNS", "address": "alerts"}],
                        }
                    ]
                )
            ],
        },
        "budgets[0].notifications[0].subscribers[0].address 'alerts' is not an SNS topic ARN",
    ),
    (
        "budget with eleven notifications",
        BUDGETS,
        {
            "prefix": "t-",
            "budgets": [
                budget(
                    notifications=[
                        {
                            "notification_type": "ACTUAL",
                            "threshold": t,
                            "subscribers": [{"type": "SNS", "address": TOPIC}],
                        }
                        for t in range(10, 120, 10)
                    ]
                )
            ],
        },
        "budgets[0].notifications has 11",
    ),
    (
        "budget alert threshold of zero",
        BUDGETS,
        {
            "prefix": "t-",
            "budgets": [
                budget(
                    notifications=[
                        {
                            "notification_type": "FORECASTED",
                            "threshold": 0,
                            "subscribers": [{"type": "SNS", "address": TOPIC}],
                        }
                    ]
                )
            ],
        },
        "budgets[0].notifications[0].threshold is 0.0",
    ),
]


@pytest.mark.parametrize(("case", "module", "arguments", "field"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_names_the_field_and_changes_nothing(module_cloud, tmp_path, case, module, arguments, field):
    recorder.start(module_cloud.endpoint)
    returncode, result = run_module(module_cloud, tmp_path, module, arguments)
    calls = recorder.stop(module_cloud.endpoint)

    assert returncode != 0 and result.get("failed"), result
    assert field in result["msg"], result["msg"]
    assert [c.operation for c in calls if c.mutating] == []
