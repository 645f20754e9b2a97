using System.Diagnostics;
using System.Net;
using Couriers.Api.Infrastructure;
using Couriers.Api.Telemetry;
using Couriers.Api.Tests.Support;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using static Couriers.Api.Tests.Support.DayBuilder;

namespace Couriers.Api.Tests.Telemetry;

/// <summary>The store metrics on DynamoDB (DynamoDB Local behind a fault injector): failures, lookups the table answers, the index's lag.</summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoMetricsTests(DynamoDbLocalFixture dynamoDb) : IAsyncLifetime
{
    private readonly FaultInjector _faults = new();
    private CourierApiFactory _api = null!;
    private HttpClient _client = null!;
    private MetricCapture _metrics = null!;

    public Task InitializeAsync()
    {
        _api = CourierApiFactory.OnDynamoDb(dynamoDb, faults: _faults).With("Storage:DynamoDb:MaxErrorRetry", "0");
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
    public async Task AFailedStoreCallIncrementsTheErrorMetricByOperationStoreAndTypeAndTheOpenCircuitIsObservable()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""").Succeeds();
        _faults.Inject(_ => Fault.ServiceUnavailable);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _client.GetAsync("/couriers/c1")).StatusCode);

        var error = Assert.Single(_metrics.Of("couriers.store.errors"));
        Assert.True(error.Has(("operation", "get_courier"), ("store", "dynamodb"), ("error.type", "store_unavailable")), string.Join(",", error.Tags));
        Assert.Equal(1, error.Value);
        Assert.Single(_metrics.Of("couriers.store.duration", ("operation", "get_courier"), ("store", "dynamodb")));
        Assert.Equal(0, _metrics.Observe("couriers.store.circuit.open"));

        for (var i = 1; i < StoreCircuit.FailureThreshold; i++) await _client.GetAsync("/couriers/c1");

        Assert.Equal(StoreCircuit.FailureThreshold, _metrics.Sum("couriers.store.errors", ("operation", "get_courier")));
        Assert.Equal(1, _metrics.Observe("couriers.store.circuit.open"));
    }

    [Fact]
    public async Task LookupsByPackageAreCountedAsAnsweredByTheStoreAndTheIndexLagIsObservable()
    {
        await _client.Post("/drivers", Array([Driver("d1", maxCapacity: 100m), Driver("d2", NorthOnly, maxCapacity: 100m)])).Succeeds();

        await _client.Post("/couriers/lookup", """{"package": {"package_id": "q1", "weight_kg": 1, "is_perishable": false, "is_express": false, "is_fragile": false, "region": "south", "distance_km": 1, "hazmat_class": null, "temperature_c": 4, "delivery_hour": 10, "volume_m3": 0.01}}""").Succeeds();
        await _client.GetAsync("/couriers/lookup?capacity_required=1").Succeeds();

        Assert.Equal(1, _metrics.Sum("couriers.lookups", ("kind", "package"), ("source", "store")));
        Assert.Equal(1, _metrics.Sum("couriers.lookup.couriers", ("kind", "package"), ("source", "store")));
        Assert.Equal(1, _metrics.Sum("couriers.lookups", ("kind", "capacity"), ("source", "index")));
        Assert.InRange(_metrics.Observe("couriers.capacity_index.lag"), 0, 60);
    }

    [Fact]
    public async Task TheTraceGoesOnIntoTheSdksHttpCallsToDynamoDb()
    {
        var exported = new ExportedSpans();
        var ended = new RequestEnded();
        await using var api = CourierApiFactory.OnDynamoDb(dynamoDb).WithServices(services => services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddServiceInstrumentation().AddInMemoryExporter(exported).AddProcessor(ended)));
        var client = api.CreateClient();
        var (request, traceId, _) = TracingTests.Traced(HttpMethod.Post, "/couriers", """{"id": "c1", "max_capacity": 45}""");

        (await client.SendAsync(request)).EnsureSuccessStatusCode();
        await ended.WaitFor(traceId);

        var spans = exported.Of(traceId);
        var store = Assert.Single(spans, s => s.OperationName == "store.create_courier");
        Assert.Equal("dynamodb", store.GetTagItem("db.system.name"));
        // The HttpClient span is the context .NET writes into the request's traceparent header.
        Assert.Contains(spans, s => s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http" && s.ParentSpanId == store.SpanId);
    }
}
