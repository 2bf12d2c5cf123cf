"""The values `terraform show -json` marks sensitive are found as well in the raw state (`terraform state pull`)
with the providers' sensitive attributes (`terraform providers schema -json`): what the terraform_stack action
masks before a plan, read without starting a provider on every run. A small stack on the local cloud carries each
way Terraform marks a value: an attribute the provider declares sensitive (a resource's and a data source's), a
sensitive variable in a top-level attribute, in a set of blocks and in a dynamically typed one."""

from __future__ import annotations

import json

from ansible_collections.securecloud.monitor.plugins.module_utils.terraform_sensitive import (
    raw_state_secrets,
    sensitive_schema,
    state_secrets,
)

from tools.harness.playbook import run_terraform

PASSWORD = "db-password-7f3a9c1e"
PARAMETER = "parameter-value-2b8d4e6f"
HEADER = "header-value-5c1e9a7b"
DYNAMIC = "dynamic-value-8e2f6a3d"

STACK = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "endpoint" { type = string }
variable "password" {
  type      = string
  sensitive = true
}
variable "header" {
  type      = string
  sensitive = true
}
variable "dynamic" {
  type      = string
  sensitive = true
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  endpoints {
    ec2            = var.endpoint
    secretsmanager = var.endpoint
    ssm            = var.endpoint
    sts            = var.endpoint
  }
}

resource "aws_secretsmanager_secret" "db" {
  name = "sensitive-state-test"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = var.password
}

data "aws_secretsmanager_secret_version" "db" {
  secret_id  = aws_secretsmanager_secret.db.id
  depends_on = [aws_secretsmanager_secret_version.db]
}

resource "aws_ssm_parameter" "plain" {
  name  = "/sensitive-state-test/parameter"
  type  = "SecureString"
  value = "PARAMETER"
}

resource "aws_security_group" "tagged" {
  name = "sensitive-state-test"
  ingress {
    description = var.header
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "terraform_data" "dynamic" {
  input = var.dynamic
}
""".replace("PARAMETER", PARAMETER)


def test_the_raw_state_with_the_providers_schema_masks_what_show_json_marks(cloud, tmp_path):
    (tmp_path / "main.tf").write_text(STACK)
    init = run_terraform(tmp_path, "init", "-input=false")
    assert init.returncode == 0, init.stdout + init.stderr
    variables = [f"-var=endpoint={cloud.endpoint}", f"-var=password={PASSWORD}", f"-var=header={HEADER}"]
    apply = run_terraform(tmp_path, "apply", "-input=false", "-auto-approve", *variables, f"-var=dynamic={DYNAMIC}")
    assert apply.returncode == 0, apply.stdout[-4000:] + apply.stderr[-4000:]

    shown = json.loads(run_terraform(tmp_path, "show", "-json").stdout)
    pulled = json.loads(run_terraform(tmp_path, "state", "pull").stdout)
    schemas = json.loads(run_terraform(tmp_path, "providers", "schema", "-json").stdout)

    expected = state_secrets(shown)
    assert {PASSWORD, PARAMETER, HEADER, DYNAMIC} <= expected
    assert raw_state_secrets(pulled, sensitive_schema(schemas)) == expected
