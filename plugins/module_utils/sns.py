# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon SNS topic attributes and the KMS key lookups that compare them, with retries and error handling
(the amazon.aws ``module_utils/ec2.py`` pattern)."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff

_RETRY = jittered_backoff()


class AnsibleSNSError(AnsibleAWSError):
    pass


class SNSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSNSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NotFound", "NotFoundException"])


@SNSErrorHandler.list_error_handler("get topic attributes", None)
@_RETRY
def topic_attributes(client, topic_arn):
    """The topic's attributes, or None when there is no such topic."""
    return client.get_topic_attributes(TopicArn=topic_arn)["Attributes"]


@SNSErrorHandler.common_error_handler("set topic attribute")
@_RETRY
def set_topic_attribute(client, topic_arn, name, value):
    client.set_topic_attributes(TopicArn=topic_arn, AttributeName=name, AttributeValue=value)


@SNSErrorHandler.list_error_handler("describe KMS key", None)
@_RETRY
def describe_key(client, key_id):
    """The key's metadata, or None when KMS does not know it."""
    return client.describe_key(KeyId=key_id)["KeyMetadata"]
