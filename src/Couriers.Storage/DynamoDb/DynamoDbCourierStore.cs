using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Couriers.Core;
using Couriers.Core.Couriers;
using Couriers.Core.Paging;
using static Couriers.Storage.DynamoDb.AttributeMaps;
using static Couriers.Storage.DynamoDb.DynamoSchema;

namespace Couriers.Storage.DynamoDb;

/// <summary>
/// Couriers and reservations on DynamoDB with conditional writes only (no transactions). Each
/// multi-item operation is a sequence of idempotent steps (CapacitySteps) ordered so an interrupted
/// one is completed or undone by a retry or by reconcile; docs/dynamodb.md walks through them.
/// </summary>
internal sealed class DynamoDbCourierStore(DynamoContext db, CapacitySteps steps, CourierQueries queries, DynamoCapacityReconciler reconciler)
    : ICourierStore
{
    private const int MaxOptimisticTries = 10;

    public async Task<CreateCourierResult> CreateAsync(NewCourier courier, CancellationToken ct)
    {
        var now = db.Now;
        var item = NewCourierItem(courier.Id, courier.MaxCapacity, null, now, db.Options.LookupShards);
        var put = await db.PutAsync(db.Couriers, item, "attribute_not_exists(#id)", null, ct);
        if (put.Applied) return new CreateCourierResult(CreateStatus.Created, ToCourier(item));
        var existing = put.Item ?? await db.GetAsync(db.Couriers, Key(CourierTable.Id, courier.Id), ct);
        if (existing is null) return await CreateAsync(courier, ct); // deleted in between: create again
        var current = ToCourier(existing);
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
            if (await CourierChanges.WriteAsync(db, current, updated, rules: null, ct)) return new UpdateCourierResult(UpdateStatus.Updated, updated, Before: current);
        }
        throw new StoreContentionException($"Courier '{id}' kept changing; the update was not applied.");
    }

    public async Task<DeleteCourierResult> DeleteAsync(string id, long? expectedVersion, bool force, CancellationToken ct)
    {
        for (var tries = 0; tries < MaxOptimisticTries; tries++)
        {
            var item = await db.GetAsync(db.Couriers, Key(CourierTable.Id, id), ct);
            if (item is null) return new DeleteCourierResult(DeleteStatus.NotFound, null);
            var current = ToCourier(item);
            if (expectedVersion is { } expected && expected != current.Version)
                return new DeleteCourierResult(DeleteStatus.VersionMismatch, current);
            var active = item.ActiveRefs();
            if ((active.Count > 0 || current.ReservedCapacity > 0) && !force)
                return new DeleteCourierResult(DeleteStatus.HasActiveReservations, current);

            // Forced: release every active reservation first, so each package goes back to the pool
            // and its claim is freed by the same steps a release takes.
            foreach (var assignment in await queries.AssignmentsOfAsync(id, ct))
            {
                if (IsActiveStatus(assignment.Str(AssignmentTable.Status))) await ReleaseItemAsync(assignment, item.ContainsKey(CourierTable.MaxMl), ct);
            }
            // Only delete what was read (unforced: the same version; forced: nothing active), else go round again.
            var delete = force
                ? await db.DeleteAsync(db.Couriers, Key(CourierTable.Id, id), "size(#active) = :zero", new() { [":zero"] = N(0) }, ct)
                : await db.DeleteAsync(db.Couriers, Key(CourierTable.Id, id), "#version = :read AND size(#active) = :zero",
                    new() { [":zero"] = N(0), [":read"] = N(current.Version) }, ct);
            if (!delete.Applied)
            {
                // Room still held without an active assignment: a sequence in flight or one a crash left. Settle those first.
                if (force) await reconciler.ReconcileAsync(id, ct);
                continue;
            }
            await DeleteFinishedAssignmentsAsync(id, ct);
            return new DeleteCourierResult(DeleteStatus.Deleted, current);
        }
        throw new StoreUnavailableException($"Courier '{id}' kept taking reservations; it was not deleted.");
    }

    private async Task DeleteFinishedAssignmentsAsync(string id, CancellationToken ct)
    {
        var leftovers = (await queries.AssignmentsOfAsync(id, ct))
            .Where(a => !IsActiveStatus(a.Str(AssignmentTable.Status)))
            .Select(a => new WriteRequest(new DeleteRequest(Key(AssignmentTable.DriverId, id, AssignmentTable.PackageId, a.Str(AssignmentTable.PackageId)!))))
            .ToList();
        await new BatchWriter(db).WriteAsync(db.Assignments, leftovers, ct);
    }

    public async Task<ReserveResult> ReserveAsync(ReservationRequest request, CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        for (var round = 0; ; round++)
        {
            var attempt = DynamoContext.NewAttempt();
            var volumeMl = Liters.ToMilliliters(request.Volume);
            var claimedAt = db.Now;
            // 1. The package's lock: at most one courier holds a reference at a time.
            var held = await steps.ClaimAsync(request.Reference, request.CourierId, attempt, volumeMl, claimedAt, ct);
            if (held is not null)
            {
                var answer = await AnswerForHeldClaimAsync(request, held, ct);
                if (answer is not null) return answer;
                // Another attempt at this reference is in flight: wait for it to commit or give up.
                var pause = Backoff.Delay(round, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(250));
                waited += pause;
                if (waited > db.ClaimTimeout * 2) throw new StoreUnavailableException($"Reference '{request.Reference}' stayed busy.");
                await Task.Delay(pause, db.Clock, ct);
                continue;
            }

            // Once the claim is ours the sequence runs to its end or its undo whatever the client does:
            // a cancelled request must not strand a claim (the SDK's timeout and retries still bound it).
            var finish = CancellationToken.None;
            // 2. Room on the courier, conditioned on what is left.
            var (room, courierItem) = await steps.TakeRoomAsync(request.CourierId, request.Reference, attempt, volumeMl, hasMax: true, cap: null, finish);
            if (room != RoomOutcome.Taken)
            {
                await steps.DeleteClaimAsync(request.Reference, attempt, finish);
                return room == RoomOutcome.CourierNotFound
                    ? new ReserveResult(ReserveStatus.CourierNotFound, null, null)
                    : new ReserveResult(ReserveStatus.InsufficientCapacity, null, ToCourier(courierItem!));
            }
            var hasMax = courierItem!.ContainsKey(CourierTable.MaxMl);
            if (steps.Expired(claimedAt)) return await AbandonAsync(request, attempt, volumeMl, hasMax, finish);

            // 3. The assignment item: the commit point. Before it a crash is undone, after it completed.
            var now = db.Now;
            var put = await db.PutAsync(db.Assignments, AssignmentItem(request.CourierId, request.Reference, request.Volume, null, attempt, now),
                "attribute_not_exists(#driver_id) OR #attempt = :attempt", new() { [":attempt"] = S(attempt) }, finish);
            if (!put.Applied)
            {
                // A finished assignment of this reference on this courier: a reference is not reused.
                await steps.FinishAsync(request.CourierId, request.Reference, attempt, volumeMl, hasMax, PackageFinish.Released, finish);
                var existing = put.Item ?? await ReadAssignmentAsync(request.CourierId, request.Reference, finish);
                return new ReserveResult(ReserveStatus.ReferenceConflict, existing is null ? null : ToReservation(existing), await GetAsync(request.CourierId, finish));
            }

            // 4. A reference that names a pooled package takes it out of the pool (a refused no-op for others).
            await steps.MarkAssignedAsync(request.Reference, request.CourierId, attempt, finish, confirm: false);
            return new ReserveResult(ReserveStatus.Reserved,
                new Reservation(request.CourierId, request.Reference, request.Volume, "assigned", now), ToCourier(courierItem));
        }
    }

    /// <summary>The answer when the reference's claim is held, or null to try again after a short wait.</summary>
    private async Task<ReserveResult?> AnswerForHeldClaimAsync(ReservationRequest request, Claim held, CancellationToken ct)
    {
        var courier = await GetAsync(request.CourierId, ct);
        if (courier is null) return new ReserveResult(ReserveStatus.CourierNotFound, null, null);
        if (held.Holder == request.CourierId
            && await ReadAssignmentAsync(request.CourierId, request.Reference, ct) is { } existing
            && existing.Str(AssignmentTable.Attempt) == held.Attempt)
        {
            // Idempotent by reference: a retry of the same reservation changes nothing.
            var reservation = ToReservation(existing);
            var same = reservation.Volume == request.Volume && IsActiveStatus(reservation.Status);
            return new ReserveResult(same ? ReserveStatus.AlreadyReserved : ReserveStatus.ReferenceConflict, reservation, courier);
        }
        // An attempt that stopped before its commit point (and is past the claim timeout) is undone here.
        if (await steps.RecoverAsync(held, ct) == ClaimState.Repaired) return null;
        // Held by another courier, committed or on its way: the reference is taken. Held by an
        // attempt of this courier still in flight: wait for it to commit or give up.
        return held.Holder != request.CourierId
            ? new ReserveResult(ReserveStatus.ReferenceActiveOnOtherCourier, null, courier, held.Holder)
            : null;
    }

    private async Task<ReserveResult> AbandonAsync(ReservationRequest request, string attempt, long volumeMl, bool hasMax, CancellationToken ct)
    {
        await steps.FinishAsync(request.CourierId, request.Reference, attempt, volumeMl, hasMax, PackageFinish.Released, ct);
        throw new StoreUnavailableException($"The reservation of '{request.Reference}' took longer than half the claim timeout and was undone.");
    }

    public async Task<ReleaseResult> ReleaseAsync(string courierId, string reference, CancellationToken ct)
    {
        for (var tries = 0; tries < MaxOptimisticTries; tries++)
        {
            var courier = await db.GetAsync(db.Couriers, Key(CourierTable.Id, courierId), ct);
            var assignment = courier is null ? null : await ReadAssignmentAsync(courierId, reference, ct);
            if (courier is null || assignment is null) return new ReleaseResult(ReleaseStatus.NotFound, courier is null ? null : ToCourier(courier));
            if (!IsActiveStatus(assignment.Str(AssignmentTable.Status))) return new ReleaseResult(ReleaseStatus.NotActive, ToCourier(courier));
            var after = await ReleaseItemAsync(assignment, courier.ContainsKey(CourierTable.MaxMl), ct);
            if (after.Released) return new ReleaseResult(ReleaseStatus.Released, after.Courier is null ? null : ToCourier(after.Courier), ToReservation(assignment));
        }
        throw new StoreContentionException($"The reservation '{reference}' kept changing; it was not released.");
    }

    /// <summary>
    /// Deleting the assignment item is the commit point of a release: afterwards the claim has no
    /// assignment, which is exactly the state recovery undoes (room back, pool, claim).
    /// </summary>
    private async Task<(bool Released, Dictionary<string, AttributeValue>? Courier)> ReleaseItemAsync(
        Dictionary<string, AttributeValue> assignment, bool hasMax, CancellationToken ct)
    {
        var driverId = assignment.Str(AssignmentTable.DriverId)!;
        var packageId = assignment.Str(AssignmentTable.PackageId)!;
        var attempt = assignment.Str(AssignmentTable.Attempt)!;
        var delete = await db.DeleteAsync(db.Assignments, Key(AssignmentTable.DriverId, driverId, AssignmentTable.PackageId, packageId),
            "#status = :status AND #attempt = :attempt",
            new() { [":status"] = assignment[AssignmentTable.Status], [":attempt"] = S(attempt) }, ct);
        if (!delete.Applied) return (false, null);
        var courier = await steps.FinishAsync(driverId, packageId, attempt, assignment.Long(AssignmentTable.VolumeMl) ?? 0, hasMax,
            PackageFinish.Released, ct);
        return (true, courier);
    }

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

    private Task<Dictionary<string, AttributeValue>?> ReadAssignmentAsync(string courierId, string reference, CancellationToken ct) =>
        db.GetAsync(db.Assignments, Key(AssignmentTable.DriverId, courierId, AssignmentTable.PackageId, reference), ct);
}
