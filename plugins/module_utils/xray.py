# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS X-Ray: API wrappers for sampling rules, groups, the encryption configuration and tags, and the
conversions between the API's shapes and the option shapes of the xray_* modules.

Every call is wrapped with ``retry.jittered_backoff()`` and turned into :class:`AnsibleXRayError` by
:class:`XRayErrorHandler` (the amazon.aws ``module_utils/ec2.py`` pattern). List calls read every page.
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import KMS_KEY_ID
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import (  # pylint: disable=unused-import
    tag_changes,  # noqa: F401
    tag_dict,
    tag_list,
)

# X-Ray reports throttling as ThrottledException, one of retry.THROTTLING_CODES.
_RETRY = jittered_backoff()

DEFAULT_NAME = "Default"  # the built-in sampling rule and group: never created, renamed or deleted
RULE_VERSION = 1  # the only sampling rule version X-Ray has; it cannot be changed after creation
MATCH_ALL = "*"

# The match fields of a sampling rule: option name, API name, longest value the API accepts.
MATCH_FIELDS = (
    ("service_name", "ServiceName", 64),
    ("service_type", "ServiceType", 64),
    ("host", "Host", 64),
    ("http_method", "HTTPMethod", 10),
    ("url_path", "URLPath", 128),
    ("resource_arn", "ResourceARN", 500),
)

# Names: the API accepts 1 to 32 characters. This collection accepts the characters that are safe everywhere a
# name shows up (ARNs, filter expressions, the console, CloudWatch dimensions of Insights).
NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class AnsibleXRayError(AnsibleAWSError):
    pass


class XRayErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleXRayError

    @classmethod
    def _is_missing(cls):
        # X-Ray answers a name or ARN it does not know with InvalidRequestException; only the tag calls have
        # ResourceNotFoundException. Deletion handlers must not swallow the former (it also means a bad request).
        return is_boto3_error_code("ResourceNotFoundException")


def xray_client(module):
    return module.client("xray")


def kms_client(module):
    return module.client("kms")


def _paginate(client, operation, result_key, **params):
    return client.get_paginator(operation).paginate(**params).build_full_result().get(result_key, [])


def _api_tags(tags):
    """A Tags list for a create call; ``aws:`` keys are reserved to AWS and cannot be set."""
    return tag_list(tags)


# ---------------------------------------------------------------- sampling rules


@XRayErrorHandler.list_error_handler("get sampling rules", [])
@_RETRY
def get_sampling_rules(client):
    """Every SamplingRule (the inner structure of each record), the Default rule included."""
    records = _paginate(client, "get_sampling_rules", "SamplingRuleRecords")
    return [record["SamplingRule"] for record in records if record.get("SamplingRule")]


@XRayErrorHandler.common_error_handler("create sampling rule")
@_RETRY
def create_sampling_rule(client, rule, tags=None):
    params = {"SamplingRule": rule}
    api_tags = _api_tags(tags)
    if api_tags:
        params["Tags"] = api_tags
    return client.create_sampling_rule(**params)["SamplingRuleRecord"]["SamplingRule"]


@XRayErrorHandler.common_error_handler("update sampling rule")
@_RETRY
def update_sampling_rule(client, update):
    return client.update_sampling_rule(SamplingRuleUpdate=update)["SamplingRuleRecord"]["SamplingRule"]


@XRayErrorHandler.deletion_error_handler("delete sampling rule")
@_RETRY
def delete_sampling_rule(client, rule_name):
    client.delete_sampling_rule(RuleName=rule_name)
    return True


def rule_from_api(rule):
    """A SamplingRule in the option shape of xray_sampling_rule, plus ``arn`` and ``version``."""
    shape = {
        "name": rule.get("RuleName"),
        "arn": rule.get("RuleARN"),
        "priority": rule.get("Priority"),
        "fixed_rate": float(rule.get("FixedRate", 0)),
        "reservoir_size": rule.get("ReservoirSize"),
        "attributes": dict(rule.get("Attributes") or {}),
        "version": rule.get("Version", RULE_VERSION),
    }
    for option, api, _limit in MATCH_FIELDS:
        shape[option] = rule.get(api, MATCH_ALL)
    return shape


def rule_to_api(rule):
    """The SamplingRule of a CreateSamplingRule call for a rule in option shape."""
    api = {
        "RuleName": rule["name"],
        "Priority": rule["priority"],
        "FixedRate": float(rule["fixed_rate"]),
        "ReservoirSize": rule["reservoir_size"],
        "Version": RULE_VERSION,
    }
    for option, name, _limit in MATCH_FIELDS:
        api[name] = rule[option]
    if rule.get("attributes"):
        api["Attributes"] = dict(rule["attributes"])
    return api


def rule_update_to_api(rule):
    """The SamplingRuleUpdate for a rule in option shape: every managed field, so that the result is exact.

    ``Attributes`` is always sent (``{}`` clears them); SamplingRateBoost is not managed and so not sent.
    """
    api = rule_to_api(rule)
    api.pop("Version")
    api["Attributes"] = dict(rule.get("attributes") or {})
    return api


# ---------------------------------------------------------------- groups


@XRayErrorHandler.list_error_handler("get groups", [])
@_RETRY
def get_groups(client):
    """Every group (GroupSummary), the Default group included."""
    return _paginate(client, "get_groups", "Groups")


@XRayErrorHandler.common_error_handler("create group")
@_RETRY
def create_group(client, name, filter_expression, insights, tags=None):
    return client.create_group(**create_group_request(name, filter_expression, insights, tags))["Group"]


def create_group_request(name, filter_expression, insights, tags=None):
    """The CreateGroup request (also what xray_group checks against the model before its first write)."""
    params = {"GroupName": name, "FilterExpression": filter_expression, "InsightsConfiguration": insights}
    api_tags = _api_tags(tags)
    if api_tags:
        params["Tags"] = api_tags
    return params


@XRayErrorHandler.common_error_handler("update group")
@_RETRY
def update_group(client, arn, filter_expression, insights):
    return client.update_group(GroupARN=arn, FilterExpression=filter_expression, InsightsConfiguration=insights)[
        "Group"
    ]


@XRayErrorHandler.deletion_error_handler("delete group")
@_RETRY
def delete_group(client, arn):
    client.delete_group(GroupARN=arn)
    return True


def insights_to_api(group):
    return {
        "InsightsEnabled": bool(group.get("insights_enabled")),
        "NotificationsEnabled": bool(group.get("notifications_enabled")),
    }


def group_from_api(group):
    """A Group (or GroupSummary) in the option shape of xray_group, plus ``arn``."""
    insights = group.get("InsightsConfiguration") or {}
    return {
        "name": group.get("GroupName"),
        "arn": group.get("GroupARN"),
        "filter_expression": group.get("FilterExpression"),
        "insights_enabled": bool(insights.get("InsightsEnabled")),
        "notifications_enabled": bool(insights.get("NotificationsEnabled")),
    }


# ---------------------------------------------------------------- encryption


@XRayErrorHandler.common_error_handler("get encryption config")
@_RETRY
def get_encryption_config(client):
    return client.get_encryption_config().get("EncryptionConfig") or {"Type": "NONE"}


@XRayErrorHandler.common_error_handler("put encryption config")
@_RETRY
def put_encryption_config(client, encryption_type, key_id=None):
    return client.put_encryption_config(**encryption_request(encryption_type, key_id)).get("EncryptionConfig") or {}


def encryption_request(encryption_type, key_id=None):
    params = {"Type": encryption_type}
    if encryption_type == "KMS":
        params["KeyId"] = key_id
    return params


def encryption_from_api(config):
    """{type, key_id, status}; ``key_id`` is the key ARN X-Ray reports, null when the type is NONE."""
    kind = config.get("Type") or "NONE"
    return {
        "type": kind,
        "key_id": config.get("KeyId") if kind == "KMS" else None,
        "status": config.get("Status"),
    }


def key_arn_matches(key_arn, declared):
    """True when the key ARN ``key_arn`` is obviously the key ``declared`` names (its ARN or key ID).

    Aliases cannot be matched without asking KMS; callers resolve them with :func:`describe_kms_key`.
    """
    if not key_arn or not declared:
        return False
    if key_arn == declared:
        return True
    return bool(KMS_KEY_ID.match(declared)) and key_arn.endswith(f":key/{declared}")


class KmsKeyError(Exception):
    """A KMS key of the task that cannot be used; the message names the problem and the fix."""


def describe_kms_key(client, key_id):
    """KeyMetadata of a key ID, key ARN, alias name or alias ARN (retried; errors become :class:`KmsKeyError`)."""
    try:
        return _describe_key(client, key_id)
    except AnsibleXRayError as e:
        code = ""
        if e.exception is not None and hasattr(e.exception, "response"):
            code = e.exception.response.get("Error", {}).get("Code", "")
        if code == "NotFoundException":
            raise KmsKeyError(
                f"encryption.key_id '{key_id}' does not exist in this region: create the key or the alias first, "
                "or give the ARN of an existing symmetric key."
            ) from e
        if code in ("AccessDeniedException", "AccessDenied"):
            raise KmsKeyError(
                f"encryption.key_id '{key_id}' could not be resolved to a key ARN (kms:DescribeKey was denied): "
                "give the key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), or allow kms:DescribeKey on the key."
            ) from e
        raise


@XRayErrorHandler.common_error_handler("describe KMS key")
@_RETRY
def _describe_key(client, key_id):
    return client.describe_key(KeyId=key_id)["KeyMetadata"]


def kms_key_problem(metadata, key_id):
    """Why X-Ray cannot encrypt with the key of ``metadata``, or None."""
    if metadata.get("KeyState") not in (None, "Enabled"):
        return (
            f"encryption.key_id '{key_id}' is in state {metadata['KeyState']}: X-Ray needs an enabled key. Enable it "
            "or give another key."
        )
    spec = metadata.get("KeySpec") or metadata.get("CustomerMasterKeySpec")
    if spec not in (None, "SYMMETRIC_DEFAULT") or metadata.get("KeyUsage") not in (None, "ENCRYPT_DECRYPT"):
        return (
            f"encryption.key_id '{key_id}' is a {spec} key for {metadata.get('KeyUsage')}: X-Ray encrypts only with "
            "symmetric encryption keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT). Give such a key."
        )
    return None


# ---------------------------------------------------------------- tags


@XRayErrorHandler.list_error_handler("list tags for resource", {})
@_RETRY
def list_tags(client, arn):
    tags = _paginate(client, "list_tags_for_resource", "Tags", ResourceARN=arn)
    return tag_dict(tags)


@XRayErrorHandler.common_error_handler("tag resource")
@_RETRY
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceARN=arn, Tags=tag_list(tags))
    return True


@XRayErrorHandler.common_error_handler("untag resource")
@_RETRY
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceARN=arn, TagKeys=sorted(keys))
    return True


# ---------------------------------------------------------------- validation shared by both modules


def validate_name(field, name, prefix, what):
    """Problems with a declared rule or group name (length, characters, reserved name, scope)."""
    errors = []
    if name == DEFAULT_NAME:
        errors.append(
            f"{field} '{name}' is the built-in Default {what}, which cannot be created or deleted: "
            + ("set its rates with default_rule instead." if what == "sampling rule" else "use another name.")
        )
    elif not NAME.match(name or ""):
        errors.append(
            f"{field} '{name}' is not a valid {what} name: use 1 to 32 letters, digits, '_' or '-' "
            f"(it has {len(name or '')} characters)."
        )
    if prefix and not (name or "").startswith(prefix):
        errors.append(
            f"{field} '{name}' does not start with prefix '{prefix}': every declared {what} must be in the "
            "task's scope. Rename it or change prefix."
        )
    return errors


def validate_tags(field, tags):
    errors = []
    for key, value in (tags or {}).items():
        if not 1 <= len(key) <= 128:
            errors.append(f"{field} key '{key}' must have 1 to 128 characters.")
        elif key.startswith("aws:"):
            errors.append(f"{field} key '{key}' starts with 'aws:', which is reserved to AWS: rename the tag.")
        if value is None or len(str(value)) > 256:
            errors.append(f"{field}.{key} must be a string of at most 256 characters.")
    if len(tags or {}) > 50:
        errors.append(f"{field} has {len(tags)} tags: X-Ray allows at most 50 per resource.")
    return errors
