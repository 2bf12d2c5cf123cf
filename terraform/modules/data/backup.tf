# AWS Backup: one vault (encrypted with the environment's key, optionally
# locked), one plan (daily by default, copied to a second region when asked)
# and one selection of the environment's databases and file systems by ARN.
locals {
  backup_enabled = var.backup.enabled && (length(var.databases) > 0 || local.efs_enabled)
  copy_enabled   = local.backup_enabled && var.backup.copy_region != null
  backup_resources = concat(
    [for db in aws_db_instance.this : db.arn],
    [for fs in aws_efs_file_system.this : fs.arn],
  )
}

resource "aws_backup_vault" "this" {
  count = local.backup_enabled ? 1 : 0

  name          = "${var.name}-data"
  kms_key_arn   = var.kms_key_arn
  force_destroy = var.backup.force_destroy

  tags = var.tags
}

# A locked vault refuses to delete recovery points before min_retention_days,
# whoever asks; after changeable_for_days the lock itself can no longer be
# removed (compliance mode).
resource "aws_backup_vault_lock_configuration" "this" {
  count = local.backup_enabled && var.backup.vault_lock != null ? 1 : 0

  backup_vault_name   = aws_backup_vault.this[0].name
  min_retention_days  = var.backup.vault_lock.min_retention_days
  max_retention_days  = var.backup.vault_lock.max_retention_days
  changeable_for_days = var.backup.vault_lock.changeable_for_days
}

resource "aws_backup_vault" "copy" {
  #checkov:skip=CKV_AWS_166:The copy region has no customer managed key of this stack yet: the copies use AWS Backup's key there (a CMK per copy region is future work; the source vault uses the environment's key).
  count    = local.copy_enabled ? 1 : 0
  provider = aws.backup_copy

  name          = "${var.name}-data-copy"
  force_destroy = var.backup.force_destroy

  tags = var.tags
}

resource "aws_backup_plan" "this" {
  count = local.backup_enabled ? 1 : 0

  name = "${var.name}-data"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.this[0].name
    schedule          = var.backup.schedule
    start_window      = var.backup.start_window_minutes
    completion_window = var.backup.completion_window_minutes

    lifecycle {
      delete_after = var.backup.retention_days
    }

    dynamic "copy_action" {
      for_each = local.copy_enabled ? [1] : []
      content {
        destination_vault_arn = aws_backup_vault.copy[0].arn
        lifecycle {
          delete_after = coalesce(var.backup.copy_retention_days, var.backup.retention_days)
        }
      }
    }
  }

  tags = var.tags
}

data "aws_iam_policy_document" "backup_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "backup" {
  count = local.backup_enabled ? 1 : 0

  name               = "${var.name}-backup"
  description        = "AWS Backup of ${var.name}'s databases and file systems"
  assume_role_policy = data.aws_iam_policy_document.backup_assume.json

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "backup" {
  for_each = local.backup_enabled ? toset(["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"]) : toset([])

  role       = aws_iam_role.backup[0].name
  policy_arn = "arn:${var.partition}:iam::aws:policy/service-role/${each.key}"
}

resource "aws_backup_selection" "this" {
  count = local.backup_enabled ? 1 : 0

  name         = "${var.name}-data"
  plan_id      = aws_backup_plan.this[0].id
  iam_role_arn = aws_iam_role.backup[0].arn
  resources    = local.backup_resources
}
