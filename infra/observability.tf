# Metrics, traces, a dashboard and alarms (docs/decisions/0008-telemetry.md). Each API task runs the
# AWS Distro for OpenTelemetry collector beside the API (ecs.tf): the API exports OTLP to it; it
# writes the service's couriers.* metrics to CloudWatch (embedded metric format, namespace per
# workspace) and traces to X-Ray. HTTP rates, errors and latency come from the load balancer.

locals {
  metrics_namespace = "CourierCapacity/${terraform.workspace}"
  otel_collector_config = templatefile("${path.module}/otel-collector.yaml", {
    region    = var.aws_region
    namespace = local.metrics_namespace
    log_group = "/ecs/${local.name}/metrics"
  })

  # Alarm thresholds and the share of requests traced, per workspace.
  observability = {
    dev  = { trace_sample_ratio = 1, error_rate_percent = 5, p99_seconds = 2, throttles = 50, alarm_periods = 3 }
    test = { trace_sample_ratio = 0.5, error_rate_percent = 2, p99_seconds = 1, throttles = 20, alarm_periods = 3 }
    prod = { trace_sample_ratio = 0.05, error_rate_percent = 1, p99_seconds = 0.5, throttles = 10, alarm_periods = 3 }
  }
  obs = lookup(local.observability, terraform.workspace, local.observability["dev"])

  alarm_actions = var.alarm_topic_arn == null ? [] : [var.alarm_topic_arn]
  # The load balancer's dimension, and the tables' names, as CloudWatch knows them.
  lb_dimension = local.compute_enabled ? aws_lb.api[0].arn_suffix : ""
  table_names = {
    couriers             = aws_dynamodb_table.couriers.name
    delivery_assignments = aws_dynamodb_table.delivery_assignments.name
    packages             = aws_dynamodb_table.packages.name
    package_claims       = aws_dynamodb_table.package_claims.name
  }
}

# The collector's EMF log group: CloudWatch extracts the metrics from it; the lines themselves are kept briefly.
resource "aws_cloudwatch_log_group" "metrics" {
  count             = local.compute_enabled ? 1 : 0
  name              = "/ecs/${local.name}/metrics"
  retention_in_days = 3
}

data "aws_iam_policy_document" "telemetry" {
  count = local.compute_enabled ? 1 : 0

  statement {
    sid       = "MetricsAsEmbeddedMetricFormat"
    actions   = ["logs:PutLogEvents", "logs:CreateLogStream", "logs:DescribeLogStreams"]
    resources = [aws_cloudwatch_log_group.metrics[0].arn, "${aws_cloudwatch_log_group.metrics[0].arn}:*"]
  }

  statement {
    sid       = "Traces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
    resources = ["*"]
  }
}

# The collector runs with the task role: this is its share of it.
resource "aws_iam_role_policy" "telemetry" {
  count  = local.compute_enabled ? 1 : 0
  name   = "metrics-and-traces"
  role   = aws_iam_role.task[0].id
  policy = data.aws_iam_policy_document.telemetry[0].json
}

resource "aws_cloudwatch_metric_alarm" "http_5xx_rate" {
  count               = local.compute_enabled ? 1 : 0
  alarm_name          = "${local.name}-5xx-rate"
  alarm_description   = "More than ${local.obs.error_rate_percent}% of requests answered 5xx (by the tasks or by the load balancer) in ${local.obs.alarm_periods} minutes running."
  comparison_operator = "GreaterThanThreshold"
  threshold           = local.obs.error_rate_percent
  evaluation_periods  = local.obs.alarm_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(lb5xx, 0)) / requests, 0)"
    label       = "5xx %"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { requests = "RequestCount", target5xx = "HTTPCode_Target_5XX_Count", lb5xx = "HTTPCode_ELB_5XX_Count" }
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = metric_query.value
        dimensions  = { LoadBalancer = local.lb_dimension }
        period      = 60
        stat        = "Sum"
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "p99_latency" {
  count               = local.compute_enabled ? 1 : 0
  alarm_name          = "${local.name}-p99-latency"
  alarm_description   = "The 99th percentile of the tasks' response time is over ${local.obs.p99_seconds} s for ${local.obs.alarm_periods} minutes running."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = { LoadBalancer = local.lb_dimension }
  extended_statistic  = "p99"
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = local.obs.p99_seconds
  evaluation_periods  = local.obs.alarm_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "dynamodb_throttles" {
  count               = local.compute_enabled ? 1 : 0
  alarm_name          = "${local.name}-dynamodb-throttles"
  alarm_description   = "More than ${local.obs.throttles} throttled reads and writes a minute on the service's tables (on-demand tables throttle on hot partitions or past their account limits)."
  comparison_operator = "GreaterThanThreshold"
  threshold           = local.obs.throttles
  evaluation_periods  = local.obs.alarm_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "throttles"
    expression  = "SUM(METRICS())"
    label       = "throttled requests"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { for pair in setproduct(keys(local.table_names), ["ReadThrottleEvents", "WriteThrottleEvents"]) : "${pair[0]}_${lower(pair[1])}" => pair }
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/DynamoDB"
        metric_name = metric_query.value[1]
        dimensions  = { TableName = local.table_names[metric_query.value[0]] }
        period      = 60
        stat        = "Sum"
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "operational_log_failures" {
  count               = local.compute_enabled ? 1 : 0
  alarm_name          = "${local.name}-operational-log-failures"
  alarm_description   = "Operational log events failed to ship after every retry (kept on the task's disk, not in the bucket) or were dropped from a full queue; see GET /health/operational-log."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "lost"
    expression  = "FILL(failed, 0) + FILL(dropped, 0)"
    label       = "events lost"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { failed = "couriers.operational_log.failed", dropped = "couriers.operational_log.dropped" }
    content {
      id = metric_query.key
      metric {
        namespace   = local.metrics_namespace
        metric_name = metric_query.value
        dimensions  = { OTelLib = "Couriers" }
        period      = 300
        stat        = "Sum"
      }
    }
  }
}

resource "aws_cloudwatch_dashboard" "service" {
  count          = local.compute_enabled ? 1 : 0
  dashboard_name = local.name
  dashboard_body = jsonencode({
    widgets = [
      local.widgets.requests, local.widgets.latency, local.widgets.lookups, local.widgets.reservations,
      local.widgets.store_latency, local.widgets.store_errors, local.widgets.assign, local.widgets.assign_time,
      local.widgets.index, local.widgets.operational_log, local.widgets.refusals, local.widgets.dynamodb,
    ]
  })
}

locals {
  # Dashboard widgets, two per row. SEARCH finds every dimension value a metric has (each operation, outcome...).
  search = "SEARCH('{${local.metrics_namespace},OTelLib"
  widgets = {
    requests = {
      type = "metric", x = 0, y = 0, width = 12, height = 6
      properties = {
        title = "Requests and 5xx (load balancer)", region = var.aws_region, stat = "Sum", period = 60
        metrics = [
          ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", local.lb_dimension],
          [".", "HTTPCode_Target_5XX_Count", ".", "."], [".", "HTTPCode_Target_4XX_Count", ".", "."], [".", "HTTPCode_ELB_5XX_Count", ".", "."],
        ]
      }
    }
    latency = {
      type = "metric", x = 12, y = 0, width = 12, height = 6
      properties = {
        title = "Response time p50 / p99 (s)", region = var.aws_region, period = 60
        metrics = [
          ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", local.lb_dimension, { stat = "p50" }],
          ["...", { stat = "p99" }],
        ]
        annotations = { horizontal = [{ label = "p99 alarm", value = local.obs.p99_seconds }] }
      }
    }
    lookups = {
      type = "metric", x = 0, y = 6, width = 12, height = 6
      properties = {
        title = "Lookups by kind and source; couriers returned", region = var.aws_region, period = 60
        metrics = [
          [{ expression = "${local.search},kind,source} MetricName=\"couriers.lookups\"', 'Sum', 60)", id = "lookups" }],
          [{ expression = "${local.search},kind,source} MetricName=\"couriers.lookup.couriers\"', 'Sum', 60)", id = "returned", visible = false }],
        ]
      }
    }
    reservations = {
      type = "metric", x = 12, y = 6, width = 12, height = 6
      properties = {
        title = "Reservations and /update reports by outcome", region = var.aws_region, period = 60
        metrics = [
          [{ expression = "${local.search},outcome} MetricName=\"couriers.reservations\"', 'Sum', 60)", id = "reservations" }],
          [{ expression = "${local.search},outcome} MetricName=\"couriers.status_updates\"', 'Sum', 60)", id = "updates" }],
        ]
      }
    }
    store_latency = {
      type = "metric", x = 0, y = 12, width = 12, height = 6
      properties = {
        title   = "Store call time by operation (average, s)", region = var.aws_region, period = 60
        metrics = [[{ expression = "${local.search},operation} MetricName=\"couriers.store.duration\"', 'Average', 60)", id = "store" }]]
      }
    }
    store_errors = {
      type = "metric", x = 12, y = 12, width = 12, height = 6
      properties = {
        title = "Store errors by operation; circuit open", region = var.aws_region, period = 60
        metrics = [
          [{ expression = "${local.search},operation} MetricName=\"couriers.store.errors\"', 'Sum', 60)", id = "errors" }],
          [local.metrics_namespace, "couriers.store.circuit.open", "OTelLib", "Couriers", { stat = "Maximum" }],
        ]
      }
    }
    assign = {
      type = "metric", x = 0, y = 18, width = 12, height = 6
      properties = {
        title = "/assign: packages assigned, left unassigned, gap", region = var.aws_region, period = 300, stat = "Sum"
        metrics = [
          [local.metrics_namespace, "couriers.assign.assigned", "OTelLib", "Couriers"],
          [".", "couriers.assign.unassigned", ".", "."],
          [".", "couriers.assign.gap", ".", ".", { stat = "Maximum" }],
        ]
      }
    }
    assign_time = {
      type = "metric", x = 12, y = 18, width = 12, height = 6
      properties = {
        title = "/assign: time (s), pool size, rounds", region = var.aws_region, period = 300, stat = "Maximum"
        metrics = [
          [local.metrics_namespace, "couriers.assign.duration", "OTelLib", "Couriers"],
          [".", "couriers.assign.pool_size", ".", ".", { yAxis = "right" }],
          [".", "couriers.assign.rounds", ".", ".", { yAxis = "right" }],
        ]
      }
    }
    index = {
      type = "metric", x = 0, y = 24, width = 12, height = 6
      properties = {
        title = "Capacity index: couriers held, lag behind the table (s)", region = var.aws_region, period = 60, stat = "Maximum"
        metrics = [
          [local.metrics_namespace, "couriers.capacity_index.couriers", "OTelLib", "Couriers"],
          [".", "couriers.capacity_index.lag", ".", ".", { yAxis = "right" }],
        ]
      }
    }
    operational_log = {
      type = "metric", x = 12, y = 24, width = 12, height = 6
      properties = {
        title = "Operational log: shipped, failed, dropped, queued", region = var.aws_region, period = 60, stat = "Sum"
        metrics = [
          [local.metrics_namespace, "couriers.operational_log.shipped", "OTelLib", "Couriers"],
          [".", "couriers.operational_log.failed", ".", "."],
          [".", "couriers.operational_log.dropped", ".", "."],
          [".", "couriers.operational_log.queued", ".", ".", { stat = "Maximum", yAxis = "right" }],
        ]
      }
    }
    refusals = {
      type = "metric", x = 0, y = 30, width = 12, height = 6
      properties = {
        title   = "Refused requests: 401, 403, 429", region = var.aws_region, period = 60
        metrics = [[{ expression = "${local.search},reason} MetricName=\"couriers.requests.refused\"', 'Sum', 60)", id = "refused" }]]
      }
    }
    dynamodb = {
      type = "metric", x = 12, y = 30, width = 12, height = 6
      properties = {
        title = "DynamoDB throttled reads and writes", region = var.aws_region, period = 60, stat = "Sum"
        metrics = flatten([for name in values(local.table_names) : [
          ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", name],
          ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", name],
        ]])
      }
    }
  }
}
