namespace Couriers.Core.Couriers;

/// <summary>
/// A partial update. <see cref="AvailableCapacity"/> is how a client declares load the service does
/// not track (a parcel picked up outside it): the declared load becomes whatever makes the courier's
/// available room equal the given value, on top of its tracked reservations.
/// </summary>
public sealed record CourierChange(decimal? MaxCapacity, decimal? AvailableCapacity)
{
    public bool IsEmpty => MaxCapacity is null && AvailableCapacity is null;

    public ChangeResult ApplyTo(Courier courier, DateTimeOffset now)
    {
        var max = MaxCapacity ?? courier.MaxCapacity;
        var declared = courier.DeclaredLoad;
        if (AvailableCapacity is { } available)
        {
            if (max is not { } limit)
                return ChangeResult.Refused("available_capacity", "cannot be declared for a courier without max_capacity");
            declared = limit - courier.ReservedCapacity - available;
            if (declared < 0)
                return ChangeResult.Refused("available_capacity",
                    $"cannot exceed max_capacity minus reserved volume ({limit - courier.ReservedCapacity} liters)");
        }
        // Lowering the limit under what is already in the vehicle would overbook it (invariant 1).
        if (max is { } newMax && declared + courier.ReservedCapacity > newMax)
            return ChangeResult.Refused("max_capacity",
                $"cannot be lower than the capacity in use ({declared + courier.ReservedCapacity} liters)");

        return ChangeResult.Applied(courier with
        {
            MaxCapacity = max,
            DeclaredLoad = declared,
            Version = courier.Version + 1,
            UpdatedAt = now,
        });
    }
}

public sealed record ChangeResult(Courier? Updated, string? Field, string? Error)
{
    public static ChangeResult Applied(Courier updated) => new(updated, null, null);
    public static ChangeResult Refused(string field, string error) => new(null, field, error);
}
