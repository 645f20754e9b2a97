using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Lookup;
using Microsoft.Data.Sqlite;
using static Couriers.Storage.Embedded.SqliteRows;

namespace Couriers.Storage.Embedded;

// Keeps a capacity feed in step with the file. Triggers record every courier change in courier_changes
// (seq in commit order); catching up applies the couriers changed after the last seq applied, read in
// one snapshot. The writer catches up after each commit, before it acknowledges; a lookup catches up
// when the file holds a change it has not applied yet (another process's write).
internal sealed class SqliteIndexFeed(ICapacityFeed feed)
{
    // Changes older than this many behind the newest are deleted; a process further behind rebuilds.
    public const long Kept = 50_000;

    private readonly Lock _apply = new();
    private long _applied = -1;

    public long Applied => Volatile.Read(ref _applied);

    public void CatchUp(SqliteConnection db)
    {
        lock (_apply)
        {
            using var tx = db.BeginTransaction(deferred: true);
            var oldest = Convert.ToInt64(Scalar(db, tx, "SELECT COALESCE(MIN(seq), 0) FROM courier_changes") ?? 0L);
            if (_applied < 0 || oldest > _applied + 1)
            {
                Rebuild(db, tx);
                return;
            }
            var changed = Query(db, tx,
                $"""
                SELECT ch.seq, ch.courier_id, c.id IS NOT NULL, {CourierColumnsOf("c")}, c.rules
                FROM (SELECT courier_id, MAX(seq) AS seq FROM courier_changes WHERE seq > $after GROUP BY courier_id) ch
                LEFT JOIN couriers c ON c.id = ch.courier_id
                """,
                r => (Seq: r.GetInt64(0), Id: r.GetString(1), Courier: r.GetBoolean(2) ? MapCourier(r, 3) : null, Rules: RulesOf(r, 10)),
                ("$after", _applied));
            foreach (var (_, id, courier, rules) in changed)
            {
                if (courier is null) feed.Remove(id);
                else feed.Upsert(courier, rules);
            }
            if (changed.Count > 0) Volatile.Write(ref _applied, changed.Max(c => c.Seq));
        }
    }

    private void Rebuild(SqliteConnection db, SqliteTransaction tx)
    {
        var newest = Convert.ToInt64(Scalar(db, tx, "SELECT COALESCE(MAX(seq), 0) FROM courier_changes") ?? 0L);
        feed.Reset(Query(db, tx, $"SELECT {CourierColumns}, rules FROM couriers WHERE max_ml IS NOT NULL", r => (MapCourier(r), RulesOf(r, 7))));
        Volatile.Write(ref _applied, newest);
    }

    // The rules column is null for a courier that never had rules (created by POST /couriers).
    private static IReadOnlyList<RuleSpec> RulesOf(SqliteDataReader r, int at) =>
        r.IsDBNull(at) ? [] : StorageJson.Read<List<RuleSpec>>(r.GetString(at));
}
