"""plugins/module_utils/drift_diff.py: a drift record's diff says only what differs - policies by statement,
JSON documents compared parsed, Terraform's plan reduced to the attributes that change."""

from __future__ import annotations

import json

from ansible_collections.securecloud.monitor.plugins.module_utils.drift_diff import policy_changes, reduce_diff

READ = {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
WRITE = {"Sid": "Write", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}


def policy(*statements, indent=None, reverse=False):
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    if reverse:
        document = dict(reversed(list(document.items())))
    return json.dumps(document, indent=indent)


def tf(before, after):
    """community.general.terraform's diff of one updated resource."""
    address = "module.ecs.aws_iam_role.task"
    return {
        "before": {"data": [{"resource": address, "change": before}]},
        "after": {"data": [{"resource": address, "change": after}]},
    }


def test_a_removed_statement_is_all_the_policy_diff_shows():
    assert policy_changes(json.loads(policy(READ, WRITE)), json.loads(policy(READ))) == ([WRITE], [])


def test_terraform_diff_keeps_only_the_changed_attribute():
    before = {"name": "task", "policy": policy(READ), "tags": {"env": "dev"}, "max_session_duration": 3600}
    after = {"name": "task", "policy": policy(READ, indent=2, reverse=True), "tags": {"env": "dev"}}
    after["max_session_duration"] = 7200
    reduced = reduce_diff(tf(before, after))
    address = "module.ecs.aws_iam_role.task"
    assert reduced == {
        "before": {address: {"max_session_duration": 3600}},
        "after": {address: {"max_session_duration": 7200}},
    }


def test_terraform_policy_change_is_shown_by_statement():
    reduced = reduce_diff(tf({"policy": policy(READ)}, {"policy": policy(READ, WRITE)}))
    address = "module.ecs.aws_iam_role.task"
    assert reduced["before"][address] == {"policy": {"Statement": []}}
    assert reduced["after"][address] == {"policy": {"Statement": [WRITE]}}


def test_values_known_only_after_apply_are_not_changes():
    reduced = reduce_diff(tf({"id": "abc", "setting": "disabled"}, {"id": None, "setting": "enabled"}))
    [changed] = reduced["after"].values()
    assert changed == {"setting": "enabled"}


def test_created_and_destroyed_resources_are_kept_whole():
    diff = {
        "before": {"data": [{"resource": "aws_flow_log.old", "change": {"id": "fl-1"}}]},
        "after": {"data": [{"resource": "aws_flow_log.new", "change": {"traffic_type": "ALL"}}]},
    }
    assert reduce_diff(diff) == {
        "before": {"aws_flow_log.new": None, "aws_flow_log.old": {"id": "fl-1"}},
        "after": {"aws_flow_log.new": {"traffic_type": "ALL"}, "aws_flow_log.old": None},
    }


def test_module_diff_keeps_what_differs_and_drops_reserialised_documents():
    before = {"name": "dev", "policy": policy(READ), "retention": 7}
    after = {"name": "dev", "policy": policy(READ, reverse=True), "retention": 365}
    assert reduce_diff({"before": before, "after": after}) == {"before": {"retention": 7}, "after": {"retention": 365}}


def test_identical_text_diff_is_empty():
    assert reduce_diff({"before": "a\n", "after": "a\n", "before_header": "f"}) == {
        "before": {},
        "after": {},
        "before_header": "f",
    }
