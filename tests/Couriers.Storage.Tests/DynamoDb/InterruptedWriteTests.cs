using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Couriers.Core;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;
using Couriers.Storage.DynamoDb;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.DynamoDb;

/// <summary>
/// A process that dies, or loses DynamoDB, in the middle of a write leaves nothing half done: each
/// change of several items is one transaction, and what takes several transactions (a forced delete
/// of a courier holding more than one transaction carries) is complete after each of them. The cut is
/// DynamoDB becoming unreachable at a chosen request; nothing is repaired afterwards, only checked.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class InterruptedWriteTests(DynamoDbLocalFixture dynamoDb) : IAsyncLifetime
{
    private static CancellationToken Ct => CancellationToken.None;
    private readonly DynamoTestStores _stores = new(dynamoDb);
    private readonly FaultInjector _faults = new();
    private ServiceProvider _provider = null!;

    private ICourierStore Couriers => _provider.GetRequiredService<ICourierStore>();
    private IDeliveryStore Deliveries => _provider.GetRequiredService<IDeliveryStore>();
    private string Table(string name) => _stores.Prefix + name;

    public async Task InitializeAsync() => _provider = await _stores.StartAsync(faults: _faults,
        settings: new Dictionary<string, string?> { ["Storage:DynamoDb:MaxErrorRetry"] = "0" });

    /// <summary>DynamoDB goes away after <paramref name="through"/> transactions went through.</summary>
    private void CutAfterTransactions(int through)
    {
        var seen = 0;
        _faults.Inject(call => call.Operation == "TransactWriteItems" && Interlocked.Increment(ref seen) > through ? Fault.ServiceUnavailable : Fault.None);
    }

    [Fact]
    public async Task AReservationCutAtItsTransactionTakesNothingAndTheReferenceIsFreeAtOnce()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Couriers.CreateAsync(new NewCourier("c2", 45m), Ct);
        CutAfterTransactions(0);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct));
        _faults.Heal();

        Assert.Equal(0m, (await Couriers.GetAsync("c1", Ct))!.ReservedCapacity);
        Assert.Equal(ReserveStatus.Reserved, (await Couriers.ReserveAsync(new ReservationRequest("c2", "pkg-1", 10m), Ct)).Status);
    }

    [Fact]
    public async Task ADeliveryCutAtItsTransactionChangesNothingAndCanBeSentAgain()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1", 0.04m)], Ct);
        await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1", 0.04m))], 10, Ct);
        await Deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.InProgress, Ct);
        CutAfterTransactions(0);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => Deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.Delivered, Ct));
        _faults.Heal();
        Assert.Equal(60m, (await Couriers.GetAsync("d1", Ct))!.AvailableCapacity);
        Assert.Equal(1, (await Deliveries.GetDriverAsync("d1", Ct))!.ActiveAssignments);

        Assert.Equal(StatusUpdateOutcome.Updated, (await Deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.Delivered, Ct)).Outcome);
        Assert.Equal(100m, (await Couriers.GetAsync("d1", Ct))!.AvailableCapacity);
        var stored = Assert.Single((await Deliveries.ListPackagesAsync(PackageStatus.Delivered, new PageRequest<string>(10, null), Ct)).Items);
        Assert.Equal("d1", stored.DriverId);
    }

    [Fact]
    public async Task AForcedDeleteTooLargeForOneTransactionIsCompleteAfterEachPartAndFinishedBySendingItAgain()
    {
        const int Held = 40; // 40 × (assignment, claim, pool state) > 100 items: at least two transactions
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 1000m), new DriverRecord("d2", [], 1000m)], Ct);
        var packages = Enumerable.Range(0, Held).Select(i => Pkg($"p{i:D2}")).ToList();
        await Deliveries.AddPackagesAsync(packages, Ct);
        Assert.Equal(Held, (await Deliveries.CommitAssignmentsAsync(packages.Select(p => new PlannedAssignment("d1", p)).ToList(), Held, Ct)).Count);
        CutAfterTransactions(1);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => Couriers.DeleteAsync("d1", null, force: true, Ct));
        _faults.Heal();

        // Cut after its first part: the driver is still there, and exactly what it still holds is counted.
        var driver = await Couriers.GetAsync("d1", Ct);
        var left = await Couriers.ListReservationsAsync("d1", Ct);
        Assert.InRange(left.Count, 1, Held - 1);
        Assert.Equal(left.Sum(r => r.Volume), driver!.ReservedCapacity);
        Assert.Equal(left.Count, (await Deliveries.GetDriverAsync("d1", Ct))!.ActiveAssignments);
        var pool = (await Deliveries.GetPoolAsync(Ct)).Select(p => p.PackageId).ToHashSet();
        Assert.Equal(packages.Select(p => p.PackageId).Except(left.Select(r => r.Reference)).Order(), pool.Order());
        // What the first part released is free for another driver at once.
        Assert.Equal(pool.Count, (await Deliveries.CommitAssignmentsAsync(pool.Select(id => new PlannedAssignment("d2", Pkg(id))).ToList(), Held, Ct)).Count);

        Assert.Equal(DeleteStatus.Deleted, (await Couriers.DeleteAsync("d1", null, force: true, Ct)).Status);
        Assert.Null(await Couriers.GetAsync("d1", Ct));
        Assert.Equal(left.Count, (await Deliveries.GetPoolAsync(Ct)).Count);
    }

    [Fact]
    public async Task APackageALoadPutBackInThePoolWhileItWasClaimedIsNotHandedOutAndLeavesThePool()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m), new DriverRecord("d2", [], 100m)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1")], Ct);
        await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1"))], 10, Ct);
        // The blind batch put of a second load that read "not claimed" just before d1 claimed p1.
        var client = _provider.GetRequiredService<IAmazonDynamoDB>();
        var stored = (await client.GetItemAsync(Table(DynamoSchema.PackageTable.Name), new() { ["package_id"] = new AttributeValue { S = "p1" } }, Ct)).Item;
        stored["status"] = new AttributeValue { S = "unassigned" };
        stored["status_shard"] = new AttributeValue { S = DynamoSchema.StatusShard("unassigned", "p1", 4) };
        stored.Remove("driver_id");
        await client.PutItemAsync(Table(DynamoSchema.PackageTable.Name), stored, Ct);

        // The claim holds: /assign cannot hand it to a second driver, and puts the pool right.
        Assert.Empty(await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d2", Pkg("p1"))], 10, Ct));

        Assert.Empty(await Deliveries.GetPoolAsync(Ct));
        var package = Assert.Single((await Deliveries.ListPackagesAsync(PackageStatus.Assigned, new PageRequest<string>(10, null), Ct)).Items);
        Assert.Equal("d1", package.DriverId);
        Assert.Equal((1, 0), ((await Deliveries.GetDriverAsync("d1", Ct))!.ActiveAssignments, (await Deliveries.GetDriverAsync("d2", Ct))!.ActiveAssignments));
    }

    private static Package Pkg(string id, decimal volumeM3 = 0.01m) => new(id, 5m, false, false, false, Region.North, 10m, null, 4m, 10, volumeM3);

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        _faults.Dispose();
    }
}
