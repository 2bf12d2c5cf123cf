"""plugins/module_utils/schedule.py: EventBridge schedule expressions as AWS's documentation defines them."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.module_utils.schedule import schedule_expression_errors


@pytest.mark.parametrize(
    "expression",
    [
        None,
        "rate(1 minute)",
        "rate(5 minutes)",
        "rate(1 hour)",
        "rate(12 hours)",
        "rate(1 day)",
        "rate(7 days)",
        "cron(0 12 * * ? *)",
        "cron(0/15 * * * ? *)",
        "cron(0 18 ? * MON-FRI *)",
        "cron(0 8 1 * ? *)",
        "cron(15 10 ? * 6L 2027-2029)",
        "cron(0 9 ? * 2#1 *)",
        "cron(0 0 L * ? *)",
        "cron(0 0 15W * ? *)",
    ],
)
def test_expressions_aws_takes_pass(expression):
    assert schedule_expression_errors("schedule_expression", expression) == []


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("rate(5 minute)", "write rate(5 minutes), not rate(5 minute)"),
        ("rate(1 minutes)", "write rate(1 minute), not rate(1 minutes)"),
        ("rate(0 minutes)", "positive whole number"),
        ("rate(-1 days)", "positive whole number"),
        ("rate(1.5 hours)", "positive whole number"),
        ("rate(2 weeks)", "minute(s), hour(s) or day(s)"),
        ("rate(5minutes)", "neither rate(...) nor cron(...)"),
        ("every 5 minutes", "neither rate(...) nor cron(...)"),
        ("cron(0 12 * * *)", "six fields"),
        ("cron(0 12 * * * *)", "one of day-of-month (*) and day-of-week (*) must be ?"),
        ("cron(0 12 1 * MON *)", "must be ?"),
        ("cron(0 12 * FOO ? *)", "month field 'FOO'"),
        ("cron(x 12 * * ? *)", "minutes field 'x'"),
        ("rate(" + "9" * 300 + " minutes)", "at most 256 characters"),
    ],
)
def test_expressions_aws_refuses_fail_naming_the_option_and_the_fix(expression, fragment):
    [error] = schedule_expression_errors("schedule_expression", expression)
    assert error.startswith("schedule_expression: ")
    assert fragment in error
