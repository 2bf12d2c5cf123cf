output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = try(aws_ecs_cluster.this.name, null)
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = try(aws_ecs_cluster.this.arn, null)
}

output "services" {
  description = "Per service: service_name, service_arn, task_definition_arn, task_definition_family, log_group_name, security_group_id, execution_role_arn, task_role_arn, discovery_name, port, nlb, tracing (true when the task runs the X-Ray daemon sidecar), deployment_controller (ECS or CODE_DEPLOY), subnet_ids."
  value = { for k, svc in var.services : k => {
    service_name           = try(local.services[k].name, null)
    service_arn            = try(local.services[k].id, null)
    task_definition_arn    = try(aws_ecs_task_definition.this[k].arn, null)
    task_definition_family = try(aws_ecs_task_definition.this[k].family, null)
    log_group_name         = try(aws_cloudwatch_log_group.service[k].name, null)
    security_group_id      = try(aws_security_group.service[k].id, null)
    execution_role_arn     = try(aws_iam_role.execution[k].arn, null)
    task_role_arn          = try(aws_iam_role.task[k].arn, null)
    discovery_name         = try("${k}.${aws_service_discovery_private_dns_namespace.this.name}", null)
    port                   = svc.port
    nlb                    = svc.nlb
    tracing                = try(local.traced[k], false)
    deployment_controller  = contains(var.blue_green_services, k) ? "CODE_DEPLOY" : "ECS"
    subnet_ids             = var.subnet_ids
    efs_path               = try(var.efs_mounts[k].path, null)
  } }
}

output "security_group_ids" {
  description = "Security group ID of each service, by service name."
  value       = { for k, sg in aws_security_group.service : k => try(sg.id, null) }
}

output "security_group_rules" {
  description = "Every security group rule this module creates, as {security_group_id, id}."
  value = concat(
    [for rule in aws_vpc_security_group_ingress_rule.from_nlb : { security_group_id = rule.security_group_id, id = rule.id }],
    [for rule in aws_vpc_security_group_ingress_rule.from_service : { security_group_id = rule.security_group_id, id = rule.id }],
    [for rule in aws_vpc_security_group_egress_rule.to_service : { security_group_id = rule.security_group_id, id = rule.id }],
    [for rule in aws_vpc_security_group_egress_rule.https : { security_group_id = rule.security_group_id, id = rule.id }],
    [for rule in aws_vpc_security_group_egress_rule.efs : { security_group_id = rule.security_group_id, id = rule.id }],
  )
}

output "log_group_names" {
  description = "Names of the log groups this module creates (services and ECS Exec)."
  value       = try(concat([for lg in aws_cloudwatch_log_group.service : lg.name], [aws_cloudwatch_log_group.exec.name]), [])
}

output "cloud_map_namespace_id" {
  description = "ID of the Cloud Map private DNS namespace."
  value       = try(aws_service_discovery_private_dns_namespace.this.id, null)
}

output "cloud_map_namespace_name" {
  description = "Name of the Cloud Map private DNS namespace."
  value       = try(aws_service_discovery_private_dns_namespace.this.name, null)
}

output "cloud_map_namespace_arn" {
  description = "ARN of the Cloud Map private DNS namespace."
  value       = try(aws_service_discovery_private_dns_namespace.this.arn, null)
}

output "secret_arns" {
  description = "ARNs of the generated secrets, by key. Never the values."
  value       = { for k, s in aws_secretsmanager_secret.this : k => try(s.arn, null) }
}
