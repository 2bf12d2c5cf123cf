# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CodeStar connections: API wrappers with retries, pagination and error handling."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.securecloud.monitor.plugins.module_utils.pages import all_pages
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_dict, tag_list

PROVIDERS = ("Bitbucket", "GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged")
SELF_HOSTED = ("GitHubEnterpriseServer", "GitLabSelfManaged")
_RETRY = jittered_backoff()


class AnsibleConnectionsError(AnsibleAWSError):
    pass


class ConnectionsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleConnectionsError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


def connections_client(module):
    return module.client("codestar-connections")


@ConnectionsErrorHandler.list_error_handler("list connections", [])
@_RETRY
def connections_named(client, name):
    return [c for c in all_pages(client.list_connections, "Connections") if c["ConnectionName"] == name]


@ConnectionsErrorHandler.list_error_handler("list connection tags", {})
@_RETRY
def get_tags(client, arn):
    return tag_dict(client.list_tags_for_resource(ResourceArn=arn).get("Tags"))


@ConnectionsErrorHandler.common_error_handler("create connection")
@_RETRY
def create_connection(client, name, provider, host_arn, tags):
    return client.create_connection(**create_request(name, provider, host_arn, tags))["ConnectionArn"]


def create_request(name, provider, host_arn, tags):
    """The CreateConnection request (also what codestar_connection checks against the model before any call)."""
    params = {"ConnectionName": name}
    if host_arn:
        params["HostArn"] = host_arn
    else:
        params["ProviderType"] = provider
    if tags:
        params["Tags"] = tag_list(tags)
    return params


@ConnectionsErrorHandler.deletion_error_handler("delete connection")
@_RETRY
def delete_connection(client, arn):
    client.delete_connection(ConnectionArn=arn)


@ConnectionsErrorHandler.common_error_handler("tag connection")
@_RETRY
def tag_connection(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=tag_list(tags))


@ConnectionsErrorHandler.common_error_handler("untag connection")
@_RETRY
def untag_connection(client, arn, keys):
    client.untag_resource(ResourceArn=arn, TagKeys=list(keys))
