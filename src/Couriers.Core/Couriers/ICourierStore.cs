using Couriers.Core.Paging;

namespace Couriers.Core.Couriers;

/// <summary>
/// The store port. Every adapter must pass the shared contract suite; the invariants of docs/design.md
/// (no overbooking, one active courier per package, derived capacity) are the adapter's to keep
/// atomically, because only the store can see concurrent writers on other service instances.
/// </summary>
public interface ICourierStore
{
    Task<CreateCourierResult> CreateAsync(NewCourier courier, CancellationToken ct);

    Task<Courier?> GetAsync(string id, CancellationToken ct);

    Task<Page<Courier>> ListAsync(PageRequest<string> page, CancellationToken ct);

    /// <param name="expectedVersion">When set, the update applies only to that version (If-Match).</param>
    Task<UpdateCourierResult> UpdateAsync(string id, CourierChange change, long? expectedVersion, CancellationToken ct);

    /// <param name="force">Delete even while reservations are active; they are released with it.</param>
    Task<DeleteCourierResult> DeleteAsync(string id, long? expectedVersion, bool force, CancellationToken ct);

    /// <summary>Couriers with at least the required room, smallest sufficient room first.</summary>
    Task<Page<Courier>> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct);

    Task<ReserveResult> ReserveAsync(ReservationRequest request, CancellationToken ct);

    Task<ReleaseResult> ReleaseAsync(string courierId, string reference, CancellationToken ct);

    Task<IReadOnlyList<Reservation>> ListReservationsAsync(string courierId, CancellationToken ct);

    /// <summary>True when the store answers; used by the readiness probe.</summary>
    Task<bool> IsReadyAsync(CancellationToken ct);
}
