using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Couriers.Core;
using Couriers.Core.Couriers;
using Couriers.Core.Paging;
using static Couriers.Storage.DynamoDb.AttributeMaps;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

// Couriers and reservations on DynamoDB. A change of one item is one conditional write; a change
// of several (reserve, release, forced delete) is one TransactWriteItems decided on one consistent
// read, so a crash leaves all of it or none (docs/decisions/0003-dynamodb-write-model.md). Every
// courier it changes is handed to this instance's capacity index before the change is acknowledged.
internal sealed class DynamoDbCourierStore(DynamoContext db, CapacityWrites writes, CourierQueries queries, CapacityIndexFeed index) : ICourierStore
{
    private const int MaxOptimisticTries = 10;

    public async Task<CreateCourierResult> CreateAsync(NewCourier courier, CancellationToken ct)
    {
        var now = db.Now;
        var item = NewCourierItem(courier.Id, courier.MaxCapacity, null, now, db.Options.LookupShards);
        var put = await db.PutAsync(db.Couriers, item, "attribute_not_exists(#id)", null, ct);
        if (put.Applied)
        {
            await index.WrittenAsync(ToCourier(item), ct);
            return new CreateCourierResult(CreateStatus.Created, ToCourier(item));
        }
        var existing = put.Item ?? await db.GetAsync(db.Couriers, Key(CourierTable.Id, courier.Id), ct);
        if (existing is null) return await CreateAsync(courier, ct); // deleted in between: create again
        var current = ToCourier(existing);
        index.Observed(current);
        return new CreateCourierResult(current.MaxCapacity == courier.MaxCapacity ? CreateStatus.AlreadyExists : CreateStatus.ConflictingDuplicate, current);
    }

    public async Task<Courier?> GetAsync(string id, CancellationToken ct) =>
        await db.GetAsync(db.Couriers, Key(CourierTable.Id, id), ct) is { } item ? ToCourier(item) : null;

    public Task<Page<Courier>> ListAsync(PageRequest<string> page, CancellationToken ct) => queries.ListAsync(page, ct);

    public Task<Page<Courier>> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct) =>
        queries.LookupAsync(capacityRequired, page, ct);

    public async Task<UpdateCourierResult> UpdateAsync(string id, CourierChange change, long? expectedVersion, CancellationToken ct)
    {
        for (var tries = 0; tries < MaxOptimisticTries; tries++)
        {
            var current = await GetAsync(id, ct);
            if (current is null) return new UpdateCourierResult(UpdateStatus.NotFound, null);
            if (expectedVersion is { } expected && expected != current.Version)
                return new UpdateCourierResult(UpdateStatus.VersionMismatch, current);
            var result = change.ApplyTo(current, db.Now);
            if (result.Updated is not { } updated)
                return new UpdateCourierResult(UpdateStatus.Refused, current, result.Field, result.Error);
            // Every change to reserved_ml bumps the version, so "version unchanged" means the room
            // computed here from the read is still right when the write lands.
            if (await CourierChanges.WriteAsync(db, current, updated, rules: null, ct))
            {
                await index.WrittenAsync(updated, ct);
                return new UpdateCourierResult(UpdateStatus.Updated, updated, Before: current);
            }
        }
        throw new StoreContentionException($"Courier '{id}' kept changing; the update was not applied.");
    }

    public async Task<DeleteCourierResult> DeleteAsync(string id, long? expectedVersion, bool force, CancellationToken ct)
    {
        // Only a refused transaction counts as a try: a courier too large for one transaction is taken
        // apart in several, each complete on its own, and every part is progress.
        for (var refused = 0; refused < MaxOptimisticTries;)
        {
            var item = await db.GetAsync(db.Couriers, Key(CourierTable.Id, id), ct);
            if (item is null) return new DeleteCourierResult(DeleteStatus.NotFound, null);
            var current = ToCourier(item);
            if (expectedVersion is { } expected && expected != current.Version)
                return new DeleteCourierResult(DeleteStatus.VersionMismatch, current);
            var assignments = await queries.AssignmentsOfAsync(id, ct);
            var active = assignments.Where(a => IsActiveStatus(a.Str(AssignmentTable.Status))).ToList();
            if ((active.Count > 0 || current.ReservedCapacity > 0) && !force)
                return new DeleteCourierResult(DeleteStatus.HasActiveReservations, current);

            // Forced: every active assignment is released with the delete (claims freed, pooled packages back in the pool).
            var held = await PackagesHeldAsync(id, active, ct);
            var releases = active.Select(a => ReleaseItems(a, held)).ToList();
            var finished = assignments.Except(active).Select(a => DeleteIfUnchanged(a)).ToList();
            var now = db.Now;
            var last = TransactItems.Delete(db.Couriers, Key(CourierTable.Id, id), "#version = :read", new() { [":read"] = N(current.Version) });
            // The marker tells the other instances' capacity indexes that the courier is gone.
            var marker = TransactItems.Put(db.Couriers, DeletionMarker(current, now, db.Options.LookupShards), null);
            List<TransactWriteItem> part;
            if (releases.Sum(r => r.Count) + finished.Count + 1 < DynamoContext.MaxTransactionItems)
                part = [.. releases.SelectMany(r => r), .. finished, marker, last];
            else if (finished.Count > 0)
                part = [.. finished.Take(DynamoContext.MaxTransactionItems)];
            else
            {
                part = [];
                var (taken, volumeMl) = (0, 0L);
                for (; part.Count + releases[taken].Count < DynamoContext.MaxTransactionItems; taken++)
                {
                    part.AddRange(releases[taken]);
                    volumeMl += active[taken].Long(AssignmentTable.VolumeMl) ?? 0;
                }
                part.Add(writes.GiveRoomBack(id, volumeMl, taken, item.HasMax(), now));
            }
            if (!(await db.TransactAsync(part, $"the delete of courier '{id}'", ct)).Committed) refused++;
            else if (part[^1] == last)
            {
                await index.DeletedAsync(current, now, ct);
                return new DeleteCourierResult(DeleteStatus.Deleted, current);
            }
        }
        throw new StoreContentionException($"Courier '{id}' kept taking reservations; it was not deleted.");
    }

    public async Task<ReserveResult> ReserveAsync(ReservationRequest request, CancellationToken ct)
    {
        var (courierId, reference) = (request.CourierId, request.Reference);
        var volumeMl = Liters.ToMilliliters(request.Volume);
        for (var tries = 0; tries < MaxOptimisticTries; tries++)
        {
            // Everything the answer depends on, in one consistent read; the transaction then checks it again.
            var read = await db.BatchGetAsync([
                (db.Couriers, Key(CourierTable.Id, courierId)),
                (db.Assignments, AssignmentKey(courierId, reference)),
                (db.Claims, Key(ClaimTable.PackageId, reference)),
                (db.Packages, Key(PackageTable.PackageId, reference))], ct);
            if (One(read, db.Couriers) is not { } item) return new ReserveResult(ReserveStatus.CourierNotFound, null, null);
            var courier = ToCourier(item);
            // A consistent read: it corrects this instance's view of the courier even when the answer is a refusal.
            index.Observed(courier);
            if (One(read, db.Assignments) is { } existing)
            {
                // Idempotent by reference: a retry of the same reservation changes nothing.
                var reservation = ToReservation(existing);
                var same = reservation.Volume == request.Volume && IsActiveStatus(reservation.Status);
                return new ReserveResult(same ? ReserveStatus.AlreadyReserved : ReserveStatus.ReferenceConflict, reservation, courier);
            }
            if (One(read, db.Claims)?.Str(ClaimTable.Holder) is { } holder)
                return new ReserveResult(ReserveStatus.ReferenceActiveOnOtherCourier, null, courier, holder);
            if (item.HasMax() && (item.Long(CourierTable.AvailableMl) ?? 0) < volumeMl)
                return new ReserveResult(ReserveStatus.InsufficientCapacity, null, courier);

            var now = db.Now;
            List<TransactWriteItem> items =
            [
                writes.TakeRoom(courierId, volumeMl, 1, item.HasMax(), now),
                writes.Assign(AssignmentItem(courierId, reference, request.Volume, null, now), reuseFinished: false),
                writes.Claim(reference, courierId),
            ];
            // A reference that names a pooled package takes it out of the pool, so /assign cannot hand it out too.
            if (One(read, db.Packages)?.Str(PackageTable.Status) == PackageStates.Unassigned) items.Add(writes.TakeFromPool(reference, courierId));
            // Refused: something changed since the read (room taken, reference claimed): read again and answer from that.
            if ((await db.TransactAsync(items, $"the reservation of '{reference}'", ct)).Committed)
            {
                var after = WithReserved(courier, request.Volume, now);
                await index.WrittenAsync(after, ct);
                return new ReserveResult(ReserveStatus.Reserved, new Reservation(courierId, reference, request.Volume, "assigned", now), after);
            }
        }
        throw new StoreContentionException($"Courier '{courierId}' kept changing; the reservation of '{reference}' was not made.");
    }

    public async Task<ReleaseResult> ReleaseAsync(string courierId, string reference, CancellationToken ct)
    {
        for (var tries = 0; tries < MaxOptimisticTries; tries++)
        {
            var read = await db.BatchGetAsync([
                (db.Couriers, Key(CourierTable.Id, courierId)),
                (db.Assignments, AssignmentKey(courierId, reference)),
                (db.Packages, Key(PackageTable.PackageId, reference))], ct);
            var item = One(read, db.Couriers);
            var courier = item is null ? null : ToCourier(item);
            if (item is null || One(read, db.Assignments) is not { } assignment) return new ReleaseResult(ReleaseStatus.NotFound, courier);
            if (!IsActiveStatus(assignment.Str(AssignmentTable.Status))) return new ReleaseResult(ReleaseStatus.NotActive, courier);

            var now = db.Now;
            var held = CapacityWrites.HeldBy(One(read, db.Packages), courierId) ? new HashSet<string> { reference } : [];
            var reservation = ToReservation(assignment);
            List<TransactWriteItem> items =
            [
                .. ReleaseItems(assignment, held),
                writes.GiveRoomBack(courierId, Liters.ToMilliliters(reservation.Volume), 1, item.HasMax(), now),
            ];
            if ((await db.TransactAsync(items, $"the release of '{reference}'", ct)).Committed)
            {
                var after = WithReserved(courier!, -reservation.Volume, now);
                await index.WrittenAsync(after, ct);
                return new ReleaseResult(ReleaseStatus.Released, after, reservation);
            }
        }
        throw new StoreContentionException($"The reservation '{reference}' kept changing; it was not released.");
    }

    // Ending an active assignment: its item goes (if it is still as read), its claim is freed, and a
    // pooled package goes back to the pool. The room is given back by the caller, once for all it ends.
    private List<TransactWriteItem> ReleaseItems(Dictionary<string, AttributeValue> assignment, IReadOnlySet<string> held)
    {
        var (driverId, packageId) = (assignment.Str(AssignmentTable.DriverId)!, assignment.Str(AssignmentTable.PackageId)!);
        List<TransactWriteItem> items = [DeleteIfUnchanged(assignment), writes.Unclaim(packageId, driverId)];
        if (held.Contains(packageId)) items.Add(writes.FinishPackage(packageId, driverId, PackageFinish.Released));
        return items;
    }

    private TransactWriteItem DeleteIfUnchanged(Dictionary<string, AttributeValue> assignment) =>
        TransactItems.Delete(db.Assignments, AssignmentKey(assignment.Str(AssignmentTable.DriverId)!, assignment.Str(AssignmentTable.PackageId)!),
            "#status = :status", new() { [":status"] = assignment[AssignmentTable.Status] });

    // The packages among the active assignments that are pool items assigned to this courier.
    private async Task<IReadOnlySet<string>> PackagesHeldAsync(string courierId, List<Dictionary<string, AttributeValue>> active, CancellationToken ct) =>
        active.Count == 0 ? new HashSet<string>() :
        (await db.BatchGetAsync(db.Packages, active.Select(a => Key(PackageTable.PackageId, a.Str(AssignmentTable.PackageId)!)), ct))
            .Where(p => CapacityWrites.HeldBy(p, courierId)).Select(p => p.Str(PackageTable.PackageId)!).ToHashSet();

    // The courier after this write, from the read it was decided on. When another write landed in
    // between, the stored version is higher than this one, so an If-Match with it fails (412) rather
    // than overwriting what it did not see.
    private static Courier WithReserved(Courier read, decimal delta, DateTimeOffset now) =>
        read with { ReservedCapacity = read.ReservedCapacity + delta, Version = read.Version + 1, UpdatedAt = now };

    private static Dictionary<string, AttributeValue>? One(Dictionary<string, List<Dictionary<string, AttributeValue>>> read, string table) =>
        read.GetValueOrDefault(table)?.FirstOrDefault();

    private static Dictionary<string, AttributeValue> AssignmentKey(string courierId, string reference) =>
        Key(AssignmentTable.DriverId, courierId, AssignmentTable.PackageId, reference);

    public async Task<IReadOnlyList<Reservation>> ListReservationsAsync(string courierId, CancellationToken ct) =>
        (await queries.AssignmentsOfAsync(courierId, ct))
            .Where(a => IsActiveStatus(a.Str(AssignmentTable.Status)))
            .Select(ToReservation)
            .ToList();

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(TimeSpan.FromSeconds(db.Options.ReadyTimeoutSeconds));
        try
        {
            var table = await db.Client.DescribeTableAsync(new DescribeTableRequest { TableName = db.Couriers }, budget.Token);
            return table.Table?.TableStatus == Amazon.DynamoDBv2.TableStatus.ACTIVE;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && (DynamoErrors.IsUnavailable(e, ct) || e is OperationCanceledException))
        {
            return false;
        }
    }
}
