using Couriers.Core.Assignment;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Bench.Engine;

/// <summary>The benchmark days: 1,000 drivers (2–4 rules each) and 50,000 packages, max_per_driver 50.</summary>
public static class EngineCases
{
    public const int Drivers = 1_000;
    public const int Packages = 50_000;
    public const int MaxPerDriver = 50;

    // 50 packages average ~77,500 L, so rooms of 20,000–60,000 L make volume the binding limit.
    public static readonly (decimal Min, decimal Max) BindingRoomLiters = (20_000m, 60_000m);

    public static AssignmentRequest WithoutVolumeLimits(int seed = 1) => Build(seed, null, TimeSpan.FromSeconds(1));

    public static AssignmentRequest WithBindingVolume(int seed = 1, TimeSpan? budget = null) =>
        Build(seed, BindingRoomLiters, budget ?? TimeSpan.FromSeconds(1));

    private static AssignmentRequest Build(int seed, (decimal, decimal)? room, TimeSpan budget)
    {
        var day = DayGenerator.Generate(new DayGeneratorOptions
        {
            Seed = seed,
            DriverCount = Drivers,
            PackageCount = Packages,
            MaxCapacityLiters = room,
        });
        var drivers = day.ParseDrivers()
            .Select(d => new DriverCapacity(d.Id, d.Rules, MaxPerDriver, d.MaxCapacityLiters))
            .ToList();
        return new AssignmentRequest(drivers, day.Packages, new AssignmentOptions { ImprovementBudget = budget });
    }
}
