using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Lookup;
using Couriers.Core.Paging;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.Contract;

/// <summary>
/// What every adapter must do for the reads clients page through, the courier batch, and the lookup by
/// package (the store's lookup filtered by each courier's rules); subclasses say how to make the stores.
/// </summary>
public abstract class DeliveryQueriesContract : IAsyncLifetime
{
    private IServiceProvider _services = null!;

    protected static CancellationToken Ct => CancellationToken.None;

    protected ICourierStore Couriers => _services.GetRequiredService<ICourierStore>();

    private IDeliveryStore Deliveries => _services.GetRequiredService<IDeliveryStore>();

    private IDeliveryQueries Queries => _services.GetRequiredService<IDeliveryQueries>();

    private ICourierBatches Batches => _services.GetRequiredService<ICourierBatches>();

    protected abstract Task<IServiceProvider> CreateServicesAsync();

    public async Task InitializeAsync() => _services = await CreateServicesAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static readonly IReadOnlyList<RuleSpec> NorthOnly = [RuleSpec.Create("r1", "REGION_ONLY", new { allowed_regions = new[] { "north" } })];

    private static readonly IReadOnlyList<RuleSpec> FragileOnly = [RuleSpec.Create("r1", "FRAGILE_ONLY")];

    private static Package Pkg(string id, decimal volumeM3 = 0.01m, Region region = Region.North, bool fragile = false) =>
        new(id, 5m, false, false, fragile, region, 10m, null, 4m, 10, volumeM3);

    [Fact]
    public async Task APackageIsReadWithItsStatusAndDriverAndAnUnknownOneIsNull()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1"), Pkg("p2")], Ct);
        await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1"))], 5, Ct);

        var assigned = await Queries.GetPackageAsync("p1", Ct);
        var pooled = await Queries.GetPackageAsync("p2", Ct);

        Assert.Equal((PackageStatus.Assigned, "d1"), (assigned!.Status, assigned.DriverId));
        Assert.Equal(Pkg("p1"), assigned.Package);
        Assert.Equal(PackageStatus.Unassigned, pooled!.Status);
        Assert.Null(await Queries.GetPackageAsync("ghost", Ct));
    }

    [Fact]
    public async Task DriversArePagedByIdAndFilteredByRoom()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", NorthOnly, 10m), new DriverRecord("d2", [], 10m), new DriverRecord("d3", [], null)], Ct);
        await Couriers.UpdateAsync("d2", new CourierChange(null, 0m), null, Ct);

        var first = await Queries.ListDriversAsync(null, new PageRequest<string>(2, null), Ct);
        var rest = await Queries.ListDriversAsync(null, new PageRequest<string>(2, Cursors.TryDecode(first.NextCursor!)), Ct);
        var roomy = await Queries.ListDriversAsync(true, new PageRequest<string>(10, null), Ct);
        var full = await Queries.ListDriversAsync(false, new PageRequest<string>(10, null), Ct);

        Assert.Equal(["d1", "d2"], first.Items.Select(d => d.Courier.Id));
        Assert.Equal(["d3"], rest.Items.Select(d => d.Courier.Id));
        Assert.Null(rest.NextCursor);
        Assert.Equal(["d1", "d3"], roomy.Items.Select(d => d.Courier.Id));
        Assert.Equal(["d2"], full.Items.Select(d => d.Courier.Id));
        Assert.Equal("REGION_ONLY", Assert.Single(first.Items[0].Rules).Code);
    }

    [Fact]
    public async Task ADriversAssignmentsIncludeFinishedOnesAndFilterByStatus()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1"), Pkg("p2"), Pkg("p3")], Ct);
        await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1")), new PlannedAssignment("d1", Pkg("p2"))], 5, Ct);
        await Deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.FailedToDeliver, Ct);

        var all = await Queries.ListAssignmentsAsync("d1", null, new PageRequest<string>(1, null), Ct);
        var next = await Queries.ListAssignmentsAsync("d1", null, new PageRequest<string>(1, Cursors.TryDecode(all!.NextCursor!)), Ct);
        var failed = await Queries.ListAssignmentsAsync("d1", AssignmentStatus.FailedToDeliver, new PageRequest<string>(10, null), Ct);

        Assert.Equal(("p1", AssignmentStatus.FailedToDeliver), (all.Items[0].PackageId, all.Items[0].Status));
        Assert.Equal(Pkg("p1"), all.Items[0].Package);
        Assert.Equal(["p2"], next!.Items.Select(a => a.PackageId));
        Assert.Null(next.NextCursor);
        Assert.Equal(["p1"], failed!.Items.Select(a => a.PackageId));
        Assert.Null(await Queries.ListAssignmentsAsync("ghost", null, new PageRequest<string>(10, null), Ct));
    }

    [Fact]
    public async Task ACourierBatchCreatesUpdatesAndLeavesUnchangedWithoutTouchingRules()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", NorthOnly, 10m)], Ct);
        await Couriers.CreateAsync(new NewCourier("c2", 20m), Ct);

        var result = await Batches.UpsertCouriersAsync([new NewCourier("d1", 15m), new NewCourier("c2", 20m), new NewCourier("c3", 30m)], Ct);

        Assert.Equal((1, 1, 1), (result.Created, result.Updated, result.Unchanged));
        var driver = await Deliveries.GetDriverAsync("d1", Ct);
        Assert.Equal((15m, 2L), (driver!.Courier.MaxCapacity, driver.Courier.Version));
        Assert.Equal("REGION_ONLY", Assert.Single(driver.Rules).Code);
        Assert.Equal(30m, (await Couriers.GetAsync("c3", Ct))!.MaxCapacity);
        Assert.Equal(3, (await Batches.UpsertCouriersAsync([new NewCourier("d1", 15m), new NewCourier("c2", 20m), new NewCourier("c3", 30m)], Ct)).Unchanged);
    }

    [Fact]
    public async Task ACourierBatchWithAMaxBelowTheLoadInUseAppliesNothing()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Couriers.ReserveAsync(new ReservationRequest("c1", "p1", 40m), Ct);

        var result = await Batches.UpsertCouriersAsync([new NewCourier("new", 5m), new NewCourier("c1", 30m)], Ct);

        Assert.False(result.Applied);
        Assert.Contains("[1].max_capacity", result.Conflicts.Keys);
        Assert.Null(await Couriers.GetAsync("new", Ct));
        Assert.Equal(45m, (await Couriers.GetAsync("c1", Ct))!.MaxCapacity);
    }

    [Fact]
    public async Task TheStoresLookupByPackageKeepsTheCouriersWhoseRulesAcceptItBestFitFirstPageByPage()
    {
        await Deliveries.UpsertDriversAsync([
            new DriverRecord("north-25", NorthOnly, 25m), new DriverRecord("fragile-21", FragileOnly, 21m), new DriverRecord("any-30", [], 30m),
            new DriverRecord("north-19", NorthOnly, 19m), new DriverRecord("any-50", [], 50m), new DriverRecord("south-40", NorthOnly, 40m)], Ct);
        await Couriers.CreateAsync(new NewCourier("plain-22", 22m), Ct);
        var lookup = new StoreCourierLookup(Couriers, Deliveries);
        var north = Pkg("n", 0.02m);
        var south = Pkg("s", 0.02m, Region.South);

        var first = await lookup.LookupForAsync(north, new PageRequest<LookupCursor>(2, null), Ct);
        var second = await lookup.LookupForAsync(north, new PageRequest<LookupCursor>(2, LookupCursor.TryDecode(first.NextCursor!)), Ct);
        var third = await lookup.LookupForAsync(north, new PageRequest<LookupCursor>(2, LookupCursor.TryDecode(second.NextCursor!)), Ct);
        var forSouth = await lookup.LookupForAsync(south, new PageRequest<LookupCursor>(10, null), Ct);

        Assert.Equal(["plain-22", "north-25"], first.Items.Select(c => c.Id));
        Assert.Equal(["any-30", "south-40"], second.Items.Select(c => c.Id));
        Assert.Equal(["any-50"], third.Items.Select(c => c.Id));
        Assert.Null(third.NextCursor);
        Assert.Equal(["plain-22", "any-30", "any-50"], forSouth.Items.Select(c => c.Id));
    }
}
