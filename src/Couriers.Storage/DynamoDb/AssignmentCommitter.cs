using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using static Couriers.Storage.DynamoDb.AttributeMaps;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

/// <summary>
/// Writes an /assign plan and status changes. Each planned package goes through the same steps as
/// a reservation (claim → out of the pool → room with the per-driver cap → assignment item), each
/// checked by its own conditional write, so a plan computed from an older read can never
/// double-assign or overbook. Drivers are written in parallel, each driver's packages in plan order.
/// </summary>
internal sealed class AssignmentCommitter(DynamoContext db, CapacitySteps steps)
{
    public async Task<IReadOnlyList<AssignmentRecord>> CommitAsync(IReadOnlyList<PlannedAssignment> plan, int maxPerDriver, CancellationToken ct)
    {
        var drivers = (await db.BatchGetAsync(db.Couriers, plan.Select(p => p.DriverId).Distinct().Select(id => Key(CourierTable.Id, id)), ct))
            .ToDictionary(item => item.Str(CourierTable.Id)!);
        var written = new AssignmentRecord?[plan.Count];
        var byDriver = plan.Select((item, index) => (item, index)).Where(x => drivers.ContainsKey(x.item.DriverId)).GroupBy(x => x.item.DriverId);
        await Parallel.ForEachAsync(byDriver, new ParallelOptions { MaxDegreeOfParallelism = db.Options.WriteParallelism, CancellationToken = ct },
            async (group, token) =>
            {
                var courier = drivers[group.Key];
                // Local estimates skip what cannot fit without a write; the conditional writes decide.
                var available = courier.Long(CourierTable.AvailableMl);
                var active = courier.ActiveRefs().Count;
                foreach (var (item, index) in group)
                {
                    var volumeMl = Liters.ToMilliliters(item.Package.VolumeLiters);
                    if (active >= maxPerDriver || available < volumeMl) continue;
                    var (record, after) = await AssignOneAsync(item, volumeMl, courier.ContainsKey(CourierTable.MaxMl), maxPerDriver, token);
                    if (after is not null)
                    {
                        available = after.Long(CourierTable.AvailableMl);
                        active = after.ActiveRefs().Count;
                    }
                    written[index] = record;
                }
            });
        return written.OfType<AssignmentRecord>().ToList();
    }

    private async Task<(AssignmentRecord? Record, Dictionary<string, AttributeValue>? Courier)> AssignOneAsync(
        PlannedAssignment item, long volumeMl, bool hasMax, int maxPerDriver, CancellationToken ct)
    {
        var (driverId, packageId) = (item.DriverId, item.Package.PackageId);
        var attempt = DynamoContext.NewAttempt();
        var claimedAt = db.Now;
        if (await steps.ClaimAsync(packageId, driverId, attempt, volumeMl, claimedAt, ct) is not null) return (null, null);
        // The claim is ours: finish or undo the sequence even if the request is cancelled meanwhile.
        var finish = CancellationToken.None;
        // Still in the pool? A delivered package has no claim but must not be handed out again.
        if (!await steps.MarkAssignedAsync(packageId, driverId, attempt, finish))
        {
            await steps.DeleteClaimAsync(packageId, attempt, finish);
            return (null, null);
        }
        var (room, courier) = await steps.TakeRoomAsync(driverId, packageId, attempt, volumeMl, hasMax, maxPerDriver, finish);
        if (room != RoomOutcome.Taken || steps.Expired(claimedAt))
        {
            await steps.FinishAsync(driverId, packageId, attempt, volumeMl, hasMax, PackageFinish.Released, finish);
            return (null, courier);
        }
        // The commit point. A failed earlier attempt by the same driver left a finished item under this key: reuse it.
        var now = db.Now;
        var put = await db.PutAsync(db.Assignments, AssignmentItem(driverId, packageId, item.Package.VolumeLiters, item.Package, attempt, now),
            "attribute_not_exists(#driver_id) OR #status IN (:delivered, :failed) OR #attempt = :attempt",
            new()
            {
                [":delivered"] = S(AssignmentStatus.Delivered.ToWire()), [":failed"] = S(AssignmentStatus.FailedToDeliver.ToWire()),
                [":attempt"] = S(attempt),
            }, finish);
        if (!put.Applied)
        {
            await steps.FinishAsync(driverId, packageId, attempt, volumeMl, hasMax, PackageFinish.Released, finish);
            return (null, null);
        }
        return (new AssignmentRecord(driverId, packageId, AssignmentStatus.Assigned, item.Package.VolumeLiters, item.Package, now, now), courier);
    }

    public async Task<StatusUpdateResult> UpdateStatusAsync(string driverId, string packageId, AssignmentStatus status, CancellationToken ct)
    {
        var key = Key(AssignmentTable.DriverId, driverId, AssignmentTable.PackageId, packageId);
        for (var tries = 0; tries < 10; tries++)
        {
            var item = await db.GetAsync(db.Assignments, key, ct);
            if (item is null) return new StatusUpdateResult(StatusUpdateOutcome.NotFound, null);
            var record = ToAssignment(item);
            switch (AssignmentStatuses.Check(record.Status, status))
            {
                case Transition.Unchanged: return new StatusUpdateResult(StatusUpdateOutcome.Unchanged, record);
                case Transition.Illegal: return new StatusUpdateResult(StatusUpdateOutcome.Illegal, record);
            }
            // The status write is the commit point; a final status then releases room, pool and claim.
            var now = db.Now;
            var attempt = item.Str(AssignmentTable.Attempt)!;
            var write = await db.UpdateAsync(db.Assignments, key, "SET #status = :to, #updated_at = :now", "#status = :from AND #attempt = :attempt",
                new() { [":to"] = S(status.ToWire()), [":from"] = S(record.Status.ToWire()), [":attempt"] = S(attempt), [":now"] = Time(now) },
                ct, ReturnValue.NONE);
            if (!write.Applied) continue;
            if (!status.IsActive())
            {
                await steps.FinishAsync(driverId, packageId, attempt, item.Long(AssignmentTable.VolumeMl) ?? 0, hasMaxHint: true,
                    status == AssignmentStatus.Delivered ? PackageFinish.Delivered : PackageFinish.Failed, ct);
            }
            return new StatusUpdateResult(StatusUpdateOutcome.Updated, record with { Status = status, UpdatedAt = now }, record.Status);
        }
        throw new Core.StoreContentionException($"Assignment '{driverId}/{packageId}' kept changing; its status was not updated.");
    }
}
