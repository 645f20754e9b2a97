output "table_names" {
  description = "The service's tables in this workspace."
  value = {
    couriers             = aws_dynamodb_table.couriers.name
    delivery_assignments = aws_dynamodb_table.delivery_assignments.name
    packages             = aws_dynamodb_table.packages.name
    package_claims       = aws_dynamodb_table.package_claims.name
  }
}

output "table_prefix" {
  description = "The service's Storage:DynamoDb:TablePrefix for this workspace."
  value       = local.table_prefix
}

output "log_bucket" {
  description = "The service's OperationalLog:Bucket."
  value       = aws_s3_bucket.operational_log.bucket
}

output "url" {
  description = "The API behind the load balancer (null without compute)."
  value       = local.compute_enabled ? "${var.certificate_arn == null ? "http" : "https"}://${aws_lb.api[0].dns_name}" : null
}

output "app_environment" {
  description = "The container's environment variables, e.g. to run the image elsewhere against these tables."
  value       = local.app_environment
}
