using Microsoft.Data.Sqlite;

namespace Couriers.Storage.Embedded;

// One caller's write waiting for the writer loop: its work, and the task the caller awaits.
internal abstract class GroupedWrite
{
    public abstract bool Cancelled { get; }

    // Commits in a group of its own.
    public abstract bool Bulk { get; }

    // Runs the work in the open transaction; false when it asked to be rolled back (its savepoint).
    public abstract bool Run(SqliteConnection db, SqliteTransaction tx);

    // The work failed alone; reported once its group is decided.
    public abstract void Reject(Exception error);

    // The group's commit is durable: answer the caller (with its result or its own failure).
    public abstract void Complete();

    // The group's commit failed: nothing of it is stored.
    public abstract void Fail(Exception error);

    public abstract void Cancel();
}

internal sealed class GroupedWrite<T>(Func<SqliteConnection, SqliteTransaction, T> work, Func<T, bool>? keep, bool bulk, CancellationToken ct)
    : GroupedWrite
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private Exception? _error;

    public Task<T> Task => _done.Task;

    public override bool Cancelled => ct.IsCancellationRequested;

    public override bool Bulk => bulk;

    public override bool Run(SqliteConnection db, SqliteTransaction tx)
    {
        _result = work(db, tx);
        return keep?.Invoke(_result) ?? true;
    }

    public override void Reject(Exception error) => _error = error;

    public override void Complete()
    {
        if (_error is not null) _done.TrySetException(_error);
        else _done.TrySetResult(_result!);
    }

    public override void Fail(Exception error) => _done.TrySetException(error);

    public override void Cancel() => _done.TrySetCanceled(ct);
}
