using Couriers.Core.Deliveries;

namespace Couriers.Core.Tests.Deliveries;

public sealed class RegionsTests
{
    [Theory]
    [InlineData(Region.North, "north")]
    [InlineData(Region.East, "east")]
    [InlineData(Region.South, "south")]
    [InlineData(Region.West, "west")]
    public void RegionRoundTripsThroughItsLowercaseWireName(Region region, string name)
    {
        Assert.Equal(name, region.ToWireName());
        Assert.True(Regions.TryParse(name, out var parsed));
        Assert.Equal(region, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("northeast")]
    [InlineData("0")]
    public void RegionParseRefusesUnknownNames(string? name)
    {
        Assert.False(Regions.TryParse(name, out _));
    }

    [Fact]
    public void RegionParseIgnoresCase()
    {
        Assert.True(Regions.TryParse("WeSt", out var region));
        Assert.Equal(Region.West, region);
    }
}
