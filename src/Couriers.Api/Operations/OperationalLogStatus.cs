namespace Couriers.Api.Operations;

// The operational log's counters: what was recorded, dropped, shipped and failed. Served at
// GET /health/operational-log, published as metrics (couriers.operational_log.*, Telemetry/StateGauges),
// and awaitable, so a test waits for a count instead of sleeping.
internal sealed class OperationalLogStatus
{
    private static readonly TimeSpan RecentLoss = TimeSpan.FromMinutes(5);
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = NewSignal();
    private long _recorded, _dropped, _shipped, _failed, _batches, _retries, _consecutiveFailures;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt, _lastShippedAt, _lastLossAt;

    public OperationalLogStatus(TimeProvider clock)
    {
        _clock = clock;
    }

    public sealed record Snapshot(
        long Recorded, long Dropped, long Shipped, long Failed, long BatchesShipped, long Retries,
        long ConsecutiveFailures, string? LastError, DateTimeOffset? LastErrorAt, DateTimeOffset? LastShippedAt, DateTimeOffset? LastLossAt)
    {
        /// <summary>Recorded events neither shipped nor failed yet: queued or in a batch being sent.</summary>
        public long Pending => Recorded - Shipped - Failed;
    }

    public Snapshot Current()
    {
        lock (_gate)
        {
            return new(Interlocked.Read(ref _recorded), Interlocked.Read(ref _dropped), _shipped, _failed, _batches, _retries,
                _consecutiveFailures, _lastError, _lastErrorAt, _lastShippedAt, _lastLossAt);
        }
    }

    /// <summary>True while the sink fails, and for five minutes after an event was lost.</summary>
    public bool IsDegraded(out string reason)
    {
        var now = Current();
        reason = now.ConsecutiveFailures > 0 ? $"shipping is failing: {now.LastError}"
            : now.LastLossAt is { } at && _clock.GetUtcNow() - at < RecentLoss ? $"{now.Dropped} dropped and {now.Failed} failed events, the last at {at:O}"
            : "";
        return reason.Length > 0;
    }

    /// <summary>Completes when <paramref name="until"/> holds for the counters (checked after every change).</summary>
    public async Task<Snapshot> WaitAsync(Func<Snapshot, bool> until, CancellationToken ct)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed);
            var now = Current();
            if (until(now)) return now;
            await changed.Task.WaitAsync(ct);
        }
    }

    internal void Recorded() => Interlocked.Increment(ref _recorded);

    /// <summary>An event counted as recorded could not be queued after all.</summary>
    internal long Dropped()
    {
        Interlocked.Decrement(ref _recorded);
        var dropped = Interlocked.Increment(ref _dropped);
        lock (_gate) _lastLossAt = _clock.GetUtcNow();
        Signal();
        return dropped;
    }

    internal void Shipped(int events)
    {
        lock (_gate)
        {
            _shipped += events;
            _batches++;
            _consecutiveFailures = 0;
            _lastShippedAt = _clock.GetUtcNow();
        }
        Signal();
    }

    internal void AttemptFailed(Exception error, bool willRetry)
    {
        lock (_gate)
        {
            _consecutiveFailures++;
            if (willRetry) _retries++;
            _lastError = $"{error.GetType().Name}: {error.Message}";
            _lastErrorAt = _clock.GetUtcNow();
        }
        Signal();
    }

    internal void Failed(int events)
    {
        lock (_gate)
        {
            _failed += events;
            _lastLossAt = _clock.GetUtcNow();
        }
        Signal();
    }

    private void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
