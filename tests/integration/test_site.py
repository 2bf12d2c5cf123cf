"""site.yml against a fresh local cloud: check mode, a deploy under throttling, real
state through boto3, idempotence, a role run by its tag, compliance, drift and
remediation, teardown.

The tests of this module run in order and share one local cloud.
"""

from __future__ import annotations

import json
import re
import subprocess
from html import escape
from xml.etree import ElementTree

import jsonschema
import pytest
from PIL import Image

from tests.integration import cloudstate, drift
from tests.integration.conftest import ENVIRONMENT
from tools.diagrams import __main__ as diagrams_cli
from tools.diagrams import svg
from tools.harness import browser, recorder, runbooks
from tools.harness.playbook import REPO, PlaybookRun, playbook_env, run_playbook, run_terraform

pytestmark = pytest.mark.slow

# The ECS services; the two databases are RDS instances (storage rds), the broker keeps its data on EFS.
SERVICES = {"api-gateway", "inventory-app", "billing-app", "rabbitmq"}
DATABASES = {"inventory-db": "inventory-app", "billing-db": "billing-app"}
NLBS = {"inventory", "billing", "api-gateway"}
BLUE_GREEN = {"api-gateway", "inventory-app", "billing-app"}


def terraform_dir(work_dir):
    return work_dir / ENVIRONMENT / "terraform"


def terraform(work_dir, *args) -> subprocess.CompletedProcess:
    return run_terraform(terraform_dir(work_dir), *args)


@pytest.fixture(scope="module")
def outputs(cloud, work_dir):
    """Terraform outputs of the deployed stack (ids only; state is read through boto3)."""
    result = terraform(work_dir, "output", "-json")
    assert result.returncode == 0, result.stderr
    return {name: value["value"] for name, value in json.loads(result.stdout).items()}


def test_check_mode_on_a_fresh_cloud_reports_changes_and_creates_nothing(cloud, work_dir):
    run = run_playbook("site.yml", endpoint=cloud.endpoint, work_dir=work_dir, args=["--check"])

    assert run.returncode == 0, run.explain()
    assert any("Apply the stack with Terraform" in task for task in run.changed_tasks()), run.changed_tasks()
    assert cloudstate.non_default_vpcs(cloud) == []
    assert cloudstate.active_clusters(cloud) == []
    assert cloudstate.load_balancers(cloud) == []


# site.yml's layers in its order, with their roles. site.yml imports exactly these playbooks, and no role reads
# another role's registered results or facts (tests/unit/test_role_contract.py), so deploying layer by layer runs
# site.yml's plays; site.yml runs whole in the idempotence test below.
LAYERS = {
    "playbooks/base.yml": {"base_infra"},
    "playbooks/security.yml": {"waf", "shield"},
    "playbooks/observability.yml": {"monitoring", "audit_trail", "tracing"},
    "playbooks/delivery.yml": {"delivery_pipeline", "inspector"},
}
# Services only one layer writes to (the base layer's Terraform writes EC2, ECS, IAM, CloudWatch, Logs, S3, ...).
LAYER_OWN_SERVICES = {
    "playbooks/security.yml": {"wafv2", "shield"},
    "playbooks/observability.yml": {"xray", "cloudtrail", "budgets", "sns"},
    "playbooks/delivery.yml": {"codebuild", "codepipeline", "codedeploy", "inspector2", "ecr"},
}


def test_site_deploys_layer_by_layer_with_a_fifth_of_requests_throttled_and_prints_the_summary(cloud, work_dir):
    # The one deployment this module's tests share is made with a fifth of the requests throttled (seeded): the
    # platform must converge through AWS's throttling. The later runs (idempotence, a role by its tag, compliance,
    # drift and remediation, teardown) are not throttled.
    # Issue 19: it is made one layer's playbook at a time, as AWX job templates or a person run them: from the base
    # layer alone, each layer converges its own resources (its roles run, not skipped) and writes to no service
    # another layer owns.
    cloud.faults(throttle_rate=0.2, seed=2)
    written = {}
    try:
        for playbook in LAYERS:
            recorder.start(cloud.endpoint)
            layer = run_playbook(playbook, endpoint=cloud.endpoint, work_dir=work_dir)
            calls = recorder.stop(cloud.endpoint)
            assert layer.returncode == 0, f"{playbook}: {layer.explain()}"
            assert roles_that_ran(layer) == LAYERS[playbook] | {"base_infra"}, (playbook, roles_that_ran(layer))
            written[playbook] = {c.service for c in calls if c.mutating}
        run = run_playbook("playbooks/summary.yml", endpoint=cloud.endpoint, work_dir=work_dir)
        faults = cloud.faults()
    finally:
        cloud.faults(throttle_rate=0.0)

    for playbook, services in written.items():
        others = set().union(*(own for other, own in LAYER_OWN_SERVICES.items() if other != playbook))
        assert LAYER_OWN_SERVICES.get(playbook, set()) <= services, (playbook, services)
        assert services & others == set(), (playbook, services & others)
    assert run.returncode == 0, run.explain()
    assert faults["counters"]["injected_total"] >= 20, faults
    summary = [r["msg"] for name, _, r in run.task_results() if name == "Show the environment's entry points"]
    assert summary, "the summary task did not run"
    text = "\n".join(summary[0])
    assert "API URL: http" in text
    assert f"Edge URL: https://{ENVIRONMENT}.securecloud.example/ (CloudFront " in text, text  # the inventory's domain
    # The origin secret never reaches the output (Terraform marks it sensitive; the plan and diff hide it).
    secret = cloud.client("secretsmanager").get_secret_value(SecretId=f"{ENVIRONMENT}/edge/origin-verify")
    values = json.loads(secret["SecretString"])
    printed = json.dumps(run.output) + run.stderr
    assert all(values[k] not in printed for k in ("previous", "current", "next"))
    assert "ECS cluster: " in text and "(4 services)" in text
    assert f"Databases (RDS): {ENVIRONMENT}-inventory-db at " in text or f"{ENVIRONMENT}-billing-db at " in text
    assert "deletion protection on" in text and "Data on EFS: rabbitmq" in text
    assert "Backups: plan " in text and "covering 3 resource(s)" in text
    nlb_line = next(line for line in summary[0] if line.startswith("NLBs: "))
    assert len([name for name in nlb_line.removeprefix("NLBs: ").split(", ") if name]) == 3, nlb_line
    waf_line = next(line for line in summary[0] if line.startswith("WAF: "))
    assert (
        f"web ACL {ENVIRONMENT}-edge (" in waf_line and f"web ACL {ENVIRONMENT}-edge-cloudfront (CLOUDFRONT" in waf_line
    )
    shield_line = next(line for line in summary[0] if line.startswith("Shield Advanced: "))
    protected = int(shield_line.removeprefix("Shield Advanced: ").split()[0])
    # The distribution and the environment's Route 53 zone (the local inventory gives each environment a domain).
    assert protected >= 2 and f"{protected} with a health check" in shield_line, shield_line


def test_four_services_run_on_fargate_with_their_task_definitions(cloud, outputs):
    ecs = cloud.client("ecs")
    cluster = outputs["ecs_cluster_name"]
    arns = ecs.list_services(cluster=cluster)["serviceArns"]
    services = ecs.describe_services(cluster=cluster, services=arns)["services"]

    assert {s["serviceName"].removeprefix(f"{ENVIRONMENT}-") for s in services} == SERVICES
    for service in services:
        assert service["status"] == "ACTIVE"
        assert service["launchType"] == "FARGATE" or service.get("capacityProviderStrategy")
        network = service["networkConfiguration"]["awsvpcConfiguration"]
        assert network["assignPublicIp"] == "DISABLED"
        assert set(network["subnets"]) <= set(outputs["private_subnet_ids"])
        task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
        assert task["requiresCompatibilities"] == ["FARGATE"]
        assert task["executionRoleArn"] != task.get("taskRoleArn")
        container = task["containerDefinitions"][0]
        assert container["logConfiguration"]["logDriver"] == "awslogs"


def test_passwords_come_from_secrets_manager_never_plain_environment(cloud, outputs):
    ecs = cloud.client("ecs")
    cluster = outputs["ecs_cluster_name"]
    services = ecs.describe_services(cluster=cluster, services=ecs.list_services(cluster=cluster)["serviceArns"])
    secret_arns = set(outputs["secret_arns"].values())
    referenced = set()
    for service in services["services"]:
        task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
        for container in task["containerDefinitions"]:
            plain = {e["name"]: e["value"] for e in container.get("environment", [])}
            assert not [k for k in plain if "PASSWORD" in k.upper()], (service["serviceName"], plain)
            referenced |= {s["valueFrom"] for s in container.get("secrets", [])}
    assert secret_arns and secret_arns <= referenced


def test_three_network_load_balancers_with_listeners_and_target_groups(cloud, outputs):
    elbv2 = cloud.client("elbv2")
    balancers = {lb["LoadBalancerArn"]: lb for lb in cloudstate.load_balancers(cloud)}

    assert set(outputs["nlbs"]) == NLBS
    for nlb in outputs["nlbs"].values():
        balancer = balancers[nlb["arn"]]
        assert balancer["Type"] == "network"
        assert balancer["Scheme"] == "internal"
        listeners = {
            listener["ListenerArn"]: listener
            for listener in elbv2.describe_listeners(LoadBalancerArn=nlb["arn"])["Listeners"]
        }
        # Blue/green NLBs also have a test listener; before any deployment both forward to the blue group.
        expected = {nlb["listener_arn"], nlb["test_listener_arn"]} if nlb["blue_green"] else {nlb["listener_arn"]}
        assert set(listeners) == expected
        assert {listener["Protocol"] for listener in listeners.values()} == {"TCP"}
        forwarded = listeners[nlb["listener_arn"]]["DefaultActions"][0]["TargetGroupArn"]
        assert forwarded == nlb["target_group_arn"]
        if nlb["blue_green"]:
            green = elbv2.describe_target_groups(TargetGroupArns=[nlb["green_target_group_arn"]])["TargetGroups"][0]
            assert (green["TargetType"], green["Port"]) == ("ip", group_port(elbv2, forwarded))
        group = elbv2.describe_target_groups(TargetGroupArns=[forwarded])["TargetGroups"][0]
        assert group["TargetType"] == "ip"


def group_port(elbv2, arn: str) -> int:
    return elbv2.describe_target_groups(TargetGroupArns=[arn])["TargetGroups"][0]["Port"]


def test_subnets_span_at_least_two_availability_zones(cloud, outputs):
    ec2 = cloud.client("ec2")
    for kind in ("public_subnet_ids", "private_subnet_ids"):
        subnets = ec2.describe_subnets(SubnetIds=outputs[kind])["Subnets"]
        assert len({s["AvailabilityZone"] for s in subnets}) >= 2, kind
        assert all(s["VpcId"] == outputs["vpc_id"] for s in subnets)
    private = ec2.describe_subnets(SubnetIds=outputs["private_subnet_ids"])["Subnets"]
    assert not any(s["MapPublicIpOnLaunch"] for s in private)


def test_security_groups_form_the_intended_chain(cloud, outputs):
    groups = {g["GroupId"]: g for g in cloud.client("ec2").describe_security_groups()["SecurityGroups"]}
    services = outputs["services"]
    sg = {name: service["security_group_id"] for name, service in services.items()}

    def sources(name):
        return cloudstate.ingress_sources(groups[sg[name]])

    # The databases (RDS) accept their app only; the app's egress to them is its only way there.
    for db, app in DATABASES.items():
        db_group = groups[outputs["databases"][db]["security_group_id"]]
        assert cloudstate.ingress_sources(db_group) == [(5432, 5432, sg[app])], db
        assert sorted(outputs["security_group_rule_ids"][db_group["GroupId"]]), db
    efs_group = groups[outputs["file_systems"]["data"]["security_group_id"]]
    assert cloudstate.ingress_sources(efs_group) == [(2049, 2049, sg["rabbitmq"])]
    assert sorted(sources("rabbitmq")) == sorted([(5672, 5672, sg["api-gateway"]), (5672, 5672, sg["billing-app"])])
    for name in SERVICES:
        cidrs = [src for *_, src in sources(name) if "/" in src]
        assert "0.0.0.0/0" not in cidrs and "::/0" not in cidrs, (name, sources(name))
    # The apps are reached only through their NLB, from the tier before them.
    for app, nlb in (("inventory-app", "inventory"), ("billing-app", "billing")):
        nlb_sg = outputs["nlbs"][nlb]["security_group_id"]
        port = services[app]["port"]
        assert sources(app) == [(port, port, nlb_sg)], (app, sources(app))
        # Blue/green: the test listener takes the same clients as the production one.
        test_port = outputs["nlbs"][nlb]["test_port"]
        assert test_port and test_port != port
        assert sorted(cloudstate.ingress_sources(groups[nlb_sg])) == sorted(
            [(port, port, sg["api-gateway"]), (test_port, test_port, sg["api-gateway"])]
        )


def test_log_groups_have_retention_and_flow_logs_deliver_to_one(cloud, outputs):
    logs = cloud.client("logs")
    wanted = {s["log_group_name"] for s in outputs["services"].values()} | {outputs["flow_log_group_name"]}
    found = {g["logGroupName"]: g for g in logs.describe_log_groups()["logGroups"]}
    for name in wanted:
        assert name in found, name
        assert found[name].get("retentionInDays", 0) >= 1, name
        assert found[name].get("kmsKeyId"), name
    flow_logs = cloud.client("ec2").describe_flow_logs()["FlowLogs"]
    mine = [f for f in flow_logs if f["ResourceId"] == outputs["vpc_id"]]
    assert mine and mine[0]["LogDestinationType"] == "cloud-watch-logs"
    # AWS returns both fields; moto only the destination ARN it was given.
    group = mine[0].get("LogGroupName") or mine[0]["LogDestination"].split(":log-group:")[-1].removesuffix(":*")
    assert group == outputs["flow_log_group_name"]
    assert mine[0]["TrafficType"] == "ALL"


def test_api_stage_exists_with_access_logging(cloud, outputs):
    api = outputs["api_gateway"]
    stage = cloud.client("apigateway").get_stage(restApiId=api["rest_api_id"], stageName=api["stage_name"])
    destination = stage["accessLogSettings"]["destinationArn"]
    assert destination.endswith(api["access_log_group_name"]) or api["access_log_group_name"] in destination
    assert stage["accessLogSettings"]["format"]
    links = cloud.client("apigateway").get_vpc_links()["items"]
    assert [link["targetArns"] for link in links] == [[outputs["nlbs"]["api-gateway"]["arn"]]]


def test_web_acl_guards_every_public_entry_point_with_metrics_and_logging(cloud, outputs):
    wafv2 = cloud.client("wafv2")
    distribution = outputs["cloudfront"]["distribution_arn"]
    assert outputs["public_http_entry_points"] == [outputs["api_gateway"]["stage_arn"], distribution]
    assert outputs["public_http_entry_points_by_scope"] == {
        "REGIONAL": [outputs["api_gateway"]["stage_arn"]],
        "CLOUDFRONT": [distribution],
    }
    acl = wafv2.get_web_acl_for_resource(ResourceArn=outputs["api_gateway"]["stage_arn"])["WebACL"]

    assert acl["Name"] == f"{ENVIRONMENT}-edge"
    assert {rule["Name"] for rule in acl["Rules"]} == {
        "origin-verify",
        "rate-limit-per-ip",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesAnonymousIpList",
        "AWSManagedRulesSQLiRuleSet",
    }
    rate = next(rule for rule in acl["Rules"] if rule["Name"] == "rate-limit-per-ip")
    assert rate["Statement"]["RateBasedStatement"]["Limit"] == 2000
    # behind CloudFront the stage sees CloudFront's address: the client's comes in X-Forwarded-For
    assert rate["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "FORWARDED_IP"
    assert "Block" in rate["Action"]
    assert all(rule["VisibilityConfig"]["CloudWatchMetricsEnabled"] for rule in acl["Rules"])
    assert acl["VisibilityConfig"]["CloudWatchMetricsEnabled"]

    logging = wafv2.get_logging_configuration(ResourceArn=acl["ARN"])["LoggingConfiguration"]
    assert logging["LogDestinationConfigs"] == [
        f"arn:aws:logs:us-east-1:{outputs['account_id']}:log-group:aws-waf-logs-{ENVIRONMENT}"
    ]
    assert {field["SingleHeader"]["Name"] for field in logging["RedactedFields"]} == {"authorization", "cookie"}
    groups = cloud.client("logs").describe_log_groups(logGroupNamePrefix=f"aws-waf-logs-{ENVIRONMENT}")["logGroups"]
    group = next(g for g in groups if g["logGroupName"] == f"aws-waf-logs-{ENVIRONMENT}")
    assert group["retentionInDays"] == 365
    assert group["kmsKeyId"] == outputs["kms_key_arn"]


def test_the_regional_web_acl_accepts_only_cloudfronts_origin_header(cloud, outputs):
    secret = json.loads(
        cloud.client("secretsmanager").get_secret_value(SecretId=outputs["cloudfront"]["origin_secret_arn"])[
            "SecretString"
        ]
    )
    acl = cloud.client("wafv2").get_web_acl_for_resource(ResourceArn=outputs["api_gateway"]["stage_arn"])["WebACL"]
    rule = next(rule for rule in acl["Rules"] if rule["Name"] == "origin-verify")
    assert rule["Action"] == {"Block": {}} and rule["Priority"] == min(r["Priority"] for r in acl["Rules"])
    matches = [
        s["ByteMatchStatement"] for s in rule["Statement"]["NotStatement"]["Statement"]["OrStatement"]["Statements"]
    ]
    assert sorted(m["SearchString"].decode() for m in matches) == sorted(
        {secret[k] for k in ("previous", "current", "next")}
    )
    assert {m["FieldToMatch"]["SingleHeader"]["Name"] for m in matches} == {outputs["cloudfront"]["origin_header_name"]}


def test_the_distribution_has_the_cloudfront_web_acl_logged_in_us_east_1(cloud, outputs):
    distribution = outputs["cloudfront"]
    config = cloud.client("cloudfront").get_distribution_config(Id=distribution["distribution_id"])[
        "DistributionConfig"
    ]
    wafv2 = cloud.client("wafv2", region_name="us-east-1")
    summary = next(
        s for s in wafv2.list_web_acls(Scope="CLOUDFRONT")["WebACLs"] if s["Name"] == f"{ENVIRONMENT}-edge-cloudfront"
    )
    assert config["WebACLId"] == summary["ARN"] and ":global/webacl/" in summary["ARN"]
    acl = wafv2.get_web_acl(Name=summary["Name"], Scope="CLOUDFRONT", Id=summary["Id"])["WebACL"]
    assert len(acl["Rules"]) >= 6
    rate = next(rule for rule in acl["Rules"] if rule["Name"] == "rate-limit-per-ip")
    assert rate["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
    logging = wafv2.get_logging_configuration(ResourceArn=acl["ARN"])["LoggingConfiguration"]
    assert logging["LogDestinationConfigs"] == [
        f"arn:aws:logs:us-east-1:{outputs['account_id']}:log-group:aws-waf-logs-{ENVIRONMENT}-cloudfront"
    ]


def test_shield_layer_gives_the_response_team_access_and_a_contact(cloud, outputs):
    shield = cloud.client("shield")
    assert shield.get_subscription_state()["SubscriptionState"] == "ACTIVE"  # the local inventory subscribes
    assert shield.describe_drt_access()["RoleArn"].endswith(f":role/{ENVIRONMENT}-shield-drt")
    contacts = shield.describe_emergency_contact_settings()["EmergencyContactList"]
    assert [c["EmailAddress"] for c in contacts] == ["soc@example.com"]
    assert shield.describe_subscription()["Subscription"]["ProactiveEngagementStatus"] == "ENABLED"
    # The local inventory gives the environment a domain: the distribution and its zone are protectable; the NLBs
    # are internal, the stage sits behind CloudFront.
    distribution = outputs["cloudfront"]["distribution_arn"]
    zone = outputs["route53_zone"]["zone_arn"]
    assert zone.startswith("arn:aws:route53:::hostedzone/")
    assert outputs["shield_protectable_arns"] == [distribution, zone]
    edge_check = [outputs["health_checks"]["edge"]["arn"]]
    assert outputs["shield_health_check_arns"] == {distribution: edge_check, zone: edge_check}
    assert sorted(p["ResourceArn"] for p in shield.list_protections()["Protections"]) == sorted([distribution, zone])


def test_cloudfront_fronts_the_api_over_https_with_the_origin_secret_and_logs(cloud, outputs):
    edge = outputs["cloudfront"]
    api = outputs["api_gateway"]
    cloudfront = cloud.client("cloudfront")
    dist = cloudfront.get_distribution(Id=edge["distribution_id"])["Distribution"]
    config = dist["DistributionConfig"]
    assert dist["Status"] == "Deployed" and config["Enabled"]
    assert edge["distribution_arn"] == dist["ARN"] and edge["domain_name"] == dist["DomainName"]
    domain = outputs["route53_zone"]["name"].rstrip(".")
    assert domain == f"{ENVIRONMENT}.securecloud.example"  # the local inventory's domain
    assert config["Aliases"]["Items"] == [domain]
    assert edge["url"] == f"https://{domain}/" and outputs["edge_url"] == edge["url"]

    [origin] = config["Origins"]["Items"]
    assert origin["DomainName"] == f"{api['rest_api_id']}.execute-api.us-east-1.amazonaws.com"
    assert origin["DomainName"] == edge["origin_domain_name"] and origin["OriginPath"] == f"/{api['stage_name']}"
    custom = origin["CustomOriginConfig"]
    assert custom["OriginProtocolPolicy"] == "https-only" and custom["OriginSslProtocols"]["Items"] == ["TLSv1.2"]

    # The secret origin header: CloudFront sends the current generation of the secret's three values.
    secret = cloud.client("secretsmanager")
    described = secret.describe_secret(SecretId=edge["origin_secret_arn"])
    assert described["KmsKeyId"] == outputs["kms_key_arn"]
    values = json.loads(secret.get_secret_value(SecretId=edge["origin_secret_arn"])["SecretString"])
    assert values["header_name"] == edge["origin_header_name"] == "x-origin-verify"
    assert len({values["previous"], values["current"], values["next"]}) == 3
    assert all(len(values[k]) == 32 for k in ("previous", "current", "next"))
    headers = {h["HeaderName"]: h["HeaderValue"] for h in origin["CustomHeaders"]["Items"]}
    assert headers == {"x-origin-verify": values["current"]}

    behavior = config["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == edge["viewer_protocol_policy"] == "redirect-to-https"
    assert behavior["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # Managed-CachingDisabled
    assert behavior["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"  # AllViewerExceptHostHeader
    assert set(behavior["AllowedMethods"]["Items"]) == {"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}
    assert behavior["Compress"] and "ForwardedValues" not in behavior
    # With the domain: the ACM certificate in us-east-1, SNI, TLS 1.2 at least.
    viewer = config["ViewerCertificate"]
    assert viewer.get("CloudFrontDefaultCertificate") is not True
    assert viewer["ACMCertificateArn"] == edge["certificate_arn"] and ":acm:us-east-1:" in edge["certificate_arn"]
    assert viewer["SSLSupportMethod"] == "sni-only"
    assert viewer["MinimumProtocolVersion"] == edge["minimum_protocol_version"] == "TLSv1.2_2021"
    certificate = cloud.client("acm").describe_certificate(CertificateArn=edge["certificate_arn"])
    assert certificate["Certificate"]["DomainName"] == domain and certificate["Certificate"]["Status"] == "ISSUED"
    assert config["PriceClass"] == "PriceClass_100"
    assert config["Restrictions"]["GeoRestriction"]["RestrictionType"] == "none"

    # Standard logs to the hardened bucket.
    bucket = edge["logs_bucket"]
    assert config["Logging"]["Enabled"] and config["Logging"]["Bucket"] == f"{bucket}.s3.amazonaws.com"
    s3 = cloud.client("s3")
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == outputs["kms_key_arn"]
    assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    assert any(
        st["Effect"] == "Deny" and st["Condition"]["Bool"]["aws:SecureTransport"] == "false"
        for st in policy["Statement"]
    )
    [lifecycle] = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert lifecycle["Expiration"]["Days"] == 365
    ownership = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert ownership == [{"ObjectOwnership": "BucketOwnerPreferred"}]  # CloudFront logs through an ACL grant
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"


def test_route53_health_checks_follow_the_stacks_own_alarms(cloud, outputs):
    checks = outputs["health_checks"]
    assert set(checks) == {"api_5xx", "edge_5xx", "api_targets", "api_targets_green", "edge"}
    route53 = cloud.client("route53")
    for name, check in checks.items():
        found = route53.get_health_check(HealthCheckId=check["id"])["HealthCheck"]
        assert check["arn"] == f"arn:aws:route53:::healthcheck/{check['id']}"
        assert found["HealthCheckConfig"]["Type"] == check["type"]
        if check["type"] == "CLOUDWATCH_METRIC":
            assert found["HealthCheckConfig"]["AlarmIdentifier"] == {
                "Name": check["alarm_name"],
                "Region": check["alarm_region"],
            }
            cloudwatch = cloud.client("cloudwatch", region_name=check["alarm_region"])
            [alarm] = cloudwatch.describe_alarms(AlarmNames=[check["alarm_name"]])["MetricAlarms"]
            assert alarm["Statistic"] in ("Average", "Minimum") and alarm["Period"] == 60, name
    assert checks["edge_5xx"]["alarm_region"] == "us-east-1"  # CloudFront's metrics live there only
    parent = route53.get_health_check(HealthCheckId=checks["edge"]["id"])["HealthCheck"]["HealthCheckConfig"]
    children = {checks[k]["id"] for k in ("api_5xx", "edge_5xx", "api_targets", "api_targets_green")}
    assert set(parent["ChildHealthChecks"]) == children
    assert parent["HealthThreshold"] == 3  # one group of the blue/green pair is idle between deployments


def test_shield_protects_the_edge_with_health_checks_a_group_and_l7_response(cloud, outputs):
    shield = cloud.client("shield")
    protections = {p["ResourceArn"]: p for p in shield.list_protections()["Protections"]}
    assert outputs["cloudfront"]["distribution_arn"] in outputs["shield_protectable_arns"]
    assert set(protections) == set(outputs["shield_protectable_arns"])
    for arn, protection in protections.items():
        expected = [check.rsplit("/", 1)[-1] for check in outputs["shield_health_check_arns"][arn]]
        assert protection["HealthCheckIds"] == expected, arn
    distribution = protections[outputs["cloudfront"]["distribution_arn"]]
    assert distribution["ApplicationLayerAutomaticResponseConfiguration"] == {
        "Status": "ENABLED",
        "Action": {"Count": {}},
    }
    groups = {g["ProtectionGroupId"]: g for g in shield.list_protection_groups()["ProtectionGroups"]}
    assert set(groups[f"{ENVIRONMENT}-protected"]["Members"]) == set(protections)


def test_monitoring_alarms_dashboards_and_topic_come_from_the_outputs(cloud, outputs):
    cloudwatch = cloud.client("cloudwatch")
    prefix = f"{ENVIRONMENT}-mon-"
    alarms = cloudwatch.describe_alarms(AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    metric = {a["AlarmName"] for a in alarms["MetricAlarms"]}
    composite = {a["AlarmName"]: a["AlarmRule"] for a in alarms["CompositeAlarms"]}

    for service, spec in outputs["services"].items():
        assert {f"{prefix}{service}-cpu-high", f"{prefix}{service}-no-running-tasks"} <= metric
        assert (f"{prefix}{service}-unhealthy-hosts" in metric) == bool(spec["nlb"])
        # Blue/green services are watched on both target groups: CodeDeploy moves traffic between them.
        assert (f"{prefix}{service}-unhealthy-hosts-green" in metric) == bool(spec["blue_green"])
        assert f'ALARM("{prefix}{service}-no-running-tasks")' in composite[f"{prefix}{service}-down"]
    assert {f"{prefix}api-5xx-rate", f"{prefix}api-latency-p99", f"{prefix}waf-blocked-spike"} <= metric
    # Each notification links to the alarm's page in docs/runbooks/.
    assert runbooks.unlinked(alarms["MetricAlarms"] + alarms["CompositeAlarms"]) == {}
    topic = f"arn:aws:sns:us-east-1:{outputs['account_id']}:{ENVIRONMENT}-alerts"
    assert {action for a in alarms["MetricAlarms"] for action in a["AlarmActions"]} == {topic}
    policy = cloud.client("sns").get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"]
    assert "cloudwatch.amazonaws.com" in policy and "budgets.amazonaws.com" in policy
    topic_key = cloud.client("sns").get_topic_attributes(TopicArn=topic)["Attributes"]["KmsMasterKeyId"]
    key = cloud.client("kms").describe_key(KeyId=f"alias/{ENVIRONMENT}-alerts")["KeyMetadata"]
    assert (topic_key, key["KeyState"]) == (key["Arn"], "Enabled")
    budgets = cloud.client("budgets")
    names = [b["BudgetName"] for b in budgets.describe_budgets(AccountId=outputs["account_id"]).get("Budgets", [])]
    assert names == [f"{prefix}monthly"]
    alerts = budgets.describe_notifications_for_budget(AccountId=outputs["account_id"], BudgetName=names[0])
    for alert in alerts["Notifications"]:
        subscribers = budgets.describe_subscribers_for_notification(
            AccountId=outputs["account_id"], BudgetName=names[0], Notification=alert
        )["Subscribers"]
        assert subscribers == [{"SubscriptionType": "SNS", "Address": topic}]
    assert len(alerts["Notifications"]) == 3

    dashboards = {
        d["DashboardName"] for d in cloudwatch.list_dashboards(DashboardNamePrefix=prefix)["DashboardEntries"]
    }
    assert dashboards == {f"{prefix}overview", f"{prefix}edge"} | {
        f"{prefix}{name}" for name in [*outputs["services"], *DATABASES]
    }
    # The data tier: each database's six alarms and the file system's, all linking to the restore runbook.
    for db in DATABASES:
        for kind in ("cpu-high", "free-storage-low", "freeable-memory-low", "connections-high", "read-latency-high"):
            assert f"{prefix}data-{db}-{kind}" in metric
        assert f"{prefix}data-{db}-write-latency-high" in metric
    assert f"{prefix}data-efs-throughput-high" in metric
    data_alarms = [a for a in alarms["MetricAlarms"] if a["AlarmName"].startswith(f"{prefix}data-")]
    assert len(data_alarms) == 13 and all("data-restore" in a["AlarmDescription"] for a in data_alarms)
    # The edge's alarms (us-east-1, which is also this environment's region): CloudFront, and DDoS per protection.
    edge = cloudwatch.describe_alarms(AlarmNamePrefix=f"{ENVIRONMENT}-edge-mon-")["MetricAlarms"]
    distribution = f"{ENVIRONMENT}-edge-mon-ddos-distribution-{outputs['cloudfront']['distribution_id']}"
    assert {
        f"{ENVIRONMENT}-edge-mon-cloudfront-5xx-rate",
        f"{ENVIRONMENT}-edge-mon-cloudfront-origin-latency",
        distribution,
        f"{distribution}-requests",
        f"{distribution}-bits",
        f"{distribution}-packets",
    } <= {a["AlarmName"] for a in edge}
    protected = {p["ResourceArn"] for p in cloud.client("shield").list_protections()["Protections"]}
    watched = {d["Value"] for a in edge for d in a["Dimensions"] if d["Name"] == "ResourceArn"}
    assert watched == protected
    assert runbooks.unlinked(edge) == {} and {action for a in edge for action in a["AlarmActions"]} == {topic}


def test_inspector_scans_images_and_instances_and_sends_findings_to_the_alert_topic(cloud, outputs):
    [account] = cloud.client("inspector2").batch_get_account_status(accountIds=[outputs["account_id"]])["accounts"]
    enabled = {kind for kind, state in account["resourceState"].items() if state["status"] in ("ENABLED", "ENABLING")}
    assert enabled == {"ecr", "ec2"}
    events = cloud.client("events")
    rule = events.describe_rule(Name=f"{ENVIRONMENT}-inspector-findings")
    pattern = json.loads(rule["EventPattern"])
    assert pattern["source"] == ["aws.inspector2"] and set(pattern["detail"]["severity"]) == {"HIGH", "CRITICAL"}
    topic = f"arn:aws:sns:us-east-1:{outputs['account_id']}:{ENVIRONMENT}-alerts"
    assert [t["Arn"] for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]] == [topic]


def test_diagrams_show_every_service_nlb_and_intended_path_as_deployed(cloud, work_dir, outputs, tmp_path):
    run = run_playbook(
        "playbooks/architecture_model.yml",
        endpoint=cloud.endpoint,
        work_dir=work_dir,
        args=["-e", f"architecture_model_dir={tmp_path / 'model'}"],
    )
    assert run.returncode == 0, run.explain()
    assert run.total("changed") <= 2, "the model playbook only writes its directory and file"
    assert diagrams_cli.main([str(tmp_path / "model"), str(tmp_path / "diagrams")]) == 0
    rendered = tmp_path / "diagrams" / ENVIRONMENT

    for name in ("network", "services"):
        shown = svg.labels(rendered / f"{name}.svg")
        assert set(outputs["services"]) <= shown, name
        assert set(outputs["nlbs"]) <= shown, name
    # The chain as deployed: every intended path (each allowed_from client, on each listener of the
    # target's NLB), each NLB to its service and the VPC link are green; nothing else is drawn.
    intended = sum(
        len(service["allowed_from"]) * (len([p for p in (nlb["port"], nlb["test_port"]) if p]) if nlb else 1)
        for service in outputs["services"].values()
        for nlb in [outputs["nlbs"].get(service["nlb"]) if service["nlb"] else None]
    )
    # The data tier: each database from its app, the file system (NFS) from the broker, drawn as nodes too.
    intended += sum(len(db["allowed_from"]) for db in outputs["databases"].values())
    intended += len(outputs["file_systems"]["data"]["access_points"])
    assert set(DATABASES) | {"efs"} <= svg.labels(rendered / "services.svg")
    fronted = sum(1 for service in outputs["services"].values() if service["nlb"])
    _, edges = svg.read(rendered / "services.svg")
    assert [e.color for e in edges] == ["darkgreen"] * (intended + fronted + 1)
    assert {outputs["api_gateway"]["nlb"]} == {e.target[0] for e in edges if e.label == "VPC link"}
    security = svg.texts(rendered / "security.svg")
    assert f"WAF web ACL {ENVIRONMENT}-edge (REGIONAL)" in security
    # The edge as deployed (issue 18): Route 53 and CloudFront in front of the stage, the CLOUDFRONT web ACL on the
    # distribution, Shield on what ListProtections says it protects.
    assert f"WAF web ACL {ENVIRONMENT}-edge-cloudfront (CLOUDFRONT, us-east-1)" in security
    network = svg.texts(rendered / "network.svg")
    assert {"CloudFront", outputs["cloudfront"]["distribution_id"]} <= network
    assert ("Route 53" in network) == bool(outputs["route53_zone"])  # a zone only with a domain
    assert "Route 53 health checks" in network and set(outputs["health_checks"]) <= {
        line for text in network for line in text.split("\n")
    }
    _, security_edges = svg.read(rendered / "security.svg")
    shielded = {e.target[0] for e in security_edges if e.source and e.source[0] == "Shield Advanced"}
    kinds = {"cloudfront": "CloudFront", "route53": "Route 53"}
    protected = cloud.client("shield").list_protections()["Protections"]
    assert shielded == {kinds[p["ResourceArn"].split(":")[2]] for p in protected}
    assert "CloudFront" in shielded
    # The web ACL is drawn with the rules the waf role deployed, one for one and in priority order (the
    # baseline's own rules under a label, the others under their names).
    model = json.loads(next((tmp_path / "model").glob("*.json")).read_text())
    drawn = model["layers"]["waf"]["rules"]
    acl = cloud.client("wafv2").get_web_acl_for_resource(ResourceArn=outputs["api_gateway"]["stage_arn"])["WebACL"]
    deployed = [rule["Name"] for rule in sorted(acl["Rules"], key=lambda rule: rule["Priority"])]
    assert len(drawn) == len(deployed), (drawn, deployed)
    named = [name for name in deployed if name in drawn]
    assert [name for name in drawn if name in deployed] == named
    managed = {name for name in deployed if name.startswith("AWSManagedRules")}
    assert managed and managed <= set(named)
    assert f"{ENVIRONMENT}-alerts" in svg.labels(rendered / "observability.svg")
    for name in ("network", "services", "security", "observability"):
        with Image.open(rendered / f"{name}.png") as image:
            assert image.width > 400 and len(image.getcolors(1 << 20)) > 20, name


def test_databases_are_encrypted_protected_private_backed_up_and_tls_only(cloud, outputs):
    rds = cloud.client("rds")
    key = outputs["kms_key_arn"]
    assert set(outputs["databases"]) == set(DATABASES)
    for name, spec in outputs["databases"].items():
        [db] = rds.describe_db_instances(DBInstanceIdentifier=spec["identifier"])["DBInstances"]
        assert (db["Engine"], db["StorageEncrypted"], db["KmsKeyId"]) == ("postgres", True, key), name
        assert db["DeletionProtection"] and not db["PubliclyAccessible"], name
        assert db["BackupRetentionPeriod"] >= 7 and db["CopyTagsToSnapshot"], name
        assert db["IAMDatabaseAuthenticationEnabled"] and db["AutoMinorVersionUpgrade"], name
        assert set(db["EnabledCloudwatchLogsExports"]) == {"postgresql", "upgrade"}, name
        assert (db["PerformanceInsightsEnabled"], db["PerformanceInsightsKMSKeyId"]) == (True, key), name
        assert db["MasterUserSecret"]["KmsKeyId"] == key and db["MasterUserSecret"]["SecretArn"] == spec["secret_arn"]
        assert [g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]] == [spec["security_group_id"]]
        assert {s["SubnetIdentifier"] for s in db["DBSubnetGroup"]["Subnets"]} == set(outputs["private_subnet_ids"])
        [group] = db["DBParameterGroups"]
        params = rds.describe_db_parameters(DBParameterGroupName=group["DBParameterGroupName"])["Parameters"]
        assert {(p["ParameterName"], p["ParameterValue"]) for p in params} >= {("rds.force_ssl", "1")}, name
        for log_group in spec["log_group_names"]:
            [described] = cloud.client("logs").describe_log_groups(logGroupNamePrefix=log_group)["logGroups"]
            assert described.get("kmsKeyId") == key and described.get("retentionInDays"), log_group
    # The app finds its database where it found the container: <SERVICE>_HOST/_PORT and the password secret.
    ecs = cloud.client("ecs")
    for db, app in DATABASES.items():
        family = outputs["services"][app]["task_definition_family"]
        [container, *_] = ecs.describe_task_definition(taskDefinition=family)["taskDefinition"]["containerDefinitions"]
        env = {e["name"]: e["value"] for e in container["environment"]}
        prefix = db.upper().replace("-", "_")
        assert (env[f"{prefix}_HOST"], env[f"{prefix}_PORT"]) == (outputs["databases"][db]["endpoint"], "5432")
        secrets = {s["name"]: s["valueFrom"] for s in container["secrets"]}
        assert secrets["DB_PASSWORD"] == outputs["databases"][db]["secret_arn"] + ":password::"


def test_the_broker_keeps_its_queues_on_encrypted_efs_mounted_with_tls_and_iam(cloud, outputs):
    efs = cloud.client("efs")
    fs = outputs["file_systems"]["data"]
    [described] = efs.describe_file_systems(FileSystemId=fs["id"])["FileSystems"]
    assert described["Encrypted"] and described["KmsKeyId"] == outputs["kms_key_arn"]
    assert efs.describe_backup_policy(FileSystemId=fs["id"])["BackupPolicy"]["Status"] == "ENABLED"
    assert len(efs.describe_mount_targets(FileSystemId=fs["id"])["MountTargets"]) == len(outputs["private_subnet_ids"])
    policy = json.loads(efs.describe_file_system_policy(FileSystemId=fs["id"])["Policy"])
    deny = [s for s in policy["Statement"] if s["Effect"] == "Deny"]
    assert deny and deny[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    point = fs["access_points"]["rabbitmq"]
    [access_point] = efs.describe_access_points(AccessPointId=point["id"])["AccessPoints"]
    assert access_point["RootDirectory"]["Path"] == "/rabbitmq" and access_point["PosixUser"]["Uid"] == 100
    family = outputs["services"]["rabbitmq"]["task_definition_family"]
    task = cloud.client("ecs").describe_task_definition(taskDefinition=family)["taskDefinition"]
    [volume] = [v for v in task["volumes"] if "efsVolumeConfiguration" in v]
    config = volume["efsVolumeConfiguration"]
    assert (config["fileSystemId"], config["transitEncryption"]) == (fs["id"], "ENABLED")
    assert config["authorizationConfig"] == {"accessPointId": point["id"], "iam": "ENABLED"}
    mounts = {m["sourceVolume"]: m["containerPath"] for m in task["containerDefinitions"][0]["mountPoints"]}
    assert mounts[volume["name"]] == "/var/lib/rabbitmq"


def test_a_backup_plan_covers_every_database_and_file_system(cloud, outputs):
    backup = cloud.client("backup")
    spec = outputs["backup"]
    vault = backup.describe_backup_vault(BackupVaultName=spec["vault_name"])
    assert vault["EncryptionKeyArn"] == outputs["kms_key_arn"]
    rule = backup.get_backup_plan(BackupPlanId=spec["plan_id"])["BackupPlan"]["Rules"][0]
    assert rule["TargetBackupVaultName"] == spec["vault_name"] and rule["Lifecycle"]["DeleteAfterDays"] >= 7
    selection = backup.get_backup_selection(BackupPlanId=spec["plan_id"], SelectionId=spec["selection_id"])
    covered = set(selection["BackupSelection"]["Resources"])
    assert covered == {db["arn"] for db in outputs["databases"].values()} | {outputs["file_systems"]["data"]["arn"]}


def test_app_services_deploy_blue_green_through_codedeploy(cloud, outputs):
    assert {name for name, spec in outputs["services"].items() if spec["blue_green"]} == BLUE_GREEN
    ecs = cloud.client("ecs")
    cluster = outputs["ecs_cluster_name"]
    described = ecs.describe_services(cluster=cluster, services=ecs.list_services(cluster=cluster)["serviceArns"])
    controllers = {
        s["serviceName"].removeprefix(f"{ENVIRONMENT}-"): s["deploymentController"]["type"]
        for s in described["services"]
    }
    assert controllers == {name: "CODE_DEPLOY" if name in BLUE_GREEN else "ECS" for name in SERVICES}

    codedeploy = cloud.client("codedeploy")
    application = f"{ENVIRONMENT}-services"
    assert set(codedeploy.list_deployment_groups(applicationName=application)["deploymentGroups"]) == {
        f"{ENVIRONMENT}-{name}" for name in BLUE_GREEN
    }
    alarms = cloud.client("cloudwatch").describe_alarms(
        AlarmNamePrefix=f"{ENVIRONMENT}-mon-", AlarmTypes=["MetricAlarm"]
    )
    for name in BLUE_GREEN:
        expected = outputs["blue_green"][name]
        group = codedeploy.get_deployment_group(
            applicationName=application, deploymentGroupName=f"{ENVIRONMENT}-{name}"
        )["deploymentGroupInfo"]
        assert group["deploymentStyle"] == {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}
        assert group["ecsServices"] == [{"serviceName": expected["service_name"], "clusterName": cluster}]
        [pair] = group["loadBalancerInfo"]["targetGroupPairInfoList"]
        assert [t["name"] for t in pair["targetGroups"]] == expected["target_group_names"]
        assert pair["prodTrafficRoute"]["listenerArns"] == [expected["prod_listener_arn"]]
        assert pair["testTrafficRoute"]["listenerArns"] == [expected["test_listener_arn"]]
        # Rolls back on the service's metric alarms of the observability layer.
        watched = sorted(
            a["AlarmName"] for a in alarms["MetricAlarms"] if a["AlarmName"].startswith(f"{ENVIRONMENT}-mon-{name}-")
        )
        assert f"{ENVIRONMENT}-mon-{name}-unhealthy-hosts-green" in watched
        assert [a["name"] for a in group["alarmConfiguration"]["alarms"]] == watched[:10]
        assert group["autoRollbackConfiguration"]["enabled"]
        assert set(group["autoRollbackConfiguration"]["events"]) == {"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"}


def test_pipelines_build_and_deploy_each_blue_green_service_and_the_infrastructure(cloud, outputs):
    codepipeline = cloud.client("codepipeline")
    names = {p["name"] for p in codepipeline.list_pipelines()["pipelines"]}
    assert names == {f"{ENVIRONMENT}-{name}" for name in BLUE_GREEN} | {f"{ENVIRONMENT}-infrastructure"}
    key_arn = cloud.client("kms").describe_key(KeyId=f"alias/{ENVIRONMENT}-delivery")["KeyMetadata"]["Arn"]
    stages = {}
    for name in names:
        pipeline = codepipeline.get_pipeline(name=name)["pipeline"]
        assert pipeline["pipelineType"] == "V2"
        assert pipeline["artifactStore"]["encryptionKey"] == {"id": key_arn, "type": "KMS"}
        stages[name] = [stage["name"] for stage in pipeline["stages"]]
        deploys = [
            a for stage in pipeline["stages"] for a in stage["actions"] if a["actionTypeId"]["category"] == "Deploy"
        ]
        assert [a["actionTypeId"]["provider"] for a in deploys] == (
            [] if name.endswith("-infrastructure") else ["CodeDeployToECS"]
        )
    assert stages.pop(f"{ENVIRONMENT}-infrastructure") == ["Source", "Validate", "Plan", "Approve", "Apply"]
    assert set(map(tuple, stages.values())) == {("Source", "Build", "Deploy")}

    bucket = codepipeline.get_pipeline(name=f"{ENVIRONMENT}-infrastructure")["pipeline"]["artifactStore"]["location"]
    block = cloud.client("s3").get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    ecr = cloud.client("ecr").describe_repositories()["repositories"]
    assert {r["repositoryName"] for r in ecr} == {f"{ENVIRONMENT}/{name}" for name in BLUE_GREEN}
    assert {(r["imageTagMutability"], r["imageScanningConfiguration"]["scanOnPush"]) for r in ecr} == {
        ("IMMUTABLE", True)
    }


def test_delivery_roles_never_allow_every_action_on_every_resource(cloud):
    iam = cloud.client("iam")
    roles = [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith(f"{ENVIRONMENT}-code")]
    assert len(roles) == 6, roles
    for role in roles:
        attached = [p["PolicyName"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]]
        assert attached == (["ReadOnlyAccess"] if role.endswith(("-plan", "-apply")) else []), (role, attached)
        for policy in iam.list_role_policies(RoleName=role)["PolicyNames"]:
            document = iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]
            for statement in document["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                resources = (
                    statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                )
                assert not ("*" in actions and "*" in resources), (role, statement)
                assert statement["Effect"] == "Allow" and "*" not in actions, (role, statement)


def test_traced_services_have_the_xray_sidecar_sampling_rules_and_groups(cloud, outputs):
    traced = sorted(name for name, spec in outputs["services"].items() if spec["tracing"])
    assert traced == ["api-gateway", "billing-app", "inventory-app"]
    ecs = cloud.client("ecs")
    for name, spec in outputs["services"].items():
        containers = ecs.describe_task_definition(taskDefinition=spec["task_definition_arn"])["taskDefinition"]
        has_sidecar = any(c["name"] == "xray-daemon" for c in containers["containerDefinitions"])
        assert has_sidecar == spec["tracing"], name
    xray = cloud.client("xray")
    rules = {r["SamplingRule"]["RuleName"]: r["SamplingRule"] for r in xray.get_sampling_rules()["SamplingRuleRecords"]}
    assert {f"{ENVIRONMENT}-{name}" for name in traced} <= set(rules)
    assert rules[f"{ENVIRONMENT}-api-gateway"]["ServiceName"] == outputs["services"]["api-gateway"]["service_name"]
    groups = {g["GroupName"] for g in xray.get_groups()["Groups"]}
    assert {f"{ENVIRONMENT}-{name}" for name in traced} | {f"{ENVIRONMENT}-faults"} <= groups
    encryption = xray.get_encryption_config()["EncryptionConfig"]
    assert (encryption["Type"], encryption["KeyId"]) == ("KMS", outputs["kms_key_arn"])


def test_audit_trail_is_multi_region_validated_encrypted_and_watched_by_cis_alarms(cloud, outputs):
    trails = [
        t for t in cloud.client("cloudtrail").describe_trails()["trailList"] if t["Name"] == f"{ENVIRONMENT}-audit"
    ]
    assert len(trails) == 1
    trail = trails[0]
    assert trail["IsMultiRegionTrail"] and trail["LogFileValidationEnabled"]
    assert trail["KmsKeyId"] and trail["CloudWatchLogsLogGroupArn"]
    assert cloud.client("cloudtrail").get_trail_status(Name=trail["TrailARN"])["IsLogging"]
    s3 = cloud.client("s3")
    block = s3.get_public_access_block(Bucket=trail["S3BucketName"])["PublicAccessBlockConfiguration"]
    assert all(block.values())
    assert '"aws:SecureTransport"' in s3.get_bucket_policy(Bucket=trail["S3BucketName"])["Policy"]
    alarms = cloud.client("cloudwatch").describe_alarms(AlarmNamePrefix=f"{ENVIRONMENT}-cis-")["MetricAlarms"]
    assert len(alarms) == 15
    assert runbooks.unlinked(alarms) == {}
    topic = f"arn:aws:sns:us-east-1:{outputs['account_id']}:{ENVIRONMENT}-alerts"
    assert {action for alarm in alarms for action in alarm["AlarmActions"]} == {topic}


def pipeline_versions(cloud) -> dict[str, int]:
    codepipeline = cloud.client("codepipeline")
    return {p["name"]: p["version"] for p in codepipeline.list_pipelines()["pipelines"]}


def test_second_run_changes_nothing_and_terraform_sees_no_drift(cloud, work_dir):
    versions = pipeline_versions(cloud)
    recorder.start(cloud.endpoint)
    run = run_playbook("site.yml", endpoint=cloud.endpoint, work_dir=work_dir)
    calls = recorder.stop(cloud.endpoint)

    assert run.returncode == 0, run.explain()
    assert run.changed_tasks() == []
    assert run.total("changed") == 0
    assert [f"{c.service}:{c.operation}" for c in calls if c.mutating] == []
    assert len(calls) > 100, "the recorder saw the run"
    assert len(versions) == 4 and pipeline_versions(cloud) == versions
    plan = terraform(work_dir, "plan", "-detailed-exitcode", "-input=false", "-no-color")
    assert plan.returncode == 0, plan.stdout[-4000:] + plan.stderr


def roles_that_ran(run) -> set[str]:
    """Roles with a task that ran (not skipped; argument validation aside)."""
    return {
        name.split(" : ")[0].removeprefix("securecloud.monitor.")
        for name, _, result in run.task_results()
        if " : " in name and "Validating arguments" not in name and not result.get("skipped")
    }


@pytest.mark.parametrize("playbook", sorted(LAYERS))
def test_each_layer_playbook_alone_runs_its_roles_and_changes_nothing(cloud, work_dir, playbook):
    # Issue 19: a layer run alone (by hand or as an AWX job template) reads the base layer's outputs, runs its own
    # roles whole and, on the converged environment, changes nothing (it used to purge what other layers' results
    # had fed it).
    recorder.start(cloud.endpoint)
    run = run_playbook(playbook, endpoint=cloud.endpoint, work_dir=work_dir)
    calls = recorder.stop(cloud.endpoint)

    assert run.returncode == 0, run.explain()
    assert roles_that_ran(run) == LAYERS[playbook] | {"base_infra"}, roles_that_ran(run)
    assert (run.changed_tasks(), [f"{c.service}:{c.operation}" for c in calls if c.mutating]) == ([], [])


# site.yml's role tags (monitoring and audit_trail have tests of their own below): the role, one of its resources
# changed out of band, and the mutating calls that repair it and nothing else.
ROLE_TAGS = {
    "base": ("base_infra", drift.add_nacl_entry, {"ec2:DeleteNetworkAclEntry"}),
    "waf": ("waf", drift.delete_waf_rule, {"wafv2:UpdateWebACL"}),
    "shield": ("shield", drift.change_protection_group_aggregation, {"shield:UpdateProtectionGroup"}),
    "tracing": ("tracing", drift.change_sampling_rule, {"xray:UpdateSamplingRule"}),
    "delivery_pipeline": ("delivery_pipeline", drift.change_pipeline_branch, {"codepipeline:UpdatePipeline"}),
    "inspector": ("inspector", drift.delete_inspector_rule, {"events:PutRule", "events:PutTargets"}),
}


@pytest.mark.parametrize("tag", sorted(ROLE_TAGS))
def test_each_role_alone_by_its_tag_runs_whole_and_repairs_only_what_drifted(cloud, work_dir, outputs, tag):
    # Issue 19: `site.yml --tags <role>` (or AWX running one role) runs the role whole, not skipped; after one of its
    # resources is changed out of band, it repairs that one and changes nothing else (every other task of the role
    # finds its resources as declared: changed=0 but the repairing task, no other mutating call).
    role, make_change, repairing_calls = ROLE_TAGS[tag]
    change = make_change(cloud, ENVIRONMENT, outputs)
    recorder.start(cloud.endpoint)
    run = run_playbook("site.yml", endpoint=cloud.endpoint, work_dir=work_dir, args=["--tags", tag])
    calls = recorder.stop(cloud.endpoint)

    assert run.returncode == 0, run.explain()
    assert roles_that_ran(run) == {"base_infra", role}, roles_that_ran(run)
    changed = [name for name, _, result in run.task_results() if result.get("changed")]
    assert len(changed) == 1 and changed[0].startswith(f"securecloud.monitor.{role} : "), changed
    assert {f"{c.service}:{c.operation}" for c in calls if c.mutating} == repairing_calls
    assert change.repaired(cloud), f"{change.what}: not repaired"


def test_one_role_runs_alone_by_its_tag_and_restores_what_it_owns(cloud, work_dir):
    # `site.yml --tags monitoring` (issue 19): the base layer's outputs are read, not applied, the monitoring role
    # runs whole, and an alarm deleted out of band comes back; no other role does anything but check its arguments.
    alarm = f"{ENVIRONMENT}-mon-inventory-app-cpu-high"
    cloudwatch = cloud.client("cloudwatch")
    cloudwatch.delete_alarms(AlarmNames=[alarm])

    run = run_playbook("site.yml", endpoint=cloud.endpoint, work_dir=work_dir, args=["--tags", "monitoring"])

    assert run.returncode == 0, run.explain()
    assert [a["AlarmName"] for a in cloudwatch.describe_alarms(AlarmNames=[alarm])["MetricAlarms"]] == [alarm]
    assert roles_that_ran(run) == {"base_infra", "monitoring"}, roles_that_ran(run)
    assert not any(name.startswith("securecloud.monitor.base_infra : Apply") for name, _, _ in run.task_results())
    assert run.total("changed") >= 1


def test_audit_trail_alone_keeps_the_alarm_actions_a_whole_run_set(cloud, work_dir):
    # `site.yml --tags audit_trail`: the CIS alarms notify the monitoring layer's alert topic, which the role finds
    # in the cloud by its declared name (it used the monitoring role's registered result, undefined when run alone,
    # and dropped every alarm action).
    cloudwatch = cloud.client("cloudwatch")
    [alarm] = cloudwatch.describe_alarms(AlarmNames=[f"{ENVIRONMENT}-cis-root-account-usage"])["MetricAlarms"]
    assert [a.rsplit(":", 1)[-1] for a in alarm["AlarmActions"]] == [f"{ENVIRONMENT}-alerts"]

    recorder.start(cloud.endpoint)
    run = run_playbook("site.yml", endpoint=cloud.endpoint, work_dir=work_dir, args=["--tags", "audit_trail"])
    calls = recorder.stop(cloud.endpoint)

    assert run.returncode == 0, run.explain()
    assert any(
        name.startswith("securecloud.monitor.audit_trail : Create, update or delete the CIS alarms")
        for name, _, result in run.task_results()
        if not result.get("skipped")
    ), "the role did not run"
    assert (run.changed_tasks(), [f"{c.service}:{c.operation}" for c in calls if c.mutating]) == ([], [])
    [after] = cloudwatch.describe_alarms(AlarmNames=[alarm["AlarmName"]])["MetricAlarms"]
    assert after["AlarmActions"] == alarm["AlarmActions"]


def run_compliance(cloud, work_dir, reports, *args):
    return run_playbook(
        "playbooks/compliance.yml",
        endpoint=cloud.endpoint,
        work_dir=work_dir,
        args=["-e", f"compliance_report_path={reports}", *args],
    )


def read_report(reports) -> dict:
    report = json.loads((reports / "compliance.json").read_text())
    schema = json.loads((REPO / "docs" / "compliance-report.schema.json").read_text())
    jsonschema.validate(report, schema)
    return report


def test_compliance_of_a_clean_deployment_is_clean(cloud, work_dir, tmp_path):
    # As a user runs it: `make compliance`, read-only guard included.
    run, calls, writes = make_compliance(cloud, work_dir, tmp_path)

    assert (run.returncode, writes) == (0, 0), run.explain()
    assert calls > 100, run.stderr[-3000:]
    report = read_report(tmp_path)
    [environment] = report["environments"]
    # not_applicable is no failure (e.g. SCM.EDGE.6 without a domain), but the edge's controls must have run.
    failing = [
        (c["id"], c["resource"], c["detail"])
        for c in environment["controls"]
        if c["status"] not in ("passed", "not_applicable")
    ]
    assert failing == [] and environment["drift"] == []
    passed = {c["id"] for c in environment["controls"] if c["status"] == "passed"}
    assert {"SCM.SHIELD.1", "SCM.SHIELD.2", "SCM.SHIELD.3", "SCM.EDGE.1", "SCM.EDGE.2", "SCM.EDGE.3"} <= passed
    assert {"SCM.EDGE.4", "SCM.EDGE.5", "SCM.EDGE.6"} <= passed  # EDGE.6: the domain's TLS 1.2 certificate
    ids = {c["id"] for c in environment["controls"]}
    assert {"SCM.NET.1", "SCM.NET.2"} <= ids and len(ids) >= 10, ids
    suites = ElementTree.parse(tmp_path / "compliance.xml").getroot()
    assert int(suites.get("failures")) == 0 and int(suites.get("tests")) == len(environment["controls"])


def make_compliance(cloud, work_dir, reports) -> tuple[PlaybookRun, int, int]:
    """`make compliance` without REMEDIATE, as a user runs it, against this cloud: (run, calls, mutating calls) as
    the Makefile's read-only guard counted them from the local cloud's request recorder."""
    env = playbook_env(cloud.endpoint, work_dir)
    proc = subprocess.run(
        [
            "make",
            "-s",
            "compliance",
            f"ARGS=-e compliance_report_path={reports}",
            f"TF_CLI_CONFIG_FILE={env['TF_CLI_CONFIG_FILE']}",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    output = json.loads(proc.stdout[proc.stdout.index("{") :]) if "{" in proc.stdout else {}
    guard = re.search(r"read-only guard: (\d+) calls, (\d+) mutating", proc.stderr)
    assert guard, proc.stderr[-3000:]
    return PlaybookRun(proc.returncode, 0.0, output, proc.stderr), int(guard[1]), int(guard[2])


def changed_items(run: PlaybookRun, play_prefix: str = "") -> set[tuple[str, str]]:
    """(task, loop item) of every change a run made or, in check mode, would make, in the plays named so."""
    found = set()
    for play in run.output.get("plays", []):
        if not play["play"]["name"].startswith(play_prefix):
            continue
        for task in play.get("tasks", []):
            for result in task.get("hosts", {}).values():
                for item in result.get("results") or [result]:
                    if isinstance(item, dict) and item.get("changed"):
                        label = item.get("_ansible_item_label", item.get("item", ""))
                        found.add((task["task"]["name"], json.dumps(label, sort_keys=True, default=str)[:200]))
    return found


def origin_secret_values(cloud) -> list[str]:
    secret = cloud.client("secretsmanager").get_secret_value(SecretId=f"{ENVIRONMENT}/edge/origin-verify")
    values = json.loads(secret["SecretString"])
    return [values[k] for k in ("previous", "current", "next")]


def diff_text(record) -> str:
    """A drift record's diff as the report shows it (unified text) and as recorded (raw_diff)."""
    shown = record["diff"] if isinstance(record["diff"], str) else json.dumps(record["diff"])
    return shown + json.dumps(record.get("raw_diff"))


def says_what_changed(diff) -> bool:
    """A recorded diff (raw_diff: one before/after, or a list of them) with something in it."""
    if isinstance(diff, list):
        return bool(diff) and all(says_what_changed(d) for d in diff)
    return isinstance(diff, dict) and bool(diff.get("before") or diff.get("after"))


def test_compliance_finds_every_out_of_band_change_and_remediation_repairs_them(cloud, work_dir, outputs, tmp_path):
    changes = drift.make_drift(cloud, ENVIRONMENT, outputs)
    assert len(changes) >= 15

    # make compliance without REMEDIATE is read-only: its guard records every request the local cloud gets.
    run, calls, writes = make_compliance(cloud, work_dir, tmp_path / "check")
    assert run.returncode not in (0, 3), run.explain()  # drift fails the run; 3 is the guard's violation
    assert (writes, calls > 100) == (0, True), run.stderr[-3000:]
    [environment] = read_report(tmp_path / "check")["environments"]
    drifted_roles = {d["role"] for d in environment["drift"]}
    failed_controls = {c["id"] for c in environment["controls"] if c["status"] == "failed"}
    for change in changes:
        assert change.role in drifted_roles or change.control in failed_controls, (
            change,
            drifted_roles,
            failed_controls,
        )
        if change.shows:
            assert any(change.shows in diff_text(d) for d in environment["drift"] if d["role"] == change.role), (
                change,
                [d for d in environment["drift"] if d["role"] == change.role],
            )
    # Every drift record says what changed.
    assert [d for d in environment["drift"] if not says_what_changed(d.get("raw_diff"))] == []
    # The distribution's drift is reported, but no output or report quotes the secret origin header (issue 18).
    reports = [f.read_text(errors="replace") for f in (tmp_path / "check").rglob("*") if f.is_file()]
    said = [json.dumps(run.output), run.stderr, *reports]
    assert [s for s in origin_secret_values(cloud) if any(s in text for text in said)] == []
    page = tmp_path / "check" / "compliance.html"
    rendered = browser.rendered_dom(page)  # as headless Chromium draws it
    assert all(d["resource"] in rendered or escape(d["resource"]) in rendered for d in environment["drift"])
    assert all(c in rendered for c in failed_controls)
    assert browser.painted_share(browser.screenshot(page, tmp_path / "check.png")) > 0.02

    # The rule added outside Terraform is drift of base_infra, with the rule in its diff.
    open_group = outputs["databases"]["billing-db"]["security_group_id"]
    revoking = [d for d in environment["drift"] if "Revoke every rule" in (d["task"] or "")]
    assert [d["role"] for d in revoking] == ["base_infra"], environment["drift"]
    assert "5432 from 0.0.0.0/0" in json.dumps(revoking[0]["diff"]) and open_group in json.dumps(revoking[0]["diff"])

    # site.yml --check on the drifted environment writes nothing either, and predicts what remediation then does.
    recorder.start(cloud.endpoint)
    check = run_playbook("site.yml", endpoint=cloud.endpoint, work_dir=work_dir, args=["--check", "--diff"])
    calls = recorder.stop(cloud.endpoint)
    assert check.returncode == 0, check.explain()
    said = json.dumps(check.output) + check.stderr
    assert [s for s in origin_secret_values(cloud) if s in said] == []
    assert [f"{c.service}:{c.operation}" for c in calls if c.mutating] == []
    predicted = changed_items(check)

    run = run_compliance(cloud, work_dir, tmp_path / "remediate", "-e", "remediate=true")
    assert run.returncode == 0, run.explain()
    assert predicted == changed_items(run, "Remediation"), (
        sorted(predicted - changed_items(run, "Remediation")),
        sorted(changed_items(run, "Remediation") - predicted),
    )
    before, after = read_report(tmp_path / "remediate")["environments"]
    assert (before["phase"], after["phase"]) == ("before", "after")
    assert {d["role"] for d in before["drift"]} >= {c.role for c in changes if c.role}
    assert after["drift"] == []
    assert [c for c in after["controls"] if c["status"] not in ("passed", "not_applicable")] == []
    rules = cloud.client("ec2").describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [open_group]}])
    assert [r for r in rules["SecurityGroupRules"] if not r["IsEgress"] and r.get("CidrIpv4") == "0.0.0.0/0"] == []
    assert [c.what for c in changes if c.repaired and not c.repaired(cloud)] == []
    # The remediation run's "after" phase is the read-only re-check (no separate `make compliance` run: the clean
    # deployment's test runs that, guard included).
    drift.clean_up(cloud, ENVIRONMENT)


def data_summary(run) -> str:
    return "\n".join(str(r.get("msg")) for name, _, r in run.task_results() if name == "Say what happened to the data")


def test_teardown_keeps_the_data_unless_told_then_leaves_nothing_behind(cloud, work_dir, outputs):
    # Without teardown_destroy_data (the local inventory sets it; -e overrides it as a user who forgot would have
    # it): everything but the data tier goes, the data stays protected, and the summary says so.
    run = run_playbook(
        "playbooks/teardown.yml", endpoint=cloud.endpoint, work_dir=work_dir, args=["-e", "teardown_destroy_data=false"]
    )
    assert run.returncode == 0, run.explain()
    said = data_summary(run)
    assert "Data kept" in said and "teardown_destroy_data=true" in said, said
    rds = cloud.client("rds")
    instances = {d["DBInstanceIdentifier"]: d for d in rds.describe_db_instances()["DBInstances"]}
    for db in DATABASES:
        identifier = outputs["databases"][db]["identifier"]
        assert instances[identifier]["DeletionProtection"] and identifier in said, (identifier, said)
    file_system = outputs["file_systems"]["data"]["id"]
    assert file_system in said and outputs["backup"]["vault_name"] in said, said
    kept = cloudstate.leftovers(cloud, ENVIRONMENT)
    assert file_system in kept["file_systems"] and outputs["backup"]["vault_name"] in kept["backup_vaults"]
    # The platform itself is gone: services, load balancers, the API, the edge, every layer's resources.
    gone = ("ecs_clusters", "load_balancers", "rest_apis", "distributions", "web_acls", "alarms", "trails")
    assert {kind: kept[kind] for kind in gone if kept[kind]} == {}
    assert [s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]] == []

    # With it (the local inventory's setting): the data goes too, the final snapshots stay and are named.
    run = run_playbook("playbooks/teardown.yml", endpoint=cloud.endpoint, work_dir=work_dir)
    assert run.returncode == 0, run.explain()
    said = data_summary(run)
    snapshots = {s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots()["DBSnapshots"]}
    for db in DATABASES:
        assert f"{ENVIRONMENT}-{db}-final" in snapshots and f"{ENVIRONMENT}-{db}-final" in said
    left = {kind: items for kind, items in cloudstate.leftovers(cloud, ENVIRONMENT).items() if items}
    assert left == {}
