namespace Couriers.Core.Tests.Assignment;

// A clock that moves one second every time it is read, so a time budget runs out without waiting.
internal sealed class SteppingTimeProvider : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => 1_000;

    public override long GetTimestamp() => _ticks += 1_000;
}
