locals {
  stage_arns        = try(compact([module.edge[0].stage_arn]), [])
  distribution_arns = try(compact([module.cloudfront[0].distribution_arn]), [])
  zone_arn          = local.zone_id == null ? null : "arn:${local.partition}:route53:::hostedzone/${local.zone_id}"
  health_checks     = try(module.cloudfront[0].health_checks, {})
  # Shield's health-based detection: the CALCULATED parent for each resource.
  edge_health_check_arns = try([local.health_checks["edge"].arn], [])
}

output "cloudfront" {
  description = "The CloudFront distribution in front of the API (null when edge_cloudfront_enabled is false or there is no API): distribution_id, distribution_arn, domain_name, hosted_zone_id, logs_bucket, origin_domain_name, origin_secret_arn, origin_header_name, viewer_protocol_policy, minimum_protocol_version, certificate_arn (null without domain_name), url."
  value = try({
    distribution_id          = module.cloudfront[0].distribution_id
    distribution_arn         = module.cloudfront[0].distribution_arn
    domain_name              = module.cloudfront[0].domain_name
    hosted_zone_id           = module.cloudfront[0].hosted_zone_id
    logs_bucket              = module.cloudfront[0].logs_bucket
    origin_domain_name       = module.cloudfront[0].origin_domain_name
    origin_secret_arn        = module.cloudfront[0].origin_secret_arn
    origin_header_name       = module.cloudfront[0].origin_header_name
    viewer_protocol_policy   = module.cloudfront[0].viewer_protocol_policy
    minimum_protocol_version = module.cloudfront[0].minimum_protocol_version
    certificate_arn          = module.cloudfront[0].certificate_arn
    url                      = module.cloudfront[0].url
  }, null)
}

output "route53_zone" {
  description = "The public hosted zone of domain_name (created or given; null without one): zone_id, zone_arn, name, name_servers."
  value = local.zone_id == null ? null : {
    zone_id      = local.zone_id
    zone_arn     = local.zone_arn
    name         = try(aws_route53_zone.this[0].name, data.aws_route53_zone.given[0].name, null)
    name_servers = try(aws_route53_zone.this[0].name_servers, data.aws_route53_zone.given[0].name_servers, [])
  }
}

output "health_checks" {
  description = "Route 53 health checks by name: {id, arn, type, alarm_name, alarm_region}. api_5xx (the stage's 5XX share, env region), edge_5xx (CloudFront 5xxErrorRate, us-east-1), api_targets (healthy NLB targets of the edge service; api_targets_green too with blue/green), each CLOUDWATCH_METRIC over an alarm of this stack; edge: the CALCULATED parent of them all. Empty without CloudFront."
  value       = try(local.health_checks, {})
}

output "public_http_entry_points" {
  description = "ARNs of every public HTTP entry point, whatever the WAF scope: the API stage (arn:aws:apigateway:REGION::/restapis/ID/stages/STAGE) and the CloudFront distribution. public_http_entry_points_by_scope splits them by web ACL scope."
  value       = try(concat(local.stage_arns, local.distribution_arns), [])
}

output "public_http_entry_points_by_scope" {
  description = "The public HTTP entry points by WAF web ACL scope: REGIONAL (the API stage, in the environment's region) and CLOUDFRONT (the distribution; its web ACL lives in us-east-1)."
  value = {
    REGIONAL   = try(local.stage_arns, [])
    CLOUDFRONT = try(local.distribution_arns, [])
  }
}

output "shield_protectable_arns" {
  description = "Shield Advanced candidates among this stack's internet-facing resources: the CloudFront distribution and the public hosted zone (created or given). The NLBs are internal, the regional API sits behind CloudFront and NAT EIPs carry no inbound service."
  value       = try(compact(concat(local.distribution_arns, [local.zone_arn])), [])
}

output "shield_health_check_arns" {
  description = "Health checks for Shield's health-based detection, by protectable resource ARN: the CALCULATED edge health check (arn:aws:route53:::healthcheck/ID) for the distribution and the zone."
  value = try({
    for arn in compact(concat(local.distribution_arns, [local.zone_arn])) : arn => local.edge_health_check_arns
    if length(local.edge_health_check_arns) > 0
  }, {})
}

output "edge_url" {
  description = "https URL of the public edge: the custom domain or the distribution's cloudfront.net name with CloudFront; else the stage's invoke URL (or its custom domain)."
  value       = try(module.cloudfront[0].url, coalesce(module.edge[0].custom_domain_url, module.edge[0].invoke_url), null)
}
