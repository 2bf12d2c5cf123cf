# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ARN checks on top of amazon.aws's ``module_utils.arn`` (``parse_aws_arn``, ``validate_aws_arn``), so that no module
keeps a hand-written ARN regex. No AWS calls here.

``parse_aws_arn`` finds an ARN anywhere in a string and accepts an empty region and account; a value an option takes
must be an ARN as a whole, with the region and account its service puts in it, hence :func:`is_arn`.
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn, validate_aws_arn

ACCOUNT_ID = re.compile(r"^\d{12}$")
KMS_KEY_ID = re.compile(r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$")
KMS_ALIAS_NAME = re.compile(r"^alias/[A-Za-z0-9/_-]{1,250}$")
# What follows "role/" in a role ARN: an optional path, then the name (IAM's limits).
ROLE_PATH_AND_NAME = re.compile(r"^(?:[\x21-\x7e]*/)?(?P<name>[\w+=,.@-]{1,64})$")


def arn_parts(value):
    """``parse_aws_arn``'s parts of ``value`` when the whole of it is an ARN, else None."""
    if not isinstance(value, str) or not value.startswith("arn:"):
        return None
    return parse_aws_arn(value)


def is_arn(value, service, resource_type=None, resource_id=None, regional=True, in_account=True):
    """Whether ``value`` is an ARN of ``service`` (and ``resource_type``), whose resource ID matches the regex
    ``resource_id`` as a whole when given. ``regional``/``in_account``: it carries a region / a 12-digit account."""
    return resource_id_match(value, service, resource_type, resource_id or ".*", regional, in_account) is not None


def resource_id_match(value, service, resource_type, resource_id, regional=True, in_account=True):
    """The ``re.fullmatch`` of the regex ``resource_id`` on the resource ID of ``value`` (for its groups), or None
    when ``value`` is not such an ARN (see :func:`is_arn`)."""
    parts = arn_parts(value)
    if parts is None or not validate_aws_arn(value, service=service, resource_type=resource_type):
        return None
    if bool(parts["region"]) != regional or bool(ACCOUNT_ID.match(parts["account_id"])) != in_account:
        return None
    return re.fullmatch(resource_id, parts["resource_id"])


def is_kms_key_arn(value):
    return is_arn(value, "kms", "key", KMS_KEY_ID.pattern[1:-1])


def is_kms_alias_arn(value):
    parts = arn_parts(value)
    return is_arn(value, "kms", "alias") and bool(KMS_ALIAS_NAME.match(parts["resource"]))


# The four ways KMS names a key where a service takes a key "ID, alias or ARN" (KMS developer guide, "Key
# identifiers (KeyId)": key ID, key ARN, alias name, alias ARN).
KMS_KEY_FORMS = (
    "a key ARN (arn:aws:kms:REGION:ACCOUNT:key/1234abcd-12ab-34cd-56ef-1234567890ab), a key ID, alias/NAME or an "
    "alias ARN (arn:aws:kms:REGION:ACCOUNT:alias/NAME)"
)


def is_kms_key_reference(value):
    """Whether ``value`` names a KMS key in one of the forms of :data:`KMS_KEY_FORMS`."""
    return bool(
        is_kms_key_arn(value)
        or is_kms_alias_arn(value)
        or KMS_KEY_ID.match(value or "")
        or KMS_ALIAS_NAME.match(value or "")
    )


# SNS topic names: "up to 256 characters ... uppercase and lowercase ASCII letters, numbers, underscores, and
# hyphens"; a FIFO topic's name ends in ".fifo" (SNS API reference, CreateTopic, Name).
SNS_TOPIC_NAME = re.compile(r"^(?=.{1,256}$)[A-Za-z0-9_-]+(?:\.fifo)?$")


def is_sns_topic_arn(value):
    return is_arn(value, "sns", resource_id=SNS_TOPIC_NAME.pattern[1:-1])


def role_name(value):
    """The name in the IAM role ARN ``value`` (without its path), or None when ``value`` is not one."""
    if not is_arn(value, "iam", "role", regional=False):
        return None
    match = ROLE_PATH_AND_NAME.match(arn_parts(value)["resource_id"])
    return match["name"] if match else None
