# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS CloudTrail: API wrappers, the log bucket's and KMS key's policy statements, input checks and the
conversion of trails and event selectors between the API's shape and the modules' option shape.

Every call is wrapped with ``retry.jittered_backoff()`` and turned into :class:`AnsibleCloudTrailError` by
:class:`CloudTrailErrorHandler` (the amazon.aws ``module_utils/ec2.py`` pattern).
"""

import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
)
from ansible_collections.securecloud.monitor.plugins.module_utils import s3_bucket
from ansible_collections.securecloud.monitor.plugins.module_utils.arns import arn_parts, is_arn, role_name
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import canonical
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff

_RETRY = jittered_backoff()
# A trail created a moment ago may not be visible yet to the call that follows.
_NEW_TRAIL_RETRY = jittered_backoff(max_delay=60, catch_extra_error_codes=["TrailNotFoundException"])

CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"
BUCKET_ACL_SID = "AWSCloudTrailAclCheck"
BUCKET_WRITE_SID = "AWSCloudTrailWrite"
BUCKET_TLS_SID = "DenyInsecureTransport"
KEY_ENCRYPT_SID = "AllowCloudTrailEncryptLogs"
KEY_DESCRIBE_SID = "AllowCloudTrailDescribeKey"
INSIGHT_TYPES = ("ApiCallRateInsight", "ApiErrorRateInsight")
# What CloudTrail logs when a trail has no event selectors: every management event, no data event. GetEventSelectors
# returns it for such a trail on AWS (moto returns nothing), so an empty answer is read as this selector.
DEFAULT_EVENT_SELECTOR = {
    "read_write_type": "All",
    "include_management_events": True,
    "exclude_management_event_sources": [],
    "data_resources": [],
}
BASIC_DATA_RESOURCE_TYPES = ("AWS::S3::Object", "AWS::Lambda::Function", "AWS::DynamoDB::Table")
ADVANCED_FIELDS = (
    "eventCategory",
    "eventSource",
    "eventName",
    "eventType",
    "readOnly",
    "resources.type",
    "resources.ARN",
    "errorCode",
    "userIdentity.arn",
    "vpcEndpointId",
    "sessionCredentialFromConsole",
)
_OPERATORS = ("equals", "starts_with", "ends_with", "not_equals", "not_starts_with", "not_ends_with")
_API_OPERATORS = dict((op, "".join(part.capitalize() for part in op.split("_"))) for op in _OPERATORS)


class AnsibleCloudTrailError(AnsibleAWSError):
    pass


class CloudTrailErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudTrailError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["TrailNotFoundException", "InsightNotEnabledException"])


# ---------------------------------------------------------------- input checks (no AWS call)


def trail_name_errors(name, field="name"):
    fix = (
        "use 3 to 128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit, with no two of "
        "'.', '_', '-' next to each other"
    )
    if not name or not 3 <= len(name) <= 128:
        return [f"{field} '{name}' is {len(name or '')} characters long: {fix}."]
    if not re.match(r"^[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9]))*$", name):
        return [f"{field} '{name}' is not a valid trail name: {fix}."]
    if re.match(r"^\d{1,3}(\.\d{1,3}){3}$", name):
        return [f"{field} '{name}' is formatted as an IP address, which CloudTrail refuses: choose a name."]
    return []


def is_trail_arn(value):
    return is_arn(value, "cloudtrail", "trail", "[A-Za-z0-9._-]{3,128}")


def trail_arn_errors(arn, field):
    if is_trail_arn(arn):
        return []
    return [
        f"{field} '{arn}' is neither a trail name nor a trail ARN: give the name of a trail in this account and "
        "region, or arn:aws:cloudtrail:HOME_REGION:ACCOUNT:trail/NAME."
    ]


def log_group_arn_errors(arn, field="cloudwatch_logs.log_group_arn"):
    if is_arn(arn, "logs", "log-group", r"[A-Za-z0-9_./#-]{1,512}(:\*)?"):
        return []
    return [
        f"{field} '{arn}' is not a CloudWatch Logs log group ARN: give "
        "arn:aws:logs:REGION:ACCOUNT:log-group:LOG_GROUP_NAME:* (the module does not create the log group)."
    ]


def role_arn_errors(arn, field="cloudwatch_logs.role_arn"):
    if role_name(arn):
        return []
    return [
        f"{field} '{arn}' is not an IAM role ARN: give arn:aws:iam::ACCOUNT:role/NAME, a role CloudTrail can assume "
        "with logs:CreateLogStream and logs:PutLogEvents on the log group (the module does not create it)."
    ]


def normalise_log_group_arn(arn):
    """CloudTrail stores a log group ARN with the ``:*`` suffix; declared without it, it would differ on every run."""
    return arn if not arn or arn.endswith(":*") else f"{arn}:*"


def event_selector_errors(selectors, field="event_selectors"):
    errors = []
    if len(selectors) > 5:
        errors.append(f"{field} has {len(selectors)} selectors: a trail takes at most 5. Merge them.")
    for index, selector in enumerate(selectors):
        for r_index, resource in enumerate(selector.get("data_resources") or []):
            where = f"{field}[{index}].data_resources[{r_index}]"
            if resource["type"] not in BASIC_DATA_RESOURCE_TYPES:
                errors.append(
                    f"{where}.type '{resource['type']}' is not available in basic event selectors (only "
                    f"{', '.join(BASIC_DATA_RESOURCE_TYPES)}): use advanced_event_selectors with resources.type."
                )
            if not resource.get("values"):
                errors.append(
                    f"{where}.values is empty: give ARNs or ARN prefixes (for example arn:aws:s3:::bucket/ or "
                    "arn:aws:s3 for every bucket)."
                )
    return errors


def advanced_selector_errors(selectors, field="advanced_event_selectors"):
    errors = []
    names = {}
    for index, selector in enumerate(selectors):
        where = f"{field}[{index}]"
        name = selector.get("name")
        if name:
            if name in names:
                errors.append(f"{where}.name '{name}' is also {field}[{names[name]}].name: names must be unique.")
            names.setdefault(name, index)
        fields = [f.get("field") for f in selector.get("field_selectors") or []]
        if "eventCategory" not in fields:
            errors.append(
                f"{where}.field_selectors has no eventCategory field: add "
                "{field: eventCategory, equals: [Management]} (or [Data])."
            )
        for f_index, field_selector in enumerate(selector.get("field_selectors") or []):
            fwhere = f"{where}.field_selectors[{f_index}]"
            if field_selector["field"] not in ADVANCED_FIELDS:
                errors.append(
                    f"{fwhere}.field '{field_selector['field']}' is not a CloudTrail selector field: use one of "
                    f"{', '.join(ADVANCED_FIELDS)}."
                )
            if not any(field_selector.get(op) for op in _OPERATORS):
                errors.append(f"{fwhere} has no condition: give at least one of {', '.join(_OPERATORS)}.")
        if fields.count("eventCategory") > 1 or len(fields) != len(set(fields)):
            errors.append(f"{where}.field_selectors names a field twice: give each field once.")
    return errors


# ---------------------------------------------------------------- policies


def trail_arn(partition, region, account_id, name):
    return f"arn:{partition}:cloudtrail:{region}:{account_id}:trail/{name}"


def _one_or_list(values):
    values = sorted(set(values))
    return values[0] if len(values) == 1 else values


def log_object_prefix(s3_key_prefix):
    prefix = (s3_key_prefix or "").strip("/")
    return f"{prefix}/AWSLogs" if prefix else "AWSLogs"


def bucket_policy(partition, bucket, account_id, trail_arns, s3_key_prefix=None):
    """The whole policy of a CloudTrail log bucket.

    CloudTrail (and only it, for these trails) may read the bucket ACL and write log files under
    ``[PREFIX/]AWSLogs/ACCOUNT/``, handing the objects to the bucket owner; every request without TLS is denied.
    ``aws:SourceArn`` keeps another account's trail from writing into the bucket (the confused-deputy problem).
    """
    bucket_arn = f"arn:{partition}:s3:::{bucket}"
    source = {"aws:SourceArn": _one_or_list(trail_arns)}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": BUCKET_ACL_SID,
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL_PRINCIPAL},
                "Action": "s3:GetBucketAcl",
                "Resource": bucket_arn,
                "Condition": {"StringEquals": dict(source)},
            },
            {
                "Sid": BUCKET_WRITE_SID,
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL_PRINCIPAL},
                "Action": "s3:PutObject",
                "Resource": f"{bucket_arn}/{log_object_prefix(s3_key_prefix)}/{account_id}/*",
                "Condition": {"StringEquals": dict(source, **{"s3:x-amz-acl": "bucket-owner-full-control"})},
            },
            s3_bucket.deny_insecure_transport(bucket_arn, BUCKET_TLS_SID),
        ],
    }


def trails_in_policy(policy):
    """The trail ARNs the bucket policy's write statement allows (as the module wrote it), sorted."""
    for statement in (policy or {}).get("Statement") or []:
        if statement.get("Sid") == BUCKET_WRITE_SID:
            source = ((statement.get("Condition") or {}).get("StringEquals") or {}).get("aws:SourceArn") or []
            return sorted([source] if isinstance(source, str) else source)
    return []


def prefix_in_policy(policy):
    """The S3 key prefix of the write statement's resource (``None`` when there is none or no such statement)."""
    for statement in (policy or {}).get("Statement") or []:
        if statement.get("Sid") == BUCKET_WRITE_SID:
            resource = statement.get("Resource")
            resource = resource[0] if isinstance(resource, list) else resource or ""
            parts = arn_parts(resource) if is_arn(resource, "s3", regional=False, in_account=False) else None
            match = re.match(r"^[^/]+/(?:(.+)/)?AWSLogs/", parts["resource"]) if parts else None
            return match.group(1) if match else None
    return None


def key_policy_statements(partition, account_id, trail_arns):
    """The statements a KMS key policy needs for these trails to encrypt their logs with the key.

    Log readers also need kms:Decrypt on the key (through IAM, or a statement of their own).
    """
    source = {"aws:SourceArn": _one_or_list(trail_arns)}
    return [
        {
            "Sid": KEY_ENCRYPT_SID,
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_PRINCIPAL},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringEquals": dict(source),
                "StringLike": {
                    "kms:EncryptionContext:aws:cloudtrail:arn": f"arn:{partition}:cloudtrail:*:{account_id}:trail/*"
                },
            },
        },
        {
            "Sid": KEY_DESCRIBE_SID,
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_PRINCIPAL},
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": {"StringEquals": dict(source)},
        },
    ]


def merge_statements(policy, statements):
    """``policy`` with the statements of the same Sid replaced by ``statements`` (others kept, in order)."""
    sids = set(s["Sid"] for s in statements)
    merged = dict(policy or {"Version": "2012-10-17"})
    kept = [s for s in (merged.get("Statement") or []) if s.get("Sid") not in sids]
    merged["Statement"] = kept + list(statements)
    return merged


# ---------------------------------------------------------------- KMS


@CloudTrailErrorHandler.list_error_handler("describe KMS key", None)
@_RETRY
def describe_key(client, key_arn):
    try:
        return client.describe_key(KeyId=key_arn)["KeyMetadata"]
    except is_boto3_error_code("NotFoundException"):
        return None


@CloudTrailErrorHandler.common_error_handler("get KMS key policy")
@_RETRY
def get_key_policy(client, key_arn):
    return json.loads(client.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"])


@CloudTrailErrorHandler.common_error_handler("put KMS key policy")
@_RETRY
def put_key_policy(client, key_arn, policy):
    client.put_key_policy(KeyId=key_arn, PolicyName="default", Policy=json.dumps(policy, sort_keys=True))
    return True


def key_problems(metadata, key_arn, field="kms_key_arn"):
    """Why CloudTrail or S3 could not use the key (None when it can)."""
    if metadata is None:
        return f"{field} '{key_arn}' does not exist (or is not visible to these credentials): create the key first."
    if metadata.get("KeyState") != "Enabled":
        return f"{field} '{key_arn}' is {metadata.get('KeyState')}: enable the key or choose another one."
    spec = metadata.get("KeySpec") or metadata.get("CustomerMasterKeySpec") or "SYMMETRIC_DEFAULT"
    if spec != "SYMMETRIC_DEFAULT" or metadata.get("KeyUsage", "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT":
        return f"{field} '{key_arn}' is a {spec} key: CloudTrail and S3 need a symmetric ENCRYPT_DECRYPT key."
    return None


# ---------------------------------------------------------------- CloudTrail API


@CloudTrailErrorHandler.list_error_handler("describe trail", None)
@_RETRY
def describe_trail(client, name):
    """The trail named ``name`` (with its shadow copies), or None.

    The answer is filtered by name here: some implementations (moto) return every trail whatever name is asked.
    """
    trails = client.describe_trails(trailNameList=[name], includeShadowTrails=True).get("trailList") or []
    return next((t for t in trails if t.get("Name") == name or t.get("TrailARN") == name), None)


@CloudTrailErrorHandler.list_error_handler("get trail status", False)
@_RETRY
def is_logging(client, name):
    return bool(client.get_trail_status(Name=name).get("IsLogging"))


@CloudTrailErrorHandler.list_error_handler("get event selectors", ([], []))
@_RETRY
def get_event_selectors(client, name):
    response = client.get_event_selectors(TrailName=name)
    return response.get("EventSelectors") or [], response.get("AdvancedEventSelectors") or []


@CloudTrailErrorHandler.list_error_handler("get insight selectors", [])
@_RETRY
def get_insight_types(client, name):
    """The Insights types enabled on the trail, sorted; AWS answers InsightNotEnabledException when there are none."""
    selectors = client.get_insight_selectors(TrailName=name).get("InsightSelectors") or []
    return sorted(set(s["InsightType"] for s in selectors if s.get("InsightType")))


@CloudTrailErrorHandler.list_error_handler("list trail tags", {})
@_RETRY
def list_tags(client, arn):
    resources = client.list_tags(ResourceIdList=[arn]).get("ResourceTagList") or []
    tags = next((r.get("TagsList") or [] for r in resources if r.get("ResourceId") == arn), [])
    return boto3_tag_list_to_ansible_dict(tags)


@CloudTrailErrorHandler.common_error_handler("create trail")
@_RETRY
def create_trail(client, **params):
    return client.create_trail(**params)


@CloudTrailErrorHandler.common_error_handler("update trail")
@_NEW_TRAIL_RETRY
def update_trail(client, **params):
    return client.update_trail(**params)


@CloudTrailErrorHandler.common_error_handler("put event selectors")
@_NEW_TRAIL_RETRY
def put_event_selectors(client, name, event_selectors=None, advanced_event_selectors=None):
    if advanced_event_selectors is not None:
        client.put_event_selectors(TrailName=name, AdvancedEventSelectors=advanced_event_selectors)
    else:
        client.put_event_selectors(TrailName=name, EventSelectors=event_selectors)
    return True


@CloudTrailErrorHandler.common_error_handler("put insight selectors")
@_NEW_TRAIL_RETRY
def put_insight_types(client, name, types):
    client.put_insight_selectors(TrailName=name, InsightSelectors=[{"InsightType": t} for t in sorted(types)])
    return True


@CloudTrailErrorHandler.common_error_handler("start logging")
@_NEW_TRAIL_RETRY
def start_logging(client, name):
    client.start_logging(Name=name)
    return True


@CloudTrailErrorHandler.common_error_handler("stop logging")
@_NEW_TRAIL_RETRY
def stop_logging(client, name):
    client.stop_logging(Name=name)
    return True


@CloudTrailErrorHandler.common_error_handler("add trail tags")
@_NEW_TRAIL_RETRY
def add_tags(client, arn, tags):
    client.add_tags(ResourceId=arn, TagsList=ansible_dict_to_boto3_tag_list(tags))
    return True


@CloudTrailErrorHandler.common_error_handler("remove trail tags")
@_NEW_TRAIL_RETRY
def remove_tags(client, arn, keys):
    client.remove_tags(ResourceId=arn, TagsList=[{"Key": key} for key in sorted(keys)])
    return True


@CloudTrailErrorHandler.deletion_error_handler("delete trail")
@_RETRY
def delete_trail(client, name):
    client.delete_trail(Name=name)
    return True


# ---------------------------------------------------------------- shapes


def event_selectors_from_api(selectors):
    return [
        {
            "read_write_type": s.get("ReadWriteType") or "All",
            "include_management_events": s.get("IncludeManagementEvents", True),
            "exclude_management_event_sources": sorted(s.get("ExcludeManagementEventSources") or []),
            "data_resources": sorted(
                ({"type": r["Type"], "values": sorted(r.get("Values") or [])} for r in s.get("DataResources") or []),
                key=lambda r: (r["type"], r["values"]),
            ),
        }
        for s in selectors
    ]


def event_selectors_to_api(selectors):
    result = []
    for s in selectors:
        item = {
            "ReadWriteType": s.get("read_write_type") or "All",
            "IncludeManagementEvents": s.get("include_management_events", True),
            "DataResources": [{"Type": r["type"], "Values": list(r["values"])} for r in s.get("data_resources") or []],
        }
        if s.get("exclude_management_event_sources"):
            item["ExcludeManagementEventSources"] = list(s["exclude_management_event_sources"])
        result.append(item)
    return result


def normalise_event_selectors(selectors):
    """Declared basic selectors in the shape :func:`event_selectors_from_api` returns (defaults filled, sorted)."""
    return event_selectors_from_api(event_selectors_to_api(selectors))


def advanced_selectors_from_api(selectors):
    result = []
    for s in selectors:
        fields = []
        for f in s.get("FieldSelectors") or []:
            item = {"field": f["Field"]}
            for op, api in _API_OPERATORS.items():
                if f.get(api):
                    item[op] = sorted(f[api])
            fields.append(item)
        result.append({"name": s.get("Name"), "field_selectors": sorted(fields, key=lambda f: f["field"])})
    return result


def advanced_selectors_to_api(selectors):
    result = []
    for s in selectors:
        fields = []
        for f in s.get("field_selectors") or []:
            item = {"Field": f["field"]}
            for op, api in _API_OPERATORS.items():
                if f.get(op):
                    item[api] = list(f[op])
            fields.append(item)
        selector = {"FieldSelectors": fields}
        if s.get("name"):
            selector["Name"] = s["name"]
        result.append(selector)
    return result


def normalise_advanced_selectors(selectors):
    return advanced_selectors_from_api(advanced_selectors_to_api(selectors))


def selectors_differ(current, declared):
    return canonical(current) != canonical(declared)


# ---------------------------------------------------------------- account


@CloudTrailErrorHandler.common_error_handler("get caller identity")
@_RETRY
def caller_account(client):
    """(account ID, partition) of the credentials in use."""
    identity = client.get_caller_identity()
    return identity["Account"], identity["Arn"].split(":")[1]
