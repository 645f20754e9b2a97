using Amazon.DynamoDBv2.Model;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;
using static Couriers.Storage.DynamoDb.AttributeMaps;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

/// <summary>
/// Paged reads on DynamoDB: one package by key; drivers over the id index's shards; a driver's assignments by its partition key, finished ones included (a status filter
/// is a FilterExpression: read units are those of the items read, not only those returned).
/// </summary>
internal sealed class DynamoDbDeliveryQueries(DynamoContext db, CourierQueries couriers) : IDeliveryQueries
{
    public async Task<StoredPackage?> GetPackageAsync(string packageId, CancellationToken ct) =>
        await db.GetAsync(db.Packages, Key(PackageTable.PackageId, packageId), ct) is { } item ? ToStoredPackage(item) : null;

    /// <summary>
    /// The id index's shards in parallel, merged by id, as the couriers' list reads them. The index projects
    /// the courier's amounts but not its rules or active count: room is filtered here, and the page's drivers
    /// are then read whole in one batch.
    /// </summary>
    public async Task<Page<DriverView>> ListDriversAsync(bool? hasRoom, PageRequest<string> page, CancellationToken ct)
    {
        var listed = await couriers.ListWhereAsync(c => hasRoom is not { } room || HasRoom(c) == room, page, ct);
        var ids = listed.Select(c => c.Id).ToList();
        var items = (await db.BatchGetAsync(db.Couriers, ids.Select(id => Key(CourierTable.Id, id)), ct)).ToDictionary(i => i.Str(CourierTable.Id)!);
        var rows = ids.Where(items.ContainsKey).Select(id => ToDriver(items[id])).ToList();
        return Paged(rows, page.Limit, d => d.Courier.Id);
    }

    // No max_capacity is no limit: such a driver always has room.
    private static bool HasRoom(Core.Couriers.Courier courier) => courier.AvailableCapacity is not { } available || available > 0;

    public async Task<Page<AssignmentRecord>?> ListAssignmentsAsync(string driverId, AssignmentStatus? status, PageRequest<string> page, CancellationToken ct)
    {
        if (await db.GetAsync(db.Couriers, Key(CourierTable.Id, driverId), ct) is null) return null;
        var values = new Dictionary<string, AttributeValue> { [":driver"] = S(driverId), [":after"] = S(page.After ?? "") };
        if (status is { } s) values[":status"] = S(s.ToWire());
        var request = new QueryRequest
        {
            TableName = db.Assignments,
            KeyConditionExpression = page.After is null ? "#driver_id = :driver" : "#driver_id = :driver AND #package_id > :after",
            FilterExpression = status is null ? null : "#status = :status",
            ExpressionAttributeValues = values,
            Limit = page.Limit + 1,
            ConsistentRead = true,
        };
        if (page.After is null) values.Remove(":after");
        var rows = new List<AssignmentRecord>();
        await foreach (var batch in db.QueryPagesAsync(request, ct))
        {
            rows.AddRange(batch.Select(ToAssignment));
            if (rows.Count > page.Limit) break;
        }
        // Records written by /assign keep no copy of the package: read the bodies of those shown.
        var missing = rows.Take(page.Limit).Where(r => r.Package is null).Select(r => r.PackageId).ToList();
        if (missing.Count > 0)
        {
            var bodies = (await db.BatchGetAsync(db.Packages, missing.Select(id => Key(PackageTable.PackageId, id)), ct))
                .ToDictionary(i => i.Str(PackageTable.PackageId)!, i => ToStoredPackage(i).Package);
            rows = rows.Select(r => r.Package is null && bodies.TryGetValue(r.PackageId, out var p) ? r with { Package = p } : r).ToList();
        }
        return Paged(rows.Take(page.Limit + 1).ToList(), page.Limit, a => a.PackageId);
    }

    private static DriverView ToDriver(Dictionary<string, AttributeValue> item) => new(
        ToCourier(item), item.Str(CourierTable.Rules) is { } json ? StorageJson.Read<List<RuleSpec>>(json) : [], item.ActiveCount());

    private static Page<T> Paged<T>(List<T> rows, int limit, Func<T, string> keyOf)
    {
        if (rows.Count <= limit) return new Page<T>(rows, null);
        rows.RemoveAt(limit);
        return new Page<T>(rows, Cursors.Encode(keyOf(rows[^1])));
    }
}
