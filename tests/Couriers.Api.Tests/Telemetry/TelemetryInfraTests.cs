using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Couriers.Api.Telemetry;
using Couriers.Api.Tests.Deploy;
using Couriers.Storage.Tests.DynamoDb;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Api.Tests.Telemetry;

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

/// <summary>
/// The metric names infra/ uses (alarms, dashboard, the collector's selectors) against the instruments the service
/// defines, read from a running instance on DynamoDB (where every instrument exists): a renamed metric fails here,
/// not as an empty graph or a silent alarm.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed partial class MetricNamesDriftTests(DynamoDbLocalFixture dynamoDb)
{
    [Fact]
    public async Task EveryServiceMetricInfraNamesExistsAndEveryOneReachesCloudWatch()
    {
        await using var api = CourierApiFactory.OnDynamoDb(dynamoDb);
        api.CreateClient();
        var defined = new HashSet<string>(StringComparer.Ordinal);
        using (var listener = new MeterListener())
        {
            var scope = api.Services.GetRequiredService<IMeterFactory>();
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Meter.Name == "Couriers") lock (defined) defined.Add(instrument.Name);
            };
            listener.Start();
        }

        var infra = Directory.GetFiles(Path.Combine(RepoFiles.Root, "infra"), "*.*").Where(f => f.EndsWith(".tf") || f.EndsWith(".yaml"));
        var named = infra.SelectMany(f => MetricName().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Name: m.Value))).ToList();
        var selectors = RepoFiles.Yaml("infra/otel-collector.yaml")["exporters"]!["awsemf"]!["metric_declarations"]!.AsArray()
            .SelectMany(d => d!["metric_name_selectors"]!.AsArray().Select(s => new Regex(s.Str()!))).ToList();

        Assert.Contains("couriers.capacity_index.lag", defined);
        Assert.True(named.Count >= 20, $"only {named.Count} metric names found in infra/");
        Assert.All(named, n => Assert.True(defined.Contains(n.Name), $"{n.File} names {n.Name}, which the service does not define"));
        Assert.All(selectors, s => Assert.True(defined.Any(s.IsMatch), $"the collector's selector {s} matches no metric of the service"));
        Assert.All(defined, d => Assert.True(selectors.Any(s => s.IsMatch(d)), $"{d} is not sent to CloudWatch: no metric_declarations selector matches it"));
        Assert.Equal("Couriers", ServiceMetrics.MeterName); // the OTelLib dimension the alarms and dashboard name
    }

    // couriers.x.y as a metric name: not preceded by a word or a dot (so aws_dynamodb_table.couriers.arn is not one).
    [GeneratedRegex(@"(?<![\w.])couriers\.[a-z_]+(?:\.[a-z_]+)*")]
    private static partial Regex MetricName();
}
