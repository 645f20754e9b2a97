namespace Couriers.Core.Deliveries.Generation;

/// <summary>A seeded C# equivalent of the logistics centre's day generator: same seed, same day.</summary>
public static class DayGenerator
{
    private static readonly string[] TemplateCodes =
    [
        MaxWeightRule.CodeName,
        NoPerishableRule.CodeName,
        RegionOnlyRule.CodeName,
        MaxDistanceRule.CodeName,
        ExpressOnlyRule.CodeName,
        FragileOnlyRule.CodeName,
        HazmatAllowedRule.CodeName,
        TempControlRule.CodeName,
        TimeWindowRule.CodeName,
        OversizedRule.CodeName,
    ];

    private static readonly string[] RegionNames = ["north", "east", "south", "west"];

    public static GeneratedDay Generate(DayGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MinRules < 0 || options.MaxRules < options.MinRules || options.MaxRules > TemplateCodes.Length)
        {
            throw new ArgumentException($"rule count range must lie within 0..{TemplateCodes.Length}", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.DriverCount);
        ArgumentOutOfRangeException.ThrowIfNegative(options.PackageCount);

        // One Random drives everything in a fixed order, so the output depends on the seed alone.
        var random = new Random(options.Seed);
        var drivers = new List<GeneratedDriver>(options.DriverCount);
        for (var i = 1; i <= options.DriverCount; i++)
        {
            drivers.Add(GenerateDriver($"driver_{i}", random, options));
        }

        var packages = new List<Package>(options.PackageCount);
        for (var i = 0; i < options.PackageCount; i++)
        {
            packages.Add(GeneratePackage(random));
        }

        return new GeneratedDay(drivers, packages);
    }

    public static Package GeneratePackage(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return new Package(
            PackageId: NextUuid(random),
            WeightKg: Uniform(random, 0.5, 20, 2),
            IsPerishable: random.Next(2) == 1,
            IsExpress: random.Next(2) == 1,
            IsFragile: random.Next(2) == 1,
            Region: Regions.All[random.Next(4)],
            DistanceKm: Uniform(random, 1, 100, 2),
            HazmatClass: random.Next(5) is var h && h == 4 ? null : h + 1,
            TemperatureC: Uniform(random, -5, 25, 1),
            DeliveryHour: random.Next(24),
            VolumeM3: Uniform(random, 0.1, 3.0, 2));
    }

    private static GeneratedDriver GenerateDriver(string id, Random random, DayGeneratorOptions options)
    {
        var k = random.Next(options.MinRules, options.MaxRules + 1);
        var codes = Sample(random, TemplateCodes, k);
        var rules = new List<RuleSpec>(k);
        for (var i = 0; i < codes.Count; i++)
        {
            rules.Add(RuleSpec.Create($"r{i + 1}", codes[i], TemplateParams(codes[i], random)));
        }

        decimal? maxCapacity = options.MaxCapacityLiters is { } range
            ? Math.Round(range.Min + (range.Max - range.Min) * (decimal)random.NextDouble(), 0)
            : null;
        return new GeneratedDriver(id, rules, maxCapacity);
    }

    private static Dictionary<string, object> TemplateParams(string code, Random random) => code switch
    {
        MaxWeightRule.CodeName => new() { ["limit_kg"] = 10 },
        MaxDistanceRule.CodeName => new() { ["max_km"] = 50 },
        RegionOnlyRule.CodeName => new() { ["allowed_regions"] = Sample(random, RegionNames, 2) },
        HazmatAllowedRule.CodeName => new() { ["allowed_classes"] = Sample(random, [1, 2, 3, 4], random.Next(1, 3)) },
        TempControlRule.CodeName => new() { ["min_c"] = 2, ["max_c"] = 8 },
        TimeWindowRule.CodeName => new() { ["start_hour"] = 8, ["end_hour"] = 17 },
        OversizedRule.CodeName => new() { ["min_volume_m3"] = 0.5m },
        _ => [],
    };

    // Partial Fisher–Yates: k distinct items in random order, like Python's random.sample.
    private static List<T> Sample<T>(Random random, IReadOnlyList<T> items, int k)
    {
        var pool = items.ToArray();
        for (var i = 0; i < k; i++)
        {
            var j = random.Next(i, pool.Length);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        return pool.Take(k).ToList();
    }

    private static decimal Uniform(Random random, double min, double max, int decimals)
    {
        var value = (decimal)(min + (max - min) * random.NextDouble());
        return Math.Clamp(Math.Round(value, decimals, MidpointRounding.AwayFromZero), (decimal)min, (decimal)max);
    }

    // A version-4 UUID from the seeded Random, not Guid.NewGuid, so ids repeat with the seed.
    private static string NextUuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
