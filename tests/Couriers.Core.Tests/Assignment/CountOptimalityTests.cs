using Couriers.Core.Assignment;
using Couriers.Core.Deliveries.Generation;

namespace Couriers.Core.Tests.Assignment;

public sealed class CountOptimalityTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        foreach (var seed in Enumerable.Range(1, 200))
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EngineAssignsAsManyAsAnIndependentMaxMatchingOnSmallDays(int seed)
    {
        var request = TestDays.SmallRandom(seed, maxDrivers: 8, maxPackages: 30, maxSlots: 5, withRoom: false);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        var optimum = ReferenceSolvers.MaxMatching(request.Drivers, request.Pool);
        Assert.Equal(optimum, plan.Stats.Assigned);
        Assert.Equal(optimum, plan.Stats.UpperBound);
        Assert.False(plan.Stats.VolumeBinding);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 10)]
    [InlineData(3, 2)]
    [InlineData(4, 10)]
    [InlineData(5, 5)]
    public void EngineMatchesTheIndependentMaxMatchingOnTheReferenceDay(int seed, int maxPerDriver)
    {
        var request = TestDays.Request(DayGenerator.Generate(DayGeneratorOptions.ReferenceDay(seed)), _ => maxPerDriver);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(ReferenceSolvers.MaxMatching(request.Drivers, request.Pool), plan.Stats.Assigned);
        Assert.Equal(plan.Stats.Assigned, plan.Stats.UpperBound);
    }

    [Fact]
    public void EngineMatchesTheIndependentMaxMatchingWithTwoToFourRulesPerDriver()
    {
        var day = DayGenerator.Generate(new DayGeneratorOptions { Seed = 11, DriverCount = 99, PackageCount = 990 });
        var request = TestDays.Request(day, i => 2 + i % 9);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(ReferenceSolvers.MaxMatching(request.Drivers, request.Pool), plan.Stats.Assigned);
    }

    [Fact]
    public void CountOptimalPlanBeatsFirstFitWhereFirstFitWouldBlockAScarceDriver()
    {
        // d1 accepts everything, d2 only express. First-fit gives the express package to d1 and strands d2.
        var anyDriver = new DriverCapacity("d1", [], Slots: 1);
        var expressOnly = new DriverCapacity("d2", [TestRules.Parse("EXPRESS_ONLY")], Slots: 1);
        var express = TestPackages.Plain("a") with { IsExpress = true };
        var standard = TestPackages.Plain("b") with { IsExpress = false };
        var request = new AssignmentRequest([anyDriver, expressOnly], [express, standard]);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(["b"], plan.Assignments[0].PackageIds);
        Assert.Equal(["a"], plan.Assignments[1].PackageIds);
        Assert.Empty(plan.Unassigned);
    }

    [Fact]
    public void RoomThatDoesNotBindLeavesThePlanCountOptimal()
    {
        var day = DayGenerator.Generate(DayGeneratorOptions.ReferenceDay(9));
        var request = TestDays.Request(day, _ => 5, _ => 1_000_000m);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.False(plan.Stats.VolumeBinding);
        Assert.Equal(ReferenceSolvers.MaxMatching(request.Drivers, request.Pool), plan.Stats.Assigned);
    }

    [Fact]
    public void EmptyPoolAndDriversWithoutSlotsGiveAnEmptyPlan()
    {
        var request = new AssignmentRequest([new DriverCapacity("d1", [], 0), new DriverCapacity("d2", [], -3)], [TestPackages.Plain()]);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(0, plan.Stats.Assigned);
        Assert.Equal(["p1"], plan.Unassigned);

        var empty = AssignmentEngine.Plan(new AssignmentRequest([new DriverCapacity("d1", [], 4)], []));
        Assert.Equal(0, empty.Stats.Assigned);
        Assert.Empty(Assert.Single(empty.Assignments).PackageIds);
    }

    [Fact]
    public void HugeSlotCountsDoNotOverflow()
    {
        var drivers = Enumerable.Range(0, 3).Select(i => new DriverCapacity($"d{i}", [], int.MaxValue)).ToList();
        var request = new AssignmentRequest(drivers, [TestPackages.Plain("a"), TestPackages.Plain("b")]);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(2, plan.Stats.Assigned);
    }

    [Fact]
    public void NoDriversLeavesEveryPackageUnassigned()
    {
        var plan = AssignmentEngine.Plan(new AssignmentRequest([], [TestPackages.Plain("b"), TestPackages.Plain("a")]));

        Assert.Empty(plan.Assignments);
        Assert.Equal(["a", "b"], plan.Unassigned);
    }

    [Fact]
    public void DuplicatePackageIdsAreRefused()
    {
        var request = new AssignmentRequest([new DriverCapacity("d1", [], 4)], [TestPackages.Plain("a"), TestPackages.Plain("a")]);

        Assert.Throws<ArgumentException>(() => AssignmentEngine.Plan(request));
    }
}
