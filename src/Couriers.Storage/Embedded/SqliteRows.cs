using System.Globalization;
using Couriers.Core.Couriers;
using Microsoft.Data.Sqlite;

namespace Couriers.Storage.Embedded;

/// <summary>Small helpers shared by the SQLite stores: commands, parameters and row mapping.</summary>
internal static class SqliteRows
{
    public const string CourierColumns = "id, max_ml, declared_ml, reserved_ml, version, created_at, updated_at";
    public const string ActiveStatuses = "('assigned', 'accepted', 'in_progress')";

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
        using var command = Command(db, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection db, SqliteTransaction? tx, string sql, params (string, object)[] parameters)
    {
        using var command = Command(db, tx, sql, parameters);
        return command.ExecuteScalar();
    }

    public static List<T> Query<T>(SqliteConnection db, SqliteTransaction? tx, string sql, Func<SqliteDataReader, T> map,
        params (string, object)[] parameters)
    {
        using var command = Command(db, tx, sql, parameters);
        using var reader = command.ExecuteReader();
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

    public static object Ml(decimal? liters) => liters is { } l ? Liters.ToMilliliters(l) : DBNull.Value;

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTimestamp(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
