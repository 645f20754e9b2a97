using System.Diagnostics.Metrics;
using Couriers.Api.Infrastructure;
using Couriers.Api.Operations;
using Couriers.Core.Lookup;

namespace Couriers.Api.Telemetry;

/// <summary>
/// Instruments read when an exporter collects, from state the service keeps anyway: the capacity index,
/// its lag behind DynamoDB, the operational log's counters and queue, and the store circuit. Nothing is
/// recorded between collections. A hosted service only so that the instruments exist from startup.
/// </summary>
internal sealed class StateGauges : IHostedService
{
    public StateGauges(ServiceMetrics metrics, CapacityIndex index, IEnumerable<ICapacityIndexStatus> feeds, OperationalLogQueue queue,
        StoreCircuit circuit)
    {
        var meter = metrics.Meter;
        var log = queue.Status;
        meter.CreateObservableGauge("couriers.capacity_index.couriers", () => index.Count, "{courier}",
            "Couriers held by this instance's capacity index (those lookups can return).");
        // Only a store written by other instances too (DynamoDB) has a feed that can lag.
        if (feeds.FirstOrDefault() is { } feed)
        {
            meter.CreateObservableGauge<double>("couriers.capacity_index.lag", () => feed.Lag is { } lag ? [new Measurement<double>(lag.TotalSeconds)] : [],
                "s", "Time since the capacity index last caught up with the table; lookups go to the table beyond the freshness bound.");
        }

        meter.CreateObservableCounter("couriers.operational_log.recorded", () => log.Current().Recorded, "{event}", "Events recorded.");
        meter.CreateObservableCounter("couriers.operational_log.shipped", () => log.Current().Shipped, "{event}", "Events written to the sink.");
        meter.CreateObservableCounter("couriers.operational_log.failed", () => log.Current().Failed, "{event}",
            "Events the sink would not take after every retry (kept on local disk when the sink is S3).");
        meter.CreateObservableCounter("couriers.operational_log.dropped", () => log.Current().Dropped, "{event}",
            "Events dropped because the queue was full.");
        meter.CreateObservableCounter("couriers.operational_log.retries", () => log.Current().Retries, "{retry}", "Failed attempts to ship a batch that were retried.");
        meter.CreateObservableGauge("couriers.operational_log.queued", () => queue.Queued, "{event}",
            "Events waiting in the queue (its capacity is OperationalLog:QueueCapacity; beyond it events are dropped).");

        meter.CreateObservableGauge("couriers.store.circuit.open", () => circuit.SecondsUntilRetry() > 0 ? 1 : 0, unit: null,
            "1 while the store circuit is open (requests answered 503 at once), 0 while closed.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
