using Couriers.Core.Deliveries;

namespace Couriers.Core.Tests.Deliveries;

// Each row: a rule, one field of an otherwise plain package, and whether the rule accepts it.
public sealed class RuleAcceptanceTests
{
    [Theory]
    [InlineData("9.99", true)]
    [InlineData("10", true)]
    [InlineData("10.00", true)]
    [InlineData("10.01", false)]
    [InlineData("20", false)]
    public void MaxWeightAcceptsUpToAndIncludingTheLimit(string weight, bool accepted)
    {
        var rule = TestRules.Parse("MAX_WEIGHT", """{"limit_kg": 10}""");
        Assert.Equal(accepted, rule.Accepts(TestPackages.Plain() with { WeightKg = decimal.Parse(weight) }));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void NoPerishableRefusesOnlyPerishablePackages(bool perishable, bool accepted)
    {
        var rule = TestRules.Parse("NO_PERISHABLE");
        Assert.Equal(accepted, rule.Accepts(TestPackages.Plain() with { IsPerishable = perishable }));
    }

    [Theory]
    [InlineData(Region.North, true)]
    [InlineData(Region.East, true)]
    [InlineData(Region.South, false)]
    [InlineData(Region.West, false)]
    public void RegionOnlyAcceptsListedRegionsOnly(Region region, bool accepted)
    {
        var rule = TestRules.Parse("REGION_ONLY", """{"allowed_regions": ["north", "east"]}""");
        Assert.Equal(accepted, rule.Accepts(TestPackages.Plain() with { Region = region }));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("49.99", true)]
    [InlineData("50", true)]
    [InlineData("50.01", false)]
    [InlineData("100", false)]
    public void MaxDistanceAcceptsUpToAndIncludingTheMaximum(string distance, bool accepted)
    {
        var rule = TestRules.Parse("MAX_DISTANCE", """{"max_km": 50}""");
        Assert.Equal(accepted, rule.Accepts(TestPackages.Plain() with { DistanceKm = decimal.Parse(distance) }));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void ExpressOnlyAcceptsOnlyExpressPackages(bool express, bool accepted)
    {
        var rule = TestRules.Parse("EXPRESS_ONLY");
        Assert.Equal(accepted, rule.Accepts(TestPackages.Plain() with { IsExpress = express }));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void FragileOnlyAcceptsOnlyFragilePackages(bool fragile, bool accepted)
    {
        var rule = TestRules.Parse("FRAGILE_ONLY");
        Assert.Equal(accepted, rule.Accepts(TestPackages.Plain() with { IsFragile = fragile }));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void HazmatAllowedAcceptsNonHazardousAndListedClasses(int? hazmat, bool accepted)
    {
        var rule = TestRules.Parse("HAZMAT_ALLOWED", """{"allowed_classes": [2, 3]}""");
        Assert.Equal(accepted, rule.Accepts(TestPackages.Plain() with { HazmatClass = hazmat }));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(1, false)]
    [InlineData(4, false)]
    public void HazmatAllowedWithAnEmptyListAcceptsOnlyNonHazardousPackages(int? hazmat, bool accepted)
    {
        var rule = TestRules.Parse("HAZMAT_ALLOWED", """{"allowed_classes": []}""");
        Assert.Equal(accepted, rule.Accepts(TestPackages.Plain() with { HazmatClass = hazmat }));
    }

    [Theory]
    [InlineData("1.9", false)]
    [InlineData("2", true)]
    [InlineData("5", true)]
    [InlineData("8", true)]
    [InlineData("8.1", false)]
    [InlineData("-5", false)]
    public void TempControlAcceptsTheClosedRange(string temperature, bool accepted)
    {
        var rule = TestRules.Parse("TEMP_CONTROL", """{"min_c": 2, "max_c": 8}""");
        Assert.Equal(accepted, rule.Accepts(TestPackages.Plain() with { TemperatureC = decimal.Parse(temperature) }));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(7, false)]
    [InlineData(8, true)]
    [InlineData(16, true)]
    [InlineData(17, false)]
    [InlineData(23, false)]
    public void TimeWindowIncludesTheStartHourAndExcludesTheEndHour(int hour, bool accepted)
    {
        var rule = TestRules.Parse("TIME_WINDOW", """{"start_hour": 8, "end_hour": 17}""");
        Assert.Equal(accepted, rule.Accepts(TestPackages.Plain() with { DeliveryHour = hour }));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(23, true)]
    public void TimeWindowEndingAt24CoversTheLastHour(int hour, bool accepted)
    {
        var rule = TestRules.Parse("TIME_WINDOW", """{"start_hour": 0, "end_hour": 24}""");
        Assert.Equal(accepted, rule.Accepts(TestPackages.Plain() with { DeliveryHour = hour }));
    }

    [Theory]
    [InlineData("0.1", false)]
    [InlineData("0.49", false)]
    [InlineData("0.5", true)]
    [InlineData("3", true)]
    public void OversizedAcceptsVolumesAtOrAboveTheMinimum(string volume, bool accepted)
    {
        var rule = TestRules.Parse("OVERSIZED", """{"min_volume_m3": 0.5}""");
        Assert.Equal(accepted, rule.Accepts(TestPackages.Plain() with { VolumeM3 = decimal.Parse(volume) }));
    }

    [Fact]
    public void DriverAcceptsOnlyWhatAllItsRulesAccept()
    {
        var driver = new Driver("d1", [TestRules.Parse("MAX_WEIGHT", """{"limit_kg": 10}"""), TestRules.Parse("NO_PERISHABLE")]);
        Assert.True(driver.Accepts(TestPackages.Plain()));
        Assert.False(driver.Accepts(TestPackages.Plain() with { IsPerishable = true }));
        Assert.False(driver.Accepts(TestPackages.Plain() with { WeightKg = 11m }));
    }

    [Fact]
    public void DriverWithoutRulesAcceptsAnyPackage()
    {
        var driver = new Driver("d1", []);
        Assert.True(driver.Accepts(TestPackages.Plain() with { HazmatClass = 4, IsPerishable = true, WeightKg = 20m }));
    }

    [Fact]
    public void PackageVolumeInLitersIsAThousandTimesCubicMeters()
    {
        Assert.Equal(1250m, TestPackages.Plain(volumeM3: 1.25m).VolumeLiters);
    }
}
