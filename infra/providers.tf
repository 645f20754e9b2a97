provider "aws" {
  region = var.aws_region

  # LocalStack accepts any credentials and has no account or metadata endpoints to ask.
  access_key                  = var.use_localstack ? "test" : null
  secret_key                  = var.use_localstack ? "test" : null
  skip_credentials_validation = var.use_localstack
  skip_metadata_api_check     = var.use_localstack
  skip_requesting_account_id  = var.use_localstack
  s3_use_path_style           = var.use_localstack

  # null keeps the AWS default endpoint of a service.
  endpoints {
    dynamodb = var.use_localstack ? var.localstack_endpoint : null
    s3       = var.use_localstack ? var.localstack_endpoint : null
    sts      = var.use_localstack ? var.localstack_endpoint : null
  }

  default_tags {
    tags = local.tags
  }
}
