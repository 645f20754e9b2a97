using Couriers.Core.Assignment;
using Couriers.Core.Deliveries;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Core.Tests.Assignment;

internal static class TestDays
{
    public static AssignmentRequest Request(
        GeneratedDay day,
        Func<int, int> slots,
        Func<int, decimal?>? room = null,
        AssignmentOptions? options = null)
    {
        var drivers = day.ParseDrivers()
            .Select((d, i) => new DriverCapacity(d.Id, d.Rules, slots(i), room?.Invoke(i) ?? d.MaxCapacityLiters))
            .ToList();
        return new AssignmentRequest(drivers, day.Packages, options ?? Deterministic);
    }

    // A step cap well below what a one-hour budget allows, so results never depend on machine speed.
    public static AssignmentOptions Deterministic { get; } = new()
    {
        ImprovementBudget = TimeSpan.FromHours(1),
        MaxImprovementSteps = 200_000,
    };

    // A generated day where room binds most drivers: 2–4 rules each, rooms of 20,000–60,000 L.
    public static AssignmentRequest RoomBound(int seed, int drivers, int packages, int maxPerDriver, AssignmentOptions? options = null)
    {
        var day = DayGenerator.Generate(new DayGeneratorOptions
        {
            Seed = seed,
            DriverCount = drivers,
            PackageCount = packages,
            MaxCapacityLiters = (20_000m, 60_000m),
        });
        return Request(day, _ => maxPerDriver, options: options);
    }

    // A small random day: few drivers with few rules, so many are compatible and competition is real.
    public static AssignmentRequest SmallRandom(int seed, int maxDrivers, int maxPackages, int maxSlots, bool withRoom)
    {
        var random = new Random(seed);
        var day = DayGenerator.Generate(new DayGeneratorOptions
        {
            Seed = seed,
            DriverCount = random.Next(1, maxDrivers + 1),
            PackageCount = random.Next(0, maxPackages + 1),
            MinRules = 0,
            MaxRules = random.Next(0, 3),
        });
        var slots = day.Drivers.Select(_ => random.Next(0, maxSlots + 1)).ToArray();
        var rooms = day.Drivers.Select(_ => withRoom && random.Next(4) > 0 ? (decimal?)random.Next(0, 6_000) : null).ToArray();
        return Request(day, i => slots[i], i => rooms[i]);
    }
}
