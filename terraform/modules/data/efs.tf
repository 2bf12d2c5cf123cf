# One encrypted EFS file system for the services whose storage is "efs" (the
# broker by default), an access point per service (its own root directory,
# owned by the container's user) and mount targets in the private subnets.
locals {
  efs_enabled = length(var.file_systems) > 0
}

resource "aws_efs_file_system" "this" {
  #checkov:skip=CKV2_AWS_18:It is in the AWS Backup plan's selection by ARN (backup.tf, aws_backup_selection.this), which checkov does not follow; its backup policy is on too.
  count = local.efs_enabled ? 1 : 0

  creation_token   = "${var.name}-data"
  encrypted        = true
  kms_key_id       = var.kms_key_arn
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"

  tags = merge(var.tags, { Name = "${var.name}-data" })
}

# Automatic backups by AWS Backup's default plan, besides the plan of
# backup.tf (FSBP EFS.2 asks for a backup plan; this keeps one even when
# backup.enabled is false).
resource "aws_efs_backup_policy" "this" {
  count = local.efs_enabled ? 1 : 0

  file_system_id = aws_efs_file_system.this[0].id

  backup_policy {
    status = "ENABLED"
  }
}

resource "aws_security_group" "efs" {
  count = local.efs_enabled ? 1 : 0

  name        = "${var.name}-efs"
  description = "EFS of ${var.name}: NFS from the services that keep data on it"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-efs" })
}

resource "aws_vpc_security_group_ingress_rule" "efs" {
  for_each = var.file_systems

  security_group_id            = aws_security_group.efs[0].id
  description                  = "NFS from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
  referenced_security_group_id = var.client_security_group_ids["efs"][each.key]

  tags = var.tags
  # As in the ecs module: moto 5.2.5 drops descriptions of rules that
  # reference a group.
  lifecycle {
    ignore_changes = [description]
  }
}

resource "aws_efs_mount_target" "this" {
  count = local.efs_enabled ? var.subnet_count : 0

  file_system_id  = aws_efs_file_system.this[0].id
  subnet_id       = var.subnet_ids[count.index]
  security_groups = [aws_security_group.efs[0].id]
}

resource "aws_efs_access_point" "this" {
  for_each = var.file_systems

  file_system_id = aws_efs_file_system.this[0].id

  posix_user {
    uid = each.value.uid
    gid = each.value.gid
  }

  root_directory {
    path = "/${each.key}"
    creation_info {
      owner_uid   = each.value.uid
      owner_gid   = each.value.gid
      permissions = each.value.permissions
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}", Service = each.key })
}

# TLS in transit and IAM authorisation for every client: anonymous NFS and
# plain-text mounts are refused, and only the services' task roles, through
# their own access point, may mount and write.
data "aws_iam_policy_document" "efs" {
  count = local.efs_enabled ? 1 : 0

  statement {
    sid       = "DenyWithoutTls"
    effect    = "Deny"
    actions   = ["*"]
    resources = [aws_efs_file_system.this[0].arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  dynamic "statement" {
    for_each = var.file_systems
    content {
      sid       = "MountThroughAccessPoint${replace(title(replace(statement.key, "-", " ")), " ", "")}"
      effect    = "Allow"
      actions   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
      resources = [aws_efs_file_system.this[0].arn]

      principals {
        type        = "AWS"
        identifiers = [var.task_role_arns[statement.key]]
      }

      condition {
        test     = "StringEquals"
        variable = "elasticfilesystem:AccessPointArn"
        values   = [aws_efs_access_point.this[statement.key].arn]
      }

      condition {
        test     = "Bool"
        variable = "elasticfilesystem:AccessedViaMountTarget"
        values   = ["true"]
      }
    }
  }
}

resource "aws_efs_file_system_policy" "this" {
  count = local.efs_enabled ? 1 : 0

  file_system_id = aws_efs_file_system.this[0].id
  policy         = data.aws_iam_policy_document.efs[0].json
}
