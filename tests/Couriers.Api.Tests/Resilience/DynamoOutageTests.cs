using System.Net;
using Couriers.Storage.Tests;
using Couriers.Storage.Tests.DynamoDb;
using Microsoft.Extensions.DependencyInjection;
using static Couriers.Api.Tests.Assignments.DayBuilder;

namespace Couriers.Api.Tests.Resilience;

/// <summary>DynamoDB going away and coming back, through a fault injector between the SDK and DynamoDB Local.</summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoOutageTests(DynamoDbLocalFixture dynamoDb) : IAsyncLifetime
{
    private readonly FaultInjector _faults = new();
    private readonly ManualClock _clock = new();
    private CourierApiFactory _api = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _api = CourierApiFactory.OnDynamoDb(dynamoDb, faults: _faults)
            .With("Storage:DynamoDb:MaxErrorRetry", "1")
            .WithServices(services => services.AddSingleton<TimeProvider>(_clock));
        _client = _api.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ReadinessGoesRedWhileDynamoDbIsUnreachableAndGreenAgainAfter()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/ready")).StatusCode);

        _faults.Inject(_ => Fault.DropRequest);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/live")).StatusCode);

        _faults.Heal();
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task AnOutageIsA503WithRetryAfterAndTheOpenCircuitStopsCallingDynamoDb()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");
        _faults.Inject(_ => Fault.ServiceUnavailable);

        for (var i = 0; i < 5; i++)
        {
            var failed = await _client.GetAsync("/couriers/c1");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.NotNull(failed.Headers.RetryAfter);
            Assert.Equal("urn:problem:courier-capacity:store-unavailable", (await failed.Json()).Str("type"));
        }
        var callsBefore = _faults.Calls.Count;
        var fastFail = await _client.GetAsync("/couriers/c1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, fastFail.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), fastFail.Headers.RetryAfter?.Delta);
        Assert.Equal(callsBefore, _faults.Calls.Count);

        _faults.Heal();
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(45m, (await (await _client.GetAsync("/couriers/c1")).Json()).Decimal("available_capacity"));
    }

    [Fact]
    public async Task AnAssignCutOffMidwayIsNeverReportedAsSuccessAndReconcileLeavesNoLeakedCapacity()
    {
        await _client.Post("/drivers", Array([Driver("d1", maxCapacity: 10_000m)]));
        await _client.Post("/packages", Array(Enumerable.Range(0, 10).Select(i => Package($"p{i}", volumeM3: 0.1m))));
        var courierWrites = 0;
        // Let three writes to the couriers table through, then DynamoDB goes away mid-plan.
        _faults.Inject(call => call.Operation == "UpdateItem" && call.Body.Contains("Couriers\"", StringComparison.Ordinal)
            && Interlocked.Increment(ref courierWrites) > 3 ? Fault.ServiceUnavailable : Fault.None);

        var cut = await _client.Post("/assign", """{"driver_ids": ["d1"], "max_per_driver": 10}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, cut.StatusCode);
        _faults.Heal();
        _clock.Advance(TimeSpan.FromMinutes(5)); // past the claim timeout, so reconcile may undo unfinished steps
        Assert.Equal(HttpStatusCode.OK, (await _client.Post("/couriers/d1/reconcile", "")).StatusCode);
        await AssertCapacityMatchesAssignments("d1", 10);

        var retried = await _client.Post("/assign", """{"driver_ids": ["d1"], "max_per_driver": 10}""");

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        await AssertCapacityMatchesAssignments("d1", 10);
        Assert.Equal(10, (await (await _client.GetAsync("/drivers/d1")).Json()).GetProperty("active_assignments").GetInt32());
    }

    /// <summary>The audit: reserved room equals the volume of the driver's assigned packages, and every package is in exactly one place.</summary>
    private async Task AssertCapacityMatchesAssignments(string driverId, int packages)
    {
        var assigned = (await (await _client.GetAsync("/packages?status=assigned&limit=500")).Json()).GetProperty("data").EnumerateArray().ToList();
        var pool = (await (await _client.GetAsync("/packages?status=unassigned&limit=500")).Json()).GetProperty("data").EnumerateArray().ToList();
        var courier = await (await _client.GetAsync($"/couriers/{driverId}")).Json();

        Assert.Equal(packages, assigned.Count + pool.Count);
        Assert.Empty(assigned.Select(p => p.Str("package_id")).Intersect(pool.Select(p => p.Str("package_id"))));
        Assert.Equal(assigned.Sum(p => p.Decimal("volume_m3") * 1000m), courier.Decimal("reserved_capacity"));
        Assert.Equal(assigned.Count, (await (await _client.GetAsync($"/drivers/{driverId}")).Json()).GetProperty("active_assignments").GetInt32());
    }
}
