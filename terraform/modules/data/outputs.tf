output "databases" {
  description = "Per database service: identifier, arn, resource_id, endpoint (host), port, address (host:port), db_name, username, secret_arn (the master user secret RDS manages), security_group_id, multi_az, engine_version, instance_class, parameter_group_name, log_group_names, final_snapshot_identifier."
  value = { for k, db in aws_db_instance.this : k => {
    identifier                = try(db.identifier, null)
    arn                       = try(db.arn, null)
    resource_id               = try(db.resource_id, null)
    endpoint                  = try(db.address, null)
    port                      = try(db.port, null)
    address                   = try(db.endpoint, null)
    db_name                   = try(db.db_name, null)
    username                  = try(db.username, null)
    secret_arn                = try(db.master_user_secret[0].secret_arn, null)
    security_group_id         = try(aws_security_group.database[k].id, null)
    multi_az                  = try(db.multi_az, null)
    engine_version            = try(db.engine_version_actual, null)
    instance_class            = try(db.instance_class, null)
    parameter_group_name      = try(aws_db_parameter_group.this[k].name, null)
    log_group_names           = sort([for key, lg in aws_cloudwatch_log_group.database : lg.name if startswith(key, "${k}/")])
    final_snapshot_identifier = try(db.final_snapshot_identifier, null)
    backup_retention_days     = try(db.backup_retention_period, null)
    deletion_protection       = try(db.deletion_protection, null)
  } }
}

output "file_systems" {
  description = "The EFS file system (key \"data\" when any service keeps data on EFS): id, arn, dns_name, security_group_id, mount_target_ids, access_points (per service: id, arn, path, container_path)."
  value = { for fs in aws_efs_file_system.this : "data" => {
    id                = try(fs.id, null)
    arn               = try(fs.arn, null)
    dns_name          = try(fs.dns_name, null)
    security_group_id = try(aws_security_group.efs[0].id, null)
    mount_target_ids  = try([for mt in aws_efs_mount_target.this : mt.id], [])
    access_points = { for k, ap in aws_efs_access_point.this : k => {
      id             = try(ap.id, null)
      arn            = try(ap.arn, null)
      path           = try(ap.root_directory[0].path, null)
      container_path = var.file_systems[k].path
    } }
  } }
}

output "backup" {
  description = "AWS Backup: vault_name, vault_arn, plan_id, plan_arn, selection_id, role_arn, copy_vault_arn, schedule, retention_days, vault_locked; nulls when backup is off."
  value = {
    vault_name     = try(aws_backup_vault.this[0].name, null)
    vault_arn      = try(aws_backup_vault.this[0].arn, null)
    plan_id        = try(aws_backup_plan.this[0].id, null)
    plan_arn       = try(aws_backup_plan.this[0].arn, null)
    selection_id   = try(aws_backup_selection.this[0].id, null)
    role_arn       = try(aws_iam_role.backup[0].arn, null)
    copy_vault_arn = try(aws_backup_vault.copy[0].arn, null)
    schedule       = local.backup_enabled ? var.backup.schedule : null
    retention_days = local.backup_enabled ? var.backup.retention_days : null
    vault_locked   = local.backup_enabled && var.backup.vault_lock != null
    resources      = local.backup_enabled ? local.backup_resources : []
  }
}

output "security_group_ids" {
  description = "Security groups of the data tier: each database as <service>-rds, the file system as efs."
  value = merge(
    { for k, sg in aws_security_group.database : "${k}-rds" => sg.id },
    { for sg in aws_security_group.efs : "efs" => sg.id },
  )
}

output "security_group_rules" {
  description = "Every security group rule this module creates, as {security_group_id, id}."
  value = concat(
    [for rule in aws_vpc_security_group_ingress_rule.database : { security_group_id = rule.security_group_id, id = rule.id }],
    [for rule in aws_vpc_security_group_ingress_rule.efs : { security_group_id = rule.security_group_id, id = rule.id }],
  )
}

output "log_group_names" {
  description = "The databases' log groups."
  value       = sort([for lg in aws_cloudwatch_log_group.database : lg.name])
}
