#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudfront_distribution_web_acl
short_description: Set or remove the AWS WAF (v2) web ACL of a CloudFront distribution
version_added: 1.0.0
description:
  - A CloudFront distribution names its web ACL in its own configuration (C(WebACLId)); WAFv2's
    C(AssociateWebACL) does not apply to distributions. This module reads the distribution's configuration
    (C(GetDistributionConfig)), and only when C(WebACLId) differs writes the same configuration back with the new
    value (C(UpdateDistribution) with the C(IfMatch) ETag it read, so a concurrent change is refused, not lost).
    Every other setting of the distribution is left as it is.
  - Made for a distribution another tool creates (Terraform, told to ignore C(web_acl_id) in its C(lifecycle)),
    whose web ACL the security layer owns.
  - O(web_acl_arn) is checked before any call (with amazon.aws C(module_utils.arn)); a CloudFront distribution
    takes only a C(CLOUDFRONT)-scope WAFv2 web ACL, whose ARN is in us-east-1 and names C(global/webacl/).
  - A second run with the same options makes one read call and reports no change.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  distribution_id:
    description: ID of the distribution (for example V(E2QWRUHAPOMQZL)).
    type: str
    required: true
  web_acl_arn:
    description:
      - ARN of the C(CLOUDFRONT)-scope WAFv2 web ACL to set, as M(securecloud.monitor.wafv2_web_acl) returns it
        (C(web_acl.arn)), for example V(arn:aws:wafv2:us-east-1:123456789012:global/webacl/prod-edge/a1b2...).
      - Required with O(state=present). With O(state=absent), only this web ACL is removed (another one set on the
        distribution is left); not set removes whatever web ACL is set.
    type: str
  state:
    description: V(present) sets O(web_acl_arn) on the distribution; V(absent) removes the web ACL from it.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description:
      - Wait until the distribution is deployed again after a change (CloudFront takes minutes to propagate one).
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait with O(wait=true).
    type: int
    default: 1200
notes:
  - Supports check mode and diff mode; the diff shows C(web_acl_id) before and after.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Set the edge web ACL on the distribution Terraform made
  securecloud.monitor.cloudfront_distribution_web_acl:
    distribution_id: "{{ base.cloudfront.distribution_id }}"
    web_acl_arn: "{{ edge_acl.web_acl.arn }}"

- name: Take the web ACL off before deleting it
  securecloud.monitor.cloudfront_distribution_web_acl:
    distribution_id: E2QWRUHAPOMQZL
    web_acl_arn: arn:aws:wafv2:us-east-1:123456789012:global/webacl/prod-edge-cloudfront/a1b2c3d4
    state: absent
"""

RETURN = r"""
distribution_id:
  description: ID of the distribution.
  returned: always
  type: str
  sample: E2QWRUHAPOMQZL
web_acl_id:
  description: The web ACL the distribution names after the task (what it will name, in check mode); empty for none.
  returned: always
  type: str
  sample: arn:aws:wafv2:us-east-1:123456789012:global/webacl/prod-edge-cloudfront/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111
etag:
  description: ETag of the distribution's configuration after the task.
  returned: always
  type: str
  sample: E2QWRUHEXAMPLE
diff:
  description: Before and after C(web_acl_id), with C(--diff).
  returned: when diff mode is on
  type: dict
"""
# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import cloudfront  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import (  # noqa: E402
    exit_with_diff,
    fail_on_input_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.wafv2 import web_acl_arn_problems  # noqa: E402

EXAMPLE_ARN = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/NAME/ID"


def web_acl_arn_error(arn):
    """Why ``arn`` cannot be a distribution's web ACL, or None when it can."""
    parsed = parse_aws_arn(arn or "")
    if parsed is None or parsed["service"] != "wafv2":
        return (
            f"web_acl_arn {arn!r} is not a WAFv2 web ACL ARN: give the ARN of a CLOUDFRONT-scope web ACL "
            f"({EXAMPLE_ARN}), as securecloud.monitor.wafv2_web_acl returns it in web_acl.arn."
        )
    if parsed["region"] != "us-east-1" or not parsed["resource"].startswith("global/webacl/"):
        return (
            f"web_acl_arn {arn!r} is a REGIONAL web ACL: a CloudFront distribution takes only a CLOUDFRONT-scope "
            f"web ACL ({EXAMPLE_ARN}); create one with scope CLOUDFRONT in region us-east-1."
        )
    return None


def wanted_web_acl(current, params):
    """The WebACLId the distribution should name."""
    if params["state"] == "present":
        return params["web_acl_arn"]
    if params["web_acl_arn"] and current != params["web_acl_arn"]:
        return current  # another web ACL: not ours to remove
    return ""


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            distribution_id=dict(type="str", required=True),
            web_acl_arn=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            wait=dict(type="bool", default=False),
            wait_timeout=dict(type="int", default=1200),
        ),
        required_if=[("state", "present", ["web_acl_arn"])],
        supports_check_mode=True,
    )
    params = module.params
    if params["web_acl_arn"]:
        error = web_acl_arn_error(params["web_acl_arn"])
        fail_on_input_errors(module, [error] if error else web_acl_arn_problems(params["web_acl_arn"], "web_acl_arn"))
    # UpdateDistribution is not checked against the CloudFront model: its model puts no constraint on Id or WebACLId,
    # and the rest of the request is the configuration AWS itself returned.
    distribution_id = params["distribution_id"]
    try:
        client = module.client("cloudfront")
        config, etag = cloudfront.distribution_config(client, distribution_id)
        if config is None:
            module.fail_json(
                msg=f"distribution_id {distribution_id!r}: no such CloudFront distribution; give the ID of an "
                "existing one (base.cloudfront.distribution_id)."
            )
        current = config.get("WebACLId") or ""
        wanted = wanted_web_acl(current, params)
        changed = current != wanted
        if changed and not module.check_mode:
            etag = cloudfront.update_distribution(client, distribution_id, {**config, "WebACLId": wanted}, etag)["ETag"]
            if params["wait"]:
                cloudfront.wait_deployed(client, distribution_id, 15, max(1, params["wait_timeout"] // 15))
    except cloudfront.AnsibleCloudFrontError as e:
        module.fail_json_aws_error(e)
    exit_with_diff(
        module,
        dict(changed=changed, distribution_id=distribution_id, web_acl_id=wanted, etag=etag),
        {"web_acl_id": current},
        {"web_acl_id": wanted},
    )


if __name__ == "__main__":
    main()
