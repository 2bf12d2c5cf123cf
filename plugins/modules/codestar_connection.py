#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: codestar_connection
short_description: Manage an AWS CodeStar connection to GitHub, Bitbucket or GitLab, found by name
version_added: 1.0.0
description:
  - Creates, tags or deletes the connection CodePipeline's C(CodeStarSourceConnection) source actions use to read a
    repository. The connection is found by its name (names are not unique in AWS; two connections with the name
    fail the task).
  - A new connection is C(PENDING) until a person completes the handshake with the provider in the console
    (Developer Tools, Settings, Connections); the module warns then, and pipelines using it fail at their source
    action until it is C(AVAILABLE). Nothing else about a connection can change in place; another provider or host
    fails the task (delete the connection and create it again deliberately, then redo the handshake).
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  name:
    description: Name of the connection (1-32 characters).
    type: str
    required: true
  provider_type:
    description: Provider of the repositories.
    type: str
    choices: [Bitbucket, GitHub, GitHubEnterpriseServer, GitLab, GitLabSelfManaged]
    default: GitHub
  host_arn:
    description: ARN of the host of a self-managed provider (V(GitHubEnterpriseServer), V(GitLabSelfManaged)).
    type: str
  state:
    description: V(present) creates the connection when there is none with the name; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Supports check mode and diff mode. In check mode a connection that does not exist yet has no ARN.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The connection the pipelines read GitHub through
  securecloud.monitor.codestar_connection:
    name: prod-github
    tags:
      Environment: prod
  register: github

- name: Delete it
  securecloud.monitor.codestar_connection:
    name: prod-github
    state: absent
"""

RETURN = r"""
connection_arn:
  description: ARN of the connection; null after O(state=absent), or in check mode before it exists.
  returned: always
  type: str
  sample: arn:aws:codestar-connections:eu-west-1:123456789012:connection/0c5d6a1e-4a30-4f3c-9a4e-2b0e6c0f1d2a
connection_status:
  description: V(PENDING), V(AVAILABLE) or V(ERROR); null when there is no connection.
  returned: always
  type: str
  sample: PENDING
tags:
  description: Tags of the connection after the task.
  returned: when O(state=present)
  type: dict
diff:
  description: Before and after (name, provider, host, status, tags), with C(--diff).
  returned: when diff mode is on
  type: dict
"""


# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import codestar_connections as cc  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import is_arn  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import Rename, plan_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import fail_on_input_errors  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_changes  # noqa: E402


def validate(params):
    errors = []
    if not 1 <= len(params["name"]) <= 32:
        errors.append(f"name '{params['name']}' has {len(params['name'])} characters: use 1 to 32.")
    host = params.get("host_arn")
    if host and params["provider_type"] not in cc.SELF_HOSTED:
        errors.append(
            f"host_arn is for self-managed providers ({', '.join(cc.SELF_HOSTED)}), not {params['provider_type']}: "
            "remove host_arn or change provider_type."
        )
    elif host and not any(is_arn(host, service, "host") for service in ("codestar-connections", "codeconnections")):
        errors.append(
            f"host_arn '{host}' is not a connection host ARN (arn:aws:codestar-connections:REGION:ACCOUNT:host/ID)."
        )
    if params["provider_type"] in cc.SELF_HOSTED and not host:
        errors.append(f"provider_type {params['provider_type']} needs host_arn: the host of the self-managed server.")
    return errors


# Where the members of CreateConnection come from among the options (see module_utils/model_validation.py).
MODEL_RENAMES = (
    Rename("ConnectionName", "name"),
    Rename("HostArn", "host_arn"),
    Rename("ProviderType", "provider_type"),
)


def model_errors(service_model, params):
    """CreateConnection of the options checked against the CodeStar Connections model (name length, host ARN
    pattern, tag keys and values) before any call; [] when AWS would take it. Run once validate passes. Tag changes
    of an existing connection (TagResource) send the same tags."""
    if params["state"] == "absent":
        return []
    request = cc.create_request(params["name"], params["provider_type"], params["host_arn"], params.get("tags"))
    return plan_errors(service_model, [("CreateConnection", request)], MODEL_RENAMES)


def view(connection, tags):
    if not connection:
        return {}
    names = {
        "ConnectionName": "name",
        "ProviderType": "provider_type",
        "HostArn": "host_arn",
        "ConnectionStatus": "connection_status",
    }
    return {snake: connection.get(key) for key, snake in names.items()} | {"tags": tags}


def ensure_present(module, client, current):
    params = module.params
    if current:
        differs = [
            f"{option} is {current.get(key)}, not {params[option]}"
            for option, key in (("provider_type", "ProviderType"), ("host_arn", "HostArn"))
            if params[option] is not None and current.get(key) != params[option]
        ]
        if differs:
            module.fail_json(
                msg=f"connection {params['name']} exists and its {'; '.join(differs)}: a connection cannot change in "
                "place. Delete it (state: absent) and create it again, then complete the handshake again."
            )
    arn = (current or {}).get("ConnectionArn")
    current_tags = cc.get_tags(client, arn) if arn else {}
    tags, to_set, to_unset = tag_changes(current_tags, params.get("tags"), params["purge_tags"])
    changed = not current or bool(to_set or to_unset)
    status = (current or {}).get("ConnectionStatus")
    if changed and not module.check_mode:
        if not current:
            arn, status = (
                cc.create_connection(client, params["name"], params["provider_type"], params["host_arn"], tags),
                "PENDING",
            )
        else:
            if to_set:
                cc.tag_connection(client, arn, to_set)
            if to_unset:
                cc.untag_connection(client, arn, to_unset)
    if status == "PENDING":
        module.warn(
            f"connection {params['name']} is PENDING: complete the handshake with {params['provider_type']} in the "
            "console (Developer Tools > Settings > Connections) before its pipelines can read the repository."
        )
    after = {
        "ConnectionName": params["name"],
        "ProviderType": params["provider_type"],
        "HostArn": params["host_arn"],
        "ConnectionStatus": status if current or not module.check_mode else "PENDING",
    }
    result = {"changed": changed, "connection_arn": arn, "connection_status": after["ConnectionStatus"], "tags": tags}
    return result | diff_payload(module, view(current, current_tags), view(after, tags))


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            provider_type=dict(type="str", choices=list(cc.PROVIDERS), default="GitHub"),
            host_arn=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    errors = validate(module.params) if module.params["state"] == "present" else []
    fail_on_input_errors(module, errors)
    try:
        client = cc.connections_client(module)
        fail_on_input_errors(module, model_errors(client.meta.service_model, module.params))
        found = cc.connections_named(client, module.params["name"])
        if len(found) > 1:
            arns = ", ".join(c["ConnectionArn"] for c in found)
            module.fail_json(
                msg=f"name '{module.params['name']}' matches {len(found)} connections ({arns}): rename or delete "
                "the extra ones."
            )
        current = found[0] if found else None
        if module.params["state"] == "present":
            result = ensure_present(module, client, current)
        else:
            if current and not module.check_mode:
                cc.delete_connection(client, current["ConnectionArn"])
            before = view(current, {}) if current else {}
            result = {"changed": bool(current), "connection_arn": None, "connection_status": None}
            result.update(diff_payload(module, before, {}))
    except cc.AnsibleConnectionsError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
