variable "name" {
  description = "Name prefix for every resource (the environment name)."
  type        = string
}

variable "region" {
  description = "The environment's AWS region (where the API stage and its alarms are)."
  type        = string
}

variable "account_id" {
  description = "AWS account ID (names the log bucket, scopes its policy)."
  type        = string
}

variable "partition" {
  description = "AWS partition (aws, aws-cn, aws-us-gov)."
  type        = string
  default     = "aws"
}

variable "dns_suffix" {
  description = "DNS suffix of the partition (amazonaws.com): the execute-api origin is <rest_api_id>.execute-api.<region>.<dns_suffix>."
  type        = string
  default     = "amazonaws.com"
}

variable "rest_api_id" {
  description = "ID of the regional REST API the distribution fronts."
  type        = string
}

variable "rest_api_name" {
  description = "Name of that REST API (the ApiName dimension of its CloudWatch metrics)."
  type        = string
}

variable "stage_name" {
  description = "Stage of the REST API: the origin path is /<stage_name>."
  type        = string
}

variable "price_class" {
  description = "CloudFront price class: PriceClass_100, PriceClass_200 or PriceClass_All."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "geo_restriction" {
  description = "Geo restriction of the distribution: type none, whitelist or blacklist; locations as ISO 3166-1 alpha-2 codes."
  type = object({
    type      = optional(string, "none")
    locations = optional(list(string), [])
  })
  default = {}
}

variable "domain_name" {
  description = "Custom domain of the distribution (alias, ACM certificate in us-east-1). null: the distribution's own cloudfront.net name."
  type        = string
  default     = null
}

variable "route53_zone_id" {
  description = "Public hosted zone of domain_name (existing, or the one the root stack created); null without a domain."
  type        = string
  default     = null
}

variable "origin_secret" {
  description = "The origin-verification header: header_name; generation (bump to rotate); length of each value (16-200: WAF byte-match strings end at 200 bytes); kms_key_arn of the secret; recovery_window_days of the secret."
  type = object({
    header_name          = optional(string, "x-origin-verify")
    generation           = optional(number, 1)
    length               = optional(number, 32)
    kms_key_arn          = string
    recovery_window_days = number
  })

  validation {
    condition     = var.origin_secret.length >= 16 && var.origin_secret.length <= 200 && floor(var.origin_secret.length) == var.origin_secret.length
    error_message = "origin_secret.length must be a whole number between 16 and 200."
  }

  validation {
    condition     = var.origin_secret.generation >= 1 && floor(var.origin_secret.generation) == var.origin_secret.generation
    error_message = "origin_secret.generation must be a whole number, 1 or more."
  }
}

variable "origin_read_timeout" {
  description = "Seconds CloudFront waits for the API (1-60; API Gateway's integration timeout is 29 s)."
  type        = number
  default     = 30
}

variable "logs_bucket" {
  description = "Standard access logs: bucket name, retention in days, KMS key ARN, force_destroy (delete logs on destroy)."
  type = object({
    retention_days = number
    kms_key_arn    = string
    force_destroy  = bool
  })
}

variable "health_checks" {
  description = "Route 53 health checks over the stack's own alarms: enabled, api_5xx_rate (fraction 0-1 of the stage's requests), edge_5xx_rate_percent (CloudFront 5xxErrorRate, percent), target_groups (NLB dimension pairs of the edge service: name => {load_balancer, target_group} ARN suffixes)."
  type = object({
    enabled               = optional(bool, true)
    api_5xx_rate          = optional(number, 0.05)
    edge_5xx_rate_percent = optional(number, 5)
    target_groups = optional(map(object({
      load_balancer = string
      target_group  = string
    })), {})
  })
  default = {}
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
