# RDS for PostgreSQL, one instance per service whose storage is "rds". The
# app reaches it as it reached the container before: <SERVICE>_HOST/_PORT
# (the endpoint) and the password from Secrets Manager, now the master user
# secret that RDS manages and rotates.
locals {
  db_identifier = { for k, _ in var.databases : k => "${var.name}-${k}" }
}

resource "aws_db_subnet_group" "this" {
  count = length(var.databases) > 0 ? 1 : 0

  name        = "${var.name}-databases"
  description = "Private subnets of ${var.name}'s databases"
  subnet_ids  = var.subnet_ids

  tags = var.tags
}

resource "aws_db_parameter_group" "this" {
  for_each = var.databases

  name        = "${local.db_identifier[each.key]}-pg${each.value.engine_version}"
  family      = "postgres${each.value.engine_version}"
  description = "${each.key}: TLS only"

  # Connections without TLS are refused (FSBP: encryption in transit).
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  tags = merge(var.tags, { Service = each.key })

  lifecycle {
    create_before_destroy = true
  }
}

# Created before the instance so that RDS writes into encrypted groups with a
# retention instead of making its own (unencrypted, kept forever).
resource "aws_cloudwatch_log_group" "database" {
  for_each = { for pair in setproduct(keys(var.databases), var.database_settings.log_exports) : "${pair[0]}/${pair[1]}" => {
    service = pair[0]
    log     = pair[1]
  } }

  name              = "/aws/rds/instance/${local.db_identifier[each.value.service]}/${each.value.log}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = merge(var.tags, { Service = each.value.service })
}

resource "aws_security_group" "database" {
  for_each = var.databases

  name        = "${var.name}-${each.key}-rds"
  description = "RDS ${each.key}: only its app's tasks in, on the database port"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-${each.key}-rds", Service = each.key })
}

# The tier chain: only the security groups of the services allowed to call
# the database reach it (their egress to it is in the ecs module).
resource "aws_vpc_security_group_ingress_rule" "database" {
  for_each = merge([for k, db in var.databases : {
    for client in keys(lookup(var.client_security_group_ids, k, {})) : "${k}<-${client}" => { service = k, client = client, port = db.port }
  }]...)

  security_group_id            = aws_security_group.database[each.value.service].id
  description                  = "${each.value.service} port from ${each.value.client}"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = var.client_security_group_ids[each.value.service][each.value.client]

  tags = var.tags
  # As in the ecs module: moto 5.2.5 drops descriptions of rules that
  # reference a group. Ports and the referenced group are still compared.
  lifecycle {
    ignore_changes = [description]
  }
}

resource "aws_db_instance" "this" {
  for_each = var.databases
  #checkov:skip=CKV_AWS_157:Multi-AZ is a variable (databases.multi_az, off for the local and dev inventories, on for production-like ones); compliance control SCM.DATA.3 (FSBP RDS.5) checks it where declared.
  #checkov:skip=CKV_AWS_118:Enhanced monitoring needs a monitoring role and costs per instance; Performance Insights and CloudWatch metrics cover the alarms.

  identifier     = local.db_identifier[each.key]
  engine         = "postgres"
  engine_version = each.value.engine_version
  instance_class = each.value.instance_class
  db_name        = each.value.db_name
  username       = each.value.username
  port           = each.value.port

  # RDS generates the password, keeps it in Secrets Manager (encrypted with
  # the environment's key) and rotates it: never in plan or state.
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn

  allocated_storage     = each.value.allocated_storage
  max_allocated_storage = each.value.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  db_subnet_group_name   = aws_db_subnet_group.this[0].name
  vpc_security_group_ids = [aws_security_group.database[each.key].id]
  parameter_group_name   = aws_db_parameter_group.this[each.key].name
  publicly_accessible    = false
  multi_az               = each.value.multi_az

  iam_database_authentication_enabled = true

  backup_retention_period   = var.database_settings.backup_retention_days
  backup_window             = var.database_settings.backup_window
  maintenance_window        = var.database_settings.maintenance_window
  copy_tags_to_snapshot     = true
  deletion_protection       = var.database_settings.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${local.db_identifier[each.key]}-final"
  delete_automated_backups  = false

  auto_minor_version_upgrade      = true
  allow_major_version_upgrade     = false
  apply_immediately               = var.database_settings.apply_immediately
  enabled_cloudwatch_logs_exports = var.database_settings.log_exports

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.kms_key_arn
  performance_insights_retention_period = var.database_settings.performance_insights_retention_days

  tags = merge(var.tags, { Name = local.db_identifier[each.key], Service = each.key })

  depends_on = [aws_cloudwatch_log_group.database]
}
