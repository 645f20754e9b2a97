namespace Couriers.Testing;

/// <summary>
/// A clock a test moves by hand, whose timers stay real: the capacity index feed's polls and the log shipper's
/// waits keep running while the test moves "now" past a freshness bound or an open circuit. FakeTimeProvider
/// (used where nothing waits on a timer) would hold those timers until the test advanced it.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
