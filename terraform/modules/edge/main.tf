locals {
  backend = "http://${var.nlb_dns_name}:${var.nlb_port}"
}

resource "aws_api_gateway_vpc_link" "this" {
  name        = "${var.name}-edge"
  description = "API Gateway to the ${var.name} api-gateway NLB"
  target_arns = [var.nlb_arn]

  tags = var.tags
}

resource "aws_api_gateway_rest_api" "this" {
  #checkov:skip=CKV_AWS_237:create_before_destroy would spread to the base path mapping, which cannot exist twice on one domain.
  name        = "${var.name}-edge"
  description = "Public HTTP entry of ${var.name}: proxies everything to the api-gateway service"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = var.tags
}

resource "aws_api_gateway_resource" "proxy" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = "{proxy+}"
}

# Authentication is the api-gateway service's job (it is the application's own
# gateway); this edge adds TLS, throttling, logging and the WAF attachment point.
resource "aws_api_gateway_method" "root" {
  #checkov:skip=CKV_AWS_59:Public API by design; the api-gateway service authenticates and the security layer attaches WAF to the stage.
  #checkov:skip=CKV2_AWS_53:HTTP_PROXY passes requests through untouched; the backend validates them.
  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = aws_api_gateway_rest_api.this.root_resource_id
  http_method   = "ANY"
  authorization = "NONE"
}

resource "aws_api_gateway_method" "proxy" {
  #checkov:skip=CKV_AWS_59:Public API by design; the api-gateway service authenticates and the security layer attaches WAF to the stage.
  #checkov:skip=CKV2_AWS_53:HTTP_PROXY passes requests through untouched; the backend validates them.
  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = aws_api_gateway_resource.proxy.id
  http_method   = "ANY"
  authorization = "NONE"

  request_parameters = {
    "method.request.path.proxy" = true
  }
}

resource "aws_api_gateway_integration" "root" {
  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = aws_api_gateway_rest_api.this.root_resource_id
  http_method             = aws_api_gateway_method.root.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "ANY"
  uri                     = "${local.backend}/"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.this.id
  timeout_milliseconds    = var.integration_timeout_ms

  lifecycle {
    # See the proxy integration.
    ignore_changes       = [connection_id]
    replace_triggered_by = [aws_api_gateway_vpc_link.this.id]
  }
}

resource "aws_api_gateway_integration" "proxy" {
  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = aws_api_gateway_resource.proxy.id
  http_method             = aws_api_gateway_method.proxy.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "ANY"
  uri                     = "${local.backend}/{proxy}"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.this.id
  timeout_milliseconds    = var.integration_timeout_ms

  request_parameters = {
    "integration.request.path.proxy" = "method.request.path.proxy"
  }

  lifecycle {
    # moto 5.2.5 does not store connectionId, so it reads back empty; a new
    # VPC link replaces the integration instead of updating it in place.
    ignore_changes       = [connection_id]
    replace_triggered_by = [aws_api_gateway_vpc_link.this.id]
  }
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  description = "Managed by Terraform"

  # A deployment is a snapshot: take a new one whenever the API changes. Only
  # IDs and configured values are hashed, not whole resources, whose
  # read-back attributes would redeploy on every plan.
  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.proxy.id,
      aws_api_gateway_method.root.id,
      aws_api_gateway_method.proxy.id,
      aws_api_gateway_integration.root.id,
      aws_api_gateway_integration.proxy.id,
      aws_api_gateway_vpc_link.this.id,
      local.backend,
      var.integration_timeout_ms,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

# API Gateway writes execution logs to this fixed name and would create it
# itself with no retention and no encryption; create it first.
resource "aws_cloudwatch_log_group" "execution" {
  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.this.id}/${var.stage_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

resource "aws_api_gateway_stage" "this" {
  #checkov:skip=CKV_AWS_120:Proxy to a dynamic API: a cache would serve one caller's responses to another and costs per hour.
  #checkov:skip=CKV2_AWS_29:The WAF web ACL is associated with this stage by the security layer (waf role), from the public_http_entry_points output.
  #checkov:skip=CKV2_AWS_51:Client certificates authenticate API Gateway to HTTP backends; the backend is reached over the VPC link and is not publicly reachable.
  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = var.stage_name
  xray_tracing_enabled = var.xray_tracing_enabled

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      extendedRequestId  = "$context.extendedRequestId"
      ip                 = "$context.identity.sourceIp"
      userAgent          = "$context.identity.userAgent"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      resourcePath       = "$context.resourcePath"
      path               = "$context.path"
      protocol           = "$context.protocol"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationStatus  = "$context.integration.status"
      integrationLatency = "$context.integration.latency"
      integrationError   = "$context.integration.error"
      wafResponse        = "$context.waf.status"
      xrayTraceId        = "$context.xrayTraceId"
    })
  }

  tags = var.tags

  depends_on = [
    aws_api_gateway_account.this,
    aws_cloudwatch_log_group.execution,
  ]
}

resource "aws_api_gateway_method_settings" "all" {
  #checkov:skip=CKV_AWS_225:No response cache on a pass-through proxy (see the stage).
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = var.logging_level
    data_trace_enabled     = false
    throttling_rate_limit  = var.throttling.rate_limit
    throttling_burst_limit = var.throttling.burst_limit
    # Caching stays off (see the stage); if it is ever turned on, encrypted.
    caching_enabled      = false
    cache_data_encrypted = true
  }
}
