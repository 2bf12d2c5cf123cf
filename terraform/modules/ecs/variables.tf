variable "name" {
  description = "Name prefix for every resource (the environment name); also the cluster name."
  type        = string
}

variable "region" {
  description = "AWS region (awslogs driver, IAM scoping)."
  type        = string
}

variable "account_id" {
  description = "AWS account ID, to scope IAM trust policies."
  type        = string
}

variable "partition" {
  description = "AWS partition (aws, aws-cn, aws-us-gov)."
  type        = string
  default     = "aws"
}

variable "vpc_id" {
  description = "ID of the VPC (security groups, Cloud Map namespace)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets the tasks run in. Tasks never get a public IP."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "ARN of the KMS key for log groups, secrets and ECS Exec sessions."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the service log groups, in days."
  type        = number
}

variable "container_insights" {
  description = "Container Insights mode of the cluster: enabled or enhanced."
  type        = string
  default     = "enabled"

  validation {
    condition     = contains(["enabled", "enhanced"], var.container_insights)
    error_message = "container_insights must be enabled or enhanced."
  }
}

variable "service_discovery_namespace" {
  description = "Name of the Cloud Map private DNS namespace; null means <name>.internal."
  type        = string
  default     = null
}

variable "services" {
  description = "The ECS services, keyed by service name. Validated by the root module; see its variables.tf for each field."
  type = map(object({
    image                              = string
    cpu                                = optional(number, 256)
    memory                             = optional(number, 512)
    port                               = number
    desired_count                      = optional(number, 1)
    command                            = optional(list(string))
    environment                        = optional(map(string), {})
    secrets                            = optional(map(string), {})
    nlb                                = optional(string)
    nlb_port                           = optional(number)
    edge                               = optional(bool, false)
    allowed_from                       = optional(list(string), [])
    capacity_provider                  = optional(string, "FARGATE")
    readonly_root_filesystem           = optional(bool, true)
    writable_paths                     = optional(list(string), [])
    deployment_minimum_healthy_percent = optional(number, 100)
    deployment_maximum_percent         = optional(number, 200)
    health_check_grace_period_seconds  = optional(number)
    enable_execute_command             = optional(bool, false)
    tracing                            = optional(bool, true)
    health_check = optional(object({
      command      = list(string)
      interval     = optional(number, 30)
      timeout      = optional(number, 5)
      retries      = optional(number, 3)
      start_period = optional(number, 60)
    }))
  }))
}

variable "load_balancers" {
  description = "The NLBs that front services (output of the nlb module), by NLB name: needs dns_name, port, target_group_arn, security_group_id; test_port for the NLB of a blue/green service (its test listener, null otherwise)."
  type = map(object({
    dns_name          = string
    port              = number
    target_group_arn  = string
    security_group_id = string
    test_port         = optional(number)
  }))
  default = {}
}

variable "blue_green_services" {
  description = "Services deployed blue/green by CodeDeploy (CODE_DEPLOY deployment controller); each must have an nlb whose load balancer has a test_port. The others roll with the ECS controller."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.blue_green_services : contains(keys(var.services), s) && try(var.services[s].nlb != null, false)])
    error_message = "blue_green_services must name services of var.services that have an nlb."
  }
}

variable "secrets" {
  description = "Secrets generated in Secrets Manager (write-only: the value never enters state), by key; services reference the keys."
  type = map(object({
    description         = optional(string)
    length              = optional(number, 32)
    exclude_punctuation = optional(bool, true)
    version             = optional(number, 1)
  }))
  default = {}
}

variable "secret_recovery_window_days" {
  description = "Days a deleted secret can be restored (0 deletes at once, 7-30 otherwise)."
  type        = number
  default     = 7
}

variable "internet_egress_https" {
  description = "Let tasks open HTTPS to any address: image pulls from public registries and AWS APIs when there are no VPC endpoints."
  type        = bool
  default     = true
}

variable "xray_daemon_enabled" {
  description = "Run the AWS X-Ray daemon as a sidecar in the task of every service whose tracing flag is true, and let its task role send traces."
  type        = bool
  default     = true
}

variable "xray_daemon_image" {
  description = "Image of the X-Ray daemon sidecar, pinned to a version."
  type        = string
  default     = "public.ecr.aws/xray/aws-xray-daemon:3.3.13"
}

variable "external_targets" {
  description = "Targets outside ECS that services reach (the RDS databases), by name: host, port, security_group_id and allowed_from (the services that may connect). Callers get <NAME>_HOST/_PORT and egress to the target's security group, as for an ECS target."
  type = map(object({
    host              = string
    port              = number
    security_group_id = string
    allowed_from      = list(string)
  }))
  default = {}
}

variable "external_secrets" {
  description = "Secrets not generated here (the master user secrets RDS manages), by the key services use in their secrets map: arn (for IAM) and value_from (what ECS reads, e.g. <arn>:password::)."
  type = map(object({
    arn        = string
    value_from = string
  }))
  default = {}
}

variable "efs_mounts" {
  description = "Services that keep one writable path on EFS, by service name: file_system_id, file_system_arn, access_point_id, access_point_arn, path (one of the service's writable_paths) and security_group_id (the file system's). The volume is mounted with TLS and IAM authorisation through the access point."
  type = map(object({
    file_system_id    = string
    file_system_arn   = string
    access_point_id   = string
    access_point_arn  = string
    path              = string
    security_group_id = string
  }))
  default = {}
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
