output "rest_api_id" {
  description = "ID of the REST API."
  value       = try(aws_api_gateway_rest_api.this.id, null)
}

output "stage_name" {
  description = "Name of the stage."
  value       = try(aws_api_gateway_stage.this.stage_name, null)
}

output "stage_arn" {
  description = "ARN of the stage (arn:aws:apigateway:REGION::/restapis/ID/stages/STAGE), the form WAF associations take."
  value       = try(aws_api_gateway_stage.this.arn, null)
}

output "invoke_url" {
  description = "Invoke URL of the stage (execute-api host)."
  value       = try(aws_api_gateway_stage.this.invoke_url, null)
}

output "execution_arn" {
  description = "Execution ARN of the stage (for IAM and resource policies)."
  value       = try(aws_api_gateway_stage.this.execution_arn, null)
}

output "vpc_link_id" {
  description = "ID of the VPC link to the NLB."
  value       = try(aws_api_gateway_vpc_link.this.id, null)
}

output "access_log_group_name" {
  description = "Name of the access log group."
  value       = try(aws_cloudwatch_log_group.access.name, null)
}

output "log_group_names" {
  description = "Names of the log groups this module creates."
  value       = try([aws_cloudwatch_log_group.access.name, aws_cloudwatch_log_group.execution.name], [])
}

output "custom_domain_url" {
  description = "https URL on the custom domain (null without domain_name)."
  value       = try("https://${aws_api_gateway_domain_name.this[0].domain_name}/", null)
}

output "regional_domain_name" {
  description = "Target for a DNS alias/CNAME to the custom domain (null without domain_name)."
  value       = try(aws_api_gateway_domain_name.this[0].regional_domain_name, null)
}

output "certificate_arn" {
  description = "ARN of the ACM certificate (null without domain_name)."
  value       = try(aws_acm_certificate.this[0].arn, null)
}

output "certificate_validation_records" {
  description = "DNS records that validate the certificate (empty without domain_name)."
  value = try([for o in aws_acm_certificate.this[0].domain_validation_options : {
    name  = o.resource_record_name
    type  = o.resource_record_type
    value = o.resource_record_value
  }], [])
}

output "rest_api_name" {
  description = "Name of the REST API (the ApiName dimension of its metrics)."
  value       = try(aws_api_gateway_rest_api.this.name, null)
}
