using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;
using Microsoft.Data.Sqlite;
using static Couriers.Storage.Embedded.SqliteRows;

namespace Couriers.Storage.Embedded;

/// <summary>
/// The daily assignment on SQLite. Drivers are rows of the couriers table and assignments rows of the
/// same assignments table as reservations, so a driver's room is one number whichever API took it.
/// </summary>
internal sealed class SqliteDeliveryStore(SqliteDatabase database, TimeProvider clock) : IDeliveryStore
{
    private const string PackageColumns = "b.body, p.status, p.driver_id, p.failed_attempts";
    private const string PackagesWithBodies = "packages p JOIN package_bodies b ON b.package_id = p.package_id";

    public Task<BatchResult> UpsertDriversAsync(IReadOnlyList<DriverRecord> drivers, CancellationToken ct) => database.WriteAsync((db, tx) =>
    {
        var now = clock.GetUtcNow();
        var conflicts = new Dictionary<string, string>();
        int created = 0, updated = 0, unchanged = 0;
        for (var i = 0; i < drivers.Count; i++)
        {
            var driver = drivers[i];
            var rules = StorageJson.Write(driver.Rules);
            var current = ReadCourier(db, tx, driver.Id);
            if (current is null)
            {
                Execute(db, tx, $"INSERT INTO couriers ({CourierColumns}, rules) VALUES ($id, $max, 0, 0, 1, $now, $now, $rules)",
                    ("$id", driver.Id), ("$max", Ml(driver.MaxCapacity)), ("$now", Timestamp(now)), ("$rules", rules));
                created++;
                continue;
            }
            var sameRules = Scalar(db, tx, "SELECT rules FROM couriers WHERE id = $id", ("$id", driver.Id)) as string == rules;
            var max = driver.MaxCapacity ?? current.MaxCapacity;
            if (sameRules && max == current.MaxCapacity) { unchanged++; continue; }

            var change = new CourierChange(driver.MaxCapacity, null).ApplyTo(current, now);
            if (change.Updated is null) { conflicts[$"[{i}].max_capacity"] = change.Error!; continue; }
            Execute(db, tx, "UPDATE couriers SET max_ml = $max, rules = $rules, version = version + 1, updated_at = $now WHERE id = $id",
                ("$id", driver.Id), ("$max", Ml(max)), ("$rules", rules), ("$now", Timestamp(now)));
            updated++;
        }
        return new BatchResult(created, updated, unchanged, conflicts);
    }, ct, AllOrNothing, bulk: true);

    public Task<DriverView?> GetDriverAsync(string id, CancellationToken ct) =>
        database.ReadAsync(db => ReadDrivers(db, [id]).FirstOrDefault(), ct);

    public Task<IReadOnlyList<DriverView>> GetDriversAsync(IReadOnlyList<string> ids, CancellationToken ct) =>
        database.ReadAsync(db => (IReadOnlyList<DriverView>)ReadDrivers(db, ids), ct);

    public Task<BatchResult> AddPackagesAsync(IReadOnlyList<Package> packages, CancellationToken ct) => database.WriteAsync((db, tx) =>
    {
        var now = Timestamp(clock.GetUtcNow());
        var conflicts = new Dictionary<string, string>();
        int created = 0, unchanged = 0;
        for (var i = 0; i < packages.Count; i++)
        {
            var package = packages[i];
            var body = StorageJson.Write(package);
            var stored = Scalar(db, tx, "SELECT body FROM package_bodies WHERE package_id = $id", ("$id", package.PackageId)) as string;
            if (stored == body) { unchanged++; continue; }
            if (stored is not null)
            {
                conflicts[$"[{i}].package_id"] = $"package '{package.PackageId}' already exists with other attributes";
                continue;
            }
            // A package the Dispatcher reserved before it was loaded is already with that courier.
            var holder = Scalar(db, tx, $"SELECT driver_id FROM assignments WHERE package_id = $id AND status IN {ActiveStatuses}",
                ("$id", package.PackageId)) as string;
            Execute(db, tx,
                "INSERT INTO packages (package_id, volume_ml, status, driver_id, created_at, updated_at) VALUES ($id, $ml, $status, $driver, $now, $now)",
                ("$id", package.PackageId), ("$ml", Liters.ToMilliliters(package.VolumeLiters)),
                ("$status", holder is null ? "unassigned" : "assigned"), ("$driver", (object?)holder ?? DBNull.Value), ("$now", now));
            Execute(db, tx, "INSERT INTO package_bodies (package_id, body) VALUES ($id, $body)", ("$id", package.PackageId), ("$body", body));
            created++;
        }
        return new BatchResult(created, 0, unchanged, conflicts);
    }, ct, AllOrNothing, bulk: true);

    public Task<Page<StoredPackage>> ListPackagesAsync(PackageStatus? status, PageRequest<string> page, CancellationToken ct) =>
        database.ReadAsync(db =>
        {
            var filter = status is null ? "" : "p.status = $status AND";
            var rows = Query(db, null,
                $"SELECT {PackageColumns} FROM {PackagesWithBodies} WHERE {filter} p.package_id > $after ORDER BY p.package_id LIMIT $limit", MapPackage,
                ("$status", status is { } s ? Wire(s) : ""), ("$after", page.After ?? ""), ("$limit", page.Limit + 1));
            if (rows.Count <= page.Limit) return new Page<StoredPackage>(rows, null);
            rows.RemoveAt(page.Limit);
            return new Page<StoredPackage>(rows, Cursors.Encode(rows[^1].Package.PackageId));
        }, ct);

    public Task<IReadOnlyList<Package>> GetPoolAsync(CancellationToken ct) => database.ReadAsync(db =>
        (IReadOnlyList<Package>)Query(db, null, $"SELECT b.body FROM {PackagesWithBodies} WHERE p.status = 'unassigned' ORDER BY p.package_id",
            r => StorageJson.ReadPackage(r.GetFieldValue<byte[]>(0))), ct);

    public Task<IReadOnlyList<AssignmentRecord>> CommitAssignmentsAsync(
        IReadOnlyList<PlannedAssignment> plan, int maxPerDriver, CancellationToken ct) => database.WriteAsync((db, tx) =>
    {
        var now = clock.GetUtcNow();
        var stamp = Timestamp(now);
        // Checked again here, under the write lock (the plan was computed from an earlier read): the package
        // is still in the pool and active on no courier, and the driver is under its cap with room left.
        // The state is read once for the whole plan and the accepted items are written with set-based
        // statements, which SQLite runs far faster than a few statements per item.
        var planned = StorageJson.Write(plan.Select(p => p.Package.PackageId));
        var free = Query(db, tx,
            $"""
            SELECT package_id FROM packages WHERE status = 'unassigned' AND package_id IN (SELECT value FROM json_each($ids))
              AND package_id NOT IN (SELECT package_id FROM assignments WHERE status IN {ActiveStatuses})
            """, r => r.GetString(0), ("$ids", planned)).ToHashSet(StringComparer.Ordinal);

        var written = new List<AssignmentRecord>();
        var drivers = new Dictionary<string, (Courier Courier, int Active, long AddedMl)>(StringComparer.Ordinal);
        foreach (var item in plan)
        {
            if (!drivers.TryGetValue(item.DriverId, out var driver))
            {
                if (ReadCourier(db, tx, item.DriverId) is not { } courier) continue;
                driver = (courier, ActiveCount(db, tx, item.DriverId), 0);
            }
            var volume = item.Package.VolumeLiters;
            if (driver.Active >= maxPerDriver || !driver.Courier.HasRoomFor(volume) || !free.Remove(item.Package.PackageId)) continue;
            drivers[item.DriverId] = (driver.Courier with { ReservedCapacity = driver.Courier.ReservedCapacity + volume }, driver.Active + 1,
                driver.AddedMl + Liters.ToMilliliters(volume));
            written.Add(new AssignmentRecord(item.DriverId, item.Package.PackageId, AssignmentStatus.Assigned, volume, item.Package, now, now));
        }
        if (written.Count == 0) return (IReadOnlyList<AssignmentRecord>)written;

        var pairs = StorageJson.Write(written.Select(w => new object[] { w.PackageId, w.DriverId, Liters.ToMilliliters(w.VolumeLiters) }));
        const string Accepted = "SELECT value ->> 0 AS package_id, value ->> 1 AS driver_id, value ->> 2 AS volume_ml FROM json_each($pairs)";
        Execute(db, tx,
            $"UPDATE packages SET status = 'assigned', driver_id = a.driver_id, updated_at = $now FROM ({Accepted}) a WHERE packages.package_id = a.package_id",
            ("$pairs", pairs), ("$now", stamp));
        // A failed earlier attempt by the same driver leaves a finished row under the same key: reuse it.
        // The package's body is not copied: it never changes once loaded, and is read from packages.
        Execute(db, tx,
            $"""
            INSERT INTO assignments (driver_id, package_id, status, volume_ml, package, created_at, updated_at)
            SELECT a.driver_id, a.package_id, 'assigned', a.volume_ml, NULL, $now, $now FROM ({Accepted}) a
            WHERE true
            ON CONFLICT (driver_id, package_id) DO UPDATE SET
                status = 'assigned', volume_ml = excluded.volume_ml, package = NULL, created_at = $now, updated_at = $now
            """,
            ("$pairs", pairs), ("$now", stamp));
        // One update per driver for all the room its new packages take.
        foreach (var (id, driver) in drivers)
        {
            if (driver.AddedMl == 0) continue;
            Execute(db, tx, "UPDATE couriers SET reserved_ml = reserved_ml + $ml, version = version + 1, updated_at = $now WHERE id = $id",
                ("$id", id), ("$ml", driver.AddedMl), ("$now", stamp));
        }
        return (IReadOnlyList<AssignmentRecord>)written;
    }, ct, bulk: true);

    public Task<StatusUpdateResult> UpdateStatusAsync(string driverId, string packageId, AssignmentStatus status, CancellationToken ct) =>
        database.WriteAsync((db, tx) =>
        {
            var record = Query(db, tx,
                """
                SELECT a.driver_id, a.package_id, a.status, a.volume_ml, COALESCE(a.package, b.body), a.created_at, a.updated_at
                FROM assignments a LEFT JOIN package_bodies b ON b.package_id = a.package_id WHERE a.driver_id = $d AND a.package_id = $p
                """,
                MapAssignment, ("$d", driverId), ("$p", packageId)).FirstOrDefault();
            if (record is null) return new StatusUpdateResult(StatusUpdateOutcome.NotFound, null);
            switch (AssignmentStatuses.Check(record.Status, status))
            {
                case Transition.Unchanged: return new StatusUpdateResult(StatusUpdateOutcome.Unchanged, record);
                case Transition.Illegal: return new StatusUpdateResult(StatusUpdateOutcome.Illegal, record);
            }

            var now = clock.GetUtcNow();
            Execute(db, tx, "UPDATE assignments SET status = $s, updated_at = $now WHERE driver_id = $d AND package_id = $p",
                ("$s", status.ToWire()), ("$now", Timestamp(now)), ("$d", driverId), ("$p", packageId));
            if (!status.IsActive())
            {
                // Delivered or failed: the volume leaves the vehicle. A failed package goes back to the pool.
                Execute(db, tx, "UPDATE couriers SET reserved_ml = reserved_ml - $ml, version = version + 1, updated_at = $now WHERE id = $d",
                    ("$ml", Liters.ToMilliliters(record.VolumeLiters)), ("$now", Timestamp(now)), ("$d", driverId));
                Execute(db, tx, status == AssignmentStatus.Delivered
                        ? "UPDATE packages SET status = 'delivered', updated_at = $now WHERE package_id = $p AND driver_id = $d"
                        : "UPDATE packages SET status = 'unassigned', driver_id = NULL, failed_attempts = failed_attempts + 1, updated_at = $now WHERE package_id = $p AND driver_id = $d",
                    ("$now", Timestamp(now)), ("$p", packageId), ("$d", driverId));
            }
            return new StatusUpdateResult(StatusUpdateOutcome.Updated, record with { Status = status, UpdatedAt = now }, record.Status);
        }, ct);

    private static List<DriverView> ReadDrivers(SqliteConnection db, IReadOnlyList<string> ids)
    {
        var views = new List<DriverView>(ids.Count);
        foreach (var id in ids)
        {
            var row = Query(db, null, $"SELECT {CourierColumns}, rules FROM couriers WHERE id = $id",
                r => (Courier: MapCourier(r), Rules: r.IsDBNull(7) ? "[]" : r.GetString(7)), ("$id", id)).FirstOrDefault();
            if (row.Courier is null) continue;
            views.Add(new DriverView(row.Courier, StorageJson.Read<List<RuleSpec>>(row.Rules), ActiveCount(db, null, id)));
        }
        return views;
    }

    private static int ActiveCount(SqliteConnection db, SqliteTransaction? tx, string driverId) =>
        Convert.ToInt32(Scalar(db, tx, $"SELECT COUNT(*) FROM assignments WHERE driver_id = $id AND status IN {ActiveStatuses}", ("$id", driverId)));

    internal static StoredPackage MapPackage(SqliteDataReader r) => new(
        StorageJson.ReadPackage(r.GetString(0)),
        r.GetString(1) switch { "assigned" => PackageStatus.Assigned, "delivered" => PackageStatus.Delivered, _ => PackageStatus.Unassigned },
        r.IsDBNull(2) ? null : r.GetString(2),
        r.GetInt32(3));

    internal static AssignmentRecord MapAssignment(SqliteDataReader r)
    {
        AssignmentStatuses.TryParse(r.GetString(2), out var status);
        return new AssignmentRecord(r.GetString(0), r.GetString(1), status, Liters.FromMilliliters(r.GetInt64(3)),
            r.IsDBNull(4) ? null : StorageJson.ReadPackage(r.GetString(4)), ParseTimestamp(r.GetString(5)), ParseTimestamp(r.GetString(6)));
    }

    // A refused item rolls the whole batch back.
    private static bool AllOrNothing(BatchResult result) => result.Conflicts.Count == 0;

    private static string Wire(PackageStatus status) => status.ToString().ToLowerInvariant();
}
