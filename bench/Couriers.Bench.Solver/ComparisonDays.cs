using Couriers.Core.Assignment;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Bench.Solver;

/// <summary>A generated day where vehicle room binds: 2–4 rules per driver, rooms of 20,000–60,000 L.</summary>
public sealed record DaySize(int Drivers, int Packages, int MaxPerDriver)
{
    public static readonly (decimal Min, decimal Max) RoomLiters = (20_000m, 60_000m);

    public static IReadOnlyList<DaySize> All { get; } =
    [
        new(50, 1_000, 25),
        new(100, 2_000, 25),
        new(200, 5_000, 30),
        new(1_000, 50_000, 50),
    ];

    public string Name => $"{Drivers:N0} × {Packages:N0}, max {MaxPerDriver}";

    public AssignmentRequest Request(int seed, AssignmentOptions options)
    {
        var day = DayGenerator.Generate(new DayGeneratorOptions
        {
            Seed = seed,
            DriverCount = Drivers,
            PackageCount = Packages,
            MaxCapacityLiters = RoomLiters,
        });
        var drivers = day.ParseDrivers()
            .Select(d => new DriverCapacity(d.Id, d.Rules, MaxPerDriver, d.MaxCapacityLiters))
            .ToList();
        return new AssignmentRequest(drivers, day.Packages, options);
    }
}
