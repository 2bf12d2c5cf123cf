# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tag comparison shared by every module of this collection (it only compares two dicts)."""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


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
