locals {
  flow_logs_enabled = var.flow_logs.enabled
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  count = local.flow_logs_enabled ? 1 : 0

  name              = "/aws/vpc-flow-logs/${var.name}"
  retention_in_days = coalesce(var.flow_logs.retention_days, var.log_retention_days)
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "flow_logs_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }

    # Confused-deputy guard: only flow logs of this account and region.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${var.partition}:ec2:${var.region}:${var.account_id}:vpc-flow-log/*"]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  count = local.flow_logs_enabled ? 1 : 0

  name               = "${var.name}-vpc-flow-logs"
  assume_role_policy = data.aws_iam_policy_document.flow_logs_assume.json

  tags = var.tags
}

data "aws_iam_policy_document" "flow_logs" {
  count = local.flow_logs_enabled ? 1 : 0

  # Delivery into this one log group only; the group itself is created here.
  statement {
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
    ]
    resources = ["${aws_cloudwatch_log_group.flow_logs[0].arn}:*"]
  }
}

resource "aws_iam_role_policy" "flow_logs" {
  count = local.flow_logs_enabled ? 1 : 0

  name   = "deliver-to-${var.name}-flow-log-group"
  role   = aws_iam_role.flow_logs[0].id
  policy = data.aws_iam_policy_document.flow_logs[0].json
}

resource "aws_flow_log" "this" {
  count = local.flow_logs_enabled ? 1 : 0

  vpc_id                   = aws_vpc.this.id
  traffic_type             = var.flow_logs.traffic_type
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_logs[0].arn
  iam_role_arn             = aws_iam_role.flow_logs[0].arn
  max_aggregation_interval = var.flow_logs.max_aggregation_interval
  log_format               = var.flow_logs.log_format

  tags = merge(var.tags, { Name = var.name })
}

# The role has exactly the declared inline policy and no attached one: one
# added by hand is drift, and the next apply removes it (see modules/ecs/iam.tf).
resource "aws_iam_role_policies_exclusive" "flow_logs" {
  count = local.flow_logs_enabled ? 1 : 0

  role_name    = aws_iam_role.flow_logs[0].name
  policy_names = [aws_iam_role_policy.flow_logs[0].name]
}

resource "aws_iam_role_policy_attachments_exclusive" "flow_logs" {
  count = local.flow_logs_enabled ? 1 : 0

  role_name   = aws_iam_role.flow_logs[0].name
  policy_arns = []
}
