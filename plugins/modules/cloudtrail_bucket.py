#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudtrail_bucket
short_description: Manage a hardened S3 bucket that receives AWS CloudTrail log files
version_added: 1.0.0
description:
  - Creates, updates or deletes an S3 bucket for the log files of one or more CloudTrail trails, with every
    hardening setting below enforced on each run.
  - Block Public Access (all four settings); object ownership C(BucketOwnerEnforced) (ACLs disabled); versioning
    C(Enabled); default encryption, SSE-KMS with an S3 Bucket Key when O(kms_key_arn) is set, SSE-S3 (C(AES256))
    otherwise; a retention lifecycle rule (O(lifecycle)).
  - A bucket policy that lets CloudTrail, and only for the trails in O(trails), read the bucket ACL
    (C(s3:GetBucketAcl)) and write objects under C([PREFIX/]AWSLogs/ACCOUNT/) (C(s3:PutObject) with
    C(s3:x-amz-acl=bucket-owner-full-control)), both conditioned on C(aws:SourceArn), and that denies every request
    made without TLS (C(aws:SecureTransport=false)).
  - The bucket policy and the lifecycle configuration are owned by this module and replaced whole; statements
    or rules added by hand are removed on the next run. Policies are compared with amazon.aws
    C(compare_policies), so a re-run with the same input makes read calls only and reports no change.
  - Every input is checked before any AWS call (bucket name rules, trail names and ARNs, the KMS key ARN,
    lifecycle days, object lock days); the error names the field and the fix.
  - The module does not create the KMS key. When O(kms_key_arn) is set, it checks the key exists, is enabled and
    is a symmetric encryption key, and returns in RV(key_policy_statements) the statements the key policy needs so
    that CloudTrail can encrypt the logs with it (C(kms:GenerateDataKey*) and C(kms:DescribeKey) for
    C(cloudtrail.amazonaws.com), conditioned on C(aws:SourceArn) of the trails). With O(manage_key_policy=true) the
    module merges these statements (by their C(Sid)) into the key policy itself.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  name:
    description:
      - Name of the bucket; 3 to 63 lowercase letters, digits, V(.) or V(-), starting and ending with a letter or
        digit, not formatted as an IP address, without V(..).
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the bucket, V(absent) deletes it.
      - V(absent) refuses to delete a bucket that holds objects (or object versions) unless O(force=true).
    type: str
    choices: [present, absent]
    default: present
  trails:
    description:
      - The trails allowed to write into the bucket (the C(aws:SourceArn) condition of the bucket policy).
      - A trail name stands for V(arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME) in the task's region and the
        caller's account; give the full trail ARN for a trail whose home region is another one.
      - The trails do not need to exist yet (create the bucket first, then the trail).
      - Required when O(state=present).
    type: list
    elements: str
    aliases: [trail_names]
  s3_key_prefix:
    description:
      - The O(securecloud.monitor.cloudtrail_trail#module:s3_key_prefix) of the trails, if they use one. The policy
        lets CloudTrail write under V(PREFIX/AWSLogs/ACCOUNT/) then.
    type: str
  kms_key_arn:
    description:
      - ARN of a symmetric KMS key (V(arn:aws:kms:REGION:ACCOUNT:key/KEY_ID)) for SSE-KMS default encryption with an
        S3 Bucket Key. An alias is refused (S3 returns the key ARN, so an alias would differ on every run).
      - Not set, the bucket is encrypted with SSE-S3 (V(AES256)).
      - Use the same key for the trail (O(securecloud.monitor.cloudtrail_trail#module:kms_key_arn)).
    type: str
  manage_key_policy:
    description:
      - Merge RV(key_policy_statements) into the policy of O(kms_key_arn) (statements with the same C(Sid) are
        replaced, every other statement is kept). Needs C(kms:GetKeyPolicy) and C(kms:PutKeyPolicy).
      - V(false) leaves the key policy to its owner; the statements to add are returned anyway.
    type: bool
    default: false
  lifecycle:
    description:
      - The lifecycle rule C(securecloud-cloudtrail-retention), applied to the whole bucket. A day count of V(0)
        leaves that action out of the rule.
      - The defaults keep log files in S3 Standard for 90 days, in S3 Glacier Flexible Retrieval until they are
        7 years old (2557 days, a common audit retention), and delete replaced or deleted versions 90 days later.
    type: dict
    default: {}
    suboptions:
      transition_days:
        description: Age in days at which log files move to O(lifecycle.transition_storage_class).
        type: int
        default: 90
      transition_storage_class:
        description:
          - The storage class log files move to. V(STANDARD_IA) and V(ONEZONE_IA) need O(lifecycle.transition_days)
            of 30 or more.
        type: str
        choices: [STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE]
        default: GLACIER
      expiration_days:
        description:
          - Age in days at which log files expire (become noncurrent versions). Must be more than
            O(lifecycle.transition_days).
        type: int
        default: 2557
      noncurrent_expiration_days:
        description: Days after which a noncurrent version (an expired or overwritten log file) is deleted.
        type: int
        default: 90
      abort_incomplete_upload_days:
        description: Days after which the parts of an incomplete multipart upload are deleted.
        type: int
        default: 7
  object_lock:
    description:
      - S3 Object Lock default retention of the log files (write-once-read-many).
      - Object Lock is enabled only when the module B(creates) the bucket. Once enabled it cannot be disabled, and
        objects under C(COMPLIANCE) retention cannot be deleted by anyone, the root user included, until it ends;
        so the module will not turn it on for an existing bucket as a side effect of a run (it fails and says so).
        Enable it on an existing bucket deliberately, out of band, then manage the retention here.
      - On a bucket that has Object Lock, the mode and days can be changed; they apply to new log files only.
      - Not set leaves the Object Lock settings alone.
    type: dict
    suboptions:
      mode:
        description: V(GOVERNANCE) (users with C(s3:BypassGovernanceRetention) may delete) or V(COMPLIANCE).
        type: str
        choices: [GOVERNANCE, COMPLIANCE]
        required: true
      days:
        description: Default retention in days (1 to 36500).
        type: int
        required: true
notes:
  - A re-run with the same input makes read calls only (one per setting, plus C(sts:GetCallerIdentity) and, with
    O(kms_key_arn), C(kms:DescribeKey)) and reports no change.
extends_documentation_fragment:
  - securecloud.monitor.hardened_bucket
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Log bucket of the organisation's trail, SSE-KMS with a key whose policy this task maintains
  securecloud.monitor.cloudtrail_bucket:
    name: example-cloudtrail-logs-123456789012
    trails: [management-events]
    kms_key_arn: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    manage_key_policy: true
    access_logging:
      target_bucket: example-s3-access-logs-123456789012
      target_prefix: cloudtrail/
    tags:
      Environment: prod

- name: Log bucket with one year in Standard-IA, no Glacier, and compliance-mode Object Lock (new bucket only)
  securecloud.monitor.cloudtrail_bucket:
    name: example-audit-trail-logs
    trails:
      - arn:aws:cloudtrail:us-east-1:123456789012:trail/audit
    s3_key_prefix: audit
    lifecycle:
      transition_days: 30
      transition_storage_class: STANDARD_IA
      expiration_days: 365
    object_lock:
      mode: COMPLIANCE
      days: 365

- name: Delete the bucket with every log file in it
  securecloud.monitor.cloudtrail_bucket:
    name: example-cloudtrail-logs-123456789012
    state: absent
    force: true
"""

RETURN = r"""
bucket:
  description:
    - The bucket after the task (in check mode, as it would be), in the shape of the options. Empty after
      O(state=absent).
  returned: always
  type: dict
  contains:
    name:
      description: Name of the bucket.
      type: str
      sample: example-cloudtrail-logs-123456789012
    arn:
      description: ARN of the bucket.
      type: str
      sample: arn:aws:s3:::example-cloudtrail-logs-123456789012
    trails:
      description: Trail ARNs the bucket policy lets write, sorted.
      type: list
      elements: str
      sample: ["arn:aws:cloudtrail:eu-west-1:123456789012:trail/management-events"]
    s3_key_prefix:
      description: Key prefix of the log files in the bucket policy; null when there is none.
      type: str
      sample: audit
    kms_key_arn:
      description: The default encryption key; null for SSE-S3.
      type: str
      sample: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    encryption:
      description: Default encryption (C(sse_algorithm), C(kms_key_arn), C(bucket_key_enabled)).
      type: dict
      sample: {"sse_algorithm": "aws:kms", "bucket_key_enabled": true}
    public_access_block:
      description: The four Block Public Access settings.
      type: dict
      sample: {"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true,
               "restrict_public_buckets": true}
    object_ownership:
      description: Object ownership setting.
      type: str
      sample: BucketOwnerEnforced
    versioning:
      description: Versioning status (V(Enabled), V(Suspended) or V(Disabled)).
      type: str
      sample: Enabled
    lifecycle:
      description: The module's lifecycle rule in the shape of O(lifecycle); null when the bucket has none.
      type: dict
      sample: {"transition_days": 90, "transition_storage_class": "GLACIER", "expiration_days": 2557,
               "noncurrent_expiration_days": 90, "abort_incomplete_upload_days": 7}
    access_logging:
      description: Server access logging (C(target_bucket), C(target_prefix)); empty when off.
      type: dict
      sample: {"target_bucket": "example-s3-access-logs", "target_prefix": "cloudtrail/"}
    object_lock:
      description: Object Lock default retention (C(mode), C(days)); null when Object Lock is not enabled.
      type: dict
      sample: {"mode": "GOVERNANCE", "days": 365}
    policy:
      description: The bucket policy.
      type: dict
    tags:
      description: Tags of the bucket.
      type: dict
      sample: {"Environment": "prod"}
key_policy_statements:
  description:
    - The statements the policy of O(kms_key_arn) needs for the trails to encrypt their logs with it (merged into
      the key policy when O(manage_key_policy=true)). Readers of the logs also need C(kms:Decrypt) on the key.
  returned: when O(kms_key_arn) is set
  type: list
  elements: dict
diff:
  description: Before and after state of the bucket in the shape of RV(bucket), with C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.s3 import AnsibleS3Error  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import s3_bucket  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.cloudtrail import (  # noqa: E402
    AnsibleCloudTrailError,
    bucket_policy,
    caller_account,
    describe_key,
    get_key_policy,
    is_trail_arn,
    key_policy_statements,
    key_problems,
    merge_statements,
    prefix_in_policy,
    put_key_policy,
    trail_arn,
    trail_arn_errors,
    trail_name_errors,
    trails_in_policy,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import (  # noqa: E402
    fail_on_input_errors,
    run_module,
)

LIFECYCLE_RULE_ID = "securecloud-cloudtrail-retention"


def validate(params):
    """Every problem with the task's input, as messages that name the field and the fix (no AWS call)."""
    errors = list(s3_bucket.bucket_name_errors(params["name"]))
    if params["state"] == "absent":
        return errors
    if not params.get("trails"):
        errors.append(
            "trails is empty: name the trails (or give their ARNs) that write into this bucket; the bucket policy "
            "lets CloudTrail write for these trails only."
        )
    for index, trail in enumerate(params.get("trails") or []):
        field = f"trails[{index}]"
        errors.extend(trail_arn_errors(trail, field) if trail.startswith("arn:") else trail_name_errors(trail, field))
    errors.extend(s3_bucket.kms_key_arn_errors(params.get("kms_key_arn")))
    if params.get("manage_key_policy") and not params.get("kms_key_arn"):
        errors.append("manage_key_policy is true but kms_key_arn is not set: give the key, or drop manage_key_policy.")
    prefix = params.get("s3_key_prefix")
    if prefix is not None and (prefix.startswith("/") or len(prefix) > 200):
        errors.append(f"s3_key_prefix '{prefix}' must not start with '/' and has at most 200 characters.")
    errors.extend(s3_bucket.lifecycle_errors(params.get("lifecycle")))
    errors.extend(s3_bucket.access_logging_errors(params.get("access_logging"), params["name"]))
    errors.extend(s3_bucket.tag_errors(params.get("tags")))
    lock = params.get("object_lock")
    if lock and not 0 < lock["days"] <= 36500:
        errors.append(
            f"object_lock.days is {lock['days']}: give a retention of 1 to 36500 days (remove object_lock to leave "
            "the retention alone)."
        )
    return errors


def bucket_view(name, partition, settings):
    """A bucket's settings (``read_settings`` shape) in the shape of the module's options."""
    if not settings:
        return {}
    lock = settings.get("object_lock") or {}
    return s3_bucket.settings_view(name, partition, settings, LIFECYCLE_RULE_ID) | {
        "trails": trails_in_policy(settings.get("policy")),
        "s3_key_prefix": prefix_in_policy(settings.get("policy")),
        "object_lock": {"mode": lock.get("mode"), "days": lock.get("days")} if lock.get("enabled") else None,
    }


class CloudTrailBucketManager:
    def __init__(self, module, clients):
        self.module = module
        self.params = module.params
        self.s3 = clients["s3"]
        self.clients = clients
        self.name = self.params["name"]
        self.result = {"changed": False}

    def process(self):
        exists = s3_bucket.bucket_exists(self.s3, self.name)
        if self.params["state"] == "absent":
            return self.ensure_absent(exists)
        return self.ensure_present(exists)

    # ---------------------------------------------------------------- present

    def trail_arns(self, partition, account_id):
        region = self.module.region
        return sorted(
            set(
                t if is_trail_arn(t) else trail_arn(partition, region, account_id, t)
                for t in self.params["trails"] or []
            )
        )

    def desired(self, partition, account_id, trails):
        lifecycle_rule = s3_bucket.lifecycle_rule(LIFECYCLE_RULE_ID, self.params["lifecycle"] or {})
        lock = self.params.get("object_lock")
        if lock is not None:
            lock = {"enabled": True, "mode": lock["mode"], "days": lock["days"]}
        return s3_bucket.hardened_settings(
            kms_key_arn=self.params.get("kms_key_arn"),
            policy=bucket_policy(partition, self.name, account_id, trails, self.params.get("s3_key_prefix")),
            lifecycle_rules=[lifecycle_rule] if lifecycle_rule else [],
            access_logging=s3_bucket.desired_access_logging(self.params.get("access_logging")),
            object_lock=lock,
        )

    def key_policy_change(self, partition, account_id, trails):
        """(statements, new key policy or None) after checking the key is usable."""
        key = self.params.get("kms_key_arn")
        if not key:
            return None, None
        kms = self.clients["kms"]
        problem = key_problems(describe_key(kms, key), key)
        if problem:
            self.module.fail_json(msg=problem)
        statements = key_policy_statements(partition, account_id, trails)
        if not self.params["manage_key_policy"]:
            return statements, None
        current = get_key_policy(kms, key)
        merged = merge_statements(current, statements)
        return statements, (merged if compare_policies(current, merged) else None)

    def ensure_present(self, exists):
        account_id, partition = caller_account(self.clients["sts"])
        trails = self.trail_arns(partition, account_id)
        desired = self.desired(partition, account_id, trails)
        errors = s3_bucket.settings_model_errors(self.s3.meta.service_model, self.name, desired, "trails")
        fail_on_input_errors(self.module, errors)
        current = s3_bucket.read_settings(self.s3, self.name) if exists else {}

        if exists and desired["object_lock"] and not (current.get("object_lock") or {}).get("enabled"):
            self.module.fail_json(
                msg=(
                    f"object_lock is set, but bucket {self.name} exists without Object Lock. The module enables Object "
                    "Lock only when it creates a bucket, because it can never be disabled again. Enable it "
                    "deliberately (PutObjectLockConfiguration with ObjectLockEnabled=Enabled), then re-run; or "
                    "remove object_lock."
                )
            )

        statements, new_key_policy = self.key_policy_change(partition, account_id, trails)
        steps = s3_bucket.plan_changes(current, desired, self.params.get("tags"), self.params["purge_tags"])
        changed = (not exists) or bool(steps) or new_key_policy is not None

        after = s3_bucket.settings_after(current, steps, created=not exists)
        if not exists and desired["object_lock"]:
            after["object_lock"] = desired["object_lock"]

        if changed and not self.module.check_mode:
            # The key must let CloudTrail encrypt before the bucket asks for it.
            if new_key_policy is not None:
                put_key_policy(self.clients["kms"], self.params["kms_key_arn"], new_key_policy)
            if not exists:
                s3_bucket.create_bucket(self.s3, self.name, self.module.region, bool(desired["object_lock"]))
            s3_bucket.apply_changes(self.s3, self.name, steps)

        self.result["changed"] = changed
        self.result["bucket"] = bucket_view(self.name, partition, after)
        if statements is not None:
            self.result["key_policy_statements"] = statements
        self.result.update(diff_payload(self.module, bucket_view(self.name, partition, current), self.result["bucket"]))
        return self.result

    # ---------------------------------------------------------------- absent

    def ensure_absent(self, exists):
        self.result["bucket"] = {}
        if not exists:
            self.result.update(diff_payload(self.module, {}, {}))
            return self.result
        current = s3_bucket.remove_bucket(
            self.module, self.s3, self.name, self.params["force"], "objects (log files or their versions)"
        )
        self.result["changed"] = True
        self.result.update(diff_payload(self.module, bucket_view(self.name, "aws", current), {}))
        return self.result


def aws_clients(module):
    """The clients the module uses (one place, so that the unit tests can stub them)."""
    return {"s3": module.client("s3"), "sts": module.client("sts"), "kms": module.client("kms")}


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        trails=dict(type="list", elements="str", aliases=["trail_names"]),
        s3_key_prefix=dict(type="str", no_log=False),
        kms_key_arn=dict(type="str", no_log=False),
        manage_key_policy=dict(type="bool", default=False),
        lifecycle=s3_bucket.lifecycle_spec(90, 2557, 90),
        access_logging=s3_bucket.ACCESS_LOGGING_SPEC,
        object_lock=dict(
            type="dict",
            options=dict(
                mode=dict(type="str", choices=["GOVERNANCE", "COMPLIANCE"], required=True),
                days=dict(type="int", required=True),
            ),
        ),
        force=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    errors = validate(module.params)
    run_module(
        module,
        errors,
        lambda: CloudTrailBucketManager(module, aws_clients(module)).process(),
        (AnsibleS3Error, AnsibleCloudTrailError),
    )


if __name__ == "__main__":
    main()
