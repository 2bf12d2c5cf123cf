# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: waf_origin_values
short_description: The origin header values the regional web ACL accepts, from the base layer's origin secret
version_added: 1.0.0
description:
- Takes the C(SecretString) of the secret C(base.cloudfront.origin_secret_arn), the JSON
  C({"header_name", "previous", "current",
  "next"}) the base layer keeps, and returns the non-empty values of C(previous), C(current) and C(next)
  without repeats,
  for the C(origin_verify.values) option of M(securecloud.monitor.wafv2_web_acl).
- Use it only where the result stays secret (a C(no_log) option, a C(no_log) task); its errors never show a value.
options:
  _input:
    description: The secret's JSON text (or the parsed dict).
    type: raw
    required: true
  secret_arn:
    description: Name of the secret in error messages.
    type: str
    default: base.cloudfront.origin_secret_arn
"""

EXAMPLES = r"""
- name: Web ACL accepting CloudFront's origin header
  securecloud.monitor.wafv2_web_acl:
    name: dev-edge
    origin_verify:
      priority: 3
      header_name: x-origin-verify
      values: "{{ lookup('amazon.aws.secretsmanager_secret', base.cloudfront.origin_secret_arn)
                  | securecloud.monitor.waf_origin_values }}"
"""

RETURN = r"""
_value:
  description: The accepted values, previous, current and next (repeats and empty
    ones left out).
  type: list
  elements: str
"""

import json  # noqa: E402

from ansible.errors import AnsibleFilterError  # noqa: E402


def waf_origin_values(secret_string, secret_arn="base.cloudfront.origin_secret_arn"):
    """The accepted origin header values of the secret's JSON, previous/current/next, without repeats."""
    try:
        secret = json.loads(secret_string) if isinstance(secret_string, str) else dict(secret_string)
    except (TypeError, ValueError):
        raise AnsibleFilterError(
            f"The secret {secret_arn} is not JSON: the base layer keeps "
            '{"header_name": ..., "previous": ..., "current": ..., "next": ...} in it.'
        ) from None
    values = []
    for key in ("previous", "current", "next"):
        value = secret.get(key)
        if value and value not in values:
            values.append(value)
    if not secret.get("current"):
        raise AnsibleFilterError(
            f"The secret {secret_arn} has no 'current' value: the base layer keeps previous, current and next "
            "origin header values in it; apply the base layer again."
        )
    return values


class FilterModule:
    def filters(self):
        return {"waf_origin_values": waf_origin_values}
