"""Finding another layer's topic by its declared name (plugins/filter/sns_topic_arns.py)."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.securecloud.monitor.plugins.filter.sns_topic_arns import sns_topic_arns

ALERTS = "arn:aws:sns:us-east-1:123456789012:dev-alerts"


def test_the_topic_of_that_name_is_kept():
    arns = ["arn:aws:sns:us-east-1:123456789012:dev-builds", ALERTS]
    assert sns_topic_arns(arns, "dev-alerts") == [ALERTS]


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:sns:us-east-1:123456789012:prod-dev-alerts",  # a name that only ends with it
        "arn:aws:sns:us-east-1:123456789012:dev-alerts-old",  # one that only starts with it
        "arn:aws:sns:us-east-1:123456789012:dev-alerts:0f1e2d3c-aaaa-bbbb",  # a subscription of the topic
        "arn:aws:sqs:us-east-1:123456789012:dev-alerts",  # a queue of that name
        "arn:aws:sns:us-east-1::dev-alerts",  # no account
        "arn:aws:sns:us-east-1:12345:dev-alerts",  # not a 12-digit account
        "arn:aws:sns::123456789012:dev-alerts",  # no region
        "topic arn:aws:sns:us-east-1:123456789012:dev-alerts",  # an ARN inside a longer string
        "dev-alerts",  # a name, not an ARN
        "",
        None,
    ],
)
def test_anything_but_a_topic_of_that_exact_name_is_left_out(arn):
    assert sns_topic_arns([arn], "dev-alerts") == []


def test_regex_characters_in_the_name_are_taken_literally():
    # The Jinja it replaces had to regex_escape the name: here a dot is a dot.
    assert sns_topic_arns(["arn:aws:sns:us-east-1:123456789012:devXalerts"], "dev.alerts") == []


def test_every_region_and_partition_is_kept_in_order():
    arns = [
        "arn:aws-us-gov:sns:us-gov-west-1:123456789012:dev-alerts",
        ALERTS,
        "arn:aws:sns:eu-west-1:123456789012:dev-alerts",
    ]
    assert sns_topic_arns(arns, "dev-alerts") == arns


def test_nothing_listed_gives_nothing():
    assert sns_topic_arns([], "dev-alerts") == []


def test_a_string_instead_of_a_list_is_refused():
    with pytest.raises(AnsibleFilterError, match="list of topic ARNs, not str"):
        sns_topic_arns(ALERTS, "dev-alerts")
