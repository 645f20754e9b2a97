using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;

namespace Couriers.Storage.Tests.Contract;

/// <summary>What every adapter must do for the daily assignment; subclasses say how to make a store.</summary>
public abstract class DeliveryStoreContract : IAsyncLifetime
{
    private (ICourierStore Couriers, IDeliveryStore Deliveries)? _stores;

    protected ICourierStore Couriers => _stores!.Value.Couriers;

    protected IDeliveryStore Deliveries => _stores!.Value.Deliveries;

    protected static CancellationToken Ct => CancellationToken.None;

    protected abstract Task<(ICourierStore, IDeliveryStore)> CreateStoresAsync();

    public async Task InitializeAsync() => _stores = await CreateStoresAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static readonly IReadOnlyList<RuleSpec> NorthOnly = [RuleSpec.Create("r1", "REGION_ONLY", new { allowed_regions = new[] { "north" } })];

    protected static Package Pkg(string id, decimal volumeM3 = 0.01m, Region region = Region.North) =>
        new(id, 5m, false, false, false, region, 10m, null, 4m, 10, volumeM3);

    [Fact]
    public async Task DriversAreCreatedThenUpdatedThenLeftUnchanged()
    {
        var first = await Deliveries.UpsertDriversAsync([new DriverRecord("d1", NorthOnly, 100m), new DriverRecord("d2", [], null)], Ct);
        var again = await Deliveries.UpsertDriversAsync([new DriverRecord("d1", NorthOnly, 100m)], Ct);
        var changed = await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 120m)], Ct);

        Assert.Equal((2, 0, 0), (first.Created, first.Updated, first.Unchanged));
        Assert.Equal(1, again.Unchanged);
        Assert.Equal(1, changed.Updated);
        var driver = await Deliveries.GetDriverAsync("d1", Ct);
        Assert.Empty(driver!.Rules);
        Assert.Equal(120m, driver.Courier.MaxCapacity);
        Assert.Null((await Deliveries.GetDriverAsync("d2", Ct))!.Courier.MaxCapacity);
    }

    [Fact]
    public async Task DriverRulesAreStoredAsGiven()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", NorthOnly, null)], Ct);

        var rule = Assert.Single((await Deliveries.GetDriverAsync("d1", Ct))!.Rules);

        Assert.Equal(("r1", "REGION_ONLY"), (rule.RuleId, rule.Code));
        Assert.True(RuleRegistry.Parse(rule).IsValid);
    }

    [Fact]
    public async Task ADriverBatchWithOneRefusedItemAppliesNothing()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 10m)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1", 0.008m)], Ct);
        await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1", 0.008m))], 5, Ct);

        // d1 holds 8 L, so a max_capacity of 5 L would overbook it.
        var result = await Deliveries.UpsertDriversAsync([new DriverRecord("d9", [], 10m), new DriverRecord("d1", [], 5m)], Ct);

        Assert.False(result.Applied);
        Assert.Contains("[1].max_capacity", result.Conflicts.Keys);
        Assert.Null(await Deliveries.GetDriverAsync("d9", Ct));
    }

    [Fact]
    public async Task PackagesAreIdempotentByIdAndAConflictingBatchAppliesNothing()
    {
        var first = await Deliveries.AddPackagesAsync([Pkg("p1"), Pkg("p2")], Ct);
        var again = await Deliveries.AddPackagesAsync([Pkg("p1")], Ct);
        var conflicting = await Deliveries.AddPackagesAsync([Pkg("p3"), Pkg("p1", 2m)], Ct);

        Assert.Equal(2, first.Created);
        Assert.Equal(1, again.Unchanged);
        Assert.Contains("[1].package_id", conflicting.Conflicts.Keys);
        Assert.Equal(["p1", "p2"], (await Deliveries.GetPoolAsync(Ct)).Select(p => p.PackageId));
    }

    [Fact]
    public async Task PackagesReadBackWithEveryAttribute()
    {
        var package = new Package("p1", 12.34m, true, false, true, Region.West, 77.5m, 3, -2.5m, 17, 1.25m);
        await Deliveries.AddPackagesAsync([package], Ct);

        var stored = Assert.Single((await Deliveries.ListPackagesAsync(PackageStatus.Unassigned, new PageRequest<string>(10, null), Ct)).Items);

        Assert.Equal(package, stored.Package);
        Assert.Equal(PackageStatus.Unassigned, stored.Status);
    }

    [Fact]
    public async Task CommittingAPlanTakesPackagesOutOfThePoolAndRoomFromTheDriver()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1", 0.03m), Pkg("p2", 0.02m), Pkg("p3")], Ct);

        var written = await Deliveries.CommitAssignmentsAsync(
            [new PlannedAssignment("d1", Pkg("p1", 0.03m)), new PlannedAssignment("d1", Pkg("p2", 0.02m))], 10, Ct);

        Assert.Equal(["p1", "p2"], written.Select(r => r.PackageId));
        Assert.Equal(["p3"], (await Deliveries.GetPoolAsync(Ct)).Select(p => p.PackageId));
        Assert.Equal(50m, (await Couriers.GetAsync("d1", Ct))!.AvailableCapacity);
        Assert.Equal(2, (await Deliveries.GetDriverAsync("d1", Ct))!.ActiveAssignments);
    }

    [Fact]
    public async Task ACommitSkipsPackagesAlreadyTakenDriversAtTheirCapAndVolumeThatDoesNotFit()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m), new DriverRecord("d2", [], 10m), new DriverRecord("d3", [], null)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1"), Pkg("p2"), Pkg("p3"), Pkg("big", 0.5m)], Ct);
        await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1"))], 10, Ct);

        var written = await Deliveries.CommitAssignmentsAsync(
        [
            new PlannedAssignment("d3", Pkg("p1")),        // taken by d1 already
            new PlannedAssignment("d3", Pkg("p2")),
            new PlannedAssignment("d3", Pkg("p3")),        // d3 at max_per_driver 1
            new PlannedAssignment("d2", Pkg("big", 0.5m)), // 500 L into 10 L
        ], maxPerDriver: 1, Ct);

        Assert.Equal([("d3", "p2")], written.Select(r => (r.DriverId, r.PackageId)));
        Assert.Equal(["big", "p3"], (await Deliveries.GetPoolAsync(Ct)).Select(p => p.PackageId));
    }

    [Fact]
    public async Task ConcurrentCommitsOfOverlappingPlansNeverAssignAPackageTwice()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], null), new DriverRecord("d2", [], null)], Ct);
        var packages = Enumerable.Range(0, 40).Select(i => Pkg($"p{i:D2}")).ToList();
        await Deliveries.AddPackagesAsync(packages, Ct);

        var results = await Task.WhenAll(new[] { "d1", "d2" }.Select(driver => Task.Run(() =>
            Deliveries.CommitAssignmentsAsync(packages.Select(p => new PlannedAssignment(driver, p)).ToList(), 100, Ct))));

        var all = results.SelectMany(r => r).Select(r => r.PackageId).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(40, all.Distinct().Count());
        Assert.Empty(await Deliveries.GetPoolAsync(Ct));
    }

    [Fact]
    public async Task StatusMovesForwardAndDeliveredReleasesTheRoom()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1", 0.04m)], Ct);
        await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1", 0.04m))], 10, Ct);

        var started = await Deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.InProgress, Ct);
        Assert.Equal((StatusUpdateOutcome.Updated, AssignmentStatus.Assigned), (started.Outcome, started.Previous));
        Assert.Equal(StatusUpdateOutcome.Unchanged, (await Deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.InProgress, Ct)).Outcome);
        Assert.Equal(60m, (await Couriers.GetAsync("d1", Ct))!.AvailableCapacity);
        var delivered = await Deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.Delivered, Ct);

        Assert.Equal(AssignmentStatus.Delivered, delivered.Record!.Status);
        Assert.Equal(100m, (await Couriers.GetAsync("d1", Ct))!.AvailableCapacity);
        var stored = Assert.Single((await Deliveries.ListPackagesAsync(PackageStatus.Delivered, new PageRequest<string>(10, null), Ct)).Items);
        Assert.Equal("d1", stored.DriverId);
        Assert.Equal(StatusUpdateOutcome.Illegal, (await Deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.Accepted, Ct)).Outcome);
    }

    [Fact]
    public async Task AFailedDeliveryReleasesTheRoomAndPutsThePackageBackInThePool()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1", 0.04m)], Ct);
        await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1", 0.04m))], 10, Ct);

        await Deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.FailedToDeliver, Ct);

        Assert.Equal(100m, (await Couriers.GetAsync("d1", Ct))!.AvailableCapacity);
        var pooled = Assert.Single((await Deliveries.ListPackagesAsync(PackageStatus.Unassigned, new PageRequest<string>(10, null), Ct)).Items);
        Assert.Equal(1, pooled.FailedAttempts);
        // The same driver may be given it again on a later /assign.
        Assert.Single(await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1", 0.04m))], 10, Ct));
    }

    [Fact]
    public async Task UpdatingAPairThatDoesNotExistSaysNotFound() =>
        Assert.Equal(StatusUpdateOutcome.NotFound, (await Deliveries.UpdateStatusAsync("d1", "nope", AssignmentStatus.Accepted, Ct)).Outcome);

    [Fact]
    public async Task APackageReservedBeforeItIsLoadedNeverEntersThePool()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 50m), Ct);
        await Deliveries.UpsertDriversAsync([new DriverRecord("d2", [], null)], Ct);
        await Couriers.ReserveAsync(new ReservationRequest("c1", "p1", 10m), Ct);

        await Deliveries.AddPackagesAsync([Pkg("p1"), Pkg("p2")], Ct);

        Assert.Equal(["p2"], (await Deliveries.GetPoolAsync(Ct)).Select(p => p.PackageId));
        var written = await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d2", Pkg("p1")), new PlannedAssignment("d2", Pkg("p2"))], 10, Ct);
        Assert.Equal(["p2"], written.Select(r => r.PackageId));
        Assert.Equal(40m, (await Couriers.GetAsync("c1", Ct))!.AvailableCapacity);
    }

    [Fact]
    public async Task AReservationOfAPooledPackageTakesItOutOfThePool()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 50m), Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1"), Pkg("p2")], Ct);

        await Couriers.ReserveAsync(new ReservationRequest("c1", "p1", 10m), Ct);
        Assert.Equal(["p2"], (await Deliveries.GetPoolAsync(Ct)).Select(p => p.PackageId));

        await Couriers.ReleaseAsync("c1", "p1", Ct);
        Assert.Equal(["p1", "p2"], (await Deliveries.GetPoolAsync(Ct)).Select(p => p.PackageId));
    }

    [Fact]
    public async Task ForceDeletingADriverPutsItsPackagesBackInThePool()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m), new DriverRecord("d2", [], 100m)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1"), Pkg("p2")], Ct);
        await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1")), new PlannedAssignment("d1", Pkg("p2"))], 10, Ct);
        await Deliveries.UpdateStatusAsync("d1", "p2", AssignmentStatus.InProgress, Ct);
        await Deliveries.UpdateStatusAsync("d1", "p2", AssignmentStatus.Delivered, Ct);

        Assert.Equal(DeleteStatus.Deleted, (await Couriers.DeleteAsync("d1", null, force: true, Ct)).Status);

        Assert.Equal(["p1"], (await Deliveries.GetPoolAsync(Ct)).Select(p => p.PackageId));
        Assert.Single(await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d2", Pkg("p1"))], 10, Ct));
    }

    [Fact]
    public async Task ADriversActiveCountFollowsItsAssignmentsAndCapsACommit()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], null)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1"), Pkg("p2"), Pkg("p3")], Ct);
        await Couriers.ReserveAsync(new ReservationRequest("d1", "held-elsewhere", 1m), Ct);

        var written = await Deliveries.CommitAssignmentsAsync(
            [new PlannedAssignment("d1", Pkg("p1")), new PlannedAssignment("d1", Pkg("p2")), new PlannedAssignment("d1", Pkg("p3"))], 2, Ct);

        // The reservation counts toward max_per_driver like an assignment does.
        Assert.Equal(["p1"], written.Select(r => r.PackageId));
        Assert.Equal(2, (await Deliveries.GetDriverAsync("d1", Ct))!.ActiveAssignments);
    }

    [Fact]
    public async Task PackagesListByStatusInIdOrderAcrossPages()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], null)], Ct);
        var packages = Enumerable.Range(0, 9).Select(i => Pkg($"p{i}")).ToList();
        await Deliveries.AddPackagesAsync(packages, Ct);
        await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p4"))], 10, Ct);

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await Deliveries.ListPackagesAsync(PackageStatus.Unassigned, new PageRequest<string>(3, after), Ct);
            seen.AddRange(page.Items.Select(p => p.Package.PackageId));
            after = page.NextCursor is null ? null : Cursors.TryDecode(page.NextCursor);
        } while (after is not null);

        Assert.Equal(["p0", "p1", "p2", "p3", "p5", "p6", "p7", "p8"], seen);
        Assert.Equal(9, (await Deliveries.ListPackagesAsync(null, new PageRequest<string>(20, null), Ct)).Items.Count);
    }
}
