using Amazon.DynamoDBv2.Model;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using static Couriers.Storage.DynamoDb.AttributeMaps;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

// Writes an /assign plan and status changes. A driver's planned packages are committed in
// transactions of up to 33: one room write for all of them (room and max_per_driver checked for the
// sum) plus, per package, its claim, its move out of the pool and its assignment item. A plan
// computed from an older read therefore never double-assigns or overbooks: a package another call
// took, or room that is gone, cancels the transaction, and it is sent again without what was refused.
// Drivers are written in parallel.
internal sealed class AssignmentCommitter(DynamoContext db, CapacityWrites writes, CapacityIndexFeed index)
{
    private const int ItemsPerPackage = 3;
    private const int PackagesPerTransaction = (DynamoContext.MaxTransactionItems - 1) / ItemsPerPackage;

    public async Task<IReadOnlyList<AssignmentRecord>> CommitAsync(IReadOnlyList<PlannedAssignment> plan, int maxPerDriver, CancellationToken ct)
    {
        var drivers = (await db.BatchGetAsync(db.Couriers, plan.Select(p => p.DriverId).Distinct().Select(id => Key(CourierTable.Id, id)), ct))
            .ToDictionary(item => item.Str(CourierTable.Id)!);
        var written = new AssignmentRecord?[plan.Count];
        var byDriver = plan.Select((item, index) => (item, index)).Where(x => drivers.ContainsKey(x.item.DriverId)).GroupBy(x => x.item.DriverId);
        await Parallel.ForEachAsync(byDriver, new ParallelOptions { MaxDegreeOfParallelism = db.Options.WriteParallelism, CancellationToken = ct },
            async (group, token) =>
            {
                foreach (var (record, index) in await CommitDriverAsync(drivers[group.Key], [.. group], maxPerDriver, token))
                    written[index] = record;
            });
        return written.OfType<AssignmentRecord>().ToList();
    }

    private async Task<List<(AssignmentRecord, int)>> CommitDriverAsync(Dictionary<string, AttributeValue> courier,
        List<(PlannedAssignment Item, int Index)> planned, int maxPerDriver, CancellationToken ct)
    {
        var driverId = courier.Str(CourierTable.Id)!;
        var done = new List<(AssignmentRecord, int)>();
        var pending = new List<(PlannedAssignment Item, int Index)>(planned);
        // Every refusal drops a package or refreshes the driver's room from the refused write, so this ends.
        for (var rounds = 0; pending.Count > 0 && rounds <= planned.Count + 10; rounds++)
        {
            var batch = Fitting(courier, pending, maxPerDriver);
            if (batch.Count == 0) break;
            var now = db.Now;
            var volumeMl = batch.Sum(p => Liters.ToMilliliters(p.Item.Package.VolumeLiters));
            List<TransactWriteItem> items = [writes.TakeRoom(driverId, volumeMl, batch.Count, courier.HasMax(), now, maxPerDriver)];
            foreach (var (item, _) in batch)
            {
                var packageId = item.Package.PackageId;
                items.Add(writes.Claim(packageId, driverId));
                items.Add(writes.TakeFromPool(packageId, driverId));
                items.Add(writes.Assign(AssignmentItem(driverId, packageId, item.Package.VolumeLiters, item.Package, now), reuseFinished: true));
            }
            var outcome = await db.TransactAsync(items, $"the assignment of {batch.Count} packages to '{driverId}'", ct);
            if (outcome.Committed)
            {
                foreach (var (item, index) in batch)
                    done.Add((new AssignmentRecord(driverId, item.Package.PackageId, AssignmentStatus.Assigned, item.Package.VolumeLiters, item.Package, now, now), index));
                courier = Taken(courier, volumeMl, batch.Count, now);
                await index.WrittenAsync(ToCourier(courier), ct);
                pending.RemoveAll(p => batch.Contains(p));
                continue;
            }
            if (outcome.Failed(0))
            {
                // The driver's room or count changed since it was read: plan this batch against it as it is now.
                if (outcome.Item(0) is not { } current) break;
                courier = current;
            }
            for (var i = 0; i < batch.Count; i++)
            {
                var (claim, pool, assignment) = (1 + i * ItemsPerPackage, 2 + i * ItemsPerPackage, 3 + i * ItemsPerPackage);
                if (!outcome.Failed(claim) && !outcome.Failed(pool) && !outcome.Failed(assignment)) continue;
                pending.Remove(batch[i]);
                // Claimed, yet in the pool: a load that raced the claim's reservation put it back. Take it out for its holder.
                if (outcome.Failed(claim) && !outcome.Failed(pool) && outcome.Item(claim)?.Str(ClaimTable.Holder) is { } holder)
                    await RemoveFromPoolAsync(batch[i].Item.Package.PackageId, holder, ct);
            }
        }
        return done;
    }

    // The next packages in plan order that the driver's room and max_per_driver admit, at most one transaction's worth.
    private static List<(PlannedAssignment Item, int Index)> Fitting(Dictionary<string, AttributeValue> courier,
        List<(PlannedAssignment Item, int Index)> pending, int maxPerDriver)
    {
        var available = courier.HasMax() ? courier.Long(CourierTable.AvailableMl) ?? 0 : long.MaxValue;
        var slots = maxPerDriver - courier.ActiveCount();
        var batch = new List<(PlannedAssignment, int)>();
        foreach (var planned in pending)
        {
            if (batch.Count >= Math.Min(slots, PackagesPerTransaction)) break;
            var volumeMl = Liters.ToMilliliters(planned.Item.Package.VolumeLiters);
            if (volumeMl > available) continue;
            available -= volumeMl;
            batch.Add(planned);
        }
        return batch;
    }

    // The driver's item as its room write left it, from the state that write was decided on.
    private static Dictionary<string, AttributeValue> Taken(Dictionary<string, AttributeValue> courier, long volumeMl, int count, DateTimeOffset now)
    {
        var after = new Dictionary<string, AttributeValue>(courier)
        {
            [CourierTable.ActiveCount] = N(courier.ActiveCount() + count),
            [CourierTable.ReservedMl] = N((courier.Long(CourierTable.ReservedMl) ?? 0) + volumeMl),
            [CourierTable.Version] = N((courier.Long(CourierTable.Version) ?? 0) + 1),
            [CourierTable.UpdatedAt] = Time(now),
        };
        if (courier.HasMax()) after[CourierTable.AvailableMl] = N((courier.Long(CourierTable.AvailableMl) ?? 0) - volumeMl);
        return after;
    }

    private async Task RemoveFromPoolAsync(string packageId, string holder, CancellationToken ct) =>
        await db.TransactAsync([
            TransactItems.Check(db.Claims, Key(ClaimTable.PackageId, packageId), "#holder = :holder", new() { [":holder"] = S(holder) }),
            writes.TakeFromPool(packageId, holder)], $"taking '{packageId}' out of the pool", ct);

    public async Task<StatusUpdateResult> UpdateStatusAsync(string driverId, string packageId, AssignmentStatus status, CancellationToken ct)
    {
        var key = Key(AssignmentTable.DriverId, driverId, AssignmentTable.PackageId, packageId);
        for (var tries = 0; tries < 10; tries++)
        {
            // A move between active states is one write; a final one also gives room, claim and package back, so it reads them too.
            var read = status.IsActive()
                ? new() { [db.Assignments] = await db.GetAsync(db.Assignments, key, ct) is { } only ? [only] : [] }
                : await db.BatchGetAsync([(db.Assignments, key), (db.Couriers, Key(CourierTable.Id, driverId)), (db.Packages, Key(PackageTable.PackageId, packageId))], ct);
            if (read.GetValueOrDefault(db.Assignments)?.FirstOrDefault() is not { } item) return new StatusUpdateResult(StatusUpdateOutcome.NotFound, null);
            var record = ToAssignment(item);
            switch (AssignmentStatuses.Check(record.Status, status))
            {
                case Transition.Unchanged: return new StatusUpdateResult(StatusUpdateOutcome.Unchanged, record);
                case Transition.Illegal: return new StatusUpdateResult(StatusUpdateOutcome.Illegal, record);
            }
            var now = db.Now;
            var values = new Dictionary<string, AttributeValue> { [":to"] = S(status.ToWire()), [":from"] = S(record.Status.ToWire()), [":now"] = Time(now) };
            const string Update = "SET #status = :to, #updated_at = :now", Condition = "#status = :from";
            bool applied;
            if (status.IsActive())
            {
                applied = (await db.UpdateAsync(db.Assignments, key, Update, Condition, values, ct, Amazon.DynamoDBv2.ReturnValue.NONE)).Applied;
            }
            else
            {
                List<TransactWriteItem> items = [TransactItems.Update(db.Assignments, key, Update, Condition, values), writes.Unclaim(packageId, driverId)];
                var courier = read.GetValueOrDefault(db.Couriers)?.FirstOrDefault();
                if (courier is not null)
                    items.Add(writes.GiveRoomBack(driverId, item.Long(AssignmentTable.VolumeMl) ?? 0, 1, courier.HasMax(), now));
                if (CapacityWrites.HeldBy(read.GetValueOrDefault(db.Packages)?.FirstOrDefault(), driverId))
                    items.Add(writes.FinishPackage(packageId, driverId, status == AssignmentStatus.Delivered ? PackageFinish.Delivered : PackageFinish.Failed));
                applied = (await db.TransactAsync(items, $"the status change of '{driverId}/{packageId}'", ct)).Committed;
                if (applied && courier is not null)
                    await index.WrittenAsync(ToCourier(Taken(courier, -(item.Long(AssignmentTable.VolumeMl) ?? 0), -1, now)), ct);
            }
            if (applied) return new StatusUpdateResult(StatusUpdateOutcome.Updated, record with { Status = status, UpdatedAt = now }, record.Status);
        }
        throw new Core.StoreContentionException($"Assignment '{driverId}/{packageId}' kept changing; its status was not updated.");
    }
}
