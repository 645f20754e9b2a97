using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Couriers.Core;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;
using Couriers.Storage.DynamoDb;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.DynamoDb;

/// <summary>
/// Invariant 3: a process that dies between two writes of a sequence leaves a state that a retry or
/// a reconcile completes (after the commit point) or undoes (before it). The "crash" is DynamoDB
/// becoming unreachable right after a chosen write.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class RecoveryTests(DynamoDbLocalFixture dynamoDb) : IAsyncLifetime
{
    private static CancellationToken Ct => CancellationToken.None;
    private readonly DynamoTestStores _stores = new(dynamoDb);
    private readonly FaultInjector _faults = new();
    private readonly ManualClock _clock = new();
    private ServiceProvider _provider = null!;

    private ICourierStore Couriers => _provider.GetRequiredService<ICourierStore>();
    private IDeliveryStore Deliveries => _provider.GetRequiredService<IDeliveryStore>();
    private ICapacityReconciler Reconciler => _provider.GetRequiredService<ICapacityReconciler>();
    private string Table(string name) => _stores.Prefix + name;

    public async Task InitializeAsync() => _provider = await _stores.StartAsync(_clock, _faults,
        new Dictionary<string, string?> { ["Storage:DynamoDb:MaxErrorRetry"] = "0" });

    private void CrashOn(string operation, string table) =>
        _faults.Inject(call => call.Operation == operation && call.Targets(Table(table)) ? Fault.ServiceUnavailable : Fault.None);

    [Fact]
    public async Task AReservationCutBeforeItsCommitPointIsUndoneByReconcileOnceItsClaimTimesOut()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Couriers.CreateAsync(new NewCourier("c2", 45m), Ct);
        CrashOn("PutItem", DynamoSchema.AssignmentTable.Name); // claim and room written, assignment not
        await Assert.ThrowsAsync<StoreUnavailableException>(() => Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct));
        _faults.Heal();
        Assert.Equal(10m, (await Couriers.GetAsync("c1", Ct))!.ReservedCapacity);

        var early = await Reconciler.ReconcileAsync("c1", Ct); // it could still be a live writer: left alone
        _clock.Advance(TimeSpan.FromMinutes(1));
        var late = await Reconciler.ReconcileAsync("c1", Ct);

        Assert.False(early.Changed);
        Assert.True(late.Changed);
        Assert.Equal(0m, (await Couriers.GetAsync("c1", Ct))!.ReservedCapacity);
        Assert.Equal(ReserveStatus.Reserved, (await Couriers.ReserveAsync(new ReservationRequest("c2", "pkg-1", 10m), Ct)).Status);
    }

    [Fact]
    public async Task ADeliveryCutAfterItsCommitPointIsCompletedByReconcile()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1", 0.04m)], Ct);
        await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1", 0.04m))], 10, Ct);
        await Deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.InProgress, Ct);
        CrashOn("UpdateItem", DynamoSchema.CourierTable.Name); // status written, room not given back

        await Assert.ThrowsAsync<StoreUnavailableException>(() => Deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.Delivered, Ct));
        _faults.Heal();
        var result = await Reconciler.ReconcileAsync("d1", Ct);

        Assert.True(result.Changed);
        Assert.Equal(100m, (await Couriers.GetAsync("d1", Ct))!.AvailableCapacity);
        var stored = Assert.Single((await Deliveries.ListPackagesAsync(PackageStatus.Delivered, new PageRequest<string>(10, null), Ct)).Items);
        Assert.Equal("d1", stored.DriverId);
        Assert.Equal(0, (await Deliveries.GetDriverAsync("d1", Ct))!.ActiveAssignments);
    }

    [Fact]
    public async Task AReleaseCutAfterItsCommitPointIsFinishedByTheNextReservationOfTheReference()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Couriers.CreateAsync(new NewCourier("c2", 45m), Ct);
        await Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);
        CrashOn("UpdateItem", DynamoSchema.CourierTable.Name); // assignment deleted, room not given back

        await Assert.ThrowsAsync<StoreUnavailableException>(() => Couriers.ReleaseAsync("c1", "pkg-1", Ct));
        _faults.Heal();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var other = await Couriers.ReserveAsync(new ReservationRequest("c2", "pkg-1", 10m), Ct);

        Assert.Equal(ReserveStatus.Reserved, other.Status);
        Assert.Equal(45m, (await Couriers.GetAsync("c1", Ct))!.AvailableCapacity);
        Assert.Empty(await Couriers.ListReservationsAsync("c1", Ct));
    }

    [Fact]
    public async Task AnAssignCutBeforeItsCommitPointLeavesThePackageToTheNextAssignAfterTheTimeout()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m), new DriverRecord("d2", [], 100m)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1")], Ct);
        CrashOn("PutItem", DynamoSchema.AssignmentTable.Name);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1"))], 10, Ct));
        _faults.Heal();

        _clock.Advance(TimeSpan.FromMinutes(1));
        await Reconciler.ReconcileAsync("d1", Ct);

        Assert.Equal(["p1"], (await Deliveries.GetPoolAsync(Ct)).Select(p => p.PackageId));
        Assert.Equal(100m, (await Couriers.GetAsync("d1", Ct))!.AvailableCapacity);
        Assert.Single(await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d2", Pkg("p1"))], 10, Ct));
    }

    [Fact]
    public async Task ReservedCapacityOverwrittenByHandIsRecomputedFromTheAssignments()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);
        await Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-2", 20m), Ct);
        // Someone "fixes" the item by hand and loses the room count.
        await _provider.GetRequiredService<IAmazonDynamoDB>().UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Table(DynamoSchema.CourierTable.Name),
            Key = new() { ["id"] = new AttributeValue { S = "c1" } },
            UpdateExpression = "SET reserved_ml = :zero, available_ml = :max, active = :none",
            ExpressionAttributeValues = new()
            {
                [":zero"] = new AttributeValue { N = "0" }, [":max"] = new AttributeValue { N = "45000" }, [":none"] = new AttributeValue { M = [] },
            },
        }, Ct);

        var result = await Reconciler.ReconcileAsync("c1", Ct);

        Assert.Equal((0m, 30m, 2), (result.ReservedBefore, result.ReservedAfter, result.ActiveAssignments));
        Assert.Equal(15m, (await Couriers.GetAsync("c1", Ct))!.AvailableCapacity);
        Assert.Equal(ReserveStatus.InsufficientCapacity, (await Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-3", 15.001m), Ct)).Status);
        Assert.Equal(ReleaseStatus.Released, (await Couriers.ReleaseAsync("c1", "pkg-2", Ct)).Status);
        Assert.Equal(35m, (await Couriers.GetAsync("c1", Ct))!.AvailableCapacity);
    }

    [Fact]
    public async Task APackagePutBackInThePoolByARacingDuplicateLoadIsTakenOutByReconcile()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m), new DriverRecord("d2", [], 100m)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1")], Ct);
        await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1"))], 10, Ct);
        // The blind put of a second load that read "absent" before the first load wrote p1.
        var client = _provider.GetRequiredService<IAmazonDynamoDB>();
        var stored = (await client.GetItemAsync(Table(DynamoSchema.PackageTable.Name), new() { ["package_id"] = new AttributeValue { S = "p1" } }, Ct)).Item;
        stored["status"] = new AttributeValue { S = "unassigned" };
        stored["status_shard"] = new AttributeValue { S = DynamoSchema.StatusShard("unassigned", "p1", 4) };
        stored.Remove("driver_id");
        stored.Remove("attempt");
        await client.PutItemAsync(Table(DynamoSchema.PackageTable.Name), stored, Ct);

        // The claim still holds: /assign cannot hand it to a second driver.
        Assert.Empty(await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d2", Pkg("p1"))], 10, Ct));
        await Reconciler.ReconcileAsync("d1", Ct);

        Assert.Empty(await Deliveries.GetPoolAsync(Ct));
        Assert.Equal(1, (await Deliveries.GetDriverAsync("d1", Ct))!.ActiveAssignments);
    }

    [Fact]
    public async Task AForcedDeleteSettlesAReservationACrashLeftHalfDone()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Couriers.CreateAsync(new NewCourier("c2", 45m), Ct);
        CrashOn("PutItem", DynamoSchema.AssignmentTable.Name);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct));
        _faults.Heal();
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(DeleteStatus.Deleted, (await Couriers.DeleteAsync("c1", null, force: true, Ct)).Status);

        Assert.Equal(ReserveStatus.Reserved, (await Couriers.ReserveAsync(new ReservationRequest("c2", "pkg-1", 10m), Ct)).Status);
    }

    private static Package Pkg(string id, decimal volumeM3 = 0.01m) => new(id, 5m, false, false, false, Region.North, 10m, null, 4m, 10, volumeM3);

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        _faults.Dispose();
    }
}
