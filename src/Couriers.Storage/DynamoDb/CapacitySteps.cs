using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static Couriers.Storage.DynamoDb.AttributeMaps;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

internal enum RoomOutcome { Taken, CourierNotFound, NoRoom, CapReached }

/// <summary>
/// The single-item conditional writes that reservations, /assign, releases and status changes are
/// sequences of (docs/dynamodb.md). Each step is idempotent: it is conditioned on the attempt token
/// that claimed the package, so a step retried after a lost response, or repeated by recovery,
/// changes nothing the second time, and a step of a superseded attempt changes nothing at all.
/// </summary>
internal sealed class CapacitySteps(DynamoContext db)
{
    private const string RefName = "#ref";

    /// <summary>Takes the package's lock for <paramref name="holder"/>; the held claim when another has it.</summary>
    public async Task<Claim?> ClaimAsync(string packageId, string holder, string attempt, long volumeMl, DateTimeOffset now, CancellationToken ct)
    {
        var claim = new Dictionary<string, AttributeValue>
        {
            [ClaimTable.PackageId] = S(packageId),
            [ClaimTable.Holder] = S(holder),
            [ClaimTable.Attempt] = S(attempt),
            [ClaimTable.VolumeMl] = N(volumeMl),
            [ClaimTable.ClaimedAt] = Time(now),
        };
        for (var tries = 0; tries < 3; tries++)
        {
            var put = await db.PutAsync(db.Claims, claim, "attribute_not_exists(#package_id)", null, ct);
            if (put.Applied) return null;
            var current = put.Item ?? await db.GetAsync(db.Claims, Key(ClaimTable.PackageId, packageId), ct);
            if (current is null) continue; // released between the write and the read: try again
            // Our own claim, written by an earlier try whose response was lost.
            return current.Str(ClaimTable.Attempt) == attempt ? null : ToClaim(current);
        }
        throw new Core.StoreContentionException($"The claim on '{packageId}' kept changing.");
    }

    public async Task<Claim?> GetClaimAsync(string packageId, CancellationToken ct) =>
        await db.GetAsync(db.Claims, Key(ClaimTable.PackageId, packageId), ct) is { } item ? ToClaim(item) : null;

    public Task<WriteOutcome> DeleteClaimAsync(string packageId, string attempt, CancellationToken ct) =>
        db.DeleteAsync(db.Claims, Key(ClaimTable.PackageId, packageId), "#attempt = :attempt",
            new() { [":attempt"] = S(attempt) }, ct);

    /// <summary>
    /// Adds the reference to the courier's active map and its volume to reserved_ml, in one write
    /// conditioned on the room left (available_ml, kept equal to max − declared − reserved) and on
    /// the reference not being there yet. <paramref name="hasMax"/> is a hint; a wrong guess is retried.
    /// </summary>
    public async Task<(RoomOutcome Outcome, Dictionary<string, AttributeValue>? Courier)> TakeRoomAsync(
        string courierId, string reference, string attempt, long volumeMl, bool hasMax, int? cap, CancellationToken ct)
    {
        for (var tries = 0; tries < 3; tries++)
        {
            var values = new Dictionary<string, AttributeValue>
            {
                [":v"] = N(volumeMl), [":one"] = N(1), [":attempt"] = S(attempt), [":now"] = Time(db.Now),
            };
            var capCondition = "";
            if (cap is { } limit)
            {
                values[":cap"] = N(limit);
                capCondition = " AND size(#active) < :cap";
            }
            var write = hasMax
                ? await db.UpdateAsync(db.Couriers, Key(CourierTable.Id, courierId),
                    $"SET #available_ml = #available_ml - :v, #active.{RefName} = :attempt, #updated_at = :now ADD #reserved_ml :v, #version :one",
                    $"attribute_exists(#max_ml) AND #available_ml >= :v AND attribute_not_exists(#active.{RefName}){capCondition}",
                    values, ct, names: RefNames(reference))
                : await db.UpdateAsync(db.Couriers, Key(CourierTable.Id, courierId),
                    $"SET #active.{RefName} = :attempt, #updated_at = :now ADD #reserved_ml :v, #version :one",
                    $"attribute_exists(#id) AND attribute_not_exists(#max_ml) AND attribute_not_exists(#active.{RefName}){capCondition}",
                    values, ct, names: RefNames(reference));
            if (write.Applied) return (RoomOutcome.Taken, write.Item);

            var current = write.Item ?? await db.GetAsync(db.Couriers, Key(CourierTable.Id, courierId), ct);
            if (current is null) return (RoomOutcome.CourierNotFound, null);
            var active = current.ActiveRefs();
            // The SDK retried a write that had landed (its response was lost): ours is already there.
            if (active.TryGetValue(reference, out var holder) && holder == attempt) return (RoomOutcome.Taken, current);
            var actuallyHasMax = current.ContainsKey(CourierTable.MaxMl);
            if (actuallyHasMax != hasMax) { hasMax = actuallyHasMax; continue; }
            if (cap is { } c && active.Count >= c) return (RoomOutcome.CapReached, current);
            return (RoomOutcome.NoRoom, current);
        }
        throw new Core.StoreContentionException($"Courier '{courierId}' kept changing while taking room.");
    }

    /// <summary>Gives the room back if this attempt still holds it; the courier as it is afterwards, or null if gone.</summary>
    public async Task<Dictionary<string, AttributeValue>?> GiveRoomBackAsync(string courierId, string reference, string attempt,
        long volumeMl, bool hasMax, CancellationToken ct)
    {
        for (var tries = 0; tries < 3; tries++)
        {
            var values = new Dictionary<string, AttributeValue>
            {
                [":neg"] = N(-volumeMl), [":one"] = N(1), [":attempt"] = S(attempt), [":now"] = Time(db.Now),
            };
            if (hasMax) values[":v"] = N(volumeMl);
            var write = hasMax
                ? await db.UpdateAsync(db.Couriers, Key(CourierTable.Id, courierId),
                    $"SET #available_ml = #available_ml + :v, #updated_at = :now REMOVE #active.{RefName} ADD #reserved_ml :neg, #version :one",
                    $"attribute_exists(#max_ml) AND #active.{RefName} = :attempt", values, ct, names: RefNames(reference))
                : await db.UpdateAsync(db.Couriers, Key(CourierTable.Id, courierId),
                    $"SET #updated_at = :now REMOVE #active.{RefName} ADD #reserved_ml :neg, #version :one",
                    $"attribute_not_exists(#max_ml) AND #active.{RefName} = :attempt", values, ct, names: RefNames(reference));
            if (write.Applied) return write.Item;
            var current = write.Item ?? await db.GetAsync(db.Couriers, Key(CourierTable.Id, courierId), ct);
            if (current is null) return null;
            // Still ours: only the guess about max_ml was wrong. Otherwise it was given back already.
            if (current.ActiveRefs().GetValueOrDefault(reference) != attempt) return current;
            hasMax = current.ContainsKey(CourierTable.MaxMl);
        }
        throw new Core.StoreContentionException($"Courier '{courierId}' kept changing while giving room back.");
    }

    /// <summary>
    /// Takes a pooled package out of the pool for the holder of its claim. With <paramref name="confirm"/>,
    /// a refusal is read back to tell "our earlier try landed" from "not in the pool".
    /// </summary>
    public async Task<bool> MarkAssignedAsync(string packageId, string driverId, string attempt, CancellationToken ct, bool confirm = true)
    {
        var write = await db.UpdateAsync(db.Packages, Key(PackageTable.PackageId, packageId),
            "SET #status = :assigned, #status_shard = :shard, #driver_id = :driver, #attempt = :attempt, #updated_at = :now",
            "#status = :unassigned",
            new()
            {
                [":assigned"] = S(PackageStates.Assigned), [":unassigned"] = S(PackageStates.Unassigned),
                [":shard"] = S(StatusShard(PackageStates.Assigned, packageId, db.Options.StatusShards)),
                [":driver"] = S(driverId), [":attempt"] = S(attempt), [":now"] = Time(db.Now),
            }, ct, ReturnValue.NONE);
        if (write.Applied) return true;
        if (!confirm && write.Item is null) return false;
        var current = write.Item ?? await db.GetAsync(db.Packages, Key(PackageTable.PackageId, packageId), ct);
        return current?.Str(PackageTable.Attempt) == attempt && current.Str(PackageTable.Status) == PackageStates.Assigned;
    }

    /// <summary>Puts the package back in the pool if this attempt took it out (a release, an undo, a failed delivery).</summary>
    public Task<WriteOutcome> ReturnToPoolAsync(string packageId, string attempt, bool failedDelivery, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":assigned"] = S(PackageStates.Assigned), [":unassigned"] = S(PackageStates.Unassigned),
            [":shard"] = S(StatusShard(PackageStates.Unassigned, packageId, db.Options.StatusShards)),
            [":attempt"] = S(attempt), [":now"] = Time(db.Now),
        };
        var update = "SET #status = :unassigned, #status_shard = :shard, #updated_at = :now REMOVE #driver_id, #attempt";
        if (failedDelivery)
        {
            values[":one"] = N(1);
            update += " ADD #failed_attempts :one";
        }
        return db.UpdateAsync(db.Packages, Key(PackageTable.PackageId, packageId), update, "#attempt = :attempt AND #status = :assigned",
            values, ct, ReturnValue.NONE);
    }

    public Task<WriteOutcome> MarkDeliveredAsync(string packageId, string attempt, CancellationToken ct) =>
        db.UpdateAsync(db.Packages, Key(PackageTable.PackageId, packageId),
            "SET #status = :delivered, #status_shard = :shard, #updated_at = :now REMOVE #attempt",
            "#attempt = :attempt AND #status = :assigned",
            new()
            {
                [":assigned"] = S(PackageStates.Assigned), [":delivered"] = S(PackageStates.Delivered),
                [":shard"] = S(StatusShard(PackageStates.Delivered, packageId, db.Options.StatusShards)),
                [":attempt"] = S(attempt), [":now"] = Time(db.Now),
            }, ct, ReturnValue.NONE);

    /// <summary>
    /// Everything after an assignment item reached a final status (or was deleted by a release):
    /// room back, the package's pool state, the claim. Safe to repeat and to run concurrently.
    /// </summary>
    public async Task<Dictionary<string, AttributeValue>?> FinishAsync(string courierId, string packageId, string attempt, long volumeMl,
        bool hasMaxHint, PackageFinish finish, CancellationToken ct)
    {
        var courier = await GiveRoomBackAsync(courierId, packageId, attempt, volumeMl, hasMaxHint, ct);
        if (finish == PackageFinish.Delivered) await MarkDeliveredAsync(packageId, attempt, ct);
        else await ReturnToPoolAsync(packageId, attempt, finish == PackageFinish.Failed, ct);
        await DeleteClaimAsync(packageId, attempt, ct);
        return courier;
    }

    /// <summary>
    /// Brings one claim to a consistent state: a claim whose assignment item exists is complete
    /// (or, when that assignment is finished, its finish is completed); a claim without one was
    /// interrupted before its commit point and is undone once it is older than the claim timeout.
    /// </summary>
    public async Task<ClaimState> RecoverAsync(Claim claim, CancellationToken ct)
    {
        var assignment = await db.GetAsync(db.Assignments,
            Key(AssignmentTable.DriverId, claim.Holder, AssignmentTable.PackageId, claim.PackageId), ct);
        if (assignment is not null && assignment.Str(AssignmentTable.Attempt) == claim.Attempt)
        {
            var status = ParseStatus(assignment.Str(AssignmentTable.Status));
            if (Core.Deliveries.AssignmentStatuses.IsActive(status)) return ClaimState.Complete;
            await FinishAsync(claim.Holder, claim.PackageId, claim.Attempt, claim.VolumeMl, true,
                status == Core.Deliveries.AssignmentStatus.Delivered ? PackageFinish.Delivered : PackageFinish.Failed, ct);
            return ClaimState.Repaired;
        }
        if (db.Now - claim.ClaimedAt < db.ClaimTimeout) return ClaimState.InFlight;
        await FinishAsync(claim.Holder, claim.PackageId, claim.Attempt, claim.VolumeMl, true, PackageFinish.Released, ct);
        return ClaimState.Repaired;
    }

    /// <summary>A writer past half the claim timeout stops, so recovery never races a live writer.</summary>
    public bool Expired(DateTimeOffset claimedAt) => db.Now - claimedAt > db.ClaimTimeout / 2;

    private static Dictionary<string, string> RefNames(string reference) => new() { [RefName] = reference };
}

internal enum PackageFinish { Released, Delivered, Failed }

internal enum ClaimState { Complete, InFlight, Repaired }
