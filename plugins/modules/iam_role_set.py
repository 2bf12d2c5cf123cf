#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: iam_role_set
short_description: Manage every IAM service role with a name prefix, with its policies, in one call
version_added: 1.1.0
description:
  - Makes the IAM roles of an account whose names start with O(prefix) match O(roles), each with its trust policy,
    description, managed policies, one inline policy and tags.
  - Roles with the prefix that O(roles) does not declare are deleted when O(purge=true), with their inline
    policies, managed policy attachments and instance profile memberships (IAM refuses to delete a role that has
    any).
  - Policy documents are compared as JSON values (IAM returns them URL-encoded), so a re-run with the same input
    reports no change and makes no mutating call, whatever the key order or spacing.
  - Every input is checked before any AWS call (role names, managed policy ARNs, IAM's limit on inline policy
    size); the error names the field, for example C(roles[2].managed_policies[0]), and the fix. The requests of the
    declared roles are then checked against the IAM service model, before the set's first write.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  prefix:
    required: true
  roles:
    description: The roles in the scope.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the role, starting with O(prefix); 1 to 64 letters, digits or C(+=,.@_-).
        type: str
        required: true
      description:
        description: Description of the role. Not set leaves the description of an existing role alone.
        type: str
      assume_role_policy:
        description: The trust policy, a policy document (who may assume the role).
        type: dict
        required: true
      managed_policies:
        description:
          - ARNs of the managed policies attached to the role, the whole set (others are detached), for example
            V(arn:aws:iam::aws:policy/ReadOnlyAccess).
        type: list
        elements: str
        default: []
      inline_policy:
        description:
          - The role's one inline policy. Other inline policies of the role are deleted; not set deletes them all.
        type: dict
        suboptions:
          name:
            description: Name of the inline policy.
            type: str
            required: true
          document:
            description: The policy document.
            type: dict
            required: true
      tags:
        description: Tags of the role. Not set leaves the tags of an existing role alone; see O(purge_tags).
        type: dict
  purge_tags:
    description:
      - Remove tags of a declared role that are not in its O(roles[].tags). No effect on a role whose
        O(roles[].tags) is not set. Tags starting with V(aws:) are never removed.
    type: bool
    default: true
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made, and the result says
    exactly what a real run would change.
  - O(prefix) is required and must not be empty. With O(state=absent), O(roles) is ignored but still checked.
  - A run reads the roles (one paginated C(ListRoles)), then per role in the scope its tags, attached policies and
    inline policy names (at the same time) and each inline policy; a re-run with the same input makes no other call.
  - Roles are managed at path V(/); the role's maximum session duration and permissions boundary are left alone.
  - A new role's trust policy may take a few seconds to be usable by the service that assumes it (IAM is eventually
    consistent).
extends_documentation_fragment:
  - securecloud.monitor.set_module
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The roles CodeBuild and CodePipeline assume in the prod environment
  securecloud.monitor.iam_role_set:
    prefix: prod-code
    roles:
      - name: prod-codebuild-plan
        description: CodeBuild plans the prod infrastructure
        assume_role_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {Service: codebuild.amazonaws.com}
              Action: sts:AssumeRole
        managed_policies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
        inline_policy:
          name: delivery
          document:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: logs:PutLogEvents, Resource: "arn:aws:logs:eu-west-1:123456789012:*"}
        tags: {env: prod}

- name: Delete every role of the prod delivery layer
  securecloud.monitor.iam_role_set:
    prefix: prod-code
    state: absent
"""

RETURN = r"""
roles:
  description:
    - The roles in the scope after the task (in check mode, as they would be), sorted by name, in the shape of
      O(roles), with every inline policy by name.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the role.
      type: str
      sample: prod-codebuild-plan
    description:
      description: Description of the role (V('') for none).
      type: str
      sample: CodeBuild plans the prod infrastructure
    assume_role_policy:
      description: The trust policy document.
      type: dict
      sample: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
               "Principal": {"Service": "codebuild.amazonaws.com"}}]}
    managed_policies:
      description: ARNs of the attached managed policies, sorted.
      type: list
      elements: str
      sample: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    inline_policies:
      description: The inline policy documents, by policy name.
      type: dict
      sample: {"delivery": {"Version": "2012-10-17", "Statement": []}}
    tags:
      description: Tags of the role.
      type: dict
      sample: {"env": "prod"}
changes:
  description: Names of the roles created, updated (trust, description, policies or tags) and deleted.
  returned: always
  type: dict
  contains:
    created:
      description: Roles created (or that check mode would create).
      type: list
      elements: str
      sample: [prod-codebuild-plan]
    updated:
      description: Roles whose trust policy, description, policies or tags changed.
      type: list
      elements: str
      sample: []
    deleted:
      description: Roles deleted.
      type: list
      elements: str
      sample: []
diff:
  description: Before and after, roles by name in the shape of RV(roles), with C(--diff).
  returned: when diff mode is on
  type: dict
written:
  description:
    - Set only when a write failed partway (retries exhausted, a permission missing); the task then fails. The names of
      the roles all of whose writes were made, in the order the plan made them. See the notes.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod-codebuild]
not_written:
  description:
    - Set only when a write failed partway. The names of the roles with a write not made, the one whose write failed
      first; a rerun of the task writes what is missing.
  returned: when a write fails
  type: list
  elements: str
  sample: [prod-codedeploy, prod-codepipeline]
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import json  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.iam import (  # noqa: E402
    AnsibleIAMError,
    detach_iam_role_policy,
    list_iam_roles,
)
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import iam  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    request_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import run_model_checked  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.set_module import (  # noqa: E402
    PlannedSetManager,
    declared_items,
    deletes_undeclared,
    set_argument_spec,
    settle,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_changes, tag_list  # noqa: E402


class RoleSetManager(PlannedSetManager):
    def __init__(self, module, client):
        super().__init__(module, client)
        self.changes = {"created": [], "updated": [], "deleted": []}

    def read(self):
        """{name: view} of the roles in the scope."""
        return {
            role["RoleName"]: iam.read_role(self.client, role)
            for role in list_iam_roles(self.client)
            if self.in_scope(role["RoleName"])
        }

    def process(self):
        current = self.read()
        declared = {role["name"]: role for role in declared_items(self.params, "roles")}
        after = {name: view for name, view in current.items() if name not in declared}
        for name, role in declared.items():
            after[name] = self.plan_role(role, current.get(name))
        if deletes_undeclared(self.params):
            for name in sorted(set(current) - set(declared)):
                self.changes["deleted"].append(name)
                self.plan(name, iam.delete_role_with_attachments, current[name])
                del after[name]
        self.apply_plan()
        return {
            "changed": self.changed,
            "roles": [after[name] for name in sorted(after)],
            "changes": self.changes,
            **diff_payload(self.module, current, after),
        }

    def plan_role(self, declared, current):
        """Plan the calls that make one role as declared; its view after the task."""
        name = declared["name"]
        tags, to_set, to_unset = tag_changes(
            current["tags"] if current else {}, declared.get("tags"), self.params["purge_tags"]
        )
        after = iam.declared_view(declared, current, tags)
        before = current or {"assume_role_policy": None, "description": None, "managed_policies": []}
        if current is None:
            self.changes["created"].append(name)
            self.plan(name, iam.create_role, iam.create_request(declared, tag_list(tags)))
            before = dict(before, description=after["description"], inline_policies={})
        else:
            self.plan_attributes(name, before, after, to_set, to_unset)
        self.plan_policies(name, before, after)
        if current is not None and before != after:
            self.changes["updated"].append(name)
        return after

    def plan_attributes(self, name, before, after, to_set, to_unset):
        if before["assume_role_policy"] != after["assume_role_policy"]:
            self.plan(name, iam.update_trust_policy, name, after["assume_role_policy"])
        if before["description"] != after["description"]:
            self.plan(name, iam.update_description, name, after["description"])
        if to_unset:
            self.plan(name, iam.untag_role, name, to_unset)
        if to_set:
            self.plan(name, iam.tag_role, name, tag_list(to_set))

    def plan_policies(self, name, before, after):
        """Attach before detaching and put before deleting, so the role never lacks a permission it keeps."""
        for arn in sorted(set(after["managed_policies"]) - set(before["managed_policies"])):
            self.plan(name, iam.attach_policy, name, arn)
        for arn in sorted(set(before["managed_policies"]) - set(after["managed_policies"])):
            self.plan(name, detach_iam_role_policy, arn, name)
        for policy_name, document in after["inline_policies"].items():
            if before["inline_policies"].get(policy_name) != document:
                self.plan(name, iam.put_inline_policy, name, policy_name, document)
        for policy_name in sorted(set(before["inline_policies"]) - set(after["inline_policies"])):
            self.plan(name, iam.delete_inline_policy, name, policy_name)


def model_errors(service_model, params):
    """The requests of every declared role checked against the IAM model (CreateRole, PutRolePolicy,
    AttachRolePolicy, TagRole), so that the whole set is refused before its first write; [] when IAM would take
    them."""
    if params["state"] == "absent":
        return []
    errors = []
    for index, role in enumerate(params["roles"]):
        at = f"roles[{index}]"
        request = iam.create_request(role, [])
        errors += request_errors(
            service_model,
            "CreateRole",
            request,
            (Rename("AssumeRolePolicyDocument", "assume_role_policy"), Rename("RoleName", "name")),
            at=at,
        )
        inline = role.get("inline_policy")
        if inline:
            put = dict(RoleName=role["name"], PolicyName=inline["name"], PolicyDocument=json.dumps(inline["document"]))
            errors += request_errors(
                service_model,
                "PutRolePolicy",
                put,
                (
                    Rename("RoleName", "name"),
                    Rename("PolicyName", "inline_policy.name"),
                    Rename("PolicyDocument", "inline_policy.document"),
                ),
                at=at,
            )
        for position, arn in enumerate(role["managed_policies"]):
            attach = dict(RoleName=role["name"], PolicyArn=arn)
            errors += request_errors(
                service_model,
                "AttachRolePolicy",
                attach,
                (Rename("RoleName", "name"), Rename("PolicyArn", f"managed_policies[{position}]")),
                at=at,
            )
        if role.get("tags"):
            tagging = dict(RoleName=role["name"], Tags=tag_list(role["tags"]))
            errors += request_errors(
                service_model, "TagRole", tagging, (Rename("RoleName", "name"), Rename("Tags", "tags")), at=at
            )
    return errors


def main():
    inline_policy = dict(name=dict(type="str", required=True), document=dict(type="dict", required=True))
    role = dict(
        name=dict(type="str", required=True),
        description=dict(type="str"),
        assume_role_policy=dict(type="dict", required=True),
        managed_policies=dict(type="list", elements="str", default=[]),
        inline_policy=dict(type="dict", options=inline_policy),
        tags=dict(type="dict"),
    )
    argument_spec = dict(
        **set_argument_spec(),
        roles=dict(type="list", elements="dict", default=[], options=role),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    settle(module)
    errors = iam.roles_errors(module.params["prefix"], module.params["roles"])

    run_model_checked(
        module,
        errors,
        lambda: module.client("iam"),
        lambda service_model: model_errors(service_model, module.params),
        lambda client: RoleSetManager(module, client).process(),
        AnsibleIAMError,
    )


if __name__ == "__main__":
    main()
