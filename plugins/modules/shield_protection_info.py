#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: shield_protection_info
short_description: Read AWS Shield Advanced protections in the shape of securecloud.monitor.shield_protection
version_added: 1.0.0
description:
  - Lists the account's Shield Advanced protections (C(ListProtections), every page), optionally only those whose
    name starts with O(name_prefix) (the scope M(securecloud.monitor.shield_protection) manages with its
    O(securecloud.monitor.shield_protection#module:prefix)) or that protect one of O(resource_arns).
  - Read-only, and the way another layer learns what Shield protects without depending on the shield role having
    run in the same play (the monitoring role reads it to alarm on each protected resource).
  - Shield's API is served from us-east-1; the module calls it there whatever O(region) is.
  - An account without a Shield Advanced subscription has no protection; the module then returns an empty list.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  name_prefix:
    description: Only protections whose name starts with this prefix (for example C(<environment>-)).
    type: str
  resource_arns:
    description: Only protections of these resources.
    type: list
    elements: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The environment's protections
  securecloud.monitor.shield_protection_info:
    name_prefix: dev-
  register: dev_protections

- name: Every protection carries a health check
  ansible.builtin.assert:
    that: dev_protections.protections | rejectattr('health_check_arns') | list | length == 0
"""

RETURN = r"""
protections:
  description: The protections, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the protection.
      type: str
      sample: a1b2c3d4-5678-90ab-cdef-EXAMPLE11111
    name:
      description: Name of the protection.
      type: str
      sample: dev-distribution-E1ABCDEF
    protection_arn:
      description: ARN of the protection.
      type: str
    resource_arn:
      description: ARN of the protected resource.
      type: str
      sample: arn:aws:cloudfront::123456789012:distribution/E1ABCDEF
    resource_type:
      description: The Shield resource type of the protected resource (null when the module does not know the ARN).
      type: str
      sample: CLOUDFRONT_DISTRIBUTION
    health_check_arns:
      description: Route 53 health checks associated with the protection, sorted.
      type: list
      elements: str
      sample: ["arn:aws:route53:::healthcheck/abcd1234-ab12-cd34-ef56-abcdef123456"]
    application_layer_automatic_response:
      description: V(block), V(count) or V(disabled).
      type: str
      sample: count
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.shield import (  # noqa: E402
    AnsibleShieldError,
    alar_from_api,
    arn_partition,
    health_check_arn,
    list_protections,
    shield_client,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.shield_resources import (  # noqa: E402
    classify_resource_arn,
)


def protection_from_aws(protection):
    arn = protection.get("ResourceArn")
    return {
        "id": protection.get("Id"),
        "name": protection.get("Name"),
        "protection_arn": protection.get("ProtectionArn"),
        "resource_arn": arn,
        "resource_type": classify_resource_arn(arn)[0],
        "health_check_arns": sorted(
            health_check_arn(arn_partition(arn), check) for check in protection.get("HealthCheckIds") or []
        ),
        "application_layer_automatic_response": alar_from_api(protection),
    }


def read_protections(client, name_prefix=None, resource_arns=None):
    wanted = set(resource_arns) if resource_arns is not None else None
    found = []
    for protection in list_protections(client):
        if name_prefix and not str(protection.get("Name", "")).startswith(name_prefix):
            continue
        if wanted is not None and protection.get("ResourceArn") not in wanted:
            continue
        found.append(protection_from_aws(protection))
    return sorted(found, key=lambda p: p["name"] or "")


def main():
    argument_spec = dict(
        name_prefix=dict(type="str"),
        resource_arns=dict(type="list", elements="str"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    try:
        protections = read_protections(
            shield_client(module), module.params["name_prefix"], module.params["resource_arns"]
        )
    except AnsibleShieldError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, protections=protections)


if __name__ == "__main__":
    main()
