using Couriers.Core.Assignment;

namespace Couriers.Core.Tests.Assignment;

public sealed class PriceGuidedTests
{
    // Whatever the prices, the construction is a plan: no driver over its slots or room, every package with
    // a driver that accepts it, and nothing left in the pool that a driver could still take as it is.
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(3.0)]
    public void APlanFromAnyPricesKeepsSlotsRoomAndRules(double scale)
    {
        var problem = ProblemBuilder.Build(TestDays.RoomBound(4, 30, 600, 25), new PhaseClock(TimeProvider.System));
        var random = new Random(7);
        var prices = Enumerable.Range(0, 2 * problem.DriverCount).Select(_ => scale * random.NextDouble()).ToArray();
        var unit = problem.Volume.Average(v => (double)v);

        var plan = PriceGuided.Build(problem, prices, unit, Placement.BySize(problem));

        Assert.All(plan.SlotsLeft, left => Assert.True(left >= 0));
        Assert.All(plan.RoomLeft, left => Assert.True(left >= 0));
        for (var p = 0; p < problem.PackageCount; p++)
        {
            var accepting = problem.ClassDrivers[problem.ClassOf[p]];
            if (plan.Owner[p] >= 0) Assert.Contains(plan.Owner[p], accepting);
            else Assert.DoesNotContain(accepting, d => plan.Fits(p, d));
        }
    }

    // The yardstick on medium days: at a step cap well within the service's 1 s budget, at least what
    // CP-SAT finds in a short limit. On 100 × 2,000 seed 6 slots bind as much as room, so the plan must keep
    // small packages out of drivers whose slots are scarce; 50 × 1,000 seed 3 is one package below its bound.
    [Theory]
    [InlineData(6, 100, 2_000)]
    [InlineData(3, 50, 1_000)]
    public void OnMediumDaysTheEngineAssignsAtLeastWhatCpSatFindsInTenSeconds(int seed, int drivers, int packages)
    {
        var request = TestDays.RoomBound(seed, drivers, packages, 25, TestDays.Deterministic with { MaxImprovementSteps = 100_000 });

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.InRange(plan.Stats.Assigned, ReferenceSolvers.CpSat(request.Drivers, request.Pool, 10), int.MaxValue);
    }
}
