namespace Couriers.Core.Deliveries.Generation;

/// <summary>
/// Options for <see cref="DayGenerator"/>. Defaults follow <c>rules.py</c>'s functions (2–4 rules);
/// <see cref="ReferenceDay"/> is the logistics centre's reference day (99 drivers, 0–2 rules, 10 packages each).
/// </summary>
public sealed record DayGeneratorOptions
{
    public int Seed { get; init; }

    public int DriverCount { get; init; } = 10;

    public int PackageCount { get; init; } = 100;

    public int MinRules { get; init; } = 2;

    public int MaxRules { get; init; } = 4;

    /// <summary>When set, each driver gets a max_capacity uniform in this range (whole liters), so volume can bind.</summary>
    public (decimal Min, decimal Max)? MaxCapacityLiters { get; init; }

    public static DayGeneratorOptions ReferenceDay(int seed) => new()
    {
        Seed = seed,
        DriverCount = 99,
        PackageCount = 990,
        MinRules = 0,
        MaxRules = 2,
    };
}
