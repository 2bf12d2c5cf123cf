# The secret origin header. Three values are live at any time, one per
# generation (generation-1, generation, generation+1): CloudFront sends
# "current"; the regional web ACL on the stage (waf role) accepts any of the
# three. Bumping the generation makes CloudFront send what was "next", which
# the ACL already accepts, and retires "previous": no window in which
# CloudFront's header is refused. The waf role then reads the new set.
#
# Values: terraform_data over uuid() (crypto/rand, 122 random bits each),
# generated once per generation key and kept in state (ignore_changes), so a
# later plan never regenerates them. hashicorp/random's random_password would
# do the same, but this stack uses the AWS provider only (it is the one the
# offline provider mirror carries), and Secrets Manager's generator is
# ephemeral only (its value cannot reach CloudFront's configuration).
locals {
  generations = {
    previous = var.origin_secret.generation - 1
    current  = var.origin_secret.generation
    next     = var.origin_secret.generation + 1
  }
}

resource "terraform_data" "origin_secret" {
  for_each = toset([for g in values(local.generations) : tostring(g)])

  # sensitive: never in a plan, a diff or a log (the distribution's header
  # value, derived from it, is sensitive too).
  input = sensitive(substr(join("", [for i in range(ceil(var.origin_secret.length / 32)) : replace(uuid(), "-", "")]), 0, var.origin_secret.length))

  lifecycle {
    # One value per generation, for good: a later plan (or a new length)
    # must not change a value CloudFront or the web ACL already uses.
    ignore_changes = [input]
  }
}

resource "aws_secretsmanager_secret" "origin" {
  #checkov:skip=CKV2_AWS_57:Rotated by bumping edge_origin_secret_generation (Terraform, then the waf role), not by a rotation Lambda.
  name                    = "${var.name}/edge/origin-verify"
  description             = "${var.name}: the secret header CloudFront sends to the API (current) and the values the stage's web ACL accepts (previous, current, next)"
  kms_key_id              = var.origin_secret.kms_key_arn
  recovery_window_in_days = var.origin_secret.recovery_window_days

  tags = merge(var.tags, { Secret = "edge-origin-verify" })
}

resource "aws_secretsmanager_secret_version" "origin" {
  secret_id = aws_secretsmanager_secret.origin.id
  secret_string = jsonencode({
    header_name = var.origin_secret.header_name
    generation  = var.origin_secret.generation
    previous    = terraform_data.origin_secret[tostring(local.generations.previous)].output
    current     = terraform_data.origin_secret[tostring(local.generations.current)].output
    next        = terraform_data.origin_secret[tostring(local.generations.next)].output
  })
}
