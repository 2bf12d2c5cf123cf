"""Real resources made in a local cloud to stand in for what another layer would have created, so a
scenario or a benchmark of one layer does not have to apply the others first.

    python -m tools.harness.fixtures waf-edge ENDPOINT REGION        # prints part of the fact `base`
    python -m tools.harness.fixtures shield-resources ENDPOINT REGION
    python -m tools.harness.fixtures audit-trail-topic ENDPOINT REGION
    python -m tools.harness.fixtures tracing-base ENDPOINT REGION
    python -m tools.harness.fixtures delivery-base ENDPOINT REGION
"""

from __future__ import annotations

import json
import sys
import uuid

import boto3

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # the AWS managed policy Managed-CachingDisabled


def session(region: str) -> boto3.Session:
    return boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=region)


def api_stage(endpoint: str, region: str, name: str = "edge") -> str:
    """A regional REST API with one deployed stage `v1`; returns the stage ARN WAF associates with."""
    apigw = session(region).client("apigateway", endpoint_url=endpoint)
    api = apigw.create_rest_api(name=name, endpointConfiguration={"types": ["REGIONAL"]})
    root = next(r["id"] for r in apigw.get_resources(restApiId=api["id"])["items"] if r["path"] == "/")
    apigw.put_method(restApiId=api["id"], resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api["id"], resourceId=root, httpMethod="GET", type="MOCK")
    deployment = apigw.create_deployment(restApiId=api["id"])
    apigw.create_stage(restApiId=api["id"], stageName="v1", deploymentId=deployment["id"])
    return f"arn:aws:apigateway:{region}::/restapis/{api['id']}/stages/v1"


def waf_edge(endpoint: str, region: str) -> dict:
    """What the waf role reads from the base layer: the public entry points (the API stage, and a CloudFront
    distribution in front of it with its origin secret), and the KMS key."""
    key = session(region).client("kms", endpoint_url=endpoint).create_key(Description="waf logs")["KeyMetadata"]
    stage = api_stage(endpoint, region)
    edge = cloudfront_edge(endpoint, region, stage, key["Arn"])
    return {"vpc_id": "vpc-fixture", "kms_key_arn": key["Arn"], **edge}


def cloudfront_edge(endpoint: str, region: str, stage_arn: str, kms_key_arn: str | None = None) -> dict:
    """The edge the base layer builds (docs: the edge contract of issue 18), in the shape of its outputs: a
    CloudFront distribution in front of the stage with the origin secret (previous/current/next values in one
    Secrets Manager secret), a public hosted zone, Route 53 health checks, and what Shield protects."""
    aws = session(region)
    account = aws.client("sts", endpoint_url=endpoint).get_caller_identity()["Account"]
    api_id = stage_arn.split("/restapis/")[1].split("/")[0]
    origin_domain = f"{api_id}.execute-api.{region}.amazonaws.com"
    values = {generation: uuid.uuid4().hex + uuid.uuid4().hex[:8] for generation in ("previous", "current", "next")}
    secret = aws.client("secretsmanager", endpoint_url=endpoint).create_secret(
        Name=f"fixture-origin-verify-{uuid.uuid4().hex[:8]}",
        SecretString=json.dumps({"header_name": "x-origin-verify", **values}),
        **({"KmsKeyId": kms_key_arn} if kms_key_arn else {}),
    )
    origin = {
        "Id": "api",
        "DomainName": origin_domain,
        "OriginPath": "/v1",
        "CustomHeaders": {
            "Quantity": 1,
            "Items": [{"HeaderName": "x-origin-verify", "HeaderValue": values["current"]}],
        },
        "CustomOriginConfig": {
            "HTTPPort": 80,
            "HTTPSPort": 443,
            "OriginProtocolPolicy": "https-only",
            "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
        },
    }
    config = {
        "CallerReference": str(uuid.uuid4()),
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "api",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": CACHING_DISABLED,
        },
        "Comment": "fixture edge",
        "Enabled": True,
        "PriceClass": "PriceClass_100",
    }
    distribution = aws.client("cloudfront", endpoint_url=endpoint).create_distribution(DistributionConfig=config)[
        "Distribution"
    ]
    route53 = aws.client("route53", endpoint_url=endpoint)
    zone = route53.create_hosted_zone(Name="edge.fixture.example.com", CallerReference=str(uuid.uuid4()))["HostedZone"]
    zone_id = zone["Id"].split("/")[-1]
    check_config = {"Type": "HTTPS", "FullyQualifiedDomainName": distribution["DomainName"], "ResourcePath": "/"}
    checks = {
        name: route53.create_health_check(CallerReference=str(uuid.uuid4()), HealthCheckConfig=check_config)[
            "HealthCheck"
        ]["Id"]
        for name in ("edge", "api_5xx")
    }
    check_arn = {name: f"arn:aws:route53:::healthcheck/{check_id}" for name, check_id in checks.items()}
    zone_arn = f"arn:aws:route53:::hostedzone/{zone_id}"
    return {
        "public_http_entry_points": [stage_arn, distribution["ARN"]],
        "public_http_entry_points_by_scope": {"REGIONAL": [stage_arn], "CLOUDFRONT": [distribution["ARN"]]},
        "cloudfront": {
            "distribution_id": distribution["Id"],
            "distribution_arn": distribution["ARN"],
            "domain_name": distribution["DomainName"],
            "hosted_zone_id": "Z2FDTNDATAQYW2",
            "logs_bucket": None,
            "origin_domain_name": origin_domain,
            "origin_secret_arn": secret["ARN"],
            "origin_header_name": "x-origin-verify",
            "viewer_protocol_policy": "redirect-to-https",
            "minimum_protocol_version": "TLSv1.2_2021",
            "certificate_arn": None,
        },
        "route53_zone": {"zone_id": zone_id, "zone_arn": zone_arn, "name": "edge.fixture.example.com"},
        "health_checks": {
            name: {"id": check_id, "arn": check_arn[name], "type": "HTTPS", "alarm_name": None, "alarm_region": None}
            for name, check_id in checks.items()
        },
        "shield_protectable_arns": [distribution["ARN"], zone_arn],
        "shield_health_check_arns": {distribution["ARN"]: [check_arn["edge"]], zone_arn: [check_arn["edge"]]},
        "account_id": account,
    }


def shield_resources(endpoint: str, region: str) -> dict:
    """What the shield role reads from the base layer: the edge (a CloudFront distribution with the
    CLOUDFRONT-scope web ACL the waf role would set on it, a public hosted zone, their health checks), and two
    Elastic IP allocations (passed as extra resources, so they make a per-type protection group)."""
    aws = session(region)
    account = aws.client("sts", endpoint_url=endpoint).get_caller_identity()["Account"]
    edge = cloudfront_edge(endpoint, region, api_stage(endpoint, region))
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "fixture-edge"}
    acl = aws.client("wafv2", endpoint_url=endpoint, region_name="us-east-1").create_web_acl(
        Name="fixture-edge-cloudfront", Scope="CLOUDFRONT", DefaultAction={"Allow": {}}, VisibilityConfig=visibility
    )["Summary"]["ARN"]
    cloudfront = aws.client("cloudfront", endpoint_url=endpoint)
    distribution_id = edge["cloudfront"]["distribution_id"]
    found = cloudfront.get_distribution_config(Id=distribution_id)
    config = {**found["DistributionConfig"], "WebACLId": acl}
    cloudfront.update_distribution(Id=distribution_id, DistributionConfig=config, IfMatch=found["ETag"])
    ec2 = aws.client("ec2", endpoint_url=endpoint)
    allocations = [ec2.allocate_address(Domain="vpc")["AllocationId"] for _ in range(2)]
    return {
        "vpc_id": "vpc-fixture",
        **edge,
        "extra_resource_arns": [f"arn:aws:ec2:{region}:{account}:eip-allocation/{a}" for a in allocations],
    }


def _web_acl(endpoint: str, region: str, name: str, scope: str) -> None:
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": name}
    session(region).client("wafv2", endpoint_url=endpoint).create_web_acl(
        Name=name, Scope=scope, DefaultAction={"Allow": {}}, Rules=[], VisibilityConfig=visibility
    )


def monitoring_edge(endpoint: str, region: str, environment: str = "molecule") -> str:
    """What the monitoring role reads from the cloud about the other layers, as the waf and shield roles leave it:
    the regional web ACL <env>-edge, the CLOUDFRONT one <env>-edge-cloudfront (us-east-1), a Shield subscription and
    a protection <env>-hostedzone-... of a hosted zone; plus a protection of another environment, which the role must
    not alarm on. Returns the protected zone's ARN."""
    _web_acl(endpoint, region, f"{environment}-edge", "REGIONAL")
    _web_acl(endpoint, "us-east-1", f"{environment}-edge-cloudfront", "CLOUDFRONT")
    aws = session("us-east-1")
    shield = aws.client("shield", endpoint_url=endpoint)
    shield.create_subscription()
    route53 = aws.client("route53", endpoint_url=endpoint)
    arns = []
    for name in (environment, "other"):
        zone = route53.create_hosted_zone(Name=f"{name}.example.com", CallerReference=str(uuid.uuid4()))["HostedZone"]
        arn = f"arn:aws:route53:::hostedzone/{zone['Id'].split('/')[-1]}"
        shield.create_protection(Name=f"{name}-hostedzone-{zone['Id'].split('/')[-1]}", ResourceArn=arn)
        arns.append(arn)
    return arns[0]


def monitoring_base(endpoint: str, region: str) -> dict:
    """The part of the fact `base` the monitoring role reads, shaped like the base layer's outputs: two
    services (one behind an NLB), the API stage, the CloudFront distribution, the account. Alarms and dashboards
    only name them. Also what the role reads from the cloud (monitoring_edge)."""
    account = session(region).client("sts", endpoint_url=endpoint).get_caller_identity()["Account"]
    zone = monitoring_edge(endpoint, region)
    nlb = {
        "arn_suffix": "net/fixture-inventory/50dc6c495c0c9188",
        "target_group_arn_suffix": "targetgroup/fixture-inventory/73e2d6bc24d8a067",
    }
    return {
        "environment": "fixture",
        "account_id": account,
        "vpc_id": "vpc-fixture",
        "ecs_cluster_name": "fixture",
        "services": {
            "inventory-app": {"service_name": "inventory-app", "nlb": "inventory"},
            "inventory-db": {"service_name": "inventory-db", "nlb": None},
        },
        "nlbs": {"inventory": nlb},
        "api_gateway": {"rest_api_id": "abc123", "stage_name": "v1"},
        "cloudfront": {
            "distribution_id": "EFIXTURE123456",
            "distribution_arn": f"arn:aws:cloudfront::{account}:distribution/EFIXTURE123456",
            "certificate_arn": None,
        },
        "shield_protectable_arns": [zone],
    }


def tracing_base(endpoint: str, region: str) -> dict:
    """What the tracing role reads from the base layer: the services with their tracing flags (one with a name
    too long for `molecule-<service>` in 32 characters) and the KMS key. Also an X-Ray rule and group left in the
    role's scope `molecule-` by a service no longer traced, tagged as the role tags what it makes (purge must delete
    them); a rule and group in the scope without the role's owner tag, as made by hand or by another environment
    whose name starts with `molecule-` (owner_tag: the role must leave them alone); and a rule and group of another
    scope (the role must leave them alone)."""
    aws = session(region)
    key = aws.client("kms", endpoint_url=endpoint).create_key(Description="traces")["KeyMetadata"]
    xray = aws.client("xray", endpoint_url=endpoint)
    owned = [{"Key": "securecloud:environment", "Value": "molecule"}]
    for name, tags in (("molecule-retired", owned), ("molecule-by-hand", []), ("other-keep", [])):
        xray.create_sampling_rule(
            Tags=tags,
            SamplingRule={
                "RuleName": name,
                "ResourceARN": "*",
                "Priority": 50,
                "FixedRate": 0.5,
                "ReservoirSize": 1,
                "ServiceName": "retired",
                "ServiceType": "*",
                "Host": "*",
                "HTTPMethod": "*",
                "URLPath": "*",
                "Version": 1,
            },
        )
        xray.create_group(GroupName=name, FilterExpression='service("retired")', Tags=tags)

    def service(name: str, tracing: bool) -> dict:
        return {"service_name": name, "log_group_name": f"/ecs/molecule/{name}", "nlb": None, "tracing": tracing}

    return {
        "environment": "molecule",
        "vpc_id": "vpc-fixture",
        "kms_key_arn": key["Arn"],
        "services": {
            name: service(name, tracing)
            for name, tracing in (
                ("api-gateway", True),
                ("inventory-app", True),
                ("inventory-db", False),
                ("reporting-worker-service", True),
            )
        },
    }


def audit_trail_topic(endpoint: str, region: str) -> dict:
    """What the audit_trail role reads from the monitoring layer: the alert topic its alarms notify."""
    topic = session(region).client("sns", endpoint_url=endpoint).create_topic(Name="fixture-alerts")["TopicArn"]
    return {"monitoring_alert_topic_arn": topic}


def delivery_base(endpoint: str, region: str) -> dict:
    """What the delivery_pipeline role reads from the base layer, made for real: an ECS cluster with one
    blue/green service (CODE_DEPLOY controller, two target groups, prod and test listeners on an NLB, task and
    execution roles) and one service without blue/green; plus one metric alarm of the blue/green service, which
    its deployment group must roll back on."""
    aws = session(region)
    account = aws.client("sts", endpoint_url=endpoint).get_caller_identity()["Account"]
    ec2 = aws.client("ec2", endpoint_url=endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnets = []
    for index, zone in enumerate("ab"):
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{index}.0/24", AvailabilityZone=f"{region}{zone}")
        subnets.append(subnet["Subnet"]["SubnetId"])
    elb = aws.client("elbv2", endpoint_url=endpoint)
    nlb = elb.create_load_balancer(Name="molecule-inventory", Type="network", Scheme="internal", Subnets=subnets)
    nlb_arn = nlb["LoadBalancers"][0]["LoadBalancerArn"]
    groups = [
        elb.create_target_group(
            Name=f"molecule-inventory-{colour}", Protocol="TCP", Port=8080, VpcId=vpc, TargetType="ip"
        )["TargetGroups"][0]
        for colour in ("blue", "green")
    ]

    def listener(port: int) -> str:
        action = [{"Type": "forward", "TargetGroupArn": groups[0]["TargetGroupArn"]}]
        created = elb.create_listener(LoadBalancerArn=nlb_arn, Protocol="TCP", Port=port, DefaultActions=action)
        return created["Listeners"][0]["ListenerArn"]

    prod, test = listener(80), listener(8080)
    iam = aws.client("iam", endpoint_url=endpoint)
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    )
    roles = {
        kind: iam.create_role(RoleName=f"molecule-inventory-app-{kind}", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        for kind in ("task", "execution")
    }
    ecs = aws.client("ecs", endpoint_url=endpoint)
    ecs.create_cluster(clusterName="molecule")
    services = {}
    for name, blue_green in (("inventory-app", True), ("inventory-db", False)):
        family = f"molecule-{name}"
        task = ecs.register_task_definition(
            family=family,
            taskRoleArn=roles["task"],
            executionRoleArn=roles["execution"],
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            cpu="256",
            memory="512",
            containerDefinitions=[
                {"name": name, "image": "public.ecr.aws/nginx/nginx:1.27", "portMappings": [{"containerPort": 8080}]}
            ],
        )["taskDefinition"]["taskDefinitionArn"]
        extra = (
            {
                "deploymentController": {"type": "CODE_DEPLOY"},
                "loadBalancers": [
                    {"targetGroupArn": groups[0]["TargetGroupArn"], "containerName": name, "containerPort": 8080}
                ],
            }
            if blue_green
            else {}
        )
        arn = ecs.create_service(
            cluster="molecule", serviceName=name, taskDefinition=task, desiredCount=1, launchType="FARGATE", **extra
        )["service"]["serviceArn"]
        services[name] = {
            "service_name": name,
            "service_arn": arn,
            "task_definition_arn": task,
            "task_definition_family": family,
            "task_role_arn": roles["task"],
            "execution_role_arn": roles["execution"],
            "nlb": "inventory" if blue_green else None,
            "blue_green": {
                "target_group_names": [g["TargetGroupName"] for g in groups],
                "target_group_arns": [g["TargetGroupArn"] for g in groups],
                "prod_listener_arn": prod,
                "test_listener_arn": test,
            }
            if blue_green
            else None,
        }
    aws.client("cloudwatch", endpoint_url=endpoint).put_metric_alarm(
        AlarmName="molecule-mon-inventory-app-unhealthy-hosts",
        Namespace="AWS/NetworkELB",
        MetricName="UnHealthyHostCount",
        Statistic="Maximum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=0,
        ComparisonOperator="GreaterThanThreshold",
    )
    return {
        "environment": "molecule",
        "account_id": account,
        "vpc_id": vpc,
        "ecs_cluster_name": "molecule",
        "services": services,
    }


def inspector_topic(endpoint: str, region: str) -> dict:
    """What the inspector role reads from the monitoring layer: the alert topic `molecule-alerts`, whose policy lets
    EventBridge rules of the account publish (as the findings rule needs)."""
    aws = session(region)
    account = aws.client("sts", endpoint_url=endpoint).get_caller_identity()["Account"]
    arn = f"arn:aws:sns:{region}:{account}:molecule-alerts"
    statement = {
        "Sid": "EventBridgeRules",
        "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sns:Publish",
        "Resource": arn,
        "Condition": {"StringEquals": {"aws:SourceAccount": account}},
    }
    policy = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    topic = aws.client("sns", endpoint_url=endpoint).create_topic(Name="molecule-alerts", Attributes={"Policy": policy})
    return {"inspector_alert_topic_arn": topic["TopicArn"]}


FIXTURES = {
    "inspector-topic": inspector_topic,
    "waf-edge": waf_edge,
    "shield-resources": shield_resources,
    "monitoring-base": monitoring_base,
    "tracing-base": tracing_base,
    "audit-trail-topic": audit_trail_topic,
    "delivery-base": delivery_base,
}

if __name__ == "__main__":
    fixture, endpoint, region = sys.argv[1:4]
    print(json.dumps(FIXTURES[fixture](endpoint, region)))
