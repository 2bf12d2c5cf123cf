"""sns_topic_encryption against a local cloud of this file's own: check mode, set, a re-run with the key named
another way (no change, no mutating call), a key change with its diff, a disabled key refused, absent."""

from __future__ import annotations

import pytest

from tests.integration.module_runs import mutating, ok, run_target

pytestmark = pytest.mark.slow

TARGET = "tests/integration/targets/sns/encryption.yml"


@pytest.fixture(scope="module")
def setup(module_cloud):
    kms = module_cloud.client("kms")
    keys = [kms.create_key(Description=name)["KeyMetadata"] for name in ("one", "two", "off")]
    kms.create_alias(AliasName="alias/alerts", TargetKeyId=keys[0]["KeyId"])
    kms.disable_key(KeyId=keys[2]["KeyId"])
    topic = module_cloud.client("sns").create_topic(Name="alerts")["TopicArn"]
    return {"keys": keys, "topic": topic}


def run(cloud, work_dir, extra, *flags):
    return run_target(cloud, work_dir, TARGET, extra, *flags)


def stored(cloud, topic):
    return cloud.client("sns").get_topic_attributes(TopicArn=topic)["Attributes"].get("KmsMasterKeyId")


def test_check_mode_changes_nothing(module_cloud, tmp_path, setup):
    played, result, calls = run(
        module_cloud, tmp_path, {"sns_test_topic": "alerts", "sns_test_key": "alias/alerts"}, "--check"
    )
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, [])
    assert stored(module_cloud, setup["topic"]) is None


def test_set_then_the_same_key_named_another_way_is_no_change(module_cloud, tmp_path, setup):
    played, result, calls = run(module_cloud, tmp_path, {"sns_test_topic": "alerts", "sns_test_key": "alias/alerts"})
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["sns:SetTopicAttributes"])
    assert result["key_arn"] == setup["keys"][0]["Arn"]
    assert stored(module_cloud, setup["topic"]) == "alias/alerts"
    by_arn = {"sns_test_topic": setup["topic"], "sns_test_key": setup["keys"][0]["Arn"]}
    played, result, calls = run(module_cloud, tmp_path, by_arn)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])


def test_key_change_with_diff(module_cloud, tmp_path, setup):
    extra = {"sns_test_topic": "alerts", "sns_test_key": setup["keys"][1]["Arn"]}
    played, result, calls = run(module_cloud, tmp_path, extra, "--diff")
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["sns:SetTopicAttributes"])
    assert result["diff"] == {
        "before": {"kms_master_key_id": "alias/alerts"},
        "after": {"kms_master_key_id": setup["keys"][1]["Arn"]},
    }


def test_a_disabled_or_unknown_key_is_refused_before_any_change(module_cloud, tmp_path, setup):
    for key, expected in ((setup["keys"][2]["Arn"], "is Disabled"), ("alias/none", "no such key")):
        played, result, calls = run(module_cloud, tmp_path, {"sns_test_topic": "alerts", "sns_test_key": key})
        assert played.returncode != 0
        assert "kms_key_id" in result["msg"] and expected in result["msg"], result["msg"]
        assert mutating(calls) == []
    played, result, calls = run(module_cloud, tmp_path, {"sns_test_topic": "nope", "sns_test_key": "alias/alerts"})
    assert played.returncode != 0 and "topic 'nope'" in result["msg"]


def test_absent(module_cloud, tmp_path, setup):
    absent = {"sns_test_topic": "alerts", "sns_test_state": "absent"}
    played, result, calls = run(module_cloud, tmp_path, absent)
    ok(played)
    assert (result["changed"], mutating(calls)) == (True, ["sns:SetTopicAttributes"])
    assert stored(module_cloud, setup["topic"]) is None
    played, result, calls = run(module_cloud, tmp_path, absent)
    ok(played)
    assert (result["changed"], mutating(calls)) == (False, [])
