# The public edge in front of the API (CloudFront, Route 53, health checks).
# domain_name and route53_zone_id (variables.tf) are the edge's domain and
# zone too.

variable "edge_cloudfront_enabled" {
  description = "Put a CloudFront distribution in front of the API stage (HTTPS only, secret origin header, access logs, Route 53 alias and health checks). Needs a service with edge = true. false: the regional stage (and its custom domain) is the public entry point."
  type        = bool
  default     = true
}

variable "edge_price_class" {
  description = "CloudFront price class: PriceClass_100 (North America, Europe, Israel; cheapest), PriceClass_200 or PriceClass_All."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.edge_price_class)
    error_message = "edge_price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "edge_geo_restriction" {
  description = "Geo restriction of the distribution: type none (default), whitelist (only these countries) or blacklist (all but these); locations: ISO 3166-1 alpha-2 country codes in capitals (e.g. [\"DE\", \"FR\"]), empty with none."
  type = object({
    type      = optional(string, "none")
    locations = optional(list(string), [])
  })
  default = {}

  validation {
    condition     = contains(["none", "whitelist", "blacklist"], var.edge_geo_restriction.type)
    error_message = "edge_geo_restriction.type must be none, whitelist or blacklist."
  }

  validation {
    condition     = alltrue([for l in var.edge_geo_restriction.locations : can(regex("^[A-Z]{2}$", l))])
    error_message = "edge_geo_restriction.locations must be ISO 3166-1 alpha-2 country codes in capitals, such as DE or US."
  }

  validation {
    condition     = (var.edge_geo_restriction.type == "none") == (length(var.edge_geo_restriction.locations) == 0)
    error_message = "edge_geo_restriction: type none takes no locations; whitelist and blacklist need at least one."
  }
}

variable "edge_route53_zone_create" {
  description = "With domain_name and no route53_zone_id: create a public hosted zone for domain_name (delegate it from the parent domain with the route53_zone output's name servers). false: no zone is created; with CloudFront on, a domain then needs route53_zone_id."
  type        = bool
  default     = true
}

variable "edge_origin_secret_generation" {
  description = "Generation of the secret origin header: bump it by one to rotate (CloudFront moves to the next value, which the stage's web ACL already accepts; then run the security layer). Whole number, 1 or more."
  type        = number
  default     = 1

  validation {
    condition     = var.edge_origin_secret_generation >= 1 && floor(var.edge_origin_secret_generation) == var.edge_origin_secret_generation
    error_message = "edge_origin_secret_generation must be a whole number, 1 or more."
  }
}

variable "edge_origin_secret_length" {
  description = "Length of each origin header value, 16-200 characters (WAF byte-match strings are at most 200 bytes). A change applies to generations created afterwards."
  type        = number
  default     = 32

  validation {
    condition     = var.edge_origin_secret_length >= 16 && var.edge_origin_secret_length <= 200 && floor(var.edge_origin_secret_length) == var.edge_origin_secret_length
    error_message = "edge_origin_secret_length must be a whole number between 16 and 200."
  }
}

variable "edge_log_retention_days" {
  description = "Days the CloudFront access logs are kept in their bucket (S3 lifecycle expiration), 1-3653."
  type        = number
  default     = 365

  validation {
    condition     = var.edge_log_retention_days >= 1 && var.edge_log_retention_days <= 3653 && floor(var.edge_log_retention_days) == var.edge_log_retention_days
    error_message = "edge_log_retention_days must be a whole number of days between 1 and 3653."
  }
}

variable "edge_logs_force_destroy" {
  description = "Delete the CloudFront access log files with their bucket when the stack is destroyed. null: true with aws_endpoint_url (throw-away local cloud), false on AWS (a destroy then stops at a non-empty bucket: empty it, or keep it as evidence)."
  type        = bool
  default     = null
}

variable "edge_health_checks" {
  description = "Route 53 health checks for Shield Advanced's health-based detection, over CloudWatch alarms the stack creates: enabled; api_5xx_rate (share 0-1 of the stage's answers that are 5XX); edge_5xx_rate_percent (CloudFront 5xxErrorRate, 0-100). The edge service's healthy NLB targets are always watched."
  type = object({
    enabled               = optional(bool, true)
    api_5xx_rate          = optional(number, 0.05)
    edge_5xx_rate_percent = optional(number, 5)
  })
  default = {}

  validation {
    condition     = var.edge_health_checks.api_5xx_rate > 0 && var.edge_health_checks.api_5xx_rate < 1 && var.edge_health_checks.edge_5xx_rate_percent > 0 && var.edge_health_checks.edge_5xx_rate_percent < 100
    error_message = "edge_health_checks.api_5xx_rate must be between 0 and 1 (a share), edge_5xx_rate_percent between 0 and 100 (a percentage)."
  }
}
