resource "aws_service_discovery_private_dns_namespace" "this" {
  name        = local.namespace_name
  description = "Service-to-service names for ${var.name}"
  vpc         = var.vpc_id

  tags = var.tags
}

resource "aws_service_discovery_service" "this" {
  for_each = var.services

  name = each.key

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.this.id
    routing_policy = "MULTIVALUE"

    dns_records {
      ttl  = 10
      type = "A"
    }
  }

  # ECS reports task health to Cloud Map.
  health_check_custom_config {
    failure_threshold = 1
  }

  tags = merge(var.tags, { Service = each.key })
}
