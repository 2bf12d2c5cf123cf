"""Bad input across fifteen modules, one row each (issue 20, "Done when"): every row runs the real module (one task each
of one ansible-playbook run) against the local cloud and must be refused before any mutating call (the emulator's
recorder), with a message that names the option path and says the fix. The rows cover the classes of the issue: an
incomplete nested statement, a number out of range, a value outside an enum, a name longer than the service allows, a
value that breaks the model's pattern, a bad ARN (or a name where an ARN is due), a bad schedule expression, a bad
composite alarm rule or an unknown alarm reference, and a country code that is not ISO 3166.

Bounds and patterns come from botocore's model or from the AWS documentation each module cites; bad updates of
existing resources are in test_bad_update.py. The other modules' rows are in bad_inputs_b.py, run with these."""

from __future__ import annotations

import copy

import pytest

from tests.integration import codepipelines
from tests.integration.bad_inputs_b import CASES as CASES_B
from tests.integration.module_runs import assert_refused_with, refusals_in_one_run
from tests.integration.test_bad_update import BYTE_MATCH, NO_FIELD, acl, event_rule, metric_filter, waf_rule
from tests.integration.test_codebuild_bad_input import environment, project
from tests.integration.test_codedeploy_bad_input import group
from tests.integration.test_codepipeline_bad_input import action, pipeline
from tests.integration.test_observability_bad_input import budget, metric_alarm, sampling_rule

ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SCOPE = {"prefix": "", "purge": False}
M = "securecloud.monitor."

WAF, RULE, ALARMS, SAMPLING, BUDGETS = (
    f"{M}wafv2_web_acl",
    f"{M}eventbridge_rule",
    f"{M}cloudwatch_alarm_set",
    f"{M}xray_sampling_rule",
    f"{M}budgets_budget_set",
)
LOGS, FILTER, CODEBUILD, CODEDEPLOY, PIPELINE = (
    f"{M}logs_log_group",
    f"{M}logs_metric_filter",
    f"{M}codebuild_project",
    f"{M}codedeploy_deployment_group",
    f"{M}codepipeline_pipeline",
)
CONNECTION, ECR, GROUPS, DASHBOARD, SNS = (
    f"{M}codestar_connection",
    f"{M}ecr_repository",
    f"{M}xray_group",
    f"{M}cloudwatch_dashboard",
    f"{M}sns_topic_encryption",
)


def alarms(*declared):
    return {"prefix": "t-", "alarms": list(declared)}


def budgets(**extra):
    return {"prefix": "t-", "budgets": [budget(**extra)]}


def xray_groups(**extra):
    return {**SCOPE, "groups": [{"name": "t-api", "filter_expression": "fault"} | extra]}


def dashboard(*widgets):
    return {"name": "t-overview", "widgets": list(widgets)}


def repository(**extra):
    return {"name": "t/app"} | extra


def edited(arguments, edit):
    arguments = copy.deepcopy(arguments)
    edit(arguments)
    return arguments


# (case, module, arguments, what the message must say: the option path, then the fix)
CASES = [
    # wafv2_web_acl
    (
        "WAF statement without its field to match",
        WAF,
        acl("t-bytes", waf_rule(statement=NO_FIELD)),
        ["rules[0].statement.ByteMatchStatement.FieldToMatch", "set it"],
    ),
    (
        "WAF rate limit above 2,000,000,000",
        WAF,
        acl("t-rate", waf_rule(rate_based={"limit": 3_000_000_000})),
        ["rules[0].rate_based.limit", "10 to 2000000000"],
    ),
    (
        "WAF rate limit below 10",
        WAF,
        acl("t-rate", waf_rule(rate_based={"limit": 5})),
        ["rules[0].rate_based.limit", "at least 10"],
    ),
    (
        "WAF country code UK (GB in ISO 3166)",
        WAF,
        acl("t-geo", waf_rule(geo_match={"country_codes": ["UK"]})),
        ["rules[0].geo_match.country_codes[0] 'UK'", "GB"],
    ),
    (
        "WAF three-letter country code",
        WAF,
        acl("t-geo", waf_rule(geo_match={"country_codes": ["USA"]})),
        ["rules[0].geo_match.country_codes 'USA'", "two-letter"],
    ),
    (
        "WAF text transformation AWS does not have",
        WAF,
        acl(
            "t-bytes",
            waf_rule(
                statement=edited(
                    BYTE_MATCH,
                    lambda s: s["ByteMatchStatement"].update(TextTransformations=[{"Priority": 0, "Type": "LOWER"}]),
                )
            ),
        ),
        ["rules[0].statement.ByteMatchStatement.TextTransformations[0].Type 'LOWER'", "LOWERCASE"],
    ),
    # eventbridge_rule
    (
        "schedule rate(5 minute)",
        RULE,
        event_rule(schedule="rate(5 minute)"),
        ["schedule_expression", "rate(5 minutes)"],
    ),
    (
        "schedule cron with five fields",
        RULE,
        event_rule(schedule="cron(0 12 * * ?)"),
        ["schedule_expression", "six fields"],
    ),
    (
        "schedule neither rate nor cron",
        RULE,
        event_rule(schedule="every 5 minutes"),
        ["schedule_expression", "neither rate(...) nor cron(...)"],
    ),
    (
        "rule description over 512 characters",
        RULE,
        {**event_rule(), "description": "d" * 513},
        ["description", "give at most 512 characters"],
    ),
    (
        "rule target that is a topic name, not its ARN",
        RULE,
        event_rule(arn="alerts"),
        ["targets[0].arn", "is not an ARN"],
    ),
    # cloudwatch_alarm_set
    (
        "composite rule with a syntax error after a metric alarm",
        ALARMS,
        alarms(metric_alarm(), {"name": "t-down", "rule": 'ALARM("t-cpu") OR'}),
        ["alarms[1].rule", "the rule ends"],
    ),
    (
        "composite rule naming an alarm that exists nowhere",
        ALARMS,
        alarms(metric_alarm(), {"name": "t-down", "rule": 'ALARM("t-cpu") OR ALARM("db-gone")'}),
        ["alarms[1].rule refers to 'db-gone'", "neither declared in alarms nor an alarm of the account"],
    ),
    (
        "composite rule with a state AWS does not have",
        ALARMS,
        alarms(metric_alarm(), {"name": "t-down", "rule": 'FIRING("t-cpu")'}),
        ["alarms[1].rule", "ALARM"],
    ),
    (
        "alarm unit CloudWatch does not have",
        ALARMS,
        alarms(metric_alarm(unit="Percentage")),
        ["alarms[0].unit 'Percentage'", "StandardUnit"],
    ),
    (
        "alarm action that is a topic name",
        ALARMS,
        alarms(metric_alarm(alarm_actions=["alerts"])),
        ["alarms[0].alarm_actions[0] 'alerts' is not an ARN", "arn:aws:sns:"],
    ),
    ("alarm period not a multiple of 60", ALARMS, alarms(metric_alarm(period=90)), ["alarms[0].period", "60"]),
    # xray_sampling_rule
    (
        "sampling rate above 1",
        SAMPLING,
        {**SCOPE, "rules": [sampling_rule(fixed_rate=1.5)]},
        ["rules[0].fixed_rate", "0"],
    ),
    (
        "sampling rule name over 32 characters",
        SAMPLING,
        {**SCOPE, "rules": [sampling_rule(name="t-" + "r" * 31)]},
        ["rules[0].name", "32"],
    ),
    # budgets_budget_set
    ("budget limit below zero", BUDGETS, budgets(limit_amount="-5"), ["budgets[0].limit_amount '-5'", "0"]),
    ("budget name over 100 characters", BUDGETS, budgets(name="t-" + "b" * 99), ["budgets[0].name", "1 to 100"]),
    (
        "budget subscriber that is a topic name",
        BUDGETS,
        budgets(
            notifications=[
                {"notification_type": "ACTUAL", "threshold": 80, "subscribers": [{"type": "SNS", "address": "alerts"}]}
            ]
        ),
        ["budgets[0].notifications[0].subscribers[0].address 'alerts'", "arn:aws:sns:REGION:ACCOUNT:NAME"],
    ),
    # logs_log_group
    (
        "log retention CloudWatch Logs does not offer",
        LOGS,
        {"name": "t-group", "retention": 31},
        ["retention: 31", "give one of"],
    ),
    (
        "log group key by alias, not ARN",
        LOGS,
        {"name": "t-group", "kms_key_id": "alias/logs"},
        ["kms_key_id", "arn:aws:kms:REGION:ACCOUNT:key/KEY-ID"],
    ),
    ("log group name with a space", LOGS, {"name": "t group"}, ["name: 't group'", "letters, digits"]),
    # logs_metric_filter
    (
        "metric filter unit CloudWatch does not have",
        FILTER,
        metric_filter(unit="Percentage"),
        ["metric_transformation.unit 'Percentage'", "StandardUnit"],
    ),
    (
        "metric filter with a default value and dimensions",
        FILTER,
        metric_filter(default_value=0, dimensions={"user": "$.userIdentity.arn"}),
        ["metric_transformation", "not both"],
    ),
    # codebuild_project
    (
        "build compute type AWS does not have",
        CODEBUILD,
        project(environment=environment(compute_type="BUILD_GENERAL1_HUGE")),
        ["environment.compute_type", "use one of"],
    ),
    (
        "build timeout above 2160 minutes",
        CODEBUILD,
        project(timeout_in_minutes=2161),
        ["timeout_in_minutes 2161", "5 to 2160"],
    ),
    ("build project name starting with '-'", CODEBUILD, project(name="-build"), ["name '-build'", "starting with"]),
    (
        "build key in none of KMS's forms",
        CODEBUILD,
        project(encryption_key="build-key"),
        ["encryption_key 'build-key'", "alias/NAME"],
    ),
    # codedeploy_deployment_group
    ("deployment group name with a space", CODEDEPLOY, group(name="bad input"), ["name", "bad input"]),
    (
        "deployment group role that is not a role ARN",
        CODEDEPLOY,
        group(service_role=f"arn:aws:iam::{ACCOUNT}:user/deployer"),
        ["service_role", "arn:aws:iam::"],
    ),
    # codepipeline_pipeline
    ("pipeline name with a space", PIPELINE, pipeline(name="my app"), ["name 'my app'", "letters, digits"]),
    (
        "pipeline run order above 999",
        PIPELINE,
        pipeline(lambda a: action(a, 1).update(run_order=1000)),
        ["stages[1].actions[0].run_order 1000", "1 to 999"],
    ),
    (
        "pipeline artifact bucket name of 2 characters",
        PIPELINE,
        pipeline(artifact_store={"location": "ab"}),
        ["artifact_store.location 'ab'", "3 to 63"],
    ),
    # codestar_connection
    ("connection name over 32 characters", CONNECTION, {"name": "c" * 33}, ["name '" + "c" * 33, "1 to 32"]),
    (
        "connection host ARN of a connection",
        CONNECTION,
        {"name": "t-ghe", "provider_type": "GitHubEnterpriseServer", "host_arn": codepipelines.CONNECTION},
        ["host_arn", "host/ID"],
    ),
    (
        "connection tag value over 256 characters",
        CONNECTION,
        {"name": "t-gh", "tags": {"team": "t" * 257}},
        ["tags[0].value", "0 to 256 characters"],
    ),
    # ecr_repository
    (
        "repository name with capitals",
        ECR,
        repository(name="T/App"),
        ["name 'T/App' is not in the form AWS accepts", "match the pattern"],
    ),
    ("repository name over 256 characters", ECR, repository(name="a" * 257), ["name", "2 to 256 characters"]),
    (
        "repository lifecycle policy shorter than ECR takes",
        ECR,
        repository(lifecycle_policy={"rules": []}),
        ["lifecycle_policy", "100 to 30720 characters"],
    ),
    (
        "repository key in none of KMS's forms",
        ECR,
        repository(encryption_type="KMS", kms_key="billing"),
        ["kms_key 'billing' is not a KMS key", "alias/NAME"],
    ),
    # xray_group
    ("X-Ray group name over 32 characters", GROUPS, xray_groups(name="t-" + "g" * 31), ["groups[0].name", "32"]),
    (
        "X-Ray encryption key in none of KMS's forms",
        GROUPS,
        {**SCOPE, "encryption": {"type": "KMS", "key_id": "xray-key"}},
        ["encryption.key_id 'xray-key'", "alias/NAME"],
    ),
    # cloudwatch_dashboard
    (
        "alarm widget naming an alarm, not its ARN",
        DASHBOARD,
        dashboard({"type": "alarm", "properties": {"alarms": ["t-down"]}}),
        [
            "widgets[0].properties.alarms[0] 't-down' is not an alarm ARN",
            "arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME",
        ],
    ),
    (
        "dashboard of 501 widgets",
        DASHBOARD,
        dashboard(*[{"type": "text", "width": 24, "height": 1, "properties": {"markdown": "x"}}] * 501),
        ["widgets has 501 widgets", "at most 500"],
    ),
    # sns_topic_encryption
    (
        "topic ARN of a queue",
        SNS,
        {"topic": f"arn:aws:sqs:us-east-1:{ACCOUNT}:alerts", "kms_key_id": KEY},
        ["is not an SNS topic ARN", "arn:aws:sns:REGION:ACCOUNT:NAME"],
    ),
    (
        "topic name with a space",
        SNS,
        {"topic": "prod alerts", "kms_key_id": KEY},
        ["topic 'prod alerts'", "letters, digits"],
    ),
    (
        "topic key in none of KMS's forms",
        SNS,
        {"topic": "alerts", "kms_key_id": "alerts-key"},
        ["kms_key_id 'alerts-key' is not a KMS key", "alias/NAME"],
    ),
]


@pytest.fixture(scope="module")
def refusals(module_cloud, tmp_path_factory):
    """Every row run once, each a task of one playbook: (results by case, the run's mutating calls)."""
    return refusals_in_one_run(module_cloud, tmp_path_factory.mktemp("bad_inputs"), CASES + CASES_B)


def test_no_row_makes_a_mutating_call(refusals):
    assert refusals[1] == []


@pytest.mark.parametrize(
    ("case", "said"), [(case[0], case[3]) for case in CASES + CASES_B], ids=[case[0] for case in CASES + CASES_B]
)
def test_bad_input_is_refused_before_any_write(refusals, case, said):
    assert_refused_with(refusals[0][case], said)


def test_the_table_covers_twenty_five_modules_and_seventy_cases():
    rows = CASES + CASES_B
    assert len(rows) >= 70 and len({module for _case, module, _arguments, _said in rows}) >= 25
