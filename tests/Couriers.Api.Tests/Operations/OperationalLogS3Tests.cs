using System.Net;
using System.Text.Json;
using Amazon.S3;
using Couriers.Api.Operations;
using Couriers.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Couriers.Api.Tests.Assignments.DayBuilder;

namespace Couriers.Api.Tests.Operations;

/// <summary>
/// The operational log shipped to S3 (s3rver), through the real service: events arrive whole and in
/// order, an outage loses nothing the service reports as shipped, a full queue counts its drops,
/// and shutdown flushes.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class OperationalLogS3Tests(S3rverFixture s3) : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly string _bucket = S3rverFixture.NewBucketName();
    private readonly S3Faults _faults = new();
    private readonly List<CourierApiFactory> _apis = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _faults.Release();
        foreach (var api in _apis) await api.DisposeAsync();
    }

    [Fact]
    public async Task EveryWriteArrivesInTheBucketCompleteAndInOrderPerEntity()
    {
        var api = Api(("OperationalLog:BatchSize", "3"));
        using var client = api.CreateClient();
        var started = DateTime.UtcNow;

        await Expect(HttpStatusCode.Created, client.Post("/couriers", """{"id": "c1", "max_capacity": 45}"""));
        await Expect(HttpStatusCode.OK, client.Post("/couriers", """{"id": "c1", "max_capacity": 45}"""));
        await Expect(HttpStatusCode.OK, client.Send(HttpMethod.Patch, "/couriers/c1", """{"max_capacity": 50}"""));
        await Expect(HttpStatusCode.Created, client.Post("/couriers/c1/reservations", """{"reference": "r1", "volume": 5}"""));
        await Expect(HttpStatusCode.OK, client.Send(HttpMethod.Delete, "/couriers/c1/reservations/r1"));
        await Expect(HttpStatusCode.OK, client.Post("/drivers", Array([Driver("d1")])));
        await Expect(HttpStatusCode.OK, client.Post("/packages", Array([Package("p1"), Package("p2")])));
        await Expect(HttpStatusCode.OK, client.Post("/assign", """{"driver_ids": ["d1"], "max_per_driver": 2}"""));
        foreach (var status in new[] { "accepted", "in_progress", "delivered" })
            await Expect(HttpStatusCode.OK, client.Post("/update", $$"""{"driver_id": "d1", "package_id": "p1", "status": "{{status}}"}"""));
        await Expect(HttpStatusCode.OK, client.Post("/drivers", Array([Driver("d1", NorthOnly)])));
        await Expect(HttpStatusCode.NoContent, client.Send(HttpMethod.Delete, "/couriers/c1"));
        // Writes that change nothing are not events: a repeated create, an unchanged driver list, a refused reservation.
        await Expect(HttpStatusCode.OK, client.Post("/drivers", Array([Driver("d1", NorthOnly)])));
        await Expect(HttpStatusCode.NotFound, client.Post("/couriers/c1/reservations", """{"reference": "r2", "volume": 5}"""));

        var shipped = await Status(api).WaitAsync(s => s.Shipped == 11, default).WaitAsync(Within);
        Assert.Equal((11, 0, 0), (shipped.Recorded, shipped.Dropped, shipped.Failed));

        var objects = await s3.ReadEventsAsync(_bucket);
        Assert.True(objects.Count >= 4, $"{objects.Count} objects for 11 events in batches of at most 3");
        var instance = api.Services.GetRequiredService<OperationalLogQueue>().Instance;
        foreach (var (key, lines) in objects)
        {
            Assert.Matches($@"^events/\d{{4}}/\d{{2}}/\d{{2}}/\d{{2}}/{instance}-\d{{10}}\.jsonl$", key);
            Assert.InRange(lines.Count, 1, 3);
        }
        var events = objects.SelectMany(o => o.Lines).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), events.Select(e => e.GetProperty("sequence").GetInt64()));
        foreach (var e in events) AssertComplete(e, instance, started);

        Assert.Equal(["created", "updated", "deleted"], Actions(events, "courier", "c1"));
        Assert.Equal(["created", "released"], Actions(events, "reservation", "c1/r1"));
        Assert.Equal(["created", "updated"], Actions(events, "courier", "d1"));
        // The /assign commit is one event listing every assignment it made.
        var assigned = events.Single(e => e.Str("entity_type") == "assignments");
        Assert.Equal("created", assigned.Str("action"));
        Assert.Equal(2, assigned.GetProperty("after").GetProperty("count").GetInt32());
        Assert.Equal([("d1", "p1", "assigned"), ("d1", "p2", "assigned")], assigned.GetProperty("after").GetProperty("assignments").EnumerateArray()
            .Select(a => (a.Str("driver_id"), a.Str("package_id"), a.Str("status"))).Order());
        Assert.Equal(["status_changed", "status_changed", "status_changed"], Actions(events, "assignment", "d1/p1"));
        Assert.Empty(Actions(events, "assignment", "d1/p2"));

        var statuses = events.Where(e => Is(e, "assignment", "d1/p1"))
            .Select(e => (e.GetProperty("before").Str("status"), e.GetProperty("after").Str("status")));
        Assert.Equal([("assigned", "accepted"), ("accepted", "in_progress"), ("in_progress", "delivered")], statuses);
        var patch = events.Single(e => Is(e, "courier", "c1") && e.Str("action") == "updated");
        Assert.Equal((45m, 50m), (patch.GetProperty("before").Decimal("max_capacity"), patch.GetProperty("after").Decimal("max_capacity")));
        var rules = events.Single(e => Is(e, "courier", "d1") && e.Str("action") == "updated");
        Assert.Equal(0, rules.GetProperty("before").GetProperty("rules").GetArrayLength());
        Assert.Equal("REGION_ONLY", rules.GetProperty("after").GetProperty("rules")[0].Str("code"));
        Assert.Equal(5m, events.Single(e => Is(e, "reservation", "c1/r1") && e.Str("action") == "released").GetProperty("before").Decimal("volume"));
    }

    [Fact]
    public async Task TheActorIsTheAuthenticatedNameAndTheRequestIdIsTheRequestsTraceIdentifier()
    {
        var api = Api().WithServices(services => services.AddSingleton<IStartupFilter>(new EchoTraceId()));
        using var admin = api.ClientWith(TestKeys.Admin);
        using var stuart = api.ClientWith(TestKeys.CourierSync);

        var created = await admin.Post("/couriers", """{"id": "c1", "max_capacity": 45}""");
        var changed = await stuart.Send(HttpMethod.Patch, "/couriers/c1", """{"max_capacity": 40}""");
        await Status(api).WaitAsync(s => s.Shipped == 2, default).WaitAsync(Within);

        // The actor is the client name of the API key that made the change.
        var events = (await s3.ReadEventsAsync(_bucket)).SelectMany(o => o.Lines).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(("ops", created.Headers.GetValues(EchoTraceId.Header).Single()), (events[0].Str("actor"), events[0].Str("request_id")));
        Assert.Equal(("stuart", changed.Headers.GetValues(EchoTraceId.Header).Single()), (events[1].Str("actor"), events[1].Str("request_id")));
    }

    [Fact]
    public async Task AnS3OutageMidStreamLosesNothingThatTheServiceReportsAsShipped()
    {
        var api = Api(("OperationalLog:BatchSize", "2"), ("OperationalLog:MaxAttempts", "1000"));
        using var client = api.CreateClient();
        for (var i = 0; i < 4; i++) await Expect(HttpStatusCode.Created, client.Post("/couriers", $$"""{"id": "a{{i}}", "max_capacity": 10}"""));
        await Status(api).WaitAsync(s => s.Shipped == 4, default).WaitAsync(Within);

        // S3 goes away: answers 503, drops connections, and loses answers after storing the object.
        _faults.Inject(n => (S3Fault)(1 + n % 3));
        for (var i = 0; i < 6; i++) await Expect(HttpStatusCode.Created, client.Post("/couriers", $$"""{"id": "b{{i}}", "max_capacity": 10}"""));
        var during = await Status(api).WaitAsync(s => s.Retries >= 6, default).WaitAsync(Within);
        Assert.Equal(4, during.Shipped);
        Assert.True(during.ConsecutiveFailures > 0);
        Assert.True((await (await client.GetAsync("/health/operational-log")).Json()).GetProperty("degraded").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode); // never red for the log

        _faults.Heal();
        for (var i = 0; i < 2; i++) await Expect(HttpStatusCode.Created, client.Post("/couriers", $$"""{"id": "c{{i}}", "max_capacity": 10}"""));
        var after = await Status(api).WaitAsync(s => s.Shipped == 12, default).WaitAsync(Within);

        Assert.Equal((12, 0, 0, 0), (after.Recorded, after.Failed, after.Dropped, after.Pending));
        var ids = (await s3.ReadEventsAsync(_bucket)).SelectMany(o => o.Lines).Select(l => JsonDocument.Parse(l).RootElement.Str("entity_id")).ToList();
        Assert.Equal(after.Shipped, ids.Count); // the lost answers were retried onto the same keys: nothing twice
        Assert.Equal(["a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3", "b4", "b5", "c0", "c1"], ids);
        Assert.True(_faults.Faulted >= 6);
    }

    [Fact]
    public async Task ABatchS3NeverTakesIsCountedAsFailedKeptLocallyAndNeverReportedAsShipped()
    {
        using var folder = new TempDirectory();
        var api = Api(("OperationalLog:BatchSize", "10"), ("OperationalLog:MaxAttempts", "3"), ("OperationalLog:Path", folder.Path));
        using var client = api.CreateClient();
        _faults.Inject(_ => S3Fault.ServiceUnavailable);
        await Expect(HttpStatusCode.Created, client.Post("/couriers", """{"id": "lost", "max_capacity": 10}"""));

        var failed = await Status(api).WaitAsync(s => s.Failed == 1, default).WaitAsync(Within);
        Assert.Equal((0, 2), (failed.Shipped, failed.Retries));
        _faults.Heal();
        await Expect(HttpStatusCode.Created, client.Post("/couriers", """{"id": "kept", "max_capacity": 10}"""));
        var after = await Status(api).WaitAsync(s => s.Shipped == 1, default).WaitAsync(Within);

        Assert.Equal((2, 1, 1, 0), (after.Recorded, after.Shipped, after.Failed, after.Pending));
        var shipped = (await s3.ReadEventsAsync(_bucket)).SelectMany(o => o.Lines).Select(l => JsonDocument.Parse(l).RootElement.Str("entity_id"));
        Assert.Equal(["kept"], shipped);
        var local = Directory.GetFiles(Path.Combine(folder.Path, "unshipped"), "*.jsonl", SearchOption.AllDirectories)
            .SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement.Str("entity_id"));
        Assert.Equal(["lost"], local);
        var report = await (await client.GetAsync("/health/operational-log")).Json();
        Assert.Equal((1, 1), (report.GetProperty("failed").GetInt64(), report.GetProperty("shipped").GetInt64()));
    }

    [Fact]
    public async Task AFullQueueNeverBlocksARequestAndCountsAndReportsWhatItDropped()
    {
        var api = Api(("OperationalLog:QueueCapacity", "2"), ("OperationalLog:BatchSize", "1"));
        using var client = api.CreateClient();
        _faults.Hold(); // S3 stalls: the first event is in flight, two wait in the queue, the rest cannot be queued
        await Expect(HttpStatusCode.Created, client.Post("/couriers", """{"id": "x0", "max_capacity": 10}"""));
        await _faults.Held.WaitAsync(Within);
        for (var i = 1; i < 8; i++) await Expect(HttpStatusCode.Created, client.Post("/couriers", $$"""{"id": "x{{i}}", "max_capacity": 10}"""));

        var report = await (await client.GetAsync("/health/operational-log")).Json();
        Assert.Equal((3, 5), (report.GetProperty("recorded").GetInt64(), report.GetProperty("dropped").GetInt64()));
        Assert.True(report.GetProperty("degraded").GetBoolean());

        _faults.Release();
        var after = await Status(api).WaitAsync(s => s.Shipped == 3, default).WaitAsync(Within);
        Assert.Equal((3, 5, 0), (after.Recorded, after.Dropped, after.Pending));
        var events = (await s3.ReadEventsAsync(_bucket)).SelectMany(o => o.Lines).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["x0", "x1", "x2"], events.Select(e => e.Str("entity_id")));
        Assert.Equal([1L, 2, 3], events.Select(e => e.GetProperty("sequence").GetInt64())); // the dropped ones left a gap after 3
    }

    [Fact]
    public async Task AGracefulShutdownShipsWhatIsStillQueued()
    {
        // Nothing would ship on its own during the test: a long flush interval and large batches.
        var api = Api(("OperationalLog:FlushIntervalSeconds", "3600"), ("OperationalLog:BatchSize", "1000"));
        using var client = api.CreateClient();
        for (var i = 0; i < 25; i++) await Expect(HttpStatusCode.Created, client.Post("/couriers", $$"""{"id": "s{{i}}", "max_capacity": 10}"""));
        var status = Status(api);
        Assert.Equal((25, 0), (status.Current().Recorded, status.Current().Shipped));

        _apis.Remove(api);
        await api.DisposeAsync(); // StopAsync: the host stops the shipper, which drains the queue

        Assert.Equal((25, 0), (status.Current().Shipped, status.Current().Pending));
        var events = (await s3.ReadEventsAsync(_bucket)).SelectMany(o => o.Lines).Select(l => JsonDocument.Parse(l).RootElement.Str("entity_id"));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"s{i}"), events);
    }

    private CourierApiFactory Api(params (string Key, string Value)[] settings)
    {
        var factory = new CourierApiFactory()
            .With("OperationalLog:Sink", "S3")
            .With("OperationalLog:Bucket", _bucket)
            .With("OperationalLog:S3:Region", "us-east-1")
            .With("OperationalLog:S3:ServiceUrl", s3.ServiceUrl)
            .With("OperationalLog:S3:CreateBucket", "true")
            .With("OperationalLog:FlushIntervalSeconds", "0.05")
            .With("OperationalLog:RetryBaseDelaySeconds", "0.01")
            .With("OperationalLog:RetryMaxDelaySeconds", "0.05")
            // s3rver takes only its own key, so the test hands the service its client, built by the service's own config code.
            .WithServices(services => services.AddSingleton(s3.Client(_faults.Factory)));
        foreach (var (key, value) in settings) factory.With(key, value);
        _apis.Add(factory);
        return factory;
    }

    private static OperationalLogStatus Status(CourierApiFactory api) => api.Services.GetRequiredService<OperationalLogStatus>();

    private static async Task Expect(HttpStatusCode status, Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static bool Is(JsonElement e, string type, string id) => e.Str("entity_type") == type && e.Str("entity_id") == id;

    private static List<string> Actions(List<JsonElement> events, string type, string id) =>
        events.Where(e => Is(e, type, id)).Select(e => e.Str("action")).ToList();

    private static void AssertComplete(JsonElement e, string instance, DateTime started)
    {
        Assert.Equal($"{instance}-{e.GetProperty("sequence").GetInt64()}", e.Str("event_id"));
        Assert.Equal(instance, e.Str("instance"));
        var time = e.Str("time");
        Assert.EndsWith("Z", time);
        Assert.InRange(DateTime.Parse(time, null, System.Globalization.DateTimeStyles.RoundtripKind), started.AddSeconds(-1), DateTime.UtcNow);
        Assert.Equal("ops", e.Str("actor")); // the test admin key's client
        Assert.False(string.IsNullOrEmpty(e.Str("request_id")));
        Assert.Contains(e.Str("entity_type"), new[] { "courier", "reservation", "assignment", "assignments" });
        Assert.False(string.IsNullOrEmpty(e.Str("entity_id")));
        var (before, after) = (e.GetProperty("before").ValueKind, e.GetProperty("after").ValueKind);
        switch (e.Str("action"))
        {
            case "created": Assert.Equal((JsonValueKind.Null, JsonValueKind.Object), (before, after)); break;
            case "deleted" or "released": Assert.Equal((JsonValueKind.Object, JsonValueKind.Null), (before, after)); break;
            default: Assert.Equal((JsonValueKind.Object, JsonValueKind.Object), (before, after)); break;
        }
    }

    /// <summary>Signs every POST as <paramref name="name"/> (a stand-in for real auth) and echoes the trace identifier.</summary>
    /// <summary>Echoes each request's TraceIdentifier in a response header, so a test can match events to requests.</summary>
    private sealed class EchoTraceId : IStartupFilter
    {
        public const string Header = "X-Test-Trace-Id";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Response.Headers[Header] = context.TraceIdentifier;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
