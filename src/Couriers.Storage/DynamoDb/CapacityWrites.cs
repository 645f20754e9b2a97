using Amazon.DynamoDBv2.Model;
using Couriers.Core.Deliveries;
using static Couriers.Storage.DynamoDb.AttributeMaps;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

// The transaction items that reservations, releases, status changes, forced deletes and /assign are
// made of (docs/decisions/0003-dynamodb-write-model.md). Each carries the condition that keeps an
// invariant: room on the courier, one claim per package, one assignment per (courier, package),
// a package leaves the pool once. In one TransactWriteItems they apply together or not at all.
internal sealed class CapacityWrites(DynamoContext db)
{
    // Refused when the room left is smaller than volumeMl (conditions have no arithmetic, hence the stored
    // available_ml = max − declared − reserved), or when the courier would hold more than cap packages.
    public TransactWriteItem TakeRoom(string courierId, long volumeMl, int count, bool hasMax, DateTimeOffset now, int? cap = null)
    {
        var values = new Dictionary<string, AttributeValue> { [":v"] = N(volumeMl), [":k"] = N(count), [":now"] = Time(now) };
        var condition = hasMax ? "attribute_exists(#max_ml) AND #available_ml >= :v" : "attribute_exists(#id) AND attribute_not_exists(#max_ml)";
        if (cap is { } limit)
        {
            values[":most"] = N(limit - count);
            condition += " AND #active_count <= :most";
        }
        var version = count == 1 ? ":k" : ":one";
        if (count != 1) values[":one"] = N(1);
        var update = hasMax
            ? $"SET #available_ml = #available_ml - :v, #updated_at = :now ADD #reserved_ml :v, #active_count :k, #version {version}"
            : $"SET #updated_at = :now ADD #reserved_ml :v, #active_count :k, #version {version}";
        return TransactItems.Update(db.Couriers, Key(CourierTable.Id, courierId), update, condition, values);
    }

    // A courier given or relieved of a limit since the read refuses it: the caller reads again.
    public TransactWriteItem GiveRoomBack(string courierId, long volumeMl, int count, bool hasMax, DateTimeOffset now)
    {
        var values = new Dictionary<string, AttributeValue> { [":neg"] = N(-volumeMl), [":negk"] = N(-count), [":one"] = N(1), [":now"] = Time(now) };
        if (hasMax) values[":v"] = N(volumeMl);
        return TransactItems.Update(db.Couriers, Key(CourierTable.Id, courierId), hasMax
                ? "SET #available_ml = #available_ml + :v, #updated_at = :now ADD #reserved_ml :neg, #active_count :negk, #version :one"
                : "SET #updated_at = :now ADD #reserved_ml :neg, #active_count :negk, #version :one",
            hasMax ? "attribute_exists(#max_ml)" : "attribute_exists(#id) AND attribute_not_exists(#max_ml)", values);
    }

    // The lock that keeps a package on one courier: refused while anyone holds it.
    public TransactWriteItem Claim(string packageId, string holder) =>
        TransactItems.Put(db.Claims, new() { [ClaimTable.PackageId] = S(packageId), [ClaimTable.Holder] = S(holder) },
            "attribute_not_exists(#package_id)");

    // Frees the lock; a missing claim is no reason to refuse a release.
    public TransactWriteItem Unclaim(string packageId, string holder) =>
        TransactItems.Delete(db.Claims, Key(ClaimTable.PackageId, packageId), "attribute_not_exists(#package_id) OR #holder = :holder",
            new() { [":holder"] = S(holder) });

    // A new assignment; with reuseFinished (/assign) the finished item an earlier
    // failed delivery by the same driver left under this key is replaced.
    public TransactWriteItem Assign(Dictionary<string, AttributeValue> item, bool reuseFinished) => reuseFinished
        ? TransactItems.Put(db.Assignments, item, "attribute_not_exists(#driver_id) OR #status IN (:delivered, :failed)", new()
        {
            [":delivered"] = S(AssignmentStatus.Delivered.ToWire()),
            [":failed"] = S(AssignmentStatus.FailedToDeliver.ToWire()),
        })
        : TransactItems.Put(db.Assignments, item, "attribute_not_exists(#driver_id)");

    public TransactWriteItem TakeFromPool(string packageId, string driverId) =>
        TransactItems.Update(db.Packages, Key(PackageTable.PackageId, packageId),
            "SET #status = :assigned, #status_shard = :shard, #driver_id = :driver, #updated_at = :now", "#status = :unassigned",
            new()
            {
                [":assigned"] = S(PackageStates.Assigned), [":unassigned"] = S(PackageStates.Unassigned),
                [":shard"] = S(StatusShard(PackageStates.Assigned, packageId, db.Options.StatusShards)),
                [":driver"] = S(driverId), [":now"] = Time(db.Now),
            });

    // Only while the package is assigned to that driver: a load that raced a reservation may have left it elsewhere.
    public TransactWriteItem FinishPackage(string packageId, string driverId, PackageFinish finish)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":assigned"] = S(PackageStates.Assigned), [":driver"] = S(driverId), [":now"] = Time(db.Now),
        };
        string update;
        if (finish == PackageFinish.Delivered)
        {
            values[":to"] = S(PackageStates.Delivered);
            values[":shard"] = S(StatusShard(PackageStates.Delivered, packageId, db.Options.StatusShards));
            update = "SET #status = :to, #status_shard = :shard, #updated_at = :now";
        }
        else
        {
            values[":to"] = S(PackageStates.Unassigned);
            values[":shard"] = S(StatusShard(PackageStates.Unassigned, packageId, db.Options.StatusShards));
            update = "SET #status = :to, #status_shard = :shard, #updated_at = :now REMOVE #driver_id";
            if (finish == PackageFinish.Failed)
            {
                values[":one"] = N(1);
                update += " ADD #failed_attempts :one";
            }
        }
        return TransactItems.Update(db.Packages, Key(PackageTable.PackageId, packageId), update,
            "#status = :assigned AND #driver_id = :driver", values);
    }

    public static bool HeldBy(Dictionary<string, AttributeValue>? package, string driverId) =>
        package?.Str(PackageTable.Status) == PackageStates.Assigned && package.Str(PackageTable.DriverId) == driverId;
}

internal enum PackageFinish { Released, Delivered, Failed }
