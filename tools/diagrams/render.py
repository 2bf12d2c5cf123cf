"""The architecture diagrams of one environment, drawn from its model.

The model is what playbooks/architecture_model.yml writes: the base layer's
Terraform outputs (`base`), the service chain as vpc_reachability_info computed
it from the deployed network (`reachability`), and what each role manages
(`layers`). Nothing here is drawn by hand: every node and edge comes from the
model. Graphviz (`dot`) renders, through the `diagrams` package and its AWS
icons; each diagram is written as PNG and as a self-contained SVG.
"""

from __future__ import annotations

import base64
import itertools
import mimetypes
import re
from pathlib import Path

from diagrams import Cluster, Diagram, Edge
from diagrams.aws.compute import ElasticContainerServiceService
from diagrams.aws.database import RDS
from diagrams.aws.devtools import XRay
from diagrams.aws.general import Users
from diagrams.aws.integration import SNS
from diagrams.aws.management import Cloudtrail, Cloudwatch, CloudwatchAlarm, CloudwatchLogs
from diagrams.aws.network import (
    APIGateway,
    CloudFront,
    ElbNetworkLoadBalancer,
    InternetGateway,
    NATGateway,
    PrivateSubnet,
    PublicSubnet,
    Route53,
    Route53HostedZone,
    VPCFlowLogs,
)
from diagrams.aws.security import KMS, WAF, SecretsManager, Shield
from diagrams.aws.storage import S3, Backup, ElasticFileSystemEFS

DIAGRAMS = ("network", "services", "security", "observability")
INTENDED = "darkgreen"
EXTRA = "firebrick"
MISSING = "#808080"
GRAPH = {"fontsize": "20", "pad": "1.0", "splines": "spline", "nodesep": "0.5", "ranksep": "1.0"}


def render(model: dict, dest: Path) -> list[Path]:
    """Render every diagram of the model into dest; returns the files written."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name in DIAGRAMS:
        stem = dest / name
        with Diagram(
            _title(model, name),
            filename=str(stem),
            outformat=["png", "svg"],
            show=False,
            direction="LR",
            graph_attr=GRAPH,
        ):
            DRAWERS[name](model)
        _inline_images(stem.with_suffix(".svg"))
        written += [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    return written


def _title(model: dict, name: str) -> str:
    return f"{model['environment']} ({model['account_id']}, {model['region']}): {name}"


def _edge_api(base: dict):
    api = base.get("api_gateway") or {}
    return APIGateway(f"API Gateway\nstage {api['stage_name']}") if api.get("rest_api_id") else None


def _edge_nodes(base: dict) -> dict:
    """The public edge in front of the API, from the base layer's outputs: the Route 53 zone and the CloudFront
    distribution (each only when the base layer has it), keyed by their ARNs too so Shield and WAF can point at
    them."""
    nodes = {}
    zone = base.get("route53_zone") or {}
    if zone.get("zone_id"):
        nodes["zone"] = Route53HostedZone(f"Route 53\n{zone.get('name') or zone['zone_id']}")
        if zone.get("zone_arn"):
            nodes[zone["zone_arn"]] = nodes["zone"]
    cloudfront = base.get("cloudfront") or {}
    if cloudfront.get("distribution_id"):
        nodes["cloudfront"] = CloudFront(f"CloudFront\n{cloudfront['distribution_id']}")
        for key in (cloudfront.get("distribution_arn"), cloudfront["distribution_id"]):
            if key:
                nodes[key] = nodes["cloudfront"]
    return nodes


def _front(users, api, edge: dict, base: dict) -> None:
    """internet -> Route 53 -> CloudFront -> API Gateway (the origin, with the origin-verify header), as far as each
    exists."""
    hops = [users] + [edge[k] for k in ("zone", "cloudfront") if k in edge]
    for source, target in itertools.pairwise(hops):
        source >> Edge(label="alias" if target is edge.get("cloudfront") else "DNS") >> target
    if api and "cloudfront" in edge:
        header = (base.get("cloudfront") or {}).get("origin_header_name") or "origin header"
        edge["cloudfront"] >> Edge(label=f"HTTPS origin\n{header}") >> api
    elif api:
        hops[-1] >> api


def _nlb_label(name: str, nlb: dict) -> str:
    ports = [str(nlb["port"])] + ([f"test {nlb['test_port']}"] if nlb.get("test_port") else [])
    return f"{name}\nNLB :{', '.join(ports)}"


def draw_network(model: dict) -> None:
    """VPC, subnets per AZ, NAT, the NLBs, the services and the public edge."""
    base = model["base"]
    users = Users("internet")
    api = _edge_api(base)
    edge = _edge_nodes(base)
    health_checks = base.get("health_checks") or {}
    if health_checks:
        with Cluster("Route 53 health checks"):
            Route53("\n".join(sorted(health_checks)))
    azs = base["availability_zones"]
    with Cluster(f"VPC {base['vpc_id']}\n{base['vpc_cidr']}"):
        igw = InternetGateway("internet gateway")
        nats = []
        for index, zone in enumerate(azs):
            with Cluster(zone):
                PublicSubnet(f"public\n{_at(base['public_subnet_ids'], index)}")
                PrivateSubnet(f"private\n{_at(base['private_subnet_ids'], index)}")
                if index < len(base.get("nat_gateway_ids") or []):
                    nats.append(NATGateway(f"NAT\n{base['nat_gateway_ids'][index]}"))
        with Cluster(f"ECS cluster {base['ecs_cluster_name']} (private subnets)"):
            services = {name: ElasticContainerServiceService(name) for name in sorted(base["services"])}
        nlbs = {name: ElbNetworkLoadBalancer(_nlb_label(name, nlb)) for name, nlb in sorted(base["nlbs"].items())}
        flow = VPCFlowLogs(f"flow logs\n{base.get('flow_log_group_name') or 'off'}")
        if base.get("databases") or base.get("file_systems"):
            with Cluster("data tier (private subnets, encrypted with the environment's key)"):
                _data_nodes(base)
                vault = (base.get("backup") or {}).get("vault_name")
                if vault:
                    Backup(f"AWS Backup\n{vault}")
    users >> igw
    _front(users, api, edge, base)
    for nat in nats:
        nat >> Edge(style="dashed", label="egress") >> igw
    for name, service in sorted(base["services"].items()):
        if service.get("nlb"):
            nlbs[service["nlb"]] >> Edge(label=str(service["port"])) >> services[name]
            if api and service["nlb"] in _edge_nlbs(model):
                api >> Edge(label="VPC link") >> nlbs[service["nlb"]]
    igw >> Edge(style="invis") >> flow


def _data_nodes(base: dict) -> dict:
    """The data tier's nodes, in the current cluster: each RDS database and the EFS file system."""
    nodes = {
        name: RDS(f"{name}\nRDS {db.get('identifier')}\n:{db.get('port')}")
        for name, db in sorted((base.get("databases") or {}).items())
    }
    fs = (base.get("file_systems") or {}).get("data")
    if fs:
        nodes["efs"] = ElasticFileSystemEFS(f"efs\n{fs.get('id')}\n:2049 TLS+IAM")
    return nodes


def _edge_nlbs(model: dict) -> set[str]:
    """The NLB the API Gateway's VPC link targets (none without a public edge)."""
    nlb = (model["base"].get("api_gateway") or {}).get("nlb")
    return {nlb} if nlb else set()


def _at(items: list, index: int) -> str:
    return items[index] if index < len(items) else "-"


def draw_services(model: dict) -> None:
    """The service chain: every reachable path with its port, intended or not, and every missing one."""
    base = model["base"]
    services = base["services"]
    api = _edge_api(base)
    with Cluster("service chain (security groups, NACLs, routes as deployed)"):
        nodes = {
            name: ElasticContainerServiceService(f"{name}\n:{spec['port']}") for name, spec in sorted(services.items())
        }
        nodes.update(_data_nodes(base))
        nlbs = {name: ElbNetworkLoadBalancer(_nlb_label(name, nlb)) for name, nlb in sorted(base["nlbs"].items())}
    if api:
        for nlb in sorted(_edge_nlbs(model)):
            api >> Edge(label="VPC link", color=INTENDED) >> nlbs[nlb]
    for name, service in sorted(services.items()):
        if service.get("nlb"):
            nlbs[service["nlb"]] >> Edge(label=str(service["port"]), color=INTENDED) >> nodes[name]
    extra = {_path_key(p) for p in model["reachability"]["extra"]}
    for path in model["reachability"]["paths"]:
        unintended = _path_key(path) in extra
        label = f"{path['port']}{' (partial)' if path.get('partial') else ''}{' NOT INTENDED' if unintended else ''}"
        edge = Edge(label=label, color=EXTRA if unintended else INTENDED, style="bold" if unintended else "solid")
        target = nlbs[path["via"]] if path["via"] != "direct" and path["via"] in nlbs else nodes[path["target"]]
        nodes[path["source"]] >> edge >> target
    for path in model["reachability"]["missing"]:
        if path.get("partial"):
            continue
        target = nlbs.get(path.get("via") or "", nodes[path["target"]])
        nodes[path["source"]] >> Edge(label=f"{path['port']} MISSING", color=MISSING, style="dotted") >> target


def _path_key(path: dict) -> tuple:
    return path["source"], path["target"], path["port"], path.get("via") or "direct"


def draw_security(model: dict) -> None:
    """What protects what: Route 53, CloudFront and its CLOUDFRONT web ACL at the edge, the regional web ACL on the
    API stage, Shield Advanced on every protected resource (with its health checks and L7 response), secrets and keys
    inside."""
    base, waf, shield = model["base"], model["layers"]["waf"], model["layers"]["shield"]
    users = Users("internet")
    api = _edge_api(base)
    edge = _edge_nodes(base)
    _front(users, api, edge, base)
    if waf["enabled"]:
        with Cluster(f"WAF web ACL {waf['web_acl_name']} (REGIONAL)"):
            acl = WAF("\n".join(waf["rules"]) or "no rules")
        for arn in waf["protects"]:
            protected = api if api and arn == base["api_gateway"]["stage_arn"] else _resource(arn)
            acl >> Edge(label="protects", color=INTENDED) >> protected
        if waf["log_group_name"]:
            acl >> Edge(label="logs", style="dashed") >> CloudwatchLogs(waf["log_group_name"])
        edge_acl = waf.get("cloudfront")
        if edge_acl:
            with Cluster(f"WAF web ACL {edge_acl['web_acl_name']} (CLOUDFRONT, {edge_acl['region']})"):
                cf_acl = WAF("\n".join(edge_acl["rules"]) or "no rules")
            for distribution in edge_acl["protects"]:
                target = edge.get(distribution) or CloudFront(f"CloudFront\n{distribution}")
                cf_acl >> Edge(label="protects", color=INTENDED) >> target
            if edge_acl["log_group_name"]:
                cf_acl >> Edge(label="logs", style="dashed") >> CloudwatchLogs(edge_acl["log_group_name"])
    if shield["enabled"]:
        groups = shield.get("protection_groups") or ([shield["protection_group"]] if shield["protection_group"] else [])
        guard = Shield("Shield Advanced\n" + ("\n".join(groups) or "no protection group"))
        checks = shield.get("health_checks") or {}
        responses = shield.get("application_layer_automatic_response") or {}
        for arn in shield["protects"]:
            notes = ["protects"]
            if checks.get(arn):
                notes.append(f"{len(checks[arn])} health check" + ("" if len(checks[arn]) == 1 else "s"))
            if responses.get(arn):
                notes.append(f"L7 {responses[arn]}")
            guard >> Edge(label="\n".join(notes), color=INTENDED) >> (edge.get(arn) or _resource(arn))
        if not shield["protects"]:
            guard >> Edge(style="dotted", label="no protectable public resource") >> (api or users)
    with Cluster("inside the VPC"):
        key = KMS(base.get("kms_key_alias") or "environment key")
        secrets = [SecretsManager(name) for name in sorted(base.get("secret_arns") or {})]
    for secret in secrets:
        key >> Edge(label="encrypts", style="dashed") >> secret


def _resource(arn: str):
    kind, name = ("hosted zone" if ":hostedzone/" in arn else arn.split(":")[2]), arn.rsplit("/", 1)[-1]
    return APIGateway(name) if kind == "apigateway" else Cloudwatch(f"{kind}\n{name}")


def draw_observability(model: dict) -> None:
    """Logs, metrics, the trail, alarms and where notifications go."""
    base, layers = model["base"], model["layers"]
    monitoring, trail, tracing = layers["monitoring"], layers["audit_trail"], layers["tracing"]
    service_groups = sorted(s["log_group_name"] for s in base["services"].values() if s.get("log_group_name"))
    with Cluster("ECS services"):
        services = {name: ElasticContainerServiceService(name) for name in sorted(base["services"])}
    with Cluster("CloudWatch Logs"):
        service_logs = CloudwatchLogs("\n".join(service_groups))
        for name in sorted(set(base.get("log_group_names") or []) - set(service_groups)):
            CloudwatchLogs(name)
    for service in services.values():
        service >> service_logs
    metrics = Cloudwatch(f"metrics\ndashboards {monitoring['dashboard_prefix'] or 'off'}*")
    topic = SNS(f"alerts\n{monitoring['alert_topic_name']}") if monitoring["enabled"] else None
    if monitoring["enabled"] and monitoring["alarm_prefix"]:
        alarms = CloudwatchAlarm(f"alarms {monitoring['alarm_prefix']}*")
        metrics >> alarms >> topic
    if (
        monitoring["enabled"]
        and monitoring.get("edge_alarm_prefix")
        and (base.get("cloudfront") or base.get("shield_protectable_arns"))
    ):
        # CloudFront and Shield metrics of global resources are in us-east-1, and so are their alarms.
        edge_metrics = Cloudwatch("CloudFront, Shield metrics\n(us-east-1)")
        edge_metrics >> CloudwatchAlarm(f"alarms {monitoring['edge_alarm_prefix']}*\n(us-east-1)") >> topic
    for service in services.values():
        service >> Edge(style="dashed") >> metrics
    if trail["enabled"]:
        recorder = Cloudtrail(f"trail {trail['trail_name']}")
        recorder >> S3("trail bucket")
        if trail["log_group_name"]:
            trail_logs = CloudwatchLogs(trail["log_group_name"])
            recorder >> trail_logs
            if trail["cis_alarms"] and topic:
                filters = Edge(label=f"{len(trail['cis_alarms'])} CIS metric filters")
                trail_logs >> filters >> CloudwatchAlarm("CIS alarms") >> topic
    if tracing["enabled"] and tracing["services"]:
        xray = XRay(f"X-Ray\ngroup {tracing['faults_group_name']}")
        for name in tracing["services"]:
            services[name] >> Edge(style="dotted") >> xray


DRAWERS = {
    "network": draw_network,
    "services": draw_services,
    "security": draw_security,
    "observability": draw_observability,
}

_IMAGE_HREF = re.compile(r'xlink:href="([^"]+\.png)"')


def _inline_images(svg: Path) -> None:
    """Graphviz links the icons by absolute path; embed them so the SVG stands alone."""

    def data_uri(match: re.Match) -> str:
        path = Path(match.group(1))
        mime = mimetypes.guess_type(path.name)[0] or "image/png"
        return f'xlink:href="data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"'

    svg.write_text(_IMAGE_HREF.sub(data_uri, svg.read_text()))
