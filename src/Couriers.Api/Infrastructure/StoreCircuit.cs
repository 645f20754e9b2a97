namespace Couriers.Api.Infrastructure;

/// <summary>
/// A circuit breaker over the store. After <see cref="FailureThreshold"/> store failures in a row it
/// opens for <see cref="OpenFor"/>: requests are answered 503 with Retry-After at once instead of each
/// waiting out the SDK's retries against a store that is down. After that, requests go through again,
/// and the next store failure reopens it at once (the failure count is only reset by a success).
/// </summary>
public sealed class StoreCircuit(TimeProvider clock)
{
    public const int FailureThreshold = 5;
    public static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private int _consecutiveFailures;
    private DateTimeOffset _openUntil = DateTimeOffset.MinValue;

    /// <summary>Seconds until the store may be tried again; 0 when requests may go through.</summary>
    public int SecondsUntilRetry()
    {
        lock (_gate)
        {
            var left = _openUntil - clock.GetUtcNow();
            if (left <= TimeSpan.Zero) return 0;
            return (int)Math.Ceiling(left.TotalSeconds);
        }
    }

    public void RecordFailure()
    {
        lock (_gate)
        {
            if (++_consecutiveFailures >= FailureThreshold) _openUntil = clock.GetUtcNow() + OpenFor;
        }
    }

    public void RecordSuccess()
    {
        lock (_gate)
        {
            _consecutiveFailures = 0;
            _openUntil = DateTimeOffset.MinValue;
        }
    }
}
