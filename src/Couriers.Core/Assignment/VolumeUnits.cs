namespace Couriers.Core.Assignment;

// The engine works in whole milliliters (long) for speed. Package volumes round up and rooms round
// down, so a plan that fits in milliliters also fits in the exact decimal liters.
internal static class VolumeUnits
{
    public const long Unlimited = long.MaxValue;

    private const decimal Cap = 1e15m;

    public static long PackageMilliliters(decimal volumeM3) =>
        (long)Math.Clamp(decimal.Ceiling(volumeM3 * 1_000_000m), 0m, Cap);

    public static long RoomMilliliters(decimal? roomLiters) =>
        roomLiters is { } liters ? (long)Math.Clamp(decimal.Floor(liters * 1_000m), 0m, Cap) : Unlimited;

    public static decimal Liters(long milliliters) => milliliters / 1_000m;
}
