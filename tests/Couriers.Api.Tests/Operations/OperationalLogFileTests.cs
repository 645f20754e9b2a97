using System.Net;
using System.Text.Json;
using Couriers.Api.Operations;
using Couriers.Api.Tests.Assignments;
using Couriers.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Couriers.Api.Tests.Operations;

/// <summary>Embedded mode: with SQLite, or without a bucket, the same lines go to local files.</summary>
public sealed class OperationalLogFileTests
{
    [Fact]
    public async Task OnSqliteTheEventsAreWrittenAsJsonLinesBesideTheDatabase()
    {
        using var folder = new TempDirectory();
        var api = new CourierApiFactory().With("Storage:Sqlite:Path", folder.File("couriers.db"));
        await using (api)
        {
            using var client = api.CreateClient();
            Assert.Equal(HttpStatusCode.Created, (await client.Post("/couriers", """{"id": "f1", "max_capacity": 45}""")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.Send(HttpMethod.Patch, "/couriers/f1", """{"available_capacity": 40}""")).StatusCode);
            var report = await (await client.GetAsync("/health/operational-log")).Json();
            Assert.Equal(("File", folder.File("events")), (report.Str("sink"), report.Str("target")));
        } // shutdown writes what is still queued

        // Files are per hour: two events may straddle an hour, so read them all in name order.
        var files = Directory.GetFiles(folder.File("events"), "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.Matches(@"events/\d{4}/\d{2}/\d{2}/\d{2}/[A-Za-z0-9_.-]+\.jsonl$", file.Replace('\\', '/')));
        var events = files.SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([("created", 45m), ("updated", 40m)], events.Select(e => (e.Str("action"), e.GetProperty("after").Decimal("available_capacity"))));
        Assert.Equal(5m, events[1].GetProperty("after").Decimal("declared_load"));
        Assert.All(events, e => Assert.Equal(("courier", "f1", "ops"), (e.Str("entity_type"), e.Str("entity_id"), e.Str("actor"))));
    }

    [Fact]
    public async Task AWriteThatChangesNothingIsNotAnEventAndWritesOutsideRequestsAreBySystem()
    {
        using var folder = new TempDirectory();
        await using var api = new CourierApiFactory().With("OperationalLog:Path", folder.Path).With("OperationalLog:FlushIntervalSeconds", "0.01");
        using var client = api.CreateClient();
        await client.Post("/couriers", """{"id": "r1", "max_capacity": 45}""");
        Assert.Equal(HttpStatusCode.OK, (await client.Post("/couriers", """{"id": "r1", "max_capacity": 45}""")).StatusCode);
        // The development seed and other startup work write through the same decorated stores, outside any request.
        var store = api.Services.GetRequiredService<Core.Couriers.ICourierStore>();
        await store.CreateAsync(new Core.Couriers.NewCourier("bg", 10m), CancellationToken.None);

        var status = api.Services.GetRequiredService<OperationalLogStatus>();
        await status.WaitAsync(s => s.Shipped == 2, default).WaitAsync(TimeSpan.FromSeconds(30));
        var events = Directory.GetFiles(folder.Path, "*.jsonl", SearchOption.AllDirectories).SelectMany(File.ReadAllLines)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([("r1", "ops"), ("bg", "system")], events.Select(e => (e.Str("entity_id"), e.Str("actor"))));
        Assert.Equal(JsonValueKind.Null, events[1].GetProperty("request_id").ValueKind);
    }

    [Fact]
    public async Task AnAssignOfMorePackagesThanTheQueueHoldsIsRecordedWholeAsOneEvent()
    {
        using var folder = new TempDirectory();
        await using var api = new CourierApiFactory().With("Storage:Sqlite:Path", folder.File("couriers.db"))
            .With("OperationalLog:QueueCapacity", "5").With("OperationalLog:FlushIntervalSeconds", "0.01");
        using var client = api.CreateClient();
        await client.Post("/drivers", DayBuilder.Array([DayBuilder.Driver("d1"), DayBuilder.Driver("d2")]));
        await client.Post("/packages", DayBuilder.Array(Enumerable.Range(0, 30).Select(i => DayBuilder.Package($"p{i:D2}"))));
        var response = await client.Post("/assign", """{"driver_ids": ["d1", "d2"], "max_per_driver": 15}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answered = (await response.Json()).Assignments();

        // Two driver events and one for the whole commit: 30 assignments, none dropped although the queue holds 5.
        var status = api.Services.GetRequiredService<OperationalLogStatus>();
        var shipped = await status.WaitAsync(s => s.Shipped == 3, default).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, shipped.Dropped);
        var commit = Directory.GetFiles(folder.File("events"), "*.jsonl", SearchOption.AllDirectories).SelectMany(File.ReadAllLines)
            .Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.Str("entity_type") == "assignments");
        var logged = commit.GetProperty("after").GetProperty("assignments").EnumerateArray()
            .Select(a => (a.Str("driver_id"), a.Str("package_id"), a.GetProperty("volume_liters").GetDecimal())).Order().ToList();
        Assert.Equal(30, commit.GetProperty("after").GetProperty("count").GetInt32());
        Assert.Equal(answered.SelectMany(d => d.Value.Select(p => (d.Key, p, 100m))).Order(), logged);
    }

    [Fact]
    public async Task ACourierBatchAndAPutRecordEachCourierTheyCreateOrChange()
    {
        using var folder = new TempDirectory();
        await using var api = new CourierApiFactory().With("OperationalLog:Path", folder.Path).With("OperationalLog:FlushIntervalSeconds", "0.01");
        using var client = api.CreateClient();
        await client.Post("/couriers/batch", """[{"id": "b1", "max_capacity": 10}, {"id": "b2", "max_capacity": 20}]""").Succeeds();
        await client.Post("/couriers/batch", """[{"id": "b1", "max_capacity": 15}, {"id": "b2", "max_capacity": 20}]""").Succeeds();
        await client.Send(HttpMethod.Put, "/couriers/b2", """{"max_capacity": 25}""").Succeeds();

        var status = api.Services.GetRequiredService<OperationalLogStatus>();
        await status.WaitAsync(s => s.Shipped == 4, default).WaitAsync(TimeSpan.FromSeconds(30));
        var events = Directory.GetFiles(folder.Path, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal).SelectMany(File.ReadAllLines)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([("b1", "created", 10m), ("b2", "created", 20m), ("b1", "updated", 15m), ("b2", "updated", 25m)],
            events.Select(e => (e.Str("entity_id"), e.Str("action"), e.GetProperty("after").Decimal("max_capacity"))));
    }

    [Theory]
    [InlineData(null, null, "Sqlite", "File")]
    [InlineData(null, "logs", "Sqlite", "File")]
    [InlineData(null, null, "DynamoDb", "File")]
    [InlineData(null, "logs", "DynamoDb", "S3")]
    [InlineData("S3", "logs", "Sqlite", "S3")]
    [InlineData("File", "logs", "DynamoDb", "File")]
    public void WithoutASinkNamedS3IsUsedOnlyOnDynamoDbWithABucket(string? sink, string? bucket, string provider, string expected) =>
        Assert.Equal(expected, new OperationalLogOptions { Sink = sink, Bucket = bucket }.ResolvedSink(provider));
}
