locals {
  origin_id     = "api-${var.stage_name}"
  origin_domain = "${var.rest_api_id}.execute-api.${var.region}.${var.dns_suffix}"
  custom_domain = var.domain_name != null

  # AWS managed policies, by their fixed IDs (the same in every account;
  # CloudFront Developer Guide, "Use managed cache policies" / "Use managed
  # origin request policies"). Reading them through the data sources would
  # cost two List/Get calls per plan for values that never change.
  # CachingDisabled: TTL 0, nothing cached, no cache key beyond the URL.
  cache_policy_caching_disabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
  # AllViewerExceptHostHeader: every viewer header, cookie and query string
  # goes to the origin except Host, which must stay the execute-api name for
  # API Gateway to find the API.
  origin_request_policy_all_viewer_except_host = "b689b0a8-53d0-40ab-baf2-68738e2966ac"

  # With the default *.cloudfront.net certificate AWS applies TLSv1 whatever
  # is asked (and reads TLSv1 back); a custom domain gets TLS 1.2 (2021 policy).
  minimum_protocol_version = local.custom_domain ? "TLSv1.2_2021" : "TLSv1"
}

resource "aws_cloudfront_distribution" "this" {
  #checkov:skip=CKV_AWS_305:The distribution fronts an API, not a website: there is no root object to serve.
  #checkov:skip=CKV2_AWS_46:The origin is the API Gateway stage, not an S3 bucket: origin access control does not apply.
  #checkov:skip=CKV_AWS_68:The CLOUDFRONT-scope web ACL is created and associated by the security layer (waf role); Terraform ignores web_acl_id.
  #checkov:skip=CKV2_AWS_47:The web ACL with AWSManagedRulesKnownBadInputsRuleSet (Log4j) is the waf role's, see CKV_AWS_68.
  #checkov:skip=CKV_AWS_310:One origin, the regional API: an origin group would need a second API stage in another region.
  #checkov:skip=CKV_AWS_374:Geo restriction is a variable (edge_geo_restriction), off by default: an API for every country.
  #checkov:skip=CKV2_AWS_32:A response headers policy is the API's own business (it sets its headers); CloudFront passes them through.
  #checkov:skip=CKV_AWS_174:TLS 1.2 is set with a custom domain; the default cloudfront.net certificate is always TLSv1 on AWS.
  #checkov:skip=CKV2_AWS_42:A custom certificate needs a domain (domain_name); without one the default certificate is the only choice.
  enabled         = true
  is_ipv6_enabled = true
  http_version    = "http2and3"
  comment         = "${var.name}: public edge of the API"
  price_class     = var.price_class
  aliases         = local.custom_domain ? [var.domain_name] : []

  origin {
    origin_id   = local.origin_id
    domain_name = local.origin_domain
    origin_path = "/${var.stage_name}"

    custom_origin_config {
      http_port                = 80
      https_port               = 443
      origin_protocol_policy   = "https-only"
      origin_ssl_protocols     = ["TLSv1.2"]
      origin_read_timeout      = var.origin_read_timeout
      origin_keepalive_timeout = 5
    }

    # The regional web ACL on the stage refuses requests without it: the API
    # is reachable only through CloudFront (see origin-secret.tf).
    custom_header {
      name  = var.origin_secret.header_name
      value = terraform_data.origin_secret[tostring(local.generations.current)].output
    }
  }

  default_cache_behavior {
    target_origin_id         = local.origin_id
    viewer_protocol_policy   = "redirect-to-https"
    allowed_methods          = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    cached_methods           = ["GET", "HEAD"]
    compress                 = true
    cache_policy_id          = local.cache_policy_caching_disabled
    origin_request_policy_id = local.origin_request_policy_all_viewer_except_host
  }

  logging_config {
    bucket          = aws_s3_bucket.logs.bucket_domain_name
    prefix          = "cloudfront/"
    include_cookies = false
  }

  restrictions {
    geo_restriction {
      restriction_type = var.geo_restriction.type
      locations        = var.geo_restriction.locations
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = !local.custom_domain
    acm_certificate_arn            = local.custom_domain ? aws_acm_certificate_validation.this[0].certificate_arn : null
    ssl_support_method             = local.custom_domain ? "sni-only" : null
    minimum_protocol_version       = local.minimum_protocol_version
  }

  tags = merge(var.tags, { Name = "${var.name}-edge" })

  lifecycle {
    # The waf role associates the CLOUDFRONT-scope web ACL (it exists only
    # after this layer); Terraform leaves the field to it.
    ignore_changes = [web_acl_id]
  }

  depends_on = [aws_s3_bucket_ownership_controls.logs]
}
