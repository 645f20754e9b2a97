using Microsoft.Data.Sqlite;

namespace Couriers.Storage.Embedded;

// Copies committed pages from the write-ahead log into the database file on a thread of its own. SQLite
// otherwise does it inside the commit that crosses 1,000 logged pages, so that commit's writers wait for
// the copy and a second fsync: an /assign commit of 50,000 packages waited twice as long, and the
// reservations of the unlucky group as well. Commits stay durable in the log either way.
// SQLite starts the log over only once a checkpoint has copied all of it, which never happens here while
// writes go on (they land while this thread copies): the log reached 400 MB after 20 s of reservations. So
// after a pass over a long log, the writer copies what landed meanwhile between two groups, when nothing
// can land, and the next commit starts the log over.
internal sealed class WalCheckpointer : IDisposable
{
    // The writer's connection leaves checkpoints to this thread.
    public const string WriterPragma = "PRAGMA wal_autocheckpoint = 0;";

    // A log this long (4 MiB) is worth starting over; a shorter one is not worth a pause of the writer.
    private const long RestartFrames = 1024;

    // At most a few checkpoints a second, each with an fsync of the database file, however fast commits come.
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    private readonly Func<SqliteConnection> _open;
    private readonly AutoResetEvent _committed = new(false);
    private readonly ManualResetEvent _stopping = new(false);
    private readonly Thread _thread;
    private int _finishWanted;

    public WalCheckpointer(Func<SqliteConnection> open)
    {
        _open = open;
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-checkpoint" };
        _thread.Start();
    }

    // A group was committed: its pages are in the log.
    public void Committed() => _committed.Set();

    // Called by the writer between groups: copies what the last pass left behind, so the next commit starts the log over.
    public void FinishIfWanted(SqliteConnection writer)
    {
        if (Interlocked.Exchange(ref _finishWanted, 0) == 0) return;
        try
        {
            CheckpointPassive(writer);
        }
        catch (SqliteException)
        {
            // The log stays as it is; a later pass asks again.
        }
    }

    public void Dispose()
    {
        _stopping.Set();
        _thread.Join(TimeSpan.FromSeconds(30));
        _committed.Dispose();
        _stopping.Dispose();
    }

    // PASSIVE: copies what no reader still needs and never blocks the writer or a reader. Returns the
    // frames in the log.
    private static long CheckpointPassive(SqliteConnection db)
    {
        using var command = db.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetInt64(1) : 0;
    }

    private void Run()
    {
        SqliteConnection? db = null;
        var events = new WaitHandle[] { _stopping, _committed };
        try
        {
            while (WaitHandle.WaitAny(events) == 1)
            {
                try
                {
                    db ??= _open();
                    if (CheckpointPassive(db) >= RestartFrames) Volatile.Write(ref _finishWanted, 1);
                }
                catch (SqliteException)
                {
                    // A busy or failing disk: the pages stay in the log, which readers use, and the next commit tries again.
                    db?.Dispose();
                    db = null;
                }
                if (_stopping.WaitOne(Pause)) break;
            }
        }
        finally
        {
            db?.Dispose();
        }
    }
}
