namespace Couriers.Storage;

// Exponential backoff with full jitter (a random delay up to the exponential cap), so writers that
// failed together do not retry together. The DynamoDB adapter and the log shipper both wait this way.
public static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan cap)
    {
        var ceiling = Math.Min(cap.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
