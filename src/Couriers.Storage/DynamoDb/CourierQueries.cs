using Amazon.DynamoDBv2.Model;
using Couriers.Core.Couriers;
using Couriers.Core.Paging;
using static Couriers.Storage.DynamoDb.AttributeMaps;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

/// <summary>
/// Reads over the write-sharded indexes: each of the N shards is queried in parallel from the
/// cursor on, and the sorted shard results are merged, so a page costs N small queries and no
/// partition ever holds the whole fleet (docs/dynamodb.md, "Why a sharded index").
/// Index reads are eventually consistent (typically well under a second behind): a lookup is advice,
/// and only the conditional write of a reservation takes room.
/// </summary>
internal sealed class CourierQueries(DynamoContext db)
{
    public async Task<Page<Courier>> ListAsync(PageRequest<string> page, CancellationToken ct) =>
        ToPage(await ListWhereAsync(_ => true, page, ct), page.Limit, last => Cursors.Encode(last.Id));

    // Up to one more than the page of the couriers that pass keep, after the cursor, in id order, from every list shard.
    public async Task<List<Courier>> ListWhereAsync(Func<Courier, bool> keep, PageRequest<string> page, CancellationToken ct)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, db.Options.LookupShards).Select(async shard =>
        {
            var values = new Dictionary<string, AttributeValue> { [":shard"] = S($"s#{shard}") };
            var condition = "#list_shard = :shard";
            if (page.After is { } after)
            {
                values[":after"] = S(after);
                condition += " AND #id > :after";
            }
            var request = new QueryRequest
            {
                TableName = db.Couriers, IndexName = CourierTable.ById, KeyConditionExpression = condition,
                ExpressionAttributeValues = values, Limit = page.Limit + 1,
            };
            var items = new List<Courier>();
            await foreach (var batch in db.QueryPagesAsync(request, ct))
            {
                items.AddRange(batch.Select(ToCourier).Where(keep));
                if (items.Count > page.Limit) break;
            }
            return items;
        }));
        return shards.SelectMany(s => s).OrderBy(c => c.Id, StringComparer.Ordinal).Take(page.Limit + 1).ToList();
    }

    public async Task<Page<Courier>> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct)
    {
        var required = Liters.ToMilliliters(capacityRequired);
        var after = page.After is { } cursor ? (Ml: Liters.ToMilliliters(cursor.Available), cursor.Id) : ((long Ml, string Id)?)null;
        var from = Math.Max(required, after?.Ml ?? long.MinValue);
        var shards = await Task.WhenAll(Enumerable.Range(0, db.Options.LookupShards).Select(shard =>
            LookupShardAsync($"s#{shard}", from, after, page.Limit + 1, ct)));
        var merged = shards.SelectMany(s => s).OrderBy(Available).ThenBy(c => c.Id, StringComparer.Ordinal).Take(page.Limit + 1).ToList();
        return ToPage(merged, page.Limit, last => new LookupCursor(last.AvailableCapacity ?? 0m, last.Id).Encode());
    }

    /// <summary>
    /// One shard's best fits after the cursor. The index sorts by available_ml only, so couriers
    /// with equal room come in no particular order: reading goes on past <paramref name="wanted"/>
    /// until the room changes, and the tie is then broken by id here.
    /// </summary>
    private async Task<List<Courier>> LookupShardAsync(string shard, long from, (long Ml, string Id)? after, int wanted, CancellationToken ct)
    {
        var request = new QueryRequest
        {
            TableName = db.Couriers,
            IndexName = CourierTable.ByAvailable,
            KeyConditionExpression = "#lookup_shard = :shard AND #available_ml >= :from",
            ExpressionAttributeValues = new() { [":shard"] = S(shard), [":from"] = N(from) },
            Limit = wanted + 1,
        };
        var found = new List<Courier>();
        await foreach (var batch in db.QueryPagesAsync(request, ct))
        {
            foreach (var item in batch)
            {
                var ml = item.Long(CourierTable.AvailableMl) ?? 0;
                if (after is { } a && (ml < a.Ml || (ml == a.Ml && string.CompareOrdinal(item.Str(CourierTable.Id), a.Id) <= 0))) continue;
                found.Add(ToCourier(item));
            }
            if (found.Count < wanted || batch.Count == 0) continue;
            found = found.OrderBy(Available).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
            var lastRead = batch[^1].Long(CourierTable.AvailableMl) ?? 0;
            if (Liters.ToMilliliters(Available(found[wanted - 1])) < lastRead) break;
        }
        return found;
    }

    /// <summary>Every assignment item of a courier, active or finished, by package id (a consistent read).</summary>
    public Task<List<Dictionary<string, AttributeValue>>> AssignmentsOfAsync(string courierId, CancellationToken ct) =>
        db.QueryAllAsync(new QueryRequest
        {
            TableName = db.Assignments,
            KeyConditionExpression = "#driver_id = :driver",
            ExpressionAttributeValues = new() { [":driver"] = S(courierId) },
            ConsistentRead = true,
        }, ct);

    private static decimal Available(Courier courier) => courier.AvailableCapacity ?? 0m;

    private static Page<Courier> ToPage(List<Courier> rows, int limit, Func<Courier, string> cursorOf)
    {
        // One row more than asked tells whether another page exists without a count.
        if (rows.Count <= limit) return new Page<Courier>(rows, null);
        rows.RemoveAt(limit);
        return new Page<Courier>(rows, cursorOf(rows[^1]));
    }
}
