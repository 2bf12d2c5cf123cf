variable "name" {
  description = "Name prefix for every resource (the environment name)."
  type        = string
}

variable "vpc_id" {
  description = "ID of the VPC the load balancers and target groups belong to."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets the internal load balancers are placed in, one per zone."
  type        = list(string)
}

variable "load_balancers" {
  description = <<-EOT
    Internal Network Load Balancers, keyed by a short name (e.g. inventory).
    port: TCP listener port. target_port: port of the ip targets (ECS tasks).
    client_security_groups: security groups allowed to reach the listener, keyed
    by client name (keys must be known at plan time, IDs need not be).
    target_security_group_id: security group of the targets (for the egress rule).
    private_link: true for the NLB behind an API Gateway VPC link; its security
    group inbound rules are then not applied to PrivateLink traffic (that
    traffic has no security group to reference).
    test_port: set for a blue/green (CodeDeploy) service: the NLB gets a second,
    identical target group (green) and a test listener on this port, open to the
    same clients as the production listener; CodeDeploy then owns which target
    group each listener forwards to. null: one target group, one listener.
  EOT
  type = map(object({
    port                     = number
    target_port              = number
    client_security_groups   = optional(map(string), {})
    target_security_group_id = string
    private_link             = optional(bool, false)
    test_port                = optional(number)
    deregistration_delay     = optional(number, 30)
    health_check = optional(object({
      interval            = optional(number, 10)
      timeout             = optional(number, 10)
      healthy_threshold   = optional(number, 3)
      unhealthy_threshold = optional(number, 3)
    }), {})
  }))

  validation {
    condition = alltrue([for lb in values(var.load_balancers) :
      lb.port >= 1 && lb.port <= 65535 && lb.target_port >= 1 && lb.target_port <= 65535
    ])
    error_message = "load_balancers[*].port and target_port must be between 1 and 65535."
  }

  validation {
    condition = alltrue([for lb in values(var.load_balancers) :
      lb.test_port == null ? true : lb.test_port >= 1 && lb.test_port <= 65535 && lb.test_port != lb.port
    ])
    error_message = "load_balancers[*].test_port must be between 1 and 65535 and differ from port."
  }
}

variable "deletion_protection" {
  description = "Turn on deletion protection on every load balancer. Off by default so teardown works; turn it on for production."
  type        = bool
  default     = false
}

variable "access_logs" {
  description = "S3 bucket (and prefix) for NLB access logs; null disables them. NLBs only log TLS listeners."
  type = object({
    bucket = string
    prefix = optional(string)
  })
  default = null
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
