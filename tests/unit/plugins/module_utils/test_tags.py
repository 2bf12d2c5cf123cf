"""plugins/module_utils/tags.py: boto3 tag lists to and from dicts, on amazon.aws module_utils.tagging."""

from __future__ import annotations

from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_dict, tag_list


def test_tag_list_is_sorted_by_key_and_leaves_out_aws_keys():
    tags = {"team": "secops", "aws:cloudformation:stack-name": "s", "env": "dev"}
    assert tag_list(tags) == [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "secops"}]


def test_tag_list_with_the_key_names_of_the_service():
    assert tag_list({"b": "2", "a": "1"}, "key", "value") == [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]


def test_no_tags_is_an_empty_list_and_an_empty_dict():
    assert tag_list(None) == [] and tag_list({}) == []
    assert tag_dict(None) == {} and tag_dict([]) == {}


def test_tag_dict_reads_both_key_spellings():
    assert tag_dict([{"Key": "env", "Value": "dev"}, {"Key": "empty", "Value": ""}]) == {"env": "dev", "empty": ""}
    assert tag_dict([{"key": "env", "value": "dev"}]) == {"env": "dev"}
