using Microsoft.Data.Sqlite;

namespace Couriers.Storage.Embedded;

/// <summary>Opens connections to one database file and keeps its schema current.</summary>
internal sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteDatabase(SqliteOptions options)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
        // busy_timeout lets writers of several processes (service instances on one file) queue
        // instead of failing; synchronous is per connection, so it is set on every open.
        _pragmas = $"PRAGMA busy_timeout = 10000; PRAGMA synchronous = {options.Synchronous};";
        Migrate();
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = _pragmas;
        pragma.ExecuteNonQuery();
        return connection;
    }

    private void Migrate()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(command.ExecuteScalar());
        for (var next = version; next < SqliteSchema.Migrations.Count; next++)
        {
            using var transaction = connection.BeginTransaction();
            using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = SqliteSchema.Migrations[next] + $"\nPRAGMA user_version = {next + 1};";
            migrate.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
