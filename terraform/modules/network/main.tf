locals {
  az_count = length(var.availability_zones)

  # Public subnets take the low blocks, private the high ones, so adding zones
  # later never renumbers an existing subnet.
  public_cidrs  = [for i in range(local.az_count) : cidrsubnet(var.vpc_cidr, 4, i)]
  private_cidrs = [for i in range(local.az_count) : cidrsubnet(var.vpc_cidr, 4, i + 8)]

  nat_count = {
    single = 1
    per_az = local.az_count
    none   = 0
  }[var.nat_gateway_mode]

  # NACLs are stateless: besides the intended flows they must admit the
  # replies, which come back to ephemeral ports. Public subnets hold only the
  # NAT gateways, which forward HTTPS (all the tasks may send outside).
  public_nacl_rules = {
    in_vpc_tls       = { egress = false, number = 100, protocol = "tcp", cidr = var.vpc_cidr, from = 443, to = 443 }
    in_internet_eph  = { egress = false, number = 110, protocol = "tcp", cidr = "0.0.0.0/0", from = 1024, to = 65535 }
    out_vpc_all      = { egress = true, number = 100, protocol = "-1", cidr = var.vpc_cidr, from = 0, to = 0 }
    out_internet_tls = { egress = true, number = 110, protocol = "tcp", cidr = "0.0.0.0/0", from = 443, to = 443 }
  }

  # Private subnets: service ports and replies from the VPC, replies from the
  # internet (through NAT), and the edge listener (PrivateLink) with its
  # replies. Rule numbers derive from the port so they never shift.
  private_nacl_rules = merge(
    {
      in_vpc_eph       = { egress = false, number = 100, protocol = "tcp", cidr = var.vpc_cidr, from = 1024, to = 65535 }
      in_internet_eph  = { egress = false, number = 110, protocol = "tcp", cidr = "0.0.0.0/0", from = 1024, to = 65535 }
      out_vpc_all      = { egress = true, number = 100, protocol = "-1", cidr = var.vpc_cidr, from = 0, to = 0 }
      out_internet_tls = { egress = true, number = 110, protocol = "tcp", cidr = "0.0.0.0/0", from = 443, to = 443 }
      out_internet_eph = { egress = true, number = 120, protocol = "tcp", cidr = "0.0.0.0/0", from = 1024, to = 65535 }
    },
    { for port in distinct([for p in var.internal_tcp_ports : p if p < 1024]) :
      "in_vpc_${port}" => { egress = false, number = 1000 + port, protocol = "tcp", cidr = var.vpc_cidr, from = port, to = port }
    },
    { for i, port in distinct(var.edge_ingress_ports) :
      "in_edge_${port}" => { egress = false, number = 200 + i, protocol = "tcp", cidr = "0.0.0.0/0", from = port, to = port }
    },
  )
}

resource "aws_vpc" "this" {
  cidr_block = var.vpc_cidr
  # Cloud Map private DNS namespaces need both.
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(var.tags, { Name = var.name })
}

# Take over the default security group and leave it with no rules, so nothing
# that lands in it by accident can talk to anything.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-default-deny" })
}

# Same for the default network ACL: no rules, so a subnet created outside this
# stack (which lands on it) has no traffic until someone decides otherwise.
resource "aws_default_network_acl" "this" {
  default_network_acl_id = aws_vpc.this.default_network_acl_id

  tags = merge(var.tags, { Name = "${var.name}-default-deny" })

  lifecycle {
    # Subnets are associated with the public/private ACLs below; this list is
    # whatever is left over.
    ignore_changes = [subnet_ids]
  }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  count = local.az_count

  vpc_id            = aws_vpc.this.id
  cidr_block        = local.public_cidrs[count.index]
  availability_zone = var.availability_zones[count.index]
  # Only NAT gateways live here and they use Elastic IPs.
  map_public_ip_on_launch = false

  tags = merge(var.tags, { Name = "${var.name}-public-${var.availability_zones[count.index]}", Tier = "public" })
}

resource "aws_subnet" "private" {
  count = local.az_count

  vpc_id                  = aws_vpc.this.id
  cidr_block              = local.private_cidrs[count.index]
  availability_zone       = var.availability_zones[count.index]
  map_public_ip_on_launch = false

  tags = merge(var.tags, { Name = "${var.name}-private-${var.availability_zones[count.index]}", Tier = "private" })
}

resource "aws_eip" "nat" {
  count = local.nat_count

  domain = "vpc"

  tags = merge(var.tags, { Name = "${var.name}-nat-${var.availability_zones[count.index]}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  count = local.nat_count

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id

  tags = merge(var.tags, { Name = "${var.name}-${var.availability_zones[count.index]}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  count = local.az_count

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# One private route table per zone whatever the NAT mode, so switching modes
# only changes routes, never subnet associations.
resource "aws_route_table" "private" {
  count = local.az_count

  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-private-${var.availability_zones[count.index]}" })
}

resource "aws_route" "private_nat" {
  count = local.nat_count > 0 ? local.az_count : 0

  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[var.nat_gateway_mode == "per_az" ? count.index : 0].id
}

resource "aws_route_table_association" "private" {
  count = local.az_count

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

resource "aws_network_acl" "public" {
  vpc_id     = aws_vpc.this.id
  subnet_ids = aws_subnet.public[*].id

  tags = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_network_acl_rule" "public" {
  for_each = local.public_nacl_rules
  #checkov:skip=CKV_AWS_231:Ephemeral reply range 1024-65535 spans 3389; no RDP listener exists and SGs filter ports.

  network_acl_id = aws_network_acl.public.id
  rule_number    = each.value.number
  egress         = each.value.egress
  protocol       = each.value.protocol
  rule_action    = "allow"
  cidr_block     = each.value.cidr
  from_port      = each.value.from
  to_port        = each.value.to
}

resource "aws_network_acl" "private" {
  vpc_id     = aws_vpc.this.id
  subnet_ids = aws_subnet.private[*].id

  tags = merge(var.tags, { Name = "${var.name}-private" })
}

resource "aws_network_acl_rule" "private" {
  for_each = local.private_nacl_rules
  #checkov:skip=CKV_AWS_231:Ephemeral reply range 1024-65535 spans 3389; no RDP listener exists and SGs filter ports.

  network_acl_id = aws_network_acl.private.id
  rule_number    = each.value.number
  egress         = each.value.egress
  protocol       = each.value.protocol
  rule_action    = "allow"
  cidr_block     = each.value.cidr
  from_port      = each.value.from
  to_port        = each.value.to
}
