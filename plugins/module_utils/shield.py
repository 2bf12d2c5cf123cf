# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Shield Advanced: API wrappers and resource-ARN classification.

Every call is wrapped with ``retry.jittered_backoff()`` and turned into :class:`AnsibleShieldError` by
:class:`ShieldErrorHandler` (the amazon.aws ``module_utils/ec2.py`` pattern). List calls read every page.

Shield is a global service whose API is served from us-east-1 only, so :func:`shield_client` pins the
region whatever the task's ``region`` is; ``endpoint_url`` (a local emulator, a VPC endpoint) is kept.
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import arn_parts
from ansible_collections.securecloud.monitor.plugins.module_utils.pages import all_pages
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import (  # pylint: disable=unused-import
    tag_changes,  # noqa: F401
    tag_dict,
    tag_list,
)

SHIELD_REGION = "us-east-1"

# Shield answers concurrent changes to the same account settings with OptimisticLockException; a retry
# after a short wait succeeds. Reads may also get InternalErrorException, which is safe to retry.
_WRITE_RETRY = jittered_backoff(catch_extra_error_codes=["OptimisticLockException"])
_READ_RETRY = jittered_backoff(catch_extra_error_codes=["InternalErrorException"])


class AnsibleShieldError(AnsibleAWSError):
    pass


class ShieldErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleShieldError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


def shield_client(module):
    """A Shield client in us-east-1 (the only Shield API region), honouring endpoint_url and credentials."""
    return module.client("shield", region=SHIELD_REGION)


def alar_from_api(protection):
    """block | count | disabled from a Protection's ApplicationLayerAutomaticResponseConfiguration."""
    config = protection.get("ApplicationLayerAutomaticResponseConfiguration") or {}
    if config.get("Status") != "ENABLED":
        return "disabled"
    return "block" if "Block" in (config.get("Action") or {}) else "count"


def _settable_tags(tags):
    """A Tags list for a create call; ``aws:`` keys are reserved to AWS and cannot be set."""
    return tag_list(tags)


# ---------------------------------------------------------------- protections


@ShieldErrorHandler.list_error_handler("list protections", [])
@_READ_RETRY
def list_protections(client, **params):
    paginator = client.get_paginator("list_protections")
    return paginator.paginate(**params).build_full_result().get("Protections", [])


@ShieldErrorHandler.list_error_handler("describe protection", None)
@_READ_RETRY
def describe_protection(client, protection_id=None, resource_arn=None):
    params = {"ProtectionId": protection_id} if protection_id else {"ResourceArn": resource_arn}
    return client.describe_protection(**params)["Protection"]


@ShieldErrorHandler.common_error_handler("create protection")
@_WRITE_RETRY
def create_protection(client, name, resource_arn, tags=None):
    params = {"Name": name, "ResourceArn": resource_arn}
    tags = _settable_tags(tags)
    if tags:
        params["Tags"] = tags
    return client.create_protection(**params)["ProtectionId"]


@ShieldErrorHandler.deletion_error_handler("delete protection")
@_WRITE_RETRY
def delete_protection(client, protection_id):
    client.delete_protection(ProtectionId=protection_id)
    return True


@ShieldErrorHandler.common_error_handler("associate health check")
@_WRITE_RETRY
def associate_health_check(client, protection_id, health_check_arn):
    client.associate_health_check(ProtectionId=protection_id, HealthCheckArn=health_check_arn)
    return True


@ShieldErrorHandler.deletion_error_handler("disassociate health check")
@_WRITE_RETRY
def disassociate_health_check(client, protection_id, health_check_arn):
    client.disassociate_health_check(ProtectionId=protection_id, HealthCheckArn=health_check_arn)
    return True


def _response_action(action):
    return {"Block": {}} if action == "block" else {"Count": {}}


@ShieldErrorHandler.common_error_handler("enable application layer automatic response")
@_WRITE_RETRY
def enable_application_layer_automatic_response(client, resource_arn, action):
    client.enable_application_layer_automatic_response(ResourceArn=resource_arn, Action=_response_action(action))
    return True


@ShieldErrorHandler.common_error_handler("update application layer automatic response")
@_WRITE_RETRY
def update_application_layer_automatic_response(client, resource_arn, action):
    client.update_application_layer_automatic_response(ResourceArn=resource_arn, Action=_response_action(action))
    return True


@ShieldErrorHandler.common_error_handler("disable application layer automatic response")
@_WRITE_RETRY
def disable_application_layer_automatic_response(client, resource_arn):
    client.disable_application_layer_automatic_response(ResourceArn=resource_arn)
    return True


# ---------------------------------------------------------------- tags


@ShieldErrorHandler.list_error_handler("list tags for resource", {})
@_READ_RETRY
def list_tags(client, arn):
    tags = client.list_tags_for_resource(ResourceARN=arn).get("Tags") or []
    return tag_dict(tags)


@ShieldErrorHandler.common_error_handler("tag resource")
@_WRITE_RETRY
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceARN=arn, Tags=tag_list(tags))
    return True


@ShieldErrorHandler.common_error_handler("untag resource")
@_WRITE_RETRY
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceARN=arn, TagKeys=sorted(keys))
    return True


# ---------------------------------------------------------------- protection groups


@ShieldErrorHandler.list_error_handler("list protection groups", [])
@_READ_RETRY
def list_protection_groups(client, **params):
    return all_pages(client.list_protection_groups, "ProtectionGroups", **params)


@ShieldErrorHandler.list_error_handler("describe protection group", None)
@_READ_RETRY
def describe_protection_group(client, protection_group_id):
    return client.describe_protection_group(ProtectionGroupId=protection_group_id)["ProtectionGroup"]


@ShieldErrorHandler.list_error_handler("list resources in protection group", [])
@_READ_RETRY
def list_resources_in_protection_group(client, protection_group_id):
    return all_pages(client.list_resources_in_protection_group, "ResourceArns", ProtectionGroupId=protection_group_id)


@ShieldErrorHandler.common_error_handler("create protection group")
@_WRITE_RETRY
def create_protection_group(client, **params):
    client.create_protection_group(**params)
    return True


@ShieldErrorHandler.common_error_handler("update protection group")
@_WRITE_RETRY
def update_protection_group(client, **params):
    client.update_protection_group(**params)
    return True


@ShieldErrorHandler.deletion_error_handler("delete protection group")
@_WRITE_RETRY
def delete_protection_group(client, protection_group_id):
    client.delete_protection_group(ProtectionGroupId=protection_group_id)
    return True


# ---------------------------------------------------------------- subscription


@ShieldErrorHandler.common_error_handler("get subscription state")
@_READ_RETRY
def get_subscription_state(client):
    return client.get_subscription_state()["SubscriptionState"]


@ShieldErrorHandler.list_error_handler("describe subscription", None)
@_READ_RETRY
def describe_subscription(client):
    return client.describe_subscription()["Subscription"]


@ShieldErrorHandler.common_error_handler("create subscription")
@_WRITE_RETRY
def create_subscription(client):
    client.create_subscription()
    return True


@ShieldErrorHandler.common_error_handler("update subscription")
@_WRITE_RETRY
def update_subscription(client, auto_renew):
    client.update_subscription(AutoRenew=auto_renew)
    return True


# ---------------------------------------------------------------- SRT (formerly DRT) access


@ShieldErrorHandler.common_error_handler("describe DRT access")
@_READ_RETRY
def describe_drt_access(client):
    response = client.describe_drt_access()
    return {"RoleArn": response.get("RoleArn"), "LogBucketList": response.get("LogBucketList") or []}


@ShieldErrorHandler.common_error_handler("associate DRT role")
@_WRITE_RETRY
def associate_drt_role(client, role_arn):
    client.associate_drt_role(RoleArn=role_arn)
    return True


@ShieldErrorHandler.common_error_handler("disassociate DRT role")
@_WRITE_RETRY
def disassociate_drt_role(client):
    client.disassociate_drt_role()
    return True


@ShieldErrorHandler.common_error_handler("associate DRT log bucket")
@_WRITE_RETRY
def associate_drt_log_bucket(client, bucket):
    client.associate_drt_log_bucket(LogBucket=bucket)
    return True


@ShieldErrorHandler.deletion_error_handler("disassociate DRT log bucket")
@_WRITE_RETRY
def disassociate_drt_log_bucket(client, bucket):
    client.disassociate_drt_log_bucket(LogBucket=bucket)
    return True


# ---------------------------------------------------------------- emergency contacts, proactive engagement


@ShieldErrorHandler.list_error_handler("describe emergency contact settings", [])
@_READ_RETRY
def describe_emergency_contact_settings(client):
    return client.describe_emergency_contact_settings().get("EmergencyContactList") or []


@ShieldErrorHandler.common_error_handler("update emergency contact settings")
@_WRITE_RETRY
def update_emergency_contact_settings(client, contacts):
    client.update_emergency_contact_settings(EmergencyContactList=contacts)
    return True


@ShieldErrorHandler.common_error_handler("associate proactive engagement details")
@_WRITE_RETRY
def associate_proactive_engagement_details(client, contacts):
    client.associate_proactive_engagement_details(EmergencyContactList=contacts)
    return True


@ShieldErrorHandler.common_error_handler("enable proactive engagement")
@_WRITE_RETRY
def enable_proactive_engagement(client):
    client.enable_proactive_engagement()
    return True


@ShieldErrorHandler.common_error_handler("disable proactive engagement")
@_WRITE_RETRY
def disable_proactive_engagement(client):
    client.disable_proactive_engagement()
    return True


def arn_partition(arn):
    parts = arn_parts(arn)
    return parts["partition"] if parts else "aws"


_HEALTH_CHECK_ID = re.compile(r"^[A-Za-z0-9-]+$")


def health_check_id(arn):
    """The ID of a Route 53 health check ARN (``arn:PARTITION:route53:::healthcheck/ID``), or None when ``arn`` is
    not one; parsed with amazon.aws ``module_utils.arn``."""
    parsed = parse_aws_arn(arn) if isinstance(arn, str) else None
    if (
        not parsed
        or parsed["service"] != "route53"
        or parsed.get("resource_type") != "healthcheck"
        or parsed["region"]
        or parsed["account_id"]
        or not _HEALTH_CHECK_ID.match(parsed.get("resource_id") or "")
    ):
        return None
    return parsed["resource_id"]


def health_check_arn(partition, check_id):
    """Shield returns health check IDs; its Associate/Disassociate calls take ARNs."""
    return f"arn:{partition}:route53:::healthcheck/{check_id}"
