using System.Text.Json.Nodes;
using Couriers.Core.Couriers;
using Couriers.Core.Deliveries;
using Couriers.Core.Lookup;
using Couriers.Core.Paging;
using Couriers.Storage.DynamoDb;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Couriers.Storage.Tests.DynamoDb;

/// <summary>
/// What each operation costs on its happy path, as docs/dynamodb.md lists it: requests by operation,
/// round trips of the operations that send one request after another, and write units. Write units follow DynamoDB's
/// pricing for items under 1 KB (checked here for every item written): 1 per item of PutItem,
/// UpdateItem, DeleteItem or BatchWriteItem, 2 per item of a TransactWriteItems. Index writes come on
/// top and are listed in the docs. A change that adds a request or a write unit shows up here first.
/// The capacity index feed's polls run beside every measurement on their own timer; they are counted apart.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class RequestCountTests(DynamoDbLocalFixture dynamoDb, ITestOutputHelper output) : IAsyncLifetime
{
    private static CancellationToken Ct => CancellationToken.None;
    private readonly DynamoTestStores _stores = new(dynamoDb);
    private readonly FaultInjector _counter = new();
    private ServiceProvider _provider = null!;

    private ICourierStore Couriers => _provider.GetRequiredService<ICourierStore>();
    private IDeliveryStore Deliveries => _provider.GetRequiredService<IDeliveryStore>();

    // Pinned here is the happy path, where every write lands within half the overlap of the time it carries;
    // on this 2-core machine DynamoDB Local can take longer under load, so the overlap is set past any write.
    // A slow write's one extra request is pinned below on its own.
    public async Task InitializeAsync() => _provider = await _stores.StartAsync(faults: _counter,
        settings: new Dictionary<string, string?> { ["Storage:DynamoDb:IndexOverlapMilliseconds"] = "600000" });

    private sealed record Cost(Dictionary<string, int> Requests, int RoundTrips, int WriteUnits);

    private async Task<Cost> MeasureAsync(Func<Task> operation)
    {
        _counter.Calls.Clear();
        await operation();
        var calls = _counter.Calls.ToList();
        foreach (var call in calls) Assert.All(ItemsWritten(call.Call), size => Assert.True(size < 1024, $"an item of {size} bytes in {call.Call.Operation}"));
        var writeUnits = calls.Sum(c => c.Call.Operation switch
        {
            "TransactWriteItems" => 2 * c.Call.Items,
            "PutItem" or "UpdateItem" or "DeleteItem" or "BatchWriteItem" => c.Call.Items,
            _ => 0,
        });
        return new Cost(calls.GroupBy(c => c.Call.Operation).ToDictionary(g => g.Key, g => g.Count()), _counter.RoundTrips(), writeUnits);
    }

    [Fact]
    public async Task AReservationIsOneReadAndOneTransactionOfThreeItems()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);

        var cost = await MeasureAsync(() => Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct));

        // read courier, assignment, claim and package at once; then room + assignment + claim
        Assert.Equal(new Dictionary<string, int> { ["BatchGetItem"] = 1, ["TransactWriteItems"] = 1 }, cost.Requests);
        Assert.Equal((2, 6), (cost.RoundTrips, cost.WriteUnits));
    }

    [Fact]
    public async Task AReservationOfAPooledPackageAddsItsPoolStateToTheTransaction()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1")], Ct);

        var cost = await MeasureAsync(() => Couriers.ReserveAsync(new ReservationRequest("c1", "p1", 10m), Ct));

        Assert.Equal(new Dictionary<string, int> { ["BatchGetItem"] = 1, ["TransactWriteItems"] = 1 }, cost.Requests);
        Assert.Equal((2, 8), (cost.RoundTrips, cost.WriteUnits));
    }

    [Fact]
    public async Task ARefusedReservationIsOneReadAndNoWrite()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 5m), Ct);

        var cost = await MeasureAsync(() => Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct));

        Assert.Equal(new Dictionary<string, int> { ["BatchGetItem"] = 1 }, cost.Requests);
        Assert.Equal((1, 0), (cost.RoundTrips, cost.WriteUnits));
    }

    [Fact]
    public async Task AReleaseIsOneReadAndOneTransactionOfThreeItems()
    {
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        await Couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        var cost = await MeasureAsync(() => Couriers.ReleaseAsync("c1", "pkg-1", Ct));

        // read courier, assignment and package; then delete assignment + free claim + room back
        Assert.Equal(new Dictionary<string, int> { ["BatchGetItem"] = 1, ["TransactWriteItems"] = 1 }, cost.Requests);
        Assert.Equal((2, 6), (cost.RoundTrips, cost.WriteUnits));
    }

    [Fact]
    public async Task AStatusChangeIsOneReadAndOneWriteAndADeliveryOneTransactionOfFourItems()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m)], Ct);
        await Deliveries.AddPackagesAsync([Pkg("p1")], Ct);
        await Deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", Pkg("p1"))], 10, Ct);

        var moving = await MeasureAsync(() => Deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.InProgress, Ct));
        var delivered = await MeasureAsync(() => Deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.Delivered, Ct));

        Assert.Equal(new Dictionary<string, int> { ["GetItem"] = 1, ["UpdateItem"] = 1 }, moving.Requests);
        Assert.Equal((2, 1), (moving.RoundTrips, moving.WriteUnits));
        // status + free claim + room back + package delivered
        Assert.Equal(new Dictionary<string, int> { ["BatchGetItem"] = 1, ["TransactWriteItems"] = 1 }, delivered.Requests);
        Assert.Equal((2, 8), (delivered.RoundTrips, delivered.WriteUnits));
    }

    [Fact]
    public async Task ALookupOfTheTableIsOneQueryPerShardAndNoWrite()
    {
        for (var i = 0; i < 20; i++) await Couriers.CreateAsync(new NewCourier($"c{i}", 10m + i), Ct);

        // The eight queries are sent together (one round trip); how much they overlap here is up to the scheduler.
        var cost = await MeasureAsync(() => Couriers.LookupAsync(12m, new PageRequest<LookupCursor>(5, null), Ct));

        Assert.Equal(new Dictionary<string, int> { ["Query"] = 8 }, cost.Requests);
        Assert.Equal(0, cost.WriteUnits);
    }

    [Fact]
    public async Task AStartingInstanceReadsTheListIndexOnceThenAnswersLookupsWithNoRequestUntilItsIndexFallsBehind()
    {
        for (var i = 0; i < 20; i++) await Couriers.CreateAsync(new NewCourier($"c{i}", 10m + i), Ct);
        var clock = new ManualClock();
        using var counter = new FaultInjector();

        var other = await _stores.StartAsync(clock, counter);
        var lookup = other.GetRequiredService<ICourierLookup>();
        var feed = other.GetRequiredService<CapacityIndexFeed>();

        // Start: the bootstrapper's check of the four tables, then one page of the list index per shard.
        Assert.Equal(new Dictionary<string, int> { ["DescribeTable"] = 4, ["Query"] = 8 }, counter.Calls.GroupBy(c => c.Call.Operation).ToDictionary(g => g.Key, g => g.Count()));
        Assert.All(counter.Calls.Where(c => c.Call.Operation == "Query"), c => Assert.Contains("\"IndexName\":\"by_id\"", c.Call.Body));
        counter.Calls.Clear();
        for (var i = 0; i < 100; i++) await lookup.LookupAsync(12m + i % 10, new PageRequest<LookupCursor>(5, null), Ct);
        Assert.Empty(counter.Calls);

        clock.Advance(feed.Bound + TimeSpan.FromMilliseconds(1));
        await lookup.LookupAsync(12m, new PageRequest<LookupCursor>(5, null), Ct);
        Assert.Equal(8, counter.Count("Query"));
        Assert.Single(counter.Calls.Select(c => c.Call.Operation).Distinct());
    }

    [Fact]
    public async Task EachPollOfTheChangeIndexIsOneQueryPerShardTwicePerBound()
    {
        using var counter = new FaultInjector();
        var other = await _stores.StartAsync(faults: counter);
        var feed = other.GetRequiredService<CapacityIndexFeed>();
        await Couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        await feed.NextPollAsync();
        counter.Calls.Clear();

        // A poll between two other polls, so the queries counted are its own.
        var before = counter.IndexPolls.Count;
        Assert.True(await feed.CatchUpAsync(Ct));
        var queries = counter.IndexPolls.Count - before;

        Assert.Equal(8, queries);
        Assert.Equal(TimeSpan.FromMilliseconds(500), feed.PollEvery);
        Assert.Equal(16.0, queries / feed.PollEvery.TotalSeconds);

        // The background polls as they run here: how many requests a second one instance sends when nothing changes.
        var (first, polls) = (counter.IndexPolls.Count, 0);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (; polls < 6; polls++) await feed.NextPollAsync().WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"{(counter.IndexPolls.Count - first) / watch.Elapsed.TotalSeconds:0.0} queries/s over {polls} polls in {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(0, counter.Calls.Count(c => c.Call.Operation != "Query"));
    }

    [Fact]
    public async Task AWriteThatLandsLaterThanHalfTheOverlapAfterItsTimeIsStampedAgainSoPollsThatPassedThatTimeStillSeeIt()
    {
        var clock = new ManualClock();
        using var counter = new FaultInjector();
        var instance = await _stores.StartAsync(clock, counter);
        var couriers = instance.GetRequiredService<ICourierStore>();
        await couriers.CreateAsync(new NewCourier("c1", 45m), Ct);
        var overlap = instance.GetRequiredService<CapacityIndexFeed>().Overlap;
        // The transaction takes longer than half the overlap (say, the SDK retried it after a timeout).
        counter.Inject(call =>
        {
            if (call.Operation == "TransactWriteItems") clock.Advance(overlap / 2 + TimeSpan.FromMilliseconds(1));
            return Fault.None;
        });
        counter.Calls.Clear();

        await couriers.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);

        Assert.Equal(["BatchGetItem", "TransactWriteItems", "UpdateItem"], counter.Calls.Select(c => c.Call.Operation));
        Assert.Contains("\"UpdateExpression\":\"SET #updated_at = :now\"", counter.Calls.Last().Call.Body);
        var stored = await couriers.GetAsync("c1", Ct);
        Assert.Equal((2L, clock.GetUtcNow()), (stored!.Version, stored.UpdatedAt));
    }

    [Fact]
    public async Task AssigningADriversPackagesIsOneTransactionPerThirtyThreeAfterOneBatchReadOfTheDrivers()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 100m)], Ct);
        var packages = Enumerable.Range(0, 40).Select(i => Pkg($"p{i:D2}", 0.001m)).ToList();
        await Deliveries.AddPackagesAsync(packages, Ct);

        var cost = await MeasureAsync(() => Deliveries.CommitAssignmentsAsync(packages.Select(p => new PlannedAssignment("d1", p)).ToList(), 50, Ct));

        // per transaction: the driver's room once, and per package its claim, pool state and assignment
        Assert.Equal(new Dictionary<string, int> { ["BatchGetItem"] = 1, ["TransactWriteItems"] = 2 }, cost.Requests);
        Assert.Equal((3, 2 * (1 + 33 * 3) + 2 * (1 + 7 * 3)), (cost.RoundTrips, cost.WriteUnits));
    }

    [Fact]
    public async Task TheReferenceDaysAssignWritesHalfARequestPerPackage()
    {
        // 99 drivers, max_per_driver 2: one transaction of 1 + 2 × 3 items per driver.
        await Deliveries.UpsertDriversAsync([.. Enumerable.Range(0, 99).Select(d => new DriverRecord($"driver_{d}", [], 100m))], Ct);
        var packages = Enumerable.Range(0, 198).Select(i => Pkg($"p{i:D3}", 0.001m)).ToList();
        await Deliveries.AddPackagesAsync(packages, Ct);
        var plan = packages.Select((p, i) => new PlannedAssignment($"driver_{i / 2}", p)).ToList();

        var cost = await MeasureAsync(() => Deliveries.CommitAssignmentsAsync(plan, 2, Ct));

        Assert.Equal(99, cost.Requests["TransactWriteItems"]);
        Assert.Equal(0.5, (double)cost.Requests["TransactWriteItems"] / plan.Count);
        Assert.Equal(7.0, (double)cost.WriteUnits / plan.Count);
    }

    [Fact]
    public async Task LoadingPackagesIsTwoBatchReadsAndOneBatchWritePer25()
    {
        var packages = Enumerable.Range(0, 60).Select(i => Pkg($"p{i:D2}", 0.001m)).ToList();

        var cost = await MeasureAsync(() => Deliveries.AddPackagesAsync(packages, Ct));

        Assert.Equal(new Dictionary<string, int> { ["BatchGetItem"] = 2, ["BatchWriteItem"] = 3 }, cost.Requests);
        Assert.Equal(60, cost.WriteUnits);
    }

    [Fact]
    public async Task LoadingDriversIsOneBatchReadAndOneConditionalWritePerNewOrChangedDriver()
    {
        await Deliveries.UpsertDriversAsync([new DriverRecord("d0", [], 10m)], Ct);

        var cost = await MeasureAsync(() => Deliveries.UpsertDriversAsync(
            [new DriverRecord("d0", [], 20m), .. Enumerable.Range(1, 9).Select(d => new DriverRecord($"d{d}", [], 10m))], Ct));

        Assert.Equal(new Dictionary<string, int> { ["BatchGetItem"] = 1, ["PutItem"] = 9, ["UpdateItem"] = 1 }, cost.Requests);
        Assert.Equal(10, cost.WriteUnits);
    }

    /// <summary>The sizes of the items a request puts (attribute names and values, as DynamoDB counts them, roughly).</summary>
    private static IEnumerable<int> ItemsWritten(DynamoCall call)
    {
        if (call.Operation is not ("PutItem" or "TransactWriteItems" or "BatchWriteItem")) return [];
        var body = JsonNode.Parse(call.Body)!;
        var items = call.Operation switch
        {
            "PutItem" => [body["Item"]!],
            "TransactWriteItems" => body["TransactItems"]!.AsArray().Select(t => t!["Put"]?["Item"]).OfType<JsonNode>(),
            _ => body["RequestItems"]!.AsObject().SelectMany(t => t.Value!.AsArray()).Select(w => w!["PutRequest"]?["Item"]).OfType<JsonNode>(),
        };
        return items.Select(item => item.AsObject().Sum(a => a.Key.Length + a.Value!.AsObject().Sum(v => v.Value!.ToJsonString().Length)));
    }

    private static Package Pkg(string id, decimal volumeM3 = 0.01m) => new(id, 1m, false, false, false, Region.North, 5m, null, 4m, 10, volumeM3);

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        _counter.Dispose();
    }
}
