# Access and execution logging need API Gateway's account-level CloudWatch
# role (one per account and region).
data "aws_iam_policy_document" "apigateway_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cloudwatch" {
  count = var.manage_account_cloudwatch_role ? 1 : 0

  name               = "${var.name}-apigateway-cloudwatch"
  description        = "Lets API Gateway write access and execution logs to CloudWatch Logs"
  assume_role_policy = data.aws_iam_policy_document.apigateway_assume.json

  tags = var.tags
}

# Same actions as the AmazonAPIGatewayPushToCloudWatchLogs managed policy, but
# limited to this account and region (and attachable on the emulator, which
# ships no AWS managed policies).
data "aws_iam_policy_document" "cloudwatch" {
  statement {
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:DescribeLogGroups",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
      "logs:GetLogEvents",
      "logs:FilterLogEvents",
    ]
    resources = ["arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:*"]
  }
}

resource "aws_iam_role_policy" "cloudwatch" {
  count = var.manage_account_cloudwatch_role ? 1 : 0

  name   = "push-to-cloudwatch-logs"
  role   = aws_iam_role.cloudwatch[0].id
  policy = data.aws_iam_policy_document.cloudwatch.json
}

# The role has exactly the declared inline policy and no attached one: one
# added by hand is drift, and the next apply removes it (see modules/ecs/iam.tf).
resource "aws_iam_role_policies_exclusive" "cloudwatch" {
  count = var.manage_account_cloudwatch_role ? 1 : 0

  role_name    = aws_iam_role.cloudwatch[0].name
  policy_names = [aws_iam_role_policy.cloudwatch[0].name]
}

resource "aws_iam_role_policy_attachments_exclusive" "cloudwatch" {
  count = var.manage_account_cloudwatch_role ? 1 : 0

  role_name   = aws_iam_role.cloudwatch[0].name
  policy_arns = []
}

resource "aws_api_gateway_account" "this" {
  count = var.manage_account_cloudwatch_role ? 1 : 0

  cloudwatch_role_arn = aws_iam_role.cloudwatch[0].arn

  depends_on = [aws_iam_role_policy.cloudwatch]
}
