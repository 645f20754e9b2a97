using System.Text.Json.Nodes;
using Couriers.Testing;

namespace Couriers.Deploy.Tests;

/// <summary>infra/'s telemetry as parsed (Terraform is not run here): the collector sidecar, the alarms, the dashboard.</summary>
public sealed class TelemetryInfraTests(TerraformFixture terraform) : IClassFixture<TerraformFixture>
{
    [Fact]
    public void TheTaskShipsMetricsAndTracesThroughTheCollectorSidecar()
    {
        var containers = terraform.Resource("aws_ecs_task_definition", "api")["container_definitions"].Str()!;
        Assert.Contains("name        = \"otel-collector\"", containers);
        Assert.Contains("essential   = false", containers); // the API keeps serving without it
        Assert.Contains("command     = [\"--config=env:AOT_CONFIG_CONTENT\"]", containers);
        Assert.Contains("value = local.otel_collector_config", containers);
        Assert.Equal("http://localhost:4317", terraform.Local("app_environment")["OpenTelemetry__Endpoint"].Str());
        Assert.Equal("${templatefile(\"${path.module}/otel-collector.yaml\", {\n    region    = var.aws_region\n    namespace = local.metrics_namespace\n    log_group = \"/ecs/${local.name}/metrics\"\n  })}",
            terraform.Local("otel_collector_config").Str());

        var collector = RepoFiles.Yaml("infra/otel-collector.yaml");
        var pipelines = collector["service"]!["pipelines"]!;
        Assert.Equal(["awsxray"], pipelines["traces"]!["exporters"]!.AsArray().Select(e => e.Str()));
        Assert.Equal(["awsemf"], pipelines["metrics"]!["exporters"]!.AsArray().Select(e => e.Str()));
        Assert.Equal("127.0.0.1:4317", collector["receivers"]!["otlp"]!["protocols"]!["grpc"]!["endpoint"].Str());
    }

    [Fact]
    public void AlarmsWatch5xxRateP99LatencyDynamoDbThrottlesAndOperationalLogLossesInEveryWorkspace()
    {
        var alarms = terraform.Resources("aws_cloudwatch_metric_alarm").ToDictionary(a => a.Name, a => a.Body);

        Assert.Equal(["dynamodb_throttles", "http_5xx_rate", "operational_log_failures", "p99_latency"], alarms.Keys.Order());
        Assert.All(alarms.Values, a => Assert.StartsWith("${local.name}-", a["alarm_name"].Str()));
        Assert.All(alarms.Values, a => Assert.Equal("${local.alarm_actions}", a["alarm_actions"].Str()));
        Assert.Equal("p99", alarms["p99_latency"]["extended_statistic"].Str());
        Assert.Equal("${local.obs.p99_seconds}", alarms["p99_latency"]["threshold"].Str());
        Assert.Contains("HTTPCode_Target_5XX_Count", alarms["http_5xx_rate"].ToJsonString());
        Assert.Contains("HTTPCode_ELB_5XX_Count", alarms["http_5xx_rate"].ToJsonString());
        Assert.Contains("ReadThrottleEvents", alarms["dynamodb_throttles"].ToJsonString());
        Assert.Contains("WriteThrottleEvents", alarms["dynamodb_throttles"].ToJsonString());
        var lost = Assert.Single(alarms["operational_log_failures"]["dynamic"]!["metric_query"]!.AsArray())!["for_each"]!.AsObject();
        Assert.Equal(["couriers.operational_log.dropped", "couriers.operational_log.failed"], lost.Select(m => m.Value.Str()).Order());

        var thresholds = terraform.Local("observability").AsObject();
        Assert.Equal(["dev", "prod", "test"], thresholds.Select(w => w.Key).Order());
        Assert.Equal("CourierCapacity/${terraform.workspace}", terraform.Local("metrics_namespace").Str());
        Assert.Equal("${local.name}", terraform.Resource("aws_cloudwatch_dashboard", "service")["dashboard_name"].Str());
    }

    [Fact]
    public void TheCollectorMayWriteOnlyItsMetricsLogGroupAndTraces()
    {
        var policy = Assert.Single(terraform.Files.Select(f => f.Value?["data"]?["aws_iam_policy_document"]?["telemetry"]?[0]).OfType<JsonNode>());
        var statements = policy["statement"]!.AsArray();
        Assert.Equal(["logs:PutLogEvents", "logs:CreateLogStream", "logs:DescribeLogStreams"], statements[0]!["actions"]!.AsArray().Select(a => a.Str()));
        Assert.All(statements[0]!["resources"]!.AsArray(), r => Assert.StartsWith("${aws_cloudwatch_log_group.metrics[0].arn}", r.Str()));
        Assert.All(statements[1]!["actions"]!.AsArray(), a => Assert.StartsWith("xray:", a.Str()));
    }
}
