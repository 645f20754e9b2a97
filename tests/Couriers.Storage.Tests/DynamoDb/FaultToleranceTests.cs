using Amazon.DynamoDBv2.Model;
using Couriers.Core;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Storage.DynamoDb;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.DynamoDb;

/// <summary>
/// DynamoDB throttles, fails, drops connections and cancels transactions that meet other writers; a
/// fault injector between the SDK and DynamoDB Local makes it do so on chosen requests. Retries must
/// absorb short faults, a lasting outage must surface as StoreUnavailableException (the API's 503),
/// and no retry may count room twice.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class FaultToleranceTests(DynamoDbLocalFixture dynamoDb) : IAsyncLifetime
{
    private static CancellationToken Ct => CancellationToken.None;
    private readonly DynamoTestStores _stores = new(dynamoDb);
    private readonly FaultInjector _faults = new();
    private readonly ManualClock _clock = new();
    private ServiceProvider _provider = null!;

    private ICourierStore Couriers => _provider.GetRequiredService<ICourierStore>();
    private IDeliveryStore Deliveries => _provider.GetRequiredService<IDeliveryStore>();
    private string CouriersTable => _stores.Prefix + DynamoSchema.CourierTable.Name;

    public async Task InitializeAsync() => _provider = await StartAsync(maxErrorRetry: 3);

    private Task<ServiceProvider> StartAsync(int maxErrorRetry, int unprocessedRetries = 8) => _stores.StartAsync(_clock, _faults, new Dictionary<string, string?>
    {
        ["Storage:DynamoDb:MaxErrorRetry"] = maxErrorRetry.ToString(),
        ["Storage:DynamoDb:UnprocessedRetries"] = unprocessedRetries.ToString(),
    });

    [Theory]
    [InlineData(Fault.Throttle)]
    [InlineData(Fault.ThrottlingException)]
    [InlineData(Fault.ServerError)]
    [InlineData(Fault.DropRequest)]
    public async Task AShortFaultIsAbsorbedByTheSdkRetries(Fault fault)
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        _faults.InjectTimes(2, fault, call => call.Operation == "GetItem");

        var read = await Couriers.GetAsync("c1", Ct);

        Assert.Equal(45m, read!.MaxCapacity);
        Assert.Equal(2, _faults.Count("GetItem", fault));
        Assert.Equal(1, _faults.Count("GetItem", Fault.None));
    }

    [Theory]
    [InlineData(Fault.Throttle)]
    [InlineData(Fault.ServiceUnavailable)]
    [InlineData(Fault.DropRequest)]
    public async Task ALastingOutageSurfacesAsStoreUnavailable(Fault fault)
    {
        var provider = await StartAsync(maxErrorRetry: 1);
        var couriers = provider.GetRequiredService<ICourierStore>();
        _faults.Inject(_ => fault);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => couriers.GetAsync("c1", Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 1m), Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => provider.GetRequiredService<IDeliveryStore>().GetPoolAsync(Ct));
    }

    [Fact]
    public void AFailedConditionIsAnAnswerAndNeverAnOutage()
    {
        Assert.False(DynamoErrors.IsUnavailable(new ConditionalCheckFailedException("no room"), Ct));
        Assert.True(DynamoErrors.IsUnavailable(new ProvisionedThroughputExceededException("hot"), Ct));
        Assert.True(DynamoErrors.IsUnavailable(new HttpRequestException("reset"), Ct));
    }

    [Fact]
    public async Task ReadinessIsFalseWhileDynamoDbFailsAndTrueAgainAfter()
    {
        _faults.Inject(_ => Fault.ServiceUnavailable);
        Assert.False(await Couriers.IsReadyAsync(Ct));

        _faults.Inject(_ => Fault.DropRequest);
        Assert.False(await Couriers.IsReadyAsync(Ct));

        _faults.Heal();
        Assert.True(await Couriers.IsReadyAsync(Ct));
    }

    [Fact]
    public async Task AReservationWhoseResponseIsLostIsAppliedOnceByItsClientRequestToken()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        // The transaction lands in DynamoDB, the connection drops before the answer, the SDK sends it again.
        _faults.InjectTimes(1, Fault.LoseResponse, call => call.Operation == "TransactWriteItems");

        var first = await Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);
        var again = await Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        var sent = Transactions();
        Assert.Equal([Fault.LoseResponse, Fault.None], sent.Select(c => c.Fault));
        Assert.Equal(sent[0].Call.Token, sent[1].Call.Token); // the same token: DynamoDB answers the retry without applying it again
        Assert.Equal((ReserveStatus.Reserved, ReserveStatus.AlreadyReserved), (first.Status, again.Status));
        AssertHolds(await Couriers.GetAsync("c1", Ct), reserved: 10m);
    }

    [Fact]
    public async Task AReservationWhoseFailureReachesTheClientIsCountedOnceWhenRetriedByReference()
    {
        var provider = await StartAsync(maxErrorRetry: 0);
        var couriers = provider.GetRequiredService<ICourierStore>();
        await couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        _faults.InjectTimes(1, Fault.LoseResponse, call => call.Operation == "TransactWriteItems");

        await Assert.ThrowsAsync<StoreUnavailableException>(() => couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct));
        // The client sends the reservation again, as the API tells it to: the reference is found held, nothing is counted twice.
        var retry = await couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        Assert.Equal(ReserveStatus.AlreadyReserved, retry.Status);
        AssertHolds(await couriers.GetAsync("c1", Ct), reserved: 10m);
        Assert.Single(await couriers.ListReservationsAsync("c1", Ct));
    }

    /// <summary>What the retries above rely on, asked of the emulator directly: a token applies its transaction once.</summary>
    [Fact]
    public async Task AClientRequestTokenAppliesItsTransactionOnceAndRefusesOtherItemsUnderIt()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        var client = _provider.GetRequiredService<Amazon.DynamoDBv2.IAmazonDynamoDB>();
        TransactWriteItemsRequest Take(int liters) => new()
        {
            ClientRequestToken = "token-1",
            TransactItems =
            [
                new() { Update = new() { TableName = CouriersTable, Key = new() { ["id"] = new AttributeValue { S = "c1" } },
                    UpdateExpression = "ADD reserved_ml :v", ExpressionAttributeValues = new() { [":v"] = new AttributeValue { N = $"{liters * 1000}" } } } },
            ],
        };

        await client.TransactWriteItemsAsync(Take(10), Ct);
        await client.TransactWriteItemsAsync(Take(10), Ct);
        var mismatch = await Assert.ThrowsAsync<IdempotentParameterMismatchException>(() => client.TransactWriteItemsAsync(Take(20), Ct));

        Assert.Equal(10m, (await Couriers.GetAsync("c1", Ct))!.ReservedCapacity);
        Assert.False(DynamoErrors.IsUnavailable(mismatch, Ct));
    }

    [Fact]
    public async Task ATransactionInProgressAnswerIsRetriedWithTheSameTokenAndAppliedOnce()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        _faults.InjectTimes(1, Fault.TransactionInProgress, call => call.Operation == "TransactWriteItems");

        var result = await Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        var sent = Transactions();
        Assert.Equal([Fault.TransactionInProgress, Fault.None], sent.Select(c => c.Fault));
        Assert.Equal(sent[0].Call.Token, sent[1].Call.Token);
        Assert.Equal(ReserveStatus.Reserved, result.Status);
        AssertHolds(await Couriers.GetAsync("c1", Ct), reserved: 10m);
    }

    [Fact]
    public async Task ATransactionCancelledByAConflictIsTriedAgainUntilItCommits()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        _faults.InjectTimes(3, Fault.TransactionConflict, call => call.Operation == "TransactWriteItems");

        var result = await Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        Assert.Equal([Fault.TransactionConflict, Fault.TransactionConflict, Fault.TransactionConflict, Fault.None], Transactions().Select(c => c.Fault));
        Assert.Equal(ReserveStatus.Reserved, result.Status);
        AssertHolds(await Couriers.GetAsync("c1", Ct), reserved: 10m);
    }

    [Fact]
    public async Task ATransactionThatKeepsConflictingIsContentionNotAnOutage()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        _faults.Inject(call => call.Operation == "TransactWriteItems" ? Fault.TransactionConflict : Fault.None);

        await Assert.ThrowsAsync<StoreContentionException>(() => Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct));

        _faults.Heal();
        AssertHolds(await Couriers.GetAsync("c1", Ct), reserved: 0m);
        Assert.Empty(await Couriers.ListReservationsAsync("c1", Ct));
    }

    [Fact]
    public async Task ATransactionRefusedByAConditionIsDecidedAgainOnAFreshRead()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);
        _faults.InjectTimes(1, Fault.TransactionConditionFailed, call => call.Operation == "TransactWriteItems");
        _faults.Calls.Clear();

        var released = await Couriers.ReleaseAsync("c1", "pkg-1", Ct);

        // read, refused transaction, read again, transaction
        Assert.Equal(["BatchGetItem", "TransactWriteItems", "BatchGetItem", "TransactWriteItems"], _faults.Calls.Select(c => c.Call.Operation));
        Assert.Equal(ReleaseStatus.Released, released.Status);
        AssertHolds(await Couriers.GetAsync("c1", Ct), reserved: 0m);
    }

    [Fact]
    public async Task ACourierUpdateThatMeetsAnotherWritersTransactionIsTriedAgain()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        _faults.InjectTimes(2, Fault.ItemInTransaction, call => call.Operation == "UpdateItem" && call.Targets(CouriersTable));

        var result = await Couriers.UpdateAsync("c1", new CourierChange(60m, null), null, Ct);

        Assert.Equal(UpdateStatus.Updated, result.Status);
        Assert.Equal(3, _faults.Count("UpdateItem"));
        Assert.Equal(60m, (await Couriers.GetAsync("c1", Ct))!.AvailableCapacity);
    }

    [Fact]
    public async Task AnAssignTransactionCancelledByAConflictCommitsEveryPackageOnce()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m)], Ct);
        var packages = Enumerable.Range(0, 5).Select(i => new Package($"p{i}", 1m, false, false, false, Region.North, 5m, null, 4m, 10, 0.002m)).ToList();
        await Deliveries.AddPackagesAsync(packages, Ct);
        _faults.InjectTimes(2, Fault.TransactionConflict, call => call.Operation == "TransactWriteItems");

        var written = await Deliveries.CommitAssignmentsAsync(packages.Select(p => new PlannedAssignment("d1", p)).ToList(), 10, Ct);

        Assert.Equal(5, written.Count);
        Assert.Equal(3, _faults.Count("TransactWriteItems"));
        var driver = (await Deliveries.GetDriverAsync("d1", Ct))!;
        Assert.Equal((5, 10m), (driver.ActiveAssignments, driver.Courier.ReservedCapacity));
        Assert.Empty(await Deliveries.GetPoolAsync(Ct));
    }

    private List<SeenCall> Transactions() => [.. _faults.Calls.Where(c => c.Call.Operation == "TransactWriteItems").OrderBy(c => c.Started)];

    private static void AssertHolds(Courier? courier, decimal reserved)
    {
        Assert.NotNull(courier);
        Assert.Equal((reserved, 45m - reserved), (courier.ReservedCapacity, courier.AvailableCapacity));
    }

    [Fact]
    public async Task UnprocessedBatchItemsAreSentAgainUntilWritten()
    {
        var packages = Enumerable.Range(0, 30).Select(i => new Package($"p{i:D2}", 1m, false, false, false, Region.North, 5m, null, 4m, 10, 0.01m)).ToList();
        var halved = 0;
        _faults.Inject(call => call.Operation == "BatchWriteItem" && Interlocked.Increment(ref halved) <= 4 ? Fault.HalfUnprocessed : Fault.None);

        var result = await Deliveries.AddPackagesAsync(packages, Ct);

        Assert.Equal(30, result.Created);
        Assert.Equal(4, _faults.Count("BatchWriteItem", Fault.HalfUnprocessed));
        Assert.True(_faults.Count("BatchWriteItem", Fault.None) >= 2);
        Assert.Equal(packages.Select(p => p.PackageId), (await Deliveries.GetPoolAsync(Ct)).Select(p => p.PackageId));
    }

    [Fact]
    public async Task ABatchLeftUnprocessedTooLongIsUnavailableAndSendingItAgainCompletesIt()
    {
        var provider = await StartAsync(maxErrorRetry: 0, unprocessedRetries: 2);
        var deliveries = provider.GetRequiredService<IDeliveryStore>();
        var packages = Enumerable.Range(0, 8).Select(i => new Package($"p{i}", 1m, false, false, false, Region.East, 5m, null, 4m, 10, 0.01m)).ToList();
        _faults.Inject(call => call.Operation == "BatchWriteItem" ? Fault.HalfUnprocessed : Fault.None);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => deliveries.AddPackagesAsync(packages, Ct));
        _faults.Heal();
        var again = await deliveries.AddPackagesAsync(packages, Ct);

        Assert.True(again.Applied);
        Assert.Equal(8, again.Created + again.Unchanged);
        Assert.Equal(8, (await deliveries.GetPoolAsync(Ct)).Count);
    }

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        _faults.Dispose();
    }
}
