using Couriers.Core.Assignment;

namespace Couriers.Core.Tests.Assignment;

public sealed class DriverSetRepairTests
{
    // Two days whose last package needs several drivers re-packed at once, where their free room is split
    // into slivers: 50 × 1,000 seed 7 (CP-SAT proves 929 optimal) and 100 × 2,000 seed 6 (CP-SAT's best in
    // 60 s was 1,901). Unless the re-packing sees that a sliver takes nothing, the search ends one to three
    // packages short of the bound there.
    [Theory]
    [InlineData(7, 50, 1_000, 200_000)]
    [InlineData(6, 100, 2_000, 600_000)]
    public void TheEngineReachesItsBoundWhereTheLastPackageNeedsSeveralDriversRepacked(int seed, int drivers, int packages, int steps)
    {
        var request = TestDays.RoomBound(seed, drivers, packages, 25, TestDays.Deterministic with { MaxImprovementSteps = steps });

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(SearchStop.ReachedBound, plan.Stats.SearchStop);
        Assert.Equal(plan.Stats.UpperBound, plan.Stats.Assigned);
    }
}
