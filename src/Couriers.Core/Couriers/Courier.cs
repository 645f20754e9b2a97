namespace Couriers.Core.Couriers;

/// <summary>
/// A courier (also a driver) and its room. Capacity is in liters. Only <see cref="MaxCapacity"/>,
/// <see cref="DeclaredLoad"/> and <see cref="ReservedCapacity"/> are stored; used and available
/// room are derived so they can never disagree with the reservations behind them.
/// </summary>
public sealed record Courier(
    string Id,
    decimal? MaxCapacity,
    decimal DeclaredLoad,
    decimal ReservedCapacity,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Untracked load a client declared plus the volume of active reservations.</summary>
    public decimal UsedCapacity => DeclaredLoad + ReservedCapacity;

    /// <summary>Null for a driver without a vehicle limit: it has unlimited room.</summary>
    public decimal? AvailableCapacity => MaxCapacity is { } max ? Math.Max(0m, max - UsedCapacity) : null;

    public bool HasRoomFor(decimal volume) => AvailableCapacity is not { } available || available >= volume;
}
