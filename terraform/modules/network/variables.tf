variable "name" {
  description = "Name prefix for every resource (the environment name)."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC. Each subnet gets 1/16 of it (a /16 gives /20 subnets)."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 24
    error_message = "vpc_cidr must be a valid IPv4 CIDR with a prefix between /16 and /24."
  }
}

variable "availability_zones" {
  description = "Availability zones to spread the subnets over, one public and one private subnet each (2 to 8)."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2 && length(var.availability_zones) <= 8
    error_message = "availability_zones must list between 2 and 8 zones."
  }
}

variable "nat_gateway_mode" {
  description = "\"single\" (one NAT gateway, cheapest), \"per_az\" (one per zone, no cross-zone dependency) or \"none\" (no internet egress from private subnets)."
  type        = string
  default     = "single"

  validation {
    condition     = contains(["single", "per_az", "none"], var.nat_gateway_mode)
    error_message = "nat_gateway_mode must be one of: single, per_az, none."
  }
}

variable "internal_tcp_ports" {
  description = "TCP ports that private subnets accept from inside the VPC below 1024 (service and NLB listener ports); 1024-65535 is always open to the VPC."
  type        = list(number)
  default     = []
}

variable "edge_ingress_ports" {
  description = "TCP ports that the private network ACL accepts from any address: the listener ports of NLBs reached through API Gateway VPC links (PrivateLink), whose source addresses are not in the VPC."
  type        = list(number)
  default     = []
}

variable "flow_logs" {
  description = "VPC flow logs to CloudWatch Logs. retention_days null means log_retention_days."
  type = object({
    enabled                  = optional(bool, true)
    traffic_type             = optional(string, "ALL")
    max_aggregation_interval = optional(number, 600)
    retention_days           = optional(number)
    log_format               = optional(string)
  })
  default = {}

  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.flow_logs.traffic_type) && contains([60, 600], var.flow_logs.max_aggregation_interval)
    error_message = "flow_logs.traffic_type must be ACCEPT, REJECT or ALL; flow_logs.max_aggregation_interval must be 60 or 600."
  }
}

variable "log_retention_days" {
  description = "Retention of the log groups this module creates, in days."
  type        = number
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the flow log group."
  type        = string
}

variable "account_id" {
  description = "AWS account ID, to scope the flow logs role trust policy."
  type        = string
}

variable "partition" {
  description = "AWS partition (aws, aws-cn, aws-us-gov)."
  type        = string
  default     = "aws"
}

variable "region" {
  description = "AWS region, to scope the flow logs role trust policy."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
