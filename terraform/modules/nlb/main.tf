locals {
  # ELB names are capped at 32 characters and must be unique per account and
  # region; long ones keep a readable head plus a stable hash of the full name.
  lb_names = { for k, _ in var.load_balancers :
    k => length("${var.name}-${k}") <= 32 ? "${var.name}-${k}" : "${substr("${var.name}-${k}", 0, 23)}-${substr(sha1("${var.name}-${k}"), 0, 8)}"
  }
  # The target port is part of the name so that a port change (which
  # replaces the group) can create the new one before the old is released.
  tg_names = { for k, lb in var.load_balancers :
    k => length("${var.name}-${k}-${lb.target_port}") <= 32 ? "${var.name}-${k}-${lb.target_port}" : "${substr("${var.name}-${k}", 0, 17)}-${substr(sha1("${var.name}-${k}"), 0, 8)}-${lb.target_port}"
  }

  # Blue/green (CodeDeploy) load balancers: those given a test port.
  blue_green = { for k, lb in var.load_balancers : k => lb if lb.test_port != null }
  rolling    = { for k, lb in var.load_balancers : k => lb if lb.test_port == null }

  # The green group of a blue/green pair: the blue name (kept as it was, so an
  # existing stack keeps its groups) with a "-green" suffix, or a shorter head
  # plus the same stable hash when that passes 32 characters.
  green_tg_names = { for k, lb in local.blue_green :
    k => length("${var.name}-${k}-${lb.target_port}-green") <= 32 ? "${var.name}-${k}-${lb.target_port}-green" : "${substr("${var.name}-${k}", 0, 11)}-${substr(sha1("${var.name}-${k}"), 0, 8)}-${lb.target_port}-green"
  }

  # Each client reaches the production listener, and the test listener of a
  # blue/green load balancer: the same clients, nobody else.
  client_rules = merge(concat(
    [for k, lb in var.load_balancers : {
      for client, sg in lb.client_security_groups : "${k}<-${client}" => { lb = k, client = client, sg = sg, port = lb.port, listener = "Listener" }
    }],
    [for k, lb in local.blue_green : {
      for client, sg in lb.client_security_groups : "${k}<-${client}:test" => { lb = k, client = client, sg = sg, port = lb.test_port, listener = "Test listener" }
    }],
  )...)
}

resource "aws_security_group" "this" {
  for_each = var.load_balancers

  name        = "${var.name}-${each.key}-nlb"
  description = "NLB ${each.key}: listener from its clients, out to its targets only"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-${each.key}-nlb" })
}

resource "aws_vpc_security_group_ingress_rule" "client" {
  for_each = local.client_rules

  security_group_id            = aws_security_group.this[each.value.lb].id
  description                  = "${each.value.listener} from ${each.value.client}"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.sg

  tags = var.tags
  # moto 5.2.5 does not return descriptions of rules that reference a security
  # group, so they would show as drift on every plan. Descriptions carry no
  # access; ports and referenced groups are still compared.
  lifecycle {
    ignore_changes = [description]
  }
}

# Health checks are governed by the NLB's outbound rules only, so this one
# rule covers both traffic and health checks (they use the traffic port), for
# both target groups of a blue/green pair (same targets' group, same port).
resource "aws_vpc_security_group_egress_rule" "target" {
  for_each = var.load_balancers

  security_group_id            = aws_security_group.this[each.key].id
  description                  = "Traffic and health checks to the targets"
  ip_protocol                  = "tcp"
  from_port                    = each.value.target_port
  to_port                      = each.value.target_port
  referenced_security_group_id = each.value.target_security_group_id

  tags = var.tags
  # moto 5.2.5 does not return descriptions of rules that reference a security
  # group, so they would show as drift on every plan. Descriptions carry no
  # access; ports and referenced groups are still compared.
  lifecycle {
    ignore_changes = [description]
  }
}

resource "aws_lb" "this" {
  for_each = var.load_balancers
  #checkov:skip=CKV_AWS_91:NLB access logs only cover TLS listeners and these are TCP; VPC flow logs record the traffic. Set access_logs to enable.
  #checkov:skip=CKV_AWS_150:Deletion protection is the deletion_protection variable, off by default so environment teardown works.

  name                             = local.lb_names[each.key]
  load_balancer_type               = "network"
  internal                         = true
  subnets                          = var.subnet_ids
  security_groups                  = [aws_security_group.this[each.key].id]
  enable_cross_zone_load_balancing = true
  enable_deletion_protection       = var.deletion_protection
  # VPC link traffic arrives over PrivateLink from API Gateway's addresses,
  # with no security group to reference. "off" lets only PrivateLink through:
  # the group has no inbound rule, so nothing inside the VPC reaches this NLB.
  enforce_security_group_inbound_rules_on_private_link_traffic = each.value.private_link ? "off" : null

  dynamic "access_logs" {
    for_each = var.access_logs == null ? [] : [var.access_logs]
    content {
      bucket  = access_logs.value.bucket
      prefix  = access_logs.value.prefix
      enabled = true
    }
  }

  tags = merge(var.tags, { Name = local.lb_names[each.key] })

  lifecycle {
    # moto 5.2.5 ignores this setting (SetSecurityGroups) and reads back
    # nothing; it is applied at create on AWS. The posture checks assert it.
    ignore_changes = [enforce_security_group_inbound_rules_on_private_link_traffic]
  }
}

resource "aws_lb_target_group" "this" {
  for_each = var.load_balancers

  name                 = local.tg_names[each.key]
  vpc_id               = var.vpc_id
  target_type          = "ip"
  protocol             = "TCP"
  port                 = each.value.target_port
  deregistration_delay = each.value.deregistration_delay

  health_check {
    enabled             = true
    protocol            = "TCP"
    port                = "traffic-port"
    interval            = each.value.health_check.interval
    timeout             = each.value.health_check.timeout
    healthy_threshold   = each.value.health_check.healthy_threshold
    unhealthy_threshold = each.value.health_check.unhealthy_threshold
  }

  tags = merge(var.tags, { Name = local.tg_names[each.key] })

  lifecycle {
    create_before_destroy = true
  }
}

# Blue/green: the green twin of the target group. CodeDeploy registers the
# replacement task set in whichever group is idle and swaps the listeners.
resource "aws_lb_target_group" "green" {
  for_each = local.blue_green

  name                 = local.green_tg_names[each.key]
  vpc_id               = var.vpc_id
  target_type          = "ip"
  protocol             = "TCP"
  port                 = each.value.target_port
  deregistration_delay = each.value.deregistration_delay

  health_check {
    enabled             = true
    protocol            = "TCP"
    port                = "traffic-port"
    interval            = each.value.health_check.interval
    timeout             = each.value.health_check.timeout
    healthy_threshold   = each.value.health_check.healthy_threshold
    unhealthy_threshold = each.value.health_check.unhealthy_threshold
  }

  tags = merge(var.tags, { Name = local.green_tg_names[each.key] })

  lifecycle {
    create_before_destroy = true
  }
}

# Production listener of a blue/green load balancer. It starts on the blue
# group; afterwards CodeDeploy points it at the group of the task set that won
# the last deployment, so Terraform leaves the forward target alone (putting it
# back would send production traffic to the retired task set). The resource
# keeps the name the listeners had before blue/green, so turning it on does not
# replace the listeners of an existing stack.
resource "aws_lb_listener" "this" {
  for_each = local.blue_green

  load_balancer_arn = aws_lb.this[each.key].arn
  port              = each.value.port
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[each.key].arn
  }

  tags = var.tags

  lifecycle {
    ignore_changes = [default_action]
    # A new blue group (target port change) needs a listener on it.
    replace_triggered_by = [aws_lb_target_group.this[each.key].id]
  }
}

# Test listener of a blue/green load balancer: starts on the green group, which
# it attaches to the load balancer (ECS only registers tasks in a group that
# has one); during a deployment CodeDeploy sends it to the replacement task set.
resource "aws_lb_listener" "test" {
  for_each = local.blue_green

  load_balancer_arn = aws_lb.this[each.key].arn
  port              = each.value.test_port
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.green[each.key].arn
  }

  tags = var.tags

  lifecycle {
    ignore_changes       = [default_action]
    replace_triggered_by = [aws_lb_target_group.green[each.key].id]
  }
}

# Listener of a load balancer whose service rolls (ECS controller): Terraform
# owns its target. It waits for a blue/green listener of the same load balancer
# to go first when a service leaves blue/green (same port).
resource "aws_lb_listener" "rolling" {
  for_each = local.rolling

  load_balancer_arn = aws_lb.this[each.key].arn
  port              = each.value.port
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[each.key].arn
  }

  tags = var.tags

  depends_on = [aws_lb_listener.this]
}
