using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;

namespace Couriers.Api.Telemetry;

/// <summary>The delivery reads, measured and traced like every store call.</summary>
internal sealed class MeasuredDeliveryQueries(IDeliveryQueries inner, StoreCalls calls) : IDeliveryQueries
{
    private static readonly StoreOperation GetPackage = new("get_package"), ListDrivers = new("list_drivers"),
        ListAssignments = new("list_assignments");

    public Task<StoredPackage?> GetPackageAsync(string packageId, CancellationToken ct) =>
        calls.Run(GetPackage, () => inner.GetPackageAsync(packageId, ct), ct);

    public Task<Page<DriverView>> ListDriversAsync(bool? hasRoom, PageRequest<string> page, CancellationToken ct) =>
        calls.Run(ListDrivers, () => inner.ListDriversAsync(hasRoom, page, ct), ct);

    public Task<Page<AssignmentRecord>?> ListAssignmentsAsync(string driverId, AssignmentStatus? status, PageRequest<string> page, CancellationToken ct) =>
        calls.Run(ListAssignments, () => inner.ListAssignmentsAsync(driverId, status, page, ct), ct);
}

/// <summary>The courier batch (the Stuart API's full sync), measured and traced.</summary>
internal sealed class MeasuredCourierBatches(ICourierBatches inner, StoreCalls calls) : ICourierBatches
{
    private static readonly StoreOperation Upsert = new("upsert_couriers");

    public Task<BatchResult> UpsertCouriersAsync(IReadOnlyList<NewCourier> couriers, CancellationToken ct) =>
        calls.Run(Upsert, () => inner.UpsertCouriersAsync(couriers, ct), ct);
}
