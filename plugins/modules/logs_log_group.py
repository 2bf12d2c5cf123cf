#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: logs_log_group
short_description: A CloudWatch Logs log group (retention, KMS key, tags), with honest check mode and diff
version_added: 1.0.0
description:
  - Creates, updates or deletes an Amazon CloudWatch Logs log group, its retention, the KMS key that encrypts it and
    its tags.
  - Unlike M(amazon.aws.cloudwatchlogs_log_group), which calls C(PutRetentionPolicy) even in check mode, no call of
    this module changes anything in check mode, so a compliance run (check mode) reports a changed retention as
    drift instead of repairing it. An existing group under another KMS key is moved to the declared key
    (C(AssociateKmsKey)) instead of being left as it was.
  - The input is checked before any call (retention values AWS accepts, the key given as a KMS key ARN), then the
    log group as it would be created is checked against the CloudWatch Logs service model (tag keys and values).
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  name:
    description: Name of the log group (1-512 characters).
    type: str
    required: true
    aliases: [log_group_name]
  state:
    description: V(present) creates or updates the log group; V(absent) deletes it with every log event in it.
    type: str
    choices: [present, absent]
    default: present
  retention:
    description:
      - Days to keep the log events, one of the values AWS accepts (V(1), V(3), V(5), V(7), V(14), V(30), V(60),
        V(90), V(120), V(150), V(180), V(365), V(400), V(545), V(731), V(1096), V(1827), V(2192), V(2557), V(2922),
        V(3288), V(3653)), or V(0) to keep them forever.
      - Not given, the retention is left as it is (a new group keeps its events forever).
    type: int
  kms_key_id:
    description:
      - ARN of the KMS key that encrypts the log group (C(arn:aws:kms:REGION:ACCOUNT:key/ID)).
      - V("") removes the key (C(DisassociateKmsKey)). Not given, the key is left as it is.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports check mode and diff mode.
  - "API calls: C(DescribeLogGroups) on every run and C(ListTagsForResource) for an existing group;
    C(CreateLogGroup), C(PutRetentionPolicy) or C(DeleteRetentionPolicy), C(AssociateKmsKey) or
    C(DisassociateKmsKey), C(TagResource), C(UntagResource) only for what differs; C(DeleteLogGroup) for
    O(state=absent). A re-run with the same input makes the two reads and no other call."
  - "The tags of a group whose name holds C(#) are read and written by name (C(ListTagsLogGroup), C(TagLogGroup),
    C(UntagLogGroup)): the calls that take an ARN refuse C(#) in it."
"""

EXAMPLES = r"""
- name: The web ACL's log group, kept for a year and encrypted
  securecloud.monitor.logs_log_group:
    name: aws-waf-logs-prod-edge
    retention: 365
    kms_key_id: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    tags:
      securecloud:environment: prod
    purge_tags: true

- name: Delete the log group
  securecloud.monitor.logs_log_group:
    name: aws-waf-logs-prod-edge
    state: absent
"""

RETURN = r"""
log_group:
  description: The log group after the task, in the shape of the options; empty when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the log group.
      type: str
      sample: aws-waf-logs-prod-edge
    arn:
      description: ARN of the log group (without the C(:*) suffix; unknown in check mode before it exists).
      type: str
      sample: arn:aws:logs:eu-west-1:123456789012:log-group:aws-waf-logs-prod-edge
    retention:
      description: Days the log events are kept; V(0) for never.
      type: int
      sample: 365
    kms_key_id:
      description: ARN of the KMS key that encrypts the group; empty when none does.
      type: str
    tags:
      description: The tags of the log group.
      type: dict
diff:
  description: The log group before and after, with C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import re  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import logs  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import is_kms_key_arn  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    request_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import exit_with_diff, fail_on_input_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_changes  # noqa: E402

NAME = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")


def input_errors(params):
    """One message per bad option, each naming the option and the fix."""
    errors = []
    if not NAME.match(params["name"]):
        errors.append(
            f"name: {params['name']!r} must be 1-512 letters, digits, '.', '-', '_', '/' or '#' (the characters "
            "CloudWatch Logs accepts in a log group name)."
        )
    retention = params.get("retention")
    if retention is not None and retention != logs.NEVER_EXPIRE and retention not in logs.RETENTION_DAYS:
        errors.append(
            f"retention: {retention} is not a retention CloudWatch Logs accepts; give one of "
            f"{', '.join(str(d) for d in logs.RETENTION_DAYS)}, or 0 to keep the events forever."
        )
    key = params.get("kms_key_id")
    if key and not is_kms_key_arn(key):
        errors.append(
            f"kms_key_id: {key!r} is not a KMS key ARN; CloudWatch Logs takes the key's ARN "
            "(arn:aws:kms:REGION:ACCOUNT:key/KEY-ID), not a key ID or an alias."
        )
    return errors


def declared_view(params, current):
    """The log group as the task declares it; what the task leaves alone is taken from ``current``."""
    current = current or dict(arn="", retention=logs.NEVER_EXPIRE, kms_key_id="", tags={})
    tags, _set, _unset = tag_changes(current["tags"], params.get("tags"), params["purge_tags"])
    return dict(
        name=params["name"],
        arn=current["arn"],
        retention=current["retention"] if params.get("retention") is None else params["retention"],
        kms_key_id=current["kms_key_id"] if params.get("kms_key_id") is None else params["kms_key_id"],
        tags=tags,
    )


def create_request(desired):
    request = dict(logGroupName=desired["name"])
    if desired["kms_key_id"]:
        request["kmsKeyId"] = desired["kms_key_id"]
    if desired["tags"]:
        request["tags"] = desired["tags"]
    return request


MODEL_RENAMES = (Rename("logGroupName", "name"),)


def model_errors(service_model, params):
    """CreateLogGroup of the declared options checked against the CloudWatch Logs model (tag keys and values, name
    length); [] when AWS would take it. Run once input_errors passes."""
    if params["state"] == "absent":
        return []
    return request_errors(service_model, "CreateLogGroup", create_request(declared_view(params, None)), MODEL_RENAMES)


def create(client, desired):
    logs.create_log_group(client, **create_request(desired))
    if desired["retention"] != logs.NEVER_EXPIRE:
        logs.put_retention_policy(client, desired["name"], desired["retention"])
    return logs.group_arn(logs.describe_log_group(client, desired["name"]))


def update(client, params, current, desired):
    """The calls that take an existing group from current to desired."""
    name = desired["name"]
    if current["retention"] != desired["retention"]:
        if desired["retention"] == logs.NEVER_EXPIRE:
            logs.delete_retention_policy(client, name)
        else:
            logs.put_retention_policy(client, name, desired["retention"])
    if current["kms_key_id"] != desired["kms_key_id"]:
        if desired["kms_key_id"]:
            logs.associate_kms_key(client, name, desired["kms_key_id"])
        else:
            logs.disassociate_kms_key(client, name)
    _after, to_set, to_unset = tag_changes(current["tags"], params.get("tags"), params["purge_tags"])
    if to_set:
        logs.tag_log_group(client, name, current["arn"], to_set)
    if to_unset:
        logs.untag_log_group(client, name, current["arn"], to_unset)


def read(client, name):
    group = logs.describe_log_group(client, name)
    if group is None:
        return None
    return logs.log_group_view(group, logs.list_tags(client, name, logs.group_arn(group)))


def main():
    module = AnsibleAWSModule(
        argument_spec=build_argument_spec(),
        supports_check_mode=True,
    )
    params = module.params
    errors = input_errors(params)
    fail_on_input_errors(module, errors)
    client = module.client("logs")
    fail_on_input_errors(module, model_errors(client.meta.service_model, params))
    try:
        current = read(client, params["name"])
        desired = declared_view(params, current) if params["state"] == "present" else None
        changed = current != desired
        if changed and not module.check_mode:
            if desired is None:
                logs.delete_log_group(client, params["name"])
            elif current is None:
                desired["arn"] = create(client, desired)
            else:
                update(client, params, current, desired)
    except logs.AnsibleLogsError as e:
        module.fail_json_aws_error(e)
    exit_with_diff(module, dict(changed=changed, log_group=desired or {}), current, desired)


def build_argument_spec():
    return dict(
        name=dict(type="str", required=True, aliases=["log_group_name"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        retention=dict(type="int"),
        kms_key_id=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )


if __name__ == "__main__":
    main()
