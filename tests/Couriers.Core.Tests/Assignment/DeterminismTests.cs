using System.Text.Json;
using Couriers.Core.Assignment;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Core.Tests.Assignment;

public sealed class DeterminismTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SameInputGivesAnIdenticalPlan(bool withRoom)
    {
        var day = DayGenerator.Generate(new DayGeneratorOptions
        {
            Seed = 17,
            DriverCount = 80,
            PackageCount = 1_200,
            MaxCapacityLiters = withRoom ? (2_000m, 9_000m) : null,
        });

        var first = AssignmentEngine.Plan(TestDays.Request(day, _ => 10, options: TestDays.Deterministic with { Explain = true }));
        var second = AssignmentEngine.Plan(TestDays.Request(day, _ => 10, options: TestDays.Deterministic with { Explain = true }));

        Assert.Equal(Outcome(first), Outcome(second));
        Assert.Equal(withRoom, first.Stats.VolumeBinding);
    }

    [Fact]
    public void PoolOrderDoesNotChangeThePlan()
    {
        var day = DayGenerator.Generate(new DayGeneratorOptions { Seed = 3, DriverCount = 40, PackageCount = 600, MaxCapacityLiters = (2_000m, 9_000m) });
        var shuffled = day with { Packages = day.Packages.Reverse().ToList() };

        var plan = AssignmentEngine.Plan(TestDays.Request(day, _ => 12));
        var fromShuffled = AssignmentEngine.Plan(TestDays.Request(shuffled, _ => 12));

        Assert.Equal(Outcome(plan), Outcome(fromShuffled));
    }

    private static string Outcome(AssignmentPlan plan) =>
        JsonSerializer.Serialize(new { plan.Assignments, plan.Unassigned, plan.Stats.UpperBound, plan.Explanations });
}
