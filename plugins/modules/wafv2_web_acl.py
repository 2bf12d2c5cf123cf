#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: wafv2_web_acl
short_description: Manage an AWS WAFv2 web ACL, its rules, associations and logging
version_added: 1.0.0
description:
  - Creates, updates or deletes an AWS WAF (v2) web ACL, and manages the resources it is associated with, its
    logging configuration and its tags.
  - Rules are matched by name and compared after the defaults AWS fills in have been applied to both sides (rate
    evaluation window, SQLi sensitivity, body oversize handling, text transformations, order of excluded rules,
    lower-case header names, ...), so running the same task again reports no change and makes no call that changes
    anything. Visibility configurations, custom responses and custom response bodies are compared too.
  - Every option is checked before any call to AWS; a bad value fails with the name of the field (for example
    C(rules[2].rate_based.limit)) and what to do about it. Then the web ACL the options make is checked against the
    WAFv2 service model (required members at every depth, enums such as country codes, lengths, ranges such as the
    rate limit's 10 to 2,000,000,000, patterns), each problem named by its option path.
  - Before the rules are created or changed, C(CheckCapacity) is called (in check mode too) and the task fails when
    the rules need more web ACL capacity units (WCUs) than O(capacity_limit). An unknown managed rule group is
    reported with the name of the rule that uses it.
  - An update re-reads the lock token and tries again (up to five times) when another writer changed the web ACL
    in between (C(WAFOptimisticLockException)).
  - Supports check mode and diff mode; the diff shows the web ACL in the shape of this module's options.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  name:
    description:
      - Name of the web ACL (letters, digits, V(_) and V(-); at most 128 characters).
    type: str
    required: true
  scope:
    description:
      - V(REGIONAL) for Application Load Balancers, API Gateway REST API stages, AppSync, Cognito, App Runner,
        Verified Access, Amplify and Bedrock AgentCore gateways; V(CLOUDFRONT) for CloudFront distributions.
      - V(CLOUDFRONT) web ACLs are managed through us-east-1 only; set O(region=us-east-1) with it.
    type: str
    choices: [REGIONAL, CLOUDFRONT]
    default: REGIONAL
  state:
    description:
      - V(absent) disassociates the web ACL from its resources and deletes it.
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - Description of the web ACL. Not set leaves it alone.
      - "WAF accepts letters, digits, spaces and C(+=:#@/-,.) only (no parentheses); checked before any call."
    type: str
  default_action:
    description:
      - What WAF does with a request that no rule matched.
    type: str
    choices: [allow, block]
    default: allow
  default_action_response:
    description:
      - Custom response sent when O(default_action=block).
    type: dict
    suboptions:
      response_code:
        description: HTTP status code (200-599).
        type: int
        required: true
      custom_response_body_key:
        description: Key of a body in O(custom_response_bodies).
        type: str
      response_headers:
        description: Headers to add to the response, name to value.
        type: dict
  rules:
    description:
      - The rules of the web ACL. Each rule has exactly one statement key among O(rules[].rate_based),
        O(rules[].managed_rule_group), O(rules[].rule_group), O(rules[].ip_set), O(rules[].geo_match) and
        O(rules[].statement).
      - Rules are matched with the existing ones by name. Not set leaves the rules alone.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the rule (letters, digits, V(_) and V(-)); unique in the web ACL.
        type: str
        required: true
      priority:
        description: Evaluation order, lowest first; unique in the web ACL.
        type: int
        required: true
      action:
        description:
          - What to do with a matching request. Required for every rule but those using a rule group.
        type: str
        choices: [allow, block, count, captcha, challenge]
      override_action:
        description:
          - For O(rules[].managed_rule_group) and O(rules[].rule_group) rules only. V(none) uses the actions of
            the group's rules, V(count) only counts.
          - Defaults to V(none) for those rules.
        type: str
        choices: [none, count]
      rate_based:
        description: Rate-based statement.
        type: dict
        suboptions:
          limit:
            description: Requests allowed per O(rules[].rate_based.evaluation_window_sec) per key (10 to 2,000,000,000).
            type: int
            required: true
          aggregate_key_type:
            description: What requests are counted by.
            type: str
            choices: [IP, FORWARDED_IP, CONSTANT]
            default: IP
          evaluation_window_sec:
            description: The window requests are counted over, in seconds.
            type: int
            choices: [60, 120, 300, 600]
            default: 300
          forwarded_ip_config:
            description:
              - Header carrying the client IP; used with O(rules[].rate_based.aggregate_key_type=FORWARDED_IP)
                only (and defaulted then).
            type: dict
            suboptions:
              header_name:
                description: Header name.
                type: str
                default: X-Forwarded-For
              fallback_behavior:
                description: Whether a request without a valid IP in the header matches.
                type: str
                choices: [MATCH, NO_MATCH]
                default: MATCH
          scope_down_statement:
            description: Only count requests matching this Statement (the AWS API shape, CamelCase).
            type: dict
      managed_rule_group:
        description: Managed rule group statement.
        type: dict
        suboptions:
          vendor_name:
            description: Vendor of the group.
            type: str
            default: AWS
          name:
            description: Name of the group, for example V(AWSManagedRulesCommonRuleSet).
            type: str
            required: true
          version:
            description: Version of the group; not set follows the vendor's default version.
            type: str
          excluded_rules:
            description: Rules of the group set to count only (compared as a set).
            type: list
            elements: str
          rule_action_overrides:
            description: Actions to use instead of the group's own, per rule of the group.
            type: list
            elements: dict
            suboptions:
              name:
                description: Rule of the group.
                type: str
                required: true
              action:
                description: Action to use.
                type: str
                required: true
                choices: [allow, block, count, captcha, challenge]
          scope_down_statement:
            description: Only evaluate requests matching this Statement (the AWS API shape, CamelCase).
            type: dict
      rule_group:
        description: Reference to a rule group of the account.
        type: dict
        suboptions:
          arn:
            description: ARN of the rule group.
            type: str
            required: true
          excluded_rules:
            description: Rules of the group set to count only (compared as a set).
            type: list
            elements: str
          rule_action_overrides:
            description: Actions to use instead of the group's own, per rule of the group.
            type: list
            elements: dict
            suboptions:
              name:
                description: Rule of the group.
                type: str
                required: true
              action:
                description: Action to use.
                type: str
                required: true
                choices: [allow, block, count, captcha, challenge]
      ip_set:
        description: Matches requests from the addresses of an IP set.
        type: dict
        suboptions:
          arn:
            description: ARN of the IP set.
            type: str
            required: true
          forwarded_ip_config:
            description: Take the client IP from a header instead of the connection.
            type: dict
            suboptions:
              header_name:
                description: Header name.
                type: str
                default: X-Forwarded-For
              fallback_behavior:
                description: Whether a request without a valid IP in the header matches.
                type: str
                choices: [MATCH, NO_MATCH]
                default: MATCH
              position:
                description: Which IP of the header's list to use.
                type: str
                choices: [FIRST, LAST, ANY]
                default: FIRST
      geo_match:
        description: Matches requests by country of origin.
        type: dict
        suboptions:
          country_codes:
            description: Two-letter ISO 3166 country codes (compared as a set).
            type: list
            elements: str
            required: true
          forwarded_ip_config:
            description: Take the client IP from a header instead of the connection.
            type: dict
            suboptions:
              header_name:
                description: Header name.
                type: str
                default: X-Forwarded-For
              fallback_behavior:
                description: Whether a request without a valid IP in the header matches.
                type: str
                choices: [MATCH, NO_MATCH]
                default: MATCH
      statement:
        description:
          - Any other statement, in the shape of the WAFv2 API (CamelCase), for example a C(ByteMatchStatement),
            an C(AndStatement) or a C(LabelMatchStatement); see the examples.
          - AWS defaults are applied before comparison, so they may be left out.
        type: dict
      rule_labels:
        description: Labels added to matching requests (compared as a set).
        type: list
        elements: str
      custom_response:
        description: Custom response for O(rules[].action=block).
        type: dict
        suboptions:
          response_code:
            description: HTTP status code (200-599).
            type: int
            required: true
          custom_response_body_key:
            description: Key of a body in O(custom_response_bodies).
            type: str
          response_headers:
            description: Headers to add to the response, name to value.
            type: dict
      captcha_immunity_time:
        description: Seconds a solved CAPTCHA stays valid for this rule (60-259200).
        type: int
      challenge_immunity_time:
        description: Seconds a passed challenge stays valid for this rule (60-259200).
        type: int
      visibility:
        description: Metrics and sampling of the rule; defaults to both enabled and the rule name as metric name.
        type: dict
        suboptions:
          cloudwatch_metrics_enabled:
            description: Publish CloudWatch metrics.
            type: bool
            default: true
          sampled_requests_enabled:
            description: Keep samples of matching requests.
            type: bool
            default: true
          metric_name:
            description: Metric name; defaults to the rule name.
            type: str
  purge_rules:
    description:
      - With V(true), rules not in O(rules) are removed. With V(false), they are kept, and the declared ones are
        still created or updated (matched by name).
    type: bool
    default: true
  visibility:
    description:
      - Metrics and sampling of the web ACL. Not set uses the defaults on creation and leaves an existing web ACL
        alone.
    type: dict
    suboptions:
      cloudwatch_metrics_enabled:
        description: Publish CloudWatch metrics.
        type: bool
        default: true
      sampled_requests_enabled:
        description: Keep samples of requests.
        type: bool
        default: true
      metric_name:
        description: Metric name; defaults to the web ACL name.
        type: str
  custom_response_bodies:
    description:
      - Bodies for custom responses, key to C({content_type, content}); C(content_type) is one of V(TEXT_PLAIN),
        V(TEXT_HTML) and V(APPLICATION_JSON).
      - Not set leaves them alone; V({}) removes them.
    type: dict
  captcha_immunity_time:
    description: Seconds a solved CAPTCHA stays valid (60-259200). Not set leaves it alone.
    type: int
  challenge_immunity_time:
    description: Seconds a passed challenge stays valid (60-259200). Not set leaves it alone.
    type: int
  token_domains:
    description: Domains accepted in WAF tokens (compared as a set). Not set leaves them alone.
    type: list
    elements: str
  capacity_limit:
    description:
      - The most web ACL capacity units (WCUs) the rules may use. Checked with C(CheckCapacity) before rules are
        created or changed. AWS charges more above 1500 and allows at most 5000.
    type: int
    default: 1500
  associations:
    description:
      - ARNs of the resources the web ACL protects (O(scope=REGIONAL) only) - Application Load Balancers, API Gateway
        REST API stages (V(arn:aws:apigateway:REGION::/restapis/ID/stages/STAGE)), AppSync APIs, Cognito user pools,
        App Runner services, Verified Access instances, Amplify apps and Bedrock AgentCore gateways (the resource
        types of botocore's WAFv2 model).
      - A Network Load Balancer is refused (WAF cannot attach to one); put an Application Load Balancer or an API
        Gateway stage in front of it and associate that.
      - Not set leaves associations alone.
      - ListResourcesForWebACL answers for one resource type per call, so the module records the types of the
        associations it made in the tag C(securecloud.monitor:association-types) (kept out of O(tags) and
        O(purge_tags)) and lists those types and the declared ones. A web ACL without that tag is checked for
        Application Load Balancers and API Gateway stages. Associations of another type made outside this module
        after it last ran are not seen, and so not purged.
    type: list
    elements: str
  purge_associations:
    description: With V(true), resources associated but not in O(associations) are disassociated.
    type: bool
    default: true
  origin_verify:
    description:
      - A rule that only lets through requests carrying a secret header with one of O(origin_verify.values), and
        applies O(origin_verify.action) to every other request. Used on the regional web ACL of an origin that
        CloudFront fronts, where CloudFront adds the header, so a call that bypasses CloudFront is refused.
      - The rule is added to O(rules) (with O(rules) not set, the other rules of the web ACL are kept). It is
        compared like any other rule, so a re-run with the same values is no change.
      - O(origin_verify.values) is C(no_log), so Ansible masks the values wherever they would appear in the
        task's result, its C(--diff) and its logs (the returned rule shows C(********)).
    type: dict
    suboptions:
      name:
        description: Name of the rule.
        type: str
        default: origin-verify
      priority:
        description: Priority of the rule; not shared with any rule of O(rules).
        type: int
        required: true
      header_name:
        description: The header CloudFront adds to requests to the origin (for example V(x-origin-verify)).
        type: str
        required: true
      values:
        description:
          - The accepted values (1 to 10, each 1 to 200 bytes); during a rotation the previous, current and next
            secrets, so the switch has no window where CloudFront's header is refused.
        type: list
        elements: str
        required: true
      action:
        description: What happens to a request without an accepted header; V(count) to observe first.
        type: str
        choices: [block, count]
        default: block
  logging:
    description:
      - Logging configuration of the web ACL. Not set leaves logging alone.
    type: dict
    suboptions:
      enabled:
        description: V(false) deletes the logging configuration.
        type: bool
        default: true
      destination:
        description:
          - CloudWatch Logs group name or ARN (S3 bucket and Firehose ARNs work too). The name must start with
            C(aws-waf-logs-). A bare name is made into a log group ARN in the web ACL's region and account.
          - Required when O(logging.enabled=true).
        type: str
      redacted_fields:
        description:
          - Fields left out of the logs (compared as a set); each item is V(uri_path), V(query_string), V(method),
            a dict with the key C(single_header) and a header name, or any other string, taken as a header name
            (V(authorization), V(cookie)).
          - Not set leaves them alone; V([]) removes them.
        type: list
        elements: raw
      filter:
        description:
          - Which requests are logged. Not set leaves the filter alone; no O(logging.filter.filters) removes it.
        type: dict
        suboptions:
          default_behavior:
            description: What happens to requests no filter matches.
            type: str
            choices: [KEEP, DROP]
            default: KEEP
          filters:
            description: The filters.
            type: list
            elements: dict
            suboptions:
              behavior:
                description: Keep or drop matching requests.
                type: str
                choices: [KEEP, DROP]
                default: KEEP
              requirement:
                description: Whether all or any conditions must match.
                type: str
                choices: [MEETS_ALL, MEETS_ANY]
                default: MEETS_ANY
              conditions:
                description:
                  - Conditions, each a dict with one key, C(action_condition) (V(ALLOW), V(BLOCK), V(COUNT),
                    V(CAPTCHA), V(CHALLENGE), V(EXCLUDED_AS_COUNT)) or C(label_name_condition) (a label name).
                type: list
                elements: dict
                required: true
notes:
  - The web ACL's CAPTCHA, challenge and data protection settings, association config and other settings this
    module has no option for are kept as they are on update.
  - The return value and the diff show rules whose statement has no typed option as O(rules[].statement).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Web ACL for an API Gateway stage, with a rate limit and the AWS common rules
  securecloud.monitor.wafv2_web_acl:
    name: edge-api
    default_action: allow
    rules:
      - name: rate-limit
        priority: 0
        action: block
        rate_based:
          limit: 2000
      - name: aws-common
        priority: 1
        managed_rule_group:
          name: AWSManagedRulesCommonRuleSet
          excluded_rules: [SizeRestrictions_BODY]
      - name: block-admin
        priority: 2
        action: block
        custom_response:
          response_code: 403
          custom_response_body_key: denied
        statement:
          ByteMatchStatement:
            SearchString: /admin
            FieldToMatch: {UriPath: {}}
            TextTransformations: [{Priority: 0, Type: LOWERCASE}]
            PositionalConstraint: STARTS_WITH
    custom_response_bodies:
      denied:
        content_type: APPLICATION_JSON
        content: '{"error": "forbidden"}'
    associations:
      - arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod
    logging:
      destination: aws-waf-logs-edge-api
      redacted_fields: [authorization, cookie]
      filter:
        default_behavior: DROP
        filters:
          - behavior: KEEP
            requirement: MEETS_ANY
            conditions:
              - action_condition: BLOCK
    tags:
      environment: prod

- name: Add one rule to a web ACL managed elsewhere, keeping its other rules
  securecloud.monitor.wafv2_web_acl:
    name: shared
    purge_rules: false
    rules:
      - name: geo-block
        priority: 50
        action: block
        geo_match:
          country_codes: [KP]

- name: Delete a web ACL (its associations are removed first)
  securecloud.monitor.wafv2_web_acl:
    name: edge-api
    state: absent
"""

RETURN = r"""
web_acl:
  description:
    - The web ACL in the shape of this module's options, with its identity and capacity.
    - Empty when O(state=absent).
  returned: always
  type: dict
  contains:
    name:
      description: Name.
      type: str
      returned: success
      sample: edge-api
    id:
      description: ID.
      type: str
      returned: when it exists
      sample: a1b2c3d4-5678-90ab-cdef-EXAMPLE11111
    arn:
      description: ARN.
      type: str
      returned: when it exists
      sample: arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge-api/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111
    scope:
      description: Scope.
      type: str
      returned: success
      sample: REGIONAL
    capacity:
      description: Web ACL capacity units the rules use.
      type: int
      returned: when it exists
      sample: 702
    label_namespace:
      description: Prefix of the labels the rules add.
      type: str
      returned: when it exists
      sample: "awswaf:123456789012:webacl:edge-api:"
    description:
      description: Description.
      type: str
      returned: when set
    default_action:
      description: V(allow) or V(block).
      type: str
      returned: success
      sample: allow
    default_action_response:
      description: Custom response of the default action.
      type: dict
      returned: when set
    rules:
      description: Rules, by priority, in the shape of O(rules).
      type: list
      elements: dict
      returned: success
      sample:
        - name: rate-limit
          priority: 0
          action: block
          rate_based: {limit: 2000, aggregate_key_type: IP, evaluation_window_sec: 300}
          visibility: {cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: rate-limit}
    visibility:
      description: Metrics and sampling of the web ACL.
      type: dict
      returned: success
    custom_response_bodies:
      description: Custom response bodies, key to C({content_type, content}).
      type: dict
      returned: success
    captcha_immunity_time:
      description: CAPTCHA immunity time in seconds.
      type: int
      returned: when set
    challenge_immunity_time:
      description: Challenge immunity time in seconds.
      type: int
      returned: when set
    token_domains:
      description: Token domains.
      type: list
      elements: str
      returned: success
    associations:
      description: ARNs of the associated resources.
      type: list
      elements: str
      returned: when O(associations) is set
    logging:
      description: Logging configuration in the shape of O(logging); O(logging.enabled=false) when it does not log.
      type: dict
      returned: when O(logging) is set
    tags:
      description: Tags (without the module's own C(securecloud.monitor:association-types)).
      type: dict
      returned: success
diff:
  description: The web ACL before and after, in the shape of RV(web_acl), when run with C(--diff).
  returned: in diff mode
  type: dict
"""

import copy  # noqa: E402
import re  # noqa: E402
from collections import namedtuple  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (  # noqa: E402
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
    compare_aws_tags,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.concurrent_reads import (  # noqa: E402
    read_concurrently,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    request_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import fail_on_input_errors, run_module  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.wafv2 import (  # noqa: E402
    ACTION_KEYS,
    ASSOCIATION_TYPES_TAG,
    BASELINE_RESOURCE_TYPES,
    GROUP_KINDS,
    METRIC_NAME,
    STATEMENT_KINDS,
    AnsibleWAFv2Error,
    associate_web_acl,
    association_problem,
    check_capacity,
    comparable,
    create_web_acl,
    current_associations,
    custom_response_bodies_to_aws,
    decode_association_types,
    default_action_to_aws,
    delete_logging_configuration,
    delete_web_acl,
    describe_managed_rule_group,
    disassociate_web_acl,
    encode_association_types,
    find_web_acl,
    get_logging_configuration,
    get_web_acl,
    immunity_to_aws,
    is_group_statement,
    list_tags_for_resource,
    log_destination_arn,
    log_destination_name,
    logging_filter_to_aws,
    normalise_logging,
    normalise_rule,
    put_logging_configuration,
    redacted_field_to_aws,
    resource_type,
    rule_to_aws,
    rules_differ,
    tag_resource,
    untag_resource,
    update_web_acl,
    visibility_to_aws,
    web_acl_from_aws,
)

LOCK_ATTEMPTS = 5
ENTITY_NAME = re.compile(r"^[\w\-]+$")
# The EntityDescription pattern of the WAFv2 API model (botocore does not check patterns, AWS does).
DESCRIPTION = re.compile(r"^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]+[\w+=:#@/\-,.]$")
RESERVED_METRIC_NAMES = ("All", "Default_Action")
CONTENT_TYPES = ("TEXT_PLAIN", "TEXT_HTML", "APPLICATION_JSON")
LOG_PREFIX = "aws-waf-logs-"
IMMUNITY_RANGE = (60, 259200)
ACTION_CONDITIONS = ("ALLOW", "BLOCK", "COUNT", "CAPTCHA", "CHALLENGE", "EXCLUDED_AS_COUNT")
# Fields of UpdateWebACL this module has no option for: sent back as read so an update keeps them.
PASSTHROUGH_FIELDS = (
    "DataProtectionConfig",
    "AssociationConfig",
    "OnSourceDDoSProtectionConfig",
    "ApplicationConfig",
    "MonetizationConfig",
)
COMPARED_FIELDS = (
    "DefaultAction",
    "Description",
    "VisibilityConfig",
    "CustomResponseBodies",
    "CaptchaConfig",
    "ChallengeConfig",
    "TokenDomains",
)
READ_ONLY_KEYS = ("id", "arn", "capacity", "label_namespace")
# DescribeManagedRuleGroup's answers for a group or version AWS does not offer.
UNKNOWN_GROUP_CODES = (
    "WAFNonexistentItemException",
    "WAFInvalidParameterException",
    "WAFInvalidResourceException",
    "WAFExpiredManagedRuleGroupVersionException",
)


# ---------------------------------------------------------------------------------------------
# Input checks (no AWS call)
# ---------------------------------------------------------------------------------------------


def _metric_errors(field, metric_name):
    if metric_name is None:
        return []
    if not METRIC_NAME.match(metric_name) or len(metric_name) > 255:
        return [
            f"{field} {metric_name!r} is not a valid metric name: use 1-255 letters, digits and _ # : . - / "
            "(no spaces)."
        ]
    if metric_name in RESERVED_METRIC_NAMES:
        return [f"{field} {metric_name!r} is reserved by WAF; choose another metric name."]
    return []


def _immunity_errors(field, value):
    if value is not None and not IMMUNITY_RANGE[0] <= value <= IMMUNITY_RANGE[1]:
        return [f"{field} is {value}; set it between {IMMUNITY_RANGE[0]} and {IMMUNITY_RANGE[1]} seconds."]
    return []


def _response_errors(field, response, bodies):
    if not response:
        return []
    errors = []
    code = response.get("response_code")
    if code is not None and not 200 <= code <= 599:
        errors.append(f"{field}.response_code is {code}; use an HTTP status code between 200 and 599.")
    key = response.get("custom_response_body_key")
    if key and bodies is not None and key not in bodies:
        errors.append(f"{field}.custom_response_body_key {key!r} is not a key of custom_response_bodies; add it there.")
    return errors


def _rule_errors(index, rule, bodies):
    field = f"rules[{index}]"
    errors = []
    name = rule.get("name") or ""
    if not ENTITY_NAME.match(name) or len(name) > 128:
        errors.append(f"{field}.name {name!r} is not valid: use 1-128 letters, digits, _ and -.")
    kinds = [kind for kind in STATEMENT_KINDS if rule.get(kind)]
    if len(kinds) != 1:
        found = ", ".join(kinds) if kinds else "none"
        errors.append(
            f"{field} must have exactly one statement key among {', '.join(STATEMENT_KINDS)} (found: {found})."
        )
        return errors
    kind = kinds[0]
    group = kind in GROUP_KINDS or (kind == "statement" and is_group_statement(rule["statement"]))
    if group:
        if rule.get("action"):
            errors.append(
                f"{field}.action cannot be used with a rule group ({kind}); use {field}.override_action "
                "(none or count) instead."
            )
        if rule.get("custom_response"):
            errors.append(f"{field}.custom_response needs action block; a rule group rule has no action.")
    else:
        if rule.get("override_action"):
            errors.append(
                f"{field}.override_action is only for managed_rule_group and rule_group rules; use {field}.action."
            )
        if not rule.get("action"):
            errors.append(f"{field}.action is required for a {kind} rule; set one of {', '.join(ACTION_KEYS)}.")
        elif rule.get("custom_response") and rule["action"] != "block":
            errors.append(f"{field}.custom_response needs {field}.action block (it is {rule['action']}).")
    if kind == "rate_based":
        spec = rule["rate_based"]
        if spec.get("limit") is not None and spec["limit"] < 10:
            errors.append(f"{field}.rate_based.limit is {spec['limit']}; AWS needs at least 10.")
        if spec.get("forwarded_ip_config") and spec.get("aggregate_key_type") != "FORWARDED_IP":
            errors.append(
                f"{field}.rate_based.forwarded_ip_config is only used with aggregate_key_type FORWARDED_IP; "
                "remove it or set aggregate_key_type FORWARDED_IP."
            )
    if kind == "geo_match":
        for code in rule["geo_match"].get("country_codes") or []:
            if not re.match(r"^[A-Z]{2}$", code or ""):
                errors.append(f"{field}.geo_match.country_codes {code!r} is not a two-letter upper-case ISO code.")
    if kind == "statement" and len(rule["statement"]) != 1:
        errors.append(
            f"{field}.statement must hold exactly one statement type (for example ByteMatchStatement); "
            "combine statements with AndStatement or OrStatement."
        )
    visibility = rule.get("visibility") or {}
    errors += _metric_errors(f"{field}.visibility.metric_name", visibility.get("metric_name"))
    errors += _response_errors(f"{field}.custom_response", rule.get("custom_response"), bodies)
    errors += _immunity_errors(f"{field}.captcha_immunity_time", rule.get("captcha_immunity_time"))
    errors += _immunity_errors(f"{field}.challenge_immunity_time", rule.get("challenge_immunity_time"))
    for label in rule.get("rule_labels") or []:
        if not re.match(r"^[0-9A-Za-z_\-:]+$", label or ""):
            errors.append(f"{field}.rule_labels {label!r} is not valid: use letters, digits, _ - and :.")
    return errors


def _logging_errors(spec):
    if spec is None or not spec.get("enabled", True):
        return []
    errors = []
    destination = spec.get("destination")
    if not destination:
        errors.append("logging.destination is required when logging is enabled; give a log group name or ARN.")
    elif not log_destination_name(destination).startswith(LOG_PREFIX):
        errors.append(
            f"logging.destination {destination!r} must be named with the prefix {LOG_PREFIX!r} (AWS WAF only "
            f"writes to destinations named so); rename the log group, for example {LOG_PREFIX}<acl name>."
        )
    for index, item in enumerate(spec.get("redacted_fields") or []):
        if not (isinstance(item, str) and item) and redacted_field_to_aws(item) is None:
            errors.append(
                f"logging.redacted_fields[{index}] must be uri_path, query_string, method, a header name or "
                "{single_header: NAME}."
            )
    for index, item in enumerate(((spec.get("filter") or {}).get("filters")) or []):
        conditions = item.get("conditions") or []
        if not conditions:
            errors.append(f"logging.filter.filters[{index}].conditions needs at least one condition.")
        for number, condition in enumerate(conditions):
            where = f"logging.filter.filters[{index}].conditions[{number}]"
            keys = [k for k in ("action_condition", "label_name_condition") if (condition or {}).get(k)]
            if len(keys) != 1:
                errors.append(f"{where} must have exactly one of action_condition and label_name_condition.")
            elif keys == ["action_condition"] and str(condition["action_condition"]).upper() not in ACTION_CONDITIONS:
                errors.append(f"{where}.action_condition must be one of {', '.join(ACTION_CONDITIONS)}.")
    return errors


def validate(params, region):
    """Every problem with the task's options, each naming the field and the fix; [] when fine."""
    errors = []
    name = params.get("name") or ""
    if not ENTITY_NAME.match(name) or len(name) > 128:
        errors.append(f"name {name!r} is not valid: use 1-128 letters, digits, _ and -.")
    if params.get("scope") == "CLOUDFRONT" and region != "us-east-1":
        errors.append(
            f"scope CLOUDFRONT web ACLs are managed in us-east-1 only (region is {region!r}); set region us-east-1 "
            "for this task, or use scope REGIONAL."
        )
    if params.get("state") == "absent":
        return errors

    description = params.get("description")
    if description and (len(description) > 256 or not DESCRIPTION.match(description)):
        errors.append(
            f"description {description!r} is not accepted by WAF: use 2-256 letters, digits, spaces and "
            "+ = : # @ / - , . only (no parentheses, quotes or other punctuation), not starting or ending with a space."
        )

    bodies = params.get("custom_response_bodies")
    for key, body in (bodies or {}).items():
        field = f"custom_response_bodies.{key}"
        if not re.match(r"^[\w\-]+$", key):
            errors.append(f"{field}: the key must be letters, digits, _ and -.")
        if not isinstance(body, dict) or body.get("content_type") not in CONTENT_TYPES or not body.get("content"):
            errors.append(f"{field} must be {{content_type: {'|'.join(CONTENT_TYPES)}, content: TEXT}}.")

    if params.get("default_action_response") and params.get("default_action") != "block":
        errors.append("default_action_response needs default_action block.")
    errors += _response_errors("default_action_response", params.get("default_action_response"), bodies)
    errors += _metric_errors("visibility.metric_name", (params.get("visibility") or {}).get("metric_name"))
    errors += _immunity_errors("captcha_immunity_time", params.get("captcha_immunity_time"))
    errors += _immunity_errors("challenge_immunity_time", params.get("challenge_immunity_time"))

    names, priorities = {}, {}
    for index, rule in enumerate(params.get("rules") or []):
        errors += _rule_errors(index, rule, bodies)
        if rule.get("name") in names:
            errors.append(
                f"rules[{index}].name {rule['name']!r} is already used by rules[{names[rule['name']]}]; "
                "rule names must be unique."
            )
        names.setdefault(rule.get("name"), index)
        if rule.get("priority") in priorities:
            errors.append(
                f"rules[{index}].priority {rule['priority']} is already used by rules[{priorities[rule['priority']]}]; "
                "give every rule its own priority."
            )
        priorities.setdefault(rule.get("priority"), index)

    if params.get("capacity_limit") is not None and params["capacity_limit"] < 1:
        errors.append("capacity_limit must be a positive number of WCUs.")

    associations = params.get("associations")
    if associations is not None and params.get("scope") == "CLOUDFRONT":
        errors.append(
            "associations cannot be used with scope CLOUDFRONT: a CloudFront distribution names its web ACL "
            "itself; set the web ACL ARN as web_acl_id of the distribution instead."
        )
    elif associations:
        for index, arn in enumerate(associations):
            problem = association_problem(arn)
            if problem:
                errors.append(f"associations[{index}] {arn} {problem}.")

    errors += _logging_errors(params.get("logging"))
    return errors


# Where each member of CreateWebACL comes from among the options (see module_utils/model_validation.py).
_RULE_STATEMENTS = (
    ("RateBasedStatement", "rate_based"),
    ("ManagedRuleGroupStatement", "managed_rule_group"),
    ("RuleGroupReferenceStatement", "rule_group"),
    ("IPSetReferenceStatement", "ip_set"),
    ("GeoMatchStatement", "geo_match"),
)
MODEL_RENAMES = (
    *(Rename(f"Rules[*].Statement.{api}", f"rules[*].{option}") for api, option in _RULE_STATEMENTS),
    *(
        Rename(f"Rules[*].Statement.{api}.ScopeDownStatement", f"rules[*].{option}.scope_down_statement", raw=True)
        for api, option in _RULE_STATEMENTS[:2]
    ),
    Rename("Rules[*].Statement", "rules[*].statement", raw=True),
    Rename("Rules[*].VisibilityConfig", "rules[*].visibility"),
    Rename("Rules[*].RuleLabels[*].Name", "rules[*].rule_labels[*]"),
    Rename("Rules[*].Action.Block.CustomResponse", "rules[*].custom_response"),
    Rename("Rules[*].CaptchaConfig.ImmunityTimeProperty.ImmunityTime", "rules[*].captcha_immunity_time"),
    Rename("Rules[*].ChallengeConfig.ImmunityTimeProperty.ImmunityTime", "rules[*].challenge_immunity_time"),
    Rename("DefaultAction.Block.CustomResponse", "default_action_response"),
    Rename("VisibilityConfig", "visibility"),
    Rename("CaptchaConfig.ImmunityTimeProperty.ImmunityTime", "captcha_immunity_time"),
    Rename("ChallengeConfig.ImmunityTimeProperty.ImmunityTime", "challenge_immunity_time"),
)
MODEL_HINTS = {"CountryCodes": "ISO 3166-1 alpha-2 codes, for example GB for the United Kingdom, not UK"}


def model_errors(service_model, params):
    """The CreateWebACL request of the declared options checked against the WAFv2 model, rules in declared order so
    that each problem names its rules[N]; [] when AWS would take it (run once the checks above pass)."""
    if params.get("state") == "absent":
        return []
    desired = desired_web_acl(None, dict(params, rules=None))
    request = dict(Name=params["name"], Scope=params["scope"], **request_fields(desired))
    request["Rules"] = [rule_to_aws(rule) for rule in params.get("rules") or []]
    return request_errors(service_model, "CreateWebACL", request, MODEL_RENAMES, hints=MODEL_HINTS)


# ---------------------------------------------------------------------------------------------
# The origin-verify rule
# ---------------------------------------------------------------------------------------------

HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$")
ORIGIN_VALUES = (1, 10)
SEARCH_STRING_BYTES = 200


def origin_verify_errors(spec, rules):
    """Problems with origin_verify; never quotes a value (they are secrets)."""
    if not spec:
        return []
    errors = []
    field = "origin_verify"
    if not ENTITY_NAME.match(spec.get("name") or "") or len(spec["name"]) > 128:
        errors.append(f"{field}.name {spec.get('name')!r} is not valid: use 1-128 letters, digits, _ and -.")
    if not HEADER_NAME.match(spec.get("header_name") or ""):
        errors.append(
            f"{field}.header_name {spec.get('header_name')!r} is not an HTTP header name: use 1-64 letters, "
            "digits and - (for example x-origin-verify)."
        )
    values = spec.get("values") or []
    if not ORIGIN_VALUES[0] <= len(values) <= ORIGIN_VALUES[1]:
        errors.append(
            f"{field}.values has {len(values)} value(s): give {ORIGIN_VALUES[0]} to {ORIGIN_VALUES[1]} "
            "(the previous, current and next secrets during a rotation)."
        )
    for index, value in enumerate(values):
        size = len((value or "").encode("utf-8"))
        if not 1 <= size <= SEARCH_STRING_BYTES:
            errors.append(
                f"{field}.values[{index}] is {size} bytes long: WAF matches 1 to {SEARCH_STRING_BYTES} bytes; "
                "use a shorter secret (the value itself is not shown: it is secret)."
            )
    for index, rule in enumerate(rules or []):
        if rule.get("name") == spec.get("name"):
            errors.append(f"{field}.name {spec['name']!r} is also the name of rules[{index}]; rename one.")
        if rule.get("priority") == spec.get("priority"):
            errors.append(
                f"{field}.priority {spec['priority']} is also the priority of rules[{index}]; give the rule its own."
            )
    return errors


def origin_verify_rule(spec):
    """The rule in the shape of O(rules): the action on any request whose header matches none of the values."""
    matches = [
        {
            "ByteMatchStatement": {
                "SearchString": value,
                "FieldToMatch": {"SingleHeader": {"Name": spec["header_name"].lower()}},
                "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
                "PositionalConstraint": "EXACTLY",
            }
        }
        # sorted and unique, so the same set in another order is no change
        for value in sorted(set(spec["values"]))
    ]
    accepted = matches[0] if len(matches) == 1 else {"OrStatement": {"Statements": matches}}
    return {
        "name": spec["name"],
        "priority": spec["priority"],
        "action": spec["action"],
        "statement": {"NotStatement": {"Statement": accepted}},
    }


def add_origin_verify(params):
    """Put the origin-verify rule among the declared rules (keeping the others when rules is not set)."""
    spec = params.get("origin_verify")
    if not spec or params.get("state") == "absent":
        return
    if params.get("rules") is None:
        params["rules"], params["purge_rules"] = [], False
    params["rules"] = params["rules"] + [origin_verify_rule(spec)]


# ---------------------------------------------------------------------------------------------
# Desired state
# ---------------------------------------------------------------------------------------------


def undefined_body_keys(desired, params):
    """Responses naming a custom response body the web ACL will not have (custom_response_bodies not set
    leaves the current bodies, so only the merged result can tell)."""
    bodies = desired.get("CustomResponseBodies") or {}
    declared = [("default_action_response", params.get("default_action_response"))]
    declared += [
        (f"rules[{i}].custom_response", rule.get("custom_response")) for i, rule in enumerate(params.get("rules") or [])
    ]
    return [
        f"{field}.custom_response_body_key {response['custom_response_body_key']!r} is not a key of "
        "custom_response_bodies; add it there."
        for field, response in declared
        if response and response.get("custom_response_body_key") and response["custom_response_body_key"] not in bodies
    ]


def merge_rules(current_rules, declared, purge):
    """The AWS Rules the web ACL must have; None in ``declared`` keeps the current ones."""
    current_rules = [normalise_rule(rule) for rule in current_rules or []]
    if declared is None:
        return current_rules
    wanted = [rule_to_aws(rule) for rule in declared]
    if not purge:
        names = set(rule["Name"] for rule in wanted)
        wanted = [rule for rule in current_rules if rule["Name"] not in names] + wanted
    return sorted(wanted, key=lambda rule: rule["Priority"])


def priority_conflicts(rules, declared):
    """Messages for kept (undeclared) rules that share a priority with a declared rule."""
    declared_index = dict((rule["name"], index) for index, rule in enumerate(declared or []))
    by_priority = {}
    for rule in rules:
        by_priority.setdefault(rule["Priority"], []).append(rule["Name"])
    errors = []
    for priority, names in sorted(by_priority.items()):
        if len(names) < 2:
            continue
        kept = [name for name in names if name not in declared_index]
        for name in names:
            if name in declared_index:
                errors.append(
                    f"rules[{declared_index[name]}].priority {priority} is already used by rule(s) "
                    f"{', '.join(kept)}, kept because purge_rules is false; choose another priority or set "
                    "purge_rules true."
                )
    return errors


def desired_web_acl(current, params):
    """The AWS fields of the web ACL after this task: declared options, and the current values for the rest."""
    current = current or {}
    name = params["name"]

    def declared_or_current(option, convert, field):
        return convert(params[option]) if params.get(option) is not None else current.get(field)

    desired = {
        "DefaultAction": default_action_to_aws(params["default_action"], params.get("default_action_response")),
        "Description": params["description"] if params.get("description") is not None else current.get("Description"),
        "Rules": merge_rules(current.get("Rules"), params.get("rules"), params.get("purge_rules", True)),
        "VisibilityConfig": (
            visibility_to_aws(params["visibility"], name)
            if params.get("visibility") is not None
            else current.get("VisibilityConfig") or visibility_to_aws(None, name)
        ),
        "CustomResponseBodies": declared_or_current(
            "custom_response_bodies", custom_response_bodies_to_aws, "CustomResponseBodies"
        ),
        "CaptchaConfig": declared_or_current("captcha_immunity_time", immunity_to_aws, "CaptchaConfig"),
        "ChallengeConfig": declared_or_current("challenge_immunity_time", immunity_to_aws, "ChallengeConfig"),
        "TokenDomains": declared_or_current("token_domains", list, "TokenDomains"),
    }
    for field in PASSTHROUGH_FIELDS:
        desired[field] = current.get(field)
    return dict((key, value) for key, value in desired.items() if value not in (None, "", {}) or key == "Rules")


def _compared(acl, field):
    value = (acl or {}).get(field)
    if field == "TokenDomains":
        value = sorted(value or [])
    elif field == "DefaultAction":
        value = normalise_rule({"Action": value}).get("Action")
    return comparable({"v": value}).get("v")


def web_acl_differs(current, desired):
    if rules_differ(current.get("Rules"), desired.get("Rules")):
        return True
    return any(_compared(current, field) != _compared(desired, field) for field in COMPARED_FIELDS)


def request_fields(desired):
    """Create/UpdateWebACL members from the desired fields (AWS rejects empty maps and lists there)."""
    return dict((key, value) for key, value in desired.items() if key == "Rules" or value not in (None, "", {}, []))


def desired_logging(spec, current, acl_arn):
    """The LoggingConfiguration after this task; None when it must not log."""
    if not spec.get("enabled", True):
        return None
    current = current or {}
    result = {
        "ResourceArn": acl_arn,
        "LogDestinationConfigs": [
            log_destination_arn(spec["destination"], acl_arn) if acl_arn else spec["destination"]
        ],
    }
    if spec.get("redacted_fields") is not None:
        result["RedactedFields"] = [redacted_field_to_aws(item) for item in spec["redacted_fields"]]
    elif current.get("RedactedFields"):
        result["RedactedFields"] = current["RedactedFields"]
    if spec.get("filter") is not None:
        logging_filter = logging_filter_to_aws(spec["filter"])
    else:
        logging_filter = current.get("LoggingFilter")
    if logging_filter:
        result["LoggingFilter"] = logging_filter
    return result


# ---------------------------------------------------------------------------------------------
# The manager
# ---------------------------------------------------------------------------------------------


# What ensure_present compares: the ACL (None when absent) and its lock token, tags, logging configuration
# (None when not managed) and associations (None when not managed).
ACLFacets = namedtuple("ACLFacets", "acl lock_token tags logging associations", defaults=(None, None, {}, None, None))


class WebACLManager:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.name = self.params["name"]
        self.scope = self.params["scope"]
        self.check_mode = module.check_mode
        self.results = {"changed": False}

    def process(self):
        if self.params["state"] == "absent":
            self.ensure_absent()
        else:
            self.ensure_present()
        return self.results

    # Reading ---------------------------------------------------------------------------------

    def read(self):
        """(WebACL, LockToken) or (None, None)."""
        summary = find_web_acl(self.client, self.name, self.scope)
        if not summary:
            return None, None
        found = get_web_acl(self.client, self.name, self.scope, summary["Id"])
        return found if found else (None, None)

    def read_facets(self, logging_spec, declared_assoc, purge_assoc):
        """The ACL with its lock token, tags, logging configuration and associations.

        Once ListWebACLs has given the ARN, the other reads are made at the same time, so checking logging and
        associations costs no more round trips than reading the ACL and its tags. Only the association types
        recorded in the ACL's tag and not declared have to wait for the tags."""
        summary = find_web_acl(self.client, self.name, self.scope)
        if not summary:
            return ACLFacets(associations=None if declared_assoc is None else [])
        arn = summary["ARN"]
        declared_types = sorted(set(resource_type(resource) for resource in declared_assoc or []))
        reads = dict(
            acl=lambda: get_web_acl(self.client, self.name, self.scope, summary["Id"]),
            tags=lambda: boto3_tag_list_to_ansible_dict(list_tags_for_resource(self.client, arn)),
        )
        if declared_types:
            reads["associations"] = lambda: current_associations(self.client, arn, declared_types)
        if logging_spec:
            reads["logging"] = lambda: get_logging_configuration(self.client, arn)
        found = read_concurrently(**reads)
        if not found["acl"]:
            return ACLFacets(associations=None if declared_assoc is None else [])
        (acl, lock_token), tags = found["acl"], found["tags"]
        associations = None
        if declared_assoc is not None:
            undeclared_types = self.association_types(tags, declared_assoc, purge_assoc) - set(declared_types)
            associations = sorted(
                set(found.get("associations", [])) | set(current_associations(self.client, arn, undeclared_types))
            )
        return ACLFacets(acl, lock_token, tags, found.get("logging"), associations)

    def association_types(self, tags, declared, purge):
        """The resource types to list: the declared ones, and when purging, those recorded in the ACL's tag
        (or the baseline, Application Load Balancers and API Gateway stages, when the ACL has no record)."""
        types = set(resource_type(arn) for arn in declared or [])
        if purge:
            recorded = decode_association_types(tags)
            types |= set(BASELINE_RESOURCE_TYPES if recorded is None else recorded)
        return types

    # Checks that need AWS ------------------------------------------------------------------

    def check_capacity(self, rules):
        try:
            capacity = check_capacity(self.client, self.scope, rules)
        except AnsibleWAFv2Error:
            self.explain_rule_groups()
            raise
        limit = self.params["capacity_limit"]
        if capacity > limit:
            self.module.fail_json(
                msg=(
                    f"The rules need {capacity} WCUs, more than capacity_limit {limit}. Remove or narrow rules "
                    "(scope-down statements, fewer managed rule groups), or raise capacity_limit (AWS allows "
                    "5000; above 1500 WCUs requests cost more)."
                ),
                capacity=capacity,
                capacity_limit=limit,
            )
        return capacity

    def explain_rule_groups(self):
        """After CheckCapacity failed: name the declared managed rule group AWS does not know, if any."""
        for index, rule in enumerate(self.params.get("rules") or []):
            group = rule.get("managed_rule_group")
            if not group:
                continue
            vendor = group.get("vendor_name") or "AWS"
            try:
                found = describe_managed_rule_group(
                    self.client, self.scope, vendor, group["name"], group.get("version")
                )
            except AnsibleWAFv2Error as e:
                if _error_code(e) not in UNKNOWN_GROUP_CODES:
                    continue
                found = None
            if found is None:
                field = "version" if group.get("version") else "name"
                self.module.fail_json(
                    msg=(
                        f"rules[{index}].managed_rule_group.{field}: {vendor} managed rule group "
                        f"{group['name']!r}{' version ' + repr(group['version']) if group.get('version') else ''} "
                        f"is not available in scope {self.scope}; check the name (and version) against "
                        "ListAvailableManagedRuleGroups."
                    )
                )

    # present ---------------------------------------------------------------------------------

    def ensure_present(self):
        params = self.params
        logging_spec = params.get("logging")
        declared_assoc = params.get("associations")
        purge_assoc = params["purge_associations"]
        facets = self.read_facets(logging_spec, declared_assoc, purge_assoc)
        current, lock_token, tags = facets.acl, facets.lock_token, facets.tags
        current_logging, assoc_before = facets.logging, facets.associations
        arn = current["ARN"] if current else None

        desired = desired_web_acl(current, params)
        conflicts = priority_conflicts(desired["Rules"], params.get("rules")) + undefined_body_keys(desired, params)
        if conflicts:
            self.module.fail_json(msg=" ".join(conflicts), errors=conflicts)

        acl_changed = current is None or web_acl_differs(current, desired)
        rules_changed = desired["Rules"] and (current is None or rules_differ(current.get("Rules"), desired["Rules"]))

        # Tags, with the record of association types kept out of the user's tags.
        user_tags = dict((k, v) for k, v in tags.items() if k != ASSOCIATION_TYPES_TAG)
        tags_to_set, tags_to_unset = {}, []
        if params.get("tags") is not None:
            tags_to_set, tags_to_unset = compare_aws_tags(user_tags, params["tags"], params["purge_tags"])
        assoc_after = None
        if declared_assoc is not None:
            assoc_after = sorted(set(declared_assoc) | (set() if purge_assoc else set(assoc_before)))
            record = encode_association_types(assoc_after)
            if not purge_assoc and decode_association_types(tags):
                # Not purging, so types recorded earlier may still be in use: keep them in the record.
                kept = (set(record.split()) | set(decode_association_types(tags))) - {"none"}
                record = " ".join(sorted(kept)) or "none"
            if tags.get(ASSOCIATION_TYPES_TAG) != record:
                tags_to_set[ASSOCIATION_TYPES_TAG] = record
        tags_after = dict(user_tags, **tags_to_set)
        for key in tags_to_unset:
            tags_after.pop(key, None)

        to_associate = sorted(set(declared_assoc or []) - set(assoc_before or []))
        to_disassociate = sorted(set(assoc_before or []) - set(declared_assoc or [])) if purge_assoc else []
        if declared_assoc is None:
            to_disassociate = []

        logging_after = None
        logging_changed = False
        if logging_spec is not None:
            logging_after = desired_logging(logging_spec, current_logging, arn)
            logging_changed = normalise_logging(current_logging) != normalise_logging(logging_after)

        changed = bool(
            acl_changed or tags_to_set or tags_to_unset or to_associate or to_disassociate or logging_changed
        )
        self.results["changed"] = changed

        before = self.view(current, tags, assoc_before, current_logging, logging_spec) if current else {}
        after_acl = dict(current or {}, Name=self.name, **desired)
        after = self.view(after_acl, tags_after, assoc_after, logging_after, logging_spec)
        self.results.update(diff_payload(self.module, _mutable(before), _mutable(after)))

        if rules_changed:
            # Read-only: runs in check mode too, so a capacity or rule group error shows with --check.
            self.check_capacity(desired["Rules"])

        if not changed:
            self.results["web_acl"] = before
            return
        if self.check_mode:
            self.results["web_acl"] = after
            return

        if current is None:
            request = dict(Name=self.name, Scope=self.scope, **request_fields(desired))
            if tags_after:
                request["Tags"] = ansible_dict_to_boto3_tag_list(tags_after)
            summary = create_web_acl(self.client, **request)
            arn = summary["ARN"]
            acl_id = summary["Id"]
            if logging_spec is not None:
                logging_after = desired_logging(logging_spec, None, arn)
        else:
            acl_id = current["Id"]
            if acl_changed:
                self.update(current, lock_token)
            if tags_to_unset:
                untag_resource(self.client, arn, tags_to_unset)
            if tags_to_set:
                tag_resource(self.client, arn, ansible_dict_to_boto3_tag_list(tags_to_set))

        if logging_changed or (current is None and logging_after):
            if logging_after:
                put_logging_configuration(self.client, logging_after)
            else:
                delete_logging_configuration(self.client, arn)
        for resource_arn in to_disassociate:
            disassociate_web_acl(self.client, resource_arn)
        for resource_arn in to_associate:
            associate_web_acl(self.client, arn, resource_arn)

        final = current
        if current is None or acl_changed:
            found = get_web_acl(self.client, self.name, self.scope, acl_id)
            final = found[0] if found else after_acl
        self.results["web_acl"] = self.view(final, tags_after, assoc_after, logging_after, logging_spec)

    def update(self, current, lock_token):
        """UpdateWebACL; on WAFOptimisticLockException re-read the ACL, rebuild the request and retry."""
        for attempt in range(1, LOCK_ATTEMPTS + 1):
            desired = desired_web_acl(current, self.params)
            try:
                return update_web_acl(
                    self.client,
                    Name=self.name,
                    Scope=self.scope,
                    Id=current["Id"],
                    LockToken=lock_token,
                    **request_fields(desired),
                )
            except AnsibleWAFv2Error as e:
                if _error_code(e) != "WAFOptimisticLockException" or attempt == LOCK_ATTEMPTS:
                    raise
            found = get_web_acl(self.client, self.name, self.scope, current["Id"])
            if not found:
                self.module.fail_json(msg=f"web ACL {self.name} was deleted by someone else while it was updated")
            current, lock_token = found
        return None

    # absent ----------------------------------------------------------------------------------

    def ensure_absent(self):
        current, lock_token = self.read()
        self.results["web_acl"] = {}
        if not current:
            return
        arn = current["ARN"]
        tags = boto3_tag_list_to_ansible_dict(list_tags_for_resource(self.client, arn))
        associations = []
        if self.scope == "REGIONAL":
            associations = current_associations(self.client, arn, self.association_types(tags, [], True))
        self.results["changed"] = True
        self.results.update(diff_payload(self.module, _mutable(self.view(current, tags, associations, None, None)), {}))
        if self.check_mode:
            return
        for resource_arn in associations:
            disassociate_web_acl(self.client, resource_arn)
        for attempt in range(1, LOCK_ATTEMPTS + 1):
            try:
                delete_web_acl(self.client, self.name, self.scope, current["Id"], lock_token)
                return
            except AnsibleWAFv2Error as e:
                code = _error_code(e)
                if code == "WAFAssociatedItemException":
                    self.module.fail_json(
                        msg=(
                            f"web ACL {self.name} is still associated with resources of a type this module did not "
                            "list; disassociate them (aws wafv2 list-resources-for-web-acl --resource-type ...) "
                            "and run again."
                        )
                    )
                if code != "WAFOptimisticLockException" or attempt == LOCK_ATTEMPTS:
                    raise
            found = get_web_acl(self.client, self.name, self.scope, current["Id"])
            if not found:
                return
            lock_token = found[1]

    # Views -----------------------------------------------------------------------------------

    def view(self, acl, tags, associations, logging, logging_spec):
        """The ACL in option shape; associations/logging only when the task manages them."""
        logging_view = None
        if logging_spec is not None:
            logging_view = logging if logging else False
        return web_acl_from_aws(acl, self.scope, tags, associations, logging_view)


def _error_code(error):
    exception = getattr(error, "exception", None)
    response = getattr(exception, "response", None) or {}
    return (response.get("Error") or {}).get("Code")


def _mutable(view):
    """A view without read-only identity members, for diffs."""
    return dict((k, v) for k, v in copy.deepcopy(view or {}).items() if k not in READ_ONLY_KEYS)


def build_argument_spec():
    response_spec = dict(
        response_code=dict(type="int", required=True),
        custom_response_body_key=dict(type="str", no_log=False),
        response_headers=dict(type="dict"),
    )
    visibility_spec = dict(
        cloudwatch_metrics_enabled=dict(type="bool", default=True),
        sampled_requests_enabled=dict(type="bool", default=True),
        metric_name=dict(type="str"),
    )
    forwarded_spec = dict(
        header_name=dict(type="str", default="X-Forwarded-For"),
        fallback_behavior=dict(type="str", choices=["MATCH", "NO_MATCH"], default="MATCH"),
    )
    overrides_spec = dict(
        name=dict(type="str", required=True),
        action=dict(type="str", required=True, choices=list(ACTION_KEYS)),
    )
    rule_spec = dict(
        name=dict(type="str", required=True),
        priority=dict(type="int", required=True),
        action=dict(type="str", choices=list(ACTION_KEYS)),
        override_action=dict(type="str", choices=["none", "count"]),
        rate_based=dict(
            type="dict",
            options=dict(
                limit=dict(type="int", required=True),
                aggregate_key_type=dict(type="str", choices=["IP", "FORWARDED_IP", "CONSTANT"], default="IP"),
                evaluation_window_sec=dict(type="int", choices=[60, 120, 300, 600], default=300),
                forwarded_ip_config=dict(type="dict", options=forwarded_spec),
                scope_down_statement=dict(type="dict"),
            ),
        ),
        managed_rule_group=dict(
            type="dict",
            options=dict(
                vendor_name=dict(type="str", default="AWS"),
                name=dict(type="str", required=True),
                version=dict(type="str"),
                excluded_rules=dict(type="list", elements="str"),
                rule_action_overrides=dict(type="list", elements="dict", options=overrides_spec),
                scope_down_statement=dict(type="dict"),
            ),
        ),
        rule_group=dict(
            type="dict",
            options=dict(
                arn=dict(type="str", required=True),
                excluded_rules=dict(type="list", elements="str"),
                rule_action_overrides=dict(type="list", elements="dict", options=overrides_spec),
            ),
        ),
        ip_set=dict(
            type="dict",
            options=dict(
                arn=dict(type="str", required=True),
                forwarded_ip_config=dict(
                    type="dict",
                    options=dict(
                        forwarded_spec, position=dict(type="str", choices=["FIRST", "LAST", "ANY"], default="FIRST")
                    ),
                ),
            ),
        ),
        geo_match=dict(
            type="dict",
            options=dict(
                country_codes=dict(type="list", elements="str", required=True),
                forwarded_ip_config=dict(type="dict", options=forwarded_spec),
            ),
        ),
        statement=dict(type="dict"),
        rule_labels=dict(type="list", elements="str"),
        custom_response=dict(type="dict", options=response_spec),
        captcha_immunity_time=dict(type="int"),
        challenge_immunity_time=dict(type="int"),
        visibility=dict(type="dict", options=visibility_spec),
    )
    logging_spec = dict(
        enabled=dict(type="bool", default=True),
        destination=dict(type="str"),
        redacted_fields=dict(type="list", elements="raw"),
        filter=dict(
            type="dict",
            options=dict(
                default_behavior=dict(type="str", choices=["KEEP", "DROP"], default="KEEP"),
                filters=dict(
                    type="list",
                    elements="dict",
                    options=dict(
                        behavior=dict(type="str", choices=["KEEP", "DROP"], default="KEEP"),
                        requirement=dict(type="str", choices=["MEETS_ALL", "MEETS_ANY"], default="MEETS_ANY"),
                        conditions=dict(type="list", elements="dict", required=True),
                    ),
                ),
            ),
        ),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        scope=dict(type="str", choices=["REGIONAL", "CLOUDFRONT"], default="REGIONAL"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str"),
        default_action=dict(type="str", choices=["allow", "block"], default="allow"),
        default_action_response=dict(type="dict", options=response_spec),
        rules=dict(type="list", elements="dict", options=rule_spec),
        purge_rules=dict(type="bool", default=True),
        visibility=dict(type="dict", options=visibility_spec),
        custom_response_bodies=dict(type="dict"),
        captcha_immunity_time=dict(type="int"),
        challenge_immunity_time=dict(type="int"),
        token_domains=dict(type="list", elements="str", no_log=False),
        capacity_limit=dict(type="int", default=1500),
        associations=dict(type="list", elements="str"),
        purge_associations=dict(type="bool", default=True),
        logging=dict(type="dict", options=logging_spec),
        origin_verify=dict(
            type="dict",
            options=dict(
                name=dict(type="str", default="origin-verify"),
                priority=dict(type="int", required=True),
                header_name=dict(type="str", required=True),
                values=dict(type="list", elements="str", required=True, no_log=True),
                action=dict(type="str", choices=["block", "count"], default="block"),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    return argument_spec


def main():
    module = AnsibleAWSModule(argument_spec=build_argument_spec(), supports_check_mode=True)

    errors = validate(module.params, module.region)
    errors += origin_verify_errors(module.params.get("origin_verify"), module.params.get("rules"))
    fail_on_input_errors(module, errors)
    client = module.client("wafv2")
    fail_on_input_errors(module, model_errors(client.meta.service_model, module.params))
    add_origin_verify(module.params)
    run_module(module, [], lambda: WebACLManager(module, client).process(), AnsibleWAFv2Error)


if __name__ == "__main__":
    main()
