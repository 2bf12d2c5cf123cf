variable "name" {
  description = "Name prefix for every resource (the environment name)."
  type        = string
}

variable "region" {
  description = "AWS region."
  type        = string
}

variable "account_id" {
  description = "AWS account ID, to scope the CloudWatch role's policy."
  type        = string
}

variable "partition" {
  description = "AWS partition (aws, aws-cn, aws-us-gov)."
  type        = string
  default     = "aws"
}

variable "nlb_arn" {
  description = "ARN of the internal NLB the VPC link targets (the api-gateway service's NLB)."
  type        = string
}

variable "nlb_dns_name" {
  description = "DNS name of that NLB; the integration URI is built from it."
  type        = string
}

variable "nlb_port" {
  description = "Listener port of that NLB."
  type        = number
}

variable "stage_name" {
  description = "Name of the API stage."
  type        = string
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,128}$", var.stage_name))
    error_message = "stage_name may contain only letters, digits and underscores (1-128)."
  }
}

variable "xray_tracing_enabled" {
  description = "Turn on X-Ray tracing on the stage."
  type        = bool
  default     = true
}

variable "logging_level" {
  description = "Execution logging level of every method: OFF, ERROR or INFO. Anything but OFF needs the account's CloudWatch role."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["OFF", "ERROR", "INFO"], var.logging_level)
    error_message = "logging_level must be OFF, ERROR or INFO."
  }
}

variable "throttling" {
  description = "Stage-wide throttling: steady requests per second and burst."
  type = object({
    rate_limit  = optional(number, 100)
    burst_limit = optional(number, 200)
  })
  default = {}
}

variable "integration_timeout_ms" {
  description = "Timeout of the integration with the backend, in milliseconds (50-29000)."
  type        = number
  default     = 29000

  validation {
    condition     = var.integration_timeout_ms >= 50 && var.integration_timeout_ms <= 29000
    error_message = "integration_timeout_ms must be between 50 and 29000."
  }
}

variable "manage_account_cloudwatch_role" {
  description = "Create the IAM role API Gateway uses to write CloudWatch Logs and set it on the account (one setting per account and region: set false in all but one stack that share them)."
  type        = bool
  default     = true
}

variable "domain_name" {
  description = "Custom domain for the API (ACM certificate with DNS validation, TLS 1.2). null: only the execute-api URL."
  type        = string
  default     = null
}

variable "route53_zone_id" {
  description = "Public Route 53 zone of domain_name: when set, validation and alias records are created there; otherwise add the validation records (output) yourself."
  type        = string
  default     = null
}

variable "manage_dns" {
  description = "Create the validation and alias records in route53_zone_id (known at plan time even when the zone ID is not). null: when route53_zone_id is set."
  type        = bool
  default     = null
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the log groups."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the access and execution log groups, in days."
  type        = number
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
