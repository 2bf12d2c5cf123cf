locals {
  # One switch: an endpoint URL means "local cloud" (moto), null means real AWS.
  use_endpoint = var.aws_endpoint_url != null
}

provider "aws" {
  region = var.aws_region

  # The emulator has no real credentials or instance metadata, and buckets are
  # paths on its one host name.
  skip_credentials_validation = local.use_endpoint
  skip_metadata_api_check     = local.use_endpoint
  s3_use_path_style           = local.use_endpoint
  # Kept false even on the emulator (it answers sts:GetCallerIdentity): without
  # the account ID the provider reads same-account security group references
  # back as cross-account "ACCOUNT/sg-..." and every plan shows drift.
  skip_requesting_account_id = false

  # Every service this stack (and the provider's own lookups) calls goes to the
  # one URL; a service left out here would silently reach real AWS.
  dynamic "endpoints" {
    for_each = local.use_endpoint ? [var.aws_endpoint_url] : []
    content {
      acm              = endpoints.value
      apigateway       = endpoints.value
      cloudfront       = endpoints.value
      cloudwatch       = endpoints.value
      ec2              = endpoints.value
      ecs              = endpoints.value
      elb              = endpoints.value
      elbv2            = endpoints.value
      iam              = endpoints.value
      kms              = endpoints.value
      logs             = endpoints.value
      route53          = endpoints.value
      s3               = endpoints.value
      secretsmanager   = endpoints.value
      servicediscovery = endpoints.value
      ssm              = endpoints.value
      sts              = endpoints.value
    }
  }
}

# CloudFront takes its ACM certificates from us-east-1 and publishes its
# CloudWatch metrics there, whatever the environment's region: the same
# settings (emulator endpoints and skip flags included), in us-east-1.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  # The emulator has no real credentials or instance metadata, and buckets are
  # paths on its one host name.
  skip_credentials_validation = local.use_endpoint
  skip_metadata_api_check     = local.use_endpoint
  s3_use_path_style           = local.use_endpoint
  # Kept false even on the emulator (it answers sts:GetCallerIdentity): without
  # the account ID the provider reads same-account security group references
  # back as cross-account "ACCOUNT/sg-..." and every plan shows drift.
  skip_requesting_account_id = false

  # Every service this stack (and the provider's own lookups) calls goes to the
  # one URL; a service left out here would silently reach real AWS.
  dynamic "endpoints" {
    for_each = local.use_endpoint ? [var.aws_endpoint_url] : []
    content {
      acm              = endpoints.value
      apigateway       = endpoints.value
      cloudfront       = endpoints.value
      cloudwatch       = endpoints.value
      ec2              = endpoints.value
      ecs              = endpoints.value
      elb              = endpoints.value
      elbv2            = endpoints.value
      iam              = endpoints.value
      kms              = endpoints.value
      logs             = endpoints.value
      route53          = endpoints.value
      s3               = endpoints.value
      secretsmanager   = endpoints.value
      servicediscovery = endpoints.value
      ssm              = endpoints.value
      sts              = endpoints.value
    }
  }
}
