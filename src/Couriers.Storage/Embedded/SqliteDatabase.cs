using Couriers.Core;
using Microsoft.Data.Sqlite;

namespace Couriers.Storage.Embedded;

/// <summary>Opens connections to one database file and keeps its schema current.</summary>
internal sealed class SqliteDatabase
{
    // One in-process writer at a time: the file lock would serialize writers anyway, and waiting
    // here is cheaper than spinning on SQLITE_BUSY.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
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

    /// <summary>
    /// Runs one IMMEDIATE transaction: SQLite's write lock is taken up front, so a check-then-write
    /// inside it cannot interleave with another writer, in this process or another one.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            using var db = Open();
            using var tx = db.BeginTransaction(deferred: false);
            var result = work(db, tx);
            // Work may roll back itself (an all-or-nothing batch that found a conflict).
            if (tx.Connection is not null) tx.Commit();
            return result;
        }
        catch (SqliteException e) when (IsTransient(e))
        {
            throw new StoreUnavailableException("The embedded store did not complete the write.", e);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public Task<T> ReadAsync<T>(Func<SqliteConnection, T> work, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            using var db = Open();
            return Task.FromResult(work(db));
        }
        catch (SqliteException e) when (IsTransient(e))
        {
            throw new StoreUnavailableException("The embedded store did not answer the read.", e);
        }
    }

    /// <summary>
    /// Busy, locked, I/O, full disk, cannot open: worth a retry (503). Anything else (a constraint, a
    /// corrupt file) is a bug or needs a person, and must not tell clients to retry forever.
    /// </summary>
    private static bool IsTransient(SqliteException e) => (e.SqliteErrorCode & 0xFF) is 5 or 6 or 10 or 13 or 14;

    private SqliteConnection Open()
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
        // The version is read inside the write transaction, so two instances starting on a fresh file
        // cannot both run the same migration.
        using var transaction = connection.BeginTransaction(deferred: false);
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(command.ExecuteScalar());
        for (var next = version; next < SqliteSchema.Migrations.Count; next++)
        {
            command.CommandText = SqliteSchema.Migrations[next] + $"\nPRAGMA user_version = {next + 1};";
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
