# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The posture controls of one environment: the catalog, and the evaluation of each control over data already read from
AWS (no AWS call here, so every control is unit-testable on plain dicts).

A read that failed is passed in as a :class:`ReadError`; every control that needed it then yields one result of status
``error`` carrying the message, instead of failing the whole evaluation.

Mappings name CIS AWS Foundations Benchmark v3.0.0 recommendations and AWS Security Hub controls of the AWS
Foundational Security Best Practices (FSBP) v1.0.0 standard; a control with no exact counterpart maps to nothing
rather than to a near miss.
"""

import fnmatch

from ansible_collections.securecloud.monitor.plugins.module_utils.arns import is_arn

SEVERITIES = ("critical", "high", "medium", "low", "informational")
# ``not_applicable``: the control has nothing to evaluate in this environment (no protectable resource, no
# distribution, no domain); counted apart, neither a pass nor a failure, so an empty environment never reads as a pass.
STATUSES = ("passed", "failed", "waived", "error", "not_applicable")


def _control(title, severity, cis=(), fsbp=()):
    return {"title": title, "severity": severity, "mappings": {"cis": list(cis), "fsbp": list(fsbp)}}


# Order is the order of the results.
CATALOG = {
    "SCM.TRAIL.1": _control("The audit trail exists and is logging", "high", ["3.1"], ["CloudTrail.1"]),
    "SCM.TRAIL.2": _control("The audit trail is multi-region", "high", ["3.1"], ["CloudTrail.1"]),
    "SCM.TRAIL.3": _control("The audit trail validates its log files", "medium", ["3.2"], ["CloudTrail.4"]),
    "SCM.TRAIL.4": _control("The audit trail encrypts its logs with a KMS key", "medium", ["3.5"], ["CloudTrail.2"]),
    "SCM.TRAIL.5": _control("The audit trail's bucket is not public", "critical", ["2.1.4"], ["S3.8"]),
    "SCM.TRAIL.6": _control("The audit trail's bucket accepts TLS requests only", "medium", ["2.1.1"], ["S3.5"]),
    "SCM.WAF.1": _control(
        "Every public HTTP entry point is associated with a WAF web ACL", "high", [], ["APIGateway.4"]
    ),
    "SCM.WAF.2": _control("The web ACLs of the entry points log their traffic", "medium"),
    "SCM.WAF.3": _control("The web ACLs of the entry points publish CloudWatch metrics for every rule", "low"),
    "SCM.SHIELD.1": _control("Shield Advanced protects every protectable public resource", "high"),
    "SCM.SHIELD.2": _control("Every Shield Advanced protection has its Route 53 health check associated", "medium"),
    "SCM.SHIELD.3": _control(
        "Shield Advanced automatic application-layer DDoS mitigation is on for the CloudFront distribution", "medium"
    ),
    "SCM.EDGE.1": _control("The CloudFront distribution requires HTTPS from viewers", "medium", [], ["CloudFront.3"]),
    "SCM.EDGE.2": _control(
        "The CloudFront distribution is associated with the edge's CLOUDFRONT-scope WAF web ACL",
        "high",
        [],
        ["CloudFront.6"],
    ),
    "SCM.EDGE.3": _control("The CloudFront distribution writes access logs", "medium", [], ["CloudFront.5"]),
    "SCM.EDGE.4": _control(
        "The CloudFront distribution reaches its custom origins over HTTPS only", "medium", [], ["CloudFront.9"]
    ),
    "SCM.EDGE.5": _control(
        "The CloudFront distribution uses no deprecated SSL/TLS protocol to its custom origins",
        "medium",
        [],
        ["CloudFront.10"],
    ),
    "SCM.EDGE.6": _control(
        "The CloudFront distribution serves the environment's domain with its own certificate (SNI, TLS 1.2+)",
        "medium",
        [],
        ["CloudFront.7", "CloudFront.8"],
    ),
    "SCM.MON.1": _control("Every service has alarms that notify someone", "medium"),
    "SCM.MON.2": _control("Every service has a dashboard", "low"),
    "SCM.SG.1": _control(
        "No security group accepts traffic from 0.0.0.0/0 or ::/0 outside the public edge",
        "high",
        ["5.2", "5.3"],
        ["EC2.18", "EC2.19"],
    ),
    "SCM.VPC.1": _control("VPC flow logs are on", "medium", ["3.7"], ["EC2.6"]),
    "SCM.ENC.1": _control("Log groups are encrypted with a KMS key", "medium"),
    "SCM.ENC.2": _control("Buckets are encrypted at rest", "medium"),
    "SCM.ENC.3": _control("Secrets are encrypted with a customer managed KMS key", "medium"),
    "SCM.IAM.1": _control(
        'No policy of the environment\'s roles allows "*" actions on "*" resources', "high", ["1.16"], ["IAM.1"]
    ),
    "SCM.DATA.1": _control("Databases are not publicly accessible", "critical", [], ["RDS.2"]),
    "SCM.DATA.2": _control("Databases are encrypted at rest", "high", ["2.3.1"], ["RDS.3"]),
    "SCM.DATA.3": _control("Databases declared Multi-AZ run Multi-AZ", "medium", [], ["RDS.5"]),
    "SCM.DATA.4": _control("Databases have deletion protection", "medium", [], ["RDS.8"]),
    "SCM.DATA.5": _control("Databases export their logs to CloudWatch Logs", "medium", [], ["RDS.9"]),
    "SCM.DATA.6": _control("Databases keep automated backups for at least 7 days", "medium", [], ["RDS.11"]),
    "SCM.DATA.7": _control("File systems are encrypted at rest with KMS", "medium", ["2.4.1"], ["EFS.1"]),
    "SCM.DATA.8": _control("File systems are in a backup plan", "medium", [], ["EFS.2"]),
    "SCM.DATA.9": _control("File systems accept TLS connections only", "medium"),
    "SCM.DATA.10": _control("Backup recovery points are encrypted with a KMS key", "medium", [], ["Backup.1"]),
}

DATA_DB_CONTROLS = tuple(f"SCM.DATA.{n}" for n in range(1, 7))
DATA_FS_CONTROLS = ("SCM.DATA.7", "SCM.DATA.8", "SCM.DATA.9")
DATA_BACKUP_CONTROLS = ("SCM.DATA.10",)
MIN_BACKUP_RETENTION_DAYS = 7
REQUIRED_DB_LOGS = ("postgresql",)

# Controls a compliance run evaluates outside this module (playbooks/compliance*.yml): their ids are valid in the
# shared waiver list, and are ignored here.
EXTERNAL_CONTROL_IDS = ("SCM.BASE.1", "SCM.CHECK.1", "SCM.NET.1", "SCM.NET.2")

# AWS managed policies that grant "*" on "*"; attached ones are reported without reading their documents.
ADMIN_MANAGED_POLICY_NAMES = ("AdministratorAccess",)

OPEN_CIDRS = ("0.0.0.0/0", "::/0")


class ReadError:
    """A read that failed: stands in for its data, so the controls that need it report ``error``."""

    def __init__(self, message):
        self.message = str(message)

    def __repr__(self):
        return f"ReadError({self.message!r})"


def failed_reads(*values):
    """The first ReadError among ``values``, or None."""
    for value in values:
        if isinstance(value, ReadError):
            return value
    return None


def catalog():
    """Every control: id, title, severity, mappings."""
    return [dict(id=control_id, **_copy(entry)) for control_id, entry in CATALOG.items()]


def _copy(entry):
    return {
        "title": entry["title"],
        "severity": entry["severity"],
        "mappings": {"cis": list(entry["mappings"]["cis"]), "fsbp": list(entry["mappings"]["fsbp"])},
    }


def result(control_id, status, resource, detail):
    entry = CATALOG[control_id]
    return dict(
        id=control_id,
        status=status,
        resource=resource,
        detail=detail,
        waiver_reason=None,
        **_copy(entry),
    )


def not_applicable(control_id, resource, detail):
    return result(control_id, "not_applicable", resource, detail)


def passed(control_id, resource, detail):
    return result(control_id, "passed", resource, detail)


def failed(control_id, resource, detail):
    return result(control_id, "failed", resource, detail)


def verdict(ok, control_id, resource, passed_detail, failed_detail):
    """passed with one detail when ok, failed with the other (which says how to fix it) otherwise."""
    return passed(control_id, resource, passed_detail) if ok else failed(control_id, resource, failed_detail)


def errored(control_ids, resource, error):
    """One ``error`` result per control id, for a read that failed."""
    message = error.message if isinstance(error, ReadError) else str(error)
    return [result(c, "error", resource, f"Could not be evaluated: {message}") for c in control_ids]


# ---------------------------------------------------------------------------------------------------------------------
# Input validation (before any AWS call)
# ---------------------------------------------------------------------------------------------------------------------


def _ids_text(ids):
    return ", ".join(ids)


def validate_controls(controls):
    """Errors for unknown ids in the ``controls`` option."""
    errors = []
    for index, control_id in enumerate(controls or []):
        if control_id not in CATALOG:
            errors.append(
                f"controls[{index}] {control_id!r} is not a posture control id: use one of {_ids_text(CATALOG)}."
            )
    return errors


def validate_waivers(waivers):
    """Errors for waivers that name an unknown control or give no reason."""
    errors = []
    for index, waiver in enumerate(waivers or []):
        control_id = waiver.get("id")
        if control_id not in CATALOG and control_id not in EXTERNAL_CONTROL_IDS:
            errors.append(
                f"waivers[{index}].id {control_id!r} is not a control id: use one of {_ids_text(CATALOG)} "
                f"(or {_ids_text(EXTERNAL_CONTROL_IDS)}, evaluated elsewhere in a compliance run)."
            )
        if not str(waiver.get("reason") or "").strip():
            errors.append(f"waivers[{index}].reason is empty: say why the finding is accepted (a ticket, a date).")
    return errors


def validate_base(base, selected):
    """Errors for base-layer outputs the selected controls need and do not find."""
    errors = []
    if not isinstance(base, dict):
        return ["base must be the base layer's outputs (the fact base), a dict."]
    if {"SCM.SG.1", "SCM.VPC.1"} & set(selected) and not base.get("vpc_id"):
        errors.append("base.vpc_id is missing: pass the base layer's outputs (the fact base) after base.yml ran.")
    for key, kind in (
        ("services", dict),
        ("secret_arns", dict),
        ("public_http_entry_points", list),
        ("shield_protectable_arns", list),
        ("shield_health_check_arns", dict),
        ("cloudfront", dict),
        ("log_group_names", list),
        ("databases", dict),
        ("file_systems", dict),
        ("backup", dict),
    ):
        if base.get(key) is not None and not isinstance(base[key], kind):
            errors.append(f"base.{key} must be a {kind.__name__}, got {type(base[key]).__name__}.")
    return errors


# ---------------------------------------------------------------------------------------------------------------------
# Policy documents
# ---------------------------------------------------------------------------------------------------------------------


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements(document):
    if not isinstance(document, dict):
        return []
    return [s for s in _as_list(document.get("Statement")) if isinstance(s, dict)]


def is_admin_statement(statement):
    """Allow of action ``*`` on resource ``*`` (CIS 1.16 / IAM.1)."""
    return (
        statement.get("Effect") == "Allow"
        and "*" in _as_list(statement.get("Action"))
        and "*" in _as_list(statement.get("Resource"))
    )


def _is_everyone(principal):
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return any("*" in _as_list(v) for v in principal.values())
    return False


def public_statements(policy):
    """Sids (or indexes) of Allow statements for everyone without a condition."""
    found = []
    for index, statement in enumerate(statements(policy)):
        if (
            statement.get("Effect") == "Allow"
            and _is_everyone(statement.get("Principal"))
            and not statement.get("Condition")
        ):
            found.append(statement.get("Sid") or f"Statement[{index}]")
    return found


def _false(value):
    return any(str(v).lower() == "false" for v in _as_list(value))


def denies_insecure_transport(policy):
    """A Deny for everyone of all S3 actions when aws:SecureTransport is false."""
    for statement in statements(policy):
        if statement.get("Effect") != "Deny" or not _is_everyone(statement.get("Principal")):
            continue
        actions = _as_list(statement.get("Action"))
        if not ("s3:*" in actions or "*" in actions):
            continue
        condition = statement.get("Condition") or {}
        for operator, values in condition.items():
            if (
                operator.startswith("Bool")
                and isinstance(values, dict)
                and any(k.lower() == "aws:securetransport" and _false(v) for k, v in values.items())
            ):
                return True
    return False


# ---------------------------------------------------------------------------------------------------------------------
# Evaluations
# ---------------------------------------------------------------------------------------------------------------------

TRAIL_FIX = "run the audit_trail role (playbooks/observability.yml)"


def evaluate_trail(trail_name, trail, status):
    """SCM.TRAIL.1-4 from DescribeTrails (the trail or None) and GetTrailStatus."""
    ids = ["SCM.TRAIL.1", "SCM.TRAIL.2", "SCM.TRAIL.3", "SCM.TRAIL.4"]
    error = failed_reads(trail)
    if error:
        return errored(ids, trail_name, error)
    if not trail:
        return [failed(c, trail_name, f"No trail called {trail_name}: {TRAIL_FIX}.") for c in ids]
    resource = trail.get("TrailARN") or trail_name
    results = []
    if isinstance(status, ReadError):
        results += errored(["SCM.TRAIL.1"], resource, status)
    elif (status or {}).get("IsLogging"):
        results.append(passed("SCM.TRAIL.1", resource, "The trail is logging."))
    else:
        results.append(
            failed(
                "SCM.TRAIL.1",
                resource,
                f"The trail exists but does not log: aws cloudtrail start-logging --name {trail_name}, or {TRAIL_FIX}.",
            )
        )
    results.append(
        verdict(
            trail.get("IsMultiRegionTrail"),
            "SCM.TRAIL.2",
            resource,
            "The trail records every region.",
            f"IsMultiRegionTrail is false: aws cloudtrail update-trail --name {trail_name} "
            f"--is-multi-region-trail, or {TRAIL_FIX}.",
        )
    )
    results.append(
        verdict(
            trail.get("LogFileValidationEnabled"),
            "SCM.TRAIL.3",
            resource,
            "Log file validation is on.",
            f"LogFileValidationEnabled is false: aws cloudtrail update-trail --name {trail_name} "
            f"--enable-log-file-validation, or {TRAIL_FIX}.",
        )
    )
    results.append(
        verdict(
            trail.get("KmsKeyId"),
            "SCM.TRAIL.4",
            resource,
            f"Logs are encrypted with {trail['KmsKeyId']}.",
            f"The trail has no KmsKeyId (SSE-S3 only): set a KMS key (--kms-key-id), or {TRAIL_FIX}.",
        )
    )
    return results


def evaluate_trail_bucket(trail_name, bucket, public_access_block, policy):
    """SCM.TRAIL.5-6 from the trail's bucket, its public access block and its policy (None: no policy)."""
    ids = ["SCM.TRAIL.5", "SCM.TRAIL.6"]
    if isinstance(bucket, ReadError):
        return errored(ids, trail_name, bucket)
    if not bucket:
        return [
            failed(c, trail_name, f"No trail called {trail_name}, so no bucket to check: {TRAIL_FIX}.") for c in ids
        ]
    results = []
    if isinstance(public_access_block, ReadError) or isinstance(policy, ReadError):
        results += errored(["SCM.TRAIL.5"], bucket, failed_reads(public_access_block, policy))
    else:
        problems = []
        off = [
            key
            for key in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
            if not (public_access_block or {}).get(key)
        ]
        if off:
            problems.append(f"Block Public Access is off for {', '.join(off)}")
        public = public_statements(policy)
        if public:
            problems.append(f"the bucket policy allows everyone without a condition ({', '.join(public)})")
        if problems:
            results.append(
                failed(
                    "SCM.TRAIL.5",
                    bucket,
                    "; ".join(problems) + f": turn all four Block Public Access settings on "
                    f"(aws s3api put-public-access-block --bucket {bucket}) and remove the public statements, or "
                    f"{TRAIL_FIX}.",
                )
            )
        else:
            results.append(passed("SCM.TRAIL.5", bucket, "All four Block Public Access settings are on."))
    if isinstance(policy, ReadError):
        results += errored(["SCM.TRAIL.6"], bucket, policy)
    elif denies_insecure_transport(policy):
        results.append(passed("SCM.TRAIL.6", bucket, "The bucket policy denies requests without TLS."))
    else:
        results.append(
            failed(
                "SCM.TRAIL.6",
                bucket,
                "No bucket policy statement denies s3:* when aws:SecureTransport is false"
                + ("" if policy else " (the bucket has no policy)")
                + f": add that Deny statement, or {TRAIL_FIX}.",
            )
        )
    return results


WAF_FIX = "run the waf role (playbooks/security.yml)"


def evaluate_waf(environment, entry_points, acls, logging):
    """SCM.WAF.1-3.

    ``acls``: entry point ARN -> its web ACL (GetWebACLForResource; None when none), or a ReadError.
    ``logging``: web ACL ARN -> its LoggingConfiguration (None when it does not log), or a ReadError.
    """
    if not entry_points:
        detail = "No public HTTP entry point in base.public_http_entry_points."
        return [passed(c, environment, detail) for c in ("SCM.WAF.1", "SCM.WAF.2", "SCM.WAF.3")]
    results = []
    seen = {}
    for entry in entry_points:
        acl = acls.get(entry)
        if isinstance(acl, ReadError):
            results += errored(["SCM.WAF.1"], entry, acl)
        elif not acl:
            results.append(
                failed("SCM.WAF.1", entry, f"No WAF web ACL is associated with this entry point: {WAF_FIX}.")
            )
        else:
            results.append(passed("SCM.WAF.1", entry, f"Associated with web ACL {acl.get('Name')}."))
            seen.setdefault(acl["ARN"], acl)
    for arn, acl in seen.items():
        config = logging.get(arn)
        if isinstance(config, ReadError):
            results += errored(["SCM.WAF.2"], arn, config)
        elif config and config.get("LogDestinationConfigs"):
            results.append(passed("SCM.WAF.2", arn, f"Logs to {', '.join(config['LogDestinationConfigs'])}."))
        else:
            results.append(
                failed(
                    "SCM.WAF.2",
                    arn,
                    f"Web ACL {acl.get('Name')} has no logging configuration: log it to a destination named "
                    f"aws-waf-logs-*, or {WAF_FIX}.",
                )
            )
        dark = []
        if not (acl.get("VisibilityConfig") or {}).get("CloudWatchMetricsEnabled"):
            dark.append("the default action")
        dark += [
            f"rule {rule.get('Name')}"
            for rule in acl.get("Rules") or []
            if not (rule.get("VisibilityConfig") or {}).get("CloudWatchMetricsEnabled")
        ]
        if dark:
            results.append(
                failed(
                    "SCM.WAF.3",
                    arn,
                    f"CloudWatch metrics are off for {', '.join(dark)} of web ACL {acl.get('Name')}: set "
                    f"VisibilityConfig.CloudWatchMetricsEnabled, or {WAF_FIX}.",
                )
            )
        else:
            results.append(
                passed("SCM.WAF.3", arn, f"Metrics on for the default action and {len(acl.get('Rules') or [])} rules.")
            )
    return results


SHIELD_FIX = "run the shield role (playbooks/security.yml)"
SHIELD_IDS = ("SCM.SHIELD.1", "SCM.SHIELD.2", "SCM.SHIELD.3")


def is_distribution_arn(arn):
    """A CloudFront distribution ARN (arn:aws:cloudfront::ACCOUNT:distribution/ID)."""
    return is_arn(arn, "cloudfront", "distribution", regional=False)


def health_check_id(arn_or_id):
    """The id of a Route 53 health check, from its ARN (arn:aws:route53:::healthcheck/ID) or the id itself."""
    return str(arn_or_id).rsplit("/", 1)[-1]


def evaluate_shield(environment, in_use, why, protectable_arns, protections, health_checks=None, declared=False):
    """SCM.SHIELD.1-3. ``protections``: ListProtections items, or a ReadError.

    ``in_use``: True, False or a ReadError; ``declared``: whether a False comes from the user (shield_in_use: false)
    rather than from the account's subscription state. ``health_checks``: protectable ARN -> the health check ARNs
    its protection must have (base.shield_health_check_arns).

    Nothing protectable, or Shield declared unused, is ``not_applicable``; Shield not subscribed while something is
    protectable fails SCM.SHIELD.1 for each such resource (a waiver records a decision to go without).
    """
    health_checks = health_checks or {}
    if isinstance(in_use, ReadError):
        return errored(SHIELD_IDS, environment, in_use)
    if not protectable_arns:
        detail = "Nothing to protect: base.shield_protectable_arns is empty."
        return [not_applicable(c, environment, detail) for c in SHIELD_IDS]
    if not in_use and declared:
        detail = f"Shield Advanced is declared unused ({why})."
        return [not_applicable(c, environment, detail) for c in SHIELD_IDS]
    if not in_use:
        return [
            failed(
                "SCM.SHIELD.1",
                arn,
                f"Shield Advanced is not subscribed ({why}), so nothing protects this resource: subscribe and "
                f"{SHIELD_FIX} with shield_accept_subscription_commitment, or waive SCM.SHIELD.1 with the reason.",
            )
            for arn in protectable_arns
        ] + [not_applicable(c, environment, f"Shield Advanced is not subscribed ({why}).") for c in SHIELD_IDS[1:]]
    if isinstance(protections, ReadError):
        return errored(SHIELD_IDS, environment, protections)
    by_arn = {p.get("ResourceArn"): p for p in protections or []}
    results = []
    for arn in protectable_arns:
        protection = by_arn.get(arn)
        results.append(
            verdict(
                protection is not None,
                "SCM.SHIELD.1",
                arn,
                f"Protection {protection.get('Name') if protection else ''} covers it.",
                f"No Shield Advanced protection: {SHIELD_FIX}, or aws shield create-protection.",
            )
        )
        results.append(_shield_health(arn, protection, health_checks.get(arn) or []))
        if is_distribution_arn(arn):
            results.append(_shield_l7(arn, protection))
    if not any(is_distribution_arn(arn) for arn in protectable_arns):
        results.append(
            not_applicable("SCM.SHIELD.3", environment, "No CloudFront distribution in base.shield_protectable_arns.")
        )
    return results


def _shield_health(arn, protection, expected):
    if not expected:
        return not_applicable("SCM.SHIELD.2", arn, "The base layer declares no health check for this resource.")
    wanted = [health_check_id(h) for h in expected]
    if protection is None:
        return failed(
            "SCM.SHIELD.2", arn, f"No protection to associate health checks {', '.join(wanted)} with: {SHIELD_FIX}."
        )
    have = set(protection.get("HealthCheckIds") or [])
    missing = [h for h in wanted if h not in have]
    if missing:
        return failed(
            "SCM.SHIELD.2",
            arn,
            f"Health check(s) {', '.join(missing)} not associated with protection {protection.get('Name')} (it has "
            f"{', '.join(sorted(have)) or 'none'}); a deleted health check comes back with the base layer "
            f"(playbooks/base.yml), then {SHIELD_FIX}.",
        )
    return passed("SCM.SHIELD.2", arn, f"Health-based detection with {', '.join(wanted)}.")


def _shield_l7(arn, protection):
    if protection is None:
        return failed("SCM.SHIELD.3", arn, f"No protection, so no automatic application-layer response: {SHIELD_FIX}.")
    config = protection.get("ApplicationLayerAutomaticResponseConfiguration") or {}
    if config.get("Status") == "ENABLED":
        action = next(iter(config.get("Action") or {}), "?")
        return passed("SCM.SHIELD.3", arn, f"Automatic application-layer response on, action {action}.")
    return failed(
        "SCM.SHIELD.3",
        arn,
        f"Automatic application-layer response is {config.get('Status') or 'not configured'}: {SHIELD_FIX} "
        "(shield_application_layer_automatic_response: count or block).",
    )


EDGE_IDS = ("SCM.EDGE.1", "SCM.EDGE.2", "SCM.EDGE.3", "SCM.EDGE.4", "SCM.EDGE.5", "SCM.EDGE.6")
EDGE_FIX = "apply the base layer (playbooks/base.yml)"
HTTPS_VIEWER_POLICIES = ("redirect-to-https", "https-only")
# CloudFront.10 fails on SSLv3; TLS 1.0 and 1.1 are deprecated too (RFC 8996), so this control is the stricter one.
DEPRECATED_ORIGIN_PROTOCOLS = ("SSLv3", "TLSv1", "TLSv1.1")


def _items(value):
    return list((value or {}).get("Items") or [])


def evaluate_edge(environment, cloudfront, config, web_acl_name=None):
    """SCM.EDGE.1-6 for the distribution of base.cloudfront.

    ``cloudfront``: base.cloudfront (None when the edge is off); ``config``: the DistributionConfig
    (GetDistributionConfig), None when the distribution does not exist, or a ReadError; ``web_acl_name``: the name of
    the CLOUDFRONT web ACL the distribution must carry (None accepts any).
    """
    if not cloudfront:
        detail = "No CloudFront distribution: base.cloudfront is null (edge_cloudfront_enabled is false)."
        return [not_applicable(c, environment, detail) for c in EDGE_IDS]
    arn = cloudfront.get("distribution_arn") or cloudfront.get("distribution_id")
    if isinstance(config, ReadError):
        return errored(EDGE_IDS, arn, config)
    if not config:
        return [
            failed(c, arn, f"The distribution {cloudfront.get('distribution_id')} does not exist: {EDGE_FIX}.")
            for c in EDGE_IDS
        ]
    results = []

    behaviors = [config.get("DefaultCacheBehavior") or {}, *_items(config.get("CacheBehaviors"))]
    plain = [
        b.get("PathPattern") or "default"
        for b in behaviors
        if b.get("ViewerProtocolPolicy") not in HTTPS_VIEWER_POLICIES
    ]
    results.append(
        verdict(
            not plain,
            "SCM.EDGE.1",
            arn,
            f"Every cache behaviour ({len(behaviors)}) redirects HTTP to HTTPS or accepts HTTPS only.",
            f"Cache behaviour(s) {', '.join(plain)} accept plain HTTP (ViewerProtocolPolicy allow-all): set "
            f"redirect-to-https, or {EDGE_FIX}.",
        )
    )

    acl = config.get("WebACLId") or ""
    acl_name = acl.split("/")[-2] if acl.startswith("arn:") and acl.count("/") >= 2 else acl
    if not acl:
        results.append(failed("SCM.EDGE.2", arn, f"No web ACL on the distribution (WebACLId is empty): {WAF_FIX}."))
    elif web_acl_name and acl_name != web_acl_name:
        results.append(
            failed("SCM.EDGE.2", arn, f"The distribution carries web ACL {acl_name}, not {web_acl_name}: {WAF_FIX}.")
        )
    else:
        results.append(passed("SCM.EDGE.2", arn, f"Web ACL {acl_name}."))

    logging = config.get("Logging") or {}
    results.append(
        verdict(
            logging.get("Enabled") and logging.get("Bucket"),
            "SCM.EDGE.3",
            arn,
            f"Standard access logs to {logging.get('Bucket')}.",
            f"Access logging is off: {EDGE_FIX} (it logs to base.cloudfront.logs_bucket).",
        )
    )

    origins = [o for o in _items(config.get("Origins")) if o.get("CustomOriginConfig")]
    if not origins:
        detail = "The distribution has no custom origin."
        results += [not_applicable("SCM.EDGE.4", arn, detail), not_applicable("SCM.EDGE.5", arn, detail)]
    else:
        clear = [o.get("Id") for o in origins if o["CustomOriginConfig"].get("OriginProtocolPolicy") != "https-only"]
        results.append(
            verdict(
                not clear,
                "SCM.EDGE.4",
                arn,
                f"Every custom origin ({len(origins)}) is reached over HTTPS only.",
                f"Origin(s) {', '.join(clear)} may be reached over HTTP (OriginProtocolPolicy is not https-only): "
                f"{EDGE_FIX}.",
            )
        )
        old = sorted(
            {
                p
                for o in origins
                for p in _items(o["CustomOriginConfig"].get("OriginSslProtocols"))
                if p in DEPRECATED_ORIGIN_PROTOCOLS
            }
        )
        results.append(
            verdict(
                not old,
                "SCM.EDGE.5",
                arn,
                "Custom origins accept TLSv1.2 only.",
                f"Deprecated protocol(s) {', '.join(old)} allowed to the origins (OriginSslProtocols): keep TLSv1.2 "
                f"only, or {EDGE_FIX}.",
            )
        )

    certificate = cloudfront.get("certificate_arn")
    viewer = config.get("ViewerCertificate") or {}
    if not certificate:
        results.append(
            not_applicable(
                "SCM.EDGE.6", arn, "No domain: the distribution serves its own *.cloudfront.net domain and certificate."
            )
        )
    else:
        problems = []
        if viewer.get("ACMCertificateArn") != certificate:
            problems.append(
                f"its certificate is {viewer.get('ACMCertificateArn') or 'the CloudFront default'}, not {certificate}"
            )
        if viewer.get("SSLSupportMethod") != "sni-only":
            problems.append(f"SSLSupportMethod is {viewer.get('SSLSupportMethod')}, not sni-only")
        if not str(viewer.get("MinimumProtocolVersion") or "").startswith(("TLSv1.2", "TLSv1.3")):
            problems.append(f"MinimumProtocolVersion is {viewer.get('MinimumProtocolVersion')}, below TLSv1.2")
        results.append(
            verdict(
                not problems,
                "SCM.EDGE.6",
                arn,
                f"Certificate {certificate}, SNI, {viewer.get('MinimumProtocolVersion')}.",
                "; ".join(problems) + f": {EDGE_FIX}.",
            )
        )
    return results


def _count(items, noun):
    return f"{len(items)} {noun}" + ("" if len(items) == 1 else "s")


def _owner(name, prefix, services):
    """The service an alarm or dashboard name belongs to: the longest service whose prefix matches."""
    best = None
    for service in services:
        stem = prefix + service
        if (name == stem or name.startswith(stem + "-")) and (best is None or len(service) > len(best)):
            best = service
    return best


MONITORING_FIX = "run the monitoring role (playbooks/observability.yml)"


def evaluate_monitoring(environment, prefix, services, alarms, dashboards):
    """SCM.MON.1-2 over every service of base.services.

    ``alarms``: metric and composite alarms whose names start with ``prefix`` (or a ReadError);
    ``dashboards``: ListDashboards entries with that prefix (or a ReadError).
    """
    results = []
    names = sorted(services or {})
    if not names:
        detail = "No service in base.services."
        return [passed("SCM.MON.1", environment, detail), passed("SCM.MON.2", environment, detail)]
    if isinstance(alarms, ReadError):
        results += errored(["SCM.MON.1"], environment, alarms)
    else:
        by_service = {}
        for alarm in alarms or []:
            owner = _owner(alarm.get("AlarmName", ""), prefix, names)
            if owner:
                by_service.setdefault(owner, []).append(alarm)
        for service in names:
            own = by_service.get(service, [])
            notifying = [a for a in own if a.get("ActionsEnabled", True) and a.get("AlarmActions")]
            if not own:
                results.append(failed("SCM.MON.1", service, f"No alarm named {prefix}{service}-*: {MONITORING_FIX}."))
            elif not notifying:
                results.append(
                    failed(
                        "SCM.MON.1",
                        service,
                        f"{_count(own, 'alarm')}, none with an enabled alarm action: point them at the alert topic, "
                        f"or {MONITORING_FIX}.",
                    )
                )
            else:
                results.append(passed("SCM.MON.1", service, f"{_count(own, 'alarm')}, {len(notifying)} notifying."))
    if isinstance(dashboards, ReadError):
        results += errored(["SCM.MON.2"], environment, dashboards)
    else:
        present = {d.get("DashboardName") for d in dashboards or []}
        for service in names:
            name = prefix + service
            if name in present:
                results.append(passed("SCM.MON.2", service, f"Dashboard {name}."))
            else:
                results.append(failed("SCM.MON.2", service, f"No dashboard called {name}: {MONITORING_FIX}."))
    return results


def _port_text(permission):
    protocol = str(permission.get("IpProtocol", "-1"))
    if protocol == "-1":
        return "all traffic"
    low, high = permission.get("FromPort"), permission.get("ToPort")
    ports = f"{low}" if low == high else f"{low}-{high}"
    return f"{protocol} {ports}"


def open_ingress(group):
    """'<cidr> <protocol> <ports>' for every ingress permission open to the internet."""
    found = []
    for permission in group.get("IpPermissions") or []:
        cidrs = [r.get("CidrIp") for r in permission.get("IpRanges") or []]
        cidrs += [r.get("CidrIpv6") for r in permission.get("Ipv6Ranges") or []]
        found += [f"{cidr} {_port_text(permission)}" for cidr in cidrs if cidr in OPEN_CIDRS]
    return found


def evaluate_security_groups(vpc_id, groups, edge_group_ids):
    """SCM.SG.1 over every security group of the VPC (DescribeSecurityGroups, or a ReadError)."""
    if isinstance(groups, ReadError):
        return errored(["SCM.SG.1"], vpc_id, groups)
    results = []
    edge = set(edge_group_ids or [])
    for group in sorted(groups or [], key=lambda g: g.get("GroupId", "")):
        group_id = group.get("GroupId")
        label = f"{group_id} ({group.get('GroupName')})"
        opened = open_ingress(group)
        if not opened:
            results.append(passed("SCM.SG.1", group_id, f"{label} accepts nothing from the internet."))
        elif group_id in edge:
            results.append(
                passed("SCM.SG.1", group_id, f"{label} is a public edge group: open to {'; '.join(opened)}.")
            )
        else:
            results.append(
                failed(
                    "SCM.SG.1",
                    group_id,
                    f"{label} accepts {'; '.join(opened)}: revoke the rule (aws ec2 revoke-security-group-ingress) "
                    "and allow the callers' security groups instead; a group of the public edge belongs in "
                    "public_edge_security_group_ids.",
                )
            )
    if not results:
        results.append(passed("SCM.SG.1", vpc_id, "The VPC has no security group."))
    return results


def evaluate_flow_logs(vpc_id, flow_logs):
    """SCM.VPC.1 from DescribeFlowLogs filtered on the VPC (or a ReadError)."""
    if isinstance(flow_logs, ReadError):
        return errored(["SCM.VPC.1"], vpc_id, flow_logs)
    active = [
        f
        for f in flow_logs or []
        if f.get("ResourceId") == vpc_id
        and f.get("FlowLogStatus", "ACTIVE") == "ACTIVE"
        and f.get("TrafficType") in ("ALL", "REJECT")
    ]
    if active:
        ids = ", ".join(f.get("FlowLogId", "?") for f in active)
        return [passed("SCM.VPC.1", vpc_id, f"Flow log {ids} records {active[0].get('TrafficType')} traffic.")]
    return [
        failed(
            "SCM.VPC.1",
            vpc_id,
            "No active flow log recording ALL or REJECT traffic of the VPC: turn flow logs on in the base layer "
            "(Terraform variable flow_logs.enabled, playbooks/base.yml).",
        )
    ]


def evaluate_log_groups(environment, names, log_groups):
    """SCM.ENC.1 for every named log group (DescribeLogGroups items, or a ReadError)."""
    if not names:
        return [passed("SCM.ENC.1", environment, "No log group to check.")]
    if isinstance(log_groups, ReadError):
        return errored(["SCM.ENC.1"], environment, log_groups)
    found = {g.get("logGroupName"): g for g in log_groups or []}
    results = []
    for name in names:
        group = found.get(name)
        if group is None:
            results.append(failed("SCM.ENC.1", name, "The log group does not exist: apply the layer that owns it."))
        elif group.get("kmsKeyId"):
            results.append(passed("SCM.ENC.1", name, f"Encrypted with {group['kmsKeyId']}."))
        else:
            results.append(
                failed(
                    "SCM.ENC.1",
                    name,
                    f"No KMS key: aws logs associate-kms-key --log-group-name {name} --kms-key-id <base.kms_key_arn>, "
                    "or apply the layer that owns it.",
                )
            )
    return results


def evaluate_buckets(environment, encryption):
    """SCM.ENC.2. ``encryption``: bucket -> s3_bucket.get_encryption() result ({} when none), or a ReadError."""
    if not encryption:
        return [passed("SCM.ENC.2", environment, "No bucket of the environment.")]
    results = []
    for bucket in sorted(encryption):
        config = encryption[bucket]
        if isinstance(config, ReadError):
            results += errored(["SCM.ENC.2"], bucket, config)
        elif (config or {}).get("sse_algorithm", "").startswith("aws:kms"):
            results.append(
                passed("SCM.ENC.2", bucket, f"SSE-KMS with {config.get('kms_key_arn') or 'the AWS managed key'}.")
            )
        elif (config or {}).get("sse_algorithm"):
            results.append(
                passed("SCM.ENC.2", bucket, f"{config['sse_algorithm']} (SSE-S3); SSE-KMS would add key control.")
            )
        else:
            results.append(
                failed(
                    "SCM.ENC.2",
                    bucket,
                    "No default encryption: aws s3api put-bucket-encryption with SSE-KMS, or manage the bucket with "
                    "securecloud.monitor.s3_hardened_bucket.",
                )
            )
    return results


def evaluate_secrets(environment, secret_arns, secrets):
    """SCM.ENC.3 for base.secret_arns (name -> ARN) from ListSecrets items (or a ReadError)."""
    if not secret_arns:
        return [passed("SCM.ENC.3", environment, "No secret in base.secret_arns.")]
    if isinstance(secrets, ReadError):
        return errored(["SCM.ENC.3"], environment, secrets)
    found = {s.get("ARN"): s for s in secrets or []}
    results = []
    for key in sorted(secret_arns):
        arn = secret_arns[key]
        secret = found.get(arn)
        if secret is None:
            results.append(failed("SCM.ENC.3", arn, f"Secret {key} does not exist: apply the base layer."))
            continue
        key_id = secret.get("KmsKeyId") or ""
        results.append(
            verdict(
                key_id and key_id != "alias/aws/secretsmanager",
                "SCM.ENC.3",
                arn,
                f"Encrypted with {key_id}.",
                f"Secret {key} uses the AWS managed key aws/secretsmanager: aws secretsmanager update-secret "
                "--kms-key-id (base.kms_key_arn), or apply the base layer.",
            )
        )
    return results


DATA_FIX = "apply the base layer (playbooks/base.yml, or make compliance REMEDIATE=true)"


def evaluate_databases(environment, declared, instances):
    """SCM.DATA.1-6 for base.databases (service -> {identifier, multi_az, ...}); ``instances``: identifier ->
    DescribeDBInstances item (None when missing), or a ReadError for all."""
    if not declared:
        return [passed(c, environment, "No database in base.databases.") for c in DATA_DB_CONTROLS]
    if isinstance(instances, ReadError):
        return errored(list(DATA_DB_CONTROLS), environment, instances)
    results = []
    for service in sorted(declared):
        identifier = declared[service].get("identifier") or service
        db = (instances or {}).get(identifier)
        if db is None:
            results += [
                failed(c, identifier, f"Database {identifier} does not exist: {DATA_FIX}.") for c in DATA_DB_CONTROLS
            ]
            continue
        retention = db.get("BackupRetentionPeriod") or 0
        exported = set(db.get("EnabledCloudwatchLogsExports") or [])
        missing_logs = [log for log in REQUIRED_DB_LOGS if log not in exported]
        results += [
            verdict(
                not db.get("PubliclyAccessible"),
                "SCM.DATA.1",
                identifier,
                "Not publicly accessible.",
                f"Publicly accessible: aws rds modify-db-instance --db-instance-identifier {identifier} "
                f"--no-publicly-accessible --apply-immediately, or {DATA_FIX}.",
            ),
            verdict(
                db.get("StorageEncrypted") and db.get("KmsKeyId"),
                "SCM.DATA.2",
                identifier,
                f"Encrypted with {db.get('KmsKeyId')}.",
                "Storage not encrypted (it cannot be turned on in place): restore an encrypted copy of a snapshot "
                "(docs/runbooks/data-restore.md) and swap.",
            ),
            verdict(
                db.get("MultiAZ") or not declared[service].get("multi_az"),
                "SCM.DATA.3",
                identifier,
                "Multi-AZ." if db.get("MultiAZ") else "Single-AZ, as declared (base_infra_databases.multi_az false).",
                f"Declared Multi-AZ but runs single-AZ: {DATA_FIX}.",
            ),
            verdict(
                db.get("DeletionProtection"),
                "SCM.DATA.4",
                identifier,
                "Deletion protection on.",
                f"Deletion protection off: aws rds modify-db-instance --db-instance-identifier {identifier} "
                f"--deletion-protection, or {DATA_FIX}.",
            ),
            verdict(
                not missing_logs,
                "SCM.DATA.5",
                identifier,
                f"Exports {', '.join(sorted(exported))} to CloudWatch Logs.",
                f"Does not export {', '.join(missing_logs)} to CloudWatch Logs: {DATA_FIX}.",
            ),
            verdict(
                retention >= MIN_BACKUP_RETENTION_DAYS,
                "SCM.DATA.6",
                identifier,
                f"Automated backups kept {retention} days.",
                f"Automated backups kept {retention} days (at least {MIN_BACKUP_RETENTION_DAYS}): {DATA_FIX}.",
            ),
        ]
    return results


def evaluate_file_systems(environment, declared, file_systems, backup_policies, policies, covered):
    """SCM.DATA.7-9 for base.file_systems. ``file_systems``: id -> DescribeFileSystems item (None when missing) or
    a ReadError; ``backup_policies``: id -> backup policy status or ReadError; ``policies``: id -> file system
    policy document (dict, None when none) or ReadError; ``covered``: ARNs of the environment's backup selection."""
    if not declared:
        return [passed(c, environment, "No file system in base.file_systems.") for c in DATA_FS_CONTROLS]
    if isinstance(file_systems, ReadError):
        return errored(list(DATA_FS_CONTROLS), environment, file_systems)
    results = []
    for entry in declared.values():
        fs_id = entry.get("id")
        fs = (file_systems or {}).get(fs_id)
        if fs is None:
            results += [failed(c, fs_id, f"File system {fs_id} does not exist: {DATA_FIX}.") for c in DATA_FS_CONTROLS]
            continue
        results.append(
            verdict(
                fs.get("Encrypted") and fs.get("KmsKeyId"),
                "SCM.DATA.7",
                fs_id,
                f"Encrypted with {fs.get('KmsKeyId')}.",
                "Not encrypted (it cannot be turned on in place): restore a recovery point into an encrypted file "
                "system (docs/runbooks/data-restore.md).",
            )
        )
        status = backup_policies.get(fs_id)
        if isinstance(status, ReadError):
            results += errored(["SCM.DATA.8"], fs_id, status)
        else:
            in_plan = entry.get("arn") in (covered or [])
            results.append(
                verdict(
                    status == "ENABLED" or in_plan,
                    "SCM.DATA.8",
                    fs_id,
                    "In the environment's backup plan." if in_plan else "Automatic backups on (backup policy).",
                    f"Neither in a backup plan nor with automatic backups: {DATA_FIX}.",
                )
            )
        policy = policies.get(fs_id)
        if isinstance(policy, ReadError):
            results += errored(["SCM.DATA.9"], fs_id, policy)
        else:
            results.append(
                verdict(
                    bool(policy) and denies_insecure_transport(policy),
                    "SCM.DATA.9",
                    fs_id,
                    "The file system policy denies requests without TLS.",
                    f"The file system policy does not deny requests without TLS (aws:SecureTransport): {DATA_FIX}.",
                )
            )
    return results


def evaluate_backup_vault(environment, backup, vault):
    """SCM.DATA.10 for base.backup's vault (DescribeBackupVault, None when missing, or a ReadError)."""
    name = (backup or {}).get("vault_name")
    if not name:
        return [passed("SCM.DATA.10", environment, "No backup vault in base.backup.")]
    if isinstance(vault, ReadError):
        return errored(["SCM.DATA.10"], name, vault)
    if vault is None:
        return [failed("SCM.DATA.10", name, f"The backup vault does not exist: {DATA_FIX}.")]
    key = vault.get("EncryptionKeyArn") or ""
    return [
        verdict(
            key and ":alias/aws/backup" not in key,
            "SCM.DATA.10",
            name,
            f"Recovery points encrypted with {key}.",
            "Recovery points use the AWS managed key (or none): recreate the vault with the environment's key "
            f"({DATA_FIX}) and let the recovery points expire.",
        )
    ]


def _default_document(policy):
    for version in policy.get("PolicyVersionList") or []:
        if version.get("IsDefaultVersion"):
            return version.get("Document")
    return None


def evaluate_iam(environment, roles, local_policies):
    """SCM.IAM.1 for every role named ``<environment>-*``.

    ``roles``: GetAccountAuthorizationDetails RoleDetailList (or a ReadError); ``local_policies``: its Policies
    (customer managed, with their versions), documents already decoded.
    """
    if isinstance(roles, ReadError) or isinstance(local_policies, ReadError):
        return errored(["SCM.IAM.1"], environment, failed_reads(roles, local_policies))
    prefix = environment + "-"
    managed = {p.get("Arn"): p for p in local_policies or []}
    results = []
    for role in sorted(roles or [], key=lambda r: r.get("RoleName", "")):
        name = role.get("RoleName", "")
        if not name.startswith(prefix):
            continue
        findings = []
        for inline in role.get("RolePolicyList") or []:
            if any(is_admin_statement(s) for s in statements(inline.get("PolicyDocument"))):
                findings.append(f"inline policy {inline.get('PolicyName')}")
        for attached in role.get("AttachedManagedPolicies") or []:
            arn = attached.get("PolicyArn", "")
            policy = managed.get(arn)
            if policy is not None:
                if any(is_admin_statement(s) for s in statements(_default_document(policy))):
                    findings.append(f"managed policy {attached.get('PolicyName')}")
            elif arn.split("/")[-1] in ADMIN_MANAGED_POLICY_NAMES and ":aws:policy/" in arn:
                findings.append(f"AWS managed policy {attached.get('PolicyName')}")
        resource = role.get("Arn") or name
        if findings:
            results.append(
                failed(
                    "SCM.IAM.1",
                    resource,
                    f'Role {name}: {", ".join(findings)} {"allows" if len(findings) == 1 else "allow"} "*" on "*": '
                    "grant the actions and resources the role needs instead.",
                )
            )
        else:
            results.append(passed("SCM.IAM.1", resource, f'Role {name}: no policy allows "*" on "*".'))
    if not results:
        results.append(passed("SCM.IAM.1", environment, f"No role named {prefix}*."))
    return results


# ---------------------------------------------------------------------------------------------------------------------
# Waivers and summary
# ---------------------------------------------------------------------------------------------------------------------


def _waiver_matches(waiver, item):
    if waiver.get("id") != item["id"]:
        return False
    pattern = waiver.get("resource")
    return not pattern or fnmatch.fnmatchcase(str(item.get("resource") or ""), pattern)


def apply_waivers(results, waivers):
    """Failed results a waiver matches become ``waived`` with its reason; the first matching waiver wins."""
    for item in results:
        if item["status"] != "failed":
            continue
        for waiver in waivers or []:
            if _waiver_matches(waiver, item):
                item["status"] = "waived"
                item["waiver_reason"] = waiver.get("reason")
                break
    return results


def select(results, selected):
    wanted = set(selected)
    return [r for r in results if r["id"] in wanted]


def order(results):
    """Catalog order, then resource."""
    rank = {control_id: index for index, control_id in enumerate(CATALOG)}
    return sorted(results, key=lambda r: (rank[r["id"]], str(r.get("resource") or "")))


def summarise(results):
    counts = {status: 0 for status in STATUSES}
    by_severity = {severity: {status: 0 for status in STATUSES} for severity in SEVERITIES}
    for item in results:
        counts[item["status"]] += 1
        by_severity[item["severity"]][item["status"]] += 1
    failing = sorted({r["id"] for r in results if r["status"] in ("failed", "error")}, key=list(CATALOG).index)
    return dict(total=len(results), by_severity=by_severity, failing_controls=failing, **counts)
