# The public hosted zone of the environment's domain: an existing one
# (route53_zone_id) or one created here (edge_route53_zone_create). Shield
# Advanced protects it (shield_protectable_arns).
locals {
  create_zone = var.domain_name != null && var.route53_zone_id == null && var.edge_route53_zone_create
  zone_id     = local.create_zone ? aws_route53_zone.this[0].zone_id : var.route53_zone_id
}

resource "aws_route53_zone" "this" {
  #checkov:skip=CKV2_AWS_38:DNSSEC signing needs a KMS key in us-east-1 and a DS record at the parent; turn it on once the zone is delegated.
  #checkov:skip=CKV2_AWS_39:Query logging goes to a log group in us-east-1; not part of the base layer.
  count = local.create_zone ? 1 : 0

  name          = var.domain_name
  comment       = "${local.name}: public zone of the API's domain (securecloud.monitor)"
  force_destroy = local.use_endpoint

  tags = merge(local.tags, { Name = var.domain_name })
}

data "aws_route53_zone" "given" {
  count = var.route53_zone_id != null ? 1 : 0

  zone_id = var.route53_zone_id
}
