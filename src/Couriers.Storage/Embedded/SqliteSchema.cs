namespace Couriers.Storage.Embedded;

// Schema migrations, applied in order and recorded in PRAGMA user_version. Amounts are whole
// milliliters (INTEGER) so sums are exact; available room is a generated column so it is never
// written out of step with what it is derived from.
internal static class SqliteSchema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE couriers (
            id           TEXT PRIMARY KEY,
            max_ml       INTEGER,
            declared_ml  INTEGER NOT NULL DEFAULT 0,
            reserved_ml  INTEGER NOT NULL DEFAULT 0,
            available_ml INTEGER GENERATED ALWAYS AS (max_ml - declared_ml - reserved_ml) VIRTUAL,
            rules        TEXT,
            version      INTEGER NOT NULL,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        );
        CREATE INDEX couriers_by_available ON couriers (available_ml, id) WHERE max_ml IS NOT NULL;

        -- One row per package given to a courier: the Dispatcher's reservations and the daily
        -- /assign share it, so reserved_ml is always the sum of the active rows' volume_ml.
        CREATE TABLE assignments (
            driver_id  TEXT NOT NULL,
            package_id TEXT NOT NULL,
            status     TEXT NOT NULL,
            volume_ml  INTEGER NOT NULL,
            package    TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (driver_id, package_id)
        );
        -- Invariant 2: a package is actively assigned to at most one courier.
        CREATE UNIQUE INDEX one_active_courier_per_package ON assignments (package_id)
            WHERE status IN ('assigned', 'accepted', 'in_progress');
        """,
        """
        -- The day's packages. The attributes rules test live in body (JSON, as posted); status says
        -- where the package is (unassigned, assigned, delivered) and driver_id with whom.
        CREATE TABLE packages (
            package_id      TEXT PRIMARY KEY,
            body            TEXT NOT NULL,
            volume_ml       INTEGER NOT NULL,
            status          TEXT NOT NULL,
            driver_id       TEXT,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL
        );
        CREATE INDEX packages_by_status ON packages (status, package_id);
        """,
        """
        -- Every change to a courier, in commit order, whoever made it: each service process sharing the
        -- file reads the rows after the last one it applied to keep its capacity index exact.
        CREATE TABLE courier_changes (
            seq        INTEGER PRIMARY KEY,
            courier_id TEXT NOT NULL
        );
        CREATE TRIGGER courier_inserted AFTER INSERT ON couriers BEGIN INSERT INTO courier_changes (courier_id) VALUES (NEW.id); END;
        CREATE TRIGGER courier_updated AFTER UPDATE ON couriers BEGIN INSERT INTO courier_changes (courier_id) VALUES (NEW.id); END;
        CREATE TRIGGER courier_deleted AFTER DELETE ON couriers BEGIN INSERT INTO courier_changes (courier_id) VALUES (OLD.id); END;
        """,
        """
        -- A package's body never changes once loaded, while its status changes with every assignment: kept
        -- apart, an /assign of 50,000 packages rewrites small rows only (less to write and to fsync).
        CREATE TABLE package_bodies (
            package_id TEXT PRIMARY KEY,
            body       TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO package_bodies (package_id, body) SELECT package_id, body FROM packages;
        ALTER TABLE packages DROP COLUMN body;
        """,
        """
        -- Who holds a package is the assignments table's alone (one active row at most, by its unique index), so
        -- assigning a package writes one row, not two: packages keeps what only it knows, whether it was
        -- delivered and by whom, and how often delivery failed. A package is in the pool while it is not
        -- delivered and nobody holds it. Both tables are keyed by their primary key alone (WITHOUT ROWID): one
        -- b-tree fewer to write per row.
        CREATE TABLE packages_v5 (
            package_id      TEXT PRIMARY KEY,
            volume_ml       INTEGER NOT NULL,
            delivered_by    TEXT,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO packages_v5 SELECT package_id, volume_ml, CASE WHEN status = 'delivered' THEN driver_id END, failed_attempts, created_at, updated_at
            FROM packages;
        DROP TABLE packages;
        ALTER TABLE packages_v5 RENAME TO packages;
        CREATE INDEX packages_not_delivered ON packages (package_id) WHERE delivered_by IS NULL;

        CREATE TABLE assignments_v5 (
            driver_id  TEXT NOT NULL,
            package_id TEXT NOT NULL,
            status     TEXT NOT NULL,
            volume_ml  INTEGER NOT NULL,
            package    TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (driver_id, package_id)
        ) WITHOUT ROWID;
        INSERT INTO assignments_v5 SELECT driver_id, package_id, status, volume_ml, package, created_at, updated_at FROM assignments;
        DROP TABLE assignments;
        ALTER TABLE assignments_v5 RENAME TO assignments;
        CREATE UNIQUE INDEX one_active_courier_per_package ON assignments (package_id)
            WHERE status IN ('assigned', 'accepted', 'in_progress');
        """,
        """
        -- Lookups are answered by the capacity index in memory; this index only made every reservation move
        -- its entry (a delete and an insert) in pages to log and fsync.
        DROP INDEX couriers_by_available;
        """,
    ];
}
