using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Couriers.Core.Couriers;
using static Couriers.Storage.DynamoDb.AttributeMaps;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

// Optimistic writes of a courier's limit, declared load and rules.
internal static class CourierChanges
{
    // Writes updated's max and declared load (and rules) if the courier is still at
    // read's version. Every change to reserved_ml bumps the version, so "version
    // unchanged" means available_ml computed here from the read is still right when the write lands.
    public static async Task<bool> WriteAsync(DynamoContext db, Courier read, Courier updated, string? rules, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":declared"] = N(Liters.ToMilliliters(updated.DeclaredLoad)),
            [":version"] = N(updated.Version),
            [":read"] = N(read.Version),
            [":now"] = Time(updated.UpdatedAt),
        };
        var set = "#declared_ml = :declared, #version = :version, #updated_at = :now";
        if (updated.MaxCapacity is { } max)
        {
            // A courier given a limit joins the lookup index: available_ml and lookup_shard appear together.
            values[":max"] = N(Liters.ToMilliliters(max));
            values[":available"] = N(Liters.ToMilliliters(max - updated.DeclaredLoad - read.ReservedCapacity));
            values[":shard"] = S(CourierShard(read.Id, db.Options.LookupShards));
            set += ", #max_ml = :max, #available_ml = :available, #lookup_shard = :shard";
        }
        if (rules is not null)
        {
            values[":rules"] = S(rules);
            set += ", #rules = :rules";
        }
        var write = await db.UpdateAsync(db.Couriers, Key(CourierTable.Id, read.Id), "SET " + set, "#version = :read", values, ct,
            ReturnValue.NONE);
        return write.Applied;
    }
}
