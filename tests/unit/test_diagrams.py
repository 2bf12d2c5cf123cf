"""The diagrams draw what the model says, and only that (Graphviz really renders)."""

from __future__ import annotations

import pytest
from PIL import Image

from tools.diagrams import __main__ as cli
from tools.diagrams import render, svg

STAGE = "arn:aws:apigateway:eu-west-1::/restapis/a1b2/stages/v1"


def model(extra=(), missing=()):
    base = {
        "environment": "qa",
        "aws_region": "eu-west-1",
        "account_id": "111122223333",
        "vpc_id": "vpc-0q",
        "vpc_cidr": "10.9.0.0/16",
        "availability_zones": ["eu-west-1a", "eu-west-1b"],
        "public_subnet_ids": ["subnet-pub-a", "subnet-pub-b"],
        "private_subnet_ids": ["subnet-prv-a", "subnet-prv-b"],
        "nat_gateway_ids": ["nat-0a"],
        "ecs_cluster_name": "qa",
        "services": {
            "shop": {"port": 8080, "nlb": "shop", "allowed_from": [], "log_group_name": "/ecs/qa/shop"},
            "ledger": {"port": 5432, "nlb": None, "allowed_from": ["shop"], "log_group_name": "/ecs/qa/ledger"},
            "cache": {"port": 6379, "nlb": None, "allowed_from": ["shop"], "log_group_name": "/ecs/qa/cache"},
        },
        "nlbs": {"shop": {"port": 80, "test_port": None}},
        "api_gateway": {"nlb": "shop", "rest_api_id": "a1b2", "stage_name": "v1", "stage_arn": STAGE},
        "log_group_names": ["/ecs/qa/shop", "/ecs/qa/ledger", "/ecs/qa/cache", "/aws/vpc-flow-logs/qa"],
        "flow_log_group_name": "/aws/vpc-flow-logs/qa",
        "kms_key_alias": "alias/qa",
        "secret_arns": {"ledger": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ledger"},
    }
    path = {"source": "shop", "target": "ledger", "port": 5432, "via": "direct"}
    return {
        "environment": "qa",
        "region": "eu-west-1",
        "account_id": "111122223333",
        "base": base,
        "reachability": {"paths": [path, *extra], "extra": list(extra), "missing": list(missing)},
        "layers": {
            "waf": {
                "enabled": True,
                "web_acl_name": "qa-edge",
                "rules": ["rate limit 100 per 300 s"],
                "protects": [STAGE],
                "log_group_name": "aws-waf-logs-qa",
            },
            "shield": {"enabled": False, "protects": [], "protection_group": "", "drt_access": False},
            "monitoring": {
                "enabled": True,
                "alert_topic_name": "qa-alerts",
                "subscriptions": [],
                "dashboard_prefix": "qa-mon-",
                "alarm_prefix": "qa-mon-",
                "edge_alarm_prefix": "qa-edge-mon-",
                "budget": True,
            },
            "audit_trail": {
                "enabled": True,
                "trail_name": "qa-audit",
                "log_group_name": "/aws/cloudtrail/qa",
                "cis_alarms": ["qa-cis-root-account-usage"],
            },
            "tracing": {"enabled": True, "services": ["shop"], "faults_group_name": "qa-faults"},
        },
    }


@pytest.fixture
def drawn(tmp_path):
    def draw(m):
        render.render(m, tmp_path / m["environment"])
        return tmp_path / m["environment"]

    return draw


def test_every_diagram_is_written_as_png_and_svg_that_stands_alone(drawn):
    out = drawn(model())
    for name in render.DIAGRAMS:
        assert 'xlink:href="/' not in (out / f"{name}.svg").read_text(), "icons must be embedded"
        with Image.open(out / f"{name}.png") as image:
            assert image.format == "PNG" and len(image.getcolors(1 << 20)) > 20
        assert "qa (111122223333, eu-west-1): " + name in svg.texts(out / f"{name}.svg")


def test_network_shows_each_zone_with_its_subnets_the_nlbs_and_the_services(drawn):
    shown = svg.texts(drawn(model()) / "network.svg")
    assert {"eu-west-1a", "eu-west-1b", "subnet-pub-a", "subnet-prv-b", "nat-0a"} <= shown
    assert {"shop", "ledger", "cache", "NLB :80"} <= shown


def test_the_chain_is_green_and_a_path_nobody_intended_is_red(drawn):
    unintended = {"source": "cache", "target": "ledger", "port": 5432, "via": "direct"}
    _, edges = svg.read(drawn(model(extra=[unintended])) / "services.svg")
    red = [e for e in edges if e.color == render.EXTRA]
    assert [(e.source[0], e.target[0], e.label) for e in red] == [("cache", "ledger", "5432 NOT INTENDED")]
    green = {(e.source[0], e.target[0], e.label) for e in edges if e.color == render.INTENDED}
    assert ("shop", "ledger", "5432") in green
    assert ("API Gateway", "shop", "VPC link") in green


def test_a_missing_intended_path_is_drawn_dotted_and_grey(drawn):
    missing = {"source": "shop", "target": "cache", "port": 6379, "via": None, "partial": False}
    _, edges = svg.read(drawn(model(missing=[missing])) / "services.svg")
    [edge] = [e for e in edges if "MISSING" in e.label]
    assert (edge.source[0], edge.target[0], edge.color, edge.dashed) == ("shop", "cache", render.MISSING, True)


def test_security_shows_the_web_acl_protecting_the_stage_and_no_shield_when_off(drawn):
    out = drawn(model()) / "security.svg"
    assert "WAF web ACL qa-edge (REGIONAL)" in svg.texts(out)
    _, edges = svg.read(out)
    assert any(e.label == "protects" and e.target[0] == "API Gateway" for e in edges)
    assert not any("Shield" in line for line in svg.texts(out))


def test_observability_follows_alarms_to_the_topic(drawn):
    _, edges = svg.read(drawn(model()) / "observability.svg")
    into_topic = {e.source[0] for e in edges if e.target and e.target[0] == "alerts"}
    assert into_topic == {"alarms qa-mon-*", "CIS alarms"}


def test_cli_renders_each_model_and_refuses_an_empty_directory(tmp_path, capsys):
    (tmp_path / "model").mkdir()
    assert cli.main([str(tmp_path / "model"), str(tmp_path / "out")]) == 2
    assert "run playbooks/architecture_model.yml" in capsys.readouterr().err
    import json

    (tmp_path / "model" / "qa.json").write_text(json.dumps(model()))
    assert cli.main([str(tmp_path / "model"), str(tmp_path / "out"), "--copy-to", str(tmp_path / "img")]) == 0
    assert sorted(p.name for p in (tmp_path / "img").iterdir()) == sorted(f"{n}.png" for n in render.DIAGRAMS)


DIST_ID = "E1QAEDGE"
DIST = f"arn:aws:cloudfront::111122223333:distribution/{DIST_ID}"
ZONE = "arn:aws:route53:::hostedzone/ZQA123"
HC = "arn:aws:route53:::healthcheck/hc-edge"


def edge_model():
    """The default deployment since issue 18: Route 53 and CloudFront in front of the stage, a web ACL on each
    (REGIONAL on the stage, CLOUDFRONT in us-east-1 on the distribution), Shield on the distribution and the zone."""
    m = model()
    m["base"] |= {
        "cloudfront": {
            "distribution_id": DIST_ID,
            "distribution_arn": DIST,
            "domain_name": "d111.cloudfront.net",
            "origin_header_name": "x-origin-verify",
        },
        "route53_zone": {"zone_id": "ZQA123", "zone_arn": ZONE, "name": "qa.example.com"},
        "health_checks": {"edge": {"id": "hc-edge"}, "api_5xx": {"id": "hc-api"}},
    }
    m["layers"]["waf"]["rules"] = ["origin-verify header", "rate limit 2000 per 300 s"]
    m["layers"]["waf"]["cloudfront"] = {
        "web_acl_name": "qa-edge-cloudfront",
        "region": "us-east-1",
        "rules": ["rate limit 2000 per 300 s", "AWSManagedRulesCommonRuleSet"],
        "protects": [DIST_ID],
        "log_group_name": "aws-waf-logs-qa-cloudfront",
    }
    m["layers"]["shield"] = {
        "enabled": True,
        "protects": [DIST, ZONE],
        "protection_group": "qa-protected",
        "protection_groups": ["qa-protected"],
        "health_checks": {DIST: [HC], ZONE: []},
        "application_layer_automatic_response": {DIST: "count"},
        "drt_access": True,
    }
    return m


def test_network_draws_route_53_then_cloudfront_in_front_of_the_stage(drawn):
    out = drawn(edge_model()) / "network.svg"
    assert {"Route 53", "qa.example.com", "CloudFront", DIST_ID, "Route 53 health checks"} <= svg.texts(out)
    _, edges = svg.read(out)
    chain = {(e.source[0], e.target[0], e.label) for e in edges}
    assert ("internet", "Route 53", "DNS") in chain
    assert ("Route 53", "CloudFront", "alias") in chain
    assert ("CloudFront", "API Gateway", "HTTPS origin x-origin-verify") in chain
    assert not any(e.source[0] == "internet" and e.target[0] == "API Gateway" for e in edges)


def test_security_draws_both_web_acls_and_shield_on_the_distribution_and_the_zone(drawn):
    out = drawn(edge_model()) / "security.svg"
    shown = svg.texts(out)
    assert {"WAF web ACL qa-edge (REGIONAL)", "WAF web ACL qa-edge-cloudfront (CLOUDFRONT, us-east-1)"} <= shown
    assert {"origin-verify header", "aws-waf-logs-qa-cloudfront", "qa-protected"} <= shown
    _, edges = svg.read(out)
    protects = {(e.source[0], e.target[0]) for e in edges if e.label.startswith("protects")}
    waf_targets = {target for source, target in protects if source.startswith(("origin-verify", "rate limit"))}
    assert waf_targets == {"API Gateway", "CloudFront"}
    shield = {e.target[0]: e.label for e in edges if e.source and e.source[0] == "Shield Advanced"}
    assert shield == {"CloudFront": "protects 1 health check L7 count", "Route 53": "protects"}
    assert all(e.color == render.INTENDED for e in edges if e.label.startswith("protects"))


def test_without_an_edge_the_internet_reaches_the_stage_directly(drawn):
    _, edges = svg.read(drawn(model()) / "network.svg")
    assert any(e.source[0] == "internet" and e.target[0] == "API Gateway" for e in edges)
    assert not any("CloudFront" in e.target for e in edges)


def test_observability_sends_the_edge_alarms_of_us_east_1_to_the_topic_only_with_an_edge(drawn):
    _, edges = svg.read(drawn(edge_model()) / "observability.svg")
    into_topic = {e.source[0] for e in edges if e.target and e.target[0] == "alerts"}
    assert into_topic == {"alarms qa-mon-*", "alarms qa-edge-mon-*", "CIS alarms"}
    assert ("CloudFront, Shield metrics", "alarms qa-edge-mon-*") in {(e.source[0], e.target[0]) for e in edges}
