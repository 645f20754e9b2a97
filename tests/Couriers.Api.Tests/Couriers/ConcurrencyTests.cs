using System.Diagnostics;
using System.Net;
using Couriers.Storage.DynamoDb;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Api.Tests.Couriers;

public class ConcurrencyTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    /// <summary>Two service instances on one store, each serving real HTTP on Kestrel.</summary>
    protected virtual CourierApiFactory[] TwoInstances() =>
        [.. Enumerable.Range(0, 2).Select(_ => new CourierApiFactory().With("Storage:Sqlite:Path", _folder.File("shared.db")).OnKestrel())];

    /// <summary>How long a write acknowledged by one instance may take to show in the other's lookups (none on SQLite).</summary>
    protected virtual TimeSpan LookupLagAcrossInstances(CourierApiFactory instance) => TimeSpan.Zero;

    /// <summary>Returns once every write acknowledged before the call shows in the instance's lookups.</summary>
    protected virtual Task CaughtUpAsync(CourierApiFactory instance) => Task.CompletedTask;

    [Fact]
    public async Task ParallelReservationsOnTwoInstancesTakeExactlyTheRoomThereIsAndCountEachReferenceOnce()
    {
        var instances = TwoInstances();
        var clients = instances.Select(i => i.CreateClient()).ToArray();
        try
        {
            await clients[0].Post("/couriers", """{"id": "c1", "max_capacity": 100}""");

            // 80 requests spread over both instances, 40 references each sent twice, 5 L each: 100 L fits exactly 20.
            var responses = await Task.WhenAll(Enumerable.Range(0, 80).Select(async i =>
            {
                var reference = $"pkg-{i % 40}";
                var response = await clients[i % 2].Post("/couriers/c1/reservations", $$"""{"reference": "{{reference}}", "volume": 5}""");
                return (Reference: reference, response.StatusCode);
            }));

            var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Reference).ToList();
            var repeated = responses.Where(r => r.StatusCode == HttpStatusCode.OK).Select(r => r.Reference).ToList();
            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict }));
            Assert.Equal(20, created.Count);
            Assert.Equal(created.Count, created.Distinct().Count());
            Assert.All(repeated, reference => Assert.Contains(reference, created));

            var courier = await (await clients[1].GetAsync("/couriers/c1")).Json();
            Assert.Equal(100m, courier.Decimal("used_capacity"));
            Assert.Equal(0m, courier.Decimal("available_capacity"));
            var reservations = await (await clients[0].GetAsync("/couriers/c1/reservations")).Json();
            Assert.Equal(created.Order(), reservations.GetProperty("data").EnumerateArray().Select(r => r.Str("reference")).Order());
        }
        finally
        {
            foreach (var instance in instances) await instance.DisposeAsync();
        }
    }

    [Fact]
    public async Task LookupsDuringTheRaceNeverShowRoomThatAnAcknowledgedReservationHadAlreadyTaken()
    {
        var instances = TwoInstances();
        var clients = instances.Select(i => i.CreateClient()).ToArray();
        try
        {
            await clients[0].Post("/couriers", """{"id": "c1", "max_capacity": 100}""").Succeeds();
            // Reservations answered 201, by instance and when: room only shrinks during the race.
            var acknowledged = new System.Collections.Concurrent.ConcurrentQueue<(int Instance, long At)>();
            var racing = Task.WhenAll(Enumerable.Range(0, 80).Select(async i =>
            {
                var response = await clients[i % 2].Post("/couriers/c1/reservations", $$"""{"reference": "pkg-{{i % 40}}", "volume": 5}""");
                if (response.StatusCode == HttpStatusCode.Created) acknowledged.Enqueue((i % 2, Stopwatch.GetTimestamp()));
            }));

            // Lookups on both instances while the race runs: each may show room a reservation still in flight will take,
            // never room a reservation acknowledged before the lookup started had taken: on the instance that acknowledged
            // it at once, on the other one past the lag the store allows between instances.
            var lookups = 0;
            while (!racing.IsCompleted || lookups < 20)
            {
                var required = new[] { 5m, 50m, 95m }[lookups % 3];
                var on = lookups++ % 2;
                var started = Stopwatch.GetTimestamp();
                var lag = LookupLagAcrossInstances(instances[on]);
                var roomAtMost = 100m - 5m * acknowledged.Count(a => a.Instance == on || Stopwatch.GetElapsedTime(a.At, started) > lag);
                var answer = await (await clients[on].GetAsync($"/couriers/lookup?capacity_required={required}")).Json();
                var found = answer.GetProperty("data").EnumerateArray().ToList();
                if (roomAtMost < required) Assert.Empty(found);
                foreach (var courier in found)
                {
                    Assert.InRange(courier.Decimal("available_capacity"), required, roomAtMost);
                }
            }
            await racing;

            Assert.Equal(20, acknowledged.Count);
            foreach (var instance in instances) await CaughtUpAsync(instance);
            foreach (var client in clients)
                Assert.Empty((await (await client.GetAsync("/couriers/lookup?capacity_required=0.001")).Json()).GetProperty("data").EnumerateArray());
        }
        finally
        {
            foreach (var instance in instances) await instance.DisposeAsync();
        }
    }

    public void Dispose() => _folder.Dispose();
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class ConcurrencyOnDynamoDbTests(DynamoDbLocalFixture dynamoDb) : ConcurrencyTests
{
    private readonly string _prefix = CourierApiFactory.NewTablePrefix();

    protected override CourierApiFactory[] TwoInstances() =>
        [.. Enumerable.Range(0, 2).Select(_ => CourierApiFactory.OnDynamoDb(dynamoDb, _prefix).OnKestrel())];

    // Each instance learns the other's writes by polling the change index: within its freshness bound.
    protected override TimeSpan LookupLagAcrossInstances(CourierApiFactory instance) => Feed(instance).Bound;

    // A poll that started after the call: the one in progress when it was made may have started before.
    protected override async Task CaughtUpAsync(CourierApiFactory instance)
    {
        await Feed(instance).NextPollAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Feed(instance).NextPollAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static CapacityIndexFeed Feed(CourierApiFactory instance) => instance.Services.GetRequiredService<CapacityIndexFeed>();
}
