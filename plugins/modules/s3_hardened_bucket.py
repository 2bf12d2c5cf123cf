#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: s3_hardened_bucket
short_description: Manage a private, encrypted, versioned S3 bucket with every hardening setting enforced
version_added: 1.0.0
description:
  - Creates, updates or deletes a general purpose S3 bucket for a project's own data (build artifacts, reports,
    Terraform state), with every hardening setting below enforced on each run.
  - Block Public Access (all four settings); object ownership C(BucketOwnerEnforced) (ACLs disabled); versioning
    C(Enabled); default encryption, SSE-KMS with an S3 Bucket Key when O(kms_key_arn) is set, SSE-S3 (C(AES256))
    otherwise; a lifecycle rule (O(lifecycle)).
  - A bucket policy that denies every request made without TLS (C(aws:SecureTransport=false)), plus the
    statements in O(policy_statements). The policy and the lifecycle configuration are owned by this module and
    replaced whole; statements or rules added by hand are removed on the next run.
  - For a CloudTrail log bucket use M(securecloud.monitor.cloudtrail_bucket), which writes CloudTrail's statements.
  - Every input is checked before any AWS call; the error names the field and the fix.
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
  kms_key_arn:
    description:
      - ARN of a symmetric KMS key (V(arn:aws:kms:REGION:ACCOUNT:key/KEY_ID)) for SSE-KMS default encryption with an
        S3 Bucket Key. An alias is refused (S3 returns the key ARN, so an alias would differ on every run).
      - Not set, the bucket is encrypted with SSE-S3 (V(AES256)).
      - The module does not change the key policy; whoever reads or writes the bucket needs C(kms:Decrypt) and
        C(kms:GenerateDataKey) on the key.
    type: str
  policy_statements:
    description:
      - IAM policy statements added to the bucket policy after the statement that denies requests without TLS.
      - Each needs an C(Effect), C(Principal), C(Action) and C(Resource). A C(Sid), when given, must be unique and
        must not be V(DenyInsecureTransport).
    type: list
    elements: dict
    default: []
  lifecycle:
    description:
      - The lifecycle rule C(securecloud-retention), applied to the whole bucket. A day count of V(0) leaves that
        action out of the rule.
      - The defaults suit build artifacts, which are worthless after a few weeks. They expire after 30 days,
        expired or replaced versions are deleted 7 days later, and nothing moves to another storage class.
    type: dict
    default: {}
    suboptions:
      transition_days:
        description: Age in days at which objects move to O(lifecycle.transition_storage_class); V(0) never.
        type: int
        default: 0
      transition_storage_class:
        description:
          - The storage class objects move to. V(STANDARD_IA) and V(ONEZONE_IA) need O(lifecycle.transition_days)
            of 30 or more.
        type: str
        choices: [STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE]
        default: GLACIER
      expiration_days:
        description:
          - Age in days at which objects expire (become noncurrent versions); V(0) never. Must be more than
            O(lifecycle.transition_days).
        type: int
        default: 30
      noncurrent_expiration_days:
        description: Days after which a noncurrent version is deleted; V(0) never.
        type: int
        default: 7
      abort_incomplete_upload_days:
        description: Days after which the parts of an incomplete multipart upload are deleted.
        type: int
        default: 7
notes:
  - A re-run with the same input makes read calls only (one per setting and C(sts:GetCallerIdentity)) and reports
    no change.
extends_documentation_fragment:
  - securecloud.monitor.hardened_bucket
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Artifact bucket of a delivery pipeline, encrypted with the pipeline's key
  securecloud.monitor.s3_hardened_bucket:
    name: prod-delivery-artifacts-123456789012
    kms_key_arn: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    policy_statements:
      - Sid: DenyOtherAccounts
        Effect: Deny
        Principal: "*"
        Action: s3:*
        Resource:
          - arn:aws:s3:::prod-delivery-artifacts-123456789012
          - arn:aws:s3:::prod-delivery-artifacts-123456789012/*
        Condition:
          StringNotEquals:
            aws:PrincipalAccount: "123456789012"
    tags:
      Environment: prod

- name: Report bucket kept for a year, in Standard-IA after 30 days
  securecloud.monitor.s3_hardened_bucket:
    name: example-compliance-reports
    lifecycle:
      transition_days: 30
      transition_storage_class: STANDARD_IA
      expiration_days: 365

- name: Delete the bucket with everything in it
  securecloud.monitor.s3_hardened_bucket:
    name: prod-delivery-artifacts-123456789012
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
      sample: prod-delivery-artifacts-123456789012
    arn:
      description: ARN of the bucket.
      type: str
      sample: arn:aws:s3:::prod-delivery-artifacts-123456789012
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
      sample: {"transition_days": 0, "expiration_days": 30, "noncurrent_expiration_days": 7,
               "abort_incomplete_upload_days": 7}
    access_logging:
      description: Server access logging (C(target_bucket), C(target_prefix)); empty when off.
      type: dict
      sample: {}
    policy:
      description: The bucket policy.
      type: dict
    tags:
      description: Tags of the bucket.
      type: dict
      sample: {"Environment": "prod"}
diff:
  description: Before and after state of the bucket in the shape of RV(bucket), with C(--diff).
  returned: when diff mode is on
  type: dict
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.s3 import AnsibleS3Error  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import s3_bucket  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.module_run import (  # noqa: E402
    fail_on_input_errors,
    run_module,
)

LIFECYCLE_RULE_ID = "securecloud-retention"
TLS_SID = "DenyInsecureTransport"
STATEMENT_KEYS = ("Effect", "Principal", "Action", "Resource")


def statement_errors(statements):
    errors = []
    sids = set()
    for index, statement in enumerate(statements):
        field = f"policy_statements[{index}]"
        missing = [key for key in STATEMENT_KEYS if key not in statement and f"Not{key}" not in statement]
        if missing:
            errors.append(
                f"{field} has no {', '.join(missing)}: give each statement Effect, Principal, Action and "
                "Resource (or their Not* forms)."
            )
        if statement.get("Effect") not in (None, "Allow", "Deny"):
            errors.append(f"{field}.Effect is '{statement['Effect']}': use Allow or Deny.")
        sid = statement.get("Sid")
        if sid == TLS_SID:
            errors.append(f"{field}.Sid '{TLS_SID}' is the module's own statement: choose another Sid.")
        elif sid and sid in sids:
            errors.append(f"{field}.Sid '{sid}' is used twice: Sids of a policy must be unique.")
        sids.add(sid)
    return errors


def validate(params):
    """Every problem with the task's input, as messages that name the field and the fix (no AWS call)."""
    errors = list(s3_bucket.bucket_name_errors(params["name"]))
    if params["state"] == "absent":
        return errors
    errors.extend(s3_bucket.kms_key_arn_errors(params.get("kms_key_arn")))
    errors.extend(s3_bucket.lifecycle_errors(params.get("lifecycle")))
    errors.extend(s3_bucket.access_logging_errors(params.get("access_logging"), params["name"]))
    errors.extend(statement_errors(params["policy_statements"]))
    errors.extend(s3_bucket.tag_errors(params.get("tags")))
    return errors


def bucket_policy(partition, bucket, statements):
    bucket_arn = f"arn:{partition}:s3:::{bucket}"
    return {"Version": "2012-10-17", "Statement": [s3_bucket.deny_insecure_transport(bucket_arn, TLS_SID), *statements]}


def bucket_view(name, partition, settings):
    return s3_bucket.settings_view(name, partition, settings, LIFECYCLE_RULE_ID) if settings else {}


class HardenedBucketManager:
    def __init__(self, module, clients):
        self.module = module
        self.params = module.params
        self.s3 = clients["s3"]
        self.name = self.params["name"]

    def process(self):
        exists = s3_bucket.bucket_exists(self.s3, self.name)
        if self.params["state"] == "absent":
            return self.ensure_absent(exists)
        return self.ensure_present(exists)

    def desired(self, partition):
        rule = s3_bucket.lifecycle_rule(LIFECYCLE_RULE_ID, self.params["lifecycle"])
        return s3_bucket.hardened_settings(
            kms_key_arn=self.params.get("kms_key_arn"),
            policy=bucket_policy(partition, self.name, self.params["policy_statements"]),
            lifecycle_rules=[rule] if rule else [],
            access_logging=s3_bucket.desired_access_logging(self.params.get("access_logging")),
        )

    def ensure_present(self, exists):
        partition = get_aws_account_info(self.module)[1]
        desired = self.desired(partition)
        errors = s3_bucket.settings_model_errors(self.s3.meta.service_model, self.name, desired)
        fail_on_input_errors(self.module, errors)
        current = s3_bucket.read_settings(self.s3, self.name) if exists else {}
        steps = s3_bucket.plan_changes(current, desired, self.params.get("tags"), self.params["purge_tags"])
        changed = not exists or bool(steps)
        if changed and not self.module.check_mode:
            if not exists:
                s3_bucket.create_bucket(self.s3, self.name, self.module.region)
            s3_bucket.apply_changes(self.s3, self.name, steps)
        after = bucket_view(self.name, partition, s3_bucket.settings_after(current, steps, created=not exists))
        result = {"changed": changed, "bucket": after}
        result.update(diff_payload(self.module, bucket_view(self.name, partition, current), after))
        return result

    def ensure_absent(self, exists):
        if not exists:
            return {"changed": False, "bucket": {}, **diff_payload(self.module, {}, {})}
        current = s3_bucket.remove_bucket(self.module, self.s3, self.name, self.params["force"])
        return {"changed": True, "bucket": {}, **diff_payload(self.module, bucket_view(self.name, "aws", current), {})}


def aws_clients(module):
    """The clients the module uses (one place, so that the unit tests can stub them)."""
    return {"s3": module.client("s3")}


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        kms_key_arn=dict(type="str", no_log=False),
        policy_statements=dict(type="list", elements="dict", default=[]),
        lifecycle=s3_bucket.lifecycle_spec(0, 30, 7),
        access_logging=s3_bucket.ACCESS_LOGGING_SPEC,
        force=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    errors = validate(module.params)
    run_module(module, errors, lambda: HardenedBucketManager(module, aws_clients(module)).process(), AnsibleS3Error)


if __name__ == "__main__":
    main()
