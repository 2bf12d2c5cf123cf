data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    # Confused-deputy guard: only ECS acting for this account and region.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:*"]
    }
  }
}

# Execution role: used by the ECS agent to start the task. It may write only
# this service's log group and read only this service's secrets.
resource "aws_iam_role" "execution" {
  for_each = var.services

  name               = "${var.name}-${each.key}-execution"
  description        = "ECS task execution role of ${each.key} (${var.name})"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json

  tags = merge(var.tags, { Service = each.key })
}

data "aws_iam_policy_document" "execution" {
  for_each = var.services

  statement {
    sid       = "WriteOwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.service[each.key].arn}:log-stream:*"]
  }

  dynamic "statement" {
    for_each = length(each.value.secrets) > 0 ? [1] : []
    content {
      sid       = "ReadOwnSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = sort(distinct([for k in values(each.value.secrets) : local.secret_arn[k]]))
    }
  }

  dynamic "statement" {
    for_each = length(each.value.secrets) > 0 ? [1] : []
    content {
      sid       = "DecryptSecretsViaSecretsManager"
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${var.region}.amazonaws.com"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.ecr_repository_arns[each.key]) > 0 ? [1] : []
    content {
      sid = "PullOwnImage"
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
      ]
      resources = local.ecr_repository_arns[each.key]
    }
  }

  dynamic "statement" {
    for_each = length(local.ecr_repository_arns[each.key]) > 0 ? [1] : []
    content {
      # GetAuthorizationToken has no resource-level permissions.
      sid       = "EcrLogin"
      actions   = ["ecr:GetAuthorizationToken"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  for_each = var.services

  name   = "start-${each.key}"
  role   = aws_iam_role.execution[each.key].id
  policy = data.aws_iam_policy_document.execution[each.key].json
}

# Task role: what the application itself may call. The default workload calls
# no AWS API; only traced services' roles carry a policy (the X-Ray daemon's,
# below). Attach more per service when an app needs it.
resource "aws_iam_role" "task" {
  for_each = var.services

  name               = "${var.name}-${each.key}-task"
  description        = "ECS task role of ${each.key} (${var.name})"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json

  tags = merge(var.tags, { Service = each.key })
}

# ECS Exec needs the SSM channel on the task role; only where it is turned on.
data "aws_iam_policy_document" "exec" {
  statement {
    actions = [
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
    ]
    resources = ["*"]
  }

  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.exec.arn}:*"]
  }

  statement {
    actions   = ["logs:DescribeLogGroups"]
    resources = ["*"]
  }

  statement {
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "exec" {
  for_each = { for k, v in var.services : k => v if v.enable_execute_command }

  name   = "ecs-exec"
  role   = aws_iam_role.task[each.key].id
  policy = data.aws_iam_policy_document.exec.json
}

# The X-Ray daemon sidecar sends segments and telemetry and reads sampling
# rules and targets with the task role. None of these actions supports
# resource-level permissions, so "*" is the narrowest resource AWS accepts.
# The same actions as the AWS-managed AWSXRayDaemonWriteAccess, written out so
# that a change on AWS's side cannot widen the role unseen.
data "aws_iam_policy_document" "xray" {
  statement {
    sid = "XRayDaemonWrite"
    actions = [
      "xray:GetSamplingRules",
      "xray:GetSamplingStatisticSummaries",
      "xray:GetSamplingTargets",
      "xray:PutTelemetryRecords",
      "xray:PutTraceSegments",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "xray" {
  for_each = { for k, v in var.services : k => v if local.traced[k] }

  name   = "xray-daemon"
  role   = aws_iam_role.task[each.key].id
  policy = data.aws_iam_policy_document.xray.json
}

# Services that keep data on EFS mount through their access point with the
# task role (IAM authorisation); the file system policy says the same.
data "aws_iam_policy_document" "efs" {
  for_each = var.efs_mounts

  statement {
    sid       = "MountOwnAccessPoint"
    actions   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    resources = [each.value.file_system_arn]

    condition {
      test     = "StringEquals"
      variable = "elasticfilesystem:AccessPointArn"
      values   = [each.value.access_point_arn]
    }
  }
}

resource "aws_iam_role_policy" "efs" {
  for_each = var.efs_mounts

  name   = "efs-${each.key}"
  role   = aws_iam_role.task[each.key].id
  policy = data.aws_iam_policy_document.efs[each.key].json
}

# Each inline policy above is its own resource, so Terraform would not see a
# policy added to these roles by hand, nor an attached managed policy. These
# make the declared ones the only ones: an extra is drift in the plan (the
# compliance run reports it) and the next apply removes it.
resource "aws_iam_role_policies_exclusive" "execution" {
  for_each = var.services

  role_name    = aws_iam_role.execution[each.key].name
  policy_names = [aws_iam_role_policy.execution[each.key].name]
}

resource "aws_iam_role_policy_attachments_exclusive" "execution" {
  for_each = var.services

  role_name   = aws_iam_role.execution[each.key].name
  policy_arns = []
}

resource "aws_iam_role_policies_exclusive" "task" {
  for_each = var.services

  role_name = aws_iam_role.task[each.key].name
  # The names of the policies above, known at plan time.
  policy_names = concat(
    each.value.enable_execute_command ? ["ecs-exec"] : [],
    local.traced[each.key] ? ["xray-daemon"] : [],
    contains(keys(var.efs_mounts), each.key) ? ["efs-${each.key}"] : [],
  )

  depends_on = [aws_iam_role_policy.exec, aws_iam_role_policy.xray, aws_iam_role_policy.efs]
}

resource "aws_iam_role_policy_attachments_exclusive" "task" {
  for_each = var.services

  role_name   = aws_iam_role.task[each.key].name
  policy_arns = []
}
