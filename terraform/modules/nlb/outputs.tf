output "load_balancers" {
  description = "Per load balancer: arn, arn_suffix, dns_name, zone_id, target_group_arn, target_group_name, target_group_arn_suffix, listener_arn, security_group_id, port; for blue/green ones (blue_green true) also green_target_group_arn, green_target_group_name, green_target_group_arn_suffix, test_listener_arn and test_port (null otherwise)."
  value = { for k, lb in var.load_balancers : k => {
    arn        = try(aws_lb.this[k].arn, null)
    arn_suffix = try(aws_lb.this[k].arn_suffix, null)
    dns_name   = try(aws_lb.this[k].dns_name, null)
    zone_id    = try(aws_lb.this[k].zone_id, null)
    blue_green = lb.test_port != null
    # Read through the listener so that consumers (ECS services) wait until
    # the target group is attached to its load balancer. A blue/green
    # listener's forward target belongs to CodeDeploy: the blue group is named
    # directly, still behind the listener.
    target_group_arn = lb.test_port == null ? try(aws_lb_listener.rolling[k].default_action[0].target_group_arn, null) : (
      try(aws_lb_listener.this[k].arn, null) == null ? null : try(aws_lb_target_group.this[k].arn, null)
    )
    target_group_name       = try(aws_lb_target_group.this[k].name, null)
    target_group_arn_suffix = try(aws_lb_target_group.this[k].arn_suffix, null)
    listener_arn            = lb.test_port == null ? try(aws_lb_listener.rolling[k].arn, null) : try(aws_lb_listener.this[k].arn, null)
    green_target_group_arn = lb.test_port == null ? null : (
      try(aws_lb_listener.test[k].arn, null) == null ? null : try(aws_lb_target_group.green[k].arn, null)
    )
    green_target_group_name       = try(aws_lb_target_group.green[k].name, null)
    green_target_group_arn_suffix = try(aws_lb_target_group.green[k].arn_suffix, null)
    test_listener_arn             = try(aws_lb_listener.test[k].arn, null)
    test_port                     = lb.test_port
    security_group_id             = try(aws_security_group.this[k].id, null)
    port                          = lb.port
  } }
}

output "security_group_ids" {
  description = "Security group ID of each load balancer, by name."
  value       = { for k, sg in aws_security_group.this : k => try(sg.id, null) }
}

output "security_group_rules" {
  description = "Every security group rule this module creates, as {security_group_id, id}."
  value = concat(
    [for rule in aws_vpc_security_group_ingress_rule.client : { security_group_id = rule.security_group_id, id = rule.id }],
    [for rule in aws_vpc_security_group_egress_rule.target : { security_group_id = rule.security_group_id, id = rule.id }],
  )
}
