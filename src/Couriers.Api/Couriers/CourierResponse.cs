using Couriers.Core.Couriers;

namespace Couriers.Api.Couriers;

// A courier as clients see it. All capacities are liters. used = declared_load + reserved_capacity
// and available = max - used are derived on every read, never stored on their own.
internal sealed record CourierResponse(
    string Id,
    decimal? MaxCapacity,
    decimal? AvailableCapacity,
    decimal UsedCapacity,
    decimal ReservedCapacity,
    decimal DeclaredLoad,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static CourierResponse From(Courier c) => new(
        c.Id, c.MaxCapacity, c.AvailableCapacity, c.UsedCapacity, c.ReservedCapacity, c.DeclaredLoad, c.Version, c.CreatedAt, c.UpdatedAt);
}
