using System.Text.Json;
using Couriers.Core.Assignment;

namespace Couriers.Core.Tests.Assignment;

public sealed class BoundTests
{
    [Fact]
    public void LinearRelaxationBoundIsNeverBelowTheExhaustiveOptimumOnSmallDays()
    {
        foreach (var seed in Enumerable.Range(1, 300))
        {
            var request = TestDays.SmallRandom(seed, maxDrivers: 4, maxPackages: 10, maxSlots: 4, withRoom: true);

            var bound = LinearRelaxation(request);

            var optimum = ReferenceSolvers.Exhaustive(request.Drivers, request.Pool);
            Assert.True(bound.Bound >= optimum, $"seed {seed}: bound {bound.Bound} ({bound.Value}) is below the optimum {optimum}");
        }
    }

    [Theory]
    [InlineData(1, 50, 1_000, 25)]
    [InlineData(2, 50, 1_000, 25)]
    [InlineData(3, 50, 1_000, 25)]
    [InlineData(3, 100, 2_000, 25)]
    [InlineData(7, 30, 600, 10)]
    public void LinearRelaxationBoundIsNeverBelowTheLinearRelaxationAndWithinAFifthOfAPercentOfIt(int seed, int drivers, int packages, int maxPerDriver)
    {
        var request = TestDays.RoomBound(seed, drivers, packages, maxPerDriver);

        var bound = LinearRelaxation(request);

        // The dual is of the relaxation with each driver's count capped by its room, which no plan exceeds.
        var capped = ReferenceSolvers.LinearRelaxation(request.Drivers, request.Pool, capped: true);
        var plain = ReferenceSolvers.LinearRelaxation(request.Drivers, request.Pool, capped: false);
        Assert.True(bound.Value >= capped - (1e-6 * capped), $"dual {bound.Value} is below the linear relaxation {capped}");
        Assert.True(bound.Bound >= Math.Floor(capped - 1e-6), $"bound {bound.Bound} is below the linear relaxation {capped}");
        Assert.True(bound.Value <= plain * 1.002, $"dual {bound.Value} is more than 0.2% above the linear relaxation {plain}");
    }

    [Fact]
    public void EngineReportsTheLinearRelaxationBoundWhereRoomLimitsTheDrivers()
    {
        var request = TestDays.RoomBound(3, 50, 1_000, 25);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        var relaxation = ReferenceSolvers.LinearRelaxation(request.Drivers, request.Pool, capped: false);
        Assert.Equal(BoundMethod.LinearRelaxation, plan.Stats.BoundMethod);
        Assert.InRange(plan.Stats.UpperBound, Math.Floor(relaxation - 1e-6), Math.Floor(relaxation) + 1);
        Assert.True(plan.Stats.UpperBound < plan.Stats.FlowBoundIgnoringVolume);
    }

    [Fact]
    public void SearchStopsAtTheFirstPlanThatMeetsTheLinearRelaxationBound()
    {
        // Here the relaxation allows 899.49 packages, so 899 is optimal, which only this bound can show.
        var request = TestDays.RoomBound(2, 50, 1_000, 25);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        PlanChecker.VerifyMaximal(request, plan);
        Assert.Equal(SearchStop.ReachedBound, plan.Stats.SearchStop);
        Assert.Equal(BoundMethod.LinearRelaxation, plan.Stats.BoundMethod);
        Assert.Equal(0, plan.Stats.Gap);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void PlanAndStatsAreTheSameOnEveryRunWhateverTheBoundThreadsTiming(int seed)
    {
        // The bound's thread finishes at a different point of the search on each run, or after it.
        var outcomes = Enumerable.Range(0, 4)
            .Select(_ => AssignmentEngine.Plan(TestDays.RoomBound(seed, 50, 1_000, 25)))
            .Select(plan => JsonSerializer.Serialize(new
            {
                plan.Assignments,
                plan.Unassigned,
                plan.Stats.UpperBound,
                plan.Stats.BoundMethod,
                plan.Stats.SearchStop,
                plan.Stats.ImprovementSteps,
            }))
            .ToList();

        Assert.All(outcomes, outcome => Assert.Equal(outcomes[0], outcome));
    }

    private static DualBoundResult LinearRelaxation(AssignmentRequest request)
    {
        var problem = ProblemBuilder.Build(request, new PhaseClock(TimeProvider.System));
        return LinearRelaxationBound.Compute(problem, CapacityCaps.PerDriver(problem), () => true);
    }
}
