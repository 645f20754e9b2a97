using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Couriers.Api.Operations;

internal static class OperationalLogEndpoints
{
    public sealed record LogStatusResponse(
        string Sink, string Target, string Instance, bool Degraded, string? Reason,
        long Recorded, long Dropped, long Shipped, long Failed, long Pending, int Queued, int QueueCapacity,
        long BatchesShipped, long Retries, DateTimeOffset? LastShippedAt, string? LastError, DateTimeOffset? LastErrorAt);

    /// <summary>
    /// GET /health/operational-log: the shipper's counters. Under /health with the probes, because an
    /// operator or a scraper reads it alongside them; it holds counts, never event contents.
    /// </summary>
    public static IEndpointRouteBuilder MapOperationalLog(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/operational-log", Status).WithName("OperationalLogStatus").WithTags("Health");
        return app;
    }

    private static LogStatusResponse Status(OperationalLogQueue queue, IEventSink sink, IOptions<OperationalLogOptions> options)
    {
        var now = queue.Status.Current();
        var degraded = queue.Status.IsDegraded(out var reason);
        return new LogStatusResponse(
            sink is S3EventSink ? OperationalLogOptions.S3Sink : OperationalLogOptions.FileSink, sink.Target, queue.Instance,
            degraded, degraded ? reason : null, now.Recorded, now.Dropped, now.Shipped, now.Failed, now.Pending,
            queue.Queued, options.Value.QueueCapacity, now.BatchesShipped, now.Retries, now.LastShippedAt, now.LastError, now.LastErrorAt);
    }
}

// Part of readiness, but never red: a log sink that is down must not take the service out of the
// load balancer. Degraded (still 200) while shipping fails or shortly after events were lost.
internal sealed class OperationalLogHealthCheck(OperationalLogStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(status.IsDegraded(out var reason) ? HealthCheckResult.Degraded("operational log: " + reason) : HealthCheckResult.Healthy());
}
