locals {
  custom_domain = var.domain_name != null
  # A static switch (the zone's ID may be known only after apply, when the
  # root stack creates the zone).
  manage_dns = local.custom_domain && (var.manage_dns != null ? var.manage_dns : var.route53_zone_id != null)
}

resource "aws_acm_certificate" "this" {
  count = local.custom_domain ? 1 : 0

  domain_name       = var.domain_name
  validation_method = "DNS"

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "validation" {
  for_each = local.manage_dns ? {
    for o in aws_acm_certificate.this[0].domain_validation_options : o.domain_name => o
  } : {}

  zone_id         = var.route53_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

# Without a zone this waits until someone adds the validation records shown
# in the certificate_validation_records output.
resource "aws_acm_certificate_validation" "this" {
  count = local.custom_domain ? 1 : 0

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = local.manage_dns ? [for r in aws_route53_record.validation : r.fqdn] : null
}

resource "aws_api_gateway_domain_name" "this" {
  count = local.custom_domain ? 1 : 0

  domain_name              = var.domain_name
  regional_certificate_arn = aws_acm_certificate_validation.this[0].certificate_arn
  security_policy          = "TLS_1_2"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = var.tags
}

resource "aws_api_gateway_base_path_mapping" "this" {
  count = local.custom_domain ? 1 : 0

  api_id      = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  domain_name = aws_api_gateway_domain_name.this[0].domain_name
}

resource "aws_route53_record" "alias" {
  count = local.manage_dns ? 1 : 0

  zone_id = var.route53_zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = aws_api_gateway_domain_name.this[0].regional_domain_name
    zone_id                = aws_api_gateway_domain_name.this[0].regional_zone_id
    evaluate_target_health = false
  }
}
