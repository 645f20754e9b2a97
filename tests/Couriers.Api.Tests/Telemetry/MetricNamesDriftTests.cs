using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Couriers.Api.Telemetry;
using Couriers.Api.Tests.Support;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Api.Tests.Telemetry;

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
