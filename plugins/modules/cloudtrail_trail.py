#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudtrail_trail
short_description: Manage an AWS CloudTrail trail, its event selectors, Insights and logging state
version_added: 1.0.0
description:
  - Creates, updates or deletes a CloudTrail trail, with its S3 destination, multi-region and global-service
    settings, log file validation, KMS encryption, CloudWatch Logs delivery, event selectors (basic or advanced),
    Insights selectors, logging state (C(StartLogging)/C(StopLogging)) and tags.
  - The trail is found by name among the trails visible in the task's region and the answer of C(DescribeTrails) is
    filtered by name here (some implementations return every trail whatever name is asked). A trail is changed from
    its home region only; for a multi-region trail seen from another region the module fails and names the home
    region.
  - Settings are compared in the shape of the options (event selectors with their defaults filled in and values
    sorted), so a re-run with the same input makes read calls only and reports no change.
  - Every input is checked before any AWS call (trail and bucket names, KMS key, log group and role ARNs, both
    kinds of selectors given, selector fields); the error names the field and the fix.
  - The module creates neither the bucket (see M(securecloud.monitor.cloudtrail_bucket)), the KMS key, nor the
    CloudWatch Logs log group and role.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  name:
    description:
      - Name of the trail; 3 to 128 letters, digits, V(.), V(_) or V(-), starting and ending with a letter or digit.
    type: str
    required: true
  state:
    description: V(present) creates or updates the trail, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  s3_bucket_name:
    description:
      - Bucket receiving the log files. Its policy must let CloudTrail write for this trail
        (M(securecloud.monitor.cloudtrail_bucket) writes such a policy). Required when O(state=present).
    type: str
  s3_key_prefix:
    description:
      - Key prefix of the log files in the bucket. Not set leaves it alone; V('') removes it.
    type: str
  multi_region:
    description: Log the events of every region in this trail.
    type: bool
    default: true
  include_global_service_events:
    description:
      - Log events of global services (IAM, STS, CloudFront). Must be V(true) for a multi-region trail.
    type: bool
    default: true
  log_file_validation:
    description: Write signed digest files so that log files can be proven unmodified.
    type: bool
    default: true
  kms_key_arn:
    description:
      - ARN of the symmetric KMS key (V(arn:aws:kms:REGION:ACCOUNT:key/KEY_ID)) encrypting the log files; its policy
        must let CloudTrail use it (see RV(securecloud.monitor.cloudtrail_bucket#module:key_policy_statements)).
      - Not set leaves the encryption alone; V('') turns KMS encryption off (the bucket's default encryption
        applies then).
    type: str
  cloudwatch_logs:
    description:
      - Delivery of the events to a CloudWatch Logs log group. Not set leaves it alone.
    type: dict
    suboptions:
      enabled:
        description: V(false) stops the delivery.
        type: bool
        default: true
      log_group_arn:
        description:
          - ARN of the log group, V(arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*) (the V(:*) is added when left
            out). Required when O(cloudwatch_logs.enabled=true).
        type: str
      role_arn:
        description:
          - ARN of the IAM role CloudTrail assumes to write to the log group. Required when
            O(cloudwatch_logs.enabled=true).
        type: str
  event_selectors:
    description:
      - Basic event selectors (at most 5). Not set leaves the selectors alone. Mutually exclusive with
        O(advanced_event_selectors); setting one replaces the other on the trail.
      - A trail without selectors logs every management event, which is the selector with
        O(event_selectors[].read_write_type=All) and O(event_selectors[].include_management_events=true).
    type: list
    elements: dict
    suboptions:
      read_write_type:
        description: Which management and data events to log.
        type: str
        choices: [ReadOnly, WriteOnly, All]
        default: All
      include_management_events:
        description: Log management events.
        type: bool
        default: true
      exclude_management_event_sources:
        description: Event sources left out of management events, for example V(kms.amazonaws.com).
        type: list
        elements: str
        default: []
      data_resources:
        description: Data events to log.
        type: list
        elements: dict
        default: []
        suboptions:
          type:
            description: V(AWS::S3::Object), V(AWS::Lambda::Function) or V(AWS::DynamoDB::Table).
            type: str
            required: true
          values:
            description: ARNs or ARN prefixes, for example V(arn:aws:s3:::bucket/).
            type: list
            elements: str
            required: true
  advanced_event_selectors:
    description:
      - Advanced event selectors. Not set leaves the selectors alone. Mutually exclusive with O(event_selectors).
      - Each selector needs an C(eventCategory) field selector.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the selector.
        type: str
      field_selectors:
        description: Conditions, all of which must match.
        type: list
        elements: dict
        required: true
        suboptions:
          field:
            description:
              - V(eventCategory), V(eventSource), V(eventName), V(eventType), V(readOnly), V(resources.type),
                V(resources.ARN), V(errorCode), V(userIdentity.arn), V(vpcEndpointId) or
                V(sessionCredentialFromConsole).
            type: str
            required: true
          equals:
            description: Values the field equals.
            type: list
            elements: str
          starts_with:
            description: Prefixes the field starts with.
            type: list
            elements: str
          ends_with:
            description: Suffixes the field ends with.
            type: list
            elements: str
          not_equals:
            description: Values the field does not equal.
            type: list
            elements: str
          not_starts_with:
            description: Prefixes the field does not start with.
            type: list
            elements: str
          not_ends_with:
            description: Suffixes the field does not end with.
            type: list
            elements: str
  insights:
    description:
      - CloudTrail Insights types to enable. Not set leaves them alone; V([]) disables Insights.
      - Insights need management write events logged.
    type: list
    elements: str
    choices: [ApiCallRateInsight, ApiErrorRateInsight]
  logging:
    description: V(true) starts logging (C(StartLogging)), V(false) stops it (C(StopLogging)).
    type: bool
    default: true
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made; a trail check mode
    would create is returned with RV(trail.arn) null.
  - A re-run with the same input makes read calls only (C(DescribeTrails), C(GetTrailStatus), C(GetEventSelectors),
    C(GetInsightSelectors), C(ListTags)) and reports no change.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Multi-region trail of management events, encrypted, validated, delivered to CloudWatch Logs
  securecloud.monitor.cloudtrail_trail:
    name: management-events
    s3_bucket_name: example-cloudtrail-logs-123456789012
    kms_key_arn: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    cloudwatch_logs:
      log_group_arn: arn:aws:logs:eu-west-1:123456789012:log-group:cloudtrail:*
      role_arn: arn:aws:iam::123456789012:role/cloudtrail-to-cloudwatch
    event_selectors:
      - read_write_type: All
        exclude_management_event_sources: [kms.amazonaws.com]
    insights: [ApiCallRateInsight, ApiErrorRateInsight]
    tags:
      Environment: prod

- name: Trail of S3 data events of one bucket, with advanced selectors
  securecloud.monitor.cloudtrail_trail:
    name: secrets-bucket-data-events
    s3_bucket_name: example-cloudtrail-logs-123456789012
    s3_key_prefix: data
    advanced_event_selectors:
      - name: S3 writes to the secrets bucket
        field_selectors:
          - field: eventCategory
            equals: [Data]
          - field: resources.type
            equals: ["AWS::S3::Object"]
          - field: resources.ARN
            starts_with: ["arn:aws:s3:::example-secrets/"]
          - field: readOnly
            equals: ["false"]

- name: Stop logging without deleting the trail
  securecloud.monitor.cloudtrail_trail:
    name: management-events
    s3_bucket_name: example-cloudtrail-logs-123456789012
    logging: false

- name: Delete the trail
  securecloud.monitor.cloudtrail_trail:
    name: management-events
    state: absent
"""

RETURN = r"""
trail:
  description:
    - The trail after the task (in check mode, as it would be), in the shape of the options. Empty after
      O(state=absent).
  returned: always
  type: dict
  contains:
    name:
      description: Name of the trail.
      type: str
      sample: management-events
    arn:
      description: ARN of the trail; null for a trail check mode would create.
      type: str
      sample: arn:aws:cloudtrail:eu-west-1:123456789012:trail/management-events
    home_region:
      description: Region the trail was created in.
      type: str
      sample: eu-west-1
    s3_bucket_name:
      description: Bucket receiving the log files.
      type: str
      sample: example-cloudtrail-logs-123456789012
    s3_key_prefix:
      description: Key prefix of the log files.
      type: str
      sample: data
    multi_region:
      description: Whether the trail logs every region.
      type: bool
      sample: true
    include_global_service_events:
      description: Whether global service events are logged.
      type: bool
      sample: true
    log_file_validation:
      description: Whether digest files are written.
      type: bool
      sample: true
    kms_key_arn:
      description: The KMS key encrypting the log files.
      type: str
      sample: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    cloudwatch_logs:
      description: CloudWatch Logs delivery (C(log_group_arn), C(role_arn)); empty when off.
      type: dict
    event_selectors:
      description: Basic event selectors, in the shape of O(event_selectors).
      type: list
      elements: dict
    advanced_event_selectors:
      description: Advanced event selectors, in the shape of O(advanced_event_selectors).
      type: list
      elements: dict
    insights:
      description: Enabled Insights types, sorted.
      type: list
      elements: str
      sample: ["ApiCallRateInsight"]
    logging:
      description: Whether the trail is logging.
      type: bool
      sample: true
    tags:
      description: Tags of the trail.
      type: dict
      sample: {"Environment": "prod"}
diff:
  description: Before and after state of the trail in the shape of RV(trail), with C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import cloudtrail as ct  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical, diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.model_validation import (  # noqa: E402
    Rename,
    plan_errors,
    tag_list_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import (  # noqa: E402
    fail_on_input_errors,
    run_module,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.s3_bucket import (  # noqa: E402
    bucket_name_errors,
    kms_key_arn_errors,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.tags import tag_list  # noqa: E402

# Option name -> (DescribeTrails key, UpdateTrail/CreateTrail parameter)
_SCALARS = {
    "s3_bucket_name": ("S3BucketName", "S3BucketName"),
    "s3_key_prefix": ("S3KeyPrefix", "S3KeyPrefix"),
    "multi_region": ("IsMultiRegionTrail", "IsMultiRegionTrail"),
    "include_global_service_events": ("IncludeGlobalServiceEvents", "IncludeGlobalServiceEvents"),
    "log_file_validation": ("LogFileValidationEnabled", "EnableLogFileValidation"),
    "kms_key_arn": ("KmsKeyId", "KmsKeyId"),
}


def validate(params):
    """Every problem with the task's input, as messages that name the field and the fix (no AWS call)."""
    errors = list(ct.trail_name_errors(params["name"]))
    if params["state"] == "absent":
        return errors
    if not params.get("s3_bucket_name"):
        errors.append("s3_bucket_name is required when state is present: name the bucket receiving the log files.")
    else:
        errors.extend(bucket_name_errors(params["s3_bucket_name"], "s3_bucket_name"))
    if params.get("kms_key_arn"):
        errors.extend(kms_key_arn_errors(params["kms_key_arn"]))
    if params["multi_region"] and not params["include_global_service_events"]:
        errors.append(
            "include_global_service_events is false but multi_region is true: a multi-region trail must log global "
            "service events. Set include_global_service_events to true, or multi_region to false."
        )
    logs = params.get("cloudwatch_logs")
    if logs and logs.get("enabled"):
        errors.extend(ct.log_group_arn_errors(logs.get("log_group_arn")))
        errors.extend(ct.role_arn_errors(logs.get("role_arn")))
    basic, advanced = params.get("event_selectors"), params.get("advanced_event_selectors")
    if basic is not None and advanced is not None:
        errors.append(
            "event_selectors and advanced_event_selectors are both set: a trail uses one kind. Keep "
            "advanced_event_selectors (they can express every basic selector) or event_selectors, not both."
        )
    if basic:
        errors.extend(ct.event_selector_errors(basic))
    if advanced:
        errors.extend(ct.advanced_selector_errors(advanced))
    insights = params.get("insights") or []
    if len(insights) != len(set(insights)):
        errors.append("insights lists a type twice: give each Insights type once.")
    return errors


def trail_view(trail, logging, basic, advanced, insights, tags):
    """A trail (DescribeTrails item and its reads) in the shape of the module's options."""
    if not trail:
        return {}
    logs = {}
    if trail.get("CloudWatchLogsLogGroupArn"):
        logs = {"log_group_arn": trail["CloudWatchLogsLogGroupArn"], "role_arn": trail.get("CloudWatchLogsRoleArn")}
    if not basic and not advanced:
        basic = [dict(ct.DEFAULT_EVENT_SELECTOR)]
    return {
        "name": trail["Name"],
        "arn": trail.get("TrailARN"),
        "home_region": trail.get("HomeRegion"),
        "s3_bucket_name": trail.get("S3BucketName"),
        "s3_key_prefix": trail.get("S3KeyPrefix") or None,
        "multi_region": bool(trail.get("IsMultiRegionTrail")),
        "include_global_service_events": bool(trail.get("IncludeGlobalServiceEvents")),
        "log_file_validation": bool(trail.get("LogFileValidationEnabled")),
        "kms_key_arn": trail.get("KmsKeyId") or None,
        "cloudwatch_logs": logs,
        "event_selectors": basic or [],
        "advanced_event_selectors": advanced or [],
        "insights": insights,
        "logging": logging,
        "tags": tags,
    }


class CloudTrailTrailManager:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.name = self.params["name"]

    def read(self):
        trail = ct.describe_trail(self.client, self.name)
        if not trail:
            return None, {}
        home = trail.get("HomeRegion")
        if home and self.module.region and home != self.module.region:
            self.module.fail_json(
                msg=(
                    f"trail {self.name} has its home region in {home} (this task runs in {self.module.region}): a "
                    f"trail is changed from its home region only. Run the task with region: {home}."
                )
            )
        basic, advanced = ct.get_event_selectors(self.client, self.name)
        view = trail_view(
            trail,
            ct.is_logging(self.client, self.name),
            ct.event_selectors_from_api(basic),
            ct.advanced_selectors_from_api(advanced),
            ct.get_insight_types(self.client, self.name),
            ct.list_tags(self.client, trail["TrailARN"]),
        )
        return trail, view

    def update_params(self, current, declared):
        """UpdateTrail parameters for every scalar that differs ({} when none does)."""
        params = {}
        for option, (_key, api) in _SCALARS.items():
            if option in declared and declared[option] != current.get(option):
                value = declared[option]
                params[api] = "" if value is None else value
        if "cloudwatch_logs" in declared and canonical(declared["cloudwatch_logs"]) != canonical(
            current.get("cloudwatch_logs") or {}
        ):
            logs = declared["cloudwatch_logs"]
            params["CloudWatchLogsLogGroupArn"] = logs.get("log_group_arn") or ""
            params["CloudWatchLogsRoleArn"] = logs.get("role_arn") or ""
        if params:
            params["Name"] = self.name
        return params

    def process(self):
        trail, current = self.read()
        if self.params["state"] == "absent":
            changed = trail is not None
            if changed and not self.module.check_mode:
                ct.delete_trail(self.client, self.name)
            result = {"changed": changed, "trail": {}}
            result.update(diff_payload(self.module, current, {}))
            return result
        return self.ensure_present(trail, current)

    def ensure_present(self, trail, current):
        declared = declared_scalars(self.params)
        after = dict(current) if trail else {"name": self.name, "arn": None, "home_region": self.module.region}
        if not trail:
            after.update(
                {
                    "s3_key_prefix": None,
                    "kms_key_arn": None,
                    "cloudwatch_logs": {},
                    "event_selectors": [dict(ct.DEFAULT_EVENT_SELECTOR)],
                    "advanced_event_selectors": [],
                    "insights": [],
                    "logging": False,
                    "tags": {},
                }
            )
        after.update(declared)
        update = self.update_params(current, declared) if trail else {}

        basic, advanced = self.params.get("event_selectors"), self.params.get("advanced_event_selectors")
        selectors = None
        if basic is not None:
            wanted = ct.normalise_event_selectors(basic)
            if ct.selectors_differ(after["event_selectors"], wanted) or after["advanced_event_selectors"]:
                selectors = {"event_selectors": ct.event_selectors_to_api(basic)}
            after["event_selectors"], after["advanced_event_selectors"] = wanted, []
        elif advanced is not None:
            wanted = ct.normalise_advanced_selectors(advanced)
            if ct.selectors_differ(current.get("advanced_event_selectors") or [], wanted) or not trail:
                selectors = {"advanced_event_selectors": ct.advanced_selectors_to_api(advanced)}
            after["event_selectors"], after["advanced_event_selectors"] = [], wanted

        insights = None
        if self.params.get("insights") is not None:
            wanted = sorted(self.params["insights"])
            if wanted != after["insights"]:
                insights = wanted
            after["insights"] = wanted

        logging_call = None
        if self.params["logging"] != after["logging"]:
            logging_call = ct.start_logging if self.params["logging"] else ct.stop_logging
        after["logging"] = self.params["logging"]

        to_set, to_unset = {}, []
        if self.params.get("tags") is not None:
            to_set, to_unset = compare_aws_tags(after["tags"], declared_tags(self.params), self.params["purge_tags"])
            tags = dict(after["tags"], **to_set)
            for key in to_unset:
                tags.pop(key, None)
            after["tags"] = tags

        changed = not trail or bool(update or selectors or insights is not None or logging_call or to_set or to_unset)

        if changed and not self.module.check_mode:
            arn = current.get("arn")
            if not trail:
                arn = self.create(declared)["TrailARN"]
                after["arn"] = arn
                to_set = {}  # given to CreateTrail
            if update:
                ct.update_trail(self.client, **update)
            if selectors:
                ct.put_event_selectors(self.client, self.name, **selectors)
            if insights is not None:
                ct.put_insight_types(self.client, self.name, insights)
            if to_unset:
                ct.remove_tags(self.client, arn, to_unset)
            if to_set:
                ct.add_tags(self.client, arn, to_set)
            if logging_call:
                logging_call(self.client, self.name)

        result = {"changed": changed, "trail": after}
        result.update(diff_payload(self.module, current, after))
        return result

    def create(self, declared):
        params = create_request(self.name, declared)
        tags = declared_tags(self.params)
        if tags:
            params["TagsList"] = tag_list(tags)
        return ct.create_trail(self.client, **params)


def declared_scalars(params):
    """Option -> declared value for the trail's scalar settings (unset ones left out)."""
    declared = {}
    for option in _SCALARS:
        value = params.get(option)
        if value is not None:
            declared[option] = value or None if isinstance(value, str) else value
    logs = params.get("cloudwatch_logs")
    if logs is not None:
        declared["cloudwatch_logs"] = (
            {"log_group_arn": ct.normalise_log_group_arn(logs["log_group_arn"]), "role_arn": logs["role_arn"]}
            if logs.get("enabled")
            else {}
        )
    return declared


def declared_tags(params):
    return dict((k, str(v)) for k, v in (params.get("tags") or {}).items())


def create_request(name, declared):
    """CreateTrail's parameters for the declared scalars, without the tags."""
    params = {
        "Name": name,
        "S3BucketName": declared["s3_bucket_name"],
        "IsMultiRegionTrail": declared["multi_region"],
        "IncludeGlobalServiceEvents": declared["include_global_service_events"],
        "EnableLogFileValidation": declared["log_file_validation"],
    }
    if declared.get("s3_key_prefix"):
        params["S3KeyPrefix"] = declared["s3_key_prefix"]
    if declared.get("kms_key_arn"):
        params["KmsKeyId"] = declared["kms_key_arn"]
    logs = declared.get("cloudwatch_logs")
    if logs:
        params["CloudWatchLogsLogGroupArn"] = logs["log_group_arn"]
        params["CloudWatchLogsRoleArn"] = logs["role_arn"]
    return params


# Where the members of CreateTrail (UpdateTrail has the same), PutEventSelectors and PutInsightSelectors come from
# among the options (see module_utils/model_validation.py).
MODEL_RENAMES = (
    Rename("Name", "name"),
    Rename("TrailName", "name"),
    Rename("IsMultiRegionTrail", "multi_region"),
    Rename("EnableLogFileValidation", "log_file_validation"),
    Rename("KmsKeyId", "kms_key_arn"),
    Rename("CloudWatchLogsLogGroupArn", "cloudwatch_logs.log_group_arn"),
    Rename("CloudWatchLogsRoleArn", "cloudwatch_logs.role_arn"),
    Rename("InsightSelectors[*].InsightType", "insights[*]"),
)


def model_errors(service_model, params):
    """Every request a present trail's options make (CreateTrail, PutEventSelectors, PutInsightSelectors, the tags)
    checked against the CloudTrail model: advanced selectors' field names and value lengths, selector names, tag
    values (CloudTrail refuses an empty one); [] when AWS would take them. Run once validate passes."""
    if params["state"] == "absent":
        return []
    name = params["name"]
    requests = [("CreateTrail", create_request(name, declared_scalars(params)))]
    basic, advanced = params.get("event_selectors"), params.get("advanced_event_selectors")
    if basic is not None:
        requests.append(("PutEventSelectors", {"TrailName": name, "EventSelectors": ct.event_selectors_to_api(basic)}))
    elif advanced is not None:
        selectors = ct.advanced_selectors_to_api(advanced)
        requests.append(("PutEventSelectors", {"TrailName": name, "AdvancedEventSelectors": selectors}))
    if params.get("insights"):
        insights = [{"InsightType": insight} for insight in params["insights"]]
        requests.append(("PutInsightSelectors", {"TrailName": name, "InsightSelectors": insights}))
    errors = plan_errors(service_model, requests, MODEL_RENAMES)
    return errors + tag_list_errors(service_model, "AddTags", "TagsList", declared_tags(params))


def main():
    field_selector = dict(
        field=dict(type="str", required=True),
        equals=dict(type="list", elements="str"),
        starts_with=dict(type="list", elements="str"),
        ends_with=dict(type="list", elements="str"),
        not_equals=dict(type="list", elements="str"),
        not_starts_with=dict(type="list", elements="str"),
        not_ends_with=dict(type="list", elements="str"),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        s3_bucket_name=dict(type="str"),
        s3_key_prefix=dict(type="str", no_log=False),
        multi_region=dict(type="bool", default=True),
        include_global_service_events=dict(type="bool", default=True),
        log_file_validation=dict(type="bool", default=True),
        kms_key_arn=dict(type="str", no_log=False),
        cloudwatch_logs=dict(
            type="dict",
            options=dict(
                enabled=dict(type="bool", default=True),
                log_group_arn=dict(type="str"),
                role_arn=dict(type="str"),
            ),
        ),
        event_selectors=dict(
            type="list",
            elements="dict",
            options=dict(
                read_write_type=dict(type="str", choices=["ReadOnly", "WriteOnly", "All"], default="All"),
                include_management_events=dict(type="bool", default=True),
                exclude_management_event_sources=dict(type="list", elements="str", default=[]),
                data_resources=dict(
                    type="list",
                    elements="dict",
                    default=[],
                    options=dict(
                        type=dict(type="str", required=True),
                        values=dict(type="list", elements="str", required=True),
                    ),
                ),
            ),
        ),
        advanced_event_selectors=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str"),
                field_selectors=dict(type="list", elements="dict", required=True, options=field_selector),
            ),
        ),
        insights=dict(type="list", elements="str", choices=list(ct.INSIGHT_TYPES)),
        logging=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    fail_on_input_errors(module, validate(module.params))
    client = cloudtrail_client(module)
    run_module(
        module,
        model_errors(client.meta.service_model, module.params),
        lambda: CloudTrailTrailManager(module, client).process(),
        ct.AnsibleCloudTrailError,
    )


def cloudtrail_client(module):
    return module.client("cloudtrail")


if __name__ == "__main__":
    main()
