using System.Net;
using Couriers.Testing;
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
    public async Task AnAssignCutOffMidwayIsNeverReportedAsSuccessAndLeavesNothingHalfDone()
    {
        string[] drivers = ["d1", "d2", "d3"];
        await _client.Post("/drivers", Array(drivers.Select(d => Driver(d, maxCapacity: 10_000m))));
        await _client.Post("/packages", Array(Enumerable.Range(0, 30).Select(i => Package($"p{i:D2}", volumeM3: 0.1m))));
        var transactions = 0;
        // Each driver's packages are one transaction: let the first through, then DynamoDB goes away mid-plan.
        _faults.Inject(call => call.Operation == "TransactWriteItems" && Interlocked.Increment(ref transactions) > 1 ? Fault.ServiceUnavailable : Fault.None);

        var cut = await _client.Post("/assign", """{"driver_ids": ["d1", "d2", "d3"], "max_per_driver": 10}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, cut.StatusCode);
        _faults.Heal();
        // No repair step: straight after the cut every driver's room is what its assignments add up to,
        // and a driver's transaction is all there (it went through) or not at all (the cut stopped it first).
        Assert.Contains(await AssertCapacityMatchesAssignments(drivers, 30), new[] { 0, 10 });

        var retried = await _client.Post("/assign", """{"driver_ids": ["d1", "d2", "d3"], "max_per_driver": 10}""");

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(30, await AssertCapacityMatchesAssignments(drivers, 30));
    }

    /// <summary>
    /// The audit: each driver's reserved room equals the volume of the packages assigned to it, its active count their
    /// number, and every package is in exactly one place. Returns how many are assigned.
    /// </summary>
    private async Task<int> AssertCapacityMatchesAssignments(string[] drivers, int packages)
    {
        var assigned = (await (await _client.GetAsync("/packages?status=assigned&limit=500")).Json()).GetProperty("data").EnumerateArray().ToList();
        var pool = (await (await _client.GetAsync("/packages?status=unassigned&limit=500")).Json()).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(packages, assigned.Count + pool.Count);
        Assert.Empty(assigned.Select(p => p.Str("package_id")).Intersect(pool.Select(p => p.Str("package_id"))));
        foreach (var driverId in drivers)
        {
            var own = assigned.Where(p => p.Str("driver_id") == driverId).ToList();
            var courier = await (await _client.GetAsync($"/couriers/{driverId}")).Json();
            Assert.Equal(own.Sum(p => p.Decimal("volume_m3") * 1000m), courier.Decimal("reserved_capacity"));
            Assert.Equal(own.Count, (await (await _client.GetAsync($"/drivers/{driverId}")).Json()).GetProperty("active_assignments").GetInt32());
        }
        return assigned.Count;
    }
}
