variable "environment" {
  description = "Environment name; prefixes every resource name. Lowercase letters, digits and hyphens, 3-24 characters, starting with a letter."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.environment))
    error_message = "environment must be 3-24 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen."
  }
}

variable "aws_region" {
  description = "AWS region to deploy into."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-\\d$", var.aws_region))
    error_message = "aws_region must look like us-east-1."
  }
}

variable "aws_endpoint_url" {
  description = "One endpoint URL for every AWS service (a local emulator such as moto, e.g. http://127.0.0.1:5000). null: real AWS."
  type        = string
  default     = null

  validation {
    condition     = var.aws_endpoint_url == null || can(regex("^https?://", var.aws_endpoint_url))
    error_message = "aws_endpoint_url must be null or an http(s) URL."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC (/16 to /24); split into 16 equal blocks, public subnets from the first, private from the ninth."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && can(regex("/(1[6-9]|2[0-4])$", var.vpc_cidr))
    error_message = "vpc_cidr must be a valid IPv4 CIDR with a prefix between /16 and /24."
  }
}

variable "az_count" {
  description = "Number of availability zones to use (at least 2, at most 8), taken in name order from those available in the region."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 8 && floor(var.az_count) == var.az_count
    error_message = "az_count must be a whole number between 2 and 8."
  }
}

variable "nat_gateway_mode" {
  description = "Internet egress of the private subnets: single (one NAT gateway, default, cheapest), per_az (one per zone, survives a zone loss) or none (no egress: tasks then need VPC endpoints and a private registry)."
  type        = string
  default     = "single"

  validation {
    condition     = contains(["single", "per_az", "none"], var.nat_gateway_mode)
    error_message = "nat_gateway_mode must be one of: single, per_az, none."
  }
}

variable "log_retention_days" {
  description = "Retention of every CloudWatch log group the stack creates, in days. 365 keeps a year of evidence for audits (CIS/checkov CKV_AWS_338); lower it for throw-away environments."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "flow_logs" {
  description = "VPC flow logs to CloudWatch Logs: enabled, traffic_type (ACCEPT, REJECT, ALL), max_aggregation_interval (60 or 600 s), retention_days (null: log_retention_days), log_format (null: the default format)."
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

variable "services" {
  description = <<-EOT
    The ECS Fargate services, keyed by name (lowercase, 1-24 characters).
    image: container image. cpu/memory: Fargate task size (a valid pair).
    port: the container's TCP port. desired_count: tasks to run.
    command: overrides the image command (null: the image's).
    environment: plain variables; "{namespace}" and "{environment}" in values
      are replaced. <TARGET>_HOST/_PORT are added for every service this one
      may reach (see allowed_from).
    secrets: environment variable name => key of generated_secrets; the task
      gets the secret's ARN, ECS injects the value.
    nlb: name of the internal NLB that fronts the service (one service per
      NLB), or null. nlb_port: its listener port (null: port).
    edge: true for the one service the public API Gateway reaches (through
      its NLB and a VPC link).
    allowed_from: services whose security group may reach this one (through
      its NLB when it has one).
    capacity_provider: FARGATE or FARGATE_SPOT.
    readonly_root_filesystem / writable_paths: read-only root with task-local
      scratch volumes at the listed paths.
    deployment_minimum_healthy_percent / deployment_maximum_percent: rolling
      deployment bounds (0/100 for single-instance stateful services).
    health_check_grace_period_seconds: seconds NLB health checks are ignored
      after a task starts (NLB-fronted services; null: 0, for slow starters).
    enable_execute_command: ECS Exec (encrypted, logged).
    tracing: X-Ray tracing (default true). With xray_daemon_enabled, the task
      gets the X-Ray daemon sidecar, the app AWS_XRAY_DAEMON_ADDRESS and the
      task role X-Ray write permissions. The default map turns it off for the
      databases and RabbitMQ, which are not instrumented.
    health_check: container health check (command in Docker CMD/CMD-SHELL form).
    blue_green: deploy through CodeDeploy blue/green (CODE_DEPLOY deployment
      controller, a second "green" target group, a test listener on the NLB).
      null: blue_green_default for services with an nlb, false without one.
      true needs an nlb.
    test_listener_port: port of the blue/green test listener on the service's
      NLB (null: the listener port + test_listener_port_offset).
  EOT
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
    blue_green                         = optional(bool)
    test_listener_port                 = optional(number)
    health_check = optional(object({
      command      = list(string)
      interval     = optional(number, 30)
      timeout      = optional(number, 5)
      retries      = optional(number, 3)
      start_period = optional(number, 60)
    }))
  }))

  default = {
    api-gateway = {
      image          = "public.ecr.aws/nginx/nginx:1.27-alpine"
      port           = 80
      desired_count  = 2
      nlb            = "api-gateway"
      edge           = true
      environment    = { RABBITMQ_USER = "app" }
      secrets        = { RABBITMQ_PASSWORD = "rabbitmq" }
      writable_paths = ["/var/cache/nginx", "/var/run", "/tmp"]
      health_check   = { command = ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1/ || exit 1"] }
    }
    inventory-app = {
      image          = "public.ecr.aws/nginx/nginx:1.27-alpine"
      port           = 80
      desired_count  = 2
      nlb            = "inventory"
      allowed_from   = ["api-gateway"]
      environment    = { DB_USER = "inventory", DB_NAME = "inventory" }
      secrets        = { DB_PASSWORD = "inventory-db" }
      writable_paths = ["/var/cache/nginx", "/var/run", "/tmp"]
      health_check   = { command = ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1/ || exit 1"] }
    }
    inventory-db = {
      image                              = "public.ecr.aws/docker/library/postgres:16-alpine"
      cpu                                = 512
      memory                             = 1024
      port                               = 5432
      allowed_from                       = ["inventory-app"]
      environment                        = { POSTGRES_USER = "inventory", POSTGRES_DB = "inventory", PGDATA = "/var/lib/postgresql/data/pgdata" }
      secrets                            = { POSTGRES_PASSWORD = "inventory-db" }
      writable_paths                     = ["/var/lib/postgresql/data", "/var/run/postgresql", "/tmp"]
      deployment_minimum_healthy_percent = 0
      deployment_maximum_percent         = 100
      tracing                            = false
      health_check                       = { command = ["CMD-SHELL", "pg_isready -U inventory -d inventory"] }
    }
    billing-app = {
      image          = "public.ecr.aws/nginx/nginx:1.27-alpine"
      port           = 80
      desired_count  = 2
      nlb            = "billing"
      allowed_from   = ["api-gateway"]
      environment    = { DB_USER = "billing", DB_NAME = "billing", RABBITMQ_USER = "app" }
      secrets        = { DB_PASSWORD = "billing-db", RABBITMQ_PASSWORD = "rabbitmq" }
      writable_paths = ["/var/cache/nginx", "/var/run", "/tmp"]
      health_check   = { command = ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1/ || exit 1"] }
    }
    billing-db = {
      image                              = "public.ecr.aws/docker/library/postgres:16-alpine"
      cpu                                = 512
      memory                             = 1024
      port                               = 5432
      allowed_from                       = ["billing-app"]
      environment                        = { POSTGRES_USER = "billing", POSTGRES_DB = "billing", PGDATA = "/var/lib/postgresql/data/pgdata" }
      secrets                            = { POSTGRES_PASSWORD = "billing-db" }
      writable_paths                     = ["/var/lib/postgresql/data", "/var/run/postgresql", "/tmp"]
      deployment_minimum_healthy_percent = 0
      deployment_maximum_percent         = 100
      tracing                            = false
      health_check                       = { command = ["CMD-SHELL", "pg_isready -U billing -d billing"] }
    }
    rabbitmq = {
      image                              = "public.ecr.aws/docker/library/rabbitmq:3.13-alpine"
      cpu                                = 512
      memory                             = 1024
      port                               = 5672
      allowed_from                       = ["api-gateway", "billing-app"]
      environment                        = { RABBITMQ_DEFAULT_USER = "app" }
      secrets                            = { RABBITMQ_DEFAULT_PASS = "rabbitmq" }
      writable_paths                     = ["/var/lib/rabbitmq", "/var/log/rabbitmq", "/tmp"]
      deployment_minimum_healthy_percent = 0
      deployment_maximum_percent         = 100
      tracing                            = false
      health_check                       = { command = ["CMD-SHELL", "rabbitmq-diagnostics -q ping"], start_period = 120 }
    }
  }

  validation {
    condition     = alltrue([for k, _ in var.services : can(regex("^[a-z][a-z0-9-]{0,23}$", k))])
    error_message = "services keys must be 1-24 lowercase letters, digits or hyphens, starting with a letter."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : s.port >= 1 && s.port <= 65535 && (s.nlb_port == null ? true : s.nlb_port >= 1 && s.nlb_port <= 65535)])
    error_message = "services[*].port and nlb_port must be between 1 and 65535."
  }

  validation {
    condition = alltrue([for s in values(var.services) : (
      s.cpu == 256 ? contains([512, 1024, 2048], s.memory) :
      s.cpu == 512 ? s.memory >= 1024 && s.memory <= 4096 && s.memory % 1024 == 0 :
      s.cpu == 1024 ? s.memory >= 2048 && s.memory <= 8192 && s.memory % 1024 == 0 :
      s.cpu == 2048 ? s.memory >= 4096 && s.memory <= 16384 && s.memory % 1024 == 0 :
      s.cpu == 4096 ? s.memory >= 8192 && s.memory <= 30720 && s.memory % 1024 == 0 :
      s.cpu == 8192 ? s.memory >= 16384 && s.memory <= 61440 && s.memory % 4096 == 0 :
      s.cpu == 16384 ? s.memory >= 32768 && s.memory <= 122880 && s.memory % 8192 == 0 :
      false
    )])
    error_message = "services[*].cpu/memory must be a Fargate task size: 256 with 512/1024/2048; 512 with 1024-4096; 1024 with 2048-8192; 2048 with 4096-16384; 4096 with 8192-30720 (steps of 1024); 8192 with 16384-61440 (steps of 4096); 16384 with 32768-122880 (steps of 8192)."
  }

  validation {
    condition     = alltrue(flatten([for k, s in var.services : [for a in s.allowed_from : contains(keys(var.services), a) && a != k]]))
    error_message = "services[*].allowed_from must name other services defined in services."
  }

  validation {
    condition     = length([for s in values(var.services) : s.nlb if s.nlb != null]) == length(distinct([for s in values(var.services) : s.nlb if s.nlb != null]))
    error_message = "services[*].nlb: each NLB fronts exactly one service; two services name the same NLB."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : s.nlb == null ? true : can(regex("^[a-z][a-z0-9-]{0,23}$", s.nlb))])
    error_message = "services[*].nlb must be 1-24 lowercase letters, digits or hyphens."
  }

  validation {
    condition     = length([for s in values(var.services) : 1 if s.edge]) <= 1 && alltrue([for s in values(var.services) : !s.edge || s.nlb != null])
    error_message = "At most one service may set edge = true, and it must have an nlb (the VPC link targets that NLB)."
  }

  validation {
    condition     = alltrue(flatten([for s in values(var.services) : [for ref in values(s.secrets) : contains(keys(var.generated_secrets), ref)]]))
    error_message = "services[*].secrets values must be keys of generated_secrets."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : contains(["FARGATE", "FARGATE_SPOT"], s.capacity_provider) && s.desired_count >= 0 && length(s.image) > 0])
    error_message = "services[*].capacity_provider must be FARGATE or FARGATE_SPOT, desired_count >= 0 and image non-empty."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : s.health_check == null ? true : contains(["CMD", "CMD-SHELL"], s.health_check.command[0])])
    error_message = "services[*].health_check.command must start with CMD or CMD-SHELL."
  }

  validation {
    condition     = alltrue(flatten([for s in values(var.services) : [for p in s.writable_paths : startswith(p, "/")]]))
    error_message = "services[*].writable_paths must be absolute paths."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : s.blue_green == true ? s.nlb != null : true])
    error_message = "services: blue_green = true needs an nlb (CodeDeploy shifts traffic between two target groups of the service's NLB); set nlb, or blue_green = false, for: ${join(", ", sort([for k, s in var.services : k if s.blue_green == true && s.nlb == null]))}."
  }

  # Each blue/green service's test listener port (test_listener_port, else the
  # listener port + test_listener_port_offset) is a port and not the listener's.
  validation {
    condition     = length([for k, s in var.services : k if s.nlb == null ? false : !coalesce(s.blue_green, var.blue_green_default) ? false : (coalesce(s.test_listener_port, coalesce(s.nlb_port, s.port) + var.test_listener_port_offset) < 1 || coalesce(s.test_listener_port, coalesce(s.nlb_port, s.port) + var.test_listener_port_offset) > 65535 || coalesce(s.test_listener_port, coalesce(s.nlb_port, s.port) + var.test_listener_port_offset) == coalesce(s.nlb_port, s.port))]) == 0
    error_message = "services: the test listener port of a blue/green service (test_listener_port, else the NLB listener port + test_listener_port_offset) must be between 1 and 65535 and differ from the listener port; set test_listener_port for: ${join(", ", sort([for k, s in var.services : k if s.nlb == null ? false : !coalesce(s.blue_green, var.blue_green_default) ? false : (coalesce(s.test_listener_port, coalesce(s.nlb_port, s.port) + var.test_listener_port_offset) < 1 || coalesce(s.test_listener_port, coalesce(s.nlb_port, s.port) + var.test_listener_port_offset) > 65535 || coalesce(s.test_listener_port, coalesce(s.nlb_port, s.port) + var.test_listener_port_offset) == coalesce(s.nlb_port, s.port))]))}."
  }

  validation {
    condition     = !contains(keys(var.services), "xray-daemon")
    error_message = "services: xray-daemon is the X-Ray daemon sidecar's container name; give the service another name."
  }
}

variable "generated_secrets" {
  description = "Passwords generated in Secrets Manager (KMS-encrypted, written write-only so the value is never in plan or state), by key. Bump version to generate a new value."
  type = map(object({
    description         = optional(string)
    length              = optional(number, 32)
    exclude_punctuation = optional(bool, true)
    version             = optional(number, 1)
  }))
  default = {
    inventory-db = { description = "PostgreSQL password of the inventory database" }
    billing-db   = { description = "PostgreSQL password of the billing database" }
    rabbitmq     = { description = "RabbitMQ password of the app user" }
  }

  validation {
    condition     = alltrue([for k, s in var.generated_secrets : can(regex("^[a-z][a-z0-9-]{0,31}$", k)) && s.length >= 16 && s.length <= 4096])
    error_message = "generated_secrets keys must be lowercase names (1-32); length between 16 and 4096."
  }
}

variable "secret_recovery_window_days" {
  description = "Days a destroyed secret stays restorable (0 or 7-30). null: 7 on AWS, 0 with aws_endpoint_url (throw-away local cloud)."
  type        = number
  default     = null

  validation {
    condition     = var.secret_recovery_window_days == null ? true : (var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30))
    error_message = "secret_recovery_window_days must be null, 0 or between 7 and 30."
  }
}

variable "kms_deletion_window_days" {
  description = "Waiting period before the KMS key is deleted after destroy (7-30). null: 30 on AWS, 7 with aws_endpoint_url."
  type        = number
  default     = null

  validation {
    condition     = var.kms_deletion_window_days == null ? true : (var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30)
    error_message = "kms_deletion_window_days must be null or between 7 and 30."
  }
}

variable "container_insights" {
  description = "Container Insights mode of the ECS cluster: enabled or enhanced."
  type        = string
  default     = "enabled"

  validation {
    condition     = contains(["enabled", "enhanced"], var.container_insights)
    error_message = "container_insights must be enabled or enhanced."
  }
}

variable "nlb_deletion_protection" {
  description = "Deletion protection on the NLBs. Off by default so teardown works; turn on for production."
  type        = bool
  default     = false
}

variable "nlb_access_logs" {
  description = "S3 bucket (and prefix) for NLB access logs, e.g. the audit layer's bucket; null: off. NLBs only log TLS listeners."
  type = object({
    bucket = string
    prefix = optional(string)
  })
  default = null
}

variable "api_stage_name" {
  description = "Name of the API Gateway stage."
  type        = string
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,128}$", var.api_stage_name))
    error_message = "api_stage_name may contain only letters, digits and underscores (1-128)."
  }
}

variable "blue_green_default" {
  description = "Blue/green deployments through CodeDeploy for every service with an nlb whose blue_green is null (all of them in the default services map): the CODE_DEPLOY deployment controller, a second (green) target group and a test listener on its NLB. false keeps every such service on the ECS rolling controller (blue/green off for the stack, unless a service sets blue_green = true). Switching it replaces the services concerned."
  type        = bool
  default     = true
}

variable "test_listener_port_offset" {
  description = "Port of a blue/green service's test listener: its NLB listener port plus this offset (80 -> 10080), unless the service sets test_listener_port. The test listener accepts the same clients as the production listener."
  type        = number
  default     = 10000

  validation {
    condition     = var.test_listener_port_offset >= 1 && var.test_listener_port_offset <= 65534 && floor(var.test_listener_port_offset) == var.test_listener_port_offset
    error_message = "test_listener_port_offset must be a whole number between 1 and 65534."
  }
}

variable "xray_daemon_enabled" {
  description = "Run the AWS X-Ray daemon as a sidecar (UDP 2000, non-essential, logging to the service's log group) in the task of every service whose tracing flag is true; the app gets AWS_XRAY_DAEMON_ADDRESS and the task role X-Ray write permissions. false: no sidecar anywhere."
  type        = bool
  default     = true
}

variable "xray_daemon_image" {
  description = "Image of the X-Ray daemon sidecar, pinned to a version (public ECR by default; a private ECR image gets pull permissions on the execution role)."
  type        = string
  default     = "public.ecr.aws/xray/aws-xray-daemon:3.3.13"

  validation {
    condition     = can(regex("^\\S+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", var.xray_daemon_image)) && !endswith(var.xray_daemon_image, ":latest")
    error_message = "xray_daemon_image must be pinned to a version: a tag other than latest (…:3.3.13) or a digest (…@sha256:…)."
  }
}

variable "api_xray_tracing_enabled" {
  description = "X-Ray tracing on the API stage."
  type        = bool
  default     = true
}

variable "api_logging_level" {
  description = "API Gateway execution logging level: OFF, ERROR or INFO."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["OFF", "ERROR", "INFO"], var.api_logging_level)
    error_message = "api_logging_level must be OFF, ERROR or INFO."
  }
}

variable "api_throttling" {
  description = "Stage-wide API throttling: rate_limit (requests per second) and burst_limit."
  type = object({
    rate_limit  = optional(number, 100)
    burst_limit = optional(number, 200)
  })
  default = {}
}

variable "manage_api_gateway_account" {
  description = "Set API Gateway's account-level CloudWatch Logs role (needed for access/execution logs). One setting per account and region: true in exactly one stack that shares them."
  type        = bool
  default     = true
}

variable "domain_name" {
  description = "Custom domain of the public API. With edge_cloudfront_enabled (default): the distribution's alias (ACM certificate in us-east-1, DNS validation, TLS 1.2) and alias records A/AAAA in the zone. Without CloudFront: a regional API Gateway custom domain. null: the distribution's cloudfront.net name (or the execute-api URL)."
  type        = string
  default     = null

  validation {
    condition     = var.domain_name == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be null or a lowercase DNS name such as api.example.com."
  }
}

variable "route53_zone_id" {
  description = "Existing public Route 53 hosted zone of domain_name: the certificate validation and alias records are created there. null: a zone is created when edge_route53_zone_create is true; otherwise (CloudFront off only) add the validation records from the api_gateway output yourself."
  type        = string
  default     = null

  validation {
    condition     = var.route53_zone_id == null || can(regex("^Z[A-Z0-9]{1,31}$", var.route53_zone_id))
    error_message = "route53_zone_id must be null or a hosted zone ID such as Z0123456789ABCDEFGHIJ (without /hostedzone/)."
  }

  validation {
    condition     = !(var.edge_cloudfront_enabled && var.domain_name != null && var.route53_zone_id == null && !var.edge_route53_zone_create)
    error_message = "domain_name is set with CloudFront on, but there is no zone for it: set route53_zone_id to the domain's existing public hosted zone, or edge_route53_zone_create = true to create one."
  }
}

variable "tags" {
  description = "Extra tags on every resource, merged over the base tags (Project, Environment, ManagedBy)."
  type        = map(string)
  default     = {}
}
