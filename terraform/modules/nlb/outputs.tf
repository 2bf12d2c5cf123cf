output "load_balancers" {
  description = "Per load balancer: arn, arn_suffix, dns_name, zone_id, target_group_arn, target_group_arn_suffix, listener_arn, security_group_id, port."
  value = { for k, lb in var.load_balancers : k => {
    arn        = try(aws_lb.this[k].arn, null)
    arn_suffix = try(aws_lb.this[k].arn_suffix, null)
    dns_name   = try(aws_lb.this[k].dns_name, null)
    zone_id    = try(aws_lb.this[k].zone_id, null)
    # Read through the listener so that consumers (ECS services) wait until
    # the target group is attached to its load balancer.
    target_group_arn        = try(aws_lb_listener.this[k].default_action[0].target_group_arn, null)
    target_group_arn_suffix = try(aws_lb_target_group.this[k].arn_suffix, null)
    listener_arn            = try(aws_lb_listener.this[k].arn, null)
    security_group_id       = try(aws_security_group.this[k].id, null)
    port                    = lb.port
  } }
}

output "security_group_ids" {
  description = "Security group ID of each load balancer, by name."
  value       = { for k, sg in aws_security_group.this : k => try(sg.id, null) }
}
