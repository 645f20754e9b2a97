using Couriers.Core.Deliveries;

namespace Couriers.Core.Tests;

internal static class TestPackages
{
    // A package that every generated rule template accepts, to vary one field at a time.
    public static Package Plain(string id = "p1", decimal volumeM3 = 0.6m) => new(
        PackageId: id,
        WeightKg: 5m,
        IsPerishable: false,
        IsExpress: true,
        IsFragile: true,
        Region: Region.North,
        DistanceKm: 10m,
        HazmatClass: null,
        TemperatureC: 5m,
        DeliveryHour: 10,
        VolumeM3: volumeM3);
}
