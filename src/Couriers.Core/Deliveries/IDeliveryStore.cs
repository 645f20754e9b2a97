using Couriers.Core.Paging;

namespace Couriers.Core.Deliveries;

/// <summary>
/// The store port for the daily assignment. Drivers are couriers (one id, one capacity), and
/// assignments are the same records as the couriers' reservations, so capacity has one source.
/// </summary>
public interface IDeliveryStore
{
    /// <summary>Creates or updates drivers (rules, and max_capacity when given), all or nothing.</summary>
    Task<BatchResult> UpsertDriversAsync(IReadOnlyList<DriverRecord> drivers, CancellationToken ct);

    Task<DriverView?> GetDriverAsync(string id, CancellationToken ct);

    /// <summary>The drivers among <paramref name="ids"/> that exist; unknown ids are left out.</summary>
    Task<IReadOnlyList<DriverView>> GetDriversAsync(IReadOnlyList<string> ids, CancellationToken ct);

    /// <summary>Adds packages, idempotent by id; an id already stored with other content is a conflict.</summary>
    Task<BatchResult> AddPackagesAsync(IReadOnlyList<Package> packages, CancellationToken ct);

    Task<Page<StoredPackage>> ListPackagesAsync(PackageStatus? status, PageRequest<string> page, CancellationToken ct);

    /// <summary>Every unassigned package, by id.</summary>
    Task<IReadOnlyList<Package>> GetPoolAsync(CancellationToken ct);

    /// <summary>
    /// Writes a plan item by item, each checked again at write time (package still in the pool, driver
    /// under <paramref name="maxPerDriver"/> active packages, room left), so a plan computed from an
    /// older read can never double-assign or overbook. Returns what was written; the rest was skipped.
    /// </summary>
    Task<IReadOnlyList<AssignmentRecord>> CommitAssignmentsAsync(IReadOnlyList<PlannedAssignment> plan, int maxPerDriver, CancellationToken ct);

    Task<StatusUpdateResult> UpdateStatusAsync(string driverId, string packageId, AssignmentStatus status, CancellationToken ct);
}
