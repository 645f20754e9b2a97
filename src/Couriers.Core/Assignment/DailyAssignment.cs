using Couriers.Core.Deliveries;

namespace Couriers.Core.Assignment;

/// <summary>
/// One /assign call: read the drivers and the pool, plan with the engine, then commit the plan item by
/// item with every condition checked again at write time. If another call took packages or room in
/// between, the items it invalidated are skipped and the rest is planned again on fresh state (up to
/// <see cref="MaxRounds"/> rounds), so racing calls never double-assign and each still fills its drivers.
/// </summary>
public sealed class DailyAssignment(IDeliveryStore store)
{
    public const int MaxRounds = 10;

    public async Task<DailyAssignmentResult> AssignAsync(IReadOnlyList<string> driverIds, int maxPerDriver, AssignmentOptions options, CancellationToken ct)
    {
        var views = await store.GetDriversAsync(driverIds, ct);
        var unknown = driverIds.Except(views.Select(v => v.Courier.Id), StringComparer.Ordinal).ToList();
        if (unknown.Count > 0) return DailyAssignmentResult.UnknownDrivers(unknown);

        var written = new List<AssignmentRecord>();
        AssignmentPlan plan;
        AssignmentStats? first = null;
        var engineTime = TimeSpan.Zero;
        IReadOnlyList<Package> pool;
        var round = 0;
        while (true)
        {
            round++;
            pool = await store.GetPoolAsync(ct);
            // Rules are parsed from each round's read, so a driver reloaded meanwhile is planned with its new rules.
            var drivers = views.Select(v => new DriverCapacity(
                v.Courier.Id, Rules(v), Math.Max(0, maxPerDriver - v.ActiveAssignments), v.Courier.AvailableCapacity)).ToList();
            plan = EngineSpans.Plan(new AssignmentRequest(drivers, pool, options));
            first ??= plan.Stats;
            engineTime += plan.Stats.Elapsed;

            var byId = pool.ToDictionary(p => p.PackageId, StringComparer.Ordinal);
            var planned = plan.Assignments
                .SelectMany(a => a.PackageIds.Select(id => new PlannedAssignment(a.DriverId, byId[id])))
                .ToList();
            var committed = planned.Count == 0 ? [] : await store.CommitAssignmentsAsync(planned, maxPerDriver, ct);
            written.AddRange(committed);
            if (committed.Count == planned.Count || round == MaxRounds) break;
            views = await store.GetDriversAsync(driverIds, ct);
        }

        var assignedNow = written.Select(r => r.PackageId).ToHashSet(StringComparer.Ordinal);
        var byDriver = driverIds.ToDictionary(id => id, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var record in written) byDriver[record.DriverId].Add(record.PackageId);
        foreach (var list in byDriver.Values) list.Sort(StringComparer.Ordinal);

        return new DailyAssignmentResult(
            [],
            driverIds.Select(id => new DriverAssignment(id, byDriver[id])).ToList(),
            pool.Select(p => p.PackageId).Where(id => !assignedNow.Contains(id)).ToList(),
            driverIds.Where(id => byDriver[id].Count == 0).ToList(),
            // The bound is the first read's: it covers everything this call could assign over all rounds.
            first! with { Assigned = written.Count, Elapsed = engineTime },
            plan.Explanations.Where(e => !assignedNow.Contains(e.PackageId)).ToList(),
            round);
    }

    private static IReadOnlyList<IRule> Rules(DriverView view) => RuleRegistry.ParseAll(view.Rules) is { IsValid: true } parsed
        ? parsed.Rules
        : throw new InvalidOperationException($"stored rules of driver '{view.Courier.Id}' no longer parse");
}

/// <summary>
/// <see cref="Assignments"/> holds what this call assigned, for every requested driver in request
/// order; a driver given nothing is also in <see cref="UnassignedDrivers"/>, as the logistics centre expects.
/// </summary>
public sealed record DailyAssignmentResult(
    IReadOnlyList<string> UnknownDriverIds,
    IReadOnlyList<DriverAssignment> Assignments,
    IReadOnlyList<string> UnassignedPackages,
    IReadOnlyList<string> UnassignedDrivers,
    AssignmentStats? Stats,
    IReadOnlyList<UnassignedExplanation> Explanations,
    int Rounds)
{
    public static DailyAssignmentResult UnknownDrivers(IReadOnlyList<string> ids) => new(ids, [], [], [], null, [], 0);
}
