#!/usr/bin/python
# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: posture_controls_info
short_description: Evaluate the posture controls of one environment
version_added: 1.0.0
description:
  - Reads what the collection's layers deployed for one environment (the base layer's outputs in O(base), and the
    names the roles give their resources, prefixed with O(environment)) and evaluates the posture controls on it.
    Read-only; nothing is changed.
  - Returns one result per control and resource in RV(controls), each with the control's id, title, severity, its
    CIS AWS Foundations Benchmark v3.0.0 and AWS Foundational Security Best Practices mappings where one exists, a
    status (C(passed), C(failed), C(waived), C(error), C(not_applicable)) and a detail that says what was found and
    how to fix it.
  - "The controls (RV(catalog) lists them with their mappings):
    C(SCM.TRAIL.1) the trail O(trail_name) exists and logs;
    C(SCM.TRAIL.2) it is multi-region;
    C(SCM.TRAIL.3) it validates its log files;
    C(SCM.TRAIL.4) it encrypts with a KMS key;
    C(SCM.TRAIL.5) its bucket has all four Block Public Access settings on and no unconditioned public statement;
    C(SCM.TRAIL.6) its bucket policy denies requests without TLS;
    C(SCM.WAF.1) every entry point of C(base.public_http_entry_points) is associated with a WAF web ACL;
    C(SCM.WAF.2) those web ACLs log;
    C(SCM.WAF.3) they publish CloudWatch metrics for the default action and every rule;
    C(SCM.SHIELD.1) Shield Advanced protects every ARN of C(base.shield_protectable_arns) (C(not_applicable) when
    there is none or O(shield_in_use=false); C(failed) for each when the account has no subscription);
    C(SCM.SHIELD.2) each protection has the health checks C(base.shield_health_check_arns) gives for its resource;
    C(SCM.SHIELD.3) the protection of the CloudFront distribution has automatic application-layer response on;
    C(SCM.EDGE.1) every cache behaviour of the distribution of C(base.cloudfront) redirects to or requires HTTPS;
    C(SCM.EDGE.2) the distribution carries the CLOUDFRONT web ACL O(edge_web_acl_name);
    C(SCM.EDGE.3) it writes standard access logs;
    C(SCM.EDGE.4) its custom origins are reached over HTTPS only;
    C(SCM.EDGE.5) no SSLv3, TLSv1 or TLSv1.1 to the custom origins;
    C(SCM.EDGE.6) with a domain (C(base.cloudfront.certificate_arn) set), the distribution uses that certificate,
    SNI and a TLSv1.2+ security policy (C(not_applicable) without a domain);
    C(SCM.MON.1) every service of C(base.services) has alarms named C(<monitoring_prefix><service>-*), one at least
    with an enabled alarm action;
    C(SCM.MON.2) every service has a dashboard C(<monitoring_prefix><service>);
    C(SCM.SG.1) no security group of C(base.vpc_id) accepts inbound traffic from C(0.0.0.0/0) or C(::/0), except
    the groups of O(public_edge_security_group_ids);
    C(SCM.VPC.1) the VPC has an active flow log recording C(ALL) or C(REJECT) traffic;
    C(SCM.ENC.1) the log groups of C(base.log_group_names) and the trail's log group have a KMS key;
    C(SCM.ENC.2) the trail's bucket and every bucket named C(<environment>-*) have default encryption;
    C(SCM.ENC.3) the secrets of C(base.secret_arns) use a customer managed KMS key;
    C(SCM.IAM.1) no inline or attached policy of a role named C(<environment>-*) allows action C(*) on resource
    C(*);
    C(SCM.DATA.1)-C(SCM.DATA.6) each database of C(base.databases) (RDS) is not publicly accessible, encrypted,
    Multi-AZ when declared so, deletion-protected, exports its PostgreSQL logs and keeps automated backups 7 days or
    more; C(SCM.DATA.7)-C(SCM.DATA.9) the file system of C(base.file_systems) is KMS-encrypted, in a backup plan
    (the selection of C(base.backup) or its backup policy) and its policy denies requests without TLS;
    C(SCM.DATA.10) the backup vault of C(base.backup) encrypts recovery points with a customer managed key."
  - C(not_applicable) means the environment has nothing the control could check (no distribution, nothing
    protectable, no domain); it is counted apart and is neither a pass nor a failure.
  - A control whose AWS call fails (access denied, a service the endpoint does not offer) yields one result of status
    C(error) with the message; the other controls are still evaluated.
  - "Reads, each once and paginated, only for the controls selected: CloudTrail C(DescribeTrails),
    C(GetTrailStatus); S3 C(GetPublicAccessBlock), C(GetBucketPolicy) of the trail's bucket, C(ListBuckets) and one
    C(GetBucketEncryption) per bucket of the environment (S3 has no batch call); WAFv2 one C(GetWebACLForResource)
    per entry point and one C(GetLoggingConfiguration) per web ACL; Shield C(GetSubscriptionState) (with
    O(shield_in_use=auto)), C(ListProtections); CloudFront C(GetDistributionConfig) of C(base.cloudfront) (in
    us-east-1), and for a distribution among the entry points WAFv2 C(GetWebACL) of the ACL it names
    (C(GetWebACLForResource) does not take CloudFront ARNs); CloudWatch C(DescribeAlarms) and C(ListDashboards) by
    prefix; EC2
    C(DescribeSecurityGroups) and C(DescribeFlowLogs) of the VPC; CloudWatch Logs C(DescribeLogGroups); Secrets
    Manager C(ListSecrets); IAM C(GetAccountAuthorizationDetails) (roles and customer managed policies); RDS
    C(DescribeDBInstances); EFS C(DescribeFileSystems), C(DescribeBackupPolicy), C(DescribeFileSystemPolicy) per
    file system; AWS Backup C(DescribeBackupVault), C(GetBackupSelection)."
  - The input is checked before any call; an unknown control id in O(controls) or O(waivers) fails naming the field
    and listing the valid ids.
author:
  - securecloud.monitor maintainers (@securecloud)
options:
  environment:
    description:
      - Name of the environment, the prefix of what the roles create (trail C(<environment>-audit), alarms and
        dashboards C(<environment>-mon-*), roles and buckets C(<environment>-*)).
    type: str
    required: true
  base:
    description:
      - The base layer's Terraform outputs, as the fact C(base) holds them (C(vpc_id), C(services),
        C(public_http_entry_points), C(shield_protectable_arns), C(log_group_names), C(secret_arns), ...).
        Missing keys count as empty, except C(vpc_id), which C(SCM.SG.1) and C(SCM.VPC.1) need.
    type: dict
    required: true
  controls:
    description:
      - Ids of the controls to evaluate; not set evaluates every control of the catalog. Only the reads these
        controls need are made.
    type: list
    elements: str
  waivers:
    description:
      - Accepted findings. A C(failed) result whose control id is C(id) and whose resource matches C(resource) becomes
        C(waived), with C(reason) in its C(waiver_reason). Results of status C(error) are never waived.
      - Ids of controls that a compliance run evaluates elsewhere (C(SCM.BASE.1), C(SCM.CHECK.1), C(SCM.NET.1),
        C(SCM.NET.2)) are accepted and ignored here, so one waiver list serves the whole run.
    type: list
    elements: dict
    default: []
    suboptions:
      id:
        description: Control id, for example C(SCM.SG.1).
        type: str
        required: true
      resource:
        description: Shell-style pattern (C(fnmatch), case-sensitive) of the resources it covers; not set covers all.
        type: str
      reason:
        description: Why the finding is accepted (a ticket, an expiry date).
        type: str
        required: true
  shield_in_use:
    description:
      - Whether Shield Advanced is used. V(true), V(false), or V(auto) (in use when the account's subscription state
        is C(ACTIVE)). V(false) makes the Shield controls C(not_applicable) (a declared choice); with V(auto) and no
        subscription, C(SCM.SHIELD.1) fails for every protectable resource.
    type: raw
    default: auto
  public_edge_security_group_ids:
    description:
      - Security groups of the public edge (an internet-facing load balancer), which may accept traffic from
        C(0.0.0.0/0). The base layer outputs none (its edge is API Gateway, which has no security group, and its NLBs
        are internal), hence the option.
    type: list
    elements: str
    default: []
  trail_name:
    description:
      - Name of the environment's trail (role C(audit_trail)'s C(audit_trail_name)); default C(<environment>-audit).
    type: str
  monitoring_prefix:
    description:
      - Prefix of the environment's alarms and dashboards (role C(monitoring)); default C(<environment>-mon-).
    type: str
  edge_web_acl_name:
    description:
      - Name of the CLOUDFRONT-scope web ACL the distribution must carry (role C(waf)); default
        C(<environment>-edge-cloudfront).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Evaluate the posture of the environment
  securecloud.monitor.posture_controls_info:
    environment: dev
    base: "{{ base }}"
    waivers:
      - id: SCM.SG.1
        resource: sg-0a1b2c3d4e5f60718
        reason: legacy bastion, removed in SEC-42 by 2026-03-31
  register: posture

- name: Only the trail controls, Shield off
  securecloud.monitor.posture_controls_info:
    environment: dev
    base: "{{ base }}"
    controls: [SCM.TRAIL.1, SCM.TRAIL.2, SCM.TRAIL.3]
    shield_in_use: false
  register: trail_posture

- name: Nothing failed
  ansible.builtin.assert:
    that: posture.summary.failed == 0 and posture.summary.error == 0
    fail_msg: "{{ posture.controls | selectattr('status', 'in', ['failed', 'error']) | map(attribute='id') | list }}"
"""

RETURN = r"""
controls:
  description: One result per control and resource, in catalog order, then by resource.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Control id.
      type: str
      sample: SCM.TRAIL.1
    title:
      description: What the control asks.
      type: str
      sample: The audit trail exists and is logging
    severity:
      description: C(critical), C(high), C(medium), C(low) or C(informational).
      type: str
      sample: high
    status:
      description: C(passed), C(failed), C(waived), C(error) (the control could not be evaluated) or
        C(not_applicable) (nothing to evaluate).
      type: str
      sample: failed
    resource:
      description: The resource evaluated (an ARN, id or name), or the environment when there is none.
      type: str
      sample: arn:aws:cloudtrail:us-east-1:123456789012:trail/dev-audit
    detail:
      description: What was found, and for a failure the fix.
      type: str
    mappings:
      description: CIS AWS Foundations Benchmark v3.0.0 recommendations (C(cis)) and AWS Foundational Security Best
        Practices controls (C(fsbp)) the control corresponds to; empty lists where none does.
      type: dict
      sample: {"cis": ["3.1"], "fsbp": ["CloudTrail.1"]}
    waiver_reason:
      description: The reason of the waiver that waived the result; null otherwise.
      type: str
catalog:
  description: Every control the module knows, with title, severity and mappings, whether evaluated or not.
  returned: always
  type: list
  elements: dict
  sample: [{"id": "SCM.VPC.1", "title": "VPC flow logs are on", "severity": "medium",
            "mappings": {"cis": ["3.7"], "fsbp": ["EC2.6"]}}]
summary:
  description:
    - Counts of the results by status (C(total), C(passed), C(failed), C(waived), C(error), C(not_applicable)), the
      same per severity
      in C(by_severity), and the ids of the controls with a failed or error result in C(failing_controls).
  returned: always
  type: dict
  sample: {"total": 30, "passed": 26, "failed": 2, "waived": 1, "error": 0, "not_applicable": 1,
           "failing_controls": ["SCM.SG.1"],
           "by_severity": {"high": {"passed": 9, "failed": 2, "waived": 0, "error": 0, "not_applicable": 0}}}
"""

# Ansible's validate-modules wants the imports below the documentation blocks.
import json  # noqa: E402

from ansible.module_utils.parsing.convert_bool import boolean  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils import posture, s3_bucket  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.cloudwatch import (  # noqa: E402
    describe_alarms,
    list_dashboards,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.retry import jittered_backoff  # noqa: E402
from ansible_collections.securecloud.monitor.plugins.module_utils.shield import (  # noqa: E402
    get_subscription_state,
    list_protections,
    shield_client,
)
from ansible_collections.securecloud.monitor.plugins.module_utils.wafv2 import (  # noqa: E402
    WAFv2ErrorHandler,
    get_logging_configuration,
    get_web_acl,
)

# CloudFront is global and its web ACLs (scope CLOUDFRONT) and their logging live in us-east-1.
EDGE_REGION = "us-east-1"


class AnsiblePostureError(AnsibleAWSError):
    pass


class PostureErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsiblePostureError


class DataTierErrorHandler(PostureErrorHandler):
    """Reads of the data tier where "not there" is an answer: no backup policy or file system policy
    (PolicyNotFound), no vault or selection (ResourceNotFoundException)."""

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["PolicyNotFound", "ResourceNotFoundException"])


def _paginate(client, operation, **params):
    return client.get_paginator(operation).paginate(**params).build_full_result()


# The reads no other module makes. Those of other module_utils (cloudwatch, shield, s3_bucket, wafv2) are reused.


@PostureErrorHandler.common_error_handler("describe trails")
@jittered_backoff()
def find_trail(client, name):
    """The trail called ``name`` (or with that ARN), or None."""
    trails = client.describe_trails(trailNameList=[name], includeShadowTrails=False).get("trailList") or []
    # The emulator answers with every trail whatever is asked; AWS with the one asked.
    return next((t for t in trails if name in (t.get("Name"), t.get("TrailARN"))), None)


@PostureErrorHandler.common_error_handler("get trail status")
@jittered_backoff()
def get_trail_status(client, arn):
    return client.get_trail_status(Name=arn)


@WAFv2ErrorHandler.list_error_handler("get web ACL for resource", None)
@jittered_backoff()
def get_web_acl_for_resource(client, arn):
    return client.get_web_acl_for_resource(ResourceArn=arn).get("WebACL")


@PostureErrorHandler.list_error_handler("get distribution config", None)
@jittered_backoff()
def get_distribution_config(client, distribution_id):
    """The DistributionConfig of a CloudFront distribution, or None when it does not exist."""
    return client.get_distribution_config(Id=distribution_id)["DistributionConfig"]


def web_acl_by_arn(client, arn):
    """The web ACL (GetWebACL) an ARN names (arn:aws:wafv2:REGION:ACCOUNT:{regional|global}/webacl/NAME/ID), or None."""
    parsed = parse_aws_arn(arn) or {}
    parts = str(parsed.get("resource") or "").split("/")
    if len(parts) != 4 or parts[1] != "webacl":
        return None
    found = get_web_acl(client, parts[2], "CLOUDFRONT" if parts[0] == "global" else "REGIONAL", parts[3])
    return found[0] if found else None


@PostureErrorHandler.common_error_handler("list buckets")
@jittered_backoff()
def list_bucket_names(client):
    return [b["Name"] for b in _paginate(client, "list_buckets").get("Buckets") or []]


@PostureErrorHandler.common_error_handler("describe security groups")
@jittered_backoff()
def describe_security_groups(client, vpc_id):
    filters = [{"Name": "vpc-id", "Values": [vpc_id]}]
    return _paginate(client, "describe_security_groups", Filters=filters).get("SecurityGroups") or []


@PostureErrorHandler.common_error_handler("describe flow logs")
@jittered_backoff()
def describe_flow_logs(client, vpc_id):
    filters = [{"Name": "resource-id", "Values": [vpc_id]}]
    return _paginate(client, "describe_flow_logs", Filter=filters).get("FlowLogs") or []


@PostureErrorHandler.common_error_handler("describe log groups")
@jittered_backoff()
def describe_log_groups(client):
    return _paginate(client, "describe_log_groups").get("logGroups") or []


@PostureErrorHandler.common_error_handler("list secrets")
@jittered_backoff()
def list_secrets(client):
    return _paginate(client, "list_secrets").get("SecretList") or []


@PostureErrorHandler.common_error_handler("get account authorization details")
@jittered_backoff()
def get_authorization_details(client):
    """(RoleDetailList, Policies): the roles and the customer managed policies, documents decoded by botocore."""
    details = _paginate(client, "get_account_authorization_details", Filter=["Role", "LocalManagedPolicy"])
    return details.get("RoleDetailList") or [], details.get("Policies") or []


@PostureErrorHandler.common_error_handler("describe DB instances")
@jittered_backoff()
def describe_db_instances(client):
    """Identifier -> DBInstance of the region."""
    instances = _paginate(client, "describe_db_instances").get("DBInstances") or []
    return {db["DBInstanceIdentifier"]: db for db in instances}


@PostureErrorHandler.common_error_handler("describe file systems")
@jittered_backoff()
def describe_file_systems(client):
    """Id -> FileSystem of the region."""
    return {fs["FileSystemId"]: fs for fs in _paginate(client, "describe_file_systems").get("FileSystems") or []}


@DataTierErrorHandler.list_error_handler("describe backup policy", None)
@jittered_backoff()
def get_backup_policy_status(client, fs_id):
    """ENABLED, DISABLED, ... or None when the file system has no backup policy (PolicyNotFound)."""
    return client.describe_backup_policy(FileSystemId=fs_id)["BackupPolicy"].get("Status")


@DataTierErrorHandler.list_error_handler("describe file system policy", None)
@jittered_backoff()
def get_file_system_policy(client, fs_id):
    """The file system policy as a dict, or None when it has none (PolicyNotFound)."""
    policy = client.describe_file_system_policy(FileSystemId=fs_id).get("Policy")
    return json.loads(policy) if policy else None


@DataTierErrorHandler.list_error_handler("describe backup vault", None)
@jittered_backoff()
def describe_backup_vault(client, name):
    return client.describe_backup_vault(BackupVaultName=name)


@DataTierErrorHandler.list_error_handler("get backup selection", None)
@jittered_backoff()
def get_backup_selection_resources(client, plan_id, selection_id):
    selection = client.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    return selection["BackupSelection"].get("Resources") or []


def log_group_name_of(arn):
    """The log group name of a log group ARN (arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*])."""
    if not arn or ":log-group:" not in arn:
        return None
    name = arn.split(":log-group:", 1)[1]
    return name[:-2] if name.endswith(":*") else name


class PostureReader:
    """Makes the reads the selected controls need and evaluates them; a failed read becomes a ReadError."""

    def __init__(self, module, clients=None):
        self.module = module
        self.clients = dict(clients or {})

    def client(self, name):
        if name not in self.clients:
            if name == "shield":
                self.clients[name] = shield_client(self.module)
            elif name in ("cloudfront", "wafv2-global"):
                self.clients[name] = self.module.client(name.split("-")[0], region=EDGE_REGION)
            else:
                self.clients[name] = self.module.client(name)
        return self.clients[name]

    def distribution_config(self, base):
        """base.cloudfront's DistributionConfig (read once), None without a distribution, or a ReadError."""
        if "_distribution" not in self.__dict__:
            cloudfront = base.get("cloudfront") or {}
            self._distribution = (
                self.read(get_distribution_config, "cloudfront", cloudfront["distribution_id"])
                if cloudfront.get("distribution_id")
                else None
            )
        return self._distribution

    def entry_point_acl(self, base, arn):
        """The web ACL of a public entry point: GetWebACLForResource, or for a CloudFront distribution (which that
        call refuses) the ACL its configuration names, read in us-east-1."""
        if not posture.is_distribution_arn(arn):
            return self.read(get_web_acl_for_resource, "wafv2", arn)
        cloudfront = base.get("cloudfront") or {}
        config = (
            self.distribution_config(base)
            if arn in (cloudfront.get("distribution_arn"), None)
            else self.read(get_distribution_config, "cloudfront", arn.rsplit("/", 1)[-1])
        )
        if isinstance(config, posture.ReadError) or not config or not config.get("WebACLId"):
            return config if isinstance(config, posture.ReadError) else None
        return self.read(web_acl_by_arn, "wafv2-global", config["WebACLId"])

    def read(self, call, service, *args):
        try:
            return call(self.client(service), *args)
        except AnsibleAWSError as e:  # every wrapper turns botocore errors into one
            return posture.ReadError(e)

    def evaluate(self, environment, base, selected, options):
        need = set(selected).intersection
        results = []
        trail_name = options["trail_name"]
        trail = None
        log_groups = list(base.get("log_group_names") or [])
        buckets = set()

        if need({f"SCM.TRAIL.{n}" for n in range(1, 7)} | {"SCM.ENC.1", "SCM.ENC.2"}):
            trail = self.read(find_trail, "cloudtrail", trail_name)
            found = trail if trail and not isinstance(trail, posture.ReadError) else None
            status = None
            if found and need({"SCM.TRAIL.1"}):
                status = self.read(get_trail_status, "cloudtrail", found.get("TrailARN") or trail_name)
            results += posture.evaluate_trail(trail_name, trail, status)
            bucket = trail if isinstance(trail, posture.ReadError) else (found or {}).get("S3BucketName")
            if need({"SCM.TRAIL.5", "SCM.TRAIL.6"}):
                public_access_block = policy = None
                if bucket and not isinstance(bucket, posture.ReadError):
                    if need({"SCM.TRAIL.5"}):
                        public_access_block = self.read(s3_bucket.get_public_access_block, "s3", bucket)
                    policy = self.read(s3_bucket.get_policy, "s3", bucket)
                results += posture.evaluate_trail_bucket(trail_name, bucket, public_access_block, policy)
            if found:
                buckets.add(found.get("S3BucketName"))
                log_groups.append(log_group_name_of(found.get("CloudWatchLogsLogGroupArn")))

        if need({"SCM.WAF.1", "SCM.WAF.2", "SCM.WAF.3"}):
            entry_points = list(base.get("public_http_entry_points") or [])
            acls = {arn: self.entry_point_acl(base, arn) for arn in entry_points}
            logging = {}
            for acl in acls.values():
                if acl and not isinstance(acl, posture.ReadError) and acl["ARN"] not in logging:
                    client = "wafv2-global" if ":global/webacl/" in acl["ARN"] else "wafv2"
                    logging[acl["ARN"]] = (
                        self.read(get_logging_configuration, client, acl["ARN"]) if need({"SCM.WAF.2"}) else None
                    )
            results += posture.evaluate_waf(environment, entry_points, acls, logging)
            for acl_arn, config in logging.items():
                # SCM.ENC.1 reads the environment's region; a CLOUDFRONT ACL logs in us-east-1.
                if ":global/webacl/" in acl_arn and self.module.region != EDGE_REGION:
                    continue
                if config and not isinstance(config, posture.ReadError):
                    log_groups += [log_group_name_of(d) for d in config.get("LogDestinationConfigs") or []]

        if need(set(posture.SHIELD_IDS)):
            in_use, why = options["shield_in_use"], "shield_in_use is false"
            declared = in_use is False
            if in_use == "auto":
                state = self.read(get_subscription_state, "shield")
                in_use = state if isinstance(state, posture.ReadError) else state == "ACTIVE"
                why = f"subscription state {state}" if not isinstance(state, posture.ReadError) else ""
            protectable = list(base.get("shield_protectable_arns") or [])
            protections = None
            if in_use is True and protectable:
                protections = self.read(list_protections, "shield")
            health_checks = base.get("shield_health_check_arns") or {}
            results += posture.evaluate_shield(
                environment, in_use, why, protectable, protections, health_checks, declared
            )

        if need(set(posture.EDGE_IDS)):
            config = self.distribution_config(base)
            results += posture.evaluate_edge(environment, base.get("cloudfront"), config, options["edge_web_acl_name"])

        if need({"SCM.MON.1", "SCM.MON.2"}):
            prefix = options["monitoring_prefix"]
            services = base.get("services") or {}
            alarms = dashboards = None
            if services and need({"SCM.MON.1"}):
                alarms = self.read(describe_alarms, "cloudwatch", prefix)
                if not isinstance(alarms, posture.ReadError):
                    alarms = alarms[0] + alarms[1]
            if services and need({"SCM.MON.2"}):
                dashboards = self.read(list_dashboards, "cloudwatch", prefix)
            results += posture.evaluate_monitoring(environment, prefix, services, alarms, dashboards)

        vpc_id = base.get("vpc_id")
        if need({"SCM.SG.1"}):
            groups = self.read(describe_security_groups, "ec2", vpc_id)
            results += posture.evaluate_security_groups(vpc_id, groups, options["public_edge_security_group_ids"])
        if need({"SCM.VPC.1"}):
            results += posture.evaluate_flow_logs(vpc_id, self.read(describe_flow_logs, "ec2", vpc_id))

        if need({"SCM.ENC.1"}):
            names = sorted(set(n for n in log_groups if n))
            described = self.read(describe_log_groups, "logs") if names else None
            results += posture.evaluate_log_groups(environment, names, described)
        if need({"SCM.ENC.2"}):
            names = self.read(list_bucket_names, "s3")
            if isinstance(names, posture.ReadError):
                results += posture.errored(["SCM.ENC.2"], environment, names)
            else:
                buckets |= {n for n in names if n.startswith(environment + "-")}
                buckets.discard(None)
                encryption = {b: self.read(s3_bucket.get_encryption, "s3", b) for b in sorted(buckets)}
                results += posture.evaluate_buckets(environment, encryption)
        if need({"SCM.ENC.3"}):
            secret_arns = base.get("secret_arns") or {}
            secrets = self.read(list_secrets, "secretsmanager") if secret_arns else None
            results += posture.evaluate_secrets(environment, secret_arns, secrets)

        if need({"SCM.IAM.1"}):
            details = self.read(get_authorization_details, "iam")
            roles, policies = (details, details) if isinstance(details, posture.ReadError) else details
            results += posture.evaluate_iam(environment, roles, policies)

        results += self.evaluate_data(environment, base, need)
        return posture.order(posture.select(results, selected))

    def evaluate_data(self, environment, base, need):
        """SCM.DATA.*: the databases, file systems and backup vault of the base layer's data tier."""
        results = []
        if need(posture.DATA_DB_CONTROLS):
            declared = base.get("databases") or {}
            instances = self.read(describe_db_instances, "rds") if declared else None
            results += posture.evaluate_databases(environment, declared, instances)
        backup = base.get("backup") or {}
        if need(posture.DATA_FS_CONTROLS):
            declared = base.get("file_systems") or {}
            file_systems = self.read(describe_file_systems, "efs") if declared else None
            ids = [e.get("id") for e in declared.values()] if not isinstance(file_systems, posture.ReadError) else []
            backup_policies = (
                {i: self.read(get_backup_policy_status, "efs", i) for i in ids} if need({"SCM.DATA.8"}) else {}
            )
            policies = {i: self.read(get_file_system_policy, "efs", i) for i in ids} if need({"SCM.DATA.9"}) else {}
            covered = []
            if ids and need({"SCM.DATA.8"}) and backup.get("plan_id") and backup.get("selection_id"):
                covered = self.read(get_backup_selection_resources, "backup", backup["plan_id"], backup["selection_id"])
                covered = [] if isinstance(covered, posture.ReadError) else covered or []
            results += posture.evaluate_file_systems(
                environment, declared, file_systems, backup_policies, policies, covered
            )
        if need(posture.DATA_BACKUP_CONTROLS):
            vault = (
                self.read(describe_backup_vault, "backup", backup["vault_name"]) if backup.get("vault_name") else None
            )
            results += posture.evaluate_backup_vault(environment, backup, vault)
        return results


def shield_in_use_value(value):
    """True, False or 'auto'; raises ValueError otherwise."""
    if isinstance(value, str) and value.strip().lower() == "auto":
        return "auto"
    return boolean(value, strict=True)


def main():
    waiver_spec = dict(
        id=dict(type="str", required=True),
        resource=dict(type="str"),
        reason=dict(type="str", required=True),
    )
    argument_spec = dict(
        environment=dict(type="str", required=True),
        base=dict(type="dict", required=True),
        controls=dict(type="list", elements="str"),
        waivers=dict(type="list", elements="dict", options=waiver_spec, default=[]),
        shield_in_use=dict(type="raw", default="auto"),
        public_edge_security_group_ids=dict(type="list", elements="str", default=[]),
        trail_name=dict(type="str"),
        monitoring_prefix=dict(type="str"),
        edge_web_acl_name=dict(type="str"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    environment = (params["environment"] or "").strip()
    if not environment:
        module.fail_json(msg="environment is empty: give the environment's name (base_infra_environment).")
    selected = params["controls"] if params["controls"] is not None else list(posture.CATALOG)
    errors = posture.validate_controls(selected)
    errors += posture.validate_waivers(params["waivers"])
    errors += posture.validate_base(params["base"], selected)
    try:
        shield_in_use = shield_in_use_value(params["shield_in_use"])
    except (TypeError, ValueError):
        errors.append(f"shield_in_use {params['shield_in_use']!r} is not a boolean or auto: use true, false or auto.")
    if errors:
        module.fail_json(msg=" ".join(errors), errors=errors, valid_ids=list(posture.CATALOG))

    options = dict(
        trail_name=params["trail_name"] or f"{environment}-audit",
        monitoring_prefix=params["monitoring_prefix"] or f"{environment}-mon-",
        shield_in_use=shield_in_use,
        edge_web_acl_name=params["edge_web_acl_name"] or f"{environment}-edge-cloudfront",
        public_edge_security_group_ids=params["public_edge_security_group_ids"],
    )
    results = PostureReader(module).evaluate(environment, params["base"], selected, options)
    posture.apply_waivers(results, params["waivers"])
    module.exit_json(changed=False, controls=results, catalog=posture.catalog(), summary=posture.summarise(results))


if __name__ == "__main__":
    main()
