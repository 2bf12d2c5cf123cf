# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tag comparison and conversion shared by every module of this collection, on amazon.aws ``module_utils.tagging``."""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
    compare_aws_tags,
)


def tag_changes(current, declared, purge):
    """(tags after, tags to set, keys to unset). ``declared=None`` leaves the tags alone; ``aws:`` keys are kept."""
    if declared is None:
        return dict(current), {}, []
    declared = {key: str(value) for key, value in declared.items()}
    to_set, to_unset = compare_aws_tags(current, declared, purge)
    after = dict(current)
    after.update(to_set)
    for key in to_unset:
        after.pop(key, None)
    return after, to_set, sorted(to_unset)


def tag_list(tags, key="Key", value="Value"):
    """The boto3 tag list of the dict ``tags``, sorted by key so that a request reads the same on every run, without
    the ``aws:`` keys AWS keeps to itself (a call that sets one is refused)."""
    settable = dict(sorted((k, v) for k, v in (tags or {}).items() if not k.startswith("aws:")))
    return ansible_dict_to_boto3_tag_list(settable, key, value)


def tag_dict(tags, key=None, value=None):
    """The dict of the boto3 tag list ``tags`` (``{}`` for none)."""
    return boto3_tag_list_to_ansible_dict(tags or [], key, value)
