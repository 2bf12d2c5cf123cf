terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
      # The copy of the backups in a second region (backup.copy_region); the
      # root passes its default provider when there is no second region.
      configuration_aliases = [aws.backup_copy]
    }
  }
}
