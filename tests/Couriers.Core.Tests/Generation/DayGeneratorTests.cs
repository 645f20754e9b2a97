using System.Text.Json;
using Couriers.Core.Deliveries;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Core.Tests.Generation;

public sealed class DayGeneratorTests
{
    private static readonly GeneratedDay Large = DayGenerator.Generate(new DayGeneratorOptions { Seed = 7, DriverCount = 2_000, PackageCount = 20_000 });

    [Fact]
    public void SameSeedGivesAnIdenticalDay()
    {
        var options = DayGeneratorOptions.ReferenceDay(42) with { MaxCapacityLiters = (1_000m, 5_000m) };
        var first = DayGenerator.Generate(options);
        var second = DayGenerator.Generate(options);

        Assert.Equal(first.Packages, second.Packages);
        Assert.Equal(Describe(first), Describe(second));
    }

    [Fact]
    public void DifferentSeedsGiveDifferentDays()
    {
        var a = DayGenerator.Generate(DayGeneratorOptions.ReferenceDay(1));
        var b = DayGenerator.Generate(DayGeneratorOptions.ReferenceDay(2));

        Assert.NotEqual(a.Packages.Select(p => p.PackageId), b.Packages.Select(p => p.PackageId));
    }

    [Fact]
    public void ReferenceDayMakesNinetyNineDriversWithZeroToTwoRulesAndTenPackagesEach()
    {
        var day = DayGenerator.Generate(DayGeneratorOptions.ReferenceDay(3));

        Assert.Equal(Enumerable.Range(1, 99).Select(i => $"driver_{i}"), day.Drivers.Select(d => d.Id));
        Assert.Equal(990, day.Packages.Count);
        Assert.All(day.Drivers, d => Assert.InRange(d.Rules.Count, 0, 2));
        Assert.All(day.Drivers, d => Assert.Null(d.MaxCapacityLiters));
    }

    [Fact]
    public void PackageIdsAreDistinctVersionFourUuids()
    {
        Assert.Equal(Large.Packages.Count, Large.Packages.Select(p => p.PackageId).Distinct().Count());
        Assert.All(Large.Packages.Take(500), p =>
        {
            Assert.True(Guid.TryParseExact(p.PackageId, "D", out _));
            Assert.Equal('4', p.PackageId[14]);
            Assert.Contains(p.PackageId[19], "89ab");
        });
    }

    [Fact]
    public void PackageFieldsStayWithinTheirRangesAndPrecision()
    {
        Assert.All(Large.Packages, p =>
        {
            Assert.InRange(p.WeightKg, 0.5m, 20m);
            Assert.Equal(p.WeightKg, Math.Round(p.WeightKg, 2));
            Assert.InRange(p.DistanceKm, 1m, 100m);
            Assert.Equal(p.DistanceKm, Math.Round(p.DistanceKm, 2));
            Assert.InRange(p.TemperatureC, -5m, 25m);
            Assert.Equal(p.TemperatureC, Math.Round(p.TemperatureC, 1));
            Assert.InRange(p.VolumeM3, 0.1m, 3.0m);
            Assert.Equal(p.VolumeM3, Math.Round(p.VolumeM3, 2));
            Assert.InRange(p.DeliveryHour, 0, 23);
            Assert.True(p.HazmatClass is null or (>= 1 and <= 4));
        });
    }

    [Fact]
    public void DistributionsAreRoughlyUniformOnALargeSample()
    {
        var n = (double)Large.Packages.Count;
        Assert.InRange(Large.Packages.Count(p => p.IsPerishable) / n, 0.48, 0.52);
        Assert.InRange(Large.Packages.Count(p => p.IsExpress) / n, 0.48, 0.52);
        Assert.InRange(Large.Packages.Count(p => p.IsFragile) / n, 0.48, 0.52);
        foreach (var region in Regions.All)
        {
            Assert.InRange(Large.Packages.Count(p => p.Region == region) / n, 0.23, 0.27);
        }

        foreach (int? hazmat in new int?[] { null, 1, 2, 3, 4 })
        {
            Assert.InRange(Large.Packages.Count(p => p.HazmatClass == hazmat) / n, 0.18, 0.22);
        }

        Assert.InRange(Large.Packages.Average(p => p.WeightKg), 10.0m, 10.5m);
        Assert.InRange(Large.Packages.Average(p => p.DistanceKm), 49.5m, 51.5m);
        Assert.InRange(Large.Packages.Average(p => p.TemperatureC), 9.5m, 10.5m);
        Assert.InRange(Large.Packages.Average(p => p.VolumeM3), 1.50m, 1.60m);
        Assert.InRange(Large.Packages.Average(p => p.DeliveryHour), 11.2, 11.8);
        Assert.Equal(24, Large.Packages.Select(p => p.DeliveryHour).Distinct().Count());
    }

    [Fact]
    public void DriversGetDistinctTemplatesWithinTheRuleCountRange()
    {
        Assert.All(Large.Drivers, d =>
        {
            Assert.InRange(d.Rules.Count, 2, 4);
            Assert.Equal(d.Rules.Count, d.Rules.Select(r => r.Code).Distinct().Count());
            Assert.Equal(Enumerable.Range(1, d.Rules.Count).Select(i => $"r{i}"), d.Rules.Select(r => r.RuleId));
        });
        var counts = Large.Drivers.GroupBy(d => d.Rules.Count).ToDictionary(g => g.Key, g => g.Count() / (double)Large.Drivers.Count);
        Assert.All(counts.Values, share => Assert.InRange(share, 0.28, 0.39));
        Assert.Equal(10, Large.Drivers.SelectMany(d => d.Rules).Select(r => r.Code).Distinct().Count());
    }

    [Fact]
    public void TemplatesCarryTheFixedParamsAndRandomRegionAndHazmatChoices()
    {
        var rules = Large.ParseDrivers().SelectMany(d => d.Rules).ToList();

        Assert.All(rules.OfType<MaxWeightRule>(), r => Assert.Equal(10m, r.LimitKg));
        Assert.All(rules.OfType<MaxDistanceRule>(), r => Assert.Equal(50m, r.MaxKm));
        Assert.All(rules.OfType<TempControlRule>(), r => Assert.Equal((2m, 8m), (r.MinC, r.MaxC)));
        Assert.All(rules.OfType<TimeWindowRule>(), r => Assert.Equal((8, 17), (r.StartHour, r.EndHour)));
        Assert.All(rules.OfType<OversizedRule>(), r => Assert.Equal(0.5m, r.MinVolumeM3));
        Assert.All(rules.OfType<RegionOnlyRule>(), r => Assert.Equal(2, r.AllowedRegions.Count));
        Assert.All(rules.OfType<HazmatAllowedRule>(), r => Assert.InRange(r.AllowedClasses.Count, 1, 2));
        Assert.Equal(6, rules.OfType<RegionOnlyRule>().Select(r => r.SignatureKey).Distinct().Count());
        Assert.Equal(10, rules.OfType<HazmatAllowedRule>().Select(r => r.SignatureKey).Distinct().Count());
    }

    [Fact]
    public void EveryGeneratedRuleParsesThroughTheRegistry()
    {
        Assert.All(Large.Drivers.SelectMany(d => d.Rules), spec => Assert.True(RuleRegistry.Parse(spec).IsValid));
    }

    [Fact]
    public void MaxCapacityRangeGivesWholeLitersWithinTheRange()
    {
        var day = DayGenerator.Generate(new DayGeneratorOptions { Seed = 5, DriverCount = 500, MaxCapacityLiters = (20_000m, 40_000m) });

        Assert.All(day.Drivers, d =>
        {
            Assert.InRange(d.MaxCapacityLiters!.Value, 20_000m, 40_000m);
            Assert.Equal(decimal.Truncate(d.MaxCapacityLiters.Value), d.MaxCapacityLiters.Value);
        });
    }

    [Fact]
    public void GeneratorRefusesARuleRangeBeyondTheTemplates()
    {
        Assert.Throws<ArgumentException>(() => DayGenerator.Generate(new DayGeneratorOptions { MinRules = 3, MaxRules = 2 }));
        Assert.Throws<ArgumentException>(() => DayGenerator.Generate(new DayGeneratorOptions { MaxRules = 11 }));
    }

    private static string Describe(GeneratedDay day) => JsonSerializer.Serialize(
        day.Drivers.Select(d => new { d.Id, d.MaxCapacityLiters, Rules = d.Rules.Select(r => new { r.RuleId, r.Code, Params = r.Params.GetRawText() }) }));
}
