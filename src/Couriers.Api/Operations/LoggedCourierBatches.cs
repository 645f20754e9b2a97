using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;

namespace Couriers.Api.Operations;

// A courier batch with each created or changed courier recorded in the operational log, as driver loads
// are: the listed couriers are read before and after (two batch reads), only when the batch applied.
internal sealed class LoggedCourierBatches(ICourierBatches inner, IDeliveryStore store, OperationalLog log) : ICourierBatches
{
    public async Task<BatchResult> UpsertCouriersAsync(IReadOnlyList<NewCourier> couriers, CancellationToken ct)
    {
        var ids = couriers.Select(c => c.Id).Distinct(StringComparer.Ordinal).ToList();
        var before = (await store.GetDriversAsync(ids, ct)).ToDictionary(d => d.Courier.Id, d => d.Courier, StringComparer.Ordinal);
        var result = await inner.UpsertCouriersAsync(couriers, ct);
        if (!result.Applied || result.Created + result.Updated == 0) return result;
        foreach (var after in await store.GetDriversAsync(ids, ct))
        {
            var was = before.GetValueOrDefault(after.Courier.Id);
            if (was is not null && was.Version == after.Courier.Version) continue;
            log.Record(EntityTypes.Courier, after.Courier.Id, was is null ? Actions.Created : Actions.Updated,
                was is null ? null : CourierState.Of(was), CourierState.Of(after.Courier));
        }
        return result;
    }
}
