#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: sns_topic_encryption
short_description: Encrypt an SNS topic with a KMS key (server-side encryption), or stop encrypting it
version_added: 1.0.0
description:
  - Sets the C(KmsMasterKeyId) attribute of an existing SNS topic, which M(community.aws.sns_topic) cannot set.
  - The key is compared as KMS resolves it, so a key ID, key ARN, alias or alias ARN naming the key already in use
    is no change; a re-run makes read calls only.
  - The key must exist and be enabled; that is checked before the topic is changed. Services that publish to the
    topic (CloudWatch alarms, EventBridge, AWS Budgets) need C(kms:GenerateDataKey*) and C(kms:Decrypt) on the key
    in its key policy.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  topic:
    description: Name of the topic (in the task's region and the caller's account) or its ARN.
    type: str
    required: true
  kms_key_id:
    description:
      - The key, as a key ID, key ARN, V(alias/NAME) or alias ARN; V(alias/aws/sns) is the AWS managed key.
      - Required with O(state=present).
    type: str
  state:
    description: V(present) encrypts the topic with O(kms_key_id); V(absent) stops encrypting it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Supports check mode and diff mode.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Encrypt the alert topic with the environment's key
  securecloud.monitor.sns_topic_encryption:
    topic: prod-alerts
    kms_key_id: alias/prod-alerts

- name: Stop encrypting a topic
  securecloud.monitor.sns_topic_encryption:
    topic: arn:aws:sns:eu-west-1:123456789012:prod-alerts
    state: absent
"""

RETURN = r"""
topic_arn:
  description: ARN of the topic.
  returned: always
  type: str
  sample: arn:aws:sns:eu-west-1:123456789012:prod-alerts
kms_master_key_id:
  description: The topic's key after the task as the topic stores it; null when it is not encrypted.
  returned: always
  type: str
  sample: alias/prod-alerts
key_arn:
  description: ARN of the key the topic is encrypted with after the task; null when it is not encrypted.
  returned: when O(state=present)
  type: str
  sample: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
diff:
  description: Before and after C(kms_master_key_id), with C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import sns  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import (  # noqa: E402
    KMS_KEY_FORMS,
    SNS_TOPIC_NAME,
    is_kms_key_reference,
    is_sns_topic_arn,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import (  # noqa: E402
    exit_with_diff,
    fail_on_input_errors,
)

ATTRIBUTE = "KmsMasterKeyId"


def input_errors(params):
    """What AWS would refuse in the options, before any call. SetTopicAttributes' model bounds none of its members, so
    the rules are SNS's own (topic names) and KMS's (the forms of a key)."""
    errors = []
    topic = params["topic"]
    if topic.startswith("arn:") and not is_sns_topic_arn(topic):
        errors.append(
            f"topic {topic!r} is not an SNS topic ARN: give arn:aws:sns:REGION:ACCOUNT:NAME, or the topic's name."
        )
    elif not topic.startswith("arn:") and not SNS_TOPIC_NAME.match(topic):
        errors.append(
            f"topic {topic!r} is not a topic name SNS accepts: use 1 to 256 letters, digits, '-' or '_' (and .fifo "
            "at the end of a FIFO topic), or give the topic's ARN."
        )
    key = params.get("kms_key_id")
    if params["state"] == "present" and key and not is_kms_key_reference(key):
        errors.append(f"kms_key_id {key!r} is not a KMS key: give {KMS_KEY_FORMS}.")
    return errors


def topic_arn(module):
    topic = module.params["topic"]
    if topic.startswith("arn:"):
        return topic
    account, partition = get_aws_account_info(module)
    return f"arn:{partition}:sns:{module.region}:{account}:{topic}"


def usable_key(module, kms, key_id):
    """The key's ARN; fails naming kms_key_id when the key is unknown or not enabled."""
    key = sns.describe_key(kms, key_id)
    if key is None:
        module.fail_json(msg=f"kms_key_id '{key_id}': no such key in {module.region}: give an existing key.")
    if key.get("KeyState") != "Enabled":
        module.fail_json(msg=f"kms_key_id '{key_id}' is {key.get('KeyState')}: enable the key or give another one.")
    return key["Arn"]


def same_key(kms, current, wanted_arn):
    if not current:
        return False
    key = sns.describe_key(kms, current)
    return key is not None and key["Arn"] == wanted_arn


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            topic=dict(type="str", required=True),
            kms_key_id=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        required_if=[("state", "present", ["kms_key_id"])],
        supports_check_mode=True,
    )
    fail_on_input_errors(module, input_errors(module.params))
    try:
        client, arn = module.client("sns"), topic_arn(module)
        attributes = sns.topic_attributes(client, arn)
        if attributes is None:
            module.fail_json(msg=f"topic '{module.params['topic']}' ({arn}) does not exist: create it first.")
        current = attributes.get(ATTRIBUTE) or None
        result = {"topic_arn": arn}
        if module.params["state"] == "present":
            kms = module.client("kms")
            wanted = module.params["kms_key_id"]
            result["key_arn"] = usable_key(module, kms, wanted)
            changed = current != wanted and not same_key(kms, current, result["key_arn"])
            after = wanted if changed else current
        else:
            changed, after = current is not None, None
        if changed and not module.check_mode:
            sns.set_topic_attribute(client, arn, ATTRIBUTE, after or "")
    except sns.AnsibleSNSError as e:
        module.fail_json_aws_error(e)
    result.update(changed=changed, kms_master_key_id=after)
    exit_with_diff(module, result, {"kms_master_key_id": current}, {"kms_master_key_id": after})


if __name__ == "__main__":
    main()
