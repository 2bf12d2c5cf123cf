# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The retry decorator every AWS call of this collection is wrapped with.

amazon.aws ``AWSRetry.jittered_backoff()`` retries ``Throttling`` (query protocol), ``RequestLimitExceeded`` (EC2)
and ``TooManyRequestsException``, but not ``ThrottlingException`` (the code of the JSON-protocol services: KMS,
CloudWatch, WAFv2, Shield, CodeBuild, ...), ``ThrottledException`` (X-Ray) or ``SlowDown`` (S3), so a call throttled
by those services had only botocore's own few attempts. :func:`jittered_backoff` is ``AWSRetry.jittered_backoff``
with those codes added to whatever extra codes the caller passes.
"""

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# Only the throttling codes amazon.aws AWSRetry.found() does not already retry.
THROTTLING_CODES = ("ThrottlingException", "ThrottledException", "SlowDown")


def jittered_backoff(catch_extra_error_codes=None, retry_class=AWSRetry, **kwargs):
    """``retry_class.jittered_backoff(**kwargs)`` that also retries :data:`THROTTLING_CODES`.

    ``retry_class`` is for an ``AWSRetry`` subclass that maps some errors to codes of its own (codebuild.py).
    """
    codes = [*THROTTLING_CODES, *(catch_extra_error_codes or ())]
    return retry_class.jittered_backoff(catch_extra_error_codes=codes, **kwargs)
