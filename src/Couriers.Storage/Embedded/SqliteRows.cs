using System.Globalization;
using System.Runtime.CompilerServices;
using Couriers.Core.Couriers;
using Microsoft.Data.Sqlite;

namespace Couriers.Storage.Embedded;

// Small helpers shared by the SQLite stores: commands, parameters and row mapping.
internal static class SqliteRows
{
    public const string CourierColumns = "id, max_ml, declared_ml, reserved_ml, version, created_at, updated_at";
    public const string ActiveStatuses = "('assigned', 'accepted', 'in_progress')";

    /// <summary>Package <c>p</c> is in the pool: not delivered, and no courier holds it.</summary>
    public const string InPool = $"p.delivered_by IS NULL AND NOT EXISTS (SELECT 1 FROM assignments h WHERE h.package_id = p.package_id AND h.status IN {ActiveStatuses})";

    // The writer's long-lived connection keeps its statements prepared: preparing costs more than running most of them.
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Prepared = new();

    public static SqliteConnection WithStatementCache(SqliteConnection db)
    {
        Prepared.Add(db, new Dictionary<string, SqliteCommand>(StringComparer.Ordinal));
        return db;
    }

    public static SqliteCommand Command(SqliteConnection db, SqliteTransaction? tx, string sql, params (string, object)[] parameters)
    {
        var command = db.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    public static int Execute(SqliteConnection db, SqliteTransaction? tx, string sql, params (string, object)[] parameters)
    {
        using var command = Lease(db, tx, sql, parameters);
        return command.Command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection db, SqliteTransaction? tx, string sql, params (string, object)[] parameters)
    {
        using var command = Lease(db, tx, sql, parameters);
        return command.Command.ExecuteScalar();
    }

    /// <summary>A cached command on the writer's connection (left undisposed), a new one elsewhere.</summary>
    public static LeasedCommand Lease(SqliteConnection db, SqliteTransaction? tx, string sql, params (string, object)[] parameters)
    {
        if (!Prepared.TryGetValue(db, out var cache)) return new LeasedCommand(Command(db, tx, sql, parameters), Owned: true);
        if (!cache.TryGetValue(sql, out var command))
        {
            command = db.CreateCommand();
            command.CommandText = sql;
            cache[sql] = command;
        }
        command.Transaction = tx;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return new LeasedCommand(command, Owned: false);
    }

    public readonly record struct LeasedCommand(SqliteCommand Command, bool Owned) : IDisposable
    {
        public void Dispose()
        {
            if (Owned) Command.Dispose();
        }
    }

    public static List<T> Query<T>(SqliteConnection db, SqliteTransaction? tx, string sql, Func<SqliteDataReader, T> map,
        params (string, object)[] parameters)
    {
        using var command = Lease(db, tx, sql, parameters);
        using var reader = command.Command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(map(reader));
        return rows;
    }

    public static Courier? ReadCourier(SqliteConnection db, SqliteTransaction? tx, string id) =>
        Query(db, tx, $"SELECT {CourierColumns} FROM couriers WHERE id = $id", MapCourier, ("$id", id)).FirstOrDefault();

    public static Courier MapCourier(SqliteDataReader r) => MapCourier(r, 0);

    /// <summary>A courier from <see cref="CourierColumns"/> starting at column <paramref name="at"/>.</summary>
    public static Courier MapCourier(SqliteDataReader r, int at) => new(
        r.GetString(at),
        r.IsDBNull(at + 1) ? null : Liters.FromMilliliters(r.GetInt64(at + 1)),
        Liters.FromMilliliters(r.GetInt64(at + 2)),
        Liters.FromMilliliters(r.GetInt64(at + 3)),
        r.GetInt64(at + 4),
        ParseTimestamp(r.GetString(at + 5)),
        ParseTimestamp(r.GetString(at + 6)));

    /// <summary><see cref="CourierColumns"/> of a table named <paramref name="alias"/> in a join.</summary>
    public static string CourierColumnsOf(string alias) => string.Join(", ", CourierColumns.Split(", ").Select(c => $"{alias}.{c}"));

    public static object Ml(decimal? liters) => liters is { } l ? Liters.ToMilliliters(l) : DBNull.Value;

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTimestamp(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
