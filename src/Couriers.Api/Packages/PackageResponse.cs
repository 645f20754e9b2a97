using Couriers.Core.Deliveries;

namespace Couriers.Api.Packages;

// A package as answered: its attributes, where it is, and with whom.
internal sealed record PackageResponse(
    string PackageId, decimal WeightKg, bool IsPerishable, bool IsExpress, bool IsFragile, string Region, decimal DistanceKm,
    int? HazmatClass, decimal TemperatureC, int DeliveryHour, decimal VolumeM3, string? DestinationAddress,
    string? Status, string? DriverId, int? FailedAttempts)
{
    public static PackageResponse From(Package p, StoredPackage? stored = null) => new(
        p.PackageId, p.WeightKg, p.IsPerishable, p.IsExpress, p.IsFragile, p.Region.ToWireName(), p.DistanceKm, p.HazmatClass,
        p.TemperatureC, p.DeliveryHour, p.VolumeM3, p.DestinationAddress,
        stored?.Status.ToString().ToLowerInvariant(), stored?.DriverId, stored?.FailedAttempts);
}
