namespace Couriers.Core.Deliveries;

/// <summary>Wire names of <see cref="Region"/>: "north", "east", "south", "west".</summary>
public static class Regions
{
    public static IReadOnlyList<Region> All { get; } = [Region.North, Region.East, Region.South, Region.West];

    public static string KnownNames { get; } = "north, east, south, west";

    public static string ToWireName(this Region region) => region switch
    {
        Region.North => "north",
        Region.East => "east",
        Region.South => "south",
        Region.West => "west",
        _ => throw new ArgumentOutOfRangeException(nameof(region), region, "unknown region"),
    };

    /// <summary>Parses a wire name; case-insensitive because clients capitalise freely, and there is no ambiguity.</summary>
    public static bool TryParse(string? name, out Region region)
    {
        switch (name?.ToLowerInvariant())
        {
            case "north": region = Region.North; return true;
            case "east": region = Region.East; return true;
            case "south": region = Region.South; return true;
            case "west": region = Region.West; return true;
            default: region = default; return false;
        }
    }
}
