# The edge with a custom domain, planned (never applied) against the local
# cloud: the zone is created, the certificate is requested in us-east-1, the
# distribution carries the alias, A and AAAA alias records point at it, and
# the regional custom domain of the API stays off. Mocked providers cannot
# serve the ephemeral password generator, hence a real (read-only) plan.
# tests/integration/test_terraform_edge_plan.py runs it:
#   terraform test -var aws_endpoint_url=http://127.0.0.1:PORT

variables {
  environment = "tfqa"
  aws_region  = "eu-west-1"
  domain_name = "api.example.com"
  # One public service is enough for the edge.
  generated_secrets = {}
  services = {
    api = { image = "public.ecr.aws/nginx/nginx:1.27", port = 8080, nlb = "api", edge = true }
  }
}

run "domain_with_a_created_zone" {
  command = plan

  assert {
    condition     = length(aws_route53_zone.this) == 1 && aws_route53_zone.this[0].name == "api.example.com"
    error_message = "a public zone for the domain is created when no route53_zone_id is given"
  }
  assert {
    condition     = jsonencode(module.cloudfront[0].aliases) == jsonencode(["api.example.com"])
    error_message = "the distribution carries the domain as its alias"
  }
  assert {
    condition     = module.cloudfront[0].certificate_domain_name == "api.example.com"
    error_message = "an ACM certificate (us-east-1 provider) is requested for the domain"
  }
  assert {
    condition     = jsonencode(module.cloudfront[0].alias_record_types) == jsonencode(["A", "AAAA"])
    error_message = "alias records A and AAAA point at the distribution"
  }
  assert {
    condition     = module.cloudfront[0].viewer_certificate.minimum_protocol_version == "TLSv1.2_2021" && module.cloudfront[0].viewer_certificate.ssl_support_method == "sni-only" && module.cloudfront[0].viewer_certificate.cloudfront_default_certificate == false
    error_message = "a custom domain gets its certificate, SNI and TLS 1.2 (2021 policy)"
  }
  assert {
    condition     = module.edge[0].custom_domain_url == null && module.edge[0].certificate_arn == null
    error_message = "with CloudFront the regional custom domain of the API stays off (the alias points at CloudFront)"
  }
  assert {
    condition     = module.cloudfront[0].origin_protocol.protocol_policy == "https-only" && jsonencode(module.cloudfront[0].origin_protocol.ssl_protocols) == jsonencode(["TLSv1.2"])
    error_message = "HTTPS only to the origin, TLS 1.2"
  }
}

run "domain_with_an_existing_zone" {
  command = plan

  variables {
    route53_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  override_data {
    target = data.aws_route53_zone.given[0]
    values = { name = "api.example.com", name_servers = ["ns-1.example.net"] }
  }

  assert {
    condition     = length(aws_route53_zone.this) == 0
    error_message = "no zone is created when route53_zone_id is given"
  }
  assert {
    condition     = module.cloudfront[0].alias_zone_id == "Z0123456789ABCDEFGHIJ"
    error_message = "the alias goes to the given zone"
  }
  assert {
    condition     = output.route53_zone.zone_arn == "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"
    error_message = "the zone's ARN is an output"
  }
}

run "domain_without_a_zone_is_refused" {
  command = plan

  variables {
    edge_route53_zone_create = false
  }

  expect_failures = [var.route53_zone_id]
}

run "cloudfront_off_keeps_the_regional_custom_domain" {
  command = plan

  variables {
    edge_cloudfront_enabled = false
  }

  assert {
    condition     = length(module.cloudfront) == 0 && module.edge[0].custom_domain_url == "https://api.example.com/"
    error_message = "without CloudFront the regional custom domain serves the API"
  }
  assert {
    condition     = length(output.public_http_entry_points_by_scope.CLOUDFRONT) == 0
    error_message = "no CLOUDFRONT entry point without CloudFront"
  }
}

run "bad_edge_variables_are_refused" {
  command = plan

  variables {
    edge_origin_secret_length = 8
    edge_price_class          = "PriceClass_300"
    edge_geo_restriction      = { type = "whitelist", locations = ["Germany"] }
  }

  expect_failures = [var.edge_origin_secret_length, var.edge_price_class, var.edge_geo_restriction]
}
