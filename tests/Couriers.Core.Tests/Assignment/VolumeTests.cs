using Couriers.Core.Assignment;
using Couriers.Core.Deliveries.Generation;
using Microsoft.Extensions.Time.Testing;

namespace Couriers.Core.Tests.Assignment;

public sealed class VolumeTests
{
    [Fact]
    public void EngineNeverExceedsRoomOrSlotsOnManyRandomVolumeBoundDays()
    {
        foreach (var seed in Enumerable.Range(1, 200))
        {
            var request = TestDays.SmallRandom(seed, maxDrivers: 8, maxPackages: 30, maxSlots: 6, withRoom: true);

            var plan = AssignmentEngine.Plan(request);

            PlanChecker.Verify(request, plan);
            PlanChecker.VerifyMaximal(request, plan);
            Assert.True(plan.Stats.Assigned <= ReferenceSolvers.MaxMatching(request.Drivers, request.Pool));
        }
    }

    [Fact]
    public void EngineEqualsTheExhaustiveOptimumOnSmallDaysAndItsBoundIsNeverBelowIt()
    {
        foreach (var seed in Enumerable.Range(1, 300))
        {
            var request = TestDays.SmallRandom(seed, maxDrivers: 4, maxPackages: 10, maxSlots: 4, withRoom: true);

            var plan = AssignmentEngine.Plan(request);
            var optimum = ReferenceSolvers.Exhaustive(request.Drivers, request.Pool);

            PlanChecker.Verify(request, plan);
            Assert.True(plan.Stats.UpperBound >= optimum, $"seed {seed}: bound {plan.Stats.UpperBound} is below the optimum {optimum}");
            Assert.True(optimum == plan.Stats.Assigned, $"seed {seed}: assigned {plan.Stats.Assigned}, the optimum is {optimum}");
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void SearchEndsByItselfOnASmallDayAndSaysWhy(int seed)
    {
        var day = DayGenerator.Generate(new DayGeneratorOptions { Seed = seed, DriverCount = 12, PackageCount = 200, MaxCapacityLiters = (3_000m, 9_000m) });
        var options = new AssignmentOptions { ImprovementBudget = TimeSpan.FromHours(1), MaxImprovementSteps = int.MaxValue };
        var request = TestDays.Request(day, _ => 10, options: options);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        PlanChecker.VerifyMaximal(request, plan);
        Assert.True(plan.Stats.VolumeBinding);
        Assert.Contains(plan.Stats.SearchStop, new[] { SearchStop.NoMoreMoves, SearchStop.ReachedBound });
        Assert.Equal(plan.Stats.SearchStop == SearchStop.ReachedBound, plan.Stats.Gap == 0);
        Assert.False(plan.Stats.ImprovementStoppedByBudget);
    }

    [Fact]
    public void SmallPackagesAreChosenSoThatMorePackagesFit()
    {
        var driver = new DriverCapacity("d1", [], Slots: 10, RoomLiters: 1_000m);
        var pool = new[]
        {
            TestPackages.Plain("big", volumeM3: 0.9m),
            TestPackages.Plain("s1", volumeM3: 0.3m),
            TestPackages.Plain("s2", volumeM3: 0.3m),
            TestPackages.Plain("s3", volumeM3: 0.3m),
        };
        var request = new AssignmentRequest([driver], pool);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(["s1", "s2", "s3"], plan.Assignments[0].PackageIds);
        Assert.True(plan.Stats.VolumeBinding);
        Assert.Equal(3, plan.Stats.UpperBound);
        Assert.Equal(BoundMethod.MaxFlowUnderRoomCaps, plan.Stats.BoundMethod);
        Assert.Equal(SearchStop.ReachedBound, plan.Stats.SearchStop);
    }

    [Fact]
    public void SmallPackageGoesWhereItLeavesRoomForAPackageOnlyOneDriverAccepts()
    {
        // Only d1 accepts "wide" (0.8 m³); smallest-first puts "s" (0.4 m³) in d1, leaving 0.6 m³.
        // Moving "s" to d2 frees d1 for "wide".
        var d1 = new DriverCapacity("d1", [], Slots: 5, RoomLiters: 1_000m);
        var d2 = new DriverCapacity("d2", [TestRules.Parse("MAX_WEIGHT", """{"limit_kg": 10}""")], Slots: 5, RoomLiters: 450m);
        var pool = new[]
        {
            TestPackages.Plain("s", volumeM3: 0.4m),
            TestPackages.Plain("wide", volumeM3: 0.8m) with { WeightKg = 15m },
        };
        var request = new AssignmentRequest([d1, d2], pool);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(2, plan.Stats.Assigned);
        Assert.Equal(["wide"], plan.Assignments[0].PackageIds);
        Assert.Equal(["s"], plan.Assignments[1].PackageIds);
    }

    [Fact]
    public void VolumeBoundGeneratedDayPassesTheCheckerAndLeavesNoPackageThatStillFits()
    {
        var day = DayGenerator.Generate(new DayGeneratorOptions
        {
            Seed = 21,
            DriverCount = 99,
            PackageCount = 990,
            MaxCapacityLiters = (3_000m, 12_000m),
        });
        var request = TestDays.Request(day, _ => 10);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        PlanChecker.VerifyMaximal(request, plan);
        Assert.True(plan.Stats.VolumeBinding);
        Assert.True(plan.Stats.UpperBound < plan.Stats.FlowBoundIgnoringVolume);

        // About six packages fit each driver here, so the fractional bound is loose by up to half a
        // package per driver; the gap says more about the bound than about the plan at this size.
        Assert.True(plan.Stats.GapPercent <= 10.0, $"gap {plan.Stats.GapPercent:F2}% ({plan.Stats.Assigned} of bound {plan.Stats.UpperBound})");
    }

    [Fact]
    public void FractionalLitersAreNeverRoundedIntoOverbooking()
    {
        var driver = new DriverCapacity("d1", [], Slots: 5, RoomLiters: 0.9999m);
        var request = new AssignmentRequest([driver], [TestPackages.Plain("a", volumeM3: 0.001m)]);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(["a"], plan.Unassigned);
    }

    [Fact]
    public void ZeroVolumePackagesFitADriverWithNoRoomLeft()
    {
        var driver = new DriverCapacity("d1", [], Slots: 2, RoomLiters: 0m);
        var request = new AssignmentRequest([driver], [TestPackages.Plain("a", volumeM3: 0m), TestPackages.Plain("b", volumeM3: 0.1m)]);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(["a"], plan.Assignments[0].PackageIds);
    }

    [Fact]
    public void StepCapStopsTheImprovementPhaseDeterministically()
    {
        var day = DayGenerator.Generate(new DayGeneratorOptions { Seed = 4, DriverCount = 60, PackageCount = 900, MaxCapacityLiters = (2_000m, 8_000m) });
        var options = new AssignmentOptions { ImprovementBudget = TimeSpan.FromHours(1), MaxImprovementSteps = 10 };
        var request = TestDays.Request(day, _ => 15, options: options);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.True(plan.Stats.ImprovementSteps <= 10);
        Assert.False(plan.Stats.ImprovementStoppedByBudget);
        Assert.Equal(SearchStop.StepCap, plan.Stats.SearchStop);
    }

    [Fact]
    public void ExhaustedTimeBudgetStillYieldsAValidPlanWithNoPackageThatStillFits()
    {
        var day = DayGenerator.Generate(new DayGeneratorOptions { Seed = 4, DriverCount = 60, PackageCount = 900, MaxCapacityLiters = (2_000m, 8_000m) });
        var options = new AssignmentOptions { ImprovementBudget = TimeSpan.FromSeconds(1), Time = SteppingClock() };
        var request = TestDays.Request(day, _ => 15, options: options);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        PlanChecker.VerifyMaximal(request, plan);
        Assert.True(plan.Stats.ImprovementStoppedByBudget, $"{plan.Stats.ImprovementSteps} steps, {plan.Stats.Assigned} of {plan.Stats.UpperBound}");
        Assert.Equal(SearchStop.TimeBudget, plan.Stats.SearchStop);
        Assert.Equal(64, plan.Stats.ImprovementSteps);
    }

    [Theory]
    [InlineData(1_500, 3)]    // exactly full: all three fit
    [InlineData(1_499.999, 2)] // one milliliter short: the third does not
    public void DriverRoomIsComparedInExactLiters(decimal room, int fits)
    {
        var driver = new DriverCapacity("d1", [], Slots: 3, RoomLiters: room);
        var pool = new[] { TestPackages.Plain("a", 0.5m), TestPackages.Plain("b", 0.5m), TestPackages.Plain("c", 0.5m) };
        var request = new AssignmentRequest([driver], pool);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(fits, plan.Stats.Assigned);
    }

    [Fact]
    public void UnlimitedDriversAndLimitedDriversShareAPool()
    {
        var limited = new DriverCapacity("small-van", [], Slots: 5, RoomLiters: 500m);
        var unlimited = new DriverCapacity("truck", [], Slots: 2);
        var pool = Enumerable.Range(0, 8).Select(i => TestPackages.Plain($"p{i}", 0.2m + i * 0.1m)).ToArray();
        var request = new AssignmentRequest([limited, unlimited], pool);

        var plan = AssignmentEngine.Plan(request);

        PlanChecker.Verify(request, plan);
        Assert.Equal(ReferenceSolvers.Exhaustive(request.Drivers, request.Pool), plan.Stats.Assigned);
    }

    // Moves one second every time it is read, so the budget runs out without waiting.
    private static FakeTimeProvider SteppingClock() => new() { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };
}
