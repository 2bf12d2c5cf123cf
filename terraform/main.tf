data "aws_availability_zones" "available" {
  #checkov:skip=CKV_AWS_394:Zones are taken in sorted name order and only the first az_count are used, so a zone AWS adds later does not change the selection.
  state = "available"

  # Regular zones only: Local and Wavelength zones lack NAT gateways and Fargate.
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }

  lifecycle {
    postcondition {
      condition     = length(self.names) >= var.az_count
      error_message = "az_count is larger than the number of availability zones in the region."
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  name       = var.environment
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  azs        = slice(sort(data.aws_availability_zones.available.names), 0, var.az_count)

  tags = merge(
    {
      Project     = "securecloud.monitor"
      Environment = var.environment
      ManagedBy   = "terraform"
    },
    var.tags,
  )

  # Throw-away local cloud: delete at once. Real AWS: keep a safety window.
  secret_recovery_window_days = coalesce(var.secret_recovery_window_days, local.use_endpoint ? 0 : 7)
  kms_deletion_window_days    = coalesce(var.kms_deletion_window_days, local.use_endpoint ? 7 : 30)

  fronted      = { for k, s in var.services : k => s if s.nlb != null }
  edge_service = one([for k, s in var.services : k if s.edge])
  edge_nlb     = local.edge_service == null ? null : var.services[local.edge_service].nlb
  nlb_port     = { for k, s in local.fronted : s.nlb => coalesce(s.nlb_port, s.port) }

  # Blue/green (CodeDeploy) services, and the test listener port of each one's
  # NLB. Only NLB-fronted services qualify (validated in variables.tf).
  blue_green = toset([for k, s in local.fronted : k if coalesce(s.blue_green, var.blue_green_default)])
  # The CloudFront edge needs the API stage (a service with edge = true).
  cloudfront = var.edge_cloudfront_enabled && local.edge_nlb != null

  test_port = { for k, s in local.fronted : s.nlb =>
    coalesce(s.test_listener_port, local.nlb_port[s.nlb] + var.test_listener_port_offset) if contains(local.blue_green, k)
  }
}

# One customer managed key per environment for log groups, secrets and ECS
# Exec; the key policy is written out (not an IAM policy document) because a
# key policy's "*" resource means this key only.
resource "aws_kms_key" "this" {
  description             = "${local.name}: CloudWatch Logs, Secrets Manager, ECS Exec"
  enable_key_rotation     = true
  deletion_window_in_days = local.kms_deletion_window_days

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        # Account IAM policies decide who uses the key (Terraform, the ECS
        # execution roles through Secrets Manager).
        Sid       = "AccountAdministersThroughIam"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsForThisAccountsLogGroups"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.aws_region}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${var.aws_region}:${local.account_id}:log-group:*"
          }
        }
      },
      ], local.cloudfront ? [
      {
        # CloudFront's standard logs reach their SSE-KMS bucket through the
        # log delivery service (CloudFront Developer Guide, standard logging).
        Sid       = "CloudFrontStandardLogsDelivery"
        Effect    = "Allow"
        Principal = { Service = "delivery.logs.amazonaws.com" }
        Action    = "kms:GenerateDataKey*"
        Resource  = "*"
      },
    ] : [])
  })

  tags = merge(local.tags, { Name = local.name })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.this.key_id
}

module "network" {
  source = "./modules/network"

  name               = local.name
  vpc_cidr           = var.vpc_cidr
  availability_zones = local.azs
  nat_gateway_mode   = var.nat_gateway_mode
  internal_tcp_ports = concat([for s in values(var.services) : s.port], values(local.nlb_port), values(local.test_port))
  # VPC link (PrivateLink) traffic reaches the edge NLB from outside the VPC.
  edge_ingress_ports = local.edge_nlb == null ? [] : [local.nlb_port[local.edge_nlb]]
  flow_logs          = var.flow_logs
  log_retention_days = var.log_retention_days
  kms_key_arn        = aws_kms_key.this.arn
  account_id         = local.account_id
  partition          = local.partition
  region             = var.aws_region
  tags               = local.tags
}

module "nlb" {
  source = "./modules/nlb"

  name       = local.name
  vpc_id     = module.network.vpc_id
  subnet_ids = module.network.private_subnet_ids

  load_balancers = { for k, s in local.fronted : s.nlb => {
    port                     = local.nlb_port[s.nlb]
    target_port              = s.port
    target_security_group_id = module.ecs.security_group_ids[k]
    client_security_groups   = { for a in s.allowed_from : a => module.ecs.security_group_ids[a] }
    private_link             = s.edge
    test_port                = lookup(local.test_port, s.nlb, null)
  } }

  deletion_protection = var.nlb_deletion_protection
  access_logs         = var.nlb_access_logs
  tags                = local.tags
}

module "ecs" {
  source = "./modules/ecs"

  name                        = local.name
  region                      = var.aws_region
  account_id                  = local.account_id
  partition                   = local.partition
  vpc_id                      = module.network.vpc_id
  subnet_ids                  = module.network.private_subnet_ids
  kms_key_arn                 = aws_kms_key.this.arn
  log_retention_days          = var.log_retention_days
  container_insights          = var.container_insights
  services                    = var.services
  load_balancers              = module.nlb.load_balancers
  blue_green_services         = local.blue_green
  secrets                     = var.generated_secrets
  secret_recovery_window_days = local.secret_recovery_window_days
  internet_egress_https       = var.nat_gateway_mode != "none"
  xray_daemon_enabled         = var.xray_daemon_enabled
  xray_daemon_image           = var.xray_daemon_image
  tags                        = local.tags
}

module "edge" {
  source = "./modules/edge"
  count  = local.edge_nlb == null ? 0 : 1

  name                           = local.name
  region                         = var.aws_region
  account_id                     = local.account_id
  partition                      = local.partition
  nlb_arn                        = module.nlb.load_balancers[local.edge_nlb].arn
  nlb_dns_name                   = module.nlb.load_balancers[local.edge_nlb].dns_name
  nlb_port                       = local.nlb_port[local.edge_nlb]
  stage_name                     = var.api_stage_name
  xray_tracing_enabled           = var.api_xray_tracing_enabled
  logging_level                  = var.api_logging_level
  throttling                     = var.api_throttling
  manage_account_cloudwatch_role = var.manage_api_gateway_account
  # With CloudFront the domain is the distribution's (the alias must point at
  # it); the regional custom domain exists only without CloudFront.
  domain_name        = local.cloudfront ? null : var.domain_name
  route53_zone_id    = local.zone_id
  manage_dns         = var.route53_zone_id != null || local.create_zone
  kms_key_arn        = aws_kms_key.this.arn
  log_retention_days = var.log_retention_days
  tags               = local.tags
}

module "cloudfront" {
  source = "./modules/cloudfront"
  count  = local.cloudfront ? 1 : 0

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name          = local.name
  region        = var.aws_region
  account_id    = local.account_id
  partition     = local.partition
  dns_suffix    = data.aws_partition.current.dns_suffix
  rest_api_id   = module.edge[0].rest_api_id
  rest_api_name = module.edge[0].rest_api_name
  # The variable, not the stage's output: the distribution then waits for the
  # REST API only (seconds), not for the stage behind the NLB's minute-long
  # creation, and its own 30 s deployment wait runs beside the NLB's.
  stage_name      = var.api_stage_name
  price_class     = var.edge_price_class
  geo_restriction = var.edge_geo_restriction
  domain_name     = var.domain_name
  route53_zone_id = local.zone_id

  origin_secret = {
    generation           = var.edge_origin_secret_generation
    length               = var.edge_origin_secret_length
    kms_key_arn          = aws_kms_key.this.arn
    recovery_window_days = local.secret_recovery_window_days
  }

  logs_bucket = {
    retention_days = var.edge_log_retention_days
    kms_key_arn    = aws_kms_key.this.arn
    force_destroy  = coalesce(var.edge_logs_force_destroy, local.use_endpoint)
  }

  health_checks = merge(var.edge_health_checks, {
    target_groups = merge(
      { blue = {
        load_balancer = module.nlb.load_balancers[local.edge_nlb].arn_suffix
        target_group  = module.nlb.load_balancers[local.edge_nlb].target_group_arn_suffix
      } },
      !contains(local.blue_green, local.edge_service) ? {} : { green = {
        load_balancer = module.nlb.load_balancers[local.edge_nlb].arn_suffix
        target_group  = module.nlb.load_balancers[local.edge_nlb].green_target_group_arn_suffix
      } },
    )
  })

  tags = local.tags
}
