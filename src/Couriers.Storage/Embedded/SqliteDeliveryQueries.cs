using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;
using static Couriers.Storage.Embedded.SqliteDeliveryStore;
using static Couriers.Storage.Embedded.SqliteRows;

namespace Couriers.Storage.Embedded;

// Paged reads of packages, drivers and assignments on SQLite, each one keyset query on an index.
internal sealed class SqliteDeliveryQueries(SqliteDatabase database) : IDeliveryQueries
{
    public Task<StoredPackage?> GetPackageAsync(string packageId, CancellationToken ct) => database.ReadAsync(db =>
        Query(db, null,
            $"SELECT {PackageColumns} FROM {PackagesWithBodies} WHERE p.package_id = $id",
            MapPackage, ("$id", packageId)).FirstOrDefault(), ct);

    public Task<Page<DriverView>> ListDriversAsync(bool? hasRoom, PageRequest<string> page, CancellationToken ct) => database.ReadAsync(db =>
    {
        // No max_capacity is no limit: such a driver always has room.
        var filter = hasRoom switch
        {
            true => "AND (max_ml IS NULL OR available_ml > 0)",
            false => "AND max_ml IS NOT NULL AND available_ml <= 0",
            null => "",
        };
        var rows = Query(db, null,
            $"""
            SELECT {CourierColumns}, rules,
                   (SELECT COUNT(*) FROM assignments a WHERE a.driver_id = couriers.id AND a.status IN {ActiveStatuses})
            FROM couriers WHERE id > $after {filter} ORDER BY id LIMIT $limit
            """,
            r => new DriverView(MapCourier(r), r.IsDBNull(7) ? [] : StorageJson.Read<List<RuleSpec>>(r.GetString(7)), r.GetInt32(8)),
            ("$after", page.After ?? ""), ("$limit", page.Limit + 1));
        return Paged(rows, page.Limit, d => d.Courier.Id);
    }, ct);

    public Task<Page<AssignmentRecord>?> ListAssignmentsAsync(string driverId, AssignmentStatus? status, PageRequest<string> page, CancellationToken ct) =>
        database.ReadAsync(db =>
        {
            if (Scalar(db, null, "SELECT 1 FROM couriers WHERE id = $id", ("$id", driverId)) is null) return null;
            var rows = Query(db, null,
                $"""
                SELECT a.driver_id, a.package_id, a.status, a.volume_ml, COALESCE(a.package, b.body), a.created_at, a.updated_at
                FROM assignments a LEFT JOIN package_bodies b ON b.package_id = a.package_id
                WHERE a.driver_id = $id AND a.package_id > $after {(status is null ? "" : "AND a.status = $status")}
                ORDER BY a.package_id LIMIT $limit
                """,
                MapAssignment, ("$id", driverId), ("$after", page.After ?? ""), ("$status", status?.ToWire() ?? ""), ("$limit", page.Limit + 1));
            return (Page<AssignmentRecord>?)Paged(rows, page.Limit, a => a.PackageId);
        }, ct);

    private static Page<T> Paged<T>(List<T> rows, int limit, Func<T, string> keyOf)
    {
        // One row more than asked tells whether another page exists.
        if (rows.Count <= limit) return new Page<T>(rows, null);
        rows.RemoveAt(limit);
        return new Page<T>(rows, Cursors.Encode(keyOf(rows[^1])));
    }
}
