using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Paging;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Storage.Tests.DynamoDb;

/// <summary>
/// What each operation costs in DynamoDB requests on its happy path (docs/dynamodb.md lists them):
/// a change that adds a request shows up here, not on the bill.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class RequestCountTests(DynamoDbLocalFixture dynamoDb) : IAsyncLifetime
{
    private static CancellationToken Ct => CancellationToken.None;
    private readonly DynamoTestStores _stores = new(dynamoDb);
    private readonly FaultInjector _counter = new();
    private ServiceProvider _provider = null!;

    private ICourierStore Couriers => _provider.GetRequiredService<ICourierStore>();
    private IDeliveryStore Deliveries => _provider.GetRequiredService<IDeliveryStore>();

    public async Task InitializeAsync() => _provider = await _stores.StartAsync(faults: _counter);

    private async Task<Dictionary<string, int>> CountAsync(Func<Task> operation)
    {
        _counter.Calls.Clear();
        await operation();
        return _counter.Calls.GroupBy(c => c.Call.Operation).ToDictionary(g => g.Key, g => g.Count());
    }

    [Fact]
    public async Task AReservationIsFourConditionalWritesAndNoRead()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);

        var calls = await CountAsync(() => Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct));

        // claim, room, assignment, pool state
        Assert.Equal(new Dictionary<string, int> { ["PutItem"] = 2, ["UpdateItem"] = 2 }, calls);
    }

    [Fact]
    public async Task AReleaseIsTwoReadsAndFourWrites()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        var calls = await CountAsync(() => Couriers.ReleaseAsync("c1", "pkg-1", Ct));

        // read courier and assignment; delete assignment, room back, pool state, delete claim
        Assert.Equal(new Dictionary<string, int> { ["GetItem"] = 2, ["DeleteItem"] = 2, ["UpdateItem"] = 2 }, calls);
    }

    [Fact]
    public async Task ALookupPageIsOneQueryPerShard()
    {
        for (var i = 0; i < 20; i++) await Couriers.CreateAsync(new NewCourier($"c{i}", 10m + i), Ct);

        var calls = await CountAsync(() => Couriers.LookupAsync(12m, new PageRequest<LookupCursor>(5, null), Ct));

        Assert.Equal(new Dictionary<string, int> { ["Query"] = 8 }, calls);
    }

    [Fact]
    public async Task AssigningAPackageIsFourWritesAfterOneBatchReadOfTheDrivers()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m)], Ct);
        var packages = Enumerable.Range(0, 10).Select(i => new Package($"p{i}", 1m, false, false, false, Region.North, 5m, null, 4m, 10, 0.001m)).ToList();
        await Deliveries.AddPackagesAsync(packages, Ct);

        var calls = await CountAsync(() => Deliveries.CommitAssignmentsAsync(packages.Select(p => new PlannedAssignment("d1", p)).ToList(), 20, Ct));

        // per package: claim, out of the pool, room, assignment
        Assert.Equal(new Dictionary<string, int> { ["BatchGetItem"] = 1, ["PutItem"] = 20, ["UpdateItem"] = 20 }, calls);
    }

    [Fact]
    public async Task LoadingPackagesIsTwoBatchReadsAndOneBatchWritePer25()
    {
        var packages = Enumerable.Range(0, 60).Select(i => new Package($"p{i:D2}", 1m, false, false, false, Region.North, 5m, null, 4m, 10, 0.001m)).ToList();

        var calls = await CountAsync(() => Deliveries.AddPackagesAsync(packages, Ct));

        Assert.Equal(new Dictionary<string, int> { ["BatchGetItem"] = 2, ["BatchWriteItem"] = 3 }, calls);
    }

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        _counter.Dispose();
    }
}
