using Couriers.Core.Deliveries;
using Couriers.Core.Paging;

namespace Couriers.Api.Telemetry;

/// <summary>The delivery store with every call measured and traced, and each status report counted by its transition.</summary>
internal sealed class MeasuredDeliveryStore(IDeliveryStore inner, StoreCalls calls, ServiceMetrics metrics) : IDeliveryStore
{
    private static readonly StoreOperation UpsertDrivers = new("upsert_drivers"), GetDriver = new("get_driver"),
        GetDrivers = new("get_drivers"), AddPackages = new("add_packages"), ListPackages = new("list_packages"),
        GetPool = new("get_pool"), CommitAssignments = new("commit_assignments"), UpdateStatus = new("update_status");

    public Task<BatchResult> UpsertDriversAsync(IReadOnlyList<DriverRecord> drivers, CancellationToken ct) =>
        calls.Run(UpsertDrivers, () => inner.UpsertDriversAsync(drivers, ct), ct);

    public Task<DriverView?> GetDriverAsync(string id, CancellationToken ct) => calls.Run(GetDriver, () => inner.GetDriverAsync(id, ct), ct);

    public Task<IReadOnlyList<DriverView>> GetDriversAsync(IReadOnlyList<string> ids, CancellationToken ct) =>
        calls.Run(GetDrivers, () => inner.GetDriversAsync(ids, ct), ct);

    public Task<BatchResult> AddPackagesAsync(IReadOnlyList<Package> packages, CancellationToken ct) =>
        calls.Run(AddPackages, () => inner.AddPackagesAsync(packages, ct), ct);

    public Task<Page<StoredPackage>> ListPackagesAsync(PackageStatus? status, PageRequest<string> page, CancellationToken ct) =>
        calls.Run(ListPackages, () => inner.ListPackagesAsync(status, page, ct), ct);

    public Task<IReadOnlyList<Package>> GetPoolAsync(CancellationToken ct) => calls.Run(GetPool, () => inner.GetPoolAsync(ct), ct);

    public Task<IReadOnlyList<AssignmentRecord>> CommitAssignmentsAsync(IReadOnlyList<PlannedAssignment> plan, int maxPerDriver, CancellationToken ct) =>
        calls.Run(CommitAssignments, () => inner.CommitAssignmentsAsync(plan, maxPerDriver, ct), ct);

    public async Task<StatusUpdateResult> UpdateStatusAsync(string driverId, string packageId, AssignmentStatus status, CancellationToken ct)
    {
        var result = await calls.Run(UpdateStatus, () => inner.UpdateStatusAsync(driverId, packageId, status, ct), ct);
        var from = result switch
        {
            { Outcome: StatusUpdateOutcome.Updated, Previous: { } previous } => previous.ToWire(),
            { Outcome: StatusUpdateOutcome.NotFound } => "none",
            { Record: { } record } => record.Status.ToWire(),
            _ => "none",
        };
        metrics.StatusUpdates.Add(1, new(Tags.From, from), new(Tags.To, status.ToWire()),
            new(Tags.Outcome, result.Outcome switch
            {
                StatusUpdateOutcome.Updated => "updated",
                StatusUpdateOutcome.Unchanged => "unchanged",
                StatusUpdateOutcome.NotFound => "not_found",
                _ => "illegal",
            }));
        return result;
    }
}
