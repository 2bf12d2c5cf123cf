"""sns_topic_encryption: a topic that is neither an SNS topic ARN nor a topic name SNS accepts, and a key in none of
KMS's forms, refused before any call (issue 20). SetTopicAttributes' model bounds none of its members: the rules are
SNS's topic names (CreateTopic) and KMS's key identifiers."""

from __future__ import annotations

import pytest
from ansible_collections.securecloud.monitor.plugins.modules import sns_topic_encryption as module

from tests.unit.aws_stub import stubbed_client

TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts"
KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def params(**overrides):
    return {"topic": TOPIC, "kms_key_id": KEY, "state": "present"} | overrides


@pytest.mark.parametrize("topic", [TOPIC, "alerts", "orders.fifo", "a" * 256])
@pytest.mark.parametrize("key", [KEY, "1234abcd-12ab-34cd-56ef-1234567890ab", "alias/aws/sns"])
def test_topics_and_keys_in_the_forms_aws_takes_have_no_errors(topic, key):
    assert module.input_errors(params(topic=topic, kms_key_id=key)) == []


@pytest.mark.parametrize(
    ("topic", "said"),
    [
        ("arn:aws:sqs:eu-west-1:123456789012:alerts", "is not an SNS topic ARN"),
        ("arn:aws:sns:eu-west-1:alerts", "is not an SNS topic ARN"),
        ("prod alerts", "is not a topic name SNS accepts"),
        ("a" * 257, "is not a topic name SNS accepts"),
    ],
)
def test_a_topic_aws_would_not_find_names_the_option(topic, said):
    (error,) = module.input_errors(params(topic=topic))
    assert error.startswith(f"topic {topic!r} {said}")


def test_a_key_in_none_of_kms_forms_names_the_option_and_the_forms():
    (error,) = module.input_errors(params(kms_key_id="alerts-key"))
    assert error.startswith("kms_key_id 'alerts-key' is not a KMS key") and "alias/NAME" in error
    assert module.input_errors(params(kms_key_id="alerts-key", state="absent")) == []


def test_main_refuses_before_any_call(aws_stub):
    clients, stubbers = {}, []
    for name in ("sns", "kms", "sts"):
        clients[name], stubber = stubbed_client(name, "eu-west-1")  # nothing stubbed: any call fails the module
        stubbers.append(stubber)
    aws_stub.module_clients(module, clients)
    result = aws_stub.run(module, {"topic": "prod alerts", "kms_key_id": "k", "region": "eu-west-1"}, *stubbers)
    assert result["failed"] and "topic 'prod alerts'" in result["msg"] and "kms_key_id 'k'" in result["msg"], result
