terraform {
  # Ephemeral resources and write-only attributes (secret values never in state) need 1.11.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100.0"
    }
  }

  # No backend block on purpose: the base_infra role writes backend.tf into the
  # per-environment copy of this directory (local state, or S3 with locking).
}
