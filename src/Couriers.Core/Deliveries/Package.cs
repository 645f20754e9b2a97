namespace Couriers.Core.Deliveries;

/// <summary>
/// A package in the shape of the logistics centre's day generator output, plus optional richer metadata
/// (the destination) that rules do not test but drivers need.
/// </summary>
public sealed record Package(
    string PackageId,
    decimal WeightKg,
    bool IsPerishable,
    bool IsExpress,
    bool IsFragile,
    Region Region,
    decimal DistanceKm,
    int? HazmatClass,
    decimal TemperatureC,
    int DeliveryHour,
    decimal VolumeM3,
    string? DestinationAddress = null)
{
    public const decimal MaxWeightKg = 10_000m;
    public const decimal MaxDistanceKm = 40_000m;
    public const decimal MinTemperatureC = -100m;
    public const decimal MaxTemperatureC = 100m;
    public const decimal MaxVolumeM3 = 1_000m;
    public const int MinHazmatClass = 1;
    public const int MaxHazmatClass = 4;
    public const int MinDeliveryHour = 0;
    public const int MaxDeliveryHour = 23;

    public decimal VolumeLiters => VolumeM3 * 1000m;
}
