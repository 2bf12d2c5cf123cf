# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon ECR repositories: API wrappers (retries, error handling; the amazon.aws ``module_utils/ec2.py`` pattern)
and the option-shaped view of a repository the ecr_repository module compares."""

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_dict

_RETRY = jittered_backoff()
_MISSING = [
    "RepositoryNotFoundException",
    "LifecyclePolicyNotFoundException",
    "RepositoryPolicyNotFoundException",
]


class AnsibleECRError(AnsibleAWSError):
    pass


class ECRErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleECRError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(_MISSING)


@ECRErrorHandler.list_error_handler("describe repository", None)
@_RETRY
def describe_repository(client, name):
    return client.describe_repositories(repositoryNames=[name])["repositories"][0]


@ECRErrorHandler.list_error_handler("get lifecycle policy", None)
@_RETRY
def get_lifecycle_policy(client, name):
    return json.loads(client.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"])


@ECRErrorHandler.list_error_handler("get repository policy", None)
@_RETRY
def get_repository_policy(client, name):
    return json.loads(client.get_repository_policy(repositoryName=name)["policyText"])


@ECRErrorHandler.list_error_handler("list tags of repository", [])
@_RETRY
def list_tags(client, arn):
    return client.list_tags_for_resource(resourceArn=arn).get("tags", [])


@ECRErrorHandler.common_error_handler("update repository")
@_RETRY
def call(client, operation, **request):
    """One mutating call, by its boto3 name (create_repository, put_image_tag_mutability, ...)."""
    return getattr(client, operation)(**request)


@ECRErrorHandler.deletion_error_handler("delete repository")
@_RETRY
def delete_repository(client, name, force):
    client.delete_repository(repositoryName=name, force=force)


def repository_view(repository, lifecycle_policy, repository_policy, tags):
    """A repository as ECR describes it, in the options' shape."""
    encryption = repository.get("encryptionConfiguration") or {"encryptionType": "AES256"}
    return dict(
        name=repository["repositoryName"],
        arn=repository["repositoryArn"],
        uri=repository.get("repositoryUri", ""),
        image_tag_mutability=repository.get("imageTagMutability", "MUTABLE"),
        scan_on_push=bool((repository.get("imageScanningConfiguration") or {}).get("scanOnPush")),
        encryption_type=encryption["encryptionType"],
        kms_key=encryption.get("kmsKey", ""),
        lifecycle_policy=lifecycle_policy,
        repository_policy=repository_policy,
        tags=tag_dict(tags),
    )
