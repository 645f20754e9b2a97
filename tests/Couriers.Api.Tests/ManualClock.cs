namespace Couriers.Api.Tests;

/// <summary>A clock the test moves by hand, so time-based behaviour is tested without waiting.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
