using Couriers.Core.Couriers;
using static Couriers.Storage.Embedded.SqliteRows;

namespace Couriers.Storage.Embedded;

/// <summary>
/// SQLite writes an assignment and the room it takes in one transaction, so nothing can be left
/// half done; reconciling only recomputes reserved_ml from the active rows, as a check.
/// </summary>
internal sealed class SqliteCapacityReconciler(SqliteDatabase database, TimeProvider clock) : ICapacityReconciler
{
    public Task<ReconcileResult> ReconcileAsync(string courierId, CancellationToken ct) => database.WriteAsync((db, tx) =>
    {
        if (ReadCourier(db, tx, courierId) is not { } courier)
            return new ReconcileResult(courierId, false, 0m, 0m, 0, 0, []);
        var row = Query(db, tx, $"SELECT COUNT(*), COALESCE(SUM(volume_ml), 0) FROM assignments WHERE driver_id = $id AND status IN {ActiveStatuses}",
            r => (Count: r.GetInt32(0), Ml: r.GetInt64(1)), ("$id", courierId)).Single();
        var reserved = Liters.FromMilliliters(row.Ml);
        if (reserved != courier.ReservedCapacity)
        {
            Execute(db, tx, "UPDATE couriers SET reserved_ml = $ml, version = version + 1, updated_at = $now WHERE id = $id",
                ("$id", courierId), ("$ml", row.Ml), ("$now", Timestamp(clock.GetUtcNow())));
        }
        return new ReconcileResult(courierId, true, courier.ReservedCapacity, reserved, row.Count, 0, []);
    }, ct);
}
