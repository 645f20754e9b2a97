# The operational log bucket: JSON Lines objects under events/yyyy/MM/dd/HH/, written by the service
# (OperationalLog:Bucket), kept for the workspace's event_retention_days.

resource "aws_s3_bucket" "operational_log" {
  bucket = local.log_bucket_name
  # Only dev may be destroyed with its logs in it.
  force_destroy = terraform.workspace == "dev"
}

resource "aws_s3_bucket_versioning" "operational_log" {
  bucket = aws_s3_bucket.operational_log.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "operational_log" {
  bucket = aws_s3_bucket.operational_log.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

resource "aws_s3_bucket_public_access_block" "operational_log" {
  bucket                  = aws_s3_bucket.operational_log.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "operational_log" {
  bucket = aws_s3_bucket.operational_log.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "operational_log" {
  bucket = aws_s3_bucket.operational_log.id
  # Versioning must be on before rules about noncurrent versions apply.
  depends_on = [aws_s3_bucket_versioning.operational_log]

  rule {
    id     = "expire-old-events"
    status = "Enabled"

    filter {
      prefix = "events/"
    }

    expiration {
      days = local.env.event_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 7
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

# Only TLS requests: the bucket refuses plain HTTP.
resource "aws_s3_bucket_policy" "operational_log" {
  bucket = aws_s3_bucket.operational_log.id
  policy = data.aws_iam_policy_document.log_bucket_tls_only.json
  # A public-access block must exist first, or S3 may refuse the policy while it is evaluated.
  depends_on = [aws_s3_bucket_public_access_block.operational_log]
}

data "aws_iam_policy_document" "log_bucket_tls_only" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.operational_log.arn,
      "${aws_s3_bucket.operational_log.arn}/*",
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
