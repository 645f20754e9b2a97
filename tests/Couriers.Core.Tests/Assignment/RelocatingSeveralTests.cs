using Couriers.Core.Assignment;
using Couriers.Core.Deliveries;

namespace Couriers.Core.Tests.Assignment;

// The day in small that left 200 × 5,000 seed 3 short of CP-SAT: the unassigned package is larger than
// any package its one compatible driver holds, and that driver is nearly full, so no single move (insert,
// move one package out, swap, ejection chain) makes room; moving two of its packages out does.
public sealed class RelocatingSeveralTests
{
    private static readonly IRule Light = TestRules.Parse("MAX_WEIGHT", """{"limit_kg": 10}""");

    private static AssignmentRequest Day() => new(
        [
            new DriverCapacity("near", [], Slots: 10, RoomLiters: 1_000m),
            new DriverCapacity("spare1", [Light], Slots: 1, RoomLiters: 300m),
            new DriverCapacity("spare2", [Light], Slots: 1, RoomLiters: 300m),
        ],
        [
            TestPackages.Plain("a", volumeM3: 0.25m),
            TestPackages.Plain("b", volumeM3: 0.25m),
            TestPackages.Plain("c", volumeM3: 0.25m),
            TestPackages.Plain("heavy", volumeM3: 0.6m) with { WeightKg = 20m },
        ],
        TestDays.Deterministic);

    [Fact]
    public void PackageGetsInWhenTwoOfTheOnlyCompatibleDriversPackagesMoveToOtherDrivers()
    {
        var request = Day();
        var problem = ProblemBuilder.Build(request, new PhaseClock(TimeProvider.System));
        var allocation = new Allocation(problem);
        foreach (var id in new[] { "a", "b", "c" })
        {
            allocation.Assign(Index(problem, id), 0);
        }

        var local = new LocalSearch(problem, allocation, new ImprovementBudget(TestDays.Deterministic), Placement.BySize(problem));

        // The cheap moves cannot place it: 250 L left, and no one package out frees the 600 L it needs.
        Assert.False(local.Run());
        Assert.Equal(1, local.RunRelocatingSeveral());

        var plan = Plan(request, problem, allocation);
        PlanChecker.Verify(request, plan);
        Assert.Contains("heavy", plan.Assignments[0].PackageIds);
        Assert.Equal(ReferenceSolvers.Exhaustive(request.Drivers, request.Pool), plan.Stats.Assigned);
    }

    [Fact]
    public void EngineReachesTheExhaustiveOptimumOnThatDay()
    {
        var request = Day();

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(ReferenceSolvers.Exhaustive(request.Drivers, request.Pool), plan.Stats.Assigned);
    }

    private static int Index(Problem problem, string id) =>
        Array.FindIndex(problem.Packages, p => p.PackageId == id);

    private static AssignmentPlan Plan(AssignmentRequest request, Problem problem, Allocation allocation)
    {
        var assignments = request.Drivers
            .Select((d, i) => new DriverAssignment(d.DriverId, allocation.Held[i].Select(p => problem.Packages[p].PackageId).Order(StringComparer.Ordinal).ToList()))
            .ToList();
        var unassigned = Enumerable.Range(0, problem.PackageCount)
            .Where(p => allocation.Owner[p] < 0)
            .Select(p => problem.Packages[p].PackageId)
            .Order(StringComparer.Ordinal)
            .ToList();
        var stats = new AssignmentStats(allocation.Assigned, request.Pool.Count, request.Pool.Count, true, problem.ClassCount, problem.GroupCount, 0, false, TimeSpan.Zero, []);
        return new AssignmentPlan(assignments, unassigned, stats, []);
    }
}
