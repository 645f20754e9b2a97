using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Couriers.Core.Couriers;
using static Couriers.Storage.DynamoDb.AttributeMaps;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

/// <summary>
/// Restores invariant 3 for one courier after crashes: completes or undoes every sequence its claims
/// show unfinished (CapacitySteps.RecoverAsync), makes sure each active assignment holds its claim
/// and is out of the pool, then rewrites reserved_ml, available_ml and the active map from the
/// active assignment items (plus sequences still in flight) in one write conditioned on the version.
/// </summary>
internal sealed class DynamoCapacityReconciler(DynamoContext db, CapacitySteps steps, CourierQueries queries) : ICapacityReconciler
{
    public async Task<ReconcileResult> ReconcileAsync(string courierId, CancellationToken ct)
    {
        var repaired = 0;
        var problems = new List<string>();
        var inFlight = new List<Claim>();
        foreach (var claim in await ClaimsHeldByAsync(courierId, ct))
        {
            switch (await steps.RecoverAsync(claim, ct))
            {
                case ClaimState.Repaired: repaired++; break;
                case ClaimState.InFlight: inFlight.Add(claim); break;
            }
        }

        for (var tries = 0; tries < 10; tries++)
        {
            var courier = await db.GetAsync(db.Couriers, Key(CourierTable.Id, courierId), ct);
            var assignments = await queries.AssignmentsOfAsync(courierId, ct);
            if (courier is null) return await CleanUpDeletedAsync(courierId, assignments, repaired, ct);
            var active = assignments.Where(a => IsActiveStatus(a.Str(AssignmentTable.Status))).ToList();
            repaired += await EnsureClaimsAndPoolAsync(courierId, active, problems, ct);

            var expected = active.ToDictionary(a => a.Str(AssignmentTable.PackageId)!, a => (Attempt: a.Str(AssignmentTable.Attempt)!, Ml: a.Long(AssignmentTable.VolumeMl) ?? 0));
            var current = courier.ActiveRefs();
            // A sequence in flight keeps the room it already took: it is about to commit or undo it.
            foreach (var claim in inFlight.Where(c => current.GetValueOrDefault(c.PackageId) == c.Attempt))
                expected.TryAdd(claim.PackageId, (claim.Attempt, claim.VolumeMl));
            var before = courier.Long(CourierTable.ReservedMl) ?? 0;
            var after = expected.Values.Sum(v => v.Ml);
            var sameMap = current.Count == expected.Count && expected.All(e => current.GetValueOrDefault(e.Key) == e.Value.Attempt);
            if (sameMap && before == after)
                return new ReconcileResult(courierId, true, Liters.FromMilliliters(before), Liters.FromMilliliters(after), active.Count, repaired, problems);
            if (await RewriteRoomAsync(courier, expected.ToDictionary(e => e.Key, e => e.Value.Attempt), after, ct))
                return new ReconcileResult(courierId, true, Liters.FromMilliliters(before), Liters.FromMilliliters(after), active.Count, repaired + 1, problems);
        }
        throw new Core.StoreContentionException($"Courier '{courierId}' kept changing; it was not reconciled.");
    }

    /// <summary>Claims held by the courier, from the holder index, confirmed by consistent reads.</summary>
    private async Task<List<Claim>> ClaimsHeldByAsync(string courierId, CancellationToken ct)
    {
        var keys = await db.QueryAllAsync(new QueryRequest
        {
            TableName = db.Claims, IndexName = ClaimTable.ByHolder, KeyConditionExpression = "#holder = :holder",
            ExpressionAttributeValues = new() { [":holder"] = S(courierId) },
        }, ct);
        var claims = await db.BatchGetAsync(db.Claims, keys.Select(k => Key(ClaimTable.PackageId, k.Str(ClaimTable.PackageId)!)), ct);
        return claims.Select(ToClaim).Where(c => c.Holder == courierId).ToList();
    }

    private async Task<int> EnsureClaimsAndPoolAsync(string courierId, List<Dictionary<string, AttributeValue>> active,
        List<string> problems, CancellationToken ct)
    {
        var repaired = 0;
        var ids = active.Select(a => a.Str(AssignmentTable.PackageId)!).ToList();
        var claims = (await db.BatchGetAsync(db.Claims, ids.Select(id => Key(ClaimTable.PackageId, id)), ct)).Select(ToClaim).ToDictionary(c => c.PackageId);
        var pooled = (await db.BatchGetAsync(db.Packages, ids.Select(id => Key(PackageTable.PackageId, id)), ct))
            .Where(p => p.Str(PackageTable.Status) == PackageStates.Unassigned).Select(p => p.Str(PackageTable.PackageId)!).ToHashSet();
        foreach (var assignment in active)
        {
            var packageId = assignment.Str(AssignmentTable.PackageId)!;
            var attempt = assignment.Str(AssignmentTable.Attempt)!;
            if (!claims.TryGetValue(packageId, out var claim))
            {
                var other = await steps.ClaimAsync(packageId, courierId, attempt, assignment.Long(AssignmentTable.VolumeMl) ?? 0, db.Now, ct);
                if (other is null) repaired++;
                else problems.Add($"package '{packageId}' is active on '{courierId}' but claimed by '{other.Holder}'");
            }
            else if (claim.Holder != courierId || claim.Attempt != attempt)
            {
                problems.Add($"package '{packageId}' is active on '{courierId}' but claimed by '{claim.Holder}'");
            }
            // Back in the pool by a racing duplicate load: take it out again.
            if (pooled.Contains(packageId) && await steps.MarkAssignedAsync(packageId, courierId, attempt, ct)) repaired++;
        }
        return repaired;
    }

    private async Task<bool> RewriteRoomAsync(Dictionary<string, AttributeValue> courier, Dictionary<string, string> active, long reservedMl,
        CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":active"] = new() { M = active.ToDictionary(pair => pair.Key, pair => S(pair.Value)) },
            [":reserved"] = N(reservedMl),
            [":one"] = N(1),
            [":read"] = courier[CourierTable.Version],
            [":now"] = Time(db.Now),
        };
        var set = "#active = :active, #reserved_ml = :reserved, #version = #version + :one, #updated_at = :now";
        if (courier.Long(CourierTable.MaxMl) is { } max)
        {
            values[":available"] = N(max - (courier.Long(CourierTable.DeclaredMl) ?? 0) - reservedMl);
            set += ", #available_ml = :available";
        }
        var write = await db.UpdateAsync(db.Couriers, Key(CourierTable.Id, courier.Str(CourierTable.Id)!), "SET " + set, "#version = :read",
            values, ct, ReturnValue.NONE);
        return write.Applied;
    }

    /// <summary>A courier deleted by a force delete that crashed midway: finish releasing what it held.</summary>
    private async Task<ReconcileResult> CleanUpDeletedAsync(string courierId, List<Dictionary<string, AttributeValue>> assignments, int repaired,
        CancellationToken ct)
    {
        foreach (var assignment in assignments)
        {
            var packageId = assignment.Str(AssignmentTable.PackageId)!;
            var attempt = assignment.Str(AssignmentTable.Attempt)!;
            await db.DeleteAsync(db.Assignments, Key(AssignmentTable.DriverId, courierId, AssignmentTable.PackageId, packageId),
                "#attempt = :attempt", new() { [":attempt"] = S(attempt) }, ct);
            if (IsActiveStatus(assignment.Str(AssignmentTable.Status)))
                await steps.FinishAsync(courierId, packageId, attempt, 0, true, PackageFinish.Released, ct);
            repaired++;
        }
        return new ReconcileResult(courierId, false, 0m, 0m, 0, repaired, []);
    }
}
