# The chain: each service accepts only the tier in front of it, on its own
# port. A service fronted by an NLB accepts only that NLB's security group
# (NLB health checks come from it too); its callers get egress to the NLB.
# A service with no NLB accepts its callers' security groups directly.
locals {
  # The group a caller's egress to each target references: the target's NLB,
  # the target itself, or an external target's (a database's) group.
  target_security_group = merge(
    { for t, tsvc in var.services : t => tsvc.nlb != null ? var.load_balancers[tsvc.nlb].security_group_id : aws_security_group.service[t].id },
    { for t, ext in var.external_targets : t => ext.security_group_id },
  )

  direct_ingress = merge([for t, tsvc in var.services : {
    for s in tsvc.allowed_from : "${t}<-${s}" => { target = t, source = s, port = tsvc.port }
  } if tsvc.nlb == null]...)

  egress_to_target = merge(concat(
    [for s, _ in var.services : {
      for t in local.reaches[s] : "${s}->${t}" => {
        source = s
        target = t
        port   = local.endpoint[t].port
        # Through the NLB when the target has one, else straight to the target.
        referenced_sg = local.target_security_group[t]
      }
    }],
    # A blue/green target's callers also reach its NLB's test listener (to try
    # the replacement task set before it takes production traffic).
    [for s, _ in var.services : {
      for t in local.reaches[s] : "${s}->${t}:test" => {
        source        = s
        target        = t
        port          = var.load_balancers[var.services[t].nlb].test_port
        referenced_sg = var.load_balancers[var.services[t].nlb].security_group_id
      } if contains(var.blue_green_services, t)
    }],
  )...)
}

resource "aws_security_group" "service" {
  for_each = var.services

  name        = "${var.name}-${each.key}"
  description = "ECS service ${each.key}: only its callers in, only its dependencies out"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-${each.key}", Service = each.key })
}

resource "aws_vpc_security_group_ingress_rule" "from_nlb" {
  for_each = { for k, v in var.services : k => v if v.nlb != null }

  security_group_id            = aws_security_group.service[each.key].id
  description                  = "${each.key} port from NLB ${each.value.nlb} (traffic and health checks)"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = var.load_balancers[each.value.nlb].security_group_id

  tags = var.tags
  # moto 5.2.5 does not return descriptions of rules that reference a security
  # group, so they would show as drift on every plan. Descriptions carry no
  # access; ports and referenced groups are still compared.
  lifecycle {
    ignore_changes = [description]
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_service" {
  for_each = local.direct_ingress

  security_group_id            = aws_security_group.service[each.value.target].id
  description                  = "${each.value.target} port from ${each.value.source}"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = aws_security_group.service[each.value.source].id

  tags = var.tags
  # moto 5.2.5 does not return descriptions of rules that reference a security
  # group, so they would show as drift on every plan. Descriptions carry no
  # access; ports and referenced groups are still compared.
  lifecycle {
    ignore_changes = [description]
  }
}

resource "aws_vpc_security_group_egress_rule" "to_service" {
  for_each = local.egress_to_target

  security_group_id            = aws_security_group.service[each.value.source].id
  description                  = "${each.value.source} to ${each.value.target}${endswith(each.key, ":test") ? " (test listener)" : ""}"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.referenced_sg

  tags = var.tags
  # moto 5.2.5 does not return descriptions of rules that reference a security
  # group, so they would show as drift on every plan. Descriptions carry no
  # access; ports and referenced groups are still compared.
  lifecycle {
    ignore_changes = [description]
  }
}

# Image pulls (public.ecr.aws), Secrets Manager and CloudWatch Logs over the
# NAT gateway. Turn off when the VPC has endpoints and a private registry.
resource "aws_vpc_security_group_egress_rule" "https" {
  for_each = var.internet_egress_https ? var.services : {}

  security_group_id = aws_security_group.service[each.key].id
  description       = "HTTPS to registries and AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"

  tags = var.tags
}

# NFS (TLS inside) to the EFS mount targets, for the services that keep data
# on EFS.
resource "aws_vpc_security_group_egress_rule" "efs" {
  for_each = var.efs_mounts

  security_group_id            = aws_security_group.service[each.key].id
  description                  = "${each.key} to EFS"
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
  referenced_security_group_id = each.value.security_group_id

  tags = var.tags
  # As above (moto 5.2.5 drops descriptions of group-referencing rules).
  lifecycle {
    ignore_changes = [description]
  }
}
