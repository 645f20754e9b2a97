using System.ComponentModel.DataAnnotations;
using Couriers.Api.Infrastructure;
using Couriers.Api.Infrastructure.Json;
using Couriers.Core.Deliveries;

namespace Couriers.Api.Packages;

// A package in the rules.py shape (volume in m³, at most whole milliliters), plus an optional
// destination the rules do not test. The bounds are the domain's (Package).
internal sealed record PackageRequest(
    Id PackageId,
    [property: Between(0, (double)Package.MaxWeightKg, ExclusiveMinimum = true)] decimal WeightKg,
    bool IsPerishable,
    bool IsExpress,
    bool IsFragile,
    [property: OneOf("north", "east", "south", "west", IgnoreCase = true)] string Region,
    [property: Between(0, (double)Package.MaxDistanceKm)] decimal DistanceKm,
    [property: Between((double)Package.MinTemperatureC, (double)Package.MaxTemperatureC)] decimal TemperatureC,
    [property: Between(Package.MinDeliveryHour, Package.MaxDeliveryHour)] int DeliveryHour,
    [property: Between(0, (double)Package.MaxVolumeM3, ExclusiveMinimum = true, MaxDecimals = 6)] decimal VolumeM3,
    [property: Between(Package.MinHazmatClass, Package.MaxHazmatClass)] int? HazmatClass = null,
    [property: MaxCharacters(512)] string? DestinationAddress = null) : IExampleBody<PackageRequest>
{
    public static PackageRequest Example => new(new Id("pkg_1"), 5m, false, true, false, "north", 12.5m, 20m, 10, 0.1m);

    public Package ToPackage()
    {
        Regions.TryParse(Region, out var region);
        return new Package(PackageId, WeightKg, IsPerishable, IsExpress, IsFragile, region, DistanceKm, HazmatClass,
            TemperatureC, DeliveryHour, VolumeM3, DestinationAddress);
    }
}

// POST /packages: a day's packages, applied all or nothing.
[Configured(nameof(LimitsOptions.MaxPackagesPerBatch))]
internal sealed class PackageBatch : List<PackageRequest>, IExampleBody<PackageBatch>, IValidatableObject
{
    public static PackageBatch Example => [PackageRequest.Example];

    public IEnumerable<ValidationResult> Validate(ValidationContext context) =>
        Limited.Batch(context, this, p => p.PackageId, "package_id");
}
