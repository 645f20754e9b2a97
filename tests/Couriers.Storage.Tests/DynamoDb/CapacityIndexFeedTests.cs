using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Couriers.Core;
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
/// Two service instances on one DynamoDB Local: A takes the writes, B answers lookups from its capacity index,
/// which learns A's changes by polling the change index. B never answers with a state older than its bound:
/// past it, B queries the table. Waits are on B's polls (an event), with deadlines; nothing sleeps.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class CapacityIndexFeedTests(DynamoDbLocalFixture dynamoDb, ITestOutputHelper output) : IAsyncLifetime
{
    private static CancellationToken Ct => CancellationToken.None;
    private static readonly TimeSpan PollDeadline = TimeSpan.FromSeconds(30);
    private readonly DynamoTestStores _stores = new(dynamoDb);
    private readonly FaultInjector _faultsOfB = new();
    private ServiceProvider _a = null!;

    private ICourierStore A => _a.GetRequiredService<ICourierStore>();

    public async Task InitializeAsync() => _a = await _stores.StartAsync();

    private async Task<Instance> StartBAsync(TimeProvider? clock = null, IDictionary<string, string?>? settings = null) =>
        new(await _stores.StartAsync(clock, _faultsOfB, settings));

    private sealed record Instance(ServiceProvider Provider)
    {
        public CapacityIndexFeed Feed => Provider.GetRequiredService<CapacityIndexFeed>();

        public ICourierLookup Lookup => Provider.GetRequiredService<ICourierLookup>();

        public async Task<List<Courier>> OffersAsync(decimal required = 0m) =>
            [.. (await Lookup.LookupAsync(required, new PageRequest<LookupCursor>(100, null), Ct)).Items.Select(i => i.Courier)];
    }

    private async Task<List<Courier>> TableOffersAsync() => [.. (await A.LookupAsync(0m, new PageRequest<LookupCursor>(100, null), Ct)).Items];

    [Fact]
    public async Task EveryKindOfChangeThroughOneInstanceShowsInTheOthersLookupsWithinTheBound()
    {
        var b = await StartBAsync();
        var deliveries = _a.GetRequiredService<IDeliveryStore>();
        var changes = new (string What, Func<Task> Change)[]
        {
            ("create", () => A.CreateAsync(new NewCourier("c1", 45m), Ct)),
            ("create another", () => A.CreateAsync(new NewCourier("c2", 30m), Ct)),
            ("reserve", () => A.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct)),
            ("reserve again", () => A.ReserveAsync(new ReservationRequest("c1", "pkg-2", 5m), Ct)),
            ("release", () => A.ReleaseAsync("c1", "pkg-1", Ct)),
            ("raise the limit", () => A.UpdateAsync("c2", new CourierChange(60m, null), null, Ct)),
            ("declare a load", () => A.UpdateAsync("c2", new CourierChange(null, 50m), null, Ct)),
            ("load a driver", () => deliveries.UpsertDriversAsync([new DriverRecord("d1", [], 20m)], Ct)),
            ("assign", async () =>
            {
                var package = new Package("p1", 1m, false, false, false, Region.North, 5m, null, 4m, 10, 0.004m);
                await deliveries.AddPackagesAsync([package], Ct);
                await deliveries.CommitAssignmentsAsync([new PlannedAssignment("d1", package)], 5, Ct);
            }),
            ("deliver", () => deliveries.UpdateStatusAsync("d1", "p1", AssignmentStatus.Delivered, Ct)),
            ("delete", () => A.DeleteAsync("c1", null, force: true, Ct)),
            ("create the deleted id again", () => A.CreateAsync(new NewCourier("c1", 12m), Ct)),
        };

        var shownAfter = new List<TimeSpan>();
        foreach (var (what, change) in changes)
        {
            await change();
            var acknowledged = Stopwatch.GetTimestamp();
            var expected = await TableOffersAsync();
            while (true)
            {
                // Measured before the lookup starts: a lookup that starts past the bound must show the change.
                var age = Stopwatch.GetElapsedTime(acknowledged);
                var offers = await b.OffersAsync();
                if (offers.SequenceEqual(expected))
                {
                    shownAfter.Add(age);
                    break;
                }
                Assert.True(age < b.Feed.Bound, $"B still answered without '{what}' {age.TotalMilliseconds:0} ms after it, past its bound of {b.Feed.Bound}");
                await b.Feed.NextPollAsync().WaitAsync(PollDeadline);
            }
        }
        output.WriteLine($"A change through A showed in B's lookups after {string.Join(", ", shownAfter.Select(t => $"{t.TotalMilliseconds:0}"))} ms "
            + $"(median {shownAfter.Order().ElementAt(shownAfter.Count / 2).TotalMilliseconds:0} ms, most {shownAfter.Max().TotalMilliseconds:0} ms; bound {b.Feed.Bound.TotalMilliseconds:0} ms)");
    }

    [Fact]
    public async Task AnInstancesOwnWritesShowInItsOwnLookupsAtOnceWithoutAnyRequest()
    {
        // B's polls all fail and its clock stands still: whatever it knows of its own writes, it knows from them.
        var clock = new ManualClock();
        var b = await StartBAsync(clock);
        _faultsOfB.Inject(call => call.IsIndexPoll ? Fault.DropRequest : Fault.None);
        var store = b.Provider.GetRequiredService<ICourierStore>();

        await store.CreateAsync(new NewCourier("c1", 45m), Ct);
        await store.ReserveAsync(new ReservationRequest("c1", "pkg-1", 10m), Ct);
        await store.UpdateAsync("c1", new CourierChange(null, 5m), null, Ct);
        _faultsOfB.Calls.Clear();
        var offers = await b.OffersAsync();

        Assert.Equal(await TableOffersAsync(), offers);
        Assert.Equal(5m, Assert.Single(offers).AvailableCapacity);
        Assert.Empty(_faultsOfB.Calls);

        await store.DeleteAsync("c1", null, force: true, Ct);
        Assert.Empty(await b.OffersAsync());
        Assert.Equal(IndexFreshness.Fresh, b.Feed.Freshness);
    }

    [Fact]
    public async Task AStaleViewWithinTheBoundIsCorrectedByTheRefusedReservationAndPastTheBoundLookupsQueryTheTable()
    {
        await A.CreateAsync(new NewCourier("c1", 45m), Ct);
        var clock = new ManualClock();
        var b = await StartBAsync(clock);
        var store = b.Provider.GetRequiredService<ICourierStore>();
        _faultsOfB.Inject(call => call.IsIndexPoll ? Fault.DropRequest : Fault.None);
        await A.ReserveAsync(new ReservationRequest("c1", "pkg-a", 40m), Ct);

        // Within its bound B still offers the room A took; the reservation checks the table and is refused.
        Assert.Equal(45m, Assert.Single(await b.OffersAsync(20m)).AvailableCapacity);
        var refused = await store.ReserveAsync(new ReservationRequest("c1", "pkg-b", 20m), Ct);
        Assert.Equal(ReserveStatus.InsufficientCapacity, refused.Status);
        Assert.Empty(await b.OffersAsync(20m));

        // A change B cannot learn: past the bound, B's lookups query the table instead of answering from memory.
        await A.ReleaseAsync("c1", "pkg-a", Ct);
        clock.Advance(b.Feed.Bound + TimeSpan.FromMilliseconds(1));
        _faultsOfB.Calls.Clear();
        Assert.Equal(IndexFreshness.Behind, b.Feed.Freshness);
        Assert.Equal(45m, Assert.Single(await b.OffersAsync(20m)).AvailableCapacity);
        Assert.Equal(8, _faultsOfB.Count("Query"));

        _faultsOfB.Heal();
        Assert.True(await b.Feed.CatchUpAsync(Ct));
        Assert.Equal(IndexFreshness.Fresh, b.Feed.Freshness);
        _faultsOfB.Calls.Clear();
        Assert.Equal(await TableOffersAsync(), await b.OffersAsync());
        Assert.Empty(_faultsOfB.Calls);
    }

    [Fact]
    public async Task WithDynamoDbUnreachableALookupPastTheBoundFailsRatherThanAnswerFromAnOldIndex()
    {
        await A.CreateAsync(new NewCourier("c1", 45m), Ct);
        var clock = new ManualClock();
        var b = await StartBAsync(clock, new Dictionary<string, string?> { ["Storage:DynamoDb:MaxErrorRetry"] = "0" });
        _faultsOfB.Inject(_ => Fault.DropRequest);

        Assert.Single(await b.OffersAsync());
        clock.Advance(b.Feed.Bound + TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => b.OffersAsync());
        Assert.False(await b.Feed.CatchUpAsync(Ct));
        Assert.Contains("last poll failed", b.Feed.Describe());
        Assert.False(await b.Provider.GetRequiredService<ICourierStore>().IsReadyAsync(Ct));
    }

    [Fact]
    public async Task WhenTheChangeIndexIsGoneTheFeedStopsAndLookupsQueryTheTable()
    {
        await A.CreateAsync(new NewCourier("c1", 45m), Ct);
        var b = await StartBAsync();
        Assert.Single(await b.OffersAsync());
        var client = _a.GetRequiredService<IAmazonDynamoDB>();

        await client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = _stores.Prefix + DynamoSchema.CourierTable.Name,
            GlobalSecondaryIndexUpdates = [new GlobalSecondaryIndexUpdate { Delete = new DeleteGlobalSecondaryIndexAction { IndexName = DynamoSchema.CourierTable.ByChange } }],
        });
        await A.ReserveAsync(new ReservationRequest("c1", "pkg-1", 40m), Ct);

        var deadline = Stopwatch.StartNew();
        while (b.Feed.Freshness != IndexFreshness.Behind || !b.Feed.Describe().Contains("last poll failed", StringComparison.Ordinal))
        {
            Assert.True(deadline.Elapsed < PollDeadline, $"B's feed still reads as {b.Feed.Freshness} after {deadline.Elapsed}: {b.Feed.Describe()}");
            await b.Feed.NextPollAsync().WaitAsync(PollDeadline);
        }
        _faultsOfB.Calls.Clear();

        Assert.Equal(5m, Assert.Single(await b.OffersAsync()).AvailableCapacity);
        Assert.Equal(8, _faultsOfB.Count("Query"));
        Assert.Equal(IndexFreshness.Behind, b.Feed.Freshness);
    }

    [Fact]
    public async Task ADeletionNoPollSawIsFoundByTheNextResyncWithTheListIndex()
    {
        await A.CreateAsync(new NewCourier("c1", 45m), Ct);
        await A.CreateAsync(new NewCourier("c2", 30m), Ct);
        var clock = new ManualClock();
        var b = await StartBAsync(clock);
        _faultsOfB.Inject(call => call.IsIndexPoll ? Fault.DropRequest : Fault.None);

        await A.DeleteAsync("c1", null, force: false, Ct);
        clock.Advance(b.Feed.ResyncEvery + TimeSpan.FromSeconds(1));

        var deadline = Stopwatch.StartNew();
        while (b.Feed.Index.Count != 1)
        {
            Assert.True(deadline.Elapsed < PollDeadline, $"B still holds {b.Feed.Index.Count} couriers after {deadline.Elapsed}");
            await b.Feed.NextPollAsync().WaitAsync(PollDeadline);
        }
        _faultsOfB.Heal();
        Assert.True(await b.Feed.CatchUpAsync(Ct));
        Assert.Equal(["c2"], (await b.OffersAsync()).Select(c => c.Id));
    }

    [Fact]
    public async Task AStartingInstanceBuildsItsIndexFromTheTableBeforeItIsReadyAndAnswersFromIt()
    {
        for (var i = 0; i < 30; i++) await A.CreateAsync(new NewCourier($"c{i:D2}", 10m + i), Ct);
        await A.ReserveAsync(new ReservationRequest("c07", "pkg-1", 3m), Ct);
        await A.CreateAsync(new NewCourier("van", null), Ct);
        _faultsOfB.Inject(call => call.Operation == "Query" && call.Body.Contains("\"IndexName\":\"by_id\"", StringComparison.Ordinal) ? Fault.DropRequest : Fault.None);

        // The list index does not answer: the build fails, the index is still loading, lookups query the table.
        await Assert.ThrowsAsync<StoreUnavailableException>(() => StartBAsync(settings: new Dictionary<string, string?> { ["Storage:DynamoDb:MaxErrorRetry"] = "0" }));
        var b = new Instance(_stores.Started[^1]);
        Assert.Equal(IndexFreshness.Loading, b.Feed.Freshness);
        Assert.Equal(await TableOffersAsync(), await b.OffersAsync());

        _faultsOfB.Heal();
        await b.Feed.StartAsync(Ct);
        _faultsOfB.Calls.Clear();

        Assert.Equal(IndexFreshness.Fresh, b.Feed.Freshness);
        Assert.Equal(await TableOffersAsync(), await b.OffersAsync());
        Assert.Equal(30, b.Feed.Index.Count);
        Assert.Empty(_faultsOfB.Calls);
    }

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        _faultsOfB.Dispose();
    }
}
