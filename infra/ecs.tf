# The API on ECS Fargate (App Runner is closed to new customers): a cluster, the task definition
# built from the Dockerfile's image, and a service behind the load balancer in alb.tf.

resource "aws_cloudwatch_log_group" "api" {
  count             = local.compute_enabled ? 1 : 0
  name              = "/ecs/${local.name}"
  retention_in_days = local.env.log_retention_days
}

resource "aws_ecs_cluster" "main" {
  count = local.compute_enabled ? 1 : 0
  name  = local.name

  setting {
    name  = "containerInsights"
    value = local.env.container_insights
  }
}

resource "aws_ecs_task_definition" "api" {
  count                    = local.compute_enabled ? 1 : 0
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = local.env.task_cpu
  memory                   = local.env.task_memory
  task_role_arn            = aws_iam_role.task[0].arn
  execution_role_arn       = aws_iam_role.execution[0].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = var.image
      essential = true
      portMappings = [
        { containerPort = local.container_port, protocol = "tcp" },
      ]
      environment = [for key, value in local.app_environment : { name = key, value = value }]
      # The image's own probe: no curl in the runtime image.
      healthCheck = {
        command     = ["CMD", "dotnet", "Couriers.Api.dll", "--healthcheck"]
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = 20
      }
      # SIGTERM, then this long to drain requests and ship the operational log (OperationalLog:ShutdownTimeoutSeconds is 10).
      stopTimeout = 30
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.api[0].name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = "api"
        }
      }
    },
    # Metrics and traces (observability.tf): the API sends OTLP to localhost:4317. Not essential, and the
    # API does not wait for it: without the collector the API serves as before and only telemetry is lost.
    {
      name        = "otel-collector"
      image       = var.otel_collector_image
      essential   = false
      command     = ["--config=env:AOT_CONFIG_CONTENT"]
      environment = [{ name = "AOT_CONFIG_CONTENT", value = local.otel_collector_config }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.api[0].name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = "otel"
        }
      }
    },
  ])

  lifecycle {
    precondition {
      condition     = var.image != null && var.vpc_id != null && length(var.private_subnet_ids) > 0 && length(var.public_subnet_ids) > 1
      error_message = "The compute needs image, vpc_id, private_subnet_ids and at least two public_subnet_ids (or enable_compute = false)."
    }
  }
}

resource "aws_ecs_service" "api" {
  count                             = local.compute_enabled ? 1 : 0
  name                              = "api"
  cluster                           = aws_ecs_cluster.main[0].id
  task_definition                   = aws_ecs_task_definition.api[0].arn
  desired_count                     = local.env.desired_count
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 30
  # A rolling deployment that never goes under the desired count, and rolls back by itself when new tasks fail.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.tasks[0].id]
    assign_public_ip = var.assign_public_ip
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.api[0].arn
    container_name   = "api"
    container_port   = local.container_port
  }

  # Autoscaling owns the count after the first deployment.
  lifecycle {
    ignore_changes = [desired_count]
  }

  depends_on = [aws_lb_listener.http]
}

resource "aws_appautoscaling_target" "api" {
  count              = local.compute_enabled ? 1 : 0
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main[0].name}/${aws_ecs_service.api[0].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = local.env.desired_count
  max_capacity       = local.env.max_count
}

resource "aws_appautoscaling_policy" "api_cpu" {
  count              = local.compute_enabled ? 1 : 0
  name               = "${local.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.api[0].service_namespace
  resource_id        = aws_appautoscaling_target.api[0].resource_id
  scalable_dimension = aws_appautoscaling_target.api[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
