# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The monitoring role's alarms and dashboards of the environment's own region (the services, the API, the regional
web ACL, the data tier), computed from declared inputs only: the base layer's outputs, the role's settings and the
regional web ACL the role read from the cloud. The edge (CloudFront, Shield) is plugins/filter/monitoring_edge.py.
No AWS call here; see plugins/filter/monitoring_alarms.yml and monitoring_dashboards.yml for the documentation.

Descriptions quote the thresholds as the user wrote them (80, 75.5, "90"), thresholds are floats and periods ints:
the shape the role's Jinja gave them before, so that an environment it deployed stays unchanged.
"""

from ansible.errors import AnsibleFilterError
from ansible_collections.securecloud.monitor.plugins.module_utils.monitoring import (
    ALARM_NAME_MAX,
    notifications,
    runbook_suffix,
    too_long_names,
)
from ansible_collections.securecloud.monitor.plugins.plugin_utils.filter_settings import checked_settings

GIB = 1073741824
MIB = 1048576
# The docs/runbooks/ pages the alarms link to (tests/unit/test_runbooks.py checks each exists and is listed).
RUNBOOK_PAGES = (
    "cpu-high",
    "memory-high",
    "no-running-tasks",
    "unhealthy-hosts",
    "unhealthy-hosts-green",
    "service-down",
    "api-5xx-rate",
    "api-latency-p99",
    "waf-blocked-spike",
    "data-restore",
)

_REQUIRED_SETTINGS = (
    "region",
    "account_id",
    "alarm_prefix",
    "dashboard_prefix",
    "topic_name",
    "runbook_url_template",
)
_NUMBERS = (
    "period",
    "evaluation_periods",
    "cpu_threshold",
    "memory_threshold",
    "api_5xx_rate_threshold",
    "api_latency_p99_ms",
    "waf_blocked_threshold",
    "db_cpu_threshold",
    "db_free_storage_gib",
    "db_freeable_memory_mib",
    "db_connections_threshold",
    "db_latency_ms",
    "efs_throughput_utilization_threshold",
)


def _checked(name, base, settings):
    if not isinstance(base, dict):
        raise AnsibleFilterError(f"{name}: base must be the base layer's outputs (the fact base).")
    return checked_settings(name, settings, _REQUIRED_SETTINGS, _NUMBERS)


def _web_acl(observed):
    return (observed or {}).get("web_acl") or ""


def _api_dimensions(base):
    """The REST API's CloudWatch dimensions (the base layer names it <env>-edge), or {} without one."""
    api = base.get("api_gateway") or {}
    if not api.get("rest_api_id"):
        return {}
    return {"ApiName": f"{base['environment']}-edge", "Stage": api["stage_name"]}


def _nlb(base, service_key, service):
    """The NLB in front of a service ({} when none)."""
    name = service.get("nlb")
    if not name:
        return {}
    nlbs = base.get("nlbs") or {}
    if name not in nlbs:
        raise AnsibleFilterError(f"monitoring: service {service_key} names NLB {name!r}, which base.nlbs lacks.")
    return nlbs[name]


def _ecs_dimensions(base, service):
    return {"ClusterName": base["ecs_cluster_name"], "ServiceName": service["service_name"]}


# Alarms


def _common(settings):
    return notifications(settings, settings["region"]) | {
        "period": int(settings["period"]),
        "evaluation_periods": int(settings["evaluation_periods"]),
    }


def _above(settings, name, metric, threshold, description, page, **fields):
    """A single-metric alarm that fires above its threshold."""
    return (
        _common(settings)
        | {
            "name": name,
            "metric_name": metric,
            "comparison_operator": "GreaterThanThreshold",
            "threshold": threshold,
            "description": description + runbook_suffix(settings, page),
        }
        | fields
    )


def _below(settings, name, metric, threshold, description, page, **fields):
    """A single-metric alarm that fires below its threshold."""
    return _above(settings, name, metric, threshold, description, page, **fields) | {
        "comparison_operator": "LessThanThreshold"
    }


def _service_alarms(base, settings, key, service):
    name = settings["alarm_prefix"] + key
    ecs = {"namespace": "AWS/ECS", "dimensions": _ecs_dimensions(base, service), "statistic": "Average"}
    cpu, memory = settings["cpu_threshold"], settings["memory_threshold"]
    alarms = [
        _above(
            settings,
            f"{name}-cpu-high",
            "CPUUtilization",
            float(cpu),
            f"{key}: average CPU above {cpu}%.",
            "cpu-high",
            **ecs,
        ),
        _above(
            settings,
            f"{name}-memory-high",
            "MemoryUtilization",
            float(memory),
            f"{key}: average memory above {memory}%.",
            "memory-high",
            **ecs,
        ),
        _below(
            settings,
            f"{name}-no-running-tasks",
            "RunningTaskCount",
            1.0,
            f"{key}: no task running.",
            "no-running-tasks",
            **ecs | {"namespace": "ECS/ContainerInsights", "statistic": "Minimum", "treat_missing_data": "breaching"},
        ),
    ]
    nlb = _nlb(base, key, service)
    if nlb:
        alarms.append(_unhealthy_hosts(settings, key, nlb, "unhealthy-hosts", "target_group_arn_suffix", "its NLB"))
    if nlb.get("green_target_group_arn_suffix"):
        alarms.append(
            _unhealthy_hosts(
                settings,
                key,
                nlb,
                "unhealthy-hosts-green",
                "green_target_group_arn_suffix",
                "its green (blue/green) target group",
            )
        )
    return [*alarms, _down_alarm(settings, key, alarms)]


def _unhealthy_hosts(settings, key, nlb, suffix, target_group, where):
    dimensions = {"TargetGroup": nlb.get(target_group), "LoadBalancer": nlb.get("arn_suffix")}
    return _above(
        settings,
        f"{settings['alarm_prefix']}{key}-{suffix}",
        "UnHealthyHostCount",
        0.0,
        f"{key}: a target of {where} is unhealthy.",
        suffix,
        namespace="AWS/NetworkELB",
        statistic="Maximum",
        dimensions=dimensions,
    )


def _down_alarm(settings, key, service_alarms):
    """The composite "service down": no task running or an unhealthy target."""
    watched = [a["name"] for a in service_alarms if a["metric_name"] in ("RunningTaskCount", "UnHealthyHostCount")]
    return notifications(settings, settings["region"]) | {
        "name": f"{settings['alarm_prefix']}{key}-down",
        "rule": " OR ".join(f'ALARM("{name}")' for name in watched),
        "description": f"{key} is down: no task running or its NLB sees unhealthy targets."
        + runbook_suffix(settings, "service-down"),
    }


def _api_alarms(base, settings):
    api = _api_dimensions(base)
    if not api:
        return []
    prefix, rate, latency = settings["alarm_prefix"], settings["api_5xx_rate_threshold"], settings["api_latency_p99_ms"]

    def count(metric_id, metric):
        stat = {"namespace": "AWS/ApiGateway", "metric_name": metric, "dimensions": api, "stat": "Sum"}
        return {"id": metric_id, "return_data": False, "metric_stat": stat}

    rate_alarm = _common(settings) | {
        "name": f"{prefix}api-5xx-rate",
        "description": f"Share of API requests answered 5xx above {rate}%." + runbook_suffix(settings, "api-5xx-rate"),
        "metrics": [
            count("errors", "5XXError"),
            count("requests", "Count"),
            {"id": "rate", "expression": "100 * errors / requests", "label": "5xx rate"},
        ],
        "comparison_operator": "GreaterThanThreshold",
        "threshold": float(rate),
        "treat_missing_data": "notBreaching",
    }
    latency_alarm = _above(
        settings,
        f"{prefix}api-latency-p99",
        "Latency",
        float(latency),
        f"API p99 latency above {latency} ms.",
        "api-latency-p99",
        namespace="AWS/ApiGateway",
        dimensions=api,
        extended_statistic="p99",
        treat_missing_data="notBreaching",
    )
    return [rate_alarm, latency_alarm]


def _waf_alarms(settings, web_acl):
    if not web_acl:
        return []
    blocked = settings["waf_blocked_threshold"]
    return [
        _above(
            settings,
            f"{settings['alarm_prefix']}waf-blocked-spike",
            "BlockedRequests",
            float(blocked),
            f"More than {blocked} requests blocked by the web ACL.",
            "waf-blocked-spike",
            namespace="AWS/WAFV2",
            statistic="Sum",
            evaluation_periods=1,
            treat_missing_data="notBreaching",
            dimensions={"WebACL": web_acl, "Rule": "ALL", "Region": settings["region"]},
        )
    ]


def _database_alarms(settings, key, database):
    name = f"{settings['alarm_prefix']}data-{key}"
    rds = {"namespace": "AWS/RDS", "dimensions": {"DBInstanceIdentifier": database["identifier"]}}
    what = f"{key} (RDS):"
    cpu, storage, memory = (
        settings["db_cpu_threshold"],
        settings["db_free_storage_gib"],
        settings["db_freeable_memory_mib"],
    )
    connections, latency = settings["db_connections_threshold"], settings["db_latency_ms"]
    seconds = float(latency) / 1000
    return [
        _above(
            settings,
            f"{name}-cpu-high",
            "CPUUtilization",
            float(cpu),
            f"{what} average CPU above {cpu}%.",
            "data-restore",
            statistic="Average",
            **rds,
        ),
        _below(
            settings,
            f"{name}-free-storage-low",
            "FreeStorageSpace",
            float(storage) * GIB,
            f"{what} free storage below {storage} GiB.",
            "data-restore",
            statistic="Minimum",
            **rds,
        ),
        _below(
            settings,
            f"{name}-freeable-memory-low",
            "FreeableMemory",
            float(memory) * MIB,
            f"{what} freeable memory below {memory} MiB.",
            "data-restore",
            statistic="Minimum",
            **rds,
        ),
        _above(
            settings,
            f"{name}-connections-high",
            "DatabaseConnections",
            float(connections),
            f"{what} more than {connections} connections.",
            "data-restore",
            statistic="Maximum",
            **rds,
        ),
        _above(
            settings,
            f"{name}-read-latency-high",
            "ReadLatency",
            seconds,
            f"{what} read latency above {latency} ms.",
            "data-restore",
            statistic="Average",
            treat_missing_data="notBreaching",
            **rds,
        ),
        _above(
            settings,
            f"{name}-write-latency-high",
            "WriteLatency",
            seconds,
            f"{what} write latency above {latency} ms.",
            "data-restore",
            statistic="Average",
            treat_missing_data="notBreaching",
            **rds,
        ),
    ]


def _file_system_alarm(settings, file_system):
    """Elastic throughput has no burst credits: utilisation is the metered I/O against the permitted throughput."""
    dimensions = {"FileSystemId": file_system["id"]}
    threshold = settings["efs_throughput_utilization_threshold"]
    services = ", ".join(file_system.get("access_points") or {})

    def metric(metric_id, metric_name, stat):
        stat = {"namespace": "AWS/EFS", "metric_name": metric_name, "dimensions": dimensions, "stat": stat}
        return {"id": metric_id, "return_data": False, "metric_stat": stat}

    # The name carries no key: the base layer has one file system (key "data") at most.
    return _common(settings) | {
        "name": f"{settings['alarm_prefix']}data-efs-throughput-high",
        "description": f"EFS {file_system['id']} ({services}): throughput utilisation above {threshold}%."
        + runbook_suffix(settings, "data-restore"),
        "metrics": [
            metric("io", "MeteredIOBytes", "Sum"),
            metric("permitted", "PermittedThroughput", "Average"),
            {
                "id": "utilization",
                "expression": "100 * (io / PERIOD(io)) / permitted",
                "label": "Throughput utilisation %",
            },
        ],
        "comparison_operator": "GreaterThanThreshold",
        "threshold": float(threshold),
        "treat_missing_data": "notBreaching",
    }


def monitoring_alarms(base, settings, observed=None):
    """The alarms of the environment's region, in the order the role declares them: per service, the API's, the
    regional web ACL's, per database, the file system's. Empty when settings.alarms_enabled is false."""
    settings = _checked("monitoring_alarms", base, settings)
    if not settings.get("alarms_enabled", True):
        return []
    alarms = []
    for key, service in (base.get("services") or {}).items():
        alarms += _service_alarms(base, settings, key, service)
    alarms += _api_alarms(base, settings) + _waf_alarms(settings, _web_acl(observed))
    for key, database in (base.get("databases") or {}).items():
        alarms += _database_alarms(settings, key, database)
    alarms += [_file_system_alarm(settings, fs) for fs in (base.get("file_systems") or {}).values()]
    if long_names := too_long_names(alarms):
        raise AnsibleFilterError(
            f"monitoring_alarms: alarm name {long_names[0]!r} is longer than {ALARM_NAME_MAX} characters: shorten "
            "monitoring_environment or the service's name."
        )
    return alarms


# Dashboards


def _text(markdown):
    return {"type": "text", "width": 24, "height": 1, "properties": {"markdown": markdown}}


def _metric(title, stat, period, metrics, width=12):
    return {
        "type": "metric",
        "width": width,
        "properties": {"title": title, "stat": stat, "period": period, "metrics": metrics},
    }


def _third(title, stat, period, metrics):
    """A metric widget a third of a row wide."""
    return _metric(title, stat, period, metrics, width=8)


def _series(namespace, dimensions, *metric_names):
    """Metrics of one namespace with the same dimensions, in a widget's metrics array."""
    return [[namespace, name, *dimensions] for name in metric_names]


def _service_widgets(base, key, service):
    ecs = ["ClusterName", base["ecs_cluster_name"], "ServiceName", service["service_name"]]
    widgets = [
        _text(f"## {key} ({base['environment']})"),
        _metric("CPU and memory %", "Average", 300, _series("AWS/ECS", ecs, "CPUUtilization", "MemoryUtilization")),
        _metric("Running tasks", "Minimum", 60, _series("ECS/ContainerInsights", ecs, "RunningTaskCount")),
    ]
    nlb = _nlb(base, key, service)
    if nlb:
        lb = ["LoadBalancer", nlb.get("arn_suffix") or ""]
        target_group = ["TargetGroup", nlb.get("target_group_arn_suffix") or "", *lb]
        hosts = _series("AWS/NetworkELB", target_group, "HealthyHostCount", "UnHealthyHostCount")
        widgets += [
            _third("NLB healthy hosts", "Minimum", 60, hosts),
            _third("NLB active flows", "Average", 60, _series("AWS/NetworkELB", lb, "ActiveFlowCount")),
            _third(
                "TCP resets", "Sum", 60, _series("AWS/NetworkELB", lb, "TCP_Target_Reset_Count", "TCP_ELB_Reset_Count")
            ),
        ]
    return widgets


def _file_system_widgets(file_system):
    """The file system's widgets, on the dashboard of each service that keeps data on it."""
    dimensions = ["FileSystemId", file_system.get("id") or ""]
    return [
        _text(f"### Data on EFS {file_system.get('id') or ''} (encrypted, TLS and IAM mounts)"),
        {
            "type": "metric",
            "width": 12,
            "properties": {
                "title": "Throughput utilisation %",
                "period": 300,
                "metrics": [
                    [
                        {
                            "expression": "100 * (io / PERIOD(io)) / permitted",
                            "label": "Utilisation %",
                            "id": "utilization",
                        }
                    ],
                    ["AWS/EFS", "MeteredIOBytes", *dimensions, {"id": "io", "stat": "Sum", "visible": False}],
                    [
                        "AWS/EFS",
                        "PermittedThroughput",
                        *dimensions,
                        {"id": "permitted", "stat": "Average", "visible": False},
                    ],
                ],
            },
        },
        _metric(
            "Storage bytes and client connections",
            "Average",
            300,
            [
                ["AWS/EFS", "StorageBytes", *dimensions, "StorageClass", "Total"],
                ["AWS/EFS", "ClientConnections", *dimensions, {"stat": "Sum"}],
            ],
        ),
    ]


def _database_widgets(base, key, database):
    db = ["DBInstanceIdentifier", database["identifier"]]
    space = _series("AWS/RDS", db, "FreeStorageSpace", "FreeableMemory")
    return [
        _text(f"## {key} (RDS {database['identifier']}, {base['environment']})"),
        _third("CPU %", "Average", 300, _series("AWS/RDS", db, "CPUUtilization")),
        _third("Free storage and freeable memory (bytes)", "Minimum", 300, space),
        _third("Connections", "Maximum", 60, _series("AWS/RDS", db, "DatabaseConnections")),
        _metric("Read and write latency (s)", "Average", 60, _series("AWS/RDS", db, "ReadLatency", "WriteLatency")),
        _metric("Read and write IOPS", "Average", 60, _series("AWS/RDS", db, "ReadIOPS", "WriteIOPS")),
    ]


def _overview_widgets(base, settings, web_acl):
    widgets = [_text(f"# {base['environment']} overview")]
    if settings.get("alarms_enabled", True):
        arn_prefix = (
            f"arn:aws:cloudwatch:{settings['region']}:{settings['account_id']}:alarm:{settings['alarm_prefix']}"
        )
        down = [f"{arn_prefix}{key}-down" for key in base.get("services") or {}]
        widgets.append({"type": "alarm", "width": 24, "height": 3, "properties": {"title": "Services", "alarms": down}})
    api = _api_dimensions(base)
    if api:
        dims = ["ApiName", api["ApiName"], "Stage", api["Stage"]]
        widgets += [
            _metric("API 4xx and 5xx", "Sum", 300, _series("AWS/ApiGateway", dims, "4XXError", "5XXError")),
            _metric("API latency p99 (ms)", "p99", 300, _series("AWS/ApiGateway", dims, "Latency")),
        ]
    if web_acl:
        acl = ["WebACL", web_acl, "Rule", "ALL", "Region", settings["region"]]
        widgets.append(
            _metric(
                "WAF allowed vs blocked", "Sum", 300, _series("AWS/WAFV2", acl, "AllowedRequests", "BlockedRequests")
            )
        )
    return widgets


def monitoring_dashboards(base, settings, observed=None):
    """The dashboards of the environment ``[{name, widgets}]``: the overview, one per database, one per service (with
    the file system's widgets where the service keeps data on it). Empty when settings.dashboards_enabled is false."""
    settings = _checked("monitoring_dashboards", base, settings)
    if not settings.get("dashboards_enabled", True):
        return []
    prefix = settings["dashboard_prefix"]
    file_system = (base.get("file_systems") or {}).get("data") or {}
    on_efs = set(file_system.get("access_points") or {})
    dashboards = [{"name": f"{prefix}overview", "widgets": _overview_widgets(base, settings, _web_acl(observed))}]
    for key, database in (base.get("databases") or {}).items():
        dashboards.append({"name": prefix + key, "widgets": _database_widgets(base, key, database)})
    for key, service in (base.get("services") or {}).items():
        widgets = _service_widgets(base, key, service) + (_file_system_widgets(file_system) if key in on_efs else [])
        dashboards.append({"name": prefix + key, "widgets": widgets})
    return dashboards


class FilterModule:
    def filters(self):
        return {"monitoring_alarms": monitoring_alarms, "monitoring_dashboards": monitoring_dashboards}
