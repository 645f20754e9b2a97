using Couriers.Core.Paging;

namespace Couriers.Core.Deliveries;

/// <summary>
/// Reads of the daily assignment that clients page through: one package, the drivers, a driver's
/// assignments with their history. Every adapter passes the same contract suite.
/// </summary>
public interface IDeliveryQueries
{
    Task<StoredPackage?> GetPackageAsync(string packageId, CancellationToken ct);

    /// <summary>Drivers (every courier is one) by id; <paramref name="hasRoom"/> keeps those with room left (true) or full (false).</summary>
    Task<Page<DriverView>> ListDriversAsync(bool? hasRoom, PageRequest<string> page, CancellationToken ct);

    /// <summary>A driver's assignments by package id, finished ones included; null when the driver does not exist.</summary>
    Task<Page<AssignmentRecord>?> ListAssignmentsAsync(string driverId, AssignmentStatus? status, PageRequest<string> page, CancellationToken ct);
}
