output "distribution_id" {
  description = "ID of the distribution."
  value       = try(aws_cloudfront_distribution.this.id, null)
}

output "distribution_arn" {
  description = "ARN of the distribution (arn:aws:cloudfront::ACCOUNT:distribution/ID)."
  value       = try(aws_cloudfront_distribution.this.arn, null)
}

output "domain_name" {
  description = "The distribution's own domain name (dxxxx.cloudfront.net)."
  value       = try(aws_cloudfront_distribution.this.domain_name, null)
}

output "hosted_zone_id" {
  description = "Route 53 zone ID of CloudFront aliases (Z2FDTNDATAQYW2)."
  value       = try(aws_cloudfront_distribution.this.hosted_zone_id, null)
}

output "logs_bucket" {
  description = "Name of the standard access log bucket."
  value       = try(aws_s3_bucket.logs.bucket, null)
}

output "origin_domain_name" {
  description = "The origin: the stage's execute-api domain."
  value       = local.origin_domain
}

output "viewer_protocol_policy" {
  description = "Viewer protocol policy of the default cache behavior."
  value       = try(aws_cloudfront_distribution.this.default_cache_behavior[0].viewer_protocol_policy, null)
}

output "minimum_protocol_version" {
  description = "Minimum TLS protocol version to viewers."
  value       = local.minimum_protocol_version
}

output "certificate_arn" {
  description = "ACM certificate (us-east-1) of the custom domain; null without one."
  value       = try(aws_acm_certificate.this[0].arn, null)
}

output "url" {
  description = "https URL of the edge: the custom domain when set, else the distribution's domain."
  value       = try("https://${local.custom_domain ? var.domain_name : aws_cloudfront_distribution.this.domain_name}/", null)
}

output "health_checks" {
  description = "Route 53 health checks by name: {id, arn, type, alarm_name, alarm_region}."
  value       = try(local.health_check_outputs, {})
}

output "origin_secret_arn" {
  description = "ARN of the Secrets Manager secret with the origin header's name and its previous/current/next values (never the values here)."
  value       = try(aws_secretsmanager_secret.origin.arn, null)
}

output "origin_header_name" {
  description = "Name of the header CloudFront adds for the origin."
  value       = var.origin_secret.header_name
}

output "aliases" {
  description = "Alternate domain names of the distribution (the custom domain, or none)."
  value       = try(sort(tolist(aws_cloudfront_distribution.this.aliases)), [])
}

output "alias_record_types" {
  description = "Types of the alias records to the distribution in the zone (A and AAAA with a domain)."
  value       = sort(keys(aws_route53_record.alias))
}

output "alias_zone_id" {
  description = "Zone of the alias records (null without a domain)."
  value       = try(aws_route53_record.alias["A"].zone_id, null)
}

output "certificate_domain_name" {
  description = "Domain of the us-east-1 ACM certificate (null without a domain)."
  value       = try(aws_acm_certificate.this[0].domain_name, null)
}

output "viewer_certificate" {
  description = "Viewer certificate settings: cloudfront_default_certificate, ssl_support_method, minimum_protocol_version."
  value = try({
    cloudfront_default_certificate = one(aws_cloudfront_distribution.this.viewer_certificate).cloudfront_default_certificate
    ssl_support_method             = one(aws_cloudfront_distribution.this.viewer_certificate).ssl_support_method
    minimum_protocol_version       = one(aws_cloudfront_distribution.this.viewer_certificate).minimum_protocol_version
  }, null)
}

output "origin_protocol" {
  description = "How CloudFront reaches the origin: protocol_policy and ssl_protocols."
  value = try({
    protocol_policy = one(one(aws_cloudfront_distribution.this.origin).custom_origin_config).origin_protocol_policy
    ssl_protocols   = sort(tolist(one(one(aws_cloudfront_distribution.this.origin).custom_origin_config).origin_ssl_protocols))
  }, null)
}
