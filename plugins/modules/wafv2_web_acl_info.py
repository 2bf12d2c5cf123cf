#!/usr/bin/python

# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: wafv2_web_acl_info
short_description: Read AWS WAFv2 web ACLs in the shape of securecloud.monitor.wafv2_web_acl's options
version_added: 1.0.0
description:
  - Returns the web ACLs of a scope (or the one called O(name)) with their rules, associations, logging
    configuration and tags, in the shape M(securecloud.monitor.wafv2_web_acl) takes, so a compliance run can compare
    them with the declared configuration.
  - Associations are listed for every resource type a regional web ACL can protect (one C(ListResourcesForWebACL)
    call per type and web ACL) unless O(resource_types) narrows them down.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  name:
    description: Name of the web ACL; not set returns every web ACL of the scope.
    type: str
  scope:
    description: V(REGIONAL) or V(CLOUDFRONT) (the latter in us-east-1 only).
    type: str
    choices: [REGIONAL, CLOUDFRONT]
    default: REGIONAL
  resource_types:
    description:
      - Resource types whose associations are listed (O(scope=REGIONAL) only). V([]) skips associations.
      - Each one a C(ResourceType) of the WAFv2 API as the installed botocore knows it (with botocore 1.44
        V(APPLICATION_LOAD_BALANCER), V(API_GATEWAY), V(APPSYNC), V(COGNITO_USER_POOL), V(APP_RUNNER_SERVICE),
        V(VERIFIED_ACCESS_INSTANCE), V(AMPLIFY), V(AGENTCORE_GATEWAY)); not set, all of them.
    type: list
    elements: str
  show_header_values:
    description:
      - Return the search strings of byte matches on a single header as they are. By default they are masked
        (C(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER)), as Ansible masks a C(no_log) value, because the header value a web ACL
        requires is a shared secret (the origin-verify header CloudFront sends, an API key), and a read, in a log
        or a compliance report, must not print it.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Read one web ACL
  securecloud.monitor.wafv2_web_acl_info:
    name: edge-api
  register: acl_info

- name: It blocks by default and logs
  ansible.builtin.assert:
    that:
      - acl_info.web_acls | length == 1
      - acl_info.web_acls[0].logging.enabled
      - "'rate-limit' in acl_info.web_acls[0].rules | map(attribute='name')"
"""

RETURN = r"""
web_acls:
  description:
    - The web ACLs, each in the shape of M(securecloud.monitor.wafv2_web_acl)'s options plus C(id), C(arn),
      C(capacity) and C(label_namespace); see that module's C(web_acl) return value.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name.
      type: str
      returned: always
    arn:
      description: ARN.
      type: str
      returned: always
    rules:
      description: Rules in the shape of the module's O(securecloud.monitor.wafv2_web_acl#module:rules) option.
      type: list
      elements: dict
      returned: always
    associations:
      description: ARNs of the associated resources (for O(scope=REGIONAL)).
      type: list
      elements: str
      returned: when O(scope=REGIONAL)
    logging:
      description: Logging configuration; C(enabled) is false when the web ACL does not log.
      type: dict
      returned: always
    tags:
      description: Tags.
      type: dict
      returned: always
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.wafv2 import (  # noqa: E402
    AnsibleWAFv2Error,
    current_associations,
    get_logging_configuration,
    get_web_acl,
    list_tags_for_resource,
    list_web_acls,
    mask_header_values,
    regional_resource_types,
    web_acl_from_aws,
)


def read_web_acls(client, scope, name=None, resource_types=None):
    """Every web ACL of the scope (or the one called ``name``) in the module's option shape."""
    result = []
    for summary in list_web_acls(client, scope):
        if name and summary["Name"] != name:
            continue
        found = get_web_acl(client, summary["Name"], scope, summary["Id"])
        if not found:
            continue  # deleted since it was listed
        acl = found[0]
        tags = boto3_tag_list_to_ansible_dict(list_tags_for_resource(client, acl["ARN"]))
        logging = get_logging_configuration(client, acl["ARN"]) or False
        associations = None
        if scope == "REGIONAL":
            types = regional_resource_types() if resource_types is None else resource_types
            associations = current_associations(client, acl["ARN"], types)
        result.append(web_acl_from_aws(acl, scope, tags, associations, logging))
    return result


def main():
    argument_spec = dict(
        name=dict(type="str"),
        scope=dict(type="str", choices=["REGIONAL", "CLOUDFRONT"], default="REGIONAL"),
        resource_types=dict(type="list", elements="str"),
        show_header_values=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    if module.params["scope"] == "CLOUDFRONT" and module.region != "us-east-1":
        module.fail_json(
            msg=f"scope CLOUDFRONT web ACLs are read in us-east-1 only (region is {module.region!r}); set region "
            "us-east-1."
        )
    resource_types = module.params["resource_types"]
    if resource_types is None:
        resource_types = regional_resource_types()
    unknown = [t for t in resource_types if t not in regional_resource_types()]
    if unknown:
        module.fail_json(
            msg=f"resource_types: {', '.join(unknown)} is not a WAFv2 resource type; use some of "
            f"{', '.join(regional_resource_types())}, or leave resource_types out for all of them."
        )
    try:
        web_acls = read_web_acls(module.client("wafv2"), module.params["scope"], module.params["name"], resource_types)
    except AnsibleWAFv2Error as e:
        module.fail_json_aws_error(e)
    if not module.params["show_header_values"]:
        web_acls = [dict(acl, rules=mask_header_values(acl.get("rules"))) for acl in web_acls]
    module.exit_json(changed=False, web_acls=web_acls)


if __name__ == "__main__":
    main()
