# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM roles for iam_role_set: API wrappers, the option shape of a role as AWS holds it, and the checks of declared
roles that need no AWS call.

The calls amazon.aws ``module_utils/iam.py`` has (roles, their policies and instance profiles listed, a managed policy
detached, a role taken out of an instance profile, IAM name checks) are its own; the others are wrapped the same way,
with its ``IAMErrorHandler`` and ``AnsibleIAMError``, and read every page. IAM returns policy documents URL-encoded JSON
(botocore decodes them into dicts); :func:`policy_document` accepts either, so documents are compared as JSON values,
never as text.
"""

import json
import re
from urllib.parse import unquote

from ansible_collections.amazon.aws.plugins.module_utils.iam import (
    IAMErrorHandler,
    detach_iam_role_policy,
    list_iam_instance_profiles,
    list_iam_role_attached_policies,
    list_iam_role_policies,
    remove_role_from_iam_instance_profile,
    validate_iam_identifiers,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import arn_parts, is_arn
from ansible_collections.securecloud.monitor.plugins.module_utils.concurrent_reads import read_concurrently
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_dict

# IAM quotas that cannot be raised (IAM User Guide, "IAM and AWS STS quotas").
MAX_INLINE_POLICY_CHARACTERS = 10240  # a role's inline policies together, whitespace not counted
_RETRY = jittered_backoff()


# ---------------------------------------------------------------- API wrappers


def _all(client, operation, key, **kwargs):
    return client.get_paginator(operation).paginate(**kwargs).build_full_result().get(key, [])


@IAMErrorHandler.list_error_handler("list role tags", [])
@_RETRY
def list_role_tags(client, name):
    return _all(client, "list_role_tags", "Tags", RoleName=name)


@IAMErrorHandler.list_error_handler("get role policy", None)
@_RETRY
def get_role_policy(client, name, policy_name):
    return client.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"]


@IAMErrorHandler.common_error_handler("create role")
@_RETRY
def create_role(client, request):
    client.create_role(**request)


@IAMErrorHandler.common_error_handler("update role description")
@_RETRY
def update_description(client, name, description):
    client.update_role(RoleName=name, Description=description)


@IAMErrorHandler.common_error_handler("update role trust policy")
@_RETRY
def update_trust_policy(client, name, document):
    client.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(document))


@IAMErrorHandler.common_error_handler("tag role")
@_RETRY
def tag_role(client, name, tags):
    client.tag_role(RoleName=name, Tags=tags)


@IAMErrorHandler.common_error_handler("untag role")
@_RETRY
def untag_role(client, name, keys):
    client.untag_role(RoleName=name, TagKeys=keys)


@IAMErrorHandler.common_error_handler("attach role policy")
@_RETRY
def attach_policy(client, name, arn):
    client.attach_role_policy(RoleName=name, PolicyArn=arn)


@IAMErrorHandler.common_error_handler("put role policy")
@_RETRY
def put_inline_policy(client, name, policy_name, document):
    client.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(document))


@IAMErrorHandler.deletion_error_handler("delete role policy")
@_RETRY
def delete_inline_policy(client, name, policy_name):
    client.delete_role_policy(RoleName=name, PolicyName=policy_name)


@IAMErrorHandler.deletion_error_handler("delete role")
@_RETRY
def delete_role(client, name):
    client.delete_role(RoleName=name)


def delete_role_with_attachments(client, role):
    """Delete a role (a view of :func:`role_view`): IAM refuses while it has policies or instance profiles."""
    name = role["name"]
    for policy_name in sorted(role["inline_policies"]):
        delete_inline_policy(client, name, policy_name)
    for arn in role["managed_policies"]:
        detach_iam_role_policy(client, arn, name)
    for profile in list_iam_instance_profiles(client, role=name):
        remove_role_from_iam_instance_profile(client, profile["InstanceProfileName"], name)
    delete_role(client, name)


def read_role(client, role):
    """The view of an API Role (from ListRoles) with its tags, managed policies and inline policies read."""
    name = role["RoleName"]
    facets = read_concurrently(
        tags=lambda: list_role_tags(client, name),
        attached=lambda: list_iam_role_attached_policies(client, name),
        inline=lambda: list_iam_role_policies(client, name),
    )
    inline = {policy: get_role_policy(client, name, policy) for policy in facets["inline"]}
    return role_view(role, facets["tags"], facets["attached"], inline)


# ---------------------------------------------------------------- shapes


def policy_document(value):
    """A policy document as a JSON value: IAM's URL-encoded text, plain JSON text or an already decoded dict."""
    if isinstance(value, str):
        text = value if value.lstrip().startswith("{") else unquote(value)
        return json.loads(text)
    return value


def role_view(role, tags, attached, inline):
    """A role in the shape of the module's options: inline policies by name, managed policy ARNs sorted."""
    return {
        "name": role["RoleName"],
        "description": role.get("Description") or "",
        "assume_role_policy": policy_document(role.get("AssumeRolePolicyDocument") or {}),
        "managed_policies": sorted(p["PolicyArn"] for p in attached),
        "inline_policies": {name: policy_document(doc or {}) for name, doc in inline.items()},
        "tags": tag_dict(tags),
    }


def declared_view(declared, current, tags_after):
    """The view a declared role has after the task (``current`` None for a new role)."""
    description = declared["description"]
    if description is None:
        description = current["description"] if current else ""
    inline = declared.get("inline_policy")
    return {
        "name": declared["name"],
        "description": description,
        "assume_role_policy": declared["assume_role_policy"],
        "managed_policies": sorted(set(declared["managed_policies"])),
        "inline_policies": {inline["name"]: inline["document"]} if inline else {},
        "tags": tags_after,
    }


def create_request(declared, tag_list):
    request = {
        "RoleName": declared["name"],
        "AssumeRolePolicyDocument": json.dumps(declared["assume_role_policy"]),
        "Description": declared["description"] or "",
    }
    if not request["Description"]:
        del request["Description"]
    if tag_list:
        request["Tags"] = tag_list
    return request


# ---------------------------------------------------------------- checks


def is_managed_policy_arn(value):
    """An IAM policy ARN: an AWS managed one (account ``aws``) or one of an account (12 digits)."""
    if is_arn(value, "iam", "policy", regional=False):
        return True
    parts = arn_parts(value)
    return is_arn(value, "iam", "policy", regional=False, in_account=False) and parts["account_id"] == "aws"


def _inline_errors(field, inline):
    if inline is None:
        return []
    size = len(re.sub(r"\s", "", json.dumps(inline["document"])))
    if size > MAX_INLINE_POLICY_CHARACTERS:
        return [
            f"{field}.inline_policy.document has {size} characters without whitespace: IAM allows "
            f"{MAX_INLINE_POLICY_CHARACTERS} for a role's inline policies; move statements to a managed policy."
        ]
    return []


def _role_errors(index, role, prefix):
    field, name = f"roles[{index}]", role["name"]
    errors = []
    if not name.startswith(prefix):
        errors.append(f"{field}.name '{name}' must start with the prefix '{prefix}' (the scope this task owns).")
    if validate_iam_identifiers("role", name):
        errors.append(f"{field}.name '{name}' must have 1 to 64 letters, digits or +=,.@_- (IAM role names).")
    for position, arn in enumerate(role["managed_policies"]):
        if not is_managed_policy_arn(arn):
            errors.append(
                f"{field}.managed_policies[{position}] '{arn}' is not an IAM policy ARN: write "
                "arn:aws:iam::aws:policy/NAME for an AWS managed policy or arn:aws:iam::ACCOUNT:policy/NAME."
            )
    return errors + _inline_errors(field, role.get("inline_policy"))


def roles_errors(prefix, roles):
    """Every problem with the declared roles, as messages naming the field and the fix (no AWS call)."""
    errors = [] if prefix else ["prefix is empty: give the name prefix of the roles this task owns."]
    names = [r["name"] for r in roles]
    for index, name in enumerate(names):
        if name in names[:index]:
            errors.append(
                f"roles[{index}].name '{name}' repeats roles[{names.index(name)}].name: role names are unique."
            )
    for index, role in enumerate(roles):
        errors.extend(_role_errors(index, role, prefix or ""))
    return errors
