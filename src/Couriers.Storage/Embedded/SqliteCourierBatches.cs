using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using static Couriers.Storage.Embedded.SqliteRows;

namespace Couriers.Storage.Embedded;

// A batch of couriers in one transaction of its own: every item applies, or (on any conflict) none.
internal sealed class SqliteCourierBatches(SqliteDatabase database, TimeProvider clock) : ICourierBatches
{
    public Task<BatchResult> UpsertCouriersAsync(IReadOnlyList<NewCourier> couriers, CancellationToken ct) => database.WriteAsync((db, tx) =>
    {
        var now = clock.GetUtcNow();
        var conflicts = new Dictionary<string, string>();
        int created = 0, updated = 0, unchanged = 0;
        for (var i = 0; i < couriers.Count; i++)
        {
            var (id, max) = couriers[i];
            var current = ReadCourier(db, tx, id);
            if (current is null)
            {
                Execute(db, tx, $"INSERT INTO couriers ({CourierColumns}) VALUES ($id, $max, 0, 0, 1, $now, $now)",
                    ("$id", id), ("$max", Ml(max)), ("$now", Timestamp(now)));
                created++;
                continue;
            }
            if (current.MaxCapacity == max) { unchanged++; continue; }
            var change = new CourierChange(max, null).ApplyTo(current, now);
            if (change.Updated is null) { conflicts[$"[{i}].max_capacity"] = change.Error!; continue; }
            Execute(db, tx, "UPDATE couriers SET max_ml = $max, version = version + 1, updated_at = $now WHERE id = $id",
                ("$id", id), ("$max", Ml(max)), ("$now", Timestamp(now)));
            updated++;
        }
        return new BatchResult(created, updated, unchanged, conflicts);
    }, ct, result => result.Conflicts.Count == 0, bulk: true);
}
