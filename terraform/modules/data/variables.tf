variable "name" {
  description = "Name prefix for every resource (the environment name)."
  type        = string
}

variable "region" {
  description = "AWS region (log group and ARN scoping)."
  type        = string
}

variable "account_id" {
  description = "AWS account ID."
  type        = string
}

variable "partition" {
  description = "AWS partition (aws, aws-cn, aws-us-gov)."
  type        = string
  default     = "aws"
}

variable "vpc_id" {
  description = "ID of the VPC (security groups)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets: the DB subnet group and the EFS mount targets (one per subnet)."
  type        = list(string)
}

variable "subnet_count" {
  description = "Number of private subnets (one EFS mount target each); known before apply, unlike the IDs."
  type        = number
}

variable "kms_key_arn" {
  description = "ARN of the environment's KMS key: storage, Performance Insights, master secrets, log groups, EFS, the backup vault."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the databases' CloudWatch log groups, in days."
  type        = number
}

variable "databases" {
  description = "RDS for PostgreSQL instances, by service name: username, db_name, port, engine_version (major, e.g. \"16\"), instance_class, allocated_storage, max_allocated_storage, multi_az. Nothing here may come from the services' resources: a destroy that keeps the data targets those, and what depends on them goes with them."
  type = map(object({
    username              = string
    db_name               = string
    port                  = number
    engine_version        = string
    instance_class        = string
    allocated_storage     = number
    max_allocated_storage = number
    multi_az              = bool
  }))
  default = {}
}

variable "database_settings" {
  description = "Settings shared by every database: backup_retention_days (1-35, point-in-time recovery), backup_window, maintenance_window, deletion_protection, performance_insights_retention_days, apply_immediately, log_exports."
  type = object({
    backup_retention_days               = number
    backup_window                       = string
    maintenance_window                  = string
    deletion_protection                 = bool
    performance_insights_retention_days = number
    apply_immediately                   = bool
    log_exports                         = list(string)
  })
}

variable "file_systems" {
  description = "EFS access points, by service name: path (the container path kept on EFS), uid, gid, permissions (of the root directory the access point creates). As for databases: nothing from the services' resources."
  type = map(object({
    path        = string
    uid         = number
    gid         = number
    permissions = string
  }))
  default = {}
}

variable "client_security_group_ids" {
  description = "The security groups allowed in, kept apart from databases and file_systems so that only the rules depend on the services: by database service, client service => its security group ID; under the key \"efs\", each EFS service => its security group ID."
  type        = map(map(string))
  default     = {}
}

variable "task_role_arns" {
  description = "Task role ARN of each EFS service, by service name: the only principals the file system policy lets mount."
  type        = map(string)
  default     = {}
}

variable "backup" {
  description = "AWS Backup of the databases and file systems: enabled, schedule (cron), start_window_minutes, completion_window_minutes, retention_days, vault_lock (min/max retention, changeable_for_days) or null, copy_region (null: no copy), copy_retention_days, force_destroy (the vault is deleted with its recovery points: teardown_destroy_data only)."
  type = object({
    enabled                   = bool
    schedule                  = string
    start_window_minutes      = number
    completion_window_minutes = number
    retention_days            = number
    vault_lock = object({
      min_retention_days  = number
      max_retention_days  = number
      changeable_for_days = number
    })
    copy_region         = string
    copy_retention_days = number
    force_destroy       = bool
  })
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
