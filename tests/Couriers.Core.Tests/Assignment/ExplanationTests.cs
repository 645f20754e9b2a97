using Couriers.Core.Assignment;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Core.Tests.Assignment;

public sealed class ExplanationTests
{
    private static readonly AssignmentOptions Explain = new() { Explain = true };

    [Fact]
    public void PackageNoRuleSetAcceptsIsExplainedWithTheRulesThatEliminatedEachDriver()
    {
        var drivers = new[]
        {
            new DriverCapacity("d1", [TestRules.Parse("MAX_WEIGHT", """{"limit_kg": 10}"""), TestRules.Parse("NO_PERISHABLE")], 5),
            new DriverCapacity("d2", [TestRules.Parse("MAX_WEIGHT", """{"limit_kg": 12}""")], 5),
            new DriverCapacity("d3", [TestRules.Parse("REGION_ONLY", """{"allowed_regions": ["south"]}""")], 5),
        };
        var heavy = TestPackages.Plain("heavy") with { WeightKg = 15m, IsPerishable = true };
        var request = new AssignmentRequest(drivers, [heavy], Explain);

        var plan = AssignmentEngine.Plan(request);

        var explanation = Assert.Single(plan.Explanations);
        Assert.Equal("heavy", explanation.PackageId);
        Assert.Equal(UnassignedReason.NoDriverAccepts, explanation.Reason);
        Assert.Equal(0, explanation.CompatibleDrivers);
        Assert.Equal(
            [new RuleElimination("MAX_WEIGHT", 2), new RuleElimination("NO_PERISHABLE", 1), new RuleElimination("REGION_ONLY", 1)],
            explanation.EliminatedBy);
    }

    [Fact]
    public void PackageTooLargeForEveryCompatibleDriverRoomIsExplainedAsSuch()
    {
        var drivers = new[]
        {
            new DriverCapacity("van", [], Slots: 3, RoomLiters: 400m),
            new DriverCapacity("bike", [], Slots: 3, RoomLiters: 150m),
        };
        var request = new AssignmentRequest(drivers, [TestPackages.Plain("crate", volumeM3: 0.5m)], Explain);

        var plan = AssignmentEngine.Plan(request);

        var explanation = Assert.Single(plan.Explanations);
        Assert.Equal(UnassignedReason.TooLargeForCompatibleDrivers, explanation.Reason);
        Assert.Equal(2, explanation.CompatibleDrivers);
        Assert.Equal(400m, explanation.LargestRoomLitersAmongCompatible);
        Assert.Empty(explanation.EliminatedBy);
    }

    [Fact]
    public void PackageWhoseCompatibleDriversAreFullIsExplainedAsSuch()
    {
        var drivers = new[]
        {
            new DriverCapacity("d1", [TestRules.Parse("EXPRESS_ONLY")], Slots: 1),
            new DriverCapacity("d2", [TestRules.Parse("FRAGILE_ONLY")], Slots: 0),
        };
        var pool = new[] { TestPackages.Plain("a"), TestPackages.Plain("b") };
        var request = new AssignmentRequest(drivers, pool, Explain);

        var plan = AssignmentEngine.Plan(request);

        var explanation = Assert.Single(plan.Explanations);
        Assert.Equal("b", explanation.PackageId);
        Assert.Equal(UnassignedReason.CompatibleDriversFull, explanation.Reason);
        Assert.Equal(2, explanation.CompatibleDrivers);
    }

    [Fact]
    public void ExplanationsCoverExactlyTheUnassignedPackagesInTheSameOrder()
    {
        var day = DayGenerator.Generate(new DayGeneratorOptions { Seed = 8, DriverCount = 30, PackageCount = 500, MaxCapacityLiters = (1_000m, 6_000m) });
        var request = TestDays.Request(day, _ => 8, options: TestDays.Deterministic with { Explain = true });

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(plan.Unassigned, plan.Explanations.Select(e => e.PackageId));
        Assert.Contains(plan.Explanations, e => e.Reason == UnassignedReason.NoDriverAccepts);
        Assert.All(plan.Explanations.Where(e => e.Reason == UnassignedReason.NoDriverAccepts), e =>
        {
            var package = request.Pool.Single(p => p.PackageId == e.PackageId);
            Assert.DoesNotContain(request.Drivers, d => d.Rules.All(r => r.Accepts(package)));
            var expected = request.Drivers
                .SelectMany(d => d.Rules.Where(r => !r.Accepts(package)).Select(r => r.Code).Distinct())
                .GroupBy(code => code)
                .ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(expected, e.EliminatedBy.ToDictionary(x => x.Code, x => x.Drivers));
        });
    }

    [Fact]
    public void ExplanationsAreOmittedUnlessAsked()
    {
        var request = new AssignmentRequest([new DriverCapacity("d1", [], 0)], [TestPackages.Plain()]);

        Assert.Empty(AssignmentEngine.Plan(request).Explanations);
    }
}
