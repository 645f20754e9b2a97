using System.Text.Json;
using Couriers.Api.Infrastructure;
using Couriers.Core.Deliveries;

namespace Couriers.Api.Packages;

/// <summary>Reads one package in the rules.py shape, naming each bad field by its path ("[3].weight_kg").</summary>
internal static class PackageJson
{
    private const int MaxVolumeDecimals = 6; // m³ to whole milliliters

    public static Package? Read(JsonElement element, string path, Dictionary<string, string[]> errors)
    {
        var f = new JsonFields(element, path, errors);
        var id = f.Id("package_id");
        var weight = Range(f, "weight_kg", 0m, Package.MaxWeightKg, exclusiveMin: true);
        var perishable = f.Boolean("is_perishable");
        var express = f.Boolean("is_express");
        var fragile = f.Boolean("is_fragile");
        var regionName = f.String("region");
        Region region = default;
        if (regionName is not null && !Regions.TryParse(regionName, out region)) f.Fail("region", $"must be one of {Regions.KnownNames}");
        var distance = Range(f, "distance_km", 0m, Package.MaxDistanceKm);
        var hazmat = f.Integer("hazmat_class", Package.MinHazmatClass, Package.MaxHazmatClass, required: false);
        var temperature = Range(f, "temperature_c", Package.MinTemperatureC, Package.MaxTemperatureC);
        var hour = f.Integer("delivery_hour", Package.MinDeliveryHour, Package.MaxDeliveryHour);
        var volume = Range(f, "volume_m3", 0m, Package.MaxVolumeM3, exclusiveMin: true);
        if (volume is { } v && decimal.Round(v, MaxVolumeDecimals) != v) f.Fail("volume_m3", $"must have at most {MaxVolumeDecimals} decimal places");
        var address = f.String("destination_address", required: false);
        f.RejectUnknown();

        return f.IsValid
            ? new Package(id!, weight!.Value, perishable!.Value, express!.Value, fragile!.Value, region, distance!.Value, hazmat,
                temperature!.Value, hour!.Value, volume!.Value, address)
            : null;
    }

    private static decimal? Range(JsonFields f, string name, decimal min, decimal max, bool exclusiveMin = false)
    {
        if (f.Number(name) is not { } value) return null;
        if (value < min || (exclusiveMin && value == min) || value > max)
        {
            f.Fail(name, $"must be {(exclusiveMin ? "greater than" : "at least")} {min} and at most {max}");
            return null;
        }
        return value;
    }
}

/// <summary>A package as answered: its attributes, where it is, and with whom.</summary>
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
