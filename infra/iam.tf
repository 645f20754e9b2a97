# Least privilege: the task may use exactly the service's four tables and their indexes, and write
# event objects to the log bucket. Nothing else: no table creation (Terraform owns the tables;
# Storage:DynamoDb:CreateTables stays false on AWS), no Scan, no bucket reads or deletes.

locals {
  table_arns = [
    aws_dynamodb_table.couriers.arn,
    aws_dynamodb_table.delivery_assignments.arn,
    aws_dynamodb_table.packages.arn,
    aws_dynamodb_table.package_claims.arn,
  ]

  # Every DynamoDB operation the adapter calls (src/Couriers.Storage/DynamoDb); a test keeps the two equal.
  # TransactWriteItems has no IAM action of its own: each of its items is checked as the operation it
  # is (Put as PutItem, Update as UpdateItem, Delete as DeleteItem, ConditionCheck as ConditionCheckItem).
  dynamodb_actions = [
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
  ]
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# The role the application runs as (the SDK finds it through the ECS credentials endpoint).
resource "aws_iam_role" "task" {
  count              = local.compute_enabled ? 1 : 0
  name               = "${local.name}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "ServiceTables"
    actions   = local.dynamodb_actions
    resources = concat(local.table_arns, [for arn in local.table_arns : "${arn}/index/*"])
  }

  statement {
    sid       = "OperationalLogWrites"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.operational_log.arn}/events/*"]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "CustomerManagedKey"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  count  = local.compute_enabled ? 1 : 0
  name   = "tables-and-log-bucket"
  role   = aws_iam_role.task[0].id
  policy = data.aws_iam_policy_document.task.json
}

# The role ECS itself uses to pull the image and write the container's stdout to CloudWatch Logs.
resource "aws_iam_role" "execution" {
  count              = local.compute_enabled ? 1 : 0
  name               = "${local.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "execution" {
  count = local.compute_enabled ? 1 : 0

  statement {
    sid       = "PullImage"
    actions   = ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
    resources = ["*"]
  }

  statement {
    sid       = "WriteContainerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.api[0].arn}:*"]
  }
}

resource "aws_iam_role_policy" "execution" {
  count  = local.compute_enabled ? 1 : 0
  name   = "pull-image-and-write-logs"
  role   = aws_iam_role.execution[0].id
  policy = data.aws_iam_policy_document.execution[0].json
}
