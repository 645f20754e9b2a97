# The service's four tables, exactly as DynamoSchema.CreateTableRequests creates them
# (src/Couriers.Storage/DynamoDb/DynamoSchema.cs); tests/Couriers.Deploy.Tests/TerraformTests
# compares the two, so a change on one side fails the build until the other follows.
# Amounts are whole milliliters (N). docs/dynamodb.md explains the keys and the sharded indexes.

locals {
  # What the couriers' indexes project: the attributes a Courier is built from.
  courier_projection = ["max_ml", "declared_ml", "reserved_ml", "version", "created_at", "updated_at"]

  # On AWS: encryption with the AWS managed KMS key (or kms_key_arn) rather than the default AWS
  # owned key. LocalStack would need its KMS service for that, which the compose file does not run.
  table_sse_enabled = !var.use_localstack
}

resource "aws_dynamodb_table" "couriers" {
  name                        = "${local.table_prefix}Couriers"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = local.env.deletion_protection

  attribute {
    name = "id"
    type = "S"
  }

  attribute {
    name = "lookup_shard"
    type = "S"
  }

  attribute {
    name = "available_ml"
    type = "N"
  }

  attribute {
    name = "list_shard"
    type = "S"
  }

  attribute {
    name = "change_shard"
    type = "S"
  }

  attribute {
    name = "updated_at"
    type = "S"
  }

  # Lookup by room, best fit first, spread over lookup shards (no hot partition).
  global_secondary_index {
    name               = "by_available"
    hash_key           = "lookup_shard"
    range_key          = "available_ml"
    projection_type    = "INCLUDE"
    non_key_attributes = local.courier_projection
  }

  # Listing by id, spread over list shards.
  global_secondary_index {
    name               = "by_id"
    hash_key           = "list_shard"
    range_key          = "id"
    projection_type    = "INCLUDE"
    non_key_attributes = local.courier_projection
  }

  # What changed lately, by updated_at, with deletion markers: each service instance polls it to keep
  # its in-memory capacity index fresh (docs/decisions/0005-capacity-index-on-dynamodb.md).
  global_secondary_index {
    name               = "by_change"
    hash_key           = "change_shard"
    range_key          = "updated_at"
    projection_type    = "INCLUDE"
    non_key_attributes = ["max_ml", "declared_ml", "reserved_ml", "version", "created_at"]
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = local.table_sse_enabled
    kms_key_arn = var.kms_key_arn
  }
}

# The assignments table: PK driver_id, SK package_id, attribute status (plus volume and package metadata).
resource "aws_dynamodb_table" "delivery_assignments" {
  name                        = "${local.table_prefix}DeliveryAssignments"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "driver_id"
  range_key                   = "package_id"
  deletion_protection_enabled = local.env.deletion_protection

  attribute {
    name = "driver_id"
    type = "S"
  }

  attribute {
    name = "package_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = local.table_sse_enabled
    kms_key_arn = var.kms_key_arn
  }
}

resource "aws_dynamodb_table" "packages" {
  name                        = "${local.table_prefix}Packages"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "package_id"
  deletion_protection_enabled = local.env.deletion_protection

  attribute {
    name = "package_id"
    type = "S"
  }

  attribute {
    name = "status_shard"
    type = "S"
  }

  # The pool and the other statuses, spread over status shards.
  global_secondary_index {
    name            = "by_status"
    hash_key        = "status_shard"
    range_key       = "package_id"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = local.table_sse_enabled
    kms_key_arn = var.kms_key_arn
  }
}

# The lock that keeps a package on at most one courier, written in the same transaction as the
# assignment it guards (docs/decisions/0003-dynamodb-write-model.md).
resource "aws_dynamodb_table" "package_claims" {
  name                        = "${local.table_prefix}PackageClaims"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "package_id"
  deletion_protection_enabled = local.env.deletion_protection

  attribute {
    name = "package_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = local.table_sse_enabled
    kms_key_arn = var.kms_key_arn
  }
}
