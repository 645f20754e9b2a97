using Microsoft.Data.Sqlite;

namespace Couriers.Storage.Embedded;

// Copies committed pages from the write-ahead log into the database file on a thread of its own. SQLite
// otherwise does it inside the commit that crosses 1,000 logged pages, so that commit's writers wait for
// the copy and a second fsync: an /assign commit of 50,000 packages waited twice as long, and the
// reservations of the unlucky group as well. Commits stay durable in the log either way.
internal sealed class WalCheckpointer : IDisposable
{
    // The writer's connection leaves checkpoints to this thread.
    public const string WriterPragma = "PRAGMA wal_autocheckpoint = 0;";

    // At most a few checkpoints a second, each with an fsync of the database file, however fast commits come.
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    private readonly Func<SqliteConnection> _open;
    private readonly AutoResetEvent _committed = new(false);
    private readonly ManualResetEvent _stopping = new(false);
    private readonly Thread _thread;

    public WalCheckpointer(Func<SqliteConnection> open)
    {
        _open = open;
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-checkpoint" };
        _thread.Start();
    }

    // A group was committed: its pages are in the log.
    public void Committed() => _committed.Set();

    public void Dispose()
    {
        _stopping.Set();
        _thread.Join(TimeSpan.FromSeconds(30));
        _committed.Dispose();
        _stopping.Dispose();
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
                    using var command = db.CreateCommand();
                    // PASSIVE: copies what no reader still needs and never blocks the writer or a reader.
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    command.ExecuteNonQuery();
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
