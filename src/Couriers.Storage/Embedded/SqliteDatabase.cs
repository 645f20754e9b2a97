using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Couriers.Core;
using Couriers.Core.Lookup;
using Microsoft.Data.Sqlite;
using static Couriers.Storage.Embedded.SqliteRows;

namespace Couriers.Storage.Embedded;

// Opens connections to one database file, keeps its schema current, commits writes in groups and
// keeps the capacity index in step with every commit.
internal sealed class SqliteDatabase : ICapacityFeedSource, IDisposable
{
    // Enough to share one fsync among every Dispatcher client waiting, few enough that a group's
    // first caller does not wait long for its last one.
    private const int MaxGroup = 128;
    private const long MapBytes = 1L << 30;

    // The writer's page cache holds what a large transaction (an /assign of 50,000 packages) dirties,
    // so SQLite need not spill pages to the log before the commit.
    private const string WriterPragmas = "PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY; " + WalCheckpointer.WriterPragma;

    // A probe reads a page or two after each commit. SQLite drops a connection's whole memory map when another
    // connection committed since its last read, so a mapped probe paid an munmap, an mmap and page faults each time.
    private const string ProbePragmas = "PRAGMA mmap_size = 0;";

    private readonly string _connectionString;
    private readonly string _pragmas;
    // A synchronous continuation wakes the writer from the caller's thread, not through a pool thread first.
    private readonly Channel<GroupedWrite> _queue = Channel.CreateUnbounded<GroupedWrite>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Thread _writer;
    private readonly SqliteIndexFeed _index;
    private readonly WalCheckpointer _checkpoints;
    private readonly ConcurrentBag<ChangeProbe> _probes = [];
    private readonly CommitSignal? _commits;
    private StrongBox<CommitStamp>? _queried;
    private long _compactedTo;
    private bool _disposed;

    public SqliteDatabase(SqliteOptions options, ICapacityFeed index)
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
        // Pages are read through a memory map rather than a read call each.
        _pragmas = $"PRAGMA busy_timeout = 10000; PRAGMA synchronous = {options.Synchronous}; PRAGMA mmap_size = {MapBytes};";
        Migrate();
        _index = new SqliteIndexFeed(index);
        using (var db = Open()) _index.CatchUp(db);
        _checkpoints = new WalCheckpointer(() => Open());
        _commits = CommitSignal.TryOpen(options.Path, () => Open());
        // A thread of its own: the writer blocks in SQLite and in fsync, which must not hold a pool thread that serves requests.
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "sqlite-group-commit" };
        _writer.Start();
    }

    // Test seam: runs inside each group's transaction just before it ends, by COMMIT or by the rollback of a refused bulk write (a failing disk, a kill).
    internal Action? BeforeCommit { get; set; }

    // Runs work inside an IMMEDIATE transaction, which takes SQLite's write lock up
    // front, so a check-then-write inside it cannot interleave with another writer, in this process or
    // another one. Writes waiting together share one transaction and one fsync (group commit), each in
    // its own savepoint; the task completes only once the commit holding it is durable, and fails if
    // that commit fails. keep false rolls this work back alone (an all-or-nothing
    // batch that found a conflict) and still returns its result. A bulk write (a batch
    // load, an /assign commit) commits in a group of its own, so its size and its fate are its own.
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken ct, Func<T, bool>? keep = null,
        bool bulk = false)
    {
        ct.ThrowIfCancellationRequested();
        var write = new GroupedWrite<T>(work, keep, bulk, ct);
        if (!_queue.Writer.TryWrite(write)) throw new ObjectDisposedException(nameof(SqliteDatabase));
        return write.Task;
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

    // Before a lookup: if the file holds a courier change the index has not applied (another process
    // committed it; this process applies its own before acknowledging them), apply it now.
    public void CatchUp()
    {
        // Nothing committed anywhere since the last query: the index holds every change.
        var stamp = _commits?.Current();
        if (stamp is { } now && Volatile.Read(ref _queried) is { } queried && queried.Value == now) return;
        // Each concurrent lookup takes a probe of its own (a connection with the query prepared), so they never queue.
        var probe = _probes.TryTake(out var idle) ? idle : new ChangeProbe(Open(ProbePragmas));
        try
        {
            if (probe.Newest() > _index.Applied) _index.CatchUp(probe.Connection);
            if (stamp is { } seen) Volatile.Write(ref _queried, new StrongBox<CommitStamp>(seen));
            if (!Volatile.Read(ref _disposed)) _probes.Add(probe);
            else probe.Dispose();
        }
        catch (SqliteException e)
        {
            probe.Dispose();
            if (IsTransient(e)) throw new StoreUnavailableException("The embedded store did not answer the read.", e);
            throw;
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _queue.Writer.TryComplete();
        _writer.Join(TimeSpan.FromSeconds(30));
        _checkpoints.Dispose();
        while (_probes.TryTake(out var probe)) probe.Dispose();
        _commits?.Dispose();
    }

    private void WriteLoop()
    {
        SqliteConnection? db = null;
        var group = new List<GroupedWrite>(MaxGroup);
        try
        {
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                group.Clear();
                while (group.Count < MaxGroup && _queue.Reader.TryPeek(out var next) && !(next.Bulk && group.Count > 0))
                {
                    _queue.Reader.TryRead(out var write);
                    if (write!.Cancelled) write.Cancel();
                    else group.Add(write);
                    if (write.Bulk) break;
                }
                if (group.Count == 0) continue;
                try
                {
                    db ??= SqliteRows.WithStatementCache(Open(WriterPragmas));
                    Commit(db, group);
                }
                catch (Exception e)
                {
                    // The commit failed, or the transaction died under one write: none of the group is durable.
                    var failure = Translate(e, "The embedded store did not complete the write.");
                    foreach (var write in group) write.Fail(failure);
                    db?.Dispose();
                    db = null;
                }
            }
        }
        finally
        {
            db?.Dispose();
        }
    }

    private void Commit(SqliteConnection db, List<GroupedWrite> group)
    {
        // A bulk write is alone in its group and needs no savepoint: the transaction is its own. Inside a savepoint
        // holding thousands of changed pages, each later statement cost SQLite 15-20 times more (measured: the
        // 1,000 courier updates of an /assign commit took 160-250 ms instead of 10).
        var alone = group is [{ Bulk: true }];
        using (var tx = db.BeginTransaction(deferred: false))
        {
            var kept = false;
            foreach (var write in group) kept |= Run(db, tx, write, savepoint: !alone);
            BeforeCommit?.Invoke();
            if (alone && !kept)
            {
                tx.Rollback();
            }
            else
            {
                CompactChanges(db, tx);
                tx.Commit();
            }
        }
        _checkpoints.Committed();
        try
        {
            // Committed: the index reflects the group before any of it is acknowledged.
            _index.CatchUp(db);
        }
        catch (SqliteException)
        {
            // The group is durable and is acknowledged; the next lookup finds the changes not yet applied and applies them.
        }
        foreach (var write in group) write.Complete();
        _checkpoints.FinishIfWanted(db);
    }

    // Runs one write; false when it was refused or failed alone (rolled back to its savepoint, if it has one).
    // The savepoint statements stay prepared on the writer's connection: SqliteTransaction.Save and Release
    // prepare theirs anew each time, two of every reservation's statements.
    private static bool Run(SqliteConnection db, SqliteTransaction tx, GroupedWrite write, bool savepoint)
    {
        if (savepoint) Execute(db, tx, "SAVEPOINT w");
        try
        {
            var keep = write.Run(db, tx);
            if (savepoint && !keep) Execute(db, tx, "ROLLBACK TO w");
            if (savepoint) Execute(db, tx, "RELEASE w");
            return keep;
        }
        catch (Exception e) when (!TransactionEnded(db))
        {
            // This write alone fails; the others in its group go on.
            if (savepoint)
            {
                Execute(db, tx, "ROLLBACK TO w");
                Execute(db, tx, "RELEASE w");
            }
            write.Reject(Translate(e, "The embedded store did not complete the write."));
            return false;
        }
    }

    private void CompactChanges(SqliteConnection db, SqliteTransaction tx)
    {
        var applied = _index.Applied;
        if (applied - _compactedTo < SqliteIndexFeed.Kept / 4) return;
        SqliteRows.Execute(db, tx, "DELETE FROM courier_changes WHERE seq <= $upTo", ("$upTo", applied - SqliteIndexFeed.Kept));
        _compactedTo = applied;
    }

    private static bool TransactionEnded(SqliteConnection db) => SQLitePCL.raw.sqlite3_get_autocommit(db.Handle) != 0;

    private static Exception Translate(Exception e, string message) =>
        e is SqliteException sqlite && IsTransient(sqlite) ? new StoreUnavailableException(message, e) : e;

    // Busy, locked, I/O, full disk, cannot open: worth a retry (503). Anything else (a constraint, a
    // corrupt file) is a bug or needs a person, and must not tell clients to retry forever.
    private static bool IsTransient(SqliteException e) => (e.SqliteErrorCode & 0xFF) is 5 or 6 or 10 or 13 or 14;

    private sealed class ChangeProbe(SqliteConnection connection) : IDisposable
    {
        private readonly SqliteCommand _newest = Prepared(connection, "SELECT COALESCE(MAX(seq), 0) FROM courier_changes");

        public SqliteConnection Connection => connection;

        public long Newest() => (long)_newest.ExecuteScalar()!;

        public void Dispose()
        {
            _newest.Dispose();
            connection.Dispose();
        }

        private static SqliteCommand Prepared(SqliteConnection db, string sql)
        {
            var command = db.CreateCommand();
            command.CommandText = sql;
            return command;
        }
    }

    private SqliteConnection Open(string extraPragmas = "")
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = _pragmas + extraPragmas;
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
