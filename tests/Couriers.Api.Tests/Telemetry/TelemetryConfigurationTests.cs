using System.Net;
using Couriers.Api.Tests.Support;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Couriers.Api.Tests.Telemetry;

/// <summary>What is exported depends only on configuration: nothing at all by default, OTLP for an endpoint, /metrics when asked.</summary>
public sealed class TelemetryConfigurationTests
{
    [Fact]
    public async Task WithNothingConfiguredNoProviderExistsAndMetricsIsNotServed()
    {
        await using var api = new CourierApiFactory();
        var client = api.CreateClient();

        Assert.Null(api.Services.GetService<MeterProvider>());
        Assert.Null(api.Services.GetService<TracerProvider>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
    }

    [Theory]
    [InlineData("OpenTelemetry:Endpoint")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public async Task AnOtlpEndpointExportsMetricsAndTraces(string setting)
    {
        // Nothing listens there: the exporter only has to exist (its first export is seconds away).
        await using var api = new CourierApiFactory().With(setting, "http://127.0.0.1:9");
        api.CreateClient();

        Assert.NotNull(api.Services.GetService<MeterProvider>());
        Assert.NotNull(api.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task PrometheusServesMetricsToAdminKeysOnlyAndExportsNoTraces()
    {
        await using var api = new CourierApiFactory().With("OpenTelemetry:Prometheus", "true");
        await api.CreateClient().GetAsync("/couriers").Succeeds();

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWith(null).GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientWith(TestKeys.Dispatcher).GetAsync("/metrics")).StatusCode);
        var scraped = await api.CreateClient().GetAsync("/metrics").Succeeds();
        var text = await scraped.Content.ReadAsStringAsync();

        Assert.StartsWith("text/plain", scraped.Content.Headers.ContentType?.MediaType);
        Assert.Contains("http_server_request_duration_seconds_bucket", text);
        Assert.Contains("couriers_store_duration_seconds_bucket", text);
        Assert.Null(api.Services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData("OpenTelemetry:Endpoint", "localhost:4317")]
    [InlineData("OpenTelemetry:Endpoint", "ftp://collector:4317")]
    [InlineData("OpenTelemetry:TraceSampleRatio", "1.5")]
    public async Task ABadSettingStopsStartupNamingIt(string setting, string value)
    {
        await using var api = new CourierApiFactory().With("OpenTelemetry:Endpoint", "http://127.0.0.1:9").With(setting, value);

        var error = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        Assert.Contains(setting, error.ToString());
    }
}
