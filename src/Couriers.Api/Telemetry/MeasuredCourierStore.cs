using Couriers.Core.Couriers;
using Couriers.Core.Paging;

namespace Couriers.Api.Telemetry;

/// <summary>The courier store with every call measured and traced, and each reservation counted by its outcome.</summary>
internal sealed class MeasuredCourierStore(ICourierStore inner, StoreCalls calls, ServiceMetrics metrics) : ICourierStore
{
    private static readonly StoreOperation Create = new("create_courier"), Get = new("get_courier"), List = new("list_couriers"),
        Update = new("update_courier"), Delete = new("delete_courier"), Lookup = new("lookup"), Reserve = new("reserve"),
        Release = new("release"), Reservations = new("list_reservations"), Ready = new("ready");

    public Task<CreateCourierResult> CreateAsync(NewCourier courier, CancellationToken ct) =>
        calls.Run(Create, () => inner.CreateAsync(courier, ct), ct);

    public Task<Courier?> GetAsync(string id, CancellationToken ct) => calls.Run(Get, () => inner.GetAsync(id, ct), ct);

    public Task<Page<Courier>> ListAsync(PageRequest<string> page, CancellationToken ct) => calls.Run(List, () => inner.ListAsync(page, ct), ct);

    public Task<UpdateCourierResult> UpdateAsync(string id, CourierChange change, long? expectedVersion, CancellationToken ct) =>
        calls.Run(Update, () => inner.UpdateAsync(id, change, expectedVersion, ct), ct);

    public Task<DeleteCourierResult> DeleteAsync(string id, long? expectedVersion, bool force, CancellationToken ct) =>
        calls.Run(Delete, () => inner.DeleteAsync(id, expectedVersion, force, ct), ct);

    public Task<Page<Courier>> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct) =>
        calls.Run(Lookup, () => inner.LookupAsync(capacityRequired, page, ct), ct);

    public async Task<ReserveResult> ReserveAsync(ReservationRequest request, CancellationToken ct)
    {
        var result = await calls.Run(Reserve, () => inner.ReserveAsync(request, ct), ct);
        metrics.Reservations.Add(1, new(Tags.Outcome, Outcome(result.Status)), new(Tags.Store, calls.Store));
        return result;
    }

    public Task<ReleaseResult> ReleaseAsync(string courierId, string reference, CancellationToken ct) =>
        calls.Run(Release, () => inner.ReleaseAsync(courierId, reference, ct), ct);

    public Task<IReadOnlyList<Reservation>> ListReservationsAsync(string courierId, CancellationToken ct) =>
        calls.Run(Reservations, () => inner.ListReservationsAsync(courierId, ct), ct);

    public Task<bool> IsReadyAsync(CancellationToken ct) => calls.Run(Ready, () => inner.IsReadyAsync(ct), ct);

    internal static string Outcome(ReserveStatus status) => status switch
    {
        ReserveStatus.Reserved => "created",
        ReserveStatus.AlreadyReserved => "repeated",
        ReserveStatus.InsufficientCapacity => "insufficient_room",
        ReserveStatus.CourierNotFound => "courier_not_found",
        _ => "conflict", // the package is with another courier, or the reference was used differently
    };
}
