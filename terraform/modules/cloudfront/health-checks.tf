# Route 53 health checks that follow the service's health, for Shield
# Advanced's health-based detection. Each child watches a CloudWatch metric
# alarm this stack owns (Route 53 takes metric alarms on standard-resolution
# metrics with a plain statistic; metric math and percentiles are not
# supported, and its AlarmIdentifier documents no composite alarms), and a
# CALCULATED parent combines them: Shield gets one signal per resource.
locals {
  hc_enabled = var.health_checks.enabled

  # The edge service's target groups: with blue/green two (one of them idle,
  # no healthy target, between deployments), else one.
  target_alarms = { for k, tg in var.health_checks.target_groups : k == "blue" || length(var.health_checks.target_groups) == 1 ? "api_targets" : "api_targets_${k}" => tg }
  # The parent tolerates the idle group of a blue/green pair.
  idle_target_groups = max(length(local.target_alarms) - 1, 0)

  alarm_children = local.hc_enabled ? merge(
    {
      api_5xx  = { alarm_name = aws_cloudwatch_metric_alarm.api_5xx[0].alarm_name, alarm_region = var.region, insufficient = "Healthy" }
      edge_5xx = { alarm_name = aws_cloudwatch_metric_alarm.edge_5xx[0].alarm_name, alarm_region = "us-east-1", insufficient = "Healthy" }
    },
    { for k, a in aws_cloudwatch_metric_alarm.api_targets : k => { alarm_name = a.alarm_name, alarm_region = var.region, insufficient = "LastKnownStatus" } },
  ) : {}

  health_check_outputs = local.hc_enabled ? merge(
    { for k, c in local.alarm_children : k => {
      id           = aws_route53_health_check.alarm[k].id
      arn          = aws_route53_health_check.alarm[k].arn
      type         = "CLOUDWATCH_METRIC"
      alarm_name   = c.alarm_name
      alarm_region = c.alarm_region
    } },
    { edge = {
      id           = aws_route53_health_check.edge[0].id
      arn          = aws_route53_health_check.edge[0].arn
      type         = "CALCULATED"
      alarm_name   = null
      alarm_region = null
    } },
  ) : {}
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  count = local.hc_enabled ? 1 : 0

  alarm_name          = "${var.name}-edge-health-api-5xx"
  alarm_description   = "Route 53 health check ${var.name}-edge api_5xx: share of 5XX answers of the API stage ${var.stage_name} above ${var.health_checks.api_5xx_rate}."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5XXError"
  dimensions          = { ApiName = var.rest_api_name, Stage = var.stage_name }
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.health_checks.api_5xx_rate
  treat_missing_data  = "notBreaching"

  tags = var.tags
}

# CloudFront publishes its metrics in us-east-1 only.
resource "aws_cloudwatch_metric_alarm" "edge_5xx" {
  provider = aws.us_east_1
  count    = local.hc_enabled ? 1 : 0

  alarm_name          = "${var.name}-edge-health-cloudfront-5xx"
  alarm_description   = "Route 53 health check ${var.name}-edge edge_5xx: CloudFront 5xxErrorRate of ${aws_cloudfront_distribution.this.id} above ${var.health_checks.edge_5xx_rate_percent} %."
  namespace           = "AWS/CloudFront"
  metric_name         = "5xxErrorRate"
  dimensions          = { DistributionId = aws_cloudfront_distribution.this.id, Region = "Global" }
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.health_checks.edge_5xx_rate_percent
  treat_missing_data  = "notBreaching"

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "api_targets" {
  for_each = local.hc_enabled ? local.target_alarms : {}

  alarm_name          = "${var.name}-edge-health-${replace(each.key, "_", "-")}"
  alarm_description   = "Route 53 health check ${var.name}-edge ${each.key}: no healthy target in ${each.value.target_group}."
  namespace           = "AWS/NetworkELB"
  metric_name         = "HealthyHostCount"
  dimensions          = { LoadBalancer = each.value.load_balancer, TargetGroup = each.value.target_group }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"

  tags = var.tags
}

resource "aws_route53_health_check" "alarm" {
  for_each = local.alarm_children

  type                            = "CLOUDWATCH_METRIC"
  cloudwatch_alarm_name           = each.value.alarm_name
  cloudwatch_alarm_region         = each.value.alarm_region
  insufficient_data_health_status = each.value.insufficient

  tags = merge(var.tags, { Name = "${var.name}-edge-${replace(each.key, "_", "-")}" })
}

resource "aws_route53_health_check" "edge" {
  count = local.hc_enabled ? 1 : 0

  type                   = "CALCULATED"
  child_healthchecks     = [for k in sort(keys(local.alarm_children)) : aws_route53_health_check.alarm[k].id]
  child_health_threshold = length(local.alarm_children) - local.idle_target_groups

  tags = merge(var.tags, { Name = "${var.name}-edge" })
}
