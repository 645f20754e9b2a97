using Couriers.Testing;
using Couriers.Api.Tests.Support;
using System.Diagnostics;
using Couriers.Api.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using static Couriers.Api.Tests.Support.DayBuilder;

namespace Couriers.Api.Tests.Telemetry;

/// <summary>
/// Spans as the service exports them (its own instrumentation list, into the in-memory exporter): one trace
/// per request, continuing the caller's W3C traceparent, with store calls and engine phases as its children.
/// </summary>
public sealed class TracingTests : IAsyncLifetime
{
    private readonly ExportedSpans _exported = new();
    private readonly RequestEnded _ended = new();
    private CourierApiFactory _api = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _api = new CourierApiFactory().WithServices(services => services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddServiceInstrumentation().AddInMemoryExporter(_exported).AddProcessor(_ended)));
        _client = _api.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task OneRequestIsOneTraceContinuingTheCallersContextWithItsStoreCallsAsChildren()
    {
        await _client.Post("/couriers", """{"id": "c1", "max_capacity": 45}""").Succeeds();
        var (request, traceId, callerSpan) = Traced(HttpMethod.Post, "/couriers/c1/reservations", """{"reference": "p1", "volume": 5}""");

        (await _client.SendAsync(request)).EnsureSuccessStatusCode();
        await _ended.WaitFor(traceId);

        var spans = Spans(traceId);
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        Assert.Equal(callerSpan, server.ParentSpanId);
        Assert.Equal("/couriers/{id}/reservations", server.GetTagItem("http.route"));
        var store = Assert.Single(spans, s => s.OperationName == "store.reserve");
        Assert.Equal(server.SpanId, store.ParentSpanId);
        Assert.Equal("sqlite", store.GetTagItem("db.system.name"));
        Assert.All(spans.Where(s => s != server), s => Assert.Equal(server.SpanId, s.ParentSpanId));
    }

    [Fact]
    public async Task AProblemsTraceIdIsTheTraceOfItsRequest()
    {
        var (request, traceId, _) = Traced(HttpMethod.Get, "/couriers/nobody");

        var problem = await (await _client.SendAsync(request)).Json();
        await _ended.WaitFor(traceId);

        Assert.Equal(traceId.ToHexString(), problem.Str("trace_id"));
        Assert.Single(Spans(traceId), s => s.Kind == ActivityKind.Server);
    }

    [Fact]
    public async Task AnAssignTracesItsEnginePhasesUnderTheRequest()
    {
        await _client.Post("/drivers", Array([Driver("d1", maxCapacity: 0.25m)])).Succeeds();
        await _client.Post("/packages", Array(Enumerable.Range(0, 4).Select(i => Package($"p{i}", volumeM3: 0.0001m * (i + 1))))).Succeeds();
        var (request, traceId, _) = Traced(HttpMethod.Post, "/assign", """{"driver_ids": ["d1"], "max_per_driver": 4}""");

        (await _client.SendAsync(request)).EnsureSuccessStatusCode();
        await _ended.WaitFor(traceId);

        var spans = Spans(traceId);
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        var plan = Assert.Single(spans, s => s.OperationName == "engine.plan");
        Assert.Equal(server.SpanId, plan.ParentSpanId);
        var phases = spans.Where(s => s.ParentSpanId == plan.SpanId).Select(s => s.OperationName).ToList();
        Assert.Contains("engine.max-flow", phases);
        Assert.Contains("engine.construct", phases);
        Assert.Contains("engine.bound", phases);
        Assert.True((bool)plan.GetTagItem("engine.volume_binding")!);
        Assert.Contains(spans, s => s.OperationName == "store.get_pool" && s.ParentSpanId == server.SpanId);
        Assert.Contains(spans, s => s.OperationName == "store.commit_assignments" && s.ParentSpanId == server.SpanId);
    }

    private List<Activity> Spans(ActivityTraceId traceId) => _exported.Of(traceId);

    /// <summary>A request from a caller that is itself traced: it sends a W3C traceparent naming its trace and span.</summary>
    internal static (HttpRequestMessage Request, ActivityTraceId TraceId, ActivitySpanId CallerSpan) Traced(HttpMethod method, string path, string? body = null)
    {
        var (traceId, callerSpan) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body) };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
        return (request, traceId, callerSpan);
    }
}
