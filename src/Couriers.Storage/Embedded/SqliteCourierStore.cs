using Couriers.Core.Couriers;
using Couriers.Core.Paging;
using Microsoft.Data.Sqlite;
using static Couriers.Storage.Embedded.SqliteRows;

namespace Couriers.Storage.Embedded;

// The embedded adapter. Every write is one IMMEDIATE transaction, which takes SQLite's write lock
// up front, so check-then-write sequences (room left? reference free?) cannot interleave, even
// between service processes sharing the file.
internal sealed class SqliteCourierStore(SqliteDatabase database, TimeProvider clock) : ICourierStore
{
    private const string Active = ActiveStatuses;

    // A courier, its row for one reference and whoever holds that reference actively, in one statement: each
    // statement costs the writer thread more than the rows it reads.
    private static readonly string CourierWithReference =
        $"""
        SELECT {CourierColumnsOf("c")}, r.driver_id, r.package_id, r.volume_ml, r.status, r.created_at,
               (SELECT h.driver_id FROM assignments h WHERE h.package_id = $ref AND h.status IN {Active})
        FROM couriers c LEFT JOIN assignments r ON r.driver_id = c.id AND r.package_id = $ref
        WHERE c.id = $id
        """;

    public Task<CreateCourierResult> CreateAsync(NewCourier courier, CancellationToken ct) => WriteAsync((db, tx) =>
    {
        if (ReadCourier(db, tx, courier.Id) is { } existing)
        {
            var same = existing.MaxCapacity == courier.MaxCapacity;
            return new CreateCourierResult(same ? CreateStatus.AlreadyExists : CreateStatus.ConflictingDuplicate, existing);
        }
        var now = clock.GetUtcNow();
        var created = new Courier(courier.Id, courier.MaxCapacity, 0m, 0m, 1, now, now);
        Execute(db, tx, $"INSERT INTO couriers ({CourierColumns}) VALUES ($id, $max, 0, 0, 1, $now, $now)",
            ("$id", courier.Id), ("$max", Ml(courier.MaxCapacity)), ("$now", Timestamp(now)));
        return new CreateCourierResult(CreateStatus.Created, created);
    }, ct);

    public Task<Courier?> GetAsync(string id, CancellationToken ct) => ReadAsync(db => ReadCourier(db, null, id), ct);

    public Task<Page<Courier>> ListAsync(PageRequest<string> page, CancellationToken ct) => ReadAsync(db =>
    {
        var rows = Query(db, null, $"SELECT {CourierColumns} FROM couriers WHERE id > $after ORDER BY id LIMIT $limit", MapCourier,
            ("$after", page.After ?? ""), ("$limit", page.Limit + 1));
        return ToPage(rows, page.Limit, last => Cursors.Encode(last.Id));
    }, ct);

    public Task<UpdateCourierResult> UpdateAsync(string id, CourierChange change, long? expectedVersion, CancellationToken ct) =>
        WriteAsync((db, tx) =>
        {
            var current = ReadCourier(db, tx, id);
            if (current is null) return new UpdateCourierResult(UpdateStatus.NotFound, null);
            if (expectedVersion is { } expected && expected != current.Version)
                return new UpdateCourierResult(UpdateStatus.VersionMismatch, current);
            var result = change.ApplyTo(current, clock.GetUtcNow());
            if (result.Updated is not { } updated)
                return new UpdateCourierResult(UpdateStatus.Refused, current, result.Field, result.Error);
            Execute(db, tx, "UPDATE couriers SET max_ml = $max, declared_ml = $declared, version = $version, updated_at = $now WHERE id = $id",
                ("$id", id), ("$max", Ml(updated.MaxCapacity)), ("$declared", Liters.ToMilliliters(updated.DeclaredLoad)),
                ("$version", updated.Version), ("$now", Timestamp(updated.UpdatedAt)));
            return new UpdateCourierResult(UpdateStatus.Updated, updated, Before: current);
        }, ct);

    public Task<DeleteCourierResult> DeleteAsync(string id, long? expectedVersion, bool force, CancellationToken ct) =>
        WriteAsync((db, tx) =>
        {
            var current = ReadCourier(db, tx, id);
            if (current is null) return new DeleteCourierResult(DeleteStatus.NotFound, null);
            if (expectedVersion is { } expected && expected != current.Version)
                return new DeleteCourierResult(DeleteStatus.VersionMismatch, current);
            if (current.ReservedCapacity > 0 && !force)
                return new DeleteCourierResult(DeleteStatus.HasActiveReservations, current);
            // Its packages go back to the pool for another driver.
            Execute(db, tx, "DELETE FROM assignments WHERE driver_id = $id", ("$id", id));
            Execute(db, tx, "DELETE FROM couriers WHERE id = $id", ("$id", id));
            return new DeleteCourierResult(DeleteStatus.Deleted, current);
        }, ct);

    public Task<Page<Courier>> LookupAsync(decimal capacityRequired, PageRequest<LookupCursor> page, CancellationToken ct) =>
        ReadAsync(db =>
        {
            // The service answers lookups from the capacity index; this query is the reference it is checked against.
            var after = page.After;
            var rows = Query(db, null,
                $"""
                SELECT {CourierColumns} FROM couriers
                WHERE max_ml IS NOT NULL AND available_ml >= $required
                  AND (available_ml, id) > ($afterMl, $afterId)
                ORDER BY available_ml, id LIMIT $limit
                """,
                MapCourier,
                ("$required", Liters.ToMilliliters(capacityRequired)),
                ("$afterMl", after is null ? long.MinValue : Liters.ToMilliliters(after.Available)),
                ("$afterId", after?.Id ?? ""),
                ("$limit", page.Limit + 1));
            return ToPage(rows, page.Limit, last => new LookupCursor(last.AvailableCapacity ?? 0m, last.Id).Encode());
        }, ct);

    public Task<ReserveResult> ReserveAsync(ReservationRequest request, CancellationToken ct) => WriteAsync((db, tx) =>
    {
        if (ReadWithReference(db, tx, request.CourierId, request.Reference) is not { } found)
            return new ReserveResult(ReserveStatus.CourierNotFound, null, null);
        var (courier, existing, holder) = found;

        if (existing is not null)
        {
            // Idempotent by reference: a retry of the same reservation changes nothing.
            var same = existing.Volume == request.Volume && IsActive(existing.Status);
            return new ReserveResult(same ? ReserveStatus.AlreadyReserved : ReserveStatus.ReferenceConflict, existing, courier);
        }
        if (holder is not null)
            return new ReserveResult(ReserveStatus.ReferenceActiveOnOtherCourier, null, courier, holder);
        if (!courier.HasRoomFor(request.Volume))
            return new ReserveResult(ReserveStatus.InsufficientCapacity, null, courier);

        var now = clock.GetUtcNow();
        var reservation = new Reservation(request.CourierId, request.Reference, request.Volume, "assigned", now);
        // A reference that names a pooled package takes it out of the pool by this row alone: the pool is what nobody holds.
        Execute(db, tx,
            "INSERT INTO assignments (driver_id, package_id, status, volume_ml, created_at, updated_at) VALUES ($id, $ref, 'assigned', $ml, $now, $now)",
            ("$id", request.CourierId), ("$ref", request.Reference), ("$ml", Liters.ToMilliliters(request.Volume)), ("$now", Timestamp(now)));
        var updated = AddReserved(db, tx, courier, request.Volume, now);
        return new ReserveResult(ReserveStatus.Reserved, reservation, updated);
    }, ct);

    public Task<ReleaseResult> ReleaseAsync(string courierId, string reference, CancellationToken ct) => WriteAsync((db, tx) =>
    {
        var found = ReadWithReference(db, tx, courierId, reference);
        if (found is not ({ } courier, { } reservation, _)) return new ReleaseResult(ReleaseStatus.NotFound, found?.Courier);
        if (!IsActive(reservation.Status)) return new ReleaseResult(ReleaseStatus.NotActive, courier);

        Execute(db, tx, "DELETE FROM assignments WHERE driver_id = $id AND package_id = $ref", ("$id", courierId), ("$ref", reference));
        return new ReleaseResult(ReleaseStatus.Released, AddReserved(db, tx, courier, -reservation.Volume, clock.GetUtcNow()), reservation);
    }, ct);

    public Task<IReadOnlyList<Reservation>> ListReservationsAsync(string courierId, CancellationToken ct) => ReadAsync(db =>
    {
        using var command = Command(db, null,
            $"SELECT driver_id, package_id, volume_ml, status, created_at FROM assignments WHERE driver_id = $id AND status IN {Active} ORDER BY package_id",
            ("$id", courierId));
        using var reader = command.ExecuteReader();
        var list = new List<Reservation>();
        while (reader.Read()) list.Add(MapReservation(reader, 0));
        return (IReadOnlyList<Reservation>)list;
    }, ct);

    public Task<bool> IsReadyAsync(CancellationToken ct) => ReadAsync(db => Scalar(db, null, "SELECT 1") is long, ct);

    private Courier AddReserved(SqliteConnection db, SqliteTransaction tx, Courier courier, decimal delta, DateTimeOffset now)
    {
        Execute(db, tx, "UPDATE couriers SET reserved_ml = reserved_ml + $delta, version = version + 1, updated_at = $now WHERE id = $id",
            ("$id", courier.Id), ("$delta", Liters.ToMilliliters(delta)), ("$now", Timestamp(now)));
        return courier with { ReservedCapacity = courier.ReservedCapacity + delta, Version = courier.Version + 1, UpdatedAt = now };
    }

    private static bool IsActive(string status) => status is "assigned" or "accepted" or "in_progress";

    private Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken ct) =>
        database.WriteAsync(work, ct);

    private Task<T> ReadAsync<T>(Func<SqliteConnection, T> work, CancellationToken ct) => database.ReadAsync(work, ct);

    private static (Courier Courier, Reservation? Row, string? Holder)? ReadWithReference(SqliteConnection db, SqliteTransaction tx,
        string courierId, string reference)
    {
        var rows = Query(db, tx, CourierWithReference,
            r => (MapCourier(r), r.IsDBNull(7) ? null : MapReservation(r, 7), r.IsDBNull(12) ? null : r.GetString(12)),
            ("$id", courierId), ("$ref", reference));
        return rows is [var row] ? row : null;
    }

    private static Page<Courier> ToPage(List<Courier> rows, int limit, Func<Courier, string> cursorOf)
    {
        // One row more than asked tells whether another page exists without a COUNT.
        if (rows.Count <= limit) return new Page<Courier>(rows, null);
        rows.RemoveAt(limit);
        return new Page<Courier>(rows, cursorOf(rows[^1]));
    }

    // A reservation from driver_id, package_id, volume_ml, status, created_at starting at column at.
    private static Reservation MapReservation(SqliteDataReader r, int at) => new(
        r.GetString(at), r.GetString(at + 1), Liters.FromMilliliters(r.GetInt64(at + 2)), r.GetString(at + 3), ParseTimestamp(r.GetString(at + 4)));
}
