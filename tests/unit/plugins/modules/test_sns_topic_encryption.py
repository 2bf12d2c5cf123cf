"""sns_topic_encryption against botocore Stubbers: the key named another way is no change; a change is one call."""

from __future__ import annotations

from ansible_collections.securecloud.monitor.plugins.modules import sns_topic_encryption as module

from tests.unit.aws_stub import AwsStub, stubbed_client

TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts"
KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
METADATA = {"KeyId": KEY.split("/")[-1], "Arn": KEY, "KeyState": "Enabled"}


def run(monkeypatch, capsys, stored, wanted, set_call=False):
    clients, stubbers = {}, {}
    for name in ("sns", "kms"):
        clients[name], stubbers[name] = stubbed_client(name, "eu-west-1")
    attributes = {"TopicArn": TOPIC} | ({"KmsMasterKeyId": stored} if stored else {})
    stubbers["sns"].add_response("get_topic_attributes", {"Attributes": attributes}, {"TopicArn": TOPIC})
    stubbers["kms"].add_response("describe_key", {"KeyMetadata": METADATA}, {"KeyId": wanted})
    if stored and stored != wanted:
        stubbers["kms"].add_response("describe_key", {"KeyMetadata": METADATA}, {"KeyId": stored})
    if set_call:
        expected = {"TopicArn": TOPIC, "AttributeName": "KmsMasterKeyId", "AttributeValue": wanted}
        stubbers["sns"].add_response("set_topic_attributes", {}, expected)
    aws_stub = AwsStub(monkeypatch, capsys)
    aws_stub.module_clients(module, clients)
    args = {"topic": TOPIC, "kms_key_id": wanted, "region": "eu-west-1"}
    return aws_stub.run(module, args, *stubbers.values())


def test_the_same_key_by_its_arn_is_no_change(monkeypatch, capsys):
    result = run(monkeypatch, capsys, stored="alias/alerts", wanted=KEY)
    assert (result["changed"], result["kms_master_key_id"], result["key_arn"]) == (False, "alias/alerts", KEY)


def test_an_unencrypted_topic_is_set_once(monkeypatch, capsys):
    result = run(monkeypatch, capsys, stored=None, wanted="alias/alerts", set_call=True)
    assert (result["changed"], result["kms_master_key_id"]) == (True, "alias/alerts")
