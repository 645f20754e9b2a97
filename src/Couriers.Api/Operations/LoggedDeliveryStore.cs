using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;

namespace Couriers.Api.Operations;

// The delivery store with driver changes, assignments and status updates recorded in the
// operational log, only when the write succeeded. A driver load reads the listed drivers before
// and after the batch (two batch reads) so each created or changed driver is one event with both
// states; a status update takes the status it had from the store's answer; an /assign commit is one event
// listing every assignment it made.
// Package loads are not courier changes and are not recorded.
internal sealed class LoggedDeliveryStore(IDeliveryStore inner, OperationalLog log) : IDeliveryStore
{
    public async Task<BatchResult> UpsertDriversAsync(IReadOnlyList<DriverRecord> drivers, CancellationToken ct)
    {
        var ids = drivers.Select(d => d.Id).Distinct(StringComparer.Ordinal).ToList();
        var before = (await inner.GetDriversAsync(ids, ct)).ToDictionary(d => d.Courier.Id, StringComparer.Ordinal);
        var result = await inner.UpsertDriversAsync(drivers, ct);
        if (!result.Applied || result.Created + result.Updated == 0) return result;
        foreach (var after in await inner.GetDriversAsync(ids, ct))
        {
            var was = before.GetValueOrDefault(after.Courier.Id);
            if (was is not null && was.Courier.Version == after.Courier.Version && SameRules(was.Rules, after.Rules)) continue;
            log.Record(EntityTypes.Courier, after.Courier.Id, was is null ? Actions.Created : Actions.Updated,
                was is null ? null : CourierState.Of(was.Courier, was.Rules), CourierState.Of(after.Courier, after.Rules));
        }
        return result;
    }

    public async Task<IReadOnlyList<AssignmentRecord>> CommitAssignmentsAsync(IReadOnlyList<PlannedAssignment> plan, int maxPerDriver, CancellationToken ct)
    {
        var written = await inner.CommitAssignmentsAsync(plan, maxPerDriver, ct);
        // One event per commit, however many packages it assigned: a day's /assign stays one event, not 50,000
        // that would overflow the queue.
        if (written.Count > 0)
            log.Record(EntityTypes.Assignments, Guid.CreateVersion7().ToString(), Actions.Created, null, AssignmentsState.Of(written));
        return written;
    }

    public async Task<StatusUpdateResult> UpdateStatusAsync(string driverId, string packageId, AssignmentStatus status, CancellationToken ct)
    {
        var result = await inner.UpdateStatusAsync(driverId, packageId, status, ct);
        if (result is { Outcome: StatusUpdateOutcome.Updated, Record: { } after, Previous: { } previous })
        {
            var was = AssignmentState.Of(after with { Status = previous });
            log.Record(EntityTypes.Assignment, LoggedCourierStore.Id(driverId, packageId), Actions.StatusChanged, was, AssignmentState.Of(after));
        }
        return result;
    }

    public Task<DriverView?> GetDriverAsync(string id, CancellationToken ct) => inner.GetDriverAsync(id, ct);

    public Task<IReadOnlyList<DriverView>> GetDriversAsync(IReadOnlyList<string> ids, CancellationToken ct) => inner.GetDriversAsync(ids, ct);

    public Task<BatchResult> AddPackagesAsync(IReadOnlyList<Package> packages, CancellationToken ct) => inner.AddPackagesAsync(packages, ct);

    public Task<Page<StoredPackage>> ListPackagesAsync(PackageStatus? status, PageRequest<string> page, CancellationToken ct) =>
        inner.ListPackagesAsync(status, page, ct);

    public Task<IReadOnlyList<Package>> GetPoolAsync(CancellationToken ct) => inner.GetPoolAsync(ct);

    private static bool SameRules(IReadOnlyList<RuleSpec> a, IReadOnlyList<RuleSpec> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.RuleId == p.Second.RuleId && p.First.Code == p.Second.Code
            && p.First.Params.GetRawText() == p.Second.Params.GetRawText());
}
