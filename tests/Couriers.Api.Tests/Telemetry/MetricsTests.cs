using System.Net;
using Couriers.Api.Tests.Support;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Couriers.Api.Tests.Support.DayBuilder;

namespace Couriers.Api.Tests.Telemetry;

/// <summary>Each of the service's metrics, emitted with its tags by the operation that should emit it (SQLite).</summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private readonly CourierApiFactory _api = new();
    private MetricCapture _metrics = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _api.CreateClient();
        _metrics = new MetricCapture(_api.Services);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _metrics.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task EachStoreCallIsTimedInSecondsByOperationAndStore()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""").Succeeds();
        await _client.GetAsync("/couriers/c1");

        var create = Assert.Single(_metrics.Of("couriers.store.duration", ("operation", "create_courier"), ("store", "sqlite")));
        Assert.Equal("s", create.Unit);
        Assert.InRange(create.Value, 0, 60);
        Assert.Single(_metrics.Of("couriers.store.duration", ("operation", "get_courier"), ("store", "sqlite")));
        Assert.Empty(_metrics.Of("couriers.store.errors"));
    }

    [Fact]
    public async Task ReservationsAreCountedByOutcome()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 10}""").Succeeds();
        await _client.Post("/couriers/c1/reservations", """{"reference": "p1", "volume": 4}""").Succeeds();
        await _client.Post("/couriers/c1/reservations", """{"reference": "p1", "volume": 4}""").Succeeds();
        Assert.Equal(HttpStatusCode.Conflict, (await _client.Post("/couriers/c1/reservations", """{"reference": "p2", "volume": 7}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _client.Post("/couriers/c1/reservations", """{"reference": "p1", "volume": 5}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Post("/couriers/nobody/reservations", """{"reference": "p3", "volume": 1}""")).StatusCode);

        foreach (var outcome in new[] { "created", "repeated", "insufficient_room", "conflict", "courier_not_found" })
            Assert.Equal(1, _metrics.Sum("couriers.reservations", ("outcome", outcome), ("store", "sqlite")));
    }

    [Fact]
    public async Task LookupsAreCountedWithTheCouriersTheyReturnAndWhereTheyWereAnswered()
    {
        foreach (var (id, max) in new[] { ("a", 10), ("b", 20), ("c", 30) })
            await _client.Post("/couriers", $$"""{"id": "{{id}}", "max_capacity": {{max}}}""").Succeeds();

        await _client.GetAsync("/couriers/lookup?capacity_required=15").Succeeds();
        await _client.GetAsync("/couriers/lookup?capacity_required=100").Succeeds();

        Assert.Equal(2, _metrics.Sum("couriers.lookups", ("kind", "capacity"), ("source", "index")));
        Assert.Equal(2, _metrics.Sum("couriers.lookup.couriers", ("kind", "capacity"), ("source", "index")));
        Assert.Equal(3, _metrics.Observe("couriers.capacity_index.couriers"));
    }

    [Fact]
    public async Task AnAssignRecordsItsDurationOutcomeAndBindingAndUpdatesAreCountedByTransition()
    {
        await _client.Post("/drivers", Array([Driver("d1", maxCapacity: 1000m), Driver("d2", NorthOnly, maxCapacity: 1000m)])).Succeeds();
        await _client.Post("/packages", Array(Enumerable.Range(0, 5).Select(i => Package($"p{i}", region: i < 4 ? "north" : "south")))).Succeeds();

        var stats = (await (await _client.Post("/assign", """{"driver_ids": ["d1", "d2"], "max_per_driver": 2}""").Succeeds()).Json()).GetProperty("stats");

        var binding = ("volume_binding", "false");
        Assert.Equal("s", Assert.Single(_metrics.Of("couriers.assign.duration", binding)).Unit);
        Assert.Equal(stats.GetProperty("assigned").GetInt32(), _metrics.Sum("couriers.assign.assigned", binding));
        Assert.Equal(1, _metrics.Sum("couriers.assign.unassigned", binding));
        Assert.Equal(5, Assert.Single(_metrics.Of("couriers.assign.pool_size", binding)).Value);
        Assert.Equal(0, Assert.Single(_metrics.Of("couriers.assign.gap", binding)).Value);
        Assert.Equal(1, Assert.Single(_metrics.Of("couriers.assign.rounds", binding)).Value);
        Assert.Contains(_metrics.Of("couriers.store.duration"), m => m.Has(("operation", "commit_assignments")));

        var package = (await (await _client.GetAsync("/drivers/d1/assignments")).Json()).GetProperty("data")[0].Str("package_id");
        await _client.Post("/update", $$"""{"driver_id": "d1", "package_id": "{{package}}", "status": "accepted"}""").Succeeds();
        Assert.Equal(HttpStatusCode.Conflict, (await _client.Post("/update", $$"""{"driver_id": "d1", "package_id": "{{package}}", "status": "delivered"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Post("/update", """{"driver_id": "d1", "package_id": "p-none", "status": "accepted"}""")).StatusCode);

        Assert.Equal(1, _metrics.Sum("couriers.status_updates", ("from", "assigned"), ("to", "accepted"), ("outcome", "updated")));
        Assert.Equal(1, _metrics.Sum("couriers.status_updates", ("from", "accepted"), ("to", "delivered"), ("outcome", "illegal")));
        Assert.Equal(1, _metrics.Sum("couriers.status_updates", ("from", "none"), ("to", "accepted"), ("outcome", "not_found")));
    }

    [Fact]
    public async Task RefusalsAreCountedByReason()
    {
        await using var api = new CourierApiFactory().With("Limits:RateLimit:PermitLimit", "2").With("Limits:RateLimit:PermitsPerSecond", "1");
        var client = api.ClientWith(TestKeys.Dispatcher);
        using var metrics = new MetricCapture(api.Services);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWith(null).GetAsync("/couriers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientWith(TestKeys.Driver).Post("/couriers", """{"id": "x", "max_capacity": 1}""")).StatusCode);
        var answers = new List<HttpStatusCode>();
        while (answers.Count < 200 && !answers.Contains(HttpStatusCode.TooManyRequests)) answers.Add((await client.GetAsync("/couriers")).StatusCode);

        Assert.Contains(HttpStatusCode.TooManyRequests, answers);
        Assert.Equal(1, metrics.Sum("couriers.requests.refused", ("reason", "unauthenticated")));
        Assert.Equal(1, metrics.Sum("couriers.requests.refused", ("reason", "forbidden")));
        Assert.Equal(1, metrics.Sum("couriers.requests.refused", ("reason", "rate_limited")));
    }

    [Fact]
    public async Task TheOperationalLogTheCircuitAndTheFrameworksHttpMetricsAreObservable()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""").Succeeds();
        var log = _api.Services.GetRequiredService<global::Couriers.Api.Operations.OperationalLogQueue>().Status;
        var shipped = await log.WaitAsync(s => s.Shipped >= 1, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        Assert.Equal(shipped.Recorded, _metrics.Observe("couriers.operational_log.recorded"));
        Assert.True(_metrics.Observe("couriers.operational_log.shipped") >= 1);
        Assert.Equal(0, _metrics.Observe("couriers.operational_log.failed"));
        Assert.Equal(0, _metrics.Observe("couriers.operational_log.dropped"));
        Assert.Equal(0, _metrics.Observe("couriers.operational_log.queued"));
        Assert.Equal(0, _metrics.Observe("couriers.store.circuit.open"));
        Assert.Contains(_metrics.Of("http.server.request.duration"), m => m.Has(("http.route", "/couriers/"), ("http.response.status_code", "201")));
    }
}
