using System.Reflection;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Couriers.Storage.DynamoDb;

/// <summary>
/// Every table, index and attribute name of the DynamoDB adapter, and the tables as CreateTable
/// requests: the one definition the adapter, the startup bootstrap and the Terraform check share.
/// Amounts are whole milliliters (N) so sums are exact, as in the SQLite schema.
/// </summary>
public static class DynamoSchema
{
    public static class CourierTable
    {
        public const string Name = "Couriers";
        public const string Id = "id";
        public const string MaxMl = "max_ml";
        public const string DeclaredMl = "declared_ml";
        public const string ReservedMl = "reserved_ml";
        /// <summary>max − declared − reserved, kept in the same write as each of them; only when max_ml is set.</summary>
        public const string AvailableMl = "available_ml";
        /// <summary>How many assignments are active: /assign's max_per_driver is a condition on it.</summary>
        public const string ActiveCount = "active_count";
        public const string Version = "version";
        public const string Rules = "rules";
        public const string CreatedAt = "created_at";
        public const string UpdatedAt = "updated_at";
        /// <summary>s#0…s#N-1 from a hash of the id; only on couriers with max_ml (with available_ml).</summary>
        public const string LookupShard = "lookup_shard";
        /// <summary>s#0…s#N-1 from a hash of the id; on every courier, for listing by id.</summary>
        public const string ListShard = "list_shard";
        /// <summary>s#0…s#N-1 from a hash of the id; on every courier and every deletion marker, for the change index.</summary>
        public const string ChangeShard = "change_shard";
        public const string ByAvailable = "by_available";
        public const string ById = "by_id";
        /// <summary>What changed lately, by updated_at: what each instance polls to keep its capacity index fresh.</summary>
        public const string ByChange = "by_change";
    }

    public static class AssignmentTable
    {
        public const string Name = "DeliveryAssignments";
        public const string DriverId = "driver_id";
        public const string PackageId = "package_id";
        public const string Status = "status";
        public const string VolumeMl = "volume_ml";
        /// <summary>The package as JSON (weight, region, destination…) when the assignment came from the pool.</summary>
        public const string Package = "package";
        public const string CreatedAt = "created_at";
        public const string UpdatedAt = "updated_at";
    }

    public static class PackageTable
    {
        public const string Name = "Packages";
        public const string PackageId = "package_id";
        public const string Body = "body";
        public const string VolumeMl = "volume_ml";
        public const string Status = "status";
        public const string DriverId = "driver_id";
        public const string FailedAttempts = "failed_attempts";
        public const string CreatedAt = "created_at";
        public const string UpdatedAt = "updated_at";
        /// <summary>status#k (unassigned#3): spreads the pool over k partitions of the status index.</summary>
        public const string StatusShard = "status_shard";
        public const string ByStatus = "by_status";
    }

    /// <summary>
    /// The lock that keeps a package (any reference) on at most one courier: written and deleted in
    /// the same transaction as the active assignment it guards.
    /// </summary>
    public static class ClaimTable
    {
        public const string Name = "PackageClaims";
        public const string PackageId = "package_id";
        public const string Holder = "holder";
    }

    /// <summary>The attributes a Courier is built from: what the couriers' indexes project.</summary>
    public static readonly IReadOnlyList<string> CourierProjection =
    [
        CourierTable.MaxMl, CourierTable.DeclaredMl, CourierTable.ReservedMl, CourierTable.Version,
        CourierTable.CreatedAt, CourierTable.UpdatedAt,
    ];

    /// <summary>What the change index projects: the courier's attributes but updated_at, which is its sort key.</summary>
    public static readonly IReadOnlyList<string> ChangeProjection = [.. CourierProjection.Where(a => a != CourierTable.UpdatedAt)];

    public static string TableName(string prefix, string table) => prefix + table;

    /// <summary>Every attribute name declared above (what expressions may name).</summary>
    public static readonly IReadOnlySet<string> AttributeNames = typeof(DynamoSchema).GetNestedTypes()
        .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
        .Where(f => f.IsLiteral && f.Name is not ("Name" or "ByAvailable" or "ById" or "ByChange" or "ByStatus"))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyList<CreateTableRequest> CreateTableRequests(string prefix) =>
    [
        Table(prefix + CourierTable.Name, new(CourierTable.Id, ScalarAttributeType.S), null,
            new IndexDef(CourierTable.ByAvailable, new(CourierTable.LookupShard, ScalarAttributeType.S),
                new(CourierTable.AvailableMl, ScalarAttributeType.N), CourierProjection),
            new IndexDef(CourierTable.ById, new(CourierTable.ListShard, ScalarAttributeType.S),
                new(CourierTable.Id, ScalarAttributeType.S), CourierProjection),
            new IndexDef(CourierTable.ByChange, new(CourierTable.ChangeShard, ScalarAttributeType.S),
                new(CourierTable.UpdatedAt, ScalarAttributeType.S), ChangeProjection)),
        Table(prefix + AssignmentTable.Name, new(AssignmentTable.DriverId, ScalarAttributeType.S),
            new(AssignmentTable.PackageId, ScalarAttributeType.S)),
        Table(prefix + PackageTable.Name, new(PackageTable.PackageId, ScalarAttributeType.S), null,
            new IndexDef(PackageTable.ByStatus, new(PackageTable.StatusShard, ScalarAttributeType.S),
                new(PackageTable.PackageId, ScalarAttributeType.S), Projection: null)),
        Table(prefix + ClaimTable.Name, new(ClaimTable.PackageId, ScalarAttributeType.S), null),
    ];

    public static string CourierShard(string courierId, int shards) => $"s#{Bucket(courierId, shards)}";

    public static string StatusShard(string status, string packageId, int shards) => $"{status}#{Bucket(packageId, shards)}";

    /// <summary>FNV-1a: stable across processes and .NET versions, unlike string.GetHashCode.</summary>
    public static int Bucket(string id, int shards)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(id)) hash = (hash ^ b) * 16777619u;
        return (int)(hash % (uint)shards);
    }

    private sealed record KeyDef(string Name, ScalarAttributeType Type);

    /// <param name="Projection">null projects every attribute.</param>
    private sealed record IndexDef(string Name, KeyDef Hash, KeyDef Range, IReadOnlyList<string>? Projection);

    private static CreateTableRequest Table(string name, KeyDef hash, KeyDef? range, params IndexDef[] indexes)
    {
        var request = new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = KeySchema(hash, range),
        };
        if (indexes.Length > 0) request.GlobalSecondaryIndexes = indexes.Select(Index).ToList();
        // Every key attribute of the table and its indexes, once.
        request.AttributeDefinitions = new[] { hash, range }.Concat(indexes.SelectMany(i => new[] { i.Hash, i.Range }))
            .OfType<KeyDef>().DistinctBy(k => k.Name).Select(k => new AttributeDefinition(k.Name, k.Type)).ToList();
        return request;
    }

    private static List<KeySchemaElement> KeySchema(KeyDef hash, KeyDef? range)
    {
        var schema = new List<KeySchemaElement> { new(hash.Name, KeyType.HASH) };
        if (range is not null) schema.Add(new KeySchemaElement(range.Name, KeyType.RANGE));
        return schema;
    }

    private static GlobalSecondaryIndex Index(IndexDef index) => new()
    {
        IndexName = index.Name,
        KeySchema = KeySchema(index.Hash, index.Range),
        Projection = index.Projection switch
        {
            null => new Projection { ProjectionType = ProjectionType.ALL },
            _ => new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = [.. index.Projection] },
        },
    };
}
