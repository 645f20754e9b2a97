using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

// To and from DynamoDB's AttributeValue: the only place that knows how a record is stored.
internal static class AttributeMaps
{
    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue Time(DateTimeOffset value) => S(value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));

    public static Dictionary<string, AttributeValue> Key(string name, string value) => new() { [name] = S(value) };

    public static Dictionary<string, AttributeValue> Key(string hash, string hashValue, string range, string rangeValue) =>
        new() { [hash] = S(hashValue), [range] = S(rangeValue) };

    public static string? Str(this Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    public static long? Long(this Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : null;

    public static DateTimeOffset Timestamp(this Dictionary<string, AttributeValue> item, string name) =>
        DateTimeOffset.Parse(item.Str(name)!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static int ActiveCount(this Dictionary<string, AttributeValue> item) => (int)(item.Long(CourierTable.ActiveCount) ?? 0);

    public static bool HasMax(this Dictionary<string, AttributeValue> item) => item.ContainsKey(CourierTable.MaxMl);

    public static Courier ToCourier(Dictionary<string, AttributeValue> item) => new(
        item.Str(CourierTable.Id)!,
        item.Long(CourierTable.MaxMl) is { } max ? Liters.FromMilliliters(max) : null,
        Liters.FromMilliliters(item.Long(CourierTable.DeclaredMl) ?? 0),
        Liters.FromMilliliters(item.Long(CourierTable.ReservedMl) ?? 0),
        item.Long(CourierTable.Version) ?? 0,
        item.Timestamp(CourierTable.CreatedAt),
        item.Timestamp(CourierTable.UpdatedAt));

    public static Dictionary<string, AttributeValue> NewCourierItem(string id, decimal? max, string? rules, DateTimeOffset now, int shards)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [CourierTable.Id] = S(id),
            [CourierTable.DeclaredMl] = N(0),
            [CourierTable.ReservedMl] = N(0),
            [CourierTable.ActiveCount] = N(0),
            [CourierTable.Version] = N(1),
            [CourierTable.CreatedAt] = Time(now),
            [CourierTable.UpdatedAt] = Time(now),
            [CourierTable.ListShard] = S(CourierShard(id, shards)),
            [CourierTable.ChangeShard] = S(CourierShard(id, shards)),
        };
        if (rules is not null) item[CourierTable.Rules] = S(rules);
        if (max is { } limit)
        {
            // Only couriers with a limit carry the lookup index's keys: the index stays sparse.
            item[CourierTable.MaxMl] = N(Liters.ToMilliliters(limit));
            item[CourierTable.AvailableMl] = N(Liters.ToMilliliters(limit));
            item[CourierTable.LookupShard] = S(CourierShard(id, shards));
        }
        return item;
    }

    // Marks a deleted courier in the change index, so other instances drop it from their capacity index.
    // Its key is the courier's id after '~', which no courier id may contain, and it carries neither list
    // nor lookup shard, so no read but the change index ever meets it. One per id: a later delete overwrites it.
    public static Dictionary<string, AttributeValue> DeletionMarker(Courier deleted, DateTimeOffset now, int shards) => new()
    {
        [CourierTable.Id] = S(DeletionMarkers.Prefix + deleted.Id),
        [CourierTable.Version] = N(deleted.Version + 1),
        [CourierTable.CreatedAt] = Time(deleted.CreatedAt),
        [CourierTable.UpdatedAt] = Time(now),
        [CourierTable.ChangeShard] = S(CourierShard(deleted.Id, shards)),
    };

    public static AssignmentStatus ParseStatus(string? wire) =>
        wire is not null && AssignmentStatuses.TryParse(wire, out var status) ? status : AssignmentStatus.Assigned;

    public static bool IsActiveStatus(string? wire) => wire is not null && AssignmentStatuses.TryParse(wire, out var s) && s.IsActive();

    public static Reservation ToReservation(Dictionary<string, AttributeValue> item) => new(
        item.Str(AssignmentTable.DriverId)!,
        item.Str(AssignmentTable.PackageId)!,
        Liters.FromMilliliters(item.Long(AssignmentTable.VolumeMl) ?? 0),
        item.Str(AssignmentTable.Status)!,
        item.Timestamp(AssignmentTable.CreatedAt));

    public static AssignmentRecord ToAssignment(Dictionary<string, AttributeValue> item) => new(
        item.Str(AssignmentTable.DriverId)!,
        item.Str(AssignmentTable.PackageId)!,
        ParseStatus(item.Str(AssignmentTable.Status)),
        Liters.FromMilliliters(item.Long(AssignmentTable.VolumeMl) ?? 0),
        item.Str(AssignmentTable.Package) is { } json ? StorageJson.Read<Package>(json) : null,
        item.Timestamp(AssignmentTable.CreatedAt),
        item.Timestamp(AssignmentTable.UpdatedAt));

    public static Dictionary<string, AttributeValue> AssignmentItem(string driverId, string packageId, decimal volume,
        Package? package, DateTimeOffset now)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [AssignmentTable.DriverId] = S(driverId),
            [AssignmentTable.PackageId] = S(packageId),
            [AssignmentTable.Status] = S(AssignmentStatus.Assigned.ToWire()),
            [AssignmentTable.VolumeMl] = N(Liters.ToMilliliters(volume)),
            [AssignmentTable.CreatedAt] = Time(now),
            [AssignmentTable.UpdatedAt] = Time(now),
        };
        if (package is not null) item[AssignmentTable.Package] = S(StorageJson.Write(package));
        return item;
    }

    // holder: The courier holding the package's claim: a reference reserved before its package arrived.
    public static Dictionary<string, AttributeValue> PackageItem(Package package, string body, string? holder, DateTimeOffset now, int shards)
    {
        var status = holder is null ? PackageStates.Unassigned : PackageStates.Assigned;
        var item = new Dictionary<string, AttributeValue>
        {
            [PackageTable.PackageId] = S(package.PackageId),
            [PackageTable.Body] = S(body),
            [PackageTable.VolumeMl] = N(Liters.ToMilliliters(package.VolumeLiters)),
            [PackageTable.Status] = S(status),
            [PackageTable.StatusShard] = S(StatusShard(status, package.PackageId, shards)),
            [PackageTable.FailedAttempts] = N(0),
            [PackageTable.CreatedAt] = Time(now),
            [PackageTable.UpdatedAt] = Time(now),
        };
        if (holder is not null) item[PackageTable.DriverId] = S(holder);
        return item;
    }

    public static StoredPackage ToStoredPackage(Dictionary<string, AttributeValue> item) => new(
        StorageJson.Read<Package>(item.Str(PackageTable.Body)!),
        item.Str(PackageTable.Status) switch
        {
            PackageStates.Assigned => PackageStatus.Assigned,
            PackageStates.Delivered => PackageStatus.Delivered,
            _ => PackageStatus.Unassigned,
        },
        item.Str(PackageTable.DriverId),
        (int)(item.Long(PackageTable.FailedAttempts) ?? 0));
}

internal static class PackageStates
{
    public const string Unassigned = "unassigned";
    public const string Assigned = "assigned";
    public const string Delivered = "delivered";

    public static string Of(PackageStatus status) => status switch
    {
        PackageStatus.Assigned => Assigned,
        PackageStatus.Delivered => Delivered,
        _ => Unassigned,
    };
}

internal static class DeletionMarkers
{
    public const string Prefix = "~";

    // The courier a deletion marker stands for, or null for a courier item.
    public static string? CourierOf(string itemId) => itemId.StartsWith(Prefix, StringComparison.Ordinal) ? itemId[Prefix.Length..] : null;
}
