using Amazon.DynamoDBv2.Model;
using Couriers.Core;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using static Couriers.Storage.DynamoDb.AttributeMaps;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

// A batch of couriers as driver batches are written: validated whole against one consistent read (any
// conflict refuses the whole batch before anything is written), then each courier written with its own
// conditional write. A batch cut off by a crash may be partly written; sending it again completes it.
internal sealed class DynamoDbCourierBatches(DynamoContext db) : ICourierBatches
{
    public async Task<BatchResult> UpsertCouriersAsync(IReadOnlyList<NewCourier> couriers, CancellationToken ct)
    {
        var now = db.Now;
        var read = (await db.BatchGetAsync(db.Couriers, couriers.Select(c => c.Id).Distinct().Select(id => Key(CourierTable.Id, id)), ct))
            .ToDictionary(item => item.Str(CourierTable.Id)!, ToCourier);
        var conflicts = new Dictionary<string, string>();
        var writes = new List<(int Index, NewCourier Courier)>();
        int created = 0, updated = 0, unchanged = 0;
        for (var i = 0; i < couriers.Count; i++)
        {
            var courier = couriers[i];
            if (!read.TryGetValue(courier.Id, out var current)) created++;
            else if (current.MaxCapacity == courier.MaxCapacity) { unchanged++; continue; }
            else if (new CourierChange(courier.MaxCapacity, null).ApplyTo(current, now) is { Updated: null } refused)
            {
                conflicts[$"[{i}].max_capacity"] = refused.Error!;
                continue;
            }
            else updated++;
            writes.Add((i, courier));
        }
        if (conflicts.Count > 0) return new BatchResult(created, updated, unchanged, conflicts);

        var late = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(writes, new ParallelOptions { MaxDegreeOfParallelism = db.Options.WriteParallelism, CancellationToken = ct },
            async (write, token) =>
            {
                if (await WriteAsync(write.Courier, now, token) is { } error) late[$"[{write.Index}].max_capacity"] = error;
            });
        return new BatchResult(created, updated, unchanged, late);
    }

    // A conditional put for a new courier (one created meanwhile is not overwritten), else an update by
    // version; a reservation that made the change impossible after validation comes back as an error.
    private async Task<string?> WriteAsync(NewCourier courier, DateTimeOffset now, CancellationToken ct)
    {
        for (var tries = 0; tries < 10; tries++)
        {
            var item = await db.GetAsync(db.Couriers, Key(CourierTable.Id, courier.Id), ct);
            if (item is null)
            {
                var put = await db.PutAsync(db.Couriers, NewCourierItem(courier.Id, courier.MaxCapacity, null, now, db.Options.LookupShards),
                    "attribute_not_exists(#id)", null, ct);
                if (put.Applied) return null;
                continue;
            }
            var current = ToCourier(item);
            if (current.MaxCapacity == courier.MaxCapacity) return null;
            var change = new CourierChange(courier.MaxCapacity, null).ApplyTo(current, now);
            if (change.Updated is null) return change.Error;
            if (await CourierChanges.WriteAsync(db, current, change.Updated, rules: null, ct)) return null;
        }
        throw new StoreContentionException($"Courier '{courier.Id}' kept changing; it was not written.");
    }
}
