using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;
using Microsoft.Data.Sqlite;
using static Couriers.Storage.Embedded.SqliteRows;

namespace Couriers.Storage.Embedded;

// The daily assignment on SQLite. Drivers are rows of the couriers table and assignments rows of the
// same assignments table as reservations, so a driver's room is one number whichever API took it.
internal sealed class SqliteDeliveryStore(SqliteDatabase database, TimeProvider clock) : IDeliveryStore
{
    internal const string PackageColumns = "b.body, p.delivered_by, h.driver_id, p.failed_attempts";

    // A package's holder, if any, is its active assignment.
    internal const string PackagesWithBodies =
        $"packages p JOIN package_bodies b ON b.package_id = p.package_id LEFT JOIN assignments h ON h.package_id = p.package_id AND h.status IN {ActiveStatuses}";
    private readonly ParsedPackages _parsed = new();

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

    public async Task<BatchResult> AddPackagesAsync(IReadOnlyList<Package> packages, CancellationToken ct)
    {
        var result = await AddAsync(packages, ct);
        if (result.Applied) _parsed.Add(packages);
        return result;
    }

    private Task<BatchResult> AddAsync(IReadOnlyList<Package> packages, CancellationToken ct) => database.WriteAsync((db, tx) =>
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
            // A package the Dispatcher reserved before it was loaded is with that courier already: its assignment says so.
            Execute(db, tx, "INSERT INTO packages (package_id, volume_ml, created_at, updated_at) VALUES ($id, $ml, $now, $now)",
                ("$id", package.PackageId), ("$ml", Liters.ToMilliliters(package.VolumeLiters)), ("$now", now));
            Execute(db, tx, "INSERT INTO package_bodies (package_id, body) VALUES ($id, $body)", ("$id", package.PackageId), ("$body", body));
            created++;
        }
        return new BatchResult(created, 0, unchanged, conflicts);
    }, ct, AllOrNothing, bulk: true);

    public Task<Page<StoredPackage>> ListPackagesAsync(PackageStatus? status, PageRequest<string> page, CancellationToken ct) =>
        database.ReadAsync(db =>
        {
            var filter = status switch
            {
                PackageStatus.Unassigned => "p.delivered_by IS NULL AND h.driver_id IS NULL AND",
                PackageStatus.Assigned => "p.delivered_by IS NULL AND h.driver_id IS NOT NULL AND",
                PackageStatus.Delivered => "p.delivered_by IS NOT NULL AND",
                _ => "",
            };
            var rows = Query(db, null,
                $"SELECT {PackageColumns} FROM {PackagesWithBodies} WHERE {filter} p.package_id > $after ORDER BY p.package_id LIMIT $limit", MapPackage,
                ("$after", page.After ?? ""), ("$limit", page.Limit + 1));
            if (rows.Count <= page.Limit) return new Page<StoredPackage>(rows, null);
            rows.RemoveAt(page.Limit);
            return new Page<StoredPackage>(rows, Cursors.Encode(rows[^1].Package.PackageId));
        }, ct);

    public Task<IReadOnlyList<Package>> GetPoolAsync(CancellationToken ct) => database.ReadAsync(db => (IReadOnlyList<Package>)_parsed.Pool(db), ct);

    public Task<IReadOnlyList<AssignmentRecord>> CommitAssignmentsAsync(
        IReadOnlyList<PlannedAssignment> plan, int maxPerDriver, CancellationToken ct) => database.WriteAsync((db, tx) =>
    {
        var now = clock.GetUtcNow();
        var stamp = Timestamp(now);
        // Checked again here, under the write lock (the plan was computed from an earlier read): the package
        // is still in the pool and active on no courier, and the driver is under its cap with room left.
        // The state is read once for the whole plan and the accepted items are written with set-based
        // statements, which SQLite runs far faster than a few statements per item.
        // Read whole, as the plan was: one index scan, cheaper than looking up each planned package.
        var free = Query(db, tx, $"SELECT p.package_id FROM packages p WHERE {InPool}", r => r.GetString(0)).ToHashSet(StringComparer.Ordinal);
        var drivers = ReadDriverRows(db, tx, plan.Select(p => p.DriverId).Distinct(StringComparer.Ordinal))
            .ToDictionary(d => d.Courier.Id, d => new DriverTaking(d.Courier, d.Active), StringComparer.Ordinal);

        var written = new List<AssignmentRecord>(plan.Count);
        foreach (var item in plan)
        {
            var volume = item.Package.VolumeLiters;
            if (!drivers.TryGetValue(item.DriverId, out var driver) || !driver.CanTake(volume, maxPerDriver) || !free.Remove(item.Package.PackageId)) continue;
            driver.Take(volume);
            written.Add(new AssignmentRecord(item.DriverId, item.Package.PackageId, AssignmentStatus.Assigned, volume, item.Package, now, now));
        }
        if (written.Count == 0) return (IReadOnlyList<AssignmentRecord>)written;

        // Taking a package out of the pool is this one row (the pool is what nobody holds). The plan lists each
        // driver's packages together, so the rows go in near key order. A failed earlier attempt by the same
        // driver leaves a finished row under the same key: it is reused.
        var accepted = JsonArguments.Assignments(written.ConvertAll(w => (w.PackageId, w.DriverId, Liters.ToMilliliters(w.VolumeLiters))));
        Execute(db, tx,
            """
            INSERT INTO assignments (driver_id, package_id, status, volume_ml, package, created_at, updated_at)
            SELECT value ->> 1, value ->> 0, 'assigned', value ->> 2, NULL, $now, $now FROM json_each(CAST($accepted AS TEXT))
            WHERE true
            ON CONFLICT (driver_id, package_id) DO UPDATE SET
                status = 'assigned', volume_ml = excluded.volume_ml, package = NULL, created_at = $now, updated_at = $now
            """,
            ("$accepted", accepted), ("$now", stamp));
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
                // Delivered or failed: the volume leaves the vehicle. A failed package is back in the pool: nobody holds it.
                Execute(db, tx, "UPDATE couriers SET reserved_ml = reserved_ml - $ml, version = version + 1, updated_at = $now WHERE id = $d",
                    ("$ml", Liters.ToMilliliters(record.VolumeLiters)), ("$now", Timestamp(now)), ("$d", driverId));
                Execute(db, tx, status == AssignmentStatus.Delivered
                        ? "UPDATE packages SET delivered_by = $d, updated_at = $now WHERE package_id = $p"
                        : "UPDATE packages SET failed_attempts = failed_attempts + 1, updated_at = $now WHERE package_id = $p",
                    ("$now", Timestamp(now)), ("$p", packageId), ("$d", driverId));
            }
            return new StatusUpdateResult(StatusUpdateOutcome.Updated, record with { Status = status, UpdatedAt = now }, record.Status);
        }, ct);

    private static List<DriverView> ReadDrivers(SqliteConnection db, IReadOnlyList<string> ids)
    {
        var found = ReadDriverRows(db, null, ids).ToDictionary(d => d.Courier.Id, StringComparer.Ordinal);
        return ids.Where(found.ContainsKey).Select(id => found[id])
            .Select(d => new DriverView(d.Courier, StorageJson.Read<List<RuleSpec>>(d.Rules ?? "[]"), d.Active)).ToList();
    }

    // The listed drivers that exist, each with its rules and its number of active packages, in one query.
    private static List<(Courier Courier, string? Rules, int Active)> ReadDriverRows(SqliteConnection db, SqliteTransaction? tx, IEnumerable<string> ids) =>
        Query(db, tx,
            $"""
            SELECT {CourierColumnsOf("c")}, c.rules,
                (SELECT COUNT(*) FROM assignments a WHERE a.driver_id = c.id AND a.status IN {ActiveStatuses})
            FROM couriers c WHERE c.id IN (SELECT value FROM json_each($ids))
            """,
            r => (MapCourier(r), r.IsDBNull(7) ? null : r.GetString(7), r.GetInt32(8)), ("$ids", JsonArguments.Strings(ids)));

    internal static StoredPackage MapPackage(SqliteDataReader r)
    {
        var (deliveredBy, holder) = (r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2));
        var status = deliveredBy is not null ? PackageStatus.Delivered : holder is not null ? PackageStatus.Assigned : PackageStatus.Unassigned;
        return new StoredPackage(StorageJson.ReadPackage(r.GetString(0)), status, deliveredBy ?? holder, r.GetInt32(3));
    }

    internal static AssignmentRecord MapAssignment(SqliteDataReader r)
    {
        AssignmentStatuses.TryParse(r.GetString(2), out var status);
        return new AssignmentRecord(r.GetString(0), r.GetString(1), status, Liters.FromMilliliters(r.GetInt64(3)),
            r.IsDBNull(4) ? null : StorageJson.ReadPackage(r.GetString(4)), ParseTimestamp(r.GetString(5)), ParseTimestamp(r.GetString(6)));
    }

    // A refused item rolls the whole batch back.
    private static bool AllOrNothing(BatchResult result) => result.Conflicts.Count == 0;

    // A driver's room and active count while a plan is checked, updated in place as its items are accepted.
    private sealed class DriverTaking(Courier courier, int active)
    {
        private decimal _taken;

        public long AddedMl { get; private set; }

        public bool CanTake(decimal volume, int maxPerDriver) => active < maxPerDriver && courier.HasRoomFor(_taken + volume);

        public void Take(decimal volume)
        {
            active++;
            _taken += volume;
            AddedMl += Liters.ToMilliliters(volume);
        }
    }
}
