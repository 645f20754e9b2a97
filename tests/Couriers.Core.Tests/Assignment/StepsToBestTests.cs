using Couriers.Core.Assignment;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Core.Tests.Assignment;

public sealed class StepsToBestTests
{
    // The benchmark reports StepsToBest as the steps a day needs: a rerun capped there reaches the same count.
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void CappingTheSearchAtStepsToBestKeepsTheCount(int seed)
    {
        var plan = AssignmentEngine.Plan(TestDays.RoomBound(seed, 50, 1_000, 25));
        var steps = plan.Stats.StepsToBest;

        var capped = AssignmentEngine.Plan(TestDays.RoomBound(seed, 50, 1_000, 25, TestDays.Deterministic with { MaxImprovementSteps = steps }));

        Assert.InRange(steps, 1, plan.Stats.ImprovementSteps);
        Assert.InRange(capped.Stats.Assigned, plan.Stats.Assigned, int.MaxValue);
    }

    [Fact]
    public void WithoutBindingRoomNoSearchStepIsReported()
    {
        var day = DayGenerator.Generate(new DayGeneratorOptions { Seed = 5, DriverCount = 30, PackageCount = 400 });

        var plan = AssignmentEngine.Plan(TestDays.Request(day, _ => 10));

        Assert.False(plan.Stats.VolumeBinding);
        Assert.Equal(0, plan.Stats.StepsToBest);
    }
}
