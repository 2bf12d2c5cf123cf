terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
      # CloudFront's certificate and its CloudWatch metrics live in us-east-1,
      # whatever the environment's region.
      configuration_aliases = [aws.us_east_1]
    }
  }
}
