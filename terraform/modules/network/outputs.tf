output "vpc_id" {
  description = "ID of the VPC."
  value       = try(aws_vpc.this.id, null)
}

output "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  value       = try(aws_vpc.this.cidr_block, null)
}

output "availability_zones" {
  description = "Availability zones the subnets are in, in subnet order."
  value       = var.availability_zones
}

output "public_subnet_ids" {
  description = "IDs of the public subnets, one per zone."
  value       = try(aws_subnet.public[*].id, [])
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, one per zone."
  value       = try(aws_subnet.private[*].id, [])
}

output "public_route_table_id" {
  description = "ID of the public route table."
  value       = try(aws_route_table.public.id, null)
}

output "private_route_table_ids" {
  description = "IDs of the private route tables, one per zone."
  value       = try(aws_route_table.private[*].id, [])
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways (empty when nat_gateway_mode is none)."
  value       = try(aws_nat_gateway.this[*].id, [])
}

output "elastic_ips" {
  description = "Elastic IPs of the NAT gateways."
  value = try([for eip in aws_eip.nat : {
    allocation_id = eip.allocation_id
    public_ip     = eip.public_ip
    arn           = eip.arn
  }], [])
}

output "default_security_group_id" {
  description = "ID of the VPC's default security group (left with no rules)."
  value       = try(aws_default_security_group.this.id, null)
}

output "network_acl_ids" {
  description = "IDs of the public and private network ACLs."
  value = {
    public  = try(aws_network_acl.public.id, null)
    private = try(aws_network_acl.private.id, null)
  }
}

output "flow_log_id" {
  description = "ID of the VPC flow log (null when disabled)."
  value       = try(aws_flow_log.this[0].id, null)
}

output "flow_log_group_name" {
  description = "Name of the flow log's CloudWatch log group (null when disabled)."
  value       = try(aws_cloudwatch_log_group.flow_logs[0].name, null)
}

output "flow_log_group_arn" {
  description = "ARN of the flow log's CloudWatch log group (null when disabled)."
  value       = try(aws_cloudwatch_log_group.flow_logs[0].arn, null)
}

output "network_acl_entries" {
  description = "The entries Terraform manages in each network ACL, by ACL ID, as <ingress|egress>:<rule number>."
  value = try({
    (aws_network_acl.public.id)  = sort([for r in aws_network_acl_rule.public : "${r.egress ? "egress" : "ingress"}:${r.rule_number}"])
    (aws_network_acl.private.id) = sort([for r in aws_network_acl_rule.private : "${r.egress ? "egress" : "ingress"}:${r.rule_number}"])
  }, {})
}

output "route_destinations" {
  description = "The destinations of the routes Terraform manages in each route table, by route table ID."
  value = try(merge(
    { (aws_route_table.public.id) = [aws_route.public_internet.destination_cidr_block] },
    { for t in aws_route_table.private : t.id => [for r in aws_route.private_nat : r.destination_cidr_block if r.route_table_id == t.id] },
  ), {})
}
