using Couriers.Api.Operations;
using Couriers.Api.Security;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Diagnostics;
using Couriers.Core.Lookup;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Couriers.Api.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    public const string ServiceName = "courier-capacity";
    public const string ScrapePath = "/metrics";

    /// <summary>
    /// The service's instruments and spans (always: without a listener they cost a flag check), the store
    /// ports measured (call it right after AddCourierStore, so each real store call is timed once), JSON
    /// console logs outside Development, and OpenTelemetry's providers and exporters only when
    /// OpenTelemetry:Endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) or OpenTelemetry:Prometheus is set.
    /// </summary>
    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();

        services.AddSingleton<ServiceMetrics>();
        var store = (configuration["Storage:Provider"] is { Length: > 0 } provider ? provider : "Sqlite").ToLowerInvariant();
        services.AddSingleton(sp => new StoreCalls(sp.GetRequiredService<ServiceMetrics>(), store));
        services.Decorate<ICourierStore>((sp, inner) => new MeasuredCourierStore(inner, sp.GetRequiredService<StoreCalls>(), sp.GetRequiredService<ServiceMetrics>()));
        services.Decorate<IDeliveryStore>((sp, inner) => new MeasuredDeliveryStore(inner, sp.GetRequiredService<StoreCalls>(), sp.GetRequiredService<ServiceMetrics>()));
        services.Decorate<IDeliveryQueries>((sp, inner) => new MeasuredDeliveryQueries(inner, sp.GetRequiredService<StoreCalls>()));
        services.Decorate<ICourierBatches>((sp, inner) => new MeasuredCourierBatches(inner, sp.GetRequiredService<StoreCalls>()));
        services.Decorate<ICourierLookup>((sp, inner) => new MeasuredCourierLookup(inner, sp.GetRequiredService<ServiceMetrics>()));
        services.AddHostedService<StateGauges>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, CountingAuthorizationResultHandler>();
        services.AddSingleton<IPostConfigureOptions<RateLimiterOptions>, CountingRateLimiterRejections>();

        // One JSON object per line for CloudWatch Logs; the scopes carry the trace and span ids, the
        // request id and the client's name (never its key: see ClientLogScopeMiddleware).
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        var otlp = TelemetryOptions.Otlp(configuration);
        var prometheus = configuration.GetValue<bool>($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.Prometheus)}");
        if (!otlp && !prometheus) return builder;

        var endpoint = configuration[$"{TelemetryOptions.Section}:{nameof(TelemetryOptions.Endpoint)}"];
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddServiceInstrumentation();
            if (prometheus) metrics.AddPrometheusExporter();
            if (otlp) metrics.AddOtlpExporter(o => { if (!string.IsNullOrWhiteSpace(endpoint)) o.Endpoint = new Uri(endpoint); });
        });
        // Traces need a collector; a Prometheus scrape carries metrics only.
        if (otlp)
            telemetry.WithTracing(tracing => tracing.AddServiceInstrumentation()
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(SampleRatio(configuration))))
                .AddOtlpExporter(o => { if (!string.IsNullOrWhiteSpace(endpoint)) o.Endpoint = new Uri(endpoint); }));
        return builder;
    }

    // A ratio out of range stops startup with its setting named (TelemetryOptionsValidator), not with the sampler's exception.
    private static double SampleRatio(IConfiguration configuration) =>
        configuration.GetValue($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.TraceSampleRatio)}", 1.0) is var ratio and >= 0 and <= 1 ? ratio : 1;

    /// <summary>The meters exported: the service's, the framework's HTTP server and client, and the runtime's.</summary>
    public static MeterProviderBuilder AddServiceInstrumentation(this MeterProviderBuilder metrics) => metrics
        .AddMeter(ServiceMetrics.MeterName)
        .AddAspNetCoreInstrumentation()
        .AddHttpClientInstrumentation()
        .AddRuntimeInstrumentation()
        // Three runtime gauges end in ".count", which Prometheus reserves for histograms and summaries
        // (promtool check metrics refuses them): renamed for every exporter alike.
        .AddView("dotnet.assembly.count", "dotnet.assembly.loaded")
        .AddView("dotnet.process.cpu.count", "dotnet.process.cpus")
        .AddView("dotnet.timer.count", "dotnet.timers");

    /// <summary>The spans exported: one per request (the framework's; probes and scrapes left out), store calls, engine phases, outgoing HTTP (the AWS SDK's).</summary>
    public static TracerProviderBuilder AddServiceInstrumentation(this TracerProviderBuilder tracing) => tracing
        .AddSource(ServiceActivities.SourceName)
        .AddAspNetCoreInstrumentation(o => o.Filter = context =>
            !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments(ScrapePath))
        .AddHttpClientInstrumentation();

    /// <summary>GET /metrics for Prometheus, admin keys only, when OpenTelemetry:Prometheus is on.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Prometheus)
            app.MapPrometheusScrapingEndpoint(ScrapePath).RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        return app;
    }
}
