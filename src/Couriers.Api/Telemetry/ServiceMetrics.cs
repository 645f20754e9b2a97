using System.Diagnostics.Metrics;
using Couriers.Core.Assignment;

namespace Couriers.Api.Telemetry;

/// <summary>
/// The service's one meter, <c>Couriers</c>, and its recorded instruments. Every tag takes a value from a
/// short fixed list (an operation, an outcome, a status), never an id, so series stay bounded. With no
/// listener (nothing configured to export) each Add or Record is a flag check.
/// </summary>
internal sealed class ServiceMetrics
{
    public const string MeterName = "Couriers";

    // Store calls: from sub-millisecond SQLite reads to DynamoDB calls waiting out retries.
    private static readonly InstrumentAdvice<double> StoreSeconds = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private static readonly InstrumentAdvice<double> AssignSeconds = new()
    {
        HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 120, 300],
    };

    private static readonly InstrumentAdvice<long> PackageCounts = new()
    {
        HistogramBucketBoundaries = [0, 1, 10, 100, 1_000, 5_000, 10_000, 25_000, 50_000, 100_000],
    };

    public ServiceMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        StoreDuration = Meter.CreateHistogram("couriers.store.duration", "s",
            "Time of one call to the store, by operation and store.", advice: StoreSeconds);
        StoreErrors = Meter.CreateCounter<long>("couriers.store.errors", "{error}",
            "Store calls that failed (threw), by operation, store and error type.");
        Lookups = Meter.CreateCounter<long>("couriers.lookups", "{lookup}",
            "Courier lookups answered, by kind (capacity or package) and source (the capacity index in memory, or the store).");
        LookupCouriers = Meter.CreateCounter<long>("couriers.lookup.couriers", "{courier}",
            "Couriers returned by lookups (divided by couriers.lookups: the mean answer size).");
        Reservations = Meter.CreateCounter<long>("couriers.reservations", "{reservation}",
            "Reservation requests by outcome: created, repeated, insufficient_room, conflict, courier_not_found.");
        StatusUpdates = Meter.CreateCounter<long>("couriers.status_updates", "{update}",
            "POST /update status reports by previous status, requested status and outcome.");
        AssignDuration = Meter.CreateHistogram("couriers.assign.duration", "s",
            "Time of one /assign: reads, planning rounds and commits.", advice: AssignSeconds);
        AssignAssigned = Meter.CreateCounter<long>("couriers.assign.assigned", "{package}", "Packages /assign gave to drivers.");
        AssignUnassigned = Meter.CreateCounter<long>("couriers.assign.unassigned", "{package}", "Pool packages an /assign left unassigned.");
        AssignPoolSize = Meter.CreateHistogram("couriers.assign.pool_size", "{package}",
            "The pool an /assign planned over.", advice: PackageCounts);
        AssignGap = Meter.CreateHistogram("couriers.assign.gap", "{package}",
            "Upper bound minus assigned: packages a better plan might still have placed (0 unless room binds).", advice: PackageCounts);
        AssignRounds = Meter.CreateHistogram<long>("couriers.assign.rounds", "{round}",
            "Plan-and-commit rounds of one /assign (more than 1 when another call took packages or room meanwhile).",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 3, 5, 10] });
        Refusals = Meter.CreateCounter<long>("couriers.requests.refused", "{request}",
            "Requests refused before their endpoint ran: unauthenticated (401), forbidden (403), rate_limited (429).");
    }

    public Meter Meter { get; }

    public Histogram<double> StoreDuration { get; }

    public Counter<long> StoreErrors { get; }

    public Counter<long> Lookups { get; }

    public Counter<long> LookupCouriers { get; }

    public Counter<long> Reservations { get; }

    public Counter<long> StatusUpdates { get; }

    public Histogram<double> AssignDuration { get; }

    public Counter<long> AssignAssigned { get; }

    public Counter<long> AssignUnassigned { get; }

    public Histogram<long> AssignPoolSize { get; }

    public Histogram<long> AssignGap { get; }

    public Histogram<long> AssignRounds { get; }

    public Counter<long> Refusals { get; }

    /// <summary>One /assign that planned (not one refused for unknown drivers).</summary>
    public void Assigned(DailyAssignmentResult result, TimeSpan elapsed)
    {
        if (result.Stats is not { } stats) return;
        var binding = new KeyValuePair<string, object?>(Tags.VolumeBinding, stats.VolumeBinding ? "true" : "false");
        var assigned = result.Assignments.Sum(a => a.PackageIds.Count);
        AssignDuration.Record(elapsed.TotalSeconds, binding);
        AssignAssigned.Add(assigned, binding);
        AssignUnassigned.Add(result.UnassignedPackages.Count, binding);
        AssignPoolSize.Record(assigned + result.UnassignedPackages.Count, binding);
        AssignGap.Record(stats.Gap, binding);
        AssignRounds.Record(result.Rounds, binding);
    }
}
