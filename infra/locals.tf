locals {
  # One workspace per environment: dev, test, prod. The workspace names every resource and sizes it.
  environments = {
    dev = {
      task_cpu             = 256
      task_memory          = 512
      desired_count        = 1
      max_count            = 2
      deletion_protection  = false
      log_retention_days   = 7
      event_retention_days = 30
      container_insights   = "disabled"
    }
    test = {
      task_cpu             = 512
      task_memory          = 1024
      desired_count        = 2
      max_count            = 4
      deletion_protection  = true
      log_retention_days   = 30
      event_retention_days = 90
      container_insights   = "disabled"
    }
    prod = {
      task_cpu             = 1024
      task_memory          = 2048
      desired_count        = 3
      max_count            = 12
      deletion_protection  = true
      log_retention_days   = 90
      event_retention_days = 400
      container_insights   = "enabled"
    }
  }

  # An unknown workspace (such as "default") is refused at plan time (workspace.tf); until then, dev's sizes.
  env = lookup(local.environments, terraform.workspace, local.environments["dev"])

  # Equal to the service's Storage:DynamoDb:TablePrefix: dev-Couriers, prod-DeliveryAssignments, ...
  table_prefix    = "${terraform.workspace}-"
  name            = "${terraform.workspace}-courier-capacity"
  log_bucket_name = coalesce(var.log_bucket_name, "${terraform.workspace}-courier-capacity-operational-log")
  compute_enabled = var.enable_compute && !var.use_localstack
  container_port  = 3000

  tags = {
    Service     = "courier-capacity"
    Environment = terraform.workspace
    ManagedBy   = "terraform"
  }

  # The container's configuration, by environment variables only (the names bind to the service's
  # options classes; tests/Couriers.Deploy.Tests checks every key).
  app_environment = {
    ASPNETCORE_URLS                 = "http://+:3000"
    Storage__Provider               = "DynamoDb"
    Storage__DynamoDb__Region       = var.aws_region
    Storage__DynamoDb__TablePrefix  = local.table_prefix
    Storage__DynamoDb__CreateTables = "false"
    OperationalLog__Sink            = "S3"
    OperationalLog__Bucket          = local.log_bucket_name
    OperationalLog__S3__Region      = var.aws_region
    # The collector sidecar (observability.tf).
    OpenTelemetry__Endpoint         = "http://localhost:4317"
    OpenTelemetry__TraceSampleRatio = tostring(local.obs.trace_sample_ratio)
  }
}
