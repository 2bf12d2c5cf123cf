# Standard (legacy) access logs of the distribution. CloudFront delivers them
# with its awslogsdelivery account through a bucket ACL grant, which it adds
# itself when logging is configured (the caller has s3:PutBucketAcl), so this
# bucket keeps ACLs enabled (BucketOwnerPreferred: the log files still belong
# to the bucket owner) and Terraform does not manage the ACL (it would remove
# that grant). Everything else follows the project's log bucket rules: KMS
# encryption, no public access, TLS only, versioning, a retention window.
resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_144:Access logs are evidence kept for edge_log_retention_days in this region; a replica doubles the cost for no recovery need.
  #checkov:skip=CKV_AWS_18:This is the log bucket; logging it to itself would loop, and CloudTrail data events cover reads.
  #checkov:skip=CKV2_AWS_62:No consumer of object events; logs are read on demand.
  bucket        = "${var.name}-cloudfront-logs-${var.account_id}"
  force_destroy = var.logs_bucket.force_destroy

  tags = merge(var.tags, { Name = "${var.name}-cloudfront-logs" })
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  #checkov:skip=CKV2_AWS_65:CloudFront standard logging writes through an ACL grant it adds itself (awslogsdelivery), so ACLs stay enabled (BucketOwnerPreferred) on this log bucket only.
  bucket = aws_s3_bucket.logs.id

  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket = aws_s3_bucket.logs.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.logs_bucket.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    id     = "retention"
    status = "Enabled"

    filter {}

    expiration {
      days = var.logs_bucket.retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.logs]
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.logs.arn,
      "${aws_s3_bucket.logs.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json

  depends_on = [aws_s3_bucket_public_access_block.logs]
}
