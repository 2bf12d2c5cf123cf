# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon CloudFront distribution configuration reads and writes, with retries and error handling (the
amazon.aws ``module_utils/ec2.py`` pattern)."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff

_RETRY = jittered_backoff()


class AnsibleCloudFrontError(AnsibleAWSError):
    pass


class CloudFrontErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudFrontError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NoSuchDistribution")


@CloudFrontErrorHandler.list_error_handler("get distribution config", (None, None))
@_RETRY
def distribution_config(client, distribution_id):
    """``(DistributionConfig, ETag)`` of the distribution, or ``(None, None)`` when there is no such one."""
    found = client.get_distribution_config(Id=distribution_id)
    return found["DistributionConfig"], found["ETag"]


@CloudFrontErrorHandler.common_error_handler("update distribution")
@_RETRY
def update_distribution(client, distribution_id, config, etag):
    """Write the whole config back under the ETag it was read with (CloudFront refuses a stale one)."""
    return client.update_distribution(Id=distribution_id, DistributionConfig=config, IfMatch=etag)


@CloudFrontErrorHandler.common_error_handler("wait for the distribution to deploy")
def wait_deployed(client, distribution_id, delay, max_attempts):
    client.get_waiter("distribution_deployed").wait(
        Id=distribution_id, WaiterConfig={"Delay": delay, "MaxAttempts": max_attempts}
    )
