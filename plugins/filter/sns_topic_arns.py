# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: sns_topic_arns
short_description: The SNS topic ARNs among a list whose topic has a given name
version_added: 1.1.0
description:
- Takes a list of SNS topic ARNs (the C(result) of M(community.aws.sns_topic_info) called without C(topic_arn), which
  lists the region's topics) and returns those whose topic name is O(name), in their order.
- This is how a layer finds another layer's topic by the name that layer declares (the monitoring layer's alert topic,
  C(<environment>-alerts)), without reading that layer's results.
- Entries that are not SNS topic ARNs are left out.
options:
  _input:
    description: Topic ARNs.
    type: list
    elements: str
    required: true
  name:
    description: The topic name to keep.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: List the region's topics
  community.aws.sns_topic_info:
  register: topics

- name: The alert topic's ARN, or '' when it does not exist
  ansible.builtin.set_fact:
    alert_topic_arn: "{{ topics.result | securecloud.monitor.sns_topic_arns('dev-alerts') | first | default('') }}"
"""

RETURN = r"""
_value:
  description: The ARNs of the topics named O(name).
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import ACCOUNT_ID, arn_parts  # noqa: E402


def sns_topic_arns(arns, name):
    """The ARNs of ``arns`` that are SNS topics named ``name``."""
    if not isinstance(arns, (list, tuple)):
        raise AnsibleFilterError(f"sns_topic_arns takes a list of topic ARNs, not {type(arns).__name__}")
    return [arn for arn in arns if _topic_name(arn) == name]


def _topic_name(arn):
    parts = arn_parts(arn)
    if not parts or parts["service"] != "sns" or not parts["region"] or not ACCOUNT_ID.match(parts["account_id"]):
        return None
    return parts["resource"]


class FilterModule:
    def filters(self):
        return {"sns_topic_arns": sns_topic_arns}
