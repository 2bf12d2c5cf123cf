"""Real resources made in a local cloud to stand in for what another layer would have created, so a
scenario or a benchmark of one layer does not have to apply the others first.

    python -m tools.harness.fixtures waf-edge ENDPOINT REGION        # prints part of the fact `base`
    python -m tools.harness.fixtures shield-resources ENDPOINT REGION
    python -m tools.harness.fixtures audit-trail-topic ENDPOINT REGION
    python -m tools.harness.fixtures tracing-base ENDPOINT REGION
"""

from __future__ import annotations

import json
import sys
import uuid

import boto3


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
    """What the waf role reads from the base layer: the public entry points and the KMS key."""
    key = session(region).client("kms", endpoint_url=endpoint).create_key(Description="waf logs")["KeyMetadata"]
    return {
        "vpc_id": "vpc-fixture",
        "kms_key_arn": key["Arn"],
        "public_http_entry_points": [api_stage(endpoint, region)],
    }


def shield_resources(endpoint: str, region: str) -> dict:
    """Two protectable resources: a public hosted zone (as base.shield_protectable_arns reports it when a
    domain is given) and an Elastic IP allocation (passed as an extra resource)."""
    aws = session(region)
    account = aws.client("sts", endpoint_url=endpoint).get_caller_identity()["Account"]
    zone = aws.client("route53", endpoint_url=endpoint).create_hosted_zone(
        Name="fixture.example.com", CallerReference=str(uuid.uuid4())
    )["HostedZone"]
    allocation = aws.client("ec2", endpoint_url=endpoint).allocate_address(Domain="vpc")["AllocationId"]
    return {
        "vpc_id": "vpc-fixture",
        "shield_protectable_arns": [f"arn:aws:route53:::hostedzone/{zone['Id'].split('/')[-1]}"],
        "extra_resource_arns": [f"arn:aws:ec2:{region}:{account}:eip-allocation/{allocation}"],
    }


def monitoring_base(endpoint: str, region: str) -> dict:
    """The part of the fact `base` the monitoring role reads, shaped like the base layer's outputs: two
    services (one behind an NLB), the API stage, the account. Alarms and dashboards only name them."""
    account = session(region).client("sts", endpoint_url=endpoint).get_caller_identity()["Account"]
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
    }


def tracing_base(endpoint: str, region: str) -> dict:
    """What the tracing role reads from the base layer: the services with their tracing flags (one with a name
    too long for `molecule-<service>` in 32 characters) and the KMS key. Also an X-Ray rule and group left in the
    role's scope `molecule-` by a service no longer traced (purge must delete them) and a rule and group of
    another scope (the role must leave them alone)."""
    aws = session(region)
    key = aws.client("kms", endpoint_url=endpoint).create_key(Description="traces")["KeyMetadata"]
    xray = aws.client("xray", endpoint_url=endpoint)
    for name in ("molecule-retired", "other-keep"):
        xray.create_sampling_rule(
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
            }
        )
        xray.create_group(GroupName=name, FilterExpression='service("retired")')

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


FIXTURES = {
    "waf-edge": waf_edge,
    "shield-resources": shield_resources,
    "monitoring-base": monitoring_base,
    "tracing-base": tracing_base,
    "audit-trail-topic": audit_trail_topic,
}

if __name__ == "__main__":
    fixture, endpoint, region = sys.argv[1:4]
    print(json.dumps(FIXTURES[fixture](endpoint, region)))
