using Couriers.Core.Couriers;
using Couriers.Core.Paging;

namespace Couriers.Api.Operations;

// The courier store with every successful write recorded in the operational log. Reads pass
// straight through; the "before" state comes from the store's own answer (read in the same atomic
// step as the write), so logging costs no extra request. A write that throws records nothing.
internal sealed class LoggedCourierStore(ICourierStore inner, OperationalLog log) : ICourierStore
{
    public async Task<CreateCourierResult> CreateAsync(NewCourier courier, CancellationToken ct)
    {
        var result = await inner.CreateAsync(courier, ct);
        if (result.Status == CreateStatus.Created)
            log.Record(EntityTypes.Courier, result.Courier.Id, Actions.Created, null, CourierState.Of(result.Courier));
        return result;
    }

    public async Task<UpdateCourierResult> UpdateAsync(string id, CourierChange change, long? expectedVersion, CancellationToken ct)
    {
        var result = await inner.UpdateAsync(id, change, expectedVersion, ct);
        if (result is { Status: UpdateStatus.Updated, Courier: { } after })
            log.Record(EntityTypes.Courier, id, Actions.Updated, result.Before is { } before ? CourierState.Of(before) : null, CourierState.Of(after));
        return result;
    }

    public async Task<DeleteCourierResult> DeleteAsync(string id, long? expectedVersion, bool force, CancellationToken ct)
    {
        var result = await inner.DeleteAsync(id, expectedVersion, force, ct);
        if (result.Status == DeleteStatus.Deleted)
            log.Record(EntityTypes.Courier, id, Actions.Deleted, result.Courier is { } gone ? CourierState.Of(gone) : null, null);
        return result;
    }

    public async Task<ReserveResult> ReserveAsync(ReservationRequest request, CancellationToken ct)
    {
        var result = await inner.ReserveAsync(request, ct);
        // AlreadyReserved is a client's retry of a write that was recorded the first time.
        if (result is { Status: ReserveStatus.Reserved, Reservation: { } reservation })
            log.Record(EntityTypes.Reservation, Id(request.CourierId, request.Reference), Actions.Created, null, ReservationState.Of(reservation));
        return result;
    }

    public async Task<ReleaseResult> ReleaseAsync(string courierId, string reference, CancellationToken ct)
    {
        var result = await inner.ReleaseAsync(courierId, reference, ct);
        if (result.Status == ReleaseStatus.Released)
            log.Record(EntityTypes.Reservation, Id(courierId, reference), Actions.Released,
                result.Released is { } held ? ReservationState.Of(held) : null, null);
        return result;
    }

    public Task<Courier?> GetAsync(string id, CancellationToken ct) => inner.GetAsync(id, ct);

    public Task<Page<Courier>> ListAsync(PageRequest<string> page, CancellationToken ct) => inner.ListAsync(page, ct);

    public Task<Page<Courier>> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct) =>
        inner.LookupAsync(capacityRequired, page, ct);

    public Task<IReadOnlyList<Reservation>> ListReservationsAsync(string courierId, CancellationToken ct) => inner.ListReservationsAsync(courierId, ct);

    public Task<bool> IsReadyAsync(CancellationToken ct) => inner.IsReadyAsync(ct);

    // A reservation or assignment is named by its courier (driver) and reference (package).
    internal static string Id(string courierId, string reference) => $"{courierId}/{reference}";
}
