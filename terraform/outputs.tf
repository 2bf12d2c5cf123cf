output "environment" {
  description = "Environment name (the resource name prefix)."
  value       = var.environment
}

output "aws_region" {
  description = "Region the stack is in."
  value       = var.aws_region
}

output "account_id" {
  description = "Account the stack is in."
  value       = try(local.account_id, null)
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = try(module.network.vpc_id, null)
}

output "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  value       = try(module.network.vpc_cidr, null)
}

output "availability_zones" {
  description = "Availability zones in use, in subnet order."
  value       = try(module.network.availability_zones, [])
}

output "public_subnet_ids" {
  description = "IDs of the public subnets, one per zone."
  value       = try(module.network.public_subnet_ids, [])
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, one per zone."
  value       = try(module.network.private_subnet_ids, [])
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways (empty with nat_gateway_mode = none)."
  value       = try(module.network.nat_gateway_ids, [])
}

output "elastic_ips" {
  description = "Elastic IPs of the stack (the NAT gateways'): list of {allocation_id, public_ip, arn}."
  value       = try(module.network.elastic_ips, [])
}

output "ecs_cluster_name" {
  description = "Name of the ECS cluster."
  value       = try(module.ecs.cluster_name, null)
}

output "ecs_cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = try(module.ecs.cluster_arn, null)
}

output "services" {
  description = "Per ECS service: service_name, service_arn, task_definition_arn (the one Terraform registered; CodeDeploy deploys later ones to blue/green services), task_definition_family, task_role_arn, execution_role_arn, log_group_name, security_group_id, port, nlb (NLB name or null), tracing (true when the task runs the X-Ray daemon sidecar: the services to sample and group in X-Ray), deployment_controller (CODE_DEPLOY or ECS), blue_green (the service's entry of the blue_green output, null when it rolls), allowed_from (the services that may open connections to it: the intended chain the compliance run checks)."
  value = try({ for k, s in module.ecs.services : k => {
    service_name           = s.service_name
    service_arn            = s.service_arn
    task_definition_arn    = s.task_definition_arn
    task_definition_family = s.task_definition_family
    task_role_arn          = s.task_role_arn
    execution_role_arn     = s.execution_role_arn
    log_group_name         = s.log_group_name
    security_group_id      = s.security_group_id
    port                   = s.port
    nlb                    = s.nlb
    tracing                = s.tracing
    deployment_controller  = s.deployment_controller
    blue_green             = lookup(local.blue_green_outputs, k, null)
    allowed_from           = var.services[k].allowed_from
  } }, {})
}

output "nlbs" {
  description = "Per NLB: arn, arn_suffix, dns_name, target_group_arn, target_group_name, target_group_arn_suffix, listener_arn, port (of the production listener), security_group_id, blue_green; for a blue/green service's NLB also green_target_group_arn, green_target_group_name, green_target_group_arn_suffix, test_listener_arn, test_port (null otherwise). CodeDeploy decides which group each listener forwards to."
  value = try({ for k, lb in module.nlb.load_balancers : k => {
    arn                           = lb.arn
    arn_suffix                    = lb.arn_suffix
    dns_name                      = lb.dns_name
    target_group_arn              = lb.target_group_arn
    target_group_name             = lb.target_group_name
    target_group_arn_suffix       = lb.target_group_arn_suffix
    listener_arn                  = lb.listener_arn
    port                          = lb.port
    security_group_id             = lb.security_group_id
    blue_green                    = lb.blue_green
    green_target_group_arn        = lb.green_target_group_arn
    green_target_group_name       = lb.green_target_group_name
    green_target_group_arn_suffix = lb.green_target_group_arn_suffix
    test_listener_arn             = lb.test_listener_arn
    test_port                     = lb.test_port
  } }, {})
}

locals {
  # What a CodeDeploy deployment group (ECS compute platform) and the AppSpec
  # of a blue/green service need, by service.
  blue_green_outputs = { for k in local.blue_green : k => {
    cluster_name              = module.ecs.cluster_name
    service_name              = module.ecs.services[k].service_name
    service_arn               = module.ecs.services[k].service_arn
    nlb                       = var.services[k].nlb
    target_group_names        = [module.nlb.load_balancers[var.services[k].nlb].target_group_name, module.nlb.load_balancers[var.services[k].nlb].green_target_group_name]
    target_group_arns         = [module.nlb.load_balancers[var.services[k].nlb].target_group_arn, module.nlb.load_balancers[var.services[k].nlb].green_target_group_arn]
    target_group_arn_suffixes = [module.nlb.load_balancers[var.services[k].nlb].target_group_arn_suffix, module.nlb.load_balancers[var.services[k].nlb].green_target_group_arn_suffix]
    prod_listener_arn         = module.nlb.load_balancers[var.services[k].nlb].listener_arn
    prod_listener_port        = module.nlb.load_balancers[var.services[k].nlb].port
    test_listener_arn         = module.nlb.load_balancers[var.services[k].nlb].test_listener_arn
    test_listener_port        = module.nlb.load_balancers[var.services[k].nlb].test_port
    container_name            = k
    container_port            = var.services[k].port
    task_definition_family    = module.ecs.services[k].task_definition_family
    subnet_ids                = module.ecs.services[k].subnet_ids
    security_group_ids        = [module.ecs.services[k].security_group_id]
    assign_public_ip          = false
  } }
}

output "blue_green" {
  description = "Per blue/green service (CODE_DEPLOY controller; none when blue/green is off): cluster_name, service_name, service_arn, nlb, target_group_names and target_group_arns (blue first, then green: the deployment group's target group pair), target_group_arn_suffixes (CloudWatch dimensions), prod_listener_arn/_port, test_listener_arn/_port, container_name and container_port (AppSpec LoadBalancerInfo), task_definition_family, and the AppSpec network configuration: subnet_ids, security_group_ids, assign_public_ip."
  value       = try(local.blue_green_outputs, {})
}

output "security_group_ids" {
  description = "Security group IDs: each service by its name, each NLB as nlb-<name>."
  value = try(merge(
    module.ecs.security_group_ids,
    { for k, id in module.nlb.security_group_ids : "nlb-${k}" => id },
  ), {})
}

output "security_group_rule_ids" {
  description = "The rules Terraform manages in each of its security groups, by group ID. Any other rule of these groups was added outside Terraform: base_infra revokes it (securecloud.monitor.ec2_security_group_rules)."
  value = try({
    for group_id in concat(values(module.ecs.security_group_ids), values(module.nlb.security_group_ids)) :
    group_id => sort([
      for rule in concat(module.ecs.security_group_rules, module.nlb.security_group_rules) : rule.id
      if rule.security_group_id == group_id
    ])
  }, {})
}

output "log_group_names" {
  description = "Every CloudWatch log group the stack creates (flow logs, ECS services and Exec, API access and execution)."
  value = try(compact(concat(
    [module.network.flow_log_group_name],
    module.ecs.log_group_names,
    flatten(module.edge[*].log_group_names),
  )), [])
}

output "flow_log_id" {
  description = "ID of the VPC flow log (null when disabled)."
  value       = try(module.network.flow_log_id, null)
}

output "flow_log_group_name" {
  description = "Log group of the VPC flow log (null when disabled)."
  value       = try(module.network.flow_log_group_name, null)
}

output "cloud_map_namespace_id" {
  description = "ID of the Cloud Map private DNS namespace."
  value       = try(module.ecs.cloud_map_namespace_id, null)
}

output "cloud_map_namespace_name" {
  description = "Name of the Cloud Map private DNS namespace (<environment>.internal); services are <service>.<namespace>."
  value       = try(module.ecs.cloud_map_namespace_name, null)
}

output "api_gateway" {
  description = "The public edge: nlb (the NLB its VPC link targets), rest_api_id, stage_name, stage_arn, invoke_url, vpc_link_id, access_log_group_name, execution_arn, custom_domain_url, regional_domain_name, certificate_validation_records. Values null when no service has edge = true."
  value = {
    nlb                            = local.edge_nlb
    rest_api_id                    = try(module.edge[0].rest_api_id, null)
    stage_name                     = try(module.edge[0].stage_name, null)
    stage_arn                      = try(module.edge[0].stage_arn, null)
    invoke_url                     = try(module.edge[0].invoke_url, null)
    vpc_link_id                    = try(module.edge[0].vpc_link_id, null)
    access_log_group_name          = try(module.edge[0].access_log_group_name, null)
    execution_arn                  = try(module.edge[0].execution_arn, null)
    custom_domain_url              = try(module.edge[0].custom_domain_url, null)
    regional_domain_name           = try(module.edge[0].regional_domain_name, null)
    certificate_validation_records = try(module.edge[0].certificate_validation_records, [])
  }
}

output "secret_arns" {
  description = "ARNs of the generated secrets, by key. Never the values."
  value       = try(module.ecs.secret_arns, {})
}

output "kms_key_arn" {
  description = "ARN of the environment's KMS key."
  value       = try(aws_kms_key.this.arn, null)
}

output "kms_key_alias" {
  description = "Alias of the environment's KMS key."
  value       = try(aws_kms_alias.this.name, null)
}
